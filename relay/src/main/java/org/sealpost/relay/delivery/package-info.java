/**
 * Delivery to subscribers: which session holds which queue's subscription (shared by every event
 * loop), and the per-session push loop with its window of unacknowledged pushes.
 */
package org.sealpost.relay.delivery;
