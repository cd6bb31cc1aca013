package org.caliop.crypto;

import java.io.IOException;

/**
 * Encryption could not be done for this message (oversized header section, a key the crypto library refuses).
 * Nothing usable was written: the adapter must treat the message as not encrypted and apply its failure action,
 * never send it in clear silently.
 */
public final class EncryptionException extends IOException {
  private static final long serialVersionUID = 1L;

  public EncryptionException(String message) {
    super(message);
  }

  public EncryptionException(String message, Throwable cause) {
    super(message, cause);
  }
}
