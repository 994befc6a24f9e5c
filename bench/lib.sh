# Shared by the bench scripts: median_ms RUNS COMMAND... prints the median wall time in ms. With
# BEFORE_EACH set to a command, that command runs untimed before each run. A run that fails fails the bench.
median_ms() {
  local runs=$1 times=()
  shift
  for _ in $(seq 1 "$runs"); do
    [ -z "${BEFORE_EACH:-}" ] || $BEFORE_EACH >/dev/null 2>&1
    local start end
    start=$(date +%s%N)
    "$@" >/dev/null 2>&1 || { echo "bench: failed: $*" >&2; return 1; }
    end=$(date +%s%N)
    times+=($(( (end - start) / 1000000 )))
  done
  printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'
}
