# SPDX-License-Identifier: GPL-2.0
#
# Where a tool's build output goes, for the tools' Makefiles, which set
# srcdir and then include this: objdir is O, the source directory by
# default. O may be relative only on make's command line (to the
# directory make was started in); from another make it must be absolute.

O ?= $(srcdir)
ifneq ($(filter /%,$(O)),)
objdir := $(abspath $(O))
else ifeq ($(MAKELEVEL),0)
objdir := $(abspath $(or $(PWD),$(CURDIR))/$(O))
else
$(error O=$(O): use an absolute path when called from another make)
endif
