package io.pxcprobe.kind;

import io.pxcprobe.plan.Check;
import io.pxcprobe.result.Result;

/** One check's latest result in the latest-state store; thread-safe. */
public interface ResultSlot<C extends Check, R extends Result> {

    void set(R result);

    /** The latest result, or null before the first. */
    R get(C check);
}
