#!/usr/bin/env bash
# "The rules at scale" (issue 14), a benchmark, not a test (mvn never runs it).
#
# Measures how long a real Prometheus takes to evaluate every recording rule and alert of
# charts/pxc-probe/files/pxc-probe.rules.yml over the series N agents x P PXC pods x 3 ports put in
# it (default the full 1,000 x 150 x 3), and Prometheus' memory doing so:
#   1. gen.py writes those series (OpenMetrics text, a 30 s step over a window of --minutes that
#      ends --ahead minutes after the start of the run, a small fraction of paths failing), in parts
#      of at most ~600k series; at full scale loading takes long, so the window may start in the
#      future (--ahead > --minutes): the rounds wait until it holds 11 minutes of history;
#   2. `promtool tsdb create-blocks-from openmetrics` turns each part into a block (the text is
#      deleted once loaded); Prometheus, started on them with no rules, merges the parts into one
#      block (vertical compaction) before anything is measured;
#   3. for each --rules file: Prometheus loads it (POST /-/reload) and evaluates it every
#      --eval-interval at "now", which lies inside the generated window (rule outputs go to the
#      out-of-order head: the blocks end in the future); (a) /api/v1/rules gives each rule's and the
#      group's evaluationTime after each of --evaluations evaluations; then the rules are unloaded
#      and (b) each rule's expression is run through /api/v1/query at the time of the last
#      evaluation, one warm-up and --reps timed runs (client wall time and the server's
#      evalTotalTime, stats=all);
#   4. prints a table per rules file: rule, kind, median evaluation seconds, series returned, samples
#      read, alerts held, and the group's total against its interval; plus peak memory (RssAnon and
#      VmHWM of Prometheus and of each promtool run), timings and the machine's load.
#
# --scrape instead serves the generated values (serve.py, one exposition per step) for Prometheus to
# scrape: the rules then read its head, as in production, with the scraping's cost alongside; only for
# scales whose head fits in memory (about 4 KiB a series). --ahead does not apply: the window starts now.
#
#   deploy/bench/rules-at-scale/run.sh [--agents 1000] [--pods 150] [--minutes 45] [--ahead 35]
#       [--step 30] [--eval-interval 30s] [--evaluations 5] [--reps 5] [--rules FILE]...
#       [--parts K] [--mem-limit-gib 16] [--histograms] [--tcp-outcomes] [--few-dns-outcomes]
#       [--no-sidecars] [--scrape]
#       [--resolvers 1] [--out DIR] [--keep]
#
# Small and quick: --agents 50 --pods 30 --minutes 24 --ahead 12 --evaluations 3 --reps 3.
# Full scale, two rules files, on 2 cores (generation and loading take about half an hour):
#   --minutes 36 --ahead 56 --rules OLD --rules NEW
# --rules may be given several times (e.g. an old version from `git show`) to compare them on the
# same data; default: the chart's file. --out DIR keeps the report and the raw JSON there.
# Everything else lives in a temporary directory (under $TMPDIR, default /tmp) removed on exit
# (--keep keeps it); every process it starts is stopped by its PID on exit. Needs python3,
# prometheus, promtool (Debian 12: the prometheus package), curl. Loopback only.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
cmdline="$0 $*"
repo=$(cd "$here/../../.." && pwd)

agents=1000 pods=150 minutes=45 ahead=35 step=30 eval_interval=30s evaluations=5 reps=5
parts=auto mem_limit_gib=16 out="" keep=0 resolvers=1 sidecars=1 scrape=0
# the rules look back 5m (increase[5m] in an annotation) at samples up to 5m old (the lookback delta)
history_min=11
gen_flags=()
rules_files=()

usage() { sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit "${1:-2}"; }
die() { echo "run.sh: $*" >&2; exit 1; }
num() { [[ $2 =~ ^[0-9]+$ ]] || die "$1 wants a whole number, not '$2'"; }

