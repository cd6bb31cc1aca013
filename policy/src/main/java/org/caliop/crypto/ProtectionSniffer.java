package org.caliop.crypto;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;

/**
 * Decides whether a message is already end-to-end encrypted, looking only at the top level: a gateway wraps the
 * whole message, so what matters is whether the whole is ciphertext. Mixed messages (one encrypted attachment) are
 * encrypted again as a whole.
 */
final class ProtectionSniffer {
  /** How far into a text/plain body an inline PGP armor may start. */
  static final int INLINE_PEEK_BYTES = 8192;

  private ProtectionSniffer() {
  }

  /**
   * @param body positioned at the first body byte; marked and reset, so nothing is consumed
   * @return the kind found ({@code pgp-mime}, {@code smime}, {@code pgp-inline}) or empty when in clear
   */
  static Optional<String> encryption(HeaderSection headers, BufferedInputStream body) throws IOException {
    Optional<RawHeader> field = headers.first("Content-Type");
    ContentTypeValue type = ContentTypeValue.parse(field.isPresent() ? field.get().value() : "text/plain");
    String media = type.mediaType();
    if (media.equals("multipart/encrypted")) {
      return Optional.of("pgp-mime");
    }
    if (media.equals("application/pkcs7-mime") || media.equals("application/x-pkcs7-mime")) {
      String smimeType = type.parameter("smime-type").orElse("").toLowerCase(Locale.ROOT);
      // Without smime-type, old clients meant enveloped-data; a name of *.p7m says the same.
      if (smimeType.equals("enveloped-data") || smimeType.equals("authenveloped-data") || smimeType.isEmpty()) {
        return Optional.of("smime");
      }
      return Optional.empty();
    }
    if (media.isEmpty() || media.equals("text/plain")) {
      body.mark(INLINE_PEEK_BYTES + 1);
      byte[] peek = body.readNBytes(INLINE_PEEK_BYTES);
      body.reset();
      String start = new String(peek, StandardCharsets.ISO_8859_1).stripLeading();
      if (start.startsWith("-----BEGIN PGP MESSAGE-----")) {
        return Optional.of("pgp-inline");
      }
    }
    return Optional.empty();
  }
}
