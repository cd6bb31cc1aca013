package org.caliop.mime;

import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Reads an HTML body as it streams by, in a strict subset of HTML, and turns it into text lines, so that armor pasted
 * into an HTML editor is read like armor in plain text: Thunderbird and webmail send
 * {@code <pre>-----BEGIN PGP MESSAGE-----...</pre>}, {@code <div>-----BEGIN PGP MESSAGE-----</div><div>...</div>} and
 * {@code ...<br>wcFMA...<br>} bodies.
 *
 * <p>Why a subset: what a browser shows of arbitrary HTML (comments, raw-text elements, CSS generated content,
 * images, frames...) cannot be told without being a browser, and every gap is clear text credited as armor. Inside the
 * subset nothing is hidden and nothing is shown but the text: every character of text counts, wherever it stands
 * (head included). A body outside the subset is not read as armor at all ({@link #outsideSubset()}); the caller counts
 * it as clear content. The subset (docs/content-protection.md lists it for admins):
 * <ul>
 *   <li>elements: {@code html head body meta title div p pre br blockquote span font tt code b i u em strong}; a
 *   {@code title} and the rest of the {@code head} hold no text;</li>
 *   <li>attributes: {@code class id dir lang align style} anywhere; {@code charset http-equiv content name} on
 *   {@code meta} ({@code http-equiv} only {@code content-type}); {@code text bgcolor link vlink alink} on
 *   {@code body}; {@code wrap width} on {@code pre}; {@code face size color} on {@code font}; {@code type cite} on
 *   {@code blockquote}; {@code clear} on {@code br}. Values are quoted or plain words, without {@code < > &},
 *   backslashes, control characters or non-ASCII;</li>
 *   <li>{@code style}: declarations of the properties in {@link #STYLE_PROPERTIES} whose values hold only letters,
 *   digits, white space and {@code # % . , ! + -}, and {@code rgb(...)}/{@code rgba(...)} (no quotes, no
 *   backslashes, no {@code url(}, no {@code @}, no comments);</li>
 *   <li>a doctype; no comment, CDATA section or processing instruction;</li>
 *   <li>character references {@code &nbsp; &amp; &lt; &gt; &quot; &apos; &equals; &plus; &sol;} and numeric ones to
 *   printable ASCII, tab, line feed, CR and U+00A0, each ended by {@code ;};</li>
 *   <li>inline elements ({@code span font tt code b i u em strong}) only where they start or end a line's text: a
 *   tag between two visible characters of one line is outside, so no style can hide or pick out characters inside
 *   an armor line (random armor with the right characters made visible reads as a letter).</li>
 * </ul>
 *
 * <p>In the subset: tags are dropped; block elements and {@code <br>} end a line; outside {@code <pre>} a raw line
 * break is a space, as a browser renders it; character references are decoded ({@code &nbsp;} and U+00A0 are white
 * space). Past the first thing outside the subset the body is still turned into text as well as it goes (tags and
 * anything from {@code <!} to the next {@code >} dropped), only to tell mixed content from a label.
 *
 * <p>Holds at most a tag name, an attribute value of {@value #MAX_VALUE} bytes and a character reference; not
 * thread-safe.
 */
final class HtmlText {
  /** Receives the text. */
  interface Sink {
    void text(byte[] b, int off, int len);
  }

  private static final int MAX_NAME = 16;
  private static final int MAX_REFERENCE = 12;
  /** The longest attribute value kept (a style); a longer one is outside the subset. */
  static final int MAX_VALUE = 1024;
  private static final byte[] NEWLINE = {'\n'};
  private static final byte[] SPACE = {' '};
  private static final byte[] PLACEHOLDER = {'?'};

  /** Elements that end a line, as a browser lays them out. */
  private static final Set<String> BLOCKS = Set.of("html", "head", "body", "title", "div", "p", "pre", "br",
      "blockquote");
  /** Elements that style text within a line. */
  private static final Set<String> INLINE = Set.of("span", "font", "tt", "code", "b", "i", "u", "em", "strong");
  private static final Set<String> VOID = Set.of("br", "meta");
  private static final Set<String> GLOBAL_ATTRIBUTES = Set.of("class", "id", "dir", "lang", "align", "style");
  private static final Map<String, Set<String>> ATTRIBUTES = Map.of(
      "meta", Set.of("charset", "http-equiv", "content", "name"),
      "body", Set.of("text", "bgcolor", "link", "vlink", "alink"),
      "pre", Set.of("wrap", "width"),
      "font", Set.of("face", "size", "color"),
      "blockquote", Set.of("type", "cite"),
      "br", Set.of("clear"));
  /** Layout and type face only: none generates text, draws an image or moves characters within a line. */
  static final Set<String> STYLE_PROPERTIES = Set.of("color", "background-color", "font-family", "font-size",
      "font-weight", "font-style", "font", "line-height", "text-align", "margin", "margin-top", "margin-right",
      "margin-bottom", "margin-left", "padding", "padding-top", "padding-right", "padding-bottom", "padding-left",
      "border-left", "width", "max-width");

  private enum State {
    TEXT, REFERENCE, LEAD_BYTE_C2, TAG_OPEN, TAG_NAME, END_TAG_NAME, AFTER_END_TAG_NAME, BEFORE_ATTRIBUTE,
    ATTRIBUTE_NAME, AFTER_ATTRIBUTE_NAME, BEFORE_VALUE, VALUE_QUOTED, VALUE_UNQUOTED, SELF_CLOSING, DECLARATION,
    DOCTYPE, BOGUS
  }

  private final Sink sink;
  private final byte[] out = new byte[4096];
  private final StringBuilder name = new StringBuilder(MAX_NAME);
  private final StringBuilder attribute = new StringBuilder(MAX_NAME);
  private final StringBuilder value = new StringBuilder(64);
  private final StringBuilder reference = new StringBuilder(MAX_REFERENCE);
  private State state = State.TEXT;
  private String element;
  private byte quote;
  private int pre;
  /** Inside {@code <head>}: text there is visible (browsers move it to the body), but not what senders write. */
  private boolean inHead;
  /** Inside {@code <title>}: only white space, then {@code </title>}. */
  private boolean inTitle;
  /** The current line holds a visible character. */
  private boolean lineText;
  /** An inline tag came after the current line's first visible character. */
  private boolean markupInLine;
  private String violation;
  private int outLength;

  HtmlText(Sink sink) {
    this.sink = sink;
  }

  void reset() {
    state = State.TEXT;
    name.setLength(0);
    reference.setLength(0);
    element = null;
    pre = 0;
    inTitle = false;
    inHead = false;
    lineText = false;
    markupInLine = false;
    violation = null;
    outLength = 0;
  }

  /** Whether the body stepped outside the subset: then it is clear content, whatever armor it shows. */
  boolean outsideSubset() {
    return violation != null;
  }

  /** What first stepped outside the subset (for tests and logs), or null. */
  String violation() {
    return violation;
  }

  void write(byte[] b, int off, int len) {
    for (int i = off; i < off + len; i++) {
      step(b[i]);
    }
    flush();
  }

  void finish() {
    if (state == State.REFERENCE) {
      outside("unterminated character reference");
      emitText((byte) '&');
      emitAscii(reference);
    } else if (state == State.LEAD_BYTE_C2) {
      emitText((byte) 0xC2);
    } else if (state != State.TEXT) {
      outside("unterminated tag");
    }
    if (inTitle) {
      outside("unterminated title");
    }
    state = State.TEXT;
    flush();
  }

  private void outside(String why) {
    if (violation == null) {
      violation = why;
    }
  }

  private void step(byte c) {
    switch (state) {
      case TEXT:
        if (c == '<') {
          state = State.TAG_OPEN;
        } else if (c == '&') {
          reference.setLength(0);
          state = State.REFERENCE;
        } else if ((c & 0xFF) == 0xC2) {
          state = State.LEAD_BYTE_C2;
        } else {
          rawText(c);
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
      case REFERENCE:
        if (c == ';') {
          reference();
          state = State.TEXT;
        } else if ((isLetter(c) || isDigit(c) || c == '#') && reference.length() < MAX_REFERENCE) {
          reference.append((char) c);
        } else {
          outside("character reference without ';'");
          emitText((byte) '&');
          emitAscii(reference);
          state = State.TEXT;
          step(c);
        }
        break;
      case TAG_OPEN:
        name.setLength(0);
        if (isLetter(c)) {
          name.append((char) (c | 0x20));
          state = State.TAG_NAME;
        } else if (c == '/') {
          state = State.END_TAG_NAME;
        } else if (c == '!') {
          state = State.DECLARATION;
        } else {
          outside("'<' that starts no tag");
          emitText((byte) '<');
          state = State.TEXT;
          step(c);
        }
        break;
      case TAG_NAME:
        if (isLetter(c) || isDigit(c)) {
          appendName(name, c);
        } else if (isSpace(c)) {
          startElement();
          state = State.BEFORE_ATTRIBUTE;
        } else if (c == '>') {
          startElement();
          startTag();
        } else if (c == '/') {
          startElement();
          state = State.SELF_CLOSING;
        } else {
          bogus("character in a tag name");
        }
        break;
      case END_TAG_NAME:
        if (isLetter(c) || isDigit(c)) {
          appendName(name, c);
        } else if (c == '>' && name.length() > 0) {
          endTag();
        } else if (isSpace(c) && name.length() > 0) {
          state = State.AFTER_END_TAG_NAME;
        } else {
          bogus("malformed end tag");
        }
        break;
      case AFTER_END_TAG_NAME:
        if (c == '>') {
          endTag();
        } else if (!isSpace(c)) {
          bogus("an end tag with attributes");
        }
        break;
      case BEFORE_ATTRIBUTE:
        if (c == '>') {
          startTag();
        } else if (c == '/') {
          state = State.SELF_CLOSING;
        } else if (isLetter(c)) {
          startAttribute(c);
        } else if (!isSpace(c)) {
          bogus("character in a tag");
        }
        break;
      case ATTRIBUTE_NAME:
        if (isLetter(c) || isDigit(c) || c == '-') {
          appendName(attribute, c);
        } else if (c == '=') {
          state = State.BEFORE_VALUE;
        } else if (isSpace(c)) {
          state = State.AFTER_ATTRIBUTE_NAME;
        } else if (c == '>') {
          endValue();
          startTag();
        } else if (c == '/') {
          endValue();
          state = State.SELF_CLOSING;
        } else {
          bogus("character in an attribute name");
        }
        break;
      case AFTER_ATTRIBUTE_NAME:
        if (c == '=') {
          state = State.BEFORE_VALUE;
        } else if (c == '>') {
          endValue();
          startTag();
        } else if (c == '/') {
          endValue();
          state = State.SELF_CLOSING;
        } else if (isLetter(c)) {
          endValue();
          startAttribute(c);
        } else if (!isSpace(c)) {
          bogus("character in a tag");
        }
        break;
      case BEFORE_VALUE:
        if (c == '"' || c == '\'') {
          quote = c;
          state = State.VALUE_QUOTED;
        } else if (isPlainValueByte(c)) {
          appendValue(c);
          state = State.VALUE_UNQUOTED;
        } else if (!isSpace(c)) {
          bogus("attribute value");
        }
        break;
      case VALUE_QUOTED:
        if (c == quote) {
          endValue();
          state = State.BEFORE_ATTRIBUTE;
        } else {
          if (c == '<' || c == '>' || c == '&' || c == '\\' || (c & 0xFF) >= 0x7F
              || (c & 0xFF) < 0x20 && !isSpace(c)) {
            outside("character in an attribute value");
          }
          appendValue(c);
        }
        break;
      case VALUE_UNQUOTED:
        if (isPlainValueByte(c)) {
          appendValue(c);
        } else if (isSpace(c)) {
          endValue();
          state = State.BEFORE_ATTRIBUTE;
        } else if (c == '>') {
          endValue();
          startTag();
        } else {
          bogus("character in an unquoted attribute value");
        }
        break;
      case SELF_CLOSING:
        if (c == '>') {
          startTag();
        } else {
          bogus("'/' inside a tag");
        }
        break;
      case DECLARATION:
        // Only <!DOCTYPE ...>: a comment, CDATA or anything else after "<!" is outside.
        if (name.length() < 7 && isLetter(c) && "doctype".charAt(name.length()) == (c | 0x20)) {
          name.append((char) (c | 0x20));
          if (name.length() == 7) {
            state = State.DOCTYPE;
          }
        } else {
          bogus("comment or declaration");
        }
        break;
      case DOCTYPE:
        if (c == '>') {
          state = State.TEXT;
        } else if (c == '<' || (c & 0xFF) >= 0x7F || (c & 0xFF) < 0x20 && !isSpace(c)) {
          bogus("character in the doctype");
        }
        break;
      case BOGUS:
        if (c == '>') {
          state = State.TEXT;
        }
        break;
      default:
        break;
    }
  }

  /** Something outside the subset inside a tag: skip to the next {@code >}. */
  private void bogus(String why) {
    outside(why);
    state = State.BOGUS;
  }

  private void rawText(byte c) {
    if (c == 0 || (c & 0xFF) < 0x20 && !isSpace(c) && c != '\n') {
      outside("control character in the text");
    }
    emitText(c);
  }

  private void startElement() {
    element = name.toString();
    if (!BLOCKS.contains(element) && !INLINE.contains(element) && !VOID.contains(element)) {
      outside("element <" + element + ">");
    }
  }

  private void startAttribute(byte c) {
    attribute.setLength(0);
    attribute.append((char) (c | 0x20));
    value.setLength(0);
    state = State.ATTRIBUTE_NAME;
  }

  /** The end of an attribute, with its value or none. */
  private void endValue() {
    String a = attribute.toString();
    Set<String> own = ATTRIBUTES.get(element);
    if (!GLOBAL_ATTRIBUTES.contains(a) && (own == null || !own.contains(a))) {
      outside("attribute " + a + " on <" + element + ">");
    } else if (a.equals("style") && !isPlainStyle(value)) {
      outside("style outside the allowed properties");
    } else if (a.equals("http-equiv") && !"content-type".equalsIgnoreCase(value.toString())) {
      outside("http-equiv other than content-type");
    }
    value.setLength(0);
  }

  private void startTag() {
    state = State.TEXT;
    if (inTitle) {
      outside("a tag inside the title");
      inTitle = false;
    }
    tagEffects(false);
    if (element.equals("title")) {
      inTitle = true;
    }
  }

  private void endTag() {
    state = State.TEXT;
    element = name.toString();
    if (inTitle) {
      inTitle = false;
      if (!element.equals("title")) {
        outside("a tag inside the title");
      }
    } else if (VOID.contains(element) || !BLOCKS.contains(element) && !INLINE.contains(element)) {
      outside("end tag </" + element + ">");
    }
    tagEffects(true);
  }

  private void tagEffects(boolean end) {
    if (element.equals("pre")) {
      pre = Math.max(0, pre + (end ? -1 : 1));
    } else if (element.equals("head") || element.equals("body")) {
      inHead = element.equals("head") && !end;
    }
    if (BLOCKS.contains(element)) {
      emit(NEWLINE);
    } else if (INLINE.contains(element) && lineText) {
      markupInLine = true;
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
      } else if (code >= 0x20 && code < 0x7F) {
        emitText((byte) code);
      } else {
        outside("character reference &" + r + ";");
        emit(PLACEHOLDER);
      }
      return;
    }
    switch (r) {
      case "nbsp":
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
        outside("character reference &" + r + ";");
        emit(PLACEHOLDER);
        break;
    }
  }

  /**
   * Whether a style attribute is declarations of allowed properties with plain values: no quotes or backslashes
   * (no strings, no escapes), no {@code @}, no {@code /} (no comments), no function but {@code rgb()}/{@code rgba()}
   * (no {@code url()}, {@code attr()}, {@code counter()}).
   */
  static boolean isPlainStyle(CharSequence style) {
    String s = style.toString().toLowerCase(Locale.ROOT);
    for (String declaration : s.split(";", -1)) {
      String d = declaration.trim();
      if (d.isEmpty()) {
        continue;
      }
      int colon = d.indexOf(':');
      if (colon <= 0 || !STYLE_PROPERTIES.contains(d.substring(0, colon).trim())
          || !isPlainStyleValue(d.substring(colon + 1))) {
        return false;
      }
    }
    return true;
  }

  private static boolean isPlainStyleValue(String v) {
    boolean open = false;
    for (int i = 0; i < v.length(); i++) {
      char c = v.charAt(i);
      if (c == '(') {
        if (open || !(v.startsWith("rgb", i - 3) || v.startsWith("rgba", i - 4))) {
          return false;
        }
        open = true;
      } else if (c == ')') {
        if (!open) {
          return false;
        }
        open = false;
      } else if (!(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == ' ' || c == '\t' || c == '\r'
          || c == '\n' || c == '#' || c == '%' || c == '.' || c == ',' || c == '!' || c == '+' || c == '-')) {
        return false;
      }
    }
    return !open;
  }

  private void appendName(StringBuilder b, byte c) {
    if (b.length() < MAX_NAME) {
      b.append((char) (c | 0x20));
    } else {
      outside("name too long");
    }
  }

  private void appendValue(byte c) {
    if (value.length() < MAX_VALUE) {
      value.append((char) (c & 0xFF));
    } else {
      outside("attribute value longer than " + MAX_VALUE);
    }
  }

  /** A character of text; a raw line break is a space outside pre. */
  private void emitText(byte c) {
    if ((c == '\n' || c == '\r') && pre == 0) {
      emit(SPACE);
      return;
    }
    if (c == '\r') {
      return;
    }
    if (c == '\n') {
      emit(NEWLINE);
      return;
    }
    if (c != ' ' && c != '\t') {
      if (inTitle) {
        outside("text in the title");
      } else if (inHead) {
        outside("text in the head");
      }
      if (markupInLine) {
        outside("a tag between two characters of a line");
      }
      lineText = true;
    }
    put(c);
  }

  private void emitAscii(CharSequence s) {
    for (int i = 0; i < s.length(); i++) {
      emitText((byte) s.charAt(i));
    }
  }

  private void emit(byte[] bytes) {
    for (byte b : bytes) {
      if (b == '\n') {
        lineText = false;
        markupInLine = false;
      } else if (b != ' ') {
        lineText = true;
      }
      put(b);
    }
  }

  private void put(byte b) {
    if (outLength == out.length) {
      flush();
    }
    out[outLength++] = b;
  }

  private void flush() {
    if (outLength > 0) {
      sink.text(out, 0, outLength);
      outLength = 0;
    }
  }

  private static boolean isPlainValueByte(byte c) {
    return isLetter(c) || isDigit(c) || c == '#' || c == '%' || c == '.' || c == '-' || c == '_';
  }

  private static boolean isLetter(byte c) {
    return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z';
  }

  private static boolean isDigit(byte c) {
    return c >= '0' && c <= '9';
  }

  private static boolean isSpace(byte c) {
    return c == ' ' || c == '\t' || c == '\r' || c == '\n';
  }
}
