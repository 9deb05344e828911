package io.pxcprobe.result;

import io.pxcprobe.plan.ProbePlan;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Hands every result to each consumer; one consumer's bug never stops the others. */
public final class ResultFanout implements ResultListener {
    private static final Logger LOG = LoggerFactory.getLogger(ResultFanout.class);
    private final List<ResultListener> listeners;

    public ResultFanout(List<ResultListener> listeners) {
        this.listeners = List.copyOf(listeners);
    }

    @Override
    public void onTcp(TcpResult r) {
        for (ResultListener l : listeners) {
            try {
                l.onTcp(r);
            } catch (RuntimeException e) {
                LOG.error("result consumer {} failed", l.getClass().getSimpleName(), e);
            }
        }
    }

    @Override
    public void onDns(DnsResult r) {
        for (ResultListener l : listeners) {
            try {
                l.onDns(r);
            } catch (RuntimeException e) {
                LOG.error("result consumer {} failed", l.getClass().getSimpleName(), e);
            }
        }
    }

    @Override
    public void onPlan(ProbePlan plan) {
        for (ResultListener l : listeners) {
            try {
                l.onPlan(plan);
            } catch (RuntimeException e) {
                LOG.error("result consumer {} failed on a plan change", l.getClass().getSimpleName(), e);
            }
        }
    }
}
