#!/usr/bin/env bash
# Milter benchmark: smtp-source -> private Postfix (smtpd with or without a milter) -> smtp(8) -> smtp-sink.
# Modes: none (no milter), floor (floor.c: a do-nothing C libmilter asking Postfix for what caliop asks, over a unix
# socket; when libmilter-dev is installed), caliop over TCP, caliop over a unix socket, OpenDKIM in sign mode over TCP
# (when installed: apt-get install opendkim opendkim-tools; bench only). For 1, 8 and 32 concurrent sessions with 10 KB
# messages: throughput (smtp-source), and p50/p99 per-message latency (latency.py). Then the caliop daemon's RSS with
# 1,000 concurrent milter sessions, each mid-message (sessions.py).
#
# Usage (root, Postfix installed): bench/milter/run.sh [MESSAGES]       (default 2000 per run)
#   SESSIONS="1 8 32" MODES="none floor caliop-inet caliop-unix opendkim" RSS=yes select what runs;
#   WARMUP=8000 messages per transport through caliop before measuring (fewer leave the JIT compiling in the
#   measured runs); CALIOP_JAVA_OPTS (default -Xmx512m) goes to its JVM;
#   CALIOP_JAR runs another build of the daemon (default: milter/target/caliop-milter-*-all.jar, built if missing).
#   PERF_STAT=yes adds the machine's CPU ms, context switches and migrations per message (perf stat -a).
#   PROFILE=out.jfr records a JFR profile of the daemon over the measured runs (not the warm-up).
#   FLOOR_CFLAGS=-DFLOOR_CONTENT_ONLY builds the floor asking only for headers, body and end of message.
#   POSTFIX_MAIN_CF adds lines to the private Postfix's main.cf (e.g. $'max_use = 10000').
#   CALIOP_ARGS adds daemon options (e.g. "--workers 2"). THREADS=yes adds, per row, the milter's CPU and wake-ups
#   per thread group and every process's CPU.
# milter_cpu_ms: CPU time (user+system, from /proc) the milter process spent per message during the smtp-source run;
# unlike wall-clock figures, other load on the machine does not inflate it.
# Output: a table on stdout, also written to bench/results/milter-<UTC time>.txt
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
version="$(sed -n 's:^  <version>\(.*\)</version>$:\1:p' "$root/pom.xml" | head -1)"
messages="${1:-2000}"
jar="${CALIOP_JAR:-$root/milter/target/caliop-milter-$version-all.jar}"
[ -f "$jar" ] || (cd "$root" && mvn -q -B -ntp -DskipTests -pl milter -am package)

