package org.sealpost.relay;

import java.time.ZoneId;
import java.time.ZonedDateTime;

/**
 * Reads, before the relay listens, what the JDK would otherwise read from a file the first time it
 * logs a timestamp: the time-zone database. A reconnect storm can use up the process's file
 * descriptors; Netty then logs the failed accept and pauses accepting for a second, which the relay
 * survives — but if that log line was the first one with a date, the JDK could not open {@code
 * tzdb.dat}, its time-zone classes failed to initialise for good, and the error killed the acceptor
 * thread: the relay never accepted a connection again (issue 13, W5 at 10,000 clients).
 */
final class TimeZoneData {
  private TimeZoneData() {}

  /** Loads the time-zone data that logging a timestamp needs. Idempotent and cheap after once. */
  static void preload() {
    ZoneId zone = ZoneId.systemDefault();
    zone.getRules();
    ZonedDateTime.now(zone);
    java.util.TimeZone.getDefault().getRawOffset();
  }
}
