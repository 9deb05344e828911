package io.pxcprobe.testing;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.pxcprobe.testkit.FreePorts;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.slf4j.LoggerFactory;

/**
 * fabric8's mock API server in CRUD mode (with expectations taking precedence), on a fixed
 * loopback port so that it can be stopped and started again: an API server that goes away and
 * comes back with the same objects. Plain HTTP, as the agent's client does not care.
 */
public final class MockKubernetesApi implements AutoCloseable {

    /** The operator's CRD: give it to {@link #serveCustomResource} to store PerconaXtraDBCluster objects. */
    public static final CustomResourceDefinitionContext PXC_CRD = new CustomResourceDefinitionContext.Builder()
            .withGroup("pxc.percona.com")
            .withVersion("v1")
            .withKind("PerconaXtraDBCluster")
            .withPlural("perconaxtradbclusters")
            .withScope("Namespaced")
            .build();

    private final Map<ServerRequest, Queue<ServerResponse>> expectations = new HashMap<>();
    private final KubernetesMixedDispatcher crud = new KubernetesMixedDispatcher(expectations);
    private volatile Predicate<String> forbidden = path -> false;
    /** Answers 403 as RBAC would for forbidden paths, else serves the stored objects; survives restarts. */
    private final Dispatcher dispatcher = new Dispatcher() {
        @Override
        public MockResponse dispatch(RecordedRequest request) {
            if (forbidden.test(request.getPath())) {
                return new MockResponse()
                        .setResponseCode(403)
                        .setHeader("Content-Type", "application/json")
                        .setBody("""
                        {"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","reason":"Forbidden","code":403,
                         "message":"forbidden: User \\"system:serviceaccount:pxc-probe:agent\\" cannot list resource"}""");
            }
            return crud.dispatch(request);
        }
    };

    private final int port;
    /** Every client handed out: closed before the server, whose shutdown otherwise waits on their open watches. */
    private final List<KubernetesClient> clients = new CopyOnWriteArrayList<>();

    private KubernetesMockServer server;
    private final ScheduledExecutorService deadlockBreaker = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "mock-api-deadlock-breaker");
        t.setDaemon(true);
        return t;
    });

    public MockKubernetesApi() throws IOException {
        port = FreePorts.tcp();
        deadlockBreaker.scheduleWithFixedDelay(
                MockKubernetesApi::breakWatchCloseDeadlock, 100, 100, TimeUnit.MILLISECONDS);
        start();
    }

    /** Lets the CRUD store serve a custom resource, as an installed CRD would. */
    public void serveCustomResource(CustomResourceDefinitionContext crd) {
        crud.expectCustomResource(crd);
    }

    /** Requests whose path matches get 403 Forbidden from now on. */
    public void forbid(Predicate<String> paths) {
        forbidden = paths;
    }

    public synchronized void start() {
        server = new KubernetesMockServer(new Context(), new MockWebServer(), expectations, dispatcher, false);
        server.init(InetAddress.getLoopbackAddress(), port);
    }

    /** Closes the listening socket and every open watch; the objects stay for {@link #start()}. */
    public synchronized void stop() {
        if (server != null) {
            server.destroy();
            server = null;
        }
    }

    /**
     * fabric8 mockwebserver 8.0.0 deadlocks when a watch closes while an event for it is being sent:
     * the event loop, in WatchEventsListener.onClosed/onFailure, awaits the sender's executor, and
     * the sender awaits a write that only that event loop can do, until a 30 s write timeout. Test
     * teardowns and informer restarts close watches at any moment, so the deadlock shows under load
     * (then Vert.x misses the 10 s it gives itself to shut down). Interrupting the sender ends it
     * as the timeout would, only at once: that event was going to be lost with its watch anyway.
     */
    private static void breakWatchCloseDeadlock() {
        Map<Thread, StackTraceElement[]> threads = Thread.getAllStackTraces();
        boolean loopWaitsForSender = threads.entrySet().stream()
                .anyMatch(t -> t.getKey().getName().startsWith("vert.x-eventloop")
                        && calls(t.getValue(), "", "awaitTermination")
                        && (calls(t.getValue(), "WatchEventsListener", "onClosed")
                                || calls(t.getValue(), "WatchEventsListener", "onFailure")));
        if (loopWaitsForSender) {
            threads.forEach((thread, stack) -> {
                if (calls(stack, "VertxMockWebSocket", "awaitWrite")) {
                    LoggerFactory.getLogger(MockKubernetesApi.class)
                            .info("Interrupting {}: the mock's watch-close deadlock", thread.getName());
                    thread.interrupt();
                }
            });
        }
    }

    private static boolean calls(StackTraceElement[] stack, String classSuffix, String methodPrefix) {
        return Arrays.stream(stack)
                .anyMatch(f -> f.getClassName().endsWith(classSuffix)
                        && f.getMethodName().startsWith(methodPrefix));
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    /** A client for the test itself, to create and change objects. */
    public KubernetesClient newClient() {
        return newClient(config -> {});
    }

    /** A client whose config {@code tuning} adjusts first, e.g. the way the agent tunes its own. */
    public KubernetesClient newClient(Consumer<Config> tuning) {
        Config config = new ConfigBuilder(Config.empty())
                .withMasterUrl(url())
                .withNamespace("default")
                .build();
        tuning.accept(config);
        KubernetesClient client =
                new KubernetesClientBuilder().withConfig(config).build();
        clients.add(client);
        return client;
    }

    /** A kubeconfig pointing at this server, for the agent's own way of building its client. */
    public Path writeKubeconfig(Path dir) throws IOException {
        Path file = dir.resolve("kubeconfig");
        Files.writeString(file, """
                apiVersion: v1
                kind: Config
                clusters:
                - name: mock
                  cluster:
                    server: %s
                users:
                - name: agent
                  user:
                    token: test-token
                contexts:
                - name: mock
                  context:
                    cluster: mock
                    user: agent
                    namespace: default
                current-context: mock
                """.formatted(url()));
        return file;
    }

    @Override
    public void close() {
        clients.forEach(KubernetesClient::close);
        stop();
        crud.shutdown();
        deadlockBreaker.shutdownNow();
    }
}