while [ $# -gt 0 ]; do
  case $1 in
    --agents) num "$1" "${2:-}"; agents=$2; shift 2 ;;
    --pods) num "$1" "${2:-}"; pods=$2; shift 2 ;;
    --minutes) num "$1" "${2:-}"; minutes=$2; shift 2 ;;
    --ahead) num "$1" "${2:-}"; ahead=$2; shift 2 ;;
    --step) num "$1" "${2:-}"; step=$2; shift 2 ;;
    --eval-interval) [[ ${2:-} =~ ^[0-9]+s$ ]] || die "--eval-interval wants seconds such as 30s"; eval_interval=$2; shift 2 ;;
    --evaluations) num "$1" "${2:-}"; evaluations=$2; shift 2 ;;
    --reps) num "$1" "${2:-}"; reps=$2; shift 2 ;;
    --parts) num "$1" "${2:-}"; parts=$2; shift 2 ;;
    --mem-limit-gib) num "$1" "${2:-}"; mem_limit_gib=$2; shift 2 ;;
    --resolvers) num "$1" "${2:-}"; resolvers=$2; shift 2 ;;
    --rules) [ -f "${2:-}" ] || die "--rules: no file '${2:-}'"; rules_files+=("$(cd "$(dirname "$2")" && pwd)/$(basename "$2")"); shift 2 ;;
    --out) [ -n "${2:-}" ] || die "--out wants a directory"; out=$2; shift 2 ;;
    --keep) keep=1; shift ;;
    --histograms) gen_flags+=(--histograms); shift ;;
    --tcp-outcomes) gen_flags+=(--tcp-outcomes); shift ;;
    --few-dns-outcomes) gen_flags+=(--few-dns-outcomes); shift ;;
    --no-sidecars) sidecars=0; shift ;;
    --scrape) scrape=1; shift ;;
    -h|--help) usage 0 ;;
    *) echo "run.sh: unknown argument '$1'" >&2; usage ;;
  esac
done
[ "$agents" -ge 1 ] && [ "$pods" -ge 1 ] && [ "$step" -ge 1 ] && [ "$evaluations" -ge 1 ] && [ "$reps" -ge 1 ] \
  || die "agents, pods, step, evaluations and reps must be at least 1"
[ "$minutes" -gt "$history_min" ] || die "--minutes ($minutes) must exceed the $history_min minutes of history the rules need"
[ ${#rules_files[@]} -gt 0 ] || rules_files=("$repo/charts/pxc-probe/files/pxc-probe.rules.yml")
for c in python3 prometheus promtool curl; do command -v "$c" >/dev/null || die "needs $c"; done
mem_limit_kib=$((mem_limit_gib * 1024 * 1024))
interval_s=${eval_interval%s}

work=$(mktemp -d "${TMPDIR:-/tmp}/rules-at-scale.XXXXXX")
pids=()
cleanup() {
  local rc=$? pid i
  for pid in "${pids[@]}"; do
    kill -TERM "$pid" 2>/dev/null || true
  done
  for pid in "${pids[@]}"; do
    for i in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    kill -KILL "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
  done
  if [ "$keep" = 1 ]; then echo "run.sh: kept $work" >&2; else rm -rf "$work"; fi
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

log() { echo "[$(date -u +%H:%M:%S)] $*" >&2; }
summary="$work/summary.txt"
note() { echo "$*" | tee -a "$summary" >&2; }

# Samples a process' memory once a second into $work/mem.NAME ("peak_anon_kib vm_hwm_kib"), and stops it
# past the limit (anonymous memory: the mmap'd input and blocks are page cache the kernel can drop).
watch_mem() {
  local pid=$1 name=$2 max_s=$3 i anon hwm peak=0 peak_hwm=0
  echo "0 0 0" > "$work/mem.$name"
  for i in $(seq 1 "$max_s"); do
    [ -r "/proc/$pid/status" ] || break
    read -r anon hwm < <(awk '/^RssAnon:/{a=$2} /^VmHWM:/{h=$2} END{print a+0, h+0}' "/proc/$pid/status" 2>/dev/null || echo "0 0")
    [ "$anon" -gt "$peak" ] && peak=$anon
    [ "$hwm" -gt "$peak_hwm" ] && peak_hwm=$hwm
    echo "$peak $peak_hwm $anon" > "$work/mem.$name"
    if [ "$anon" -gt "$mem_limit_kib" ]; then
      echo "run.sh: $name holds ${anon} KiB anonymous memory, over --mem-limit-gib $mem_limit_gib: stopping it" >&2
      kill -TERM "$pid" 2>/dev/null || true
      break
    fi
    sleep 1
  done
}

# run_watched NAME TIMEOUT_S CMD...: runs CMD with its memory watched and a wall-clock limit
run_watched() {
  local name=$1 limit=$2 pid mon rc=0 i
  shift 2
  "$@" & pid=$!
  pids+=("$pid")
  watch_mem "$pid" "$name" "$limit" & mon=$!
  pids+=("$mon")
  for i in $(seq 1 "$limit"); do kill -0 "$pid" 2>/dev/null || break; sleep 1; done
  if kill -0 "$pid" 2>/dev/null; then log "$name: still running after $limit s, stopping it"; kill -TERM "$pid" || true; fi
  wait "$pid" || rc=$?
  wait "$mon" 2>/dev/null || true
  return "$rc"
}

kib_to_gib() { awk -v k="$1" 'BEGIN{printf "%.2f GiB", k/1048576}'; }

note "# rules at scale, $(date -u +%Y-%m-%dT%H:%M:%SZ)"
note "command: $cmdline"
note "machine: $(nproc) cores, $(awk '/MemTotal/{printf "%.1f GiB", $2/1048576}' /proc/meminfo) RAM; load average at start: $(cut -d' ' -f1-3 /proc/loadavg)"
note "$(prometheus --version 2>&1 | head -1); $(python3 --version)"

# ---- 1 and 2: generate and load, part by part
now=$(date +%s)
end=$((now + ahead * 60))
start=$((end - minutes * 60))
start=$((start - start % step))
# promtool cuts blocks at multiples of 54h (the largest it accepts below --max-block-duration=100h)
blocks_expected=$(( end / 194400 - start / 194400 + 1 ))
if [ "$parts" = auto ]; then
  hist=0 tcpo=0 dnso=8
  for f in "${gen_flags[@]}"; do
    case $f in --histograms) hist=1 ;; --tcp-outcomes) tcpo=6 ;; --few-dns-outcomes) dnso=2 ;; esac
  done
  clusters=$(( (pods + 2) / 3 ))
  dns=$(( (pods + 3 * clusters) * resolvers ))
  per_agent=$(( pods * 3 * (1 + 18 * hist + tcpo) + sidecars * pods * 2 * (1 + tcpo) \
    + dns * (1 + dnso + 17 * hist) + clusters * 11 + 20 ))
  parts=$(( (agents * per_agent + 599999) / 600000 ))
