#!/usr/bin/env bash
# blackbox_exporter against the agent, side by side in one run (issue 14; not a test):
#   probe/bench/blackbox/run.sh [targets=1000] [interval_ms=1000] [warmup_s=20] [window_s=60] [latency=on|off]
# 1. CPU and memory, on TARGETS loopback "pods" (127.1.x.y, one address each, port 4567, where a
#    BenchListener process accepts and closes), one program after the other, same interval, same
#    window:
#    - Debian's prometheus-blackbox-exporter, tcp_connect module, driven as Prometheus drives it by
#      io.pxcprobe.bench.BlackboxDriver (its own process): one GET /probe per target per interval,
#      spread over the interval, Prometheus' Accept, gzip, keep-alive connections shared by all
#      targets (at most CONNECTIONS);
#    - the packaged agent (static config, the same targets at 4567, connect mode) with a whole
#      /metrics scrape every SCRAPE_S seconds (gzip, OpenMetrics) from a process of its own;
#    - the bare connect loop (BareConnectLoop) at the same rate under the same launcher flags.
#    Prints CPU (utime+stime) per 1,000 probes of each program and of its driver, probes/s, RSS at
#    the end of the window and its peak (VmRSS, VmHWM), and the ratios agent / blackbox_exporter
#    (exporter only; goal <= 1/6) and agent / bare loop (goal <= 1.2).
# 2. Latency against an injected delay (latency=on, needs root): LAT_TARGETS addresses 198.19.N.x
#    routed over a veth pair into a network namespace this script creates (pxcbb-PID), where a
#    listener accepts; for each delay of DELAYS_MS the namespace's SYN-ACKs are held that long (tc
#    netem on its veth where the kernel has sch_netem, else an NFQUEUE delayer, nfq-delay.c, which
#    prints the delay it really applied); 0 is the baseline without a delayer. blackbox_exporter's
#    probe_duration_seconds and the agent's latency (histogram sum/count, /targets), LAT_SECONDS each
#    after LAT_WARMUP, against the delay. The real lo is never touched.
# Knobs: AGENT_MODE=connect|syn (syn needs root) CONNECTIONS=8 SCRAPE_S=15 LAT_TARGETS=100 LAT_WARMUP=5 LAT_SECONDS=20 DELAYS_MS="0 5" MVN_FLAGS=
# It runs a copy of probe/target/pxc-probe and of the bench classes taken at its start (built first
# if missing). PXC_PROBE_BENCH_KEEP=1 keeps the harness's work directories (logs, configs).
# Everything this script starts or creates (processes by pid, namespace, veth, route, temporary
# files) is removed on exit.
set -euo pipefail
cd "$(dirname "$0")/../../.."
targets=${1:-1000}; interval=${2:-1000}; warmup=${3:-20}; window=${4:-60}; latency=${5:-on}
CONNECTIONS=${CONNECTIONS:-8}; SCRAPE_S=${SCRAPE_S:-15}
LAT_TARGETS=${LAT_TARGETS:-100}; LAT_WARMUP=${LAT_WARMUP:-5}; LAT_SECONDS=${LAT_SECONDS:-20}; DELAYS_MS=${DELAYS_MS:-"0 5"}
MVN_FLAGS=${MVN_FLAGS:-}

die() { echo "blackbox bench: $*" >&2; exit 2; }
command -v prometheus-blackbox-exporter >/dev/null || die "needs prometheus-blackbox-exporter (Debian package)"
[ "$targets" -ge 1 ] && [ "$targets" -le 60000 ] || die "targets: 1 to 60000 (127.1.0.0/16)"
[ "$LAT_TARGETS" -ge 1 ] && [ "$LAT_TARGETS" -le 250 ] || die "LAT_TARGETS: 1 to 250 (one /24)"
for d in $DELAYS_MS; do [[ "$d" =~ ^[0-9]+(\.[0-9]+)?$ ]] || die "DELAYS_MS: milliseconds, e.g. \"0 5\""; done
case "$latency" in
  on) [ "$(id -u)" = 0 ] || die "latency=on needs root (network namespace, veth, tc or iptables); or pass latency=off" ;;
  off) ;;
  *) die "latency is on or off" ;;
esac

