package io.pxcprobe.config;

import java.time.Duration;
import java.util.List;

/**
 * DNS checks. An empty resolver list means the system's resolvers (resolv.conf), each one queried
 * on its own so that one bad server shows under its own {@code resolver} label.
 */
public record DnsConfig(Duration interval, Duration timeout, List<ResolverSpec> resolvers, boolean aaaa) {}
