package org.caliop.james;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import javax.mail.internet.MimeMessage;
import org.caliop.spill.SpillDirectory;
import org.junit.jupiter.api.Test;

class MessageSpillTest {
  private static final String BODY_LINE = "0123456789012345678901234567890123456789012345678901234567890123456789\r\n";

  @Test
  void spillShouldStayInMemoryBelowTheThreshold() throws Exception {
    try (MessageSpill spill = MessageSpill.of(TestMails.parse(TestMails.simple()), 4096)) {
      assertThat(spill.spilledToDisk()).isFalse();
    }
  }

  @Test
  void spillShouldGoToDiskAboveTheThresholdAndReadBackTheSameBytes() throws Exception {
    MimeMessage message = TestMails.parse(TestMails.simple() + BODY_LINE.repeat(200));
    byte[] expected;
    try (MessageSpill small = MessageSpill.of(message, 1024 * 1024); InputStream in = small.input()) {
      expected = in.readAllBytes();
    }

    try (MessageSpill spill = MessageSpill.of(message, 4096); InputStream in = spill.input()) {
      assertThat(spill.spilledToDisk()).isTrue();
      try (java.util.stream.Stream<java.nio.file.Path> files = java.nio.file.Files.list(MessageSpill.directory())) {
        assertThat(files).as("the spill file, in this JVM's private directory").isNotEmpty();
      }
      assertThat(MessageSpill.directory().getFileName().toString()).startsWith(SpillDirectory.PREFIX);
      assertThat(in.readAllBytes()).isEqualTo(expected);
      assertThat(spill.size()).isEqualTo(expected.length);
    }
  }
}
