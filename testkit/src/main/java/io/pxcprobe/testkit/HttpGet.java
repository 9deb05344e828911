package io.pxcprobe.testkit;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * GETs against one base URL ("" for whole URLs) with a 2 s connect and a whole-request deadline (5 s
 * unless told), as a scraper asks.
 */
public final class HttpGet implements AutoCloseable {
    private final String base;
    private final Duration timeout;
    private final HttpClient http =
            HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    public HttpGet(String base) {
        this(base, Duration.ofSeconds(5));
    }

    public HttpGet(String base, Duration timeout) {
        this.base = base;
        this.timeout = timeout;
    }

    /** The response to {@code path}; an interrupt is kept on the thread and reads as an IOException. */
    public HttpResponse<String> send(String path) throws IOException {
        try {
            return http.send(
                    HttpRequest.newBuilder(URI.create(base + path))
                            .timeout(timeout)
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted: GET " + base + path);
        }
    }

    /** The body of {@code path}, which must answer 200: anything else fails the test with the URL and the body. */
    public String ok(String path) {
        try {
            HttpResponse<String> r = send(path);
            if (r.statusCode() != 200) {
                throw new AssertionError(base + path + ": HTTP " + r.statusCode() + " " + r.body());
            }
            return r.body();
        } catch (IOException e) {
            throw new AssertionError(base + path + ": " + e, e);
        }
    }

    @Override
    public void close() {
        http.shutdownNow();
    }
}
