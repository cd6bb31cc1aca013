package org.caliop.policy;

import java.util.List;
import java.util.stream.Collectors;

/**
 * A policy file that cannot be used, with every problem found (not only the first), each as
 * {@code file:line:column: message}. Checked: whoever loads a policy must decide what happens on a bad file
 * (the CLI exits 1, a reload keeps the old policy).
 */
public final class PolicyException extends Exception {
  private static final long serialVersionUID = 1L;

  private final transient List<Problem> problems;

  public PolicyException(List<Problem> problems) {
    super(problems.stream().map(Problem::toString).collect(Collectors.joining("\n")));
    this.problems = List.copyOf(problems);
  }

  /** Errors and warnings in file order; at least one is an error. */
  public List<Problem> problems() {
    return problems;
  }

  /** Only the errors. */
  public List<Problem> errors() {
    return problems.stream().filter(Problem::isError).collect(Collectors.toList());
  }
}
