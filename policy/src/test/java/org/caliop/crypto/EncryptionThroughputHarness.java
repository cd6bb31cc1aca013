package org.caliop.crypto;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.caliop.crypto.EncryptionResult.Status;
import org.caliop.policy.Action;
import org.caliop.policy.EncryptSpec;
import org.caliop.policy.EncryptSpec.Format;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Encryption throughput on one thread, until the JMH class in the bench module lands: 10 KB messages (msgs/s) and
 * 10 MB messages (MB/s) per format and recipient key type. Skipped unless {@code -Dcaliop.bench=true}:
 *
 * <pre>mvn -q -B -ntp -pl policy test -Dtest=EncryptionThroughputHarness -Dsurefire.failIfNoSpecifiedTests=false \
 *   -Dcaliop.bench=true</pre>
 *
 * Prints one line per case and writes them to {@code policy/target/crypto-bench.txt}.
 */
class EncryptionThroughputHarness {
  private static final java.lang.management.ThreadMXBean CPU =
      java.lang.management.ManagementFactory.getThreadMXBean();

  @TempDir
  Path tmp;

  static byte[] message(int bodyBytes) {
    StringBuilder sb = new StringBuilder("From: Sender <sender@example.org>\r\nTo: r@example.org\r\n"
        + "Subject: throughput\r\nDate: Fri, 27 Nov 2026 08:00:00 +0000\r\nMessage-ID: <t@example.org>\r\n"
        + "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n");
    int start = sb.length();
    long line = 0;
    while (sb.length() - start < bodyBytes) {
      sb.append(String.format(Locale.ROOT, "%08d Lorem ipsum dolor sit amet, consectetur adipiscing elit.\r\n",
          line++));
    }
    return sb.toString().getBytes(StandardCharsets.UTF_8);
  }

  static final class Counting extends OutputStream {
    long bytes;

    @Override
    public void write(int b) {
      bytes++;
    }

    @Override
    public void write(byte[] b, int off, int len) {
      bytes += len;
    }
  }

  static long once(GatewayEncryptor e, byte[] m, String to, Format format) throws IOException {
    Counting out = new Counting();
    EncryptionResult r = e.encrypt(new ByteArrayInputStream(m), List.of(to),
        EncryptSpec.of(format, Action.TEMPFAIL, false, null), out);
    if (r.status() != Status.ENCRYPTED) {
      throw new IllegalStateException(to + " " + r.status());
    }
    return out.bytes;
  }

  @Test
  void measure() throws IOException {
    Assumptions.assumeTrue(Boolean.getBoolean("caliop.bench"), "set -Dcaliop.bench=true to run");
    Path keys = Files.createDirectories(tmp.resolve("keys"));
    Files.copy(Tools.PGP_FIXTURES.resolve("alice-public.asc"), keys.resolve("alice-public.asc"));
    Files.copy(Tools.PGP_FIXTURES.resolve("bob-public.asc"), keys.resolve("bob-public.asc"));
    Path certs = Files.createDirectories(tmp.resolve("certs"));
    Files.copy(Tools.p12("Alice", certs)[0], keys.resolve("alice.crt"));
    Files.copy(Tools.p12("Alice-ec", certs)[0], keys.resolve("alice-ec.crt"));
    Files.copy(Tools.p12("Bob", certs)[0], keys.resolve("bob.crt"));
    Files.writeString(keys.resolve(RecipientKeys.AUTH_ENVELOPED_FILE), "bob@example.com\n");
    GatewayEncryptor e = GatewayEncryptors.fromDirectory(keys, Clock.systemUTC());

    String[][] cases = {
        {"pgp", "alice@example.org", "OpenPGP/MIME, Curve25519 ECDH, AES-256 SEIPDv1"},
        {"pgp", "bob@example.net", "OpenPGP/MIME, RSA-2048, AES-256 SEIPDv1"},
        {"smime", "alice@example.com", "S/MIME, RSA-2048 OAEP, AES-256-CBC"},
        {"smime", "bob@example.com", "S/MIME, RSA-2048 OAEP, AES-256-GCM"},
        {"smime", "alice-ec@example.com", "S/MIME, ECDH P-384, AES-256-CBC"}};
    byte[] small = message(10 * 1024);
    byte[] big = message(10 * 1024 * 1024);
    List<String> lines = new ArrayList<>();
    lines.add(String.format(Locale.ROOT, "java=%s cores=%d load-average=%.1f", System.getProperty("java.version"),
        Runtime.getRuntime().availableProcessors(),
        java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage()));
    for (String[] c : cases) {
      Format f = c[0].equals("pgp") ? Format.PGP : Format.SMIME;
      long until = System.nanoTime() + 2_000_000_000L;
      while (System.nanoTime() < until) {
        once(e, small, c[1], f);
      }
      int n = 0;
      long start = System.nanoTime();
      long cpuStart = CPU.getCurrentThreadCpuTime();
      long end = start + 5_000_000_000L;
      while (System.nanoTime() < end) {
        once(e, small, c[1], f);
        n++;
      }
      double msgsPerSecond = n / ((System.nanoTime() - start) / 1e9);
      double msgsPerCpuSecond = n / ((CPU.getCurrentThreadCpuTime() - cpuStart) / 1e9);
      once(e, big, c[1], f);
      once(e, big, c[1], f);
      int rounds = 5;
      start = System.nanoTime();
      cpuStart = CPU.getCurrentThreadCpuTime();
      for (int i = 0; i < rounds; i++) {
        once(e, big, c[1], f);
      }
      double megabytes = rounds * (big.length / 1e6);
      double mbPerSecond = megabytes / ((System.nanoTime() - start) / 1e9);
      double mbPerCpuSecond = megabytes / ((CPU.getCurrentThreadCpuTime() - cpuStart) / 1e9);
      lines.add(String.format(Locale.ROOT,
          "%-50s 10KB: %6.0f msgs/s (%6.0f per CPU-s)   10MB: %6.1f MB/s (%6.1f per CPU-s)", c[2], msgsPerSecond,
          msgsPerCpuSecond, mbPerSecond, mbPerCpuSecond));
    }
    lines.forEach(System.out::println);
    Files.write(Path.of("target", "crypto-bench.txt"), lines);
  }
}
