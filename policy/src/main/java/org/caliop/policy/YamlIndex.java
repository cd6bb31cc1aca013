package org.caliop.policy;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.composer.Composer;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeId;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.parser.ParserImpl;
import org.yaml.snakeyaml.reader.StreamReader;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * The YAML node tree of a policy file, read with snakeyaml's composer for one reason: it keeps line and column of
 * every key and value, which Commons Configuration drops. It also refuses what a policy never needs and an attacker
 * would use: anchors and aliases (billion laughs), custom tags, duplicate keys, deep nesting. Paths are the key
 * names from the root; a list element is {@code #index}.
 */
final class YamlIndex {
  /** The schema is at most 5 levels deep (domains / name / outbound / encrypt / format); leave a margin. */
  static final int MAX_DEPTH = 12;
  /** More nodes than a 4 MiB file of rules can need (10,000 domain rules of six lines are about 80,000 nodes). */
  static final int MAX_NODES = 500_000;

  private static final Set<Tag> PLAIN_TAGS = Set.of(Tag.STR, Tag.INT, Tag.BOOL, Tag.NULL, Tag.FLOAT, Tag.MAP,
      Tag.SEQ);

  /** What kind of YAML value a path holds. */
  enum Kind { SCALAR, NULL, LIST, MAP }

  /** Where a key and its value stand (1-based), and what the value is. */
  static final class Loc {
    final int keyLine;
    final int keyColumn;
    final int line;
    final int column;
    final Kind kind;

    Loc(Mark key, Mark value, Kind kind) {
      this.keyLine = key.getLine() + 1;
      this.keyColumn = key.getColumn() + 1;
      this.line = value.getLine() + 1;
      this.column = value.getColumn() + 1;
      this.kind = kind;
    }
  }

  private final String file;
  private final Map<List<String>, Loc> locations = new HashMap<>();
  private final Map<List<String>, List<String>> mappingKeys = new HashMap<>();
  private final java.util.Set<Problem> problems = new java.util.LinkedHashSet<>();
  private int nodes;

  private YamlIndex(String file) {
    this.file = file;
  }

  /** Composition is bounded by these options whatever the input: snakeyaml fails fast with a marked error. */
  static LoaderOptions loaderOptions() {
    LoaderOptions o = new LoaderOptions();
    o.setMaxAliasesForCollections(10);
    o.setAllowRecursiveKeys(false);
    o.setAllowDuplicateKeys(false);
    o.setNestingDepthLimit(MAX_DEPTH * 2);
    o.setCodePointLimit(PolicyText.MAX_BYTES);
    o.setProcessComments(false);
    return o;
  }

  static YamlIndex of(String text, String file) {
    YamlIndex index = new YamlIndex(file);
    index.compose(text);
    return index;
  }

  List<Problem> problems() {
    return List.copyOf(problems);
  }

  boolean ok() {
    return problems.isEmpty();
  }

  /** The location of the deepest known prefix of {@code path}; the file start when nothing is known. */
  Loc at(List<String> path) {
    for (int n = path.size(); n > 0; n--) {
      Loc loc = locations.get(n == path.size() ? path : path.subList(0, n));
      if (loc != null) {
        return loc;
      }
    }
    return locations.get(List.of());
  }

  /** The keys of the mapping at {@code path}, in file order (empty when it is not a mapping). */
  List<String> keys(List<String> path) {
    return mappingKeys.getOrDefault(path, List.of());
  }

  Kind kind(List<String> path) {
    Loc loc = locations.get(path);
    return loc == null ? null : loc.kind;
  }

  private void compose(String text) {
    Node root;
    try {
      LoaderOptions options = loaderOptions();
      Composer composer = new Composer(new ParserImpl(new StreamReader(new StringReader(text)), options),
          new Resolver(), options);
      root = composer.getSingleNode();
    } catch (MarkedYAMLException e) {
      Mark m = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
      problems.add(Problem.error(file, m == null ? 1 : m.getLine() + 1, m == null ? 1 : m.getColumn() + 1,
          "YAML: " + oneLine(e.getProblem() != null ? e.getProblem() : e.getMessage())
              + (e.getContext() != null ? " (" + oneLine(e.getContext()) + ")" : "")));
      return;
    } catch (YAMLException | StackOverflowError e) {
      problems.add(Problem.error(file, 1, 1, "YAML: " + oneLine(String.valueOf(e.getMessage()))));
      return;
    }
    if (root == null || root.getTag().equals(Tag.NULL)) {
      problems.add(Problem.error(file, 1, 1,
          "empty policy file: write at least 'mode: enforce' (see docs/policy.md, or conf/default.yaml)"));
      return;
    }
    if (root.getNodeId() != NodeId.mapping) {
      error(root.getStartMark(), "a policy file is a mapping of keys (mode, trust, global, domains, users ...), not "
          + describe(root));
      return;
    }
    locations.put(List.of(), new Loc(root.getStartMark(), root.getStartMark(), Kind.MAP));
    walk(root, new ArrayList<>(), 0);
  }

  private void walk(Node node, List<String> path, int depth) {
    if (++nodes > MAX_NODES) {
      if (nodes == MAX_NODES + 1) {
        error(node.getStartMark(), "more than " + MAX_NODES + " YAML nodes: not a policy file");
      }
      return;
    }
    if (depth > MAX_DEPTH) {
      error(node.getStartMark(), "nesting deeper than " + MAX_DEPTH + " levels: not a policy file");
      return;
    }
    if (node.getAnchor() != null) {
      error(node.getStartMark(), "anchors and aliases (&" + node.getAnchor()
          + ") are not supported in policy files: write each rule out");
      return;
    }
    if (!PLAIN_TAGS.contains(node.getTag())) {
      error(node.getStartMark(), "YAML tag " + node.getTag() + " is not supported in policy files");
      return;
    }
    if (node instanceof MappingNode) {
      Map<String, Mark> seen = new HashMap<>();
      List<String> keys = new ArrayList<>();
      mappingKeys.put(List.copyOf(path), keys);
      for (NodeTuple t : ((MappingNode) node).getValue()) {
        Node k = t.getKeyNode();
        if (!(k instanceof ScalarNode) || k.getAnchor() != null) {
          error(k.getStartMark(), "a key must be a plain word, not " + describe(k));
          continue;
        }
        if (Tag.NULL.equals(k.getTag())) {
          // YAML reads null, ~ and an empty key as no key at all, which the value reader cannot name
          error(k.getStartMark(), "a key must be a plain word, not the null '" + ((ScalarNode) k).getValue() + "'");
          continue;
        }
        String name = ((ScalarNode) k).getValue();
        Mark first = seen.putIfAbsent(name, k.getStartMark());
        if (first != null) {
          error(k.getStartMark(), "duplicate key '" + name + "' (first at line " + (first.getLine() + 1) + ")");
          continue;
        }
        keys.add(name);
        path.add(name);
        locations.put(List.copyOf(path), new Loc(k.getStartMark(), t.getValueNode().getStartMark(),
            kindOf(t.getValueNode())));
        walk(t.getValueNode(), path, depth + 1);
        path.remove(path.size() - 1);
      }
    } else if (node instanceof SequenceNode) {
      List<Node> items = ((SequenceNode) node).getValue();
      for (int i = 0; i < items.size(); i++) {
        Node item = items.get(i);
        path.add("#" + i);
        locations.put(List.copyOf(path), new Loc(item.getStartMark(), item.getStartMark(), kindOf(item)));
        walk(item, path, depth + 1);
        path.remove(path.size() - 1);
      }
    }
  }

  private static Kind kindOf(Node n) {
    if (n instanceof MappingNode) {
      return Kind.MAP;
    }
    if (n instanceof SequenceNode) {
      return Kind.LIST;
    }
    return n.getTag().equals(Tag.NULL) ? Kind.NULL : Kind.SCALAR;
  }

  private static String describe(Node n) {
    if (n instanceof MappingNode) {
      return "a mapping";
    }
    if (n instanceof SequenceNode) {
      return "a list";
    }
    return "the scalar '" + ((ScalarNode) n).getValue() + "'";
  }

  private void error(Mark m, String message) {
    problems.add(Problem.error(file, m.getLine() + 1, m.getColumn() + 1, message));
  }

  private static String oneLine(String s) {
    return s.replaceAll("\\s+", " ").trim();
  }
}
