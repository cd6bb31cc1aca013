package org.caliop.james;

import java.util.Collection;
import java.util.Optional;
import org.apache.mailet.Attribute;
import org.apache.mailet.AttributeName;
import org.apache.mailet.AttributeValue;
import org.apache.mailet.Mail;
import org.caliop.engine.Disposition;
import org.caliop.engine.Verdict;
import org.caliop.policy.Decision;

/**
 * The mail attributes caliop reads and writes, all under the {@code caliop.} namespace, so that matchers and later
 * mailets use the verdict of {@code CaliopScore} without judging the message again.
 */
public final class CaliopAttributes {
  /** Privacy score 0-100 (Integer). Present means CaliopScore judged this mail. */
  public static final AttributeName SCORE = AttributeName.of("caliop.score");
  /** Grade A-E (String). */
  public static final AttributeName GRADE = AttributeName.of("caliop.grade");
  /** Score formula version (String). */
  public static final AttributeName SCORE_VERSION = AttributeName.of("caliop.score.version");
  /**
   * What the engine decided the mail container does, final (String): accept, reject, tempfail, hold, redirect,
   * encrypted, already-protected. {@code CaliopApplyPolicy} carries it out.
   */
  public static final AttributeName DISPOSITION = AttributeName.of("caliop.disposition");
  /** The policy's action: accept, tag, reject, tempfail, hold, redirect, encrypt; tag in dry-run (String). */
  public static final AttributeName ACTION = AttributeName.of("caliop.action");
  /** What the matching rule asked for; differs from {@link #ACTION} in dry-run (String). */
  public static final AttributeName POLICY_ACTION = AttributeName.of("caliop.policy.action");
  /** The rule that decided, {@code file:line} or a name (String); absent when none matched. */
  public static final AttributeName RULE = AttributeName.of("caliop.rule");
  /** The body is end-to-end encrypted (Boolean). */
  public static final AttributeName ENCRYPTED = AttributeName.of("caliop.encrypted");
  /** Encryption and signature tokens of the content, e.g. {@code pgp} / {@code smime} / {@code none} (String). */
  public static final AttributeName ENCRYPTION = AttributeName.of("caliop.encryption");
  public static final AttributeName SIGNATURE = AttributeName.of("caliop.signature");
  /** SMTP code, enhanced code and text of a reject or tempfail disposition (String). */
  public static final AttributeName SMTP_CODE = AttributeName.of("caliop.smtp.code");
  public static final AttributeName ENHANCED_CODE = AttributeName.of("caliop.smtp.enhanced");
  public static final AttributeName REPLY_TEXT = AttributeName.of("caliop.reply");
  /** The address of a redirect disposition (String). */
  public static final AttributeName REDIRECT_TO = AttributeName.of("caliop.redirect");
  /** The reason of a hold disposition (String). */
  public static final AttributeName HOLD_REASON = AttributeName.of("caliop.hold.reason");
  /** The encryption format of an encrypted disposition: pgp-mime, smime (String). */
  public static final AttributeName ENCRYPTED_FORMAT = AttributeName.of("caliop.encrypted.format");
  /**
   * Set on the further copies of a mail encrypted per recipient (Boolean): they were judged with the original, so
   * CaliopScore and StripForeignHeaders let them pass as they are when they come round again.
   */
  public static final AttributeName SPLIT_COPY = AttributeName.of("caliop.encrypted.copy");

  /** Written by the SMTP hooks from {@code SMTPSession.getSSLSession()}: James 3.8.1 gives mailets no TLS facts. */
  public static final AttributeName TLS_PROTOCOL = AttributeName.of("caliop.tls.protocol");
  public static final AttributeName TLS_CIPHER = AttributeName.of("caliop.tls.cipher");
  public static final AttributeName TLS_PEER_SUBJECT = AttributeName.of("caliop.tls.peer.subject");
  public static final AttributeName TLS_PEER_ISSUER = AttributeName.of("caliop.tls.peer.issuer");
  /** SMTP, ESMTP, ESMTPS, ESMTPA, ESMTPSA as RFC 3848 names them (String). */
  public static final AttributeName SMTP_PROTOCOL = AttributeName.of("caliop.smtp.protocol");
  /** Our own name as the SMTP server announces it, i.e. the {@code by} of the Received field James writes. */
  public static final AttributeName SMTP_BY = AttributeName.of("caliop.smtp.by");
  /**
   * The local address (String) and port (Integer) of the SMTP server the client connected to: the listener that,
   * with the client's network, identifies a relay of {@code trust.trusted_relays}.
   */
  public static final AttributeName SMTP_LISTENER_ADDRESS = AttributeName.of("caliop.smtp.listener.address");
  public static final AttributeName SMTP_LISTENER_PORT = AttributeName.of("caliop.smtp.listener.port");

