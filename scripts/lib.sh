# SPDX-License-Identifier: GPL-2.0
# Shared helpers for the project's scripts; source it, do not run it.

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
build="$top/build"

die() { echo "$(basename "$0"): $*" >&2; exit 1; }
say() { echo "[$(basename "$0")] $*" >&2; }

# Debian unstable's current kernel lives in a build root outside the clone
# (scripts/unstable-root makes it): its release is in $unstable/release,
# its headers and image under $unstable/root, and kbuild runs in there.
unstable="${XDG_CACHE_HOME:-$HOME/.cache}/shadowipc/unstable-root"
unstable_kver() { cat "$unstable/release" 2>/dev/null || true; }
# The Debian bookworm root make package-check installs the packages in
# (scripts/bookworm-root makes it).
bookworm="${XDG_CACHE_HOME:-$HOME/.cache}/shadowipc/bookworm-root"

# Kernel releases to target: every installed Debian amd64 headers package
# that has a matching /boot/vmlinuz, and the unstable root's kernel once
# it is made, narrowed by $KERNELS (space-separated prefixes such as "6.1"
# or full releases).
target_kernels() {
	local dir kver want ok
	for dir in /usr/src/linux-headers-*-amd64 \
		"$unstable/root/usr/src/linux-headers-$(unstable_kver)"; do
		[ -f "$dir/Module.symvers" ] || continue
		kver=${dir##*/linux-headers-}
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

# in_root ROOT CMD...: run CMD chrooted in ROOT, /proc mounted there (for
# kbuild's objtool, apt's scripts) in a mount namespace of its own, so
# nothing stays mounted after it.
in_root() {
	unshare --mount --propagation private -- sh -c \
		'mount -t proc proc "$0/proc" && exec chroot "$0" "$@"' "$@"
}

# root_of KVER: the build root KVER's module is built in ("" for the host)
root_of() { [ "$1" != "$(unstable_kver)" ] || echo "$unstable/root"; }
kdir_of() { echo "$(root_of "$1")/usr/src/linux-headers-$1"; }
# (unstable's packages put the image beside the modules, not in /boot)
vmlinuz_of() {
	local root
	root=$(root_of "$1")
	if [ -n "$root" ]; then
		echo "$root/usr/lib/modules/$1/vmlinuz"
	else
		echo "/boot/vmlinuz-$1"
	fi
}
module_of() { echo "$build/$1/module/shadowipc.ko"; }
