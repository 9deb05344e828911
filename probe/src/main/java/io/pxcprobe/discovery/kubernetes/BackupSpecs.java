package io.pxcprobe.discovery.kubernetes;

import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.pxcprobe.target.BackupSpec;
import io.pxcprobe.target.Placement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code spec.backup} of a PerconaXtraDBCluster: its schedules and where each storage's backup pods
 * may run. Read leniently: an entry the operator would reject (no name, no schedule) is skipped,
 * and a placement field of the wrong shape reads as absent, so that one odd object cannot stop
 * discovery.
 */
final class BackupSpecs {
    /** Bounds what one object can make the agent hold. */
    static final int MAX_SCHEDULES = 64;

    static final int MAX_STORAGES = 64;

    private BackupSpecs() {}

    static BackupSpec of(GenericKubernetesResource cr, KubernetesSerialization json) {
        Object backup = cr.get("spec", "backup");
        if (!(backup instanceof Map<?, ?> b)) {
            return new BackupSpec(List.of(), Map.of(), tls(cr));
        }
        List<BackupSpec.Schedule> schedules = new ArrayList<>();
        if (b.get("schedule") instanceof List<?> list) {
            for (Object o : list) {
                if (o instanceof Map<?, ?> m && schedules.size() < MAX_SCHEDULES) {
                    String name = text(m.get("name"));
                    String cron = text(m.get("schedule"));
                    if (name != null && cron != null) {
                        // keep is deprecated for retention.count (operator 1.19), which wins where both are set
                        Object count = m.get("retention") instanceof Map<?, ?> r ? r.get("count") : null;
                        int keep = count != null ? keep(count) : keep(m.get("keep"));
                        schedules.add(new BackupSpec.Schedule(name, cron, text(m.get("storageName")), keep));
                    }
                }
            }
        }
        Map<String, Placement> storages = new TreeMap<>();
        if (b.get("storages") instanceof Map<?, ?> all) {
            for (var e : all.entrySet()) {
                if (e.getKey() instanceof String name
                        && e.getValue() instanceof Map<?, ?> s
                        && storages.size() < MAX_STORAGES) {
                    storages.put(name, placement(s, json));
                }
            }
        }
        return new BackupSpec(schedules, storages, tls(cr));
    }

    private static Boolean tls(GenericKubernetesResource cr) {
        boolean unsafe = Boolean.TRUE.equals(cr.get("spec", "unsafeFlags", "tls"));
        boolean disabled = Boolean.FALSE.equals(cr.get("spec", "tls", "enabled"));
        return !(unsafe && disabled);
    }

    private static Placement placement(Map<?, ?> storage, KubernetesSerialization json) {
        Map<String, String> selector = new LinkedHashMap<>();
        if (storage.get("nodeSelector") instanceof Map<?, ?> ns) {
            ns.forEach((k, v) -> {
                if (k instanceof String key && v instanceof String value) {
                    selector.put(key, value);
                }
            });
        }
        Affinity affinity = convert(storage.get("affinity"), Affinity.class, json);
        List<Toleration> tolerations = new ArrayList<>();
        if (storage.get("tolerations") instanceof List<?> ts) {
            for (Object t : ts) {
                Toleration tol = convert(t, Toleration.class, json);
                if (tol != null) {
                    tolerations.add(tol);
                }
            }
        }
        return new Placement(selector, affinity, tolerations);
    }

    private static <T> T convert(Object value, Class<T> type, KubernetesSerialization json) {
        if (!(value instanceof Map<?, ?>)) {
            return null;
        }
        try {
            return json.convertValue(value, type);
        } catch (RuntimeException e) {
            return null;
        }
    }

    private static String text(Object o) {
        return o instanceof String s && !s.isBlank() ? s.trim() : null;
    }

    private static int keep(Object o) {
        return o instanceof Number n && n.longValue() >= 0 && n.longValue() <= Integer.MAX_VALUE ? n.intValue() : 0;
    }
}
