package io.pxcprobe.config;

import java.time.Duration;

/**
 * One port checked on every member, under a short name used as the {@code port} label
 * ({@code gcomm}, {@code ist}, {@code sst}).
 */
public record PortSpec(String name, int port, Expect expect, Duration interval, Duration timeout, TcpMode mode) {

    /** What proves the path healthy on this port. */
    public enum Expect {
        /** Something must accept: Galera's gcomm always listens. */
        LISTENING,
        /** A refusal also proves the path: IST and SST listen only during a transfer. */
        REACHABLE;

        public String label() {
            return name().toLowerCase();
        }
    }
}
