#!/usr/bin/env python3
"""Generate, in OpenMetrics text, the series N pxc-probe agents x P PXC pods x 3 ports would put in
Prometheus, for every metric family the rules in charts/pxc-probe/files/pxc-probe.rules.yml read
(plus the cheap per-agent families), as Prometheus stores them after scraping the agents with the
chart's ServiceMonitor (honor_labels; `job`, `instance`, and the agent's `namespace`/`pod` where
the exposition has none) and the sidecars with the chart's PodMonitor.

Input for `promtool tsdb create-blocks-from openmetrics`; used by run.sh beside it (not a test).

    python3 gen.py --start UNIX_S --end UNIX_S [--agents 1000] [--pods 150] [--step 30] --out FILE

The failure scenario (all paths healthy but these) scales with --agents and --pods:
  * isolated nodes (--isolated, 0.2 % of the agents): every forward path from them times out, their
    DNS lookups time out, the sidecars cannot reach their canaries (PXCProbeNodeIsolated,
    PXCDNSLookupFailing, PXCBackupReversePathBlocked, PXCBackupPathDegraded);
  * one PXC pod whose gcomm is refused from every agent (PXCGaleraGcommUnreachable; its cluster's
    backups fail everywhere: PXCBackupWillFail, critical, next run within the hour);
  * partially partitioned nodes (--partial, 1 % of the agents) that reach none of the ports of the
    pods of --partial-clusters clusters (PXCGaleraGcommPartition, PXCSSTPathFiltered,
    PXCISTPathFiltered, PXCBackupPathDegraded) and get SERVFAIL for one cluster's SRV record;
  * scattered single paths down (--scatter, fraction of all forward paths, timeouts);
  * one pod whose DNS name answers a stale address from everywhere (PXCDNSStale; its cluster's
    backups fail: PXCBackupWillFail, warning);
  * one agent node whose canary on 4444 the sidecars of one cluster cannot reach;
  * one cluster paused, one agent with discovery down, one with checks left out, and one PXC pod on
    a node without an agent (PXCProbeAgentsMissing).
Failing paths stay failed over the whole window; counters of failing checks (timeout, mismatch,
servfail) increase, those of healthy ones count `ok`.
"""

import argparse
import json
import random
import sys
import time

TCP_OUTCOMES = ["open", "refused", "timeout", "unreachable", "reset", "error"]
DNS_OUTCOMES = ["ok", "nxdomain", "servfail", "refused", "timeout", "empty", "mismatch", "error"]
REQUIREMENTS = ["dns_srv", "dns_name", "gcomm", "admin", "reverse_gcomm", "reverse_sst", "unknown"]
# the agent's buckets (probe/src/main: TcpKind, DnsKind), without +Inf
TCP_BUCKETS = ["1.0E-4", "2.5E-4", "5.0E-4", "0.001", "0.0025", "0.005", "0.01", "0.025", "0.05",
               "0.1", "0.25", "0.5", "1.0", "2.5", "5.0"]
DNS_BUCKETS = ["2.5E-4", "5.0E-4", "0.001", "0.0025", "0.005", "0.01", "0.025", "0.05", "0.1",
               "0.25", "0.5", "1.0", "2.5", "5.0"]
