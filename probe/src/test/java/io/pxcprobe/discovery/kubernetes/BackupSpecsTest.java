package io.pxcprobe.discovery.kubernetes;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.pxcprobe.target.BackupSpec;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** spec.backup and the TLS switch of a PerconaXtraDBCluster, read leniently. */
class BackupSpecsTest {
    private static final KubernetesSerialization JSON = new KubernetesSerialization();

    @Test
    void tlsIsOffOnlyWithTheUnsafeFlagAndTlsDisabled() {
        assertEquals(true, spec(Map.of()).tls(), "the operator's default: on");
        assertEquals(
                true, spec(Map.of("tls", Map.of("enabled", false))).tls(), "disabled without the unsafe flag stays on");
        assertEquals(true, spec(Map.of("unsafeFlags", Map.of("tls", true))).tls());
        assertEquals(
                false,
                spec(Map.of("unsafeFlags", Map.of("tls", true), "tls", Map.of("enabled", false)))
                        .tls());
    }

    @Test
    void entriesTheOperatorWouldRejectAreSkippedAndOddShapesReadAsAbsent() {
        BackupSpec s = spec(Map.of(
                "backup",
                Map.of(
                        "schedule",
                                List.of(
                                        Map.of("name", "ok", "schedule", "0 0 * * *"),
                                        Map.of("name", "no-schedule"),
                                        "not a map"),
                        "storages",
                                Map.of(
                                        "s3",
                                        Map.of(
                                                "nodeSelector",
                                                "not a map",
                                                "affinity",
                                                List.of(1),
                                                "tolerations",
                                                List.of("x"))))));
        assertEquals(List.of(new BackupSpec.Schedule("ok", "0 0 * * *", null, 0)), s.schedules());
        assertTrue(s.storages().get("s3").nodeSelector().isEmpty());
        assertEquals(null, s.storages().get("s3").affinity());
        assertTrue(s.storages().get("s3").tolerations().isEmpty());
    }

    private static BackupSpec spec(Map<String, Object> spec) {
        GenericKubernetesResource cr = new GenericKubernetesResourceBuilder()
                .withApiVersion("pxc.percona.com/v1")
                .withKind("PerconaXtraDBCluster")
                .withNewMetadata()
                .withNamespace("db")
                .withName("c1")
                .endMetadata()
                .addToAdditionalProperties("spec", spec)
                .build();
        return BackupSpecs.of(cr, JSON);
    }
}
