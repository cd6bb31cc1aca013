package org.caliop.facts;

import java.util.Objects;
import java.util.Optional;
import org.caliop.hop.IpAddress;

/**
 * Where our MTA accepted a connection: the listener's name (Postfix {@code {daemon_name}}, set per {@code master.cf}
 * service with {@code -o milter_macro_daemon_name=...}; Sendmail's {@code DaemonPortOptions Name=}) and the local
 * address and port the client connected to (Postfix and Sendmail {@code {daemon_addr}} / {@code {daemon_port}}, the
 * James SMTP server's bound address). A relay is recognised by its network and this, because every process on a
 * host shares its loopback address, but not the port it connects to. Every part is optional.
 */
public final class Listener {
  private static final Listener UNKNOWN = new Listener(null, null, 0);

  private final String name;
  private final IpAddress address;
  private final int port;

  private Listener(String name, IpAddress address, int port) {
    this.name = name;
    this.address = address;
    this.port = port;
  }

  /** Nothing known about the listener. */
  public static Listener unknown() {
    return UNKNOWN;
  }

  /**
   * @param name the daemon name, or null
   * @param address the local address, or null
   * @param port the local port, 0 when unknown
   */
  public static Listener of(String name, IpAddress address, int port) {
    String n = name == null || name.isBlank() ? null : name.trim();
    if (n == null && address == null && port <= 0) {
      return UNKNOWN;
    }
    return new Listener(n, address, port < 0 || port > 65535 ? 0 : port);
  }

  public Optional<String> name() { return Optional.ofNullable(name); }
  public Optional<IpAddress> address() { return Optional.ofNullable(address); }
  /** 1-65535, or 0 when unknown. */
  public int port() { return port; }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof Listener)) {
      return false;
    }
    Listener l = (Listener) o;
    return Objects.equals(name, l.name) && Objects.equals(address, l.address) && port == l.port;
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, address, port);
  }

  /** {@code name=reinject 127.0.0.1:10025}, for logs. */
  @Override
  public String toString() {
    StringBuilder s = new StringBuilder();
    if (name != null) {
      s.append("name=").append(name);
    }
    if (address != null || port > 0) {
      if (s.length() > 0) {
        s.append(' ');
      }
      String a = address == null ? "*" : address.isV4() ? address.toString() : "[" + address + "]";
      s.append(a).append(':').append(port > 0 ? Integer.toString(port) : "*");
    }
    return s.length() == 0 ? "unknown" : s.toString();
  }
}
