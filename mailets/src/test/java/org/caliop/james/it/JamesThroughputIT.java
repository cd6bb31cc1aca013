package org.caliop.james.it;

import com.sun.management.OperatingSystemMXBean;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.mail.Address;
import javax.mail.Session;
import javax.mail.Transport;
import javax.mail.internet.InternetAddress;
import javax.mail.internet.MimeMessage;
import org.caliop.james.it.JamesServerFixture.Variant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * Messages per second through an in-process James 3.8.1, SMTP in to mailbox delivered, with and without caliop.
 * Not a test: run it on purpose (docs/BENCHMARKS.md, "James"):
 *
 * <pre>
 * mvn -B -ntp -pl mailets -am verify -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false \
 *     -Dit.test=JamesThroughputIT -Dcaliop.bench=true \
 *     [-Dcaliop.bench.messages=1000] [-Dcaliop.bench.sessions=4] [-Dcaliop.bench.rounds=3]
 * </pre>
 *
 * Each run gets a fresh server; a warm-up batch is delivered before the timed batch; rounds rotate the order of the
 * variants and the median is reported (the machine may be shared). Messages are the real
 * OpenPGP and S/MIME samples of ../shared/fixtures, round-robin. The result table is printed and written to
 * {@code target/bench-james.txt}.
 */
@EnabledIfSystemProperty(named = "caliop.bench", matches = "true")
class JamesThroughputIT {
  private static final int MESSAGES = Integer.getInteger("caliop.bench.messages", 1000);
  private static final int WARMUP = Integer.getInteger("caliop.bench.warmup", 200);
  private static final int SESSIONS = Integer.getInteger("caliop.bench.sessions", 4);
  private static final int ROUNDS = Integer.getInteger("caliop.bench.rounds", 3);

  @TempDir
  Path tmp;

  @Test
  void measure() throws Exception {
    List<byte[]> samples = samples();
    Variant[] variants = {Variant.BARE, Variant.CALIOP_NO_HEADER_EDITS, Variant.CALIOP_MAILETS_ONLY,
        Variant.CALIOP};
    Map<Variant, List<Double>> rates = new EnumMap<>(Variant.class);
    Map<Variant, List<Double>> cpu = new EnumMap<>(Variant.class);
    for (int round = 0; round < ROUNDS; round++) {
      // Rotate the order so that no variant always runs first (cold JIT) or last.
      for (int v = 0; v < variants.length; v++) {
        Variant variant = variants[(v + round) % variants.length];
        double[] r = run(variant, samples, round);
        rates.computeIfAbsent(variant, k -> new ArrayList<>()).add(r[0]);
        cpu.computeIfAbsent(variant, k -> new ArrayList<>()).add(r[1]);
      }
    }
    StringBuilder report = new StringBuilder(String.format(Locale.ROOT,
        "James 3.8.1 memory app, in-process; %d rounds x %d messages (%d warm-up) per variant; %d samples, mean "
            + "%d bytes; %d SMTP sessions; %d cores%n%-22s %12s %8s %8s %16s%n", ROUNDS, MESSAGES, WARMUP,
        samples.size(), samples.stream().mapToInt(b -> b.length).sum() / samples.size(), SESSIONS,
        Runtime.getRuntime().availableProcessors(), "variant", "median msg/s", "min", "max", "median CPU ms/msg"));
    for (Variant variant : variants) {
      List<Double> r = new ArrayList<>(rates.get(variant));
      Collections.sort(r);
      List<Double> c = new ArrayList<>(cpu.get(variant));
      Collections.sort(c);
      report.append(String.format(Locale.ROOT, "%-22s %12.1f %8.1f %8.1f %16.2f%n",
          variant.name().toLowerCase(Locale.ROOT), r.get(r.size() / 2), r.get(0), r.get(r.size() - 1),
          c.get(c.size() / 2)));
    }
    System.out.print(report);
    Files.writeString(Path.of("target/bench-james.txt"), report, StandardCharsets.UTF_8);
  }

  /**
   * One timed run on a fresh server: messages per second (wall clock) and CPU milliseconds per message of this
   * whole JVM (server and the test's SMTP/IMAP client, the same for every variant). CPU time is what other
   * processes on a shared machine disturb least.
   */
  private double[] run(Variant variant, List<byte[]> samples, int round) throws Exception {
    Path dir = Files.createTempDirectory(tmp, variant.name().toLowerCase(Locale.ROOT) + round);
    OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    try (JamesServerFixture james = JamesServerFixture.start(dir, variant, "bob")) {
      run(james, samples, WARMUP, 0);
      long cpuStart = os.getProcessCpuTime();
      long start = System.nanoTime();
      run(james, samples, MESSAGES, WARMUP);
      double rate = MESSAGES / ((System.nanoTime() - start) / 1e9);
      double cpuMs = (os.getProcessCpuTime() - cpuStart) / 1e6 / MESSAGES;
      System.out.printf(Locale.ROOT, "round %d %s %.1f msg/s %.2f CPU ms/msg%n", round, variant, rate, cpuMs);
      return new double[] {rate, cpuMs};
    }
  }

  /** Sends {@code count} messages over {@link #SESSIONS} sessions and waits until all are in bob's INBOX. */
  private static void run(JamesServerFixture james, List<byte[]> samples, int count, int alreadyDelivered)
      throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(SESSIONS);
    try {
      List<Future<?>> sent = new ArrayList<>();
      for (int s = 0; s < SESSIONS; s++) {
        int session = s;
        sent.add(pool.submit(() -> {
          Session mail = Session.getInstance(new Properties());
          Address[] to = {new InternetAddress("bob@" + JamesServerFixture.DOMAIN)};
          try (Transport transport = james.openTransport()) {
            for (int i = session; i < count; i += SESSIONS) {
              MimeMessage message = new MimeMessage(mail,
                  new ByteArrayInputStream(samples.get(i % samples.size())));
              transport.sendMessage(message, to);
            }
          }
          return null;
        }));
      }
      for (Future<?> f : sent) {
        f.get(10, TimeUnit.MINUTES);
      }
    } finally {
      pool.shutdownNow();
    }
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
    while (james.inboxCount("bob") < alreadyDelivered + count) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not all messages delivered");
      }
      Thread.sleep(250);
    }
  }

  private static List<byte[]> samples() throws IOException {
    List<byte[]> out = new ArrayList<>();
    for (String dir : new String[] {"pgp", "smime"}) {
      try (Stream<Path> files = Files.list(Path.of("../../shared/fixtures", dir))) {
        for (Path file : files.filter(p -> p.toString().endsWith(".eml")).sorted().collect(Collectors.toList())) {
          out.add(Files.readAllBytes(file));
        }
      }
    }
    return out;
  }
}
