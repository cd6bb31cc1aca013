package org.caliop.cli;

/**
 * A small JSON writer for one line per object, in the layout of the CLI contract ({@code "key": value, ...}).
 * Output is pure ASCII: every character outside printable ASCII is written as a {@code \\uXXXX} escape, so the
 * line survives any terminal or pipe encoding.
 */
final class JsonWriter {
  private final StringBuilder out;
  /** One flag per open object or array: whether it already has a member (a separator is due). */
  private final boolean[] hasMember = new boolean[32];
  private int depth;
  private boolean afterName;

  JsonWriter(StringBuilder out) {
    this.out = out;
  }

  JsonWriter beginObject() {
    separate();
    out.append('{');
    push();
    return this;
  }

  JsonWriter endObject() {
    depth--;
    out.append('}');
    return this;
  }

  JsonWriter beginArray() {
    separate();
    out.append('[');
    push();
    return this;
  }

  JsonWriter endArray() {
    depth--;
    out.append(']');
    return this;
  }

  JsonWriter name(String name) {
    separate();
    string(name);
    out.append(": ");
    afterName = true;
    return this;
  }

  /** A string, or {@code null} when {@code value} is null. */
  JsonWriter value(String value) {
    separate();
    if (value == null) {
      out.append("null");
    } else {
      string(value);
    }
    return this;
  }

  JsonWriter value(long value) {
    separate();
    out.append(value);
    return this;
  }

  JsonWriter value(boolean value) {
    separate();
    out.append(value);
    return this;
  }

  JsonWriter field(String name, String value) {
    return name(name).value(value);
  }

  JsonWriter field(String name, long value) {
    return name(name).value(value);
  }

  JsonWriter field(String name, boolean value) {
    return name(name).value(value);
  }

  private void push() {
    if (depth == hasMember.length) {
      throw new IllegalStateException("JSON nested too deep");
    }
    hasMember[depth++] = false;
  }

  private void separate() {
    if (afterName) {
      afterName = false;
      return;
    }
    if (depth > 0) {
      if (hasMember[depth - 1]) {
        out.append(", ");
      }
      hasMember[depth - 1] = true;
    }
  }

  private void string(String s) {
    out.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      switch (c) {
        case '"':
          out.append("\\\"");
          break;
        case '\\':
          out.append("\\\\");
          break;
        case '\n':
          out.append("\\n");
          break;
        case '\r':
          out.append("\\r");
          break;
        case '\t':
          out.append("\\t");
          break;
        default:
          if (c < 0x20 || c > 0x7e) {
            out.append("\\u");
            String hex = Integer.toHexString(c);
            for (int pad = hex.length(); pad < 4; pad++) {
              out.append('0');
            }
            out.append(hex);
          } else {
            out.append(c);
          }
      }
    }
    out.append('"');
  }
}
