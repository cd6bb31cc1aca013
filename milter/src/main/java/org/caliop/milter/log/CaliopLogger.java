package org.caliop.milter.log;

import java.io.PrintStream;
import java.time.OffsetDateTime;
import org.slf4j.Marker;
import org.slf4j.event.Level;
import org.slf4j.helpers.LegacyAbstractLogger;
import org.slf4j.helpers.MessageFormatter;

/** One named logger: its level is looked up in {@link LogSettings} at each call, so a change applies at once. */
final class CaliopLogger extends LegacyAbstractLogger {
  private static final long serialVersionUID = 1L;

  private final transient LogSettings settings;

  CaliopLogger(String name, LogSettings settings) {
    this.name = name;
    this.settings = settings;
  }

  private boolean enabled(Level level) {
    return level.toInt() >= settings.level(name).toInt();
  }

  @Override
  public boolean isTraceEnabled() {
    return enabled(Level.TRACE);
  }

  @Override
  public boolean isDebugEnabled() {
    return enabled(Level.DEBUG);
  }

  @Override
  public boolean isInfoEnabled() {
    return enabled(Level.INFO);
  }

  @Override
  public boolean isWarnEnabled() {
    return enabled(Level.WARN);
  }

  @Override
  public boolean isErrorEnabled() {
    return enabled(Level.ERROR);
  }

  @Override
  protected String getFullyQualifiedCallerName() {
    return null;
  }

  @Override
  protected void handleNormalizedLoggingCall(Level level, Marker marker, String pattern, Object[] arguments,
      Throwable throwable) {
    String message = MessageFormatter.basicArrayFormat(pattern, arguments);
    String line = settings.format().line(level, message == null ? "null" : message, throwable,
        settings.format() == LogFormat.PLAIN ? OffsetDateTime.now() : null);
    PrintStream err = System.err;
    // One println: PrintStream locks for the call, so concurrent lines never interleave.
    err.println(line);
  }
}
