package org.caliop.bench;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.List;
import java.util.Locale;
import org.caliop.engine.Engine;
import org.caliop.facts.Envelope;
import org.caliop.message.MessageScanner;
import org.caliop.message.ScanLimits;

/**
 * The same workloads as the JMH benchmarks, timed by the CPU time of the measuring thread instead of the wall
 * clock: on a shared machine (other builds running) JMH's wall-clock scores fall with the load, while CPU time per
 * message stays what one core costs. Not a replacement for JMH (no fork control, no blackhole), a cross-check.
 *
 * <p>Run: {@code java -cp bench/target/benchmarks.jar org.caliop.bench.CpuThroughput [seconds [only]]}; with
 * {@code only} (for example {@code evaluate-typical}, {@code scan-multipart-100}) just the workloads whose label
 * contains it run, which is how to profile one of them:
 * {@code java -XX:StartFlightRecording=filename=typical.jfr,settings=profile -cp ... CpuThroughput 20 evaluate-typical}
 * then {@code jfr print --events jdk.ExecutionSample typical.jfr}.
 */
public final class CpuThroughput {
  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  private CpuThroughput() {
  }

  interface Work {
    void run(byte[] message) throws IOException;
  }

  public static void main(String[] args) throws IOException {
    double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 5;
    String only = args.length > 1 ? args[1] : "";
    List<byte[]> mix = SampleMessages.load();
    long mixBytes = mix.stream().mapToLong(m -> m.length).sum();
    Engine engine = Engine.withBuiltInPolicy();
    Work scan = m -> MessageScanner.scan(new ByteArrayInputStream(m), ScanLimits.defaults(), n -> false);
    Work evaluate = m -> engine.assess(null, Envelope.empty(), new ByteArrayInputStream(m));
    System.out.printf(Locale.ROOT, "sample mix: %d messages, %.0f bytes average%n", mix.size(),
        mixBytes / (double) mix.size());
    for (String name : List.of("scan", "evaluate")) {
      Work work = name.equals("scan") ? scan : evaluate;
      if (!(name + "-mix").contains(only)) {
        continue;
      }
      measure(mix, work, seconds / 2);
      double[] r = measure(mix, work, seconds);
      System.out.printf(Locale.ROOT, "%-8s sample mix: %,.0f messages per CPU-second (%,.0f per wall second)%n", name,
          r[0], r[1]);
    }
    byte[] typical = TypicalMessage.build();
    System.out.printf(Locale.ROOT, "typical message: %d bytes%n", typical.length);
    for (String name : List.of("scan", "evaluate")) {
      Work work = name.equals("scan") ? scan : evaluate;
      if (!(name + "-typical").contains(only)) {
        continue;
      }
      measure(List.of(typical), work, seconds / 2);
      double[] r = measure(List.of(typical), work, seconds);
      System.out.printf(Locale.ROOT, "%-8s typical:    %,.0f messages per CPU-second (%,.0f per wall second)%n", name,
          r[0], r[1]);
    }
    for (String shape : List.of("plain", "multipart")) {
      for (int mb : new int[] {10, 100}) {
        byte[] big = null;
        for (String name : List.of("scan", "evaluate")) {
          Work work = name.equals("scan") ? scan : evaluate;
          if (!(name + "-" + shape + "-" + mb).contains(only)) {
            continue;
          }
          if (big == null) {
            big = "plain".equals(shape) ? LargeBodies.plain(mb) : LargeBodies.multipart(mb);
          }
          measure(List.of(big), work, seconds / 2);
          double[] r = measure(List.of(big), work, seconds);
          double mib = big.length / (double) (1 << 20);
          System.out.printf(Locale.ROOT, "%-8s %-9s %3d MB: %,.0f MiB per CPU-second (%,.0f per wall second)%n",
              name, shape, mb, r[0] * mib, r[1] * mib);
        }
      }
    }
  }

  /** Runs the messages in turn for about {@code seconds} of CPU; returns messages per CPU second and per second. */
  private static double[] measure(List<byte[]> messages, Work work, double seconds) throws IOException {
    long cpu0 = THREADS.getCurrentThreadCpuTime();
    long wall0 = System.nanoTime();
    long budget = (long) (seconds * 1e9);
    long count = 0;
    long cpu;
    do {
      for (byte[] m : messages) {
        work.run(m);
        count++;
      }
      cpu = THREADS.getCurrentThreadCpuTime() - cpu0;
    } while (cpu < budget);
    double wall = (System.nanoTime() - wall0) / 1e9;
    return new double[] {count / (cpu / 1e9), count / wall};
  }
}
