package io.pxcprobe.kind;

import io.pxcprobe.plan.Check;
import io.pxcprobe.result.Result;

/** Holds the result object itself: right for kinds whose results arrive seconds apart, not thousands a second. */
final class ReferenceSlot<C extends Check, R extends Result> implements ResultSlot<C, R> {
    private volatile R latest;

    @Override
    public void set(R result) {
        latest = result;
    }

    @Override
    public R get(C check) {
        return latest;
    }
}
