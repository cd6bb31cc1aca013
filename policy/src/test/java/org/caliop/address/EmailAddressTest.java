package org.caliop.address;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class EmailAddressTest {
  @ParameterizedTest(name = "{0} is {1}")
  @CsvSource(delimiter = '|', value = {
      "ceo@example.org|ceo@example.org",
      "<ceo@example.org>|ceo@example.org",
      " <CEO@Example.ORG> |ceo@example.org",
      "\"ceo\"@example.org|ceo@example.org",
      "\"c\\eo\"@example.org|ceo@example.org",
      "\"c\"eo@example.org|ceo@example.org",
      "ceo@example.org.|ceo@example.org",
      "<@relay.example:ceo@example.org>|ceo@example.org",
      "<@a.example,@b.example:ceo@example.org>|ceo@example.org",
      "ceo@bücher.example|ceo@xn--bcher-kva.example",
      "ceo@BÜCHER.example|ceo@xn--bcher-kva.example",
      "ceo@xn--bcher-kva.example|ceo@xn--bcher-kva.example",
      "ceo@bücher。example|ceo@xn--bcher-kva.example",
      "ceo@[192.0.2.1]|ceo@[192.0.2.1]",
      "ceo@[IPv6:2001:DB8::1]|ceo@[ipv6:2001:db8::1]",
      "ceo|ceo",
      "\"john doe\"@example.org|\"john doe\"@example.org",
      "\"a\\\"b\"@example.org|\"a\\\"b\"@example.org",
      "\"a@b\"@example.org|\"a@b\"@example.org",
      "jöhn@example.org|jöhn@example.org"})
  void parseShouldGiveTheOneComparableForm(String text, String canonical) {
    assertThat(EmailAddress.parse(text)).map(Object::toString).contains(canonical);
  }

  @Test
  void spellingsOfOneAddressShouldBeEqual() {
    EmailAddress ceo = EmailAddress.of("ceo@example.org");
    for (String spelling : new String[] {"\"ceo\"@example.org", "CEO@EXAMPLE.ORG", "<ceo@example.org.>",
        "\"CEO\"@Example.Org"}) {
      assertThat(EmailAddress.of(spelling)).as(spelling).isEqualTo(ceo).hasSameHashCodeAs(ceo);
    }
    assertThat(EmailAddress.of("ceo@bücher.example")).isEqualTo(EmailAddress.of("CEO@xn--bcher-kva.example."));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", " ", "<>", "\"ceo@example.org", "@example.org", "ceo@", "a\u0000b@example.org",
      "a\r\nb@example.org", "<@relay.example>"})
  void parseShouldRefuseWhatIsNoAddress(String text) {
    assertThat(EmailAddress.parse(text)).isEmpty();
  }

  @Test
  void parseShouldRefuseOversizedText() {
    assertThat(EmailAddress.parse("a".repeat(EmailAddress.MAX_LENGTH) + "@example.org")).isEmpty();
    assertThat(EmailAddress.parse(null)).isEmpty();
  }

  @Test
  void withoutExtensionShouldSplitAtTheFirstDelimiterLikePostfix() {
    assertThat(EmailAddress.of("ceo+board@example.org").withoutExtension("+")).hasToString("ceo@example.org");
    assertThat(EmailAddress.of("ceo-board+x@example.org").withoutExtension("+-")).hasToString("ceo@example.org");
    assertThat(EmailAddress.of("ceo+a+b@example.org").withoutExtension("+")).hasToString("ceo@example.org");
    assertThat(EmailAddress.of("\"ceo+board\"@example.org").withoutExtension("+")).hasToString("ceo@example.org");
    assertThat(EmailAddress.of("ceo-board@example.org").withoutExtension("+")).hasToString("ceo-board@example.org");
    assertThat(EmailAddress.of("+ceo@example.org").withoutExtension("+")).hasToString("+ceo@example.org");
    assertThat(EmailAddress.of("ceo+board@example.org").withoutExtension("")).hasToString("ceo+board@example.org");
  }

  @Test
  void withDomainShouldCompleteOnlyAnAddressWithoutOne() {
    assertThat(EmailAddress.of("ceo").withDomain("Example.ORG")).hasToString("ceo@example.org");
    assertThat(EmailAddress.of("ceo").withDomain("bücher.example")).hasToString("ceo@xn--bcher-kva.example");
    assertThat(EmailAddress.of("ceo@example.net").withDomain("example.org")).hasToString("ceo@example.net");
    assertThat(EmailAddress.of("ceo").withDomain("")).hasToString("ceo");
    assertThat(EmailAddress.of("ceo").hasDomain()).isFalse();
  }

  @Test
  void canonicalDomainShouldKeepWhatIdnCannotConvert() {
    String tooLong = "é" + "a".repeat(70) + ".example";
    assertThat(EmailAddress.canonicalDomain(tooLong)).isEqualTo(tooLong);
    assertThat(EmailAddress.canonicalDomain("Example.ORG.")).isEqualTo("example.org");
  }
}
