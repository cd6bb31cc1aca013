package org.caliop.message;

/**
 * What a scan found odd or cut short. The codes are stable: they end up in logs, JSON output and policy rules.
 * None of them means the message was refused; each means "we looked less, or the message is not well formed".
 */
public enum ScanDiagnostic {
  /** One header field was longer than {@link ScanLimits#maxHeaderFieldBytes()}; its value was cut. */
  HEADER_FIELD_TRUNCATED("header-field-truncated"),
  /** More top-level header fields than {@link ScanLimits#maxHeaderFields()}; later ones were not looked at. */
  TOO_MANY_HEADER_FIELDS("too-many-header-fields"),
  /** The kept header values passed {@link ScanLimits#maxHeaderSectionBytes()}; later ones were not kept. */
  HEADER_SECTION_TOO_LARGE("header-section-too-large"),
  /** A line was longer than {@link ScanLimits#maxHeaderFieldBytes()} and was cut (headers or body). */
  LINE_TRUNCATED("line-truncated"),
  /** More MIME parts than {@link ScanLimits#maxParts()}; the walk stopped there. */
  TOO_MANY_PARTS("too-many-parts"),
  /** Parts nested deeper than {@link ScanLimits#maxNestingDepth()}; their insides were not looked at. */
  NESTING_TOO_DEEP("nesting-too-deep"),
  /**
   * A multipart whose boundary is a prefix of an enclosing multipart's boundary, or has one as its prefix (RFC 2046
   * 5.1.1 forbids it): read as one opaque body, its parts not opened (counts as clear).
   */
  AMBIGUOUS_BOUNDARY("ambiguous-boundary"),
  /**
   * An entity with two Content-Type or two Content-Transfer-Encoding fields, a Content-Type parameter given twice, a
   * Content-Disposition filename given twice, or a deciding parameter (boundary, charset, protocol, smime-type,
   * micalg, name, filename) in an RFC 2231 form: a reader may take another value, so it was read as one opaque body
   * and nothing in it is credited (counts as clear).
   */
  AMBIGUOUS_CONTENT_FIELDS("ambiguous-content-fields"),
  /**
   * An entity whose header section holds a line that is neither a field nor a continuation: the parser skips it, a
   * reader may start the body there and show the fields after it as text. Read as one opaque body, nothing in it is
   * credited (counts as clear).
   */
  AMBIGUOUS_HEADER_SECTION("ambiguous-header-section"),
  /**
   * A multipart with a delimiter line holding more than white space after its boundary (or after the closing
   * {@code --}): mime4j takes it as a delimiter, Python and Gecko do not (RFC 2046 allows only white space there).
   * What was credited in it is taken back; it counts as clear, and as a label when it claimed encryption or held
   * ciphertext.
   */
  AMBIGUOUS_DELIMITER("ambiguous-delimiter"),
  /** The message passed {@link ScanLimits#maxInspectBytes()}; the rest was read but not looked at (counts as clear). */
  INSPECT_LIMIT_REACHED("inspect-limit-reached"),
  /** The MIME parser gave up on the structure; what was found before stands, the rest counts as clear. */
  MALFORMED_MIME("malformed-mime"),
  /** A header line that is no header field (no colon, bad name) was skipped. */
  INVALID_HEADER_FIELD("invalid-header-field"),
  /** A header field in obsolete syntax (white space before the colon); kept. */
  OBSOLETE_HEADER_SYNTAX("obsolete-header-syntax"),
  /** A header section ended without its blank line (end of input or a boundary came first). */
  HEADERS_PREMATURE_END("headers-premature-end"),
  /** A multipart ended without its closing boundary. */
  MIME_BODY_PREMATURE_END("mime-body-premature-end"),
  /** Broken base64 or quoted-printable in a part we decoded. */
  BAD_TRANSFER_ENCODING("bad-transfer-encoding"),
  /** A header value held bytes above 127 (read as UTF-8 when valid, else ISO-8859-1). */
  EIGHT_BIT_IN_HEADER("8bit-in-header"),
  /** A header value held a NUL byte. */
  NUL_IN_HEADER("nul-in-header"),
  /** The message has no header/body separator and no header field at all. */
  NO_HEADER("no-header"),
  /** An S/MIME part whose smime-type disagrees with the CMS content type read from its body (the body decides). */
  SMIME_TYPE_MISMATCH("smime-type-mismatch"),
  /** A part longer than {@link ScanLimits#maxPartInspectBytes()}: its protection was judged on that prefix. */
  PART_INSPECT_LIMIT_REACHED("part-inspect-limit-reached"),
  /**
   * An HTML part showing armor, but outside the strict subset of HTML whose visible text we can tell (comments,
   * style sheets, images, unknown elements or attributes...): not credited, the part counts as clear.
   */
  HTML_OUTSIDE_SUBSET("html-outside-subset"),
  /** multipart/encrypted or multipart/signed with a protocol we do not know. */
  UNKNOWN_PROTECTION_PROTOCOL("unknown-protection-protocol"),
  /**
   * A ciphertext object (CMS enveloped or authEnveloped-data, OpenPGP packets) with bytes after its end in the same
   * part: what a sender appended there is not the ciphertext's, so the part is clear content.
   */
  DATA_AFTER_CIPHERTEXT("data-after-ciphertext"),
  /**
   * A base64 body with more than white space after its padding: mime4j stops at the padding, lenient readers decode
   * on, so the part is ambiguous and nothing in it is credited (counts as clear).
   */
  DATA_AFTER_BASE64_PADDING("data-after-base64-padding"),
  /**
   * More header fields only our servers may write than {@link ForeignFields} counts: the engine's removals are not
   * complete. The one diagnostic an adapter acts on: it answers the message with its on-error action (and removes
   * the fields by name where it can), never passes it as judged.
   */
  FOREIGN_FIELDS_OVER_BOUND("foreign-fields-over-bound");

  private final String code;

  ScanDiagnostic(String code) {
    this.code = code;
  }

  public String code() {
    return code;
  }

  /** Whether {@code codes} (a scan's or {@code MessageFacts}' diagnostics) hold this one. */
  public boolean in(java.util.Collection<String> codes) {
    return codes.contains(code);
  }
}
