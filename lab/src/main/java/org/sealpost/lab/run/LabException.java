package org.sealpost.lab.run;

/** A run that cannot go on, with a message for the researcher (never user data: there is none). */
public final class LabException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public LabException(String message) {
    super(message);
  }

  public LabException(String message, Throwable cause) {
    super(message, cause);
  }
}
