package org.caliop.milter;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code caliop milter -n} checks the key directory the policy names: a secret key or a broken file fails it. */
class CheckKeysTest {
  static final Path PGP = Path.of("../../shared/fixtures/pgp");

  @TempDir
  Path dir;

  record Run(int exit, String out, String err) {
  }

  /** The real entry point in its own JVM: {@code -n} ends with System.exit. */
  Run check(Path keys) throws IOException, InterruptedException {
    Path policy = dir.resolve("policy.yaml");
    Files.writeString(policy, "encryption:\n  keys_dir: " + keys + "\nglobal:\n  require_encryption: any\n"
        + "  action: encrypt\n");
    Path out = dir.resolve("out.txt");
    Path err = dir.resolve("err.txt");
    Process p = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), Main.class.getName(), "-n", "--policy", policy.toString()))
        .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    if (!p.waitFor(120, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException("caliop milter -n did not finish");
    }
    return new Run(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }

  @Test
  void aSecretKeyInTheKeyDirectoryShouldFailTheCheck() throws Exception {
    Path keys = Files.createDirectories(dir.resolve("keys"));
    Files.copy(PGP.resolve("alice-public.asc"), keys.resolve("alice.asc"));
    Files.copy(PGP.resolve("bob-secret.asc"), keys.resolve("bob.asc"));

    Run r = check(keys);
    assertThat(r.exit()).as(r.err()).isEqualTo(1);
    assertThat(r.err()).contains(keys.resolve("bob.asc") + ": error: holds an OpenPGP secret key")
        .contains("caliop: fatal: keys_dir not usable");
    assertThat(r.out()).doesNotContain("configuration OK");
  }

  @Test
  void publicKeysOnlyShouldPass() throws Exception {
    Path keys = Files.createDirectories(dir.resolve("keys"));
    Files.copy(PGP.resolve("alice-public.asc"), keys.resolve("alice.asc"));

    Run r = check(keys);
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).contains("keys: 1 file(s), 1 key(s), 1 usable").contains("caliop: configuration OK");
  }
}