fi
[ "$parts" -ge 1 ] || parts=1
[ "$parts" -le "$agents" ] || parts=$agents
[ "$scrape" = 1 ] || note "data: $agents agents x $pods pods x 3 ports, sidecars=$sidecars, resolvers=$resolvers ${gen_flags[*]:-}; samples every $step s from $(date -u -d @"$start" +%H:%M:%S) to $(date -u -d @"$end" +%H:%M:%S) UTC ($minutes min, ending $ahead min after $(date -u -d @"$now" +%H:%M:%S)); $parts part(s)"

mkdir -p "$work/data"
series_total=0 samples_total=0 gen_s=0 load_s=0 promtool_peak=0 promtool_hwm=0
if [ "$scrape" = 1 ]; then
  # --scrape: the window starts now; one exposition per step, served for Prometheus to scrape
  parts=1
  start=$now
  start=$((start - start % step + step))
  end=$((start + minutes * 60))
  mkdir -p "$work/www"
  t0=$(date +%s.%N)
  nice -n 10 python3 "$here/gen.py" --agents "$agents" --pods "$pods" --step "$step" --start "$start" --end "$end" \
    --sidecars "$sidecars" --resolvers "$resolvers" "${gen_flags[@]}" \
    --exposition-dir "$work/www" --summary "$work/layout.0.json" 2>/dev/null
  t1=$(date +%s.%N)
  read -r series_total samples_total < <(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d["series"], d["samples"])' "$work/layout.0.json")
  gen_s=$(awk -v b="$t0" -v c="$t1" 'BEGIN{print c - b}')
  note "data (scrape mode): $agents agents x $pods pods x 3 ports, sidecars=$sidecars, resolvers=$resolvers ${gen_flags[*]:-}: $series_total series exposed, one exposition every $step s from $(date -u -d @"$start" +%H:%M:%S) to $(date -u -d @"$end" +%H:%M:%S) UTC ($(du -sh "$work/www" | cut -f1) written by gen.py in $(printf %.0f "$gen_s") s); Prometheus scrapes them into its head"
  www_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
  python3 "$here/serve.py" "$www_port" "$work/www" "$start" "$step" &
  pids+=("$!")
  for i in $(seq 1 60); do [ "$(date +%s)" -ge "$start" ] && break; sleep 1; done
