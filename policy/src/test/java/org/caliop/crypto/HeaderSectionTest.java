package org.caliop.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedInputStream;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class HeaderSectionTest {
  static ByteArrayInputStream stream(String s) {
    return new ByteArrayInputStream(s.getBytes(StandardCharsets.ISO_8859_1));
  }

  @Test
  void readShouldStopAtTheEmptyLineAndLeaveTheBody() throws IOException {
    ByteArrayInputStream in = stream("Subject: a\r\n b\r\nTo: x@y\r\n\r\nbody\r\n");
    HeaderSection h = HeaderSection.read(in, 1000);
    assertThat(h.fields()).extracting(RawHeader::name).containsExactly("Subject", "To");
    assertThat(h.first("subject").map(RawHeader::value)).contains("a b");
    assertThat(new String(h.first("Subject").get().raw(), StandardCharsets.US_ASCII)).isEqualTo("Subject: a\r\n b\r\n");
    assertThat(new String(in.readAllBytes(), StandardCharsets.US_ASCII)).isEqualTo("body\r\n");
  }

  @Test
  void readShouldAcceptBareLineFeedsAndMakeThemCrlf() throws IOException {
    HeaderSection h = HeaderSection.read(stream("To: x@y\n\tz\n\nbody"), 1000);
    assertThat(new String(h.fields().get(0).raw(), StandardCharsets.US_ASCII)).isEqualTo("To: x@y\r\n\tz\r\n");
  }

  @Test
  void readShouldDropAnMboxFromLineAndOrphanContinuations() throws IOException {
    HeaderSection h = HeaderSection.read(stream("From sender@example.org Fri Nov 27\r\n  orphan\r\nTo: x@y\r\n\r\n"),
        1000);
    assertThat(h.fields()).extracting(RawHeader::name).containsExactly("To");
  }

  @Test
  void readShouldKeepEightBitValuesByteForByte() throws IOException {
    byte[] utf8 = "Subject: Gr\u00fc\u00dfe\r\n\r\n".getBytes(StandardCharsets.UTF_8);
    HeaderSection h = HeaderSection.read(new ByteArrayInputStream(utf8), 1000);
    assertThat(h.fields().get(0).raw()).isEqualTo("Subject: Gr\u00fc\u00dfe\r\n".getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void readShouldReturnTheFieldsOfAMessageWithoutBody() throws IOException {
    assertThat(HeaderSection.read(stream("To: x@y\r\nSubject: s"), 1000).fields()).hasSize(2);
    assertThat(HeaderSection.read(stream(""), 1000).fields()).isEmpty();
    assertThat(HeaderSection.read(stream("\r\nbody starts at once"), 1000).fields()).isEmpty();
  }

  @Test
  void readShouldRefuseAHeaderSectionOneByteOverTheLimit() throws IOException {
    String fields = "To: x@y\r\n"; // 9 bytes
    assertThat(HeaderSection.read(stream(fields + "\r\n"), 11).fields()).hasSize(1);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> HeaderSection.read(stream(fields + "\r\n"), 10))
        .isInstanceOf(EncryptionException.class);
  }
}
