package io.pxcprobe.deploy;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** values.schema.json rejects wrong types, values out of range and unknown keys. */
class ChartSchemaTest {

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(
            delimiter = '|',
            value = {
                "hostNetwork | yes | hostNetwork",
                "replicas | 3 | replicas",
                "config.probes.tcp.modee | syn | modee",
                "config.probes.tcp.mode | fast | mode",
                "config.probes.tcp.interval | 5 seconds | interval",
                "config.probes.tcp.ports.gcomm.port | 70000 | port",
                "config.log.level | trace | level",
                "config.discovery.kubernetes.dnsService | kube-dns | dnsService",
                "watchNamespaces[0] | Not_A_Namespace | watchNamespaces",
                "prometheusRule.thresholds.gcommUnreachableRatio | 2 | gcommUnreachableRatio",
                "prometheusRule.thresholds.unknownThreshold | 1 | unknownThreshold",
                "prometheusRule.disabledAlerts[0] | PXCNoSuchAlert | disabledAlerts",
                "prometheusRule.for.PXCGaleraGcommUnreachable | soon | PXCGaleraGcommUnreachable",
                "image.digest | latest | digest",
                "updateStrategy.rollingUpdate.maxUnavailable | lots | maxUnavailable",
            })
    void rejects(String key, String value, String named) {
        var e = assertThrows(IllegalStateException.class, () -> Chart.render(List.of(), key, value));
        assertTrue(e.getMessage().contains("schema") && e.getMessage().contains(named), e.getMessage());
    }
}
