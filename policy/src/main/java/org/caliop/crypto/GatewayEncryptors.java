package org.caliop.crypto;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Provider;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.bouncycastle.jce.provider.BouncyCastleProvider;
import org.caliop.crypto.EncryptionSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds {@link GatewayEncryptor}s. The Bouncy Castle provider is used as an instance and never registered in
 * {@link java.security.Security}: inside James another copy may be registered already.
 */
public final class GatewayEncryptors {
  private static final Provider BC = new BouncyCastleProvider();
  private static final Logger LOG = LoggerFactory.getLogger(GatewayEncryptors.class);

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

  /**
   * An encryptor over explicit key files, e.g. a GnuPG keyring export ({@code gpg --export > pubring.gpg}) kept
   * elsewhere. {@code authEnveloped} lists addresses and {@code @domain}s whose clients read AES-GCM.
   */
  public static GatewayEncryptor fromFiles(List<Path> keyFiles, Set<String> authEnveloped, Clock clock) {
    return fromKeys(RecipientKeys.loadFiles(keyFiles, authEnveloped, BC), clock);
  }

  /**
   * The encryptor for a policy's {@code encryption:} section: the key directory (with its
   * {@value RecipientKeys#AUTH_ENVELOPED_FILE}) and the exported GnuPG keyring, either or both. As the policy
   * checker says, a directory or keyring that does not exist yet is a warning, not an error: until it appears (and
   * the policy is reloaded) its recipients have no key, so the rule's on-missing-key action applies, never a clear
   * send.
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
    Path dir = null;
    if (settings.keysDir().isPresent()) {
      if (Files.exists(settings.keysDir().get())) {
        dir = settings.keysDir().get();
      } else {
        LOG.warn("caliop: keys dir={} error=\"does not exist: no recipient has a key until it does\"",
            settings.keysDir().get());
      }
    }
    List<Path> extra = new ArrayList<>();
    if (settings.pgpKeyring().isPresent()) {
      if (Files.exists(settings.pgpKeyring().get())) {
        extra.add(settings.pgpKeyring().get());
      } else {
        LOG.warn("caliop: keys file={} error=\"does not exist: its recipients have no key until it does\"",
            settings.pgpKeyring().get());
      }
    }
    return RecipientKeys.load(dir, extra, BC);
  }

  public static GatewayEncryptor fromKeys(RecipientKeys keys, Clock clock) {
    return new KeyedGatewayEncryptor(keys, clock, BC, new SecureRandom());
  }

  /** The provider instance the encryptors use, for callers (tests, tools) that load keys themselves. */
  public static Provider provider() {
    return BC;
  }
}
