package org.sealpost.relay;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.SimpleFormatter;

/**
 * Does, before the relay listens, what the JDK would otherwise do the first time the relay logs:
 * the first log line must not be the one that fails, because a class that fails to initialise fails
 * for good, and every later log call then throws an {@code Error} that kills the thread that logs —
 * an event loop or the acceptor (issue 13, W5 at 10,000 clients, twice).
 *
 * <ul>
 *   <li>The time-zone database, read from a file the first time a timestamp is logged: in a storm
 *       that had used up the file descriptors the JDK could not open {@code tzdb.dat}, and the
 *       acceptor thread died.
 *   <li>The logging classes ({@code LogRecord}, the formatter and the stack-trace printing Netty's
 *       warnings use), initialised the first time anything is logged: in a later storm their first
 *       use came on an event loop in trouble, {@code LogRecord} failed to initialise, and the event
 *       loops and the acceptor died one after the other at their next log call.
 * </ul>
 */
final class FirstUse {
  private FirstUse() {}

  /** Initialises what logging needs. Idempotent and cheap after once. */
  static void preload() {
    ZoneId zone = ZoneId.systemDefault();
    zone.getRules();
    ZonedDateTime.now(zone);
    java.util.TimeZone.getDefault().getRawOffset();
    LogRecord record = new LogRecord(Level.WARNING, "first use {0}");
    record.setParameters(new Object[] {"of logging"});
    record.setThrown(new IllegalStateException("not thrown"));
    record.setLoggerName(FirstUse.class.getName());
    new SimpleFormatter().format(record);
    record.getThrown().printStackTrace(new PrintWriter(new StringWriter()));
  }
}
