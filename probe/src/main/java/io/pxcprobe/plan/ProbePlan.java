package io.pxcprobe.plan;

import io.pxcprobe.config.DnsConfig;
import io.pxcprobe.config.PortSpec;
import io.pxcprobe.config.ResolverSpec;
import io.pxcprobe.config.TcpConfig;
import io.pxcprobe.config.TcpMode;
import io.pxcprobe.target.DnsExpectation;
import io.pxcprobe.target.DnsTarget;
import io.pxcprobe.target.Member;
import io.pxcprobe.target.RecordType;
import io.pxcprobe.target.TargetSnapshot;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * Members x ports and names x resolvers, expanded into checks. Built anew from every snapshot;
 * the scheduler keeps the timing of checks whose key it already knows.
 *
 * @param leftOut checks the snapshot asks for that the check limit left out
 * @param maxChecks the limit this plan was built under
 * @param sampledOut checks of sampled ports left to the other agents chosen for them
 */
public record ProbePlan(
        TargetSnapshot snapshot,
        List<TcpCheck> tcpChecks,
        List<DnsCheck> dnsChecks,
        int leftOut,
        int maxChecks,
        int sampledOut) {

    public static final ProbePlan EMPTY = new ProbePlan(TargetSnapshot.EMPTY, List.of(), List.of());

    /** A plan with no limit reached and nothing sampled. */
    public ProbePlan(TargetSnapshot snapshot, List<TcpCheck> tcpChecks, List<DnsCheck> dnsChecks) {
        this(snapshot, tcpChecks, dnsChecks, 0, Integer.MAX_VALUE, 0);
    }

    /** The plan of an agent that knows of no other agent: no interval is stretched. */
    public static ProbePlan build(
            TargetSnapshot snapshot,
            TcpConfig tcp,
            DnsConfig dns,
            List<ResolverSpec> resolvers,
            UnaryOperator<TcpMode> settleMode,
            int maxChecks) {
        return build(snapshot, tcp, dns, resolvers, settleMode, maxChecks, Fleet.ALONE);
    }

    /**
     * @param resolvers   the resolvers to ask (the configured ones, or the system's)
     * @param settleMode  turns a configured mode into the effective one ({@code auto} into {@code syn} or {@code connect})
     * @param maxChecks   at most this many checks, chosen by {@link CheckLimit#apply}
     * @param fleet       the agents probing the same pods: TCP intervals follow {@link FanIn} and
     *                    {@code tcp.budget()}; a port with {@code tcp.sources()} is probed only where
     *                    {@link Sampling} picks this agent, once it finds itself among them
     */
    public static ProbePlan build(
            TargetSnapshot snapshot,
            TcpConfig tcp,
            DnsConfig dns,
            List<ResolverSpec> resolvers,
            UnaryOperator<TcpMode> settleMode,
            int maxChecks,
            Fleet fleet) {
        Map<String, TcpCheck> tcpChecks = new LinkedHashMap<>();
        int sampledOut = 0;
        for (Member m : snapshot.members()) {
            for (PortSpec spec : probedPorts(tcp, settleMode)) {
                int k = tcp.sources().getOrDefault(spec.name(), 0);
                boolean sampled = k > 0 && fleet.placed();
                if (sampled && !Sampling.chosen(m.key() + "/" + spec.name(), fleet.self(), fleet.members(), k)) {
                    sampledOut++;
                    continue;
                }
                // a sampled port takes probes from its k sources only, and the budget divides among them
                int probers = sampled ? Math.min(k, fleet.count()) : fleet.count();
                // a pod's own number only where the configuration allows it: else a pod could aim every agent anywhere
                int number = spec.numberFor(m.ports().get(spec.name()));
                PortSpec effective = new PortSpec(
                        spec.name(),
                        number,
                        spec.expect(),
                        FanIn.interval(spec.interval(), probers, tcp.budget()),
                        spec.timeout(),
                        settleMode.apply(spec.mode()),
                        spec.podPorts());
                TcpCheck c = new TcpCheck(m, effective);
                tcpChecks.putIfAbsent(c.key(), c);
            }
        }
        Map<String, DnsCheck> dnsChecks = new LinkedHashMap<>();
        for (DnsTarget t : withAaaa(snapshot.dnsTargets(), dns.aaaa())) {
            for (ResolverSpec r : resolvers) {
                DnsCheck c = new DnsCheck(t, r, dns.interval(), dns.timeout());
                dnsChecks.putIfAbsent(c.key(), c);
            }
        }
        CheckLimit.Kept kept =
                CheckLimit.apply(List.copyOf(tcpChecks.values()), List.copyOf(dnsChecks.values()), maxChecks);
        return new ProbePlan(snapshot, kept.tcp(), kept.dns(), kept.leftOut(), maxChecks, sampledOut);
    }

    /**
     * The ports to probe: a MySQL port only where its mode settles to syn (the loader refuses
     * connect for them, so this only drops those that {@code auto} settled to connect).
     */
    public static List<PortSpec> probedPorts(TcpConfig tcp, UnaryOperator<TcpMode> settleMode) {
        return tcp.ports().stream()
                .filter(p -> !p.reachesMysqld() || settleMode.apply(p.mode()) == TcpMode.SYN)
                .toList();
    }

    /**
     * With {@code probes.dns.aaaa} (dual-stack clusters) every A lookup gets an AAAA twin. Discovery
     * knows one address per member, so the twin only has to answer with something.
     */
    static List<DnsTarget> withAaaa(List<DnsTarget> targets, boolean aaaa) {
        if (!aaaa) {
            return targets;
        }
        List<DnsTarget> out = new ArrayList<>(targets);
        for (DnsTarget t : targets) {
            if (t.type() == RecordType.A) {
                out.add(new DnsTarget(
                        t.namespace(),
                        t.cluster(),
                        t.pod(),
                        t.kind(),
                        t.name(),
                        RecordType.AAAA,
                        DnsExpectation.any()));
            }
        }
        return out;
    }

    /** How many checks of each kind ({@link Check#kind()}), every kind present, in plan order. */
    public Map<String, Integer> checksByKind() {
        Map<String, Integer> n = new LinkedHashMap<>();
        for (Check c : allChecks()) {
            n.merge(c.kind(), 1, Integer::sum);
        }
        return n;
    }

    public List<Check> allChecks() {
        List<Check> all = new ArrayList<>(tcpChecks.size() + dnsChecks.size());
        all.addAll(tcpChecks);
        all.addAll(dnsChecks);
        return all;
    }
}
