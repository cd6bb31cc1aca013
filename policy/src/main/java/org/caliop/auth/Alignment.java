package org.caliop.auth;

/**
 * Whether a result speaks for the message's author. DKIM and SPF: the signing or envelope domain has the
 * {@code From:} domain's organisational domain (RFC 7489 relaxed alignment). DMARC: the result is about the
 * {@code From:} domain itself. ARC: the newest ARC set was sealed by a sealer the admin listed in
 * {@code trust.trusted_arc_sealers}. Only an aligned {@code pass} earns anything.
 */
public enum Alignment {
  ALIGNED,
  /** The result names another domain (or an unlisted ARC sealer). */
  UNALIGNED,
  /** Not checked, or it cannot be: the result names no domain, or {@code From:} has no single domain. */
  UNKNOWN
}
