package io.pxcprobe.kind;

import java.util.Locale;

/** Human-readable numbers for text output. */
public final class Format {
    private Format() {}

    public static String seconds(double s) {
        if (Double.isNaN(s) || s < 0) {
            return "-";
        }
        if (s < 0.001) {
            return String.format(Locale.ROOT, "%.0fus", s * 1e6);
        }
        if (s < 1) {
            return String.format(Locale.ROOT, "%.2fms", s * 1e3);
        }
        return String.format(Locale.ROOT, "%.2fs", s);
    }

    public static String age(long sinceMillis, long nowMillis) {
        long s = Math.max(0, (nowMillis - sinceMillis) / 1000);
        if (s < 120) {
            return s + "s";
        }
        if (s < 7200) {
            return s / 60 + "m";
        }
        return s / 3600 + "h";
    }
}
