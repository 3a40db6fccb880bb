// SPDX-License-Identifier: GPL-2.0
/*
 * libshadowipc-preload: the device fd, the real libc symbols, and the
 * fail-closed policy.
 *
 * Nothing runs at load time: a program that makes no System V IPC call
 * never opens the device. The fd is moved to a high number so that
 * programs juggling low fds (shells, daemons) do not trip over it, and is
 * close-on-exec. A forwarded call costs its ioctl and nothing else, yet a
 * program may close every fd it does not know about (closefrom, a loop up
 * to RLIMIT_NOFILE) and reuse the number for something else: close(),
 * close_range(), closefrom(), dup2() and dup3() are interposed and forget
 * the device fd before they close or replace it; and for the ways around
 * them (a raw system call), an ioctl failing as it does on a file that is
 * not the device makes the shim check the fd with fstat(2), and re-open
 * the device and retry when it is not. All state is a few words updated
 * with atomics: no locks, so fork() in any thread at any time leaves the
 * child consistent.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "preload.h"

#define LIBNAME		"libshadowipc-preload"
/* Lowest fd number the device fd is moved to (when the limit allows). */
#define SIPC_HIGH_FD	987

static int dev_fd = -1;
static dev_t dev_rdev;		/* of dev_fd, written before dev_fd */
static ino_t dev_ino;
static int warned_dev;		/* the "cannot open" message was printed */
static int warned_kind[SIPC_NR_KINDS];
static int unsupported[SIPC_NR_KINDS];
static int fallthrough = -1;	/* -1: not read yet */

void sipc_msg(const char *a, const char *b, const char *c)
{
	const char *parts[] = { LIBNAME ": ", a, b, c, "\n" };
	size_t i;

	for (i = 0; i < sizeof(parts) / sizeof(parts[0]); i++) {
		const char *p = parts[i];
		size_t len = p ? strlen(p) : 0;

		while (len > 0) {
			ssize_t n = write(STDERR_FILENO, p, len);

			if (n < 0 && errno == EINTR)
				continue;
			if (n <= 0)
				return;
			p += n;
			len -= n;
		}
	}
}

void *sipc_real(void **slot, const char *name)
{
	void *p = __atomic_load_n(slot, __ATOMIC_ACQUIRE);

	if (p)
		return p;
	p = dlsym(RTLD_NEXT, name);
	if (!p) {
		sipc_msg("cannot find the C library's ", name, "()");
		abort();
	}
	__atomic_store_n(slot, p, __ATOMIC_RELEASE);
	return p;
}

/* Is environment variable @name "1"? Read once into *@cache (-1: not yet). */
static bool env_is_1(int *cache, const char *name)
{
	int f = __atomic_load_n(cache, __ATOMIC_RELAXED);

	if (f < 0) {
		const char *v = getenv(name);

		f = v && v[0] == '1' && v[1] == '\0';
		__atomic_store_n(cache, f, __ATOMIC_RELAXED);
	}
	return f;
}

bool sipc_fallthrough(void)
{
	return env_is_1(&fallthrough, SIPC_ENV_FALLTHROUGH);
}

bool sipc_explain_on(void)
{
	static int explain = -1;

	return env_is_1(&explain, SIPC_ENV_EXPLAIN);
}

/*
 * Is fd still the device we opened? Asked with the fstat system call
 * itself: glibc's fstat() is fstatat(fd, "", AT_EMPTY_PATH), for which
 * the kernel allocates and (with init_on_alloc, as Debian's kernels
 * boot) zeroes a page-sized path buffer.
 */
static bool dev_valid(int fd)
{
	struct stat st;

	if (SIPC_REAL(syscall)(SYS_fstat, fd, &st) < 0)
		return false;
	return S_ISCHR(st.st_mode) &&
	       st.st_rdev == __atomic_load_n(&dev_rdev, __ATOMIC_RELAXED) &&
	       st.st_ino == __atomic_load_n(&dev_ino, __ATOMIC_RELAXED);
}

