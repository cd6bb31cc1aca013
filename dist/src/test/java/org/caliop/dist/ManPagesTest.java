package org.caliop.dist;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.caliop.milter.MilterCommand;
import org.caliop.milter.config.Knob;
import org.junit.jupiter.api.Test;
import picocli.CommandLine.Model.OptionSpec;

/** The man pages the build made (target/man, written before the tests run), read as man(1) shows them. */
class ManPagesTest {
  static final Path MAN = Path.of("target/man");

  static String page(String file) throws IOException {
    return Files.readString(MAN.resolve(file), StandardCharsets.UTF_8);
  }

  /** The page's text without troff's font changes and escapes, for searching. */
  static String text(String file) throws IOException {
    return page(file).replaceAll("\\\\f[BIRP]", "").replace("\\-", "-").replace("\\(aq", "'")
        .replace("\\&", "");
  }

  @Test
  void theMilterSettingsPageShouldListEverySettingWithItsDefault() throws IOException {
    String cf = text("caliop-milter.cf.5");

    for (Knob k : Knob.values()) {
      String shown = k.defaultValue().isEmpty() ? "empty" : k.defaultValue();
      assertThat(cf).as(k.key()).contains(".SS \"" + k.key() + " (default: " + shown + ")\"")
          .contains("Values: " + k.syntax() + ". Option: " + k.flag() + ".");
    }
  }

  @Test
  void theMilterPageShouldDescribeEveryOptionOfTheCommand() throws IOException {
    String milter = text("caliop-milter.8");

    for (OptionSpec o : MilterCommand.spec("caliop-milter").options()) {
      for (String name : o.names()) {
        assertThat(milter).as(name).contains(name);
      }
    }
    assertThat(milter).contains(".SH \"OPTIONS\"").contains(".SH \"EXIT STATUS\"").contains(".SH \"FILES\"")
        .doesNotContain("PostfixMilterTest");
  }

  @Test
  void everyPageShouldBeGzippedAtMaximumCompressionWithoutATimeStamp() throws IOException {
    try (Stream<Path> files = Files.list(MAN)) {
      for (Path gz : files.filter(f -> f.toString().endsWith(".gz")).toList()) {
        byte[] b = Files.readAllBytes(gz);
        assertThat(b[0] & 0xff).isEqualTo(0x1f);
        assertThat(b[1] & 0xff).isEqualTo(0x8b);
        assertThat(new byte[] {b[4], b[5], b[6], b[7]}).as("mtime").containsOnly(0);
        assertThat(b[8]).as("XFL: maximum compression").isEqualTo((byte) 2);
      }
    }
  }

  @Test
  void everyDocWithAPageShouldHaveBeenMadeIntoIt() {
    for (String page : ManPages.PAGES.values()) {
      String file = page.replace("(", ".").replace(")", "");
      assertThat(MAN.resolve(file + ".gz")).exists();
    }
    assertThat(MAN.resolve("caliop-milter.cf.5.gz")).exists();
  }

  @Test
  void thePolicyPageShouldCarryThePolicyReferenceAndNotTheJavaApi() throws IOException {
    String policy = text("caliop.policy.5");

    assertThat(policy).contains(".SH \"REFERENCE\"").contains("require_encryption").contains("keys_dir")
        .doesNotContain("JAVA API");
    assertThat(text("caliop.1")).contains(".SH \"POLICY COMMANDS\"").contains("caliop policy replay");
  }
}