fi
for part in $(seq 0 $((parts - 1))); do
  [ "$scrape" = 0 ] || break
  t0=$(date +%s.%N)
  nice -n 10 python3 "$here/gen.py" --agents "$agents" --pods "$pods" --step "$step" --start "$start" --end "$end" \
    --sidecars "$sidecars" --resolvers "$resolvers" --parts "$parts" --part "$part" "${gen_flags[@]}" \
    --out "$work/part.om" --summary "$work/layout.$part.json" 2>/dev/null
  t1=$(date +%s.%N)
  size=$(stat -c %s "$work/part.om")
  # GOGC=50: about 2/3 of the heap the default leaves; promtool holds every series of the part in memory
  GOGC=50 run_watched "promtool.$part" 10800 \
    nice -n 10 promtool tsdb create-blocks-from openmetrics -q --max-block-duration=100h "$work/part.om" "$work/data" \
    || die "promtool failed on part $part (see above)"
  t2=$(date +%s.%N)
  rm -f "$work/part.om"
  read -r s n < <(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d["series"], d["samples"])' "$work/layout.$part.json")
  read -r pk hw _ < "$work/mem.promtool.$part"
  series_total=$((series_total + s)); samples_total=$((samples_total + n))
  [ "$pk" -gt "$promtool_peak" ] && promtool_peak=$pk
  [ "$hw" -gt "$promtool_hwm" ] && promtool_hwm=$hw
  gen_s=$(awk -v a="$gen_s" -v b="$t0" -v c="$t1" 'BEGIN{print a + c - b}')
  load_s=$(awk -v a="$load_s" -v b="$t1" -v c="$t2" 'BEGIN{print a + c - b}')
  log "part $((part + 1))/$parts: $s series, $n samples, $((size / 1048576)) MiB of text; gen $(awk -v b="$t0" -v c="$t1" 'BEGIN{printf "%.0f", c-b}') s, promtool $(awk -v b="$t1" -v c="$t2" 'BEGIN{printf "%.0f", c-b}') s, anon peak $(kib_to_gib "$pk")"
done
cp "$work/layout.0.json" "$work/layout.json"
[ "$scrape" = 1 ] || note "generated $series_total series, $samples_total samples: gen.py $(printf %.0f "$gen_s") s, promtool $(printf %.0f "$load_s") s in all; promtool peak RssAnon $(kib_to_gib "$promtool_peak") (VmHWM with the mmap'd input $(kib_to_gib "$promtool_hwm")); blocks on disk $(du -sh "$work/data" | cut -f1)"
note "scenario: $(python3 -c 'import json,sys; print(json.dumps(json.load(open(sys.argv[1]))["scenario"]))' "$work/layout.json")"

# ---- 3: Prometheus
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
url="http://127.0.0.1:$port"
write_config() { # [rules file]
  {
    echo "global:"
    echo "  evaluation_interval: $eval_interval"
    echo "storage:"
    echo "  tsdb:"
    echo "    out_of_order_time_window: $((minutes + 180))m"
    if [ -n "${1:-}" ]; then echo "rule_files:"; echo "  - $1"; fi
    if [ "$scrape" = 1 ]; then
      echo "scrape_configs:"
      echo "  - job_name: generated"
      echo "    honor_labels: true"
      echo "    scrape_interval: ${step}s"
      echo "    scrape_timeout: $(( step > 2 ? step - 1 : step ))s"
      echo "    static_configs: [{targets: ['127.0.0.1:$www_port']}]"
    fi
  } > "$work/prometheus.yml.new"
  mv "$work/prometheus.yml.new" "$work/prometheus.yml"
}
reload() { curl -fsS -m 120 -X POST "$url/-/reload" >/dev/null || die "reload failed: $(tail -5 "$work/prometheus.log")"; }
write_config
t0=$(date +%s)
prometheus --config.file="$work/prometheus.yml" --storage.tsdb.path="$work/data" \
  --storage.tsdb.retention.time=30d --web.listen-address="127.0.0.1:$port" --web.enable-lifecycle \
  > "$work/prometheus.log" 2>&1 &
