# SPDX-License-Identifier: GPL-2.0
#
# Wrapper around kbuild (which reads ./Kbuild) and the project's scripts.
#
#   make                 build module/shadowipc.ko for KDIR, or, when the
#                        running kernel has no build tree (as on CI), one
#                        module per installed Debian linux-headers package
#                        under build/<kernel release>/
#   make check           every test, in QEMU, on every target kernel
#   make demo            boot a kernel, load the module, show it working
#   make bench           measure shadowipc against native IPC, in QEMU
#   make check-debug     every test on a debug kernel (KASAN, lockdep,
#                        kmemleak, fault injection) built once and cached
#   make check KERNELS=6.1   only kernels whose release starts with 6.1
#   make deb             Debian packages shadowipc-dkms and shadowipc-tools
#                        (dpkg-buildpackage) in build/deb/
#   make package-check   make deb, dkms build against each target kernel,
#                        the packages installed in a bookworm chroot
#                        (make check runs it too)
#   make htmldocs        Documentation/ as HTML in build/htmldocs, every
#                        Sphinx warning an error
#
# KDIR=, KERNELS=, W=1 and V=1 are honoured.

KDIR ?= $(wildcard /lib/modules/$(shell uname -r)/build)
KERNELS ?=
export KERNELS

ifneq ($(KDIR),)
KBUILD_ARGS := -C $(KDIR) M=$(CURDIR)
modules:
	$(MAKE) $(KBUILD_ARGS) modules
else
modules:
	@scripts/build-modules
endif

all: modules

clean:
	@if [ -n "$(KDIR)" ]; then $(MAKE) -C $(KDIR) M=$(CURDIR) clean; fi
	rm -rf build selftests/*.o

modules_install:
	$(MAKE) $(KBUILD_ARGS) $(if $(INSTALL_MOD_PATH),INSTALL_MOD_PATH=$(INSTALL_MOD_PATH)) \
		$(if $(INSTALL_MOD_DIR),INSTALL_MOD_DIR=$(INSTALL_MOD_DIR)) modules_install

install: modules_install

deps:
	@scripts/deps

userspace:
	@scripts/build-userspace

check:
	@scripts/check

check-one:
	@scripts/check $(TEST)

check-debug:
	@DEBUG=1 scripts/check $(TEST)

demo:
	@scripts/demo

bench:
	@scripts/bench

checkpatch:
	@scripts/checkpatch

deb:
	@scripts/mkdeb

package-check:
	@scripts/package-check

htmldocs:
	@scripts/htmldocs

help:
	@sed -n '3,23p' Makefile

.PHONY: all modules clean modules_install install deps userspace check \
	check-one check-debug demo bench checkpatch deb package-check htmldocs \
	help
