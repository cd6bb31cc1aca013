package org.caliop.crypto;

import java.nio.file.Path;
import java.util.Optional;

/**
 * The {@code encryption:} section: where gateway encryption finds recipients' keys. The policy only names them; the
 * gateway encryptor ({@code org.caliop.crypto}) reads them.
 */
public final class EncryptionSettings {
  private static final EncryptionSettings NONE = new EncryptionSettings(null, null);

  private final Path keysDir;
  private final Path pgpKeyring;

  private EncryptionSettings(Path keysDir, Path pgpKeyring) {
    this.keysDir = keysDir;
    this.pgpKeyring = pgpKeyring;
  }

  public static EncryptionSettings none() {
    return NONE;
  }

  public static EncryptionSettings of(Path keysDir, Path pgpKeyring) {
    return keysDir == null && pgpKeyring == null ? NONE : new EncryptionSettings(keysDir, pgpKeyring);
  }

  /** Directory of certificates and public keys by address; relative paths are resolved from the policy file. */
  public Optional<Path> keysDir() { return Optional.ofNullable(keysDir); }

  /** An exported GnuPG public keyring. */
  public Optional<Path> pgpKeyring() { return Optional.ofNullable(pgpKeyring); }

  public boolean configured() {
    return keysDir != null || pgpKeyring != null;
  }
}
