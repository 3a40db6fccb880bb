// SPDX-License-Identifier: GPL-2.0
/*
 * libshadowipc-preload: clone(), clone3() and syscall() of their numbers
 * with CLONE_NEWIPC.
 *
 * CLONE_NEWIPC never reaches the kernel: the child starts in a new
 * shadow namespace instead, before it runs an instruction of its own,
 * and needs no privilege for it, as the shim's unshare() does not. The
 * other flags go to the kernel unchanged, so its checks and errors are
 * Linux's; CLONE_NEWIPC | CLONE_SYSVSEM is EINVAL, as Linux's
 * copy_namespaces() has it. A thread (CLONE_THREAD) gets a namespace of
 * its own, as it does on Linux.
 *
 * The child moves itself: glibc's clone() runs a trampoline before the
 * caller's function; the raw system calls run, on the child's side of
 * the return, an SHADOWIPC_IOC_UNSHARE on the device fd the parent
 * opened, in assembly that touches neither memory nor the stack (a new
 * stack, if given, holds whatever the caller put there for its own
 * return). If that unshare fails (out of memory, or the module's limit
 * on namespaces), the child cannot tell its parent, whose clone() has
 * returned already: it ends at once, with exit status 127 (a thread with
 * exit(), anything else with exit_group()), having run none of its code.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stdint.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>
#include <linux/sched.h>

#include "preload.h"

/* The child's exit status when its shadow unshare fails. */
#define CLONE_FAILED_STATUS	127

/* The numbers sipc_clone_raw() has spelt out for the assembler. */
_Static_assert(SHADOWIPC_IOC_UNSHARE == 0xc010b810, "SHADOWIPC_IOC_UNSHARE");
_Static_assert(__NR_ioctl == 16 && __NR_exit == 60 && __NR_exit_group == 231,
	       "x86-64 system call numbers");

/*
 * SHADOWIPC_IOC_UNSHARE's argument for every child: in, all zero; the
 * kernel's answer (the new id) is not read, so concurrent children may
 * write it at once.
 */
struct shadowipc_unshare sipc_clone_unshare_arg;

/*
 * sipc_clone_raw() - the clone or clone3 system call @nr with @a1..@a5,
 * the child moved into a new shadow namespace through @dev (low 32 bits:
 * the device fd; bit 32: the child is a thread). Returns what the system
 * call returned: -errno, 0 in the child, or the child's tid.
 *
 * After the system call the child keeps the parent's registers but rax
 * (and rsp, for a new stack), so %r9 carries @dev to it.
 */
long sipc_clone_raw(long a1, long a2, long a3, long a4, long a5, long dev,
		    long nr);
__asm__(".text\n"
	".p2align 4\n"
	".type sipc_clone_raw, @function\n"
	"sipc_clone_raw:\n"
	"	mov 8(%rsp), %rax\n"
	"	mov %rcx, %r10\n"
	"	syscall\n"
	"	test %rax, %rax\n"
	"	jnz 1f\n"
	"	mov %r9d, %edi\n"
	"	mov $0xc010b810, %esi\n"
	"	lea sipc_clone_unshare_arg(%rip), %rdx\n"
	"	mov $16, %eax\n"
	"	syscall\n"
	"	test %rax, %rax\n"
	"	jnz 2f\n"
	"1:	ret\n"
	"2:	mov $127, %edi\n"
	"	mov $231, %eax\n"
	"	bt $32, %r9\n"
	"	jnc 3f\n"
	"	mov $60, %eax\n"
	"3:	syscall\n"
	"	hlt\n"
	".size sipc_clone_raw, .-sipc_clone_raw\n");

/* A raw system call with three arguments, for a child with no libc. */
static long raw_syscall3(long nr, long a, long b, long c)
{
	long ret;

	__asm__ volatile("syscall"
			 : "=a"(ret)
			 : "a"(nr), "D"(a), "S"(b), "d"(c)
			 : "rcx", "r11", "memory");
	return ret;
}

/*
 * The device fd for a clone with @flags that has CLONE_NEWIPC, or
 * SIPC_FALLTHROUGH for the real call, or -1 with errno set.
 */
static int clone_dev(unsigned long flags)
{
	int dev;

	if ((flags & CLONE_SYSVSEM)) {
		errno = EINVAL;
		return -1;
	}
	dev = sipc_dev(SIPC_NS);
	if (dev == SIPC_FALLTHROUGH || dev >= 0)
		return dev;
	return -1;
}

/* @dev for sipc_clone_raw(). */
static long clone_raw_dev(int dev, unsigned long flags)
{
	return (long)(unsigned int)dev |
	       ((flags & CLONE_THREAD) ? 1L << 32 : 0);
}

/* -errno from a raw system call to libc's convention. */
static long raw_ret(long r)
{
	if (r < 0 && r > -4096) {
		errno = (int)-r;
		return -1;
	}
	return r;
}

/* --- glibc's clone() --- */

/* What the trampoline needs, at the top of the child's stack. */
struct clone_start {
	int (*fn)(void *arg);
	void *arg;
	long dev;
};

