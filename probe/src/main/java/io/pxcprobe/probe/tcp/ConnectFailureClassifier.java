package io.pxcprobe.probe.tcp;

import io.netty.channel.ConnectTimeoutException;
import io.netty.channel.unix.Errors;
import io.pxcprobe.probe.Errno;
import io.pxcprobe.result.TcpOutcome;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns a failed connect into an outcome. On epoll the kernel's errno travels in netty's native
 * exception and decides; on NIO only the JDK's exception types and messages are left.
 */
public final class ConnectFailureClassifier {

    /** An outcome with the errno it came from (0 when unknown) and a short detail for humans. */
    public record Classified(TcpOutcome outcome, int errno, String detail) {}

    private static final Pattern NATIVE_ERRNO = Pattern.compile("error\\((-?\\d+)\\)");

    private ConnectFailureClassifier() {}

    /** @param target where the connect went: for the kernel's route to it, where netty hides the errno */
    public static Classified classify(Throwable failure, InetSocketAddress target) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof Errors.NativeIoException nio) {
                return fromErrno(-nio.expectedErr());
            }
            Matcher m = NATIVE_ERRNO.matcher(t.getMessage() == null ? "" : t.getMessage());
            if (t instanceof ConnectException && m.find()) {
                // netty's epoll connect failures carry the errno only in the message: "failed with error(-111)"
                return fromErrno(Math.abs(Integer.parseInt(m.group(1))));
            }
            if (t instanceof ConnectTimeoutException || t instanceof SocketTimeoutException) {
                return new Classified(TcpOutcome.TIMEOUT, 0, "no answer before the deadline");
            }
        }
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof NoRouteToHostException) {
                // netty raises it for both unreachables, with only the address in its message; the JDK's
                // ("No route to host", strerror's text) is EHOSTUNREACH
                boolean jdk = lower(t.getMessage()).contains("no route to host");
                return fromErrno(jdk ? Errno.EHOSTUNREACH : RouteLookup.errnoFor(target));
            }
            if (t instanceof SocketException e && RouteLookup.isNetworkUnreachable(e)) {
                // the JDK (NIO transport) raises ENETUNREACH as a plain SocketException
                return fromErrno(Errno.ENETUNREACH);
            }
            if (t instanceof ConnectException) {
                String m = lower(t.getMessage());
                if (m.contains("refused")) {
                    return fromErrno(Errno.ECONNREFUSED);
                }
                if (m.contains("reset")) {
                    return fromErrno(Errno.ECONNRESET);
                }
                if (m.contains("unreachable") || m.contains("no route")) {
                    return fromErrno(Errno.EHOSTUNREACH);
                }
                if (m.contains("timed out")) {
                    return fromErrno(Errno.ETIMEDOUT);
                }
            }
        }
        return new Classified(TcpOutcome.ERROR, 0, failure.getClass().getSimpleName());
    }

    public static Classified fromErrno(int errno) {
        TcpOutcome outcome = switch (errno) {
            case Errno.ECONNREFUSED -> TcpOutcome.REFUSED;
            case Errno.ETIMEDOUT -> TcpOutcome.TIMEOUT;
            case Errno.EHOSTUNREACH, Errno.ENETUNREACH -> TcpOutcome.UNREACHABLE;
            case Errno.ECONNRESET -> TcpOutcome.RESET;
            default -> TcpOutcome.ERROR;
        };
        return new Classified(outcome, errno, Errno.name(errno));
    }

    private static String lower(String s) {
        return s == null ? "" : s.toLowerCase(Locale.ROOT);
    }
}