# utime+stime of a process, in clock ticks (fields 14 and 15 of /proc/PID/stat; the name may contain spaces).
cpu_ticks() { [ -n "${1:-}" ] && awk '{sub(/.*\) /, ""); print $12 + $13}' "/proc/$1/stat" || echo 0; }
# Per thread of a process: "name ticks" (THREADS=yes prints, per row, the CPU ms per message of each thread group).
thread_ticks() {
  for t in /proc/"$1"/task/*; do
    awk -v n="$(tr ' ' '_' < "$t/comm")" '{sub(/.*\) /, ""); print n "(user)", $12; print n "(sys)", $13}' "$t/stat"
  done 2>/dev/null
}
# Every process's CPU by command name, and the machine's busy and idle time (THREADS=yes): where a message's CPU goes.
proc_ticks() {
  for d in /proc/[0-9]*; do
    [ -r "$d/stat" ] && awk -v n="$(tr ' ' '_' < "$d/comm" 2>/dev/null)" \
      '{sub(/.*\) /, ""); print n, $12 + $13; if ($14 + $15 > 0) print n "(children)", $14 + $15}' "$d/stat" 2>/dev/null
  done 2>/dev/null
  awk '/^cpu /{print "=busy", $2+$3+$4+$7+$8; print "=idle", $5+$6}' /proc/stat
}
# Per thread of a process: "name count" of the times it went to sleep and was woken (voluntary context switches).
thread_wakeups() {
  for t in /proc/"$1"/task/*; do
    printf '%s %s\n' "$(tr ' ' '_' < "$t/comm")" "$(awk '/^voluntary_ctxt_switches/ {print $2}' "$t/status")"
  done 2>/dev/null
}
# Per message, for each name, the change between two snapshots: tick_report LABEL BEFORE AFTER MESSAGES [SCALE].
# SCALE turns a count into the printed unit (default: clock ticks to CPU milliseconds).
tick_report() {
  python3 - "$1" "$2" "$3" "$4" "${5:-$(python3 -c "print(1000 / $(getconf CLK_TCK))")}" <<'PY'
import re, sys
def load(f):
    out = {}
    for line in open(f):
        name, ticks = line.rsplit(' ', 1)
        name = re.sub(r'[-#]?[0-9]+(?=$|\()', '', name.strip())
        out[name] = out.get(name, 0) + int(ticks)
    return out
label, a, b, n, scale = sys.argv[1], load(sys.argv[2]), load(sys.argv[3]), int(sys.argv[4]), float(sys.argv[5])
rows = sorted(((b[k] - a.get(k, 0)) * scale / n, k) for k in b)
print('#   %s: ' % label + ', '.join('%s %.3f' % (k, v) for v, k in reversed(rows) if v > 0))
PY
}
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_port() { for _ in $(seq 1 200); do (exec 3<>/dev/tcp/127.0.0.1/"$1") 2>/dev/null && return 0; sleep 0.05; done; echo "port $1 not listening" >&2; return 1; }

work="$(mktemp -d /tmp/caliop-bench.XXXXXX)"
chmod 755 "$work"
pids=()
cleanup() {
  postfix -c "$work/conf" stop >/dev/null 2>&1 || true
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work" "${dkimdir:-}"
}
trap cleanup EXIT

sink=$(free_port); p_none=$(free_port); p_inet=$(free_port); p_unix=$(free_port); p_dkim=$(free_port)
p_floor=$(free_port)
caliop_port=$(free_port); dkim_port=$(free_port)

smtp-sink -u nobody 127.0.0.1:"$sink" 1000 & pids+=($!)

java ${CALIOP_JAVA_OPTS:--Xmx512m} -jar "$jar" --listen "inet:127.0.0.1:$caliop_port,unix:$work/caliop.sock" \
  --unix-socket-mode 0666 ${CALIOP_ARGS:-} > "$work/caliop.log" 2>&1 & caliop_pid=$!; pids+=($caliop_pid)
wait_port "$caliop_port"

# The floor: a do-nothing C milter with caliop's protocol footprint (floor.c), when libmilter-dev is installed.
floor=no
floor_pid=
if [ -f /usr/include/libmilter/mfapi.h ] && cc -O2 ${FLOOR_CFLAGS:-} -o "$work/floor" "$here/floor.c" -lmilter -lpthread; then
  "$work/floor" "unix:$work/floor.sock" & floor_pid=$!; pids+=($floor_pid)
  for _ in $(seq 1 100); do [ -S "$work/floor.sock" ] && break; sleep 0.05; done
  chmod 666 "$work/floor.sock" && floor=yes
fi

dkim=no
dkimdir=
dkim_pid=
if command -v opendkim >/dev/null; then
  # OpenDKIM refuses keys and config under a directory others can write (such as /tmp).
  dkimdir="$(mktemp -d /run/caliop-bench-dkim.XXXXXX)"
  ln -s "$dkimdir" "$work/dkim"
  opendkim-genkey -D "$dkimdir" -d x.test -s bench >/dev/null
  chown -R opendkim "$dkimdir" 2>/dev/null || true
  cat > "$dkimdir/opendkim.conf" <<CONF
Mode s
Domain x.test
Selector bench
KeyFile $dkimdir/bench.private
Socket inet:$dkim_port@127.0.0.1
InternalHosts 127.0.0.0/8
Background no
Syslog no
UserID opendkim
CONF
  opendkim -x "$dkimdir/opendkim.conf" -f & dkim_pid=$!; pids+=($dkim_pid)
  wait_port "$dkim_port" && dkim=yes
fi

mkdir -p "$work/conf" "$work/queue" "$work/data"; chown postfix "$work/data"
cp /etc/postfix/dynamicmaps.cf "$work/conf/" 2>/dev/null || true
cat > "$work/conf/main.cf" <<CONF
compatibility_level = 3.6
queue_directory = $work/queue
data_directory = $work/data
mail_owner = postfix
setgid_group = postdrop
myhostname = mx.bench.test
mydestination =
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
mynetworks = 127.0.0.0/8
smtpd_relay_restrictions = permit_mynetworks, reject
alias_maps =
alias_database =
relayhost = [127.0.0.1]:$sink
default_transport = smtp
smtp_tls_security_level = none
default_process_limit = 200
smtpd_client_connection_count_limit = 0
smtpd_client_connection_rate_limit = 0
in_flow_delay = 0
maillog_file = $work/maillog
maillog_file_prefixes = $work
milter_protocol = 6
milter_default_action = tempfail
${POSTFIX_MAIN_CF:-}
CONF
cat > "$work/conf/master.cf" <<CONF
127.0.0.1:$p_none inet n - n - - smtpd -o smtpd_milters=
127.0.0.1:$p_inet inet n - n - - smtpd -o smtpd_milters=inet:127.0.0.1:$caliop_port
127.0.0.1:$p_unix inet n - n - - smtpd -o smtpd_milters=unix:$work/caliop.sock
127.0.0.1:$p_dkim inet n - n - - smtpd -o smtpd_milters=inet:127.0.0.1:$dkim_port
127.0.0.1:$p_floor inet n - n - - smtpd -o smtpd_milters=unix:$work/floor.sock
pickup    unix n - n 60 1 pickup
cleanup   unix n - n - 0 cleanup
qmgr      unix n - n 300 1 qmgr
rewrite   unix - - n - - trivial-rewrite
bounce    unix - - n - 0 bounce
defer     unix - - n - 0 bounce
trace     unix - - n - 0 bounce
verify    unix - - n - 1 verify
flush     unix n - n 1000? 0 flush
proxymap  unix - - n - - proxymap
smtp      unix - - n - - smtp
relay     unix - - n - - smtp
showq     unix n - n - - showq
error     unix - - n - - error
retry     unix - - n - - error
discard   unix - - n - - discard
anvil     unix - - n - 1 anvil
scache    unix - - n - 1 scache
postlog   unix-dgram n - n - 1 postlogd
CONF
postfix -c "$work/conf" start >/dev/null 2>&1
for p in $p_none $p_inet $p_unix $p_dkim $p_floor; do wait_port "$p"; done

out="$root/bench/results/milter-$(date -u +%Y%m%dT%H%M%SZ).txt"
mkdir -p "$(dirname "$out")"
{
  echo "# caliop milter benchmark, $(date -u), $(nproc) cores, $messages messages of 10 KB per run"
  echo "# $(postconf -d mail_version 2>/dev/null), $(java -version 2>&1 | head -1)"
  printf '%-12s %8s %14s %14s %10s %10s %14s\n' mode sessions source_msgs/s py_msgs/s p50_ms p99_ms milter_cpu_ms
} | tee "$out"

# The daemon's JIT compiler would otherwise be counted in the first runs (C2 was the busiest thread in a JFR
# profile of a cold daemon): warm it up first, as a long-running daemon is, through both transports (TCP and
# unix sockets run different netty code: warmed through one only, the other's first rows paid for its compilation)
# and with one and with many sessions.
for wp in $p_unix $p_inet; do
  smtp-source -s 8 -m "${WARMUP:-8000}" -l 10240 -f sender@x.test -t rcpt@y.test 127.0.0.1:"$wp"
  smtp-source -s 1 -m $(( ${WARMUP:-8000} / 3 )) -l 10240 -f sender@x.test -t rcpt@y.test 127.0.0.1:"$wp"
done
# PROFILE=file.jfr: a JFR profile of the daemon over the measured runs only (after the warm-up).
[ -n "${PROFILE:-}" ] && jcmd "$caliop_pid" JFR.start name=bench settings=profile >/dev/null
declare -A port_of=([none]=$p_none [caliop-inet]=$p_inet [caliop-unix]=$p_unix [opendkim]=$p_dkim [floor]=$p_floor)
for mode in ${MODES-none floor caliop-inet caliop-unix opendkim}; do
  port="${port_of[$mode]}"
  [ "$mode" = opendkim ] && [ "$dkim" != yes ] && { echo "# opendkim not installed: skipped" | tee -a "$out"; continue; }
  [ "$mode" = floor ] && [ "$floor" != yes ] && { echo "# floor: libmilter-dev not installed: skipped" | tee -a "$out"; continue; }
  for s in ${SESSIONS:-1 8 32}; do
    smtp-source -s "$s" -m 200 -l 10240 -f sender@x.test -t rcpt@y.test 127.0.0.1:"$port"   # warm-up
    case "$mode" in caliop-*) mpid=$caliop_pid ;; opendkim) mpid=$dkim_pid ;; floor) mpid=$floor_pid ;; *) mpid= ;; esac
    c0=$(cpu_ticks "$mpid")
    [ "${THREADS:-no}" = yes ] && proc_ticks > "$work/procs0"
    [ "${THREADS:-no}" = yes ] && [ -n "$mpid" ] && thread_ticks "$mpid" > "$work/threads0" \
      && thread_wakeups "$mpid" > "$work/wakeups0"
    t0=$(date +%s.%N)
    if [ "${PERF_STAT:-no}" = yes ]; then
      perf stat -a -x, -e task-clock,context-switches,cpu-migrations -o "$work/perf" -- \
        smtp-source -s "$s" -m "$messages" -l 10240 -f sender@x.test -t rcpt@y.test 127.0.0.1:"$port"
    else
      smtp-source -s "$s" -m "$messages" -l 10240 -f sender@x.test -t rcpt@y.test 127.0.0.1:"$port"
    fi
    t1=$(date +%s.%N)
    [ "${PERF_STAT:-no}" = yes ] && awk -F, -v n="$messages" '$3 ~ /task-clock|context-switches|cpu-migrations/ \
      {printf "%s%s %.3f", sep, $3, $1 / n; sep = ", "} END {print ""}' "$work/perf" | sed 's/^/#   per message: /' | tee -a "$out"
    c1=$(cpu_ticks "$mpid")
    [ "${THREADS:-no}" = yes ] && [ -n "$mpid" ] && thread_ticks "$mpid" > "$work/threads1" \
      && tick_report "threads (CPU ms/msg)" "$work/threads0" "$work/threads1" "$messages" | tee -a "$out" \
      && thread_wakeups "$mpid" > "$work/wakeups1" \
      && tick_report "threads (wake-ups/msg)" "$work/wakeups0" "$work/wakeups1" "$messages" 1 | tee -a "$out"
    [ "${THREADS:-no}" = yes ] && proc_ticks > "$work/procs1" \
      && tick_report "processes (CPU ms/msg)" "$work/procs0" "$work/procs1" "$messages" | tee -a "$out"
    cpu=$(python3 -c "print('%.3f' % (($c1 - $c0) * 1000 / $(getconf CLK_TCK) / $messages) if '$mpid' else '-')")
    src=$(python3 -c "print('%.1f' % ($messages / ($t1 - $t0)))")
    lat=$(python3 "$here/latency.py" --port "$port" --sessions "$s" --messages $((messages / 2)) --size 10240)
    py=$(sed -n 's/.*msgs_per_s=\([0-9.]*\).*/\1/p' <<<"$lat")
    p50=$(sed -n 's/.*p50_ms=\([0-9.]*\).*/\1/p' <<<"$lat")
    p99=$(sed -n 's/.*p99_ms=\([0-9.]*\).*/\1/p' <<<"$lat")
    printf '%-12s %8s %14s %14s %10s %10s %14s\n' "$mode" "$s" "$src" "$py" "$p50" "$p99" "$cpu" | tee -a "$out"
  done
done

[ -n "${PROFILE:-}" ] && jcmd "$caliop_pid" JFR.stop name=bench filename="$(realpath -m "$PROFILE")" >/dev/null
[ "${RSS:-yes}" = yes ] || exit 0
rss_before=$(ps -o rss= -p "$caliop_pid" | tr -d ' ')
ulimit -n 8192 2>/dev/null || true
timeout 600 python3 "$here/sessions.py" --port "$caliop_port" --sessions 1000 --hold 5 > "$work/sessions.out" &
sp=$!
for _ in $(seq 1 600); do grep -q open= "$work/sessions.out" 2>/dev/null && break; sleep 0.1; done
sleep 2
rss_open=$(ps -o rss= -p "$caliop_pid" | tr -d ' ')
wait "$sp"
{
  echo "# caliop daemon RSS: ${rss_before} KiB after the runs above; ${rss_open} KiB with $(sed -n 's/open=//p' "$work/sessions.out") concurrent milter sessions mid-message; $(sed -n 's/answered=//p' "$work/sessions.out") answered at end of message"
  echo "# caliop log lines: $(grep -c 'caliop: score=' "$work/caliop.log" || true), errors: $(grep -c ' error=' "$work/caliop.log" || true)"
} | tee -a "$out"
