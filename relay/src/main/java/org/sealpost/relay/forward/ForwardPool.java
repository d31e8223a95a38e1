package org.sealpost.relay.forward;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocketClient;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.function.LongSupplier;
import org.sealpost.proto.address.RelayAddress;
import org.sealpost.relay.config.ForwardSettings;

/**
 * The first relay's relay-to-relay sessions, shared by every client connection: at most {@code
 * forward.sessions-per-destination} {@link RelayLink}s per destination, for at most {@code
 * forward.max-destinations} destinations at once. A request goes to the least busy open link; when
 * every link is full it waits in a bounded queue (beyond it: {@code RATE}); a destination that
 * cannot be reached fails every waiting request with {@code FORWARD} and is not tried again for
 * {@code forward.connect-timeout}, so a flood of Forwards to a dead address costs one connection
 * attempt. Every request has one deadline, {@code forward.reply-timeout}; a link on which a request
 * misses it is closed (the destination does not answer), and the next request opens a new one.
 *
 * <p>Thread-safe: bookkeeping under the pool's lock (short, never around I/O); each link's I/O on
 * its own context. Idle links are closed after {@link #IDLE_CLOSE_MILLIS}.
 */
public final class ForwardPool implements AutoCloseable {
  /** A link with nothing in flight for this long is closed (frees the destination's slot). */
  static final long IDLE_CLOSE_MILLIS = 60_000;

  private final Vertx vertx;
  private final WebSocketClient client;
  private final ForwardSettings settings;
  private final SecureRandom random;
  private final LongSupplier millis;
  private final Map<RelayAddress, Destination> destinations = new HashMap<>();
  private final Map<RelayAddress, Long> restingUntil = new HashMap<>();
  private boolean closed;

  public ForwardPool(Vertx vertx, ForwardSettings settings, SecureRandom random) {
    this(vertx, settings, random, System::currentTimeMillis);
  }

  ForwardPool(Vertx vertx, ForwardSettings settings, SecureRandom random, LongSupplier millis) {
    this.vertx = vertx;
    this.settings = settings;
    this.random = random;
    this.millis = millis;
    this.client = vertx.createWebSocketClient(LinkSockets.options(settings.connectTimeout()));
  }

  /**
   * Forwards a sealed request to {@code destination} and completes with its sealed reply, or fails
   * with a {@link ForwardException}. Call on an event loop; nothing here blocks.
   */
  public CompletionStage<ForwardOutcome> forward(RelayAddress destination, byte[] sealedRequest) {
    ForwardRequest request = new ForwardRequest(sealedRequest);
    long timer =
        vertx.setTimer(settings.replyTimeout().toMillis(), t -> expire(destination, request));
    request.result.whenComplete((r, e) -> vertx.cancelTimer(timer));
    synchronized (this) {
      if (closed) {
        request.fail(ForwardException.unreachable());
        return request.result;
      }
      Destination d = destinations.get(destination);
      if (d == null) {
        Long until = restingUntil.get(destination);
        long now = millis.getAsLong();
        if (until != null && until > now) {
          request.fail(ForwardException.unreachable());
          return request.result;
        }
        restingUntil.remove(destination);
        if (destinations.size() >= settings.maxDestinations()) {
          request.fail(ForwardException.busy());
          return request.result;
        }
        d = new Destination(destination);
        destinations.put(destination, d);
      }
      d.submit(request);
    }
    return request.result;
  }

  /**
   * Opens a circuit's own connection to {@code destination} (protocol §11), on the caller's
   * context, within {@code forward.connect-timeout}. A destination that could not be reached rests
   * as for {@link #forward}: the next attempts fail FORWARD at once. Fails with a {@link
   * ForwardException}.
   */
  public Future<CircuitLink> openCircuit(RelayAddress destination) {
    synchronized (this) {
      if (closed) {
        return Future.failedFuture(ForwardException.unreachable());
      }
      Long until = restingUntil.get(destination);
      if (until != null && until > millis.getAsLong()) {
        return Future.failedFuture(ForwardException.unreachable());
      }
    }
    return CircuitLink.open(vertx, client, destination, settings.connectTimeout())
        .onFailure(
            e -> {
              synchronized (this) {
                restingUntil.put(
                    destination, millis.getAsLong() + settings.connectTimeout().toMillis());
                pruneResting();
              }
            });
  }

  /** Destinations with sessions open or opening (an aggregate, for tests and gauges). */
  public synchronized int destinations() {
    return destinations.size();
  }

  /** Relay-to-relay sessions open now. */
  public synchronized int openLinks() {
    int n = 0;
    for (Destination d : destinations.values()) {
      n += d.links.size();
    }
    return n;
  }

  @Override
  public void close() {
    List<RelayLink> all = new ArrayList<>();
    synchronized (this) {
      closed = true;
      for (Destination d : destinations.values()) {
        all.addAll(d.links.keySet());
        d.failWaiting();
      }
    }
    all.forEach(RelayLink::close);
    client.close();
  }

