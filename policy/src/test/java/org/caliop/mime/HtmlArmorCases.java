package org.caliop.mime;

import static org.caliop.message.Messages.crlf;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Real armor in HTML beside clear text a browser shows but a reader of HTML that guesses visibility missed (the
 * outsider review of wave 5, findings 04 to 17): comments a browser ends early, text it moves out of the head, raw
 * text elements, CSS that writes text, an image or frame drawing text. Each is outside the strict subset
 * {@link HtmlText} reads, so the part is clear content beside real ciphertext: {@code mixed}, never
 * {@code pgp-inline}, and the gateway encrypts it. Shared by the engine and gateway tests.
 */
public final class HtmlArmorCases {
  /** What the reader sees beside the armor. */
  public static final String CLEAR = "We buy Acme on Monday, the safe code is 4711";
  private static final String HEAD = crlf("From: Alice <alice@example.org>", "To: Bob <bob@example.org>",
      "Subject: html armor test", "Date: Fri, 04 Dec 2026 10:00:00 +0000", "Message-ID: <html-armor@example.org>",
      "MIME-Version: 1.0", "Content-Type: text/html; charset=utf-8");

  private HtmlArmorCases() {
  }

  /** Every case by name. */
  public static Map<String, byte[]> all() {
    Map<String, byte[]> m = new LinkedHashMap<>();
    m.put("04 HTML: an abrupt comment <!--> ends at once", around("<html><body><!-->" + CLEAR + "<!-- --><pre>",
        "</pre></body></html>"));
    m.put("05 HTML: a comment closed by --!>", around("<html><body><!-- a --!>" + CLEAR + "<!-- --><pre>",
        "</pre></body></html>"));
    m.put("06 HTML: text in the head, which browsers move to the body",
        around("<html><head><p>" + CLEAR + "</p></head><body><pre>", "</pre></body></html>"));
    m.put("07 HTML: </style x> ends the style element", around("<html><head><style>p{}</style x>" + CLEAR
        + "<style></style></head><body><pre>", "</pre></body></html>"));
    m.put("08 HTML: <!-- inside a style element is no comment", around("<html><body><style><!-- </style>" + CLEAR
        + "<style> --></style><pre>", "</pre></body></html>"));
    m.put("09 HTML: a comment inside a textarea is text", around("<html><body><textarea><!--" + CLEAR
        + "--></textarea><pre>", "</pre></body></html>"));
    m.put("10 HTML: a comment inside xmp is text", around("<html><body><xmp><!--" + CLEAR + "--></xmp><pre>",
        "</pre></body></html>"));
    m.put("11 HTML: a comment after plaintext is text", around("<html><body><pre>",
        "</pre><plaintext><!--" + CLEAR + "-->"));
    m.put("12 CSS: an escaped content property", around("<html><head><style>p::before{c\\6fntent:'" + CLEAR
        + "'}</style></head><body><p></p><pre>", "</pre></body></html>"));
    m.put("13 CSS: list-style-type with a string", around("<html><body><ul><li style='list-style-type:\"" + CLEAR
        + " \"'></li></ul><pre>", "</pre></body></html>"));
    m.put("14 CSS: quotes on a q element", around("<html><head><style>q{quotes:\"" + CLEAR
        + "\" \"\"}</style></head><body><q></q><pre>", "</pre></body></html>"));
    m.put("15 CSS: @counter-style symbols", around("<html><head><style>@counter-style x{system:cyclic;symbols:\""
        + CLEAR + "\";suffix:\"\"}li{list-style:x}</style></head><body><ol><li></li></ol><pre>",
        "</pre></body></html>"));
    m.put("16 HTML: an SVG data: image drawing text", around("<html><body><img src=\"data:image/svg+xml,%3Csvg%20"
        + "xmlns%3D%27http%3A//www.w3.org/2000/svg%27%3E%3Ctext%20y%3D%2720%27%3E" + CLEAR.replace(" ", "%20")
        + "%3C/text%3E%3C/svg%3E\"><pre>", "</pre></body></html>"));
    m.put("17 HTML: an iframe srcdoc", around("<html><body><iframe srcdoc=\"<p>" + CLEAR + "</p>\"></iframe><pre>",
        "</pre></body></html>"));
    m.put("styled characters inside armor lines", styledCharacters());
    return m;
  }

  /**
   * Real armor whose characters are all hidden but those that spell a word, each visible one in a span of its own:
   * a reader sees the word. A tag between two characters of a line is outside the subset.
   */
  public static byte[] styledCharacters() {
    String armor = Ciphertext.armoredToAliceCrlf();
    String[] lines = armor.split("\r\n");
    StringBuilder html = new StringBuilder("<html><body><pre>");
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i];
      if (i == 2) {
        // Hide all of one data line but its first character.
        line = line.charAt(0) + "<span style=\"font-size: 0\">" + line.substring(1) + "</span>";
      }
      html.append(line).append("\r\n");
    }
    html.append("</pre></body></html>\r\n");
    return bytes(HEAD + crlf("") + html);
  }

  private static byte[] around(String before, String after) {
    return bytes(HEAD + crlf("") + before + Ciphertext.armoredToAliceCrlf() + after + "\r\n");
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
