package org.caliop.james.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 of a James 3.8.1 running caliop (issue 13, docs/robustness.md "What kill -9 leaves behind"). James runs in
 * a child JVM ({@link JamesChild}) with the encryption policy, whose rule holds clear mail to a recipient without a
 * key in caliop's hold repository, {@code file://var/mail/caliop-hold/} as shipped. The JVM is killed with SIGKILL
 * while clear mail to be held keeps arriving, then started again on the same directory: every mail held before the
 * kill is still in the repository and readable, none is delivered in clear, and the restarted James holds new mail.
 *
 * <p>What this cannot show: mail James accepted over SMTP but had not yet processed. The memory app's mail queue is
 * in memory (MemoryMailQueueModule), as is its mailbox, so such mail is lost with the JVM; the test prints how many
 * that was (docs/robustness.md).
 */
class JamesKillIT {
  private static final Duration WAIT = Duration.ofSeconds(120);
  private static final int BURST = 40;

  @TempDir
  Path workDir;

  @Test
  void heldMailShouldOutliveKillNineAndNeverBeDeliveredInClear() throws Exception {
    List<String> heldAtKill;
    List<String> accepted = Collections.synchronizedList(new ArrayList<>());
    List<String> sent = new ArrayList<>(List.of("held before kill"));
    for (int i = 0; i < BURST; i++) {
      sent.add("burst " + i);
    }
    try (Child james = Child.start(workDir, "first.log", "CALIOP_ENCRYPT_POLICY_FILE")) {
      JamesServerFixture.send(james.smtpPort, message("held before kill"), "alice@example.org", false,
          "carol@caliop.test");
      james.awaitHeld("held before kill");
      ExecutorService client = Executors.newSingleThreadExecutor();
      try {
        Future<?> burst = client.submit(() -> {
          for (int i = 0; i < BURST; i++) {
            String subject = "burst " + i;
            JamesServerFixture.send(james.smtpPort, message(subject), "alice@example.org", false,
                "carol@caliop.test");
            accepted.add(subject);
          }
          return null;
        });
        // Killed while the burst is under way: some of it held, the rest in flight or not yet sent.
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (james.held().size() < 1 + BURST / 4 && !burst.isDone() && System.nanoTime() < deadline) {
          Thread.sleep(50);
        }
        heldAtKill = james.held();
        james.kill();
        try {
          burst.get(1, TimeUnit.MINUTES);
        } catch (java.util.concurrent.ExecutionException expected) {
          // the connection broke with the JVM
        }
      } finally {
        client.shutdownNow();
      }
    }
    assertThat(heldAtKill).contains("held before kill");

    try (Child james = Child.start(workDir, "second.log", "boot")) {
      List<String> heldAfter = james.held();
      assertThat(heldAfter).containsAll(heldAtKill).doesNotHaveDuplicates();
      assertThat(new HashSet<>(heldAfter)).isSubsetOf(sent);

      // The restarted James judges and holds again; what was held before is not delivered meanwhile.
      JamesServerFixture.send(james.smtpPort, message("held after restart"), "alice@example.org", false,
          "carol@caliop.test");
      james.awaitHeld("held after restart");
      assertThat(james.inbox("carol")).isZero();
      System.out.printf("JamesKillIT: burst of %d, %d accepted (250) before the kill, %d held when killed,"
          + " %d held after the restart; accepted but neither held nor delivered (the memory app's mail queue): %d%n",
          BURST, accepted.size(), heldAtKill.size() - 1, heldAfter.size() - 1,
          accepted.stream().filter(s -> !heldAfter.contains(s)).count());
    }
  }

  private static byte[] message(String subject) {
    return ("From: alice@example.org\r\nTo: carol@caliop.test\r\nSubject: " + subject + "\r\n"
        + "Message-ID: <" + subject.replace(' ', '-') + "@example.org>\r\nMIME-Version: 1.0\r\n"
        + "Content-Type: text/plain; charset=us-ascii\r\n\r\nThe secret plan.\r\n").getBytes(StandardCharsets.US_ASCII);
  }

