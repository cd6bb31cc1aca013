package org.caliop.mime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.caliop.message.Messages.crlf;
import static org.caliop.message.Messages.scan;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.caliop.message.ScannedMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Armor in HTML is credited only inside the strict subset {@link HtmlText} reads; anything else is clear content. */
class HtmlSubsetTest {
  private static final String ARMORED = Ciphertext.armoredToAliceCrlf();
  private static final String FROM = "From: a@example.org";

  private static ScannedMessage html(String body) {
    return scan(crlf(FROM, "Content-Type: text/html; charset=utf-8", "") + body);
  }

  private static String perLine(String open, String close) {
    StringBuilder b = new StringBuilder();
    for (String line : ARMORED.split("\r\n")) {
      b.append(open).append(line.isEmpty() ? "<br>" : line).append(close).append("\r\n");
    }
    return b.toString();
  }

  @Test
  void armorAsThunderbirdGmailAndOutlookWebSendItShouldBeCredited() {
    Map<String, String> senders = Map.of(
        "thunderbird", "<!DOCTYPE html>\r\n<html>\r\n  <head>\r\n    <meta http-equiv=\"content-type\" "
            + "content=\"text/html; charset=UTF-8\">\r\n  </head>\r\n  <body text=\"#000000\" bgcolor=\"#FFFFFF\">"
            + "\r\n    <pre class=\"moz-quote-pre\" wrap=\"\">" + ARMORED + "</pre>\r\n  </body>\r\n</html>\r\n",
        "gmail", "<div dir=\"ltr\">" + ARMORED.replace("\r\n", "<br>") + "</div>\r\n",
        "outlook web", "<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=iso-8859-1\">"
            + "<title></title></head><body dir=\"ltr\"><div style=\"font-family: Calibri, Arial, Helvetica, "
            + "sans-serif; font-size: 12pt; color: rgb(0, 0, 0);\">"
            + perLine("<div><span style=\"font-size: 11pt\">", "</span></div>") + "</div></body></html>",
        "xhtml", "<html><body><p>" + ARMORED.replace("\r\n", "<br />\r\n") + "</p></body></html>",
        "quoted", "<blockquote type=\"cite\" cite=\"mid:x@example.org\"><font face=\"monospace\" size=\"2\">"
            + "<tt>" + ARMORED.replace("\r\n", "<br>\r\n") + "</tt></font></blockquote>");
    for (Map.Entry<String, String> sender : senders.entrySet()) {
      ScannedMessage m = html(sender.getValue());

      assertThat(m.content()).as(sender.getKey()).isEqualTo(ContentProtection.of(Encryption.PGP_INLINE,
          Signature.NONE));
      assertThat(m.diagnostics()).as(sender.getKey()).doesNotContain("html-outside-subset");
    }
  }

  /** Each pair: inside the subset, then the least step outside it. */
  @ParameterizedTest
  @CsvSource(delimiter = '|', quoteCharacter = '~', value = {
      "<div style=\"color: red\">|<div style=\"content: red\">",
      "<div style=\"font-family: Arial\">|<div style=\"font-family: 'Arial'\">",
      "<div style=\"color: rgb(1, 2, 3)\">|<div style=\"color: url(x)\">",
      "<div style=\"margin: 0\">|<div style=\"margin: 0 /* x */\">",
      "<div style=\"margin: 0\">|<div style=\"m\\61rgin: 0\">",
      "<div style=\"margin: 0\">|<div style=\"display: list-item\">",
      "<div class=\"x\">|<div title=\"x\">",
      "<div class=x>|<div class=x\"y>",
      "<div>|<div/class=x>",
      "<span>|<img>",
      "<title></title>|<title>x</title>",
      "<title> </title>|<title><b></b></title>",
      "<meta http-equiv=\"content-type\">|<meta http-equiv=\"refresh\">",
      "<!DOCTYPE html>|<!-- -->",
      "<!doctype html>|<![CDATA[ x ]]>",
      "<b></b>|<?xml version=\"1.0\"?>",
      "&nbsp;|&copy;",
      "&#32;|&#43",
      "&#xA0;|&#x200B;",
      "<p></p>|</p x>",
      "<br>|</br>",
      "<p>|<P class=\"a\" style=\"color: red\" onclick=\"x\">"})
  void theLeastStepOutsideTheSubsetShouldMakeThePartClear(String inside, String outside) {
    String decoded = inside.replace("\\61", "a");
    ScannedMessage in = html(decoded + "<pre>" + ARMORED + "</pre>");
    ScannedMessage out = html(outside + "<pre>" + ARMORED + "</pre>");

    assertThat(in.content().encrypted()).as(decoded).isEqualTo(Encryption.PGP_INLINE);
    assertThat(out.content().encrypted()).as(outside).isEqualTo(Encryption.MIXED);
    assertThat(out.diagnostics()).as(outside).contains("html-outside-subset");
  }

  @Test
  void aTagBetweenTwoCharactersOfAnArmorLineShouldMakeThePartClear() {
    String[] lines = ARMORED.split("\r\n");
    String wholeLines = ARMORED.replace(lines[3], "<span style=\"color: red\">" + lines[3] + "</span>");
    String midLine = ARMORED.replace(lines[3], lines[3].substring(0, 10) + "<b>" + lines[3].substring(10) + "</b>");

    assertThat(html("<pre>" + wholeLines + "</pre>").content().encrypted()).isEqualTo(Encryption.PGP_INLINE);
    assertThat(html("<pre>" + midLine + "</pre>").content().encrypted()).isEqualTo(Encryption.MIXED);
    assertThat(html(HtmlArmorCases.CLEAR + "<pre>" + ARMORED + "</pre>").diagnostics())
        .doesNotContain("html-outside-subset");
  }

  @Test
  void everyAttackerCaseShouldBeMixedWithTheDiagnostic() {
    for (Map.Entry<String, byte[]> c : HtmlArmorCases.all().entrySet()) {
      ScannedMessage m = scan(new String(c.getValue(), StandardCharsets.UTF_8));

      assertThat(m.content().encrypted()).as(c.getKey()).isEqualTo(Encryption.MIXED);
      assertThat(m.diagnostics()).as(c.getKey()).contains("html-outside-subset");
    }
  }

  @Test
  void plainHtmlMailWithoutArmorShouldCarryNoDiagnostic() {
    ScannedMessage m = html("<html><body><img src=\"cid:logo\"><!-- x --><p>Hello</p></body></html>");

    assertThat(m.content().encrypted()).isEqualTo(Encryption.NONE);
    assertThat(m.diagnostics()).doesNotContain("html-outside-subset");
  }
}
