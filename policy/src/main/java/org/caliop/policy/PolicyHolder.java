package org.caliop.policy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The policy in force, swapped whole on reload: readers get a complete compiled policy or the previous one, never a
 * half-loaded one (one volatile reference). A file with an error is logged as {@code file:line:column: reason} and
 * the old policy stays.
 *
 * <p>Reload on demand with {@link #reload()} (adapters call it on SIGHUP or an admin command), or start a watcher
 * with {@link #watch(Duration)}: it polls the file's modification time, size and identity, and on a change its
 * content digest. Polling, not WatchService, because editors and config managers replace files by rename or swap a
 * symlink (Kubernetes ConfigMaps), which a directory watch misses or reports as delete-and-create, and because
 * WatchService on some file systems (NFS, overlay, macOS) is itself polling or silent.
 */
public final class PolicyHolder implements Supplier<Policy>, AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(PolicyHolder.class);

  private final Path file;
  private volatile Policy current;
  /** Whether a file was ever loaded (before, a failed load keeps nothing and says nothing of keeping). */
  private boolean loaded;
  private final Object reloadLock = new Object();
  private ScheduledExecutorService watcher;
  private ScheduledFuture<?> watch;
  /** Last seen file identity, guarded by reloadLock. */
  private Object lastKey;
  private long lastModified = Long.MIN_VALUE;
  private long lastSize = -1;
  private byte[] lastDigest;
  /** Told of every reload attempt, the watcher's too (the milter's reload metrics). */
  private volatile Consumer<ReloadResult> listener = r -> { };

  private PolicyHolder(Path file, Policy initial) {
    this.file = file;
    this.current = initial;
  }

  /** Loads {@code file} now; fails when the first load fails (there is no old policy to keep). */
  public static PolicyHolder load(Path file) throws PolicyException {
    PolicyHolder h = new PolicyHolder(Objects.requireNonNull(file), Policy.builtIn());
    ReloadResult r = h.reload();
    if (!r.reloaded()) {
      throw new PolicyException(r.problems());
    }
    return h;
  }

  /** The policy in force; one volatile read. */
  @Override
  public Policy get() {
    return current;
  }

  public Path file() {
    return file;
  }

  /**
   * Calls {@code listener} after every reload from now on, whether on demand or by the watcher, on the thread that
   * reloaded; replaces an earlier listener.
   */
  public void onReload(Consumer<ReloadResult> listener) {
    this.listener = Objects.requireNonNull(listener);
  }

  /** Reads the file again; on success swaps it in, on error logs each problem and keeps the old policy. */
  public ReloadResult reload() {
    ReloadResult result = load();
    listener.accept(result);
    return result;
  }

  private ReloadResult load() {
    synchronized (reloadLock) {
      Fingerprint before = fingerprint();
      PolicyLoader.Result r = PolicyLoader.check(file);
      if (before != null) {
        remember(before);
      }
      if (!r.ok()) {
        // At start-up there is nothing to keep: the caller reports the problems and does not start.
        if (loaded) {
          for (Problem p : r.errors()) {
            LOG.error("caliop: policy reload failed, keeping {}: {}", current.source(), p);
          }
        }
        return new ReloadResult(false, r.problems());
      }
      loaded = true;
      for (Problem p : r.problems()) {
        LOG.warn("caliop: {}", p);
      }
      current = r.policy();
      LOG.info("caliop: policy={} loaded domains={} users={} mode={}", file, r.policy().domainRuleCount(),
          r.policy().userRuleCount(), r.policy().dryRun() ? "dry-run" : "enforce");
      return new ReloadResult(true, r.problems());
    }
  }

  /** Starts polling the file every {@code interval}; a no-op when already watching. */
  public synchronized void watch(Duration interval) {
    if (watch != null) {
      return;
    }
    watcher = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "caliop-policy-watch");
      t.setDaemon(true);
      return t;
    });
    long ms = Math.max(1, interval.toMillis());
    watch = watcher.scheduleWithFixedDelay(this::pollOnce, ms, ms, TimeUnit.MILLISECONDS);
  }

  /** Stops the watcher and waits for a running poll to finish. */
  public synchronized void stopWatching() {
    if (watcher == null) {
      return;
    }
    watch.cancel(false);
    watcher.shutdown();
    try {
      watcher.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    watcher = null;
    watch = null;
  }

  @Override
  public void close() {
    stopWatching();
  }

  /** One watcher step: reloads when the file changed since the last load or poll. Visible for tests. */
  boolean pollOnce() {
    try {
      synchronized (reloadLock) {
        Fingerprint now = fingerprint();
        if (now == null || now.sameAs(lastKey, lastModified, lastSize, lastDigest)) {
          return false;
        }
        reload();
        return true;
      }
    } catch (RuntimeException e) {
      // A watcher that dies stops all future reloads: log and keep polling.
      LOG.error("caliop: policy watch of {} failed: {}", file, e.toString());
      return false;
    }
  }

  private void remember(Fingerprint f) {
    lastKey = f.key;
    lastModified = f.modified;
    lastSize = f.size;
    lastDigest = f.digest;
  }

  /** Attributes and digest of the file, or null when it cannot be read now (being replaced, gone). */
  private Fingerprint fingerprint() {
    try {
      BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
      byte[] digest = null;
      if (a.size() <= PolicyText.MAX_BYTES) {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        try (InputStream in = Files.newInputStream(file)) {
          byte[] buf = new byte[8192];
          for (int n = in.read(buf); n > 0; n = in.read(buf)) {
            md.update(buf, 0, n);
          }
        }
        digest = md.digest();
      }
      return new Fingerprint(a.fileKey(), a.lastModifiedTime().toMillis(), a.size(), digest);
    } catch (IOException e) {
      return null;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }

  private static final class Fingerprint {
    final Object key;
    final long modified;
    final long size;
    final byte[] digest;

    Fingerprint(Object key, long modified, long size, byte[] digest) {
      this.key = key;
      this.modified = modified;
      this.size = size;
      this.digest = digest;
    }

    /** Same content: the digest decides (a touch or a same-content rewrite is no change). */
    boolean sameAs(Object otherKey, long otherModified, long otherSize, byte[] otherDigest) {
      if (digest != null && otherDigest != null) {
        return Arrays.equals(digest, otherDigest);
      }
      return Objects.equals(key, otherKey) && modified == otherModified && size == otherSize;
    }
  }

  /** What a reload did. */
  public static final class ReloadResult {
    private final boolean reloaded;
    private final List<Problem> problems;

    ReloadResult(boolean reloaded, List<Problem> problems) {
      this.reloaded = reloaded;
      this.problems = List.copyOf(problems);
    }

    /** True when the new policy is in force; false when the old one stays. */
    public boolean reloaded() { return reloaded; }

    /** Errors (when not reloaded) and warnings. */
    public List<Problem> problems() { return problems; }
  }
}
