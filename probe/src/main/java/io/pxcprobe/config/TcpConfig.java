package io.pxcprobe.config;

import java.time.Duration;
import java.util.List;

/** TCP path checks: the default interval, timeout and mode, and the ports every member is checked on. */
public record TcpConfig(Duration interval, Duration timeout, TcpMode mode, List<PortSpec> ports) {}