work=$(mktemp -d /tmp/pxcbb.XXXXXX)
ns=pxcbb-$$; hveth=pxbb$$
bench_pid=""; delay_pid=""; ns_made=""; route=""
cleanup() {
  for pid in $bench_pid $delay_pid; do kill "$pid" 2>/dev/null || true; done
  for pid in $bench_pid $delay_pid; do wait "$pid" 2>/dev/null || true; done
  if [ -n "$route" ]; then ip route del "$route" 2>/dev/null || true; fi
  if [ -n "$ns_made" ]; then
    ip link del "$hveth" 2>/dev/null || true
    ip netns del "$ns" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if [ ! -x probe/target/pxc-probe/bin/pxc-probe ]; then
  # shellcheck disable=SC2086
  mvn -B -q $MVN_FLAGS -pl probe -am package -DskipTests -Dmaven.test.skip.exec=true >/dev/null
fi
# shellcheck disable=SC2086
mvn -B -q $MVN_FLAGS -pl probe -am test-compile >/dev/null
# a copy of the distribution and the bench classes: a build in this tree while the run goes on
# (another package or test-compile) must not change what is measured or pull the JVM out from under it
cp -a probe/target/pxc-probe "$work/dist"
cp -a probe/target/test-classes "$work/bench-classes"
dist=$work/dist
cp=$work/bench-classes
[ -x "$dist/bin/pxc-probe" ] && [ -f "$dist/lib/pxc-probe.jar" ] && [ -x "$dist/runtime/bin/java" ] \
  || die "probe/target/pxc-probe is incomplete (a build running?); try again"

# runs the harness in the background so that the trap can end it
bench() {
  env PXC_PROBE_MAIN_CLASS=io.pxcprobe.bench.BlackboxBench PXC_PROBE_EXTRA_CLASSPATH="$cp" \
    timeout --kill-after=10 "$1" "$dist/bin/pxc-probe" "${@:2}" &
  bench_pid=$!
  wait "$bench_pid"
  bench_pid=""
}

echo "== $(date -u '+%Y-%m-%d %H:%M:%S UTC'), $(uname -r), $(nproc) cores, load average $(cut -d' ' -f1-3 /proc/loadavg)"
echo "command: probe/bench/blackbox/run.sh $targets $interval $warmup $window $latency" \
  "(CONNECTIONS=$CONNECTIONS SCRAPE_S=$SCRAPE_S LAT_TARGETS=$LAT_TARGETS LAT_WARMUP=$LAT_WARMUP" \
  "LAT_SECONDS=$LAT_SECONDS DELAYS_MS=\"$DELAYS_MS\")"
echo "tree: $(git describe --always --dirty 2>/dev/null || echo unknown); agent jar built $(date -u -r "$dist/lib/pxc-probe.jar" '+%Y-%m-%d %H:%M:%S UTC')"
prometheus-blackbox-exporter --version 2>&1 | head -1

echo "== CPU and memory: blackbox_exporter, agent, bare loop"
bench $((3 * (warmup + window) + 300)) cpu "$dist" "$cp" "$targets" "$interval" "$warmup" "$window" "$SCRAPE_S" "$CONNECTIONS"
echo "load average after the CPU phase: $(cut -d' ' -f1-3 /proc/loadavg)"

[ "$latency" = on ] || exit 0

echo "== latency against an injected delay: namespace $ns"
octet=""; addrs=$(ip -o addr show)
for _ in $(seq 1 20); do
  o=$((1 + RANDOM % 254))
  if [[ "$addrs" != *" 198.18.$o."* ]] && [ -z "$(ip route show "198.19.$o.0/24")" ]; then
    octet=$o; break
  fi
done
[ -n "$octet" ] || die "no free 198.18.N.0/30 and 198.19.N.0/24 after 20 tries"
host_ip=198.18.$octet.1; ns_ip=198.18.$octet.2; prefix=198.19.$octet.
ip netns add "$ns"; ns_made=1
ip link add "$hveth" type veth peer name eth0 netns "$ns"
ip addr add "$host_ip/30" dev "$hveth"; ip link set "$hveth" up
ip -n "$ns" addr add "$ns_ip/30" dev eth0; ip -n "$ns" link set eth0 up; ip -n "$ns" link set lo up
# every address of the /24 is local inside the namespace, where the listener binds 0.0.0.0:4567
ip -n "$ns" route add local "${prefix}0/24" dev lo
ip route add "${prefix}0/24" via "$ns_ip"; route="${prefix}0/24"

lat_max=$((2 * (LAT_WARMUP + LAT_SECONDS) + 200))
for delay in $DELAYS_MS; do
  echo "== latency with the namespace's SYN-ACKs delayed ${delay} ms"
  queue=""
  if [ "$delay" = 0 ]; then
    echo "delay: none (the baseline: veth round trip and each program's own overhead)"
  elif ip netns exec "$ns" tc qdisc add dev eth0 root netem delay "${delay}ms" 2>/dev/null; then
    echo "delay: tc netem ${delay}ms on $ns's eth0 (everything the namespace sends)"
  else
    # no sch_netem in this kernel: hold the namespace's SYN-ACKs in user space instead (as probe/bench/syn)
    [ -x "$work/nfq-delay" ] || gcc -O2 -Wall -o "$work/nfq-delay" probe/bench/blackbox/nfq-delay.c -lnetfilter_queue
    queue=$((1000 + RANDOM % 30000))
    # at real-time priority where allowed: it sleeps until the next release, and is late when it waits for a core
    rt=""; if chrt -f 10 true 2>/dev/null; then rt="chrt -f 10"; fi
    # shellcheck disable=SC2086
    ip netns exec "$ns" $rt timeout "$lat_max" "$work/nfq-delay" "$queue" "$delay" "$lat_max" >"$work/delay.log" 2>&1 &
    delay_pid=$!
    sleep 0.3
    kill -0 "$delay_pid" || { cat "$work/delay.log" >&2; die "the delayer did not start"; }
    ip netns exec "$ns" iptables -A OUTPUT -p tcp --sport 4567 --tcp-flags SYN,ACK SYN,ACK -j NFQUEUE --queue-num "$queue"
    echo "delay: no sch_netem in this kernel; an NFQUEUE delayer (nfq-delay.c) holds $ns's SYN-ACKs ${delay} ms"
  fi
  bench $((lat_max + 60)) latency "$dist" "$cp" "$ns" "$prefix" "$LAT_TARGETS" "$interval" "$LAT_WARMUP" "$LAT_SECONDS" "$delay" "$CONNECTIONS"
  if [ -n "$queue" ]; then
    ip netns exec "$ns" iptables -D OUTPUT -p tcp --sport 4567 --tcp-flags SYN,ACK SYN,ACK -j NFQUEUE --queue-num "$queue"
    kill "$delay_pid" 2>/dev/null || true; wait "$delay_pid" 2>/dev/null || true; delay_pid=""
    echo "delay as applied: $(grep -h 'held' "$work/delay.log" || echo '?')"
  elif [ "$delay" != 0 ]; then
    ip netns exec "$ns" tc qdisc del dev eth0 root
  fi
done
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
