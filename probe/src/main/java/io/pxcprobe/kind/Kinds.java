package io.pxcprobe.kind;

import io.pxcprobe.plan.Check;
import io.pxcprobe.result.Result;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The kinds of check this agent runs, in the order its tables and reports list them. */
public final class Kinds {
    private final List<CheckKind<?, ?>> all;
    private final Map<Class<?>, CheckKind<?, ?>> byCheckType = new LinkedHashMap<>();

    public Kinds(List<CheckKind<?, ?>> kinds) {
        this.all = List.copyOf(kinds);
        for (CheckKind<?, ?> k : all) {
            if (byCheckType.put(k.checkType(), k) != null) {
                throw new IllegalArgumentException(
                        "two kinds for " + k.checkType().getSimpleName());
            }
        }
    }

    public List<CheckKind<?, ?>> all() {
        return all;
    }

    /** Their {@link CheckKind#name()}s. */
    public List<String> names() {
        return all.stream().map(CheckKind::name).toList();
    }

    /** The kind of a check; every check the plan can hold has one, so a miss is a registration bug. */
    public CheckKind<?, ?> of(Check check) {
        CheckKind<?, ?> k = byCheckType.get(check.getClass());
        if (k == null) {
            throw new IllegalStateException(
                    "no kind registered for " + check.getClass().getSimpleName());
        }
        return k;
    }

    public CheckKind<?, ?> of(Result result) {
        return of(result.check());
    }

    /** The checks of one kind among {@code checks}, typed. */
    public static <C extends Check> List<C> only(CheckKind<C, ?> kind, List<? extends Check> checks) {
        return checks.stream()
                .filter(kind.checkType()::isInstance)
                .map(kind.checkType()::cast)
                .toList();
    }
}
