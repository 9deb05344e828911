package io.pxcprobe.e2e.testbed;

import io.pxcprobe.testkit.NetNs;
import java.util.ArrayList;
import java.util.List;

/**
 * An injected fault that undoes itself on {@link #close()}: iptables rules in a testbed
 * namespace (never the machine's own), or any other undo action.
 */
public final class Fault implements AutoCloseable {
    private final String description;
    private final List<Runnable> undo = new ArrayList<>();

    Fault(String description) {
        this.description = description;
    }

    /** Adds {@code iptables -I rule} in {@code ns} and remembers its deletion. */
    Fault iptables(NetNs ns, String... rule) {
        List<String> add = new ArrayList<>(List.of("iptables", "-w", "5", "-I"));
        add.addAll(List.of(rule));
        ns.exec(add.toArray(String[]::new));
        List<String> del = new ArrayList<>(List.of("iptables", "-w", "5", "-D"));
        del.addAll(List.of(rule));
        undo.add(0, () -> ns.exec(del.toArray(String[]::new)));
        return this;
    }

    Fault onClose(Runnable action) {
        undo.add(0, action);
        return this;
    }

    public String description() {
        return description;
    }

    @Override
    public void close() {
        RuntimeException first = null;
        for (Runnable r : undo) {
            try {
                r.run();
            } catch (RuntimeException e) {
                first = first == null ? e : first;
            }
        }
        undo.clear();
        if (first != null) {
            throw first;
        }
    }

    @Override
    public String toString() {
        return description;
    }
}
