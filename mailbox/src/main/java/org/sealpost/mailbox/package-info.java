/** Sealpost mailbox module. */
package org.sealpost.mailbox;
