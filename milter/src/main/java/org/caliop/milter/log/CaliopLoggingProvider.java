package org.caliop.milter.log;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.ILoggerFactory;
import org.slf4j.IMarkerFactory;
import org.slf4j.Logger;
import org.slf4j.helpers.BasicMarkerFactory;
import org.slf4j.helpers.NOPMDCAdapter;
import org.slf4j.spi.MDCAdapter;
import org.slf4j.spi.SLF4JServiceProvider;

/**
 * caliop's SLF4J backend (found through {@code META-INF/services}): one line per event on standard error, with
 * journald priorities under systemd ({@link LogFormat}). Our own because the choice between the two formats depends
 * on {@code JOURNAL_STREAM} and the stream behind fd 2, which no logging library's configuration can express, and
 * because it is all the daemon needs: no files, no rotation, no appenders (journald and syslog do that).
 */
public final class CaliopLoggingProvider implements SLF4JServiceProvider {
  private static volatile LogSettings settings;

  private ILoggerFactory factory;
  private IMarkerFactory markers;
  private MDCAdapter mdc;

  /** The settings in force, e.g. to lower the default level for a command-line tool. */
  public static LogSettings settings() {
    LogSettings s = settings;
    if (s == null) {
      synchronized (CaliopLoggingProvider.class) {
        if (settings == null) {
          settings = LogSettings.fromSystem();
        }
        s = settings;
      }
    }
    return s;
  }

  @Override
  public ILoggerFactory getLoggerFactory() {
    return factory;
  }

  @Override
  public IMarkerFactory getMarkerFactory() {
    return markers;
  }

  @Override
  public MDCAdapter getMDCAdapter() {
    return mdc;
  }

  @Override
  public String getRequestedApiVersion() {
    return "2.0.99";
  }

  @Override
  public void initialize() {
    LogSettings s = settings();
    Map<String, Logger> loggers = new ConcurrentHashMap<>();
    factory = name -> loggers.computeIfAbsent(name, n -> new CaliopLogger(n, s));
    markers = new BasicMarkerFactory();
    mdc = new NOPMDCAdapter();
  }
}
