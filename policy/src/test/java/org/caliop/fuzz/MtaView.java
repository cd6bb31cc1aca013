package org.caliop.fuzz;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A message as an MTA hands it to its filters, from any bytes: header fields (name, and the value after the colon as
 * sent, continuation lines joined by LF) up to the blank line or the first line that is neither a field nor a
 * continuation, then the body as it is. NUL bytes are dropped from the header section (the milter protocol ends its
 * strings with NUL). {@link #canonical()} is the one byte form every adapter and the engine should judge alike.
 */
public final class MtaView {
  private final List<Field> fields;
  private final byte[] body;

  private MtaView(List<Field> fields, byte[] body) {
    this.fields = List.copyOf(fields);
    this.body = body;
  }

  /** One header field: its name, and its value as sent (the leading space kept, folds as LF). */
  public static final class Field {
    private final String name;
    private final byte[] value;

    Field(String name, byte[] value) {
      this.name = name;
      this.value = value;
    }

    public String name() {
      return name;
    }

    public byte[] value() {
      return value.clone();
    }
  }

  public static MtaView of(byte[] message) {
    List<Field> fields = new ArrayList<>();
    String name = null;
    ByteArrayOutputStream value = new ByteArrayOutputStream();
    int at = 0;
    while (at < message.length) {
      int lf = indexOf(message, (byte) '\n', at);
      int next = lf < 0 ? message.length : lf + 1;
      int end = lf < 0 ? message.length : lf;
      if (end > at && message[end - 1] == '\r') {
        end--;
      }
      if (end == at) {
        at = next;
        break;
      }
      byte first = message[at];
      if ((first == ' ' || first == '\t') && name != null) {
        value.write('\n');
        writeWithoutNul(value, message, at, end);
        at = next;
        continue;
      }
      int colon = nameEnd(message, at, end);
      if (colon < 0) {
        break;
      }
      if (name != null) {
        fields.add(new Field(name, value.toByteArray()));
      }
      name = new String(message, at, colon - at, StandardCharsets.ISO_8859_1);
      value.reset();
      writeWithoutNul(value, message, colon + 1, end);
      at = next;
    }
    if (name != null) {
      fields.add(new Field(name, value.toByteArray()));
    }
    return new MtaView(fields, Arrays.copyOfRange(message, Math.min(at, message.length), message.length));
  }

  public List<Field> fields() {
    return fields;
  }

  public byte[] body() {
    return body.clone();
  }

  /** {@code name:value CRLF} per field (folds as CRLF), a blank line, the body. */
  public byte[] canonical() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (Field f : fields) {
      out.writeBytes(f.name.getBytes(StandardCharsets.ISO_8859_1));
      out.write(':');
      for (int i = 0; i < f.value.length; i++) {
        if (f.value[i] == '\n' && (i == 0 || f.value[i - 1] != '\r')) {
          out.write('\r');
        }
        out.write(f.value[i]);
      }
      out.write('\r');
      out.write('\n');
    }
    out.write('\r');
    out.write('\n');
    out.writeBytes(body);
    return out.toByteArray();
  }

  /** The index of the colon after a field name of printable ASCII, or -1 when the line starts no field. */
  private static int nameEnd(byte[] m, int from, int to) {
    int i = from;
    while (i < to && m[i] > ' ' && m[i] < 127 && m[i] != ':') {
      i++;
    }
    return i > from && i < to && m[i] == ':' ? i : -1;
  }

  private static void writeWithoutNul(ByteArrayOutputStream out, byte[] m, int from, int to) {
    for (int i = from; i < to; i++) {
      if (m[i] != 0) {
        out.write(m[i]);
      }
    }
  }

  private static int indexOf(byte[] m, byte b, int from) {
    for (int i = from; i < m.length; i++) {
      if (m[i] == b) {
        return i;
      }
    }
    return -1;
  }
}
