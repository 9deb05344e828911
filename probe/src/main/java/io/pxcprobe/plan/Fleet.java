package io.pxcprobe.plan;

import java.util.List;

/**
 * The agents probing the same pods, as this agent's census last saw them.
 *
 * @param count how many, this one included: the probe budget's divisor
 * @param members each by its address, sorted; empty where the census lists nobody
 * @param self this agent's address, or null where it does not know it: sampling needs it
 */
public record Fleet(int count, List<String> members, String self) {
    /** An agent that knows of no other. */
    public static final Fleet ALONE = new Fleet(1, List.of(), null);

    public Fleet {
        members = List.copyOf(members);
    }

    /** {@code count} agents, none of them known by address: no sampling. */
    public static Fleet of(int count) {
        return new Fleet(count, List.of(), null);
    }

    /** Whether this agent finds itself among the members, so that it can tell which targets are its own. */
    public boolean placed() {
        return self != null && members.contains(self);
    }
}
