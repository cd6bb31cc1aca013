package org.caliop.james;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import javax.mail.MessagingException;

/** Parses init parameters once, failing fast with a message that names the parameter and says what it accepts. */
public final class InitParameters {
  private final String owner;
  private final Function<String, String> lookup;

  private InitParameters(String owner, Function<String, String> lookup) {
    this.owner = owner;
    this.lookup = lookup;
  }

  public static InitParameters of(String owner, Function<String, String> lookup) {
    return new InitParameters(owner, lookup);
  }

  public Optional<String> string(String name) {
    String value = lookup.apply(name);
    return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.trim());
  }

  public boolean bool(String name, boolean defaultValue) throws MessagingException {
    Optional<String> value = string(name);
    if (value.isEmpty()) {
      return defaultValue;
    }
    if (value.get().equalsIgnoreCase("true") || value.get().equalsIgnoreCase("yes")) {
      return true;
    }
    if (value.get().equalsIgnoreCase("false") || value.get().equalsIgnoreCase("no")) {
      return false;
    }
    throw invalid(name, value.get(), "true or false");
  }

  public int integer(String name, int defaultValue, int min, int max) throws MessagingException {
    Optional<String> value = string(name);
    if (value.isEmpty()) {
      return defaultValue;
    }
    try {
      int n = Integer.parseInt(value.get());
      if (n >= min && n <= max) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below with the accepted range
    }
    throw invalid(name, value.get(), "an integer from " + min + " to " + max);
  }

  /** A comma-separated list, blanks dropped. */
  public List<String> list(String name) {
    Optional<String> value = string(name);
    if (value.isEmpty()) {
      return Collections.emptyList();
    }
    List<String> out = new ArrayList<>();
    for (String item : value.get().split(",")) {
      if (!item.isBlank()) {
        out.add(item.trim());
      }
    }
    return out;
  }

  public MessagingException invalid(String name, String value, String expected) {
    return new MessagingException(owner + ": invalid " + name + " '" + value + "': expected " + expected);
  }
}
