package io.pxcprobe.log;

import io.pxcprobe.kind.CheckKind;
import io.pxcprobe.kind.Kinds;
import io.pxcprobe.plan.Check;
import io.pxcprobe.plan.ProbePlan;
import io.pxcprobe.result.Result;
import io.pxcprobe.result.ResultListener;
import java.util.HashSet;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One INFO line when a check's outcome changes, never one per probe:
 * {@code gcomm cluster1-pxc-1 (db/cluster1 10.0.0.5:4567) from node-a: open -> timeout}.
 */
public final class StateChangeLog implements ResultListener {
    private static final Logger LOG = LoggerFactory.getLogger("pxc_probe.state");
    private final String node;
    private final Kinds kinds;
    private final Map<Check, String> last = new ConcurrentHashMap<>();

    public StateChangeLog(String node, Kinds kinds) {
        this.node = node;
        this.kinds = kinds;
    }

    @Override
    public void onResult(Result result) {
        log(kinds.of(result), result);
    }

    private <C extends Check, R extends Result> void log(CheckKind<C, R> kind, Result result) {
        R r = kind.resultType().cast(result);
        String outcome = kind.outcomeLabel(r);
        String before = last.put(r.check(), outcome);
        if (outcome.equals(before)) {
            return;
        }
        String what = kind.subject(kind.checkType().cast(r.check()));
        String problem = kind.problem(r);
        String detail = problem.isEmpty() ? "" : " [" + problem + "]";
        if (before == null) {
            if (kind.healthy(r)) {
                LOG.debug("{} from {}: {}", what, node, outcome);
            } else {
                LOG.info("{} from {}: {} (first check){}", what, node, outcome, detail);
            }
        } else {
            LOG.info("{} from {}: {} -> {}{}", what, node, before, outcome, detail);
        }
    }

    @Override
    public void onPlan(ProbePlan plan) {
        last.keySet().retainAll(new HashSet<>(plan.allChecks()));
    }
}
