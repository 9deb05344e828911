package io.pxcprobe.result;

import io.pxcprobe.plan.ProbePlan;

/**
 * A consumer of the result stream (metrics, the latest-state store, the state-change log).
 * Called from probe threads: implementations are thread-safe and never block.
 */
public interface ResultListener {

    void onResult(Result result);

    /** The plan changed: forget whatever belongs to checks no longer in it. */
    default void onPlan(ProbePlan plan) {}
}
