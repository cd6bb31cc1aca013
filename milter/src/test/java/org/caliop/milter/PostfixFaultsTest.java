package org.caliop.milter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Faults with the real Postfix (issue 13, docs/robustness.md): SESSIONS concurrent SMTP clients send MESSAGES
 * messages through a private Postfix and the caliop daemon (a child JVM on a unix socket) while the daemon is killed
 * with SIGKILL at random moments and restarted, the policy file is rewritten every second, valid and broken in turn,
 * and reloaded (SIGHUP), and the spill directory, a small tmpfs, is filled up now and then. A client that gets a 4xx
 * keeps the message and sends it again later, as an MTA would. At the end every message must have been delivered
 * exactly once with our headers, or never accepted: no message accepted without a verdict, none lost, none twice.
 *
 * <p>A short run is part of every build; the long one is {@code bench/milter/faults.sh} ({@code -Dfaults.messages},
 * {@code -Dfaults.sessions}). The counts are printed and written to {@code target/faults-report.txt}.
 */
class PostfixFaultsTest {
  private static final int MESSAGES = Integer.getInteger("faults.messages", 500);
  private static final int SESSIONS = Integer.getInteger("faults.sessions", 32);
  /**
   * The longest time the daemon serves before it is killed, in milliseconds, on top of twice the time its last start
   * took: the time is uniform up to that, so the daemon serves about as long as it takes to start, however loaded
   * the machine is (a JVM start took 1 s on an idle machine, 9 s on a machine running other builds).
   */
  private static final int KILL_EVERY_MS = Integer.getInteger("faults.kill_every_ms", 1000);
  /** How long a client keeps trying one message before the test gives up on it (it then counts as never accepted). */
  private static final int GIVE_UP_S = Integer.getInteger("faults.give_up_s", 600);
  private static final String VALID_POLICY = "version: 1\nmode: enforce\ntrust:\n  internal_networks: [127.0.0.0/8]\n"
      + "global:\n  min_grade: C\n  action: tag\n";
  private static final String BROKEN_POLICY = "version: 1\nmode: enforce\nglobal:\n  action: explode\n";

  @TempDir
  static Path dir;

  @Test
  void everyMessageShouldBeDeliveredOnceWithOurHeadersOrKeptByTheClient() throws Exception {
    assumeTrue(PrivatePostfix.available(), "needs root, /usr/sbin/postfix and openssl (.ci/run installs them)");
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    Path socket = dir.resolve("caliop.sock");
    Path policy = dir.resolve("policy.yaml");
    Files.writeString(policy, VALID_POLICY);
    Path spill = Files.createDirectories(dir.resolve("spill"));
    boolean tmpfs = mountTmpfs(spill, "2m");
    Daemon daemon = new Daemon(socket, policy, spill);
    Report report = new Report();
    try (PrivatePostfix postfix = PrivatePostfix.start(Files.createDirectories(dir.resolve("postfix")),
        Map.of("faults", "unix:" + socket))) {
      daemon.start();
      daemon.downNanos.set(0);
      AtomicBoolean sending = new AtomicBoolean(true);
      ExecutorService faults = Executors.newFixedThreadPool(3);
      List<Future<?>> faultTasks = List.of(
          faults.submit(() -> {
            killAndRestart(daemon, sending, report);
            return null;
          }),
          faults.submit(() -> {
            reloadEverySecond(daemon, policy, sending, report);
            return null;
          }),
          faults.submit(() -> {
            fillSpill(spill, tmpfs, sending, report);
            return null;
          }));
      ExecutorService clients = Executors.newFixedThreadPool(SESSIONS);
      AtomicInteger next = new AtomicInteger();
      List<Future<?>> sessions = new ArrayList<>();
      int port = postfix.smtpPort("faults");
      long started = System.nanoTime();
      for (int s = 0; s < SESSIONS; s++) {
        sessions.add(clients.submit(() -> {
          for (int id = next.getAndIncrement(); id < MESSAGES; id = next.getAndIncrement()) {
            sendUntilAccepted(port, id, report);
          }
          return null;
        }));
      }
      for (Future<?> f : sessions) {
        f.get(4, TimeUnit.HOURS);
      }
      report.seconds = (System.nanoTime() - started) / 1e9;
      report.daemonDownSeconds = daemon.downNanos.get() / 1e9;
      sending.set(false);
      for (Future<?> f : faultTasks) {
        f.get(2, TimeUnit.MINUTES);
      }
      clients.shutdown();
      faults.shutdown();
      postfix.awaitQueueSettled(Duration.ofMinutes(5));
      count(postfix.deliveredDirectory(), report);
      report.queueLeft = postfix.queue().contains("@faults.test");
    } finally {
      daemon.stop();
      if (tmpfs) {
        PrivatePostfix.run(List.of("umount", "-l", spill.toString()));
      }
    }
    String text = report.text(tmpfs);
    System.out.println(text);
    Files.writeString(Path.of("target/faults-report.txt"), text);

    assertThat(report.kills.get()).as("kills").isPositive();
    assertThat(report.reloads.get()).as("reloads").isPositive();
    assertThat(report.rejected.get()).as("5xx answers (the policy accepts everything)").isZero();
    assertThat(report.accepted.size() + report.unknown.size()).as("messages accepted in the end (or whose"
        + " connection broke after the final dot)").isEqualTo(MESSAGES);
    assertThat(report.lost).as("accepted, never delivered").isEmpty();
    assertThat(report.duplicated).as("delivered more than once").isEmpty();
    assertThat(report.withoutVerdict).as("delivered without our headers").isEmpty();
    assertThat(report.unaccepted).as("delivered though never accepted").isEmpty();
    assertThat(report.queueLeft).as("messages left in Postfix's queue").isFalse();
  }

