package io.pxcprobe.config;

import java.util.List;

/**
 * The HTTP endpoint. {@code probeCidrs} widens {@code /probe} from discovered targets to extra
 * address ranges; it is empty by default because an open prober is an SSRF hole.
 */
public record HttpConfig(String bind, int port, double probeRatePerSecond, int probeBurst, List<Cidr> probeCidrs) {}
