package org.caliop.spill;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where one running process keeps its temporary copies of messages (spilled messages, encrypted bodies being
 * built): a private directory ({@code caliop-run-*}, mode 0700) under the configured spill directory, with a lock
 * file held for as long as the process lives. Such copies can be the clear text of mail due to be encrypted, so
 * none may outlive the process that made it: on opening, the directories of processes that are gone (killed,
 * crashed: the operating system has released their lock) are deleted with everything in them, and a clean stop
 * deletes its own. Directories of live processes, in this JVM or another, are left alone, so several daemons may
 * share one spill directory.
 */
public final class SpillDirectory implements AutoCloseable {
  /** Names of the per-process directories. */
  public static final String PREFIX = "caliop-run-";
  private static final String LOCK = ".lock";
  /** A directory without its lock file yet is another process starting, unless it is older than this. */
  private static final Duration STARTING = Duration.ofMinutes(10);
  /** The lock file's name until it is locked. */
  private static final String STARTING_LOCK = ".lock-starting";

  /**
   * The lock files this JVM holds, by file key (device and inode). A sweep must not even open them: on Linux, closing
   * any channel of a file releases every lock the process holds on it (POSIX record locks), so the next sweep by
   * another process would take a live directory for abandoned and delete the messages in it.
   */
  private static final Set<Object> HELD = ConcurrentHashMap.newKeySet();

  private final Path path;
  private final Object lockKey;
  private final FileChannel lockChannel;
  private final FileLock lock;
  private final int swept;

  private SpillDirectory(Path path, Object lockKey, FileChannel lockChannel, FileLock lock, int swept) {
    this.path = path;
    this.lockKey = lockKey;
    this.lockChannel = lockChannel;
    this.lock = lock;
    this.swept = swept;
  }

  /**
   * Sweeps what dead processes left in {@code parent}, then makes this process's own directory there.
   *
   * @throws IOException when {@code parent} is not a writable directory
   */
  public static SpillDirectory open(Path parent) throws IOException {
    if (!Files.isDirectory(parent)) {
      throw new IOException("spill directory " + parent + " does not exist or is not a directory");
    }
    int swept = sweep(parent);
    Path own = Files.createTempDirectory(parent, PREFIX,
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    // Locked under another name, then renamed (the lock and the file key stay with the file): another process's
    // sweep never finds a .lock file that is not locked yet, so it cannot take a starting directory for abandoned.
    Path starting = own.resolve(STARTING_LOCK);
    FileChannel channel = FileChannel.open(starting, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    FileLock lock;
    Object key = null;
    try {
      key = fileKey(starting);
      HELD.add(key);
      lock = channel.lock();
      Files.move(starting, own.resolve(LOCK), StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException | RuntimeException e) {
      channel.close();
      if (key != null) {
        HELD.remove(key);
      }
      deleteTree(own);
      throw e;
    }
    return new SpillDirectory(own, key, channel, lock, swept);
  }

  /** This process's directory, for its temporary files. */
  public Path path() {
    return path;
  }

  /** Temporary files deleted at opening, left by processes that are gone. */
  public int swept() {
    return swept;
  }

  /** Deletes this process's directory and what is left in it. */
  @Override
  public void close() {
    try {
      lock.release();
      lockChannel.close();
    } catch (IOException e) {
      // the lock goes with the process anyway
    }
    HELD.remove(lockKey);
    try {
      deleteTree(path);
    } catch (IOException e) {
      // what is left is swept by the next start
    }
  }

  private static int sweep(Path parent) throws IOException {
    int swept = 0;
    try (DirectoryStream<Path> runs = Files.newDirectoryStream(parent, PREFIX + "*")) {
      for (Path run : runs) {
        if (Files.isDirectory(run) && abandoned(run)) {
          swept += deleteTree(run);
        }
      }
    }
    return swept;
  }

  /** Whether no live process holds the directory's lock. */
  private static boolean abandoned(Path run) {
    Path lockFile = run.resolve(LOCK);
    if (!Files.exists(lockFile)) {
      try {
        return Files.getLastModifiedTime(run).toInstant().isBefore(Instant.now().minus(STARTING));
      } catch (IOException e) {
        return false;
      }
    }
    try {
      if (HELD.contains(fileKey(lockFile))) {
        return false;
      }
    } catch (IOException e) {
      return false;
    }
    try (FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.WRITE)) {
      FileLock held = channel.tryLock();
      if (held == null) {
        return false;
      }
      held.release();
      return true;
    } catch (OverlappingFileLockException e) {
      // held by this JVM: another daemon or mailet in the same process
      return false;
    } catch (IOException e) {
      return false;
    }
  }

  /** What identifies {@code file} whatever the path to it (device and inode on Linux). */
  private static Object fileKey(Path file) throws IOException {
    Object key = Files.readAttributes(file, BasicFileAttributes.class).fileKey();
    return key != null ? key : file.toRealPath();
  }

  /** Deletes a directory tree; returns how many files went, the lock file not counted. */
  private static int deleteTree(Path root) throws IOException {
    int[] count = {0};
    try {
      Files.walkFileTree(root, new SimpleFileVisitor<>() {
        @Override
        public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
          if (Files.deleteIfExists(file) && !file.getFileName().toString().equals(LOCK)) {
            count[0]++;
          }
          return FileVisitResult.CONTINUE;
        }

        @Override
        public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
          Files.deleteIfExists(dir);
          return FileVisitResult.CONTINUE;
        }
      });
    } catch (NoSuchFileException gone) {
      // removed meanwhile by another sweep
    }
    return count[0];
  }
}
