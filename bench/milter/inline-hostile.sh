#!/usr/bin/env bash
# What the engine costs on hostile messages no larger than caliop_inline_judge_size (64 KiB), the ones the milter
# judges on its network thread: thousands of distinct fields (ours and others), lines that are no field, Received and
# Authentication-Results by the hundred, 64 levels of nested multiparts (boundaries distinct, or prefixes of one
# another), nested messages, 1,500 parts, armor lines. Each shape is judged in one JVM for SECONDS of CPU time after
# as much warm-up; the figure is CPU time of the judging thread per message, which other builds on the machine
# change far less than the wall clock (org.caliop.bench.HostileInline).
# Usage: bench/milter/inline-hostile.sh [SECONDS]   (default 2)
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
seconds="${1:-2}"
jar="$root/bench/target/benchmarks.jar"
[ -f "$jar" ] || (cd "$root" && mvn -q -B -ntp -DskipTests -pl policy,bench package)
java -cp "$jar" org.caliop.bench.HostileInline "$seconds"
