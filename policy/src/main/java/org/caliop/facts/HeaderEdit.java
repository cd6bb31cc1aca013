package org.caliop.facts;

import java.util.Objects;

/**
 * One change to the message's header section, in the terms both MTAs understand: remove the n-th field of a name,
 * remove every field of a name, replace the value of the n-th field of a name where it stands (the milter's
 * chgheader), or add a field at the top (index 0) of the header section.
 */
public final class HeaderEdit {
  public enum Kind {
    /** The {@link #occurrence()}-th field of the name. */
    REMOVE,
    /**
     * Every field of the name, as the message to be delivered has them: what foreign fields take, so that an
     * adapter removes them by name in the message it delivers, however it splits lines.
     */
    REMOVE_ALL,
    /** The {@link #occurrence()}-th field of the name gets {@link #value()}, where it stands. */
    REPLACE,
    ADD
  }

  private final Kind kind;
  private final String name;
  private final String value;
  private final int occurrence;

  private HeaderEdit(Kind kind, String name, String value, int occurrence) {
    this.kind = kind;
    this.name = Objects.requireNonNull(name);
    this.value = value;
    this.occurrence = occurrence;
  }

  /** Remove the {@code occurrence}-th (1-based, case-insensitive by name) field called {@code name}. */
  public static HeaderEdit remove(String name, int occurrence) {
    return new HeaderEdit(Kind.REMOVE, name, null, occurrence);
  }

  /** Remove every field called {@code name} (case-insensitively). */
  public static HeaderEdit removeAll(String name) {
    return new HeaderEdit(Kind.REMOVE_ALL, name, null, 0);
  }

  /**
   * Give the {@code occurrence}-th (1-based, case-insensitive by name) field called {@code name} the value
   * {@code value}, where it stands. The value may be folded: a line break is CRLF followed by a space or a tab (the
   * milter sends it as LF, as libmilter asks).
   */
  public static HeaderEdit replace(String name, int occurrence, String value) {
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if ((c == '\r' && !value.startsWith("\r\n ", i) && !value.startsWith("\r\n\t", i))
          || (c == '\n' && (i == 0 || value.charAt(i - 1) != '\r'))) {
        throw new IllegalArgumentException("a header value breaks lines only to fold them (CRLF, then white space)");
      }
    }
    return new HeaderEdit(Kind.REPLACE, name, value, occurrence);
  }

  /** Add {@code name: value} at the top of the header section. */
  public static HeaderEdit add(String name, String value) {
    return new HeaderEdit(Kind.ADD, name, Objects.requireNonNull(value), 0);
  }

  public Kind kind() { return kind; }
  public String name() { return name; }
  /** The value to add or to replace with; null for a removal. */
  public String value() { return value; }
  public int occurrence() { return occurrence; }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof HeaderEdit)) {
      return false;
    }
    HeaderEdit e = (HeaderEdit) o;
    return kind == e.kind && name.equals(e.name) && Objects.equals(value, e.value) && occurrence == e.occurrence;
  }

  @Override
  public int hashCode() {
    return Objects.hash(kind, name, value, occurrence);
  }

  @Override
  public String toString() {
    switch (kind) {
      case ADD:
        return "add " + name + ": " + value;
      case REMOVE_ALL:
        return "remove every " + name;
      case REPLACE:
        return "replace " + name + "[" + occurrence + "]: " + value;
      default:
        return "remove " + name + "[" + occurrence + "]";
    }
  }
}
