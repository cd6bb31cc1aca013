package org.caliop.policy;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.commons.configuration2.tree.ImmutableNode;

/**
 * The {@code name:} of rule blocks, checked: a word of letters, digits, {@code .}, {@code _} and {@code -} (at most
 * 64, no {@code :}, so it is never mistaken for {@code file:line}), given to one block only in a file.
 */
final class RuleNames {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

  private final PolicyTree tree;
  private final ProblemSink problems;
  private final YamlIndex index;
  /** Names given so far, with the line they were given at: a name identifies one rule. */
  private final Map<String, Integer> names = new HashMap<>();

  RuleNames(PolicyTree tree, ProblemSink problems, YamlIndex index) {
    this.tree = tree;
    this.problems = problems;
    this.index = index;
  }

  /** The name of the block at {@code path}; null when the block has none (or a bad one, reported). */
  String of(List<String> path, List<ImmutableNode> nodes) {
    List<String> p = PolicyTree.append(path, "name");
    if (nodes.size() != 1 || !index.keys(path).contains("name")) {
      return null;
    }
    List<ImmutableNode> value = new ArrayList<>();
    for (ImmutableNode c : nodes.get(0).getChildren()) {
      if (c.getNodeName().equals("name")) {
        value.add(c);
      }
    }
    Object raw = tree.scalar(p, value);
    if (raw == null) {
      if (index.kind(p) == YamlIndex.Kind.NULL) {
        problems.error(p, "name has no value");
      }
      return null;
    }
    String name = String.valueOf(raw).trim();
    if (!NAME.matcher(name).matches()) {
      problems.error(p, "bad rule name '" + name + "': letters, digits, '.', '_' and '-', at most 64, starting with"
          + " a letter or digit (logs, headers and metric labels carry it)");
      return null;
    }
    Integer first = names.putIfAbsent(name, index.at(p).line);
    if (first != null) {
      problems.error(p, "rule name '" + name + "' is already given at line " + first + ": a name identifies one"
          + " rule");
      return null;
    }
    return name;
  }
}
