package io.pxcprobe.metrics;

import java.util.Comparator;
import java.util.stream.IntStream;

/** Label positions in the order client_java sorts labels and data points: by name, then value. */
final class LabelOrder {
    private LabelOrder() {}

    /** The indexes of {@code strings}, ordered by the strings they point at. */
    static int[] sortedIndexes(String[] strings) {
        return IntStream.range(0, strings.length)
                .boxed()
                .sorted(Comparator.comparing(i -> strings[i]))
                .mapToInt(Integer::intValue)
                .toArray();
    }
}
