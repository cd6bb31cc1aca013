package org.caliop.policy;

import java.util.Optional;
import org.caliop.crypto.GatewayEncryptor;
import org.caliop.facts.MessageFacts;
import org.caliop.facts.TrustSettings;
import org.caliop.message.ScanLimits;
import org.caliop.mime.SignerTrust;
import org.caliop.score.Score;

/**
 * A compiled policy: immutable and shared by all threads. A reload builds a new one and swaps the reference, so no
 * message is ever decided by a half-loaded policy.
 */
public interface Policy {
  /** Where it came from: a file path, or {@code built-in}. */
  String source();

  /** Whom the engine believes; by default loopback only and nothing else (see {@link TrustSettings#defaults()}). */
  default TrustSettings trust() {
    return TrustSettings.defaults();
  }

  /** Bounds on one message's scan; by default {@link ScanLimits#defaults()}. */
  default ScanLimits limits() {
    return ScanLimits.defaults();
  }

  Decision decide(MessageFacts facts, Score score);

  /**
   * What anchors a signature: the S/MIME trust store ({@code trust.smime_trust_store}) and the OpenPGP keys of the
   * {@code encryption:} section. By default nothing: every signature is unverified.
   */
  default SignerTrust signerTrust() {
    return SignerTrust.none();
  }

  /** The gateway encryptor for {@code encrypt} decisions, with the key sources this policy names. */
  default Optional<GatewayEncryptor> encryptor() {
    return Optional.empty();
  }

  /** The built-in default: trust loopback only, accept everything, tag nothing beyond our own headers. */
  static Policy builtIn() {
    return BuiltInPolicy.INSTANCE;
  }
}
