#!/usr/bin/env bash
# Profiles caliop inside an in-process Apache James: runs mailets' JamesThroughputIT (docs/BENCHMARKS.md#james) with
# Java Flight Recorder, then sums the CPU samples of the timed runs only (not server start, not warm-up) by where
# they were: caliop's engine, caliop's adapter, James's mailbox, SMTP, queue, mailet container, the rest; and lists
# the hottest methods of caliop's two parts.
#
#   bench/james/profile.sh [VARIANTS] [ROUNDS] [WARMUP] [MESSAGES]
#
# VARIANTS: comma-separated, default "bare,caliop" (JamesThroughputIT's -Dcaliop.bench.variants); ROUNDS default 1;
# WARMUP default 3000; MESSAGES default 2000. Run from the project root; writes target/james-profile/{run.log,rec.jfr,
# summary.txt}. Needs python3 and the JDK's jfr tool. JFR samples every millisecond (method-profiling=max) and
# costs some CPU itself: compare variants within one profile, take CPU figures from the plain benchmark run.
# REFERENCE=/ABSOLUTE/DIR (an earlier build's two jars) adds the run "reference" (JamesThroughputIT's -Dcaliop.bench.reference).
set -euo pipefail
cd "$(dirname "$0")/../.."
variants=${1:-bare,caliop}
rounds=${2:-1}
warmup=${3:-3000}
messages=${4:-2000}
out=$PWD/target/james-profile
mkdir -p "$out"
rm -f "$out/rec.jfr"
mvn -B -ntp -pl mailets -am verify -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false \
    -Dit.test=JamesThroughputIT -Dcaliop.bench=true -Dcaliop.log.level=WARN \
    -Dcaliop.bench.variants="$variants" -Dcaliop.bench.rounds="$rounds" -Dcaliop.bench.warmup="$warmup" \
    -Dcaliop.bench.messages="$messages" -Dcaliop.bench.reference="${REFERENCE:-}" \
    "-DargLine=-XX:StartFlightRecording=filename=$out/rec.jfr,settings=profile,method-profiling=max" > "$out/run.log" 2>&1
jfr print --json --events jdk.ExecutionSample --stack-depth 256 "$out/rec.jfr" \
    | python3 bench/james/jfr_windows.py "$out/run.log" 15 | tee "$out/summary.txt"
