package io.pxcprobe.result;

import io.pxcprobe.plan.Check;

/** The outcome of one check run, of whichever kind; consumers switch over the kinds exhaustively. */
public sealed interface Result permits TcpResult, DnsResult {

    Check check();

    /** Wall-clock start, for ages in /targets. */
    long startedAtMillis();
}
