/** Proof of work for CreateQueue (docs/protocol.md §4.3). */
package org.sealpost.proto.pow;
