#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# shadowipc-bench end to end at its smallest sizes (seconds, not minutes;
# no speed is judged here): every workload gives a figure on both sides,
# the table and the JSON say the same, a ratio is shadow/native, -w and
# --side narrow the run, bad options exit 2, and without the module the
# native side still runs. Expects the module loaded and leaves it loaded.
# KTAP output.
ko=${SHADOWIPC_MODULE:-/lib/shadowipc/shadowipc.ko}
t=/tmp/bench_test.$$
mkdir -p $t
. "$(dirname "$0")/ktap.sh"
small="-r 1 -t 0.05 --segments 1,64 --touch-mib 4 --mem-ns 100 --mem-rounds 1
       --procs 2"
ids="0 0.null 0.enter 1 2.1 2.64 2.flat64 3 4.touch 4.read 5.nons 5.ns 5.cost
     5.mem 5.memobj 6 7.msg 7.sem 8.sem.2 8.msg.2 8.mq.2 8.shm.2 8.mix.sem
     8.mix.msg 8.mix.mq 8.mix.shm 9.sem.2 9.semmany.2 9.msg.2 9.mq.2"

# between FILE NAME: what the bench printed between its NAME markers
between() {
	sed -n "/^----- SHADOWIPC-BENCH-$2 BEGIN -----\$/,/^----- SHADOWIPC-BENCH-$2 END -----\$/p" \
		"$1" | sed '1d;$d'
}
# cell TABLE ID COLUMN: a table cell, trimmed (2 id, 5 native, 6 shadow)
cell() {
	awk -F'|' -v id="$2" -v c="$3" '{ v = $2; gsub(/ /, "", v) }
		v == id { v = $c; sub(/^ +/, "", v); sub(/ +$/, "", v); print v }' "$1"
}
is_figure() { echo "$1" | grep -Eq '^-?[0-9][0-9.]*[kM]? \['; }
# field LINE KEY: the number after the first KEY in a JSON line
field() {
	echo "$1" | awk -v k="$2" '{ i = index($0, k); if (!i) exit 1
		s = substr($0, i + length(k)); sub(/[,}].*/, "", s); print s }'
}
# run NAME ARGS...: shadowipc-bench ARGS, output in $t/NAME.{out,err,table}
run() {
	name=$1
	shift
	shadowipc-bench "$@" >"$t/$name.out" 2>"$t/$name.err"
	rc=$?
	between "$t/$name.out" TABLE >"$t/$name.table"
	return $rc
}

echo "TAP version 13"

# --- every workload, both sides -------------------------------------------
# shellcheck disable=SC2086 # $small holds several options
run all $small --json $t/all.file.json
ok $? "a run of every workload at the smallest sizes exits 0"
sed 's/^/# /' $t/all.err
grep -q '^\[bench\] done in ' $t/all.err &&
	[ "$(grep -c '^\[bench\] ' $t/all.err)" -gt 10 ]
ok $? "progress goes to stderr, a line per workload, then the total"

bad=0
for id in $ids; do
	nat=$(cell $t/all.table "$id" 5) sha=$(cell $t/all.table "$id" 6)
	if ! is_figure "$nat" || ! is_figure "$sha"; then
		echo "# $id: native '$nat' shadow '$sha'"
		bad=1
	fi
done
# the header, then one row per workload
[ "$(grep -c '^| ' $t/all.table)" -eq $(($(echo "$ids" | wc -w) + 1)) ] || bad=1
ok $bad "the table has each workload, with a figure on both sides"

between $t/all.out JSON >$t/all.json
cmp -s $t/all.json $t/all.file.json
ok $? "--json writes the JSON printed on stdout"
bad=0
for id in $ids; do
	grep -q "{\"id\": \"$id\"" $t/all.json || { echo "# no $id in the JSON"; bad=1; }
done
head -c 1 $t/all.json | grep -q '{' && tail -n 1 $t/all.json | grep -q '}$' || bad=1
ok $bad "the JSON has every workload of the table"

# With one round, a rate's ratio (the median of per-round ratios) and a
# cost's (the ratio of the medians) are both shadow / native.
for id in 0.null 5.cost; do
	line=$(grep "{\"id\": \"$id\"" $t/all.json)
	nat=$(field "$line" '"native": {"median": ')
	sha=$(field "$line" '"shadow": {"median": ')
	ratio=$(field "$line" '"ratio": ')
	echo "# $id: native $nat shadow $sha ratio $ratio"
	awk -v n="$nat" -v s="$sha" -v r="$ratio" 'BEGIN {
		if (n == 0 || r == "") exit 1
		d = s / n - r; if (d < 0) d = -d; if (r < 0) r = -r
		exit !(d <= 1e-3 * r) }'
	ok $? "$id: the ratio is shadow / native"
done

# --- narrowing the run ------------------------------------------------------
for side in native shadow; do
	other=$([ $side = native ] && echo shadow || echo native)
	col=$([ $side = native ] && echo 5 || echo 6)
	ocol=$([ $side = native ] && echo 6 || echo 5)
	run side -w 1 --side $side -r 1 -t 0.05
	rc=$?
	is_figure "$(cell $t/side.table 1 "$col")" &&
		[ "$(cell $t/side.table 1 "$ocol")" = "n/a (skipped)" ] &&
		[ "$(grep -c '^| ' $t/side.table)" -eq 2 ]
	ok $((rc | $?)) "-w 1 --side $side: one row, $other skipped"
done

for args in "--side both" "--bogus" "-r 0" "-t 0" "--mem-ns 0" "--procs 0"; do
	# shellcheck disable=SC2086 # the options are words
	shadowipc-bench $args >$t/usage.out 2>&1
	rc=$?
	[ $rc -eq 2 ] && grep -q '^usage: shadowipc-bench' $t/usage.out
	ok $? "$args: usage, exit 2 (got $rc)"
done

# --- the module not loaded ----------------------------------------------------
if shadowipc unload >/dev/null 2>&1; then
	run nomod -w 1,7 -r 1 -t 0.05
	rc=$?
	bad=0
	for id in 1 7.msg 7.sem; do
		is_figure "$(cell $t/nomod.table $id 5)" &&
			[ "$(cell $t/nomod.table $id 6)" = "n/a (module not loaded)" ] ||
			bad=1
	done
	ok $((rc | bad)) "without the module: native figures, shadow n/a, exit 0"
	shadowipc load --module "$ko" >/dev/null
	ok $? "module reloaded"
else
	skip "without the module" "module could not be unloaded"
fi

rm -rf $t
ktap_done
