package io.pxcprobe.probe.tcp;

/** The Linux errno values the classifier distinguishes, and their names for humans. */
public final class Errno {
    public static final int ECONNRESET = 104;
    public static final int ENETUNREACH = 101;
    public static final int ETIMEDOUT = 110;
    public static final int ECONNREFUSED = 111;
    public static final int EHOSTUNREACH = 113;
    public static final int EADDRNOTAVAIL = 99;
    public static final int EMFILE = 24;

    private Errno() {
    }

    public static String name(int errno) {
        return switch (errno) {
            case 0 -> "";
            case ECONNRESET -> "ECONNRESET";
            case ENETUNREACH -> "ENETUNREACH";
            case ETIMEDOUT -> "ETIMEDOUT";
            case ECONNREFUSED -> "ECONNREFUSED";
            case EHOSTUNREACH -> "EHOSTUNREACH";
            case EADDRNOTAVAIL -> "EADDRNOTAVAIL";
            case EMFILE -> "EMFILE";
            default -> "errno " + errno;
        };
    }
}
