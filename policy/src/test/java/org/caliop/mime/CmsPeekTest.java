package org.caliop.mime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CmsPeekTest {
  @Test
  void readShouldNeverThrowOnRandomBytes() throws IOException {
    Random random = new Random(3);
    for (int i = 0; i < 5_000; i++) {
      byte[] junk = new byte[random.nextInt(200)];
      random.nextBytes(junk);
      if (junk.length > 2 && i % 2 == 0) {
        junk[0] = 0x30;
        junk[1] = (byte) 0x80;
      }

      CmsPeek peek = CmsPeek.read(new ByteArrayInputStream(junk));

      if (peek.content() != null) {
        peek.content().readAllBytes();
      }
      assertThat(peek.kind()).isNotNull();
    }
  }

  @Test
  void readShouldNameEnvelopedDataThatOpensslMade() throws IOException {
    byte[] der = java.util.Base64.getMimeDecoder().decode(Ciphertext.smimeEnvelopedBase64());

    assertThat(CmsPeek.read(new ByteArrayInputStream(der)).kind()).isEqualTo(CmsPeek.Kind.ENVELOPED);
  }

  @Test
  void readShouldNotTakeTheEnvelopedDataOidAloneForCiphertext() throws IOException {
    byte[] der = {0x30, 0x0D, 0x06, 0x09, 0x2A, (byte) 0x86, 0x48, (byte) 0x86, (byte) 0xF7, 0x0D, 0x01, 0x07, 0x03,
        (byte) 0xA0, 0x00};

    assertThat(CmsPeek.read(new ByteArrayInputStream(der)).kind()).isEqualTo(CmsPeek.Kind.UNREADABLE);
  }
}
