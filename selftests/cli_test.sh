#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The shadowipc command end to end: --help everywhere; unshare, then
# nsenter into it from another shell (by pid and by id), lsns (table and
# JSON), ipcs --ns, --all-namespaces and --holders' options; ipcs
# matching util-linux ipcs byte for byte in the same namespace;
# ipcmk/ipcrm; limits; and the exit
# codes for usage errors, no such process or namespace, permission, and
# the module not loaded. Expects the module loaded and leaves it loaded.
# KTAP output.
ko=${SHADOWIPC_MODULE:-/lib/shadowipc/shadowipc.ko}
t=/tmp/cli_test.$$
mkdir -p $t
. "$(dirname "$0")/ktap.sh"

# expect_rc CODE DESCRIPTION CMD...: CMD exits CODE
expect_rc() {
	want=$1 what=$2
	shift 2
	"$@" >$t/out 2>&1
	rc=$?
	[ $rc -eq "$want" ] || sed "s/^/# got $rc: /" $t/out | head -n 5
	ok $(( rc == want ? 0 : 1 )) "$what (exit $want)"
}
as_nobody() { su -s /bin/sh nobody -c "$*"; }

echo "TAP version 13"

# --- help and usage -------------------------------------------------------
shadowipc --help >$t/help
ok $? "shadowipc --help"
cmds="load unload status unshare nsenter lsns ipcs ipcmk ipcrm limits mq wait drain"
bad=0
for c in $cmds; do
	grep -q "^  $c " $t/help || bad=1
	shadowipc $c --help | grep -q "^Usage: shadowipc $c" || bad=1
done
ok $bad "every command is listed and answers --help"
expect_rc 2 "unknown command" shadowipc frobnicate
expect_rc 2 "unknown option" shadowipc ipcs -x
expect_rc 2 "ipcs -i needs one resource" shadowipc ipcs -i 0
expect_rc 2 "nsenter needs a target" shadowipc nsenter -- true
expect_rc 2 "ipcmk needs something to make" shadowipc ipcmk
expect_rc 2 "limits rejects unknown names" shadowipc limits nosuch

# --- unshare --------------------------------------------------------------
id=$(shadowipc unshare -- sh -c 'echo $SHADOWIPC_NS')
[ -n "$id" ] && [ "$id" -gt 1 ]
ok $? "unshare runs CMD in a new namespace (id $id)"
shadowipc unshare -- sh -c 'echo $LD_PRELOAD' | grep -q 'libshadowipc-preload.so'
ok $? "unshare preloads the shim"
LD_PRELOAD=/lib/nonexistent-but-kept.so shadowipc unshare -- sh -c 'echo $LD_PRELOAD' 2>/dev/null |
	grep -q '^/lib/nonexistent-but-kept.so:.*libshadowipc-preload.so$'
ok $? "unshare appends to LD_PRELOAD"
expect_rc 7 "unshare passes CMD's exit status" shadowipc unshare -- sh -c 'exit 7'
expect_rc 127 "unshare: CMD not found" shadowipc unshare -- /nonexistent/cmd

# --- a namespace to look into ---------------------------------------------
rm -f $t/fifo $t/ready
mkfifo $t/fifo
shadowipc unshare -- sh -c "shadowipc ipcmk -M 4096 -k 0x777 >/dev/null &&
	echo \$SHADOWIPC_NS >$t/ready; read x <$t/fifo" &
