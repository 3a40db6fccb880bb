#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# The preload shim under real, unmodified Debian programs: util-linux's
# ipcmk, ipcs and ipcrm in two shadow namespaces at once with the same
# keys, compared with what the same tools show natively (in a fresh kernel
# IPC namespace); perl-base's perl (shmget/shmwrite/shmread, msgsnd/msgrcv,
# semop builtins) across processes and namespaces; util-linux's unshare
# --ipc and nsenter --ipc as nobody; SHADOWIPC_EXPLAIN=1 with ipcmk; the
# module missing
# (fail closed, or SHADOWIPC_FALLTHROUGH=1). Expects the module loaded and
# leaves it loaded. KTAP output.
ko=${SHADOWIPC_MODULE:-/lib/shadowipc/shadowipc.ko}
shim=${SHADOWIPC_PRELOAD:-/usr/lib/libshadowipc-preload.so}
t=/tmp/preload_test.$$
mkdir -p $t
. "$(dirname "$0")/ktap.sh"

shim() { LD_PRELOAD=$shim "$@"; }	# run a program under the shim
norm() { sed -E 's/^0x[0-9a-f]{8} /0xKEY      /; s/(pid=)[0-9]+/\1PID/g'; }

# holder NAME: a shell in a new shadow namespace that waits on a fifo;
# sets NAME_pid. Run commands in it with: shadowipc nsenter -t $NAME_pid
holder() {
	rm -f $t/$1.fifo $t/$1.ready
	mkfifo $t/$1.fifo
	shadowipc unshare -- sh -c "echo \$SHADOWIPC_NS > $t/$1.ready; read x < $t/$1.fifo" &
	eval "$1_pid=$!"
	i=0
	while [ ! -s $t/$1.ready ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
}
release() { echo done > $t/$1.fifo; eval "wait \$$1_pid"; }
in_ns() { ns=$1; shift; eval "shadowipc nsenter -t \$${ns}_pid -- \"\$@\""; }

echo "TAP version 13"
if [ ! -x /usr/bin/ipcs ] || [ ! -x /usr/bin/ipcmk ] || [ ! -x /usr/bin/ipcrm ] || [ ! -r "$shim" ]; then
	echo "1..1"
	skip "util-linux and the shim" "missing in this image"
	echo "# Totals: pass:0 fail:0 xfail:0 xpass:0 skip:1 error:0"
	exit 4
fi

# --- two namespaces at once, same keys -----------------------------------
holder A
holder B
[ -s $t/A.ready ] && [ -s $t/B.ready ] && [ "$(cat $t/A.ready)" != "$(cat $t/B.ready)" ]
ok $? "two shadow namespaces live at once"

in_ns A ipcmk -M 4096 >$t/a.mk 2>&1
grep -qx 'Shared memory id: 0' $t/a.mk
ok $? "util-linux ipcmk -M in namespace A gets id 0"
key=$(in_ns A ipcs -m | awk '$2 == "0" {print $1}')
[ -n "$key" ]
ok $? "util-linux ipcs in A lists the segment (key $key)"
in_ns B shadowipc ipcmk -M 8192 -k "$key" >$t/b.mk 2>&1
grep -qx 'Shared memory id: 0' $t/b.mk
ok $? "the same key in namespace B makes another segment, also id 0"
in_ns A ipcmk -Q >/dev/null && in_ns B ipcmk -Q >/dev/null && in_ns B ipcmk -Q >/dev/null
ok $? "util-linux ipcmk -Q in both"
in_ns A ipcs -m >$t/a.m; in_ns B ipcs -m >$t/b.m
grep -Eq "^$key +0 +root +644 +4096 " $t/a.m
ok $? "ipcs in A: key $key, id 0, 4096 bytes"
grep -Eq "^$key +0 +root +644 +8192 " $t/b.m
ok $? "ipcs in B: key $key, id 0, 8192 bytes"
[ "$(in_ns A ipcs -q | grep -c '^0x')" -eq 1 ] && [ "$(in_ns B ipcs -q | grep -c '^0x')" -eq 2 ]
ok $? "ipcs -q: one queue in A, two in B"
! ipcs -m | grep -q "^$key "
ok $? "native ipcs does not see the shadow segments"
in_ns A ipcrm -M "$key"
ok $? "util-linux ipcrm -M removes A's segment by key"
! in_ns A ipcs -m | grep -q "^$key " && in_ns B ipcs -m | grep -Eq "^$key +0 "
ok $? "B's segment with the same key survives"
in_ns B ipcrm -m 0 -q 0 -q 1 && [ "$(in_ns B ipcs | grep -c '^0x')" -eq 0 ]
ok $? "util-linux ipcrm -m/-q by id empties B"
in_ns A ipcrm -q 5 >$t/rm.out 2>&1
[ $? -ne 0 ] && grep -q 'invalid id (5)' $t/rm.out
ok $? "util-linux ipcrm reports an invalid id in a shadow namespace"
release A
release B

# --- the same tools, native and shadow ------------------------------------
cat >$t/seq.sh <<'SEQ'
ipcmk -M 4096 -p 600 >/dev/null && ipcmk -M 1M >/dev/null &&
ipcmk -Q >/dev/null && ipcmk -S 3 -p 640 >/dev/null || exit 1
perl -e 'msgsnd(0, pack("l! a*", 1, "x" x 100), 0) or die "msgsnd: $!\n"' || exit 1
for o in "" -c -l -u -b --human -a; do echo "== ipcs $o"; ipcs $o; done
ipcs -m -i 0 | grep -v _time
ipcs -q -i 0 | grep -v _time
ipcs -s -i 0 | grep -v time
SEQ
unshare -i sh $t/seq.sh 2>&1 | norm >$t/native.out
shadowipc unshare -- sh $t/seq.sh 2>&1 | norm >$t/shadow.out
diff $t/native.out $t/shadow.out >$t/diff.out
rc=$?
sed 's/^/# /' $t/diff.out | head -n 40
[ -s $t/native.out ] && [ $rc -eq 0 ]
ok $? "util-linux ipcmk/ipcs (-c -l -u -b --human -i) print the same natively and under the shim"

# --- perl: shm, msg, sem builtins through libc ----------------------------
cat >$t/perl.sh <<'PERL'
perl -e '
	my $id = shmget(0x5150, 4096, 01000 | 0600) // die "shmget: $!\n";
	shmwrite($id, "from perl", 0, 9) or die "shmwrite: $!\n";
	my $q = msgget(0x5151, 01000 | 0600) // die "msgget: $!\n";
	msgsnd($q, pack("l! a*", 3, "ping"), 0) or die "msgsnd: $!\n";
	my $s = semget(0x5152, 1, 01000 | 0600) // die "semget: $!\n";
	semop($s, pack("s!3", 0, 2, 0)) or die "semop: $!\n";
	print "ok\n";'
perl -e '
	my $id = shmget(0x5150, 0, 0) // die "shmget: $!\n";
	shmread($id, my $buf, 0, 9) or die "shmread: $!\n";
	my $q = msgget(0x5151, 0) // die "msgget: $!\n";
	msgrcv($q, my $m, 64, 3, 0) or die "msgrcv: $!\n";
	my $s = semget(0x5152, 0, 0) // die "semget: $!\n";
	semop($s, pack("s!3", 0, -2, 04000)) or die "semop: $!\n";
	print "$buf ", substr($m, length(pack("l!", 0))), "\n";'
perl -e 'print defined(shmget(0x5150, 0, 0)) ? "visible\n" : "gone\n"'
PERL
shadowipc unshare -- sh $t/perl.sh >$t/perl.out 2>&1
printf 'ok\nfrom perl ping\nvisible\n' | cmp -s - $t/perl.out
ok $? "perl: shm, msg and sem shared by two perl processes in one namespace"
sed 's/^/# /' $t/perl.out | head -n 5
shadowipc unshare -- perl -e 'print defined(shmget(0x5150, 0, 0)) ? "visible\n" : "gone\n"' >$t/perl2.out 2>&1
grep -qx gone $t/perl2.out
ok $? "perl: the segment is not visible from another namespace"
! perl -e 'exit(defined(shmget(0x5150, 0, 0)) ? 0 : 1)'
ok $? "perl without the shim does not see it either"

# --- the kernel's own mqueue selftest, unmodified --------------------------
# tools/testing/selftests/mqueue/mq_open_tests from linux-source-6.1 (built
# by tools/preload/Makefile): natively in a new kernel IPC namespace, and
# under the shim in a new shadow namespace, where its /proc/sys/fs/mqueue
# files are the shadow ones; every PASS/FAIL verdict must be the same.
kst=/usr/bin/kselftest-mq_open_tests
if [ -x $kst ]; then
	unshare -i $kst /kst >$t/kst.native 2>&1
	rc_native=$?
	shadowipc unshare -- $kst /kst >$t/kst.shim 2>&1
	rc_shim=$?
	grep -E 'PASS|FAIL' $t/kst.native >$t/kst.native.v
	grep -E 'PASS|FAIL' $t/kst.shim >$t/kst.shim.v
	[ $rc_native -eq 0 ] && [ $rc_shim -eq 0 ] && [ -s $t/kst.shim.v ] &&
		cmp -s $t/kst.native.v $t/kst.shim.v
	rc=$?
	ok $rc "kernel selftest mq_open_tests: same verdicts under the shim as natively"
	if [ $rc -ne 0 ]; then
		sed 's/^/# /' $t/kst.shim | head -n 40
		diff $t/kst.native.v $t/kst.shim.v | sed 's/^/# /'
	fi
	[ "$(grep -c PASS $t/kst.shim.v)" -eq "$(wc -l <$t/kst.shim.v)" ]
	ok $? "kernel selftest mq_open_tests: every verdict PASS under the shim"
	! grep -q kst /proc/shadowipc/mqueue
	ok $? "kernel selftest mq_open_tests left no queue behind"
else
	skip "kernel selftest mq_open_tests" "not built"
	skip "kernel selftest mq_open_tests verdicts" "not built"
	skip "kernel selftest mq_open_tests cleanup" "not built"
fi

# --- the kernel's own mqueue performance test -----------------------------
# tools/testing/selftests/mqueue/mq_perf_tests from linux-source-6.1, its
# loop counts cut for TCG (tools/preload/Makefile): it raises msg_max and
# msgsize_max step by step to their hard limits, fills a queue of 65530
# messages in four priority orders and times sends and receives. Natively
# in a new kernel IPC namespace and under the shim in a new shadow one:
# both must finish every test with the same limits reached, and the
# limits raised must stay in that namespace (on the debug kernel, only
# the shim's run). The timings are printed, not judged.
kst=/usr/bin/kselftest-mq_perf_tests
if [ -x $kst ]; then
	case $(uname -r) in
	*-shadowipc-debug)
		# about 3 minutes a run under KASAN: the kernel's own mqueue,
		# which is not shadowipc's code, is left to the release kernels
		skip "kernel selftest mq_perf_tests finishes natively" \
			"debug kernel: only the shadow side runs"
		native=no ;;
	*)
		unshare -i $kst >$t/perf.native 2>&1 &&
			[ "$(grep -c 'nsec/msg' $t/perf.native)" -eq 10 ]
		ok $? "kernel selftest mq_perf_tests finishes natively"
		native=yes ;;
	esac
	shadowipc unshare -- $kst >$t/perf.shim 2>&1 &&
		[ "$(grep -c 'nsec/msg' $t/perf.shim)" -eq 10 ]
	rc=$?
	ok $rc "kernel selftest mq_perf_tests finishes under the shim"
	[ $rc -eq 0 ] || sed 's/^/# /' $t/perf.shim | tail -n 20
	limits='RLIMIT_MSGQUEUE|Maximum Message Size|Maximum Queue Size|Max priorities'
	if [ $native = yes ]; then
		grep -E "$limits" $t/perf.native >$t/perf.native.l
		grep -E "$limits" $t/perf.shim >$t/perf.shim.l
		grep -q 65530 $t/perf.shim.l && cmp -s $t/perf.native.l $t/perf.shim.l
		ok $? "kernel selftest mq_perf_tests: same limits reached under the shim"
	else
		skip "kernel selftest mq_perf_tests: same limits reached under the shim" \
			"debug kernel: no native run to compare with"
	fi
	[ "$(cat /proc/shadowipc/sys/fs/mqueue/msg_max)" = 10 ] &&
		[ "$(cat /proc/shadowipc/sys/fs/mqueue/msgsize_max)" = 8192 ]
	ok $? "kernel selftest mq_perf_tests: the limits it raised stayed in its namespace"
	for f in native shim; do
		[ -f $t/perf.$f ] || continue
		echo "# mq_perf_tests $f, ns per send/receive:" \
			$(grep -o '[0-9]* nsec/msg' $t/perf.$f | cut -d' ' -f1)
	done
