package org.sealpost.relay.protocol;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnsafeByteOperations;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import org.sealpost.mailbox.MailboxStore;
import org.sealpost.mailbox.MessageId;
import org.sealpost.mailbox.QueueId;
import org.sealpost.mailbox.StoredEnvelope;
import org.sealpost.proto.codec.BlockCodec;
import org.sealpost.proto.codec.BlockException;
import org.sealpost.proto.crypto.noise.NoiseException;
import org.sealpost.proto.crypto.noise.NoiseResponder;
import org.sealpost.proto.crypto.noise.NoiseSuite;
import org.sealpost.proto.crypto.noise.NoiseTransport;
import org.sealpost.proto.v1.Ack;
import org.sealpost.proto.v1.ClientHello;
import org.sealpost.proto.v1.CreateQueue;
import org.sealpost.proto.v1.End;
import org.sealpost.proto.v1.ErrorCode;
import org.sealpost.proto.v1.Frame;
import org.sealpost.proto.v1.Message;
import org.sealpost.proto.v1.Ok;
import org.sealpost.proto.v1.Pong;
import org.sealpost.proto.v1.QueueCreated;
import org.sealpost.proto.v1.QuotaReached;
import org.sealpost.proto.v1.RecipientCommand;
import org.sealpost.proto.v1.RecipientOp;
import org.sealpost.proto.v1.Send;
import org.sealpost.relay.delivery.Subscriber;
import org.sealpost.relay.delivery.SubscriptionRegistry;
import org.sealpost.relay.protocol.ProtocolMetrics.PushKind;
import org.sealpost.relay.queue.AuthorizedQueue;
import org.sealpost.relay.queue.CreatedQueue;
import org.sealpost.relay.queue.QueueService;
import org.sealpost.relay.transport.CloseReason;
import org.sealpost.relay.transport.Session;
import org.sealpost.relay.transport.SessionHandler;

/**
 * Protocol v1 on one connection: the Noise NK handshake, then every command except Forward.
 *
 * <p>State machine: {@code AWAIT_HANDSHAKE → TRANSPORT → CLOSED}. A handshake message that does not
 * decrypt or carry exactly one ClientHello closes the connection; no common version gets handshake
 * message 2 with Error{VERSION}, then the connection closes. In transport, a block that does not
 * decrypt or decode closes the connection (a BLOCK error cannot be answered reliably); a bad frame
 * gets Error{SYNTAX|SIZE} for its corr_id and the session goes on.
 *
 * <p>Threading (DESIGN §7a): everything runs on the connection's context. Command results arrive
 * from the store's threads and are brought back to the context ({@link
 * Future#fromCompletionStage(CompletionStage, io.vertx.core.Context)}) before any state is touched
 * or anything is encrypted; replies and pushes go through the {@link Outbox}, which batches them
 * into blocks.
 */
public final class ProtocolSessionHandler implements SessionHandler, Subscriber<QueueId> {
  private enum State {
    AWAIT_HANDSHAKE,
    TRANSPORT,
    CLOSED
  }

  /** The only protocol version this relay speaks. */
  public static final int VERSION = 1;

  private final Session session;
  private final ProtocolSessionHandlerFactory shared;
  private final ProtocolSettings settings;
  private final QueueService queues;
  private final SubscriptionRegistry<QueueId> registry;
  private final ProtocolMetrics metrics;
  private final TokenBucket createBucket;
  // sized for the common idle session (one subscribed queue, nothing waiting); they grow on demand
  private final Map<ByteString, QueueBinding> byRecipient = new HashMap<>(2);
  private final Map<QueueId, QueueBinding> byQueue = new HashMap<>(2);
  // reads that produce envelope blocks (pushes, Get replies), waiting for output room
  private final ArrayDeque<Runnable> waiting = new ArrayDeque<>(1);

