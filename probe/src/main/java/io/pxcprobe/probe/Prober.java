package io.pxcprobe.probe;

import io.pxcprobe.plan.Check;
import java.util.concurrent.CompletableFuture;

/**
 * Runs one check. The future always completes normally, by the check's deadline plus a small
 * margin: every failure is an outcome, never an exception. Implementations never block the caller.
 */
public interface Prober<C extends Check, R> extends AutoCloseable {

    CompletableFuture<R> probe(C check);

    @Override
    void close();
}
