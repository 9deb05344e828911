package io.pxcprobe.target;

import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.NodeSelectorTerm;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.Toleration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Where a backup storage's pods may run (its {@code nodeSelector}, required node affinity and
 * {@code tolerations}), judged against one node's labels and taints as the scheduler's filters
 * judge them. Pod (anti-)affinity and resources are not judged: they depend on other pods.
 */
public record Placement(Map<String, String> nodeSelector, Affinity affinity, List<Toleration> tolerations) {

    public static final Placement ANYWHERE = new Placement(Map.of(), null, List.of());

    public Placement {
        nodeSelector = nodeSelector == null ? Map.of() : Map.copyOf(nodeSelector);
        tolerations = tolerations == null ? List.of() : List.copyOf(tolerations);
    }

    /** Why a pod with this placement cannot land on the node, or null when it can. */
    public String refusal(String nodeName, Map<String, String> labels, List<Taint> taints) {
        for (var e : nodeSelector.entrySet()) {
            if (!e.getValue().equals(labels.get(e.getKey()))) {
                return "nodeSelector " + e.getKey() + "=" + e.getValue();
            }
        }
        var required = affinity == null || affinity.getNodeAffinity() == null
                ? null
                : affinity.getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution();
        if (required != null && required.getNodeSelectorTerms().stream().noneMatch(t -> matches(t, nodeName, labels))) {
            return "required node affinity";
        }
        for (Taint t : taints) {
            boolean repels = "NoSchedule".equals(t.getEffect()) || "NoExecute".equals(t.getEffect());
            if (repels && tolerations.stream().noneMatch(tol -> tolerates(tol, t))) {
                return "taint " + t.getKey() + (t.getValue() == null ? "" : "=" + t.getValue()) + ":" + t.getEffect();
            }
        }
        return null;
    }

    /** A term matches when all its requirements do; an empty term matches no node, as in Kubernetes. */
    private static boolean matches(NodeSelectorTerm term, String nodeName, Map<String, String> labels) {
        var expressions = term.getMatchExpressions();
        var fields = term.getMatchFields();
        if (expressions.isEmpty() && fields.isEmpty()) {
            return false;
        }
        return expressions.stream().allMatch(r -> holds(r, labels.get(r.getKey())))
                && fields.stream().allMatch(r -> holds(r, "metadata.name".equals(r.getKey()) ? nodeName : null));
    }

    private static boolean holds(NodeSelectorRequirement r, String value) {
        List<String> values = r.getValues();
        return switch (Objects.requireNonNullElse(r.getOperator(), "")) {
            case "In" -> value != null && values.contains(value);
            case "NotIn" -> value == null || !values.contains(value);
            case "Exists" -> value != null;
            case "DoesNotExist" -> value == null;
            case "Gt" -> compare(value, values) > 0;
            case "Lt" -> compare(value, values) < 0;
            default -> false;
        };
    }

    /** The label's integer against the one given value; a missing or non-integer side fails either way. */
    private static int compare(String value, List<String> values) {
        try {
            if (value == null || values.size() != 1) {
                return 0;
            }
            return Long.compare(Long.parseLong(value), Long.parseLong(values.get(0)));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static boolean tolerates(Toleration tol, Taint taint) {
        if (tol.getEffect() != null
                && !tol.getEffect().isEmpty()
                && !tol.getEffect().equals(taint.getEffect())) {
            return false;
        }
        if (tol.getKey() == null || tol.getKey().isEmpty()) {
            return "Exists".equals(tol.getOperator());
        }
        if (!tol.getKey().equals(taint.getKey())) {
            return false;
        }
        return "Exists".equals(tol.getOperator())
                || Objects.requireNonNullElse(tol.getValue(), "")
                        .equals(Objects.requireNonNullElse(taint.getValue(), ""));
    }
}