  private State state = State.AWAIT_HANDSHAKE;
  private NoiseResponder responder;
  private NoiseTransport transport;
  private byte[] handshakeHash;
  private Outbox outbox;
  private int outstanding;
  private boolean awaitingWritable;
  // envelope blocks this session may have in preparation (read from the store, not yet written)
  private int credit;

  ProtocolSessionHandler(Session session, ProtocolSessionHandlerFactory shared) {
    this.session = session;
    this.shared = shared;
    this.settings = shared.settings();
    this.queues = shared.queues();
    this.registry = shared.hub().registry();
    this.metrics = shared.metrics();
    this.createBucket =
        new TokenBucket(settings.createBurst(), settings.createPerSecond(), shared.nanoClock());
    this.credit = settings.envelopeCredit();
    this.responder =
        new NoiseResponder(
            shared.relayKey(), settings.blockSize(), NoiseSuite.PRODUCTION, shared.random());
  }

  // ---- inbound ----

  @Override
  public void onBlock(Buffer block) {
    switch (state) {
      case AWAIT_HANDSHAKE -> handshake(block.getBytes());
      case TRANSPORT -> transportBlock(block.getBytes());
      case CLOSED -> {
        // the connection is closing; late blocks are ignored
      }
    }
  }

  private void handshake(byte[] message) {
    List<Frame> frames;
    try {
      frames = shared.handshakeCodec().decode(responder.readHandshake1(message));
    } catch (NoiseException | BlockException e) {
      end(CloseReason.HANDSHAKE_FAILED);
      return;
    }
    if (frames.size() != 1 || !frames.get(0).hasClientHello()) {
      end(CloseReason.HANDSHAKE_FAILED);
      return;
    }
    ClientHello hello = frames.get(0).getClientHello();
    boolean supported = hello.getVersionsList().contains(VERSION);
    Frame reply =
        supported
            ? Frame.newBuilder().setRelayHello(shared.relayHello()).build()
            : errorFrame(0, ErrorCode.ERROR_CODE_VERSION);
    byte[] message2;
    try {
      message2 = responder.writeHandshake2(shared.handshakeCodec().encode(reply));
    } catch (BlockException e) {
      throw new IllegalStateException("handshake reply does not fit a block", e);
    }
    session.send(Buffer.buffer(message2));
    if (!supported) {
      end(CloseReason.HANDSHAKE_FAILED);
      return;
    }
    transport = responder.transport();
    handshakeHash = transport.handshakeHash();
    // transport() zeroed the handshake secrets and the transport owns the keys now; dropping the
    // responder frees the handshake state (cipher, hash, key pairs) for the connection's life
    responder = null;
    outbox =
        new Outbox(
            session, transport, shared.transportCodec(), metrics, settings.maxBlocksPerSession());
    state = State.TRANSPORT;
    session.handshakeCompleted();
  }

  private void transportBlock(byte[] block) {
    if (transport.blocksReceived() >= settings.maxBlocksPerSession()) {
      end(CloseReason.SESSION_ENDED);
      return;
    }
    List<Frame> frames;
    byte[] plaintext;
    try {
      plaintext = transport.decrypt(block);
      frames = shared.transportCodec().decode(plaintext);
    } catch (NoiseException | BlockException e) {
      end(CloseReason.SESSION_ENDED);
      return;
    }
    metrics.payloadIn(((plaintext[1] & 0xFF) << 8) | (plaintext[2] & 0xFF));
    for (Frame frame : frames) {
      if (state != State.TRANSPORT) {
        return;
      }
      dispatch(frame);
    }
  }

