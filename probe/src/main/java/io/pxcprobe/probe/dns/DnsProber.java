package io.pxcprobe.probe.dns;

import io.pxcprobe.config.ResolverSpec;
import io.pxcprobe.plan.DnsCheck;
import io.pxcprobe.probe.Prober;
import io.pxcprobe.result.DnsOutcome;
import io.pxcprobe.result.DnsResult;
import io.pxcprobe.target.DnsExpectation;
import java.io.IOException;
import java.net.PortUnreachableException;
import java.net.SocketTimeoutException;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SimpleResolver;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.WireParseException;

/**
 * Asks one resolver for one name with dnsjava's asynchronous client (no search list, no cache:
 * what the resolver says right now) and judges the answer against what discovery expects.
 */
public final class DnsProber implements Prober<DnsCheck, DnsResult> {
    private static final long DEADLINE_MARGIN_MILLIS = 250;
    private final ConcurrentHashMap<String, SimpleResolver> resolvers = new ConcurrentHashMap<>();

    @Override
    public CompletableFuture<DnsResult> probe(DnsCheck check) {
        long wallStart = System.currentTimeMillis();
        long start = System.nanoTime();
        Message query;
        try {
            Name name = Name.fromString(check.target().name() + ".");
            query = Message.newQuery(
                    Record.newRecord(name, check.target().type().code(), DClass.IN));
        } catch (TextParseException e) {
            return CompletableFuture.completedFuture(
                    new DnsResult(check, DnsOutcome.ERROR, -1, List.of(), "bad name", wallStart));
        }
        SimpleResolver resolver = resolverFor(check);
        CompletableFuture<Message> reply;
        try {
            reply = resolver.sendAsync(query, Runnable::run).toCompletableFuture();
        } catch (RuntimeException e) {
            reply = CompletableFuture.failedFuture(e);
        }
        long deadline = check.timeout().toMillis() + DEADLINE_MARGIN_MILLIS;
        return reply.orTimeout(deadline, TimeUnit.MILLISECONDS)
                .handle((msg, err) -> err == null
                        ? judge(check, msg, System.nanoTime() - start, wallStart)
                        : failure(check, err, wallStart));
    }

    /**
     * Forgets the resolvers no check in {@code inForce} asks: resolvers follow the CoreDNS
     * endpoints, whose addresses change with every CoreDNS rollout.
     */
    public void retainResolversOf(Collection<DnsCheck> inForce) {
        Set<String> keep = new HashSet<>();
        inForce.forEach(c -> keep.add(key(c)));
        resolvers.keySet().retainAll(keep);
    }

    int resolverCount() {
        return resolvers.size();
    }

    private static String key(DnsCheck check) {
        return check.resolver().label() + "/" + check.timeout().toMillis();
    }

    private SimpleResolver resolverFor(DnsCheck check) {
        ResolverSpec spec = check.resolver();
        return resolvers.computeIfAbsent(key(check), k -> {
            SimpleResolver r = new SimpleResolver(spec.address());
            r.setTimeout(check.timeout());
            return r;
        });
    }

    static DnsResult judge(DnsCheck check, Message reply, long nanos, long wallStart) {
        int rcode = reply.getRcode();
        DnsOutcome byRcode = switch (rcode) {
            case Rcode.NOERROR -> null;
            case Rcode.NXDOMAIN -> DnsOutcome.NXDOMAIN;
            case Rcode.SERVFAIL -> DnsOutcome.SERVFAIL;
            case Rcode.REFUSED -> DnsOutcome.REFUSED;
            default -> DnsOutcome.ERROR;
        };
        if (byRcode != null) {
            return new DnsResult(check, byRcode, nanos, List.of(), Rcode.string(rcode), wallStart);
        }
        List<String> values = DnsAnswers.values(reply, check.target().type());
        DnsExpectation expected = check.target().expected();
        if (values.isEmpty()) {
            boolean emptyExpected = expected.match() == DnsExpectation.Match.EQUALS
                    && expected.values().isEmpty();
            return new DnsResult(
                    check, emptyExpected ? DnsOutcome.OK : DnsOutcome.EMPTY, nanos, values, "no records", wallStart);
        }
        if (!expected.accepts(new HashSet<>(values))) {
            return new DnsResult(
                    check,
                    DnsOutcome.MISMATCH,
                    nanos,
                    values,
                    "expected " + expected.match().name().toLowerCase(Locale.ROOT) + " "
                            + expected.values().stream().sorted().toList(),
                    wallStart);
        }
        return new DnsResult(check, DnsOutcome.OK, nanos, values, "", wallStart);
    }

    private static DnsResult failure(DnsCheck check, Throwable err, long wallStart) {
        Throwable cause = err instanceof CompletionException && err.getCause() != null ? err.getCause() : err;
        DnsOutcome outcome;
        String detail;
        if (cause instanceof TimeoutException || cause instanceof SocketTimeoutException) {
            outcome = DnsOutcome.TIMEOUT;
            detail = "no reply before the deadline";
        } else if (cause instanceof PortUnreachableException) {
            outcome = DnsOutcome.ERROR;
            detail = "ICMP port unreachable: no DNS server at "
                    + check.resolver().label();
        } else if (cause instanceof WireParseException) {
            outcome = DnsOutcome.ERROR;
            detail = "malformed reply";
        } else if (cause instanceof IOException io
                && io.getMessage() != null
                && io.getMessage().contains("Timed out")) {
            outcome = DnsOutcome.TIMEOUT;
            detail = "no reply before the deadline";
        } else {
            outcome = DnsOutcome.ERROR;
            detail = cause.getClass().getSimpleName();
        }
        return new DnsResult(check, outcome, -1, List.of(), detail, wallStart);
    }

    @Override
    public void close() {
        resolvers.clear();
    }
}
