# Sourced by the benchmark scripts: `seconds DIGITS COMMAND...` runs COMMAND with its
# output discarded and prints the wall-clock seconds it took, to DIGITS decimals.
seconds() {
    local digits=$1 t0 t1
    shift
    t0=$(date +%s.%N)
    "$@" > /dev/null
    t1=$(date +%s.%N)
    python3 -c "print('%.${digits}f' % ($t1 - $t0))"
}
