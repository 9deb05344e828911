package io.pxcprobe.discovery;

import io.pxcprobe.target.TargetSnapshot;
import java.util.function.Consumer;

/**
 * Somewhere members come from. A source publishes a complete snapshot each time what it knows
 * changes; when it loses its backend it keeps the last snapshot and reports {@link DiscoveryStatus#up()} false.
 */
public interface DiscoverySource extends AutoCloseable {

    /** {@code static} or {@code kubernetes}: the {@code source} label. */
    String name();

    /** Starts publishing; {@code onSnapshot} may be called from any thread, never concurrently for one source. */
    void start(Consumer<TargetSnapshot> onSnapshot);

    DiscoveryStatus status();

    @Override
    void close();
}
