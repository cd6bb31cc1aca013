package org.caliop.crypto;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Locale;
import java.util.Objects;
import org.bouncycastle.openpgp.PGPPublicKey;

/** An OpenPGP key ring's usable encryption (sub)key for one address, with the file it came from. */
final class PgpRecipientKey {
  private final PGPPublicKey encryptionKey;
  private final long primaryKeyId;
  private final Path source;

  private PgpRecipientKey(PGPPublicKey encryptionKey, long primaryKeyId, Path source) {
    this.encryptionKey = Objects.requireNonNull(encryptionKey);
    this.primaryKeyId = primaryKeyId;
    this.source = Objects.requireNonNull(source);
  }

  static PgpRecipientKey of(PGPPublicKey encryptionKey, long primaryKeyId, Path source) {
    return new PgpRecipientKey(encryptionKey, primaryKeyId, source);
  }

  PGPPublicKey encryptionKey() {
    return encryptionKey;
  }

  Instant created() {
    return encryptionKey.getCreationTime().toInstant();
  }

  /** {@code 0x} and the 16 hex digits of the encryption subkey's id, as gpg prints it. */
  String keyId() {
    return hex(encryptionKey.getKeyID());
  }

  String primaryKeyId() {
    return hex(primaryKeyId);
  }

  Path source() {
    return source;
  }

  static String hex(long id) {
    return String.format(Locale.ROOT, "0x%016X", id);
  }
}
