package io.pxcprobe.e2e.scenario;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.pxcprobe.e2e.Scenario;
import io.pxcprobe.e2e.StartHealthy;
import io.pxcprobe.e2e.TestbedExtension;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Scenario 1: gcomm open everywhere, IST/SST refused and counted healthy, DNS ok, no alert. */
@ExtendWith(TestbedExtension.class)
@StartHealthy
class HealthyClusterIT {

    @Test
    void everyPathIsClassifiedHealthyAndNothingAlerts(Scenario s) {
        int paths = s.tb().galera().size() * s.tb().agents().size();
        assertEquals(
                paths,
                s.prom()
                        .query("increase(pxc_probe_tcp_probes_total{port=\"gcomm\",result=\"open\"}[10s]) > 0")
                        .size());
        for (String port : new String[] {"ist", "sst"}) {
            assertEquals(
                    paths,
                    s.prom()
                            .query("increase(pxc_probe_tcp_probes_total{port=\"" + port
                                    + "\",result=\"refused\"}[10s]) > 0")
                            .size(),
                    port + " refused on every path");
            assertEquals(
                    paths,
                    s.prom()
                            .query("pxc_probe_tcp_path_up{port=\"" + port + "\"} == 1")
                            .size(),
                    port + " counted as a healthy path");
            assertEquals(
                    0,
                    s.prom()
                            .query("pxc_probe_tcp_probes_total{port=\"" + port + "\",result!=\"refused\"} > 0")
                            .size(),
                    port + " never anything but refused");
        }
        assertEquals(
                paths,
                s.prom()
                        .query("pxc_probe_dns_up{name_kind=\"pod\",rrtype=\"A\"} == 1")
                        .size(),
                "pod names resolve");
        assertEquals(0, s.prom().query("pxc_probe_dns_up == 0").size(), "no DNS check failing");
        assertEquals(0, s.prom().query("pxc_probe_tcp_path_up == 0").size(), "no path down");
        assertEquals(List.of(), s.projectAlerts());
    }
}
