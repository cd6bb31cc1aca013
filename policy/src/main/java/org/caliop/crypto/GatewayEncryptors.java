package org.caliop.crypto;

import java.io.IOException;
import java.nio.file.Path;
import java.security.Provider;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/**
 * Builds {@link GatewayEncryptor}s. The Bouncy Castle provider is used as an instance and never registered in
 * {@link java.security.Security}: inside James another copy may be registered already.
 */
public final class GatewayEncryptors {
  private static final Provider BC = new BouncyCastleProvider();

  private GatewayEncryptors() {
  }

  /**
   * An encryptor over the certificates and public keys in {@code keysDir} (see {@link RecipientKeys}), judging
   * expiry with {@code clock}. The directory is read once: build a new encryptor to pick up changes.
   *
   * @throws IOException when the directory cannot be listed; unreadable key files are logged and skipped
   */
  public static GatewayEncryptor fromDirectory(Path keysDir, Clock clock) throws IOException {
    return fromKeys(RecipientKeys.loadDirectory(keysDir, BC), clock);
  }

  /**
   * The encryptor a policy's {@code encryption:} section names: the key directory, the keyring export, or both
   * (null when absent). Same rules as {@link #fromSettings}.
   */
  public static GatewayEncryptor fromSources(Path keysDir, Path keyring, Clock clock) throws IOException {
    return fromSettings(EncryptionSettings.of(keysDir, keyring), clock);
  }

  /** An encryptor over explicit key files, e.g. a GnuPG keyring export ({@code gpg --export > pubring.gpg}). */
  public static GatewayEncryptor fromFiles(List<Path> keyFiles, Clock clock) {
    return fromKeys(RecipientKeys.loadFiles(keyFiles, BC), clock);
  }

  /**
   * The encryptor for a policy's {@code encryption:} section: the key directory and the exported GnuPG keyring,
   * either or both. As the policy checker says, a directory or keyring that does not exist yet is a warning, not an
   * error: until it appears (and the policy is reloaded) its recipients have no key, so the rule's on-missing-key
   * action applies, never a clear send.
   *
   * @throws IOException when the directory exists but cannot be listed
   */
  public static GatewayEncryptor fromSettings(EncryptionSettings settings, Clock clock) throws IOException {
    return fromKeys(keys(settings), clock);
  }

  /**
   * The keys a policy's {@code encryption:} section names, read as {@link #fromSettings} reads them: what the
   * encryptor encrypts to, and what anchors an OpenPGP signature ({@link RecipientKeys#signingKeys()}).
   *
   * @throws IOException when the directory exists but cannot be listed
   */
  public static RecipientKeys keys(EncryptionSettings settings) throws IOException {
    return RecipientKeys.load(settings.keysDir().orElse(null),
        settings.pgpKeyring().map(List::of).orElse(List.of()), BC);
  }

  public static GatewayEncryptor fromKeys(RecipientKeys keys, Clock clock) {
    return new KeyedGatewayEncryptor(keys, clock, BC, new SecureRandom());
  }

  /** The provider instance the encryptors use, for callers (tests, tools) that load keys themselves. */
  public static Provider provider() {
    return BC;
  }
}
