package io.pxcprobe.http;

import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.Executor;

/**
 * An endpoint whose body is too large to build in memory (a /metrics of thousands of targets is tens
 * of MiB as text): it is written in chunks, gzip-compressed when the client accepts it, on the
 * endpoint's own executor, with the channel's backpressure.
 */
public non-sealed interface StreamingEndpoint extends Endpoint {

    /** Validates the request and says how to write the body; throws for a client mistake. */
    Body open(Request request) throws Request.BadRequest;

    /** Where the body is written: never the event loop. Rejects when busy (answered 503). */
    Executor executor();

    record Body(String contentType, Writer writer) {}

    @FunctionalInterface
    interface Writer {
        void writeTo(OutputStream out) throws IOException;
    }
}
