package org.sealpost.benchmarks.peers;

import jakarta.mail.FetchProfile;
import jakarta.mail.Flags;
import jakarta.mail.Folder;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.Session;
import jakarta.mail.Store;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.util.Base64;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.sealpost.benchmarks.load.DeliveryListener;
import org.sealpost.benchmarks.load.PeerDescription;
import org.sealpost.benchmarks.load.PeerDriver;
import org.sealpost.benchmarks.load.PeerSender;
import org.sealpost.benchmarks.load.RecipientSession;

/**
 * Chat over IMAP (the chatmail design) through Jakarta Mail (Angus): a sender is one SMTP
 * connection to Postfix that sends one message per transaction, "accepted" meaning Postfix's 250
 * after DATA; a recipient is one IMAP connection to Dovecot that waits in IDLE, fetches what
 * arrived, then deletes and expunges it. Content travels base64-encoded in a text/plain body.
 */
public final class SmtpImapDriver implements PeerDriver {
  private final PeerDescription description;
  private final Session smtp;
  private final Session imap;
  private final int imapPort;

  public SmtpImapDriver(int smtpPort, int imapPort, PeerDescription description) {
    this.description = description;
    this.imapPort = imapPort;
    Properties s = new Properties();
    s.put("mail.smtp.host", "127.0.0.1");
    s.put("mail.smtp.port", Integer.toString(smtpPort));
    s.put("mail.smtp.localhost", "bench.local");
    s.put("mail.smtp.connectiontimeout", "30000");
    s.put("mail.smtp.timeout", "60000");
    smtp = Session.getInstance(s);
    Properties i = new Properties();
    i.put("mail.imap.connectiontimeout", "30000");
    // no mail.imap.timeout: a session waits in IDLE indefinitely
    imap = Session.getInstance(i);
  }

  @Override
  public PeerDescription description() {
    return description;
  }

  @Override
  public void prepareQueues(int recipients) {
    // the start script created the mailbox users; Dovecot creates each Maildir on first delivery
  }

  @Override
  public PeerSender openSender(int index) throws Exception {
    Transport transport = smtp.getTransport("smtp");
    transport.connect();
    InternetAddress from = new InternetAddress("s" + index + "@bench.local");
    ExecutorService conn = Executors.newSingleThreadExecutor(r -> daemon(r, "smtp-" + index));
    Base64.Encoder b64 = Base64.getMimeEncoder();
    return new PeerSender() {
      @Override
      public CompletableFuture<Void> send(int recipient, byte[] content) {
        return CompletableFuture.runAsync(
            () -> {
              try {
                MimeMessage m = new MimeMessage(smtp);
                m.setFrom(from);
                InternetAddress to = new InternetAddress("u" + recipient + "@bench.local");
                m.setRecipient(Message.RecipientType.TO, to);
                m.setSubject("b");
                m.setText(b64.encodeToString(content), "us-ascii");
                transport.sendMessage(m, new InternetAddress[] {to});
              } catch (MessagingException e) {
                throw new PeerException(PeerException.Code.SEND_FAILED, "SMTP send failed", e);
              }
            },
            conn);
      }

      @Override
      public void close() {
        conn.shutdown();
        try {
          transport.close();
        } catch (MessagingException ignored) {
          // the measurement is over
        }
      }
    };
  }

  @Override
  public RecipientSession openRecipient(int recipient, DeliveryListener listener) throws Exception {
    Store store = imap.getStore("imap");
    store.connect("127.0.0.1", imapPort, "u" + recipient, "pw");
    IMAPFolder inbox = (IMAPFolder) store.getFolder("INBOX");
    inbox.open(Folder.READ_WRITE);
    Thread t =
        daemon(
            () -> {
              try {
                while (store.isConnected()) {
                  if (!drain(inbox, recipient, listener)) {
                    inbox.idle(true);
                  }
                }
              } catch (MessagingException | IOException | RuntimeException closed) {
                // the session was closed under the IDLE, or the server went away
              }
            },
            "imap-" + recipient);
    t.start();
    return () -> {
      try {
        store.close();
      } catch (MessagingException ignored) {
        // the measurement is over
      }
    };
  }

  /** Fetches, delivers, deletes and expunges what is in the INBOX; false if it was empty. */
  private static boolean drain(IMAPFolder inbox, int recipient, DeliveryListener listener)
      throws MessagingException, IOException {
    Message[] msgs = inbox.getMessages();
    if (msgs.length == 0) {
      return false;
    }
    FetchProfile fp = new FetchProfile();
    fp.add(IMAPFolder.FetchProfileItem.MESSAGE);
    inbox.fetch(msgs, fp);
    Base64.Decoder b64 = Base64.getMimeDecoder();
    for (Message m : msgs) {
      Object body = m.getContent();
      listener.onDelivery(recipient, b64.decode(body.toString().trim()));
    }
    inbox.setFlags(msgs, new Flags(Flags.Flag.DELETED), true);
    inbox.expunge();
    return true;
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }

  @Override
  public void close() {}
}