  private void dispatch(Frame frame) {
    int corr = frame.getCorrId();
    switch (frame.getBodyCase()) {
      case CREATE_QUEUE -> createQueue(corr, frame.getCreateQueue());
      case RECIPIENT_COMMAND -> recipientCommand(corr, frame.getRecipientCommand());
      case SEND -> send(corr, frame.getSend());
      case ACK -> ack(corr, frame.getAck());
      case PING -> {
        if (corr == 0) {
          error(CommandType.PING, 0, ErrorCode.ERROR_CODE_SYNTAX);
        } else {
          reply(CommandType.PING, corr, Frame.newBuilder().setPong(Pong.getDefaultInstance()));
        }
      }
      case COVER -> metrics.succeeded(CommandType.COVER);
      case PONG -> {
        // the relay sends no Ping; an unsolicited Pong is dropped like cover
      }
      case FORWARD -> error(CommandType.FORWARD, corr, ErrorCode.ERROR_CODE_FORWARD);
      default -> error(CommandType.INVALID, corr, ErrorCode.ERROR_CODE_SYNTAX);
    }
  }

  // ---- commands ----

  private void createQueue(int corr, CreateQueue command) {
    CommandType type = CommandType.CREATE_QUEUE;
    if (corr == 0) {
      error(type, 0, ErrorCode.ERROR_CODE_SYNTAX);
      return;
    }
    ByteString token = command.getCreationToken();
    if (command.getRecipientDhPublic().size() != 32
        || (command.hasCreationToken() && (token.isEmpty() || token.size() > 64))) {
      error(type, corr, ErrorCode.ERROR_CODE_SIZE);
      return;
    }
    if (settings.createToken().isPresent()
        && !(command.hasCreationToken()
            && settings.createToken().get().matches(token.toByteArray()))) {
      error(type, corr, ErrorCode.ERROR_CODE_PROHIBITED);
      return;
    }
    if (!createBucket.tryTake()) {
      error(type, corr, ErrorCode.ERROR_CODE_RATE);
      return;
    }
    if (!admit(type, corr)) {
      return;
    }
    byte[] recipientKey = command.getRecipientDhPublic().toByteArray();
    onContext(() -> queues.create(recipientKey))
        .onComplete(
            ar -> {
              if (state != State.TRANSPORT) {
                return;
              }
              if (ar.succeeded()) {
                CreatedQueue created = ar.result();
                reply(
                    type,
                    corr,
                    Frame.newBuilder()
                        .setQueueCreated(
                            QueueCreated.newBuilder()
                                .setRecipientId(ByteString.copyFrom(created.recipientId()))
                                .setSenderId(ByteString.copyFrom(created.senderId()))
                                .setRelayDhPublic(ByteString.copyFrom(created.relayDhPublic()))));
              } else {
                error(type, corr, ErrorMapper.toErrorCode(ar.cause()));
              }
              finish();
            });
  }

  private void recipientCommand(int corr, RecipientCommand command) {
    CommandType type = CommandType.RECIPIENT_COMMAND;
    if (corr == 0) {
      error(type, 0, ErrorCode.ERROR_CODE_SYNTAX);
      return;
    }
    if (command.getRecipientId().size() != 32 || command.getMac().size() != 32) {
      error(type, corr, ErrorCode.ERROR_CODE_SIZE);
      return;
    }
    if (!admit(type, corr)) {
      return;
    }
    byte[] recipientId = command.getRecipientId().toByteArray();
    byte[] commandBytes = command.getCommand().toByteArray();
    byte[] mac = command.getMac().toByteArray();
    onContext(() -> queues.authorize(recipientId, handshakeHash, commandBytes, mac))
        .onComplete(
            ar -> {
              if (state != State.TRANSPORT) {
                return;
              }
              if (ar.failed()) {
                refuse(type, corr, ErrorMapper.toErrorCode(ar.cause()));
                return;
              }
              RecipientOp op;
              try {
                // only now: the MAC covered exactly these bytes
                op = BlockCodec.parseRecipientOp(command.getCommand());
              } catch (BlockException e) {
                refuse(type, corr, e.error().errorCode());
                return;
              }
              AuthorizedQueue queue = ar.result();
              switch (op.getOpCase()) {
                case SECURE_QUEUE -> secure(corr, queue, op.getSecureQueue().getSendToken());
                case SUBSCRIBE -> subscribe(corr, queue);
                case GET -> get(corr, queue);
                case DELETE_QUEUE -> delete(corr, queue);
                default -> {
                  refuse(type, corr, ErrorCode.ERROR_CODE_SYNTAX);
                }
              }
            });
  }

