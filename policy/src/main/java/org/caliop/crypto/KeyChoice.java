package org.caliop.crypto;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * The key the gateway would encrypt to for one recipient, or that it has none usable: what {@code caliop policy
 * explain} prints per recipient. Immutable.
 */
public final class KeyChoice {
  private final String recipient;
  private final String format;
  private final String keyId;
  private final Path file;

  private KeyChoice(String recipient, String format, String keyId, Path file) {
    this.recipient = Objects.requireNonNull(recipient);
    this.format = format;
    this.keyId = keyId;
    this.file = file;
  }

  static KeyChoice of(String recipient, String format, String keyId, Path file) {
    return new KeyChoice(recipient, Objects.requireNonNull(format), Objects.requireNonNull(keyId), file);
  }

  static KeyChoice none(String recipient) {
    return new KeyChoice(recipient, null, null, null);
  }

  /** The recipient as the caller gave it. */
  public String recipient() { return recipient; }

  /** {@code pgp-mime} or {@code smime}; empty when the recipient has no usable key in the format tried first. */
  public Optional<String> format() { return Optional.ofNullable(format); }

  /** As the encryptor logs it: {@code 0x} and 16 hex digits (OpenPGP encryption subkey), {@code serial=0x..}. */
  public Optional<String> keyId() { return Optional.ofNullable(keyId); }

  /** The file the key was read from, when it came from one. */
  public Optional<Path> file() { return Optional.ofNullable(file); }

  /** {@code pgp-mime 0x1A2B3C4D5E6F7081 /etc/caliop/keys/bob.asc}, or {@code none}. */
  @Override
  public String toString() {
    return format == null ? "none" : format + " " + keyId + (file == null ? "" : " " + file);
  }
}
