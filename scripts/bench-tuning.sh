#!/usr/bin/env bash
# Benchmarks of tuning and the kernel cache (docs/performance.md, "Tuning and cache"). Not a test.
#
#   scripts/bench-tuning.sh [OUT_DIR]
#
# 1. Tuned vs default schedule: `tessera tune` on softmax, layernorm and matmul at the CLI's default shapes.
#    Its table compares the default and the winner measured side by side in one process (the tuner's
#    confirmation rounds alternate between them and pool the samples). Then, as a second check in separate
#    processes, `tessera run` with the tuned and with the default schedule, alternately, ROUNDS times each.
# 2. Cold vs warm process: wall time of `tessera run FILE --repeat 1` (one kernel: process start to first
#    result, plus exit) with empty caches (Tessera's and PoCL's), with both caches warm, with PoCL's warm
#    but Tessera's empty, and with Tessera's warm (it holds the program binary) but PoCL's empty, alternately,
#    ROUNDS times each.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$here/scripts/find-jdk.sh"
out="${1:-$(mktemp -d)}"
rounds="${ROUNDS:-5}"
jar="$here/cli/target/tessera.jar"
[ -f "$jar" ] || (cd "$here" && ./mvnw -q -B -DskipTests package -pl cli -am)
tessera() { "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -XX:+UseSerialGC -Xss8m -jar "$jar" "$@"; }
now_ms() { date +%s%3N; }
# The median time of `tessera run` lines, in microseconds.
us_of() { sed -E 's/.*median +([0-9.]+) (us|ms).*/\1 \2/' | awk '{print ($2 == "ms" ? $1 * 1000 : $1)}'; }
median() { sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
mkdir -p "$out"
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'); load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "results in $out"

echo "== 1. tuned vs default (PoCL, CLI default shapes) =="
export POCL_CACHE_DIR="$out/pocl-tune"
for k in softmax layernorm matmul; do
  budget=60s; [ "$k" = matmul ] && budget=300s
  tessera tune "$here/examples/$k.tsr" --budget "$budget" --progress none --cache-dir "$out/tune-cache" \
    > "$out/tune-$k.txt"
  grep -A1 '^kernel ' "$out/tune-$k.txt" | tail -1
done
echo "-- second check: tessera run, tuned (--device auto) vs default (--device opencl), alternately, $rounds rounds"
for k in softmax layernorm matmul; do
  rep=9; [ "$k" = matmul ] && rep=3
  : > "$out/run-$k-tuned.txt"; : > "$out/run-$k-default.txt"
  for r in $(seq "$rounds"); do
    tessera run "$here/examples/$k.tsr" --repeat $rep --cache-dir "$out/tune-cache" | tail -1 >> "$out/run-$k-tuned.txt"
    tessera run "$here/examples/$k.tsr" --repeat $rep --device opencl | tail -1 >> "$out/run-$k-default.txt"
  done
  t=$(us_of < "$out/run-$k-tuned.txt" | median)
  d=$(us_of < "$out/run-$k-default.txt" | median)
  awk -v k="$k" -v t="$t" -v d="$d" 'BEGIN {printf "%-10s default %10.1f us   tuned %10.1f us   speedup %.2fx\n", k, d, t, d/t}'
done

echo "== 2. cold vs warm process: tessera run examples/softmax.tsr --repeat 1 =="
unset POCL_CACHE_DIR
: > "$out/cold.txt"; : > "$out/warm.txt"; : > "$out/tessera-cold.txt"; : > "$out/pocl-cold.txt"
warm_t="$out/warm-tessera"; warm_p="$out/warm-pocl"
POCL_CACHE_DIR="$warm_p" tessera run "$here/examples/softmax.tsr" --repeat 1 --cache-dir "$warm_t" > /dev/null
for r in $(seq "$rounds"); do
  rm -rf "$out/cold-t" "$out/cold-p"
  s=$(now_ms); POCL_CACHE_DIR="$out/cold-p" tessera run "$here/examples/softmax.tsr" --repeat 1 --cache-dir "$out/cold-t" > /dev/null; e=$(now_ms)
  echo $((e - s)) >> "$out/cold.txt"
  s=$(now_ms); POCL_CACHE_DIR="$warm_p" tessera run "$here/examples/softmax.tsr" --repeat 1 --cache-dir "$warm_t" > /dev/null; e=$(now_ms)
  echo $((e - s)) >> "$out/warm.txt"
  rm -rf "$out/cold-t"
  s=$(now_ms); POCL_CACHE_DIR="$warm_p" tessera run "$here/examples/softmax.tsr" --repeat 1 --cache-dir "$out/cold-t" > /dev/null; e=$(now_ms)
  echo $((e - s)) >> "$out/tessera-cold.txt"
  rm -rf "$out/cold-p"
  s=$(now_ms); POCL_CACHE_DIR="$out/cold-p" tessera run "$here/examples/softmax.tsr" --repeat 1 --cache-dir "$warm_t" > /dev/null; e=$(now_ms)
  echo $((e - s)) >> "$out/pocl-cold.txt"
done
c=$(median < "$out/cold.txt"); w=$(median < "$out/warm.txt"); tc=$(median < "$out/tessera-cold.txt")
pc=$(median < "$out/pocl-cold.txt")
echo "cold (both caches empty):            median $c ms   ($(tr '\n' ' ' < "$out/cold.txt"))"
echo "Tessera cache empty, PoCL's warm:    median $tc ms   ($(tr '\n' ' ' < "$out/tessera-cold.txt"))"
echo "Tessera cache warm, PoCL's empty:    median $pc ms   ($(tr '\n' ' ' < "$out/pocl-cold.txt"))"
echo "warm (both caches hold the kernel):  median $w ms   ($(tr '\n' ' ' < "$out/warm.txt"))"
awk -v c="$c" -v w="$w" -v t="$tc" -v p="$pc" 'BEGIN {printf "cold/warm %.2fx; Tessera cache effect (PoCL warm) %.2fx; PoCL cache effect (Tessera warm) %.2fx\n", c/w, t/w, p/w}'