  private void secure(int corr, AuthorizedQueue queue, ByteString token) {
    CommandType type = CommandType.SECURE_QUEUE;
    if (token.size() != 16) {
      refuse(type, corr, ErrorCode.ERROR_CODE_SIZE);
      return;
    }
    byte[] sendToken = token.toByteArray();
    onContext(() -> queues.secure(queue.queueId(), sendToken))
        .onComplete(ar -> answer(type, corr, ar.failed() ? ar.cause() : null));
  }

  private void subscribe(int corr, AuthorizedQueue queue) {
    CommandType type = CommandType.SUBSCRIBE;
    QueueBinding binding = bindOrRefuse(type, corr, queue);
    if (binding == null) {
      return;
    }
    binding.subscribed = true;
    binding.fullnessUnknown = true;
    registry.subscribe(binding.queueId, this);
    ok(type, corr);
    finish();
    pump(binding);
  }

  /**
   * A recipient who subscribes to a full queue learns in-band that senders are being refused
   * (protocol §4.4): a refused Send while nobody was subscribed left no other trace. Asked only
   * when the subscription's first read hints the queue may be full, so resubscribing thousands of
   * mostly empty queues costs no extra store reads.
   */
  private void tellIfFull(QueueBinding binding) {
    onContext(() -> queues.isFull(binding.queueId))
        .onComplete(
            ar -> {
              if (state != State.TRANSPORT
                  || !binding.subscribed
                  || ar.failed()
                  || !ar.result()
                  || binding.quotaNotified) {
                return; // a failure here changes nothing: the next refused Send tells it
              }
              binding.quotaNotified = true;
              metrics.pushed(PushKind.QUOTA_REACHED);
              outbox.add(
                  Frame.newBuilder()
                      .setQuotaReached(
                          QuotaReached.newBuilder().setRecipientId(binding.recipientId))
                      .build());
            });
  }

  private void get(int corr, AuthorizedQueue queue) {
    CommandType type = CommandType.GET;
    QueueBinding binding = bindOrRefuse(type, corr, queue);
    if (binding == null) {
      return;
    }
    binding.fetched = true;
    whenOutputRoom(() -> readForGet(type, corr, binding));
  }

  /** Get answers with the oldest pending envelope; it stays there until it is acknowledged. */
  private void readForGet(CommandType type, int corr, QueueBinding binding) {
    credit--;
    onContext(() -> queues.readPending(binding.queueId, MailboxStore.START, 1))
        .onComplete(
            ar -> {
              credit++;
              if (state != State.TRANSPORT) {
                return;
              }
              if (ar.failed()) {
                error(type, corr, ErrorMapper.toErrorCode(ar.cause()));
              } else if (ar.result().isEmpty()) {
                ok(type, corr);
              } else {
                Frame message = messageFrame(binding, ar.result().get(0), corr);
                if (message == null) {
                  error(type, corr, ErrorCode.ERROR_CODE_STORE);
                } else {
                  metrics.succeeded(type);
                  outbox.add(message);
                }
              }
              finish();
              resumeWaiting();
            });
  }

  private void delete(int corr, AuthorizedQueue queue) {
    CommandType type = CommandType.DELETE_QUEUE;
    QueueId queueId = queue.queueId();
    onContext(() -> queues.delete(queueId))
        .onComplete(
            ar -> {
              if (state != State.TRANSPORT) {
                return;
              }
              if (ar.succeeded()) {
                QueueBinding binding = byQueue.remove(queueId);
                if (binding != null) {
                  byRecipient.remove(binding.recipientId);
                  binding.subscribed = false;
                  binding.destroy();
                }
                // Taking the queue over and releasing it sends End to a subscriber elsewhere.
                registry.subscribe(queueId, this);
                registry.unsubscribe(queueId, this);
              }
              answer(type, corr, ar.failed() ? ar.cause() : null);
            });
  }

