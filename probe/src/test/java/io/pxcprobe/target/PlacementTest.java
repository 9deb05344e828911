package io.pxcprobe.target;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.AffinityBuilder;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.NodeSelectorTerm;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.Toleration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PlacementTest {
    private static final Map<String, String> LABELS = Map.of("disk", "ssd", "zone", "a", "cores", "16");

    @Test
    void nodeSelectorNeedsEveryLabel() {
        assertNull(new Placement(Map.of("disk", "ssd"), null, List.of()).refusal("n1", LABELS, List.of()));
        assertEquals(
                "nodeSelector disk=hdd",
                new Placement(Map.of("disk", "hdd"), null, List.of()).refusal("n1", LABELS, List.of()));
        assertNull(Placement.ANYWHERE.refusal("n1", Map.of(), List.of()));
    }

    @Test
    void requiredAffinityIsAnOrOfTermsEachAnAndOfRequirements() {
        assertNull(affinity(term(req("zone", "In", "a", "b"))).refusal("n1", LABELS, List.of()));
        assertEquals(
                "required node affinity", affinity(term(req("zone", "In", "b"))).refusal("n1", LABELS, List.of()));
        assertNull(
                affinity(term(req("zone", "In", "b")), term(req("disk", "Exists")))
                        .refusal("n1", LABELS, List.of()),
                "OR");
        assertEquals(
                "required node affinity",
                affinity(term(req("disk", "Exists"), req("gpu", "Exists"))).refusal("n1", LABELS, List.of()),
                "AND");
        assertNull(affinity(term(req("gpu", "DoesNotExist"), req("zone", "NotIn", "b")))
                .refusal("n1", LABELS, List.of()));
        assertNull(affinity(term(req("cores", "Gt", "8"))).refusal("n1", LABELS, List.of()));
        assertEquals(
                "required node affinity",
                affinity(term(req("cores", "Lt", "8"))).refusal("n1", LABELS, List.of()));
        assertEquals(
                "required node affinity",
                affinity(term(req("zone", "Gt", "8"))).refusal("n1", LABELS, List.of()),
                "a non-integer label never compares");
        assertEquals(
                "required node affinity",
                affinity(new NodeSelectorTerm()).refusal("n1", LABELS, List.of()),
                "an empty term matches no node");
        NodeSelectorTerm byName = new NodeSelectorTerm(List.of(), List.of(req("metadata.name", "In", "n1")));
        assertNull(affinity(byName).refusal("n1", LABELS, List.of()));
        assertEquals("required node affinity", affinity(byName).refusal("n2", LABELS, List.of()));
    }

    @Test
    void aTaintThatRepelsNeedsAToleration() {
        Taint dedicated = new Taint("NoSchedule", "dedicated", null, "db");
        Placement none = Placement.ANYWHERE;
        assertEquals("taint dedicated=db:NoSchedule", none.refusal("n1", LABELS, List.of(dedicated)));
        assertNull(
                none.refusal("n1", LABELS, List.of(new Taint("PreferNoSchedule", "dedicated", null, "db"))),
                "PreferNoSchedule does not keep a pod off");
        assertNull(tolerating(new Toleration("NoSchedule", "dedicated", "Equal", null, "db"))
                .refusal("n1", LABELS, List.of(dedicated)));
        assertNull(tolerating(new Toleration(null, "dedicated", "Exists", null, null))
                .refusal("n1", LABELS, List.of(dedicated)));
        assertNull(
                tolerating(new Toleration(null, null, "Exists", null, null)).refusal("n1", LABELS, List.of(dedicated)),
                "an empty key with Exists tolerates everything");
        assertEquals(
                "taint dedicated=db:NoSchedule",
                tolerating(new Toleration("NoSchedule", "dedicated", "Equal", null, "web"))
                        .refusal("n1", LABELS, List.of(dedicated)));
        assertEquals(
                "taint dedicated=db:NoSchedule",
                tolerating(new Toleration("NoExecute", "dedicated", "Exists", null, null))
                        .refusal("n1", LABELS, List.of(dedicated)),
                "a toleration of another effect does not help");
    }

    private static Placement tolerating(Toleration t) {
        return new Placement(Map.of(), null, List.of(t));
    }

    private static Placement affinity(NodeSelectorTerm... terms) {
        Affinity a = new AffinityBuilder()
                .withNewNodeAffinity()
                .withNewRequiredDuringSchedulingIgnoredDuringExecution()
                .withNodeSelectorTerms(terms)
                .endRequiredDuringSchedulingIgnoredDuringExecution()
                .endNodeAffinity()
                .build();
        return new Placement(Map.of(), a, List.of());
    }

    private static NodeSelectorTerm term(NodeSelectorRequirement... reqs) {
        return new NodeSelectorTerm(List.of(reqs), List.of());
    }

    private static NodeSelectorRequirement req(String key, String op, String... values) {
        return new NodeSelectorRequirement(key, op, List.of(values));
    }
}
