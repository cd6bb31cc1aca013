package org.caliop.policy;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.configuration2.tree.ImmutableNode;

/**
 * Reads values of the shape a key expects out of the tree Commons Configuration built (a single value, a mapping, a
 * list), asking the {@link YamlIndex} of the same text what was written where, and reporting a value of the wrong
 * shape. A path is the list of keys from the top ({@code #i} for the i-th item of a list).
 */
final class PolicyTree {
  private final YamlIndex index;
  private final ProblemSink problems;
  private final Path baseDir;

  /** {@code baseDir}: the policy file's directory, which relative paths in it are relative to. */
  PolicyTree(YamlIndex index, ProblemSink problems, Path baseDir) {
    this.index = index;
    this.problems = problems;
    this.baseDir = baseDir;
  }

  /** A check of one value. */
  interface Check {
    /** An error message, or null when fine. */
    String problem(String value);
  }

  /**
   * The keys of a mapping with their nodes (a list gives several nodes of one name). Commons Configuration drops a
   * key whose value is an empty list; the index still knows it, so it is here with no nodes: an unknown key is
   * reported even then, and {@code internal_networks: []} means none.
   */
  Map<String, List<ImmutableNode>> children(ImmutableNode node, List<String> path) {
    Map<String, List<ImmutableNode>> out = new LinkedHashMap<>();
    for (String key : index.keys(path)) {
      out.put(key, new ArrayList<>(1));
    }
    if (node != null) {
      for (ImmutableNode c : node.getChildren()) {
        out.computeIfAbsent(c.getNodeName(), k -> new ArrayList<>(1)).add(c);
      }
    }
    return out;
  }

  /** A single value, or null (with an error when it is a list or a mapping). */
  Object scalar(List<String> path, List<ImmutableNode> nodes) {
    YamlIndex.Kind kind = index.kind(path);
    if (kind == YamlIndex.Kind.LIST || nodes.size() != 1) {
      problems.error(path, last(path) + " takes a single value, not a list");
      return null;
    }
    if (kind == YamlIndex.Kind.MAP || !nodes.get(0).getChildren().isEmpty()) {
      problems.error(path, last(path) + " takes a single value, not a mapping");
      return null;
    }
    return nodes.get(0).getValue();
  }

  /** A mapping node, or null for an empty value (with an error when it is a scalar or a list). */
  ImmutableNode mapNode(List<String> path, List<ImmutableNode> nodes) {
    YamlIndex.Kind kind = index.kind(path);
    if (kind == YamlIndex.Kind.LIST || nodes.size() != 1) {
      problems.error(path, last(path) + " must be a mapping of keys, not a list");
      return null;
    }
    ImmutableNode n = nodes.get(0);
    if (kind == YamlIndex.Kind.SCALAR || n.getValue() != null) {
      problems.error(path, last(path) + " must be a mapping of keys, not the value '" + n.getValue() + "'");
      return null;
    }
    return n;
  }

  /** A list of scalars (a single scalar is a list of one), each checked at its own position. */
  List<String> checkedList(List<String> path, List<ImmutableNode> nodes, Check check) {
    List<String> out = new ArrayList<>();
    if (index.kind(path) == YamlIndex.Kind.MAP) {
      problems.error(path, last(path) + " must be a list, not a mapping");
      return out;
    }
    for (int i = 0; i < nodes.size(); i++) {
      ImmutableNode n = nodes.get(i);
      List<String> p = index.kind(path) == YamlIndex.Kind.LIST ? append(path, "#" + i) : path;
      if (!n.getChildren().isEmpty()) {
        problems.error(p, last(path) + " must be a list of values, not of mappings");
        continue;
      }
      if (n.getValue() == null) {
        continue;
      }
      String v = String.valueOf(n.getValue()).trim();
      String bad = check.problem(v);
      if (bad != null) {
        problems.error(p, "bad " + last(path) + " entry '" + v + "': " + bad);
      } else {
        out.add(v);
      }
    }
    return out;
  }

  /** The value at {@code path}, relative to the policy file's directory; null (with an error) when not a path. */
  Path resolve(List<String> path, Object raw) {
    try {
      return baseDir.resolve(String.valueOf(raw)).normalize();
    } catch (InvalidPathException ex) {
      problems.error(path, last(path) + " is not a usable path: " + ex.getReason());
      return null;
    }
  }

  static List<String> append(List<String> path, String name) {
    List<String> p = new ArrayList<>(path.size() + 1);
    p.addAll(path);
    p.add(name);
    return p;
  }

  static String last(List<String> path) {
    return path.isEmpty() ? "policy" : path.get(path.size() - 1);
  }
}