AGENT_NS = "monitoring"
JOB = "pxc-probe"
SIDECAR_JOB = "pxc-probe-sidecar"
SERVICE_RESOLVER = "10.96.0.10:53"


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--agents", type=int, default=1000, help="agents (nodes), default 1000")
    p.add_argument("--pods", type=int, default=150, help="PXC pods, default 150")
    p.add_argument("--pods-per-cluster", type=int, default=3)
    p.add_argument("--clusters-per-namespace", type=int, default=5)
    p.add_argument("--ports", default="gcomm,ist,sst", help="forward TCP ports (the rules know gcomm, ist, sst)")
    p.add_argument("--resolvers", type=int, default=1,
                   help="DNS servers each name is asked at (1: the kube-dns ClusterIP; more: CoreDNS endpoints)")
    p.add_argument("--start", type=int, required=True, help="first sample, Unix seconds")
    p.add_argument("--end", type=int, required=True, help="last sample at or before this, Unix seconds")
    p.add_argument("--step", type=int, default=30, help="seconds between samples (the chart scrapes every 30 s)")
    p.add_argument("--sidecars", type=int, default=1, help="1: every PXC pod runs the sidecar (reverse paths)")
    p.add_argument("--histograms", action="store_true",
                   help="also the per-path latency histograms (no rule reads them; 17-18 series per path)")
    p.add_argument("--tcp-outcomes", action="store_true",
                   help="also pxc_probe_tcp_probes_total, 6 outcome counters per path (no rule reads it)")
    p.add_argument("--few-dns-outcomes", action="store_true",
                   help="of the 8 DNS outcome counters per check the agent exports, only ok, mismatch and the "
                        "failing one (the expressions select only mismatch; the annotations the others)")
    p.add_argument("--isolated", type=float, default=0.002, help="fraction of agents isolated (at least 1)")
    p.add_argument("--partial", type=float, default=0.01, help="fraction of agents partially partitioned (at least 1)")
    p.add_argument("--partial-clusters", type=int, default=5)
    p.add_argument("--scatter", type=float, default=0.0002, help="fraction of forward paths down at random")
    p.add_argument("--eligible", type=float, default=0.3, help="fraction of nodes the backup storage may use")
    p.add_argument("--parts", type=int, default=1, help="the series are split in this many parts by agent ...")
    p.add_argument("--part", type=int, default=0, help="... and this one (0-based) is written")
    p.add_argument("--seed", type=int, default=14)
    p.add_argument("--out", help="OpenMetrics file to write")
    p.add_argument("--exposition-dir",
                   help="instead: one Prometheus text exposition per sample time, DIR/<k>.prom, to be scraped")
    p.add_argument("--summary", help="JSON file: the layout, series per family, the scenario")
    a = p.parse_args(argv)
    if not (a.out or a.exposition_dir):
        p.error("--out or --exposition-dir")
    if not 0 <= a.part < a.parts:
        p.error("--part must be in [0, --parts)")
    if a.agents < 1 or a.pods < 1 or a.pods_per_cluster < 1 or a.step < 1 or a.end <= a.start:
        p.error("agents, pods, pods-per-cluster, step must be >= 1 and end > start")
    return a


def at_least_one(fraction, n):
    return max(1, min(n, round(fraction * n)))


class Layout:
    """Nodes, agent pods, namespaces, clusters, PXC pods and where they run."""

    def __init__(self, a):
        rng = random.Random(a.seed)
        self.rng = rng
        n = a.agents
        self.nodes = [f"ip-10-{20 + i // 250}-{i % 250}-{(i * 37) % 250 + 1}.ec2.internal" for i in range(n)]
        alphabet = "bcdfghjklmnpqrstvwxz2456789"
        seen = set()
        self.agent_pods = []
        for _ in range(n):
            while True:
                s = "pxc-probe-" + "".join(rng.choice(alphabet) for _ in range(5))
                if s not in seen:
                    seen.add(s)
                    break
            self.agent_pods.append(s)
        self.agent_ips = [f"10.{100 + i // 250}.{i % 250}.{(i * 13) % 250 + 2}" for i in range(n)]
        ppc = a.pods_per_cluster
        self.clusters = []  # (namespace, name)
        self.pods = []  # (namespace, cluster, pod, cluster index, target node, pod ip)
        nclusters = (a.pods + ppc - 1) // ppc
        for c in range(nclusters):
            ns = f"pxc-{c // a.clusters_per_namespace:02d}"
            name = f"db{c:03d}"
            self.clusters.append((ns, name))
            for k in range(ppc):
                p = len(self.pods)
                if p >= a.pods:
                    break
                node = self.nodes[(p * 7919) % n]
                self.pods.append((ns, name, f"{name}-pxc-{k}", c, node, f"10.200.{p // 250}.{p % 250 + 2}"))
        # one PXC pod on a node without an agent (PXCProbeAgentsMissing)
        ns, name, pod, c, _, ip = self.pods[-1]
        self.pods[-1] = (ns, name, pod, c, "ip-10-99-0-1.ec2.internal", ip)
        self.ports = a.ports.split(",")
        self.resolvers = [SERVICE_RESOLVER] + [f"10.244.{r}.{r * 3 + 10}:53" for r in range(1, a.resolvers)]
        self.dns_names = []  # (namespace, cluster, name_kind, pod, rrtype, cluster index, pod index or -1)
        for c, (ns, name) in enumerate(self.clusters):
            self.dns_names.append((ns, name, "service", "-", "A", c, -1))
            self.dns_names.append((ns, name, "service", "-", "SRV", c, -1))
            self.dns_names.append((ns, name, "unready", "-", "A", c, -1))
        for p, (ns, name, pod, c, _, _) in enumerate(self.pods):
            self.dns_names.append((ns, name, "pod", pod, "A", c, p))


