package org.caliop.crypto;

import java.io.IOException;
import java.io.OutputStream;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Date;
import java.util.List;
import org.bouncycastle.bcpg.SymmetricKeyAlgorithmTags;
import org.bouncycastle.openpgp.PGPEncryptedDataGenerator;
import org.bouncycastle.openpgp.PGPException;
import org.bouncycastle.openpgp.PGPLiteralData;
import org.bouncycastle.openpgp.PGPLiteralDataGenerator;
import org.bouncycastle.openpgp.operator.jcajce.JcePGPDataEncryptorBuilder;
import org.bouncycastle.openpgp.operator.bc.BcPublicKeyKeyEncryptionMethodGenerator;

/**
 * OpenPGP/MIME (RFC 3156) enveloping: a {@code multipart/encrypted} body whose second part is an ASCII-armored
 * OpenPGP message, AES-256 in a version 1 Symmetrically Encrypted Integrity Protected Data packet (what GnuPG 2.2
 * and Thunderbird read; v2 AEAD packets are not yet understood by GnuPG). Not compressed: the message is often
 * already compressed (attachments) and compression before encryption leaks length information. Streams through
 * partial-length packets of 16 KiB. The bulk cipher comes from the JDK's default provider (AES-NI intrinsics, about
 * ten times Bouncy Castle's pure-Java AES); the session key is wrapped by Bouncy Castle's own code, which knows
 * every OpenPGP public key algorithm (RSA, ECDH on Curve25519 and NIST curves).
 */
final class PgpMimeEnveloper {
  private static final int PACKET_BUFFER = 1 << 14;

  private final SecureRandom random;
  private final Clock clock;

  PgpMimeEnveloper(SecureRandom random, Clock clock) {
    this.random = random;
    this.clock = clock;
  }

  /**
   * Whether {@code key}'s session-key packet carries the wildcard key id instead of his own: when the message goes to
   * more than one key and the message does not name him in To or Cc (a Bcc recipient, a list or alias expansion).
   */
  static boolean hidesKeyId(PgpRecipientKey key, List<PgpRecipientKey> keys) {
    return keys.size() > 1 && !key.isNamed();
  }

  /**
   * Named recipients first, hidden ones after: Thunderbird's RNP (0.18) tries its secret keys on the first
   * wildcard packet only, so one hidden recipient who reads with Thunderbird can still decrypt.
   */
  static List<PgpRecipientKey> packetOrder(List<PgpRecipientKey> keys) {
    List<PgpRecipientKey> ordered = new java.util.ArrayList<>();
    for (PgpRecipientKey k : keys) {
      if (!hidesKeyId(k, keys)) {
        ordered.add(k);
      }
    }
    for (PgpRecipientKey k : keys) {
      if (hidesKeyId(k, keys)) {
        ordered.add(k);
      }
    }
    return ordered;
  }

  static String contentType(String boundary) {
    return "multipart/encrypted; protocol=\"application/pgp-encrypted\"; boundary=\"" + boundary + "\"";
  }

  /** Writes the multipart body: preamble, version part, armored ciphertext part, closing delimiter. */
  void write(HeaderSection headers, InnerEntity.Body body, List<PgpRecipientKey> keys, String boundary,
      OutputStream newBody) throws IOException {
    newBody.write(InnerEntity.ascii("This is an OpenPGP/MIME encrypted message (RFC 4880 and 3156)\r\n"
        + "--" + boundary + "\r\n"
        + "Content-Type: application/pgp-encrypted\r\n"
        + "Content-Description: PGP/MIME version identification\r\n"
        + "\r\n"
        + "Version: 1\r\n"
        + "\r\n"
        + "--" + boundary + "\r\n"
        + "Content-Type: application/octet-stream; name=\"encrypted.asc\"\r\n"
        + "Content-Description: OpenPGP encrypted message\r\n"
        + "Content-Disposition: inline; filename=\"encrypted.asc\"\r\n"
        + "\r\n"));
    ArmorOutputStream armor = new ArmorOutputStream(newBody);
    try {
      PGPEncryptedDataGenerator encryption = new PGPEncryptedDataGenerator(
          new JcePGPDataEncryptorBuilder(SymmetricKeyAlgorithmTags.AES_256).setWithIntegrityPacket(true)
              .setSecureRandom(random));
      // Recipients the message does not name get the wildcard key id 0 (RFC 4880 5.1), so no reader learns who
      // else can read it (a Bcc recipient stays hidden); their software tries its secret keys.
      for (PgpRecipientKey k : packetOrder(keys)) {
        encryption.addMethod(new BcPublicKeyKeyEncryptionMethodGenerator(k.encryptionKey()).setSecureRandom(random)
            .setUseWildcardKeyID(hidesKeyId(k, keys)));
      }
      try (OutputStream encrypted = encryption.open(armor, new byte[PACKET_BUFFER])) {
        PGPLiteralDataGenerator literal = new PGPLiteralDataGenerator();
        Date now = new Date(clock.millis() / 1000 * 1000);
        try (OutputStream plain = literal.open(encrypted, PGPLiteralData.BINARY, "", now,
            new byte[PACKET_BUFFER])) {
          InnerEntity.write(headers, body, plain);
        }
      }
    } catch (PGPException | RuntimeException e) {
      // A provider's runtime exception (an unsupported curve, a malformed key) is a failed encryption too.
      throw new EncryptionException("OpenPGP encryption failed: " + KeyFile.describe(e), e);
    }
    armor.close();
    newBody.write(InnerEntity.ascii("\r\n--" + boundary + "--\r\n"));
    newBody.flush();
  }
}
