package org.caliop.milter.message;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class FieldsDroppingTest {
  private static final String MESSAGE = "Caliop-Facts: v=1,\r\n\tk=:x:\r\n"
      + "Received: from a (localhost [127.0.0.1])\r\n\tby mx with ESMTP id B2;\r\n\tThu, 3 Dec 2026\r\n"
      + "Received: from a (localhost [127.0.0.1])\r\n\tby mx with ESMTP id B1;\r\n\tThu, 3 Dec 2026\r\n"
      + "Received: from client.example ([198.51.100.7])\r\n\tby mx with ESMTPS id F1\r\n"
      + "Subject: hi\r\n\r\n"
      + "Received: in the body stays\r\n";

  private static String read(InputStream in, int chunk) throws IOException {
    StringBuilder out = new StringBuilder();
    byte[] buf = new byte[chunk];
    int n;
    while ((n = in.read(buf, 0, chunk)) >= 0) {
      out.append(new String(buf, 0, n, StandardCharsets.ISO_8859_1));
    }
    return out.toString();
  }

  private static InputStream dropping(int count) {
    return new FieldsDropping(new ByteArrayInputStream(MESSAGE.getBytes(StandardCharsets.ISO_8859_1)), "received",
        count);
  }

  @Test
  void theFirstFieldsOfTheNameShouldGoWithTheirFoldedLines() throws IOException {
    String expected = "Caliop-Facts: v=1,\r\n\tk=:x:\r\n"
        + "Received: from client.example ([198.51.100.7])\r\n\tby mx with ESMTPS id F1\r\n"
        + "Subject: hi\r\n\r\nReceived: in the body stays\r\n";

    assertThat(read(dropping(2), 4096)).isEqualTo(expected);
    assertThat(read(dropping(2), 1)).isEqualTo(expected);
    assertThat(read(dropping(2), 7)).isEqualTo(expected);
  }

  @Test
  void noneToDropShouldGiveTheMessageAsItIs() throws IOException {
    assertThat(read(dropping(0), 13)).isEqualTo(MESSAGE);
  }

  @Test
  void moreThanThereAreShouldStopAtTheEndOfTheHeader() throws IOException {
    assertThat(read(dropping(9), 5)).isEqualTo("Caliop-Facts: v=1,\r\n\tk=:x:\r\nSubject: hi\r\n\r\n"
        + "Received: in the body stays\r\n");
  }

  @Test
  void aMessageWithoutBodyShouldEndCleanly() throws IOException {
    InputStream in = new FieldsDropping(new ByteArrayInputStream(
        "Received: x\r\nSubject: y\r\n".getBytes(StandardCharsets.ISO_8859_1)), "Received", 1);
    assertThat(read(in, 3)).isEqualTo("Subject: y\r\n");
    assertThat(in.read()).isEqualTo(-1);
  }
}
