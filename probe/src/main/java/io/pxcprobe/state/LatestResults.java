package io.pxcprobe.state;

import io.pxcprobe.plan.DnsCheck;
import io.pxcprobe.plan.ProbePlan;
import io.pxcprobe.plan.TcpCheck;
import io.pxcprobe.result.DnsResult;
import io.pxcprobe.result.Result;
import io.pxcprobe.result.ResultListener;
import io.pxcprobe.result.TcpResult;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The latest result of every check in the plan, for /targets, /readyz and /probe. A TCP check's
 * slot is made with the plan, so recording a result allocates nothing and stores no new object.
 */
public final class LatestResults implements ResultListener {
    private volatile Map<TcpCheck, LatestTcp> tcp = Map.of();
    private final Map<DnsCheck, DnsResult> dns = new ConcurrentHashMap<>();
    private volatile ProbePlan plan = ProbePlan.EMPTY;
    private volatile Set<DnsCheck> plannedDns = Set.of();

    @Override
    public void onResult(Result result) {
        switch (result) {
            case TcpResult t -> tcp(t);
            case DnsResult d -> dns(d);
        }
    }

    private void tcp(TcpResult r) {
        LatestTcp slot = tcp.get(r.check());
        if (slot != null) {
            slot.set(r);
        }
    }

    private void dns(DnsResult r) {
        if (plannedDns.contains(r.check())) {
            dns.put(r.check(), r);
        }
    }

    @Override
    public void onPlan(ProbePlan newPlan) {
        Set<DnsCheck> dnsChecks = new HashSet<>(newPlan.dnsChecks());
        Map<TcpCheck, LatestTcp> previous = tcp;
        Map<TcpCheck, LatestTcp> nextTcp = new HashMap<>();
        for (TcpCheck c : newPlan.tcpChecks()) {
            LatestTcp slot = previous.get(c);
            nextTcp.put(c, slot != null ? slot : new LatestTcp());
        }
        tcp = Map.copyOf(nextTcp);
        plannedDns = dnsChecks;
        plan = newPlan;
        dns.keySet().retainAll(dnsChecks);
    }

    public ProbePlan plan() {
        return plan;
    }

    public Optional<TcpResult> latest(TcpCheck c) {
        LatestTcp slot = tcp.get(c);
        return Optional.ofNullable(slot == null ? null : slot.get(c));
    }

    public Optional<DnsResult> latest(DnsCheck c) {
        return Optional.ofNullable(dns.get(c));
    }
}
