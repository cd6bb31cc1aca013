#!/usr/bin/env bash
# Builds the benchmarks and runs them with the short settings used for docs/BENCHMARKS.md.
# Usage: bench/run-jmh.sh [JMH options or benchmark regex...]   (from the project root or from bench/)
# Example: bench/run-jmh.sh EngineBenchmark -wi 5 -i 10
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -q -B -ntp -pl policy,bench -am package -DskipTests
cd bench
if [ "$#" -eq 0 ]; then
  set -- -wi 2 -i 3 -f 1 -r 2s -w 2s
fi
exec java -jar target/benchmarks.jar "$@"
