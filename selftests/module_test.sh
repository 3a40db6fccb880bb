#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Module life cycle, driven through the shadowipc tool: the device node,
# loading twice, the mode parameter, and unload refused while a device
# fd, a namespace handle, a mapping or a segment once attached exists,
# and allowed as soon as they are gone. Expects the module loaded and
# leaves it loaded with default parameters. KTAP output.
ko=${SHADOWIPC_MODULE:-/lib/shadowipc/shadowipc.ko}
here=$(dirname "$0")
. "$(dirname "$0")/ktap.sh"

node_mode() { stat -c %a /dev/shadowipc 2>/dev/null; }

# Run "$here/ns_test --hold-WHAT", wait until it holds, try to unload,
# then release it and unload for real.
unload_refused_while() {
	what=$1
	rm -f /tmp/hold.in
	mkfifo /tmp/hold.in
	"$here/ns_test" "--hold-$what" </tmp/hold.in >/tmp/hold.out &
	pid=$!
	exec 9>/tmp/hold.in
	i=0
	while ! grep -q ready /tmp/hold.out 2>/dev/null && [ $i -lt 50 ]; do
		sleep 0.1; i=$((i + 1))
	done
	shadowipc unload >/tmp/unload.out 2>&1
	rc=$?
	grep -q 'in use' /tmp/unload.out
	ok $(( rc == 1 && $? == 0 ? 0 : 1 )) "unload refused while a $what is held"
	[ -e /dev/shadowipc ]
	ok $? "node still there after refused unload ($what)"
	exec 9>&-
	wait $pid
	ok $? "holder of the $what exited cleanly"
	shadowipc unload >/dev/null 2>&1
	ok $? "unload succeeds once the $what is gone"
	shadowipc load --module "$ko" >/dev/null
}

echo "TAP version 13"
[ "$(node_mode)" = 666 ]
ok $? "device node has the default mode 0666"

shadowipc load --module "$ko" >/tmp/load.out 2>&1
rc=$?
grep -q 'already loaded' /tmp/load.out
ok $(( rc == 1 && $? == 0 ? 0 : 1 )) "loading twice gives a clear error"

shadowipc unload >/dev/null
ok $? "unload succeeds"
[ ! -e /dev/shadowipc ]
ok $? "node is gone after unload"
shadowipc status >/dev/null
[ $? -eq 3 ]
ok $? "status says not loaded (exit 3)"

shadowipc load --module "$ko" mode=0600 >/dev/null
ok $? "load with mode=0600"
[ "$(node_mode)" = 600 ]
ok $? "node mode follows the parameter"
shadowipc unload >/dev/null && shadowipc load --module "$ko" >/dev/null
ok $? "reload with defaults"

exec 8</dev/shadowipc
shadowipc unload >/dev/null 2>&1
[ $? -eq 1 ]
ok $? "unload refused while a device fd is open"
exec 8<&-

unload_refused_while handle
# the namespace dies with its member: its attach files must not outlive it
unload_refused_while mapping

# a segment once attached keeps its attach files, which pin the module
id=$("$here/ns_test" --attach-once)
ok $? "a segment of the initial namespace attached and detached"
shadowipc unload >/tmp/unload.out 2>&1
rc=$?
grep -q 'in use' /tmp/unload.out
ok $(( rc == 1 && $? == 0 ? 0 : 1 )) "unload refused while a segment once attached exists"
shadowipc ipcrm shm "$id" >/dev/null
ok $? "the segment removed"
shadowipc unload >/dev/null 2>&1
ok $? "unload succeeds once the segment is removed"
shadowipc load --module "$ko" >/dev/null
ktap_done
