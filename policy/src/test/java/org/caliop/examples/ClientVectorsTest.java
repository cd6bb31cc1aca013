package org.caliop.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.caliop.engine.Assessment;
import org.caliop.engine.Engine;
import org.caliop.facts.ConnectionFacts;
import org.caliop.facts.Envelope;
import org.caliop.facts.HeaderEdit;
import org.caliop.header.CaliopHeaders;
import org.caliop.header.StructuredFields;
import org.caliop.header.StructuredFields.Item;
import org.caliop.header.StructuredFields.Token;
import org.caliop.score.Reason;
import org.junit.jupiter.api.Test;

/**
 * The header fields the engine writes for {@code examples/messages}, with the facts it scored, as the clients' test
 * vectors ({@code clients/caliop-headers/test/vectors.json}): the JavaScript module's tests read these fields back
 * and must find the same facts, so the two sides cannot drift. Each sample is stamped twice: as stored mail
 * ({@code caliop stamp --by mail.example.org}) and as received first-hand over TLSv1.3 from mx.example.net.
 *
 * <p>The file is regenerated into {@code policy/target/vectors.json} on every run; the test fails when it differs
 * from the committed one. To accept a change: {@code cp policy/target/vectors.json clients/caliop-headers/test/}.
 */
class ClientVectorsTest {
  private static final Path EXAMPLES = Path.of("../examples/messages");
  private static final Path COMMITTED = Path.of("../clients/caliop-headers/test/vectors.json");
  private static final Path GENERATED = Path.of("target/vectors.json");
  private static final String OURS = "mail.example.org";

  /** Our MX's first-hand record of a delivery from outside, as the milter or James would give it. */
  static final ConnectionFacts RECEIVED = ConnectionFacts.builder().clientAddress("198.51.100.25")
      .clientName("mx.example.net").helo("mx.example.net").protocol("ESMTPS").tlsVersion("TLSv1.3")
      .cipher("TLS_AES_256_GCM_SHA384").cipherBits(256).receivedBy(OURS).queueId("4F1A2B3C").build();

  @Test
  void committedVectorsShouldBeWhatTheEngineWrites() throws IOException {
    String generated = generate();
    Files.createDirectories(GENERATED.getParent());
    Files.writeString(GENERATED, generated);
    String committed = Files.exists(COMMITTED) ? Files.readString(COMMITTED) : "";
    assertThat(committed).as("clients/caliop-headers/test/vectors.json differs from what the engine writes now;"
        + " review policy/target/vectors.json and copy it there").isEqualTo(generated);
  }

  static String generate() throws IOException {
    List<Object> vectors = new ArrayList<>();
    List<Path> files;
    try (Stream<Path> s = Files.list(EXAMPLES)) {
      files = s.filter(p -> p.getFileName().toString().startsWith("grade-")).sorted().collect(Collectors.toList());
    }
    Engine engine = new Engine(ExampleMessagesTest::examplePolicy).stampedBy(OURS);
    for (Path file : files) {
      vectors.add(vector(engine, file, "stored", null, Envelope.empty()));
      vectors.add(vector(engine, file, "received", RECEIVED,
          Envelope.of("sender@example.net", List.of("bob@example.org"))));
    }
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("about", "Written by ClientVectorsTest (policy/): the header fields the engine writes for"
        + " examples/messages with examples/messages/trust.yaml, and the facts it scored. Do not edit.");
    root.put("vectors", vectors);
    DefaultPrettyPrinter printer = new DefaultPrettyPrinter().withObjectIndenter(new DefaultIndenter("  ", "\n"))
        .withArrayIndenter(new DefaultIndenter("  ", "\n"));
    return new ObjectMapper().writer(printer).writeValueAsString(root) + "\n";
  }

  private static Map<String, Object> vector(Engine engine, Path file, String as, ConnectionFacts connection,
      Envelope envelope) throws IOException {
    Assessment v;
    try (InputStream in = Files.newInputStream(file)) {
      v = engine.assess(connection, envelope, in);
    }
    Map<String, Object> fields = new LinkedHashMap<>();
    for (HeaderEdit e : v.headerEdits()) {
      if (e.kind() == HeaderEdit.Kind.ADD) {
        fields.put(e.name(), e.value());
      }
    }
    Map<String, Object> expected = new LinkedHashMap<>();
    expected.put("score", v.score().value());
    expected.put("grade", v.score().grade().name());
    expected.put("version", v.score().version());
    Set<String> codes = new LinkedHashSet<>();
    for (Reason r : v.score().reasons()) {
      codes.add(r.code());
    }
    expected.put("reasons", new ArrayList<>(codes));
    expected.put("encrypted", v.facts().content().encrypted().token());
    expected.put("signed", v.facts().content().signed().token());
    expected.put("hops", v.facts().hops().size());
    expected.put("by", OURS);
    expected.put("path", path((String) fields.get(CaliopHeaders.PATH)));
    if (connection != null) {
      Map<String, Object> hop = new LinkedHashMap<>();
      hop.put("from", connection.clientName().orElseThrow());
      hop.put("ip", connection.clientAddress().orElseThrow().toString());
      hop.put("tls", connection.tlsVersion().orElseThrow().canonical());
      hop.put("proto", connection.protocol().orElseThrow().name());
      hop.put("auth", false);
      hop.put("by", OURS);
      hop.put("id", connection.queueId().orElseThrow());
      expected.put("hop", hop);
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("message", "examples/messages/" + file.getFileName());
    out.put("as", as);
    out.put("fields", fields);
    out.put("expected", expected);
    return out;
  }

  /** The path as this side's own RFC 8941 parser reads it: the JavaScript parser must read the same. */
  private static List<Object> path(String value) {
    assertThat(value).as("inbound mail carries Caliop-Path").isNotNull();
    List<Object> out = new ArrayList<>();
    try {
      for (Object member : StructuredFields.parseList(value)) {
        Item item = (Item) member;
        Map<String, Object> p = item.params();
        Map<String, Object> hop = new LinkedHashMap<>();
        hop.put("trust", ((Token) item.value()).value());
        hop.put("tls", p.containsKey("tls") ? ((Token) p.get("tls")).value() : null);
        hop.put("local", Boolean.TRUE.equals(p.get("local")));
        hop.put("proto", p.containsKey("proto") ? ((Token) p.get("proto")).value() : null);
        hop.put("auth", Boolean.TRUE.equals(p.get("auth")));
        hop.put("parsed", !Boolean.FALSE.equals(p.get("parsed")));
        hop.put("from", p.get("from"));
        out.add(hop);
      }
    } catch (StructuredFields.ParseException e) {
      throw new AssertionError("Caliop-Path does not parse: " + value, e);
    }
    return out;
  }

  @Test
  void everyVectorShouldBeSevenBitAscii() throws IOException {
    assertThat(generate().chars()).allMatch(c -> c < 0x80);
  }
}
