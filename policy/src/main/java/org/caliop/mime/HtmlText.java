package org.caliop.mime;

import java.util.Locale;

/**
 * Turns HTML into the text a reader sees, as it streams by, so that armor pasted into an HTML editor is read like
 * armor in plain text: Thunderbird and webmail send {@code <pre>-----BEGIN PGP MESSAGE-----...</pre>},
 * {@code <div>-----BEGIN PGP MESSAGE-----</div><div>...</div>} and {@code ...<br>wcFMA...<br>} bodies.
 *
 * <p>Tags are dropped; block elements and {@code <br>} end a line; outside {@code <pre>} a raw line break is a
 * space, as a browser renders it; character references are decoded ({@code &nbsp;} and U+00A0 are white space,
 * a reference to a character that is not ASCII is a visible placeholder). What a reader never sees is not text:
 * comments, the {@code <head>}, {@code <style>}, {@code <script>} and {@code <title>}, and attribute values. But
 * what a client may show is: the values of {@code alt}, {@code title}, {@code value}, {@code placeholder},
 * {@code label} and {@code aria-label} attributes are text lines of their own, and a style sheet that generates
 * content (CSS {@code content:}) is a visible line, so text cannot hide there beside an armor block.
 *
 * <p>Holds at most a tag name and a character reference; not thread-safe.
 */
final class HtmlText {
  /** Receives the text. */
  interface Sink {
    void text(byte[] b, int off, int len);
  }

  private static final int MAX_NAME = 16;
  private static final int MAX_REFERENCE = 12;
  private static final String[] BLOCKS = {"address", "article", "aside", "blockquote", "body", "br", "center", "dd",
      "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6",
      "header", "hr", "html", "li", "main", "nav", "ol", "p", "pre", "section", "table", "tbody", "td", "tfoot", "th",
      "thead", "tr", "ul"};
  private static final byte[] NEWLINE = {'\n'};
  private static final byte[] SPACE = {' '};
  private static final byte[] PLACEHOLDER = {'?'};

  private enum State {
    TEXT, TAG_START, TAG_NAME, TAG_REST, ATTRIBUTE_NAME, ATTRIBUTE_EQUALS, ATTRIBUTE_QUOTED, ATTRIBUTE_UNQUOTED,
    BANG, COMMENT, REFERENCE, LEAD_BYTE_C2
  }

  /** Attributes a client may show as text (image placeholders, tooltips, form fields). */
  private static final String[] SHOWN_ATTRIBUTES = {"alt", "title", "value", "placeholder", "label", "aria-label"};
  private static final byte[] GENERATED_CONTENT = {'c', 'o', 'n', 't', 'e', 'n', 't'};
  private static final byte[] VISIBLE_LINE = {'\n', '?', '\n'};

  private final Sink sink;
  private final byte[] out = new byte[4096];
  private final StringBuilder name = new StringBuilder(MAX_NAME);
  private final StringBuilder reference = new StringBuilder(MAX_REFERENCE);
  private final StringBuilder attribute = new StringBuilder(MAX_NAME);
  private boolean shownAttribute;
  private int generatedContentMatch;
  /** Inside a style element, in the head or not. */
  private boolean inStyle;
  private State state;
  private boolean endTag;
  private byte quote;
  private int commentDashes;
  private int pre;
  /** Inside head, style, script or title: text there is not shown. */
  private String hiddenUntil;
  private int outLength;

  HtmlText(Sink sink) {
    this.sink = sink;
  }

  void reset() {
    state = State.TEXT;
    name.setLength(0);
    reference.setLength(0);
    pre = 0;
    hiddenUntil = null;
    outLength = 0;
    generatedContentMatch = 0;
    inStyle = false;
  }

  void write(byte[] b, int off, int len) {
    for (int i = off; i < off + len; i++) {
      step(b[i]);
    }
    flush();
  }

  void finish() {
    if (state == State.REFERENCE) {
      // An unterminated reference is text as written.
      emitText((byte) '&');
      emitAscii(reference);
    } else if (state == State.LEAD_BYTE_C2) {
      emitText((byte) 0xC2);
    }
    state = State.TEXT;
    flush();
  }

