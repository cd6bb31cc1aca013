package org.caliop.header;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * RFC 8941 structured field values: a serializer that writes straight into a buffer (dictionaries, lists, inner
 * lists, tokens, strings, integers, decimals, booleans, byte sequences, parameters) and a strict parser for reading
 * our own header fields back.
 *
 * <p>The serializer never fails on input text: strings are sanitized to printable ASCII (anything else, CR and LF
 * included, becomes {@code ?}) and cut to {@link #MAX_STRING} characters, so no input can break the header out of
 * its line. Tokens, keys and integers are validated: those come from our own code, so a bad one is a bug.
 */
public final class StructuredFields {
  /** Longest sf-string we write; longer text is cut (header lines must stay well under 998 octets). */
  public static final int MAX_STRING = 255;

  private StructuredFields() {
  }

  // ------------------------------------------------------------------ values

  /** An sf-token: a bare word such as {@code TLSv1.3} or {@code dkim-pass}, unquoted on the wire. */
  public static final class Token {
    private final String value;

    private Token(String value) {
      this.value = value;
    }

    /** @throws IllegalArgumentException when {@code value} is not a valid sf-token */
    public static Token of(String value) {
      if (!isToken(value)) {
        throw new IllegalArgumentException("not an sf-token: " + value);
      }
      return new Token(value);
    }

    public String value() {
      return value;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Token && ((Token) o).value.equals(value);
    }

    @Override
    public int hashCode() {
      return value.hashCode();
    }

    @Override
    public String toString() {
      return value;
    }
  }

  /**
   * A bare item (String, {@link Token}, Long, BigDecimal, Boolean or byte[]) with its parameters; what the parser
   * returns for a dictionary member or list member that is not an inner list.
   */
  public static final class Item {
    private final Object value;
    private final Map<String, Object> params;

    private Item(Object value, Map<String, Object> params) {
      this.value = Objects.requireNonNull(value);
      this.params = Collections.unmodifiableMap(params);
    }

    public static Item of(Object value) {
      return new Item(value, new LinkedHashMap<>());
    }

    public Object value() {
      return value;
    }

    /** Parameter values are bare items: String, Token, Long, BigDecimal, Boolean or byte[]. */
    public Map<String, Object> params() {
      return params;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Item && ((Item) o).value.equals(value) && ((Item) o).params.equals(params);
    }

    @Override
    public int hashCode() {
      return Objects.hash(value, params);
    }

    @Override
    public String toString() {
      return value + (params.isEmpty() ? "" : ";" + params);
    }
  }

  /** An inner list: {@code (a b c);p=1}. */
  public static final class InnerList {
    private final List<Item> items;
    private final Map<String, Object> params;

    private InnerList(List<Item> items, Map<String, Object> params) {
      this.items = List.copyOf(items);
      this.params = Collections.unmodifiableMap(params);
    }

    public List<Item> items() {
      return items;
    }

    public Map<String, Object> params() {
      return params;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof InnerList && ((InnerList) o).items.equals(items) && ((InnerList) o).params.equals(params);
    }

    @Override
    public int hashCode() {
      return Objects.hash(items, params);
    }

    @Override
    public String toString() {
      return items + (params.isEmpty() ? "" : ";" + params);
    }
  }

  /** A field value that is not a valid structured field (thrown by the parser only). */
  public static final class ParseException extends Exception {
    private static final long serialVersionUID = 1L;
    private final int position;

    ParseException(String message, int position) {
      super(message + " at " + position);
      this.position = position;
    }

    public int position() {
      return position;
    }
  }

  // ------------------------------------------------------------------ serializer

  /** Starts an sf-dictionary. */
  public static DictionaryWriter dictionary() {
    return new DictionaryWriter();
  }

  /**
   * Writes an sf-dictionary member by member. Keys must be unique and are written in call order. Each
   * {@code param} call adds a parameter to the member written last.
   */
  public static final class DictionaryWriter {
    private final StringBuilder out = new StringBuilder(128);

    private DictionaryWriter() {
    }

    private StringBuilder key(String key) {
      if (!isKey(key)) {
        throw new IllegalArgumentException("not an sf-key: " + key);
      }
      if (out.length() > 0) {
        out.append(", ");
      }
      return out.append(key);
    }

    public DictionaryWriter integer(String key, long value) {
      writeInteger(key(key).append('='), value);
      return this;
    }

    public DictionaryWriter token(String key, String token) {
      writeToken(key(key).append('='), token);
      return this;
    }

    /** Writes the text as an sf-string, sanitized (see the class comment). */
    public DictionaryWriter string(String key, String text) {
      writeString(key(key).append('='), text);
      return this;
    }

    /** {@code key} alone means true, as RFC 8941 serializes it; false is {@code key=?0}. */
    public DictionaryWriter bool(String key, boolean value) {
      key(key);
      if (!value) {
        out.append("=?0");
      }
      return this;
    }

    /** An inner list of tokens: {@code key=(a b c)}. */
    public DictionaryWriter tokens(String key, List<String> tokens) {
      StringBuilder b = key(key).append("=(");
      for (int i = 0; i < tokens.size(); i++) {
        if (i > 0) {
          b.append(' ');
        }
        writeToken(b, tokens.get(i));
      }
      b.append(')');
      return this;
    }

    /** An inner list of sanitized strings. */
    public DictionaryWriter strings(String key, List<String> texts) {
      StringBuilder b = key(key).append("=(");
      for (int i = 0; i < texts.size(); i++) {
        if (i > 0) {
          b.append(' ');
        }
        writeString(b, texts.get(i));
      }
      b.append(')');
      return this;
    }

    /** A parameter on the last member: {@code ;name=value} (value: String, Token, Long, Integer, Boolean). */
    public DictionaryWriter param(String name, Object value) {
      if (out.length() == 0) {
        throw new IllegalStateException("a parameter needs a member before it");
      }
      if (!isKey(name)) {
        throw new IllegalArgumentException("not an sf-key: " + name);
      }
      out.append(';').append(name);
      if (Boolean.TRUE.equals(value)) {
        return this;
      }
      out.append('=');
      writeBare(out, value);
      return this;
    }

    public boolean isEmpty() {
      return out.length() == 0;
    }

    /** The serialized field value. */
    @Override
    public String toString() {
      return out.toString();
    }
  }

  /** Starts an sf-list (RFC 8941 section 3.1) of items. */
  public static ListWriter list() {
    return new ListWriter();
  }

  /**
   * Writes an sf-list item by item, members separated by {@code ", "}. Each {@code param} call adds a parameter to
   * the item written last; a true Boolean parameter is written as the bare key, as RFC 8941 serializes it.
   */
  public static final class ListWriter {
    private final StringBuilder out = new StringBuilder(128);
    private boolean any;

    private ListWriter() {
    }

    /** A token item: {@code firsthand}. */
    public ListWriter token(String token) {
      if (any) {
        out.append(", ");
      }
      writeToken(out, token);
      any = true;
      return this;
    }

    /** A parameter on the last item: {@code ;name=value} (value: String, Token, Long, Integer, Boolean). */
    public ListWriter param(String name, Object value) {
      if (!any) {
        throw new IllegalStateException("a parameter needs an item before it");
      }
      if (!isKey(name)) {
        throw new IllegalArgumentException("not an sf-key: " + name);
      }
      out.append(';').append(name);
      if (Boolean.TRUE.equals(value)) {
        return this;
      }
      out.append('=');
      writeBare(out, value);
      return this;
    }

    /** The serialized field value. */
    @Override
    public String toString() {
      return out.toString();
    }
  }

  private static void writeBare(StringBuilder b, Object value) {
    if (value instanceof Token) {
      b.append(((Token) value).value());
    } else if (value instanceof String) {
      writeString(b, (String) value);
    } else if (value instanceof Long || value instanceof Integer) {
      writeInteger(b, ((Number) value).longValue());
    } else if (value instanceof Boolean) {
      b.append((Boolean) value ? "?1" : "?0");
    } else if (value instanceof byte[]) {
      b.append(':').append(Base64.getEncoder().encodeToString((byte[]) value)).append(':');
    } else {
      throw new IllegalArgumentException("not a bare item: " + value);
    }
  }

  private static void writeInteger(StringBuilder b, long value) {
    if (value > 999_999_999_999_999L || value < -999_999_999_999_999L) {
      throw new IllegalArgumentException("sf-integer out of range: " + value);
    }
    b.append(value);
  }

  private static void writeToken(StringBuilder b, String token) {
    if (!isToken(token)) {
      throw new IllegalArgumentException("not an sf-token: " + token);
    }
    b.append(token);
  }

  /** Writes {@code text} as an sf-string: printable ASCII only, {@code "} and {@code \} escaped, cut to size. */
  static void writeString(StringBuilder b, String text) {
    b.append('"');
    int n = Math.min(text.length(), MAX_STRING);
    for (int i = 0; i < n; i++) {
      char c = text.charAt(i);
      if (c == '"' || c == '\\') {
        b.append('\\').append(c);
      } else if (c >= 0x20 && c <= 0x7e) {
        b.append(c);
      } else {
        b.append('?');
      }
    }
    b.append('"');
  }

  /** Serializes one text as an sf-string item (sanitized). */
  public static String string(String text) {
    StringBuilder b = new StringBuilder(text.length() + 2);
    writeString(b, text);
    return b.toString();
  }

  /** sf-token: ( ALPHA / "*" ) *( tchar / ":" / "/" ). */
  public static boolean isToken(String s) {
    if (s == null || s.isEmpty()) {
      return false;
    }
    char first = s.charAt(0);
    if (!(isAlpha(first) || first == '*')) {
      return false;
    }
    for (int i = 1; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!(isTchar(c) || c == ':' || c == '/')) {
        return false;
      }
    }
    return true;
  }

  /** sf-key: ( lcalpha / "*" ) *( lcalpha / DIGIT / "_" / "-" / "." / "*" ). */
  public static boolean isKey(String s) {
    if (s == null || s.isEmpty()) {
      return false;
    }
    char first = s.charAt(0);
    if (!((first >= 'a' && first <= 'z') || first == '*')) {
      return false;
    }
    for (int i = 1; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '.' || c == '*')) {
        return false;
      }
    }
    return true;
  }

  private static boolean isAlpha(char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }

  /** RFC 9110 tchar. */
  private static boolean isTchar(char c) {
    if (isAlpha(c) || isDigit(c)) {
      return true;
    }
    switch (c) {
      case '!':
      case '#':
      case '$':
      case '%':
      case '&':
      case '\'':
      case '*':
      case '+':
      case '-':
      case '.':
      case '^':
      case '_':
      case '`':
      case '|':
      case '~':
        return true;
      default:
        return false;
    }
  }

  // ------------------------------------------------------------------ parser (RFC 8941 section 4.2)

  /**
   * Parses an sf-dictionary. Members are {@link Item} or {@link InnerList}; a repeated key keeps the last value and
   * its original position, as the RFC says.
   */
  public static Map<String, Object> parseDictionary(String input) throws ParseException {
    Parser p = new Parser(input);
    p.skipSp();
    Map<String, Object> out = new LinkedHashMap<>();
    while (!p.atEnd()) {
      String key = p.key();
      Object member;
      if (p.peek() == '=') {
        p.pos++;
        member = p.itemOrInnerList();
      } else {
        member = new Item(Boolean.TRUE, p.params());
      }
      out.put(key, member);
      if (!p.nextMember()) {
        break;
      }
    }
    return out;
  }

  /** Parses an sf-list; members are {@link Item} or {@link InnerList}. */
  public static List<Object> parseList(String input) throws ParseException {
    Parser p = new Parser(input);
    p.skipSp();
    List<Object> out = new ArrayList<>();
    while (!p.atEnd()) {
      out.add(p.itemOrInnerList());
      if (!p.nextMember()) {
        break;
      }
    }
    return out;
  }

  /** Parses an sf-item. */
  public static Item parseItem(String input) throws ParseException {
    Parser p = new Parser(input);
    p.skipSp();
    Item item = p.item();
    p.skipSp();
    if (!p.atEnd()) {
      throw new ParseException("trailing characters", p.pos);
    }
    return item;
  }

  private static final class Parser {
    private final String s;
    private int pos;

    Parser(String s) {
      this.s = Objects.requireNonNull(s);
    }

    boolean atEnd() {
      return pos >= s.length();
    }

    char peek() {
      return atEnd() ? '\0' : s.charAt(pos);
    }

    void skipSp() {
      while (!atEnd() && s.charAt(pos) == ' ') {
        pos++;
      }
    }

    void skipOws() {
      while (!atEnd() && (s.charAt(pos) == ' ' || s.charAt(pos) == '\t')) {
        pos++;
      }
    }

    /** After a member: end of input, or a comma and another member. */
    boolean nextMember() throws ParseException {
      skipOws();
      if (atEnd()) {
        return false;
      }
      if (s.charAt(pos) != ',') {
        throw new ParseException("expected ','", pos);
      }
      pos++;
      skipOws();
      if (atEnd()) {
        throw new ParseException("trailing ','", pos);
      }
      return true;
    }

    Object itemOrInnerList() throws ParseException {
      return peek() == '(' ? innerList() : item();
    }

    InnerList innerList() throws ParseException {
      pos++;
      List<Item> items = new ArrayList<>();
      while (!atEnd()) {
        skipSp();
        if (peek() == ')') {
          pos++;
          return new InnerList(items, params());
        }
        items.add(item());
        char c = peek();
        if (c != ' ' && c != ')') {
          throw new ParseException("expected ' ' or ')' in inner list", pos);
        }
      }
      throw new ParseException("unterminated inner list", pos);
    }

    Item item() throws ParseException {
      Object bare = bare();
      return new Item(bare, params());
    }

    Map<String, Object> params() throws ParseException {
      Map<String, Object> params = new LinkedHashMap<>();
      while (peek() == ';') {
        pos++;
        skipSp();
        String key = key();
        Object value = Boolean.TRUE;
        if (peek() == '=') {
          pos++;
          value = bare();
        }
        params.put(key, value);
      }
      return params;
    }

    String key() throws ParseException {
      int start = pos;
      char c = peek();
      if (!((c >= 'a' && c <= 'z') || c == '*')) {
        throw new ParseException("expected a key", pos);
      }
      pos++;
      while (!atEnd()) {
        c = s.charAt(pos);
        if ((c >= 'a' && c <= 'z') || isDigit(c) || c == '_' || c == '-' || c == '.' || c == '*') {
          pos++;
        } else {
          break;
        }
      }
      return s.substring(start, pos);
    }

    Object bare() throws ParseException {
      char c = peek();
      if (c == '-' || isDigit(c)) {
        return number();
      }
      if (c == '"') {
        return string();
      }
      if (c == '*' || isAlpha(c)) {
        return token();
      }
      if (c == ':') {
        return bytes();
      }
      if (c == '?') {
        return bool();
      }
      throw new ParseException("expected a bare item", pos);
    }

    Object number() throws ParseException {
      int start = pos;
      if (peek() == '-') {
        pos++;
      }
      int digitsStart = pos;
      int dot = -1;
      while (!atEnd()) {
        char c = s.charAt(pos);
        if (isDigit(c)) {
          pos++;
        } else if (c == '.' && dot < 0) {
          dot = pos;
          pos++;
        } else {
          break;
        }
      }
      if (pos == digitsStart) {
        throw new ParseException("expected a digit", pos);
      }
      String text = s.substring(start, pos);
      if (dot < 0) {
        if (pos - digitsStart > 15) {
          throw new ParseException("integer too long", start);
        }
        return Long.parseLong(text);
      }
      int intDigits = dot - digitsStart;
      int fracDigits = pos - dot - 1;
      if (intDigits > 12 || intDigits == 0 || fracDigits == 0 || fracDigits > 3) {
        throw new ParseException("bad decimal", start);
      }
      return new BigDecimal(text);
    }

    String string() throws ParseException {
      pos++;
      StringBuilder b = new StringBuilder();
      while (!atEnd()) {
        char c = s.charAt(pos++);
        if (c == '\\') {
          if (atEnd()) {
            break;
          }
          char next = s.charAt(pos++);
          if (next != '"' && next != '\\') {
            throw new ParseException("bad escape", pos - 1);
          }
          b.append(next);
        } else if (c == '"') {
          return b.toString();
        } else if (c < 0x20 || c > 0x7e) {
          throw new ParseException("character outside printable ASCII in string", pos - 1);
        } else {
          b.append(c);
        }
      }
      throw new ParseException("unterminated string", pos);
    }

    Token token() {
      int start = pos;
      pos++;
      while (!atEnd()) {
        char c = s.charAt(pos);
        if (isTchar(c) || c == ':' || c == '/') {
          pos++;
        } else {
          break;
        }
      }
      return new Token(s.substring(start, pos));
    }

    byte[] bytes() throws ParseException {
      int start = ++pos;
      int end = s.indexOf(':', start);
      if (end < 0) {
        throw new ParseException("unterminated byte sequence", start);
      }
      pos = end + 1;
      try {
        return Base64.getDecoder().decode(s.substring(start, end));
      } catch (IllegalArgumentException e) {
        throw new ParseException("bad base64", start);
      }
    }

    Boolean bool() throws ParseException {
      pos++;
      char c = peek();
      if (c == '1' || c == '0') {
        pos++;
        return c == '1';
      }
      throw new ParseException("expected ?0 or ?1", pos);
    }
  }
}
