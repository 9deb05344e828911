package io.pxcprobe.mesh;

import io.netty.util.NetUtil;
import io.pxcprobe.config.PeersConfig;
import io.pxcprobe.plan.Fleet;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The agents that probe the same pods: the A/AAAA records of {@code peers.dns} (the chart's headless
 * Service lists every agent, this one included), {@code peers.addresses}, and this agent; counted
 * now and every {@code period}. Their number is the probe budget's divisor, their addresses what
 * sampling picks from. A count that fails keeps the last one: a DNS outage must not multiply the
 * fan-in on the database.
 */
public final class AgentCensus implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(AgentCensus.class);

    private final PeersConfig peers;
    private final AgentDirectory directory;
    private final String self;
    private final Consumer<Fleet> onChange;
    private final ScheduledExecutorService timer;
    private volatile Fleet fleet = Fleet.ALONE;
    private volatile boolean closed;
    private String lastProblem;

    /**
     * @param self this agent's address (its pod IP), or null where it is not known
     * @param onChange called on the census's own thread with each new fleet
     */
    public AgentCensus(
            PeersConfig peers,
            List<InetSocketAddress> resolvers,
            String self,
            Duration period,
            Consumer<Fleet> onChange) {
        this.peers = peers;
        this.self = self;
        this.directory = new AgentDirectory(peers, resolvers, () -> null);
        this.onChange = onChange;
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "census");
            t.setDaemon(true);
            return t;
        });
        timer.scheduleWithFixedDelay(this::count, 0, period.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void count() {
        if (closed) {
            return;
        }
        // an exception escaping a periodic task would cancel every later count
        try {
            countOnce();
        } catch (RuntimeException e) {
            LOG.error("counting the agents failed; the probe budget keeps {} agent(s)", fleet.count(), e);
        }
    }

    private void countOnce() {
        AgentDirectory.Found found;
        try {
            // the directory answers within peers.timeout; the margin only guards against a bug there
            found = directory.find().get(2 * peers.timeout().toMillis() + 1000, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        } catch (ExecutionException | TimeoutException e) {
            problem("counting the agents failed: " + e);
            return;
        }
        if (!found.problems().isEmpty()) {
            problem(String.join("; ", found.problems()));
            return;
        }
        lastProblem = null;
        Fleet next = fleetOf(found.agents(), found.leftOut(), self, peers.dnsName() != null);
        if (next.equals(fleet)) {
            return;
        }
        if (next.count() != fleet.count()) {
            LOG.info("probe budget: {} agents probe the same pods (was {})", next.count(), fleet.count());
        }
        // kept only once applied: a count whose replan failed is applied again at the next count
        onChange.accept(next);
        fleet = next;
    }

    /**
     * The fleet from what the directory found. With a DNS name the records list every agent, this
     * one included: an agent whose own address is not among them is not placed (its address is
     * wrong, and sampling over a list the others do not have would leave paths short of sources).
     * Without one the addresses list the others, and this agent joins them. Agents are told apart
     * by address: one agent per IP.
     */
    static Fleet fleetOf(List<InetSocketAddress> found, int leftOut, String self, boolean byDns) {
        Set<String> members = new TreeSet<>();
        found.forEach(a -> members.add(a.getAddress().getHostAddress()));
        if (self != null && !byDns) {
            members.add(self);
        }
        // without a DNS name and without its own address, this agent is in no list: count it apart
        int uncounted = self == null && !byDns ? 1 : 0;
        return new Fleet(Math.max(1, members.size() + leftOut + uncounted), List.copyOf(members), self);
    }

    /** Logged once per distinct problem: a census runs every period, a broken DNS name would repeat. */
    private void problem(String what) {
        if (!what.equals(lastProblem)) {
            LOG.warn("{}; the probe budget keeps counting {} agent(s)", what, fleet.count());
            lastProblem = what;
        }
    }

    /**
     * An IP literal in the form the DNS answers give (so that {@code ::1} and {@code 0:0:...:1}
     * match), or null for anything else: this never resolves a name.
     */
    public static String ipLiteral(String text) {
        if (text == null) {
            return null;
        }
        byte[] bytes = NetUtil.createByteArrayFromIpAddressString(text.trim());
        if (bytes == null) {
            return null;
        }
        try {
            return InetAddress.getByAddress(bytes).getHostAddress();
        } catch (UnknownHostException e) {
            return null;
        }
    }

    @Override
    public void close() {
        closed = true;
        timer.shutdownNow();
        try {
            // a count inside the agent's replan finishes before the agent closes its scheduler
            timer.awaitTermination(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
