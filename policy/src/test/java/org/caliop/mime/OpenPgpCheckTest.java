package org.caliop.mime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import org.caliop.mime.OpenPgpCheck.Result;
import org.junit.jupiter.api.Test;

/** Packet sequences built by hand (RFC 9580 section 4.2 headers), and gpg's real output. */
class OpenPgpCheckTest {
  /** A new-format packet with a one-octet length. */
  private static byte[] packet(int tag, int... body) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(0xC0 | tag);
    out.write(body.length);
    for (int b : body) {
      out.write(b);
    }
    return out.toByteArray();
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  private static Result check(byte[] data) {
    OpenPgpCheck c = new OpenPgpCheck();
    // Fed one byte at a time and in one piece: the answer must not depend on how the bytes arrive.
    OpenPgpCheck oneByOne = new OpenPgpCheck();
    c.update(data, 0, data.length);
    for (int i = 0; i < data.length; i++) {
      oneByOne.update(data, i, 1);
    }
    assertThat(oneByOne.result()).isEqualTo(c.result());
    return c.result();
  }

  private static final byte[] PKESK = packet(1, 3, 1, 2, 3, 4, 5, 6, 7, 8, 1, 0, 8, 0xFF);
  private static final byte[] SKESK = packet(3, 4, 9, 3, 2, 1, 2, 3, 4, 5, 6, 7, 8, 0x60);

  @Test
  void sessionKeysThenEncryptedDataShouldBeCiphertextForEveryDataPacket() {
    assertThat(check(concat(PKESK, packet(18, 1, 7, 7, 7)))).isEqualTo(Result.CIPHERTEXT);
    assertThat(check(concat(PKESK, packet(18, 2, 9, 2, 16, 7)))).as("SEIPD v2").isEqualTo(Result.CIPHERTEXT);
    assertThat(check(concat(SKESK, packet(20, 1, 9, 1, 6, 7)))).as("AEAD").isEqualTo(Result.CIPHERTEXT);
    assertThat(check(concat(SKESK, PKESK, packet(9, 1, 2, 3)))).as("SED").isEqualTo(Result.CIPHERTEXT);
  }

  @Test
  void gpgOutputShouldBeCiphertext() {
    assertThat(check(Ciphertext.binaryToAlice())).isEqualTo(Result.CIPHERTEXT);
  }

  @Test
  void encryptedDataWithoutASessionKeyShouldNotBeCiphertext() {
    assertThat(check(packet(18, 1, 7, 7))).isEqualTo(Result.NOT_OPENPGP);
  }

  @Test
  void sessionKeysWithoutEncryptedDataShouldNotBeCiphertext() {
    assertThat(check(PKESK)).isEqualTo(Result.NOT_OPENPGP);
    assertThat(check(concat(PKESK, packet(11, 'b', 0, 0, 0, 0, 0, 'x')))).as("then a literal packet")
        .isEqualTo(Result.NOT_OPENPGP);
  }

  @Test
  void unknownVersionsShouldNotBeCiphertext() {
    assertThat(check(concat(packet(1, 9, 1, 2), packet(18, 1, 7)))).isEqualTo(Result.NOT_OPENPGP);
    assertThat(check(concat(PKESK, packet(18, 3, 7)))).isEqualTo(Result.NOT_OPENPGP);
    assertThat(check(concat(PKESK, packet(20, 2, 7)))).isEqualTo(Result.NOT_OPENPGP);
  }

  @Test
  void anythingAfterTheEncryptedPacketShouldBreakIt() {
    assertThat(check(concat(PKESK, packet(18, 1, 7), new byte[] {0}))).isEqualTo(Result.NOT_OPENPGP);
    assertThat(check(concat(PKESK, packet(18, 1, 7), packet(18, 1, 7)))).isEqualTo(Result.NOT_OPENPGP);
  }

  @Test
  void aTruncatedPacketShouldNotBeCiphertextWhenTheDataEnded() {
    byte[] whole = concat(PKESK, packet(18, 1, 7, 7, 7));
    byte[] cut = java.util.Arrays.copyOf(whole, whole.length - 1);
    assertThat(check(cut)).isEqualTo(Result.NOT_OPENPGP);
  }

