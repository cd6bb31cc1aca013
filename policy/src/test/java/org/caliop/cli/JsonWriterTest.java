package org.caliop.cli;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class JsonWriterTest {

  @Test
  void writerShouldLayOutObjectsAndArraysLikeTheContract() {
    StringBuilder b = new StringBuilder();
    new JsonWriter(b).beginObject().field("file", "a").name("hops").beginArray().beginObject().field("x", (String) null)
        .field("n", 3).endObject().beginObject().endObject().endArray().field("ok", true).endObject();
    assertThat(b).hasToString("{\"file\": \"a\", \"hops\": [{\"x\": null, \"n\": 3}, {}], \"ok\": true}");
  }

  @Test
  void writerShouldEscapeQuotesControlsAndNonAscii() {
    StringBuilder b = new StringBuilder();
    new JsonWriter(b).beginObject().field("s", "a\"b\\c\r\n\t\u0001\u00e9\u2192\ud83d\ude00").endObject();
    assertThat(b).hasToString("{\"s\": \"a\\\"b\\\\c\\r\\n\\t\\u0001\\u00e9\\u2192\\ud83d\\ude00\"}");
  }
}
