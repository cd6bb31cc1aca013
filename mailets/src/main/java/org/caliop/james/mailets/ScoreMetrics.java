package org.caliop.james.mailets;

import java.util.EnumMap;
import java.util.Map;
import org.apache.james.metrics.api.Metric;
import org.apache.james.metrics.api.MetricFactory;
import org.apache.james.metrics.api.TimeMetric;
import org.caliop.engine.Disposition;

/**
 * What {@link CaliopScore} counts, through James's own {@link MetricFactory}, so caliop's figures appear wherever
 * James's do (JMX, the web admin's {@code /metrics}, Elasticsearch), named in James's style as its own
 * {@code outgoingMails} or {@code RemoteDeliveryTrial} are (docs/james.md, "Metrics"): {@code caliopJudgedMails-}
 * and the disposition, {@code caliopErrors-} and the kind of failure, and the timer {@code caliopJudgement}. Every
 * counter is made when the mailet starts, so each series exists at 0 before the first mail.
 */
final class ScoreMetrics {
  static final String JUDGED = "caliopJudgedMails-";
  static final String ERRORS = "caliopErrors-";
  static final String JUDGEMENT = "caliopJudgement";

  /** The kinds of failure, as {@code error=} on the log line. */
  enum Failure {
    /** The message could not be read or judged (an exception from the message or the engine). */
    UNREADABLE_MESSAGE,
    /** Past a hard bound: more header fields only our servers may write than the engine counts. */
    LIMIT,
    /** The encrypted form the policy asked for could not be built (the mail goes to the error processor). */
    ENCRYPTION;

    String token() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  private final MetricFactory factory;
  private final Map<Disposition.Kind, Metric> judged = new EnumMap<>(Disposition.Kind.class);
  private final Map<Failure, Metric> errors = new EnumMap<>(Failure.class);

  /** {@code factory} null: counts nothing (CaliopScore made outside James's injector, as in the mailet test kit). */
  ScoreMetrics(MetricFactory factory) {
    this.factory = factory;
    if (factory != null) {
      for (Disposition.Kind k : Disposition.Kind.values()) {
        judged.put(k, factory.generate(JUDGED + k.token()));
      }
      for (Failure f : Failure.values()) {
        errors.put(f, factory.generate(ERRORS + f.token()));
      }
    }
  }

  void judged(Disposition.Kind kind) {
    Metric m = judged.get(kind);
    if (m != null) {
      m.increment();
    }
  }

  void failed(Failure failure) {
    Metric m = errors.get(failure);
    if (m != null) {
      m.increment();
    }
  }

  /** A running judgement timer; {@link Timer#stop()} publishes it. */
  Timer start() {
    TimeMetric t = factory == null ? null : factory.timer(JUDGEMENT);
    return () -> {
      if (t != null) {
        t.stopAndPublish();
      }
    };
  }

  interface Timer {
    void stop();
  }
}
