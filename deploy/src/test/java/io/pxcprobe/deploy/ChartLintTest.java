package io.pxcprobe.deploy;

import static org.junit.jupiter.api.Assertions.assertFalse;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** helm lint --strict, with the defaults and with every optional feature on. */
class ChartLintTest {

    @Test
    void lintsStrictWithDefaults() {
        assertLints(Repository.chart());
    }

    @Test
    void lintsStrictWithEveryFeatureOn() throws Exception {
        // helm-java's lint takes no values file: lint a copy whose values.yaml has every feature on
        Path copy = Repository.scratch("chart").resolve("pxc-probe");
        copyTree(Repository.chart(), copy);
        Map<String, Object> values =
                Chart.map(Files.readString(Repository.chart().resolve("values.yaml")));
        Map<String, Object> features = Chart.map(Files.readString(Repository.testResource("all-features.yaml")));
        Files.writeString(copy.resolve("values.yaml"), Chart.SERIALIZATION.asYaml(deepMerge(values, features)));
        assertLints(copy);
    }

    private static void assertLints(Path chart) {
        LintResult result = new Helm(chart).lint().strict().call();
        assertFalse(result.isFailed(), String.join("\n", result.getMessages()));
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> deepMerge(Map<String, Object> base, Map<String, Object> over) {
        Map<String, Object> out = new LinkedHashMap<>(base);
        over.forEach((k, v) -> {
            if (v instanceof Map<?, ?> m && out.get(k) instanceof Map<?, ?> b) {
                out.put(k, deepMerge((Map<String, Object>) b, (Map<String, Object>) m));
            } else {
                out.put(k, v);
            }
        });
        return out;
    }

    private static void copyTree(Path from, Path to) throws Exception {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isSymbolicLink(p)) {
                    Files.createSymbolicLink(target, p.toRealPath());
                } else if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }
}
