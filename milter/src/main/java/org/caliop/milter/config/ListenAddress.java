package org.caliop.milter.config;

import java.nio.file.Path;
import java.util.Objects;

/**
 * One place the milter listens, in the spellings Postfix and Sendmail use for {@code smtpd_milters}:
 * {@code inet:host:port}, {@code inet:port@host}, {@code unix:/path} or {@code local:/path}.
 */
public record ListenAddress(Kind kind, String host, int port, Path path) {
  public enum Kind { INET, UNIX }

  public ListenAddress {
    Objects.requireNonNull(kind);
  }

  public static ListenAddress inet(String host, int port) {
    return new ListenAddress(Kind.INET, host, port, null);
  }

  public static ListenAddress unix(Path path) {
    return new ListenAddress(Kind.UNIX, null, 0, path);
  }

  /** @throws IllegalArgumentException naming what is wrong */
  public static ListenAddress parse(String text) {
    String s = text.trim();
    int colon = s.indexOf(':');
    if (colon < 0) {
      throw new IllegalArgumentException("expected inet:host:port or unix:/path, got '" + text + "'");
    }
    String scheme = s.substring(0, colon);
    String rest = s.substring(colon + 1);
    switch (scheme) {
      case "unix", "local" -> {
        if (rest.isEmpty()) {
          throw new IllegalArgumentException("empty socket path in '" + text + "'");
        }
        return unix(Path.of(rest));
      }
      case "inet", "inet6" -> {
        String host;
        String port;
        int at = rest.indexOf('@');
        if (at >= 0) {
          port = rest.substring(0, at);
          host = rest.substring(at + 1);
        } else {
          int last = rest.lastIndexOf(':');
          if (last < 0) {
            throw new IllegalArgumentException("missing port in '" + text + "'");
          }
          host = rest.substring(0, last);
          port = rest.substring(last + 1);
        }
        if (host.startsWith("[") && host.endsWith("]")) {
          host = host.substring(1, host.length() - 1);
        }
        if (host.isEmpty()) {
          host = "127.0.0.1";
        }
        try {
          int p = Integer.parseInt(port);
          if (p < 0 || p > 65535) {
            throw new NumberFormatException();
          }
          return inet(host, p);
        } catch (NumberFormatException e) {
          throw new IllegalArgumentException("bad port '" + port + "' in '" + text + "'");
        }
      }
      default -> throw new IllegalArgumentException("unknown socket type '" + scheme + "' in '" + text + "'");
    }
  }

  @Override
  public String toString() {
    return kind == Kind.UNIX ? "unix:" + path : "inet:" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
  }
}
