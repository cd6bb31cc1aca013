package org.caliop.milter.ops;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.core.metrics.Info;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Clock;
import java.util.concurrent.atomic.AtomicLong;
import org.caliop.crypto.KeyInventory;
import org.caliop.engine.BuildInfo;

/**
 * The daemon's metrics, on the Prometheus Java client 1.x (its counters and histogram are lock-free; exemplars are
 * off, nothing here traces). One registry per daemon, with the JVM's and the process's own metrics
 * ({@code jvm_*}, {@code process_*}) and {@code caliop_build_info}. Names and labels are in docs/milter.md.
 */
public final class Metrics {
  /** Seconds; the same buckets as before the move to the Prometheus client, so dashboards keep working. */
  private static final double[] BUCKETS = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5,
      10, 30};

  private final PrometheusRegistry registry = new PrometheusRegistry();
  private final Clock clock;
  private final Counter messages;
  private final Counter actions;
  private final Counter grades;
  private final Counter errors;
  private final Counter reloads;
  private final Counter reloadFailures;
  private final Gauge lastReload;
  private final Gauge lastReloadSuccessful;
  private final Gauge lastReloadSuccess;
  private final Counter keysReloads;
  private final Counter keysReloadFailures;
  private final Histogram eval;
  private volatile KeyCounts keyCounts = KeyCounts.NONE;
  /** Kept beside the gauge: the daemon's graceful stop waits on it. */
  private final AtomicLong inFlight = new AtomicLong();
  private final AtomicLong sessions = new AtomicLong();

  public Metrics() {
    this(Clock.systemUTC());
  }

  Metrics(Clock clock) {
    this.clock = clock;
    messages = Counter.builder().name("caliop_messages_total").help("Messages judged.").withoutExemplars()
        .register(registry);
    actions = Counter.builder().name("caliop_actions_total").help("Messages by the action taken.")
        .labelNames("action").withoutExemplars().register(registry);
    grades = Counter.builder().name("caliop_grades_total").help("Messages by privacy grade.").labelNames("grade")
        .withoutExemplars().register(registry);
    errors = Counter.builder().name("caliop_errors_total")
        .help("Messages answered with caliop_on_error, by cause.").labelNames("kind").withoutExemplars()
        .register(registry);
    reloads = Counter.builder().name("caliop_policy_reloads_total").help("Successful policy reloads.")
        .withoutExemplars().register(registry);
    reloadFailures = Counter.builder().name("caliop_policy_reload_failures_total")
        .help("Failed policy reloads (the old policy stays).").withoutExemplars().register(registry);
    lastReload = Gauge.builder().name("caliop_policy_last_reload_timestamp_seconds")
        .help("When the policy was last loaded or a reload was last tried (SIGHUP or a changed file).")
        .withoutExemplars().register(registry);
    lastReloadSuccessful = Gauge.builder().name("caliop_policy_last_reload_successful")
        .help("1 when the last load or reload of the policy succeeded, 0 when the previous policy stayed.")
        .withoutExemplars().register(registry);
    lastReloadSuccess = Gauge.builder().name("caliop_policy_last_reload_success_timestamp_seconds")
        .help("When the policy in force was loaded.").withoutExemplars().register(registry);
    keysReloads = Counter.builder().name("caliop_keys_reloads_total")
        .help("Readings of keys_dir after a change, taken without a policy reload.").withoutExemplars()
        .register(registry);
    keysReloadFailures = Counter.builder().name("caliop_keys_reload_failures_total")
        .help("Readings of keys_dir after a change that were refused (the keys in force stay).").withoutExemplars()
        .register(registry);
    long warnDays = KeyInventory.DEFAULT_EXPIRY_WARNING.toDays();
    GaugeWithCallback.builder().name("caliop_keys_unusable")
        .help("Keys in keys_dir and pgp_keyring that are not used (expired, revoked, too weak, no encryption key),"
            + " plus files holding secret key material or that cannot be read or parsed.")
        .callback(c -> c.call(keyCounts.unusableAt(clock.instant()))).register(registry);
    GaugeWithCallback.builder().name("caliop_keys_expiring")
        .help("Usable keys expiring within " + warnDays + " days (the warning horizon of caliop keys check).")
        .callback(c -> c.call(keyCounts.expiringAt(clock.instant(), KeyInventory.DEFAULT_EXPIRY_WARNING)))
        .register(registry);
    GaugeWithCallback.builder().name("caliop_keys_next_expiry_timestamp_seconds")
        .help("When the usable key that expires first expires; no sample when no usable key expires.")
        .callback(c -> keyCounts.nextExpiryAfter(clock.instant()).ifPresent(t -> c.call(t.toEpochMilli() / 1000.0)))
        .register(registry);
    io.prometheus.metrics.core.metrics.GaugeWithCallback.builder().name("caliop_sessions")
        .help("Open milter connections.").callback(c -> c.call(sessions.get())).register(registry);
    io.prometheus.metrics.core.metrics.GaugeWithCallback.builder().name("caliop_messages_in_flight")
        .help("Messages between MAIL FROM and our final answer.").callback(c -> c.call(inFlight.get()))
        .register(registry);
    eval = Histogram.builder().name("caliop_eval_seconds").help("Time from end of message to our answer.")
        .classicOnly().classicUpperBounds(BUCKETS).withoutExemplars().register(registry);
    BuildInfo build = BuildInfo.current();
    Info info = Info.builder().name("caliop_build_info")
        .help("The release and the score formula version this daemon stamps (v= in Caliop-Privacy).")
        .labelNames("version", "score_formula", "java").register(registry);
    info.setLabelValues(build.version(), build.scoreFormulaVersion(), Runtime.version().toString());
    JvmMetrics.builder().register(registry);
    policyLoaded(true);
  }

  /** What the endpoint serves. */
  public PrometheusRegistry registry() {
    return registry;
  }

  public void message(String action, String grade, long evalNanos) {
    messages.inc();
    actions.labelValues(action).inc();
    if (grade != null) {
      grades.labelValues(grade).inc();
    }
    eval.observe(evalNanos / 1e9);
  }

  /** An error of a kind: internal, spill, overload, timeout, send. */
  public void error(String kind) {
    errors.labelValues(kind).inc();
  }

  /** A reload was tried (SIGHUP or the file watch); {@code ok} false when the previous policy stayed. */
  public void reload(boolean ok) {
    (ok ? reloads : reloadFailures).inc();
    policyLoaded(ok);
  }

  /** keys_dir changed and was read again; {@code ok} false when the keys in force stayed. */
  public void keysReload(boolean ok) {
    (ok ? keysReloads : keysReloadFailures).inc();
  }

  /** A reading of the keys (at start, after a policy reload, after keys_dir changed): what the key gauges count. */
  void keys(KeyCounts counts) {
    keyCounts = counts;
  }

  private void policyLoaded(boolean ok) {
    double now = clock.millis() / 1000.0;
    lastReload.set(now);
    lastReloadSuccessful.set(ok ? 1 : 0);
    if (ok) {
      lastReloadSuccess.set(now);
    }
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
}
