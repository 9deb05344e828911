package io.pxcprobe.plan;

import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.List;

/**
 * k of the agents per target, by rendezvous (highest random weight) hashing: every agent scores
 * every member for a target and probes it only when it is among the k best. Each agent decides
 * alone from the same member list, all agree, and a member joining or leaving moves about 1/n of
 * the assignments (only the targets that had it, or now have it, among their k).
 */
public final class Sampling {
    private Sampling() {}

    /** Whether {@code self} is among the {@code k} members that score highest for {@code target}; always with k = 0. */
    public static boolean chosen(String target, String self, List<String> members, int k) {
        if (k <= 0 || members.size() <= k) {
            return true;
        }
        long mine = score(self, target);
        int better = 0;
        for (String m : members) {
            if (m.equals(self)) {
                continue;
            }
            long theirs = score(m, target);
            // ties, vanishingly rare, go to the smaller address so that every agent breaks them alike
            if (theirs > mine || (theirs == mine && m.compareTo(self) < 0)) {
                if (++better >= k) {
                    return false;
                }
            }
        }
        return true;
    }

    /** The {@code k} members that pick themselves for {@code target}, best first: what every member's {@link #chosen} adds up to. */
    public static List<String> pick(String target, List<String> members, int k) {
        Comparator<String> best = Comparator.comparingLong((String m) -> score(m, target))
                .reversed()
                .thenComparing(Comparator.naturalOrder());
        return members.stream().sorted(best).limit(k <= 0 ? members.size() : k).toList();
    }

    /** FNV-1a over the member and the target, finished by SplitMix64's mixer: String.hashCode clusters. */
    static long score(String member, String target) {
        long h = 0xcbf29ce484222325L;
        for (byte b : (member + '\n' + target).getBytes(StandardCharsets.UTF_8)) {
            h = (h ^ (b & 0xff)) * 0x100000001b3L;
        }
        h = (h ^ (h >>> 33)) * 0xff51afd7ed558ccdL;
        h = (h ^ (h >>> 33)) * 0xc4ceb9fe1a85ec53L;
        return h ^ (h >>> 33);
    }
}
