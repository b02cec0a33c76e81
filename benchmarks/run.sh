#!/usr/bin/env bash
# Runs Janus's benchmark suite and its PyTorch peer, and writes the generated section of docs/benchmarks.md
# (tables, targets, allocation) and docs/benchmarks-suite.svg.
#
#   benchmarks/run.sh [--quick] [--no-build] [--no-torch]
#
#   --quick     short warm-up and measurement (1 × 0.5 s warm-up, 3 × 0.5 s measured per benchmark, 2 cold forks;
#               PyTorch 3 rounds of ~0.1 s): under five minutes on 2 cores, noisy figures
#   --no-build  use the existing benchmarks/target/benchmarks.jar
#   --no-torch  leave the PyTorch columns empty
#
# Environment: THREADS (default 2: Janus's -Djanus.threads, ONNX Runtime's intra-op threads and PyTorch's
# torch.set_num_threads), MVN_FLAGS (extra Maven flags for the build, e.g. -o), PYTHON (default
# /usr/bin/python3, Debian's interpreter with python3-torch). Raw results go to benchmarks/target/bench/.
set -euo pipefail
cd "$(dirname "$0")/.."

quick=0 build=1 torch=1
for arg in "$@"; do
  case "$arg" in
    --quick) quick=1 ;;
    --no-build) build=0 ;;
    --no-torch) torch=0 ;;
    -h|--help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
    *) echo "unknown option $arg (try --help)" >&2; exit 64 ;;
  esac
done

threads=${THREADS:-2}
command="benchmarks/run.sh${*:+ $*}"
if [[ -n "${MVN_FLAGS:-}" && $build == 1 ]]; then command="MVN_FLAGS='$MVN_FLAGS' $command"; fi
if [[ -n "${THREADS:-}" ]]; then command="THREADS=$THREADS $command"; fi
out=benchmarks/target/bench
jar=benchmarks/target/benchmarks.jar
load_start=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo unknown)
started=$SECONDS

if [[ $build == 1 ]]; then
  echo "== building the benchmarks jar" >&2
  # shellcheck disable=SC2086 # MVN_FLAGS is a list of flags
  mvn ${MVN_FLAGS:-} -q -B -pl benchmarks -am package -DskipTests
fi
mkdir -p "$out"
rm -f "$out"/jmh.json "$out"/jmh-cold.json "$out"/torch.json

if [[ $quick == 1 ]]; then
  jmh_opts=(-f 1 -wi 1 -w 500ms -i 3 -r 500ms) cold_forks=2 torch_opts=(--quick)
else
  jmh_opts=() cold_forks=5 torch_opts=()
fi

echo "== JMH: eager, traced, ONNX Runtime; warm tracing; archive load" >&2
java -jar "$jar" TracedVsEager 'TraceTime.*(traceWarm|archiveLoad)' "${jmh_opts[@]}" -prof gc \
  -jvmArgsAppend "-Djanus.threads=$threads" \
  -rf json -rff "$out/jmh.json"
echo "== JMH: cold tracing ($cold_forks fresh JVMs per model)" >&2
java -jar "$jar" 'TraceTime.*traceCold' -f "$cold_forks" -jvmArgsAppend "-Djanus.threads=$threads" \
  -rf json -rff "$out/jmh-cold.json"

torch_json=()
if [[ $torch == 1 ]]; then
  echo "== PyTorch peer" >&2
  if "${PYTHON:-/usr/bin/python3}" benchmarks/peers/torch_workloads.py "${torch_opts[@]}" --threads "$threads" --out "$out/torch.json"; then
    torch_json=(--torch "$out/torch.json")
  else
    echo "the PyTorch peer did not report (exit $?); its columns stay empty" >&2
  fi
fi

echo "== report (after $((SECONDS - started)) s)" >&2
java -cp "$jar" dev.janus.bench.BenchReport --jmh "$out/jmh.json" --jmh "$out/jmh-cold.json" "${torch_json[@]}" \
  --markdown docs/benchmarks.md --svg docs/benchmarks-suite.svg --command "$command" --loadavg-start "$load_start" --threads "$threads"
echo "== done in $((SECONDS - started)) s: docs/benchmarks.md, docs/benchmarks-suite.svg, raw results in $out" >&2
