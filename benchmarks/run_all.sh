#!/usr/bin/env bash
# Reproduce every figure of BENCHMARKS.md (about 4 minutes on 2 cores). Run from the project root.
set -euo pipefail
out=${1:-/tmp/perfwarehouse-bench}
mkdir -p "$out"
py="uv run --extra dev python"
probe() {  # the machine's speed now: one core, pure Python (about 0.4 s when this VM is fast)
  python3 -c "import time; t = time.perf_counter(); sum(i * i for i in range(5_000_000)); print(f'speed probe: {time.perf_counter() - t:.2f} s')"
}
probe
echo "## 1, 6: parse throughput and synthetic F1 (500 reports, seed 1)"
$py -m benchmarks.score_synth --misses 0
echo "## 2b: 1,000 reports"
$py -m benchmarks.build_scale --n 1000 --seed 3 --out "$out/1k"
echo "## 2c, 3, 3b, 4: 10,000 reports"
$py -m benchmarks.build_scale --n 10000 --seed 5 --out "$out/10k"
echo "## 5b: our model run vs dbt-duckdb on the 10,000-report warehouse"
if [ ! -x "$out/dbtvenv/bin/dbt" ]; then
  python3 -m venv "$out/dbtvenv"
  "$out/dbtvenv/bin/pip" install --quiet 'dbt-core<1.12' dbt-duckdb
fi
$py -m benchmarks.dbt_compare --warehouse "$out/10k/warehouse.duckdb" --dbt "$out/dbtvenv/bin/dbt" --out "$out/dbt"
probe
