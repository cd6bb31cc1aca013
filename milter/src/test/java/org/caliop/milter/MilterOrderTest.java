package org.caliop.milter;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.caliop.milter.config.Knob;
import org.caliop.milter.config.MilterConfig;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Which {@code Authentication-Results} each milter sees, and what caliop believes, with a real Postfix running a
 * real OpenDKIM (verify mode, keys from a file, never DNS) before or after caliop (issue 11, docs/milter.md
 * "Authentication-Results and the order of milters"). A recording milter placed right before a milter sees exactly
 * what that milter sees. The client connects from 127.0.0.1, which the policies do not count as ours, so it plays an
 * outside sender.
 *
 * <p>What it shows, and pins:
 * <ul>
 *   <li>Postfix never shows a milter its own {@code Received:} line;</li>
 *   <li>a milter sees what the milters before it added and removed;</li>
 *   <li>a field a milter inserts at the top lands above Postfix's own {@code Received:} in the delivered message;</li>
 *   <li>OpenDKIM (default settings) removes a forged field of its authserv-id that carries a DKIM result, and
 *   leaves one that does not ({@code dmarc=pass} only);</li>
 *   <li>so: caliop before OpenDKIM (default) removes every forged field and OpenDKIM adds the only one delivered;
 *   OpenDKIM before caliop works only with {@code trust.authserv_upstream: [dkim]}, and caliop still takes out the
 *   dmarc-only forgery OpenDKIM left; without the declaration caliop takes out OpenDKIM's own field too.</li>
 * </ul>
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MilterOrderTest {
  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final String ID = "mx.caliop.test";
  private static final String FORGED_DKIM = "Authentication-Results: " + ID + "; dkim=pass header.d=sender.example;"
      + " dmarc=pass header.from=sender.example\r\n";
  private static final String FORGED_DMARC = "Authentication-Results: " + ID + "; dmarc=pass"
      + " header.from=sender.example\r\n";

  @TempDir
  static Path dir;

  private final List<AutoCloseable> running = new ArrayList<>();
  private PrivatePostfix postfix;
  private PrivateOpenDkim opendkim;
  private RecordingMilter front;
  private RecordingMilter middle;

  @BeforeAll
  void start() throws Exception {
    assumeTrue(PrivatePostfix.available() && PrivateOpenDkim.available(),
        "needs root, Postfix, openssl and OpenDKIM (.ci/run installs them)");
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
    opendkim = PrivateOpenDkim.start(dir.resolve("opendkim"), ID, List.of("sender.example", "attacker.example"));
    running.add(opendkim);
    String plain = caliop("plain", "");
    String upstream = caliop("upstream", "  authserv_upstream: [dkim]\n");
    front = RecordingMilter.start();
    running.add(front);
    middle = RecordingMilter.start();
    running.add(middle);
    Map<String, String> milters = new LinkedHashMap<>();
    milters.put("caliopfirst", String.join(",", front.milter(), plain, middle.milter(), opendkim.milter()));
    milters.put("opendkimfirst", String.join(",", front.milter(), opendkim.milter(), middle.milter(), upstream));
    milters.put("undeclared", String.join(",", front.milter(), opendkim.milter(), middle.milter(), plain));
    postfix = PrivatePostfix.start(Files.createDirectories(dir.resolve("postfix")), milters);
  }

  /** A caliop milter whose policy trusts our authserv-id but not the loopback client; returns its milter entry. */
  private String caliop(String name, String moreTrust) throws Exception {
    Path policy = dir.resolve(name + ".yaml");
    Files.writeString(policy, "version: 1\ntrust:\n  internal_networks: [10.99.0.0/16]\n  local_domains: [caliop.test]\n"
        + "  trusted_authserv_ids: [" + ID + "]\n" + moreTrust + "global:\n  action: tag\n");
    Map<Knob, String> settings = new EnumMap<>(Knob.class);
    settings.put(Knob.LISTEN, "inet:127.0.0.1:0");
    settings.put(Knob.POLICY_FILE, policy.toString());
    MilterConfig config = MilterConfig.of(settings);
    CaliopMilter m = CaliopMilter.start(config, Policies.open(config));
    running.add(m);
    return "inet:127.0.0.1:" + ((InetSocketAddress) m.addresses().get(0)).getPort();
  }

  @AfterAll
  void stop() throws Exception {
    if (postfix != null) {
      postfix.close();
    }
    for (AutoCloseable c : running) {
      c.close();
    }
  }

  /** One message through one listener: what the front and middle recorders saw, and what was delivered. */
  private record Run(List<String> front, List<String> middle, String delivered) {
    List<String> authResults(List<String> fields) {
      return fields.stream().filter(f -> f.regionMatches(true, 0, "Authentication-Results:", 0, 23)).toList();
    }

    /** Header field names and values of the delivered message, top first, unfolded. */
    List<String> deliveredFields() {
      List<String> out = new ArrayList<>();
      for (String line : delivered.split("\r?\n")) {
        if (line.isEmpty()) {
          break;
        }
        if ((line.startsWith(" ") || line.startsWith("\t")) && !out.isEmpty()) {
          out.set(out.size() - 1, out.get(out.size() - 1) + " " + line.strip());
        } else {
          out.add(line);
        }
      }
      return out;
    }

    List<String> deliveredAuthResults() {
      return authResults(deliveredFields());
    }

    /** The reason codes of the delivered {@code Caliop-Privacy}. */
    List<String> reasons() {
      String p = deliveredFields().stream().filter(f -> f.startsWith("Caliop-Privacy:")).findFirst().orElse("");
      int start = p.indexOf("reasons=(");
      return start < 0 ? List.of() : List.of(p.substring(start + 9, p.indexOf(')', start)).trim().split("\\s+"));
    }
  }

  private Run send(String listener, String testCase, String from, String signer, String top) throws Exception {
    String body = "From: <" + from + ">\r\nTo: <bob@caliop.test>\r\nSubject: order\r\nDate: Mon, 1 Jan 2024 00:00:00"
        + " +0000\r\nMessage-ID: <" + testCase + "@sender.example>\r\n" + RecordingMilter.CASE_FIELD + ": " + testCase
        + "\r\n\r\nHello\r\n";
    String message = top + (signer == null ? body : opendkim.sign(body, signer));
    SmtpClient.Result r = SmtpClient.send(postfix.smtpPort(listener), null, from, List.of("bob@caliop.test"),
        message);
    assertThat(r.code()).as(r.reply()).isEqualTo(250);
    List<Path> files = postfix.awaitDelivered("<" + testCase + "@", WAIT);
    assertThat(files).as("delivered " + testCase).hasSize(1);
    String delivered = Files.readString(files.get(0), StandardCharsets.ISO_8859_1);
    return new Run(front.fields(testCase), middle.fields(testCase), delivered);
  }

  // ---- what Postfix shows milters ----

  @Test
  void postfixShouldShowNoMilterItsOwnReceivedAndEachMilterTheEditsOfThoseBefore() throws Exception {
    Run caliopFirst = send("caliopfirst", "show-1", "alice@sender.example", "sender.example", "");
    Run opendkimFirst = send("opendkimfirst", "show-2", "alice@sender.example", "sender.example", "");

    for (Run run : List.of(caliopFirst, opendkimFirst)) {
      assertThat(run.front()).noneMatch(f -> f.startsWith("Received:"));
      assertThat(run.middle()).noneMatch(f -> f.startsWith("Received:"));
      assertThat(run.deliveredFields()).anyMatch(f -> f.startsWith("Received:") && f.contains("by " + ID));
    }
    // OpenDKIM, after caliop, sees caliop's fields; caliop, after OpenDKIM, sees OpenDKIM's result on top.
    assertThat(caliopFirst.middle().get(0)).startsWith("Caliop-Privacy:");
    assertThat(opendkimFirst.middle().get(0)).startsWith("Authentication-Results: " + ID).contains("dkim=pass");
  }

  @Test
  void aFieldAMilterInsertsAtTheTopShouldLandAbovePostfixsOwnReceived() throws Exception {
    Run run = send("opendkimfirst", "place-1", "alice@sender.example", "sender.example", "");

    List<String> fields = run.deliveredFields();
    int ar = indexOf(fields, "Authentication-Results: " + ID);
    int received = indexOf(fields, "Received: from");
    assertThat(ar).isNotNegative().isLessThan(received);
    assertThat(indexOf(fields, "Caliop-Privacy:")).isLessThan(received);
  }

  @Test
  void openDkimShouldRemoveForgedFieldsOfItsIdWithADkimResultButNotOthers() throws Exception {
    Run withDkim = send("opendkimfirst", "strip-1", "alice@sender.example", null, FORGED_DKIM);
    Run dmarcOnly = send("opendkimfirst", "strip-2", "alice@sender.example", "sender.example", FORGED_DMARC);

    assertThat(withDkim.authResults(withDkim.front())).hasSize(1);
    assertThat(withDkim.authResults(withDkim.middle())).singleElement().asString().doesNotContain("dmarc=pass");
    assertThat(dmarcOnly.authResults(dmarcOnly.middle())).hasSize(2)
        .anyMatch(f -> f.contains("dkim=pass")).anyMatch(f -> f.contains("dmarc=pass"));
  }

  // ---- caliop before OpenDKIM (the default set-up) ----

  @Test
  void caliopFirstShouldTakeOutForgeriesSoOpenDkimsFieldIsTheOnlyOneDelivered() throws Exception {
    Run run = send("caliopfirst", "first-1", "alice@sender.example", null, FORGED_DKIM);

    assertThat(run.authResults(run.front())).hasSize(1);
    assertThat(run.authResults(run.middle())).as("OpenDKIM never sees the forgery").isEmpty();
    assertThat(run.deliveredAuthResults()).singleElement().asString().contains("dkim=none")
        .doesNotContain("dmarc=pass");
    assertThat(run.reasons()).contains("authres-not-believed").doesNotContain("dmarc-pass", "dkim-pass");
  }

  @Test
  void caliopFirstShouldEarnNoAuthenticationPointsForAGenuineSignature() throws Exception {
    Run run = send("caliopfirst", "first-2", "alice@sender.example", "sender.example", "");

    assertThat(run.reasons()).contains("auth-unknown").doesNotContain("dkim-pass");
    assertThat(run.deliveredAuthResults()).singleElement().asString().contains("dkim=pass");
  }

  // ---- OpenDKIM before caliop, declared: trust.authserv_upstream: [dkim] ----

  @Test
  void openDkimFirstShouldLetCaliopBelieveItsAlignedPass() throws Exception {
    Run run = send("opendkimfirst", "up-1", "alice@sender.example", "sender.example", "");

    assertThat(run.reasons()).contains("dkim-pass").doesNotContain("authres-not-believed");
    assertThat(run.deliveredAuthResults()).singleElement().asString().contains("dkim=pass");
  }

  @Test
  void openDkimFirstShouldNotLetTheDmarcOnlyForgeryThrough() throws Exception {
    Run run = send("opendkimfirst", "up-2", "alice@sender.example", "sender.example", FORGED_DMARC);

    assertThat(run.reasons()).contains("dkim-pass", "authres-not-believed").doesNotContain("dmarc-pass");
    assertThat(run.deliveredAuthResults()).singleElement().asString().contains("dkim=pass")
        .doesNotContain("dmarc");
  }

  @Test
  void aPhishSignedByTheAttackersDomainShouldEarnNoDkimPoints() throws Exception {
    Run run = send("opendkimfirst", "up-3", "security@bank.example", "attacker.example", "");

    assertThat(run.deliveredAuthResults()).singleElement().asString().contains("dkim=pass")
        .contains("header.d=attacker.example");
    assertThat(run.reasons()).contains("dkim-pass-unaligned").doesNotContain("dkim-pass");
  }

  @Test
  void aGarbageSignatureShouldEarnNothing() throws Exception {
    String garbage = "DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=sender.example; s=sel; h=From:To;"
        + " bh=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=; b=AAAAAAAAAAAAAAAA\r\n";
    Run run = send("opendkimfirst", "up-4", "alice@sender.example", null, garbage);

    assertThat(run.deliveredAuthResults()).singleElement().asString().doesNotContain("dkim=pass");
    assertThat(run.reasons()).doesNotContain("dkim-pass").anyMatch(c -> c.startsWith("dkim-"));
  }

  // ---- OpenDKIM before caliop, not declared ----

  @Test
  void openDkimFirstWithoutTheDeclarationShouldCostOpenDkimsOwnField() throws Exception {
    Run run = send("undeclared", "undeclared-1", "alice@sender.example", "sender.example", "");

    assertThat(run.authResults(run.middle())).singleElement().asString().contains("dkim=pass");
    assertThat(run.deliveredAuthResults()).isEmpty();
    assertThat(run.reasons()).contains("authres-not-believed").doesNotContain("dkim-pass");
  }

  private static int indexOf(List<String> fields, String prefix) {
    for (int i = 0; i < fields.size(); i++) {
      if (fields.get(i).toLowerCase(Locale.ROOT).startsWith(prefix.toLowerCase(Locale.ROOT))) {
        return i;
      }
    }
    return -1;
  }
}
