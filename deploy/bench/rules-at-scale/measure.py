#!/usr/bin/env python3
"""The measuring half of run.sh (python3 stdlib only; not a test).

  measure.py wait-blocks URL BLOCKS TIMEOUT_S
      until prometheus_tsdb_blocks_loaded == BLOCKS and no compaction is running (bounded)
  measure.py wait-rules URL RULES TIMEOUT_S
      until /api/v1/rules lists RULES rules (0: none)
  measure.py evals URL EVALUATIONS TIMEOUT_S OUT.json
      (a) polls /api/v1/rules once a second; after each completed evaluation of every group keeps
      each rule's evaluationTime, the group's, and the alerts each alert rule holds; stops after
      EVALUATIONS complete evaluations of every group
  measure.py queries URL EVALS.json REPS OUT.json
      (b) every rule's expression through /api/v1/query?time=T&stats=all, T = the last evaluation of
      its group in EVALS.json (so the recording rules' outputs the alerts read exist there), one
      warm-up then REPS timed runs: wall time as the client sees it and the server's evalTotalTime
  measure.py report EVALS.json QUERIES.json
      the table
  measure.py compare EVALS1.json QUERIES1.json EVALS2.json QUERIES2.json
      whether two rounds (two rules files on the same data) hold the same alerts and give the same
      result for each rule both have
"""

import datetime
import hashlib
import json
import statistics
import sys
import time
import urllib.parse
import urllib.request


def get(url, timeout=600):
    with urllib.request.urlopen(url, timeout=timeout) as r:
        return json.load(r)


def metrics(url):
    out = {}
    with urllib.request.urlopen(url + "/metrics", timeout=60) as r:
        for line in r.read().decode().splitlines():
            if line and not line.startswith("#"):
                name, _, value = line.rpartition(" ")
                try:
                    out[name] = float(value)
                except ValueError:
                    pass
    return out


def rfc3339(s):
    # 2026-12-07T22:12:06.634055122Z -> seconds (microsecond precision is enough)
    head, _, frac = s.rstrip("Z").partition(".")
    t = datetime.datetime.strptime(head, "%Y-%m-%dT%H:%M:%S").replace(tzinfo=datetime.timezone.utc).timestamp()
    return t + (float("0." + frac) if frac else 0.0)


