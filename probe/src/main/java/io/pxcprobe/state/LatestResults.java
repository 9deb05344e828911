package io.pxcprobe.state;

import io.pxcprobe.kind.CheckKind;
import io.pxcprobe.kind.Kinds;
import io.pxcprobe.kind.ResultSlot;
import io.pxcprobe.plan.Check;
import io.pxcprobe.plan.ProbePlan;
import io.pxcprobe.result.Result;
import io.pxcprobe.result.ResultListener;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The latest result of every check in the plan, for /targets, /readyz and /probe. A check's slot
 * (its kind's {@link ResultSlot}) is made with the plan, so that recording a result is a map lookup
 * and a store, and a result for a check that left the plan finds no slot. A check that only changes
 * its schedule (the probe budget stretching its interval as agents come and go) keeps its slot: its
 * latest result still holds, and its next run may be a whole interval away.
 */
public final class LatestResults implements ResultListener {
    private final Kinds kinds;
    private volatile Map<String, Slot<?, ?>> slots = Map.of();
    private volatile ProbePlan plan = ProbePlan.EMPTY;

    public LatestResults(Kinds kinds) {
        this.kinds = kinds;
    }

    @Override
    public void onResult(Result result) {
        Slot<?, ?> slot = slots.get(result.check().key());
        if (slot != null && slot.check().sameProbeAs(result.check())) {
            slot.set(result);
        }
    }

    @Override
    public void onPlan(ProbePlan newPlan) {
        Map<String, Slot<?, ?>> previous = slots;
        Map<String, Slot<?, ?>> next = new HashMap<>();
        for (Check c : newPlan.allChecks()) {
            Slot<?, ?> slot = previous.get(c.key());
            next.put(c.key(), slot != null && slot.check().sameProbeAs(c) ? slot.on(c) : Slot.of(kinds.of(c), c));
        }
        slots = Map.copyOf(next);
        plan = newPlan;
    }

    public ProbePlan plan() {
        return plan;
    }

    /** The latest result of {@code check}, of its kind's result type; empty while pending or for a check not planned. */
    public <R extends Result> Optional<R> latest(Check check, Class<R> type) {
        Slot<?, ?> slot = slots.get(check.key());
        return Optional.ofNullable(slot == null || !slot.check().sameProbeAs(check) ? null : slot.get(check))
                .map(type::cast);
    }

    /** @param check the check as the plan in force has it */
    private record Slot<C extends Check, R extends Result>(CheckKind<C, R> kind, ResultSlot<C, R> slot, Check check) {

        static <C extends Check, R extends Result> Slot<C, R> of(CheckKind<C, R> kind, Check check) {
            return new Slot<>(kind, kind.newSlot(), check);
        }

        /** The same stored result under the check as the new plan has it. */
        Slot<C, R> on(Check c) {
            return new Slot<>(kind, slot, c);
        }

        void set(Result r) {
            slot.set(kind.resultType().cast(r));
        }

        Result get(Check c) {
            return slot.get(kind.checkType().cast(c));
        }
    }
}
