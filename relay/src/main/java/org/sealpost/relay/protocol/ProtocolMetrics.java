package org.sealpost.relay.protocol;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import org.sealpost.proto.v1.ErrorCode;
import org.sealpost.relay.delivery.PushKind;
import org.sealpost.relay.metrics.RelayMetrics;

/**
 * The protocol layer's meters: aggregate counters with tags from closed enums only, nothing per
 * queue, per client or per address (DESIGN invariant 4). Registered up front so that every series
 * is exported, as 0, before it first counts.
 */
public final class ProtocolMetrics {
  private static final String OK = "ok";

  private final Map<CommandType, Counter> ok = new EnumMap<>(CommandType.class);
  private final Map<CommandType, Map<ErrorCode, Counter>> errors = new EnumMap<>(CommandType.class);
  private final Map<PushKind, Counter> pushes = new EnumMap<>(PushKind.class);
  private final Counter payloadIn;
  private final Counter payloadOut;

  public ProtocolMetrics(MeterRegistry registry) {
    for (CommandType type : CommandType.values()) {
      ok.put(type, command(registry, type, OK));
      Map<ErrorCode, Counter> byCode = new EnumMap<>(ErrorCode.class);
      for (ErrorCode code : ErrorCode.values()) {
        if (code != ErrorCode.UNRECOGNIZED && code != ErrorCode.ERROR_CODE_UNSPECIFIED) {
          byCode.put(code, command(registry, type, outcomeTag(code)));
        }
      }
      errors.put(type, byCode);
    }
    for (PushKind kind : PushKind.values()) {
      pushes.put(
          kind,
          Counter.builder(RelayMetrics.PUSHES)
              .description("Frames the relay pushed without a request, by kind")
              .tag(RelayMetrics.TAG_KIND, kind.tag())
              .register(registry));
    }
    payloadIn = payload(registry, "in");
    payloadOut = payload(registry, "out");
  }

  private static Counter command(MeterRegistry registry, CommandType type, String outcome) {
    return Counter.builder(RelayMetrics.COMMANDS)
        .description("Protocol commands handled, by type and outcome")
        .tag(RelayMetrics.TAG_COMMAND, type.tag())
        .tag(RelayMetrics.TAG_OUTCOME, outcome)
        .register(registry);
  }

  private static Counter payload(MeterRegistry registry, String direction) {
    return Counter.builder(RelayMetrics.BLOCK_PAYLOAD_BYTES)
        .description("Frame bytes carried in blocks (the rest of each block is padding)")
        .baseUnit("bytes")
        .tag(RelayMetrics.TAG_DIRECTION, direction)
        .register(registry);
  }

  /** {@code auth} for {@code ERROR_CODE_AUTH}, and so on. */
  static String outcomeTag(ErrorCode code) {
    return code.name().substring("ERROR_CODE_".length()).toLowerCase(Locale.ROOT);
  }

  void succeeded(CommandType type) {
    ok.get(type).increment();
  }

  void failed(CommandType type, ErrorCode code) {
    Counter c = errors.get(type).get(code);
    (c == null ? errors.get(type).get(ErrorCode.ERROR_CODE_INTERNAL) : c).increment();
  }

  void pushed(PushKind kind) {
    pushes.get(kind).increment();
  }

  void payloadIn(int bytes) {
    payloadIn.increment(bytes);
  }

  void payloadOut(int bytes) {
    payloadOut.increment(bytes);
  }
}
