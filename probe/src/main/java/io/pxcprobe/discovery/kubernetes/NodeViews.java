package io.pxcprobe.discovery.kubernetes;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.pxcprobe.target.NodeView;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The agent's own Node object: its labels and taints, which backup placements are judged against. */
final class NodeViews {
    static final ResourceDefinitionContext CONTEXT = new ResourceDefinitionContext.Builder()
            .withGroup("")
            .withVersion("v1")
            .withKind("Node")
            .withPlural("nodes")
            .withNamespaced(false)
            .build();

    private NodeViews() {}

    static NodeView of(GenericKubernetesResource node, KubernetesSerialization json) {
        Map<String, String> labels = node.getMetadata().getLabels() == null
                ? Map.of()
                : node.getMetadata().getLabels();
        List<Taint> taints = new ArrayList<>();
        if (node.get("spec", "taints") instanceof List<?> ts) {
            for (Object t : ts) {
                if (t instanceof Map<?, ?>) {
                    try {
                        taints.add(json.convertValue(t, Taint.class));
                    } catch (RuntimeException e) {
                        // a taint of the wrong shape is not one the scheduler would apply either
                    }
                }
            }
        }
        return new NodeView(node.getMetadata().getName(), labels, taints);
    }
}
