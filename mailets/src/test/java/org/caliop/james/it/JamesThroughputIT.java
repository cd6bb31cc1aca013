package org.caliop.james.it;

import com.sun.management.OperatingSystemMXBean;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
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
 *     [-Dcaliop.bench.messages=1000] [-Dcaliop.bench.warmup=200] [-Dcaliop.bench.sessions=4]
 *     [-Dcaliop.bench.rounds=3] [-Dcaliop.bench.mailboxes=50] [-Dcaliop.bench.variants=bare,caliop]
 *     [-Dcaliop.bench.reference=DIR-WITH-AN-EARLIER-BUILD'S-JARS]
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
  /** Comma-separated variant names (e.g. {@code caliop,bare}) to run only those; all by default. */
  private static final String VARIANTS = System.getProperty("caliop.bench.variants", "");
  /**
   * Mailboxes the messages are spread over, round-robin. James's memory mailbox scans every message of a mailbox at
   * each delivery (guessing the thread id by searching headers), so one mailbox filling up would make each delivery
   * cost more than the last, and that cost grow with the header bytes caliop adds to every stored message.
   */
  private static final int MAILBOXES = Integer.getInteger("caliop.bench.mailboxes", 50);
  /**
   * A directory with an earlier build's caliop-mailets-*-james.jar and -smtp-hooks.jar: adds the run
   * {@code reference}, examples/james as shipped with those jars, to compare two builds in one run.
   */
  private static final String REFERENCE = System.getProperty("caliop.bench.reference", "");

  @TempDir
  Path tmp;

  @Test
  void measure() throws Exception {
    List<byte[]> samples = samples();
    List<Setup> setups = setups();
    Map<String, List<double[]>> results = new LinkedHashMap<>();
    for (Setup setup : setups) {
      results.put(setup.label, new ArrayList<>());
    }
    for (int round = 0; round < ROUNDS; round++) {
      // Rotate the order so that no variant always runs first (cold JIT) or last.
      for (int v = 0; v < setups.size(); v++) {
        Setup setup = setups.get((v + round) % setups.size());
        results.get(setup.label).add(run(setup, samples, round));
      }
    }
    StringBuilder report = new StringBuilder(String.format(Locale.ROOT,
        "James 3.8.1 memory app, in-process; %d rounds x %d messages (%d warm-up) per variant; %d samples, mean "
            + "%d bytes; %d SMTP sessions; %d mailboxes; %d cores%n"
            + "medians per message: CPU = the whole JVM's, threads = its Java threads' (no JIT compiler, no GC),"
            + " JIT = compilation ms%n%-22s %12s %8s %8s %8s %8s %8s%n", ROUNDS, MESSAGES, WARMUP,
        samples.size(), samples.stream().mapToInt(b -> b.length).sum() / samples.size(), SESSIONS, MAILBOXES,
        Runtime.getRuntime().availableProcessors(), "variant", "median msg/s", "min", "max", "CPU ms", "threads",
        "JIT ms"));
    for (Map.Entry<String, List<double[]>> e : results.entrySet()) {
      List<double[]> r = e.getValue();
      List<Double> rate = sorted(r, 0);
      report.append(String.format(Locale.ROOT, "%-22s %12.1f %8.1f %8.1f %8.2f %8.2f %8.3f%n", e.getKey(),
          median(rate), rate.get(0), rate.get(rate.size() - 1), median(sorted(r, 1)), median(sorted(r, 2)),
          median(sorted(r, 3))));
    }
    System.out.print(report);
    Files.writeString(Path.of("target/bench-james.txt"), report, StandardCharsets.UTF_8);
  }

  /** A server set-up to measure: a variant of examples/james and the caliop jars it loads. */
  private static final class Setup {
    final String label;
    final Variant variant;
    final Path pluginJar;
    final Path hooksJar;

    Setup(String label, Variant variant, Path pluginJar, Path hooksJar) {
      this.label = label;
      this.variant = variant;
      this.pluginJar = pluginJar;
      this.hooksJar = hooksJar;
    }
  }

  private static List<Setup> setups() throws IOException {
    Variant[] all = {Variant.BARE, Variant.CALIOP_NO_HEADER_EDITS, Variant.CALIOP_MAILETS_ONLY, Variant.CALIOP};
    Variant[] variants = VARIANTS.isBlank() ? all : Stream.of(VARIANTS.split(","))
        .map(v -> Variant.valueOf(v.trim().toUpperCase(Locale.ROOT))).toArray(Variant[]::new);
    Path pluginJar = Path.of(System.getProperty("caliop.james.jar"));
    Path hooksJar = Path.of(System.getProperty("caliop.hooks.jar"));
    List<Setup> out = new ArrayList<>();
    for (Variant v : variants) {
      out.add(new Setup(v.name().toLowerCase(Locale.ROOT), v, pluginJar, hooksJar));
    }
    if (!REFERENCE.isBlank()) {
      out.add(new Setup("reference", Variant.CALIOP, jar(Path.of(REFERENCE), "-james.jar"),
          jar(Path.of(REFERENCE), "-smtp-hooks.jar")));
    }
    return out;
  }

  private static Path jar(Path dir, String ending) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.filter(f -> f.getFileName().toString().endsWith(ending)).findFirst()
          .orElseThrow(() -> new IOException("no *" + ending + " in " + dir));
    }
  }

  private static List<Double> sorted(List<double[]> runs, int column) {
    return runs.stream().map(r -> r[column]).sorted().collect(Collectors.toList());
  }

  private static double median(List<Double> sorted) {
    return sorted.get(sorted.size() / 2);
  }

  /**
   * One timed run on a fresh server: messages per second (wall clock); CPU milliseconds per message of this whole
   * JVM (server and the test's SMTP/IMAP client, the same for every variant) and of its Java threads alone (the
   * client's sending threads, made and ended within the run, not counted; neither are the JIT compiler and the
   * garbage collector, which are not Java threads); milliseconds of JIT compilation per message. CPU time is what
   * other processes on a shared machine disturb least; the JIT share says how far the run is from steady state
   * (each server loads caliop's classes afresh, so they are compiled again in every run).
   */
  private double[] run(Setup setup, List<byte[]> samples, int round) throws Exception {
    Path dir = Files.createTempDirectory(tmp, setup.label + round);
    OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
    String[] users = IntStream.range(0, MAILBOXES).mapToObj(i -> "user" + i).toArray(String[]::new);
    try (JamesServerFixture james = JamesServerFixture.start(dir, setup.variant, setup.pluginJar, setup.hooksJar,
        users)) {
      run(james, samples, WARMUP, 0);
      Map<Long, Long> threadsStart = threadCpu();
      long jitStart = jit.getTotalCompilationTime();
      long cpuStart = os.getProcessCpuTime();
      long start = System.nanoTime();
      run(james, samples, MESSAGES, WARMUP);
      double rate = MESSAGES / ((System.nanoTime() - start) / 1e9);
      double cpuMs = (os.getProcessCpuTime() - cpuStart) / 1e6 / MESSAGES;
      double jitMs = (double) (jit.getTotalCompilationTime() - jitStart) / MESSAGES;
      long threadsNs = 0;
      for (Map.Entry<Long, Long> now : threadCpu().entrySet()) {
        threadsNs += now.getValue() - threadsStart.getOrDefault(now.getKey(), 0L);
      }
      double threadsMs = threadsNs / 1e6 / MESSAGES;
      System.out.printf(Locale.ROOT, "round %d %s %.1f msg/s %.2f CPU ms/msg %.2f threads ms/msg %.3f JIT ms/msg%n",
          round, setup.label, rate, cpuMs, threadsMs, jitMs);
      return new double[] {rate, cpuMs, threadsMs, jitMs};
    }
  }

  /** CPU nanoseconds of each live Java thread, by id. */
  private static Map<Long, Long> threadCpu() {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    Map<Long, Long> out = new HashMap<>();
    for (long id : threads.getAllThreadIds()) {
      long ns = threads.getThreadCpuTime(id);
      if (ns >= 0) {
        out.put(id, ns);
      }
    }
    return out;
  }

  /**
   * Sends messages {@code first} to {@code first + count - 1} over {@link #SESSIONS} sessions, message i to mailbox
   * i modulo {@link #MAILBOXES}, and waits until every mailbox holds what it was sent.
   */
  private static void run(JamesServerFixture james, List<byte[]> samples, int count, int first) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(SESSIONS);
    try {
      List<Future<?>> sent = new ArrayList<>();
      for (int s = 0; s < SESSIONS; s++) {
        int session = s;
        sent.add(pool.submit(() -> {
          Session mail = Session.getInstance(new Properties());
          try (Transport transport = james.openTransport()) {
            for (int i = first + session; i < first + count; i += SESSIONS) {
              MimeMessage message = new MimeMessage(mail,
                  new ByteArrayInputStream(samples.get(i % samples.size())));
              transport.sendMessage(message,
                  new Address[] {new InternetAddress("user" + i % MAILBOXES + "@" + JamesServerFixture.DOMAIN)});
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
    int total = first + count;
    for (int u = 0; u < MAILBOXES; u++) {
      int expected = total / MAILBOXES + (u < total % MAILBOXES ? 1 : 0);
      while (james.inboxCount("user" + u) < expected) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError("not all messages delivered to user" + u);
        }
        Thread.sleep(100);
      }
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
