package io.pxcprobe.http;

import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Renders the registry one metric family at a time, so a scrape holds the snapshot of one family
 * in memory, not of all (thousands of targets make tens of MiB of snapshots). OpenMetrics ends
 * every write with {@code # EOF}: only the final, empty write keeps it.
 */
final class FamilyByFamily {
    private static final byte[] EOF = "# EOF\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

    private FamilyByFamily() {
    }

    static void write(PrometheusRegistry registry, ExpositionFormatWriter writer, OutputStream out,
                      Set<String> perTargetFamilies) throws IOException {
        // the small families in one pass, then each per-target family on its own; a family answers
        // to several names (a counter to x and x_total), so each is rendered once
        Set<String> written = new java.util.HashSet<>();
        List<java.util.function.Predicate<String>> passes = new ArrayList<>();
        passes.add(name -> !perTargetFamilies.contains(strip(name)));
        for (String family : new TreeSet<>(perTargetFamilies)) {
            passes.add(name -> strip(name).equals(family));
        }
        for (var pass : passes) {
            MetricSnapshots family = registry.scrape(pass);
            List<MetricSnapshot> fresh = new ArrayList<>();
            for (MetricSnapshot m : family) {
                if (written.add(m.getMetadata().getPrometheusName())) {
                    fresh.add(m);
                }
            }
            if (!fresh.isEmpty()) {
                DropTrailingEof target = new DropTrailingEof(out);
                writer.write(target, new MetricSnapshots(fresh));
                target.finish(false);
            }
        }
        DropTrailingEof end = new DropTrailingEof(out);
        writer.write(end, new MetricSnapshots(List.of()));
        end.finish(true);
    }

    /** The family a name belongs to: a counter answers to both x and x_total, a histogram's parts to x. */
    static String strip(String name) {
        for (String suffix : List.of("_total", "_created", "_bucket", "_count", "_sum", "_info")) {
            if (name.endsWith(suffix)) {
                return name.substring(0, name.length() - suffix.length());
            }
        }
        return name;
    }

    /** Holds back the last few bytes; drops them at the end if they are exactly "# EOF\n". */
    private static final class DropTrailingEof extends FilterOutputStream {
        private final byte[] tail = new byte[EOF.length];
        private int held;

        DropTrailingEof(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            if (held == tail.length) {
                out.write(tail[0]);
                System.arraycopy(tail, 1, tail, 0, tail.length - 1);
                held--;
            }
            tail[held++] = (byte) b;
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (len <= tail.length) {
                for (int i = 0; i < len; i++) {
                    write(b[off + i]);
                }
                return;
            }
            out.write(tail, 0, held);
            out.write(b, off, len - tail.length);
            System.arraycopy(b, off + len - tail.length, tail, 0, tail.length);
            held = tail.length;
        }

        @Override
        public void flush() throws IOException {
            out.flush();
        }

        @Override
        public void close() {
            // the caller owns the stream
        }

        void finish(boolean keepEof) throws IOException {
            if (keepEof || !(held == EOF.length && Arrays.equals(tail, EOF))) {
                out.write(tail, 0, held);
            }
            held = 0;
        }
    }
}
