package org.caliop.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.caliop.auth.Alignment;
import org.caliop.auth.AuthResult;
import org.caliop.facts.ConnectionFacts;
import org.caliop.facts.Envelope;
import org.caliop.facts.HeaderEdit;
import org.caliop.policy.Action;
import org.caliop.policy.PolicyException;
import org.caliop.policy.PolicyHolder;
import org.caliop.score.Reason;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 11, Authentication-Results (RFC 8601 §5): a field claiming our authserv-id is believed only when it was
 * written inside our trusted run, or at the top of what the client sent when the admin declared a verifier in front
 * of caliop for its methods; DKIM and SPF count only aligned with {@code From:}; ARC only for listed sealers.
 * Every case goes through {@link Engine#evaluate}, with the input an attacker would send.
 */
class AuthenticationResultsEngineTest {
  private static final String OURS = "mx.example.org";
  /** The MX's own Received:, as the mailbox host (or the CLI) sees it, below the mailbox's LMTP line. */
  private static final String MAILBOX = "Received: from mx.example.org (mx.example.org [10.0.0.2]) by imap.example.org"
      + " with LMTP id 1; Mon, 1 Jan 2024 00:00:02 +0000\r\n";
  private static final String MX = "Received: from out.sender.example (out.sender.example [192.0.2.7]) by"
      + " mx.example.org with ESMTPS id 2; Mon, 1 Jan 2024 00:00:01 +0000\r\n";
  private static final String SENDER = "Received: from pc.sender.example ([192.0.2.99]) by out.sender.example with"
      + " ESMTPSA id 3; Mon, 1 Jan 2024 00:00:00 +0000\r\n";

  @TempDir
  Path dir;

  private Verdict judge(String policyText, ConnectionFacts connection, String message)
      throws IOException, PolicyException {
    Path file = dir.resolve("policy.yaml");
    Files.writeString(file, policyText);
    return new Engine(PolicyHolder.load(file)).evaluate(connection, Envelope.of("a@sender.example",
        List.of("ceo@example.org")), MessageSource.of(message.getBytes(StandardCharsets.UTF_8)));
  }

  private static String trust(String more) {
    // the MX (10.0.0.2) relays to the mailbox host: its Received: lines are believed (trusted_relays)
    return "version: 1\ntrust:\n  internal_networks: [10.0.0.0/24]\n  trusted_relays:\n    - networks: [10.0.0.2]\n"
        + "  internal_hosts: [mx.example.org, imap.example.org]\n  local_domains: [example.org]\n"
        + "  trusted_authserv_ids: [" + OURS + "]\n" + more;
  }

  private static String message(String top, String from) {
    return top + "From: <" + from + ">\r\nTo: <ceo@example.org>\r\nSubject: hi\r\n\r\nhello\r\n";
  }

  /** What an external client of our MX hands over; Postfix shows the milter nothing of its own. */
  private static ConnectionFacts external() {
    return ConnectionFacts.builder().clientAddress("192.0.2.7").clientName("out.sender.example")
        .helo("out.sender.example").tlsVersion("TLSv1.3").queueId("4ABC").receivedBy(OURS).build();
  }

  private static List<String> codes(Verdict v) {
    return v.score().reasons().stream().map(Reason::code).collect(Collectors.toList());
  }

  private static List<HeaderEdit> removals(Verdict v) {
    return v.headerEdits().stream().filter(e -> e.kind() == HeaderEdit.Kind.REMOVE).collect(Collectors.toList());
  }

  // ---- a field the sender wrote with our authserv-id is believed nowhere ----

  @Test
  void aForgedFieldAtTheTopOfWhatAClientSentShouldNotBeBelievedAndShouldBeTakenOut() throws Exception {
    Verdict v = judge(trust(""), external(), message("Authentication-Results: mx.example.org; dkim=pass"
        + " header.d=example.org; spf=pass smtp.mailfrom=example.org; dmarc=pass header.from=example.org\r\n"
        + SENDER, "ceo@example.org"));

    assertThat(v.facts().auth().isEmpty()).isTrue();
    assertThat(codes(v)).contains("authres-not-believed").doesNotContain("dmarc-pass", "dkim-pass", "spf-pass");
    assertThat(removals(v)).containsExactly(HeaderEdit.remove("Authentication-Results", 1));
  }

  @Test
  void aForgedFieldBelowTheEntryHopsReceivedShouldNotBeBelievedInStoredMail() throws Exception {
    // The mailbox copy: our MX's verifier wrote the top field; the sender's forgery came in below the MX's line.
    Verdict v = judge(trust(""), null, message(MAILBOX + "Authentication-Results: mx.example.org; spf=none"
        + " smtp.mailfrom=example.org\r\n" + MX + "Authentication-Results: mx.example.org; dmarc=pass"
        + " header.from=example.org; dkim=pass header.d=example.org\r\n" + SENDER, "ceo@example.org"));

    assertThat(v.facts().auth().spf().map(r -> r.result())).contains(AuthResult.NONE);
    assertThat(v.facts().auth().dmarc()).as("never filled in from a lower field").isEmpty();
    assertThat(v.facts().auth().dkim()).isEmpty();
    assertThat(removals(v)).containsExactly(HeaderEdit.remove("Authentication-Results", 2));
  }

  @Test
  void aForgedFieldBelowAClaimedReceivedShouldNeverFillInAMethod() throws Exception {
    Verdict v = judge(trust(""), null, message(MAILBOX + "Authentication-Results: mx.example.org; dkim=pass"
        + " header.d=example.org\r\n" + MX + SENDER + "Authentication-Results: mx.example.org; dmarc=pass"
        + " header.from=example.org\r\n", "ceo@example.org"));

    assertThat(v.facts().auth().dkim().map(r -> r.alignedPass())).contains(true);
    assertThat(v.facts().auth().dmarc()).isEmpty();
    assertThat(v.facts().auth().notBelieved()).isEqualTo(1);
  }

  @Test
  void storedMailWithoutATrustedRunShouldBelieveNothing() throws Exception {
    Verdict v = judge("version: 1\ntrust:\n  trusted_authserv_ids: [" + OURS + "]\n", null,
        message("Authentication-Results: mx.example.org; dmarc=pass header.from=example.org\r\n",
            "ceo@example.org"));

    assertThat(v.facts().auth().isEmpty()).isTrue();
    assertThat(v.facts().auth().notBelieved()).isEqualTo(1);
  }

  @Test
  void renameShouldKeepTheForgedFieldUnderTheRenamePrefix() throws Exception {
    String forged = "mx.example.org; dmarc=pass header.from=example.org";
    Verdict v = judge(trust("  foreign_header_action: rename\n"), external(),
        message("Authentication-Results: " + forged + "\r\n", "ceo@example.org"));

    assertThat(removals(v)).containsExactly(HeaderEdit.remove("Authentication-Results", 1));
    assertThat(v.headerEdits()).contains(HeaderEdit.add("X-Untrusted-Authentication-Results", forged));
  }

  /**
   * Spellings a reader takes for our id (a trailing dot, another case, a full-width or ideographic dot, full-width
   * letters): never believed, and taken out like any forgery of ours, so no filter or client after us reads them.
   */
  @Test
  void aForgedFieldWithOurIdSpeltAnotherWayShouldBeTakenOutAndNeverBelieved() throws Exception {
    for (String id : new String[] {"mx.example.org.", "MX.Example.ORG", "mx\uff0eexample\uff0eorg",
        "mx\u3002example\u3002org", "\uff4dx.example.org"}) {
      Verdict v = judge(trust(""), external(), message("Authentication-Results: " + id + "; dmarc=pass"
          + " header.from=example.org\r\n" + SENDER, "ceo@example.org"));

      assertThat(v.facts().auth().dmarc()).as(id).isEmpty();
      assertThat(removals(v)).as(id).containsExactly(HeaderEdit.remove("Authentication-Results", 1));
    }
  }

  @Test
  void fieldsOfOtherAuthservIdsShouldBeLeftAlone() throws Exception {
    Verdict v = judge(trust(""), external(), message("Authentication-Results: mx.google.com; dkim=pass"
        + " header.d=example.org\r\n" + SENDER, "ceo@example.org"));

    assertThat(v.facts().auth().isEmpty()).isTrue();
    assertThat(removals(v)).isEmpty();
    assertThat(codes(v)).doesNotContain("authres-not-believed");
  }

  // ---- require_dmarc_pass and a spoofed From: of our own user ----

  @Test
  void aSpoofedFromOfOurOwnUserShouldNotPassRequireDmarcPass() throws Exception {
    // Mail to our domain must prove it comes from the domain it says: the CEO's own address is the phisher's pick.
    String policy = trust("domains:\n  example.org:\n    applies_to: recipient\n    require_dmarc_pass: true\n"
        + "    action: reject\n");
    String forged = "Authentication-Results: mx.example.org; dmarc=pass header.from=example.org\r\n";

    for (ConnectionFacts c : new ConnectionFacts[] {external(), null}) {
      Verdict v = judge(policy, c, message(forged + SENDER, "ceo@example.org"));
      assertThat(v.decision().action()).as("connection %s", c).isEqualTo(Action.REJECT);
      assertThat(v.decision().reasons()).contains("DMARC did not pass (no trusted result)");
    }
  }

  @Test
  void aDeclaredUpstreamVerifierForDkimShouldNotMakeADmarcClaimBelievable() throws Exception {
    // OpenDKIM in front of caliop removes forged fields of ours only when they carry a DKIM result (measured in
    // MilterOrderTest): a dmarc-only forgery survives it, and caliop must not believe it.
    String policy = trust("  authserv_upstream: [dkim]\ndomains:\n  example.org:\n    applies_to: recipient\n"
        + "    require_dmarc_pass: true\n    action: reject\n");
    Verdict v = judge(policy, external(), message("Authentication-Results: mx.example.org; dkim=pass"
        + " header.d=example.org\r\nAuthentication-Results: mx.example.org; dmarc=pass header.from=example.org\r\n"
        + SENDER, "ceo@example.org"));

    assertThat(v.decision().action()).isEqualTo(Action.REJECT);
    assertThat(v.facts().auth().dkim().map(r -> r.alignedPass())).contains(true);
    assertThat(removals(v)).containsExactly(HeaderEdit.remove("Authentication-Results", 2));
  }

  @Test
  void aDeclaredUpstreamVerifiersFieldShouldBeBelievedAndKept() throws Exception {
    Verdict v = judge(trust("  authserv_upstream: [dkim]\n"), external(), message("Authentication-Results:"
        + " mx.example.org; dkim=pass (1024-bit key) header.d=example.org; dkim-atps=neutral\r\n" + SENDER,
        "ceo@example.org"));

    assertThat(codes(v)).contains("dkim-pass");
    assertThat(removals(v)).isEmpty();
  }

  @Test
  void theSameFieldWithoutADeclaredUpstreamVerifierShouldBeTakenOut() throws Exception {
    Verdict v = judge(trust(""), external(), message("Authentication-Results: mx.example.org; dkim=pass"
        + " header.d=example.org\r\n" + SENDER, "ceo@example.org"));

    assertThat(codes(v)).doesNotContain("dkim-pass");
    assertThat(removals(v)).containsExactly(HeaderEdit.remove("Authentication-Results", 1));
  }

  @Test
  void anUpstreamDeclarationShouldNotReachBelowTheFirstClaimedReceived() throws Exception {
    Verdict v = judge(trust("  authserv_upstream: [dkim]\n"), external(), message(SENDER
        + "Authentication-Results: mx.example.org; dkim=pass header.d=example.org\r\n", "ceo@example.org"));

    assertThat(v.facts().auth().isEmpty()).isTrue();
    assertThat(removals(v)).containsExactly(HeaderEdit.remove("Authentication-Results", 1));
  }

  @Test
  void aFieldAboveOurOwnVisibleReceivedShouldBeBelievedAndOneBelowItNot() throws Exception {
    // James shows mailets its own Received: (folded into the first-hand hop by queue id): a field above it was
    // written after our server received the message; one below came with it.
    String own = "Received: from out.sender.example (out.sender.example [192.0.2.7]) by mx.example.org with ESMTPS"
        + " id 4ABC; Mon, 1 Jan 2024 00:00:01 +0000\r\n";
    Verdict v = judge(trust(""), external(), message("Authentication-Results: mx.example.org; spf=pass"
        + " smtp.mailfrom=a@example.org\r\n" + own + "Authentication-Results: mx.example.org; dmarc=pass"
        + " header.from=example.org\r\n" + SENDER, "ceo@example.org"));

    assertThat(codes(v)).contains("spf-pass").doesNotContain("dmarc-pass");
    assertThat(removals(v)).containsExactly(HeaderEdit.remove("Authentication-Results", 2));
  }

  // ---- alignment: a pass for another domain earns nothing ----

  @Test
  void aPhishFromBankSignedByAttackerShouldEarnNoDkimPoints() throws Exception {
    String policy = trust("global:\n  require_dkim_pass: true\n  action: tag\n");
    Verdict v = judge(policy, null, message(MAILBOX + "Authentication-Results: mx.example.org; dkim=pass"
        + " header.d=attacker.example header.i=@attacker.example; spf=pass smtp.mailfrom=bounce@attacker.example\r\n"
        + MX + SENDER, "security@bank.example"));

    assertThat(v.facts().auth().dkim().map(r -> r.alignment())).contains(Alignment.UNALIGNED);
    assertThat(codes(v)).contains("dkim-pass-unaligned", "spf-pass-unaligned").doesNotContain("dkim-pass",
        "spf-pass");
    assertThat(v.score().reasons()).noneMatch(r -> r.code().startsWith("sender-"));
    assertThat(v.decision().reasons()).contains("DKIM passed for attacker.example, not the From: domain");
  }

  @Test
  void aSignatureOfASubdomainOfTheSameOrganisationShouldBeAligned() throws Exception {
    Verdict v = judge(trust(""), null, message(MAILBOX + "Authentication-Results: mx.example.org; dkim=pass"
        + " header.d=mail.bank.example; spf=pass smtp.mailfrom=bounce@bank.example\r\n" + MX + SENDER,
        "news@bank.example"));

    assertThat(codes(v)).contains("dkim-pass", "spf-pass");
  }

  @Test
  void alignmentShouldUseThePrivateSectionOfThePublicSuffixList() throws Exception {
    Verdict v = judge(trust(""), null, message(MAILBOX + "Authentication-Results: mx.example.org; dkim=pass"
        + " header.d=evil.github.io\r\n" + MX + SENDER, "alerts@bank.github.io"));

    assertThat(codes(v)).contains("dkim-pass-unaligned");
  }

  @Test
  void aDmarcPassForAnotherDomainShouldNotCount() throws Exception {
    Verdict v = judge(trust(""), null, message(MAILBOX + "Authentication-Results: mx.example.org; dmarc=pass"
        + " header.from=attacker.example\r\n" + MX + SENDER, "ceo@example.org"));

    assertThat(codes(v)).contains("dmarc-pass-unaligned").doesNotContain("dmarc-pass");
  }

  @Test
  void twoFromFieldsShouldAlignNothing() throws Exception {
    Verdict v = judge(trust(""), null, MAILBOX + "Authentication-Results: mx.example.org; dkim=pass"
        + " header.d=attacker.example\r\n" + MX + SENDER + "From: <x@attacker.example>\r\nFrom: <ceo@example.org>\r\n"
        + "\r\nhi\r\n");

    assertThat(v.facts().auth().dkim().map(r -> r.alignment())).contains(Alignment.UNKNOWN);
    assertThat(codes(v)).contains("dkim-pass-unaligned");
  }

  // ---- garbage signatures earn nothing ----

  @Test
  void aGarbageSignatureShouldEarnNothingAndMeetNoRequirement() throws Exception {
    String policy = trust("global:\n  require_dkim_pass: true\n  require_signed: true\n  action: reject\n");
    Verdict v = judge(policy, null, message(MAILBOX + "Authentication-Results: mx.example.org; dkim=neutral"
        + " (bad format) header.d=example.org\r\n" + MX + SENDER + "DKIM-Signature: v=1; a=rsa-sha256;"
        + " d=example.org; s=x; b=garbage; bh=garbage; h=From\r\n", "ceo@example.org"));

    assertThat(v.decision().action()).isEqualTo(Action.REJECT);
    assertThat(v.decision().reasons()).contains("DKIM did not pass (neutral)");
    // A DKIM-Signature is no end-to-end signature: require_signed fails whatever the content detector's wording.
    assertThat(v.decision().reasons()).anyMatch(r -> r.contains("signed") && !r.contains("DKIM"));
    assertThat(codes(v)).contains("dkim-neutral").doesNotContain("dkim-pass");
  }

  // ---- ARC: only listed sealers ----

  private static final String ARC = "ARC-Seal: i=2; a=rsa-sha256; cv=pass; d=lists.example; s=k; b=x\r\n"
      + "ARC-Seal: i=1; a=rsa-sha256; cv=none; d=sender.example; s=k; b=x\r\n";

  @Test
  void anArcPassFromAnUnlistedSealerShouldEarnNothing() throws Exception {
    Verdict v = judge(trust(""), null, message(MAILBOX + "Authentication-Results: mx.example.org; arc=pass\r\n" + MX
        + ARC + SENDER, "ceo@example.org"));

    assertThat(codes(v)).contains("arc-pass-unlisted-sealer").doesNotContain("arc-pass");
    assertThat(v.facts().auth().arc().flatMap(r -> r.domain())).contains("lists.example");
  }

  @Test
  void anArcPassSealedByAListedSealerShouldCount() throws Exception {
    Verdict v = judge(trust("  trusted_arc_sealers: [Lists.Example]\n"), null, message(MAILBOX
        + "Authentication-Results: mx.example.org; arc=pass\r\n" + MX + ARC + SENDER, "ceo@example.org"));

    assertThat(codes(v)).contains("arc-pass");
    assertThat(v.score().value()).isGreaterThanOrEqualTo(5);
  }

  @Test
  void anArcPassWithoutAnySealShouldEarnNothing() throws Exception {
    Verdict v = judge(trust("  trusted_arc_sealers: [lists.example]\n"), null, message(MAILBOX
        + "Authentication-Results: mx.example.org; arc=pass\r\n" + MX + SENDER, "ceo@example.org"));

    assertThat(codes(v)).contains("arc-pass-unlisted-sealer");
  }

  // ---- a genuine result still counts ----

  @Test
  void ourVerifiersAlignedResultsInsideTheRunShouldCount() throws Exception {
    Verdict v = judge(trust(""), null, message(MAILBOX + "Authentication-Results: mx.example.org; dkim=pass"
        + " header.d=example.org; spf=pass smtp.mailfrom=a@example.org; dmarc=pass header.from=example.org\r\n"
        + MX + SENDER, "alice@example.org"));

    assertThat(codes(v)).contains("dmarc-pass", "dkim-pass", "spf-pass");
    assertThat(removals(v)).isEmpty();
  }
}
