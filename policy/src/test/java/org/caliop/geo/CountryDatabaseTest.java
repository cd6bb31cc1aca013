package org.caliop.geo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CountryDatabaseTest {
  /** Both made by src/test/resources/geo/make-test-databases.pl: documentation ranges, made-up countries. */
  static final Path NESTED = Paths.get("src/test/resources/geo/test-country.mmdb");
  static final Path FLAT = Paths.get("src/test/resources/geo/test-country-flat.mmdb");

  @TempDir
  Path dir;

  private static byte[] ip(String text) throws IOException {
    return InetAddress.getByName(text).getAddress(); // literals only: no name is looked up
  }

  @Test
  void countryShouldReadTheMaxMindSchema() throws Exception {
    CountryDatabase db = CountryDatabase.open(NESTED);

    assertThat(db.country(ip("192.0.2.44"))).contains("DE");
    assertThat(db.country(ip("198.51.100.7"))).contains("RU");
    assertThat(db.country(ip("127.0.0.1"))).contains("NL");
    assertThat(db.country(ip("2001:db8::25"))).contains("FR");
    assertThat(db.type()).isEqualTo("Caliop-Test-Country");
    assertThat(db.source()).matches("Caliop-Test-Country \\d{4}-\\d{2}-\\d{2}");
  }

  @Test
  void countryShouldReadTheFlatIpLocationDbSchema() throws Exception {
    CountryDatabase db = CountryDatabase.open(FLAT);

    assertThat(db.country(ip("203.0.113.9"))).contains("US");
    assertThat(db.country(ip("2001:db8:1::1"))).contains("FR");
  }

  @Test
  void countryShouldBeEmptyWhereTheDatabaseMapsNothing() throws Exception {
    CountryDatabase db = CountryDatabase.open(NESTED);

    assertThat(db.country(ip("10.1.2.3"))).isEmpty();
    assertThat(db.country(ip("127.0.0.2"))).isEmpty();
    assertThat(db.country(ip("2001:db9::1"))).isEmpty();
    assertThat(db.country(new byte[3])).isEmpty();
    assertThat(db.country(null)).isEmpty();
  }

  @Test
  void openShouldShareOneInstanceWhileTheFileIsUnchanged() throws Exception {
    Path copy = dir.resolve("db.mmdb");
    Files.copy(NESTED, copy);
    CountryDatabase first = CountryDatabase.open(copy);

    assertThat(CountryDatabase.open(copy)).isSameAs(first);

    Files.copy(FLAT, copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    Files.setLastModifiedTime(copy, java.nio.file.attribute.FileTime.fromMillis(
        Files.getLastModifiedTime(copy).toMillis() + 2000));
    CountryDatabase second = CountryDatabase.open(copy);
    assertThat(second).isNotSameAs(first);
    assertThat(second.type()).isEqualTo("Caliop-Test-Country-Flat");
    // the old instance was read into memory: overwriting the file does not disturb it
    assertThat(first.country(ip("192.0.2.1"))).contains("DE");
  }

  @Test
  void openShouldRefuseWhatIsNotADatabase() throws Exception {
    Path text = dir.resolve("not.mmdb");
    Files.writeString(text, "hello");

    assertThatThrownBy(() -> CountryDatabase.open(text)).isInstanceOf(IOException.class);
    assertThatThrownBy(() -> CountryDatabase.open(dir.resolve("missing.mmdb"))).isInstanceOf(IOException.class);
    assertThatThrownBy(() -> CountryDatabase.open(dir)).isInstanceOf(IOException.class);
  }

  @Test
  void jurisdictionsShouldExpandGroupsAndCodes() {
    assertThat(Jurisdictions.expand("EU").orElseThrow()).contains("DE", "FR", "GR").doesNotContain("CH", "NO", "GB")
        .hasSize(27);
    assertThat(Jurisdictions.expand("eea").orElseThrow()).contains("NO", "IS", "LI", "DE").hasSize(30);
    assertThat(Jurisdictions.expand("ch")).contains(java.util.Set.of("CH"));
    assertThat(Jurisdictions.expand("Europe")).isEmpty();
    assertThat(Jurisdictions.expand("C1")).isEmpty();
    assertThat(Jurisdictions.groupsAsOf()).isEqualTo("2020-02-01");
  }
}
