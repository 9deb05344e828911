package io.pxcprobe.bench;

import io.pxcprobe.config.AgentConfig;
import io.pxcprobe.config.ConfigLoader;
import io.pxcprobe.config.TcpMode;
import io.pxcprobe.plan.Fleet;
import io.pxcprobe.plan.ProbePlan;
import io.pxcprobe.plan.Sampling;
import io.pxcprobe.plan.TcpCheck;
import io.pxcprobe.schedule.Phases;
import io.pxcprobe.target.Member;
import io.pxcprobe.target.TargetSnapshot;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.IntSummaryStatistics;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * The probe budget's fan-in (not a test). Each simulated agent builds its plan with the agent's own
 * {@link ProbePlan#build} (so {@code FanIn} sets its intervals) and places each check as the
 * scheduler does: a first run within 250 ms of its start, then its slot at the phase {@link Phases}
 * gives for the agent's name and the check's key, once per interval. Agents start at random over a
 * minute, as a rolling update starts them, or within one second, as a new node pool or a
 * restart of every agent at once does. Probes are counted per pod and port in one-second bins
 * over {@code minutes} after a two-minute settling, and compared with the same agents without a
 * budget, and with phases that ignore the agent's name (what the scheduler did before), in this run.
 *
 * <p>Arguments: {@code agents} (e.g. 200,1000), {@code pods}, {@code budget}, {@code minutes}.
 */
public final class FanInBench {
    private static final long FIRST_RUN_WINDOW_NANOS = 250_000_000L;
    private static final long SECOND = 1_000_000_000L;
    private static final long SETTLE = 120 * SECOND;

    private FanInBench() {}

    public static void main(String[] args) throws Exception {
        int[] agentCounts = Arrays.stream(args.length > 0 ? args[0].split(",") : new String[] {"200", "1000"})
                .mapToInt(Integer::parseInt)
                .toArray();
        int pods = args.length > 1 ? Integer.parseInt(args[1]) : 30;
        int budget = args.length > 2 ? Integer.parseInt(args[2]) : 20;
        int minutes = args.length > 3 ? Integer.parseInt(args[3]) : 10;
        TargetSnapshot pxc = snapshot(pods);
        System.out.printf(
                Locale.ROOT,
                "%d pods x 3 ports, interval 5 s, jitter 10 %%, %d min after a 2 min settling; "
                        + "probes a second into one pod's port%n%n",
                pods,
                minutes);
        System.out.println("| agents | started over | budget | phases | interval in force | mean /s | worst second"
                + " | worst interval (mean /s) | mean vs no budget |");
        System.out.println("|---|---|---|---|---|---|---|---|---|");
        for (int n : agentCounts) {
            for (int rollout : new int[] {60, 1}) {
                Stats none = run(pxc, n, 0, true, minutes, rollout);
                print(n, rollout, "none", "by agent and check", none, none);
                print(n, rollout, "" + budget, "by check only", run(pxc, n, budget, false, minutes, rollout), none);
                print(n, rollout, "" + budget, "by agent and check", run(pxc, n, budget, true, minutes, rollout), none);
            }
        }
        // many more paths than the fan-in needs: the share that moves is a small fraction of them
        sampling(agentCounts, 100 * pods, 3);
    }

    /**
     * Sampling at k sources: how the IST and SST paths of {@code pods} pods spread over n agents,
     * and what share of the assignments moves when one agent leaves or joins (rendezvous hashing
     * promises about 1/n).
     */
    private static void sampling(int[] agentCounts, int pods, int k) {
        System.out.printf(
                Locale.ROOT,
                "%nsampling: %d pods x (ist, sst), %d sources each%n%n"
                        + "| agents | paths per agent (min / mean / max) | moved when one leaves | moved when one joins | 1/n |%n"
                        + "|---|---|---|---|---|%n",
                pods,
                k);
        List<String> targets = new ArrayList<>();
        for (int i = 0; i < pods; i++) {
            targets.add("db/c" + (i / 3) + "/c" + (i / 3) + "-pxc-" + (i % 3) + "/ist");
            targets.add("db/c" + (i / 3) + "/c" + (i / 3) + "-pxc-" + (i % 3) + "/sst");
        }
        for (int n : agentCounts) {
            List<String> all = new ArrayList<>();
            for (int i = 0; i <= n; i++) {
                all.add("10.42." + (i / 250) + "." + (1 + i % 250));
            }
            List<String> fleet = all.subList(0, n);
            Map<String, Integer> load = new HashMap<>();
            long movedLeaving = 0;
            long movedJoining = 0;
            for (String t : targets) {
                List<String> was = picked(t, fleet, k);
                was.forEach(a -> load.merge(a, 1, Integer::sum));
                movedLeaving += k - common(was, picked(t, fleet.subList(1, n), k));
                movedJoining += k - common(was, picked(t, all, k));
            }
            double assignments = targets.size() * (double) k;
            IntSummaryStatistics per =
                    fleet.stream().mapToInt(a -> load.getOrDefault(a, 0)).summaryStatistics();
            System.out.printf(
                    Locale.ROOT,
                    "| %d | %d / %.2f / %d | %.2f %% | %.2f %% | %.2f %% |%n",
                    n,
                    per.getMin(),
                    per.getAverage(),
                    per.getMax(),
                    100 * movedLeaving / assignments,
                    100 * movedJoining / assignments,
                    100.0 / n);
        }
    }

    private static List<String> picked(String target, List<String> fleet, int k) {
        return Sampling.pick(target, fleet, k);
    }

    private static int common(List<String> a, List<String> b) {
        return (int) a.stream().filter(b::contains).count();
    }

    private record Stats(long intervalMillis, double mean, int worstSecond, double worstInterval) {}

    private static void print(int n, int rollout, String budget, String phases, Stats s, Stats reference) {
        System.out.printf(
                Locale.ROOT,
                "| %d | %d s | %s | %s | %.2f s | %.1f | %d | %.1f | %.2f |%n",
                n,
                rollout,
                budget,
                phases,
                s.intervalMillis / 1000.0,
                s.mean,
                s.worstSecond,
                s.worstInterval,
                s.mean / reference.mean);
    }

    /** @param rollout the seconds over which the agents start: 60 for a rolling update, 1 for all at once */
    private static Stats run(TargetSnapshot pxc, int agents, int budget, boolean salted, int minutes, int rollout)
            throws Exception {
        AgentConfig config = new ConfigLoader(k -> null)
                .parse("bench.yaml", "probes: {tcp: {interval: 5s, timeout: 2s, budget: " + budget + "}}");
        Random random = new Random(agents * 31L + budget);
        long end = SETTLE + minutes * 60L * SECOND;
        int bins = (int) ((end - SETTLE) / SECOND);
        Map<String, int[]> perTarget = new HashMap<>();
        long interval = 0;
        for (int a = 0; a < agents; a++) {
            ProbePlan plan = ProbePlan.build(
                    pxc,
                    config.tcp(),
                    config.dns(),
                    List.of(),
                    m -> TcpMode.CONNECT,
                    Integer.MAX_VALUE,
                    Fleet.of(agents));
            long start = (long) (random.nextDouble() * rollout * SECOND);
            String salt = salted ? "node-" + a + "/" : "";
            for (TcpCheck c : plan.tcpChecks()) {
                long every = c.interval().toNanos();
                interval = every;
                long phase = Phases.offsetNanos(salt + c.key(), every, 0.1);
                int[] counts = perTarget.computeIfAbsent(c.key(), k -> new int[bins]);
                count(counts, start + phase % Math.min(every, FIRST_RUN_WINDOW_NANOS));
                for (long t = start + phase; t < end; t += every) {
                    count(counts, t);
                }
            }
        }
        long total = 0;
        int worstSecond = 0;
        double worstInterval = 0;
        int window = (int) Math.max(1, interval / SECOND);
        for (int[] counts : perTarget.values()) {
            long sum = 0;
            for (int i = 0; i < counts.length; i++) {
                total += counts[i];
                worstSecond = Math.max(worstSecond, counts[i]);
                sum += counts[i];
                if (i >= window) {
                    sum -= counts[i - window];
                }
                if (i >= window - 1) {
                    worstInterval = Math.max(worstInterval, sum / (double) window);
                }
            }
        }
        double mean = total / (double) perTarget.size() / bins;
        return new Stats(interval / 1_000_000, mean, worstSecond, worstInterval);
    }

    private static void count(int[] counts, long at) {
        if (at >= SETTLE) {
            int bin = (int) ((at - SETTLE) / SECOND);
            if (bin < counts.length) {
                counts[bin]++;
            }
        }
    }

    private static TargetSnapshot snapshot(int pods) throws Exception {
        List<Member> members = new ArrayList<>();
        for (int i = 0; i < pods; i++) {
            members.add(new Member(
                    "db",
                    "c" + (i / 3),
                    "c" + (i / 3) + "-pxc-" + (i % 3),
                    InetAddress.getByAddress(new byte[] {10, 42, (byte) (i / 250), (byte) (i % 250 + 1)}),
                    "node-" + i,
                    true,
                    Map.of()));
        }
        return new TargetSnapshot(members, List.of(), Map.of(), List.of());
    }
}
