package org.caliop.policy;

import java.util.Objects;

/**
 * One block of a policy file: its human name ({@code domain partner.example outbound}) and where it starts. The
 * rule that decided a message is named by {@link #where()}, {@code file:line}, as Postfix logs name a table entry.
 */
public final class RuleRef {
  private final String label;
  private final String file;
  private final int line;
  private final int specificity;

  RuleRef(String label, String file, int line, int specificity) {
    this.label = Objects.requireNonNull(label);
    this.file = Objects.requireNonNull(file);
    this.line = line;
    this.specificity = specificity;
  }

  /** {@code global}, {@code global inbound}, {@code domain x}, {@code domain x outbound}, {@code user a@x} ... */
  public String label() { return label; }

  /** {@code file:line}. */
  public String where() { return file + ":" + line; }

  public int line() { return line; }

  /** Larger is more specific: the order in which layers override one another. */
  int specificity() { return specificity; }

  @Override
  public String toString() {
    return label + " (" + where() + ")";
  }
}