  @Test
  void partialLengthsShouldBeFollowedToTheLastChunk() {
    ByteArrayOutputStream seipd = new ByteArrayOutputStream();
    seipd.write(0xC0 | 18);
    seipd.write(0xE9); // partial, 512 bytes
    seipd.write(1);
    seipd.writeBytes(new byte[511]);
    seipd.write(3); // last chunk, 3 bytes
    seipd.writeBytes(new byte[] {1, 2, 3});
    assertThat(check(concat(PKESK, seipd.toByteArray()))).isEqualTo(Result.CIPHERTEXT);
    assertThat(check(concat(PKESK, java.util.Arrays.copyOf(seipd.toByteArray(), 600))))
        .as("chunk cut").isEqualTo(Result.NOT_OPENPGP);
  }

  @Test
  void partialLengthsShouldBeRefusedOnSessionKeysAndBelow512Bytes() {
    byte[] partialPkesk = {(byte) (0xC0 | 1), (byte) 0xE9, 3};
    assertThat(check(concat(partialPkesk, new byte[511], new byte[] {0}))).isEqualTo(Result.NOT_OPENPGP);
    byte[] smallFirstChunk = {(byte) (0xC0 | 18), (byte) 0xE1, 1, 0};
    assertThat(check(concat(PKESK, smallFirstChunk))).isEqualTo(Result.NOT_OPENPGP);
  }

  @Test
  void oldFormatHeadersAndIndeterminateLengthShouldWork() {
    byte[] oldPkesk = concat(new byte[] {(byte) (0x80 | 1 << 2), (byte) (PKESK.length - 2)},
        java.util.Arrays.copyOfRange(PKESK, 2, PKESK.length));
    byte[] oldSedToEnd = {(byte) (0x80 | 9 << 2 | 3), 1, 2, 3, 4};
    assertThat(check(concat(oldPkesk, oldSedToEnd))).isEqualTo(Result.CIPHERTEXT);
    byte[] oldPkeskToEnd = {(byte) (0x80 | 1 << 2 | 3), 3, 0};
    assertThat(check(oldPkeskToEnd)).as("a session key may not run to the end").isEqualTo(Result.NOT_OPENPGP);
  }

  @Test
  void otherOpenPgpShouldBeToldApartFromNoOpenPgp() {
    assertThat(check(packet(6, 4, 0, 0, 0, 0, 22))).as("public key").isEqualTo(Result.OTHER_OPENPGP);
    assertThat(check(packet(8, 1, 0x78))).as("compressed").isEqualTo(Result.OTHER_OPENPGP);
    assertThat(check("Hello world".getBytes(java.nio.charset.StandardCharsets.US_ASCII)))
        .isEqualTo(Result.NOT_OPENPGP);
    assertThat(check(new byte[0])).isEqualTo(Result.NOT_OPENPGP);
    assertThat(check(packet(10, 'P', 'G', 'P'))).as("a marker packet alone").isEqualTo(Result.NOT_OPENPGP);
  }

  @Test
  void anEmptyEncryptedPacketShouldNotBeCiphertext() {
    assertThat(check(concat(PKESK, packet(18)))).isEqualTo(Result.NOT_OPENPGP);
  }

  @Test
  void readableTextWhereCiphertextBelongsShouldBeNoCiphertext() {
    int[] letter = "Dear Bob, the safe code is 4711 and the door is blue.".chars().toArray();
    int[] body = new int[1 + letter.length];
    body[0] = 1;
    System.arraycopy(letter, 0, body, 1, letter.length);

    assertThat(check(concat(PKESK, packet(18, body)))).isEqualTo(Result.NOT_OPENPGP);
    assertThat(check(concat(packet(1, body), packet(18, 1, 7, 7, 7)))).as("in the session key packet")
        .isEqualTo(Result.NOT_OPENPGP);
  }

  @Test
  void textShorterThanASentenceShouldNotMatter() {
    int[] body = new int[1 + OpenPgpCheck.MAX_TEXT_RUN];
    body[0] = 1;
    for (int i = 1; i < body.length; i++) {
      body[i] = i == OpenPgpCheck.MAX_TEXT_RUN / 2 ? 0x80 : 'a';
    }

    assertThat(check(concat(PKESK, packet(18, body)))).isEqualTo(Result.CIPHERTEXT);
  }
}
