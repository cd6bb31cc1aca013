package org.caliop.milter.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.caliop.message.SpillBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MessageInProgressTest {
  @TempDir
  Path dir;

  @Test
  void headerBytesShouldBeStoredAsSentWithFoldsInCrlf() throws Exception {
    // "café" in ISO-8859-1 (not UTF-8), folded with a bare LF as Postfix sends folds, then one CRLF fold.
    byte[] value = " caf\u00e9\n\tand more\r\n\tend".getBytes(StandardCharsets.ISO_8859_1);
    try (MessageInProgress m = new MessageInProgress(new SpillBuffer(4096, 1 << 20, dir), name -> false, () -> { })) {
      m.header("Subject", value, 0, value.length);
      m.body("hi\r\n".getBytes(StandardCharsets.US_ASCII));

      try (InputStream in = m.raw().open()) {
        assertThat(in.readAllBytes()).isEqualTo(
            "Subject: caf\u00e9\r\n\tand more\r\n\tend\r\n\r\nhi\r\n".getBytes(StandardCharsets.ISO_8859_1));
      }
    }
  }

  @Test
  void foreignFieldsShouldBeCountedPerNameWhateverTheCase() throws Exception {
    byte[] v = " x".getBytes(StandardCharsets.US_ASCII);
    try (MessageInProgress m = new MessageInProgress(new SpillBuffer(4096, 1 << 20, dir),
        name -> name.regionMatches(true, 0, "Caliop-", 0, 7), () -> { })) {
      m.header("Caliop-Privacy", v, 0, v.length);
      m.header("Subject", v, 0, v.length);
      m.header("caliop-privacy", v, 0, v.length);

      assertThat(m.foreignFields().counts()).containsExactly(entry("Caliop-Privacy", 2));
      assertThat(m.foreignFields().smuggled()).isEmpty();
    }
  }
}
