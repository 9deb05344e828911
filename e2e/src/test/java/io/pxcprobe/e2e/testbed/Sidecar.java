package io.pxcprobe.e2e.testbed;

import io.pxcprobe.testkit.AgentProcess;
import io.pxcprobe.testkit.Distribution;
import io.pxcprobe.testkit.NetNs;
import io.pxcprobe.testkit.PrometheusText;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * {@code pxc-probe sidecar --agents NAME} in one Galera node's namespace, exactly as the chart's
 * README has it pasted into {@code spec.pxc.sidecars}: pod, namespace and cluster from the
 * environment, every other setting its default.
 */
public final class Sidecar implements AutoCloseable {
    public static final int PORT = 9798;

    private final GaleraNode pod;
    private final AgentProcess process;

    private Sidecar(GaleraNode pod, AgentProcess process) {
        this.pod = pod;
        this.process = process;
    }

    static Sidecar start(
            GaleraNode pod, NetNs ns, String namespace, String cluster, String agents, Path dist, Path log) {
        Distribution d = Distribution.at(dist).wrappedIn(List.of(ns.prefixed())).withEnvironment(env -> {
            env.put("POD_NAME", pod.pod());
            env.put("POD_NAMESPACE", namespace);
            env.put("PXC_CLUSTER", cluster);
        });
        AgentProcess p = d.startWith(List.of("sidecar", "--agents", agents), log, pod.ip(), PORT);
        String m = p.awaitMetrics(t -> t.contains("pxc_probe_build_info"), Duration.ofSeconds(60));
        if (!m.contains("pxc_probe_build_info")) {
            p.close();
            throw new AssertionError("sidecar in " + pod.pod() + " serves no /metrics:\n" + p.logTail(40));
        }
        return new Sidecar(pod, p);
    }

    public String pod() {
        return pod.pod();
    }

    public PrometheusText metrics() {
        return PrometheusText.parse(process.metrics());
    }

    /** VmRSS of the sidecar's JVM, in bytes (the launcher execs java, so the process is the JVM). */
    public long rssBytes() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/" + process.pid() + "/status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new AssertionError("no VmRSS for " + process.pid());
    }

    @Override
    public void close() {
        process.close();
    }
}
