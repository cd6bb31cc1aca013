package org.caliop.milter.ops;

import java.io.IOException;
import java.time.Clock;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.caliop.crypto.EncryptionSettings;
import org.caliop.crypto.KeyInventory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the key gauges ({@code caliop_keys_unusable}, {@code caliop_keys_expiring},
 * {@code caliop_keys_next_expiry_timestamp_seconds}) in step with the keys the policy in force names: read at start,
 * then again after a policy reload or a change to {@code keys_dir}. A reading after start runs on a thread of its
 * own, so the message whose encryption noticed the change does not wait for it; readings asked for while one waits
 * are one. What is read never stops anything: a key that expires, or keys that cannot be read, are only counted.
 */
public final class KeyMetrics implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(KeyMetrics.class);

  private final Metrics metrics;
  private final Supplier<EncryptionSettings> settings;
  private final Clock clock;
  private final ExecutorService reader = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
      r -> {
        Thread t = new Thread(r, "caliop-key-metrics");
        t.setDaemon(true);
        return t;
      });
  private final AtomicBoolean pending = new AtomicBoolean();

  /** @param settings the {@code encryption:} section of the policy in force, asked at each reading */
  public KeyMetrics(Metrics metrics, Supplier<EncryptionSettings> settings, Clock clock) {
    this.metrics = Objects.requireNonNull(metrics);
    this.settings = Objects.requireNonNull(settings);
    this.clock = Objects.requireNonNull(clock);
  }

  /** Reads the keys now, on the caller's thread (at start). */
  public void readNow() {
    try {
      EncryptionSettings s = settings.get();
      metrics.keys(s.configured() ? KeyCounts.of(KeyInventory.read(s, clock.instant())) : KeyCounts.NONE);
    } catch (IOException | RuntimeException e) {
      LOG.warn("caliop: key metrics: the keys cannot be read, counted as one unusable source: {}", e.getMessage());
      metrics.keys(KeyCounts.unreadable());
    }
  }

  /** Reads the keys soon, on the key metrics' own thread. */
  public void readLater() {
    if (!pending.compareAndSet(false, true)) {
      return;
    }
    try {
      reader.execute(() -> {
        pending.set(false);
        readNow();
      });
    } catch (RejectedExecutionException e) {
      pending.set(false); // closed
    }
  }

  @Override
  public void close() {
    reader.shutdownNow();
  }
}
