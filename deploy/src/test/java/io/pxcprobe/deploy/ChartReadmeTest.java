package io.pxcprobe.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The chart README documents every value, and nothing that is not a value. */
class ChartReadmeTest {
    private static final Pattern ROW = Pattern.compile("(?m)^\\| `([A-Za-z0-9_.]+)` \\|");

    @Test
    void everyValueHasARowAndEveryRowIsAValue() throws Exception {
        Map<String, Object> values =
                Chart.map(Files.readString(Repository.chart().resolve("values.yaml")));
        List<String> leaves = new ArrayList<>();
        Set<String> paths = new TreeSet<>();
        walk("", values, leaves, paths);
        Set<String> rows = new TreeSet<>();
        Matcher m = ROW.matcher(Files.readString(Repository.chart().resolve("README.md")));
        while (m.find()) {
            rows.add(m.group(1));
        }
        Set<String> undocumented = new TreeSet<>();
        for (String leaf : leaves) {
            boolean covered = false;
            for (String p = leaf;
                    !covered && !p.isEmpty();
                    p = p.contains(".") ? p.substring(0, p.lastIndexOf('.')) : "") {
                covered = rows.contains(p);
            }
            if (!covered) {
                undocumented.add(leaf);
            }
        }
        assertEquals(Set.of(), undocumented, "values without a row in charts/pxc-probe/README.md");
        Set<String> stale = new TreeSet<>(rows);
        stale.removeAll(paths);
        assertEquals(Set.of(), stale, "README rows for keys values.yaml does not have");
    }

    private static void walk(String prefix, Object node, List<String> leaves, Set<String> paths) {
        if (!prefix.isEmpty()) {
            paths.add(prefix);
        }
        if (node instanceof Map<?, ?> map && !map.isEmpty()) {
            map.forEach((k, v) -> walk(prefix.isEmpty() ? k.toString() : prefix + "." + k, v, leaves, paths));
        } else {
            leaves.add(prefix);
        }
    }
}
