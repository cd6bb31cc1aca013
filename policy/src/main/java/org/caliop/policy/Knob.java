package org.caliop.policy;

import java.util.Locale;
import java.util.Optional;

/**
 * Every key a rule block (global, a domain, a user, or one of their direction blocks) may set: the one source of
 * truth for names, whether a key is a requirement, and its default. docs/policy.md documents each (a test checks
 * that every name appears there). Keys of the {@code encrypt:} mapping are named {@code encrypt.<key>} here.
 */
enum Knob {
  ACTION("action", false, "tag"),
  MIN_TLS_VERSION("min_tls_version", true, "none"),
  REQUIRE_TLS_ON_TRUSTED_HOPS("require_tls_on_trusted_hops", true, "false"),
  MIN_SCORE("min_score", true, "0"),
  MIN_GRADE("min_grade", true, "none"),
  REQUIRE_ENCRYPTION("require_encryption", true, "none"),
  REQUIRE_SIGNED("require_signed", true, "false"),
  REQUIRE_DKIM_PASS("require_dkim_pass", true, "false"),
  REQUIRE_DMARC_PASS("require_dmarc_pass", true, "false"),
  REQUIRE_JURISDICTIONS("require_jurisdictions", true, "none"),
  DENY_JURISDICTIONS("deny_jurisdictions", true, "none"),
  REPLY_CODE("reply_code", false, "550 for reject, 451 for tempfail"),
  ENHANCED_CODE("enhanced_code", false, "5.7.1 for reject, 4.7.1 for tempfail"),
  REPLY_TEXT("reply_text", false, "the reasons"),
  REDIRECT_TO("redirect_to", false, "none"),
  // Added when the rule tags; but text of its shape is removed from every inbound Subject of the recipient whether
  // the rule fires or not, so it is a property of the recipient, not only something the rule does when it fires.
  SUBJECT_PREFIX("subject_prefix", false, "none", true),
  // Delivery only: the milter never sees the connection to the next hop; caliop policy export postfix-tls carries it
  // to Postfix. A property of the destination, not something a rule does when it fires.
  VERIFY_DELIVERY_CERTIFICATE("verify_delivery_certificate", false, "none", true),
  ENCRYPT_FORMAT("encrypt.format", false, "prefer-pgp"),
  ENCRYPT_ON_MISSING_KEY("encrypt.on_missing_key", false, "hold"),
  ENCRYPT_ON_FAILURE("encrypt.on_failure", false, "tempfail"),
  ENCRYPT_SPLIT_PER_RECIPIENT("encrypt.split_per_recipient", false, "false"),
  ENCRYPT_OUTER_SUBJECT("encrypt.outer_subject", false, "none (keep the Subject)"),
  // What the recipient's S/MIME client opens: a fact about him, used whenever a message to him is encrypted (even
  // when another recipient's rule asked for it), not something his rule does when it fires.
  ENCRYPT_SMIME_KEY_TRANSPORT("encrypt.smime_key_transport", false, "rsa-oaep", true),
  ENCRYPT_SMIME_CONTENT("encrypt.smime_content", false, "aes-cbc", true);

  /** Keys of the {@code encrypt:} sub-mapping, without the prefix. */
  static final String ENCRYPT_PREFIX = "encrypt.";

  private final String key;
  private final boolean requirement;
  private final String defaultText;
  private final boolean recipientProperty;

  Knob(String key, boolean requirement, String defaultText) {
    this(key, requirement, defaultText, false);
  }

  Knob(String key, boolean requirement, String defaultText, boolean recipientProperty) {
    this.key = key;
    this.requirement = requirement;
    this.defaultText = defaultText;
    this.recipientProperty = recipientProperty;
  }

  /** The name as written in the file ({@code encrypt.format} is {@code format} under {@code encrypt:}). */
  String key() { return key; }

  /** A requirement: when the message fails it, the rule fires. */
  boolean requirement() { return requirement; }

  String defaultText() { return defaultText; }

  /** Keys that only matter when the rule fires (what to do, how to reply). */
  boolean consequence() {
    return !requirement && !recipientProperty;
  }

  static Optional<Knob> byKey(String key) {
    String k = key.toLowerCase(Locale.ROOT);
    for (Knob knob : values()) {
      if (knob.key.equals(k)) {
        return Optional.of(knob);
      }
    }
    return Optional.empty();
  }
}
