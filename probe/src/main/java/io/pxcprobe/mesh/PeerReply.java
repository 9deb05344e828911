package io.pxcprobe.mesh;

import java.net.InetSocketAddress;
import java.util.Locale;

/** How one agent answered {@code /cluster}'s question, or why it did not. */
public sealed interface PeerReply {

    InetSocketAddress address();

    long elapsedNanos();

    record Answered(InetSocketAddress address, long elapsedNanos, PeerTargets targets) implements PeerReply {}

    /** @param detail what went wrong, for people: never a label */
    record Unanswered(InetSocketAddress address, long elapsedNanos, Failure failure, String detail)
            implements PeerReply {}

    /** Why an agent gave no usable answer; the lower-case name is what the table and the JSON show. */
    enum Failure {
        /** No whole answer within the per-agent deadline: the agent is hung, overloaded, or packets are dropped. */
        TIMEOUT,
        /** Nothing listens there: the agent is not running. */
        REFUSED,
        /** No route, or an ICMP unreachable. */
        UNREACHABLE,
        /** It answered with an HTTP status other than 200. */
        HTTP_STATUS,
        /** Its answer was larger than {@code peers.maxBodyKiB}. */
        TOO_LARGE,
        /** Its answer was not the JSON of {@code /targets}. */
        BAD_BODY,
        /** The fan-out's deadline came before its turn. */
        NOT_ASKED,
        ERROR;

        private final String label = name().toLowerCase(Locale.ROOT);

        public String label() {
            return label;
        }
    }
}
