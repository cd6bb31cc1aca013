package org.caliop.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.function.Supplier;

/**
 * The per-call CPU cost of one operation, for the {@code main} of a benchmark class: {@code n} calls to warm up, then
 * five rounds of {@code n} calls timed by the measuring thread's CPU clock, the least per call. CPU time, not the wall
 * clock, so the figure holds on a machine shared with other builds.
 */
public final class CpuBestOf {
  private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();
  /** Every result's hash is added here, so the JIT cannot drop the calls. */
  private static volatile long sink;

  private CpuBestOf() {
  }

  /** CPU nanoseconds per call of {@code op}, best of five rounds of {@code n} calls after {@code n} to warm up. */
  public static double nanosPerCall(Supplier<?> op, int n) {
    long s = 0;
    for (int k = 0; k < n; k++) {
      s += op.get().hashCode();
    }
    double best = Double.MAX_VALUE;
    for (int round = 0; round < 5; round++) {
      long t0 = CPU.getCurrentThreadCpuTime();
      for (int k = 0; k < n; k++) {
        s += op.get().hashCode();
      }
      best = Math.min(best, (CPU.getCurrentThreadCpuTime() - t0) / (double) n);
    }
    sink += s;
    return best;
  }
}
