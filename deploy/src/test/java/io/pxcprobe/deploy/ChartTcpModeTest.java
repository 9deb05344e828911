package io.pxcprobe.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.InstallCommand;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The TCP mode the chart gives the agents: syn (through auto) wherever the namespace allows
 * CAP_NET_RAW, connect under the restricted Pod Security profile, and NOTES.txt saying what the
 * chosen mode costs the database.
 */
class ChartTcpModeTest {

    @Test
    void restrictedTurnsAutoIntoConnectWithoutNetRawAndSynIntoAClearFailure() {
        List<String> caps = caps(Chart.render(List.of(), "podSecurityProfile", "restricted"));
        assertTrue(caps.isEmpty(), "restricted: no capability");
        List<String> defaults = caps(Chart.defaults());
        assertEquals(List.of("NET_RAW"), defaults, "positive control: the default (auto) holds NET_RAW");
        for (String profile : List.of("baseline", "privileged")) {
            assertEquals(List.of("NET_RAW"), caps(Chart.render(List.of(), "podSecurityProfile", profile)), profile);
        }
        Exception e = assertThrows(
                Exception.class,
                () -> Chart.render(List.of(), "podSecurityProfile", "restricted", "config.probes.tcp.mode", "syn"));
        assertTrue(
                e.getMessage()
                        .contains(
                                "mode syn needs CAP_NET_RAW, which the namespace's Pod Security profile restricted forbids"),
                e.getMessage());
    }

    @Test
    void theNamespacesPodSecurityLabelIsLookedUp() {
        try {
            Cluster.get().podSecurity("restricted");
            assertTrue(caps(Chart.defaults()).isEmpty(), "a restricted namespace gets no NET_RAW");
            assertTrue(notes().contains("TCP mode: connect (auto fell back"));
            Cluster.get().podSecurity("baseline");
            assertEquals(List.of("NET_RAW"), caps(Chart.defaults()), "positive control: baseline allows it");
            assertFalse(notes().contains("could not be read"), "the label was read");
        } finally {
            Cluster.get().podSecurity(null);
        }
    }

    @Test
    void notesPrintTheErrorLogCostOfConnectAndNoneForSyn() {
        String restricted = notes("podSecurityProfile", "restricted");
        assertTrue(
                restricted.contains(
                        "TCP mode: connect (auto fell back: the namespace's Pod Security profile is restricted"),
                restricted);
        assertTrue(
                restricted.contains(
                        "lines per PXC pod per day = agents (one per node) x 86400 / gcomm interval (5s) x lines per probe"),
                restricted);
        // 86400 / 5 x 0.71 = 12268.8
        assertTrue(restricted.contains("= about 12268 per agent (17280 at 1 line per probe)"), restricted);
        assertTrue(restricted.contains("The admin port (33062) is not probed"), restricted);
        // 20 a second x 86400 x 0.71
        assertTrue(
                restricted.contains(
                        "at most\n  1226880 lines per PXC pod per day (1728000 at 1 line per probe), whatever the node count"),
                restricted);
        assertFalse(
                notes("podSecurityProfile", "restricted", "config.probes.tcp.budget", "0")
                        .contains("capped by probes.tcp.budget"),
                "budget 0: no cap to print");

        String slower = notes("config.probes.tcp.mode", "connect", "config.probes.tcp.ports.gcomm.interval", "30s");
        assertTrue(slower.contains("TCP mode: connect.") && slower.contains("about 2044 per agent"), slower);
        String millis = notes(
                "config.probes.tcp.mode",
                "connect",
                "config.probes.tcp.interval",
                "500ms",
                "config.probes.tcp.timeout",
                "200ms");
        assertTrue(millis.contains("about 122688 per agent"), millis);

        String auto = notes();
        assertTrue(auto.contains("TCP mode: auto.") && auto.contains("Half-open (syn) probes add no line"), auto);
        assertFalse(auto.contains("lines per PXC pod per day"), "syn costs nothing, so no budget is printed: " + auto);
        assertTrue(auto.contains("set podSecurityProfile=restricted"), "the profile could not be read here: " + auto);
    }

    /** NOTES.txt as helm install prints it (client-only dry run: no cluster). */
    private static String notes(String... sets) {
        Cluster.get();
        InstallCommand install = new Helm(Repository.chart())
                .install()
                .withName(Chart.RELEASE)
                .withNamespace(Chart.NAMESPACE)
                .dryRun()
                .clientOnly();
        for (int i = 0; i < sets.length; i += 2) {
            install = install.set(sets[i], sets[i + 1]);
        }
        String out = install.call().getOutput();
        int notes = out.indexOf("NOTES:");
        assertTrue(notes >= 0, "helm printed no NOTES: " + out);
        return out.substring(notes);
    }

    /** The capabilities the agent container adds. */
    private static List<String> caps(Chart.Rendered r) {
        return r.one(DaemonSet.class)
                .getSpec()
                .getTemplate()
                .getSpec()
                .getContainers()
                .get(0)
                .getSecurityContext()
                .getCapabilities()
                .getAdd();
    }
}