  private void send(int corr, Send command) {
    CommandType type = CommandType.SEND;
    if (corr == 0) {
      error(type, 0, ErrorCode.ERROR_CODE_SYNTAX);
      return;
    }
    if (command.getSenderId().size() != 32
        || command.getEnvelope().size() != settings.envelopeSize()
        || (command.hasSendToken() && command.getSendToken().size() != 16)) {
      error(type, corr, ErrorCode.ERROR_CODE_SIZE);
      return;
    }
    if (!admit(type, corr)) {
      return;
    }
    byte[] senderId = command.getSenderId().toByteArray();
    byte[] envelope = command.getEnvelope().toByteArray();
    byte[] token = command.hasSendToken() ? command.getSendToken().toByteArray() : null;
    // Ok only once the store reports the envelope durable.
    onContext(() -> queues.send(senderId, envelope, token))
        .onComplete(ar -> answer(type, corr, ar.failed() ? ar.cause() : null));
  }

  private void ack(int corr, Ack command) {
    CommandType type = CommandType.ACK;
    if (corr == 0) {
      error(type, 0, ErrorCode.ERROR_CODE_SYNTAX);
      return;
    }
    if (command.getRecipientId().size() != 32
        || command.getMessageId().size() != MessageId.LENGTH) {
      error(type, corr, ErrorCode.ERROR_CODE_SIZE);
      return;
    }
    // No MAC: only queues this session subscribed to, or read with Get, may be acknowledged.
    QueueBinding binding = byRecipient.get(command.getRecipientId());
    if (binding == null || !(binding.subscribed || binding.fetched)) {
      error(type, corr, ErrorCode.ERROR_CODE_AUTH);
      return;
    }
    if (!admit(type, corr)) {
      return;
    }
    MessageId messageId = MessageId.of(command.getMessageId().toByteArray());
    onContext(() -> queues.ack(binding.queueId, messageId))
        .onComplete(
            ar -> {
              if (state != State.TRANSPORT) {
                return;
              }
              if (ar.succeeded()) {
                binding.inFlight.remove(messageId);
                binding.quotaNotified = false;
              }
              answer(type, corr, ar.failed() ? ar.cause() : null);
              pump(binding);
            });
  }

  // ---- subscriptions and pushes ----

  /** {@link #bind}, answering Error{PROHIBITED} at the per-session limit. */
  private QueueBinding bindOrRefuse(CommandType type, int corr, AuthorizedQueue queue) {
    QueueBinding binding = bind(queue);
    if (binding == null) {
      refuse(type, corr, ErrorCode.ERROR_CODE_PROHIBITED);
    }
    return binding;
  }

  /** The session's binding of an authorized queue, or null at the per-session limit. */
  private QueueBinding bind(AuthorizedQueue queue) {
    QueueBinding binding = byQueue.get(queue.queueId());
    if (binding != null) {
      return binding;
    }
    if (byQueue.size() >= settings.maxQueuesPerSession()) {
      return null;
    }
    binding = new QueueBinding(queue.queueId(), queue.recipientId(), queue.deliveryKey());
    byQueue.put(binding.queueId, binding);
    byRecipient.put(binding.recipientId, binding);
    return binding;
  }

  @Override
  public io.vertx.core.Context context() {
    return session.context();
  }

  @Override
  public void onPending(QueueId queue) {
    boolean quota = shared.hub().takeQuotaSignal(queue);
    if (state != State.TRANSPORT) {
      return;
    }
    QueueBinding binding = byQueue.get(queue);
    if (binding == null || !binding.subscribed) {
      return;
    }
    if (quota && !binding.quotaNotified) {
      binding.quotaNotified = true;
      metrics.pushed(PushKind.QUOTA_REACHED);
      outbox.add(
          Frame.newBuilder()
              .setQuotaReached(QuotaReached.newBuilder().setRecipientId(binding.recipientId))
              .build());
    }
    if (binding.reading) {
      binding.dirty = true;
    } else {
      pump(binding);
    }
  }

