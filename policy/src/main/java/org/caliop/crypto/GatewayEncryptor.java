package org.caliop.crypto;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import org.caliop.policy.EncryptSpec;

/**
 * Encrypts a whole message for its recipients at the gateway (S/MIME or OpenPGP/MIME), streaming: memory does not
 * grow with the message. Thread-safe.
 */
public interface GatewayEncryptor {
  /**
   * @param message the raw message (headers and body); read to its end, not closed
   * @param recipients bare addresses to encrypt to
   * @param spec the format and fallbacks the policy chose
   * @param newBody receives the encrypted body (without header section) when the result is ENCRYPTED
   */
  EncryptionResult encrypt(InputStream message, List<String> recipients, EncryptSpec spec, OutputStream newBody)
      throws IOException;
}
