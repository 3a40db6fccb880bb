#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# runner.sh DIR NAME...: run the named test programs and scripts from DIR
# as kselftest's "make run_tests" does (make -C selftests run_tests calls
# it): TAP 13 with a plan, each test's own output as "# " lines, then
# "ok N selftests: shadowipc: NAME", "not ok ... # exit=RC", "... # SKIP"
# (exit 4, KSFT_SKIP) or "not ok ... # TIMEOUT N seconds"
# (SHADOWIPC_TEST_TIMEOUT, default 300). Exits 1 after any failure.
# Without /dev/shadowipc every test is skipped (the runner never loads the
# module; the scripts among the tests unload and reload the one it finds
# in SHADOWIPC_MODULE).
dir=$1
shift
timeout_s=${SHADOWIPC_TEST_TIMEOUT:-300}
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT
echo "TAP version 13"
echo "1..$#"
n=0 failed=0
for t; do
	n=$((n + 1))
	name="selftests: shadowipc: $t"
	if [ ! -e /dev/shadowipc ]; then
		echo "ok $n $name # SKIP /dev/shadowipc absent: load the module first"
		continue
	fi
	echo "# $name"
	{
		timeout "$timeout_s" "$dir/$t" 2>&1
		echo $? >"$tmp/rc"
	} | sed 's/^/# /'
	rc=$(cat "$tmp/rc")
	case $rc in
	0) echo "ok $n $name" ;;
	4) echo "ok $n $name # SKIP" ;;
	124)
		failed=1
		echo "not ok $n $name # TIMEOUT $timeout_s seconds"
		;;
	*)
		failed=1
		echo "not ok $n $name # exit=$rc"
		;;
	esac
done
exit $failed