  @Override
  public void onEvicted(QueueId queue) {
    if (state != State.TRANSPORT) {
      return;
    }
    QueueBinding binding = byQueue.get(queue);
    if (binding == null || !binding.subscribed || registry.isSubscribed(queue, this)) {
      return; // not ours any more, or subscribed again since
    }
    binding.subscribed = false;
    binding.resetDelivery();
    metrics.pushed(PushKind.END);
    outbox.add(
        Frame.newBuilder().setEnd(End.newBuilder().setRecipientId(binding.recipientId)).build());
    if (!binding.fetched) {
      byQueue.remove(queue);
      byRecipient.remove(binding.recipientId);
      binding.destroy();
    }
  }

  /**
   * Reads and pushes pending envelopes while the window has room and the connection can take
   * output. One read per queue at a time; a notification during a read causes one more.
   */
  private void pump(QueueBinding binding) {
    if (state != State.TRANSPORT
        || !binding.subscribed
        || binding.reading
        || binding.waitingForRoom) {
      return;
    }
    int windowRoom = settings.maxWindow() - binding.inFlight.size();
    if (windowRoom <= 0) {
      return;
    }
    if (credit <= 0 || !outbox.writable()) {
      binding.waitingForRoom = true;
      waiting.add(
          () -> {
            binding.waitingForRoom = false;
            pump(binding);
          });
      awaitWritable();
      return;
    }
    // a few envelopes per read, so that the session's credit serves many queues at once
    int room = Math.min(windowRoom, Math.min(credit, settings.envelopesPerRead()));
    credit -= room;
    binding.reading = true;
    binding.dirty = false;
    long after = binding.lastPushed;
    onContext(() -> queues.readPending(binding.queueId, after, room))
        .onComplete(
            ar -> {
              binding.reading = false;
              credit += room;
              if (state != State.TRANSPORT) {
                return;
              }
              resumeWaiting();
              if (!binding.subscribed) {
                return;
              }
              if (ar.failed()) {
                // logged by the mapper if unexpected; the next notification tries again
                ErrorMapper.toErrorCode(ar.cause());
                return;
              }
              boolean pushed = false;
              for (StoredEnvelope envelope : ar.result()) {
                if (binding.inFlight.size() >= settings.maxWindow()) {
                  break;
                }
                if (envelope.position() <= binding.lastPushed) {
                  continue;
                }
                binding.lastPushed = envelope.position();
                Frame message = messageFrame(binding, envelope, 0);
                if (message != null && binding.inFlight.add(envelope.messageId())) {
                  metrics.pushed(PushKind.MESSAGE);
                  outbox.add(message);
                  pushed = true;
                }
              }
              if (binding.fullnessUnknown) {
                binding.fullnessUnknown = false;
                // a page that came back short holds every pending envelope: fewer than the quota
                int read = ar.result().size();
                if (read == room || read >= settings.maxQueueMessages()) {
                  tellIfFull(binding);
                }
              }
              if (pushed || binding.dirty) {
                pump(binding);
              }
            });
  }

  /**
   * Runs a read that yields an envelope block now if the session has credit and the connection can
   * take output, else once it can: a burst of Gets or of subscriptions with pending envelopes never
   * queues more blocks than the connection's outbound bound.
   */
  private void whenOutputRoom(Runnable read) {
    if (waiting.isEmpty() && credit > 0 && outbox.writable()) {
      read.run();
    } else {
      waiting.add(read);
      awaitWritable();
    }
  }

  private void resumeWaiting() {
    while (!waiting.isEmpty() && state == State.TRANSPORT && credit > 0 && outbox.writable()) {
      waiting.poll().run();
    }
    if (!waiting.isEmpty()) {
      awaitWritable();
    }
  }