  private CaliopAttributes() {
  }

  /** Stores the verdict on the mail; removes stale values of a previous judgement first. */
  public static void store(Mail mail, Verdict verdict) {
    for (AttributeName name : verdictNames()) {
      mail.removeAttribute(name);
    }
    Decision decision = verdict.decision();
    Disposition disposition = verdict.disposition();
    mail.setAttribute(new Attribute(SCORE, AttributeValue.of(verdict.score().value())));
    mail.setAttribute(new Attribute(GRADE, AttributeValue.of(verdict.score().grade().name())));
    mail.setAttribute(new Attribute(SCORE_VERSION, AttributeValue.of(verdict.score().version())));
    mail.setAttribute(new Attribute(DISPOSITION, AttributeValue.of(disposition.token())));
    mail.setAttribute(new Attribute(ACTION, AttributeValue.of(decision.action().token())));
    mail.setAttribute(new Attribute(POLICY_ACTION, AttributeValue.of(decision.policyAction().token())));
    mail.setAttribute(new Attribute(ENCRYPTED, AttributeValue.of(verdict.facts().content().isEncrypted())));
    mail.setAttribute(new Attribute(ENCRYPTION, AttributeValue.of(verdict.facts().content().encrypted().token())));
    mail.setAttribute(new Attribute(SIGNATURE, AttributeValue.of(verdict.facts().content().signed().token())));
    putString(mail, RULE, decision.rule());
    disposition.reply().ifPresent(r -> {
      mail.setAttribute(new Attribute(SMTP_CODE, AttributeValue.of(String.valueOf(r.code()))));
      mail.setAttribute(new Attribute(ENHANCED_CODE, AttributeValue.of(r.enhanced())));
      mail.setAttribute(new Attribute(REPLY_TEXT, AttributeValue.of(r.text())));
    });
    putString(mail, REDIRECT_TO, disposition.redirectTo());
    putString(mail, HOLD_REASON, disposition.holdReason());
    if (!disposition.copies().isEmpty()) {
      mail.setAttribute(new Attribute(ENCRYPTED_FORMAT, AttributeValue.of(disposition.copies().get(0).format())));
    }
  }

  private static Collection<AttributeName> verdictNames() {
    return java.util.List.of(SCORE, GRADE, SCORE_VERSION, DISPOSITION, ACTION, POLICY_ACTION, RULE, ENCRYPTED,
        ENCRYPTION, SIGNATURE, SMTP_CODE, ENHANCED_CODE, REPLY_TEXT, REDIRECT_TO, HOLD_REASON, ENCRYPTED_FORMAT);
  }

  public static void putString(Mail mail, AttributeName name, Optional<String> value) {
    value.ifPresent(v -> mail.setAttribute(new Attribute(name, AttributeValue.of(v))));
  }

  /** The attribute as a String; empty when absent or of another type (a hostile or foreign value never throws). */
  public static Optional<String> string(Mail mail, AttributeName name) {
    return mail.getAttribute(name).flatMap(a -> a.getValue().valueAs(String.class));
  }

  public static Optional<Integer> integer(Mail mail, AttributeName name) {
    return mail.getAttribute(name).flatMap(a -> a.getValue().valueAs(Integer.class));
  }

  public static Optional<Boolean> bool(Mail mail, AttributeName name) {
    return mail.getAttribute(name).flatMap(a -> a.getValue().valueAs(Boolean.class));
  }
}
