package org.caliop.header;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;
import org.caliop.header.StructuredFields.InnerList;
import org.caliop.header.StructuredFields.Item;
import org.caliop.header.StructuredFields.ParseException;
import org.caliop.header.StructuredFields.Token;
import org.junit.jupiter.api.Test;

class StructuredFieldsTest {

  @Test
  void dictionaryShouldSerializeEveryKindOfMember() {
    String value = StructuredFields.dictionary().integer("score", 71).token("grade", "B").string("s", "a \"b\" \\c")
        .bool("yes", true).bool("no", false).tokens("list", List.of("x", "y-z")).strings("texts", List.of("a", "b"))
        .integer("p", 1).param("q", Token.of("t")).param("r", true).param("n", 5L).param("str", "v").toString();
    assertThat(value).isEqualTo("score=71, grade=B, s=\"a \\\"b\\\" \\\\c\", yes, no=?0, list=(x y-z), "
        + "texts=(\"a\" \"b\"), p=1;q=t;r;n=5;str=\"v\"");
  }

  @Test
  void stringShouldNeverCarryCrLfOrNonAscii() {
    String value = StructuredFields.dictionary().string("s", "evil\r\nBcc: x@y\u0000\u00e9\u2192").toString();
    assertThat(value).isEqualTo("s=\"evil??Bcc: x@y???\"");
    assertThat(value.chars()).allMatch(c -> c >= 0x20 && c <= 0x7e);
  }

  @Test
  void stringShouldBeCutAtMaxLength() {
    String value = StructuredFields.string("x".repeat(10_000));
    assertThat(value).hasSize(StructuredFields.MAX_STRING + 2);
  }

  @Test
  void writerShouldRefuseInvalidKeysAndTokens() {
    assertThatThrownBy(() -> StructuredFields.dictionary().integer("Score", 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> StructuredFields.dictionary().token("t", "1abc"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> StructuredFields.dictionary().token("t", "a b"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> StructuredFields.dictionary().integer("i", 1_000_000_000_000_000L))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> StructuredFields.dictionary().param("p", 1)).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void tokenCheckShouldFollowRfc8941() {
    assertThat(StructuredFields.isToken("TLSv1.3")).isTrue();
    assertThat(StructuredFields.isToken("*foo/bar:baz")).isTrue();
    assertThat(StructuredFields.isToken("ECDHE-RSA-AES256-GCM-SHA384")).isTrue();
    assertThat(StructuredFields.isToken("")).isFalse();
    assertThat(StructuredFields.isToken("-x")).isFalse();
    assertThat(StructuredFields.isToken("a,b")).isFalse();
    assertThat(StructuredFields.isToken("a\"b")).isFalse();
  }

  @Test
  void parseDictionaryShouldReadWhatTheWriterWrote() throws ParseException {
    String value = StructuredFields.dictionary().integer("score", 71).token("grade", "B").string("s", "a \"q\" \\")
        .bool("yes", true).bool("no", false).tokens("list", List.of("x", "y")).param("p", 2L).toString();
    Map<String, Object> d = StructuredFields.parseDictionary(value);
    assertThat(d.keySet()).containsExactly("score", "grade", "s", "yes", "no", "list");
    assertThat(d.get("score")).isEqualTo(Item.of(71L));
    assertThat(d.get("grade")).isEqualTo(Item.of(Token.of("B")));
    assertThat(d.get("s")).isEqualTo(Item.of("a \"q\" \\"));
    assertThat(d.get("yes")).isEqualTo(Item.of(true));
    assertThat(d.get("no")).isEqualTo(Item.of(false));
    InnerList list = (InnerList) d.get("list");
    assertThat(list.items()).containsExactly(Item.of(Token.of("x")), Item.of(Token.of("y")));
    assertThat(list.params()).containsEntry("p", 2L);
  }

  @Test
  void parseShouldReadRfcExamples() throws ParseException {
    Map<String, Object> d = StructuredFields.parseDictionary("en=\"Applepie\", da=:w4ZibGV0w6ZydGU=:");
    assertThat(((Item) d.get("da")).value()).isInstanceOf(byte[].class);
    Map<String, Object> flags = StructuredFields.parseDictionary("a=?0, b, c; foo=bar");
    assertThat(((Item) flags.get("c")).params()).containsEntry("foo", Token.of("bar"));
    List<Object> list = StructuredFields.parseList("(\"foo\" \"bar\"), (\"baz\"), (\"bat\" \"one\"), ()");
    assertThat(list).hasSize(4);
    assertThat(((InnerList) list.get(3)).items()).isEmpty();
    assertThat(StructuredFields.parseItem("4.5").value()).isEqualTo(new BigDecimal("4.5"));
    assertThat(StructuredFields.parseItem("-42").value()).isEqualTo(-42L);
    assertThat(StructuredFields.parseDictionary("a=1, a=2")).containsEntry("a", Item.of(2L));
  }

  @Test
  void parseShouldRejectMalformedValues() {
    for (String bad : new String[] {"a=", "a=1,", "a=\"x", "a=(1 2", "A=1", "a=1 b=2", "a=?2", "a=\"\\x\"",
        "a=1234567890123456", "a=1.2345", "a=\"\u00e9\""}) {
      assertThatThrownBy(() -> StructuredFields.parseDictionary(bad)).as(bad).isInstanceOf(ParseException.class);
    }
  }
}