  /** Asks to be called when the connection drains (credit comes back with each read). */
  private void awaitWritable() {
    if (!awaitingWritable && !outbox.writable() && state == State.TRANSPORT) {
      awaitingWritable = true;
      session.writableHandler(
          () -> {
            awaitingWritable = false;
            if (state == State.TRANSPORT) {
              resumeWaiting();
            }
          });
    }
  }

  /** A Message frame for an envelope, or null if the stored envelope is not E bytes long. */
  private Frame messageFrame(QueueBinding binding, StoredEnvelope envelope, int corr) {
    if (envelope.envelope().length != settings.envelopeSize()) {
      return null; // stored under another block size: cannot be delivered on this relay
    }
    byte[] messageId = envelope.messageId().bytes();
    byte[] ciphertext =
        shared
            .deliveryCipher()
            .encrypt(binding.deliveryKey, messageId, binding.recipientIdBytes, envelope.envelope());
    return Frame.newBuilder()
        .setCorrId(corr)
        .setMessage(
            Message.newBuilder()
                .setRecipientId(binding.recipientId)
                .setMessageId(UnsafeByteOperations.unsafeWrap(messageId))
                .setEncryptedEnvelope(UnsafeByteOperations.unsafeWrap(ciphertext)))
        .build();
  }

  // ---- replies and bookkeeping ----

  /** Counts a command as outstanding, or answers Error{RATE} beyond the session's bound. */
  private boolean admit(CommandType type, int corr) {
    if (outstanding >= settings.maxOutstanding()) {
      error(type, corr, ErrorCode.ERROR_CODE_RATE);
      return false;
    }
    outstanding++;
    session.commandsStarted(1);
    return true;
  }

  /** Answers an admitted command with an error and counts it finished. */
  private void refuse(CommandType type, int corr, ErrorCode code) {
    error(type, corr, code);
    finish();
  }

  private void finish() {
    outstanding--;
    outbox.commandFinished();
  }

  private void answer(CommandType type, int corr, Throwable failure) {
    if (state != State.TRANSPORT) {
      return;
    }
    if (failure == null) {
      ok(type, corr);
    } else {
      error(type, corr, ErrorMapper.toErrorCode(failure));
    }
    finish();
  }

  private void ok(CommandType type, int corr) {
    reply(type, corr, Frame.newBuilder().setOk(Ok.getDefaultInstance()));
  }

  private void reply(CommandType type, int corr, Frame.Builder frame) {
    metrics.succeeded(type);
    outbox.add(frame.setCorrId(corr).build());
  }

  private void error(CommandType type, int corr, ErrorCode code) {
    metrics.failed(type, code);
    outbox.add(errorFrame(corr, code));
  }

  private static Frame errorFrame(int corr, ErrorCode code) {
    return Frame.newBuilder()
        .setCorrId(corr)
        .setError(org.sealpost.proto.v1.Error.newBuilder().setCode(code))
        .build();
  }

  /** Runs a command-path call and brings its completion back to this session's context. */
  private <T> Future<T> onContext(Supplier<CompletionStage<T>> call) {
    CompletionStage<T> stage;
    try {
      stage = call.get();
    } catch (RuntimeException e) {
      stage = CompletableFuture.failedFuture(e);
    }
    return Future.fromCompletionStage(stage, session.context());
  }

  private void end(CloseReason reason) {
    state = State.CLOSED;
    session.close(reason);
  }

  @Override
  public void onClose(CloseReason reason) {
    state = State.CLOSED;
    if (outbox != null) {
      outbox.close();
    }
    for (QueueBinding binding : byQueue.values()) {
      if (binding.subscribed) {
        registry.unsubscribe(binding.queueId, this);
      }
      binding.destroy();
    }
    byQueue.clear();
    byRecipient.clear();
    waiting.clear();
    if (transport != null) {
      transport.destroy();
    }
    if (responder != null) {
      responder.destroy();
      responder = null;
    }
  }
}
