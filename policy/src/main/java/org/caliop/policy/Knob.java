package org.caliop.policy;

import java.util.Locale;
import java.util.Optional;
import org.caliop.crypto.EncryptOptions;
import org.caliop.crypto.SmimeAlgorithms;
import org.caliop.hop.TlsVersion;
import org.caliop.score.Grade;

/**
 * Every key a rule block (global, a domain, a user, or one of their direction blocks) may set: the one source of
 * truth for names, whether a key is a requirement, and its default. docs/policy.md documents each (a test checks
 * that every name appears there). Keys of the {@code encrypt:} mapping are named {@code encrypt.<key>} here. Each
 * knob names the type of its value ({@link Settings#get(Knob, Class)} hands it back in that type; a requirement
 * switched off by {@code none} holds {@link Settings.Off#OFF} instead).
 */
enum Knob {
  ACTION("action", false, "tag", Action.class),
  MIN_TLS_VERSION("min_tls_version", true, "none", TlsVersion.class),
  REQUIRE_TLS_ON_TRUSTED_HOPS("require_tls_on_trusted_hops", true, "false", Boolean.class),
  MIN_SCORE("min_score", true, "0", Integer.class),
  MIN_GRADE("min_grade", true, "none", Grade.class),
  REQUIRE_ENCRYPTION("require_encryption", true, "none", Settings.Requirement.class),
  REQUIRE_SIGNED("require_signed", true, "false", Boolean.class),
  REQUIRE_DKIM_PASS("require_dkim_pass", true, "false", Boolean.class),
  REQUIRE_DMARC_PASS("require_dmarc_pass", true, "false", Boolean.class),
  REQUIRE_JURISDICTIONS("require_jurisdictions", true, "none", JurisdictionList.class),
  DENY_JURISDICTIONS("deny_jurisdictions", true, "none", JurisdictionList.class),
  REPLY_CODE("reply_code", false, "550 for reject, 451 for tempfail", Integer.class),
  ENHANCED_CODE("enhanced_code", false, "5.7.1 for reject, 4.7.1 for tempfail", String.class),
  REPLY_TEXT("reply_text", false, "the reasons", String.class),
  REDIRECT_TO("redirect_to", false, "none", String.class),
  // Added when the rule tags; but text of its shape is removed from every inbound Subject of the recipient whether
  // the rule fires or not, so it is a property of the recipient, not only something the rule does when it fires.
  SUBJECT_PREFIX("subject_prefix", false, "none", SubjectPrefix.class, true),
  // Delivery only: the milter never sees the connection to the next hop; caliop policy export postfix-tls carries it
  // to Postfix. A property of the destination, not something a rule does when it fires.
  VERIFY_DELIVERY_CERTIFICATE("verify_delivery_certificate", false, "none", DeliveryTls.Verification.class, true),
  ENCRYPT_FORMAT("encrypt.format", false, "prefer-pgp", EncryptOptions.Format.class),
  ENCRYPT_ON_MISSING_KEY("encrypt.on_missing_key", false, "hold", Action.class),
  ENCRYPT_ON_FAILURE("encrypt.on_failure", false, "tempfail", Action.class),
  ENCRYPT_SPLIT_PER_RECIPIENT("encrypt.split_per_recipient", false, "false", Boolean.class),
  ENCRYPT_OUTER_SUBJECT("encrypt.outer_subject", false, "none (keep the Subject)", String.class),
  // What the recipient's S/MIME client opens: a fact about him, used whenever a message to him is encrypted (even
  // when another recipient's rule asked for it), not something his rule does when it fires.
  ENCRYPT_SMIME_KEY_TRANSPORT("encrypt.smime_key_transport", false, "rsa-oaep", SmimeAlgorithms.KeyTransport.class,
      true),
  ENCRYPT_SMIME_CONTENT("encrypt.smime_content", false, "aes-cbc", SmimeAlgorithms.ContentCipher.class, true);

  /** Keys of the {@code encrypt:} sub-mapping, without the prefix. */
  static final String ENCRYPT_PREFIX = "encrypt.";

  private final String key;
  private final boolean requirement;
  private final String defaultText;
  private final Class<?> type;
  private final boolean recipientProperty;

  Knob(String key, boolean requirement, String defaultText, Class<?> type) {
    this(key, requirement, defaultText, type, false);
  }

  Knob(String key, boolean requirement, String defaultText, Class<?> type, boolean recipientProperty) {
    this.key = key;
    this.requirement = requirement;
    this.defaultText = defaultText;
    this.type = type;
    this.recipientProperty = recipientProperty;
  }

  /** The name as written in the file ({@code encrypt.format} is {@code format} under {@code encrypt:}). */
  String key() { return key; }

  /** A requirement: when the message fails it, the rule fires. */
  boolean requirement() { return requirement; }

  String defaultText() { return defaultText; }

  /** The type of the value once parsed. */
  Class<?> type() { return type; }

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
