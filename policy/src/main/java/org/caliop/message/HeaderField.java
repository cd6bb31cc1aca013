package org.caliop.message;

import java.util.Objects;

/**
 * One header field as it stood in the message: its name as written, its unfolded value, and which occurrence of
 * that name it is (1 for the first field of that name, counted top down, case-insensitively), because the milter
 * protocol removes headers by name and occurrence.
 */
public final class HeaderField {
  private final String name;
  private final String value;
  private final int occurrence;
  private final boolean cut;

  private HeaderField(String name, String value, int occurrence, boolean cut) {
    this.name = Objects.requireNonNull(name);
    this.value = Objects.requireNonNull(value);
    this.occurrence = occurrence;
    this.cut = cut;
  }

  public static HeaderField of(String name, String value, int occurrence) {
    return new HeaderField(name, value, occurrence, false);
  }

  /**
   * A field whose value was not kept whole: cut at {@code limits.max_header_field_bytes}, or dropped (empty) past
   * {@code max_header_section_bytes}.
   */
  public static HeaderField cut(String name, String value, int occurrence) {
    return new HeaderField(name, value, occurrence, true);
  }

  /** Whether {@link #value()} is only part of the field's value (see {@link #cut}). */
  public boolean isCut() {
    return cut;
  }

  public String name() {
    return name;
  }

  public String value() {
    return value;
  }

  public int occurrence() {
    return occurrence;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof HeaderField && ((HeaderField) o).name.equals(name) && ((HeaderField) o).value.equals(value)
        && ((HeaderField) o).occurrence == occurrence && ((HeaderField) o).cut == cut;
  }

  @Override
  public int hashCode() {
    return Objects.hash(name, value, occurrence, cut);
  }

  @Override
  public String toString() {
    return name + "[" + occurrence + "]: " + value;
  }
}
