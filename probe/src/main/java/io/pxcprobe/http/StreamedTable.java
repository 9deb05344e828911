package io.pxcprobe.http;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.util.function.Consumer;

/**
 * Columns padded to their widest cell, for reading with curl in a terminal, without holding the
 * rows: one pass over the source measures, a second writes. A row that changed in between and
 * grew is written unpadded past its column rather than truncated.
 */
final class StreamedTable {
    private final String[] header;
    private final Consumer<Consumer<String[]>> source;
    private final int[] width;
    private int rows;

    /** @param source calls its argument once per row, the same rows in the same order each time */
    StreamedTable(String[] header, Consumer<Consumer<String[]>> source) {
        this.header = header;
        this.source = source;
        this.width = new int[header.length];
        measure(header);
        source.accept(cells -> {
            measure(cells);
            rows++;
        });
    }

    /** How many rows the measuring pass saw. */
    int rows() {
        return rows;
    }

    void writeTo(Writer w) throws IOException {
        try {
            write(w, header);
            source.accept(cells -> write(w, cells));
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    private void measure(String[] cells) {
        for (int i = 0; i < width.length; i++) {
            width[i] = Math.max(width[i], cells[i].length());
        }
    }

    private void write(Writer w, String[] cells) {
        try {
            for (int i = 0; i < cells.length; i++) {
                w.append(cells[i]);
                if (i < cells.length - 1) {
                    w.append(" ".repeat(Math.max(0, width[i] - cells[i].length()) + 2));
                }
            }
            w.append('\n');
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
