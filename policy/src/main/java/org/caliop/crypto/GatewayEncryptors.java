package org.caliop.crypto;

import java.io.IOException;
import java.nio.file.Path;
import java.security.Provider;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;
import java.util.Set;
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
   * An encryptor over explicit key files, e.g. a GnuPG keyring export ({@code gpg --export > pubring.gpg}) kept
   * elsewhere. {@code authEnveloped} lists addresses and {@code @domain}s whose clients read AES-GCM.
   */
  public static GatewayEncryptor fromFiles(List<Path> keyFiles, Set<String> authEnveloped, Clock clock) {
    return fromKeys(RecipientKeys.loadFiles(keyFiles, authEnveloped, BC), clock);
  }

  public static GatewayEncryptor fromKeys(RecipientKeys keys, Clock clock) {
    return new KeyedGatewayEncryptor(keys, clock, BC, new SecureRandom());
  }

  /** The provider instance the encryptors use, for callers (tests, tools) that load keys themselves. */
  public static Provider provider() {
    return BC;
  }
}
