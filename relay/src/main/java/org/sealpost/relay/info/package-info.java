/**
 * The operator information page (issue 12): one static page at {@code /} on the listener, the same
 * bytes for every visitor, built once at start; no scripts, no cookies, no external resources.
 */
package org.sealpost.relay.info;
