#!/bin/sh
# Runs every libFuzzer target of tests/fuzz for a bounded time.
#   tests/fuzz/run.sh BUILD_DIR SECONDS
# The working corpus of target fuzz_X lives in BUILD_DIR/corpus/X and is
# seeded from tests/fuzz/corpus/X, tests/fuzz/regressions/X and, for the
# report parser, the reports under data/ and tests/data/.  A crash leaves
# its input in BUILD_DIR/artifacts/; fix it, then keep the input under
# tests/fuzz/regressions/X/ (replayed by tests/unit/test_fuzz_replay.c).
set -eu
B=${1:?usage: run.sh BUILD_DIR SECONDS}
SECONDS_EACH=${2:-60}
TOP=$(cd "$(dirname "$0")/../.." && pwd)
export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}"
mkdir -p "$B/artifacts"
status=0
for bin in "$B"/fuzz_*; do
	[ -x "$bin" ] || continue
	name=$(basename "$bin" | sed 's/^fuzz_//')
	corpus="$B/corpus/$name"
	mkdir -p "$corpus"
	seeds="$TOP/tests/fuzz/corpus/$name $TOP/tests/fuzz/regressions/$name"
	if [ "$name" = report ]; then
		# The report target reads its first byte as options: prefix 0x00.
		for f in "$TOP"/data/*.txt "$TOP"/tests/data/*.txt; do
			s="$corpus/seed-$(basename "$f")"
			[ -f "$s" ] || { printf '\000'; cat "$f"; } >"$s"
		done
	fi
	echo "fuzz: $name for ${SECONDS_EACH}s"
	# shellcheck disable=SC2086
	if ! "$bin" -max_total_time="$SECONDS_EACH" -max_len=65536 -timeout=10 \
		-rss_limit_mb=2048 -print_final_stats=1 \
		-artifact_prefix="$B/artifacts/$name-" "$corpus" $seeds; then
		echo "fuzz: $name FAILED; input in $B/artifacts/" >&2
		status=1
	fi
done
exit $status
