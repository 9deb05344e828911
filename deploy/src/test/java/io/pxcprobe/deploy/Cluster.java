package io.pxcprobe.deploy;

import io.fabric8.kubernetes.api.model.APIResourceBuilder;
import io.fabric8.kubernetes.api.model.APIResourceListBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import io.fabric8.mockwebserver.http.Dispatcher;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Queue;

/**
 * The API server helm's {@code lookup} asks while the chart renders, as {@code helm install} would
 * ask the real one: fabric8's mock in CRUD mode, on loopback, holding the release's namespace. The
 * build points KUBECONFIG at the file this writes; one server serves every render of the test JVM.
 */
final class Cluster {
    private static Cluster instance;
    private final KubernetesMockServer server;
    private final KubernetesClient client;

    private Cluster() {
        Map<ServerRequest, Queue<ServerResponse>> expectations = new HashMap<>();
        KubernetesMixedDispatcher crud = new KubernetesMixedDispatcher(expectations);
        String discovery = Serialization.asJson(new APIResourceListBuilder()
                .withGroupVersion("v1")
                .addToResources(new APIResourceBuilder()
                        .withName("namespaces")
                        .withKind("Namespace")
                        .withNamespaced(false)
                        .withVerbs("get", "list")
                        .build())
                .addToResources(new APIResourceBuilder()
                        .withName("nodes")
                        .withKind("Node")
                        .withNamespaced(false)
                        .withVerbs("get", "list")
                        .build())
                .build());
        // helm maps a kind to its resource through discovery, which the CRUD store does not answer
        Dispatcher dispatcher = new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                if (request.getPath().split("\\?")[0].equals("/api/v1")) {
                    return new MockResponse()
                            .setResponseCode(200)
                            .setHeader("Content-Type", "application/json")
                            .setBody(discovery);
                }
                return crud.dispatch(request);
            }
        };
        server = new KubernetesMockServer(new Context(), new MockWebServer(), expectations, dispatcher, false);
        server.init(InetAddress.getLoopbackAddress(), 0);
        client = server.createClient();
        writeKubeconfig(Path.of(System.getenv("KUBECONFIG")), server.getHostName(), server.getPort());
        podSecurity(null);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            client.close();
            server.destroy();
        }));
    }

    static synchronized Cluster get() {
        if (instance == null) {
            instance = new Cluster();
        }
        return instance;
    }

    /** Labels the release's namespace with {@code pod-security.kubernetes.io/enforce=profile} (null: no label). */
    void podSecurity(String profile) {
        var ns = new NamespaceBuilder()
                .withNewMetadata()
                .withName(Chart.NAMESPACE)
                .withLabels(profile == null ? Map.of() : Map.of("pod-security.kubernetes.io/enforce", profile))
                .endMetadata()
                .build();
        client.namespaces().resource(ns).createOr(c -> c.update());
    }

    private static void writeKubeconfig(Path file, String host, int port) {
        String yaml = """
                apiVersion: v1
                kind: Config
                clusters:
                  - name: mock
                    cluster: {server: "http://%s:%d"}
                contexts:
                  - name: mock
                    context: {cluster: mock, user: mock, namespace: %s}
                current-context: mock
                users:
                  - name: mock
                    user: {token: mock}
                """.formatted(host, port, Chart.NAMESPACE);
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, yaml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