prom=$!
pids+=("$prom")
watch_mem "$prom" prometheus 86400 &
pids+=("$!")
for i in $(seq 1 900); do
  curl -fs -m 5 "$url/-/ready" >/dev/null 2>&1 && break
  kill -0 "$prom" 2>/dev/null || die "prometheus exited: $(tail -5 "$work/prometheus.log")"
  sleep 1
done
curl -fs -m 5 "$url/-/ready" >/dev/null || die "prometheus not ready after 900 s"
if [ "$scrape" = 0 ]; then
  log "prometheus ready on $url after $(( $(date +%s) - t0 )) s; merging the $parts part(s) into $blocks_expected block(s)"
  python3 "$here/measure.py" wait-blocks "$url" "$blocks_expected" 3600 || die "the blocks were not merged: $(tail -5 "$work/prometheus.log")"
  read -r pk hw _ < "$work/mem.prometheus"
  note "prometheus: ready and compacted after $(( $(date +%s) - t0 )) s; peak RssAnon so far $(kib_to_gib "$pk"), VmHWM $(kib_to_gib "$hw")"
fi

ready_at=$((start + history_min * 60))
if [ "$(date +%s)" -lt "$ready_at" ]; then
  log "waiting $(( ready_at - $(date +%s) )) s until the data holds $history_min minutes of history"
  for i in $(seq 1 $(( (ready_at - $(date +%s)) / 5 + 2 ))); do [ "$(date +%s)" -ge "$ready_at" ] && break; sleep 5; done
fi
round=0
for rules in "${rules_files[@]}"; do
  round=$((round + 1))
  left=$(( end - $(date +%s) ))
  need=$(( evaluations * interval_s * 3 + 300 ))
  [ "$left" -gt "$need" ] || die "the data ends in $left s, a round needs up to $need s: raise --ahead"
  promtool check rules "$rules" >/dev/null || die "promtool check rules $rules failed"
  nrules=$(grep -cE '^ *- (record|alert):' "$rules")
  cp "$rules" "$work/rules.$round.yml"
  write_config "$work/rules.$round.yml"
  reload
  python3 "$here/measure.py" wait-rules "$url" "$nrules" 120 || die "rules not loaded"
  log "round $round: $rules ($nrules rules), load average $(cut -d' ' -f1-3 /proc/loadavg)"
  note "round $round ($rules): load average before (a) $(cut -d' ' -f1-3 /proc/loadavg)"
  python3 "$here/measure.py" evals "$url" "$evaluations" "$(( evaluations * interval_s * 4 + 300 ))" "$work/evals.$round.json" \
    || die "fewer than $evaluations evaluations"
  write_config
  reload
  python3 "$here/measure.py" wait-rules "$url" 0 120 || die "rules not unloaded"
  note "round $round: load average before (b) $(cut -d' ' -f1-3 /proc/loadavg)"
  python3 "$here/measure.py" queries "$url" "$work/evals.$round.json" "$reps" "$work/queries.$round.json"
  read -r pk hw _ < "$work/mem.prometheus"
  {
    echo
    echo "## round $round: $rules"
    python3 "$here/measure.py" report "$work/evals.$round.json" "$work/queries.$round.json"
    echo "prometheus: peak RssAnon $(kib_to_gib "$pk"), VmHWM $(kib_to_gib "$hw") (since its start; VmHWM counts the mmap'd blocks)"
  } | tee -a "$summary"
done
for i in $(seq 2 "$round"); do
  {
    echo
    echo "## round 1 against round $i (same data)"
    python3 "$here/measure.py" compare "$work/evals.1.json" "$work/queries.1.json" "$work/evals.$i.json" "$work/queries.$i.json" || true
  } | tee -a "$summary"
done
note "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"

if [ -n "$out" ]; then
  mkdir -p "$out"
  cp "$summary" "$work"/evals.*.json "$work"/queries.*.json "$work/layout.json" "$out/"
  for i in $(seq 1 "$round"); do cp "$work/rules.$i.yml" "$out/"; done
  log "report and JSON in $out"
fi