else
	for what in natively "under the shim" limits "namespace limits"; do
		skip "kernel selftest mq_perf_tests $what" "not built (libpopt-dev missing?)"
	done
fi

# --- the kernel's own SysV message queue selftest, unmodified --------------
# tools/testing/selftests/ipc/msgque from linux-source-6.1: it dumps a
# queue with MSG_COPY, removes it and restores it through msg_next_id
# (/proc/sys/kernel/msg_next_id, which the shim redirects to the shadow
# namespace's), natively in a new IPC namespace and under the shim.
kst=/usr/bin/kselftest-msgque
if [ -x $kst ]; then
	(cd $t && unshare -i $kst >$t/msgque.native 2>&1)
	ok $? "kernel selftest ipc/msgque passes natively"
	(cd $t && shadowipc unshare -- $kst >$t/msgque.shim 2>&1)
	rc=$?
	ok $rc "kernel selftest ipc/msgque passes under the shim"
	[ $rc -eq 0 ] || sed 's/^/# /' $t/msgque.shim | head -n 20
else
	skip "kernel selftest ipc/msgque natively" "not built"
	skip "kernel selftest ipc/msgque under the shim" "not built"
fi

# --- util-linux unshare and nsenter, as nobody ----------------------------
# Debian's own unshare --ipc, nsenter -t PID --ipc and nsenter
# --ipc=/proc/PID/ns/ipc (dynamically linked, unlike busybox's applets)
# under the shim, unprivileged: unshare() for CLONE_NEWIPC, and setns()
# with an fd opened on /proc/PID/ns/ipc.
as_nobody() { su -s /bin/sh nobody -c "LD_PRELOAD=$shim $*"; }
if [ -x /usr/bin/unshare ] && [ -x /usr/bin/nsenter ] && id nobody >/dev/null 2>&1 &&
	su -s /bin/sh nobody -c true 2>/dev/null; then
	u=$t/nobody
	mkdir -m 0777 $u && mkfifo -m 0666 $u/fifo
	as_nobody "/usr/bin/unshare --ipc sh -c 'ipcmk -M 12288 >/dev/null && echo \$\$ >$u/pid && read x <$u/fifo'" &
	i=0
	while [ ! -s $u/pid ] && [ $i -lt 100 ]; do sleep 0.05; i=$((i + 1)); done
	pid=$(cat $u/pid 2>/dev/null)
	[ -n "$pid" ]
	ok $? "util-linux unshare --ipc as nobody makes a namespace and ipcmk works in it"
	as_nobody "ipcs -m" >$u/outside 2>&1
	! grep -Eq ' 12288 ' $u/outside
	ok $? "the segment is not in nobody's first namespace"
	as_nobody "/usr/bin/nsenter -t $pid --ipc ipcs -m" >$u/t.out 2>&1
	grep -Eq '^0x[0-9a-f]+ +0 +nobody +644 +12288 ' $u/t.out
	ok $? "util-linux nsenter -t PID --ipc as nobody joins that namespace"
	sed 's/^/# /' $u/t.out | head -n 8
	as_nobody "/usr/bin/nsenter --ipc=/proc/$pid/ns/ipc ipcs -m" >$u/p.out 2>&1
	grep -Eq '^0x[0-9a-f]+ +0 +nobody +644 +12288 ' $u/p.out
	ok $? "util-linux nsenter --ipc=/proc/PID/ns/ipc as nobody joins it too"
	as_nobody "/usr/bin/nsenter -t $pid --ipc ipcrm -m 0" &&
		! as_nobody "/usr/bin/nsenter -t $pid --ipc ipcs -m" | grep -q ' 12288 '
	ok $? "util-linux ipcrm through nsenter removes it there"
	echo done >$u/fifo
	wait
