package io.pxcprobe.agent;

import io.pxcprobe.kind.CheckKind;
import io.pxcprobe.kind.Kinds;
import io.pxcprobe.plan.Check;
import io.pxcprobe.probe.Prober;
import io.pxcprobe.result.Result;
import io.pxcprobe.result.ResultListener;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** Sends each check to the prober of its kind; scheduled results go to the listeners. */
final class ProbeDispatcher implements AutoCloseable {
    private final List<KindProber<?, ?>> probers;
    private final Map<Class<?>, KindProber<?, ?>> byCheckType = new HashMap<>();
    private final ResultListener results;

    /** A kind of check and the prober that runs it: one registration in the agent. */
    record KindProber<C extends Check, R extends Result>(CheckKind<C, R> kind, Prober<C, R> prober) {

        CompletableFuture<Result> probe(Check check) {
            return prober.probe(kind.checkType().cast(check)).thenApply(Result.class::cast);
        }
    }

    ProbeDispatcher(List<KindProber<?, ?>> probers, ResultListener results) {
        this.probers = List.copyOf(probers);
        this.probers.forEach(p -> byCheckType.put(p.kind().checkType(), p));
        this.results = results;
    }

    /** The kinds of {@code probers}, in their order: the order of tables and reports. */
    static Kinds kindsOf(List<KindProber<?, ?>> probers) {
        return new Kinds(probers.stream().<CheckKind<?, ?>>map(KindProber::kind).toList());
    }

    /** A scheduled run: the result is published. */
    CompletableFuture<?> run(Check check) {
        return probe(check).thenAccept(results::onResult);
    }

    /** An ad hoc run: the result goes only to the caller. */
    CompletableFuture<Result> probe(Check check) {
        KindProber<?, ?> p = byCheckType.get(check.getClass());
        if (p == null) {
            return CompletableFuture.failedFuture(
                    new IllegalStateException("no prober for " + check.kind() + " checks"));
        }
        return p.probe(check);
    }

    @Override
    public void close() {
        probers.forEach(p -> p.prober().close());
    }
}
