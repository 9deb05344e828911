package io.pxcprobe.probe.syn;

import java.net.InetAddress;

/**
 * A packet that may answer a probe, reduced to what identifies the probe: the remote end, our
 * port, and the probe's initial sequence number as the reply carries it.
 *
 * @param local  our address as the packet names it; null where the raw socket does not show it (IPv6)
 * @param isn    the sequence number of the SYN this packet answers (ack - 1, or the quoted seq of an ICMP error)
 * @param kind   what the reply says
 * @param errno  for an ICMP error, the errno a connecting socket would get; else 0
 * @param detail a short text for the result (ICMP type and code)
 * @param hopLimit the packet's IP TTL or IPv6 hop limit as it arrived, or -1 when unknown
 */
record Reply(
        InetAddress remote,
        int remotePort,
        InetAddress local,
        int localPort,
        int isn,
        Kind kind,
        int errno,
        String detail,
        int hopLimit) {

    enum Kind {
        SYN_ACK,
        RST,
        ICMP_ERROR
    }
}
