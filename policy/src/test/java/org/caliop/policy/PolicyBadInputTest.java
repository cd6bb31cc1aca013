package org.caliop.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files that are not policies: each fails with one clear problem, in bounded time (the timeouts are a guard
 * against a hang, not a measurement) and memory (the test JVM's default heap is far below what a billion laughs
 * expands to).
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class PolicyBadInputTest {
  @TempDir
  Path dir;

  private List<Problem> check(String name, byte[] content) throws IOException {
    Path p = dir.resolve(name);
    Files.write(p, content);
    PolicyLoader.Result r = PolicyLoader.check(p);
    assertThat(r.ok()).isFalse();
    return r.errors();
  }

  private static String msg(List<Problem> problems) {
    assertThat(problems).hasSize(1);
    Problem p = problems.get(0);
    return p.line() + ":" + p.column() + ": " + p.message();
  }

  @Test
  void emptyFileShouldFailClearly() throws IOException {
    assertThat(msg(check("empty.yaml", new byte[0]))).isEqualTo(
        "1:1: empty policy file: write at least 'mode: enforce' (see docs/policy.md, or conf/default.yaml)");
    assertThat(msg(check("comments.yaml", "# nothing\n\n   \n---\n".getBytes(StandardCharsets.UTF_8))))
        .startsWith("1:1: empty policy file");
    assertThat(msg(check("null.yaml", "~\n".getBytes(StandardCharsets.UTF_8)))).startsWith("1:1: empty policy file");
  }

  /** Found by PolicyLoaderFuzzTest: a null key reached the compiler as a null name (NullPointerException). */
  @Test
  void nullKeysShouldFailClearly() throws IOException {
    assertThat(msg(check("null-key.yaml", "null: 1\n".getBytes(StandardCharsets.UTF_8))))
        .isEqualTo("1:1: a key must be a plain word, not the null 'null'");
    assertThat(msg(check("tilde-key.yaml", "mode: enforce\ntrust:\n  ~: 1\n".getBytes(StandardCharsets.UTF_8))))
        .isEqualTo("3:3: a key must be a plain word, not the null '~'");
  }

  @Test
  void binaryFileShouldFailClearly() throws IOException {
    byte[] gzip = {0x1f, (byte) 0x8b, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03};
    assertThat(msg(check("policy.yaml.gz", gzip))).isEqualTo(
        "1:4: binary file: NUL byte at offset 3; a policy file is UTF-8 text");
    byte[] latin1 = "mode: enforce\nglobal:\n  reply_text: caf\u00e9\n".getBytes(StandardCharsets.ISO_8859_1);
    assertThat(msg(check("latin1.yaml", latin1))).isEqualTo(
        "3:18: binary file: invalid UTF-8 at offset 39; a policy file is UTF-8 text");
  }

  @Test
  void tenMegabyteFileShouldFailBeforeParsing() throws IOException {
    StringBuilder b = new StringBuilder("users:\n");
    for (int i = 0; b.length() < 10 * 1024 * 1024; i++) {
      b.append("  u").append(i).append("@example.org:\n    min_score: 50\n");
    }
    assertThat(msg(check("huge.yaml", b.toString().getBytes(StandardCharsets.UTF_8)))).isEqualTo(
        "1:1: policy file is larger than 4194304 bytes: not a policy file (10,000 domain rules take about 1.7"
            + " MB)");
  }

  @Test
  void billionLaughsShouldFailAtTheFirstAnchor() throws IOException {
    StringBuilder b = new StringBuilder("lol0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
    for (int i = 1; i < 10; i++) {
      b.append("lol").append(i).append(": &a").append(i).append(" [");
      for (int j = 0; j < 9; j++) {
        b.append(j == 0 ? "" : ", ").append("*a").append(i - 1);
      }
      b.append("]\n");
    }
    assertThat(msg(check("laughs.yaml", b.toString().getBytes(StandardCharsets.UTF_8))))
        .isEqualTo("1:1: YAML: Number of aliases for non-scalar nodes exceeds the specified max=10");
    assertThat(msg(check("laughs.yaml", b.toString().getBytes(StandardCharsets.UTF_8))))
        .contains("Number of aliases for non-scalar nodes exceeds the specified max=10");
  }

  @Test
  void aFewAliasesShouldStillBeRefused() throws IOException {
    String yaml = "global: &g {min_score: 5}\ndomains:\n  a.example: *g\n";
    assertThat(msg(check("alias.yaml", yaml.getBytes(StandardCharsets.UTF_8)))).isEqualTo(
        "1:9: anchors and aliases (&g) are not supported in policy files: write each rule out");
  }

  @Test
  void recursiveAliasShouldFail() throws IOException {
    String yaml = "global: &g\n  inbound: *g\n";
    assertThat(check("recursive.yaml", yaml.getBytes(StandardCharsets.UTF_8))).isNotEmpty();
  }

  @Test
  void deepNestingShouldFailClearly() throws IOException {
    String deep = "global: " + "[".repeat(100_000) + "]".repeat(100_000) + "\n";
    assertThat(msg(check("deep.yaml", deep.getBytes(StandardCharsets.UTF_8))))
        .contains("Nesting Depth exceeded max 24");
    StringBuilder block = new StringBuilder();
    for (int i = 0; i < 30; i++) {
      block.append("  ".repeat(i)).append("k").append(i).append(":\n");
    }
    assertThat(msg(check("deepblock.yaml", block.toString().getBytes(StandardCharsets.UTF_8))))
        .contains("Nesting Depth exceeded max 24");
  }

  @Test
  void manyDocumentsShouldFailClearly() throws IOException {
    String two = "mode: enforce\n---\nmode: dry-run\n";
    assertThat(msg(check("two.yaml", two.getBytes(StandardCharsets.UTF_8)))).isEqualTo(
        "2:1: YAML: but found another document (expected a single document in the stream)");
  }
}
