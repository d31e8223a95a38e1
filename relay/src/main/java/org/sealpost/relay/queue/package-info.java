/**
 * The command path, "execute this command for this queue" (DESIGN §7): {@link
 * org.sealpost.relay.queue.QueueService} and its single-node implementation over the mailbox store.
 * No Vert.x types: a cluster adds an implementation that forwards commands to the owning node.
 */
package org.sealpost.relay.queue;
