package io.pxcprobe.http;

import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.QueryStringEncoder;
import io.pxcprobe.config.PeersConfig;
import io.pxcprobe.mesh.AgentDirectory;
import io.pxcprobe.mesh.ClusterMerge;
import io.pxcprobe.mesh.ClusterTable;
import io.pxcprobe.mesh.Fanout;
import io.pxcprobe.mesh.PeerClient;
import io.pxcprobe.mesh.PeerReplies;
import io.pxcprobe.mesh.PeerReply;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * {@code /cluster}: asks every agent of the DaemonSet for its latest TCP results and backup
 * verdicts ({@code /targets}, never {@code /cluster}, so it cannot recurse) and merges them into
 * one table of source nodes by pods. Agents are asked in parallel, a bounded number at once, each
 * within {@code peers.timeout}; one that does not answer is a marked row. Answers are read and
 * merged on {@code executor}, never on the event loop. Rate-limited like {@code /probe}.
 */
public final class ClusterEndpoint implements BufferedEndpoint {
    private final AgentDirectory directory;
    private final PeerClient client;
    private final PeersConfig peers;
    private final Executor executor;
    private final RateLimiter limiter;
    private final String node;

    /** @param executor a bounded one: a full queue is an agent that did not answer, not a hang */
    public ClusterEndpoint(
            AgentDirectory directory, PeerClient client, PeersConfig peers, Executor executor, String node) {
        this.directory = directory;
        this.client = client;
        this.peers = peers;
        this.executor = executor;
        this.limiter = new RateLimiter(peers.ratePerSecond(), peers.burst());
        this.node = node;
    }

    @Override
    public CompletableFuture<FullHttpResponse> handle(Request req) throws Request.BadRequest {
        req.allowOnly(List.of("namespace", "cluster", "format"));
        boolean json = req.wantsJson();
        String namespace = req.param("namespace");
        String cluster = req.param("cluster");
        long wait = limiter.tryAcquire();
        if (wait > 0) {
            FullHttpResponse r = Responses.error(
                    HttpResponseStatus.TOO_MANY_REQUESTS,
                    "/cluster asks every agent and is rate-limited; retry in " + wait + "s");
            r.headers().set(HttpHeaderNames.RETRY_AFTER, wait);
            return CompletableFuture.completedFuture(r);
        }
        long start = System.nanoTime();
        String path = targetsQuery(namespace, cluster);
        Fanout<PeerReply> fanout = new Fanout<>(
                (address, deadline) -> client.get(address, path, deadline, peers.maxBodyBytes())
                        .thenApplyAsync(f -> PeerReplies.read(address, f, namespace, cluster), executor),
                PeerReplies::missed,
                peers.maxConcurrent(),
                peers.timeout());
        return directory
                .find()
                .thenCompose(found -> fanout.ask(found.agents())
                        .thenApplyAsync(
                                replies -> ClusterMerge.of(
                                        node,
                                        namespace,
                                        cluster,
                                        replies,
                                        found.leftOut(),
                                        problems(found),
                                        (System.nanoTime() - start) / 1e9),
                                executor))
                .thenApplyAsync(
                        view -> json
                                ? Responses.json(HttpResponseStatus.OK, view)
                                : Responses.text(HttpResponseStatus.OK, ClusterTable.render(view)),
                        executor);
    }

    private List<String> problems(AgentDirectory.Found found) {
        if (!peers.configured()) {
            return List.of("no peers configured (peers.dns or peers.addresses): this agent's view only");
        }
        return found.problems();
    }

    /** What each agent is asked; {@code /targets} narrows it to the cluster, so answers stay small. */
    static String targetsQuery(String namespace, String cluster) {
        QueryStringEncoder q = new QueryStringEncoder("/targets");
        q.addParam("format", "json");
        if (namespace != null) {
            q.addParam("namespace", namespace);
        }
        if (cluster != null) {
            q.addParam("cluster", cluster);
        }
        return q.toString();
    }
}
