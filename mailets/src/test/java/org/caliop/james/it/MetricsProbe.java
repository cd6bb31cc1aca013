package org.caliop.james.it;

import com.codahale.metrics.Meter;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.Timer;
import javax.inject.Inject;
import org.apache.james.utils.GuiceProbe;

/**
 * Reads James's own metric registry (the one behind its MetricFactory, which JMX and the web admin's /metrics
 * export): what an admin's dashboard would show of caliop's counters and timer.
 */
public class MetricsProbe implements GuiceProbe {
  private final MetricRegistry registry;

  @Inject
  public MetricsProbe(MetricRegistry registry) {
    this.registry = registry;
  }

  /** A counter's value (James makes its counters DropWizard meters); -1 when James has none of that name. */
  public long counter(String name) {
    Meter m = registry.getMeters().get(name);
    return m == null ? -1 : m.getCount();
  }

  /** How many times the timer was published; -1 when James has no timer of that name. */
  public long timerCount(String name) {
    Timer t = registry.getTimers().get(name);
    return t == null ? -1 : t.getCount();
  }
}
