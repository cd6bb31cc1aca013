package org.caliop.engine;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.time.Clock;
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
import org.caliop.crypto.KeyChoice;
import org.caliop.facts.ConnectionFacts;
import org.caliop.facts.Direction;
import org.caliop.facts.Envelope;
import org.caliop.facts.HeaderEdit;
import org.caliop.facts.MessageFacts;
import org.caliop.facts.TrustSettings;
import org.caliop.header.CaliopHeaders;
import org.caliop.header.ForeignEdits;
import org.caliop.header.SubjectTag;
import org.caliop.hop.Hop;
import org.caliop.message.MessageScanner;
import org.caliop.message.ScannedMessage;
import org.caliop.policy.Action;
import org.caliop.policy.Decision;
import org.caliop.policy.Policy;
import org.caliop.policy.SmtpReply;
import org.caliop.policy.SubjectPrefix;
import org.caliop.received.HopClassifier;
import org.caliop.received.HopCountries;
import org.caliop.received.ReceivedParser;
import org.caliop.received.TrustedRun;
import org.caliop.score.Score;
import org.caliop.score.ScoreFormula;
import org.caliop.score.ScoreV2;

/**
 * The one engine behind every adapter: reads a message as a stream, judges it ({@link #assess}), and carries the
 * policy's decision out ({@link #conclude}) into a final {@link Disposition}: the SMTP reply, the hold reason, the
 * redirect address or the encrypted body, with missing keys, failures and dry-run already decided. Adapters only
 * map the disposition. Thread-safe; holds no per-message state. Each message is judged and carried out by the
 * policy that was current when it started.
 */
public final class Engine {
  /** Bytes of an encrypted body kept in memory before it spills to a file, by default. */
  public static final int DEFAULT_MEMORY_THRESHOLD = 1 << 20;
  private static final String AUTHENTICATION_RESULTS = "Authentication-Results";

  private final Supplier<Policy> policy;
  private final ScoreFormula formula;
  private final Encryption encryption;
  private final boolean fullOutboundHeaders;
  private final boolean enforcing;
  private final boolean storedDirection;
  private final String stamperName;

  /** An engine with every default: real keys, bodies spilled to {@code java.io.tmpdir}, private outbound headers. */
  public Engine(Supplier<Policy> policy) {
    this(builder(policy));
  }

  private Engine(Builder b) {
    this.policy = b.policy;
    this.formula = b.formula;
    this.encryption = new Encryption(b.encryptors, b.memoryThreshold, b.spillDirectory, b.splitsCopies,
        b.discardBodies);
    this.fullOutboundHeaders = b.fullOutboundHeaders;
    this.enforcing = b.enforcing;
    this.storedDirection = b.storedDirection;
    this.stamperName = null;
  }

  private Engine(Engine base, String stamperName) {
    this.policy = base.policy;
    this.formula = base.formula;
    this.encryption = base.encryption;
    this.fullOutboundHeaders = base.fullOutboundHeaders;
    this.enforcing = base.enforcing;
    this.storedDirection = base.storedDirection;
    this.stamperName = stamperName;
  }

  public Engine(Supplier<Policy> policy, ScoreFormula formula) {
    this(builder(policy).formula(formula));
  }

  public static Builder builder(Supplier<Policy> policy) {
    return new Builder(policy);
  }

  /**
   * This engine, naming our server {@code name} in {@code by=} of {@code Caliop-Privacy} when no connection names it
   * (stored mail: {@code caliop stamp --by}). A connection's own name (the MTA's host name) always wins.
   */
  public Engine stampedBy(String name) {
    return new Engine(this, name);
  }

  /** An engine on the built-in policy (the CLI without a policy file). */
  public static Engine withBuiltInPolicy() {
    return new Engine(Policy::builtIn);
  }

  /**
   * Judges and carries out one message.
   *
   * @param connection what our MTA saw first-hand, or null when nobody told us (stored mail)
   * @param envelope the SMTP envelope, or {@link Envelope#empty()}
   * @param message the raw RFC 5322 message; read once to judge it, once more when it is to be encrypted
   * @throws IOException only when reading the message to judge it fails; nothing later throws (a failure while
   *     encrypting is a disposition)
   */
  public Verdict evaluate(ConnectionFacts connection, Envelope envelope, MessageSource message) throws IOException {
    Assessment a;
    try (InputStream in = message.open()) {
      a = assess(connection, envelope, in);
    }
    return conclude(a, message);
  }

