package io.pxcprobe.log;

import io.pxcprobe.plan.ProbePlan;
import io.pxcprobe.result.DnsResult;
import io.pxcprobe.result.Result;
import io.pxcprobe.result.ResultListener;
import io.pxcprobe.result.TcpOutcome;
import io.pxcprobe.result.TcpResult;
import java.util.HashSet;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One INFO line when a check's outcome changes, never one per probe:
 * {@code gcomm cluster1-pxc-1 (db/cluster1) from node-a: open -> timeout}.
 */
public final class StateChangeLog implements ResultListener {
    private static final Logger LOG = LoggerFactory.getLogger("pxc_probe.state");
    private final String node;
    private final Map<Object, String> last = new ConcurrentHashMap<>();

    public StateChangeLog(String node) {
        this.node = node;
    }

    @Override
    public void onResult(Result result) {
        switch (result) {
            case TcpResult t -> tcp(t);
            case DnsResult d -> dns(d);
        }
    }

    private void tcp(TcpResult r) {
        String before = last.put(r.check(), r.outcome().label());
        if (r.outcome().label().equals(before)) {
            return;
        }
        var m = r.check().member();
        String what = r.check().port().name() + " " + m.pod() + " (" + m.namespace() + "/" + m.cluster() + " "
                + r.check().remote().getAddress().getHostAddress() + ":" + r.check().port().port() + ")";
        String detail = r.errno() != 0 || r.outcome() == TcpOutcome.ERROR ? " [" + r.detail() + "]" : "";
        log(before, r.outcome().label(), r.pathUp(), what, detail);
    }

    private void dns(DnsResult r) {
        String before = last.put(r.check(), r.outcome().label());
        if (r.outcome().label().equals(before)) {
            return;
        }
        var t = r.check().target();
        String what = "dns " + t.type() + " " + t.name() + " @" + r.check().resolver().label();
        String detail = r.ok() ? "" : " [" + r.detail() + "]";
        log(before, r.outcome().label(), r.ok(), what, detail);
    }

    @Override
    public void onPlan(ProbePlan plan) {
        last.keySet().retainAll(new HashSet<Object>(plan.allChecks()));
    }

    private void log(String before, String outcome, boolean healthy, String what, String detail) {
        if (before == null) {
            if (healthy) {
                LOG.debug("{} from {}: {}", what, node, outcome);
            } else {
                LOG.info("{} from {}: {} (first check){}", what, node, outcome, detail);
            }
        } else {
            LOG.info("{} from {}: {} -> {}{}", what, node, before, outcome, detail);
        }
    }
}
