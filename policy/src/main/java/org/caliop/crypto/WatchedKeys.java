package org.caliop.crypto;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway encryptor over the keys a policy's {@code encryption:} section names, following changes to
 * {@code keys_dir} and {@code pgp_keyring} without a policy reload: a key dropped into the directory is used for the
 * next message, as an admin who has just been told "no key for bob@example.net" expects.
 *
 * <p>Checked when a message is encrypted, at most once per interval: the directory is listed and each file's name,
 * size, modification time and identity compared with what the keys in force were read from (polling, not a
 * {@code WatchService}, for the reasons the policy file is polled: files replaced by rename, symlinks swapped,
 * network file systems). On a change one thread reads the keys again while the others go on with the keys in force.
 * A reading is taken only when it succeeds and brings no failure the keys in force did not have (see
 * {@link RecipientKeys#failures()}: the directory gone, a file unreadable, broken or secret key material); otherwise
 * the old keys stay, the reason is logged and counted, and the next change is read again. A half-copied file is thus
 * ignored until its copy ends (its size and time change again).
 */
public final class WatchedKeys implements GatewayEncryptor {
  private static final Logger LOG = LoggerFactory.getLogger(WatchedKeys.class);
  /** How often, at most, the key sources are looked at (a directory listing and a stat per file). */
  public static final Duration CHECK_INTERVAL = Duration.ofSeconds(2);

  /** Told of every reading after the first: {@code ok} false when the old keys stayed. */
  public interface Listener {
    void keysReloaded(boolean ok);
  }

  private final EncryptionSettings settings;
  private final Clock clock;
  private final long intervalNanos;
  private final LongSupplier nanoTime;
  private final Listener listener;
  private final ReentrantLock reading = new ReentrantLock();
  private volatile State state;
  private volatile long checkedAt;
  /** The sources last read, taken or not: a refused reading is not tried again until they change again. */
  private volatile List<String> lastTried;
  /** {@link #lastTried} when the directory could not be listed: said once, not at every look. */
  private static final List<String> UNLISTABLE = List.of("(keys_dir cannot be listed)");

  /** The keys in force and what they were read from. */
  private static final class State {
    final GatewayEncryptor encryptor;
    final Set<String> failures;

    State(GatewayEncryptor encryptor, Set<String> failures) {
      this.encryptor = encryptor;
      this.failures = failures;
    }
  }

  private WatchedKeys(EncryptionSettings settings, Clock clock, Duration interval, LongSupplier nanoTime,
      Listener listener) {
    this.settings = settings;
    this.clock = clock;
    this.intervalNanos = interval.toNanos();
    this.nanoTime = nanoTime;
    this.listener = listener;
  }

  /**
   * Reads the keys once, as {@link GatewayEncryptors#fromSettings} does.
   *
   * @throws IOException when the key directory exists but cannot be listed
   */
  public static WatchedKeys open(EncryptionSettings settings, Clock clock, Listener listener) throws IOException {
    return open(settings, clock, CHECK_INTERVAL, System::nanoTime, listener);
  }

  static WatchedKeys open(EncryptionSettings settings, Clock clock, Duration interval, LongSupplier nanoTime,
      Listener listener) throws IOException {
    WatchedKeys w = new WatchedKeys(Objects.requireNonNull(settings), Objects.requireNonNull(clock), interval,
        nanoTime, Objects.requireNonNull(listener));
    List<String> sources = w.sources();
    RecipientKeys keys = GatewayEncryptors.keys(settings);
    w.state = new State(GatewayEncryptors.fromKeys(keys, clock), keys.failures());
    w.lastTried = sources;
    w.checkedAt = nanoTime.getAsLong();
    return w;
  }

  @Override
  public EncryptionResult encrypt(InputStream message, List<String> recipients, EncryptOptions options,
      OutputStream newBody) throws IOException {
    return current().encrypt(message, recipients, options, newBody);
  }

  @Override
  public List<KeyChoice> keysFor(List<String> recipients, EncryptOptions options) {
    return current().keysFor(recipients, options);
  }

  @Override
  public EncryptionResult encryptFor(InputStream message, String recipient, EncryptOptions options,
      OutputStream newBody) throws IOException {
    return current().encryptFor(message, recipient, options, newBody);
  }

  /** The encryptor in force, after a look at the sources when the interval has passed. */
  GatewayEncryptor current() {
    long now = nanoTime.getAsLong();
    if (now - checkedAt >= intervalNanos && reading.tryLock()) {
      try {
        if (now - checkedAt >= intervalNanos) {
          checkNow();
          checkedAt = nanoTime.getAsLong();
        }
      } finally {
        reading.unlock();
      }
    }
    return state.encryptor;
  }

  /** Reads the keys again when the sources changed since the last reading tried. Visible for tests. */
  void checkNow() {
    List<String> sources;
    try {
      sources = sources();
    } catch (IOException e) {
      if (!lastTried.equals(UNLISTABLE)) {
        LOG.error("caliop: keys reload failed, keeping the keys in force: keys_dir cannot be listed: {}",
            describe(e));
        listener.keysReloaded(false);
      }
      lastTried = UNLISTABLE;
      return;
    }
    if (sources.equals(lastTried)) {
      return;
    }
    lastTried = sources;
    RecipientKeys keys;
    try {
      keys = GatewayEncryptors.keys(settings);
    } catch (IOException | RuntimeException e) {
      LOG.error("caliop: keys reload failed, keeping the keys in force: {}", describe(e));
      listener.keysReloaded(false);
      return;
    }
    Set<String> fresh = new TreeSet<>(keys.failures());
    fresh.removeAll(state.failures);
    if (!fresh.isEmpty()) {
      LOG.error("caliop: keys reload failed, keeping the keys in force until the next change: {}",
          String.join("; ", fresh));
      listener.keysReloaded(false);
      return;
    }
    state = new State(GatewayEncryptors.fromKeys(keys, clock), keys.failures());
    LOG.info("caliop: keys reloaded (keys_dir changed)");
    listener.keysReloaded(true);
  }

  /**
   * What the keys are read from, one entry per file ({@code name size mtime identity}), in name order; a source that
   * does not exist is an entry of its own.
   */
  private List<String> sources() throws IOException {
    List<String> out = new ArrayList<>();
    Path dir = settings.keysDir().orElse(null);
    if (dir != null) {
      if (!Files.exists(dir)) {
        out.add("missing " + dir);
      } else {
        try (DirectoryStream<Path> listing = Files.newDirectoryStream(dir)) {
          for (Path p : listing) {
            if (!p.getFileName().toString().startsWith(".")) {
              out.add(stamp(p));
            }
          }
        }
      }
    }
    Collections.sort(out);
    if (settings.pgpKeyring().isPresent()) {
      out.add(stamp(settings.pgpKeyring().get()));
    }
    return out;
  }

  private static String stamp(Path p) {
    try {
      BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
      return p.getFileName() + " " + a.size() + " " + a.lastModifiedTime().toMillis() + " " + a.fileKey();
    } catch (NoSuchFileException e) {
      return p.getFileName() + " missing";
    } catch (IOException e) {
      return p.getFileName() + " unreadable";
    }
  }

  private static String describe(Exception e) {
    String m = e.getMessage();
    return e.getClass().getSimpleName() + (m == null || m.isBlank() ? "" : ": " + m);
  }
}
