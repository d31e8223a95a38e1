/** Sealpost client module. */
package org.sealpost.client;
