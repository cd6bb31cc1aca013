package org.caliop.policy;

import java.util.Objects;

/**
 * One thing wrong (or suspicious) in a policy file, where it is: printed as {@code file:line:column: message} like a
 * compiler, so editors can jump to it. Lines and columns count from 1.
 */
public final class Problem {
  /** An error stops the policy from loading; a warning is printed by {@code caliop policy check} only. */
  public enum Severity { ERROR, WARNING }

  private final String file;
  private final int line;
  private final int column;
  private final Severity severity;
  private final String message;

  private Problem(String file, int line, int column, Severity severity, String message) {
    this.file = Objects.requireNonNull(file);
    this.line = Math.max(1, line);
    this.column = Math.max(1, column);
    this.severity = Objects.requireNonNull(severity);
    this.message = Objects.requireNonNull(message);
  }

  public static Problem error(String file, int line, int column, String message) {
    return new Problem(file, line, column, Severity.ERROR, message);
  }

  public static Problem warning(String file, int line, int column, String message) {
    return new Problem(file, line, column, Severity.WARNING, message);
  }

  public String file() { return file; }
  public int line() { return line; }
  public int column() { return column; }
  public Severity severity() { return severity; }
  public String message() { return message; }

  public boolean isError() {
    return severity == Severity.ERROR;
  }

  /** {@code file:line:column: message}, with {@code warning: } before the message of a warning. */
  @Override
  public String toString() {
    return file + ":" + line + ":" + column + ": " + (severity == Severity.WARNING ? "warning: " : "") + message;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof Problem)) {
      return false;
    }
    Problem p = (Problem) o;
    return line == p.line && column == p.column && severity == p.severity && file.equals(p.file)
        && message.equals(p.message);
  }

  @Override
  public int hashCode() {
    return Objects.hash(file, line, column, severity, message);
  }
}
