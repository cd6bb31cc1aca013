package org.caliop.policy;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** docs/policy.md is the complete reference: every key the loader accepts has a row there. */
class PolicyDocsTest {
  @Test
  void docsShouldDocumentEveryKeyTheLoaderAccepts() throws IOException {
    String docs = Files.readString(Path.of("../docs/policy.md"));
    List<String> keys = new ArrayList<>();
    for (Knob k : Knob.values()) {
      keys.add(k.key());
    }
    keys.addAll(PolicyCompiler.TOP_KEYS);
    keys.addAll(PolicyCompiler.TRUST_KEYS);
    keys.addAll(PolicyCompiler.LIMIT_KEYS);
    keys.addAll(PolicyCompiler.ENCRYPTION_KEYS);
    keys.add("applies_to");
    for (String key : keys) {
      assertThat(docs).as("docs/policy.md documents " + key).contains("| `" + key + "` |");
    }
  }
}
