package org.caliop.crypto;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.caliop.mime.CrlfOutputStream;

/**
 * Writes the MIME entity that gets encrypted: the original content header fields (Content-Type gaining
 * {@code protected-headers="v1"}), the protected header fields (Subject, From, To... per the "Protected Headers for
 * Cryptographic E-mail" draft that Thunderbird and Enigmail implement), an empty line, then the original body,
 * streamed and brought to CRLF line ends.
 *
 * <p>Routing and trace fields (Received, Return-Path, DKIM-Signature, Caliop-*) are never copied inside: they stay
 * readable outside for the MTA and the mail store.
 */
final class InnerEntity {
  /** Copied inside the ciphertext and left outside too (only the Subject may be replaced outside). */
  static final List<String> PROTECTED = List.of("From", "To", "Cc", "Reply-To", "Subject", "Date", "Message-ID",
      "In-Reply-To", "References");
  private static final Set<String> PROTECTED_LOWER;

  static {
    java.util.HashSet<String> lower = new java.util.HashSet<>();
    for (String p : PROTECTED) {
      lower.add(p.toLowerCase(Locale.ROOT));
    }
    PROTECTED_LOWER = java.util.Collections.unmodifiableSet(lower);
  }

  private InnerEntity() {
  }

  /** The original body, written once into the stream that encrypts it. */
  interface Body {
    /** Writes the whole body to {@code out} (not closed). */
    void copyTo(OutputStream out) throws IOException;

    /** A body read from {@code in} to its end. */
    static Body of(InputStream in) {
      return in::transferTo;
    }
  }

  /** Writes the whole entity to {@code out} (not closed); the body is written by {@code body}. */
  static void write(HeaderSection headers, Body body, OutputStream out) throws IOException {
    boolean sawContentType = false;
    for (RawHeader f : headers.fields()) {
      if (f.is("Content-Type") && !sawContentType) {
        sawContentType = true;
        out.write(withProtectedHeadersParameter(f.raw()));
      } else if (f.isContentField() && !f.is("Content-Type")) {
        out.write(f.raw());
      }
    }
    if (!sawContentType) {
      out.write(ascii("Content-Type: text/plain; charset=us-ascii; protected-headers=\"v1\"\r\n"));
    }
    for (RawHeader f : headers.fields()) {
      if (PROTECTED_LOWER.contains(f.lowerName())) {
        out.write(f.raw());
      }
    }
    out.write(ascii("\r\n"));
    CrlfOutputStream canonical = new CrlfOutputStream(out, false);
    body.copyTo(canonical);
    canonical.finish();
    canonical.flush();
  }

  /** Appends the parameter to the raw, possibly folded, Content-Type field. */
  static byte[] withProtectedHeadersParameter(byte[] raw) {
    String text = new String(raw, StandardCharsets.ISO_8859_1);
    int end = text.length();
    while (end > 0 && (Character.isWhitespace(text.charAt(end - 1)) || text.charAt(end - 1) == ';')) {
      end--;
    }
    return (text.substring(0, end) + ";\r\n protected-headers=\"v1\"\r\n").getBytes(StandardCharsets.ISO_8859_1);
  }

  static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }
}