  /**
   * Judges one message: facts, score, the policy's decision and the header edits; CPU only, no I/O beyond reading
   * the message. {@link Assessment#encrypts()} says whether {@link #conclude} has heavy work left.
   *
   * @param message the raw message, headers and body; read to its end, not closed
   * @throws IOException only when reading {@code message} fails; malformed content never throws. A message with more
   *     fields only our servers may write than the engine counts is judged, with the diagnostic
   *     {@code foreign-fields-over-bound}: its removals are incomplete, and an adapter answers it with its on-error
   *     action rather than pass it.
   */
  public Assessment assess(ConnectionFacts connection, Envelope envelope, InputStream message) throws IOException {
    Policy current = policy.get();
    TrustSettings trust = current.trust();
    ScannedMessage scanned = MessageScanner.scan(message, current.limits(), ForeignEdits.counter(trust),
        current.signerTrust());
    // A recipient written without a domain (Sendmail's {rcpt_addr} for a local user) is one of our domain's.
    MessageFacts facts = facts(Optional.ofNullable(connection), envelope.withDomain(trust.defaultDomain()), scanned,
        trust, storedDirection);
    Score score = formula.score(facts);
    Decision decision = current.decide(facts, score);
    boolean firstHandDetails = fullOutboundHeaders || facts.direction() == Direction.INBOUND;
    return new Assessment(current, facts, score, decision,
        headerEdits(scanned, trust, facts, score, decision, firstHandDetails, stamperName), action(decision) == Action.ENCRYPT);
  }

  /**
   * Carries the decision out: the final disposition. Encrypts when the decision says so (reading {@code message}
   * again), with the keys of the policy generation that judged it.
   */
  public Verdict conclude(Assessment assessment, MessageSource message) {
    Decision d = assessment.decision();
    Disposition disposition;
    switch (action(d)) {
      case REJECT:
        disposition = Disposition.reject(d.reply().filter(SmtpReply::permanent)
            .orElseGet(() -> SmtpReply.cleaned(550, "5.7.1", d.replyText().orElse(null),
                SmtpReply.POLICY_REJECT_TEXT)), "");
        break;
      case TEMPFAIL:
        disposition = Disposition.tempfail(d.reply().filter(r -> !r.permanent())
            .orElseGet(() -> SmtpReply.cleaned(451, "4.7.1", d.replyText().orElse(null),
                SmtpReply.POLICY_TEMPFAIL_TEXT)), "");
        break;
      case HOLD:
        disposition = Disposition.hold("caliop: " + d.replyText().or(d::rule).orElse("held by policy"), "");
        break;
      case REDIRECT:
        disposition = d.redirectTo().filter(t -> !t.isBlank()).<Disposition>map(Disposition::redirect)
            // A policy compiled from a file always has the address; a policy class might not: never drop the mail.
            .orElseGet(() -> Disposition.hold("caliop: redirect without an address", "redirect=none"));
        break;
      case ENCRYPT:
        disposition = encryption.carryOut(assessment.policy(), d, assessment.facts().envelope(), message);
        break;
      default:
        disposition = Disposition.accept(d.dryRun() && !enforcing && d.policyAction() != Action.ACCEPT
            ? "dry_run=" + d.policyAction().token() : "");
    }
    return new Verdict(assessment, disposition);
  }

  /**
   * The key each envelope recipient would be encrypted to when {@code assessment}'s decision is to encrypt, as
   * {@link #conclude} would choose it, without encrypting (for {@code caliop policy explain}); in the envelope's
   * order, {@link KeyChoice#none} for a recipient without a usable key (the rule's {@code on_missing_key} applies).
   *
   * @throws IOException when there is no encryptor at all (the rule's {@code on_failure} applies), saying why
   */
  public List<KeyChoice> keysFor(Assessment assessment) throws IOException {
    return encryption.keysFor(assessment.policy(), assessment.decision(), assessment.facts().envelope());
  }

  /** The action carried out: the policy's, or tag in dry-run (unless this engine enforces dry-run policies). */
  private Action action(Decision d) {
    return enforcing ? d.policyAction() : d.action();
  }

