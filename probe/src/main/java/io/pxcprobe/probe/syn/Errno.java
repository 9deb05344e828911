package io.pxcprobe.probe.syn;

import io.pxcprobe.probe.tcp.ConnectFailureClassifier;
import io.pxcprobe.result.TcpOutcome;
import java.util.Map;

/** Linux errno values the SYN prober reports, and the outcome a connect() failing with each would get. */
final class Errno {

    static final int EPERM = 1;
    static final int EINTR = 4;
    static final int EAGAIN = 11;
    static final int EACCES = 13;
    static final int EINVAL = 22;
    static final int ENONET = 64;
    static final int EPROTO = 71;
    static final int EMSGSIZE = 90;
    static final int ENOPROTOOPT = 92;
    static final int EAFNOSUPPORT = 97;
    static final int EOPNOTSUPP = 95;
    static final int EADDRNOTAVAIL = 99;
    static final int ENETUNREACH = 101;
    static final int ENOBUFS = 105;
    static final int ETIMEDOUT = 110;
    static final int ECONNREFUSED = 111;
    static final int EHOSTDOWN = 112;
    static final int EHOSTUNREACH = 113;

    private static final Map<Integer, String> NAMES = Map.ofEntries(
            Map.entry(EPERM, "EPERM"), Map.entry(EINTR, "EINTR"), Map.entry(EAGAIN, "EAGAIN"),
            Map.entry(EACCES, "EACCES"), Map.entry(EINVAL, "EINVAL"), Map.entry(ENONET, "ENONET"),
            Map.entry(EPROTO, "EPROTO"), Map.entry(EMSGSIZE, "EMSGSIZE"), Map.entry(ENOPROTOOPT, "ENOPROTOOPT"),
            Map.entry(EAFNOSUPPORT, "EAFNOSUPPORT"), Map.entry(EOPNOTSUPP, "EOPNOTSUPP"),
            Map.entry(EADDRNOTAVAIL, "EADDRNOTAVAIL"), Map.entry(ENETUNREACH, "ENETUNREACH"),
            Map.entry(ENOBUFS, "ENOBUFS"), Map.entry(ETIMEDOUT, "ETIMEDOUT"), Map.entry(ECONNREFUSED, "ECONNREFUSED"),
            Map.entry(EHOSTDOWN, "EHOSTDOWN"), Map.entry(EHOSTUNREACH, "EHOSTUNREACH"));

    private Errno() {
    }

    static String name(int errno) {
        return NAMES.getOrDefault(errno, "errno " + errno);
    }

    /** The outcome connect mode gives a connect() that failed with this errno: one table for both modes. */
    static TcpOutcome outcomeOf(int errno) {
        return ConnectFailureClassifier.fromErrno(errno).outcome();
    }
}
