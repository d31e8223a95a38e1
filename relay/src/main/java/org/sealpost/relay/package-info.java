/** Sealpost relay module. */
package org.sealpost.relay;
