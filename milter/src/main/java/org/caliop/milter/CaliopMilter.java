package org.caliop.milter;

import io.netty.util.HashedWheelTimer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.caliop.engine.Engine;
import org.caliop.engine.EncryptorSource;
import org.caliop.milter.config.ListenAddress;
import org.caliop.milter.config.MilterConfig;
import org.caliop.milter.ops.KeyMetrics;
import org.caliop.milter.ops.Metrics;
import org.caliop.milter.ops.MetricsServer;
import org.caliop.milter.seal.FactsSeal;
import org.caliop.milter.seal.SealKeys;
import org.caliop.spill.SpillDirectory;
import org.nightcode.milter.util.Log;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The running daemon: listeners, worker pool, policy, metrics. Stop it with {@link #close()} (graceful). */
public final class CaliopMilter implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger("caliop");

  private final MilterConfig config;
  private final PolicySource policy;
  private final Metrics metrics = new Metrics();
  private final KeyMetrics keyMetrics;
  private final ThreadPoolExecutor workers;
  private final ThreadPoolExecutor spill;
  private final SpillDirectory spillDirectory;
  private final HashedWheelTimer timers;
  private final CaliopMilterHandler handler;
  private final MilterServer server;
  private final List<SocketAddress> addresses;
  private final java.util.Map<ListenRole, List<SocketAddress>> byRole = new java.util.EnumMap<>(ListenRole.class);
  private final MetricsServer metricsServer;
  private volatile boolean closed;

  private CaliopMilter(MilterConfig configured, PolicySource policy, EncryptorSource encryptors)
      throws IOException, InterruptedException {
    JmilterLogging.install();
    // Our own directory under caliop_spill_directory; what a killed daemon left there goes first.
    this.spillDirectory = SpillDirectory.open(configured.spillDirectory());
    if (spillDirectory.swept() > 0) {
      LOG.warn("caliop: deleted {} spill files left in {} by a daemon that did not stop cleanly",
          spillDirectory.swept(), configured.spillDirectory());
    }
    MilterConfig config = configured.withSpillDirectory(spillDirectory.path());
    this.config = config;
    this.policy = policy;
    // The key gauges: read now (an expiring or broken key never stops the start), then after every reloading.
    this.keyMetrics = new KeyMetrics(metrics, () -> policy.get().encryption(), Clock.systemUTC());
    policy.onReload(ok -> {
      metrics.reload(ok);
      keyMetrics.readLater();
    });
    encryptors.onKeysReload(ok -> {
      metrics.keysReload(ok);
      keyMetrics.readLater();
    });
    keyMetrics.readNow();
    int n = config.effectiveWorkers();
    this.workers = new ThreadPoolExecutor(n, n, 60, TimeUnit.SECONDS, new ArrayBlockingQueue<>(config.queueSize()),
        daemonThreads("caliop-worker"));
    // Spill-file writes of large messages, off the network threads; bounded by back-pressure per connection.
    this.spill = new ThreadPoolExecutor(2, 2, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(),
        daemonThreads("caliop-spill"));
    // The eval timeout: a wheel costs no wake-up to arm or cancel (a scheduled executor wakes its thread for
    // every new earliest deadline: once per message at low load); 50 ms of slack is nothing against 60 s.
    this.timers = new HashedWheelTimer(daemonThreads("caliop-timer"), 50, TimeUnit.MILLISECONDS, 512);
    Judge judge = new Judge(Engine.builder(policy)
        .encryptors(encryptors)
        .spill(config.memoryBufferSize(), config.spillDirectory())
        .fullOutboundHeaders(config.fullOutboundHeaders())
        .build());
    // A key file that cannot be made or read stops the start: the re-injection listener would judge every message
    // as a loopback client, and the fronts could not seal.
    FactsSeal seal = config.sealKeyFile().isPresent()
        ? new FactsSeal(SealKeys.readOrCreate(config.sealKeyFile().get())) : null;
    this.handler = new CaliopMilterHandler(config, policy, judge, workers, spill, timers, metrics, seal);
    this.server = new MilterServer(config, handler);
    MetricsServer ms = null;
    try {
      byRole.put(ListenRole.SMTP, server.bind(config.listen(), ListenRole.SMTP));
      byRole.put(ListenRole.LOCAL, server.bind(config.localListen(), ListenRole.LOCAL));
      byRole.put(ListenRole.REINJECT, server.bind(config.reinjectListen(), ListenRole.REINJECT));
      List<SocketAddress> all = new java.util.ArrayList<>();
      byRole.values().forEach(all::addAll);
      this.addresses = List.copyOf(all);
      if (config.metricsListen().isPresent()) {
        ListenAddress m = config.metricsListen().get();
        ms = MetricsServer.start(new InetSocketAddress(m.host(), m.port()), metrics);
      }
    } catch (IOException | RuntimeException | InterruptedException e) {
      server.close();
      workers.shutdownNow();
      spill.shutdownNow();
      timers.stop();
      spillDirectory.close();
      keyMetrics.close();
      throw e;
    }
    this.metricsServer = ms;
    LOG.info("caliop: milter listening on {} policy={} workers={} on_error={}{}", addresses, policy.get().source(),
        n, config.onError().token(), ms == null ? "" : " metrics=" + ms.address());
  }

  /** Starts with the policy named in the config (or the built-in one). */
  public static CaliopMilter start(MilterConfig config) throws IOException, InterruptedException {
    return new CaliopMilter(config, Policies.open(config), EncryptorSource.keys(Clock.systemUTC()));
  }

  static CaliopMilter start(MilterConfig config, PolicySource policy) throws IOException, InterruptedException {
    return new CaliopMilter(config, policy, EncryptorSource.keys(Clock.systemUTC()));
  }

  /** With encryptors from elsewhere than the policy's keys (tests). */
  static CaliopMilter start(MilterConfig config, PolicySource policy, EncryptorSource encryptors)
      throws IOException, InterruptedException {
    return new CaliopMilter(config, policy, encryptors);
  }

  /** Bound addresses: caliop_listen's in order, then caliop_local_listen's, then caliop_reinject_listen's. */
  public List<SocketAddress> addresses() {
    return addresses;
  }

  /** The addresses bound for one role, in the order of its setting. */
  List<SocketAddress> addresses(ListenRole role) {
    return byRole.getOrDefault(role, List.of());
  }

  public Optional<InetSocketAddress> metricsAddress() {
    return Optional.ofNullable(metricsServer).map(MetricsServer::address);
  }

  /** Re-reads the policy; on error the old one stays and the error is logged. */
  public void reload() {
    try {
      policy.reload();
      LOG.info("caliop: policy reloaded from {}", policy.get().source());
    } catch (Exception e) {
      LOG.error("caliop: policy reload failed, keeping the previous policy: {}", e.getMessage());
    }
  }

  /**
   * Graceful stop: no new connections, and a message started on an open connection from now on is refused with a
   * 4xx; messages in progress get up to caliop_shutdown_timeout to finish and be answered; then every
   * connection is closed (Postfix applies milter_default_action to later messages).
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    long deadline = System.nanoTime() + config.shutdownTimeout().toNanos();
    handler.drain();
    server.stopAccepting();
    while (metrics.inFlight() > 0 && System.nanoTime() < deadline) {
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    workers.shutdown();
    try {
      workers.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    long left = metrics.inFlight();
    server.close();
    workers.shutdownNow();
    spill.shutdownNow();
    timers.stop();
    keyMetrics.close();
    if (metricsServer != null) {
      metricsServer.close();
    }
    policy.close();
    spillDirectory.close();
    LOG.info("caliop: milter stopped{}", left > 0 ? " (" + left + " messages unfinished)" : "");
  }

  private static java.util.concurrent.ThreadFactory daemonThreads(String name) {
    java.util.concurrent.atomic.AtomicInteger n = new java.util.concurrent.atomic.AtomicInteger();
    return r -> {
      Thread t = new Thread(r, name + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }

  /** jmilter prints to System.out until told otherwise. */
  private static final class JmilterLogging {
    private static volatile boolean installed;

    static synchronized void install() {
      if (installed) {
        return;
      }
      installed = true;
      Logger jm = LoggerFactory.getLogger("caliop.jmilter");
      Log.setLoggingHandler(new Slf4j(jm, 0), new Slf4j(jm, 0), new Slf4j(jm, 1), new Slf4j(jm, 2), new Slf4j(jm, 2));
    }
  }

  private record Slf4j(Logger log, int level) implements Log.LoggingHandler {
    @Override
    public void log(Class<?> clazz, String message) {
      log(clazz, () -> message, null);
    }

    @Override
    public void log(Class<?> clazz, String message, Object... params) {
      if (level == 0) {
        log.debug(message, params);
      } else if (level == 1) {
        log.warn(message, params);
      } else {
        log.error(message, params);
      }
    }

    @Override
    public void log(Class<?> clazz, String message, Throwable thrown) {
      log(clazz, () -> message, thrown);
    }

    @Override
    public void log(Class<?> clazz, java.util.function.Supplier<String> supplier, Throwable thrown) {
      if (level == 0) {
        if (log.isDebugEnabled()) {
          log.debug(supplier.get(), thrown);
        }
      } else if (level == 1) {
        log.warn(supplier.get(), thrown);
      } else {
        log.error(supplier.get(), thrown);
      }
    }
  }
}
