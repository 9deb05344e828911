package io.pxcprobe.target;

import io.fabric8.kubernetes.api.model.Taint;
import java.util.List;
import java.util.Map;

/** The agent's own node, as a backup pod's placement is judged against it. */
public record NodeView(String name, Map<String, String> labels, List<Taint> taints) {

    public NodeView {
        labels = Map.copyOf(labels);
        taints = List.copyOf(taints);
    }

    /** Why a pod with {@code p} cannot run here, null when it can. */
    public String refusal(Placement p) {
        return p.refusal(name, labels, taints);
    }
}
