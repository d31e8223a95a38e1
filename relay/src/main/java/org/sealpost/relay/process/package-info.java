/**
 * What the relay process needs around the server: signal handling, the log and core-dump guards
 * (nothing about users may reach a log or a dump), and private (0600/0700) files written
 * atomically.
 */
package org.sealpost.relay.process;