else
	for d in "unshare --ipc" "not outside" "nsenter -t" "nsenter --ipc=" "ipcrm"; do
		skip "util-linux $d as nobody" "util-linux unshare/nsenter or nobody missing"
	done
fi

# --- SHADOWIPC_EXPLAIN=1: why a call was refused -------------------------
# util-linux's ipcmk, unmodified, with shmmax lowered in its namespace
lowered() { shadowipc unshare -- sh -c "echo 1073741824 >/proc/shadowipc/sys/kernel/shmmax && $*"; }
lowered SHADOWIPC_EXPLAIN=1 ipcmk -M 2G >/dev/null 2>$t/explain.err
[ $? -ne 0 ] && grep -Eq '^libshadowipc-preload: shmget\(key=0x[0-9a-f]+, size=2147483648\) = EINVAL: shmmax: 2147483648 bytes asked > 1073741824$' $t/explain.err
ok $? "SHADOWIPC_EXPLAIN=1 ipcmk -M 2G says shmmax refused it, with the numbers"
[ "$(grep -c shmmax $t/explain.err)" -eq 1 ]
ok $? "one line per refused call"
lowered ipcmk -M 2G >/dev/null 2>$t/quiet.err
[ $? -ne 0 ] && ! grep -q 'libshadowipc-preload' $t/quiet.err
ok $? "without SHADOWIPC_EXPLAIN nothing is explained"

