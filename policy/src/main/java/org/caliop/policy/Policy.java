package org.caliop.policy;

import java.util.EnumSet;
import java.util.Set;
import org.caliop.crypto.EncryptionSettings;
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
   * Where gateway encryption finds recipients' keys (the {@code encryption:} section). The engine builds the
   * encryptor from it, once per policy generation; a policy that names none cannot encrypt, and its {@code encrypt}
   * decisions end in the rule's {@code on_failure} action.
   */
  default EncryptionSettings encryption() {
    return EncryptionSettings.none();
  }

  /**
   * Every action a message judged by this policy may end in, including the fallbacks of {@code encrypt}
   * ({@code on_missing_key}, {@code on_failure}); adapters refuse settings that cannot carry them out (a James
   * hold repository in memory). A policy that cannot tell says all of them.
   */
  default Set<Action> actions() {
    return EnumSet.allOf(Action.class);
  }

  /**
   * What anchors a signature: the S/MIME trust store ({@code trust.smime_trust_store}) and the OpenPGP keys of the
   * {@code encryption:} section. By default nothing: every signature is unverified.
   */
  default SignerTrust signerTrust() {
    return SignerTrust.none();
  }

  /** The built-in default: trust loopback only, accept everything, tag nothing beyond our own headers. */
  static Policy builtIn() {
    return BuiltInPolicy.INSTANCE;
  }
}
