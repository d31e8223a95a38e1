/**
 * What the relay process needs around the server: signal handling and the log and core-dump guards
 * (nothing about users may reach a log or a dump). Private (0600/0700) files are written by proto's
 * {@link org.sealpost.proto.files.PrivateFiles}, which the client shares.
 */
package org.sealpost.relay.process;
