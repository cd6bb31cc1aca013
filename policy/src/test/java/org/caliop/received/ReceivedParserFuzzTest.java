package org.caliop.received;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import org.caliop.fuzz.FuzzSeeds;
import org.caliop.hop.Hop;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Coverage-guided fuzzing of the {@code Received:} reader (docs/robustness.md), seeded with every real value we
 * have. Calls the reader itself, not {@link ReceivedParser#parse}, whose catch-all would hide a bug as an unparsed
 * hop: any exception is a finding.
 */
class ReceivedParserFuzzTest {
  static Stream<Arguments> seeds() {
    return FuzzSeeds.receivedValues();
  }

  @MethodSource("seeds")
  @FuzzTest
  void read(byte[] input) {
    // ISO-8859-1 keeps every byte as one char, as the milter's 8-bit header bytes arrive.
    String value = new String(input, StandardCharsets.ISO_8859_1);

    Hop hop = new ReceivedReader(value).read();

    assertThat(new ReceivedReader(value).read()).as("same hop for the same value").isEqualTo(hop);
    hop.fromIp().ifPresent(ip -> assertThat(ip.toString()).as("from_ip").matches("[0-9a-fA-F.:]+"));
    hop.date().ifPresent(d -> assertThat(d.getYear()).as("year: four digits, whatever the sender claims")
        .isBetween(0, 9999));
  }
}