  private void step(byte c) {
    switch (state) {
      case TEXT:
        if (inStyle) {
          watchGeneratedContent(c);
        }
        if (c == '<') {
          state = State.TAG_START;
        } else if (c == '&') {
          reference.setLength(0);
          state = State.REFERENCE;
        } else if ((c & 0xFF) == 0xC2) {
          state = State.LEAD_BYTE_C2;
        } else {
          emitText(c);
        }
        break;
      case LEAD_BYTE_C2:
        state = State.TEXT;
        if ((c & 0xFF) == 0xA0) {
          emitText((byte) ' ');
        } else {
          emitText((byte) 0xC2);
          step(c);
        }
        break;
      case TAG_START:
        name.setLength(0);
        endTag = false;
        if (c == '/') {
          endTag = true;
          state = State.TAG_NAME;
        } else if (c == '!' || c == '?') {
          commentDashes = 0;
          state = State.BANG;
        } else if (isLetter(c)) {
          name.append((char) (c | 0x20));
          state = State.TAG_NAME;
        } else {
          // "a < b": not a tag.
          emitText((byte) '<');
          state = State.TEXT;
          step(c);
        }
        break;
      case TAG_NAME:
        if (isLetter(c) || c >= '0' && c <= '9') {
          if (name.length() < MAX_NAME) {
            name.append((char) (c | 0x20));
          }
        } else if (c == '>') {
          tag();
          state = State.TEXT;
        } else {
          state = State.TAG_REST;
          step(c);
        }
        break;
      case TAG_REST:
        // Between attributes.
        if (c == '>') {
          tag();
          state = State.TEXT;
        } else if (isLetter(c)) {
          attribute.setLength(0);
          attribute.append((char) (c | 0x20));
          state = State.ATTRIBUTE_NAME;
        }
        break;
      case ATTRIBUTE_NAME:
        if (isLetter(c) || c == '-' || c >= '0' && c <= '9') {
          if (attribute.length() < MAX_NAME) {
            attribute.append((char) (c | 0x20));
          }
        } else if (c == '=') {
          shownAttribute = isShownAttribute(attribute);
          state = State.ATTRIBUTE_EQUALS;
        } else {
          state = State.TAG_REST;
          step(c);
        }
        break;
      case ATTRIBUTE_EQUALS:
        if (c == '"' || c == '\'') {
          quote = c;
          startAttributeValue();
          state = State.ATTRIBUTE_QUOTED;
        } else if (c == '>') {
          tag();
          state = State.TEXT;
        } else if (c != ' ' && c != '\t' && c != '\r' && c != '\n') {
          startAttributeValue();
          state = State.ATTRIBUTE_UNQUOTED;
          step(c);
        }
        break;
      case ATTRIBUTE_QUOTED:
        if (c == quote) {
          endAttributeValue();
          state = State.TAG_REST;
        } else {
          attributeByte(c);
        }
        break;
      case ATTRIBUTE_UNQUOTED:
        if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '>') {
          endAttributeValue();
          state = State.TAG_REST;
          step(c);
        } else {
          attributeByte(c);
        }
        break;
      case BANG:
        // <!-- comment -->, <!DOCTYPE ...>, <?xml ...?>
        if (c == '-' && ++commentDashes == 2) {
          commentDashes = 0;
          state = State.COMMENT;
        } else if (c == '>') {
          state = State.TEXT;
        } else if (c != '-') {
          commentDashes = -100;
        }
        break;
      case COMMENT:
        if (c == '-') {
          commentDashes++;
        } else if (c == '>' && commentDashes >= 2) {
          state = State.TEXT;
        } else {
          commentDashes = 0;
        }
        break;
      case REFERENCE:
        if (c == ';') {
          reference();
          state = State.TEXT;
        } else if ((isLetter(c) || c >= '0' && c <= '9' || c == '#') && reference.length() < MAX_REFERENCE) {
          reference.append((char) c);
        } else {
          emitText((byte) '&');
          emitAscii(reference);
          state = State.TEXT;
          step(c);
        }
        break;
      default:
        break;
    }
  }

  private static boolean isShownAttribute(CharSequence name) {
    for (String a : SHOWN_ATTRIBUTES) {
      if (a.contentEquals(name)) {
        return true;
      }
    }
    return false;
  }

  /** A shown attribute's value is a line of its own, so it can neither hide nor break an armor line. */
  private void startAttributeValue() {
    if (shownAttribute) {
      emit(NEWLINE);
    }
  }

  private void attributeByte(byte c) {
    if (shownAttribute) {
      emitText(c == '\n' || c == '\r' ? (byte) ' ' : c);
    }
  }

  private void endAttributeValue() {
    if (shownAttribute) {
      emit(NEWLINE);
      shownAttribute = false;
    }
  }

  /** Style sheet text: a {@code content} property can put visible text on the page. */
  private void watchGeneratedContent(byte c) {
    byte lower = (byte) (c >= 'A' && c <= 'Z' ? c | 0x20 : c);
    if (lower == GENERATED_CONTENT[generatedContentMatch]) {
      if (++generatedContentMatch == GENERATED_CONTENT.length) {
        generatedContentMatch = 0;
        String hidden = hiddenUntil;
        hiddenUntil = null;
        emit(VISIBLE_LINE);
        hiddenUntil = hidden;
      }
    } else {
      generatedContentMatch = lower == GENERATED_CONTENT[0] ? 1 : 0;
    }
  }

  private void tag() {
    String n = name.toString();
    if (n.equals("style")) {
      inStyle = !endTag;
      generatedContentMatch = 0;
    }
    if (hiddenUntil != null) {
      if (endTag && n.equals(hiddenUntil)) {
        hiddenUntil = null;
      }
      return;
    }
    if (!endTag && (n.equals("head") || n.equals("style") || n.equals("script") || n.equals("title"))) {
      hiddenUntil = n;
      return;
    }
    if (n.equals("pre") || n.equals("textarea") || n.equals("listing") || n.equals("plaintext")) {
      pre = Math.max(0, pre + (endTag ? -1 : 1));
    }
    for (String block : BLOCKS) {
      if (block.equals(n)) {
        emit(NEWLINE);
        return;
      }
    }
  }

  private void reference() {
    String r = reference.toString();
    if (r.startsWith("#")) {
      int code = -1;
      try {
        code = r.length() > 1 && (r.charAt(1) == 'x' || r.charAt(1) == 'X')
            ? Integer.parseInt(r.substring(2), 16) : Integer.parseInt(r.substring(1));
      } catch (NumberFormatException e) {
        code = -1;
      }
      if (code == 0xA0 || code == '\t' || code == '\n' || code == '\r') {
        emitText((byte) ' ');
      } else if (code > 0 && code < 0x80) {
        emitText((byte) code);
      } else {
        emit(PLACEHOLDER);
      }
      return;
    }
    switch (r.toLowerCase(Locale.ROOT)) {
      case "nbsp":
      case "ensp":
      case "emsp":
      case "thinsp":
        emitText((byte) ' ');
        break;
      case "amp":
        emitText((byte) '&');
        break;
      case "lt":
        emitText((byte) '<');
        break;
      case "gt":
        emitText((byte) '>');
        break;
      case "quot":
        emitText((byte) '"');
        break;
      case "apos":
        emitText((byte) '\'');
        break;
      case "equals":
        emitText((byte) '=');
        break;
      case "plus":
        emitText((byte) '+');
        break;
      case "sol":
        emitText((byte) '/');
        break;
      default:
        emit(PLACEHOLDER);
        break;
    }
  }

  /** A character of text: shown unless hidden; a raw line break is a space outside pre. */
  private void emitText(byte c) {
    if (hiddenUntil != null) {
      return;
    }
    if ((c == '\n' || c == '\r') && pre == 0) {
      emit(SPACE);
      return;
    }
    if (c == '\r') {
      return;
    }
    if (outLength == out.length) {
      flush();
    }
    out[outLength++] = c;
  }

  private void emitAscii(CharSequence s) {
    for (int i = 0; i < s.length(); i++) {
      emitText((byte) s.charAt(i));
    }
  }

  private void emit(byte[] bytes) {
    if (hiddenUntil != null) {
      return;
    }
    for (byte b : bytes) {
      if (outLength == out.length) {
        flush();
      }
      out[outLength++] = b;
    }
  }

  private void flush() {
    if (outLength > 0) {
      sink.text(out, 0, outLength);
      outLength = 0;
    }
  }

  private static boolean isLetter(byte c) {
    return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z';
  }
}
