package org.caliop.james.it;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
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
 *     -Dit.test=JamesThroughputIT -Dcaliop.bench=true [-Dcaliop.bench.messages=1000] [-Dcaliop.bench.sessions=4]
 * </pre>
 *
 * Each variant gets a fresh server; a warm-up batch is delivered before the timed batch. Messages are the real
 * OpenPGP and S/MIME samples of ../shared/fixtures, round-robin. The result table is printed and written to
 * {@code target/bench-james.txt}.
 */
@EnabledIfSystemProperty(named = "caliop.bench", matches = "true")
class JamesThroughputIT {
  private static final int MESSAGES = Integer.getInteger("caliop.bench.messages", 1000);
  private static final int WARMUP = Integer.getInteger("caliop.bench.warmup", 200);
  private static final int SESSIONS = Integer.getInteger("caliop.bench.sessions", 4);

  @TempDir
  Path tmp;

  @Test
  void measure() throws Exception {
    List<byte[]> samples = samples();
    StringBuilder report = new StringBuilder(String.format(Locale.ROOT,
        "James 3.8.1 memory app, in-process; %d messages (%d samples, mean %d bytes), %d SMTP sessions, "
            + "%d cores%n%-22s %10s %10s%n", MESSAGES, samples.size(),
        samples.stream().mapToInt(b -> b.length).sum() / samples.size(), SESSIONS,
        Runtime.getRuntime().availableProcessors(), "variant", "msgs/s", "seconds"));
    for (Variant variant : new Variant[] {Variant.BARE, Variant.CALIOP_MAILETS_ONLY, Variant.CALIOP,
        Variant.BARE}) {
      Path dir = Files.createTempDirectory(tmp, variant.name().toLowerCase(Locale.ROOT));
      try (JamesServerFixture james = JamesServerFixture.start(dir, variant, "bob")) {
        run(james, samples, WARMUP, 0);
        long start = System.nanoTime();
        run(james, samples, MESSAGES, WARMUP);
        double seconds = (System.nanoTime() - start) / 1e9;
        report.append(String.format(Locale.ROOT, "%-22s %10.1f %10.2f%n", variant.name().toLowerCase(Locale.ROOT),
            MESSAGES / seconds, seconds));
      }
    }
    System.out.print(report);
    Files.writeString(Path.of("target/bench-james.txt"), report, StandardCharsets.UTF_8);
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
