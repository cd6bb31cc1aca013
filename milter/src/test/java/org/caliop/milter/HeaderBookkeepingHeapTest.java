package org.caliop.milter;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The milter's per-message header bookkeeping in a 64 MB heap (issue 13: a map entry per distinct header name and a
 * reference per foreign field took about 90 MB for one million short distinct fields and 125 MB for 700,000
 * distinct {@code Caliop-*} names, and the JVM ran out of memory). The daemon runs in a child JVM with
 * {@code -Xmx64m -XX:+ExitOnOutOfMemoryError}, as the systemd unit starts it, so running out of heap would end it:
 * each message must get a clear answer (past the foreign-field bound: {@code caliop_on_error}), and the daemon must
 * go on judging the next one.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class HeaderBookkeepingHeapTest {
  private static final Duration ANSWER = Duration.ofMinutes(3);

  @TempDir
  static Path dir;
  private Process daemon;
  private Path log;
  private int port;

  @BeforeAll
  void start() throws Exception {
    Path policy = dir.resolve("policy.yaml");
    Files.writeString(policy, "version: 1\nglobal:\n  action: tag\n");
    try (ServerSocket free = new ServerSocket(0)) {
      port = free.getLocalPort();
    }
    log = dir.resolve("daemon.log");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    daemon = new ProcessBuilder(java, "-Xmx64m", "-XX:+UseSerialGC", "-XX:+ExitOnOutOfMemoryError", "-cp",
        System.getProperty("java.class.path"), Main.class.getName(), "--listen", "inet:127.0.0.1:" + port,
        "--policy", policy.toString(), "-o", "caliop_spill_directory=" + Files.createDirectories(dir.resolve("spill")),
        "-o", "caliop_eval_timeout=120s").redirectErrorStream(true).redirectOutput(log.toFile()).start();
    long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (System.nanoTime() < end && daemon.isAlive()) {
      try (RawMilterClient probe = new RawMilterClient(port)) {
        return;
      } catch (IOException notYet) {
        Thread.sleep(50);
      }
    }
    throw new AssertionError("the daemon did not start: " + Files.readString(log));
  }

  @AfterAll
  void stop() throws InterruptedException {
    if (daemon != null) {
      daemon.destroy();
      if (!daemon.waitFor(30, TimeUnit.SECONDS)) {
        daemon.destroyForcibly().waitFor();
      }
    }
  }

  @Test
  void aMillionDistinctShortFieldsShouldGetAClearAnswer() throws Exception {
    String reply = send("M1", fields(1_000_000, "X-"));

    assertThat(reply).as("the final answer").matches("c|y451 4\\.3\\.0 .*");
    assertTheDaemonGoesOn();
  }

  @Test
  void sevenHundredThousandDistinctCaliopNamesShouldGetOnError() throws Exception {
    String reply = send("C1", fields(700_000, "Caliop-"));

    assertThat(reply).as("past the foreign-field bound").startsWith("y451 4.3.0");
    assertTheDaemonGoesOn();
  }

  /** {@code n} fields with distinct short names, as name, value pairs. */
  private static String[] fields(int n, String prefix) {
    String[] headers = new String[2 * n];
    for (int i = 0; i < n; i++) {
      headers[2 * i] = prefix + Integer.toString(i, 36);
      headers[2 * i + 1] = "v";
    }
    return headers;
  }

  private String send(String queueId, String[] headers) throws IOException {
    try (RawMilterClient mta = new RawMilterClient(port)) {
      mta.answerTimeout(ANSWER).negotiate().messageUpToEom(queueId, "bob@example.org", headers);
      mta.endOfMessage();
      String reply = mta.finalReply();
      System.out.println(queueId + ": " + headers.length / 2 + " fields, answered " + reply);
      return reply;
    }
  }

  private void assertTheDaemonGoesOn() throws IOException {
    assertThat(daemon.isAlive()).as("the daemon (it ends on OutOfMemoryError)").isTrue();
    try (RawMilterClient mta = new RawMilterClient(port)) {
      mta.negotiate().messageUpToEom("N1", "bob@example.org", "Subject", "next");
      mta.endOfMessage();
      assertThat(mta.finalAnswer()).as("the next message").isEqualTo('c');
    }
    assertThat(Files.readString(log)).doesNotContain("OutOfMemoryError");
  }
}
