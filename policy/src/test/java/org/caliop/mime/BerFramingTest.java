package org.caliop.mime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.util.Base64;
import org.caliop.mime.BerFraming.Result;
import org.junit.jupiter.api.Test;

/** BER encodings built by hand (X.690 8.1), and openssl's real CMS output, whole and byte by byte. */
class BerFramingTest {
  private static byte[] bytes(int... b) {
    byte[] out = new byte[b.length];
    for (int i = 0; i < b.length; i++) {
      out[i] = (byte) b[i];
    }
    return out;
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  private static Result framing(byte[] data) {
    BerFraming whole = new BerFraming();
    whole.write(data, 0, data.length);
    // Fed one byte at a time: the answer must not depend on how the bytes arrive.
    BerFraming oneByOne = new BerFraming();
    for (byte b : data) {
      oneByOne.write(b);
    }
    assertThat(oneByOne.result()).isEqualTo(whole.result());
    return whole.result();
  }

  private static byte[] openssl(String name) {
    return Base64.getMimeDecoder().decode(Ciphertext.text(name));
  }

  @Test
  void aDefiniteEncodingShouldEndAfterItsLength() {
    byte[] sequence = bytes(0x30, 0x06, 0x02, 0x01, 0x00, 0x04, 0x01, 0x41);

    assertThat(framing(sequence)).isEqualTo(Result.EXACT);
    assertThat(framing(concat(sequence, bytes(0x0A)))).isEqualTo(Result.DATA_AFTER);
    assertThat(framing(concat(sequence, sequence))).as("a second object").isEqualTo(Result.DATA_AFTER);
    assertThat(framing(bytes(0x30, 0x06, 0x02, 0x01, 0x00))).as("cut short").isEqualTo(Result.BROKEN);
  }

  @Test
  void longFormLengthsShouldBeCounted() {
    byte[] value = new byte[300];
    byte[] octets = concat(bytes(0x04, 0x82, 0x01, 0x2C), value);

    assertThat(framing(octets)).isEqualTo(Result.EXACT);
    assertThat(framing(concat(octets, bytes(0)))).isEqualTo(Result.DATA_AFTER);
    assertThat(framing(bytes(0x04, 0x89, 1, 2, 3, 4, 5, 6, 7, 8, 9))).as("nine length octets").isEqualTo(Result.BROKEN);
    assertThat(framing(bytes(0x04, 0x88, 0x80, 0, 0, 0, 0, 0, 0, 0))).as("past a long").isEqualTo(Result.BROKEN);
  }

  @Test
  void indefiniteLengthsShouldEndAtTheirMatchingEndOfContents() {
    // SEQUENCE (indefinite) { [0] (indefinite) { OCTET STRING "AB" } INTEGER 0 }
    byte[] nested = bytes(0x30, 0x80, 0xA0, 0x80, 0x04, 0x02, 0x41, 0x42, 0x00, 0x00, 0x02, 0x01, 0x00, 0x00, 0x00);

    assertThat(framing(nested)).isEqualTo(Result.EXACT);
    assertThat(framing(concat(nested, bytes(0x0D, 0x0A)))).isEqualTo(Result.DATA_AFTER);
    assertThat(framing(java.util.Arrays.copyOf(nested, nested.length - 2))).as("outer end missing")
        .isEqualTo(Result.BROKEN);
  }

  @Test
  void anEndOfContentsInsideADefiniteElementShouldBeSkippedWithIt() {
    // The zero bytes are the value of the OCTET STRING, not an end-of-contents.
    byte[] data = bytes(0x30, 0x80, 0x04, 0x02, 0x00, 0x00, 0x00, 0x00);

    assertThat(framing(data)).isEqualTo(Result.EXACT);
  }

  @Test
  void malformedHeadersShouldBreakIt() {
    assertThat(framing(new byte[0])).as("nothing").isEqualTo(Result.BROKEN);
    assertThat(framing(bytes(0x04, 0x80, 0x00, 0x00))).as("primitive, indefinite").isEqualTo(Result.BROKEN);
    assertThat(framing(bytes(0x00, 0x00))).as("end-of-contents with nothing open").isEqualTo(Result.BROKEN);
    assertThat(framing(bytes(0x1F, 0x81, 0x81, 0x81, 0x81, 0x01, 0x00))).as("a run of tag octets")
        .isEqualTo(Result.BROKEN);
    assertThat(framing(bytes(0x1F, 0x81, 0x01, 0x00))).as("a short high tag number").isEqualTo(Result.EXACT);
  }

  @Test
  void nestingShouldBeBoundedWithoutRecursion() {
    byte[] ok = new byte[BerFraming.MAX_DEPTH * 4];
    for (int i = 0; i < BerFraming.MAX_DEPTH; i++) {
      ok[2 * i] = 0x30;
      ok[2 * i + 1] = (byte) 0x80;
    }
    byte[] deeper = new byte[2 * (BerFraming.MAX_DEPTH + 1)];
    for (int i = 0; i <= BerFraming.MAX_DEPTH; i++) {
      deeper[2 * i] = 0x30;
      deeper[2 * i + 1] = (byte) 0x80;
    }
    // A megabyte of openings: a counter, no stack.
    byte[] huge = new byte[1 << 20];
    for (int i = 0; i < huge.length; i += 2) {
      huge[i] = 0x30;
      huge[i + 1] = (byte) 0x80;
    }

    assertThat(framing(ok)).isEqualTo(Result.EXACT);
    assertThat(framing(deeper)).isEqualTo(Result.BROKEN);
    assertThat(framing(huge)).isEqualTo(Result.BROKEN);
  }

  @Test
  void opensslOutputShouldEndExactlyAndSayWhenBytesFollow() {
    for (String name : new String[] {"smime-enveloped.b64", "smime-authenveloped.b64", "smime-enveloped-ber.b64",
        "smime-signed-clear-multipart.b64", "smime-data.b64"}) {
      byte[] der = openssl(name);

      assertThat(framing(der)).as(name).isEqualTo(Result.EXACT);
      assertThat(framing(concat(der, bytes('H', 'i')))).as(name).isEqualTo(Result.DATA_AFTER);
      assertThat(framing(java.util.Arrays.copyOf(der, der.length - 1))).as(name).isEqualTo(Result.BROKEN);
    }
  }
}
