package org.caliop.james.smtp;

import java.util.Arrays;
import java.util.Iterator;
import java.util.Set;
import java.util.TreeSet;
import org.apache.commons.configuration2.Configuration;
import org.apache.commons.configuration2.ex.ConfigurationException;

/** Fails fast on parameters a hook does not know, naming them, as the mailets do. */
final class HookParameters {
  private HookParameters() {
  }

  static void check(Configuration config, String hook, String... known) throws ConfigurationException {
    Set<String> allowed = new TreeSet<>(Arrays.asList(known));
    Iterator<String> keys = config.getKeys();
    while (keys.hasNext()) {
      String key = keys.next();
      // The handler element's own attributes (class) are not parameters.
      if (key.startsWith("[@")) {
        continue;
      }
      if (!allowed.contains(key)) {
        throw new ConfigurationException(hook + ": unknown parameter '" + key + "'"
            + (allowed.isEmpty() ? ": it takes none" : ": known are " + String.join(", ", allowed)));
      }
    }
  }
}
