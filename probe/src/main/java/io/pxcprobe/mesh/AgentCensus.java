package io.pxcprobe.mesh;

import io.pxcprobe.config.PeersConfig;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.IntConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How many agents probe the same pods, the divisor of the probe budget: the A/AAAA records of
 * {@code peers.dns} (the chart's headless Service lists every agent, this one included) plus
 * {@code peers.addresses}, plus this agent where no DNS name is given; counted now and every
 * {@code period}. A count that fails keeps the last one: a DNS outage must not multiply the
 * fan-in on the database.
 */
public final class AgentCensus implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AgentCensus.class);

    private final PeersConfig peers;
    private final AgentDirectory directory;
    private final IntConsumer onChange;
    private final ScheduledExecutorService timer;
    private volatile int agents = 1;
    private String lastProblem;

    /** @param onChange called on the census's own thread with each new count */
    public AgentCensus(PeersConfig peers, List<InetSocketAddress> resolvers, Duration period, IntConsumer onChange) {
        this.peers = peers;
        this.directory = new AgentDirectory(peers, resolvers, () -> null);
        this.onChange = onChange;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "census");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(this::count, 0, period.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** The latest count, at least 1 (this agent). */
    public int agents() {
        return agents;
    }

    private void count() {
        AgentDirectory.Found found;
        try {
            // the directory answers within peers.timeout; the margin only guards against a bug there
            found = directory.find().get(2 * peers.timeout().toMillis() + 1000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        } catch (ExecutionException | TimeoutException | RuntimeException e) {
            problem("counting the agents failed: " + e);
            return;
        }
        if (!found.problems().isEmpty()) {
            problem(String.join("; ", found.problems()));
            return;
        }
        lastProblem = null;
        int n = Math.max(1, found.agents().size() + found.leftOut() + (peers.dnsName() == null ? 1 : 0));
        if (n != agents) {
            LOG.info("probe budget: {} agents probe the same pods (was {})", n, agents);
            agents = n;
            try {
                onChange.accept(n);
            } catch (RuntimeException e) {
                LOG.error("applying the agent count failed", e);
            }
        }
    }

    /** Logged once per distinct problem: a census runs every period, a broken DNS name would repeat. */
    private void problem(String what) {
        if (!what.equals(lastProblem)) {
            LOG.warn("{}; the probe budget keeps counting {} agent(s)", what, agents);
            lastProblem = what;
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
