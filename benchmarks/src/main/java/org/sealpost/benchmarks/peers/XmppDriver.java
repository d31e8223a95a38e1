package org.sealpost.benchmarks.peers;

import java.net.InetAddress;
import java.util.Base64;
import java.util.concurrent.CompletableFuture;
import org.jivesoftware.smack.ConnectionConfiguration.SecurityMode;
import org.jivesoftware.smack.filter.StanzaTypeFilter;
import org.jivesoftware.smack.packet.Message;
import org.jivesoftware.smack.sm.predicates.ForEveryMessage;
import org.jivesoftware.smack.tcp.XMPPTCPConnection;
import org.jivesoftware.smack.tcp.XMPPTCPConnectionConfiguration;
import org.jxmpp.jid.EntityBareJid;
import org.jxmpp.jid.impl.JidCreate;
import org.sealpost.benchmarks.load.DeliveryListener;
import org.sealpost.benchmarks.load.PeerDescription;
import org.sealpost.benchmarks.load.PeerDriver;
import org.sealpost.benchmarks.load.PeerSender;
import org.sealpost.benchmarks.load.RecipientSession;

/**
 * XMPP through Smack: senders {@code s<i>} and recipients {@code r<i>} at {@code bench.local}, one
 * c2s connection each, no TLS. Senders use stream management (XEP-0198) and request an ack for
 * every message: "accepted" is the server's {@code <a/>} covering the message, i.e. the server has
 * taken it (routed to an online resource, or written to offline storage). A recipient sends initial
 * presence, which makes the server deliver what it stored offline; XMPP removes a message from
 * offline storage when it delivers it, so there is no separate ack.
 */
public final class XmppDriver implements PeerDriver {
  private static final String DOMAIN = "bench.local";
  private final PeerDescription description;
  private final int port;

  public XmppDriver(int port, PeerDescription description) {
    this.port = port;
    this.description = description;
  }

  @Override
  public PeerDescription description() {
    return description;
  }

  @Override
  public void prepareQueues(int recipients) {
    // accounts are registered by the start script; offline storage needs nothing more
  }

  private XMPPTCPConnection connect(String user, boolean presence) throws Exception {
    XMPPTCPConnectionConfiguration config =
        XMPPTCPConnectionConfiguration.builder()
            .setUsernameAndPassword(user, "pw")
            .setXmppDomain(DOMAIN)
            .setHostAddress(InetAddress.getLoopbackAddress())
            .setPort(port)
            .setSecurityMode(SecurityMode.disabled)
            .setResource("bench")
            .setSendPresence(presence)
            .setConnectTimeout(30_000)
            .build();
    return new XMPPTCPConnection(config);
  }

  @Override
  public PeerSender openSender(int index) throws Exception {
    XMPPTCPConnection c = connect("s" + index, false);
    c.setUseStreamManagement(true);
    c.setUseStreamManagementResumption(false);
    c.addRequestAckPredicate(ForEveryMessage.INSTANCE);
    c.connect().login();
    if (!c.isSmEnabled()) {
      c.disconnect();
      throw new PeerException(
          PeerException.Code.CONNECT_FAILED,
          "server did not enable stream management (mod_smacks)");
    }
    Base64.Encoder b64 = Base64.getEncoder();
    EntityBareJid[] jids = new EntityBareJid[0];
    return new PeerSender() {
      private EntityBareJid[] cache = jids;

      @Override
      public synchronized CompletableFuture<Void> send(int recipient, byte[] content) {
        CompletableFuture<Void> accepted = new CompletableFuture<>();
        try {
          Message m =
              c.getStanzaFactory()
                  .buildMessageStanza()
                  .to(jid(recipient))
                  .ofType(Message.Type.chat)
                  .setBody(b64.encodeToString(content))
                  .build();
          c.addStanzaIdAcknowledgedListener(m.getStanzaId(), s -> accepted.complete(null));
          c.sendStanza(m);
        } catch (Exception e) {
          accepted.completeExceptionally(
              new PeerException(PeerException.Code.SEND_FAILED, "XMPP send failed", e));
        }
        return accepted;
      }

      private EntityBareJid jid(int recipient) throws Exception {
        if (recipient >= cache.length) {
          EntityBareJid[] bigger = new EntityBareJid[Math.max(recipient + 1, cache.length * 2)];
          System.arraycopy(cache, 0, bigger, 0, cache.length);
          cache = bigger;
        }
        if (cache[recipient] == null) {
          cache[recipient] = JidCreate.entityBareFrom("r" + recipient + "@" + DOMAIN);
        }
        return cache[recipient];
      }

      @Override
      public void close() {
        c.disconnect();
      }
    };
  }

  @Override
  public RecipientSession openRecipient(int recipient, DeliveryListener listener) throws Exception {
    XMPPTCPConnection c = connect("r" + recipient, true);
    Base64.Decoder b64 = Base64.getDecoder();
    // registered before login: stored messages arrive right after the initial presence
    c.addSyncStanzaListener(
        stanza -> {
          String body = ((Message) stanza).getBody();
          if (body != null) {
            listener.onDelivery(recipient, b64.decode(body));
          }
        },
        StanzaTypeFilter.MESSAGE);
    c.connect().login();
    return c::disconnect;
  }

  @Override
  public void close() {}
}
