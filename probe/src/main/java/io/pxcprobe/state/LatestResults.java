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
 * and a store, and a result for a check that left the plan finds no slot.
 */
public final class LatestResults implements ResultListener {
    private final Kinds kinds;
    private volatile Map<Check, Slot<?, ?>> slots = Map.of();
    private volatile ProbePlan plan = ProbePlan.EMPTY;

    public LatestResults(Kinds kinds) {
        this.kinds = kinds;
    }

    @Override
    public void onResult(Result result) {
        Slot<?, ?> slot = slots.get(result.check());
        if (slot != null) {
            slot.set(result);
        }
    }

    @Override
    public void onPlan(ProbePlan newPlan) {
        Map<Check, Slot<?, ?>> previous = slots;
        Map<Check, Slot<?, ?>> next = new HashMap<>();
        for (Check c : newPlan.allChecks()) {
            Slot<?, ?> slot = previous.get(c);
            next.put(c, slot != null ? slot : Slot.of(kinds.of(c)));
        }
        slots = Map.copyOf(next);
        plan = newPlan;
    }

    public ProbePlan plan() {
        return plan;
    }

    /** The latest result of {@code check}, of its kind's result type; empty while pending or for a check not planned. */
    public <R extends Result> Optional<R> latest(Check check, Class<R> type) {
        Slot<?, ?> slot = slots.get(check);
        return Optional.ofNullable(slot == null ? null : slot.get(check)).map(type::cast);
    }

    private record Slot<C extends Check, R extends Result>(CheckKind<C, R> kind, ResultSlot<C, R> slot) {

        static <C extends Check, R extends Result> Slot<C, R> of(CheckKind<C, R> kind) {
            return new Slot<>(kind, kind.newSlot());
        }

        void set(Result r) {
            slot.set(kind.resultType().cast(r));
        }

        Result get(Check c) {
            return slot.get(kind.checkType().cast(c));
        }
    }
}
