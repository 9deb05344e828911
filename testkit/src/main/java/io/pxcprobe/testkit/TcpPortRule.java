package io.pxcprobe.testkit;

import java.util.ArrayList;
import java.util.List;

/**
 * The arguments of an iptables rule for TCP to one port: a chain, what else it matches (a source, a
 * destination), and what happens to the packets: the faults a NetworkPolicy or a firewall makes.
 */
public final class TcpPortRule {
    /** What the rule does with a matching packet. */
    public enum Verdict {
        /** A NetworkPolicy's drop: the prober times out. */
        DROP("-j", "DROP"),
        /** A policy's reject: the prober sees a reset. */
        RESET("-j", "REJECT", "--reject-with", "tcp-reset"),
        /** A router without a route: the prober sees EHOSTUNREACH. */
        HOST_UNREACHABLE("-j", "REJECT", "--reject-with", "icmp-host-unreachable");

        private final List<String> target;

        Verdict(String... target) {
            this.target = List.of(target);
        }
    }

    private TcpPortRule() {}

    /** {@code chain}, then {@code match}, then {@code -p tcp --dport port}, then the verdict's target. */
    public static String[] rule(String chain, int port, Verdict verdict, String... match) {
        List<String> args = new ArrayList<>();
        args.add(chain);
        args.addAll(List.of(match));
        args.addAll(List.of("-p", "tcp", "--dport", Integer.toString(port)));
        args.addAll(verdict.target);
        return args.toArray(String[]::new);
    }

    /** The whole command that appends the rule: {@code tool -A rule...} ({@code tool} is iptables or ip6tables). */
    public static String[] append(String tool, String chain, int port, Verdict verdict, String... match) {
        List<String> args = new ArrayList<>(List.of(tool, "-A"));
        args.addAll(List.of(rule(chain, port, verdict, match)));
        return args.toArray(String[]::new);
    }
}
