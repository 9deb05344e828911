package io.pxcprobe.metrics;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class JvmGcCountersTest {
    private static final Pattern COLLECTIONS =
            Pattern.compile("(?m)^jvm_gc_collections_total\\{gc=\"[^\"]+\"} (\\S+)$");
    private static final Pattern SECONDS =
            Pattern.compile("(?m)^jvm_gc_collection_time_seconds_total\\{gc=\"[^\"]+\"} (\\S+)$");

    @Test
    void aCollectionCountsOnceScrapedWithNoNotificationListener() {
        PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        new JvmGcCounters().bindTo(registry);
        String before = registry.scrape();
        double collectionsBefore = sum(COLLECTIONS, before);
        double secondsBefore = sum(SECONDS, before);
        assertTrue(collectionsBefore >= 0 && secondsBefore >= 0, before);

        System.gc();

        String after = registry.scrape();
        assertTrue(sum(COLLECTIONS, after) >= collectionsBefore + 1, "System.gc() counted:\n" + after);
        assertTrue(sum(SECONDS, after) >= secondsBefore, after);
    }

    /** Fails when the family is missing: a sum of nothing would pass the comparisons above. */
    private static double sum(Pattern family, String exposition) {
        Matcher m = family.matcher(exposition);
        double total = 0;
        int lines = 0;
        while (m.find()) {
            total += Double.parseDouble(m.group(1));
            lines++;
        }
        assertTrue(lines > 0, family + " missing from:\n" + exposition);
        return total;
    }
}
