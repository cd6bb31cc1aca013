package org.caliop.milter;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.caliop.conformance.ConformanceCase;
import org.caliop.conformance.ConformanceCases;
import org.caliop.conformance.ConformanceRun;
import org.caliop.conformance.DeliveredSubject;
import org.caliop.conformance.Outcome;
import org.caliop.facts.HeaderEdit;
import org.caliop.milter.config.Knob;
import org.caliop.policy.PolicyLoader;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The conformance table ({@code org.caliop.conformance.ConformanceCases}) through the milter: a daemon on a loopback
 * port with the case's policy file, driven byte by byte as Postfix drives it (the case's client as macros and
 * events, its envelope and message), and what it answers read back as an outcome, which must be the table's (for a
 * milter, which cannot split a message: one copy). The kind of an answer that looks the same on the wire (accept,
 * already-protected) comes from the daemon's metrics, which count dispositions.
 */
class MilterConformanceTest {
  private static final Pattern ACTION = Pattern.compile("caliop_actions_total\\{action=\"([a-z-]+)\"} 1(\\.0)?\\b");

  @TempDir
  Path dir;

  static Stream<ConformanceCase> cases() {
    return ConformanceCases.all().stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void milterShouldReachTheOutcomeOfTheTable(ConformanceCase c) throws Exception {
    Outcome want = ConformanceRun.wanted(c, dir, false);
    Path d = dir.resolve("milter");
    LoopbackMilter milter = LoopbackMilter.start(PolicyLoader.load(c.writePolicy(d)),
        Map.of(Knob.METRICS_LISTEN, "127.0.0.1:0"));
    try {
      c.afterPolicyLoaded(d);
      assertThat(send(milter, c, want.subject().isPresent())).isEqualTo(want);
    } finally {
      milter.close();
    }
  }

  private static Outcome send(LoopbackMilter milter, ConformanceCase c, boolean subject) throws Exception {
    List<byte[]> answers = new ArrayList<>();
    Outcome o = send(milter, c, answers);
    return subject ? o.withSubject(subject(c, answers)) : o;
  }

  /**
   * The first Subject Postfix would deliver: the message's, as changed in place by a chgheader of index 1 or
   * preceded by an inserted one.
   */
  private static String subject(ConformanceCase c, List<byte[]> answers) {
    List<HeaderEdit> edits = new ArrayList<>();
    for (byte[] a : answers) {
      if (a[0] == 'm' || a[0] == 'i') {
        int index = java.nio.ByteBuffer.wrap(a, 1, 4).getInt();
        String name = text(a, 5);
        String value = text(a, 5 + name.getBytes(StandardCharsets.UTF_8).length + 1);
        if (a[0] == 'i') {
          edits.add(HeaderEdit.add(name, value));
        } else {
          edits.add(value.isEmpty() ? HeaderEdit.remove(name, index)
              : HeaderEdit.replace(name, index, value.replace("\n", "\r\n")));
        }
      }
    }
    return DeliveredSubject.after(c.message(), edits);
  }

  private static Outcome send(LoopbackMilter milter, ConformanceCase c, List<byte[]> seen) throws Exception {
    List<byte[]> answers;
    try (RawMilterClient mta = new RawMilterClient(milter.port)) {
      mta.negotiate().session(c.client, c.sender, c.recipients, c.message());
      mta.endOfMessage();
      answers = mta.rawAnswers();
    }
    seen.addAll(answers);
    String reply = null;
    String quarantine = null;
    String added = null;
    String contentType = null;
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    for (byte[] a : answers) {
      switch ((char) a[0]) {
        case 'y' -> reply = text(a, 1).replace("%%", "%");
        case 'q' -> quarantine = text(a, 1);
        case '+' -> added = text(a, 1);
        case 'b' -> body.write(a, 1, a.length - 1);
        case 'i' -> {
          String name = text(a, 5);
          if (name.equalsIgnoreCase("Content-Type")) {
            contentType = text(a, 5 + name.length() + 1).strip();
          }
        }
        default -> { }
      }
    }
    if (reply != null) {
      return reply.startsWith("5") ? Outcome.reject(reply) : Outcome.tempfail(reply);
    }
    if (quarantine != null) {
      return Outcome.hold(quarantine);
    }
    if (added != null) {
      return Outcome.redirect(added.replaceAll("^<|>$", ""));
    }
    if (body.size() > 0) {
      assertThat(body.toString(StandardCharsets.US_ASCII)).doesNotContain(ConformanceCases.CLEAR_TEXT);
      String format = contentType != null && contentType.startsWith("multipart/encrypted") ? "pgp-mime" : "smime";
      return Outcome.encrypted(List.of(Outcome.copy(format, c.recipients)));
    }
    // The daemon counts the disposition just after it answered: wait for it, a bounded while.
    List<String> kinds = new ArrayList<>();
    for (int i = 0; i < 500 && kinds.isEmpty(); i++) {
      Matcher counted = ACTION.matcher(metrics(milter));
      while (counted.find()) {
        kinds.add(counted.group(1));
      }
      if (kinds.isEmpty()) {
        Thread.sleep(10);
      }
    }
    assertThat(kinds).as("dispositions counted").hasSize(1);
    return kinds.get(0).equals("already-protected") ? Outcome.alreadyProtected() : Outcome.accept();
  }

  /** The daemon's Prometheus text, from its own endpoint. */
  private static String metrics(LoopbackMilter milter) throws java.io.IOException {
    java.net.URL url = new java.net.URL("http://127.0.0.1:" + milter.daemon.metricsAddress().orElseThrow().getPort()
        + "/metrics");
    try (java.io.InputStream in = url.openStream()) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /** The NUL-terminated text at {@code from}. */
  private static String text(byte[] a, int from) {
    int end = from;
    while (end < a.length && a[end] != 0) {
      end++;
    }
    return new String(a, from, end - from, StandardCharsets.UTF_8);
  }
}
