package org.caliop.mime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.caliop.message.Messages.crlf;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.caliop.message.Messages;
import org.caliop.message.ScanLimits;
import org.caliop.message.ScannedMessage;
import org.junit.jupiter.api.Test;

/**
 * A ciphertext object must end where its part ends: openssl's and gpg's real output is credited, the same with
 * bytes appended after it is clear content and a label. Read to the end whatever {@code max_part_inspect_bytes}.
 */
class DataAfterCiphertextTest {
  private static final String FROM = "From: alice@example.org";
  /** Small enough that the encrypted content of openssl's objects lies past it, large enough for their header. */
  private static final ScanLimits SMALL_PART = ScanLimits.of(10_000, 1 << 20, 4 << 20, 64, 1_000, Long.MAX_VALUE, 512);

  private static byte[] der(String resource) {
    return Base64.getMimeDecoder().decode(Ciphertext.text(resource));
  }

  private static byte[] concat(byte[] a, byte[] b) {
    byte[] out = new byte[a.length + b.length];
    System.arraycopy(a, 0, out, 0, a.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }

  private static byte[] smime(byte[] body) {
    return (crlf(FROM, "Content-Type: application/pkcs7-mime; smime-type=enveloped-data; name=smime.p7m",
        "Content-Transfer-Encoding: base64", "") + Base64.getMimeEncoder().encodeToString(body) + "\r\n")
        .getBytes(StandardCharsets.US_ASCII);
  }

  @Test
  void realCmsObjectsShouldBeCreditedWhenTheyEndWithThePart() {
    for (String name : new String[] {"smime-enveloped.b64", "smime-authenveloped.b64", "smime-enveloped-ber.b64"}) {
      ScannedMessage whole = Messages.scan(smime(der(name)), ScanLimits.defaults());
      ScannedMessage pastTheLimit = Messages.scan(smime(der(name)), SMALL_PART);

      assertThat(whole.content().encrypted()).as(name).isEqualTo(Encryption.SMIME);
      assertThat(whole.diagnostics()).as(name).doesNotContain("data-after-ciphertext");
      assertThat(pastTheLimit.content().encrypted()).as(name + ", read on past the part limit")
          .isEqualTo(Encryption.SMIME);
    }
  }

  @Test
  void bytesAfterACmsObjectShouldMakeThePartClearAndALabel() {
    byte[] text = "\r\nHello Bob, in clear.\r\n".getBytes(StandardCharsets.US_ASCII);
    for (String name : new String[] {"smime-enveloped.b64", "smime-authenveloped.b64", "smime-enveloped-ber.b64"}) {
      for (ScanLimits limits : new ScanLimits[] {ScanLimits.defaults(), SMALL_PART}) {
        ScannedMessage m = Messages.scan(smime(concat(der(name), text)), limits);

        assertThat(m.content().encrypted()).as(name).isEqualTo(Encryption.NONE);
        assertThat(m.content().labelWithoutCiphertext()).as(name).isTrue();
        assertThat(m.diagnostics()).as(name).contains("data-after-ciphertext");
      }
    }
  }

  @Test
  void aSingleZeroByteAfterTheObjectShouldCountToo() {
    ScannedMessage m = Messages.scan(smime(concat(der("smime-enveloped.b64"), new byte[1])), ScanLimits.defaults());

    assertThat(m.content().encrypted()).isEqualTo(Encryption.NONE);
    assertThat(m.diagnostics()).contains("data-after-ciphertext");
  }

  @Test
  void aCmsObjectCutShortShouldBeNoCiphertext() {
    byte[] der = der("smime-enveloped.b64");
    byte[] cut = java.util.Arrays.copyOf(der, der.length - 10);

    ScannedMessage m = Messages.scan(smime(cut), ScanLimits.defaults());

    assertThat(m.content().encrypted()).isEqualTo(Encryption.NONE);
    assertThat(m.content().labelWithoutCiphertext()).isTrue();
    assertThat(m.diagnostics()).doesNotContain("data-after-ciphertext");
  }
}
