package io.pxcprobe.e2e.testbed;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.pxcprobe.testkit.Awaits;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * garbd join times: from garbd's start until the cluster counts it as a member, as the backup pod's
 * garbd would join. The cluster size is read with the mysql client, so a measurement resolves to
 * about a second, and batches of joins taken minutes apart were seen to differ by up to 3 s with no
 * probing at all. The harm a probe could do is of another order: an older Galera stalls every TLS
 * accept for as long as a connection lingers (9 s and more), and a garbd that cannot reach a
 * primary view fails after 34 s.
 */
public final class GarbdJoins {
    /** How much slower than the slowest unprobed join a probed one may be before it counts as harm. */
    public static final Duration SLACK = Duration.ofSeconds(3);

    private GarbdJoins() {}

    /** Starts garbd {@code runs} times from the agents' nodes, in turn, and times each join. */
    public static List<Duration> measure(Testbed tb, int runs) {
        List<Duration> times = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            try (Garbd garbd = tb.garbd(tb.agents().get(i % tb.agents().size()))) {
                Awaits.poll("garbd joined", Duration.ofSeconds(30), () -> {
                    if (!garbd.alive()) {
                        throw new AssertionError("garbd exited:\n" + garbd.log());
                    }
                    return tb.clusterSize() == 4;
                });
                times.add(Duration.between(garbd.started(), Instant.now()));
            }
            Awaits.poll("garbd gone (cluster size 3)", Duration.ofSeconds(30), () -> tb.clusterSize() == 3);
        }
        return times;
    }

    /** Every probed join within {@link #SLACK} of the slowest unprobed one. */
    public static void assertUnharmed(List<Duration> probed, List<Duration> unprobed, String what) {
        Duration worstUnprobed = unprobed.stream().max(Duration::compareTo).orElseThrow();
        Duration worst = probed.stream().max(Duration::compareTo).orElseThrow();
        assertTrue(
                worst.compareTo(worstUnprobed.plus(SLACK)) <= 0,
                "garbd join " + text(probed) + " " + what + " vs " + text(unprobed) + " without probing");
    }

    public static String text(List<Duration> times) {
        return String.join(
                ", ",
                times.stream()
                        .map(d -> String.format(Locale.ROOT, "%.1f s", d.toMillis() / 1000.0))
                        .toList());
    }
}
