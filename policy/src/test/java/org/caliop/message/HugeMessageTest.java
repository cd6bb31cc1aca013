package org.caliop.message;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The bar "a 1 GB message scores with -Xmx64m": runs {@link HugeMessageMain} in its own JVM with a 64 MB heap.
 * Tagged {@code huge}; skip it locally with {@code -DexcludedGroups=huge}.
 */
@Tag("huge")
class HugeMessageTest {
  @Test
  void evaluateShouldScoreAGigabyteMessageInA64MegabyteHeap() throws IOException, InterruptedException {
    String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
    ProcessBuilder builder = new ProcessBuilder(List.of(java, "-Xmx64m", "-XX:+UseSerialGC",
        "-cp", System.getProperty("java.class.path"), HugeMessageMain.class.getName(), "1024"));
    builder.redirectErrorStream(true);
    File log = File.createTempFile("caliop-huge", ".log");
    log.deleteOnExit();
    builder.redirectOutput(log);

    Process process = builder.start();
    boolean finished = process.waitFor(5, TimeUnit.MINUTES);
    if (!finished) {
      process.destroyForcibly();
    }
    String output = new String(Files.readAllBytes(log.toPath()), StandardCharsets.UTF_8);

    assertThat(finished).as("finished: %s", output).isTrue();
    assertThat(process.exitValue()).as("exit status, output: %s", output).isZero();
    long length = HugeMessageMain.huge(1024).length();
    assertThat(length).isGreaterThan(1_000_000_000L);
    assertThat(output).contains("length=" + length + " size=" + length + " encrypted=mixed hops=3");
  }
}
