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
    PGPEncryptedDataGenerator encryption = new PGPEncryptedDataGenerator(
        new JcePGPDataEncryptorBuilder(SymmetricKeyAlgorithmTags.AES_256).setWithIntegrityPacket(true)
            .setSecureRandom(random));
    for (PgpRecipientKey k : keys) {
      encryption.addMethod(new BcPublicKeyKeyEncryptionMethodGenerator(k.encryptionKey()).setSecureRandom(random));
    }
    try (OutputStream encrypted = encryption.open(armor, new byte[PACKET_BUFFER])) {
      PGPLiteralDataGenerator literal = new PGPLiteralDataGenerator();
      Date now = new Date(clock.millis() / 1000 * 1000);
      try (OutputStream plain = literal.open(encrypted, PGPLiteralData.BINARY, "", now, new byte[PACKET_BUFFER])) {
        InnerEntity.write(headers, body, plain);
      }
    } catch (PGPException e) {
      throw new EncryptionException("OpenPGP encryption failed: " + e.getMessage(), e);
    }
    armor.close();
    newBody.write(InnerEntity.ascii("\r\n--" + boundary + "--\r\n"));
    newBody.flush();
  }
}