  /** A James in a child JVM, its output in a log file of the working directory. */
  private static final class Child implements AutoCloseable {
    private final Process process;
    private final Path log;
    private final OutputStream commands;
    private final int smtpPort;
    private int asked;

    private Child(Process process, Path log) throws Exception {
      this.process = process;
      this.log = log;
      this.commands = process.getOutputStream();
      this.smtpPort = Integer.parseInt(await("ready smtp ").trim());
    }

    /** {@code how}: a variant (fresh working directory) or {@code boot} (the same one again). */
    static Child start(Path workDir, String logName, String how) throws Exception {
      Path log = Files.createDirectories(Path.of("target", "james-kill")).resolve(logName).toAbsolutePath();
      List<String> command = new ArrayList<>(Arrays.asList(
          Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx512m",
          "-Dcaliop.james.jar=" + System.getProperty("caliop.james.jar"),
          "-Dcaliop.hooks.jar=" + System.getProperty("caliop.hooks.jar"),
          "-Djames.exit.on.startup.error=true", "-Dcaliop.log.level=WARN",
          "-cp", System.getProperty("java.class.path"), JamesChild.class.getName(),
          workDir.toString(), how, "bob", "carol"));
      Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
      try {
        return new Child(process, log);
      } catch (Exception | AssertionError e) {
        process.destroyForcibly().waitFor();
        throw e;
      }
    }

    List<String> held() throws Exception {
      String answer = ask("held");
      return answer.isEmpty() ? List.of() : Arrays.asList(answer.split("\\|"));
    }

    long inbox(String user) throws Exception {
      String answer = ask("inbox " + user);
      return Long.parseLong(answer.substring(answer.lastIndexOf(' ') + 1));
    }

    void awaitHeld(String subject) throws Exception {
      long deadline = System.nanoTime() + WAIT.toNanos();
      while (!held().contains(subject)) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError("'" + subject + "' not held within " + WAIT);
        }
        Thread.sleep(100);
      }
    }

    /** SIGKILL: no shutdown hook, no James stop, nothing flushed. */
    void kill() throws InterruptedException {
      process.destroyForcibly().waitFor();
    }

    /**
     * The child's answer to {@code command}, asked again while James answers an error (its file repository cannot
     * read a mail that is being stored).
     */
    private String ask(String command) throws Exception {
      String verb = command.split(" ")[0] + " ";
      for (int attempt = 0; ; attempt++) {
        asked++;
        commands.write((asked + " " + command + "\n").getBytes(StandardCharsets.UTF_8));
        commands.flush();
        String answer = await(asked + " ");
        if (answer.startsWith(verb)) {
          return answer.substring(verb.length());
        }
        if (!answer.startsWith("error ") || attempt == 20) {
          throw new AssertionError("James answered '" + answer + "' to " + command);
        }
        Thread.sleep(100);
      }
    }

    /** The rest of the child's answer line that starts with {@code prefix}. */
    private String await(String prefix) throws Exception {
      String marker = JamesChild.ANSWER + prefix;
      long deadline = System.nanoTime() + WAIT.toNanos();
      while (true) {
        for (String line : lines()) {
          if (line.startsWith(marker)) {
            return line.substring(marker.length());
          }
        }
        if (!process.isAlive()) {
          throw new AssertionError("James child JVM exited with " + process.exitValue() + "; see " + log);
        }
        if (System.nanoTime() > deadline) {
          throw new AssertionError("no '" + marker + "' from James within " + WAIT + "; see " + log);
        }
        Thread.sleep(100);
      }
    }

    private List<String> lines() throws IOException {
      return Files.readAllLines(log, StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() throws Exception {
      if (process.isAlive()) {
        commands.close();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
          process.destroyForcibly().waitFor();
        }
      }
    }
  }
}
