package org.caliop.milter;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.caliop.crypto.EncryptionResult;
import org.caliop.crypto.GatewayEncryptor;
import org.caliop.engine.Engine;
import org.caliop.engine.Verdict;
import org.caliop.facts.ConnectionFacts;
import org.caliop.facts.Envelope;
import org.caliop.facts.HeaderEdit;
import org.caliop.message.ForeignFields;
import org.caliop.milter.config.MilterConfig;
import org.caliop.milter.config.OnError;
import org.caliop.milter.message.MessageInProgress;
import org.caliop.milter.message.SpillBuffer;
import org.caliop.policy.Action;
import org.caliop.policy.Decision;
import org.caliop.policy.EncryptSpec;
import org.caliop.policy.Policy;

/**
 * Runs the engine on one finished message and turns its verdict into milter answers. Thread-safe. A small message
 * held in memory may be evaluated and answered on the network thread; encryption ({@link #answerIsHeavy}) and
 * everything larger runs on a worker.
 */
final class Judge {
  private final Engine engine;
  private final Supplier<Policy> policy;
  private final MilterConfig config;

  /** The answers for one message and what the log and metrics say about it. */
  record Judgement(List<Answer> answers, Verdict verdict, Action action, String detail) {
  }

  Judge(Engine engine, Supplier<Policy> policy, MilterConfig config) {
    this.engine = engine;
    this.policy = policy;
    this.config = config;
  }

  Judgement judge(MessageInProgress m, ConnectionFacts facts) throws IOException {
    return answer(m, evaluate(m, facts));
  }

  /** The engine's verdict on the message: CPU only, no I/O beyond reading the message. */
  Verdict evaluate(MessageInProgress m, ConnectionFacts facts) throws IOException {
    try (InputStream in = m.openJudged()) {
      return engine.evaluate(facts, envelope(m), in);
    }
  }

  /** Whether answering {@code verdict} does more than build answers (it encrypts: keys, ciphers, a new body). */
  boolean answerIsHeavy(Verdict verdict) {
    return verdict.decision().action() == Action.ENCRYPT && !config.dryRun();
  }

  /** The milter answers for a verdict; encrypts the message when the policy says so. */
  Judgement answer(MessageInProgress m, Verdict verdict) throws IOException {
    Envelope envelope = envelope(m);
    Decision d = verdict.decision();
    Action action = d.action();
    String detail = m.raw().truncated() ? "truncated=" + m.raw().kept() : null;
    if (config.dryRun() && action != Action.ACCEPT && action != Action.TAG) {
      detail = join(detail, "dry_run=" + action.token());
      action = Action.TAG;
    }
    List<Answer> edits = headerAnswers(m.foreignFields(), verdict.headerEdits(), List.of());
    List<Answer> out = new ArrayList<>();
    switch (action) {
      case ACCEPT, TAG -> {
        out.addAll(edits);
        out.add(new Answer.Continue());
      }
      case REJECT -> out.add(reply(d, 550, "5.7.1", "Message refused by policy"));
      case TEMPFAIL -> out.add(reply(d, 451, "4.7.1", "Message deferred by policy, try again later"));
      case HOLD -> {
        out.addAll(edits);
        out.add(new Answer.Quarantine(quarantineReason(d)));
        out.add(new Answer.Continue());
      }
      case REDIRECT -> {
        Optional<String> target = d.redirectTo().filter(t -> !t.isBlank());
        if (target.isEmpty()) {
          return fallback(verdict, edits, d, "redirect without a target");
        }
        out.addAll(edits);
        for (String r : m.rawRecipients()) {
          out.add(new Answer.DeleteRecipient(r));
        }
        out.add(new Answer.AddRecipient("<" + MessageInProgress.bare(target.get()) + ">"));
        out.add(new Answer.Continue());
        detail = join(detail, "redirect=" + MessageInProgress.bare(target.get()));
      }
      case ENCRYPT -> {
        return encrypt(m, envelope, verdict, d, detail);
      }
      default -> throw new IllegalStateException("unknown action " + action);
    }
    return new Judgement(out, verdict, action, detail);
  }

  private static Envelope envelope(MessageInProgress m) {
    return m.envelope();
  }

