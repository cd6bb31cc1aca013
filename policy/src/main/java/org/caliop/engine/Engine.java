package org.caliop.engine;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import org.caliop.auth.ArcSeals;
import org.caliop.auth.AuthJudge;
import org.caliop.auth.AuthResults;
import org.caliop.auth.AuthResultsHeader;
import org.caliop.auth.AuthResultsSelection;
import org.caliop.auth.FromDomain;
import org.caliop.facts.ConnectionFacts;
import org.caliop.facts.Direction;
import org.caliop.facts.Envelope;
import org.caliop.facts.HeaderEdit;
import org.caliop.facts.MessageFacts;
import org.caliop.facts.TrustSettings;
import org.caliop.header.CaliopHeaders;
import org.caliop.header.ForeignEdits;
import org.caliop.hop.Hop;
import org.caliop.message.MessageScanner;
import org.caliop.message.ScannedMessage;
import org.caliop.policy.Decision;
import org.caliop.policy.Policy;
import org.caliop.received.HopClassifier;
import org.caliop.received.HopCountries;
import org.caliop.received.ReceivedParser;
import org.caliop.received.TrustedRun;
import org.caliop.score.Score;
import org.caliop.score.ScoreFormula;
import org.caliop.score.ScoreV2;

/**
 * The one engine behind every adapter: reads a message once, as a stream, and returns a {@link Verdict}.
 * Thread-safe; holds no per-message state. Each message is judged by the policy that was current when it started.
 */
public final class Engine {
  private static final String AUTHENTICATION_RESULTS = "Authentication-Results";

  private final Supplier<Policy> policy;
  private final ScoreFormula formula;
  private final String stamperName;

  public Engine(Supplier<Policy> policy) {
    this(policy, ScoreV2.INSTANCE);
  }

  public Engine(Supplier<Policy> policy, ScoreFormula formula) {
    this(policy, formula, null);
  }

  private Engine(Supplier<Policy> policy, ScoreFormula formula, String stamperName) {
    this.policy = Objects.requireNonNull(policy);
    this.formula = Objects.requireNonNull(formula);
    this.stamperName = stamperName;
  }

  /**
   * This engine, naming our server {@code name} in {@code by=} of {@code Caliop-Privacy} when no connection names it
   * (stored mail: {@code caliop stamp --by}). A connection's own name (the MTA's host name) always wins.
   */
  public Engine stampedBy(String name) {
    return new Engine(policy, formula, name);
  }

  /** An engine on the built-in policy (the CLI without a policy file). */
  public static Engine withBuiltInPolicy() {
    return new Engine(Policy::builtIn);
  }

  /**
   * Judges one message.
   *
   * @param connection what our MTA saw first-hand, or null when nobody told us (stored mail)
   * @param envelope the SMTP envelope, or {@link Envelope#empty()}
   * @param message the raw RFC 5322 message, headers and body; read to its end, not closed
   * @throws IOException only when reading {@code message} fails; malformed content never throws. A message with more
   *     fields only our servers may write than the engine counts is judged, with the diagnostic
   *     {@code foreign-fields-over-bound}: its removals are incomplete, and an adapter answers it with its on-error
   *     action rather than pass it.
   */
  public Verdict evaluate(ConnectionFacts connection, Envelope envelope, InputStream message) throws IOException {
    Policy current = policy.get();
    TrustSettings trust = current.trust();
    ScannedMessage scanned = MessageScanner.scan(message, current.limits(), ForeignEdits.counter(trust),
        current.signerTrust());
    // A recipient written without a domain (Sendmail's {rcpt_addr} for a local user) is one of our domain's.
    MessageFacts facts = facts(Optional.ofNullable(connection), envelope.withDomain(trust.defaultDomain()), scanned,
        trust);
    Score score = formula.score(facts);
    Decision decision = current.decide(facts, score);
    return Verdict.of(facts, score, decision, headerEdits(scanned, trust, facts, score, decision, stamperName));
  }

  private static MessageFacts facts(Optional<ConnectionFacts> connection, Envelope envelope, ScannedMessage scanned,
      TrustSettings trust) {
    List<Hop> received = new ArrayList<>(scanned.received().size());
    for (String value : scanned.received()) {
      received.add(ReceivedParser.parse(value));
    }
    HopClassifier classifier = HopClassifier.of(trust);
    List<Hop> hops = HopCountries.annotate(classifier.classify(received, connection), trust.countryDatabase());
    AuthResults auth = authentication(scanned, hops, trust);
    boolean clientInternal = connection.flatMap(ConnectionFacts::clientAddress).map(classifier::isInternalAddress)
        .orElse(false);
    Direction direction = new DirectionResolver(trust).resolve(connection, envelope, clientInternal);
    return MessageFacts.of(connection.orElse(null), envelope, direction, hops, auth, scanned.content(),
        scanned.size(), scanned.diagnostics());
  }

  /**
   * The Authentication-Results we believe: ours, written inside our trusted run or vouched for by a verifier the
   * admin declared upstream ({@link AuthResultsSelection}), judged against the author's domain ({@link AuthJudge}).
   */
  private static AuthResults authentication(ScannedMessage scanned, List<Hop> hops, TrustSettings trust) {
    AuthResultsSelection fields = AuthResultsSelection.select(scanned.authenticationResults(),
        trust.trustedAuthservIds(), TrustedRun.hops(hops) > 0,
        TrustedRun.receivedFields(hops, scanned.received().size()), trust.authservUpstream());
    return AuthJudge.judge(fields.believed(), FromDomain.of(scanned.from()), ArcSeals.newestSealer(scanned.arcSeals()),
        trust.trustedArcSealers(), fields.refused());
  }

  /**
   * Removals first (every field of each foreign name, by name; forged Authentication-Results by occurrence), then
   * our fields top first, then the renamed foreign fields.
   */
  private static List<HeaderEdit> headerEdits(ScannedMessage scanned, TrustSettings trust, MessageFacts facts,
      Score score, Decision decision, String stamperName) {
    List<HeaderEdit> edits = new ArrayList<>(ForeignEdits.removals(scanned.foreignFields()));
    List<HeaderEdit> renamed = new ArrayList<>(ForeignEdits.renamed(scanned.foreignFields(), trust));
    boolean rename = trust.foreignHeaderAction() == TrustSettings.ForeignHeaderAction.RENAME;
    // Authentication-Results claiming our authserv-id that we cannot vouch for go too, as OpenDKIM does for its own
    // (RFC 8601 §5), so nothing after us believes them either.
    for (AuthResultsHeader forged : facts.auth().refused()) {
      edits.add(HeaderEdit.remove(AUTHENTICATION_RESULTS, forged.occurrence()));
      if (rename && forged.value().isPresent()) {
        renamed.add(HeaderEdit.add(trust.renamePrefix() + AUTHENTICATION_RESULTS, forged.value().get()));
      }
    }
    edits.addAll(CaliopHeaders.render(facts, score, decision, stamperName));
    edits.addAll(renamed);
    return edits;
  }
}
