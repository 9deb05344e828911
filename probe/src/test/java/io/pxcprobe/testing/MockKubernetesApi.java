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
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Queue;

/**
 * fabric8's mock API server in CRUD mode on a fixed loopback port, for tests outside the discovery
 * package: it can be stopped and started again with its objects kept, as an API server that goes
 * away and comes back. Plain HTTP.
 */
public final class MockKubernetesApi implements AutoCloseable {

    /** The operator's CRD, so that the CRUD store serves PerconaXtraDBCluster objects. */
    public static final CustomResourceDefinitionContext PXC_CRD = new CustomResourceDefinitionContext.Builder()
            .withGroup("pxc.percona.com").withVersion("v1").withKind("PerconaXtraDBCluster")
            .withPlural("perconaxtradbclusters").withScope("Namespaced").build();

    private final Map<ServerRequest, Queue<ServerResponse>> expectations = new HashMap<>();
    private final KubernetesMixedDispatcher crud = new KubernetesMixedDispatcher(expectations);
    private final int port;
    private KubernetesMockServer server;

    public MockKubernetesApi() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        crud.expectCustomResource(PXC_CRD);
        start();
    }

    public synchronized void start() {
        server = new KubernetesMockServer(new Context(), new MockWebServer(), expectations, crud, false);
        server.init(InetAddress.getLoopbackAddress(), port);
    }

    /** Closes the listening socket and every open watch; the objects stay for {@link #start()}. */
    public synchronized void stop() {
        if (server != null) {
            server.destroy();
            server = null;
        }
    }

    public String url() {
        return "http://127.0.0.1:" + port;
    }

    /** A client for the test itself, to create and change objects. */
    public KubernetesClient newClient() {
        Config config = new ConfigBuilder(Config.empty()).withMasterUrl(url()).withNamespace("default").build();
        return new KubernetesClientBuilder().withConfig(config).build();
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
        stop();
        crud.shutdown();
    }
}
