package org.caliop.milter.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.caliop.milter.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The daemon as systemd runs it (stderr is the journal: here forced with {@code caliop.log.format=journal}): every
 * line carries a priority, a failed reload is an error ({@code journalctl -p err} finds it), no line has a time
 * stamp of its own.
 */
class JournalLogTest {
  @TempDir
  Path dir;

  @Test
  void everyLineOfTheDaemonShouldCarryItsPriority() throws Exception {
    Path policy = dir.resolve("policy.yaml");
    Files.writeString(policy, "global:\n  action: accept\n");
    Path log = dir.resolve("stderr.txt");
    Process p = new ProcessBuilder(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Dcaliop.log.format=journal", "-cp", System.getProperty("java.class.path"), Main.class.getName(),
        "--listen", "inet:127.0.0.1:0", "--policy", policy.toString()))
        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    try {
      await(log, "milter listening");
      Files.writeString(policy, "global:\n  action: [\n");
      await(log, "policy reload failed");
    } finally {
      p.destroy();
      p.waitFor(60, TimeUnit.SECONDS);
    }
    List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);

    assertThat(lines).isNotEmpty().allMatch(l -> l.matches("<[3-7]>caliop: .*"), "starts with <N>caliop: ");
    assertThat(lines).anyMatch(l -> l.startsWith("<6>caliop: milter listening on "))
        .anyMatch(l -> l.startsWith("<3>caliop: policy reload failed"))
        .noneMatch(l -> l.matches(".*\\d{4}-\\d\\d-\\d\\dT\\d\\d:.*"));
  }

  private static void await(Path log, String text) throws Exception {
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (!Files.readString(log, StandardCharsets.UTF_8).contains(text)) {
      if (System.nanoTime() > end) {
        throw new AssertionError("no '" + text + "' in " + Files.readString(log, StandardCharsets.UTF_8));
      }
      Thread.sleep(50);
    }
  }
}
