package org.caliop.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import org.caliop.engine.Disposition;
import org.caliop.engine.Verdict;
import org.caliop.facts.Direction;
import org.caliop.policy.CompiledPolicy;
import org.caliop.policy.Decision;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code caliop policy replay FILE PATH...}: what a policy would have done to stored mail (docs/cli.md). Counts per
 * disposition and per rule; says how many decisions rested on facts the stored copy does not show, and which
 * messages could not be judged at all; {@code --list} and {@code --json} give every message.
 */
@Command(name = "replay", mixinStandardHelpOptions = true,
    description = "Runs the policy FILE over stored messages (a file, a directory, a maildir, an mbox, or - for"
        + " standard input) and reports what the MTA would have done.",
    footer = "Exit status: 0 every message judged, 1 the policy has errors or a message could not be read or judged,"
        + " 2 usage. See docs/cli.md.")
final class PolicyReplay implements Callable<Integer> {
  /** How many files are named under each unknown in the summary; {@code --list} names them all. */
  private static final int FILES_PER_UNKNOWN = 5;
  /**
   * Distinct unknown sentences counted apart (they name hops and addresses, so a large mailbox could have many);
   * past this, under one line.
   */
  private static final int MAX_UNKNOWN_KINDS = 50;
  private static final String OTHER_UNKNOWNS = "(other unknowns: --list or --json gives each message's)";
  /** Messages not judged named again in the summary (each is also on standard error). */
  private static final int MAX_NOT_JUDGED_NAMED = 50;

  @ParentCommand
  PolicyCommand top;

  @Parameters(index = "0", paramLabel = "FILE", description = "the policy file")
  Path policyFile;

  @Parameters(index = "1..*", arity = "1..*", paramLabel = "PATH", description = "messages to judge")
  List<String> paths;

  @Option(names = "--from", paramLabel = "ADDR", description = "the sender of every message (default: its"
      + " Return-Path:, else From:)")
  String from;

  @Option(names = "--to", paramLabel = "ADDR", split = ",", description = "the recipients of every message"
      + " (default: its X-Original-To:/Delivered-To:, else To: and Cc:); repeatable, or comma-separated")
  List<String> to = new ArrayList<>();

  @Option(names = "--direction", paramLabel = "DIR", converter = PolicyCommand.DirectionConverter.class,
      description = "judge every message as inbound, outbound or internal (default: what the engine works out)")
  Direction direction;

  @Option(names = "--list", description = "one line per message before the summary")
  boolean list;

  @Option(names = "--json", description = "one JSON object per message and line, instead of the summary")
  boolean json;

  @Override
  public Integer call() {
    PrintStream out = top.out;
    PrintStream err = top.err;
    if (list && json) {
      err.println("caliop policy replay: --list and --json are two layouts of the same lines: choose one");
      return CommandLine.ExitCode.USAGE;
    }
    CompiledPolicy policy = PolicyCommand.loadOrReport(policyFile, err);
    if (policy == null) {
      return 1;
    }
    StoredJudge judge = new StoredJudge(PolicyCommand.outcomes(policy), policy, from, to, direction);
    Tally tally = new Tally();
    MessageInputs.Sink sink = new MessageInputs.Sink() {
      @Override
      public void message(String name, InputStream in) throws IOException {
        try (StoredJudge.Judged j = judge.judge(in)) {
          tally.judged(name, j);
          if (json) {
            out.println(json(name, j));
          } else if (list) {
            out.println(line(name, j));
          }
        } catch (RuntimeException e) {
          notJudged(name, "cannot judge: " + e);
        }
      }

      @Override
      public void error(String name, String reason) {
        notJudged(name, reason);
      }

      private void notJudged(String name, String reason) {
        tally.notJudged(name, reason);
        err.println(name + ": not judged: " + reason);
        if (json) {
          StringBuilder b = new StringBuilder();
          new JsonWriter(b).beginObject().field("file", name).field("error", reason).endObject();
          out.println(b);
        } else if (list) {
          out.println(name + ": not judged: " + reason);
        }
      }
    };
    new MessageInputs(top.stdin).walk(paths, sink);
    if (!json) {
      if (list) {
        out.println();
      }
      summary(out, policy, tally);
    }
    return tally.notJudgedCount == 0 ? 0 : 1;
  }

  /** {@code FILE: disposition=hold action=encrypt rule=legal-out score=62 grade=C reasons="..." unknowns="..."}. */
  private static String line(String name, StoredJudge.Judged j) {
    Verdict v = j.verdict;
    Decision d = v.decision();
    StringBuilder b = new StringBuilder(name).append(": disposition=").append(v.disposition().token())
        .append(" action=").append(d.policyAction().token()).append(" rule=").append(d.rule().orElse("-"))
        .append(" direction=").append(v.facts().direction().token())
        .append(" score=").append(v.score().value()).append(" grade=").append(v.score().grade());
    if (!d.reasons().isEmpty()) {
      b.append(" reasons=\"").append(String.join("; ", d.reasons())).append('"');
    }
    if (!j.unknowns.isEmpty()) {
      b.append(" unknowns=\"").append(String.join("; ", j.unknowns)).append('"');
    }
    return b.toString();
  }

