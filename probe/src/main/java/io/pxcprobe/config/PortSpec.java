package io.pxcprobe.config;

import java.time.Duration;
import java.util.Locale;
import java.util.Set;

/**
 * One port checked on every member, under a short name used as the {@code port} label
 * ({@code gcomm}, {@code ist}, {@code sst}).
 *
 * @param podPorts the numbers a discovered pod may declare for this port (under the operator's
 *                 container port name) to be probed there instead of {@code port}
 */
public record PortSpec(
        String name,
        int port,
        Expect expect,
        Duration interval,
        Duration timeout,
        TcpMode mode,
        Set<Integer> podPorts) {

    public PortSpec {
        podPorts = Set.copyOf(podPorts);
    }

    /** A port whose number a pod cannot change. */
    public PortSpec(String name, int port, Expect expect, Duration interval, Duration timeout, TcpMode mode) {
        this(name, port, expect, interval, timeout, mode, Set.of(port));
    }

    /**
     * MySQL's ports (3306 mysql, 33060 mysqlx, 33062 mysql-admin): mysqld accepts every connection
     * that completes a handshake, and one that closes before logging in counts toward
     * {@code max_connect_errors}, which can block the prober's address on every PXC pod. They are
     * probed only in {@code syn} mode, whose half-open handshake never reaches mysqld.
     */
    public static final Set<Integer> MYSQL_PORTS = Set.of(3306, 33060, 33062);

    /** Whether a connect probe of this port (or of a number a pod may declare for it) would reach mysqld. */
    public boolean reachesMysqld() {
        return MYSQL_PORTS.contains(port) || podPorts.stream().anyMatch(MYSQL_PORTS::contains);
    }

    /** The number to probe on a pod that declares {@code declared} (null: none): it, where allowed. */
    public int numberFor(Integer declared) {
        return declared != null && podPorts.contains(declared) ? declared : port;
    }

    /** What proves the path healthy on this port. */
    public enum Expect {
        /** Something must accept: Galera's gcomm always listens. */
        LISTENING,
        /** A refusal also proves the path: IST and SST listen only during a transfer. */
        REACHABLE;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }
}