  private static MessageFacts facts(Optional<ConnectionFacts> connection, Envelope envelope, ScannedMessage scanned,
      TrustSettings trust, boolean storedDirection) {
    List<Hop> received = new ArrayList<>(scanned.received().size());
    for (String value : scanned.received()) {
      received.add(ReceivedParser.parse(value));
    }
    HopClassifier classifier = HopClassifier.of(trust);
    List<Hop> hops = HopCountries.annotate(classifier.classify(received, connection), trust.countryDatabase());
    AuthResults auth = authentication(scanned, hops, trust);
    Direction direction = new DirectionResolver(trust, classifier).resolve(connection, hops, envelope,
        storedDirection);
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
      Score score, Decision decision, boolean firstHandDetails, String stamperName) {
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
    edits.addAll(CaliopHeaders.render(facts, score, decision, firstHandDetails, stamperName));
    edits.addAll(renamed);
    edits.addAll(subjectEdits(scanned, facts, score, decision));
    return edits;
  }

  /**
   * The Subject of inbound mail only, never in dry-run: forged prefixes of a configured shape removed whatever was
   * decided, our prefix added when the message is tagged.
   */
  private static List<HeaderEdit> subjectEdits(ScannedMessage scanned, MessageFacts facts, Score score,
      Decision decision) {
    if (facts.direction() != Direction.INBOUND || decision.dryRun() || decision.subjectShapes().isEmpty()
        && decision.subjectPrefix().isEmpty()) {
      return List.of();
    }
    Optional<String> prefix = decision.action() == Action.TAG
        ? decision.subjectPrefix().map(p -> p.render(score.grade().name(), score.value())) : Optional.empty();
    List<SubjectPrefix> shapes = new ArrayList<>(decision.subjectShapes());
    decision.subjectPrefix().ifPresent(shapes::add);
    return SubjectTag.edits(scanned.subjects(), prefix, SubjectPrefix.distinct(shapes));
  }

  /** How an adapter wants its engine; every setting has a default. */
  public static final class Builder {
    private final Supplier<Policy> policy;
    private ScoreFormula formula = ScoreV2.INSTANCE;
    private EncryptorSource encryptors = EncryptorSource.keys(Clock.systemUTC());
    private int memoryThreshold = DEFAULT_MEMORY_THRESHOLD;
    private Path spillDirectory = Path.of(System.getProperty("java.io.tmpdir"));
    private boolean splitsCopies;
    private boolean discardBodies;
    private boolean fullOutboundHeaders;
    private boolean enforcing;
    private boolean storedDirection;

    private Builder(Supplier<Policy> policy) {
      this.policy = Objects.requireNonNull(policy);
    }

    public Builder formula(ScoreFormula v) { formula = Objects.requireNonNull(v); return this; }

    /** Where encryptors come from; by default the keys each policy names ({@link EncryptorSource#keys}). */
    public Builder encryptors(EncryptorSource v) { encryptors = Objects.requireNonNull(v); return this; }

    /**
     * Encrypted bodies stay in memory up to {@code memoryThreshold} bytes, then go to a temporary file in
     * {@code directory}, deleted when the verdict is closed.
     */
    public Builder spill(int memoryThreshold, Path directory) {
      this.memoryThreshold = memoryThreshold;
      this.spillDirectory = Objects.requireNonNull(directory);
      return this;
    }

    /**
     * The adapter can send one copy of a message per recipient (James), so {@code split_per_recipient} gives one
     * encrypted copy each; without (the milter), one copy for all.
     */
    public Builder splitsCopies(boolean v) { splitsCopies = v; return this; }

    /** Encrypt to learn the outcome and drop the bodies (the CLI reports what adapters would do). */
    public Builder discardEncryptedBodies() { discardBodies = true; return this; }

    /**
     * Outbound and submitted mail keeps the submitter's address, HELO and host name in {@code Caliop-Hop} and the
     * rule's file and line in {@code Caliop-Policy} (by default they are left out of mail from our own users).
     */
    public Builder fullOutboundHeaders(boolean v) { fullOutboundHeaders = v; return this; }

    /**
     * Carry out what a dry-run policy would do when enforced (the CLI's replay and explain); the headers still say
     * dry-run.
     */
    public Builder enforcing(boolean v) { enforcing = v; return this; }

    /**
     * Without connection facts (stored mail), work out the direction from the line our own server wrote when it
     * received the message, as the live milter does from the session (the CLI's replay and explain
     * {@code --stored}); without this, stored mail is inbound ({@code caliop score}, {@code caliop stamp}: mail
     * reaching a mailbox, read as its recipient reads it). See {@link DirectionResolver}.
     */
    public Builder storedDirection(boolean v) { storedDirection = v; return this; }

    public Engine build() {
      return new Engine(this);
    }
  }
}
