package org.caliop.crypto;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import org.caliop.crypto.EncryptOptions;

/**
 * Encrypts a whole message for its recipients at the gateway (S/MIME or OpenPGP/MIME), streaming: memory does not
 * grow with the message. Thread-safe.
 *
 * <p>The new body is written with CRLF line ends. When the result is not ENCRYPTED the output must be discarded
 * (MISSING_KEYS writes nothing; ALREADY_PROTECTED may have written an encryption nobody needs). An
 * {@link IOException} (an {@link EncryptionException} for crypto failures) means the output is unusable: the adapter
 * must not send the message in clear but apply its internal-error action (tempfail by default).
 */
public interface GatewayEncryptor {
  /**
   * @param message the raw message (headers and body); read to its end, not closed
   * @param recipients bare addresses to encrypt to
   * @param options the format and outer subject the policy chose
   * @param newBody receives the encrypted body (without header section) when the result is ENCRYPTED
   */
  EncryptionResult encrypt(InputStream message, List<String> recipients, EncryptOptions options, OutputStream newBody)
      throws IOException;

  /**
   * One copy of the message for one recipient, in that recipient's own best format: what an adapter calls per
   * recipient when {@link the policy's split_per_recipient} is set (James duplicates the mail per recipient; a
   * milter cannot split a message and encrypts to all at once). {@link #encrypt} itself always makes one message
   * for all recipients, in one format they all have a key for.
   */
  /**
   * The key {@link #encrypt} would use for each recipient, in the order given, without encrypting: the format all of
   * them have a key in, or, when there is none, the first format, with {@link KeyChoice#none} for those who lack
   * a key in it (they are the recipients {@link EncryptionResult#recipientsWithoutKey()} names). An encryptor that
   * cannot tell returns an empty list.
   */
  default List<KeyChoice> keysFor(List<String> recipients, EncryptOptions options) {
    return List.of();
  }

  default EncryptionResult encryptFor(InputStream message, String recipient, EncryptOptions options, OutputStream newBody)
      throws IOException {
    return encrypt(message, List.of(recipient), options, newBody);
  }
}
