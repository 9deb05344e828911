package io.pxcprobe.state;

import io.pxcprobe.plan.Check;
import io.pxcprobe.plan.DnsCheck;
import io.pxcprobe.plan.ProbePlan;
import io.pxcprobe.plan.TcpCheck;
import io.pxcprobe.result.DnsResult;
import io.pxcprobe.result.ResultListener;
import io.pxcprobe.result.TcpResult;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** The latest result of every check in the plan, for /targets, /readyz and /probe. */
public final class LatestResults implements ResultListener {
    private final Map<String, TcpResult> tcp = new ConcurrentHashMap<>();
    private final Map<String, DnsResult> dns = new ConcurrentHashMap<>();
    private volatile ProbePlan plan = ProbePlan.EMPTY;
    private volatile Map<String, Check> planned = Map.of();

    @Override
    public void onTcp(TcpResult r) {
        if (planned.containsKey(r.check().key())) {
            tcp.put(r.check().key(), r);
        }
    }

    @Override
    public void onDns(DnsResult r) {
        if (planned.containsKey(r.check().key())) {
            dns.put(r.check().key(), r);
        }
    }

    @Override
    public void onPlan(ProbePlan newPlan) {
        Map<String, Check> keys = new ConcurrentHashMap<>();
        newPlan.allChecks().forEach(c -> keys.put(c.key(), c));
        planned = keys;
        plan = newPlan;
        tcp.keySet().retainAll(keys.keySet());
        dns.keySet().retainAll(keys.keySet());
    }

    public ProbePlan plan() {
        return plan;
    }

    public Optional<TcpResult> latest(TcpCheck c) {
        return Optional.ofNullable(tcp.get(c.key()));
    }

    public Optional<DnsResult> latest(DnsCheck c) {
        return Optional.ofNullable(dns.get(c.key()));
    }
}
