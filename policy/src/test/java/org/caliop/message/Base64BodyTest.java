package org.caliop.message;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What mime4j decodes, and whether more than white space follows the padding. */
class Base64BodyTest {
  private int told;

  private String decode(String raw) throws IOException {
    Set<String> diagnostics = new LinkedHashSet<>();
    Base64Body body = new Base64Body(new ByteArrayInputStream(raw.getBytes(StandardCharsets.US_ASCII)),
        new DiagnosticMonitor(diagnostics), () -> told++);
    String decoded = new String(body.readAllBytes(), StandardCharsets.US_ASCII);
    body.finish();
    return decoded;
  }

  @Test
  void paddingThenWhiteSpaceShouldBeFine() throws IOException {
    assertThat(decode("SGk=\r\n \t\r\n")).isEqualTo("Hi");
    assertThat(decode("SGk==\r\n")).as("one padding character too many").isEqualTo("Hi");
    assertThat(decode("SGVsbG8h\r\n")).as("no padding").isEqualTo("Hello!");
    assertThat(told).isZero();
  }

  @Test
  void base64AfterThePaddingShouldBeToldOnceAtTheEndOfTheDecodedBody() throws IOException {
    assertThat(decode("SGk=\r\nQm9i\r\n")).as("mime4j stops at the padding").isEqualTo("Hi");
    assertThat(told).isEqualTo(1);
    assertThat(decode("SGk=Qm9i")).isEqualTo("Hi");
    assertThat(decode("SGk=\r\n-")).as("any other byte").isEqualTo("Hi");
    assertThat(told).isEqualTo(3);
  }

  @Test
  void finishShouldReadTheRestWhenTheReaderStoppedEarly() throws IOException {
    Base64Body body = new Base64Body(new ByteArrayInputStream("SGVsbG8h\r\nSGk=\r\nQm9i\r\n"
        .getBytes(StandardCharsets.US_ASCII)), new DiagnosticMonitor(new LinkedHashSet<>()), () -> told++);

    assertThat(body.read()).isEqualTo('H');
    assertThat(told).isZero();
    body.finish();
    body.finish();
    assertThat(told).isEqualTo(1);
  }
}
