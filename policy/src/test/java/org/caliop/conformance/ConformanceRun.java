package org.caliop.conformance;

import java.nio.file.Files;
import java.nio.file.Path;
import org.caliop.engine.Disposition;
import org.caliop.engine.Engine;
import org.caliop.engine.MessageSource;
import org.caliop.engine.Verdict;
import org.caliop.facts.Envelope;
import org.caliop.policy.CompiledPolicy;
import org.caliop.policy.PolicyLoader;

/** Runs a case through the engine alone: the reference every adapter is held to. */
public final class ConformanceRun {
  private ConformanceRun() {
  }

  /**
   * The engine's outcome for {@code c} in a fresh directory under {@code dir}, as an adapter that can
   * ({@code splits}) or cannot send copies would get it.
   */
  public static Outcome engine(ConformanceCase c, Path dir, boolean splits) throws Exception {
    Path d = Files.createDirectories(dir.resolve("engine-" + splits));
    CompiledPolicy policy = PolicyLoader.load(c.writePolicy(d));
    c.afterPolicyLoaded(d);
    Engine engine = Engine.builder(() -> policy).splitsCopies(splits).spill(64 * 1024, d).build();
    try (Verdict v = engine.evaluate(c.client.facts("CONFORMANCE"), Envelope.of(c.sender, c.recipients),
        MessageSource.of(c.message()))) {
      for (Disposition.Copy copy : v.disposition().copies()) {
        if (new String(copy.openBody().readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII)
            .contains(ConformanceCases.CLEAR_TEXT)) {
          throw new AssertionError(c + ": the encrypted body holds the clear text");
        }
      }
      Outcome o = Outcome.of(v.disposition());
      return c.expected(splits).subject().isPresent()
          ? o.withSubject(DeliveredSubject.after(c.message(), v.headerEdits())) : o;
    }
  }

  /** What {@code c} must end in for an adapter: the table's outcome, or while it is pending, the engine's. */
  public static Outcome wanted(ConformanceCase c, Path dir, boolean splits) throws Exception {
    return c.pending == null ? c.expected(splits) : engine(c, dir, splits);
  }
}
