package org.caliop.crypto;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Which recipients the message names in To or Cc, so their key ids may be written. */
class NamedRecipientsTest {
  static NamedRecipients of(String headers) throws IOException {
    return NamedRecipients.of(HeaderSection.read(new ByteArrayInputStream((headers + "\r\n\r\nbody\r\n")
        .getBytes(StandardCharsets.UTF_8)), 1 << 20));
  }

  @Test
  void anAddressInToOrCcShouldBeNamedWhateverItsCaseOrForm() throws IOException {
    NamedRecipients n = of("To: \"Bob\" <Bob@Example.NET>,\r\n carol@example.org\r\nCc: dave@example.org (Dave)");
    assertThat(n.names("bob@example.net")).isTrue();
    assertThat(n.names("carol@example.org")).isTrue();
    assertThat(n.names("dave@example.org")).isTrue();
  }

  @Test
  void aLongerAddressContainingItShouldNotName() throws IOException {
    NamedRecipients n = of("To: xbob@example.net, bob@example.net.evil, bob.smith@example.net");
    assertThat(n.names("bob@example.net")).isFalse();
    assertThat(n.names("smith@example.net")).isFalse();
  }

  @Test
  void bccFromAndOtherFieldsShouldNotName() throws IOException {
    NamedRecipients n = of("From: eve@example.org\r\nBcc: bob@example.net\r\nReply-To: carol@example.org\r\n"
        + "To: undisclosed-recipients:;");
    assertThat(n.names("eve@example.org")).isFalse();
    assertThat(n.names("bob@example.net")).isFalse();
    assertThat(n.names("carol@example.org")).isFalse();
  }

  @Test
  void anEncodedWordShouldCountAsNotNamedTheSafeSide() throws IOException {
    assertThat(of("To: =?utf-8?q?bob=40example=2Enet?= <x@example.org>").names("bob@example.net")).isFalse();
  }
}
