package org.caliop.mime;

import java.util.Objects;

/** The status of one signature check, with why in a few words. */
final class SignatureOutcome {
  private final SignatureStatus status;
  private final String detail;

  private SignatureOutcome(SignatureStatus status, String detail) {
    this.status = Objects.requireNonNull(status);
    this.detail = Objects.requireNonNull(detail);
  }

  static SignatureOutcome verified(String detail) {
    return new SignatureOutcome(SignatureStatus.VERIFIED, detail);
  }

  static SignatureOutcome unverified(String detail) {
    return new SignatureOutcome(SignatureStatus.UNVERIFIED, detail);
  }

  static SignatureOutcome invalid(String detail) {
    return new SignatureOutcome(SignatureStatus.INVALID, detail);
  }

  SignatureStatus status() {
    return status;
  }

  String detail() {
    return detail;
  }

  /** Of several signers, the best: one verified wins, then one proven wrong, then the first unverified. */
  static SignatureOutcome best(java.util.List<SignatureOutcome> outcomes, String ifNone) {
    SignatureOutcome invalid = null;
    SignatureOutcome unverified = null;
    for (SignatureOutcome o : outcomes) {
      if (o.status == SignatureStatus.VERIFIED) {
        return o;
      }
      if (o.status == SignatureStatus.INVALID && invalid == null) {
        invalid = o;
      } else if (o.status == SignatureStatus.UNVERIFIED && unverified == null) {
        unverified = o;
      }
    }
    return invalid != null ? invalid : unverified != null ? unverified : invalid(ifNone);
  }
}
