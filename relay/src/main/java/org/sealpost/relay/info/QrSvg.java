package org.sealpost.relay.info;

import io.nayuki.qrcodegen.QrCode;

/** A QR code as an inline SVG element: one path of unit squares, no styles, no scripts. */
final class QrSvg {
  /** The quiet zone around the symbol, in modules, as the QR specification asks. */
  private static final int QUIET = 4;

  private QrSvg() {}

  /**
   * The SVG of {@code text} with error correction level M.
   *
   * @param label the accessible name of the image
   */
  static String of(String text, String label) {
    QrCode qr = QrCode.encodeText(text, QrCode.Ecc.MEDIUM);
    int side = qr.size + 2 * QUIET;
    StringBuilder path = new StringBuilder();
    for (int y = 0; y < qr.size; y++) {
      for (int x = 0; x < qr.size; x++) {
        if (!qr.getModule(x, y)) {
          continue;
        }
        int run = 1; // one rectangle per horizontal run of dark modules
        while (x + run < qr.size && qr.getModule(x + run, y)) {
          run++;
        }
        path.append('M')
            .append(x + QUIET)
            .append(',')
            .append(y + QUIET)
            .append('h')
            .append(run)
            .append("v1h-")
            .append(run)
            .append('z');
        x += run;
      }
    }
    return "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"qr\" viewBox=\"0 0 "
        + side
        + " "
        + side
        + "\" role=\"img\" aria-label=\""
        + Html.escape(label)
        + "\" shape-rendering=\"crispEdges\"><rect width=\"100%\" height=\"100%\" fill=\"#fff\"/>"
        + "<path fill=\"#000\" d=\""
        + path
        + "\"/></svg>";
  }
}
