package org.caliop.message;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpillBufferTest {
  @TempDir
  Path dir;

  @Test
  void writeShouldStayInMemoryUpToTheThreshold() throws Exception {
    try (SpillBuffer b = new SpillBuffer(1024, 10_000, dir)) {
      b.write(new byte[1024]);

      assertThat(b.spilled()).isFalse();
      assertThat(files()).isZero();
    }
  }

  @Test
  void writeShouldSpillToAFileOneByteAboveTheThresholdAndDeleteItOnClose() throws Exception {
    byte[] data = new byte[1025];
    data[1024] = 42;
    SpillBuffer b = new SpillBuffer(1024, 10_000, dir);
    b.write(data, 0, 1000);
    b.write(data, 1000, 25);

    assertThat(b.spilled()).isTrue();
    assertThat(files()).isEqualTo(1);
    try (InputStream in = b.open()) {
      assertThat(in.readAllBytes()).isEqualTo(data);
    }
    b.close();
    assertThat(files()).isZero();
  }

  @Test
  void writeShouldKeepAtMostTheLimitAndCountTheRest() throws Exception {
    try (SpillBuffer b = new SpillBuffer(16, 100, dir)) {
      b.write(new byte[60]);
      b.write(new byte[60]);

      assertThat(b.kept()).isEqualTo(100);
      assertThat(b.total()).isEqualTo(120);
      assertThat(b.truncated()).isTrue();
      try (InputStream in = b.open()) {
        assertThat(in.readAllBytes()).hasSize(100);
      }
    }
  }

  private long files() throws Exception {
    try (Stream<Path> s = Files.list(dir)) {
      return s.count();
    }
  }
}
