package org.caliop.conformance;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.caliop.conformance.ConformanceCase.KeyDirectory;

/**
 * The conformance table: each case runs through the engine ({@code EngineConformanceTest}), the milter handler
 * ({@code MilterConformanceTest}) and the James mailets and SMTP hook ({@code MailetConformanceTest}), which must all
 * reach the case's outcome. Cases are data: policy text, key directory, message, client, envelope, outcome.
 */
public final class ConformanceCases {
  /** Fixtures shared by the whole project, from any module's directory. */
  public static final Path FIXTURES = Path.of("../../shared/fixtures");
  /** The text of {@link #CLEAR}: an adapter that encrypted must not deliver it. */
  public static final String CLEAR_TEXT = "The clear text of the conformance message.";
  static final byte[] CLEAR = ("From: Alice <alice@example.org>\r\nTo: Bob <bob@example.net>\r\n"
      + "Subject: conformance\r\nDate: Thu, 03 Dec 2026 10:00:00 +0000\r\nMessage-ID: <conformance@example.org>\r\n"
      + "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=us-ascii\r\n\r\n" + CLEAR_TEXT + "\r\n")
      .getBytes(StandardCharsets.US_ASCII);
  private static final String FAILED_LATER = "451 4.7.1 Message cannot be delivered as policy requires, try again later";

  private ConformanceCases() {
  }

