package io.pxcprobe.agent;

import io.pxcprobe.plan.Check;
import io.pxcprobe.plan.DnsCheck;
import io.pxcprobe.plan.TcpCheck;
import io.pxcprobe.probe.Prober;
import io.pxcprobe.result.DnsResult;
import io.pxcprobe.result.ResultListener;
import io.pxcprobe.result.TcpResult;
import java.util.concurrent.CompletableFuture;

/** Sends each check to the prober of its kind and mode; scheduled results go to the listeners. */
final class ProbeDispatcher {
    private final TcpProbers tcp;
    private final Prober<DnsCheck, DnsResult> dns;
    private final ResultListener results;

    ProbeDispatcher(TcpProbers tcp, Prober<DnsCheck, DnsResult> dns, ResultListener results) {
        this.tcp = tcp;
        this.dns = dns;
        this.results = results;
    }

    /** A scheduled run: the result is published. */
    CompletableFuture<?> run(Check check) {
        return switch (check) {
            case TcpCheck t -> probeTcp(t).thenAccept(results::onResult);
            case DnsCheck d -> dns.probe(d).thenAccept(results::onResult);
        };
    }

    /** An ad hoc run: the result goes only to the caller. */
    CompletableFuture<TcpResult> probeTcp(TcpCheck check) {
        return tcp.probe(check);
    }

    CompletableFuture<DnsResult> probeDns(DnsCheck check) {
        return dns.probe(check);
    }
}
