package org.caliop.crypto;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Objects;
import org.bouncycastle.openpgp.PGPPublicKey;

/** The OpenPGP encryption (sub)key chosen for one address, with the file it came from. */
final class PgpRecipientKey {
  private final PGPPublicKey encryptionKey;
  private final long primaryKeyId;
  private final Path source;
  private final int candidates;
  private final boolean named;

  private PgpRecipientKey(PGPPublicKey encryptionKey, long primaryKeyId, Path source, int candidates,
      boolean named) {
    this.encryptionKey = Objects.requireNonNull(encryptionKey);
    this.primaryKeyId = primaryKeyId;
    this.source = Objects.requireNonNull(source);
    this.candidates = candidates;
    this.named = named;
  }

  static PgpRecipientKey of(PGPPublicKey encryptionKey, long primaryKeyId, Path source, int candidates) {
    return new PgpRecipientKey(encryptionKey, primaryKeyId, source, candidates, false);
  }

  /** The same key, for a recipient the message names in To or Cc (or not). */
  PgpRecipientKey named(boolean isNamed) {
    return new PgpRecipientKey(encryptionKey, primaryKeyId, source, candidates, isNamed);
  }

  /** Whether the message's To or Cc names this recipient, so his key id may be written. */
  boolean isNamed() {
    return named;
  }

  PGPPublicKey encryptionKey() {
    return encryptionKey;
  }

  Instant created() {
    return encryptionKey.getCreationTime().toInstant();
  }

  /** {@code 0x} and the 16 hex digits of the encryption subkey's id, as gpg prints it. */
  String keyId() {
    return PgpKey.hex(encryptionKey.getKeyID());
  }

  String primaryKeyId() {
    return PgpKey.hex(primaryKeyId);
  }

  Path source() {
    return source;
  }

  /** How many usable keys the address had (more than one: the documented rule chose this one). */
  int candidates() {
    return candidates;
  }
}
