package io.pxcprobe.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Rendezvous sampling: exactly k agents per target, agreed without talking, stable under churn. */
class SamplingTest {
    private static final List<String> TARGETS = IntStream.range(0, 600)
            .mapToObj(i -> "db/c" + (i / 6) + "/c" + (i / 6) + "-pxc-" + (i % 3) + (i % 2 == 0 ? "/ist" : "/sst"))
            .toList();

    private static List<String> agents(int n) {
        return IntStream.range(0, n)
                .mapToObj(i -> "10.42." + (i / 250) + "." + (1 + i % 250))
                .toList();
    }

    /** The agents that pick themselves for {@code target}, each deciding alone. */
    private static Set<String> chosen(String target, List<String> members, int k) {
        Set<String> out = new HashSet<>();
        for (String self : members) {
            if (Sampling.chosen(target, self, members, k)) {
                out.add(self);
            }
        }
        return out;
    }

    @Test
    void exactlyKAgentsPickEachTargetWhateverOrderTheyListTheFleetIn() {
        List<String> members = agents(50);
        List<String> shuffled = new ArrayList<>(members);
        Collections.shuffle(shuffled, new Random(7));
        int[] perAgent = new int[members.size()];
        for (String t : TARGETS) {
            Set<String> picked = chosen(t, members, 3);
            assertEquals(3, picked.size(), t);
            assertEquals(picked, chosen(t, shuffled, 3), "the order of the list changes nothing");
            assertEquals(
                    picked, Set.copyOf(Sampling.pick(t, shuffled, 3)), "pick agrees with every agent's own choice");
            picked.forEach(a -> perAgent[members.indexOf(a)]++);
        }
        // 600 targets x 3 / 50 agents = 36 each on average: no agent carries many times its share
        for (int n : perAgent) {
            assertTrue(n >= 12 && n <= 72, "an agent's share: " + n);
        }
        assertEquals(Set.copyOf(agents(3)), chosen(TARGETS.get(0), agents(3), 3), "k >= n: everyone");
        assertEquals(Set.copyOf(members), chosen(TARGETS.get(0), members, 0), "k = 0: no sampling");
    }

    @Test
    void aNodeLeavingOrJoiningMovesAboutOneNthOfTheAssignments() {
        int n = 50;
        int k = 3;
        List<String> before = agents(n);
        List<String> left = before.subList(1, n);
        List<String> joined = agents(n + 1);
        int movedLeaving = 0;
        int movedJoining = 0;
        for (String t : TARGETS) {
            Set<String> was = chosen(t, before, k);
            movedLeaving += k - intersection(was, chosen(t, left, k));
            movedJoining += k - intersection(was, chosen(t, joined, k));
        }
        double assignments = TARGETS.size() * (double) k;
        // expected 1/n = 2 %: only the targets that had the leaver (or now have the newcomer) change, by one agent
        double leaving = movedLeaving / assignments;
        double joining = movedJoining / assignments;
        assertTrue(leaving > 0.005 && leaving < 0.04, "leaving moved " + leaving);
        assertTrue(joining > 0.005 && joining < 0.04, "joining moved " + joining);
    }

    private static int intersection(Set<String> a, Set<String> b) {
        Set<String> both = new HashSet<>(a);
        both.retainAll(b);
        return both.size();
    }
}
