# SPDX-License-Identifier: GPL-2.0
# Shared helpers for the project's scripts; source it, do not run it.

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build="$top/build"

die() { echo "$(basename "$0"): $*" >&2; exit 1; }
say() { echo "[$(basename "$0")] $*" >&2; }

# Kernel releases to target: every installed Debian amd64 headers package
# that has a matching /boot/vmlinuz, narrowed by $KERNELS (space-separated
# prefixes such as "6.1" or full releases).
target_kernels() {
	local dir kver want ok
	for dir in /usr/src/linux-headers-*-amd64; do
		[ -f "$dir/Module.symvers" ] || continue
		kver=${dir#/usr/src/linux-headers-}
		if [ -n "${KERNELS:-}" ]; then
			ok=
			for want in $KERNELS; do
				# "6.1" matches 6.1.0-56-amd64, not 6.12.x
				case "$kver" in "$want" | "$want"[.+-]*) ok=1 ;; esac
			done
			[ -n "$ok" ] || continue
		fi
		echo "$kver"
	done | sort -V
}

kdir_of() { echo "/usr/src/linux-headers-$1"; }
vmlinuz_of() { echo "/boot/vmlinuz-$1"; }
module_of() { echo "$build/$1/module/shadowipc.ko"; }
