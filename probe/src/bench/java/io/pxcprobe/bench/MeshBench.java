package io.pxcprobe.bench;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.pxcprobe.agent.Agent;
import io.pxcprobe.agent.AgentOptions;
import io.pxcprobe.agent.DiscoveryFactory;
import io.pxcprobe.agent.TcpModes;
import io.pxcprobe.config.ConfigLoader;
import io.pxcprobe.mesh.PeerTargets;
import io.pxcprobe.net.Transport;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code /cluster}'s fan-out for N agents (not a test): N answering "agents" on loopback addresses
 * 127.3.x.y, each serving a /targets answer of {@code pods} pods x 4 ports as a real agent does, and
 * one real agent asking them all. Prints the median and worst time of /cluster per N, per agent
 * asked, and as a ratio to N = 1 measured in the same run; the reference is one direct GET of one
 * agent's /targets, also in this run.
 *
 * <p>Arguments: {@code counts} (e.g. 1,10,100,500), {@code rounds}, {@code pods}.
 */
public final class MeshBench {
    private static final JsonMapper JSON = JsonMapper.builder().build();

    private MeshBench() {}

    public static void main(String[] args) throws Exception {
        int[] counts = Arrays.stream(args.length > 0 ? args[0].split(",") : new String[] {"1", "10", "100", "500"})
                .mapToInt(Integer::parseInt)
                .toArray();
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 7;
        int pods = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        int max = Arrays.stream(counts).max().orElse(1);
        int fakePort = freePort();
        Transport transport = Transport.best();
        EventLoopGroup group = transport.newGroup(1, "fake-agents");
        List<Channel> servers = new ArrayList<>();
        List<String> addresses = new ArrayList<>();
        HttpClient client =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        try {
            for (int i = 0; i < max; i++) {
                String host = "127.3." + (i / 250) + "." + (i % 250 + 1);
                byte[] body = JSON.writeValueAsBytes(targets("node-" + i, pods));
                servers.add(new ServerBootstrap()
                        .group(group)
                        .channel(transport.serverChannel())
                        .childHandler(new ChannelInitializer<SocketChannel>() {
                            @Override
                            protected void initChannel(SocketChannel ch) {
                                ch.pipeline()
                                        .addLast(new HttpServerCodec())
                                        .addLast(new HttpObjectAggregator(4096))
                                        .addLast(new Answer(body));
                            }
                        })
                        .bind(new InetSocketAddress(host, fakePort))
                        .syncUninterruptibly()
                        .channel());
                addresses.add(host + ":" + fakePort);
            }
            double reference =
                    median(direct(client, "http://" + addresses.getFirst() + "/targets?format=json", rounds));
            System.out.printf(
                    Locale.ROOT,
                    "reference: one agent's /targets directly, median %.2f ms (%d pods x 4 ports)%n%n",
                    reference,
                    pods);
            System.out.println("| agents asked | median ms | worst ms | ms per agent | ratio to N=1 | answered |");
            System.out.println("|---|---|---|---|---|---|");
            double one = Double.NaN;
            for (int n : counts) {
                double[] ms = new double[rounds];
                int answered = run(client, addresses.subList(0, n), rounds, ms);
                double med = median(ms);
                if (Double.isNaN(one)) {
                    one = med;
                }
                System.out.printf(
                        Locale.ROOT,
                        "| %d | %.1f | %.1f | %.3f | %.1f | %d |%n",
                        n,
                        med,
                        Arrays.stream(ms).max().orElse(0),
                        med / n,
                        med / one,
                        answered);
            }
        } finally {
            servers.forEach(Channel::close);
            group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
        }
    }

    /** Starts one real agent asking {@code peers}, times {@code rounds} /cluster answers after two to warm up. */
    private static int run(HttpClient client, List<String> peers, int rounds, double[] ms) throws Exception {
        int port = freePort();
        String yaml = """
                node: asker
                http: {bind: 127.0.0.1, port: %d}
                peers:
                  addresses: [%s]
                  timeout: 5s
                  maxAgents: 10000
                  maxBodyKiB: 1024
                  ratePerMinute: 600
                  burst: 100
                """.formatted(
                port, String.join(", ", peers.stream().map(p -> "\"" + p + "\"").toList()));
        var config = ConfigLoader.fromEnvironment().parse("bench.yaml", yaml);
        int answered = 0;
        try (Agent agent = Agent.start(
                config,
                AgentOptions.defaults(null)
                        .withSources(DiscoveryFactory.none())
                        .withTcpModes(TcpModes.connectOnly()))) {
            String url = "http://127.0.0.1:" + port + "/cluster?format=json";
            for (int i = 0; i < 2; i++) {
                get(client, url);
            }
            for (int i = 0; i < rounds; i++) {
                long t = System.nanoTime();
                JsonNode v = JSON.readTree(get(client, url));
                ms[i] = (System.nanoTime() - t) / 1e6;
                answered = v.get("agentsAnswered").asInt();
            }
        }
        return answered;
    }

    private static double[] direct(HttpClient client, String url, int rounds) throws Exception {
        for (int i = 0; i < 2; i++) {
            get(client, url);
        }
        double[] ms = new double[rounds];
        for (int i = 0; i < rounds; i++) {
            long t = System.nanoTime();
            get(client, url);
            ms[i] = (System.nanoTime() - t) / 1e6;
        }
        return ms;
    }

    private static String get(HttpClient client, String url) throws Exception {
        HttpResponse<String> r = client.send(
                HttpRequest.newBuilder(URI.create(url))
                        .timeout(Duration.ofSeconds(60))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException(url + ": " + r.statusCode() + " " + r.body());
        }
        return r.body();
    }

    /** What a real agent's /targets says of one cluster: every pod's four ports up, the verdict ready. */
    private static PeerTargets targets(String node, int pods) {
        List<PeerTargets.TcpRow> rows = new ArrayList<>();
        String[][] ports = {{"gcomm", "4567"}, {"ist", "4568"}, {"sst", "4444"}, {"admin", "33062"}};
        for (int p = 0; p < pods; p++) {
            for (String[] port : ports) {
                boolean reachable = port[0].equals("ist") || port[0].equals("sst");
                rows.add(new PeerTargets.TcpRow(
                        "db",
                        "c1",
                        "c1-pxc-" + p,
                        port[0],
                        Integer.parseInt(port[1]),
                        "10.42.0." + (p + 1),
                        reachable ? "refused" : "open",
                        true));
            }
        }
        return new PeerTargets(node, 0, rows, List.of(new PeerTargets.BackupRow("db", "c1", true, List.of())));
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static final class Answer extends SimpleChannelInboundHandler<FullHttpRequest> {
        private final byte[] body;

        Answer(byte[] body) {
            this.body = body;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest req) {
            FullHttpResponse r = new DefaultFullHttpResponse(
                    HttpVersion.HTTP_1_1, HttpResponseStatus.OK, Unpooled.wrappedBuffer(body));
            r.headers()
                    .set(HttpHeaderNames.CONTENT_TYPE, "application/json")
                    .setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
            ctx.writeAndFlush(r).addListener(ChannelFutureListener.CLOSE);
        }
    }
}
