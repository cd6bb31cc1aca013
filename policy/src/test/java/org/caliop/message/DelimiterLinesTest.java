package org.caliop.message;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class DelimiterLinesTest {
  private static DelimiterLines read(String text) throws IOException {
    DelimiterLines lines = new DelimiterLines(new ByteArrayInputStream(text.getBytes(StandardCharsets.ISO_8859_1)));
    lines.transferTo(OutputStream.nullOutputStream());
    return lines;
  }

  @Test
  void junkAfterTheBoundaryShouldCountOnlyWhereMime4jTakesTheLineAsADelimiter() throws IOException {
    for (String line : new String[] {"--B junk", "--B\tjunk", "--B-- junk", "--B--junk", "--B ---", "--B\rjunk",
        "--B\r\r", "--B----", "--B  x  "}) {
      assertThat(read("x\r\n" + line + "\r\ny\r\n").junkAfter("B")).as(line).isTrue();
    }
    for (String line : new String[] {"--B", "--B  ", "--B\t", "--B--", "--B--  \t", "--Bx junk", "--B-x", "-B junk",
        " --B junk", "x--B junk"}) {
      assertThat(read("x\r\n" + line + "\r\ny\r\n").junkAfter("B")).as(line).isFalse();
    }
  }

  @Test
  void aLineShouldBeKeptWhetherItEndsInCrlfLfOrTheEndOfInput() throws IOException {
    assertThat(read("--B junk\ny").junkAfter("B")).isTrue();
    assertThat(read("--B junk").junkAfter("B")).as("no line end: mime4j reads a delimiter there too").isTrue();
    assertThat(read("--B junk\n").junkAfter("B")).isTrue();
  }

  @Test
  void aBoundaryWithSpacesShouldMatchItsWholeDelimiterOnly() throws IOException {
    DelimiterLines lines = read("--simple boundary\r\n--simple boundary--\r\n");

    assertThat(lines.junkAfter("simple boundary")).isFalse();
    assertThat(lines.junkAfter("simple")).as("another boundary with junk after it").isTrue();
  }

  @Test
  void armorAndDiffLinesShouldNotTouchUsualBoundaries() throws IOException {
    DelimiterLines lines = read("-----BEGIN PGP MESSAGE-----\r\n--- a/file.c\r\n-- \r\n--verbose flag\r\n");

    assertThat(lines.junkAfter("----=_Part_1_2.3")).isFalse();
    assertThat(lines.junkAfter("b1_abc")).isFalse();
    assertThat(lines.junkAfter("-")).isTrue();
    assertThat(lines.junkAfter("verbose")).isTrue();
  }

  @Test
  void aLongLineShouldBeJunkForAnyBoundaryItStartsWith() throws IOException {
    String padding = " ".repeat(DelimiterLines.MAX_LINE_BYTES * 3);
    assertThat(read("--B" + padding + "\r\n").junkAfter("B")).as("its end not kept: cannot be told").isTrue();
    assertThat(read("--C" + padding + "\r\n").junkAfter("B")).isFalse();
  }

  @Test
  void pastItsBoundEveryMultipartShouldBeAmbiguous() throws IOException {
    StringBuilder s = new StringBuilder();
    for (int i = 0; s.length() < DelimiterLines.MAX_KEPT_BYTES * 2; i++) {
      s.append("--line").append(i).append(" junk\r\n");
    }
    assertThat(read(s.toString()).junkAfter("unrelated")).isTrue();
    assertThat(read("--same junk\r\n".repeat(100_000)).junkAfter("unrelated")).as("each line kept once").isFalse();
  }

  @Test
  void bytesShouldPassThroughUnchanged() throws IOException {
    byte[] in = "a\r\n--B junk\r\n\u00ff--\n".getBytes(StandardCharsets.ISO_8859_1);
    InputStream lines = new DelimiterLines(new ByteArrayInputStream(in));

    assertThat(lines.readAllBytes()).isEqualTo(in);
  }
}
