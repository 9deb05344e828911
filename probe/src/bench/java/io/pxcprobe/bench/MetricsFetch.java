package io.pxcprobe.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.zip.GZIPInputStream;

/** A gzip GET of the agent's whole /metrics, as the harness and its scraper read it. */
final class MetricsFetch {
    private MetricsFetch() {}

    /** The decompressed body; {@code accept} null asks for the default format (Prometheus text). */
    static InputStream open(HttpClient http, int port, String accept) throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/metrics"))
                .timeout(Duration.ofSeconds(30))
                .header("Accept-Encoding", "gzip");
        if (accept != null) {
            request.header("Accept", accept);
        }
        HttpResponse<InputStream> resp = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
        if (resp.statusCode() != 200) {
            resp.body().close();
            throw new IOException("/metrics answered " + resp.statusCode());
        }
        return new GZIPInputStream(resp.body());
    }

    /** The Prometheus text body, line by line. */
    static BufferedReader text(HttpClient http, int port) throws IOException, InterruptedException {
        return new BufferedReader(new InputStreamReader(open(http, port, null), StandardCharsets.UTF_8));
    }
}