  public static List<ConformanceCase> all() {
    List<ConformanceCase> c = new ArrayList<>();
    c.add(ConformanceCase.named("accept when every requirement is met")
        .policy(tlsRule("reject")).expect(Outcome.accept()).build());
    c.add(ConformanceCase.named("reject with the rule's code and text, % and all")
        .policy(tlsRule("reject", "reply_code: 554", "enhanced_code: 5.7.10",
            "reply_text: 'TLS required (100% of our mail is): {reasons}'"))
        .client(Client.outsideClear("mx.partner.example"))
        .expect(Outcome.reject("554 5.7.10 TLS required (100% of our mail is): no TLS on our hop (need TLSv1.2)"))
        .build());
    c.add(ConformanceCase.named("tempfail with the default reply")
        .policy(tlsRule("tempfail")).client(Client.outsideClear("mx.partner.example"))
        .expect(Outcome.tempfail("451 4.7.1 Message deferred by policy: no TLS on our hop (need TLSv1.2)")).build());
    c.add(ConformanceCase.named("hold with the rule's reason")
        .policy(tlsRule("hold", "reply_text: held for review")).client(Client.outsideClear("mx.partner.example"))
        .expect(Outcome.hold("caliop: held for review")).build());
    c.add(ConformanceCase.named("redirect")
        .policy(tlsRule("redirect", "redirect_to: quarantine@example.org"))
        .client(Client.outsideClear("mx.partner.example")).expect(Outcome.redirect("quarantine@example.org")).build());
    c.add(ConformanceCase.named("no reply repeats the client's HELO")
        .policy("version: 1", "global:", "  require_tls_on_trusted_hops: true", "  action: reject")
        .client(Client.outsideClear("evil%helo.example"))
        .expect(Outcome.reject("550 5.7.1 Message refused by policy: no TLS on firsthand hop 1 (received by"
            + " mx.caliop.test)")).build());
    c.add(ConformanceCase.named("encrypt to a recipient with a key")
        .policy(encryptRule()).key("bob-public.asc", fixture("pgp/bob-public.asc"))
        .expect(encrypted("bob@example.net")).build());
    c.add(ConformanceCase.named("encrypt a message that already is end-to-end encrypted")
        .policy(encryptRuleWith("min_tls_version: TLSv1.2")).key("bob-public.asc", fixture("pgp/bob-public.asc"))
        .message(fixture("pgp/thunderbird_encrypted_unsigned.eml")).client(Client.outsideClear("mx.partner.example"))
        .expect(Outcome.alreadyProtected()).build());
    c.add(ConformanceCase.named("missing key: on_missing_key hold, the default")
        .policy(encryptRule()).key("bob-public.asc", fixture("pgp/bob-public.asc")).to("nokey@example.net")
        .expect(Outcome.hold("caliop: no key for nokey@example.net")).build());
    c.add(ConformanceCase.named("missing key: on_missing_key reject")
        .policy(encryptRule("on_missing_key: reject")).key("bob-public.asc", fixture("pgp/bob-public.asc"))
        .to("nokey@example.net").expect(Outcome.reject("550 5.7.1 Cannot encrypt: no key for nokey@example.net"))
        .build());
    c.add(ConformanceCase.named("missing key: on_missing_key tempfail")
        .policy(encryptRule("on_missing_key: tempfail")).key("bob-public.asc", fixture("pgp/bob-public.asc"))
        .to("nokey@example.net")
        .expect(Outcome.tempfail("451 4.7.1 Cannot encrypt yet: no key for nokey@example.net")).build());
    c.add(ConformanceCase.named("missing key: on_missing_key tag sends in clear, tagged")
        .policy(encryptRule("on_missing_key: tag")).key("bob-public.asc", fixture("pgp/bob-public.asc"))
        .to("nokey@example.net").expect(Outcome.accept()).build());
    c.add(ConformanceCase.named("one recipient of two without a key")
        .policy(encryptRule()).key("bob-public.asc", fixture("pgp/bob-public.asc"))
        .to("bob@example.net", "nokey@example.net").expect(Outcome.hold("caliop: no key for nokey@example.net"))
        .build());
    c.add(ConformanceCase.named("key directory missing: nobody has a key")
        .policy(encryptRule()).keys(KeyDirectory.MISSING)
        .expect(Outcome.hold("caliop: no key for bob@example.net")).build());
    c.add(ConformanceCase.named("key directory cannot be listed: on_failure tempfail, the default")
        .policy(encryptRule()).keys(KeyDirectory.UNLISTABLE).key("bob-public.asc", fixture("pgp/bob-public.asc"))
        .expect(Outcome.tempfail(FAILED_LATER)).build());
    c.add(ConformanceCase.named("expired key")
        .policy(encryptRule())
        .key("expired.asc", TestKeys.rsa("expired@example.net", 2048, Instant.parse("2020-01-01T00:00:00Z"), 86_400))
        .to("expired@example.net").expect(Outcome.hold("caliop: no key for expired@example.net")).build());
    c.add(ConformanceCase.named("weak key: RSA 1024")
        .policy(encryptRule())
        .key("weak.asc", TestKeys.rsa("weak@example.net", 1024, Instant.parse("2026-01-01T00:00:00Z"), 0))
        .to("weak@example.net").expect(Outcome.hold("caliop: no key for weak@example.net")).build());
    c.add(ConformanceCase.named("several keys for one address")
        .policy(encryptRule())
        .key("dave@example.net.asc", fixture("pgp/charlie-public.asc"))
        .key("dave@example.net.pgp", fixture("pgp/elena-public.asc"))
        .to("dave@example.net").expect(encrypted("dave@example.net")).build());
    c.add(ConformanceCase.named("split per recipient: one copy each where the MTA can send copies")
        .policy(encryptRule("split_per_recipient: true"))
        .key("bob-public.asc", fixture("pgp/bob-public.asc")).key("charlie-public.asc", fixture("pgp/charlie-public.asc"))
        .to("bob@example.net", "charlie@example.net")
        .expect(encrypted("bob@example.net", "charlie@example.net"))
        .expectWhenSplit(Outcome.encrypted(List.of(Outcome.copy("pgp-mime", List.of("bob@example.net")),
            Outcome.copy("pgp-mime", List.of("charlie@example.net")))))
        .build());
    c.add(ConformanceCase.named("the encryptor fails (header section over 1 MiB): on_failure reject")
        .policy(encryptRule("on_failure: reject")).key("bob-public.asc", fixture("pgp/bob-public.asc"))
        .message(bigHeaderSection())
        .expect(Outcome.reject("550 5.7.1 Message cannot be delivered as policy requires")).build());
    c.add(ConformanceCase.named("dry-run: nothing is enforced")
        .policy(dryRun(encryptRule())).key("bob-public.asc", fixture("pgp/bob-public.asc")).to("nokey@example.net")
        .expect(Outcome.accept()).build());
    // The same Subject through every adapter: forged prefixes (encoded, folded, repeated) out, ours in, and only on
    // inbound mail that is tagged; the forged ones go from inbound mail the rule does not tag too; dry-run edits
    // nothing.
    c.add(ConformanceCase.named("subject_prefix: forged prefixes removed, ours added")
        .policy(subjectRule("min_tls_version: TLSv1.2")).client(Client.outsideClear("mx.partner.example"))
        .message(withSubject(FORGED_SUBJECT)).expect(Outcome.accept().withSubject("[privacy E] conformance"))
        .build());
    c.add(ConformanceCase.named("subject_prefix: a message the rule does not tag still loses forged prefixes")
        .policy(subjectRule("min_tls_version: TLSv1.2")).message(withSubject(FORGED_SUBJECT))
        .expect(Outcome.accept().withSubject("conformance")).build());
    c.add(ConformanceCase.named("subject_prefix: dry-run leaves the Subject alone")
        .policy(dryRun(subjectRule("min_tls_version: TLSv1.2"))).client(Client.outsideClear("mx.partner.example"))
        .message(withSubject(FORGED_SUBJECT)).expect(Outcome.accept().withSubject(FORGED_SUBJECT)).build());
    return c;
  }

