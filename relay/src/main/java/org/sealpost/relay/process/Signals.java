package org.sealpost.relay.process;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * SIGTERM/SIGINT handling: the first signal starts a graceful shutdown, a second one exits at once.
 * The JVM's shutdown hooks cannot do the second part (a second signal during the hooks blocks), so
 * this uses {@code sun.misc.Signal} from the {@code jdk.unsupported} module, by reflection to keep
 * the build free of internal-API warnings.
 */
public final class Signals {
  private final AtomicInteger received = new AtomicInteger();
  private final Runnable graceful;
  private final Runnable immediate;

  /**
   * @param graceful runs on the first signal, on the signal thread; it must return quickly
   * @param immediate runs on every later signal
   */
  public Signals(Runnable graceful, Runnable immediate) {
    this.graceful = graceful;
    this.immediate = immediate;
  }

  /**
   * Installs the handlers for TERM and INT.
   *
   * @return false if signals cannot be intercepted here; the caller then relies on a shutdown hook
   */
  public boolean install() {
    try {
      Class<?> signalClass = Class.forName("sun.misc.Signal");
      Class<?> handlerClass = Class.forName("sun.misc.SignalHandler");
      InvocationHandler onSignal = this::invoke;
      Object handler =
          Proxy.newProxyInstance(
              Signals.class.getClassLoader(), new Class<?>[] {handlerClass}, onSignal);
      Method handle = signalClass.getMethod("handle", signalClass, handlerClass);
      for (String name : new String[] {"TERM", "INT"}) {
        handle.invoke(null, signalClass.getConstructor(String.class).newInstance(name), handler);
      }
      return true;
    } catch (ReflectiveOperationException | RuntimeException e) {
      return false;
    }
  }

  private Object invoke(Object proxy, Method method, Object[] args) {
    switch (method.getName()) {
      case "handle" -> signalled();
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

  /** Counts a signal: the first triggers the graceful path, later ones the immediate one. */
  void signalled() {
    if (received.incrementAndGet() == 1) {
      graceful.run();
    } else {
      immediate.run();
    }
  }
}
