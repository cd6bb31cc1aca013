package org.caliop.crypto;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The header section of a message, read from a stream that is left positioned at the first body byte. Bounded: a
 * header section larger than the limit is an {@link EncryptionException}, so a hostile message cannot make us
 * buffer it whole.
 */
public final class HeaderSection {
  private final List<RawHeader> fields;

  private HeaderSection(List<RawHeader> fields) {
    this.fields = List.copyOf(fields);
  }

  static HeaderSection of(List<RawHeader> fields) {
    return new HeaderSection(fields);
  }

  /**
   * Reads up to and including the empty line that ends the header section (or to end of stream). Lines are
   * re-terminated with CRLF; a line that is neither a field nor a continuation (e.g. an mbox "From " line) is
   * dropped, as every MTA does.
   */
  public static HeaderSection read(InputStream in, int maxBytes) throws IOException {
    List<RawHeader> fields = new ArrayList<>();
    ByteArrayOutputStream current = new ByteArrayOutputStream();
    String currentName = null;
    ByteArrayOutputStream line = new ByteArrayOutputStream(256);
    long total = 0;
    while (true) {
      line.reset();
      int b;
      while ((b = in.read()) != -1 && b != '\n') {
        line.write(b);
        if (++total > maxBytes) {
          throw new EncryptionException("header section larger than " + maxBytes + " bytes");
        }
      }
      if (b == '\n' && ++total > maxBytes) {
        throw new EncryptionException("header section larger than " + maxBytes + " bytes");
      }
      byte[] bytes = line.toByteArray();
      int len = bytes.length;
      if (len > 0 && bytes[len - 1] == '\r') {
        len--;
      }
      boolean end = b == -1;
      if (len == 0) {
        break;
      }
      boolean continuation = bytes[0] == ' ' || bytes[0] == '\t';
      if (continuation && currentName != null) {
        current.write(bytes, 0, len);
        current.write('\r');
        current.write('\n');
      } else {
        if (currentName != null) {
          fields.add(RawHeader.of(currentName, current.toByteArray()));
          currentName = null;
        }
        int colon = indexOf(bytes, len, (byte) ':');
        if (colon > 0 && isFieldName(bytes, colon)) {
          currentName = new String(bytes, 0, colon, StandardCharsets.ISO_8859_1).trim();
          current.reset();
          current.write(bytes, 0, len);
          current.write('\r');
          current.write('\n');
        }
      }
      if (end) {
        break;
      }
    }
    if (currentName != null) {
      fields.add(RawHeader.of(currentName, current.toByteArray()));
    }
    return new HeaderSection(fields);
  }

  private static int indexOf(byte[] bytes, int len, byte wanted) {
    for (int i = 0; i < len; i++) {
      if (bytes[i] == wanted) {
        return i;
      }
    }
    return -1;
  }

  private static boolean isFieldName(byte[] bytes, int colon) {
    for (int i = 0; i < colon; i++) {
      int c = bytes[i] & 0xff;
      // RFC 5322 ftext, tolerating whitespace before the colon ("Subject : x").
      if (c < 33 && c != ' ' && c != '\t' || c > 126) {
        return false;
      }
    }
    return bytes[0] != ' ' && bytes[0] != '\t';
  }

  public List<RawHeader> fields() {
    return fields;
  }

  /** The fields as read (CRLF line ends) and the empty line that ends the section. */
  byte[] bytes() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (RawHeader f : fields) {
      out.writeBytes(f.raw());
    }
    out.writeBytes(new byte[] {'\r', '\n'});
    return out.toByteArray();
  }

  Optional<RawHeader> first(String name) {
    for (RawHeader f : fields) {
      if (f.is(name)) {
        return Optional.of(f);
      }
    }
    return Optional.empty();
  }

  int count(String name) {
    int n = 0;
    for (RawHeader f : fields) {
      if (f.is(name)) {
        n++;
      }
    }
    return n;
  }
}
