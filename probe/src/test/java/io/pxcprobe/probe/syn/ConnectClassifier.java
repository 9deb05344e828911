package io.pxcprobe.probe.syn;

import io.pxcprobe.result.TcpOutcome;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;

/**
 * The outcome a plain connect() gets on a target, as connect mode classifies it: the reference
 * the SYN prober must agree with. (Replace with the agent's connect prober once it is in main.)
 */
final class ConnectClassifier {

    private ConnectClassifier() {
    }

    static TcpOutcome classify(InetSocketAddress target, Duration timeout) {
        try (Socket socket = new Socket()) {
            socket.setSoLinger(true, 0);
            socket.connect(target, (int) timeout.toMillis());
            return TcpOutcome.OPEN;
        } catch (SocketTimeoutException e) {
            return TcpOutcome.TIMEOUT;
        } catch (NoRouteToHostException e) {
            return TcpOutcome.UNREACHABLE;
        } catch (ConnectException e) {
            String message = String.valueOf(e.getMessage());
            if (message.contains("refused")) {
                return TcpOutcome.REFUSED;
            }
            return message.contains("unreachable") ? TcpOutcome.UNREACHABLE : TcpOutcome.ERROR;
        } catch (IOException e) {
            return String.valueOf(e.getMessage()).contains("Network is unreachable")
                    ? TcpOutcome.UNREACHABLE : TcpOutcome.ERROR;
        }
    }
}