# --- the module missing ---------------------------------------------------
if shadowipc unload >/dev/null 2>&1; then
	shim ipcmk -M 4096 >$t/closed.out 2>&1
	rc=$?
	[ $rc -ne 0 ] && grep -q 'libshadowipc-preload: .*not loaded' $t/closed.out
	ok $? "fails closed with a clear message when the module is not loaded"
	[ "$(grep -c 'libshadowipc-preload:' $t/closed.out)" -eq 1 ]
	ok $? "the message is printed once"
	# (busybox is static and ignores LD_PRELOAD: ask perl to open it)
	shim perl -e 'open(F, "<", "/proc/sysvipc/shm") or exit 1; exit 0' 2>/dev/null
	[ $? -eq 1 ]
	ok $? "/proc/sysvipc/shm is not the kernel's when failing closed"
	unshare -i sh -c "LD_PRELOAD=$shim SHADOWIPC_FALLTHROUGH=1 ipcmk -M 4096 >/dev/null 2>$t/ft.err &&
		ipcs -m | grep -c '^0x'" >$t/ft.out
	[ "$(cat $t/ft.out)" = 1 ] && [ ! -s $t/ft.err ]
	ok $? "SHADOWIPC_FALLTHROUGH=1 uses the kernel's IPC, silently"
	shadowipc load --module "$ko" >/dev/null
	ok $? "module reloaded"
else
	for d in "fails closed" "message once" "/proc not the kernel's" "fall-through" "reload"; do
		skip "$d" "module could not be unloaded"
	done
fi

rm -rf $t
ktap_done
