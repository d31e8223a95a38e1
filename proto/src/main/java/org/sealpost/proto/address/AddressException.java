package org.sealpost.proto.address;

import java.util.Objects;

/**
 * An address that does not parse, or values that do not make one. The message says which rule was
 * broken; it never repeats the keys, IDs or tokens of the input.
 */
public final class AddressException extends Exception {
  private static final long serialVersionUID = 1L;

  private final AddressError error;

  public AddressException(AddressError error, String message) {
    super(Objects.requireNonNull(error, "error") + ": " + message);
    this.error = error;
  }

  public AddressError error() {
    return error;
  }
}