  /** Sends message {@code id} until Postfix accepts it; each 4xx is a try kept by the client. */
  private static void sendUntilAccepted(int port, int id, Report report) throws InterruptedException {
    SplittableRandom random = new SplittableRandom(id);
    // one in ten larger than the daemon's 16 KiB memory buffer, so it goes to the spill directory
    int size = random.nextInt(10) == 0 ? 40_000 + random.nextInt(300_000) : 200 + random.nextInt(8_000);
    String message = message(id, size);
    long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(GIVE_UP_S);
    for (int attempt = 1; System.nanoTime() < giveUp; attempt++) {
      Outcome o = send(port, id, message, report);
      report.attempts.incrementAndGet();
      switch (o) {
        case ACCEPTED -> {
          report.accepted.put(id, attempt);
          return;
        }
        case TEMPFAILED -> report.tempfailed.incrementAndGet();
        case REJECTED -> {
          report.rejected.incrementAndGet();
          return;
        }
        case UNKNOWN -> {
          // the connection broke after the final dot: whether Postfix took it is unknown, so it is not sent again
          report.unknown.add(id);
          return;
        }
        default -> report.connectionErrors.incrementAndGet();
      }
      // as an MTA keeps a deferred message: later, less and less often (here within a second)
      Thread.sleep(Math.min(1000L, 25L << Math.min(attempt, 6)) + random.nextInt(100));
    }
  }

  enum Outcome { ACCEPTED, TEMPFAILED, REJECTED, UNKNOWN, NOT_SENT }

