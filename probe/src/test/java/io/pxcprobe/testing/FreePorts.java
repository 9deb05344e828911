package io.pxcprobe.testing;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.ServerSocket;

/** Free loopback ports for servers the tests start. */
public final class FreePorts {

    private FreePorts() {
    }

    /** A port free on loopback for both UDP and TCP, as a DNS server needs. */
    public static int udpAndTcp() throws IOException {
        for (int i = 0; i < 50; i++) {
            try (DatagramSocket u = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
                int port = u.getLocalPort();
                try (ServerSocket t = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
                    return port;
                } catch (IOException taken) {
                    // TCP side busy, try another
                }
            }
        }
        throw new IOException("no free port");
    }
}
