package org.caliop.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.provider.Arguments;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;

/**
 * Seed inputs of the fuzz tests, read at test time from {@code ../shared/fixtures} and the repository's own samples
 * (never copied into the repository): real messages, real {@code Received:} and {@code Authentication-Results:}
 * values, real policy files. Paths are relative to a module directory, where Maven runs the tests. Each seed is a
 * JUnit argument named after where it came from, so a failing seed says which file it was.
 */
public final class FuzzSeeds {
  /** {@code ../shared/fixtures} seen from a module directory. */
  public static final Path FIXTURES = Paths.get("../../shared/fixtures");
  /** The project root seen from a module directory. */
  public static final Path ROOT = Paths.get("..");

  private FuzzSeeds() {
  }

  /** Whole messages: OpenPGP, S/MIME, DKIM-checked provider mail, the ARC suite's messages, our samples. */
  public static Stream<Arguments> messages() {
    Map<String, byte[]> out = new TreeMap<>();
    files(FIXTURES.resolve("pgp"), ".eml").forEach(p -> out.put(name(p), read(p)));
    files(FIXTURES.resolve("smime"), ".eml").forEach(p -> out.put(name(p), read(p)));
    files(FIXTURES.resolve("dkimchecks"), "").forEach(p -> out.put(name(p), read(p)));
    files(ROOT.resolve("examples/messages"), ".eml").forEach(p -> out.put(name(p), read(p)));
    arcMessages().forEach(out::put);
    return named(out);
  }

  /** {@code Received:} values: Stalwart's cases and ours (policy/src/test/resources/received), one per seed. */
  public static Stream<Arguments> receivedValues() {
    Map<String, byte[]> out = new TreeMap<>();
    ObjectMapper json = new ObjectMapper();
    try {
      int i = 0;
      for (JsonNode c : json.readTree(FIXTURES.resolve("received/stalwart-received.json").toFile())) {
        out.put("stalwart-received.json#" + i++, utf8(c.get("header").asText()));
      }
      for (Path p : files(ROOT.resolve("policy/src/test/resources/received"), ".json")) {
        JsonNode root = json.readTree(p.toFile());
        JsonNode cases = root.isArray() ? root : root.path("cases");
        i = 0;
        for (JsonNode c : cases) {
          if (c.hasNonNull("header")) {
            out.put(name(p) + "#" + i++, utf8(c.get("header").asText()));
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return named(out);
  }

  /** {@code Authentication-Results:} and {@code ARC-Authentication-Results:} values found in the seed messages. */
  public static Stream<Arguments> authenticationResultsValues() {
    Map<String, byte[]> out = new TreeMap<>();
    messages().forEach(a -> {
      @SuppressWarnings("unchecked")
      Named<byte[]> m = (Named<byte[]>) a.get()[0];
      List<String> values = headerValues(new String(m.getPayload(), StandardCharsets.ISO_8859_1),
          "authentication-results", "arc-authentication-results");
      for (int i = 0; i < values.size(); i++) {
        out.put(m.getName() + "#" + i, values.get(i).getBytes(StandardCharsets.ISO_8859_1));
      }
    });
    return named(out);
  }

  /** Policy files: conf/, the examples, the James integration tests' policies. */
  public static Stream<Arguments> policies() {
    Map<String, byte[]> out = new TreeMap<>();
    for (Path dir : List.of(ROOT.resolve("conf"), ROOT.resolve("examples/messages"),
        ROOT.resolve("mailets/src/test/resources/it-policy"))) {
      files(dir, ".yaml").forEach(p -> out.put(name(p), read(p)));
    }
    return named(out);
  }

  /** The unfolded values of the named top-level header fields of {@code message} (lower-case names). */
  public static List<String> headerValues(String message, String... names) {
    List<String> out = new ArrayList<>();
    List<String> wanted = List.of(names);
    String current = null;
    StringBuilder value = new StringBuilder();
    for (String line : message.split("\r?\n", -1)) {
      if (line.isEmpty()) {
        break;
      }
      if ((line.charAt(0) == ' ' || line.charAt(0) == '\t') && current != null) {
        value.append(' ').append(line.trim());
        continue;
      }
      if (current != null) {
        out.add(value.toString());
        current = null;
      }
      int colon = line.indexOf(':');
      if (colon > 0 && wanted.contains(line.substring(0, colon).trim().toLowerCase(java.util.Locale.ROOT))) {
        current = line.substring(0, colon);
        value.setLength(0);
        value.append(line.substring(colon + 1).trim());
      }
    }
    if (current != null) {
      out.add(value.toString());
    }
    return out;
  }

  private static Map<String, byte[]> arcMessages() {
    Map<String, byte[]> out = new TreeMap<>();
    for (Path p : files(FIXTURES.resolve("arc/tests"), ".yml")) {
      LoaderOptions options = new LoaderOptions();
      options.setCodePointLimit(16 << 20);
      int doc = 0;
      for (Object o : new Yaml(options).loadAll(new String(read(p), StandardCharsets.UTF_8))) {
        doc++;
        if (!(o instanceof Map) || !(((Map<?, ?>) o).get("tests") instanceof Map)) {
          continue;
        }
        for (Map.Entry<?, ?> t : ((Map<?, ?>) ((Map<?, ?>) o).get("tests")).entrySet()) {
          Object message = t.getValue() instanceof Map ? ((Map<?, ?>) t.getValue()).get("message") : null;
          if (message instanceof String) {
            String crlf = ((String) message).replace("\r\n", "\n").replace("\n", "\r\n");
            out.put(name(p) + "#" + doc + "/" + t.getKey(), utf8(crlf));
          }
        }
      }
    }
    return out;
  }

  private static List<Path> files(Path dir, String suffix) {
    if (!Files.isDirectory(dir)) {
      throw new IllegalStateException("seed directory missing (tests run from a module directory, beside "
          + "../shared): " + dir.toAbsolutePath().normalize());
    }
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(Files::isRegularFile).filter(p -> p.getFileName().toString().endsWith(suffix)).sorted()
          .collect(Collectors.toList());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String name(Path p) {
    return p.normalize().toString().replace("../", "");
  }

  private static byte[] read(Path p) {
    try {
      return Files.readAllBytes(p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private static Stream<Arguments> named(Map<String, byte[]> seeds) {
    return seeds.entrySet().stream().map(e -> Arguments.of(Named.of(e.getKey(), e.getValue())));
  }
}
