package org.sealpost.relay.delivery;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import io.vertx.junit5.VertxTestContext;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class LocalSubscriptionRegistryTest {

  /** Records each callback and the context it ran on. */
  private static final class Recorder implements Subscriber<String> {
    final Context context;
    final List<String> calls = new CopyOnWriteArrayList<>();
    final List<Boolean> onOwnContext = new CopyOnWriteArrayList<>();
    final VertxTestContext test;

    Recorder(Context context, VertxTestContext test) {
      this.context = context;
      this.test = test;
    }

    @Override
    public Context context() {
      return context;
    }

    @Override
    public void onPending(String queue) {
      record("pending:" + queue);
    }

    @Override
    public void onEvicted(String queue) {
      record("evicted:" + queue);
    }

    @Override
    public void onQuotaReached(String queue) {
      record("quota:" + queue);
    }

    private void record(String call) {
      onOwnContext.add(Vertx.currentContext() == context);
      calls.add(call);
      test.completeNow();
    }
  }

  @Test
  void pendingRunsOnTheSubscribersContext(Vertx vertx, VertxTestContext test)
      throws InterruptedException {
    LocalSubscriptionRegistry<String> registry = new LocalSubscriptionRegistry<>();
    Recorder r = new Recorder(vertx.getOrCreateContext(), test);
    registry.subscribe("q", r);
    // notified from a thread that is not the subscriber's
    new Thread(() -> assertThat(registry.notifyPending("q")).isTrue()).start();
    test.awaitCompletion(10, java.util.concurrent.TimeUnit.SECONDS);
    assertThat(r.calls).containsExactly("pending:q");
    assertThat(r.onOwnContext).containsExactly(true);
    assertThat(registry.notifyPending("other")).isFalse();
  }

  @Test
  void aSecondSubscriberEvictsTheFirstOnTheFirstsContext(Vertx vertx, VertxTestContext test)
      throws InterruptedException {
    LocalSubscriptionRegistry<String> registry = new LocalSubscriptionRegistry<>();
    Recorder first = new Recorder(vertx.getOrCreateContext(), test);
    Recorder second = new Recorder(vertx.getOrCreateContext(), unusedTestContext());
    registry.subscribe("q", first);
    registry.subscribe("q", second);
    assertThat(test.awaitCompletion(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    assertThat(first.calls).containsExactly("evicted:q");
    assertThat(first.onOwnContext).containsExactly(true);
    assertThat(second.calls).isEmpty();
    assertThat(registry.isSubscribed("q", second)).isTrue();

    // the evicted session's late unsubscribe must not remove the new binding
    assertThat(registry.unsubscribe("q", first)).isFalse();
    assertThat(registry.isSubscribed("q", second)).isTrue();
    assertThat(registry.size()).isEqualTo(1);
    assertThat(registry.unsubscribe("q", second)).isTrue();
    assertThat(registry.size()).isZero();
  }

  @Test
  void resubscribingTheSameSessionEvictsNothing(Vertx vertx, VertxTestContext test)
      throws InterruptedException {
    LocalSubscriptionRegistry<String> registry = new LocalSubscriptionRegistry<>();
    Recorder r = new Recorder(vertx.getOrCreateContext(), test);
    registry.subscribe("q", r);
    registry.subscribe("q", r);
    registry.notifyPending("q");
    test.awaitCompletion(10, java.util.concurrent.TimeUnit.SECONDS);
    // contexts run tasks in order: had an eviction been queued, it would come first
    assertThat(r.calls).containsExactly("pending:q");
  }

  @Test
  void quotaReachedRunsOnTheSubscribersContext(Vertx vertx, VertxTestContext test)
      throws InterruptedException {
    LocalSubscriptionRegistry<String> registry = new LocalSubscriptionRegistry<>();
    Recorder r = new Recorder(vertx.getOrCreateContext(), test);
    registry.subscribe("q", r);
    new Thread(() -> assertThat(registry.notifyQuotaReached("q")).isTrue()).start();
    assertThat(test.awaitCompletion(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    assertThat(r.calls).containsExactly("quota:q");
    assertThat(r.onOwnContext).containsExactly(true);
    assertThat(registry.notifyQuotaReached("other")).isFalse();
  }

  @Test
  void evictRemovesTheBindingAndTellsItsHolder(Vertx vertx, VertxTestContext test)
      throws InterruptedException {
    LocalSubscriptionRegistry<String> registry = new LocalSubscriptionRegistry<>();
    Recorder r = new Recorder(vertx.getOrCreateContext(), test);
    registry.subscribe("q", r);
    registry.evict("q");
    assertThat(test.awaitCompletion(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    assertThat(r.calls).containsExactly("evicted:q");
    assertThat(r.onOwnContext).containsExactly(true);
    assertThat(registry.isSubscribed("q", r)).isFalse();
    assertThat(registry.size()).isZero();
    registry.evict("q"); // nobody holds it: nothing happens
    assertThat(registry.notifyPending("q")).isFalse();
  }

  private static VertxTestContext unusedTestContext() {
    return new VertxTestContext();
  }
}
