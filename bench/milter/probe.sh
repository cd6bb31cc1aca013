#!/usr/bin/env bash
# A milter's latency in isolation (no MTA): caliop's daemon and the do-nothing floor (floor.c), each on a unix
# socket, probed in turn by probe.py. Usage: bench/milter/probe.sh [MESSAGES]   (default 3000; libmilter-dev needed
# for the floor; CALIOP_JAR runs another build of the daemon)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(cd "$here/../.." && pwd)"
version="$(sed -n 's:^  <version>\(.*\)</version>$:\1:p' "$root/pom.xml" | head -1)"
messages="${1:-3000}"
jar="${CALIOP_JAR:-$root/milter/target/caliop-milter-$version-all.jar}"
[ -f "$jar" ] || (cd "$root" && mvn -q -B -ntp -DskipTests -pl milter -am package)
work="$(mktemp -d /tmp/caliop-probe.XXXXXX)"
pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"' EXIT
java -Xmx512m -jar "$jar" --listen "unix:$work/caliop.sock" > "$work/caliop.log" 2>&1 & pids+=($!)
cc -O2 -o "$work/floor" "$here/floor.c" -lmilter -lpthread
"$work/floor" "unix:$work/floor.sock" > "$work/floor.log" 2>&1 & pids+=($!)
for s in caliop floor; do for _ in $(seq 1 200); do [ -S "$work/$s.sock" ] && break; sleep 0.05; done; done
for _ in 1 2 3; do python3 "$here/probe.py" --unix "$work/caliop.sock" --messages 5000 > /dev/null; done  # JIT warm-up
for s in caliop floor; do
  for i in 1 2; do echo "$s run $i: $(python3 "$here/probe.py" --unix "$work/$s.sock" --messages "$messages")"; done
done
