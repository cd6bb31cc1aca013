package org.caliop.mime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CrlfOutputStreamTest {
  static String canonical(String in, int chunk) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    CrlfOutputStream crlf = new CrlfOutputStream(out, false);
    byte[] bytes = in.getBytes(StandardCharsets.ISO_8859_1);
    for (int i = 0; i < bytes.length; i += chunk) {
      crlf.write(bytes, i, Math.min(chunk, bytes.length - i));
    }
    crlf.close();
    return out.toString(StandardCharsets.ISO_8859_1);
  }

  @Test
  void writeShouldTurnBareLineFeedsAndCarriageReturnsIntoCrlf() throws IOException {
    assertThat(canonical("a\nb\r\nc\rd\r\r\n\n", 1000)).isEqualTo("a\r\nb\r\nc\r\nd\r\n\r\n\r\n");
    assertThat(canonical("ends with cr\r", 3)).isEqualTo("ends with cr\r\n");
  }

  @Test
  void writeShouldGiveTheSameBytesWhateverTheChunking() throws IOException {
    Random random = new Random(7);
    StringBuilder sb = new StringBuilder();
    String alphabet = "ab\r\n";
    for (int i = 0; i < 50_000; i++) {
      sb.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    String whole = canonical(sb.toString(), 1);
    for (int chunk : new int[] {2, 3, 7, 8191, 8192, 8193, 100_000}) {
      assertThat(canonical(sb.toString(), chunk)).as("chunk %d", chunk).isEqualTo(whole);
    }
    assertThat(whole.replace("\r\n", "")).doesNotContain("\r").doesNotContain("\n");
  }
}