  private Judgement encrypt(MessageInProgress m, Envelope envelope, Verdict verdict, Decision d, String detail)
      throws IOException {
    List<Answer> edits = headerAnswers(m.foreignFields(), verdict.headerEdits(), List.of());
    Optional<GatewayEncryptor> encryptor = policy.get().encryptor();
    Optional<EncryptSpec> spec = d.encrypt();
    if (encryptor.isEmpty() || spec.isEmpty()) {
      return fallback(verdict, edits, d, "no encryptor configured");
    }
    if (m.raw().truncated()) {
      return fallback(verdict, edits, d, "message larger than caliop_max_inspect_size");
    }
    SpillBuffer body = new SpillBuffer(config.memoryBufferSize(), Long.MAX_VALUE, config.spillDirectory());
    EncryptionResult result;
    try (InputStream in = m.openJudged()) {
      result = encryptor.get().encrypt(in, envelope.recipients().stream().map(Object::toString).toList(),
          spec.get().options(), body);
    } catch (IOException | RuntimeException e) {
      body.close();
      return fallback(verdict, edits, d, "encryptor failed: " + e.getClass().getSimpleName());
    }
    List<Answer> out = new ArrayList<>();
    switch (result.status()) {
      case ENCRYPTED -> {
        if (body.kept() == 0) {
          body.close();
          return fallback(verdict, edits, d, "encryptor wrote no body");
        }
        out.addAll(headerAnswers(m.foreignFields(), verdict.headerEdits(), result.headerEdits()));
        out.add(new Answer.ReplaceBody(body));
        out.add(new Answer.Continue());
        return new Judgement(out, verdict, Action.ENCRYPT,
            join(detail, "encrypted=" + result.format().orElse("yes")));
      }
      case ALREADY_PROTECTED -> {
        body.close();
        out.addAll(edits);
        out.add(new Answer.Continue());
        return new Judgement(out, verdict, Action.ENCRYPT, join(detail, "encrypted=already"));
      }
      default -> {
        body.close();
        String missing = "no key for " + String.join(" ", result.recipientsWithoutKey());
        Action onMissing = spec.get().onMissingKey();
        switch (onMissing) {
          case REJECT -> out.add(reply(d, 550, "5.7.1", "Cannot encrypt: " + missing));
          case TEMPFAIL -> out.add(reply(d, 451, "4.7.1", "Cannot encrypt yet: " + missing));
          case HOLD -> {
            out.addAll(edits);
            out.add(new Answer.Quarantine("caliop: " + missing));
            out.add(new Answer.Continue());
          }
          default -> {
            out.addAll(edits);
            out.add(new Answer.Continue());
          }
        }
        return new Judgement(out, verdict, onMissing == Action.ACCEPT ? Action.TAG : onMissing,
            join(detail, "encrypt_missing_keys=" + result.recipientsWithoutKey().size()));
      }
    }
  }

  private Judgement fallback(Verdict verdict, List<Answer> edits, Decision d, String why) {
    OnError fb = config.encryptFallback();
    List<Answer> out = new ArrayList<>();
    Action action;
    switch (fb) {
      case REJECT -> {
        out.add(new Answer.Reply(550, "5.7.1", "Message cannot be delivered as policy requires"));
        action = Action.REJECT;
      }
      case HOLD -> {
        out.addAll(edits);
        out.add(new Answer.Quarantine("caliop: " + why));
        out.add(new Answer.Continue());
        action = Action.HOLD;
      }
      case ACCEPT -> {
        out.addAll(edits);
        out.add(new Answer.Continue());
        action = Action.TAG;
      }
      default -> {
        out.add(new Answer.Reply(451, "4.7.1", "Message cannot be delivered as policy requires, try again later"));
        action = Action.TEMPFAIL;
      }
    }
    return new Judgement(out, verdict, action, "fallback=" + fb.token() + " why=\"" + why + "\""
        + d.rule().map(r -> " wanted_by=" + r).orElse(""));
  }

  /** A header field to delete, by lower-case name and 1-based occurrence among the fields of that name. */
  private record Removal(String name, int occurrence) {
  }

  /**
   * Removals first, highest occurrence first per name (so earlier removals never shift later indexes), each field
   * once: every field of each foreign name the milter counted as it arrived (the engine's {@code REMOVE_ALL} edits
   * name the same ones), and the engine's numbered removals; then additions, top first, each inserted at the top in
   * reverse.
   */
  static List<Answer> headerAnswers(ForeignFields seenForeign, List<HeaderEdit> engineEdits,
      List<HeaderEdit> extra) {
    Set<Removal> removals = new LinkedHashSet<>();
    List<HeaderEdit> additions = new ArrayList<>();
    for (Map.Entry<String, Integer> e : seenForeign.counts().entrySet()) {
      allOf(removals, e.getKey(), e.getValue());
    }
    List<HeaderEdit> all = new ArrayList<>(engineEdits);
    all.addAll(extra);
    for (HeaderEdit e : all) {
      switch (e.kind()) {
        case REMOVE -> removals.add(new Removal(e.name().toLowerCase(Locale.ROOT), e.occurrence()));
        // A name the milter did not count as a field of its own (one hidden after a bare CR) cannot be removed by
        // the milter; such a message is refused before it gets here.
        case REMOVE_ALL -> allOf(removals, e.name(), seenForeign.count(e.name()));
        default -> additions.add(e);
      }
    }
    List<Answer> out = new ArrayList<>();
    removals.stream()
        .sorted(Comparator.comparing(Removal::name).thenComparing(Removal::occurrence, Comparator.reverseOrder()))
        .forEach(r -> out.add(new Answer.DeleteHeader(r.name(), r.occurrence())));
    for (int i = additions.size() - 1; i >= 0; i--) {
      out.add(new Answer.InsertHeader(0, additions.get(i).name(), additions.get(i).value()));
    }
    return out;
  }

  private static void allOf(Set<Removal> removals, String name, int count) {
    String lower = name.toLowerCase(Locale.ROOT);
    for (int i = 1; i <= count; i++) {
      removals.add(new Removal(lower, i));
    }
  }

  private static Answer reply(Decision d, int defaultCode, String defaultEnhanced, String defaultText) {
    char cls = Integer.toString(defaultCode).charAt(0);
    int code = d.smtpCode().filter(c -> c.matches("[45][0-9][0-9]") && c.charAt(0) == cls)
        .map(Integer::parseInt).orElse(defaultCode);
    String enhanced = d.enhancedCode().filter(c -> c.matches("[45]\\.[0-9]{1,3}\\.[0-9]{1,3}") && c.charAt(0) == cls)
        .orElse(defaultEnhanced);
    return new Answer.Reply(code, enhanced, d.replyText().filter(t -> !t.isBlank()).orElse(defaultText));
  }

  private static String quarantineReason(Decision d) {
    return "caliop: " + d.replyText().or(d::rule).orElse("held by policy");
  }

  private static String join(String a, String b) {
    return a == null ? b : a + " " + b;
  }
}
