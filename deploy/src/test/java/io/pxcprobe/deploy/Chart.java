package io.pxcprobe.deploy;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/** Renders charts/pxc-probe with helm-java and parses the output into fabric8 model objects. */
final class Chart {
    static final String RELEASE = "probe";
    static final String NAMESPACE = "monitoring";
    static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

    /** A YAML or JSON document as a map: the one unchecked conversion, here instead of at each caller. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> map(String document) {
        return SERIALIZATION.unmarshal(document, Map.class);
    }

    private static final Pattern DOCUMENT_SEPARATOR = Pattern.compile("(?m)^---\\s*$");

    private Chart() {}

    /** The rendered objects, with the given values files (in order) and --set pairs (key, value, ...). */
    static Rendered render(List<Path> valuesFiles, String... sets) {
        Cluster.get();
        TemplateCommand template =
                new Helm(Repository.chart()).template().withName(RELEASE).withNamespace(NAMESPACE);
        for (Path f : valuesFiles) {
            template = template.withValuesFile(f);
        }
        for (int i = 0; i < sets.length; i += 2) {
            template = template.set(sets[i], sets[i + 1]);
        }
        return new Rendered(parse(template.call()));
    }

    static Rendered defaults() {
        return render(List.of());
    }

    static Rendered allFeatures() {
        return render(List.of(Repository.testResource("all-features.yaml")));
    }

    static List<HasMetadata> parse(String yaml) {
        List<HasMetadata> out = new ArrayList<>();
        for (String doc : DOCUMENT_SEPARATOR.split(yaml)) {
            String body = doc.lines().filter(l -> !l.startsWith("#")).reduce("", (a, b) -> a + b + "\n");
            if (body.isBlank()) {
                continue;
            }
            out.add(SERIALIZATION.unmarshal(doc, HasMetadata.class));
        }
        return out;
    }

    record Rendered(List<HasMetadata> objects) {
        <T extends HasMetadata> List<T> all(Class<T> type) {
            return objects.stream().filter(type::isInstance).map(type::cast).toList();
        }

        <T extends HasMetadata> T one(Class<T> type) {
            List<T> found = all(type);
            if (found.size() != 1) {
                throw new AssertionError("expected one " + type.getSimpleName() + ", found " + found.size());
            }
            return found.get(0);
        }

        List<GenericKubernetesResource> custom(String kind) {
            return objects.stream()
                    .filter(o -> o instanceof GenericKubernetesResource && kind.equals(o.getKind()))
                    .map(GenericKubernetesResource.class::cast)
                    .toList();
        }

        Optional<GenericKubernetesResource> oneCustom(String kind) {
            List<GenericKubernetesResource> found = custom(kind);
            if (found.size() > 1) {
                throw new AssertionError("more than one " + kind);
            }
            return found.stream().findFirst();
        }

        List<String> kinds() {
            return objects.stream().map(HasMetadata::getKind).toList();
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> spec(GenericKubernetesResource r) {
        return (Map<String, Object>) r.getAdditionalProperties().get("spec");
    }
}
