package org.caliop.milter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every {@code main.cf} block in README.md and docs/ is pasted into a scratch Postfix configuration and read back
 * with {@code postconf -c}: Postfix must take each parameter with the value the docs mean. main.cf has comments on
 * their own lines only, so {@code smtpd_milters = inet:... # or unix:...} would make {@code #}, {@code or} ... milter
 * names; such a value, or any warning from postconf, fails here. A parameter that examples/postfix/main.cf also sets
 * must have the same value there.
 */
class PostfixConfigDocsTest {
  private static final Path ROOT = Paths.get("..");
  private static final Pattern FENCE = Pattern.compile("(?ms)^```[^\\n]*\\n(.*?)^```");
  private static final Pattern ASSIGNMENT = Pattern.compile("^([a-z][a-z0-9_]*)\\s*=");
  private static final Pattern POSTFIX_BLOCK = Pattern.compile("(?m)^(smtpd_milters|non_smtpd_milters|milter_[a-z_]+)\\s*=");

  static Stream<Object[]> blocks() throws IOException {
    List<Path> docs = new ArrayList<>();
    docs.add(ROOT.resolve("README.md"));
    try (Stream<Path> s = Files.list(ROOT.resolve("docs"))) {
      s.filter(p -> p.toString().endsWith(".md")).sorted().forEach(docs::add);
    }
    List<Object[]> out = new ArrayList<>();
    for (Path doc : docs) {
      String text = Files.readString(doc, StandardCharsets.UTF_8);
      Matcher m = FENCE.matcher(text);
      while (m.find()) {
        if (POSTFIX_BLOCK.matcher(m.group(1)).find()) {
          int line = (int) text.substring(0, m.start()).chars().filter(c -> c == '\n').count() + 1;
          out.add(new Object[] {ROOT.relativize(doc) + ":" + line, m.group(1)});
        }
      }
    }
    assertThat(out).as("main.cf blocks found in README.md and docs/").isNotEmpty();
    return out.stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("blocks")
  void aMainCfBlockShouldMeanToPostfixWhatItSays(String where, String block, @TempDir Path dir) throws Exception {
    assumeTrue(Files.isExecutable(Paths.get("/usr/sbin/postconf")), "postconf (Debian postfix) not installed");
    List<String> names = new ArrayList<>();
    for (String line : block.split("\n")) {
      Matcher m = ASSIGNMENT.matcher(line);
      if (m.find()) {
        names.add(m.group(1));
      }
    }
    Map<String, String> pasted = postconf(dir.resolve("doc"), block, names);
    Map<String, String> example = postconf(dir.resolve("example"),
        Files.readString(ROOT.resolve("examples/postfix/main.cf"), StandardCharsets.UTF_8), names);
    Map<String, String> exampleSets = postconf(dir.resolve("example"), null, List.of("-n"));
    for (String name : names) {
      assertThat(pasted).as(where + ": postconf does not know " + name).containsKey(name);
      assertThat(pasted.get(name)).as(where + ": " + name + " (main.cf has no end-of-line comments)")
          .doesNotContain("#");
      if (exampleSets.containsKey(name)) {
        assertThat(pasted.get(name)).as(where + ": " + name + " as in examples/postfix/main.cf")
            .isEqualTo(example.get(name));
      }
    }
  }

  /**
   * {@code postconf -c DIR ARGS...} on a main.cf (null: the one already in DIR), as name to value; no warning allowed.
   * With parameter names as ARGS it prints those, defaults included; with {@code -n}, only what the file sets.
   */
  private static Map<String, String> postconf(Path dir, String mainCf, List<String> args) throws Exception {
    if (mainCf != null) {
      Files.createDirectories(dir);
      Files.writeString(dir.resolve("main.cf"), mainCf);
      Files.writeString(dir.resolve("master.cf"), "");
    }
    List<String> command = new ArrayList<>(List.of("/usr/sbin/postconf", "-c", dir.toString()));
    command.addAll(args);
    Process p = new ProcessBuilder(command).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as("postconf exit status; stderr: " + err).isZero();
    assertThat(err).as("postconf warnings").isEmpty();
    Map<String, String> values = new LinkedHashMap<>();
    for (String line : out.split("\n")) {
      int eq = line.indexOf(" =");
      if (eq > 0) {
        values.put(line.substring(0, eq), line.substring(eq + 2).strip());
      }
    }
    return values;
  }
}
