package org.caliop.received;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.caliop.hop.Hop;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Data-driven cases in {@code src/test/resources/received/*.json}: {@code {"source", "header", "expected"}}, the
 * expected fields in caliop's JSON spelling. A field left out must be absent from the parse.
 */
class ReceivedCasesTest {
  private static final String[] FILES = {"from-fixtures.json", "mta-formats.json", "public-archives.json",
      "public-lists.json"};

  static Stream<Arguments> cases() throws IOException {
    ObjectMapper json = new ObjectMapper();
    List<Arguments> out = new ArrayList<>();
    for (String file : FILES) {
      try (InputStream in = ReceivedCasesTest.class.getResourceAsStream("/received/" + file)) {
        JsonNode cases = json.readTree(in).get("cases");
        for (JsonNode c : cases) {
          out.add(Arguments.of(file + ": " + c.get("source").asText(), c.get("header").asText(), c.get("expected")));
        }
      }
    }
    return out.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void parseShouldReadEveryFieldOfRealMtaFormats(String source, String header, JsonNode expected) {
    Hop hop = ReceivedParser.parse(StalwartConformanceTest.unfold(header));

    assertThat(fields(hop)).as(header).isEqualTo(expectedFields(expected));
    assertThat(hop.parsed()).isTrue();
  }

  static Map<String, Object> fields(Hop h) {
    Map<String, Object> m = new LinkedHashMap<>();
    h.fromHost().ifPresent(v -> m.put("from_host", v));
    h.fromIp().ifPresent(v -> m.put("from_ip", v.toString()));
    h.fromRdns().ifPresent(v -> m.put("from_rdns", v));
    h.helo().ifPresent(v -> m.put("helo", v));
    h.byHost().ifPresent(v -> m.put("by_host", v));
    h.protocol().ifPresent(v -> m.put("protocol", v.name()));
    h.tlsVersion().ifPresent(v -> m.put("tls_version", v.canonical()));
    h.tlsCipher().ifPresent(v -> m.put("tls_cipher", v));
    h.id().ifPresent(v -> m.put("id", v));
    h.forAddress().ifPresent(v -> m.put("for", v));
    h.date().ifPresent(v -> m.put("date", v.toString()));
    if (h.authenticated()) {
      m.put("authenticated", true);
    }
    if (h.localInjection()) {
      m.put("local_injection", true);
    }
    return m;
  }

  private static Map<String, Object> expectedFields(JsonNode e) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (String f : new String[] {"from_host", "from_ip", "from_rdns", "helo", "by_host", "protocol", "tls_version",
        "tls_cipher", "id", "for", "date", "authenticated", "local_injection"}) {
      JsonNode n = e.get(f);
      if (n == null) {
        continue;
      }
      if (f.equals("authenticated") || f.equals("local_injection")) {
        if (n.asBoolean()) {
          m.put(f, true);
        }
      } else if (f.equals("date")) {
        m.put(f, OffsetDateTime.parse(n.asText()).toString());
      } else {
        m.put(f, n.asText());
      }
    }
    return m;
  }
}
