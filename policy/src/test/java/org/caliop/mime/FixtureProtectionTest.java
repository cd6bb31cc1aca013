package org.caliop.mime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.caliop.crypto.GatewayEncryptors;
import org.caliop.crypto.RecipientKeys;
import org.caliop.message.MessageScanner;
import org.caliop.message.ScanLimits;
import org.caliop.message.ScannedMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every S/MIME and OpenPGP fixture message, with its expected protection in {@code mime/protection-expected.tsv}. */
class FixtureProtectionTest {
  private static final Path FIXTURES = Paths.get("../../shared/fixtures");
  private static final List<String> COVERED_DIRECTORIES = List.of("smime", "pgp");

  /** The fixtures' own anchors: the NSS test CA, and the Delta Chat public keys; the certificates' validity. */
  private static SignerTrust fixtureTrust() throws IOException {
    List<Path> keys;
    try (Stream<Path> files = Files.list(FIXTURES.resolve("pgp"))) {
      keys = files.filter(p -> p.getFileName().toString().endsWith("-public.asc")).sorted()
          .collect(Collectors.toList());
    }
    return SignerTrust.of(TrustStoreFiles.read(FIXTURES.resolve("smime/TestCA.pem")),
        RecipientKeys.loadFiles(keys, GatewayEncryptors.provider()).signingKeys(),
        Clock.fixed(Instant.parse("2026-06-01T00:00:00Z"), ZoneOffset.UTC));
  }

  static Stream<Arguments> expectations() {
    return table().stream().map(row -> Arguments.of(row[0], row[1], row[2], row[3], row[4]));
  }

  @ParameterizedTest(name = "{0}: encrypted={1} signed={2} signature={3}")
  @MethodSource("expectations")
  void scanShouldReportTheExpectedProtectionForEveryFixture(String fixture, String encrypted, String signed,
      String signature, String why) throws IOException {
    ScannedMessage scanned;
    try (InputStream in = Files.newInputStream(FIXTURES.resolve(fixture))) {
      scanned = MessageScanner.scan(in, ScanLimits.defaults(), name -> false, fixtureTrust());
    }

    assertThat(scanned.content().encrypted().token()).as("encrypted of %s (%s)", fixture, why).isEqualTo(encrypted);
    assertThat(scanned.content().signed().token()).as("signed of %s (%s)", fixture, why).isEqualTo(signed);
    assertThat(scanned.content().signatureStatus().token()).as("signature of %s (%s): %s", fixture, why,
        scanned.content().signatureDetail()).isEqualTo(signature);
    assertThat(scanned.content().labelWithoutCiphertext()).as("no fixture is a label without ciphertext").isFalse();
    assertThat(scanned.size()).isEqualTo(Files.size(FIXTURES.resolve(fixture)));
  }

  @Test
  void everyFixtureMessageShouldHaveAnExpectation() throws IOException {
    Set<String> expected = table().stream().map(row -> row[0]).collect(Collectors.toCollection(TreeSet::new));
    Set<String> present = new TreeSet<>();
    for (String directory : COVERED_DIRECTORIES) {
      try (Stream<Path> files = Files.list(FIXTURES.resolve(directory))) {
        files.filter(p -> p.getFileName().toString().endsWith(".eml"))
            .forEach(p -> present.add(directory + "/" + p.getFileName()));
      }
    }

    assertThat(present).as("fixture messages").isNotEmpty();
    assertThat(expected).as("expectations in protection-expected.tsv").containsExactlyElementsOf(present);
  }

  private static List<String[]> table() {
    try (InputStream in = FixtureProtectionTest.class.getResourceAsStream("/mime/protection-expected.tsv")) {
      List<String[]> rows = new ArrayList<>();
      for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
        if (line.isBlank() || line.startsWith("#")) {
          continue;
        }
        String[] cells = line.split("\t");
        rows.add(new String[] {cells[0], cells[1], cells[2], cells[3], cells.length > 4 ? cells[4] : ""});
      }
      return rows;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
