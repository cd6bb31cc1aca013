package org.caliop.james;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.caliop.policy.Policy;
import org.caliop.policy.PolicyException;
import org.caliop.policy.PolicyHolder;

/**
 * Where the mailets and hooks get the current policy: a policy file (shared by every mailet and hook that names
 * the same file, reloaded when it changes), a policy class (one instance shared by every mailet and hook that names
 * it), or the built-in policy.
 */
public final class PolicySource {
  /** How often a policy file is checked for changes; a broken new version is logged and the old one kept. */
  public static final Duration RELOAD_INTERVAL = Duration.ofSeconds(10);

  private static final Map<Path, PolicyHolder> HOLDERS = new ConcurrentHashMap<>();
  /** One instance per policy class, as one holder per file: the hook and the mailets judge with the same policy. */
  private static final Map<Class<?>, Policy> INSTANCES = new ConcurrentHashMap<>();

  private PolicySource() {
  }

  /** The built-in policy: score and stamp, decide nothing. */
  public static Supplier<Policy> builtIn() {
    return Policy::builtIn;
  }

  /**
   * The policy named by the {@code policyFile} or {@code policyClass} init parameter (at most one), else the
   * built-in one.
   *
   * @throws IllegalArgumentException saying what is wrong: both given, the file's first problems with their line,
   *     or a class that cannot be loaded or is not a policy
   */
  public static Supplier<Policy> of(Optional<String> policyFile, Optional<String> policyClass) {
    if (policyFile.isPresent() && policyClass.isPresent()) {
      throw new IllegalArgumentException("give policyFile or policyClass, not both");
    }
    if (policyFile.isPresent()) {
      return file(Path.of(policyFile.get()));
    }
    return of(policyClass);
  }

  /** A policy file, loaded once per JVM and path, then watched. */
  public static Supplier<Policy> file(Path file) {
    Path key = file.toAbsolutePath().normalize();
    PolicyHolder holder = HOLDERS.get(key);
    if (holder == null) {
      synchronized (HOLDERS) {
        holder = HOLDERS.get(key);
        if (holder == null) {
          try {
            holder = PolicyHolder.load(key);
          } catch (PolicyException e) {
            throw new IllegalArgumentException(e.errors().stream().limit(5).map(Object::toString)
                .collect(Collectors.joining("; ")), e);
          }
          holder.watch(RELOAD_INTERVAL);
          HOLDERS.put(key, holder);
        }
      }
    }
    return holder;
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
      Policy policy = INSTANCES.get(type);
      if (policy == null) {
        Policy made = (Policy) type.getConstructor().newInstance();
        policy = INSTANCES.putIfAbsent(type, made);
        policy = policy == null ? made : policy;
      }
      Policy shared = policy;
      return () -> shared;
    } catch (ReflectiveOperationException | LinkageError e) {
      throw new IllegalArgumentException("cannot load policy class " + name + ": " + e, e);
    }
  }
}