  /** Forged grades: one RFC 2047 encoded, one folded, and a third plain one after the text. */
  private static final String FORGED_SUBJECT = "=?UTF-8?Q?=5Bprivacy_A=5D?= [privacy\r\n B] conformance [ PRIVACY a ]";

  /** Inbound mail to example.net tagged in its Subject when it fails {@code requirement}. */
  private static String[] subjectRule(String requirement) {
    return new String[] {"version: 1", "trust:", "  local_domains: [example.net]", "global:", "  inbound:",
        "    " + requirement, "    action: tag", "    subject_prefix: '[privacy {grade}] '"};
  }

  /** {@link #CLEAR} with another Subject (folds written CRLF and a space). */
  private static byte[] withSubject(String subject) {
    return new String(CLEAR, StandardCharsets.US_ASCII).replace("Subject: conformance\r\n",
        "Subject: " + subject + "\r\n").getBytes(StandardCharsets.US_ASCII);
  }

  private static Outcome encrypted(String... recipients) {
    return Outcome.encrypted(List.of(Outcome.copy("pgp-mime", List.of(recipients))));
  }

  /** A global TLS 1.2 requirement with {@code action} and more keys of the rule. */
  private static String[] tlsRule(String action, String... more) {
    List<String> lines = new ArrayList<>(List.of("version: 1", "global:", "  min_tls_version: TLSv1.2",
        "  action: " + action));
    for (String m : more) {
      lines.add("  " + m);
    }
    return lines.toArray(new String[0]);
  }

  /** Mail to example.net must be end-to-end encrypted, else the gateway encrypts it as OpenPGP. */
  private static String[] encryptRule(String... encryptKeys) {
    return encryptRuleWith("require_encryption: any", encryptKeys);
  }

  private static String[] encryptRuleWith(String requirement, String... encryptKeys) {
    List<String> lines = new ArrayList<>(List.of("version: 1", "encryption:", "  keys_dir: keys", "domains:",
        "  example.net:", "    applies_to: recipient", "    " + requirement, "    action: encrypt", "    encrypt:",
        "      format: pgp"));
    for (String k : encryptKeys) {
      lines.add("      " + k);
    }
    return lines.toArray(new String[0]);
  }

  private static String[] dryRun(String[] policy) {
    List<String> lines = new ArrayList<>(List.of(policy));
    lines.add(1, "mode: dry-run");
    return lines.toArray(new String[0]);
  }

  /** More than the encryptor's 1 MiB bound on the header section, in ordinary fields. */
  private static byte[] bigHeaderSection() {
    StringBuilder s = new StringBuilder();
    String filler = "x".repeat(90);
    for (int i = 0; i < 12_000; i++) {
      s.append("X-Filler-").append(i).append(": ").append(filler).append("\r\n");
    }
    return (s + new String(CLEAR, StandardCharsets.US_ASCII)).getBytes(StandardCharsets.US_ASCII);
  }

  static byte[] fixture(String relative) {
    try {
      return Files.readAllBytes(FIXTURES.resolve(relative));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