class Scenario:
    def __init__(self, a, lay):
        rng = random.Random(a.seed + 1)
        n = a.agents
        self.pod_cluster = [t[3] for t in lay.pods]
        order = list(range(n))
        rng.shuffle(order)
        k_iso = at_least_one(a.isolated, n) if n >= 3 else 0
        k_part = at_least_one(a.partial, n) if n >= 3 else 0
        self.isolated = set(order[:k_iso])
        self.partial = set(order[k_iso:k_iso + k_part])
        rest = order[k_iso + k_part:] or order
        nclusters = len(lay.clusters)
        corder = list(range(nclusters))
        rng.shuffle(corder)
        # clusters: 0 -> dead gcomm pod, 1 -> stale DNS, 2 -> paused, 3 -> reverse blocked, then partial
        pick = lambda i: corder[i % nclusters]
        self.dead_cluster = pick(0)
        self.dead_pod = next(p for p, t in enumerate(lay.pods) if t[3] == self.dead_cluster)
        self.stale_cluster = pick(1)
        self.stale_pod = next(p for p, t in enumerate(lay.pods) if t[3] == self.stale_cluster)
        self.paused_cluster = pick(2)
        self.reverse_cluster = pick(3)
        self.reverse_node = rest[0]
        self.partial_clusters = {pick(4 + i) for i in range(min(a.partial_clusters, max(0, nclusters - 4)))}
        self.srv_cluster = pick(4)  # its SRV answers SERVFAIL from the partial nodes
        self.discovery_down = rest[1 % len(rest)]
        self.left_out = rest[2 % len(rest)]
        total = n * len(lay.pods) * len(lay.ports)
        k = round(a.scatter * total)
        self.scatter = set()
        while len(self.scatter) < min(k, total):
            self.scatter.add((rng.randrange(n), rng.randrange(len(lay.pods)), rng.randrange(len(lay.ports))))
        self.eligible = {i for i in range(n) if (i * 2654435761 % 1000) < a.eligible * 1000}
        # an isolated node and a partial node may run backups: PXCBackupPathDegraded
        self.eligible |= set(list(self.isolated)[:1]) | set(list(self.partial)[:1])

    def forward_down(self, i, p, port_index, port):
        """None when the path is up, else the outcome."""
        if i in self.isolated:
            return "timeout"
        if p == self.dead_pod and port == "gcomm":
            return "refused"
        return self.forward_down_partial(i, p, port_index)

    def forward_down_partial(self, i, p, port_index):
        if i in self.partial and self.pod_cluster[p] in self.partial_clusters:
            return "timeout"
        if (i, p, port_index) in self.scatter:
            return "timeout"
        return None

    def reverse_down(self, i, cluster, port):
        if i in self.isolated:
            return "timeout"
        if i == self.reverse_node and cluster == self.reverse_cluster and port == "sst":
            return "timeout"
        return None

    def dns_result(self, i, name):
        ns, cl, kind, pod, rrtype, c, p = name
        if i in self.isolated:
            return "timeout"
        if p == self.stale_pod:
            return "mismatch"
        if i in self.partial and c == self.srv_cluster and kind == "service" and rrtype == "SRV":
            return "servfail"
        return "ok"

    def backup_failing(self, i, c):
        """The requirements not proven from node i for cluster c."""
        failing = []
        if i in self.isolated:
            failing += ["dns_srv", "dns_name", "gcomm", "reverse_gcomm", "reverse_sst"]
        if c == self.dead_cluster:
            failing.append("gcomm")
        if c == self.stale_cluster:
            failing.append("dns_name")
        if i in self.partial and c in self.partial_clusters:
            failing.append("gcomm")
        if i in self.partial and c == self.srv_cluster:
            failing.append("dns_srv")
        if i == self.reverse_node and c == self.reverse_cluster:
            failing.append("reverse_sst")
        return set(failing)


