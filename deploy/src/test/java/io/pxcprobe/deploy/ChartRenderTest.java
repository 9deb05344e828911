package io.pxcprobe.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyPort;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.pxcprobe.config.AgentConfig;
import io.pxcprobe.config.ConfigLoader;
import io.pxcprobe.config.KubernetesDiscoveryConfig;
import io.pxcprobe.config.TcpMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class ChartRenderTest {
    private static final Set<String> READ_VERBS = Set.of("get", "list", "watch");

    @Test
    void defaultsRenderTheAgentAndNothingOptional() {
        Chart.Rendered r = Chart.defaults();
        assertEquals(
                new TreeSet<>(List.of(
                        "ClusterRole", "ClusterRoleBinding", "ConfigMap", "DaemonSet", "Service", "ServiceAccount")),
                new TreeSet<>(r.kinds()));
        for (HasMetadata o : r.objects()) {
            Map<String, String> labels = o.getMetadata().getLabels();
            assertEquals("pxc-probe", labels.get("app.kubernetes.io/name"), o.getKind());
            assertEquals(Chart.RELEASE, labels.get("app.kubernetes.io/instance"), o.getKind());
            assertEquals("Helm", labels.get("app.kubernetes.io/managed-by"), o.getKind());
        }
    }

    @Test
    void underTheRestrictedProfileThePodPassesIt() {
        DaemonSet ds =
                Chart.render(List.of(), "podSecurityProfile", "restricted").one(DaemonSet.class);
        PodSpec pod = ds.getSpec().getTemplate().getSpec();
        PodSecurityRestricted.check(pod, Set.of());
        assertEquals(65532L, pod.getSecurityContext().getRunAsUser());
        Container agent = pod.getContainers().get(0);
        assertTrue(agent.getSecurityContext().getReadOnlyRootFilesystem());
        assertTrue(agent.getSecurityContext().getCapabilities().getAdd().isEmpty());
        assertEquals(
                "/tmp",
                agent.getVolumeMounts().stream()
                        .filter(m -> m.getName().equals("tmp"))
                        .findFirst()
                        .orElseThrow()
                        .getMountPath());
        assertEquals(
                "Memory",
                pod.getVolumes().stream()
                        .filter(v -> v.getName().equals("tmp"))
                        .findFirst()
                        .orElseThrow()
                        .getEmptyDir()
                        .getMedium());
    }

    @Test
    void daemonSetSchedulingProbesEnvAndResources() {
        DaemonSet ds = Chart.defaults().one(DaemonSet.class);
        PodSpec pod = ds.getSpec().getTemplate().getSpec();
        assertEquals("RollingUpdate", ds.getSpec().getUpdateStrategy().getType());
        assertEquals(
                "10%",
                ds.getSpec()
                        .getUpdateStrategy()
                        .getRollingUpdate()
                        .getMaxUnavailable()
                        .getStrVal());
        assertEquals(1, pod.getTolerations().size());
        assertEquals("Exists", pod.getTolerations().get(0).getOperator());
        assertNull(pod.getTolerations().get(0).getKey(), "tolerates every taint");
        assertNull(pod.getHostNetwork());

        Container agent = pod.getContainers().get(0);
        assertEquals(List.of("--config", "/etc/pxc-probe/config.yaml"), agent.getArgs());
        assertEquals("/healthz", agent.getLivenessProbe().getHttpGet().getPath());
        assertEquals("http", agent.getLivenessProbe().getHttpGet().getPort().getStrVal());
        assertEquals("/readyz", agent.getReadinessProbe().getHttpGet().getPath());
        assertEquals("http", agent.getReadinessProbe().getHttpGet().getPort().getStrVal());
        assertEquals(9797, agent.getPorts().get(0).getContainerPort());

        Map<String, String> fieldRefs = agent.getEnv().stream()
                .filter(e -> e.getValueFrom() != null)
                .collect(Collectors.toMap(
                        EnvVar::getName, e -> e.getValueFrom().getFieldRef().getFieldPath()));
        assertEquals(
                Map.of(
                        "NODE_NAME",
                        "spec.nodeName",
                        "POD_NAME",
                        "metadata.name",
                        "POD_NAMESPACE",
                        "metadata.namespace",
                        "POD_IP",
                        "status.podIP"),
                fieldRefs);

        assertEquals("50m", agent.getResources().getRequests().get("cpu").toString());
        assertEquals("128Mi", agent.getResources().getRequests().get("memory").toString());
        assertEquals("160Mi", agent.getResources().getLimits().get("memory").toString());
    }

    @Test
    void renderedConfigIsAcceptedByTheAgentsOwnLoader() throws Exception {
        AgentConfig defaults = load(Chart.defaults());
        assertEquals(
                KubernetesDiscoveryConfig.Enabled.TRUE, defaults.kubernetes().enabled());
        assertEquals(List.of(), defaults.kubernetes().namespaces());
        assertTrue(defaults.kubernetes().watchClusters());
        assertNull(defaults.kubernetes().dnsService());
        assertEquals(9797, defaults.http().port());
        assertEquals(
                TcpMode.AUTO,
                defaults.tcp().mode(),
                "safe by default on TLS clusters: syn wherever CAP_NET_RAW is held");
        assertEquals(
                List.of("admin", "gcomm", "ist", "sst"),
                defaults.tcp().ports().stream().map(p -> p.name()).sorted().toList());
        assertEquals(20, defaults.tcp().budget(), "the probe budget, counted over the agents peers.dns lists");
        assertEquals(Map.of(), defaults.tcp().sources(), "no sampling by default");
        assertEquals(
                Map.of("ist", 3, "sst", 3),
                load(Chart.render(
                                List.of(),
                                "config.probes.tcp.ports.ist.sources",
                                "3",
                                "config.probes.tcp.ports.sst.sources",
                                "3"))
                        .tcp()
                        .sources(),
                "the chart README's recommendation above 100 nodes renders and loads");
        Service svc = Chart.defaults().one(Service.class);
        assertEquals(
                svc.getMetadata().getName() + "." + svc.getMetadata().getNamespace() + ".svc.cluster.local.",
                defaults.peers().dnsName(),
                "/cluster finds the agents through the chart's headless Service");
        assertEquals(9797, defaults.peers().port());
        AgentConfig restricted = load(Chart.render(List.of(), "podSecurityProfile", "restricted"));
        assertEquals(TcpMode.CONNECT, restricted.tcp().mode(), "auto cannot get CAP_NET_RAW under restricted");
        assertEquals(
                List.of("gcomm", "ist", "sst"),
                restricted.tcp().ports().stream().map(p -> p.name()).sorted().toList(),
                "connect leaves the admin port out: the agent's loader would refuse it");

        AgentConfig all = load(Chart.allFeatures());
        assertEquals(List.of("db", "db2"), all.kubernetes().namespaces());
        assertEquals("kube-system/kube-dns", all.kubernetes().dnsService());
        assertEquals(1, all.staticDiscovery().clusters().size());
        assertTrue(all.dns().aaaa());
    }

    private static AgentConfig load(Chart.Rendered r) throws Exception {
        String text = r.all(ConfigMap.class).stream()
                .filter(c -> c.getData().containsKey("config.yaml"))
                .findFirst()
                .orElseThrow()
                .getData()
                .get("config.yaml");
        return new ConfigLoader(name -> null).parse("config.yaml", text);
    }

    @Test
    void configChecksumRollsThePodsOnlyWhenTheConfigChanges() {
        String base = checksum(Chart.defaults());
        assertEquals(base, checksum(Chart.render(List.of(), "podAnnotations.example\\.com/x", "y")));
        assertNotEquals(base, checksum(Chart.render(List.of(), "config.probes.tcp.interval", "10s")));
        assertNotEquals(base, checksum(Chart.render(List.of(), "watchNamespaces[0]", "db")));
    }

    private static String checksum(Chart.Rendered r) {
        String c = r.one(DaemonSet.class)
                .getSpec()
                .getTemplate()
                .getMetadata()
                .getAnnotations()
                .get("checksum/config");
        assertTrue(c != null && c.matches("[0-9a-f]{64}"), "checksum/config: " + c);
        return c;
    }

    @Test
    void defaultRbacReadsPodsStatefulSetsAndClustersClusterWideAndNothingElse() {
        Chart.Rendered r = Chart.defaults();
        ClusterRole role = r.one(ClusterRole.class);
        assertReadOnly(role.getRules());
        assertEquals(
                Set.of("/pods", "apps/statefulsets", "pxc.percona.com/perconaxtradbclusters", "/nodes"),
                resources(role.getRules()));
        ClusterRoleBinding binding = r.one(ClusterRoleBinding.class);
        assertEquals(role.getMetadata().getName(), binding.getRoleRef().getName());
        assertEquals(
                r.one(ServiceAccount.class).getMetadata().getName(),
                binding.getSubjects().get(0).getName());
        assertEquals(Chart.NAMESPACE, binding.getSubjects().get(0).getNamespace());
        assertEquals(
                binding.getSubjects().get(0).getName(),
                r.one(DaemonSet.class).getSpec().getTemplate().getSpec().getServiceAccountName());
    }

    @Test
    void withoutWatchClustersNoClusterObjectsAreReadable() {
        ClusterRole role = Chart.render(List.of(), "config.discovery.kubernetes.watchClusters", "false")
                .one(ClusterRole.class);
        assertEquals(Set.of("/pods", "apps/statefulsets", "/nodes"), resources(role.getRules()));
        ClusterRole noOwner = Chart.render(List.of(), "config.discovery.kubernetes.requireOperatorOwner", "false")
                .one(ClusterRole.class);
        assertEquals(Set.of("/pods", "pxc.percona.com/perconaxtradbclusters", "/nodes"), resources(noOwner.getRules()));
    }

    @Test
    void watchNamespacesGiveRolesInThoseNamespacesAndDnsEndpointsOnlyWhereTheDnsServiceLives() {
        Chart.Rendered r = Chart.allFeatures();
        ClusterRole nodes = r.one(ClusterRole.class);
        assertReadOnly(nodes.getRules());
        assertEquals(Set.of("/nodes"), resources(nodes.getRules()), "the one cluster-wide read: the agent's own node");
        assertEquals(
                nodes.getMetadata().getName(),
                r.one(ClusterRoleBinding.class).getRoleRef().getName());
        Map<String, Role> roles = r.all(Role.class).stream()
                .collect(Collectors.toMap(x -> x.getMetadata().getNamespace(), x -> x));
        assertEquals(Set.of("db", "db2", "kube-system"), roles.keySet());
        for (Role role : roles.values()) {
            assertReadOnly(role.getRules());
        }
        assertEquals(
                Set.of("/pods", "apps/statefulsets", "pxc.percona.com/perconaxtradbclusters"),
                resources(roles.get("db").getRules()));
        assertEquals(
                Set.of("/endpoints", "discovery.k8s.io/endpointslices"),
                resources(roles.get("kube-system").getRules()));
        Set<String> bound = r.all(RoleBinding.class).stream()
                .map(b -> b.getMetadata().getNamespace() + ":" + b.getRoleRef().getName())
                .collect(Collectors.toSet());
        assertEquals(
                roles.values().stream()
                        .map(x -> x.getMetadata().getNamespace() + ":"
                                + x.getMetadata().getName())
                        .collect(Collectors.toSet()),
                bound);
    }

    private static void assertReadOnly(List<PolicyRule> rules) {
        for (PolicyRule rule : rules) {
            assertTrue(READ_VERBS.containsAll(rule.getVerbs()), "write verb in " + rule.getVerbs());
            assertFalse(rule.getResources().contains("secrets"), "secrets");
            assertFalse(
                    rule.getResources().contains("*")
                            || rule.getVerbs().contains("*")
                            || rule.getApiGroups().contains("*"),
                    "wildcard");
        }
    }

    private static Set<String> resources(List<PolicyRule> rules) {
        Set<String> out = new HashSet<>();
        for (PolicyRule rule : rules) {
            for (String g : rule.getApiGroups()) {
                rule.getResources().forEach(res -> out.add(g + "/" + res));
            }
        }
        return out;
    }

    @Test
    void headlessServiceSelectsTheAgentPods() {
        Chart.Rendered r = Chart.defaults();
        Service svc = r.one(Service.class);
        assertEquals("None", svc.getSpec().getClusterIP());
        assertTrue(
                svc.getSpec().getPublishNotReadyAddresses(), "/cluster marks a not-ready agent, so it must be listed");
        assertEquals(9797, svc.getSpec().getPorts().get(0).getPort());
        Map<String, String> podLabels =
                r.one(DaemonSet.class).getSpec().getTemplate().getMetadata().getLabels();
        assertTrue(podLabels.entrySet().containsAll(svc.getSpec().getSelector().entrySet()));
    }

    @Test
    void allFeaturesRenderEveryOptionalObject() {
        Chart.Rendered r = Chart.allFeatures();
        assertEquals(1, r.custom("ServiceMonitor").size());
        assertEquals(1, r.custom("PodMonitor").size());
        assertEquals(1, r.custom("PrometheusRule").size());
        assertEquals(1, r.all(NetworkPolicy.class).size());
        DaemonSet ds = r.one(DaemonSet.class);
        PodSpec pod = ds.getSpec().getTemplate().getSpec();
        assertEquals("system-node-critical", pod.getPriorityClassName());
        assertEquals("linux", pod.getNodeSelector().get("kubernetes.io/os"));
        assertEquals(
                "allowed", ds.getSpec().getTemplate().getMetadata().getLabels().get("percona.com/backup-network"));
        assertEquals(
                "dba", ds.getSpec().getTemplate().getMetadata().getAnnotations().get("example.com/team"));
        Container agent = pod.getContainers().get(0);
        assertTrue(agent.getEnv().stream()
                .anyMatch(e -> e.getName().equals("PXC_PROBE_JAVA_OPTS")
                        && e.getValue().equals("-XX:+PrintFlagsFinal")));
        assertTrue(agent.getEnv().stream().anyMatch(e -> e.getName().equals("TZ")));
    }

    @Test
    void canariesListenInTheAgentPodsAndTheSidecarsAreScraped() throws Exception {
        AgentConfig defaults = load(Chart.defaults());
        assertTrue(defaults.canary().enabled(), "the chart turns the canaries on");
        assertEquals(Map.of("gcomm", 4567, "sst", 4444), defaults.canary().ports());
        Container agent = Chart.defaults()
                .one(DaemonSet.class)
                .getSpec()
                .getTemplate()
                .getSpec()
                .getContainers()
                .get(0);
        assertEquals(
                Map.of("http", 9797, "canary-gcomm", 4567, "canary-sst", 4444),
                agent.getPorts().stream().collect(Collectors.toMap(p -> p.getName(), p -> p.getContainerPort())));
        assertTrue(Chart.defaults().custom("PodMonitor").isEmpty(), "no monitor for the sidecars unless asked");

        Chart.Rendered r = Chart.render(
                List.of(),
                "sidecars.podMonitor.enabled",
                "true",
                "networkPolicy.enabled",
                "true",
                "watchNamespaces[0]",
                "db");
        Map<String, Object> pm = Chart.spec(r.custom("PodMonitor").get(0));
        assertEquals(
                Map.of("app.kubernetes.io/name", "percona-xtradb-cluster", "app.kubernetes.io/component", "pxc"),
                ((Map<?, ?>) pm.get("selector")).get("matchLabels"),
                "the sidecars run in the PXC pods");
        assertEquals(List.of("db"), ((Map<?, ?>) pm.get("namespaceSelector")).get("matchNames"));
        Map<?, ?> endpoint = (Map<?, ?>) ((List<?>) pm.get("podMetricsEndpoints")).get(0);
        assertEquals("pxc-probe", endpoint.get("port"));
        assertEquals(Boolean.TRUE, endpoint.get("honorLabels"), "pod names the agent probed, not the PXC pod");

        NetworkPolicy np = r.one(NetworkPolicy.class);
        var canaryRule = np.getSpec().getIngress().stream()
                .filter(i -> i.getPorts().stream()
                        .anyMatch(p ->
                                p.getPort().getIntVal() != null && p.getPort().getIntVal() == 4444))
                .findFirst()
                .orElseThrow(() -> new AssertionError(
                        "no ingress for the canaries: " + np.getSpec().getIngress()));
        assertEquals(
                Set.of(4567, 4444),
                canaryRule.getPorts().stream().map(p -> p.getPort().getIntVal()).collect(Collectors.toSet()));
        assertEquals(
                "db",
                canaryRule
                        .getFrom()
                        .get(0)
                        .getNamespaceSelector()
                        .getMatchLabels()
                        .get("kubernetes.io/metadata.name"));
        assertEquals(
                "pxc",
                canaryRule.getFrom().get(0).getPodSelector().getMatchLabels().get("app.kubernetes.io/component"));

        Chart.Rendered off = Chart.render(List.of(), "config.canary.enabled", "false", "networkPolicy.enabled", "true");
        assertTrue(
                off.one(NetworkPolicy.class).getSpec().getIngress().stream()
                        .flatMap(i -> i.getPorts().stream())
                        .noneMatch(p ->
                                p.getPort().getIntVal() != null && p.getPort().getIntVal() == 4444),
                "no canary, no hole for it");
        assertEquals(
                1,
                off.one(DaemonSet.class)
                        .getSpec()
                        .getTemplate()
                        .getSpec()
                        .getContainers()
                        .get(0)
                        .getPorts()
                        .size());
        Chart.Rendered host = Chart.render(List.of(), "hostNetwork", "true");
        assertFalse(load(host).canary().enabled(), "with hostNetwork the canaries would hold the node's 4567 and 4444");
        assertEquals(
                1,
                host.one(DaemonSet.class)
                        .getSpec()
                        .getTemplate()
                        .getSpec()
                        .getContainers()
                        .get(0)
                        .getPorts()
                        .size());
    }

    @Test
    void monitorsKeepTheAgentsTargetLabels() {
        Chart.Rendered r = Chart.allFeatures();
        Map<String, Object> sm = Chart.spec(r.custom("ServiceMonitor").get(0));
        Map<?, ?> endpoint = (Map<?, ?>) ((List<?>) sm.get("endpoints")).get(0);
        assertEquals(Boolean.TRUE, endpoint.get("honorLabels"));
        assertEquals("http", endpoint.get("port"));
        assertEquals(
                "kube-prometheus-stack",
                r.custom("ServiceMonitor").get(0).getMetadata().getLabels().get("release"));
        Map<String, Object> pm = Chart.spec(r.custom("PodMonitor").get(0));
        Map<?, ?> podEndpoint = (Map<?, ?>) ((List<?>) pm.get("podMetricsEndpoints")).get(0);
        assertEquals(Boolean.TRUE, podEndpoint.get("honorLabels"));
        assertEquals("http", podEndpoint.get("port"));
    }

    @Test
    void synModeAddsNetRawAndOnlyThat() {
        for (Chart.Rendered r : List.of(
                Chart.allFeatures(),
                Chart.render(List.of(), "config.probes.tcp.mode", "auto"),
                Chart.render(List.of(), "config.probes.tcp.mode", "syn"))) {
            PodSpec pod = r.one(DaemonSet.class).getSpec().getTemplate().getSpec();
            assertEquals(
                    List.of("NET_RAW"),
                    pod.getContainers()
                            .get(0)
                            .getSecurityContext()
                            .getCapabilities()
                            .getAdd());
            PodSecurityRestricted.check(pod, Set.of("NET_RAW"));
            assertTrue(
                    pod.getContainers().get(0).getEnv().stream()
                            .anyMatch(e -> e.getName().equals("PXC_PROBE_RAW_SOCKETS") && "1".equals(e.getValue())),
                    "the launcher runs the capability copy of java");
        }
        PodSpec connect = Chart.render(List.of(), "config.probes.tcp.mode", "connect")
                .one(DaemonSet.class)
                .getSpec()
                .getTemplate()
                .getSpec();
        assertEquals(
                Boolean.FALSE,
                connect.getContainers().get(0).getSecurityContext().getAllowPrivilegeEscalation());
        assertTrue(connect.getContainers().get(0).getEnv().stream()
                .noneMatch(e -> e.getName().equals("PXC_PROBE_RAW_SOCKETS")));
    }

    @Test
    void hostNetworkUsesTheClusterDnsPolicy() {
        PodSpec pod = Chart.render(List.of(), "hostNetwork", "true")
                .one(DaemonSet.class)
                .getSpec()
                .getTemplate()
                .getSpec();
        assertTrue(pod.getHostNetwork());
        assertEquals("ClusterFirstWithHostNet", pod.getDnsPolicy());
    }

    @Test
    void thePxcPodsLabelSetIsRefused() {
        var e = assertThrows(
                IllegalStateException.class,
                () -> Chart.render(List.of(), "podLabels.app\\.kubernetes\\.io/name", "percona-xtradb-cluster"));
        assertTrue(
                e.getMessage().contains("must not carry app.kubernetes.io/name=percona-xtradb-cluster"),
                e.getMessage());
    }

    @Test
    void networkPolicyAllowsScrapingTheProbedPortsDnsAndTheApiServer() {
        NetworkPolicy np = Chart.allFeatures().one(NetworkPolicy.class);
        assertEquals(List.of("Ingress", "Egress"), np.getSpec().getPolicyTypes());
        assertEquals(
                "monitoring",
                np.getSpec()
                        .getIngress()
                        .get(0)
                        .getFrom()
                        .get(0)
                        .getNamespaceSelector()
                        .getMatchLabels()
                        .get("kubernetes.io/metadata.name"));
        Set<String> egressPorts = np.getSpec().getEgress().stream()
                .flatMap(e -> e.getPorts().stream())
                .map(NetworkPolicyPort::getPort)
                .map(p -> String.valueOf(p.getIntVal()))
                .collect(Collectors.toSet());
        assertTrue(
                egressPorts.containsAll(Set.of("4567", "4568", "4444", "53", "443", "6443", "9797")),
                egressPorts.toString());
        Map<String, String> agentLabels = np.getSpec().getPodSelector().getMatchLabels();
        assertTrue(
                np.getSpec().getEgress().stream()
                        .filter(e -> e.getPorts().get(0).getPort().getIntVal() == 9797)
                        .anyMatch(e -> e.getTo()
                                .get(0)
                                .getPodSelector()
                                .getMatchLabels()
                                .equals(agentLabels)),
                "/cluster: agents may ask each other");
        assertTrue(
                np.getSpec().getIngress().stream()
                        .filter(i -> i.getFrom() != null)
                        .anyMatch(i -> i.getFrom().stream()
                                .anyMatch(f -> f.getPodSelector() != null
                                        && agentLabels.equals(f.getPodSelector().getMatchLabels()))),
                "with metricsFrom set, the other agents may still ask this one");
        var pxc = np.getSpec().getEgress().get(0).getTo();
        assertEquals(
                List.of("db", "db2"),
                pxc.stream()
                        .map(p -> p.getNamespaceSelector().getMatchLabels().get("kubernetes.io/metadata.name"))
                        .toList());
        assertEquals("pxc", pxc.get(0).getPodSelector().getMatchLabels().get("app.kubernetes.io/component"));
        assertTrue(np.getSpec().getEgress().stream()
                .flatMap(e -> Stream.ofNullable(e.getTo()).flatMap(List::stream))
                .anyMatch(
                        p -> p.getIpBlock() != null && p.getIpBlock().getCidr().equals("10.0.0.1/32")));
    }

    @Test
    void dashboardConfigMapsCarryEveryDashboardForTheGrafanaSidecar() throws Exception {
        Chart.Rendered r = Chart.allFeatures();
        List<ConfigMap> maps = r.all(ConfigMap.class).stream()
                .filter(c -> c.getMetadata().getName().contains("-dashboard-"))
                .toList();
        List<Path> files;
        try (Stream<Path> s = Files.list(Repository.dashboards())) {
            files = s.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
        assertFalse(files.isEmpty());
        assertEquals(files.size(), maps.size());
        for (ConfigMap cm : maps) {
            assertEquals("1", cm.getMetadata().getLabels().get("grafana_dashboard"));
            assertEquals("PXC", cm.getMetadata().getAnnotations().get("grafana_folder"));
            assertEquals("monitoring", cm.getMetadata().getNamespace());
            var entry = cm.getData().entrySet().iterator().next();
            assertEquals(
                    Files.readString(Repository.dashboards().resolve(entry.getKey()))
                            .strip(),
                    entry.getValue().strip());
        }
    }
}
