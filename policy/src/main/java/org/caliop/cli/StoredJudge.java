package org.caliop.cli;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.caliop.engine.Assessment;
import org.caliop.engine.Engine;
import org.caliop.engine.MessageSource;
import org.caliop.engine.Verdict;
import org.caliop.facts.Direction;
import org.caliop.facts.Envelope;
import org.caliop.facts.MessageFacts;
import org.caliop.policy.CompiledPolicy;
import org.caliop.score.Score;
import org.caliop.score.ScoreV2;

/**
 * Judges a stored message as {@code policy replay} does, so that {@code policy explain --stored} shows exactly what
 * replay decided: no SMTP session (the facts come from the message's own {@code Received:} fields, local hops
 * skipped), the envelope from its headers unless {@code --from}/{@code --to} say otherwise, the direction the engine
 * works out unless {@code --direction} does.
 */
final class StoredJudge {
  /** Messages larger than this are judged on their first 64 MiB rather than held whole in memory; said so. */
  static final int MAX_MESSAGE_BYTES = 64 * 1024 * 1024;
  static final String NO_RECIPIENT = "no recipient in X-Original-To, Delivered-To, To or Cc, and no --to:"
      + " recipient rules not applied";
  static final String TRUNCATED = "larger than 64 MiB: judged on its first 64 MiB";

  private final Engine engine;
  private final CompiledPolicy policy;
  private final String from;
  private final List<String> to;
  private final Direction direction;

  /**
   * @param from the sender for every message, or null for each message's own
   * @param to the recipients for every message, or empty for each message's own
   * @param direction the direction for every message, or null for the engine's
   */
  StoredJudge(Engine engine, CompiledPolicy policy, String from, List<String> to, Direction direction) {
    this.engine = engine;
    this.policy = policy;
    this.from = from;
    this.to = List.copyOf(to);
    this.direction = direction;
  }

  /** A stored message's verdict, with what it rested on that the stored copy did not show. Close it. */
  static final class Judged implements AutoCloseable {
    final Verdict verdict;
    /** The engine's {@code Decision#unknowns()}, then replay's own (no recipient, cut at the bound). */
    final List<String> unknowns;

    Judged(Verdict verdict, List<String> unknowns) {
      this.verdict = verdict;
      this.unknowns = List.copyOf(unknowns);
    }

    @Override
    public void close() {
      verdict.close();
    }
  }

  /** Reads the message from {@code in} (up to {@link #MAX_MESSAGE_BYTES}) and judges it. */
  Judged judge(InputStream in) throws IOException {
    byte[] bytes = in.readNBytes(MAX_MESSAGE_BYTES);
    boolean truncated = in.read() != -1;
    Envelope fromHeaders = PolicyCommand.HeaderEnvelope.of(bytes);
    Envelope envelope = Envelope.of(from != null ? from : fromHeaders.sender().orElse(null),
        to.isEmpty() ? fromHeaders.recipients() : to);
    Assessment a = withDirection(engine.assess(null, envelope, new ByteArrayInputStream(bytes)), direction, policy);
    Verdict v = engine.conclude(a, MessageSource.of(bytes));
    List<String> unknowns = new ArrayList<>(v.decision().unknowns());
    if (envelope.recipients().isEmpty()) {
      unknowns.add(NO_RECIPIENT);
    }
    if (truncated) {
      unknowns.add(TRUNCATED);
    }
    return new Judged(v, unknowns);
  }

  /** {@code a} decided again for {@code direction} when that is given and not the one the engine worked out. */
  static Assessment withDirection(Assessment a, Direction direction, CompiledPolicy policy) {
    if (direction == null || direction == a.facts().direction()) {
      return a;
    }
    MessageFacts f = a.facts();
    MessageFacts facts = MessageFacts.of(f.connection().orElse(null), f.envelope(), direction, f.hops(), f.auth(),
        f.content(), f.size(), f.diagnostics());
    Score score = ScoreV2.INSTANCE.score(facts);
    return a.redecided(facts, score, policy.decide(facts, score));
  }
}