class Writer:
    def __init__(self, path, times, exposition_dir=None):
        self.times = times
        self.series = {}
        self.lines = 0
        self._const = {}
        self._values = {}
        if exposition_dir:
            # one Prometheus text exposition per sample time, without timestamps, for a scraper
            self.f = None
            self.expo = [open(f"{exposition_dir}/{k}.prom", "w", buffering=1 << 20) for k in range(len(times))]
        else:
            self.f = open(path, "w", buffering=1 << 24)
            self.expo = None

    def family(self, name, kind, help_text):
        if self.f:
            self.f.write(f"# TYPE {name} {kind}\n# HELP {name} {help_text}\n")

    def const_suffixes(self, value):
        s = self._const.get(value)
        if s is None:
            s = [f" {value} {t}\n" for t in self.times]
            self._const[value] = s
        return s

    def put(self, family, labels, suffixes):
        """One series: `labels` is the name and label set, `suffixes` one ' value ts\\n' per sample."""
        if self.expo:
            values = self._values.get(id(suffixes))
            if values is None:
                values = self._values[id(suffixes)] = (suffixes, [x.rsplit(" ", 1)[0] + "\n" for x in suffixes])
            for f, v in zip(self.expo, values[1]):
                f.write(labels)
                f.write(v)
        else:
            self.f.write(labels)
            self.f.write(labels.join(suffixes))
        self.series[family] = self.series.get(family, 0) + 1
        self.lines += len(suffixes)

    def const(self, family, labels, value):
        self.put(family, labels, self.const_suffixes(value))

    def close(self):
        if self.expo:
            for f in self.expo:
                f.close()
        else:
            self.f.write("# EOF\n")
            self.f.close()


def counter_suffixes(times, base, per_step):
    return [f" {base + k * per_step} {t}\n" for k, t in enumerate(times)]


def put_histogram(w, fam, base, buckets, below_every_answer, total, inc, zero):
    """One histogram series set: inc None (never answered) leaves every bucket at zero; otherwise
    every answer lands above the buckets in below_every_answer, and _sum grows by total."""
    for le in buckets + ["+Inf"]:
        full = inc is not None and le not in below_every_answer
        w.put(fam, f'{fam}_bucket{{{base},le="{le}"}}', inc if full else zero)
    w.put(fam, f'{fam}_sum{{{base}}}', w.const_suffixes(total) if inc is not None else zero)
    w.put(fam, f'{fam}_count{{{base}}}', inc if inc is not None else zero)


