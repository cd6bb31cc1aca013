#!/usr/bin/env bash
# The long fault run with a real Postfix (docs/robustness.md#faults): MESSAGES messages from SESSIONS concurrent SMTP
# clients through a private Postfix and the caliop daemon, while the daemon is killed with SIGKILL at random moments
# and restarted, the policy file is rewritten every second (valid and broken in turn) and reloaded, and the spill
# directory (a 2 MiB tmpfs) is filled now and then. A client keeps a message answered 4xx and sends it again later.
# It prints the counts (delivered once with our headers, lost, duplicated, accepted without a verdict) and appends
# them to bench/results/faults-runs.txt. Needs root and Postfix, as the test does (.ci/run installs them).
# The same test runs in every build with 500 messages (milter/.../PostfixFaultsTest).
# Usage: bench/milter/faults.sh [MESSAGES] [SESSIONS]   (defaults 10000, 32)
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
messages="${1:-10000}"
sessions="${2:-32}"
mkdir -p "$root/bench/results"
log="$root/bench/results/faults-$(date -u +%Y%m%dT%H%M%SZ).log"
(cd "$root" && mvn -B -ntp -pl milter -am test -Dtest=PostfixFaultsTest -Dsurefire.failIfNoSpecifiedTests=false \
  -Dfaults.messages="$messages" -Dfaults.sessions="$sessions" -Dfaults.give_up_s=3600) > "$log" 2>&1 && status=passed || status=FAILED
{
  echo "# $(date -u +%Y-%m-%dT%H:%M:%SZ) $(git -C "$root" rev-parse --short HEAD) bench/milter/faults.sh $messages $sessions: $status"
  cat "$root/milter/target/faults-report.txt" 2>/dev/null || echo "no report: see $log"
} | tee -a "$root/bench/results/faults-runs.txt"
[ "$status" = passed ]
