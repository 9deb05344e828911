package io.pxcprobe.result;

import io.pxcprobe.plan.ProbePlan;
import java.util.List;
import java.util.function.Consumer;
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
    public void onResult(Result r) {
        each(l -> l.onResult(r), "a result");
    }

    @Override
    public void onPlan(ProbePlan plan) {
        each(l -> l.onPlan(plan), "a plan change");
    }

    private void each(Consumer<ResultListener> call, String what) {
        for (ResultListener l : listeners) {
            try {
                call.accept(l);
            } catch (RuntimeException e) {
                LOG.error("result consumer {} failed on {}", l.getClass().getSimpleName(), what, e);
            }
        }
    }
}
