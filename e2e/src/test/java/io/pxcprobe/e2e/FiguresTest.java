package io.pxcprobe.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class FiguresTest {
    private static final String FILE = "# Figures\n\n## A\n\nold a\n\n## B\n\nold b\n";

    @Test
    void appendsASectionTheFileLacks() {
        assertEquals(FILE + "\n## C\n\nnew c\n", Figures.withSection(FILE, "C", "new c\n"));
    }

    @Test
    void replacesASectionInTheMiddleAndKeepsWhatFollows() {
        assertEquals("# Figures\n\n## A\n\nnew a\n\n## B\n\nold b\n", Figures.withSection(FILE, "A", "new a"));
    }

    @Test
    void replacesTheLastSection() {
        assertEquals("# Figures\n\n## A\n\nold a\n\n## B\n\nnew b\n", Figures.withSection(FILE, "B", "new b"));
    }

    @Test
    void aHeadingInsideALineIsNoSection() {
        String text = "# F\n\nsee ## A here\n";
        assertEquals(text + "\n## A\n\nx\n", Figures.withSection(text, "A", "x"));
    }
}
