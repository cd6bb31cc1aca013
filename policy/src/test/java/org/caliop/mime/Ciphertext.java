package org.caliop.mime;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Real ciphertext made by gpg and openssl ({@code src/test/resources/mime/ciphertext/make.sh}), for crafted messages. */
public final class Ciphertext {
  private Ciphertext() {
  }

  /** {@code gpg --armor --encrypt} to alice: a PKESK and a SEIPD packet, armored, LF line ends. */
  public static String armoredToAlice() {
    return text("pgp-to-alice.asc");
  }

  /** {@code gpg --armor --symmetric}: a SKESK and a SEIPD packet, armored. */
  public static String armoredSymmetric() {
    return text("pgp-symmetric.asc");
  }

  /** {@code gpg --encrypt} to alice, binary packets. */
  public static byte[] binaryToAlice() {
    return bytes("pgp-to-alice.gpg");
  }

  /** {@code openssl cms -encrypt} to Alice's NSS test certificate, DER in base64 (64-character lines). */
  public static String smimeEnvelopedBase64() {
    return text("smime-enveloped.b64");
  }

  /** The armored block with CRLF line ends, as it stands in a message. */
  public static String armoredToAliceCrlf() {
    return armoredToAlice().replace("\r\n", "\n").replace("\n", "\r\n");
  }

  static String text(String name) {
    return new String(bytes(name), StandardCharsets.US_ASCII);
  }

  static byte[] bytes(String name) {
    try (InputStream in = Ciphertext.class.getResourceAsStream("/mime/ciphertext/" + name)) {
      if (in == null) {
        throw new IllegalStateException("missing test resource /mime/ciphertext/" + name);
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
