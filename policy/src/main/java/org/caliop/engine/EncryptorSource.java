package org.caliop.engine;

import java.io.IOException;
import java.time.Clock;
import java.util.Objects;
import org.caliop.crypto.EncryptionException;
import org.caliop.crypto.EncryptionSettings;
import org.caliop.crypto.GatewayEncryptor;
import org.caliop.crypto.GatewayEncryptors;
import org.caliop.policy.Policy;

/**
 * Opens the gateway encryptor of one policy generation. The engine calls it at most once per generation (a reload
 * builds a new policy, so new keys come with it) and keeps the encryptor, or the failure, for that generation.
 */
public interface EncryptorSource {
  /**
   * @throws IOException when no encryptor can be had: the policy names no keys, or the key directory cannot be
   *     listed. The engine then applies the rule's {@code on_failure} action.
   */
  GatewayEncryptor open(Policy policy) throws IOException;

  /** The keys the policy's {@code encryption:} section names, expiry judged with {@code clock}. */
  static EncryptorSource keys(Clock clock) {
    Objects.requireNonNull(clock);
    return policy -> {
      EncryptionSettings settings = policy.encryption();
      if (!settings.configured()) {
        throw new EncryptionException("the policy names no keys (no encryption: section)");
      }
      return GatewayEncryptors.fromSettings(settings, clock);
    };
  }
}