def main(argv):
    a = parse_args(argv)
    t0 = time.monotonic()
    lay = Layout(a)
    sc = Scenario(a, lay)
    n = a.agents
    mine = [i for i in range(n) if i % a.parts == a.part]
    times = list(range(a.start, a.end + 1, a.step))
    w = Writer(a.out, times, a.exposition_dir)
    per_tcp = max(1, a.step // 5)  # TCP checks every 5 s
    per_dns = max(1, a.step // 10)  # DNS checks every 10 s
    # each agent started some hours before the window: its counters start there
    uptime_checks = [random.Random(a.seed + 100 + i).randrange(360, 50000) for i in range(n)]
    tcp_inc = {}
    dns_inc = {}

    def agent_tcp_inc(i):
        s = tcp_inc.get(i)
        if s is None:
            s = tcp_inc[i] = counter_suffixes(times, uptime_checks[i] * 2, per_tcp)
        return s

    def agent_dns_inc(i):
        s = dns_inc.get(i)
        if s is None:
            s = dns_inc[i] = counter_suffixes(times, uptime_checks[i], per_dns)
        return s

    def agent_tail(i):
        return f'instance="{lay.agent_ips[i]}:9797",job="{JOB}"'

    def agent_own(i):  # series without namespace/pod in the exposition get the agent pod's
        return f'namespace="{AGENT_NS}",pod="{lay.agent_pods[i]}",{agent_tail(i)}'

    def forward_paths(i):
        """Agent i's forward paths: (labels but job/instance, the port, how it fails or None)."""
        for p, (ns, cl, pod, c, tnode, _) in enumerate(lay.pods):
            for pi, port in enumerate(lay.ports):
                yield (f'source_node="{lay.nodes[i]}",namespace="{ns}",cluster="{cl}",pod="{pod}",'
                       f'target_node="{tnode}",port="{port}"', port, sc.forward_down(i, p, pi, port))

    def reverse_paths():
        """The sidecars' paths to this part's agents: (agent, labels, job/instance, how it fails or None)."""
        for ns, cl, pod, c, tnode, ip in lay.pods:
            tail = f'instance="{ip}:9798",job="{SIDECAR_JOB}"'
            for i in mine:
                for port in ("gcomm", "sst"):
                    yield (i, f'direction="reverse",source_pod="{pod}",namespace="{ns}",cluster="{cl}",'
                              f'pod="{lay.agent_pods[i]}",target_node="{lay.nodes[i]}",port="{port}"',
                           tail, sc.reverse_down(i, c, port))

    one, zero = w.const_suffixes(1), w.const_suffixes(0)

    # ---- pxc_probe_tcp_path_up: forward (agents) then reverse (sidecars)
    fam = "pxc_probe_tcp_path_up"
    w.family(fam, "gauge", "1 when the last check proved the path.")
    for i in mine:
        tail = agent_tail(i)
        for labels, port, down in forward_paths(i):
            w.put(fam, f'{fam}{{{labels},{tail}}}', zero if down else one)
    if a.sidecars:
        for i, labels, tail, down in reverse_paths():
            w.put(fam, f'{fam}{{{labels},{tail}}}', zero if down else one)

    # ---- pxc_probe_tcp_probes_total (no rule reads it): only with --tcp-outcomes
    if a.tcp_outcomes:
        fam = "pxc_probe_tcp_probes"
        w.family(fam, "counter", "TCP path checks by outcome.")
        for i in mine:
            tail = agent_tail(i)
            for labels, port, down in forward_paths(i):
                healthy = "open" if port == "gcomm" else "refused"
                for r in TCP_OUTCOMES:
                    counting = (down or healthy) == r
                    w.put(fam, f'{fam}_total{{{labels},result="{r}",{tail}}}', agent_tcp_inc(i) if counting else zero)
        if a.sidecars:
            for i, labels, tail, down in reverse_paths():
                for r in TCP_OUTCOMES:
                    counting = (down or "open") == r
                    w.put(fam, f'{fam}_total{{{labels},result="{r}",{tail}}}', agent_tcp_inc(i) if counting else zero)

    # ---- per-path latency histograms (no rule reads them): only with --histograms
    if a.histograms:
        fam = "pxc_probe_tcp_connect_duration_seconds"
        w.family(fam, "histogram", "Handshake round-trip time of answered checks.")
        for i in mine:
            tail = agent_tail(i)
            inc = agent_tcp_inc(i)
            for labels, port, down in forward_paths(i):
                answered = down in (None, "refused")
                put_histogram(w, fam, f'{labels},{tail}', TCP_BUCKETS, ("1.0E-4", "2.5E-4"), "12.5",
                              inc if answered else None, zero)

    # ---- DNS
    fam = "pxc_probe_dns_up"
    w.family(fam, "gauge", "1 when the last lookup was ok.")
    for i in mine:
        tail = agent_tail(i)
        for res in lay.resolvers:
            for name in lay.dns_names:
                ns, cl, kind, pod, rrtype, c, p = name
                ok = sc.dns_result(i, name) == "ok"
                w.put(fam, f'{fam}{{source_node="{lay.nodes[i]}",namespace="{ns}",cluster="{cl}",name_kind="{kind}",'
                           f'pod="{pod}",rrtype="{rrtype}",resolver="{res}",{tail}}}', one if ok else zero)
    fam = "pxc_probe_dns_lookups"
    w.family(fam, "counter", "DNS checks by outcome.")
    for i in mine:
        tail = agent_tail(i)
        inc = agent_dns_inc(i)
        frozen = w.const_suffixes(uptime_checks[i] // 2)
        for res in lay.resolvers:
            for name in lay.dns_names:
                ns, cl, kind, pod, rrtype, c, p = name
                result = sc.dns_result(i, name)
                base = (f'{fam}_total{{source_node="{lay.nodes[i]}",namespace="{ns}",cluster="{cl}",'
                        f'name_kind="{kind}",pod="{pod}",rrtype="{rrtype}",resolver="{res}",result="')
                outcomes = sorted({"ok", "mismatch", result}) if a.few_dns_outcomes else DNS_OUTCOMES
                for r in outcomes:
                    if r == result:
                        s = inc
                    elif r == "ok":
                        s = frozen  # it answered ok before the failure began
                    else:
                        s = zero
                    w.put(fam, f'{base}{r}",{tail}}}', s)
    if a.histograms:
        fam = "pxc_probe_dns_lookup_duration_seconds"
        w.family(fam, "histogram", "Time to a DNS reply, for lookups that got one.")
        for i in mine:
            tail = agent_tail(i)
            inc = agent_dns_inc(i)
            for res in lay.resolvers:
                for name in lay.dns_names:
                    ns, cl, kind, pod, rrtype, c, p = name
                    answered = sc.dns_result(i, name) != "timeout"
                    base = (f'source_node="{lay.nodes[i]}",namespace="{ns}",cluster="{cl}",name_kind="{kind}",'
                            f'pod="{pod}",rrtype="{rrtype}",resolver="{res}",{tail}')
                    put_histogram(w, fam, base, DNS_BUCKETS, ("2.5E-4", "5.0E-4"), "20.5",
                                  inc if answered else None, zero)

    # ---- per agent and cluster
    pods_in = {}
    for t in lay.pods:
        pods_in[t[3]] = pods_in.get(t[3], 0) + 1
    fam = "pxc_probe_targets"
    w.family(fam, "gauge", "PXC members known per cluster.")
    for i in mine:
        own = agent_own(i).replace(f'namespace="{AGENT_NS}",', "")
        for c, (ns, cl) in enumerate(lay.clusters):
            w.const(fam, f'{fam}{{source_node="{lay.nodes[i]}",namespace="{ns}",cluster="{cl}",{own}}}', pods_in[c])
    fam = "pxc_probe_cluster_state"
    w.family(fam, "gauge", "The PerconaXtraDBCluster's status.state.")
    for i in mine:
        own = agent_own(i).replace(f'namespace="{AGENT_NS}",', "")
        for c, (ns, cl) in enumerate(lay.clusters):
            state = "paused" if c == sc.paused_cluster else "ready"
            w.put(fam, f'{fam}{{source_node="{lay.nodes[i]}",namespace="{ns}",cluster="{cl}",state="{state}",{own}}}',
                  one)
    # next runs: every cluster backs up daily at its own hour; the dead-gcomm cluster 10 min after the window
    next_run = {}
    day0 = (a.end // 86400 + 1) * 86400
    for c in range(len(lay.clusters)):
        next_run[c] = a.end + 600 if c == sc.dead_cluster else day0 + (c % 24) * 3600
    fam_ready = "pxc_probe_backup_path_ready"
    fam_req = "pxc_probe_backup_requirement_failing"
    fam_elig = "pxc_probe_backup_node_eligible"
    fam_next = "pxc_probe_backup_next_run_timestamp_seconds"
    failing = {}
    for i in mine:
        for c in range(len(lay.clusters)):
            f = sc.backup_failing(i, c)
            if f:
                failing[(i, c)] = f
    w.family(fam_ready, "gauge", "1 when every path a backup started on this node needs was proven.")
    for i in mine:
        own = agent_own(i).replace(f'namespace="{AGENT_NS}",', "")
        for c, (ns, cl) in enumerate(lay.clusters):
            w.put(fam_ready, f'{fam_ready}{{source_node="{lay.nodes[i]}",namespace="{ns}",cluster="{cl}",{own}}}',
                  zero if (i, c) in failing else one)
    w.family(fam_req, "gauge", "1 for each requirement not proven.")
    for i in mine:
        own = agent_own(i).replace(f'namespace="{AGENT_NS}",', "")
        for c, (ns, cl) in enumerate(lay.clusters):
            f = failing.get((i, c), ())
            for r in REQUIREMENTS:
                w.put(fam_req, f'{fam_req}{{source_node="{lay.nodes[i]}",namespace="{ns}",cluster="{cl}",'
                               f'requirement="{r}",{own}}}', one if r in f else zero)
    w.family(fam_elig, "gauge", "1 when the storage's backup pods may run on this node.")
    for i in mine:
        own = agent_own(i).replace(f'namespace="{AGENT_NS}",', "")
        for c, (ns, cl) in enumerate(lay.clusters):
            w.put(fam_elig, f'{fam_elig}{{source_node="{lay.nodes[i]}",namespace="{ns}",cluster="{cl}",'
                            f'storage="s3-backups",{own}}}', one if i in sc.eligible else zero)
    w.family(fam_next, "gauge", "Unix time of the next run of each schedule.")
    for i in mine:
        own = agent_own(i).replace(f'namespace="{AGENT_NS}",', "")
        for c, (ns, cl) in enumerate(lay.clusters):
            w.const(fam_next, f'{fam_next}{{source_node="{lay.nodes[i]}",namespace="{ns}",cluster="{cl}",'
                              f'schedule="daily-full",storage="s3-backups",{own}}}', next_run[c])

    # ---- per agent
    checks_tcp = len(lay.pods) * len(lay.ports)
    checks_dns = len(lay.dns_names) * len(lay.resolvers)
    per_agent = [
        ("pxc_probe_build_info", "gauge", "Build and runtime.",
         lambda i: [('java_version="25",tcp_mode="syn",transport="epoll",version="0.2.0"', 1)]),
        ("pxc_probe_agents", "gauge", "Agents probing the same pods.", lambda i: [("", n)]),
        ("pxc_probe_discovery_up", "gauge", "1 while the discovery source is in sync.",
         lambda i: [('source="kubernetes"', 0 if i == sc.discovery_down else 1)]),
        ("pxc_probe_checks", "gauge", "Checks scheduled.",
         lambda i: [('kind="tcp"', checks_tcp), ('kind="dns"', checks_dns)]),
        ("pxc_probe_checks_limit", "gauge", "Checks this agent runs at most.", lambda i: [("", 23776)]),
        ("pxc_probe_checks_left_out", "gauge", "Checks the limit leaves out.",
         lambda i: [("", 120 if i == sc.left_out else 0)]),
        ("pxc_probe_checks_sampled_out", "gauge", "Checks of sampled ports left to other agents.", lambda i: [("", 0)]),
        ("pxc_probe_config_last_reload_successful", "gauge", "0 after a bad edit.", lambda i: [("", 1)]),
        ("pxc_probe_tcp_interval_seconds", "gauge", "The TCP check interval in force per port.",
         lambda i: [(f'port="{p}"', 50) for p in lay.ports]),
    ]
    for fam, kind, help_text, values in per_agent:
        w.family(fam, kind, help_text)
        for i in mine:
            for extra, v in values(i):
                labels = f'source_node="{lay.nodes[i]}",' + (extra + "," if extra else "") + agent_own(i)
                w.const(fam, f"{fam}{{{labels}}}", v)
    w.family("up", "gauge", "Scrape health.")
    for i in mine:
        w.put("up", f'up{{{agent_own(i)}}}', one)
    if a.sidecars and a.part == 0:
        for ns, cl, pod, c, tnode, ip in lay.pods:
            w.put("up", f'up{{namespace="{ns}",pod="{pod}",instance="{ip}:9798",job="{SIDECAR_JOB}"}}', one)
    w.close()

    summary = {
        "agents": n, "pods": len(lay.pods), "clusters": len(lay.clusters), "ports": lay.ports,
        "resolvers": len(lay.resolvers), "sidecars": bool(a.sidecars), "histograms": a.histograms,
        "tcp_outcomes": a.tcp_outcomes, "few_dns_outcomes": a.few_dns_outcomes, "start": a.start, "end": times[-1], "step": a.step,
        "samples_per_series": len(times), "series": sum(w.series.values()), "samples": w.lines,
        "series_per_family": w.series,
        "scenario": {
            "isolated_nodes": sorted(lay.nodes[i] for i in sc.isolated),
            "partial_nodes": len(sc.partial),
            "partial_clusters": sorted(lay.clusters[c][1] for c in sc.partial_clusters),
            "scattered_paths_down": len(sc.scatter),
            "dead_gcomm_pod": lay.pods[sc.dead_pod][2],
            "stale_dns_pod": lay.pods[sc.stale_pod][2],
            "paused_cluster": lay.clusters[sc.paused_cluster][1],
            "reverse_blocked": [lay.clusters[sc.reverse_cluster][1], lay.nodes[sc.reverse_node]],
            "eligible_nodes": len(sc.eligible),
        },
        "seconds": round(time.monotonic() - t0, 1),
    }
    if a.summary:
        with open(a.summary, "w") as f:
            json.dump(summary, f, indent=1)
    print(f"gen: {summary['series']} series, {summary['samples']} samples in {summary['seconds']} s", file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv[1:])
