package org.caliop.policy;

import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.caliop.address.EmailAddress;
import org.caliop.crypto.EncryptOptions;
import org.caliop.crypto.EncryptionSettings;
import org.caliop.crypto.GatewayEncryptors;
import org.caliop.crypto.SmimeAlgorithms;
import org.caliop.facts.Direction;
import org.caliop.facts.MessageFacts;
import org.caliop.facts.TrustSettings;
import org.caliop.message.ScanLimits;
import org.caliop.mime.SignerTrust;
import org.caliop.score.Score;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A policy file, compiled: immutable, shared by all threads. Deciding costs a few hash lookups per recipient
 * (the recipient's and sender's address, then their domain and each parent domain), never a scan of the rules.
 *
 * <p>Layers, most general first, each overriding the keys it sets: global, global's direction block, the sender's
 * domain entry (and its direction block), the recipient's domain entry, the sender's user entry, the recipient's user
 * entry. With several recipients each gets its own decision; the message gets the most severe
 * ({@link Action#severity()}).
 */
public final class CompiledPolicy implements Policy {
  private static final Logger LOG = LoggerFactory.getLogger(CompiledPolicy.class);
  private static final Decision ACCEPT = Decision.accept();
  private static final Direction[] DIRECTIONS = Direction.values();

  private final String source;
  private final boolean dryRun;
  private final TrustSettings trust;
  private final ScanLimits limits;
  private final EncryptionSettings encryption;
  private final Set<Action> actions;
  /** Global with its direction block laid over it, by direction ordinal. */
  private final Settings[] global;
  private final RuleRef globalRef;
  private final RuleRef[] globalDirectionRefs;
  private final Map<String, Layer> domains;
  private final Map<String, Layer> users;
  private final List<Problem> warnings;
  private volatile SignerTrust signerTrust;
  /** Built on first use by the CLI; a benign race builds it twice. */
  private volatile Map<String, String> ruleLabels;

  CompiledPolicy(String source, boolean dryRun, TrustSettings trust, ScanLimits limits,
      EncryptionSettings encryption, Set<Action> actions, Settings[] global, RuleRef globalRef, RuleRef[] globalDirectionRefs,
      Map<String, Layer> domains, Map<String, Layer> users, List<Problem> warnings) {
    this.source = source;
    this.dryRun = dryRun;
    this.trust = trust;
    this.limits = limits;
    this.encryption = encryption;
    this.actions = Collections.unmodifiableSet(EnumSet.copyOf(actions));
    this.global = global.clone();
    this.globalRef = globalRef;
    this.globalDirectionRefs = globalDirectionRefs.clone();
    this.domains = Map.copyOf(domains);
    this.users = Map.copyOf(users);
    this.warnings = List.copyOf(warnings);
  }

  @Override
  public String source() { return source; }

  @Override
  public TrustSettings trust() { return trust; }

  @Override
  public ScanLimits limits() { return limits; }

  /** Where gateway encryption finds keys ({@code encryption:} section). */
  @Override
  public EncryptionSettings encryption() { return encryption; }

  @Override
  public Set<Action> actions() { return actions; }

  /** Some rule's action is {@code encrypt}. */
  public boolean usesEncryption() { return actions.contains(Action.ENCRYPT); }

  /**
   * The S/MIME trust anchors of {@code trust.smime_trust_store} and the OpenPGP keys of the {@code encryption:}
   * section, read on first use like the encryptor's keys; certificates and keys are judged at the time of each
   * message. Keys that cannot be read anchor nothing (logged).
   */
  @Override
  public SignerTrust signerTrust() {
    SignerTrust t = signerTrust;
    if (t == null) {
      SignerTrust.PgpKeys pgp = null;
      if (encryption.configured()) {
        try {
          pgp = GatewayEncryptors.keys(encryption).signingKeys();
        } catch (IOException | RuntimeException e) {
          LOG.error("caliop: policy={} signing keys unreadable: {}", source, e.toString());
        }
      }
      t = SignerTrust.of(trust.smimeTrustAnchors(), pgp, Clock.systemUTC());
      signerTrust = t;
    }
    return t;
  }

  /** {@code mode: dry-run}: decisions are computed, logged and tagged, never enforced. */
  public boolean dryRun() { return dryRun; }

  /** Warnings found at load time (the policy is usable). */
  public List<Problem> warnings() { return warnings; }

  public int domainRuleCount() { return domains.size(); }

  /**
   * The human name and place of a decision's rule, by its id (a {@code name:} or {@code file:line}):
   * {@code domain partner.example outbound, policy.yaml:21}. A name shared by an entry and its unnamed direction
   * blocks gives the entry.
   */
  public Optional<String> ruleLabel(String id) {
    Map<String, String> labels = ruleLabels;
    if (labels == null) {
      labels = new java.util.HashMap<>();
      List<RuleRef> refs = new ArrayList<>();
      refs.add(globalRef);
      for (RuleRef r : globalDirectionRefs) {
        if (r != null) {
          refs.add(r);
        }
      }
      for (Map<String, Layer> m : List.of(domains, users)) {
        for (Layer l : m.values()) {
          refs.add(l.ref());
          for (Direction d : DIRECTIONS) {
            if (l.directionRef(d) != null) {
              refs.add(l.directionRef(d));
            }
          }
        }
      }
      for (RuleRef r : refs) {
        String text = r.label() + ", " + r.where();
        labels.put(r.where(), r.label());
        labels.putIfAbsent(r.id(), text);
      }
      ruleLabels = labels;
    }
    return Optional.ofNullable(labels.get(id));
  }

  public int userRuleCount() { return users.size(); }

  /** The domain entries by key ({@code example.com}, {@code .example.com}), for what is exported from them. */
  Map<String, Layer> domainLayers() { return domains; }

  /** The user entries by address. */
  Map<String, Layer> userLayers() { return users; }

  /** Global with its direction block laid over it. */
  Settings globalSettings(Direction d) { return global[d.ordinal()]; }

  /** Global's direction block's reference, or global's when it has none for {@code d}. */
  RuleRef globalRef(Direction d) {
    return globalDirectionRefs[d.ordinal()] != null ? globalDirectionRefs[d.ordinal()] : globalRef;
  }

  @Override
  public Decision decide(MessageFacts facts, Score score) {
    List<EmailAddress> recipients = facts.envelope().recipients();
    Direction d = facts.direction();
    EmailAddress sender = facts.envelope().sender().orElse(null);
    Layer senderDomain = sender == null ? null : senderSide(findDomain(sender.domain()));
    Layer senderUser = sender == null ? null : senderSide(user(sender));
    if (recipients.size() <= 1) {
      EmailAddress rcpt = recipients.isEmpty() ? null : recipients.get(0);
      Settings eff = effective(d, senderDomain, senderUser, rcpt, null);
      Decision one = decideOne(facts, score, eff, rcpt, null).withSubjectShapes(subjectShapes(List.of(eff)));
      logDryRun(facts, one);
      return one;
    }
    Decision worst = null;
    List<Decision> each = new ArrayList<>(recipients.size());
    List<Settings> effective = new ArrayList<>(recipients.size());
    for (EmailAddress rcpt : recipients) {
      Settings eff = effective(d, senderDomain, senderUser, rcpt, null);
      effective.add(eff);
      Decision r = decideOne(facts, score, eff, rcpt, null);
      each.add(r);
      if (worst == null || r.policyAction().severity() > worst.policyAction().severity()) {
        worst = r;
      }
    }
    if (worst.policyAction() == Action.ACCEPT) {
      return ACCEPT.withSubjectShapes(subjectShapes(effective));
    }
    List<String> same = new ArrayList<>();
    for (int i = 0; i < each.size(); i++) {
      if (each.get(i).policyAction() == worst.policyAction()) {
        same.add(recipients.get(i).toString());
      }
    }
    Decision.Builder b = worst.toBuilder().recipients(same).subjectShapes(subjectShapes(effective));
    if (worst.encrypt().isPresent()) {
      // One message for all, but each recipient's S/MIME algorithms are his own (his domain or user rule), whether
      // or not his rule is the one that asked for encryption.
      EncryptSpec spec = worst.encrypt().get();
      EncryptOptions options = spec.options();
      for (int i = 0; i < recipients.size(); i++) {
        options = options.withSmimeFor(recipients.get(i).toString(), smimeAlgorithms(effective.get(i)));
      }
      b.encrypt(EncryptSpec.of(options, spec.onMissingKey(), spec.splitPerRecipient()));
    }
    Decision combined = b.build();
    logDryRun(facts, combined);
    return combined;
  }

  /** One decision per envelope recipient, in envelope order (one, for no recipient, when the envelope has none). */
  public List<Decision> decideEach(MessageFacts facts, Score score) {
    return explain(facts, score).stream().map(Explanation::decision).collect(java.util.stream.Collectors.toList());
  }

  /** Why: per recipient, the layers that applied in order, the effective keys, each requirement met or failed. */
  public List<Explanation> explain(MessageFacts facts, Score score) {
    Direction d = facts.direction();
    EmailAddress sender = facts.envelope().sender().orElse(null);
    Layer senderDomain = sender == null ? null : senderSide(findDomain(sender.domain()));
    Layer senderUser = sender == null ? null : senderSide(user(sender));
    List<EmailAddress> recipients = facts.envelope().recipients().isEmpty()
        ? java.util.Collections.singletonList(null) : facts.envelope().recipients();
    List<Explanation> out = new ArrayList<>();
    for (EmailAddress rcpt : recipients) {
      Explanation.Builder e = new Explanation.Builder(rcpt == null ? null : rcpt.toString(), d);
      Decision decision = decideOne(facts, score, d, senderDomain, senderUser, rcpt, e);
      out.add(e.build(decision));
    }
    return out;
  }

  private Decision decideOne(MessageFacts facts, Score score, Direction d, Layer senderDomain, Layer senderUser,
      EmailAddress rcpt, Explanation.Builder explain) {
    return decideOne(facts, score, effective(d, senderDomain, senderUser, rcpt, explain), rcpt, explain);
  }

  /** Global, then the sender's and the recipient's domain, then the sender and the recipient, as explained. */
  private Settings effective(Direction d, Layer senderDomain, Layer senderUser, EmailAddress rcpt,
      Explanation.Builder explain) {
    Layer rcptDomain = rcpt == null ? null : recipientSide(findDomain(rcpt.domain()));
    Layer rcptUser = rcpt == null ? null : recipientSide(user(rcpt));
    Settings eff = global[d.ordinal()];
    if (explain != null) {
      explain.layer(globalRef, "global");
      if (globalDirectionRefs[d.ordinal()] != null) {
        explain.layer(globalDirectionRefs[d.ordinal()], "global, " + d.token());
      }
    }
    eff = lay(eff, senderDomain, d, explain, "sender's domain");
    eff = lay(eff, rcptDomain, d, explain, "recipient's domain");
    eff = lay(eff, senderUser, d, explain, "sender");
    return lay(eff, rcptUser, d, explain, "recipient");
  }

  private Decision decideOne(MessageFacts facts, Score score, Settings eff, EmailAddress rcpt,
      Explanation.Builder explain) {
    List<String> failed = new ArrayList<>(2);
    List<String> unknown = new ArrayList<>(1);
    List<String> passed = explain == null ? null : new ArrayList<>();
    RuleRef rule = Checks.evaluate(eff, facts, score, failed, unknown, passed,
        trust.countryDatabase().map(db -> db.source()).orElse(null));
    if (explain != null) {
      explain.effective(eff).checks(passed, failed);
    }
    if (rule == null) {
      return ACCEPT;
    }
    return decision(eff, failed, unknown, rule, rcpt == null ? null : rcpt.toString());
  }

  private static Settings lay(Settings eff, Layer layer, Direction d, Explanation.Builder explain, String role) {
    if (layer == null) {
      return eff;
    }
    if (explain != null) {
      explain.layer(layer.ref(), role);
      if (layer.directionRef(d) != null) {
        explain.layer(layer.directionRef(d), role + ", " + d.token());
      }
    }
    return eff.overlay(layer.settings(d));
  }

  private Decision decision(Settings eff, List<String> reasons, List<String> unknowns, RuleRef rule,
      String recipient) {
    Action action = eff.get(Knob.ACTION, Action.class, Action.TAG);
    Decision.Builder b = Decision.builder(action).dryRun(dryRun).rule(rule.id())
        .ruleLocation(rule.where()).reasons(reasons).unknowns(unknowns);
    if (recipient != null) {
      b.recipients(List.of(recipient));
    }
    String because = String.join("; ", reasons);
    String replyText = eff.get(Knob.REPLY_TEXT, String.class);
    String text = replyText != null ? replyText.replace("{reasons}", because) : null;
    if (text != null) {
      b.replyText(text);
    }
    if (action == Action.REJECT || action == Action.TEMPFAIL) {
      b.reply(reply(eff, action, text, because));
    }
    if (action == Action.REDIRECT) {
      b.redirectTo(eff.get(Knob.REDIRECT_TO, String.class));
    }
    if (action == Action.ENCRYPT) {
      b.encrypt(encryptSpec(eff));
    }
    SubjectPrefix prefix = eff.get(Knob.SUBJECT_PREFIX, SubjectPrefix.class);
    if (action == Action.TAG && prefix != null) {
      b.subjectPrefix(prefix);
    }
    return b.build();
  }

  /** The {@code subject_prefix} of each recipient's effective rule (fired or not), each once. */
  private static List<SubjectPrefix> subjectShapes(List<Settings> effective) {
    List<SubjectPrefix> out = new ArrayList<>(1);
    for (Settings eff : effective) {
      SubjectPrefix prefix = eff.get(Knob.SUBJECT_PREFIX, SubjectPrefix.class);
      if (prefix != null) {
        out.add(prefix);
      }
    }
    return SubjectPrefix.distinct(out);
  }

  /**
   * The reply of a reject or tempfail rule: its code and enhanced status (checked against the action when the policy
   * was compiled), its text or the default with the reasons; reasons come from our own checks, and the result is
   * cleaned into one ASCII line all the same.
   */
  private static SmtpReply reply(Settings eff, Action action, String text, String because) {
    boolean reject = action == Action.REJECT;
    char cls = reject ? '5' : '4';
    Integer code = eff.get(Knob.REPLY_CODE, Integer.class);
    int smtp = code != null && String.valueOf(code).charAt(0) == cls ? code : reject ? 550 : 451;
    String fallback = reject ? SmtpReply.POLICY_REJECT_TEXT : SmtpReply.POLICY_TEMPFAIL_TEXT;
    String t = text != null ? text : because.isEmpty() ? fallback
        : (reject ? "Message refused by policy: " : "Message deferred by policy: ") + because;
    return SmtpReply.cleaned(smtp, eff.get(Knob.ENHANCED_CODE, String.class), t, fallback);
  }

  static EncryptSpec encryptSpec(Settings eff) {
    EncryptOptions.Format format = eff.get(Knob.ENCRYPT_FORMAT, EncryptOptions.Format.class,
        EncryptOptions.Format.PREFER_PGP);
    Action missing = eff.get(Knob.ENCRYPT_ON_MISSING_KEY, Action.class, Action.HOLD);
    Action failure = eff.get(Knob.ENCRYPT_ON_FAILURE, Action.class, Action.TEMPFAIL);
    boolean split = eff.get(Knob.ENCRYPT_SPLIT_PER_RECIPIENT, Boolean.class, false);
    EncryptOptions options = EncryptOptions.of(format, eff.get(Knob.ENCRYPT_OUTER_SUBJECT, String.class))
        .withSmime(smimeAlgorithms(eff));
    return EncryptSpec.of(options, missing, failure, split);
  }

  /** What the recipient's client opens: {@code encrypt.smime_key_transport} and {@code encrypt.smime_content}. */
  static SmimeAlgorithms smimeAlgorithms(Settings eff) {
    SmimeAlgorithms.KeyTransport kt = eff.get(Knob.ENCRYPT_SMIME_KEY_TRANSPORT, SmimeAlgorithms.KeyTransport.class,
        SmimeAlgorithms.DEFAULT.keyTransport());
    SmimeAlgorithms.ContentCipher cc = eff.get(Knob.ENCRYPT_SMIME_CONTENT, SmimeAlgorithms.ContentCipher.class,
        SmimeAlgorithms.DEFAULT.contentCipher());
    return SmimeAlgorithms.of(kt, cc);
  }

  private void logDryRun(MessageFacts facts, Decision d) {
    if (d.dryRun() && d.policyAction() != Action.ACCEPT && LOG.isInfoEnabled()) {
      String queueId = facts.connection().flatMap(c -> c.queueId()).orElse("NOQUEUE");
      LOG.info("{}: caliop: policy=dry-run rule={} would={} reasons=\"{}\"", queueId, d.rule().orElse("-"),
          d.policyAction().token(), String.join("; ", d.reasons()));
    }
  }

  /** The entry for a domain: exact name first, then {@code .parent} entries from the nearest parent up. */
  Layer findDomain(String domain) {
    if (domain == null || domain.isEmpty()) {
      return null;
    }
    Layer exact = domains.get(domain);
    if (exact != null) {
      return exact;
    }
    for (int dot = domain.indexOf('.'); dot >= 0; dot = domain.indexOf('.', dot + 1)) {
      Layer parent = domains.get(domain.substring(dot));
      if (parent != null) {
        return parent;
      }
    }
    return null;
  }

  private static Layer senderSide(Layer l) {
    return l != null && l.forSender() ? l : null;
  }

  private static Layer recipientSide(Layer l) {
    return l != null && l.forRecipient() ? l : null;
  }

  /**
   * The user entry for an address: its own, else (with {@code trust.recipient_delimiter}) the entry of the address
   * without its extension, as Postfix looks up {@code user+ext@domain} then {@code user@domain}.
   */
  private Layer user(EmailAddress address) {
    Layer exact = users.get(address.toString());
    if (exact != null) {
      return exact;
    }
    EmailAddress base = address.withoutExtension(trust.recipientDelimiter());
    return base == address ? null : users.get(base.toString());
  }

  static Direction[] directions() {
    return DIRECTIONS.clone();
  }

  @Override
  public String toString() {
    return "CompiledPolicy[" + source + (dryRun ? " dry-run" : "") + " domains=" + domains.size() + " users="
        + users.size() + "]";
  }
}
