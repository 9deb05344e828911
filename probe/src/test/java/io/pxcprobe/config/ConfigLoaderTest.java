package io.pxcprobe.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ConfigLoaderTest {
    private final ConfigLoader loader = new ConfigLoader(Map.of("NODE_NAME", "node-from-env")::get);

    private AgentConfig parse(String yaml) throws ConfigException {
        return loader.parse("test.yaml", yaml);
    }

    private String error(String yaml) {
        return assertThrows(ConfigException.class, () -> parse(yaml)).getMessage();
    }

    @Test
    void emptyFileGivesTheDocumentedDefaults() throws Exception {
        AgentConfig c = parse("");
        assertEquals("node-from-env", c.node());
        assertEquals(9797, c.http().port());
        assertEquals(Duration.ofSeconds(5), c.tcp().interval());
        assertEquals(Duration.ofSeconds(2), c.tcp().timeout());
        assertEquals(3, c.tcp().ports().size());
        assertEquals(
                new PortSpec(
                        "gcomm",
                        4567,
                        PortSpec.Expect.LISTENING,
                        Duration.ofSeconds(5),
                        Duration.ofSeconds(2),
                        TcpMode.CONNECT),
                c.tcp().ports().get(0));
        assertEquals(PortSpec.Expect.REACHABLE, c.tcp().ports().get(1).expect());
        assertEquals(4444, c.tcp().ports().get(2).port());
        assertTrue(
                c.tcp().ports().stream().noneMatch(p -> p.port() == 3306), "MySQL ports are never probed by default");
        assertEquals(Duration.ofSeconds(10), c.dns().interval());
        assertTrue(c.dns().resolvers().isEmpty());
        assertEquals(KubernetesDiscoveryConfig.Enabled.AUTO, c.kubernetes().enabled());
        assertEquals("cluster.local", c.kubernetes().clusterDomain());
        assertEquals(0, c.scheduler().maxChecks(), "0: the limit follows the heap");
        assertEquals(20, c.tcp().budget(), "20 probes a second into each pod and port, all agents together");
    }

    @Test
    void latencyHistogramsAreClassicUnlessNativeOrNoneIsAsked() throws Exception {
        assertEquals(MetricsConfig.Histograms.CLASSIC, parse("").metrics().histograms());
        assertEquals(
                MetricsConfig.Histograms.NATIVE,
                parse("metrics: {histograms: native}").metrics().histograms());
        assertEquals(
                MetricsConfig.Histograms.NONE,
                parse("metrics:\n  histograms: none").metrics().histograms());
        assertFalse(parse("").sameStartupSettings(parse("metrics: {histograms: none}")), "a restart setting");
    }

    @Test
    void peersDefaultToThisAgentAloneAndTakeTheHttpPort() throws Exception {
        PeersConfig p = parse("http: {port: 9800}").peers();
        assertFalse(p.configured());
        assertEquals(9800, p.port());
        assertEquals(Duration.ofSeconds(2), p.timeout());
        assertEquals(16, p.maxConcurrent());
        assertEquals(1024 << 10, p.maxBodyBytes());
        PeersConfig given = parse("peers: {dns: agents.mon.svc, addresses: [\"10.0.0.1\", \"[fd00::1]:9000\"]}")
                .peers();
        assertTrue(given.configured());
        assertEquals("agents.mon.svc", given.dnsName());
        assertEquals(9797, given.addresses().get(0).getPort());
        assertEquals(9000, given.addresses().get(1).getPort());
    }

    @Test
    void badPeersSettingsNameTheirLineAndKey() {
        String bad = error("node: n\npeers:\n  addresses: [\"agent-1\"]\n");
        assertTrue(bad.startsWith("test.yaml:3: peers.addresses: 'agent-1' is not an IP address"), bad);
        String name = error("peers:\n  dns: \"not a name!\"\n");
        assertTrue(name.startsWith("test.yaml:2: peers.dns:"), name);
        String timeout = error("peers: {timeout: 5ms}");
        assertTrue(timeout.contains("timeout"), timeout);
        String unknown = error("peers: {recursive: true}");
        assertTrue(unknown.contains("recursive"), unknown);
    }

    @Test
    void canaryIsOffByDefaultAndTakesTheBackupPorts() throws Exception {
        CanaryConfig off = parse("").canary();
        assertFalse(off.enabled());
        CanaryConfig on = parse("canary: {enabled: true, window: 30s}").canary();
        assertTrue(on.enabled());
        assertEquals(List.of("gcomm", "sst"), List.copyOf(on.ports().keySet()));
        assertEquals(List.of(4567, 4444), List.copyOf(on.ports().values()));
        assertEquals(Duration.ofSeconds(30), on.window());
        String taken = error("http: {port: 4567}\ncanary:\n  enabled: true\n  ports: {gcomm: 4567}\n");
        assertTrue(taken.startsWith("test.yaml:4: canary.ports.gcomm: port 4567 is taken"), taken);
        String none = error("canary:\n  enabled: true\n  ports: {}\n");
        assertTrue(none.contains("canary.ports: an enabled canary needs at least one port"), none);
    }

    @Test
    void sidecarModeProbesTheCanariesInConnectModeAndNothingElse() throws Exception {
        ConfigLoader env =
                new ConfigLoader(Map.of("POD_NAME", "c1-pxc-2", "POD_NAMESPACE", "db", "PXC_CLUSTER", "c1")::get);
        AgentConfig c = env.parse("t.yaml", "sidecar: {agents: {dns: pxc-probe.mon.svc.cluster.local.}}");
        SidecarConfig s = c.sidecar().orElseThrow();
        assertEquals("c1-pxc-2", s.pod());
        assertEquals("db", s.namespace());
        assertEquals("c1", s.cluster());
        assertEquals(9797, s.agents().port(), "the agents' HTTP port, for /identity");
        assertEquals(
                List.of("gcomm:4567", "sst:4444"),
                c.tcp().ports().stream().map(p -> p.name() + ":" + p.port()).toList());
        assertEquals(TcpMode.CONNECT, c.tcp().mode());
        assertTrue(parse("").sidecar().isEmpty());

        String noAgents = error("sidecar: {pod: p, namespace: n, cluster: c}");
        assertTrue(noAgents.startsWith("test.yaml:1: sidecar.agents: needs agents.dns"), noAgents);
        String noCluster = error("sidecar:\n  pod: p\n  namespace: n\n  agents: {addresses: [\"10.0.0.1\"]}\n");
        assertTrue(noCluster.contains("sidecar.cluster: needs the PerconaXtraDBCluster's name"), noCluster);
        String syn = error("sidecar: {pod: p, namespace: n, cluster: c, agents: {addresses: [\"10.0.0.1\"]}}\n"
                + "probes:\n  tcp:\n    mode: syn\n");
        assertTrue(
                syn.startsWith("test.yaml:4: probes.tcp.mode: a sidecar probes the agents' canaries in connect mode"),
                syn);
        String statics = error(
                "sidecar: {pod: p, namespace: n, cluster: c, agents: {addresses: [\"10.0.0.1\"]}}\n"
                        + "discovery:\n  static:\n    clusters: [{namespace: a, name: b, members: [{pod: x, address: 10.0.0.2}]}]\n");
        assertTrue(statics.contains("discovery: sidecar mode probes the agents it finds"), statics);
        String canary = error("sidecar: {pod: p, namespace: n, cluster: c, agents: {addresses: [\"10.0.0.1\"]}}\n"
                + "canary: {enabled: true}\n");
        assertTrue(canary.contains("canary: the canaries belong in the agents"), canary);
    }

    @Test
    void theAdminPortIsADefaultOnlyWhereSynCanBeUsed() throws Exception {
        for (String mode : List.of("syn", "auto")) {
            List<PortSpec> ports =
                    parse("probes: {tcp: {mode: " + mode + "}}").tcp().ports();
            assertEquals(
                    List.of("gcomm", "ist", "sst", "admin"),
                    ports.stream().map(PortSpec::name).toList(),
                    mode);
            PortSpec admin = ports.get(3);
            assertEquals(33062, admin.port());
            assertEquals(PortSpec.Expect.LISTENING, admin.expect());
            assertTrue(admin.reachesMysqld());
        }
        assertTrue(
                parse("probes: {tcp: {mode: connect}}").tcp().ports().stream().noneMatch(PortSpec::reachesMysqld),
                "connect: no MySQL port by default");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            admin in connect       | probes:\\n  tcp:\\n    ports:\\n      admin: {port: 33062} | test.yaml:4: probes.tcp.ports.admin.port: port 33062 is MySQL's: a connect probe counts toward max_connect_errors
            mysql by explicit mode | probes:\\n  tcp:\\n    mode: syn\\n    ports:\\n      db:\\n        port: 3306\\n        mode: connect | test.yaml:7: probes.tcp.ports.db.mode: port 3306 is MySQL's
            mysqlx via podPorts    | probes:\\n  tcp:\\n    ports:\\n      x: {port: 4567, podPorts: [33060]} | test.yaml:4: probes.tcp.ports.x.port: port 4567 or its podPorts is MySQL's
            """)
    void aMysqlPortInConnectModeIsRefusedWithTheReason(String what, String yaml, String expected) throws Exception {
        String message = error(yaml.replace("\\n", "\n"));
        assertTrue(
                message.startsWith(expected),
                what + ": got <" + message + "> wanted it to start with <" + expected + ">");
        String syn = yaml.contains("mode: connect")
                ? yaml.replace("mode: connect", "mode: syn")
                : yaml.replace("    ports:", "    mode: syn\\n    ports:");
        assertEquals(
                false,
                parse(syn.replace("\\n", "\n")).tcp().ports().isEmpty(),
                what + ": positive control: the same port in syn or auto is accepted");
    }

    @Test
    void aModeThisProcessCannotRunIsRefusedAtItsOwnLine() throws Exception {
        ConfigLoader noRaw = loader.withModeCheck(m -> m == TcpMode.SYN ? "no raw sockets" : null);
        String yaml = """
                probes:
                  tcp:
                    ports:
                      gcomm: {port: 4567}
                      ist: {port: 4568, mode: syn}
                """;
        assertEquals(
                "test.yaml:5: probes.tcp.ports.ist.mode: no raw sockets",
                assertThrows(ConfigException.class, () -> noRaw.parse("test.yaml", yaml))
                        .getMessage());
        assertEquals(
                "test.yaml:3: probes.tcp.mode: no raw sockets",
                assertThrows(ConfigException.class, () -> noRaw.parse("test.yaml", "probes:\n  tcp:\n    mode: syn\n"))
                        .getMessage());
        assertEquals(
                TcpMode.SYN,
                loader.parse("test.yaml", yaml).tcp().ports().get(1).mode(),
                "positive control: the same file where raw sockets are allowed");
        assertEquals(
                TcpMode.AUTO,
                noRaw.parse("test.yaml", "probes: {tcp: {mode: auto}}").tcp().mode(),
                "auto falls back and is never refused");
    }

    @Test
    void theStatedFourMibLimitHoldsForTheFileAndTheYamlParser(@TempDir Path dir) throws Exception {
        StringBuilder sb = new StringBuilder(
                "node: big\ndiscovery:\n  static:\n    clusters:\n      - namespace: db\n        name: c1\n        members:\n");
        String member = "          - {pod: p%06d, address: 10.%d.%d.%d}\n";
        int i = 0;
        while (sb.length() + member.length() + 8 < ConfigLoader.MAX_FILE_BYTES) {
            sb.append(member.formatted(i, i >> 16 & 255, i >> 8 & 255, i & 255));
            i++;
        }
        sb.append("#".repeat(ConfigLoader.MAX_FILE_BYTES - sb.length() - 1)).append('\n');
        Path fits = dir.resolve("fits.yaml");
        Files.writeString(fits, sb);
        assertEquals(ConfigLoader.MAX_FILE_BYTES, Files.size(fits));
        assertEquals(
                i,
                loader.load(fits).staticDiscovery().clusters().get(0).members().size(),
                "a file of exactly 4 MiB loads (the YAML parser's default stops at 3 MiB)");
        Path over = dir.resolve("over.yaml");
        Files.writeString(over, sb.append('#'));
        assertEquals(
                over + ": larger than 4 MiB",
                assertThrows(ConfigException.class, () -> loader.load(over)).getMessage());
    }

    @Test
    void theShippedExampleIsValid() throws Exception {
        AgentConfig c = loader.load(Path.of("..", "examples", "standalone.yaml"));
        assertEquals("demo-node", c.node());
        assertEquals(2, c.staticDiscovery().clusters().get(0).members().size());
    }

    @Test
    void theIssueExampleParsesWithPerPortSettings() throws Exception {
        AgentConfig c = parse("""
                node: node-a
                http: {port: 9797}
                probes:
                  tcp:
                    interval: 5s
                    timeout: 2s
                    ports:
                      gcomm: {port: 4567, expect: listening, interval: 30s, mode: connect}
                      ist:   {port: 4568, expect: reachable}
                      sst:   {port: 4444, expect: reachable, timeout: 500ms}
                  dns:
                    interval: 10s
                    timeout: 2s
                    resolvers: ["10.96.0.10:53", "[fd00::a]:5353", "10.96.0.11"]
                discovery:
                  static:
                    clusters:
                      - namespace: db
                        name: cluster1-pxc-db
                        members:
                          - pod: cluster1-pxc-db-pxc-0
                            address: 10.0.0.10
                            dnsName: cluster1-pxc-db-pxc-0.cluster1-pxc-db-pxc.db.svc.cluster.local
                """);
        assertEquals(Duration.ofSeconds(30), c.tcp().ports().get(0).interval());
        assertEquals(Duration.ofMillis(500), c.tcp().ports().get(2).timeout());
        assertEquals("[fd00:0:0:0:0:0:0:a]:5353", c.dns().resolvers().get(1).label());
        assertEquals("10.96.0.11:53", c.dns().resolvers().get(2).label());
        assertEquals(
                "cluster1-pxc-db-pxc-0.cluster1-pxc-db-pxc.db.svc.cluster.local",
                c.staticDiscovery().clusters().get(0).members().get(0).dnsName());
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            unknown top key        | nodee: x                                              | test.yaml:1: nodee: unknown key
            unknown nested key     | probes:\\n  tcp:\\n    intervall: 5s                   | test.yaml:3: probes.tcp.intervall: unknown key
            bad duration           | probes:\\n  tcp:\\n    interval: 5 sec                | test.yaml:3: probes.tcp.interval: '5 sec' is not a duration
            duration too short     | probes:\\n  dns:\\n    interval: 1ms                  | test.yaml:3: probes.dns.interval: 1ms is out of range 100ms-1h
            timeout over interval  | probes:\\n  tcp:\\n    interval: 1s\\n    timeout: 2s | test.yaml:4: probes.tcp.timeout: 2s is longer than the interval 1s
            port out of range      | probes:\\n  tcp:\\n    ports:\\n      gcomm: {port: 70000} | test.yaml:4: probes.tcp.ports.gcomm.port: 70000 is out of range 1-65535
            check limit too high   | scheduler:\\n  maxChecks: 2000000                  | test.yaml:2: scheduler.maxChecks: 2000000 is out of range 0-1000000
            negative probe budget  | probes:\\n  tcp:\\n    budget: -1                     | test.yaml:3: probes.tcp.budget: -1 is out of range 0-100000
            sampled gcomm          | probes:\\n  tcp:\\n    ports:\\n      gcomm: {port: 4567, sources: 3} | test.yaml:4: probes.tcp.ports.gcomm.sources: gcomm is judged by the backup verdict on every node, which needs the evidence of each node: sample only ports such as ist and sst
            too many sources       | probes:\\n  tcp:\\n    ports:\\n      ist: {port: 4568, sources: 5000} | test.yaml:4: probes.tcp.ports.ist.sources: 5000 is out of range 0-1000
            port not a number      | http:\\n  port: eighty                               | test.yaml:2: http.port: 'eighty' is not a whole number
            same port twice        | probes:\\n  tcp:\\n    ports:\\n      a: {port: 1}\\n      b: {port: 1} | test.yaml:5: probes.tcp.ports.b.port: port 1 is listed twice
            port without number    | probes:\\n  tcp:\\n    ports:\\n      a: {expect: reachable} | test.yaml:4: probes.tcp.ports.a: needs a port number
            bad expect             | probes:\\n  tcp:\\n    ports:\\n      a: {port: 1, expect: open} | test.yaml:4: probes.tcp.ports.a.expect: 'open' is not one of listening, reachable
            bad mode               | probes:\\n  tcp:\\n    mode: icmp                     | test.yaml:3: probes.tcp.mode: 'icmp' is not one of connect, syn, auto
            bad histograms         | metrics:\\n  histograms: sparse                 | test.yaml:2: metrics.histograms: 'sparse' is not one of classic, native, none
            resolver by name       | probes:\\n  dns:\\n    resolvers: [kube-dns]          | test.yaml:3: probes.dns.resolvers: 'kube-dns' is not an IP address
            member without address | discovery:\\n  static:\\n    clusters:\\n      - {namespace: db, name: c1, members: [{pod: p0}]} | test.yaml:4: discovery.static.clusters[0].members[0].address: is required
            bad member address     | discovery:\\n  static:\\n    clusters:\\n      - {namespace: db, name: c1, members: [{pod: p0, address: 10.0.0.300}]} | test.yaml:4: discovery.static.clusters[0].members[0].address: '10.0.0.300' is not an IP address
            duplicate member       | discovery:\\n  static:\\n    clusters:\\n      - namespace: db\\n        name: c1\\n        members:\\n          - {pod: p0, address: 10.0.0.1}\\n          - {pod: p0, address: 10.0.0.2} | test.yaml:8: discovery.static.clusters[0].members[1].pod: duplicate member db/c1/p0
            duplicate cluster      | discovery:\\n  static:\\n    clusters:\\n      - {namespace: db, name: c1}\\n      - {namespace: db, name: c1} | test.yaml:5: discovery.static.clusters[1].name: cluster db/c1 is listed twice
            not a mapping          | probes: [1, 2]                                        | test.yaml:1: probes: must be a mapping of keys to values
            duplicate yaml key     | node: a\\nnode: b                                     | test.yaml:2: node: given twice
            broken yaml            | probes: {tcp: [}                                      | test.yaml:1: not valid YAML
            bad kubernetes switch  | discovery:\\n  kubernetes:\\n    enabled: maybe       | test.yaml:3: discovery.kubernetes.enabled: 'maybe' is not one of auto, true, false
            bad cidr               | http:\\n  probe:\\n    allowCidrs: [10.0.0.0/40]      | test.yaml:3: http.probe.allowCidrs: '10.0.0.0/40' has a prefix length out of range
            """)
    void everyMistakeIsOneMessageWithLineAndKey(String what, String yaml, String expected) {
        String message = error(yaml.replace("\\n", "\n"));
        assertTrue(
                message.startsWith(expected),
                what + ": got <" + message + "> wanted it to start with <" + expected + ">");
    }

    @Test
    void unreadableFileSaysSo() {
        String m = assertThrows(ConfigException.class, () -> loader.load(Path.of("/nonexistent/pxc.yaml")))
                .getMessage();
        assertTrue(m.startsWith("/nonexistent/pxc.yaml: cannot read"), m);
    }

    @Test
    void durationsReadAndWriteBack() {
        assertEquals(Duration.ofMillis(1500), Durations.parse("1s500ms"));
        assertEquals(Duration.ofSeconds(90), Durations.parse("1m30s"));
        assertEquals(Duration.ofMillis(250), Durations.parse("0.25s"));
        assertEquals("1m", Durations.format(Duration.ofSeconds(60)));
        assertEquals("750ms", Durations.format(Duration.ofMillis(750)));
        assertThrows(IllegalArgumentException.class, () -> Durations.parse("5"));
        assertThrows(IllegalArgumentException.class, () -> Durations.parse("-5s"));
    }

    @Test
    void cidrsMatchByPrefix() {
        Cidr c = Cidr.parse("10.1.0.0/16");
        assertTrue(c.contains(Addresses.parseLiteral("10.1.200.3").orElseThrow()));
        assertTrue(!c.contains(Addresses.parseLiteral("10.2.0.1").orElseThrow()));
        assertTrue(Cidr.parse("10.1.2.128/25")
                .contains(Addresses.parseLiteral("10.1.2.200").orElseThrow()));
        assertTrue(!Cidr.parse("10.1.2.128/25")
                .contains(Addresses.parseLiteral("10.1.2.100").orElseThrow()));
        assertTrue(!c.contains(Addresses.parseLiteral("::1").orElseThrow()));
    }

    @Test
    void addressLiteralsNeverResolveNames() {
        assertTrue(Addresses.parseLiteral("localhost").isEmpty());
        assertTrue(Addresses.parseLiteral("example.com").isEmpty());
        assertTrue(Addresses.parseLiteral("fd00::1").isPresent());
    }
}