/*
 * The program closed @fd, or is about to close or replace it: forget it,
 * never close it. Only one thread wins the exchange.
 */
static void dev_forget(int fd)
{
	__atomic_compare_exchange_n(&dev_fd, &fd, -1, false,
				    __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE);
}

/* Forget the device fd if it lies in [@first, @last]. */
static void dev_forget_range(unsigned int first, unsigned int last)
{
	int fd = __atomic_load_n(&dev_fd, __ATOMIC_ACQUIRE);

	if (fd >= 0 && (unsigned int)fd >= first && (unsigned int)fd <= last)
		dev_forget(fd);
}

static int dev_open(void)
{
	struct stat st;
	int fd, high;

	fd = SIPC_REAL(openat)(AT_FDCWD, SHADOWIPC_DEVICE, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return -1;
	if (fstat(fd, &st) < 0 || !S_ISCHR(st.st_mode)) {
		close(fd);
		errno = ENODEV;
		return -1;
	}
	high = fcntl(fd, F_DUPFD_CLOEXEC, SIPC_HIGH_FD);
	if (high >= 0) {
		close(fd);
		fd = high;
	}
	__atomic_store_n(&dev_rdev, st.st_rdev, __ATOMIC_RELAXED);
	__atomic_store_n(&dev_ino, st.st_ino, __ATOMIC_RELAXED);
	return fd;
}

static void warn_dev(int err)
{
	char buf[128];
	const char *why;

	if (__atomic_exchange_n(&warned_dev, 1, __ATOMIC_RELAXED))
		return;
	switch (err) {
	case ENOENT:
	case ENODEV:
	case ENXIO:
		why = ": the shadowipc module is not loaded";
		break;
	case EACCES:
	case EPERM:
		why = ": permission denied (see the module's mode parameter)";
		break;
	default:
		snprintf(buf, sizeof(buf), ": %s", strerror(err));
		why = buf;
		break;
	}
	sipc_msg("cannot open " SHADOWIPC_DEVICE, why,
		 "; System V IPC calls fail (set " SIPC_ENV_FALLTHROUGH
		 "=1 to use the kernel's own IPC instead)");
}

int sipc_dev(enum sipc_kind kind)
{
	int fd = __atomic_load_n(&dev_fd, __ATOMIC_ACQUIRE);
	int nfd, err;

	if (kind != SIPC_NS && sipc_kind_fallthrough(kind))
		return SIPC_FALLTHROUGH;
	if (fd >= 0)
		return fd;
	nfd = dev_open();
	if (nfd < 0) {
		err = errno;
		if (sipc_fallthrough())
			return SIPC_FALLTHROUGH;
		warn_dev(err);
		errno = (err == ENOENT || err == ENODEV || err == ENXIO) ?
			ENOSYS : err;
		return -1;
	}
	fd = -1;
	if (!__atomic_compare_exchange_n(&dev_fd, &fd, nfd, false,
					 __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
		/* Another thread installed one first: use it. */
		close(nfd);
		return fd;
	}
	return nfd;
}

int sipc_keys_devfd(void)
{
	int fd = sipc_dev(SIPC_NS);

	/* mapped, not ioctl()ed: nothing would say it is another file */
	if (fd >= 0 && !dev_valid(fd)) {
		dev_forget(fd);
		fd = sipc_dev(SIPC_NS);
	}
	return fd < 0 ? -1 : fd;
}

bool sipc_kind_fallthrough(enum sipc_kind kind)
{
	return __atomic_load_n(&unsupported[kind], __ATOMIC_RELAXED) &&
	       sipc_fallthrough();
}

/*
 * Did ioctl(@fd, @req) fail because @fd is no longer the device? Only
 * errors that a file which is not the device gives, and the module never
 * gives for @req, are checked, so that a successful call, or one failing
 * as a program's bad input makes it fail, costs no second system call:
 * ENOTTY (a file without this ioctl: the module knows every command the
 * shim sends), and EBADF (no file at all) unless @req takes a descriptor
 * of its own, whose EBADF is the module's answer to a bad queue or handle
 * descriptor (a program's mistake, common in stress tests). Left
 * unnoticed, so: the device fd closed by a raw system call, its number
 * then unused, costs those calls EBADF until the next other call through
 * the shim opens the device again; the number taken by another file is
 * still noticed (ENOTTY).
 */
static bool dev_gone(int fd, unsigned long req, int err)
{
	switch (err) {
	case ENOTTY:
		break;
	case EBADF:
		if (req == SHADOWIPC_IOC_MQ_TIMEDSEND ||
		    req == SHADOWIPC_IOC_MQ_TIMEDRECEIVE ||
		    req == SHADOWIPC_IOC_MQ_NOTIFY ||
		    req == SHADOWIPC_IOC_MQ_GETSETATTR ||
		    req == SHADOWIPC_IOC_SETNS)
			return false;
		break;
	default:
		return false;
	}
	if (dev_valid(fd))
		return false;
	dev_forget(fd);
	return true;
}

long sipc_ioctl(int fd, unsigned long req, void *arg, enum sipc_kind kind)
{
	static const char *const what[SIPC_NR_KINDS] = {
		[SIPC_SHM] = "System V shared memory",
		[SIPC_MSG] = "System V message queues",
		[SIPC_SEM] = "System V semaphores",
		[SIPC_MQ] = "POSIX message queues",
		[SIPC_NS] = "namespaces",
	};
	long ret = ioctl(fd, req, arg);

	if (ret < 0 && dev_gone(fd, req, errno)) {
		/* nothing was done: do it on a device fd */
		fd = sipc_dev(SIPC_NS);
		if (fd < 0) {
			if (fd == SIPC_FALLTHROUGH)
				errno = ENOSYS;
			return -1;
		}
		ret = ioctl(fd, req, arg);
	}
	if (ret < 0 && sipc_explain_on())
		sipc_explain(fd, req, arg);
	if (ret < 0 && errno == ENOTTY) {
		__atomic_store_n(&unsupported[kind], 1, __ATOMIC_RELAXED);
		if (!__atomic_exchange_n(&warned_kind[kind], 1, __ATOMIC_RELAXED))
			sipc_msg("the loaded shadowipc module does not support ",
				 what[kind], sipc_fallthrough() ?
				 "; using the kernel's own" :
				 "; those calls fail with ENOSYS");
		errno = ENOSYS;
	}
	return ret;
}

/*
 * The calls that close or replace an fd: the device fd is forgotten
 * before it goes, so that the next IPC call opens the device again
 * instead of sending an ioctl() to whatever file takes its number.
 * fcntl(F_DUPFD*) and dup() only take free numbers.
 */
SIPC_EXPORT int close(int fd)
{
	dev_forget(fd);
	return SIPC_REAL(close)(fd);
}

SIPC_EXPORT int close_range(unsigned int first, unsigned int last, int flags)
{
	if (!(flags & CLOSE_RANGE_CLOEXEC))
		dev_forget_range(first, last);
	return SIPC_REAL(close_range)(first, last, flags);
}

SIPC_EXPORT void closefrom(int lowfd)
{
	dev_forget_range(lowfd < 0 ? 0 : lowfd, ~0U);
	SIPC_REAL(closefrom)(lowfd);
}

SIPC_EXPORT int dup2(int oldfd, int newfd)
{
	if (oldfd != newfd)
		dev_forget(newfd);
	return SIPC_REAL(dup2)(oldfd, newfd);
}

SIPC_EXPORT int dup3(int oldfd, int newfd, int flags)
{
	if (oldfd != newfd)
		dev_forget(newfd);
	return SIPC_REAL(dup3)(oldfd, newfd, flags);
}
