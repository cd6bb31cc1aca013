package org.caliop.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.caliop.engine.Engine;
import org.caliop.engine.Assessment;
import org.caliop.facts.Envelope;
import org.caliop.policy.Policy;
import org.caliop.policy.PolicyException;
import org.caliop.policy.PolicyLoader;

/** {@code caliop score [--json] [--policy FILE] PATH...}: scores stored messages (docs/cli.md). */
public final class ScoreCommand {
  static final String USAGE = "usage: caliop score [--json] [--policy FILE] PATH...\n"
      + "  PATH: a message file, a directory (recursive), a maildir, an mbox, or - for standard input";

  private ScoreCommand() {
  }

  public static int run(String[] args, InputStream stdin, PrintStream out, PrintStream err) {
    boolean json = false;
    String policyFile = null;
    List<String> paths = new ArrayList<>();
    boolean options = true;
    for (int i = 0; i < args.length; i++) {
      String a = args[i];
      if (options && a.equals("--")) {
        options = false;
      } else if (options && a.equals("--json")) {
        json = true;
      } else if (options && a.equals("--policy")) {
        if (i + 1 >= args.length) {
          err.println("caliop score: --policy needs a FILE");
          err.println(USAGE);
          return 2;
        }
        policyFile = args[++i];
      } else if (options && a.startsWith("--policy=")) {
        policyFile = a.substring("--policy=".length());
      } else if (options && (a.equals("-h") || a.equals("--help"))) {
        out.println(USAGE);
        return 0;
      } else if (options && a.startsWith("-") && !a.equals("-")) {
        err.println("caliop score: unknown option " + a);
        err.println(USAGE);
        return 2;
      } else {
        paths.add(a);
      }
    }
    if (paths.isEmpty()) {
      err.println("caliop score: no PATH given");
      err.println(USAGE);
      return 2;
    }
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