  private void expire(RelayAddress destination, ForwardRequest request) {
    if (request.done()) {
      return;
    }
    request.fail(ForwardException.unreachable());
    RelayLink sentOn;
    synchronized (this) {
      Destination d = destinations.get(destination);
      sentOn = d == null ? null : d.sentOn.remove(request);
    }
    if (sentOn != null) {
      sentOn.close(); // the destination does not answer on this link
    }
  }

  /** The links and waiting requests of one destination; guarded by the pool's lock. */
  private final class Destination implements RelayLink.Listener {
    private final RelayAddress address;
    private final Map<RelayLink, int[]> links = new HashMap<>(); // link -> {in flight}
    private final Map<ForwardRequest, RelayLink> sentOn = new HashMap<>();
    private final ArrayDeque<ForwardRequest> waiting = new ArrayDeque<>();
    private int opening;
    private long idleTimer = -1;

    Destination(RelayAddress address) {
      this.address = address;
    }

    /** Waiting requests allowed: what a full set of links could hold at the smallest capacity. */
    private int waitBound() {
      return settings.sessionsPerDestination() * 16;
    }

    void submit(ForwardRequest request) {
      if (!dispatch(request)) {
        if (waiting.size() >= waitBound()) {
          request.fail(ForwardException.busy());
          return;
        }
        waiting.add(request);
        if (links.size() + opening < settings.sessionsPerDestination()) {
          openLink();
        }
      }
    }

    /** Sends on the least busy open link with room; false if there is none. */
    private boolean dispatch(ForwardRequest request) {
      RelayLink best = null;
      int bestLoad = Integer.MAX_VALUE;
      for (Map.Entry<RelayLink, int[]> e : links.entrySet()) {
        int load = e.getValue()[0];
        if (load < e.getKey().capacity() && load < bestLoad) {
          best = e.getKey();
          bestLoad = load;
        }
      }
      if (best == null) {
        return false;
      }
      links.get(best)[0]++;
      sentOn.put(request, best);
      best.send(request);
      return true;
    }

    private void drain() {
      Iterator<ForwardRequest> it = waiting.iterator();
      while (it.hasNext()) {
        ForwardRequest next = it.next();
        if (next.done()) {
          it.remove(); // gave up waiting
        } else if (dispatch(next)) {
          it.remove();
        } else {
          return;
        }
      }
      scheduleIdleCheck();
    }

    private void openLink() {
      opening++;
      RelayLink.open(vertx, client, address, settings.connectTimeout(), random, this)
          .onComplete(
              ar -> {
                synchronized (ForwardPool.this) {
                  opening--;
                  if (ar.succeeded() && !closed) {
                    links.put(ar.result(), new int[1]);
                    drain();
                  } else {
                    if (ar.succeeded()) {
                      ar.result().close();
                    }
                    if (links.isEmpty() && opening == 0) {
                      // unreachable: fail what waits, rest the address, forget the destination
                      failWaiting();
                      restingUntil.put(
                          address, millis.getAsLong() + settings.connectTimeout().toMillis());
                      pruneResting();
                      forgetIfIdle();
                    }
                  }
                }
              });
    }

    void failWaiting() {
      for (ForwardRequest r : waiting) {
        r.fail(ForwardException.unreachable());
      }
      waiting.clear();
    }

    @Override
    public void requestEnded(RelayLink link, ForwardRequest request) {
      synchronized (ForwardPool.this) {
        sentOn.remove(request);
        int[] load = links.get(link);
        if (load != null) {
          load[0]--;
        }
        drain();
      }
    }

    @Override
    public void closed(RelayLink link) {
      synchronized (ForwardPool.this) {
        links.remove(link);
        sentOn.values().removeIf(l -> l == link);
        if (!waiting.isEmpty() && !closed && links.size() + opening < 1) {
          openLink();
        }
        forgetIfIdle();
      }
    }

    private void scheduleIdleCheck() {
      if (idleTimer >= 0 || links.isEmpty()) {
        return;
      }
      idleTimer =
          vertx.setTimer(
              IDLE_CLOSE_MILLIS,
              t -> {
                synchronized (ForwardPool.this) {
                  idleTimer = -1;
                  if (sentOn.isEmpty() && waiting.isEmpty()) {
                    // out of the map first, so that no request picks a closing link
                    List<RelayLink> idle = new ArrayList<>(links.keySet());
                    links.clear();
                    idle.forEach(RelayLink::close); // hops to each link's context
                    forgetIfIdle();
                  } else {
                    scheduleIdleCheck();
                  }
                }
              });
    }

    private void forgetIfIdle() {
      if (links.isEmpty() && opening == 0 && waiting.isEmpty()) {
        destinations.remove(address, this);
      }
    }
  }

  /** Resting addresses are few and short-lived; drop the expired ones now and then. */
  private void pruneResting() {
    if (restingUntil.size() > settings.maxDestinations()) {
      long now = millis.getAsLong();
      restingUntil.values().removeIf(until -> until <= now);
      if (restingUntil.size() > settings.maxDestinations()) {
        restingUntil.clear(); // a flood of dead addresses: forget them rather than grow
      }
    }
  }
}