pid=$!
i=0
while [ ! -s $t/ready ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
ns=$(cat $t/ready)
[ -n "$ns" ]
ok $? "a shell holds namespace $ns (pid $pid)"

shadowipc nsenter -t $pid -- shadowipc ipcs -m | grep -Eq '^0x00000777 +0 +root +644 +4096 '
ok $? "nsenter -t PID joins it: ipcs shows its segment"
shadowipc nsenter -t $pid -- sh -c 'echo $SHADOWIPC_NS' | grep -qx "$ns"
ok $? "nsenter sets SHADOWIPC_NS"
shadowipc nsenter -t $pid -- ipcs -m | grep -q '^0x00000777 '
ok $? "nsenter preloads the shim: util-linux ipcs sees the segment"
shadowipc nsenter --ns "$ns" -- shadowipc ipcs -m | grep -q '^0x00000777 '
ok $? "nsenter --ns ID joins it too"
! shadowipc ipcs -m | grep -q '^0x00000777 '
ok $? "outside, ipcs does not show it"
shadowipc ipcs --ns "$ns" -m | grep -q '^0x00000777 '
ok $? "ipcs --ns ID shows it"
shadowipc ipcs --all-namespaces -m >$t/all
awk -v ns="$ns" '/^====== Shadow IPC namespace / { cur = $5 } /^0x00000777 / && cur == ns { f = 1 } END { exit !f }' $t/all
ok $? "ipcs --all-namespaces shows it under namespace $ns"
grep -q '^====== Shadow IPC namespace 1 ======$' $t/all
ok $? "ipcs --all-namespaces shows the initial namespace"
# (holders_test attaches segments and checks the rows and the JSON)
shadowipc ipcs --holders >$t/holders
head -n 1 $t/holders | grep -q '^KIND *NS *ID KEY *PID COMMAND *RANGE *MODE$'
ok $? "ipcs --holders header"
shadowipc ipcs --holders --ns "$ns" --json >$t/json
[ "$(tr -d ' \n' <$t/json)" = '{"holders":[]}' ]
ok $? "ipcs --holders --ns ID --json: namespace $ns has no holders"
expect_rc 2 "ipcs --json needs --holders" shadowipc ipcs --json
expect_rc 2 "ipcs --holders takes no resource option" shadowipc ipcs --holders -m
expect_rc 5 "ipcs --holders --ns of a namespace that does not exist" \
	shadowipc ipcs --holders --ns 999999

shadowipc lsns >$t/lsns
head -n 1 $t/lsns | grep -q '^ *NS TYPE *TASKS *PID USER *HANDLES *SHM *MSG *SEM COMMAND$'
ok $? "lsns header"
awk -v ns="$ns" -v pid="$pid" '$1 == ns && $2 == "ipc" && $4 == pid && $5 == "root" && $7 == 1 { f = 1 } END { exit !f }' $t/lsns
ok $? "lsns: namespace $ns, its pid, creator root, one segment"
sed 's/^/# /' $t/lsns
shadowipc lsns -J >$t/json
grep -q "\"ns\": $ns," $t/json && grep -q '"namespaces": \[' $t/json && grep -q "\"pid\": $pid," $t/json
ok $? "lsns --json"
[ "$(shadowipc lsns -n -r -p $pid | tr -s ' ')" = "$(awk -v ns="$ns" '$1 == ns' $t/lsns | tr -s ' ' | sed 's/^ //')" ]
ok $? "lsns -p PID -n -r: that namespace only"

expect_rc 5 "nsenter into a pid that does not exist" shadowipc nsenter -t 999999 -- true
grep -q 'no such process' $t/out
ok $? "... says no such process"
expect_rc 5 "ipcs --ns of a namespace that does not exist" shadowipc ipcs --ns 999999
expect_rc 5 "nsenter --ns of a namespace that does not exist" shadowipc nsenter --ns 999999 -- true
[ "$(wc -l <$t/out)" -eq 1 ] && grep -q 'no shadow namespace 999999' $t/out
ok $? "... says so, once"
if id nobody >/dev/null 2>&1 && as_nobody true 2>/dev/null; then
	as_nobody "shadowipc nsenter -t $pid -- true" >$t/out 2>&1
	rc=$?
	[ $rc -eq 4 ] && grep -q 'permission denied' $t/out
	ok $? "nsenter into root's process as nobody: permission denied (exit 4)"
else
	skip "nsenter as nobody" "cannot switch to nobody"
fi

# limits, in the held namespace
shadowipc nsenter -t $pid -- shadowipc limits shmmni | grep -qx 'shmmni = 4096'
ok $? "limits shmmni"
shadowipc nsenter -t $pid -- shadowipc limits >$t/limits
[ "$(grep -c ' = ' $t/limits)" -ge 8 ] && grep -q '^sem = 32000	' $t/limits
ok $? "limits lists every limit"
if [ -e /proc/shadowipc/sys/kernel/shmmni ]; then
	shadowipc nsenter -t $pid -- shadowipc limits shmmni=100 | grep -qx 'shmmni = 100' &&
		shadowipc limits -n shmmni | grep -qvx 100
	ok $? "limits NAME=VALUE sets the namespace's own value"
else
	expect_rc 1 "limits NAME=VALUE without /proc/shadowipc says so" shadowipc limits shmmni=100
fi

# wait and drain, while the holder is a member, and once it is gone
expect_rc 1 "wait --timeout gives up while a member is left" \
	shadowipc wait --ns "$ns" --timeout 100
expect_rc 1 "drain refuses a namespace with a member" shadowipc drain --ns "$ns"
grep -q "namespace $ns: still has member tasks" $t/out
ok $? "... and says why"
expect_rc 2 "drain takes no --timeout" shadowipc drain --ns "$ns" --timeout 1
expect_rc 2 "wait needs --ns" shadowipc wait
shadowipc wait --ns "$ns" --timeout 20000 >$t/wait 2>&1 &
wpid=$!
# until wait holds its handle (the handles column of the namespace)
i=0
until awk -v ns="$ns" '$1 == ns && $5 >= 1 { f = 1 } END { exit !f }' \
	/proc/shadowipc/namespaces || [ $i -ge 400 ]; do
	sleep 0.05
	i=$((i + 1))
done
echo done >$t/fifo
wait $pid
ok $? "the holder exits cleanly"
wait $wpid
ok $? "wait returns once the last member is gone"

# --- ipcs matches util-linux ipcs in the same namespace ---------------------
cat >$t/same.sh <<'SAME'
shadowipc ipcmk -M 1K -p 600 >/dev/null && shadowipc ipcmk -M 2M -Q -S 3 >/dev/null || exit 1
shadowipc ipcmk -Q -k 0x51 -p 0640 | grep -qx 'Message queue id: 1' || exit 2
for o in "" -a -m -q -s -t -p -c -l -u -b --human "-l -b" "-l --human" "-m -i 0" \
	 "-m -i 1 --human" "-q -i 0" "-s -i 0"; do
	ipcs $o >a.out 2>&1
	shadowipc ipcs $o >b.out 2>&1
	cmp -s a.out b.out || { echo "differs: ipcs $o"; diff a.out b.out | head -n 10; exit 3; }
done
shadowipc ipcrm -q 5 2>&1 | grep -q 'invalid id (5)' || exit 4
shadowipc ipcrm -Q 0x51 && shadowipc ipcrm --all=shm || exit 5
[ "$(ipcs -m | grep -c '^0x')" = 0 ] && [ "$(ipcs -q | grep -c '^0x')" = 1 ] || exit 6
shadowipc ipcrm -a && [ "$(ipcs | grep -c '^0x')" = 0 ] || exit 7
SAME
(cd $t && shadowipc unshare -- sh $t/same.sh) >$t/same.out 2>&1
rc=$?
sed 's/^/# /' $t/same.out | head -n 20
ok $rc "ipcs output equals util-linux ipcs's; ipcmk/ipcrm work"

# --- the module not loaded --------------------------------------------------
if shadowipc unload >/dev/null 2>&1; then
	for c in "ipcs" "ipcs --holders" "ipcmk -Q" "ipcrm -a" "lsns" "limits" "unshare -- true" "nsenter -t 1 -- true"; do
		shadowipc $c >$t/out 2>&1
		rc=$?
		[ $rc -eq 3 ] && grep -q 'not loaded' $t/out
		ok $? "$c: module not loaded (exit 3)"
	done
	shadowipc load --module "$ko" >/dev/null
	ok $? "module reloaded"
else
	skip "not-loaded exit codes" "module could not be unloaded"
fi

rm -rf $t
ktap_done
