#!/usr/bin/env bash
# Reproduce every figure of BENCHMARKS.md (about 6 minutes on 2 cores; BIG=1 adds the 100,000-report build,
# about 8 minutes more). Run from the project root.
set -euo pipefail
out=${1:-/tmp/perfwarehouse-bench}
mkdir -p "$out"
py="uv run --extra dev python"
probe() {  # the machine's speed now: one core, pure Python (about 0.4 s when this VM is fast)
  python3 -c "import time; t = time.perf_counter(); sum(i * i for i in range(5_000_000)); print(f'speed probe: {time.perf_counter() - t:.2f} s')"
}
probe
echo "## 0: parse speed against the commit before issue 20 (111ddc8), alternating, same files, one core"
base="$out/base-111ddc8"
[ -d "$base" ] || git worktree add --detach "$base" 111ddc8 >/dev/null
$py -m benchmarks.synth --n 60 --seed 1 --out "$out/synth60" >/dev/null
for code in "$base" "$PWD" "$base" "$PWD"; do
  $py benchmarks/parse_speed.py --code "$code" --rounds 7 raw
  $py benchmarks/parse_speed.py --code "$code" --rounds 3 "$out/synth60/raw"
done
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
if [ "${BIG:-0}" = 1 ]; then  # (about 8 minutes more)
  echo "## 7: 100,000 reports"
  $py -m benchmarks.build_scale --n 100000 --seed 7 --out "$out/100k"
fi
$py -m benchmarks.dbt_compare --warehouse "$out/10k/warehouse.duckdb" --dbt "$out/dbtvenv/bin/dbt" --out "$out/dbt"
probe
