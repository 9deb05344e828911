package io.pxcprobe.testkit;

import java.util.List;

/** Requests no HTTP server may act on: each must get a 400 with a reason, and nothing else. */
public final class MalformedRequests {
    public static final List<String> ALL = List.of(
            "GARBAGE\r\n\r\n",
            "GET / HTTP/1.1\r\nHost: a\r\nBad Header\r\n\r\n",
            "GET / HTTP/1.1\r\nContent-Length: abc\r\n\r\n",
            "GET / HTTP/1.1\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\n",
            "G\u0000T / HTTP/1.1\r\n\r\n",
            "GET / HTTP/1.1\r\nHo st: x\r\n\r\n",
            "GET / HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n",
            "GET / HTTP/1.1\r\nHost: \u0000\r\n\r\n",
            "GET / HTTP/1.1\r\n: x\r\n\r\n",
            "GET /healthz HTTP/1.1\r\nHost: a\r\nTransfer-Encoding: gzip\r\n\r\n",
            "GET /healthz HTTP/1.1\n\n",
            "GET /healthz HTTP/1.1\r\n Host: a\r\n\r\n",
            "GET /healthz?%zz HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n");

    private MalformedRequests() {}
}
