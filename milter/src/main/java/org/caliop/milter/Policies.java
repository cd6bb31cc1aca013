package org.caliop.milter;

import org.caliop.milter.config.ConfigException;
import org.caliop.milter.config.Knob;
import org.caliop.milter.config.MilterConfig;
import org.caliop.policy.Policy;

/** Opens the policy the config names. */
final class Policies {
  private Policies() {
  }

  static PolicySource open(MilterConfig config) {
    if (config.policyFile().isEmpty()) {
      return PolicySource.fixed(Policy.builtIn());
    }
    // Wired to PolicyLoader/PolicyHolder once the policy-file branch lands.
    throw new ConfigException(Knob.POLICY_FILE.key() + ": policy files are not supported by this build yet");
  }
}