static int clone_trampoline(void *p)
{
	struct clone_start *s = p;
	int (*fn)(void *arg) = s->fn;
	void *arg = s->arg;
	long dev = s->dev;

	if (raw_syscall3(__NR_ioctl, (int)(unsigned int)dev,
			 SHADOWIPC_IOC_UNSHARE,
			 (long)&sipc_clone_unshare_arg))
		raw_syscall3(dev >> 32 ? __NR_exit : __NR_exit_group,
			     CLONE_FAILED_STATUS, 0, 0);
	return fn(arg);
}

static int sipc_clone(int (*fn)(void *arg), void *stack, int flags, void *arg,
		      pid_t *ptid, void *tls, pid_t *ctid)
{
	struct clone_start *s;
	int dev;

	if (!(flags & CLONE_NEWIPC) || !fn || !stack)
		return SIPC_REAL(clone)(fn, stack, flags, arg, ptid, tls, ctid);
	dev = clone_dev(flags);
	if (dev == SIPC_FALLTHROUGH)
		return SIPC_REAL(clone)(fn, stack, flags, arg, ptid, tls, ctid);
	if (dev < 0)
		return -1;
	/* The child's own copy, whatever the parent does meanwhile. */
	s = (struct clone_start *)(((uintptr_t)stack - sizeof(*s)) & ~15UL);
	s->fn = fn;
	s->arg = arg;
	s->dev = clone_raw_dev(dev, flags);
	return SIPC_REAL(clone)(clone_trampoline, s, flags & ~CLONE_NEWIPC, s,
				ptid, tls, ctid);
}

SIPC_EXPORT int clone(int (*fn)(void *arg), void *stack, int flags, void *arg, ...)
{
	pid_t *ptid, *ctid;
	va_list ap;
	void *tls;

	/* glibc reads the three optional words whatever the flags say. */
	va_start(ap, arg);
	ptid = va_arg(ap, pid_t *);
	tls = va_arg(ap, void *);
	ctid = va_arg(ap, pid_t *);
	va_end(ap);
	return sipc_clone(fn, stack, flags, arg, ptid, tls, ctid);
}

/* glibc's other name for it, at the same address. */
SIPC_EXPORT __typeof__(clone) __clone __attribute__((alias("clone"), copy(clone)));

/* --- syscall(SYS_clone) and syscall(SYS_clone3) --- */

/* clone(flags, stack, parent_tid, child_tid, tls): x86-64's order. */
long sipc_clone_syscall(const long *a)
{
	unsigned long flags = (unsigned long)a[0];
	int dev;

	if (!(flags & CLONE_NEWIPC))
		return SIPC_REAL(syscall)(SYS_clone, a[0], a[1], a[2], a[3],
					  a[4], a[5]);
	dev = clone_dev(flags);
	if (dev == SIPC_FALLTHROUGH)
		return SIPC_REAL(syscall)(SYS_clone, a[0], a[1], a[2], a[3],
					  a[4], a[5]);
	if (dev < 0)
		return -1;
	return raw_ret(sipc_clone_raw((long)(flags & ~CLONE_NEWIPC), a[1],
				      a[2], a[3], a[4],
				      clone_raw_dev(dev, flags), SYS_clone));
}

/*
 * Copy @size bytes from @src, which may be a bad pointer: true when all
 * could be read. process_vm_readv() where the kernel has it
 * (CROSS_MEMORY_ATTACH; a tinyconfig kernel may not), else through a
 * pipe, whose write() is EFAULT for a bad pointer too.
 */
static bool copy_in(void *dst, const void *src, size_t size)
{
	struct iovec local = { dst, size }, remote = { (void *)src, size };
	ssize_t n = process_vm_readv(getpid(), &local, 1, &remote, 1, 0);
	int p[2];

	if (n >= 0 || errno != ENOSYS)
		return n == (ssize_t)size;
	if (pipe2(p, O_CLOEXEC))
		return false;
	n = write(p[1], src, size);
	if (n == (ssize_t)size)
		n = read(p[0], dst, size);
	SIPC_REAL(close)(p[0]);
	SIPC_REAL(close)(p[1]);
	return n == (ssize_t)size;
}

/*
 * clone3(args, size): the arguments are copied (so that a bad pointer is
 * the kernel's EFAULT, not a crash here) to be passed without
 * CLONE_NEWIPC; sizes the kernel refuses, or that are too short to hold
 * the flags, go to it unchanged.
 */
long sipc_clone3_syscall(const long *a)
{
	unsigned char buf[4096] __attribute__((aligned(8)));
	size_t size = (size_t)a[1];
	struct clone_args *args = (struct clone_args *)buf;
	int dev;

	if (size < CLONE_ARGS_SIZE_VER0 || size > sizeof(buf) ||
	    !copy_in(buf, (const void *)a[0], size) ||
	    !(args->flags & CLONE_NEWIPC))
		return SIPC_REAL(syscall)(SYS_clone3, a[0], a[1], a[2], a[3],
					  a[4], a[5]);
	dev = clone_dev(args->flags);
	if (dev == SIPC_FALLTHROUGH)
		return SIPC_REAL(syscall)(SYS_clone3, a[0], a[1], a[2], a[3],
					  a[4], a[5]);
	if (dev < 0)
		return -1;
	args->flags &= ~(__u64)CLONE_NEWIPC;
	return raw_ret(sipc_clone_raw((long)args, (long)size, 0, 0, 0,
				      clone_raw_dev(dev, args->flags),
				      SYS_clone3));
}
