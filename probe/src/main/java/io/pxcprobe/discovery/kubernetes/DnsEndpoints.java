package io.pxcprobe.discovery.kubernetes;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.pxcprobe.config.Addresses;
import io.pxcprobe.config.ResolverSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The serving addresses of the cluster DNS service, from its EndpointSlices (read as generic
 * resources, so that no discovery.k8s.io model classes are needed), each to be asked directly.
 */
final class DnsEndpoints {

    static final ResourceDefinitionContext CONTEXT = new ResourceDefinitionContext.Builder()
            .withGroup("discovery.k8s.io")
            .withVersion("v1")
            .withKind("EndpointSlice")
            .withPlural("endpointslices")
            .withNamespaced(true)
            .build();

    static final String SERVICE_NAME_LABEL = "kubernetes.io/service-name";
    private static final int DNS_PORT = 53;

    private DnsEndpoints() {}

    /**
     * Ready endpoints only: a replica taken out of the service serves no client, so probing it
     * would only report what Kubernetes already handled. The port is the slice's UDP port named
     * {@code dns} (CoreDNS's target port), 53 when there is none.
     */
    static List<ResolverSpec> resolversOf(GenericKubernetesResource slice) {
        int port = dnsPort(slice);
        var out = new ArrayList<ResolverSpec>();
        List<Map<String, Object>> endpoints = slice.get("endpoints");
        if (endpoints == null || port < 1 || port > 65535) {
            return out;
        }
        for (Map<String, Object> ep : endpoints) {
            Object ready = GenericKubernetesResource.get(ep, "conditions", "ready");
            if (Boolean.FALSE.equals(ready)) {
                continue;
            }
            Object addresses = ep.get("addresses");
            if (addresses instanceof List<?> list) {
                for (Object a : list) {
                    if (a instanceof String ip) {
                        // an FQDN slice has no address to ask directly
                        Addresses.parseLiteral(ip).ifPresent(addr -> out.add(ResolverSpec.of(addr, port)));
                    }
                }
            }
        }
        return out;
    }

    private static int dnsPort(GenericKubernetesResource slice) {
        List<Map<String, Object>> ports = slice.get("ports");
        if (ports != null) {
            for (Map<String, Object> p : ports) {
                Object protocol = p.getOrDefault("protocol", "TCP");
                if ("UDP".equals(protocol) && p.get("port") instanceof Number n) {
                    if ("dns".equals(p.get("name")) || ports.size() == 1) {
                        return n.intValue();
                    }
                }
            }
        }
        return DNS_PORT;
    }
}
