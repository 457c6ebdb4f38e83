#!/usr/bin/env bash
# The daily syndicate job, for cron or any orchestrator.
#
#   pipelines/run_daily.sh DATA_DIR RUNS_ROOT [RUN_NAME]
#
# Writes RUNS_ROOT/RUN_NAME (default: today's UTC date, YYYY-MM-DD) with report.html and
# alerts.json, keeps cluster ids from the latest earlier run under RUNS_ROOT, and records the
# run in RUNS_ROOT/history.duckdb. Re-running a day replaces that day's folder atomically.
#
# Exit codes: 0 done, no alert; 3 done, an alert fired (page someone: read alerts.json);
# 2 bad input or config, nothing written; 75 another run holds the lock; anything else: the
# run crashed and the previous runs are intact.
set -euo pipefail

DATA_DIR=${1:?usage: run_daily.sh DATA_DIR RUNS_ROOT [RUN_NAME]}
RUNS_ROOT=${2:?usage: run_daily.sh DATA_DIR RUNS_ROOT [RUN_NAME]}
RUN_NAME=${3:-$(date -u +%F)}
HERE=$(cd "$(dirname "$0")" && pwd)
CONFIG=${SYNDICATE_CONFIG:-$HERE/daily.toml}
SYNDICATE=${SYNDICATE:-syndicate}   # e.g. SYNDICATE=/opt/syndicate/.venv/bin/syndicate

# One run at a time per runs root: `syndicate run --runs-root` itself holds RUNS_ROOT/.lock
# (exit 75 when another run has it), so the Python API and the CLI are guarded alike.
"$SYNDICATE" run "$DATA_DIR" --runs-root "$RUNS_ROOT" --name "$RUN_NAME" --config "$CONFIG" \
    --fail-on-alert --quiet
