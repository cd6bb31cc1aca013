package org.caliop.james;

import java.util.Optional;
import java.util.function.Supplier;
import org.caliop.policy.Policy;

/** Where the mailets and hooks get the current policy. */
public final class PolicySource {
  private PolicySource() {
  }

  /** The built-in policy: score and stamp, decide nothing. */
  public static Supplier<Policy> builtIn() {
    return Policy::builtIn;
  }

  /**
   * The policy named by a {@code policyClass} init parameter, else the built-in one. The class implements
   * {@link Policy} and has a public no-argument constructor; it is loaded by the loader of the caliop jar, so it may
   * sit in James's {@code extensions-jars} next to it.
   *
   * @throws IllegalArgumentException naming the class when it cannot be loaded or is not a policy
   */
  public static Supplier<Policy> of(Optional<String> policyClass) {
    if (policyClass.isEmpty()) {
      return builtIn();
    }
    String name = policyClass.get();
    try {
      Class<?> type = Class.forName(name, true, PolicySource.class.getClassLoader());
      if (!Policy.class.isAssignableFrom(type)) {
        throw new IllegalArgumentException(name + " does not implement " + Policy.class.getName());
      }
      Policy policy = (Policy) type.getConstructor().newInstance();
      return () -> policy;
    } catch (ReflectiveOperationException | LinkageError e) {
      throw new IllegalArgumentException("cannot load policy class " + name + ": " + e, e);
    }
  }
}
