package org.caliop.james;

import java.util.function.Supplier;
import org.caliop.policy.Policy;

/** Where the mailets and hooks get the current policy. */
public final class PolicySource {
  private PolicySource() {
  }

  /** The built-in policy: score and stamp, decide nothing (until a {@code policyFile} is configured). */
  public static Supplier<Policy> builtIn() {
    return Policy::builtIn;
  }
}
