package org.caliop.engine;

import java.io.IOException;
import java.time.Clock;
import java.util.Objects;
import org.caliop.crypto.EncryptionException;
import org.caliop.crypto.EncryptionSettings;
import org.caliop.crypto.GatewayEncryptor;
import org.caliop.crypto.WatchedKeys;
import org.caliop.policy.Policy;

/**
 * Opens the gateway encryptor of one policy generation. The engine calls it at most once per generation (a reload
 * builds a new policy, so new keys come with it) and keeps the encryptor, or the failure, for that generation. The
 * encryptor of {@link #keys} follows changes to the key directory within a generation ({@link WatchedKeys}).
 */
public interface EncryptorSource {
  /**
   * @throws IOException when no encryptor can be had: the policy names no keys, or the key directory cannot be
   *     listed. The engine then applies the rule's {@code on_failure} action.
   */
  GatewayEncryptor open(Policy policy) throws IOException;

  /**
   * Tells {@code listener} of every reading of the keys after the first (an adapter's metrics); replaces an earlier
   * listener. Sources that do not watch their keys ignore it.
   */
  default void onKeysReload(WatchedKeys.Listener listener) {
  }

  /**
   * The keys the policy's {@code encryption:} section names, expiry judged with {@code clock}, read again when
   * {@code keys_dir} or {@code pgp_keyring} change ({@link WatchedKeys}).
   */
  static EncryptorSource keys(Clock clock) {
    Objects.requireNonNull(clock);
    return new EncryptorSource() {
      private volatile WatchedKeys.Listener listener = ok -> { };

      @Override
      public GatewayEncryptor open(Policy policy) throws IOException {
        EncryptionSettings settings = policy.encryption();
        if (!settings.configured()) {
          throw new EncryptionException("the policy names no keys (no encryption: section)");
        }
        return WatchedKeys.open(settings, clock, ok -> listener.keysReloaded(ok));
      }

      @Override
      public void onKeysReload(WatchedKeys.Listener l) {
        listener = Objects.requireNonNull(l);
      }
    };
  }
}
