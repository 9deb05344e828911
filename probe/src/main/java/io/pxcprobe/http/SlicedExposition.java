package io.pxcprobe.http;

import io.prometheus.metrics.expositionformats.ExpositionFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.pxcprobe.metrics.SlicedFamily;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Renders the registry in pieces, so a scrape holds little in memory at once: first every family
 * without per-target series, then each per-target family a slice of series at a time (thousands
 * of targets make tens of MiB of snapshots, which would outlive young collections and fill the
 * old generation). In the text formats a family's later slices are written without their
 * {@code #} lines, so the family keeps one HELP and TYPE; OpenMetrics' {@code # EOF} is kept only
 * at the very end. Protobuf has no lines to drop: each family is one message, written whole.
 */
final class SlicedExposition {
    static final int SERIES_PER_SLICE = 500;
    private static final byte[] EOF = "# EOF\n".getBytes(StandardCharsets.US_ASCII);

    private SlicedExposition() {}

    static void write(
            PrometheusRegistry registry, ExpositionFormatWriter writer, OutputStream out, List<SlicedFamily> perTarget)
            throws IOException {
        Set<String> sliced = new HashSet<>();
        perTarget.forEach(f -> sliced.add(f.prometheusName()));
        // a family answers to several names (a counter to x and x_total), so each is rendered once
        Set<String> written = new HashSet<>();
        List<MetricSnapshot> rest = new ArrayList<>();
        for (MetricSnapshot m : registry.scrape(name -> !sliced.contains(strip(name)))) {
            if (written.add(m.getMetadata().getPrometheusName())) {
                rest.add(m);
            }
        }
        render(writer, out, rest, false);
        boolean text = !writer.getContentType().contains("protobuf");
        for (SlicedFamily family : perTarget) {
            if (!written.add(family.prometheusName())) {
                continue;
            }
            if (!text) {
                List<MetricSnapshot> whole = new ArrayList<>();
                family.slices(Integer.MAX_VALUE).forEach(whole::add);
                render(writer, out, whole, false);
                continue;
            }
            boolean first = true;
            for (MetricSnapshot slice : family.slices(SERIES_PER_SLICE)) {
                render(writer, first ? out : new DropCommentLines(out), List.of(slice), false);
                first = false;
            }
        }
        render(writer, out, List.of(), true);
    }

    private static void render(
            ExpositionFormatWriter writer, OutputStream out, List<MetricSnapshot> snapshots, boolean keepEof)
            throws IOException {
        if (snapshots.isEmpty() && !keepEof) {
            return;
        }
        DropTrailingEof target = new DropTrailingEof(out);
        writer.write(target, new MetricSnapshots(snapshots));
        target.finish(keepEof);
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

    /** Passes sample lines, drops every line that starts with {@code #} (HELP, TYPE, UNIT, EOF). */
    static final class DropCommentLines extends FilterOutputStream {
        private boolean lineStart = true;
        private boolean dropping;

        DropCommentLines(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            if (lineStart) {
                dropping = b == '#';
            }
            if (!dropping) {
                out.write(b);
            }
            lineStart = b == '\n';
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            int end = off + len;
            int i = off;
            while (i < end) {
                if (lineStart) {
                    dropping = b[i] == '#';
                }
                int nl = i;
                while (nl < end && b[nl] != '\n') {
                    nl++;
                }
                int stop = nl < end ? nl + 1 : end;
                if (!dropping) {
                    out.write(b, i, stop - i);
                }
                lineStart = nl < end;
                i = stop;
            }
        }

        @Override
        public void flush() throws IOException {
            out.flush();
        }

        @Override
        public void close() {
            // the caller owns the stream
        }
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
