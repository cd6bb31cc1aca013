package org.caliop.bench;

import java.nio.charset.StandardCharsets;

/**
 * A message shaped like everyday mail between large providers: about 60 header fields (a third of its bytes),
 * five Received hops with TLS, DKIM, ARC and Authentication-Results, and a multipart/alternative body (text and
 * HTML, quoted-printable), about 12 KB in all.
 */
public final class TypicalMessage {
  private TypicalMessage() {
  }

  public static byte[] build() {
    StringBuilder m = new StringBuilder(16_384);
    m.append("Return-Path: <alice@example.org>\r\n");
    m.append("Delivered-To: bob@example.net\r\n");
    String[][] hops = {
        {"mx.example.net", "mail-ej1-f41.google.com", "209.85.218.41", "TLSv1.3", "TLS_AES_256_GCM_SHA384"},
        {"mail-ej1-f41.google.com", "smtp.gmail.com", "2a00:1450:4864:20::541", "TLSv1.3", "TLS_AES_128_GCM_SHA256"},
        {"smtp.gmail.com", "relay.example.org", "192.0.2.17", "TLSv1.2", "ECDHE-RSA-AES256-GCM-SHA384"},
        {"relay.example.org", "submit.example.org", "198.51.100.4", "TLSv1.3", "TLS_AES_256_GCM_SHA384"},
        {"submit.example.org", "laptop.home.example", "203.0.113.9", "TLSv1.3", "TLS_AES_256_GCM_SHA384"}};
    int id = 0;
    for (String[] h : hops) {
      m.append("Received: from ").append(h[1]).append(" (").append(h[1]).append(" [").append(h[2]).append("])\r\n")
          .append("\t(using ").append(h[3]).append(" with cipher ").append(h[4]).append(" (256/256 bits))\r\n")
          .append("\t(No client certificate requested)\r\n\tby ").append(h[0]).append(" (Postfix) with ESMTPS id 4Q")
          .append(id++).append("XyZ1234\r\n\tfor <bob@example.net>; Mon, 11 Mar 2024 10:1").append(id)
          .append(":42 +0100 (CET)\r\n");
    }
    m.append("Authentication-Results: mx.example.net;\r\n\tdkim=pass (2048-bit key; unprotected) header.d=example.org "
        + "header.i=@example.org header.a=rsa-sha256 header.s=s2024 header.b=Ab12Cd34;\r\n\tspf=pass "
        + "(mx.example.net: domain of alice@example.org designates 209.85.218.41 as permitted sender) "
        + "smtp.mailfrom=alice@example.org;\r\n\tdmarc=pass (p=quarantine dis=none) header.from=example.org\r\n");
    m.append("ARC-Seal: i=1; a=rsa-sha256; t=1710148302; cv=none; d=google.com; s=arc-20160816;\r\n\tb=")
        .append(base64Like(340)).append("\r\n");
    m.append("ARC-Message-Signature: i=1; a=rsa-sha256; c=relaxed/relaxed; d=google.com; s=arc-20160816;\r\n"
        + "\th=to:subject:message-id:date:from:mime-version:dkim-signature;\r\n\tbh=").append(base64Like(44))
        .append(";\r\n\tb=").append(base64Like(340)).append("\r\n");
    m.append("ARC-Authentication-Results: i=1; mx.google.com;\r\n\tdkim=pass header.i=@example.org;\r\n"
        + "\tspf=pass smtp.mailfrom=alice@example.org; dmarc=pass header.from=example.org\r\n");
    m.append("DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=example.org; s=s2024; t=1710148302;\r\n"
        + "\th=mime-version:from:date:message-id:subject:to:cc:content-type;\r\n\tbh=").append(base64Like(44))
        .append(";\r\n\tb=").append(base64Like(344)).append("\r\n");
    m.append("X-Google-DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=1e100.net; s=20230601;\r\n\tbh=")
        .append(base64Like(44)).append(";\r\n\tb=").append(base64Like(344)).append("\r\n");
    m.append("X-Gm-Message-State: ").append(base64Like(120)).append("\r\n");
    m.append("X-Google-Smtp-Source: ").append(base64Like(90)).append("\r\n");
    m.append("X-Received: by 2002:a17:906:4a0e:b0:a45:f5a1:d3c with SMTP id id14mr4421ejb.29.1710148302;\r\n"
        + "\tMon, 11 Mar 2024 02:11:42 -0700 (PDT)\r\n");
    m.append("X-Spam-Status: No, score=-2.1 required=5.0 tests=BAYES_00,DKIM_SIGNED,DKIM_VALID,DKIM_VALID_AU,\r\n"
        + "\tDKIM_VALID_EF,HTML_MESSAGE,RCVD_IN_DNSWL_NONE,SPF_HELO_NONE,SPF_PASS autolearn=ham\r\n"
        + "\tautolearn_force=no version=3.4.6\r\n");
    m.append("X-Spam-Checker-Version: SpamAssassin 3.4.6 (2021-04-09) on mx.example.net\r\n");
    m.append("X-Spam-Level: \r\nX-Virus-Scanned: clamav-milter 1.0.5 at mx.example.net\r\n"
        + "X-Virus-Status: Clean\r\n");
    for (int i = 0; i < 14; i++) {
      m.append("X-Provider-Trace-").append(i).append(": ").append(base64Like(60)).append("\r\n");
    }
    m.append("MIME-Version: 1.0\r\nFrom: Alice Example <alice@example.org>\r\nDate: Mon, 11 Mar 2024 10:11:30 +0100\r\n"
        + "Message-ID: <CAF=abcdefghijklmnopqrstuvwxyz0123456789@mail.gmail.com>\r\n"
        + "Subject: Re: the quarterly figures and the meeting on Thursday\r\nTo: Bob Example <bob@example.net>\r\n"
        + "Cc: Carol Example <carol@example.com>, Dave Example <dave@example.com>\r\n"
        + "In-Reply-To: <1234567890.abcdef@example.net>\r\nReferences: <1234567890.abcdef@example.net>\r\n"
        + "List-Unsubscribe: <mailto:unsubscribe@example.org>\r\nThread-Topic: quarterly figures\r\n"
        + "Thread-Index: AQHaZ2x1c2VyLWFnZW50LXRocmVhZA==\r\nContent-Language: en-US\r\n"
        + "X-MS-Has-Attach: \r\nX-MS-TNEF-Correlator: \r\nAccept-Language: en-US\r\n"
        + "Content-Type: multipart/alternative; boundary=\"000000000000a1b2c3d4e5f60718\"\r\n\r\n");
    String paragraph = "Hi Bob, thanks for the figures. I went through the numbers for the third quarter and "
        + "they look right to me, apart from the travel costs, which seem to count the March trip tw=\r\nice. "
        + "Could you check before Thursday? Best, Alice\r\n\r\n";
    m.append("--000000000000a1b2c3d4e5f60718\r\nContent-Type: text/plain; charset=\"UTF-8\"\r\n"
        + "Content-Transfer-Encoding: quoted-printable\r\n\r\n");
    for (int i = 0; i < 8; i++) {
      m.append(paragraph);
    }
    m.append("--000000000000a1b2c3d4e5f60718\r\nContent-Type: text/html; charset=\"UTF-8\"\r\n"
        + "Content-Transfer-Encoding: quoted-printable\r\n\r\n<div dir=3D\"ltr\">");
    while (m.length() < 12_000) {
      m.append("<p>").append(paragraph.replace("\r\n\r\n", "")).append("</p>\r\n");
    }
    m.append("</div>\r\n--000000000000a1b2c3d4e5f60718--\r\n");
    return m.toString().getBytes(StandardCharsets.UTF_8);
  }

  private static String base64Like(int length) {
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    StringBuilder b = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      b.append(alphabet.charAt((i * 37 + length) % 64));
      if (i % 72 == 71) {
        b.append("\r\n\t");
      }
    }
    return b.toString();
  }
}
