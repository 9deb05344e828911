package io.pxcprobe.sidecar;

import io.pxcprobe.mesh.HttpFetch;
import java.util.Optional;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** Reads an agent's {@code /identity} answer; anything that is not one reads as unknown. */
final class AgentIdentities {
    private static final JsonMapper JSON = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();
    /** A Kubernetes name is at most 253 characters of [a-z0-9.-]: a label value we can afford. */
    private static final String NAME = "[a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?";

    /** An agent's node and pod, as valid Kubernetes names. */
    record Known(String node, String pod) {}

    private AgentIdentities() {}

    static Optional<Known> parse(HttpFetch fetch) {
        if (!(fetch instanceof HttpFetch.Response r) || r.status() != 200) {
            return Optional.empty();
        }
        try {
            JsonNode n = JSON.readTree(r.body());
            String node = n.path("node").asString("");
            String pod = n.path("pod").asString("");
            return node.matches(NAME) && pod.matches(NAME) ? Optional.of(new Known(node, pod)) : Optional.empty();
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }
}
