package org.caliop.policy;

import java.util.Objects;

/**
 * One block of a policy file: its human name ({@code domain partner.example outbound}), where it starts, and the
 * stable name the admin gave it ({@code name: partner-tls}). The rule that decided a message is named by
 * {@link #id()}: that name, which survives edits of the file, or else {@code file:line} as Postfix logs name a table
 * entry. Logs, headers, metrics and replay use the id; messages to the admin add {@link #where()}.
 */
public final class RuleRef {
  private final String label;
  private final String file;
  private final int line;
  private final int specificity;
  private final String name;

  RuleRef(String label, String file, int line, int specificity) {
    this(label, file, line, specificity, null);
  }

  RuleRef(String label, String file, int line, int specificity, String name) {
    this.label = Objects.requireNonNull(label);
    this.file = Objects.requireNonNull(file);
    this.line = line;
    this.specificity = specificity;
    this.name = name;
  }

  /** The block's {@code name:}, if it has one. */
  public java.util.Optional<String> name() { return java.util.Optional.ofNullable(name); }

  /** What identifies the rule in logs, headers, metrics and replay: its name, else {@code file:line}. */
  public String id() { return name != null ? name : where(); }

  /** {@code global}, {@code global inbound}, {@code domain x}, {@code domain x outbound}, {@code user a@x} ... */
  public String label() { return label; }

  /** {@code file:line}. */
  public String where() { return file + ":" + line; }

  public int line() { return line; }

  /** Larger is more specific: the order in which layers override one another. */
  int specificity() { return specificity; }

  @Override
  public String toString() {
    return (name != null ? name + ": " : "") + label + " (" + where() + ")";
  }
}
