package org.caliop.spill;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpillDirectoryTest {
  @TempDir
  Path parent;

  @Test
  void openShouldMakeAPrivateDirectoryAndCloseShouldRemoveIt() throws IOException {
    Path own;
    try (SpillDirectory spill = SpillDirectory.open(parent)) {
      own = spill.path();
      Files.writeString(own.resolve("caliop-1.eml"), "Subject: clear text due for encryption\r\n\r\nx\r\n");

      assertThat(own.getFileName().toString()).startsWith(SpillDirectory.PREFIX);
      assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(own))).isEqualTo("rwx------");
    }
    assertThat(own).doesNotExist();
  }

  @Test
  void openShouldDeleteWhatAKilledProcessLeftAndNothingOfALiveOne() throws Exception {
    Process killed = holder();
    Path left = Path.of(firstLine(killed));
    Process alive = holder();
    Path living = Path.of(firstLine(alive));
    try {
      killed.destroyForcibly().waitFor(20, TimeUnit.SECONDS);

      try (SpillDirectory again = SpillDirectory.open(parent)) {
        assertThat(again.swept()).as("spill files of the killed process").isEqualTo(1);
        assertThat(left).doesNotExist();
        assertThat(living.resolve("caliop-1.eml")).as("a live process's spill").exists();
      }
    } finally {
      alive.destroyForcibly().waitFor(20, TimeUnit.SECONDS);
    }
  }

  @Test
  void openShouldLeaveTheDirectoriesOfThisJvmAlone() throws IOException {
    try (SpillDirectory first = SpillDirectory.open(parent)) {
      Files.writeString(first.path().resolve("caliop-1.eml"), "x");
      try (SpillDirectory second = SpillDirectory.open(parent)) {
        assertThat(second.swept()).isZero();
        assertThat(first.path().resolve("caliop-1.eml")).exists();
        assertThat(second.path()).isNotEqualTo(first.path());
      }
    }
  }

  @Test
  void anotherProcessShouldNotSweepALiveDirectoryAfterASecondOneInItsJvm() throws Exception {
    Process alive = holder("open-again");
    Path living = Path.of(firstLine(alive));
    try {
      try (SpillDirectory other = SpillDirectory.open(parent)) {
        assertThat(other.swept()).isZero();
        assertThat(living.resolve("caliop-1.eml")).as("a live process's spill").exists();
      }
    } finally {
      alive.destroyForcibly().waitFor(20, TimeUnit.SECONDS);
    }
  }

  @Test
  void openShouldFailOnAMissingDirectory() {
    assertThatThrownBy(() -> SpillDirectory.open(parent.resolve("missing"))).isInstanceOf(IOException.class)
        .hasMessageContaining("does not exist");
  }

  /** A child JVM that opens a spill directory under {@link #parent}, writes one file and waits to be killed. */
  private Process holder(String... more) throws IOException {
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    List<String> command = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"),
        SpillHolder.class.getName(), parent.toString()));
    command.addAll(List.of(more));
    return new ProcessBuilder(command).redirectErrorStream(true).start();
  }

  private static String firstLine(Process p) throws IOException {
    BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
    return r.readLine();
  }
}
