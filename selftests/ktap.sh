# SPDX-License-Identifier: GPL-2.0
# KTAP for the *_test.sh scripts, which source this file (it is no test
# of its own): ok and skip print one result each, ktap_done the plan and
# the "# Totals:" line that run-suite reads, and returns non-zero after
# any failure. The counts are n, pass, fail and skip.
n=0 pass=0 fail=0 skip=0

# ok STATUS DESCRIPTION: passes when STATUS (an exit status) is 0
ok() {
	n=$((n + 1))
	if [ "$1" -eq 0 ]; then
		pass=$((pass + 1)); echo "ok $n $2"
	else
		fail=$((fail + 1)); echo "not ok $n $2"
	fi
}

# skip DESCRIPTION REASON
skip() { n=$((n + 1)); skip=$((skip + 1)); echo "ok $n $1 # SKIP $2"; }

ktap_done() {
	echo "1..$n"
	echo "# Totals: pass:$pass fail:$fail xfail:0 xpass:0 skip:$skip error:0"
	[ "$fail" -eq 0 ]
}
