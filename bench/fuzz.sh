#!/usr/bin/env bash
# Runs the fuzz tests (docs/robustness.md) one after the other, each for SECONDS, ROUNDS times over, at the lowest
# CPU priority; appends one line per run to bench/results/fuzz-runs.tsv (date, target, seconds asked, executions,
# wall seconds including the build, findings) and keeps each run's log in bench/results/fuzz-logs/. New coverage
# accumulates in MODULE/.cifuzz-corpus; a failing input is written to
# MODULE/src/test/resources/.../CLASSInputs/METHOD/ (commit it once fixed: every build replays it).
#
# Usage: bench/fuzz.sh [SECONDS] [ROUNDS] [TARGET...]       (defaults: 600, 1, every target)
#   TARGET is module:TestClass, e.g. policy:EngineFuzzTest, milter:MilterPacketFuzzTest, mailets:CaliopScoreFuzzTest.
# Offline (-o): the dependencies must be in ~/.m2 already (any earlier build of the project put them there).
set -uo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
seconds="${1:-600}"
rounds="${2:-1}"
shift $(( $# > 2 ? 2 : $# ))
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
  targets=(policy:ReceivedParserFuzzTest policy:AuthResultsParserFuzzTest policy:MessageScanFuzzTest
           policy:EngineFuzzTest policy:EngineAmplifiedFuzzTest policy:PolicyLoaderFuzzTest
           milter:MilterPacketFuzzTest mailets:CaliopScoreFuzzTest)
fi
results="$root/bench/results"
mkdir -p "$results/fuzz-logs"
summary="$results/fuzz-runs.tsv"
[ -f "$summary" ] || printf 'date\ttarget\tseconds_asked\texecutions\twall_seconds\tfindings\n' > "$summary"

for ((round = 1; round <= rounds; round++)); do
  for target in "${targets[@]}"; do
    module="${target%%:*}"
    class="${target#*:}"
    stamp="$(date -u +%Y%m%dT%H%M%SZ)"
    log="$results/fuzz-logs/$stamp-$class.log"
    t0=$(date +%s)
    (cd "$root" && nice -n 19 mvn -B -ntp -o -Pfuzz -Dfuzz.seconds="$seconds" -pl "$module" -am test \
      -Dtest="$class" -Dsurefire.failIfNoSpecifiedTests=false) > "$log" 2>&1
    ran=$(( $(date +%s) - t0 ))
    # libFuzzer's final stats (-print_final_stats=1), also printed when a finding stops the run early.
    runs="$(grep -a -o 'stat::number_of_executed_units: [0-9]*' "$log" | tail -1 | awk '{print $2}')"
    findings="$(grep -a -c 'Test unit written to' "$log")"
    printf '%s\t%s\t%s\t%s\t%s\t%s\n' "$stamp" "$target" "$seconds" "${runs:-?}" "${ran:-?}" "$findings" \
      >> "$summary"
    tail -1 "$summary"
  done
done
