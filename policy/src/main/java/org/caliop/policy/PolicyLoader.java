package org.caliop.policy;

import java.io.StringReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.configuration2.YAMLConfiguration;
import org.apache.commons.configuration2.ex.ConfigurationException;
import org.apache.commons.configuration2.tree.ImmutableNode;

/**
 * Loads a policy file (YAML, docs/policy.md) into a {@link CompiledPolicy}, or reports every problem as
 * {@code file:line:column: message}.
 *
 * <p>Three passes over one bounded text: {@link PolicyText} refuses empty, binary and oversized files;
 * {@link YamlIndex} composes the node tree with snakeyaml under strict limits (no anchors, aliases, tags or
 * duplicate keys; bounded depth), which keeps positions; Apache Commons Configuration reads the values, and
 * {@link PolicyCompiler} checks and compiles them. Bad input of any size fails in bounded time and memory.
 */
public final class PolicyLoader {
  private PolicyLoader() {
  }

  /** Loads and compiles; warnings are in {@link CompiledPolicy#warnings()}. */
  public static CompiledPolicy load(Path file) throws PolicyException {
    Result r = check(file);
    if (r.policy() == null) {
      throw new PolicyException(r.problems());
    }
    return r.policy();
  }

  /** Every problem (errors and warnings) and, when there is no error, the policy. Never throws. */
  public static Result check(Path file) {
    String name = file.toString();
    PolicyText.Result text = PolicyText.read(file, name);
    if (text.problem().isPresent()) {
      return new Result(null, List.of(text.problem().get()));
    }
    return compile(text.text().get(), file, name);
  }

  static Result compile(String text, Path file, String name) {
    YamlIndex index = YamlIndex.of(text, name);
    if (!index.ok()) {
      return new Result(null, index.problems());
    }
    ImmutableNode root;
    try {
      YAMLConfiguration config = new YAMLConfiguration();
      config.read(new StringReader(text), YamlIndex.loaderOptions());
      root = config.getNodeModel().getNodeHandler().getRootNode();
    } catch (ConfigurationException | RuntimeException | StackOverflowError e) {
      // The index already refused everything snakeyaml would; this is a safety net, not a path we expect.
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      return new Result(null, List.of(Problem.error(name, 1, 1, "cannot read policy: " + cause.getMessage())));
    }
    PolicyCompiler compiler = new PolicyCompiler(name, file, index);
    CompiledPolicy policy = compiler.compile(root);
    return new Result(compiler.hasErrors() ? null : policy, compiler.problems());
  }

  /** What loading found. */
  public static final class Result {
    private final CompiledPolicy policy;
    private final List<Problem> problems;

    Result(CompiledPolicy policy, List<Problem> problems) {
      this.policy = policy;
      this.problems = List.copyOf(problems);
    }

    /** The policy, or null when there is an error. */
    public CompiledPolicy policy() { return policy; }

    /** Errors and warnings, in file order. */
    public List<Problem> problems() { return problems; }

    public List<Problem> errors() {
      List<Problem> out = new ArrayList<>();
      for (Problem p : problems) {
        if (p.isError()) {
          out.add(p);
        }
      }
      return out;
    }

    public boolean ok() {
      return policy != null;
    }
  }
}
