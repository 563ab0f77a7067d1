#!/bin/sh
# Runs every unit test binary and every integration script of one build.
#   tests/run.sh BUILD_DIR
# Unit tests are cmocka programs (they print their own summaries).
# Integration scripts get KIGEN, KIGEND, TOP and BUILD in the environment and
# fail by exiting non-zero.  A missing tool is a failure, never a skip.
set -u
B=${1:?usage: tests/run.sh BUILD_DIR}
TOP=$(cd "$(dirname "$0")/.." && pwd)
case $B in /*) ;; *) B=$TOP/$B ;; esac
export TOP BUILD="$B" KIGEN="$B/kigen" KIGEND="$B/kigend"
# Sanitizer runs: leaks are errors; faketime needs the link-order check off.
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:verify_asan_link_order=0}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"

pass=0
fail=0
failed=""

for t in "$B"/tests/test_*; do
	[ -x "$t" ] || continue
	if "$t"; then
		pass=$((pass + 1))
	else
		fail=$((fail + 1))
		failed="$failed $(basename "$t")"
	fi
done

# A test that hangs outside its own waits (each bounded by
# KIGEN_TEST_PATIENCE, lib-wait.sh) is stopped after 15 patiences: a guard
# against hanging for ever, not a speed bound (a test on a loaded machine
# with sanitizers can take minutes).
guard=$((15 * ${KIGEN_TEST_PATIENCE:-120}))

for t in "$TOP"/tests/integration/[0-9]*.sh; do
	[ -f "$t" ] || continue
	name=$(basename "$t" .sh)
	log="$B/tests/$name.log"
	mkdir -p "$B/tests"
	if timeout "$guard" sh "$t" >"$log" 2>&1; then
		echo "[  PASSED  ] integration $name"
		pass=$((pass + 1))
	else
		echo "[  FAILED  ] integration $name (log follows)"
		sed 's/^/    /' "$log" | tail -n 40
		fail=$((fail + 1))
		failed="$failed $name"
	fi
done

echo "tests ($(basename "$B")): $pass passed, $fail failed"
[ -z "$failed" ] || echo "failed:$failed"
[ "$fail" -eq 0 ]
