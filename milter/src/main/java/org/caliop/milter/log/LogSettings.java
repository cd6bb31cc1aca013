package org.caliop.milter.log;

import java.util.Locale;
import java.util.Map;
import org.slf4j.event.Level;

/**
 * Levels and format of caliop's logging, shared by every logger. The default level is {@code info}; netty and
 * jmilter say only warnings (their info lines are about their own machinery, not about mail). The system property
 * {@code caliop.log.level} ({@code error}, {@code warn}, {@code info}, {@code debug}, {@code trace}) changes the
 * default, e.g. {@code JAVA_OPTS=-Dcaliop.log.level=debug}.
 */
public final class LogSettings {
  /** The system property naming the default level. */
  public static final String LEVEL_PROPERTY = "caliop.log.level";

  private static final Map<String, Level> QUIET = Map.of("io.netty", Level.WARN, "caliop.jmilter", Level.WARN);

  private final LogFormat format;
  private volatile Level defaultLevel;

  LogSettings(LogFormat format, Level defaultLevel) {
    this.format = format;
    this.defaultLevel = defaultLevel;
  }

  static LogSettings fromSystem() {
    String level = System.getProperty(LEVEL_PROPERTY, "info").trim().toUpperCase(Locale.ROOT);
    Level parsed;
    try {
      parsed = Level.valueOf(level);
    } catch (IllegalArgumentException e) {
      parsed = Level.INFO;
    }
    return new LogSettings(LogFormat.detect(), parsed);
  }

  LogFormat format() {
    return format;
  }

  Level level(String logger) {
    Level base = defaultLevel;
    for (Map.Entry<String, Level> q : QUIET.entrySet()) {
      if (logger.startsWith(q.getKey()) && q.getValue().toInt() > base.toInt()) {
        return q.getValue();
      }
    }
    return base;
  }

  /** Changes the default level (the command line sets {@code warn} for commands that are not the daemon). */
  public void defaultLevel(Level level) {
    this.defaultLevel = level;
  }
}