  /** One SMTP transaction on its own connection, without pipelining. */
  private static Outcome send(int port, int id, String message, Report report) {
    boolean dataSent = false;
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout(300_000);
      BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
      OutputStream out = s.getOutputStream();
      if (code(reply(in)) != 220) {
        return Outcome.NOT_SENT;
      }
      for (String command : new String[] {"EHLO client.faults.test", "MAIL FROM:<sender@faults.test>",
          "RCPT TO:<m" + id + "@faults.test>", "DATA"}) {
        out.write((command + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.flush();
        String reply = reply(in);
        int code = code(reply);
        if (code / 100 == 4) {
          report.tempfail(command.split("[ :]")[0], reply);
          return Outcome.TEMPFAILED;
        }
        if (code / 100 == 5) {
          return Outcome.REJECTED;
        }
      }
      out.write(message.getBytes(StandardCharsets.US_ASCII));
      out.write(".\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      dataSent = true;
      String reply = reply(in);
      int code = code(reply);
      out.write("QUIT\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      if (code / 100 == 4) {
        report.tempfail("end of data", reply);
      }
      return code == 250 ? Outcome.ACCEPTED : code / 100 == 4 ? Outcome.TEMPFAILED : Outcome.REJECTED;
    } catch (IOException e) {
      return dataSent ? Outcome.UNKNOWN : Outcome.NOT_SENT;
    }
  }

  /** The last line of a (multi-line) reply. */
  private static String reply(BufferedReader in) throws IOException {
    while (true) {
      String line = in.readLine();
      if (line == null) {
        throw new IOException("connection closed");
      }
      if (line.length() < 4 || line.charAt(3) != '-') {
        return line;
      }
    }
  }

  private static int code(String reply) {
    return Integer.parseInt(reply.substring(0, 3));
  }

  private static String message(int id, int size) {
    StringBuilder b = new StringBuilder("From: sender@faults.test\r\nTo: m" + id + "@faults.test\r\nSubject: fault "
        + id + "\r\nX-Fault-Id: " + id + "\r\nMessage-ID: <fault-" + id + "@faults.test>\r\n\r\n");
    while (b.length() < size) {
      b.append("line ").append(b.length()).append(" of message ").append(id).append(" ...........................\r\n");
    }
    return b.toString();
  }

  private static void killAndRestart(Daemon daemon, AtomicBoolean sending, Report report) throws Exception {
    SplittableRandom random = new SplittableRandom(1);
    while (sending.get()) {
      Thread.sleep(random.nextLong(KILL_EVERY_MS + 2 * daemon.lastStartMillis.get() + 1));
      if (!sending.get()) {
        break;
      }
      daemon.kill();
      report.kills.incrementAndGet();
      daemon.start();
    }
  }

  private static void reloadEverySecond(Daemon daemon, Path policy, AtomicBoolean sending, Report report)
      throws Exception {
    boolean broken = false;
    while (sending.get()) {
      Thread.sleep(1000);
      broken = !broken;
      Path tmp = policy.resolveSibling("policy.yaml.tmp");
      Files.writeString(tmp, broken ? BROKEN_POLICY : VALID_POLICY);
      Files.move(tmp, policy, StandardCopyOption.ATOMIC_MOVE);
      if (daemon.hangUp()) {
        report.reloads.incrementAndGet();
      }
    }
    Files.writeString(policy, VALID_POLICY);
  }

  /** Fills the spill directory's file system now and then, for a moment. */
  private static void fillSpill(Path spill, boolean tmpfs, AtomicBoolean sending, Report report) throws Exception {
    if (!tmpfs) {
      return;
    }
    Path filler = spill.resolve("filler");
    byte[] block = new byte[64 * 1024];
    while (sending.get()) {
      Thread.sleep(3000);
      try (OutputStream out = Files.newOutputStream(filler)) {
        while (true) {
          out.write(block);
        }
      } catch (IOException full) {
        report.spillFull.incrementAndGet();
      }
      Thread.sleep(1000);
      Files.deleteIfExists(filler);
    }
  }

  /** Counts, per message id, the delivered files and whether each starts with our fields. */
  private static void count(Path out, Report report) throws IOException {
    Map<Integer, Integer> deliveries = new ConcurrentHashMap<>();
    try (Stream<Path> files = Files.list(out)) {
      for (Path f : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".eml"))::iterator) {
        String text = Files.readString(f, StandardCharsets.ISO_8859_1);
        int at = text.indexOf("X-Fault-Id: ");
        if (at < 0) {
          continue;
        }
        int id = Integer.parseInt(text.substring(at + 12, text.indexOf('\n', at)).trim());
        deliveries.merge(id, 1, Integer::sum);
        String head = text.substring(0, Math.max(0, text.indexOf("\n\n")));
        if (!head.contains("Caliop-Privacy: ") || !head.contains("Caliop-Hop: ")) {
          report.withoutVerdict.add(id);
        }
        report.delivered.incrementAndGet();
      }
    }
    for (Map.Entry<Integer, Integer> e : deliveries.entrySet()) {
      if (e.getValue() > 1) {
        report.duplicated.add(e.getKey());
      }
      if (!report.accepted.containsKey(e.getKey()) && !report.unknown.contains(e.getKey())) {
        report.unaccepted.add(e.getKey());
      }
    }
    for (Integer id : report.accepted.keySet()) {
      if (!deliveries.containsKey(id)) {
        report.lost.add(id);
      }
    }
  }

  private static boolean mountTmpfs(Path spill, String size) {
    try {
      PrivatePostfix.run(List.of("mount", "-t", "tmpfs", "-o", "size=" + size + ",mode=0700", "tmpfs",
          spill.toString()));
      return true;
    } catch (IOException | InterruptedException e) {
      return false;
    }
  }

  /** The caliop daemon in a child JVM on a unix socket; started again after each kill. */
  private static final class Daemon {
    private final Path socket;
    private final Path policy;
    private final Path spill;
    private final AtomicReference<Process> process = new AtomicReference<>();
    private final AtomicInteger starts = new AtomicInteger();
    private final AtomicBoolean ready = new AtomicBoolean();
    /** Time spent starting (after a kill, or retrying a start on a broken policy file). */
    final AtomicLong downNanos = new AtomicLong();
    final AtomicLong lastStartMillis = new AtomicLong();

    Daemon(Path socket, Path policy, Path spill) {
      this.socket = socket;
      this.policy = policy;
      this.spill = spill;
    }

