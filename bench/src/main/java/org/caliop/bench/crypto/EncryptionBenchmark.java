package org.caliop.bench.crypto;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Clock;
import java.util.Base64;
import java.util.Enumeration;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.caliop.crypto.EncryptOptions.Format;
import org.caliop.crypto.EncryptOptions;
import org.caliop.crypto.EncryptionResult;
import org.caliop.crypto.GatewayEncryptor;
import org.caliop.crypto.GatewayEncryptors;
import org.caliop.crypto.SmimeAlgorithms;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Gateway encryption throughput (issue 7): 10 KB messages (msgs/s) and 10 MB messages (MB/s = ops/s x 10), per
 * format and recipient key type, one recipient, into a counting sink. Keys come from {@code ../shared/fixtures}
 * (the Delta Chat OpenPGP keys, the NSS S/MIME certificates; override with {@code -Dcaliop.fixtures=DIR}).
 *
 * <p>Run: {@code java -jar bench/target/benchmarks.jar EncryptionBenchmark} from the project root. On a shared,
 * oversubscribed machine wall-clock figures mostly measure the other processes; {@link #main} measures the CPU
 * time of this thread instead: {@code java -cp bench/target/benchmarks.jar org.caliop.bench.crypto.EncryptionBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 2)
@Fork(1)
public class EncryptionBenchmark {
  /** Case name, recipient, format. */
  static final String[][] CASES = {
      {"pgp-x25519", "alice@example.org", "PGP", "OpenPGP/MIME, Curve25519 ECDH, AES-256 SEIPD v1"},
      {"pgp-rsa2048", "bob@example.net", "PGP", "OpenPGP/MIME, RSA-2048, AES-256 SEIPD v1"},
      {"smime-rsa2048-cbc", "alice@example.com", "SMIME", "S/MIME, RSA-2048 OAEP, AES-256-CBC"},
      {"smime-rsa2048-gcm", "bob@example.com", "SMIME", "S/MIME, RSA-2048 OAEP, AES-256-GCM"},
      {"smime-p384-cbc", "alice-ec@example.com", "SMIME", "S/MIME, ECDH P-384, AES-256-CBC"}};

  @Param({"pgp-x25519", "pgp-rsa2048", "smime-rsa2048-cbc", "smime-rsa2048-gcm", "smime-p384-cbc"})
  public String recipient;

  @Param({"10240", "10485760"})
  public int bodyBytes;

  private GatewayEncryptor encryptor;
  private byte[] message;
  private String to;
  private EncryptOptions spec;

  @Setup(Level.Trial)
  public void setUp() throws IOException, GeneralSecurityException {
    encryptor = encryptor(Files.createTempDirectory("caliop-crypto-bench"));
    message = message(bodyBytes);
    String[] c = find(recipient);
    to = c[1];
    spec = options(c[2]);
  }

  @Benchmark
  public long encrypt() throws IOException {
    return once(encryptor, message, to, spec);
  }

  /** The case's format; Bob's certificate is the one whose client reads AES-GCM. */
  static EncryptOptions options(String format) {
    return EncryptOptions.of(Format.valueOf(format), null).withSmimeFor("bob@example.com",
        SmimeAlgorithms.of(SmimeAlgorithms.KeyTransport.RSA_OAEP, SmimeAlgorithms.ContentCipher.AES_GCM));
  }

  static String[] find(String name) {
    for (String[] c : CASES) {
      if (c[0].equals(name)) {
        return c;
      }
    }
    throw new IllegalArgumentException(name);
  }

  static long once(GatewayEncryptor e, byte[] m, String to, EncryptOptions spec) throws IOException {
    Counting out = new Counting();
    EncryptionResult r = e.encrypt(new ByteArrayInputStream(m), List.of(to), spec, out);
    if (r.status() != EncryptionResult.Status.ENCRYPTED) {
      throw new IllegalStateException(to + ": " + r.status());
    }
    return out.bytes;
  }

  static Path fixtures() {
    String configured = System.getProperty("caliop.fixtures");
    if (configured != null) {
      return Paths.get(configured);
    }
    for (String candidate : new String[] {"../shared/fixtures", "../../shared/fixtures"}) {
      if (Files.isDirectory(Paths.get(candidate, "pgp"))) {
        return Paths.get(candidate);
      }
    }
    throw new IllegalStateException("../shared/fixtures not found: run from the project root or set "
        + "-Dcaliop.fixtures=DIR");
  }

  /** A key directory with two OpenPGP keys and three certificates (Bob's read with AES-GCM, see options). */
  static GatewayEncryptor encryptor(Path keys) throws IOException, GeneralSecurityException {
    Path fixtures = fixtures();
    Files.copy(fixtures.resolve("pgp/alice-public.asc"), keys.resolve("alice-public.asc"));
    Files.copy(fixtures.resolve("pgp/bob-public.asc"), keys.resolve("bob-public.asc"));
    for (String p12 : new String[] {"Alice", "Alice-ec", "Bob"}) {
      Files.writeString(keys.resolve(p12 + ".pem"), certificatePem(fixtures.resolve("smime/" + p12 + ".p12")));
    }
    return GatewayEncryptors.fromDirectory(keys, Clock.systemUTC());
  }

  /** The end-entity certificate of a fixture .p12 (password {@code nss}, see its README). */
  static String certificatePem(Path p12) throws IOException, GeneralSecurityException {
    KeyStore store = KeyStore.getInstance("PKCS12", GatewayEncryptors.provider());
    try (InputStream in = Files.newInputStream(p12)) {
      store.load(in, "nss".toCharArray());
    }
    for (Enumeration<String> aliases = store.aliases(); aliases.hasMoreElements(); ) {
      String alias = aliases.nextElement();
      if (store.isKeyEntry(alias)) {
        Certificate cert = store.getCertificate(alias);
        return "-----BEGIN CERTIFICATE-----\n"
            + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(cert.getEncoded())
            + "\n-----END CERTIFICATE-----\n";
      }
    }
    throw new IllegalStateException("no key entry in " + p12);
  }

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

  /**
   * CPU time of this thread per case: 10 KB messages for 5 s after 2 s of warm-up, 10 MB messages 5 rounds after
   * 2. Prints wall-clock and per-CPU-second throughput.
   */
  public static void main(String[] args) throws Exception {
    ThreadMXBean cpu = ManagementFactory.getThreadMXBean();
    GatewayEncryptor e = encryptor(Files.createTempDirectory("caliop-crypto-bench"));
    byte[] small = message(10 * 1024);
    byte[] big = message(10 * 1024 * 1024);
    System.out.printf(Locale.ROOT, "java=%s cores=%d load-average=%.1f%n", System.getProperty("java.version"),
        Runtime.getRuntime().availableProcessors(),
        ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    for (String[] c : CASES) {
      EncryptOptions spec = options(c[2]);
      long until = System.nanoTime() + 2_000_000_000L;
      while (System.nanoTime() < until) {
        once(e, small, c[1], spec);
      }
      int n = 0;
      long start = System.nanoTime();
      long cpuStart = cpu.getCurrentThreadCpuTime();
      while (System.nanoTime() - start < 5_000_000_000L) {
        once(e, small, c[1], spec);
        n++;
      }
      double msgs = n / ((System.nanoTime() - start) / 1e9);
      double msgsCpu = n / ((cpu.getCurrentThreadCpuTime() - cpuStart) / 1e9);
      once(e, big, c[1], spec);
      once(e, big, c[1], spec);
      int rounds = 5;
      start = System.nanoTime();
      cpuStart = cpu.getCurrentThreadCpuTime();
      for (int i = 0; i < rounds; i++) {
        once(e, big, c[1], spec);
      }
      double megabytes = rounds * big.length / 1e6;
      double mb = megabytes / ((System.nanoTime() - start) / 1e9);
      double mbCpu = megabytes / ((cpu.getCurrentThreadCpuTime() - cpuStart) / 1e9);
      System.out.printf(Locale.ROOT,
          "%-50s 10KB: %6.0f msgs/s (%6.0f per CPU-s)   10MB: %6.1f MB/s (%6.1f per CPU-s)%n", c[3], msgs, msgsCpu,
          mb, mbCpu);
    }
  }
}
