package org.sealpost.relay.process;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * SIGTERM/SIGINT handling: the first signal starts a graceful shutdown, a second one exits at once.
 * SIGHUP, which by default kills the JVM (a closed terminal, a {@code systemctl reload}), runs its
 * own action and leaves the relay running. The JVM's shutdown hooks cannot do the second part (a
 * second signal during the hooks blocks), so this uses {@code sun.misc.Signal} from the {@code
 * jdk.unsupported} module, by reflection to keep the build free of internal-API warnings.
 */
public final class Signals {
  private final AtomicInteger received = new AtomicInteger();
  private final Runnable graceful;
  private final Runnable immediate;
  private final Runnable hangup;
  private volatile boolean hangupIgnored;

  /**
   * @param graceful runs on the first signal, on the signal thread; it must return quickly
   * @param immediate runs on every later signal
   */
  public Signals(Runnable graceful, Runnable immediate) {
    this(graceful, immediate, () -> {});
  }

  /**
   * @param graceful runs on the first TERM or INT, on the signal thread; it must return quickly
   * @param immediate runs on every later TERM or INT
   * @param hangup runs on every HUP, on the signal thread; it must return quickly
   */
  public Signals(Runnable graceful, Runnable immediate, Runnable hangup) {
    this.graceful = graceful;
    this.immediate = immediate;
    this.hangup = hangup;
  }

  /**
   * Installs the handlers for TERM, INT and HUP (HUP only where the JVM lets it be handled).
   *
   * @return false if signals cannot be intercepted here; the caller then relies on a shutdown hook
   */
  public boolean install() {
    try {
      Class<?> signalClass = Class.forName("sun.misc.Signal");
      Class<?> handlerClass = Class.forName("sun.misc.SignalHandler");
      Method handle = signalClass.getMethod("handle", signalClass, handlerClass);
      Object stop = handler(handlerClass, this::signalled);
      for (String name : new String[] {"TERM", "INT"}) {
        handle.invoke(null, signalClass.getConstructor(String.class).newInstance(name), stop);
      }
      try {
        Object hup = handler(handlerClass, hangup);
        Object before =
            handle.invoke(null, signalClass.getConstructor(String.class).newInstance("HUP"), hup);
        // A HUP ignored when the JVM started (nohup, a parent that ignores it) stays ignored: the
        // JVM then installs no handler and reports the disposition it left in place.
        hangupIgnored = before == handlerClass.getField("SIG_IGN").get(null);
      } catch (ReflectiveOperationException | RuntimeException e) {
        // e.g. -Xrs, or a JVM that reserves HUP: the default action stays
      }
      return true;
    } catch (ReflectiveOperationException | RuntimeException e) {
      return false;
    }
  }

  private static Object handler(Class<?> handlerClass, Runnable action) {
    InvocationHandler onSignal = (proxy, method, args) -> invoke(action, proxy, method, args);
    return Proxy.newProxyInstance(
        Signals.class.getClassLoader(), new Class<?>[] {handlerClass}, onSignal);
  }

  private static Object invoke(Runnable action, Object proxy, Method method, Object[] args) {
    switch (method.getName()) {
      case "handle" -> action.run();
      case "hashCode" -> {
        return System.identityHashCode(proxy);
      }
      case "equals" -> {
        return proxy == args[0];
      }
      case "toString" -> {
        return "sealpost signal handler";
      }
      default -> {
        // no other methods on SignalHandler
      }
    }
    return null;
  }

  /**
   * Whether SIGHUP was already ignored when this process started (e.g. under {@code nohup}), so
   * that {@link #install()} could not handle it: a reload by signal then does nothing.
   */
  public boolean hangupIgnored() {
    return hangupIgnored;
  }

  /** Counts a signal: the first triggers the graceful path, later ones the immediate one. */
  void signalled() {
    if (received.incrementAndGet() == 1) {
      graceful.run();
    } else {
      immediate.run();
    }
  }
}
