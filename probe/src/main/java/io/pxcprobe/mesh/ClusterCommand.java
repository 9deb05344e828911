package io.pxcprobe.mesh;

import io.pxcprobe.cli.CommandLine;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code pxc-probe cluster --url U}: asks one agent's {@code /cluster} (from a laptop, through
 * {@code kubectl port-forward}) and prints the same table. Exit 0 when every agent answered and
 * everything is up, 1 when something is down or silent, 2 on bad usage or no answer from the agent.
 */
public final class ClusterCommand {
    static final int HEALTHY = 0;
    static final int DOWN = 1;
    static final int NO_ANSWER = 2;
    /** More than /cluster takes at its largest settings: three times a 30 s peer deadline. */
    private static final Duration DEADLINE = Duration.ofSeconds(100);

    private static final long MAX_BODY = 64L << 20;
    private static final JsonMapper JSON = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

    private ClusterCommand() {}

    public static int run(CommandLine cmd, PrintStream out, PrintStream err) {
        URI uri = clusterUri(cmd.url(), cmd.namespace(), cmd.cluster());
        HttpClient http = HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(5))
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        HttpRequest req = HttpRequest.newBuilder(uri)
                .timeout(DEADLINE)
                .header("Accept", "application/json")
                .GET()
                .build();
        byte[] body;
        int status;
        try {
            HttpResponse<InputStream> res = http.send(req, HttpResponse.BodyHandlers.ofInputStream());
            status = res.statusCode();
            try (InputStream in = res.body()) {
                body = in.readNBytes((int) MAX_BODY + 1);
            }
        } catch (IOException e) {
            err.println("pxc-probe cluster: no answer from " + uri + ": "
                    + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
            return NO_ANSWER;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return NO_ANSWER;
        }
        if (body.length > MAX_BODY) {
            err.println("pxc-probe cluster: the answer of " + uri + " is larger than " + (MAX_BODY >> 20) + " MiB");
            return NO_ANSWER;
        }
        String text = new String(body, StandardCharsets.UTF_8);
        if (status != 200) {
            err.println(
                    "pxc-probe cluster: " + uri + " answered HTTP " + status + ": " + PeerReplies.clean(text.strip()));
            return NO_ANSWER;
        }
        ClusterView view;
        try {
            view = JSON.readValue(body, ClusterView.class);
        } catch (JacksonException e) {
            err.println("pxc-probe cluster: " + uri + " did not answer with the JSON of /cluster (an agent older than"
                    + " this command?): " + PeerReplies.clean(e.getOriginalMessage()));
            return NO_ANSWER;
        }
        out.print(cmd.json() ? text : ClusterTable.render(view));
        return view.healthy() ? HEALTHY : DOWN;
    }

    static URI clusterUri(URI agent, String namespace, String cluster) {
        String base = agent.toString().replaceAll("/+$", "");
        StringBuilder q = new StringBuilder(base).append("/cluster?format=json");
        if (namespace != null) {
            q.append("&namespace=").append(URLEncoder.encode(namespace, StandardCharsets.UTF_8));
        }
        if (cluster != null) {
            q.append("&cluster=").append(URLEncoder.encode(cluster, StandardCharsets.UTF_8));
        }
        return URI.create(q.toString());
    }
}
