package org.caliop.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MboxReaderTest {

  private static List<String> split(String mbox) throws IOException {
    MboxReader reader = new MboxReader(new ByteArrayInputStream(mbox.getBytes(StandardCharsets.ISO_8859_1)));
    List<String> out = new ArrayList<>();
    for (InputStream m = reader.next(); m != null; m = reader.next()) {
      out.add(new String(m.readAllBytes(), StandardCharsets.ISO_8859_1));
    }
    return out;
  }

  @Test
  void nextShouldSplitAtFromLinesAfterABlankLine() throws IOException {
    List<String> messages = split("From a@example Mon Jan  1 00:00:00 2024\nSubject: one\n\nbody 1\n\n"
        + "From b@example Mon Jan  1 00:00:01 2024\nSubject: two\n\nbody 2\n\n");
    assertThat(messages).containsExactly("Subject: one\n\nbody 1\n", "Subject: two\n\nbody 2\n");
  }

  @Test
  void nextShouldUnescapeQuotedFromLines() throws IOException {
    List<String> messages = split("From a@example Mon Jan  1 00:00:00 2024\nSubject: one\n\n>From here\n"
        + ">>From there\n> From not\n\n");
    assertThat(messages).containsExactly("Subject: one\n\nFrom here\n>From there\n> From not\n");
  }

  @Test
  void nextShouldNotSplitAtFromInsideAParagraph() throws IOException {
    List<String> messages = split("From a@example Mon Jan  1 00:00:00 2024\nSubject: one\n\ntext\nFrom me\n");
    assertThat(messages).containsExactly("Subject: one\n\ntext\nFrom me\n");
  }

  @Test
  void nextShouldKeepBlankLinesThatAreMessageText() throws IOException {
    List<String> messages = split("From a Mon\r\nSubject: x\r\n\r\n\r\nline\r\n\r\n\r\nFrom b Mon\r\nS: y\r\n");
    assertThat(messages).containsExactly("Subject: x\r\n\r\n\r\nline\r\n\r\n", "S: y\r\n");
  }

  @Test
  void nextShouldSkipUnreadRestOfAMessage() throws IOException {
    StringBuilder big = new StringBuilder("From a Mon\nSubject: big\n\n");
    for (int i = 0; i < 20_000; i++) {
      big.append("line ").append(i).append('\n');
    }
    big.append("\nFrom b Mon\nSubject: small\n\nx\n");
    MboxReader reader = new MboxReader(new ByteArrayInputStream(big.toString().getBytes(StandardCharsets.US_ASCII)));
    InputStream first = reader.next();
    assertThat(first.read()).isEqualTo('S');
    InputStream second = reader.next();
    assertThat(new String(second.readAllBytes(), StandardCharsets.US_ASCII)).isEqualTo("Subject: small\n\nx\n");
    assertThat(reader.next()).isNull();
  }

  @Test
  void nextShouldHandleALineLongerThanTheBuffer() throws IOException {
    String longLine = "X-Long: " + "y".repeat(200_000) + "\n";
    List<String> messages = split("From a Mon\n" + longLine + "\nbody\n");
    assertThat(messages).containsExactly(longLine + "\nbody\n");
  }
}