    /** Starts the daemon and waits until it answers on its socket; a start on a broken policy file is retried. */
    void start() throws IOException, InterruptedException {
      String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
      long t0 = System.nanoTime();
      while (true) {
        Path log = dir.resolve("daemon-" + starts.incrementAndGet() + ".log");
        Process p = new ProcessBuilder(java, "-Xmx256m", "-XX:+UseSerialGC", "-cp",
            System.getProperty("java.class.path"), Main.class.getName(), "--listen", "unix:" + socket, "--policy",
            policy.toString(), "-o", "caliop_spill_directory=" + spill, "-o", "caliop_memory_buffer_size=16k",
            "-o", "caliop_unix_socket_mode=0666").redirectErrorStream(true).redirectOutput(log.toFile()).start();
        process.set(p);
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (p.isAlive() && System.nanoTime() < end) {
          if (answers()) {
            ready.set(true);
            downNanos.addAndGet(System.nanoTime() - t0);
            lastStartMillis.set((System.nanoTime() - t0) / 1_000_000);
            return;
          }
          Thread.sleep(20);
        }
        p.destroyForcibly().waitFor();
        Thread.sleep(100);
      }
    }

    private boolean answers() {
      if (!Files.exists(socket)) {
        return false;
      }
      try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
        ch.connect(UnixDomainSocketAddress.of(socket));
        return true;
      } catch (IOException e) {
        return false;
      }
    }

    void kill() throws InterruptedException {
      ready.set(false);
      Process p = process.get();
      p.destroyForcibly();
      p.waitFor();
    }

    /** SIGHUP: reload the policy, as an admin would: to a daemon that serves (a JVM still starting ends on it). */
    boolean hangUp() throws IOException, InterruptedException {
      Process p = process.get();
      if (p == null || !p.isAlive() || !ready.get()) {
        return false;
      }
      return new ProcessBuilder("kill", "-HUP", Long.toString(p.pid())).start().waitFor() == 0;
    }

    void stop() throws InterruptedException {
      Process p = process.get();
      if (p != null) {
        p.destroy();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
          p.destroyForcibly().waitFor();
        }
      }
    }
  }

  /** What happened, for the assertions and the report. */
  private static final class Report {
    final Map<Integer, Integer> accepted = new ConcurrentHashMap<>();
    final List<Integer> unknown = java.util.Collections.synchronizedList(new ArrayList<>());
    final AtomicLong attempts = new AtomicLong();
    final AtomicLong tempfailed = new AtomicLong();
    /** 4xx answers by SMTP stage and reply text. */
    final Map<String, AtomicLong> tempfailReasons = new ConcurrentHashMap<>();
    final AtomicLong rejected = new AtomicLong();
    final AtomicLong connectionErrors = new AtomicLong();
    final AtomicInteger kills = new AtomicInteger();
    final AtomicInteger reloads = new AtomicInteger();
    final AtomicInteger spillFull = new AtomicInteger();
    final AtomicLong delivered = new AtomicLong();
    final List<Integer> lost = new ArrayList<>();
    final List<Integer> duplicated = new ArrayList<>();
    final List<Integer> withoutVerdict = java.util.Collections.synchronizedList(new ArrayList<>());
    final List<Integer> unaccepted = new ArrayList<>();
    boolean queueLeft;
    double seconds;
    double daemonDownSeconds;

    void tempfail(String stage, String reply) {
      String text = reply.length() > 70 ? reply.substring(0, 70) : reply;
      tempfailReasons.computeIfAbsent(stage + ": " + text, k -> new AtomicLong()).incrementAndGet();
    }

    String text(boolean tmpfs) {
      return String.format(Locale.ROOT, "faults: %d messages, %d sessions, %.0f s of sending%n"
          + "  SMTP transactions %d: accepted %d, tempfailed %d (sent again later), rejected %d, connection errors %d,"
          + " broken after the final dot %d%n"
          + "  daemon killed %d times, policy reloaded %d times (valid and broken in turn), spill file system filled"
          + " %d times%s%n"
          + "  delivered files %d: accepted without a verdict %d, lost %d, duplicated %d, delivered though never"
          + " accepted %d, left in the queue: %s%n"
          + "  daemon not answering %.0f s of the %.0f s (starting after a kill or on a broken policy file)%n"
          + "  4xx answers by stage:%s%n",
          MESSAGES, SESSIONS, seconds, attempts.get(), accepted.size(), tempfailed.get(), rejected.get(),
          connectionErrors.get(), unknown.size(), kills.get(), reloads.get(), spillFull.get(),
          tmpfs ? " (2 MiB tmpfs)" : " (no tmpfs could be mounted: not filled)", delivered.get(),
          withoutVerdict.size(), lost.size(), duplicated.size(), unaccepted.size(), queueLeft ? "yes" : "no",
          daemonDownSeconds, seconds, reasons());
    }

    private String reasons() {
      StringBuilder b = new StringBuilder();
      tempfailReasons.entrySet().stream().sorted(Map.Entry.comparingByKey())
          .forEach(e -> b.append(System.lineSeparator()).append("    ").append(e.getValue().get()).append(" at ")
              .append(e.getKey()));
      return b.toString();
    }
  }
}
