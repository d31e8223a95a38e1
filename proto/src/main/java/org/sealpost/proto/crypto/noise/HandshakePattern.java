package org.sealpost.proto.crypto.noise;

import java.util.List;

/**
 * The one-way and fundamental interactive handshake patterns of the Noise spec (rev 34, §7.4 and
 * §7.5). Sealpost sessions use {@link #NK}; the others run the published test vectors and are
 * available for future constructions.
 */
public enum HandshakePattern {
  N(pre(), pre(Token.S), List.of(msg(Token.E, Token.ES))),
  K(pre(Token.S), pre(Token.S), List.of(msg(Token.E, Token.ES, Token.SS))),
  X(pre(), pre(Token.S), List.of(msg(Token.E, Token.ES, Token.S, Token.SS))),
  NN(pre(), pre(), List.of(msg(Token.E), msg(Token.E, Token.EE))),
  NK(pre(), pre(Token.S), List.of(msg(Token.E, Token.ES), msg(Token.E, Token.EE))),
  NX(pre(), pre(), List.of(msg(Token.E), msg(Token.E, Token.EE, Token.S, Token.ES))),
  KN(pre(Token.S), pre(), List.of(msg(Token.E), msg(Token.E, Token.EE, Token.SE))),
  KK(
      pre(Token.S),
      pre(Token.S),
      List.of(msg(Token.E, Token.ES, Token.SS), msg(Token.E, Token.EE, Token.SE))),
  KX(
      pre(Token.S),
      pre(),
      List.of(msg(Token.E), msg(Token.E, Token.EE, Token.SE, Token.S, Token.ES))),
  XN(pre(), pre(), List.of(msg(Token.E), msg(Token.E, Token.EE), msg(Token.S, Token.SE))),
  XK(
      pre(),
      pre(Token.S),
      List.of(msg(Token.E, Token.ES), msg(Token.E, Token.EE), msg(Token.S, Token.SE))),
  XX(
      pre(),
      pre(),
      List.of(msg(Token.E), msg(Token.E, Token.EE, Token.S, Token.ES), msg(Token.S, Token.SE))),
  IN(pre(), pre(), List.of(msg(Token.E, Token.S), msg(Token.E, Token.EE, Token.SE))),
  IK(
      pre(),
      pre(Token.S),
      List.of(msg(Token.E, Token.ES, Token.S, Token.SS), msg(Token.E, Token.EE, Token.SE))),
  IX(
      pre(),
      pre(),
      List.of(msg(Token.E, Token.S), msg(Token.E, Token.EE, Token.SE, Token.S, Token.ES)));

  /** Message pattern tokens. */
  enum Token {
    E,
    S,
    EE,
    ES,
    SE,
    SS
  }

  private final List<Token> initiatorPremessage;
  private final List<Token> responderPremessage;
  private final List<List<Token>> messages;

  HandshakePattern(
      List<Token> initiatorPremessage,
      List<Token> responderPremessage,
      List<List<Token>> messages) {
    this.initiatorPremessage = initiatorPremessage;
    this.responderPremessage = responderPremessage;
    this.messages = messages;
  }

  List<Token> initiatorPremessage() {
    return initiatorPremessage;
  }

  List<Token> responderPremessage() {
    return responderPremessage;
  }

  /** Message patterns in order; even indexes are sent by the initiator. */
  List<List<Token>> messages() {
    return messages;
  }

  /** True for N, K and X, after which only the initiator sends (Noise spec §7.4). */
  public boolean isOneWay() {
    return messages.size() == 1;
  }

  /** True if the initiator must hold a static key pair. */
  boolean initiatorNeedsStatic() {
    return needsStatic(initiatorPremessage, 0);
  }

  /** True if the responder must hold a static key pair. */
  boolean responderNeedsStatic() {
    return needsStatic(responderPremessage, 1);
  }

  private boolean needsStatic(List<Token> premessage, int firstMessage) {
    if (premessage.contains(Token.S)) {
      return true;
    }
    for (int i = firstMessage; i < messages.size(); i += 2) {
      if (messages.get(i).contains(Token.S)) {
        return true;
      }
    }
    return false;
  }

  static HandshakePattern fromNoiseName(String name) {
    for (HandshakePattern p : values()) {
      if (p.name().equals(name)) {
        return p;
      }
    }
    throw new NoiseException(
        NoiseException.Reason.UNSUPPORTED_PROTOCOL, "unsupported handshake pattern " + name);
  }

  private static List<Token> pre(Token... tokens) {
    return List.of(tokens);
  }

  private static List<Token> msg(Token... tokens) {
    return List.of(tokens);
  }
}
