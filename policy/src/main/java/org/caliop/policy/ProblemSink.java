package org.caliop.policy;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Where the compiler reports what is wrong in a policy file: each problem at the {@code file:line:column} of the
 * key or value it is about (from the {@link YamlIndex}), each once, in file order. Remembers where errors were found,
 * so that what follows from them is not reported as a problem of its own.
 */
final class ProblemSink {
  private final String file;
  private final YamlIndex index;
  private final Set<Problem> problems = new LinkedHashSet<>();
  private final Set<List<String>> errorPaths = new HashSet<>();

  ProblemSink(String file, YamlIndex index) {
    this.file = file;
    this.index = index;
  }

  /** Every problem, in the order of their positions in the file (in the order found at one position). */
  List<Problem> sorted() {
    List<Problem> sorted = new ArrayList<>(problems);
    sorted.sort((a, b) -> a.line() != b.line() ? Integer.compare(a.line(), b.line())
        : Integer.compare(a.column(), b.column()));
    return sorted;
  }

  boolean hasErrors() {
    return problems.stream().anyMatch(Problem::isError);
  }

  /** How many distinct problems so far: a caller compares counts to learn whether a check reported anything. */
  int count() {
    return problems.size();
  }

  /** An error at the value of {@code path}. */
  void error(List<String> path, String message) {
    errorPaths.add(List.copyOf(path));
    YamlIndex.Loc loc = index.at(path);
    problems.add(Problem.error(file, loc.line, loc.column, message));
  }

  /** An error at a position already known (a key of an effective rule). */
  void errorAt(int line, int column, String message) {
    problems.add(Problem.error(file, line, column, message));
  }

  void warning(List<String> path, String message) {
    YamlIndex.Loc loc = index.at(path);
    problems.add(Problem.warning(file, loc.line, loc.column, message));
  }

  /** An error at the key of {@code path} (the whole entry is wrong, not its value). */
  void errorAtKey(List<String> path, String message) {
    errorPaths.add(List.copyOf(path));
    YamlIndex.Loc loc = index.at(path);
    problems.add(Problem.error(file, loc.keyLine, loc.keyColumn, message));
  }

  void warningAtKey(List<String> path, String message) {
    YamlIndex.Loc loc = index.at(path);
    problems.add(Problem.warning(file, loc.keyLine, loc.keyColumn, message));
  }

  /** An unknown key, with a "did you mean" or where it belongs when caliop can tell, else the keys expected. */
  void unknownKey(List<String> path, String key, List<String> known, String where) {
    errorAtKey(path, KeyHints.unknownKey(key, known, where));
  }

  /** Whether an error was reported at {@code prefix} or inside it. */
  boolean errorsUnder(List<String> prefix) {
    for (List<String> p : errorPaths) {
      if (p.size() >= prefix.size() && p.subList(0, prefix.size()).equals(prefix)) {
        return true;
      }
    }
    return false;
  }
}
