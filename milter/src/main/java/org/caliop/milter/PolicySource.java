package org.caliop.milter;

import java.util.function.Consumer;
import java.util.function.Supplier;
import org.caliop.policy.Policy;

/** Where the current policy comes from; reload swaps it atomically or keeps the old one. */
interface PolicySource extends Supplier<Policy>, AutoCloseable {
  /** Re-reads the policy; throws and keeps the old one when the new one is not valid. */
  void reload() throws Exception;

  /** Calls {@code listener} with the outcome of every reload (on demand or by the file watch). */
  default void onReload(Consumer<Boolean> listener) {
  }

  @Override
  default void close() {
  }

  static PolicySource fixed(Policy policy) {
    return new PolicySource() {
      @Override
      public Policy get() {
        return policy;
      }

      @Override
      public void reload() {
      }
    };
  }
}