  private static String json(String name, StoredJudge.Judged j) {
    Verdict v = j.verdict;
    Decision d = v.decision();
    StringBuilder b = new StringBuilder(256);
    JsonWriter w = new JsonWriter(b).beginObject().field("file", name)
        .field("sender", v.facts().envelope().sender().map(Object::toString).orElse(null));
    w.name("recipients").beginArray();
    v.facts().envelope().recipients().forEach(r -> w.value(r.toString()));
    w.endArray().field("direction", v.facts().direction().token()).field("score", v.score().value())
        .field("grade", v.score().grade().toString()).field("action", d.policyAction().token())
        .field("dry_run", d.dryRun()).field("disposition", v.disposition().token())
        .field("rule", d.rule().orElse(null)).field("rule_location", d.ruleLocation().orElse(null));
    w.name("reasons").beginArray();
    d.reasons().forEach(w::value);
    w.endArray().name("unknowns").beginArray();
    j.unknowns.forEach(w::value);
    w.endArray().endObject();
    return b.toString();
  }

  private static void summary(PrintStream out, CompiledPolicy policy, Tally t) {
    out.println("policy: " + t.policyLine(policy));
    out.println("messages: " + t.total + (t.notJudgedCount == 0 ? "" : ", not judged: " + t.notJudgedCount)
        + ", decisions resting on unknowns: " + t.restingOnUnknowns);
    out.println();
    out.println(String.format(Locale.ROOT, "%-18s %8s %7s", "what the MTA does", "messages", "share"));
    for (Map.Entry<Disposition.Kind, Integer> e : t.byOutcome.entrySet()) {
      out.println(String.format(Locale.ROOT, "%-18s %8d %6.1f%%", e.getKey().token(), e.getValue(),
          t.total == 0 ? 0.0 : 100.0 * e.getValue() / t.total));
    }
    if (!t.byRule.isEmpty()) {
      out.println();
      out.println(String.format(Locale.ROOT, "%-56s %-10s %-18s %8s", "rule", "action", "what the MTA does",
          "messages"));
      for (Map.Entry<String, Map<String, Integer>> r : t.byRule.entrySet()) {
        String label = r.getKey() + policy.ruleLabel(r.getKey()).map(l -> " " + l).orElse("");
        for (Map.Entry<String, Integer> e : r.getValue().entrySet()) {
          out.println(String.format(Locale.ROOT, "%-56s %s %8d", label, e.getKey(), e.getValue()));
        }
      }
    }
    if (!t.byUnknown.isEmpty()) {
      out.println();
      out.println("decisions resting on unknowns (facts the stored copy does not show; see docs/cli.md):");
      for (Map.Entry<String, List<String>> u : t.byUnknown.entrySet()) {
        int n = t.unknownCounts.get(u.getKey());
        out.println(String.format(Locale.ROOT, "%8d  %s", n, u.getKey()));
        out.println("          e.g. " + String.join(", ", u.getValue())
            + (n > u.getValue().size() ? " (and " + (n - u.getValue().size()) + " more: --list names them all)"
            : ""));
      }
    }
    if (!t.notJudged.isEmpty()) {
      out.println();
      out.println("not judged (also on standard error):");
      t.notJudged.forEach((name, reason) -> out.println("  " + name + ": " + reason));
      if (t.notJudgedCount > t.notJudged.size()) {
        out.println("  (and " + (t.notJudgedCount - t.notJudged.size()) + " more)");
      }
    }
    if (policy.dryRun()) {
      out.println();
      out.println("(dry-run policy: the counts are what enforcing would do; in force, each of these is only tagged)");
    }
  }

  /** The counts of one run. */
  private final class Tally {
    int total;
    int restingOnUnknowns;
    final Map<Disposition.Kind, Integer> byOutcome = new EnumMap<>(Disposition.Kind.class);
    final Map<String, Map<String, Integer>> byRule = new TreeMap<>();
    final Map<String, List<String>> byUnknown = new TreeMap<>();
    final Map<String, Integer> unknownCounts = new TreeMap<>();
    int notJudgedCount;
    /** The first messages not judged, with why; the walk reports each once. */
    final Map<String, String> notJudged = new LinkedHashMap<>();

    Tally() {
      for (Disposition.Kind k : Disposition.Kind.values()) {
        byOutcome.put(k, 0);
      }
    }

    void judged(String name, StoredJudge.Judged j) {
      Verdict v = j.verdict;
      Decision d = v.decision();
      total++;
      byOutcome.merge(v.disposition().kind(), 1, Integer::sum);
      d.rule().ifPresent(r -> byRule.computeIfAbsent(r, k -> new TreeMap<>())
          .merge(String.format(Locale.ROOT, "%-10s %-18s", d.policyAction().token(), v.disposition().token()), 1,
              Integer::sum));
      if (!j.unknowns.isEmpty()) {
        restingOnUnknowns++;
      }
      for (String sentence : j.unknowns) {
        String u = unknownCounts.containsKey(sentence) || unknownCounts.size() < MAX_UNKNOWN_KINDS ? sentence
            : OTHER_UNKNOWNS;
        unknownCounts.merge(u, 1, Integer::sum);
        List<String> files = byUnknown.computeIfAbsent(u, k -> new ArrayList<>(FILES_PER_UNKNOWN));
        if (files.size() < FILES_PER_UNKNOWN) {
          files.add(name);
        }
      }
    }

    void notJudged(String name, String reason) {
      notJudgedCount++;
      if (notJudged.size() < MAX_NOT_JUDGED_NAMED) {
        notJudged.put(name, reason);
      }
    }

    String policyLine(CompiledPolicy policy) {
      return policyFile + " (" + (policy.dryRun() ? "dry-run" : "enforce") + ")"
          + (direction == null ? "" : ", every message judged " + direction.token());
    }
  }
}
