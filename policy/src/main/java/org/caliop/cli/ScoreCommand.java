package org.caliop.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.caliop.engine.Engine;
import org.caliop.engine.Assessment;
import org.caliop.facts.Envelope;
import org.caliop.policy.Policy;
import org.caliop.policy.PolicyException;
import org.caliop.policy.PolicyLoader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code caliop score [--json] [--policy FILE] PATH...}: scores stored messages (docs/cli.md). */
@Command(name = "score",
    description = "Scores stored messages: one line (or one JSON object with --json) per message, with its grade,"
        + " score and reasons.",
    footer = "Exit status: 0 every message scored, 1 some could not be read or scored, 2 usage or policy error."
        + " See docs/cli.md.")
final class ScoreCommand implements Callable<Integer> {
  @Option(names = "--json", description = "one JSON object per line instead of the human layout")
  boolean json;

  @Option(names = "--policy", paramLabel = "FILE",
      description = "trust settings and limits from this policy file (default: the built-in policy)")
  String policyFile;

  @Parameters(arity = "1..*", paramLabel = "PATH",
      description = "a message file, a directory (recursive), a maildir, an mbox, or - for standard input")
  List<String> paths = new ArrayList<>();

  private final InputStream stdin;
  private final PrintStream out;
  private final PrintStream err;

  ScoreCommand(InputStream stdin, PrintStream out, PrintStream err) {
    this.stdin = stdin;
    this.out = out;
    this.err = err;
  }

  @Override
  public Integer call() {
    Policy policy;
    try {
      policy = policyFile == null ? Policy.builtIn() : loadPolicy(Path.of(policyFile));
    } catch (IllegalArgumentException e) {
      err.println("caliop score: " + e.getMessage());
      return 2;
    }
    Engine engine = new Engine(() -> policy);
    ScoreOutput output = json ? new JsonOutput(out) : new HumanOutput(out);
    Scorer scorer = new Scorer(engine, output);
    boolean allRead = new MessageInputs(stdin).walk(paths, scorer);
    out.flush();
    return allRead && scorer.allScored ? 0 : 1;
  }

  /**
   * Loads a policy file for its trust settings and limits (and its decisions, which {@code score} does not show).
   *
   * @throws IllegalArgumentException when the file cannot be used; the message lists every error as
   *     {@code file:line:column: message}
   */
  static Policy loadPolicy(Path file) {
    try {
      return PolicyLoader.load(file);
    } catch (PolicyException e) {
      throw new IllegalArgumentException("cannot use policy file:\n" + e.getMessage(), e);
    }
  }

  /** Feeds each message to the engine and its verdict to the output; a message that fails is reported. */
  private static final class Scorer implements MessageInputs.Sink {
    private final Engine engine;
    private final ScoreOutput output;
    private boolean allScored = true;

    Scorer(Engine engine, ScoreOutput output) {
      this.engine = engine;
      this.output = output;
    }

    @Override
    public void message(String name, InputStream in) throws IOException {
      Assessment verdict;
      try {
        verdict = engine.assess(null, Envelope.empty(), in);
      } catch (RuntimeException e) {
        // A bug in the engine must not stop a run over a month of mail: report it for this message and go on.
        allScored = false;
        output.error(name, "internal error: " + e);
        return;
      }
      output.verdict(name, verdict);
    }

    @Override
    public void error(String name, String reason) {
      output.error(name, reason);
    }
  }
}
