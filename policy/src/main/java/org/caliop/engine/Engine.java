package org.caliop.engine;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import org.caliop.auth.AuthResults;
import org.caliop.auth.AuthResultsParser;
import org.caliop.facts.ConnectionFacts;
import org.caliop.facts.Direction;
import org.caliop.facts.Envelope;
import org.caliop.facts.HeaderEdit;
import org.caliop.facts.MessageFacts;
import org.caliop.facts.TrustSettings;
import org.caliop.header.CaliopHeaders;
import org.caliop.hop.Hop;
import org.caliop.message.ForeignFields;
import org.caliop.message.MessageLimitException;
import org.caliop.message.MessageScanner;
import org.caliop.message.ScannedMessage;
import org.caliop.policy.Decision;
import org.caliop.policy.Policy;
import org.caliop.received.HopClassifier;
import org.caliop.received.HopCountries;
import org.caliop.received.ReceivedParser;
import org.caliop.score.Score;
import org.caliop.score.ScoreFormula;
import org.caliop.score.ScoreV2;

/**
 * The one engine behind every adapter: reads a message once, as a stream, and returns a {@link Verdict}.
 * Thread-safe; holds no per-message state. Each message is judged by the policy that was current when it started.
 */
public final class Engine {
  private final Supplier<Policy> policy;
  private final ScoreFormula formula;

  public Engine(Supplier<Policy> policy) {
    this(policy, ScoreV2.INSTANCE);
  }

  public Engine(Supplier<Policy> policy, ScoreFormula formula) {
    this.policy = Objects.requireNonNull(policy);
    this.formula = Objects.requireNonNull(formula);
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
   * @throws IOException when reading {@code message} fails; a {@link MessageLimitException} when the message has
   *     more fields only our servers may write than {@link ForeignFields} keeps (some could not be removed): answer
   *     it with the on-error action. Malformed content never throws.
   */
  public Verdict evaluate(ConnectionFacts connection, Envelope envelope, InputStream message) throws IOException {
    Policy current = policy.get();
    TrustSettings trust = current.trust();
    ScannedMessage scanned = MessageScanner.scan(message, current.limits(), ForeignFields.of(trust));
    Optional<String> overflow = scanned.foreignFields().overflow();
    if (overflow.isPresent()) {
      throw new MessageLimitException(overflow.get());
    }
    // A recipient written without a domain (Sendmail's {rcpt_addr} for a local user) is one of our domain's.
    MessageFacts facts = facts(Optional.ofNullable(connection), envelope.withDomain(trust.defaultDomain()), scanned,
        trust);
    Score score = formula.score(facts);
    Decision decision = current.decide(facts, score);
    return Verdict.of(facts, score, decision, headerEdits(scanned, trust, facts, score, decision));
  }

  private static MessageFacts facts(Optional<ConnectionFacts> connection, Envelope envelope, ScannedMessage scanned,
      TrustSettings trust) {
    List<Hop> received = new ArrayList<>(scanned.received().size());
    for (String value : scanned.received()) {
      received.add(ReceivedParser.parse(value));
    }
    HopClassifier classifier = HopClassifier.of(trust);
    List<Hop> hops = HopCountries.annotate(classifier.classify(received, connection), trust.countryDatabase());
    AuthResults auth = AuthResultsParser.trusted(scanned.authenticationResults(), trust.trustedAuthservIds());
    boolean clientInternal = connection.flatMap(ConnectionFacts::clientAddress).map(classifier::isInternalAddress)
        .orElse(false);
    Direction direction = new DirectionResolver(trust).resolve(connection, envelope, clientInternal);
    return MessageFacts.of(connection.orElse(null), envelope, direction, hops, auth, scanned.content(),
        scanned.size(), scanned.diagnostics());
  }

  /**
   * Removals first (every field of each foreign name, by name), then our fields top first, then the renamed foreign
   * fields.
   */
  private static List<HeaderEdit> headerEdits(ScannedMessage scanned, TrustSettings trust, MessageFacts facts,
      Score score, Decision decision) {
    List<HeaderEdit> edits = new ArrayList<>(scanned.foreignFields().removals());
    edits.addAll(CaliopHeaders.render(facts, score, decision));
    edits.addAll(scanned.foreignFields().renamed(trust.renamePrefix()));
    return edits;
  }
}
