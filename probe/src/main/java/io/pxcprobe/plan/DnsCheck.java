package io.pxcprobe.plan;

import io.pxcprobe.config.ResolverSpec;
import io.pxcprobe.target.DnsTarget;
import java.time.Duration;

/** A lookup of one name against one resolver. */
public record DnsCheck(DnsTarget target, ResolverSpec resolver, Duration interval, Duration timeout) implements Check {

    @Override
    public String key() {
        return "dns/" + target.key() + "/" + resolver.label();
    }

    @Override
    public String kind() {
        return "dns";
    }

    @Override
    public boolean sameProbeAs(Check other) {
        return other instanceof DnsCheck d
                && d.target().equals(target)
                && d.resolver().equals(resolver);
    }
}
