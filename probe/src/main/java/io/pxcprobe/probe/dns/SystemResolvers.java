package io.pxcprobe.probe.dns;

import io.pxcprobe.config.ResolverSpec;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.xbill.DNS.ResolverConfig;

/** The resolvers of the system configuration (resolv.conf on Linux), each to be asked on its own. */
public final class SystemResolvers {
    private SystemResolvers() {}

    public static List<ResolverSpec> current() {
        ResolverConfig.refresh();
        List<ResolverSpec> out = new ArrayList<>();
        for (InetSocketAddress a : ResolverConfig.getCurrentConfig().servers()) {
            out.add(ResolverSpec.of(a.getAddress(), a.getPort()));
        }
        return out;
    }
}
