package org.caliop.milter;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.caliop.engine.Assessment;
import org.caliop.engine.Disposition;
import org.caliop.engine.Engine;
import org.caliop.engine.MessageSource;
import org.caliop.engine.Verdict;
import org.caliop.facts.ConnectionFacts;
import org.caliop.facts.Envelope;
import org.caliop.facts.HeaderEdit;
import org.caliop.message.ForeignFields;
import org.caliop.message.ScanDiagnostic;
import org.caliop.milter.message.MessageInProgress;

/**
 * Runs the engine on one finished message and maps its disposition onto milter answers; it decides nothing itself.
 * Thread-safe. A small message held in memory may be assessed and answered on the network thread; a verdict that
 * encrypts ({@link Assessment#encrypts()}) is concluded on a worker.
 */
final class Judge {
  private final Engine engine;

  /** The answers for one message and the verdict behind them, for the log and metrics. */
  record Judgement(List<Answer> answers, Verdict verdict) {
    Disposition disposition() {
      return verdict.disposition();
    }
  }

  Judge(Engine engine) {
    this.engine = engine;
  }

  Judgement judge(MessageInProgress m, ConnectionFacts facts) throws IOException {
    return answer(m, assess(m, facts));
  }

  /** The engine's judgement of the message: CPU only, no I/O beyond reading the message. */
  Assessment assess(MessageInProgress m, ConnectionFacts facts) throws IOException {
    try (InputStream in = m.openJudged()) {
      return engine.assess(facts, envelope(m), in);
    }
  }

  /**
   * The engine counted more fields only our servers may write than it keeps: its removals are incomplete, so the
   * message must not pass as judged (the handler answers {@code caliop_on_error}).
   */
  static boolean overBound(Assessment assessment) {
    return ScanDiagnostic.FOREIGN_FIELDS_OVER_BOUND.in(assessment.facts().diagnostics());
  }

  /** The engine carries the judgement out (encrypting when it says so); the answers map its disposition. */
  Judgement answer(MessageInProgress m, Assessment assessment) {
    Verdict verdict = engine.conclude(assessment, source(m));
    return new Judgement(answers(m, verdict), verdict);
  }

  /** The message as the engine reads it again to encrypt it: what we kept, and whether that was all of it. */
  private static MessageSource source(MessageInProgress m) {
    return new MessageSource() {
      @Override
      public InputStream open() throws IOException {
        return m.openJudged();
      }

      @Override
      public long size() {
        return m.raw().kept();
      }

      @Override
      public boolean truncated() {
        return m.raw().truncated();
      }
    };
  }

  /** The envelope as the engine judges it: the MTA's canonical {@code {mail_addr}}/{@code {rcpt_addr}}. */
  static Envelope envelope(MessageInProgress m) {
    return m.envelope();
  }

  /**
   * The disposition as milter answers. Header edits go with every message Postfix keeps (delivered, held,
   * redirected, encrypted); a refused message gets only the reply.
   */
  static List<Answer> answers(MessageInProgress m, Verdict verdict) {
    Disposition d = verdict.disposition();
    List<Answer> out = new ArrayList<>();
    switch (d.kind()) {
      case REJECT, TEMPFAIL -> out.add(new Answer.Reply(d.reply().orElseThrow()));
      case HOLD -> {
        out.addAll(headerAnswers(m.foreignFields(), verdict.headerEdits(), List.of()));
        out.add(new Answer.Quarantine(d.holdReason().orElseThrow()));
        out.add(new Answer.Continue());
      }
      case REDIRECT -> {
        out.addAll(headerAnswers(m.foreignFields(), verdict.headerEdits(), List.of()));
        for (String r : m.rawRecipients()) {
          out.add(new Answer.DeleteRecipient(r));
        }
        out.add(new Answer.AddRecipient("<" + d.redirectTo().orElseThrow() + ">"));
        out.add(new Answer.Continue());
      }
      case ENCRYPTED -> {
        // The engine gives a milter one copy for all recipients: a milter cannot split a message.
        Disposition.Copy copy = d.copies().get(0);
        out.addAll(headerAnswers(m.foreignFields(), verdict.headerEdits(), copy.headerEdits()));
        out.add(new Answer.ReplaceBody(copy));
        out.add(new Answer.Continue());
      }
      case ACCEPT, ALREADY_PROTECTED -> {
        out.addAll(headerAnswers(m.foreignFields(), verdict.headerEdits(), List.of()));
        out.add(new Answer.Continue());
      }
      default -> throw new IllegalStateException("unknown disposition " + d.kind());
    }
    return out;
  }

  /** A header field to delete, by lower-case name and 1-based occurrence among the fields of that name. */
  private record Removal(String name, int occurrence) {
  }

  /**
   * Changes of a value in place first (while every index is still the original one), then removals, highest
   * occurrence first per name (so earlier removals never shift later indexes), each field once: every field of each
   * foreign name the milter counted as it arrived (the engine's {@code REMOVE_ALL} edits name the same ones), and
   * the engine's numbered removals; then additions, top first, each inserted at the top in reverse. A field both
   * changed and removed is only removed.
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
    List<HeaderEdit> changes = new ArrayList<>();
    for (HeaderEdit e : all) {
      switch (e.kind()) {
        case REMOVE -> removals.add(new Removal(e.name().toLowerCase(Locale.ROOT), e.occurrence()));
        // A name the milter did not count as a field of its own (one hidden after a bare CR) cannot be removed by
        // the milter; such a message is refused before it gets here.
        case REMOVE_ALL -> allOf(removals, e.name(), seenForeign.count(e.name()));
        case REPLACE -> changes.add(e);
        default -> additions.add(e);
      }
    }
    List<Answer> out = new ArrayList<>();
    for (HeaderEdit c : changes) {
      if (!removals.contains(new Removal(c.name().toLowerCase(Locale.ROOT), c.occurrence()))) {
        out.add(new Answer.ChangeHeader(c.name(), c.occurrence(), c.value().replace("\r\n", "\n")));
      }
    }
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
}
