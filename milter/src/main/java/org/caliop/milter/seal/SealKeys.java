package org.caliop.milter.seal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * The AES-256 keys that seal caliop's first-hand facts into a message ({@link FactsSeal}): a file of base64 lines,
 * 32 bytes each, {@code #} comments allowed. The first key seals; every key opens, so a new key can be put first
 * while messages sealed with the old one (held mail, mail still queued for the re-injection listener) are still
 * opened. Each key is known by an id, the first 4 bytes of its SHA-256, written beside the sealed facts.
 */
public final class SealKeys {
  static final int KEY_BYTES = 32;
  static final int ID_BYTES = 4;
  /** A key file is a few lines; anything larger is not one. */
  private static final long MAX_FILE = 64 * 1024;

  private final List<Key> keys;

  private SealKeys(List<Key> keys) {
    this.keys = List.copyOf(keys);
  }

  /** One key with its id. */
  record Key(byte[] id, SecretKey secret) {
  }

  /**
   * Reads the key file, making it first (one new random key, mode 0600, its directory created) when it does not
   * exist, so a fresh installation needs no step of its own. Several caliop daemons behind one Postfix (or a front
   * and a back on different hosts) must share the file.
   *
   * @throws IOException when the file cannot be made or read, or holds no valid key: the milter does not start
   */
  public static SealKeys readOrCreate(Path file) throws IOException {
    if (!Files.exists(file)) {
      create(file);
    }
    return read(file);
  }

  /** Reads an existing key file; see the class comment for its form. */
  public static SealKeys read(Path file) throws IOException {
    if (Files.size(file) > MAX_FILE) {
      throw new IOException(file + ": not a seal key file (larger than 64 KiB)");
    }
    List<Key> keys = new ArrayList<>();
    List<String> lines = Files.readAllLines(file, StandardCharsets.US_ASCII);
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).trim();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      byte[] raw;
      try {
        raw = Base64.getDecoder().decode(line);
      } catch (IllegalArgumentException e) {
        throw new IOException(file + ":" + (i + 1) + ": not base64");
      }
      if (raw.length != KEY_BYTES) {
        throw new IOException(file + ":" + (i + 1) + ": a key is " + KEY_BYTES + " bytes, this one " + raw.length);
      }
      keys.add(new Key(id(raw), new SecretKeySpec(raw, "AES")));
    }
    if (keys.isEmpty()) {
      throw new IOException(file + ": no key (one base64 line of 32 random bytes: head -c 32 /dev/urandom | base64)");
    }
    return new SealKeys(keys);
  }

  /** Keys given directly (tests). */
  static SealKeys of(byte[]... raw) {
    List<Key> keys = new ArrayList<>();
    for (byte[] r : raw) {
      keys.add(new Key(id(r), new SecretKeySpec(r.clone(), "AES")));
    }
    return new SealKeys(keys);
  }

  /** The key that seals. */
  Key current() {
    return keys.get(0);
  }

  /** The key with this id, if we have it. */
  Optional<Key> byId(byte[] id) {
    return keys.stream().filter(k -> MessageDigest.isEqual(k.id(), id)).findFirst();
  }

  private static void create(Path file) throws IOException {
    Path dir = file.toAbsolutePath().getParent();
    if (dir != null) {
      Files.createDirectories(dir);
    }
    byte[] raw = new byte[KEY_BYTES];
    new SecureRandom().nextBytes(raw);
    String text = "# caliop seal key (docs/milter.md, caliop_seal_key_file): keep it secret, share it only with the"
        + " other caliop daemons of this mail system\n" + Base64.getEncoder().encodeToString(raw) + "\n";
    Arrays.fill(raw, (byte) 0);
    try {
      Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } catch (FileAlreadyExistsException e) {
      return; // another daemon made it first: read theirs
    }
    Files.writeString(file, text, StandardCharsets.US_ASCII, StandardOpenOption.TRUNCATE_EXISTING);
  }

  private static byte[] id(byte[] raw) {
    try {
      return Arrays.copyOf(MessageDigest.getInstance("SHA-256").digest(raw), ID_BYTES);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JDK has SHA-256", e);
    }
  }
}
