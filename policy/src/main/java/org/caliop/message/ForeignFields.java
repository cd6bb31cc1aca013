package org.caliop.message;

import java.nio.charset.StandardCharsets;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * The header fields of one message that only our servers may write ({@code Caliop-*} and the configured names),
 * seen arriving from outside: the one bookkeeping of the engine's scan, the milter's receive path and the
 * {@code StripForeignHeaders} mailet, so all three remove the same fields.
 *
 * <p><b>Complete, and bounded.</b> It keeps a count per name (every field of a foreign name is foreign, so a name
 * and its count are all a remover needs), not an entry per field. Past a hard cap it stops and says so
 * ({@link #overflow()}): the caller then answers the message with its on-error action rather than pass it with a
 * forged field left in. The caps, per message: {@value #MAX_FIELDS} foreign fields, {@value #MAX_NAMES} distinct
 * foreign names of at most {@value #MAX_NAME_CHARS} characters together, and, when the fields are to be kept
 * renamed, {@value #MAX_KEPT_VALUE_CHARS} characters of their values. A hostile header of a million fields costs a
 * counter, not a million entries.
 *
 * <p><b>Bare CR.</b> A CR not followed by LF ends a line for some readers (javax.mail, hence James, and some mail
 * clients), so {@code X-Foo: a<CR>Caliop-Privacy: score=100} shows them a second field. Detection treats such a CR
 * as a line break: the hidden foreign field is counted under its own name, and {@link #smuggled()} names the field
 * that hid it, for an adapter that cannot remove part of a field (the milter) to refuse the message.
 *
 * <p>Not thread-safe: one message, one thread at a time.
 */
public final class ForeignFields {
  /** Foreign fields counted per message; one more is an {@link #overflow()}. */
  public static final int MAX_FIELDS = 100_000;
  /** Distinct foreign names per message. */
  public static final int MAX_NAMES = 1_000;
  /** Characters of the distinct foreign names together. */
  public static final int MAX_NAME_CHARS = 64 * 1024;
  /** Characters of values kept to re-add renamed fields ({@code foreign_header_action: rename}). */
  public static final int MAX_KEPT_VALUE_CHARS = 1 << 20;

  private final Predicate<String> isForeign;
  private final boolean keepValues;
  /** Lower-case name to [the name as first written, count]. */
  private final Map<String, Object[]> byName = new LinkedHashMap<>();
  /** Name and value of each foreign field, in message order, only when {@link #keepValues}. */
  private final List<String[]> kept;
  private int fields;
  private int nameChars;
  private long keptChars;
  private String overflow;
  private String smuggled;

  private ForeignFields(Predicate<String> isForeign, boolean keepValues) {
    this.isForeign = isForeign;
    this.keepValues = keepValues;
    this.kept = keepValues ? new ArrayList<>() : List.of();
  }

  /** Counts the fields {@code isForeign} names; keeps their values too when they are to be renamed. */
  public static ForeignFields of(Predicate<String> isForeign, boolean keepValues) {
    return new ForeignFields(isForeign, keepValues);
  }

  /**
   * One top-level header field, its value as the bytes that followed the colon (folds as CRLF or LF, a leading
   * space or not): what the milter receives and mime4j reads. A kept value is read as UTF-8 when it is valid UTF-8,
   * else as ISO-8859-1, as the engine reads every header.
   */
  public void field(String name, byte[] value, int from, int to) {
    if (isForeign.test(name)) {
      record(name, keepValues ? unfold(HeaderValues.text(value, from, to - from)) : null);
    }
    for (int i = from; i < to; i++) {
      if (value[i] == '\r' && (i + 1 == to || value[i + 1] != '\n')) {
        hidden(name, value, i + 1, to);
      }
    }
  }

  /** {@link #field(String, byte[], int, int)} of a value given as text (javax.mail's header lines). */
  public void field(String name, String value) {
    if (isForeign.test(name)) {
      record(name, keepValues ? unfold(value) : null);
    }
    int cr = value.indexOf('\r');
    while (cr >= 0) {
      if (cr + 1 == value.length() || value.charAt(cr + 1) != '\n') {
        // rare: only names matter here, and they are ASCII
        byte[] b = value.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < b.length; i++) {
          if (b[i] == '\r' && (i + 1 == b.length || b[i + 1] != '\n')) {
            hidden(name, b, i + 1, b.length);
          }
        }
        return;
      }
      cr = value.indexOf('\r', cr + 1);
    }
  }

  /** What follows a bare CR: a field of its own to a reader that ends lines there, unless it starts with blanks. */
  private void hidden(String carrier, byte[] value, int from, int to) {
    int i = from;
    while (i < to && value[i] > ' ' && value[i] < 0x7f && value[i] != ':') {
      i++;
    }
    if (i == from || i >= to || value[i] != ':') {
      return;
    }
    String name = new String(value, from, i - from, StandardCharsets.ISO_8859_1);
    if (!isForeign.test(name)) {
      return;
    }
    if (smuggled == null) {
      smuggled = "header field " + carrier + " hides a " + name + " field after a bare CR";
    }
    int end = i + 1;
    while (end < to && value[end] != '\r' && value[end] != '\n') {
      end++;
    }
    record(name, keepValues ? HeaderValues.text(value, i + 1, end - i - 1).trim() : null);
  }

  private void record(String name, String value) {
    if (overflow != null) {
      return;
    }
    if (++fields > MAX_FIELDS) {
      overflow = "more than " + MAX_FIELDS + " header fields that only our servers may write";
      return;
    }
    String key = name.toLowerCase(Locale.ROOT);
    Object[] entry = byName.get(key);
    if (entry == null) {
      nameChars += name.length();
      if (byName.size() >= MAX_NAMES || nameChars > MAX_NAME_CHARS) {
        overflow = "more than " + MAX_NAMES + " names (or " + MAX_NAME_CHARS + " characters of names) of header"
            + " fields that only our servers may write";
        return;
      }
      byName.put(key, new Object[] {name, 1});
    } else {
      entry[1] = (Integer) entry[1] + 1;
    }
    if (keepValues) {
      keptChars += value.length();
      if (keptChars > MAX_KEPT_VALUE_CHARS) {
        overflow = "more than " + MAX_KEPT_VALUE_CHARS + " characters of header fields to keep renamed";
        return;
      }
      kept.add(new String[] {name, value});
    }
  }

  /** Why the bookkeeping stopped: a cap was passed and the list is not complete. Empty while it is. */
  public Optional<String> overflow() {
    return Optional.ofNullable(overflow);
  }

  /** The field that hid a foreign field behind a bare CR ({@code header field X hides a Caliop-Y field ...}). */
  public Optional<String> smuggled() {
    return Optional.ofNullable(smuggled);
  }

  /** Foreign names (as first written) with how many fields of each, in the order they first appeared. */
  public Map<String, Integer> counts() {
    Map<String, Integer> out = new LinkedHashMap<>();
    for (Object[] e : byName.values()) {
      out.put((String) e[0], (Integer) e[1]);
    }
    return Collections.unmodifiableMap(out);
  }

  /** How many fields of this name (case ignored) were counted. */
  public int count(String name) {
    Object[] e = byName.get(name.toLowerCase(Locale.ROOT));
    return e == null ? 0 : (Integer) e[1];
  }

  /** Foreign fields counted, over every name. */
  public int total() {
    return Math.min(fields, MAX_FIELDS);
  }

  /** The foreign names as first written, in the order they first appeared: every field of each is to go. */
  public List<String> names() {
    List<String> out = new ArrayList<>(byName.size());
    for (Object[] e : byName.values()) {
      out.add((String) e[0]);
    }
    return out;
  }

  /** Name and unfolded value of each foreign field, in message order; empty unless values are kept (rename). */
  public List<Map.Entry<String, String>> kept() {
    List<Map.Entry<String, String>> out = new ArrayList<>(kept.size());
    for (String[] f : kept) {
      out.add(new AbstractMap.SimpleImmutableEntry<>(f[0], f[1]));
    }
    return out;
  }

  private static String unfold(String v) {
    StringBuilder b = new StringBuilder(v.length());
    for (int i = 0; i < v.length(); i++) {
      char c = v.charAt(i);
      if (c != '\r' && c != '\n') {
        b.append(c);
      }
    }
    return b.toString().trim();
  }
}
