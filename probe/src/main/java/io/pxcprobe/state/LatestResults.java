package io.pxcprobe.state;

import io.pxcprobe.plan.Check;
import io.pxcprobe.plan.DnsCheck;
import io.pxcprobe.plan.ProbePlan;
import io.pxcprobe.plan.TcpCheck;
import io.pxcprobe.result.DnsResult;
import io.pxcprobe.result.ResultListener;
import io.pxcprobe.result.TcpResult;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** The latest result of every check in the plan, for /targets, /readyz and /probe. */
public final class LatestResults implements ResultListener {
    private final Map<TcpCheck, TcpResult> tcp = new ConcurrentHashMap<>();
    private final Map<DnsCheck, DnsResult> dns = new ConcurrentHashMap<>();
    private volatile ProbePlan plan = ProbePlan.EMPTY;
    private volatile Set<Check> planned = Set.of();

    @Override
    public void onTcp(TcpResult r) {
        if (planned.contains(r.check())) {
            tcp.put(r.check(), r);
        }
    }

    @Override
    public void onDns(DnsResult r) {
        if (planned.contains(r.check())) {
            dns.put(r.check(), r);
        }
    }

    @Override
    public void onPlan(ProbePlan newPlan) {
        Set<Check> checks = new HashSet<>(newPlan.allChecks());
        planned = checks;
        plan = newPlan;
        tcp.keySet().retainAll(checks);
        dns.keySet().retainAll(checks);
    }

    public ProbePlan plan() {
        return plan;
    }

    public Optional<TcpResult> latest(TcpCheck c) {
        return Optional.ofNullable(tcp.get(c));
    }

    public Optional<DnsResult> latest(DnsCheck c) {
        return Optional.ofNullable(dns.get(c));
    }
}
