package org.caliop.crypto;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.caliop.facts.HeaderEdit;

/** Runs the real gpg and openssl for the tests, and applies header edits the way an adapter does. */
public final class Tools {
  public static final Path PGP_FIXTURES = Paths.get("../../shared/fixtures/pgp");
  public static final Path SMIME_FIXTURES = Paths.get("../../shared/fixtures/smime");
  public static final String P12_PASSWORD = "nss";

  private Tools() {
  }

  public static final class Result {
    public final int exit;
    public final byte[] out;
    public final String err;

    Result(int exit, byte[] out, String err) {
      this.exit = exit;
      this.out = out;
      this.err = err;
    }

    public String text() {
      return new String(out, StandardCharsets.UTF_8);
    }
  }

  public static Result run(List<String> command, Map<String, String> env, byte[] stdin) {
    try {
      ProcessBuilder pb = new ProcessBuilder(command);
      pb.environment().putAll(env);
      Process p = pb.start();
      CompletableFuture<byte[]> out = CompletableFuture.supplyAsync(() -> readAll(p.getInputStream()));
      CompletableFuture<byte[]> err = CompletableFuture.supplyAsync(() -> readAll(p.getErrorStream()));
      try (var in = p.getOutputStream()) {
        if (stdin != null) {
          in.write(stdin);
        }
      }
      if (!p.waitFor(300, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException("timed out: " + command);
      }
      return new Result(p.exitValue(), out.join(), new String(err.join(), StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static byte[] readAll(InputStream in) {
    try {
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static Result ok(List<String> command, Map<String, String> env, byte[] stdin) {
    Result r = run(command, env, stdin);
    if (r.exit != 0) {
      throw new IllegalStateException(command + " failed (" + r.exit + "): " + r.err);
    }
    return r;
  }

  /** A private GnuPG home with the given fixture secret keys imported. */
  public static Path gpgHome(Path dir, String... secretKeyFiles) {
    try {
      Path home = Files.createDirectories(dir.resolve("g"));
      Files.setPosixFilePermissions(home, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
      for (String f : secretKeyFiles) {
        ok(List.of("gpg", "--batch", "--import", PGP_FIXTURES.resolve(f).toString()), gpgEnv(home), null);
      }
      return home;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static Map<String, String> gpgEnv(Path home) {
    return Map.of("GNUPGHOME", home.toAbsolutePath().toString());
  }

  public static void stopAgent(Path home) {
    run(List.of("gpgconf", "--kill", "gpg-agent"), gpgEnv(home), null);
    // gpgconf returns before the agent is gone; the agent then unlinks its sockets, and a @TempDir cleanup walking
    // the directory meanwhile fails on a socket that vanished under it. Wait (bounded) until they are gone.
    for (int i = 0; i < 200 && agentSocketLeft(home); i++) {
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private static boolean agentSocketLeft(Path home) {
    try (java.util.stream.Stream<Path> files = Files.list(home)) {
      return files.anyMatch(f -> f.getFileName().toString().startsWith("S.gpg-agent"));
    } catch (IOException e) {
      return false;
    }
  }

  static Result gpgDecrypt(Path home, byte[] armored) {
    return run(List.of("gpg", "--batch", "--pinentry-mode", "loopback", "--passphrase", "", "--status-fd", "2", "--decrypt"),
        gpgEnv(home), armored);
  }

  /** Extracts the end-entity certificate and the unencrypted private key of a fixture .p12. */
  public static Path[] p12(String name, Path dir) {
    Path p12 = SMIME_FIXTURES.resolve(name + ".p12");
    Path cert = dir.resolve(name + ".crt");
    Path key = dir.resolve(name + ".key");
    ok(List.of("openssl", "pkcs12", "-legacy", "-in", p12.toString(), "-clcerts", "-nokeys", "-passin",
        "pass:" + P12_PASSWORD, "-out", cert.toString()), Map.of(), null);
    ok(List.of("openssl", "pkcs12", "-legacy", "-in", p12.toString(), "-nocerts", "-nodes", "-passin",
        "pass:" + P12_PASSWORD, "-out", key.toString()), Map.of(), null);
    return new Path[] {cert, key};
  }

  static Result opensslDecrypt(Path message, Path cert, Path key) {
    return run(List.of("openssl", "cms", "-decrypt", "-in", message.toString(), "-recip", cert.toString(),
        "-inkey", key.toString()), Map.of(), null);
  }

  /**
   * Rebuilds the message as an adapter would: the original header section with the edits applied (removals by
   * occurrence in list order, additions at the top), then the new body.
   */
  static byte[] applyEdits(byte[] original, List<HeaderEdit> edits, byte[] newBody) {
    String text = new String(original, StandardCharsets.ISO_8859_1).replace("\r\n", "\n");
    int end = text.indexOf("\n\n");
    String head = end < 0 ? text : text.substring(0, end + 1);
    List<String> fields = new ArrayList<>();
    for (String line : head.split("\n")) {
      if (line.isEmpty()) {
        continue;
      }
      if ((line.startsWith(" ") || line.startsWith("\t")) && !fields.isEmpty()) {
        fields.set(fields.size() - 1, fields.get(fields.size() - 1) + "\r\n" + line);
      } else {
        fields.add(line);
      }
    }
    for (HeaderEdit e : edits) {
      if (e.kind() == HeaderEdit.Kind.ADD) {
        fields.add(0, e.name() + ": " + e.value());
      } else {
        int seen = 0;
        for (int i = 0; i < fields.size(); i++) {
          String f = fields.get(i);
          int colon = f.indexOf(':');
          if (colon > 0 && f.substring(0, colon).trim().equalsIgnoreCase(e.name()) && ++seen == e.occurrence()) {
            fields.remove(i);
            break;
          }
        }
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (String f : fields) {
      out.writeBytes((f + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
    }
    out.writeBytes("\r\n".getBytes(StandardCharsets.ISO_8859_1));
    out.writeBytes(newBody);
    return out.toByteArray();
  }

  /** The armored block of a multipart/encrypted body. */
  static byte[] armoredPart(byte[] body) {
    String text = new String(body, StandardCharsets.US_ASCII);
    int start = text.indexOf("-----BEGIN PGP MESSAGE-----");
    int end = text.indexOf("-----END PGP MESSAGE-----");
    return text.substring(start, end + "-----END PGP MESSAGE-----".length()).concat("\r\n")
        .getBytes(StandardCharsets.US_ASCII);
  }

  static String crlf(String s) {
    return s.replace("\r\n", "\n").replace("\n", "\r\n");
  }
}