def poll(done, timeout, every, what):
    """0 once done() is true (an unreachable Prometheus counts as not yet), 1 after timeout seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if done():
                return 0
        except OSError:
            pass
        time.sleep(every)
    print(f"timed out after {timeout} s waiting for {what}", file=sys.stderr)
    return 1


def wait_blocks(url, blocks, timeout):
    def merged():
        m = metrics(url)
        if m.get("prometheus_tsdb_blocks_loaded") != blocks or m.get(
                "prometheus_tsdb_compactions_triggered_total", 0) > m.get("prometheus_tsdb_compactions_total", 0) + \
                m.get("prometheus_tsdb_compactions_failed_total", 0):
            return False
        print(f"blocks loaded: {blocks}; compactions: {m.get('prometheus_tsdb_compactions_total')}", file=sys.stderr)
        return True
    return poll(merged, timeout, 2, f"{blocks} block(s)")


def rule_count(url):
    groups = get(url + "/api/v1/rules")["data"]["groups"]
    return sum(len(g["rules"]) for g in groups)


def wait_rules(url, n, timeout):
    return poll(lambda: rule_count(url) == n, timeout, 1, f"{n} rule(s)")


def rule_key(index, r):
    """Alert names repeat (PXCBackupWillFail: critical and warning): name them by index and severity."""
    name = r["name"]
    if r["type"] == "alerting" and r.get("labels", {}).get("severity"):
        name += f" ({r['labels']['severity']})"
    return f"{index:02d} {name}"


def evals(url, evaluations, timeout, out):
    deadline = time.monotonic() + timeout
    seen = {}  # group -> last lastEvaluation seen
    rounds = {}  # group -> list of snapshots
    info = {}
    cpu0 = None  # (wall, process_cpu_seconds_total) once every group has been seen
    while time.monotonic() < deadline:
        try:
            groups = get(url + "/api/v1/rules")["data"]["groups"]
        except OSError as e:
            print(f"rules API: {e}", file=sys.stderr)
            time.sleep(1)
            continue
        for g in groups:
            gname = f"{g['file']}:{g['name']}"
            last = g["lastEvaluation"]
            if last.startswith("0001-") or g["evaluationTime"] == 0:
                continue
            if gname not in seen:
                seen[gname] = last  # a round may be half done: start counting at the next one
                info[gname] = {"name": g["name"], "interval": g["interval"], "rules": [
                    {"key": rule_key(i, r), "name": r["name"], "type": r["type"], "query": r["query"]}
                    for i, r in enumerate(g["rules"])]}
                continue
            if last == seen[gname]:
                continue
            seen[gname] = last
            snap = {"lastEvaluation": last, "time": rfc3339(last), "evaluationTime": g["evaluationTime"],
                    "rules": {}}
            for i, r in enumerate(g["rules"]):
                snap["rules"][rule_key(i, r)] = {
                    "evaluationTime": r["evaluationTime"], "health": r["health"],
                    "lastError": r.get("lastError", ""),
                    "alerts": len(r.get("alerts", [])) if r["type"] == "alerting" else None,
                    "firing": sum(1 for a in r.get("alerts", []) if a["state"] == "firing")
                    if r["type"] == "alerting" else None,
                    "active": sorted(json.dumps([a["labels"], a.get("annotations", {}).get("summary", "")],
                                                sort_keys=True) for a in r.get("alerts", [])),
                }
            rounds.setdefault(gname, []).append(snap)
            print(f"{g['name']}: evaluation {len(rounds[gname])} took {g['evaluationTime']:.3f} s", file=sys.stderr)
        if cpu0 is None and info and len(info) == len(groups):
            cpu0 = (time.monotonic(), metrics(url).get("process_cpu_seconds_total", 0.0))
        if info and all(len(rounds.get(gn, [])) >= evaluations for gn in info):
            break
        time.sleep(1)
    else:
        print(f"timed out after {timeout} s: {[len(v) for v in rounds.values()]} evaluation(s)", file=sys.stderr)
    m = metrics(url)
    cpu = None
    if cpu0 is not None:
        wall = time.monotonic() - cpu0[0]
        cpu = {"wall_seconds": wall, "cpu_seconds": m.get("process_cpu_seconds_total", 0.0) - cpu0[1]}
    keep = {k: v for k, v in m.items() if k.startswith((
        "prometheus_rule_group_iterations_missed_total", "prometheus_rule_evaluation_failures_total",
        "prometheus_tsdb_out_of_bound_samples_total", "prometheus_tsdb_head_out_of_order_samples_appended_total",
        "prometheus_rule_group_last_duration_seconds", "prometheus_tsdb_head_series",
        "prometheus_tsdb_blocks_loaded", "process_resident_memory_bytes", "go_memstats_heap_inuse_bytes"))}
    with open(out, "w") as f:
        json.dump({"groups": info, "rounds": rounds, "metrics": keep, "cpu": cpu}, f, indent=1)
    return 0 if info and all(len(rounds.get(gn, [])) >= evaluations for gn in info) else 1


def queries(url, evals_file, reps, out):
    with open(evals_file) as f:
        ev = json.load(f)
    results = {}
    for gname, g in ev["groups"].items():
        rounds = ev["rounds"].get(gname)
        if not rounds:
            continue
        at = rounds[-1]["time"]
        for r in g["rules"]:
            params = urllib.parse.urlencode({"query": r["query"], "time": f"{at:.3f}", "stats": "all"})
            walls, evals_s, samples, queryable, peak = [], [], None, None, None
            for rep in range(reps + 1):
                t0 = time.monotonic()
                body = get(f"{url}/api/v1/query?{params}")
                wall = time.monotonic() - t0
                if body.get("status") != "success":
                    raise SystemExit(f"{r['key']}: {body}")
                st = body["data"].get("stats", {})
                if rep == 0:
                    samples = len(body["data"]["result"])
                    digest = hashlib.sha1("\n".join(sorted(
                        json.dumps([{k: v for k, v in x["metric"].items() if k != "__name__"}, x["value"][1]],
                                   sort_keys=True) for x in body["data"]["result"])).encode()).hexdigest()
                    queryable = st.get("samples", {}).get("totalQueryableSamples")
                    peak = st.get("samples", {}).get("peakSamples")
                    continue  # warm-up
                walls.append(wall)
                evals_s.append(st.get("timings", {}).get("evalTotalTime"))
            results[r["key"]] = {"group": gname, "time": at, "wall": walls, "eval": evals_s, "digest": digest,
                                 "name": r["name"], "type": r["type"],
                                 "wall_median": statistics.median(walls),
                                 "eval_median": statistics.median(e for e in evals_s if e is not None),
                                 "samples": samples, "queryable_samples": queryable, "peak_samples": peak}
            print(f"{r['key']}: {results[r['key']]['wall_median']:.3f} s, {samples} series", file=sys.stderr)
    with open(out, "w") as f:
        json.dump(results, f, indent=1)
    return 0


def fmt(x, digits=3):
    return "-" if x is None else f"{x:.{digits}f}"


def report(evals_file, queries_file):
    with open(evals_file) as f:
        ev = json.load(f)
    with open(queries_file) as f:
        q = json.load(f)
    lines = []
    for gname, g in ev["groups"].items():
        rounds = ev["rounds"].get(gname, [])
        used = rounds[1:] if len(rounds) >= 3 else rounds  # the first one reads a cold page cache
        lines.append(f"group {g['name']} ({gname.split(':')[0]}), interval {g['interval']} s; (a) = /api/v1/rules "
                     f"evaluationTime, median of {len(used)} evaluations{' after the first' if used is not rounds else ''}; "
                     f"(b) = /api/v1/query at the last evaluation's time, median of "
                     f"{len(next(iter(q.values()))['wall']) if q else 0} runs after a warm-up")
        hdr = (f"{'rule':<44} {'kind':<6} {'(a) eval s':>10} {'(a) max s':>9} {'(b) wall s':>10} "
               f"{'(b) server s':>12} {'series out':>10} {'samples read':>12} {'alerts':>7}")
        lines.append(hdr)
        lines.append("-" * len(hdr))
        for r in g["rules"]:
            k = r["key"]
            a = [s["rules"][k]["evaluationTime"] for s in used if k in s["rules"]]
            last = used[-1]["rules"].get(k, {}) if used else {}
            b = q.get(k, {})
            kind = "record" if r["type"] == "recording" else "alert"
            alerts = last.get("alerts")
            health = "" if last.get("health", "ok") == "ok" else f"  {last.get('health')}: {last.get('lastError')}"
            lines.append(f"{k[:44]:<44} {kind:<6} {fmt(statistics.median(a) if a else None):>10} "
                         f"{fmt(max(a) if a else None):>9} {fmt(b.get('wall_median')):>10} "
                         f"{fmt(b.get('eval_median')):>12} {b.get('samples', '-'):>10} "
                         f"{b.get('queryable_samples', '-'):>12} {'-' if alerts is None else alerts:>7}{health}")
        totals = [s["evaluationTime"] for s in used]
        if totals:
            med = statistics.median(totals)
            sum_b = sum(q[r["key"]]["eval_median"] for r in g["rules"] if r["key"] in q)
            lines.append("-" * len(hdr))
            lines.append(f"group total (a): median {med:.3f} s, max {max(totals):.3f} s = "
                         f"{100 * med / g['interval']:.1f} % of its {g['interval']:g} s interval "
                         f"({100 * med / 15:.1f} % of 15 s, {100 * med / 60:.1f} % of 60 s); "
                         f"sum of the rules' (b) server times {sum_b:.3f} s")
        lines.append("")
    medians = {g["name"]: statistics.median([s["evaluationTime"] for s in (r[1:] if len(r) >= 3 else r)])
               for gn, g in ev["groups"].items() for r in [ev["rounds"].get(gn, [])] if r}
    if len(medians) > 1:
        worst = max(medians, key=medians.get)
        interval = next(iter(ev["groups"].values()))["interval"]
        lines.append(f"all {len(medians)} groups (evaluated concurrently): sum of the medians {sum(medians.values()):.3f} s "
                     f"({100 * sum(medians.values()) / interval:.1f} % of {interval:g} s); the longest, {worst}, "
                     f"{medians[worst]:.3f} s ({100 * medians[worst] / interval:.1f} %)")
    cpu = ev.get("cpu")
    if cpu and cpu["wall_seconds"] > 0 and ev["groups"]:
        interval = next(iter(ev["groups"].values()))["interval"]
        per = cpu["cpu_seconds"] / cpu["wall_seconds"]
        lines.append(f"prometheus CPU while evaluating (everything it does): {per * interval:.2f} core-seconds per "
                     f"{interval:g} s interval = {100 * per:.0f} % of one core ({cpu['cpu_seconds']:.0f} s over "
                     f"{cpu['wall_seconds']:.0f} s)")
    m = ev.get("metrics", {})
    for k in sorted(m):
        if "iterations_missed" in k or "evaluation_failures" in k or "out_of_bound" in k:
            if m[k]:
                lines.append(f"WARNING {k} = {m[k]:g}")
    print("\n".join(lines))
    return 0


def compare(first_evals, first_queries, other_evals, other_queries):
    """Same alerts (labels and summary) in the last evaluation of each round, and the same result of each
    expression both rounds have (by rule name; each expression at its own round's time)."""

    def alerts(path):
        with open(path) as f:
            ev = json.load(f)
        out = {}
        for gname, rounds in ev["rounds"].items():
            for key, r in rounds[-1]["rules"].items():
                if r.get("alerts") is not None:
                    name = key.split(" ", 1)[1]
                    out.setdefault(name, set()).update(r.get("active", []))
        return out

    def results(path):
        with open(path) as f:
            q = json.load(f)
        return {k.split(" ", 1)[1]: v for k, v in q.items()}

    a, b = alerts(first_evals), alerts(other_evals)
    same = True
    for name in sorted(set(a) | set(b)):
        x, y = a.get(name, set()), b.get(name, set())
        if x != y:
            same = False
            print(f"alerts differ: {name}: {len(x - y)} only in the first, {len(y - x)} only in the other; "
                  f"e.g. {sorted(x - y)[:1]} / {sorted(y - x)[:1]}")
    print(f"alerts: {'the same' if same else 'DIFFERENT'} ({sum(len(v) for v in a.values())} active in the first "
          f"round's last evaluation, {sum(len(v) for v in b.values())} in the other's)")
    ra, rb = results(first_queries), results(other_queries)
    both = sorted(set(ra) & set(rb))
    diff = [n for n in both if ra[n].get("digest") != rb[n].get("digest")]
    print(f"expressions in both rounds: {len(both)}, same result: {len(both) - len(diff)}"
          + (f"; different: {', '.join(diff)}" if diff else ""))
    return 0 if same and not diff else 1


def main(argv):
    cmd = argv[0] if argv else ""
    if cmd == "wait-blocks":
        return wait_blocks(argv[1], float(argv[2]), float(argv[3]))
    if cmd == "wait-rules":
        return wait_rules(argv[1], int(argv[2]), float(argv[3]))
    if cmd == "evals":
        return evals(argv[1], int(argv[2]), float(argv[3]), argv[4])
    if cmd == "queries":
        return queries(argv[1], argv[2], int(argv[3]), argv[4])
    if cmd == "compare":
        return compare(*argv[1:5])
    if cmd == "report":
        return report(argv[1], argv[2])
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
