package org.caliop.milter;

import java.time.Duration;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import org.caliop.milter.config.ConfigException;
import org.caliop.milter.config.Knob;
import org.caliop.milter.config.MilterConfig;
import org.caliop.policy.Policy;
import org.caliop.policy.PolicyException;
import org.caliop.policy.PolicyHolder;

/** Opens the policy the config names: the built-in one, or a file held by a {@link PolicyHolder}. */
final class Policies {
  /** How often the file is polled for changes (caliop_policy_watch). */
  static final Duration WATCH_INTERVAL = Duration.ofSeconds(2);

  private Policies() {
  }

  /** @throws ConfigException when the file does not load (every problem, one per line) */
  static PolicySource open(MilterConfig config) {
    if (config.policyFile().isEmpty()) {
      return PolicySource.fixed(Policy.builtIn());
    }
    PolicyHolder holder;
    try {
      holder = PolicyHolder.load(config.policyFile().get());
    } catch (PolicyException e) {
      throw new ConfigException(Knob.POLICY_FILE.key() + ": " + e.getMessage());
    }
    if (config.policyWatch()) {
      holder.watch(WATCH_INTERVAL);
    }
    return new PolicySource() {
      @Override
      public Policy get() {
        return holder.get();
      }

      @Override
      public void reload() throws PolicyException {
        PolicyHolder.ReloadResult r = holder.reload();
        if (!r.reloaded()) {
          throw new PolicyException(r.problems());
        }
      }

      @Override
      public void onReload(Consumer<Boolean> listener) {
        holder.onReload(r -> listener.accept(r.reloaded()));
      }

      @Override
      public void close() {
        holder.close();
      }
    };
  }

  static String describe(PolicyException e) {
    return e.problems().stream().map(Object::toString).collect(Collectors.joining("; "));
  }
}
