package io.pxcprobe.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Capabilities;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Volume;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The checks of the Pod Security Standards "restricted" profile (v1.25+), applied to a pod spec.
 * {@code allowedAddedCapabilities} widens the one exception the profile has (NET_BIND_SERVICE), so
 * that a spec that needs more can be checked for everything else.
 */
final class PodSecurityRestricted {
    private PodSecurityRestricted() {}

    static void check(PodSpec pod, Set<String> allowedAddedCapabilities) {
        assertFalse(Boolean.TRUE.equals(pod.getHostPID()), "hostPID");
        assertFalse(Boolean.TRUE.equals(pod.getHostIPC()), "hostIPC");
        assertFalse(Boolean.TRUE.equals(pod.getHostNetwork()), "hostNetwork");
        for (Volume v : pod.getVolumes()) {
            assertTrue(
                    v.getConfigMap() != null
                            || v.getEmptyDir() != null
                            || v.getProjected() != null
                            || v.getSecret() != null
                            || v.getDownwardAPI() != null
                            || v.getCsi() != null
                            || v.getEphemeral() != null
                            || v.getPersistentVolumeClaim() != null,
                    "volume " + v.getName() + " has a type the restricted profile forbids");
        }
        PodSecurityContext psc = pod.getSecurityContext();
        assertTrue(psc != null && Boolean.TRUE.equals(psc.getRunAsNonRoot()), "pod runAsNonRoot");
        assertNotEquals(0L, psc.getRunAsUser(), "pod runAsUser 0");
        assertEquals("RuntimeDefault", psc.getSeccompProfile().getType(), "pod seccompProfile");
        assertTrue(psc.getSysctls() == null || psc.getSysctls().isEmpty(), "sysctls");
        for (Container c : concat(pod.getInitContainers(), pod.getContainers())) {
            SecurityContext sc = c.getSecurityContext();
            String where = "container " + c.getName() + ": ";
            assertTrue(sc != null, where + "securityContext");
            assertFalse(Boolean.TRUE.equals(sc.getPrivileged()), where + "privileged");
            // the one exception: syn mode's java-netraw needs its file capability, so escalation to
            // exactly NET_RAW (then the pod is at the Pod Security baseline level, not restricted)
            boolean rawSockets = allowedAddedCapabilities.contains("NET_RAW");
            assertEquals(
                    rawSockets ? Boolean.TRUE : Boolean.FALSE,
                    sc.getAllowPrivilegeEscalation(),
                    where + "allowPrivilegeEscalation must be " + rawSockets);
            assertTrue(sc.getRunAsUser() == null || sc.getRunAsUser() != 0L, where + "runAsUser 0");
            assertTrue(sc.getProcMount() == null || sc.getProcMount().equals("Default"), where + "procMount");
            Capabilities caps = sc.getCapabilities();
            assertTrue(caps != null && caps.getDrop().contains("ALL"), where + "capabilities must drop ALL");
            for (String add : caps.getAdd()) {
                assertTrue(
                        add.equals("NET_BIND_SERVICE") || allowedAddedCapabilities.contains(add),
                        where + "adds " + add);
            }
            c.getPorts().forEach(p -> assertTrue(p.getHostPort() == null || p.getHostPort() == 0, where + "hostPort"));
        }
    }

    private static List<Container> concat(List<Container> a, List<Container> b) {
        return Stream.concat(a.stream(), b.stream()).toList();
    }
}
