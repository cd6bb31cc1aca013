package org.caliop.milter.ops;

import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/** Counters and one latency histogram, rendered in the Prometheus text format. Thread-safe, lock-free. */
public final class Metrics {
  private static final double[] BUCKETS = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5,
      10, 30};

  private final LongAdder messages = new LongAdder();
  private final Map<String, LongAdder> actions = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> grades = new ConcurrentHashMap<>();
  private final Map<String, LongAdder> errors = new ConcurrentHashMap<>();
  private final LongAdder reloads = new LongAdder();
  private final LongAdder reloadFailures = new LongAdder();
  private final LongAdder[] bucketCounts = new LongAdder[BUCKETS.length];
  private final LongAdder latencyCount = new LongAdder();
  private final AtomicLong latencyNanosSum = new AtomicLong();
  private final AtomicLong sessions = new AtomicLong();
  private final AtomicLong inFlight = new AtomicLong();

  public Metrics() {
    for (int i = 0; i < BUCKETS.length; i++) {
      bucketCounts[i] = new LongAdder();
    }
  }

  public void message(String action, String grade, long evalNanos) {
    messages.increment();
    actions.computeIfAbsent(action, k -> new LongAdder()).increment();
    if (grade != null) {
      grades.computeIfAbsent(grade, k -> new LongAdder()).increment();
    }
    double seconds = evalNanos / 1e9;
    for (int i = 0; i < BUCKETS.length; i++) {
      if (seconds <= BUCKETS[i]) {
        bucketCounts[i].increment();
      }
    }
    latencyCount.increment();
    latencyNanosSum.addAndGet(evalNanos);
  }

  /** An error of a kind: internal, overload, timeout, protocol. */
  public void error(String kind) {
    errors.computeIfAbsent(kind, k -> new LongAdder()).increment();
  }

  public void reload(boolean ok) {
    (ok ? reloads : reloadFailures).increment();
  }

  public void sessionOpened() {
    sessions.incrementAndGet();
  }

  public void sessionClosed() {
    sessions.decrementAndGet();
  }

  public void inFlight(int delta) {
    inFlight.addAndGet(delta);
  }

  public long inFlight() {
    return inFlight.get();
  }

  public long messages() {
    return messages.sum();
  }

  public long errors(String kind) {
    LongAdder a = errors.get(kind);
    return a == null ? 0 : a.sum();
  }

  public String render() {
    StringBuilder sb = new StringBuilder(2048);
    counter(sb, "caliop_messages_total", "Messages judged.", messages.sum());
    labelled(sb, "caliop_actions_total", "Messages by the action taken.", "action", actions);
    labelled(sb, "caliop_grades_total", "Messages by privacy grade.", "grade", grades);
    labelled(sb, "caliop_errors_total", "Messages answered with caliop_on_error, by cause.", "kind", errors);
    counter(sb, "caliop_policy_reloads_total", "Successful policy reloads.", reloads.sum());
    counter(sb, "caliop_policy_reload_failures_total", "Failed policy reloads (the old policy stays).",
        reloadFailures.sum());
    gauge(sb, "caliop_sessions", "Open milter connections.", sessions.get());
    gauge(sb, "caliop_messages_in_flight", "Messages between MAIL FROM and our final answer.", inFlight.get());
    sb.append("# HELP caliop_eval_seconds Time from end of message to our answer.\n");
    sb.append("# TYPE caliop_eval_seconds histogram\n");
    for (int i = 0; i < BUCKETS.length; i++) {
      sb.append("caliop_eval_seconds_bucket{le=\"").append(format(BUCKETS[i])).append("\"} ")
          .append(bucketCounts[i].sum()).append('\n');
    }
    sb.append("caliop_eval_seconds_bucket{le=\"+Inf\"} ").append(latencyCount.sum()).append('\n');
    sb.append("caliop_eval_seconds_sum ").append(format(latencyNanosSum.get() / 1e9)).append('\n');
    sb.append("caliop_eval_seconds_count ").append(latencyCount.sum()).append('\n');
    return sb.toString();
  }

  private static void counter(StringBuilder sb, String name, String help, long value) {
    sb.append("# HELP ").append(name).append(' ').append(help).append('\n');
    sb.append("# TYPE ").append(name).append(" counter\n");
    sb.append(name).append(' ').append(value).append('\n');
  }

  private static void gauge(StringBuilder sb, String name, String help, long value) {
    sb.append("# HELP ").append(name).append(' ').append(help).append('\n');
    sb.append("# TYPE ").append(name).append(" gauge\n");
    sb.append(name).append(' ').append(value).append('\n');
  }

  private static void labelled(StringBuilder sb, String name, String help, String label, Map<String, LongAdder> m) {
    sb.append("# HELP ").append(name).append(' ').append(help).append('\n');
    sb.append("# TYPE ").append(name).append(" counter\n");
    m.entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> sb.append(name).append('{').append(label)
        .append("=\"").append(e.getKey()).append("\"} ").append(e.getValue().sum()).append('\n'));
  }

  private static String format(double d) {
    return String.format(Locale.ROOT, "%s", d);
  }
}
