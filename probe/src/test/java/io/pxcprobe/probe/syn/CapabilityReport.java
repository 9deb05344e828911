package io.pxcprobe.probe.syn;

/** Prints what the agent's start-up sees: the raw-socket check, and whether a SynProber opens. Run by {@link RawSocketsCapabilityTest}. */
public final class CapabilityReport {

    private CapabilityReport() {}

    public static void main(String[] args) {
        RawSockets.Support support = RawSockets.check();
        System.out.println(
                "available=" + support.available() + " ipv6=" + support.ipv6() + " reason=" + support.reason());
        try (SynProber prober = new SynProber()) {
            System.out.println("prober=opened port=" + prober.sourcePort());
        } catch (IllegalStateException e) {
            System.out.println("prober=refused " + e.getMessage());
        }
    }
}
