#!/usr/bin/env python3
"""Serves the expositions gen.py --exposition-dir wrote, for run.sh --scrape (python3 stdlib only).

    serve.py PORT DIR START STEP

GET /metrics answers DIR/<k>.prom, k = (now - START) // STEP (the first and the last outside the
window): what the agents would expose at that moment, for a real Prometheus to scrape into its head.
Listens on 127.0.0.1 only.
"""

import os
import shutil
import sys
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


def main(argv):
    port, directory, start, step = int(argv[0]), argv[1], int(argv[2]), int(argv[3])
    count = len([f for f in os.listdir(directory) if f.endswith(".prom")])
    if count == 0:
        raise SystemExit(f"no .prom file in {directory}")

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            if self.path.split("?")[0] != "/metrics":
                self.send_error(404)
                return
            k = min(max(int((time.time() - start) // step), 0), count - 1)
            path = os.path.join(directory, f"{k}.prom")
            self.send_response(200)
            self.send_header("Content-Type", "text/plain; version=0.0.4")
            self.send_header("Content-Length", str(os.path.getsize(path)))
            self.end_headers()
            with open(path, "rb") as f:
                shutil.copyfileobj(f, self.wfile, 1 << 20)

        def log_message(self, *args):
            pass

    ThreadingHTTPServer(("127.0.0.1", port), Handler).serve_forever()


if __name__ == "__main__":
    main(sys.argv[1:])
