// SPDX-License-Identifier: GPL-2.0
/*
 * libshadowipc-preload: unshare() and setns() for CLONE_NEWIPC.
 *
 * unshare(CLONE_NEWIPC) becomes a shadow unshare (SHADOWIPC_IOC_UNSHARE)
 * and needs no privilege; the other flags still go to the real call,
 * first, so that a refused real unshare leaves the thread where it was.
 * setns() accepts a shadow namespace handle (from SHADOWIPC_IOC_NS_FD)
 * for nstype 0 or CLONE_NEWIPC, and a pidfd whose nstype includes
 * CLONE_NEWIPC (the IPC part through a handle on the pid's namespace);
 * any other fd goes to the real call.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "preload.h"

int sipc_unshare(int flags)
{
	struct shadowipc_unshare u = { 0 };
	int fd, rest = flags & ~CLONE_NEWIPC;

	if (!(flags & CLONE_NEWIPC))
		return SIPC_REAL(unshare)(flags);
	fd = sipc_dev(SIPC_NS);
	if (fd == SIPC_FALLTHROUGH)
		return SIPC_REAL(unshare)(flags);
	if (fd < 0)
		return -1;
	if (rest && SIPC_REAL(unshare)(rest) < 0)
		return -1;
	return (int)sipc_ioctl(fd, SHADOWIPC_IOC_UNSHARE, &u, SIPC_NS);
}

/* The pid a pidfd refers to (from /proc/self/fdinfo), or -1. */
static pid_t pidfd_pid(int fd)
{
	char path[64], buf[1024], *p;
	ssize_t n;
	int ffd;

	snprintf(path, sizeof(path), "/proc/self/fdinfo/%d", fd);
	ffd = SIPC_REAL(openat)(AT_FDCWD, path, O_RDONLY | O_CLOEXEC);
	if (ffd < 0)
		return -1;
	n = read(ffd, buf, sizeof(buf) - 1);
	close(ffd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	p = strstr(buf, "\nPid:");
	if (!p)
		return -1;
	return (pid_t)strtol(p + 5, NULL, 10);
}

/* Move into the shadow namespace of @pid. */
static int setns_pid(int dev, pid_t pid)
{
	struct shadowipc_ns_fd a = { .pid = pid };
	struct shadowipc_setns s = { 0 };
	int h, ret, err;

	h = (int)sipc_ioctl(dev, SHADOWIPC_IOC_NS_FD, &a, SIPC_NS);
	if (h < 0)
		return -1;
	s.fd = h;
	ret = (int)sipc_ioctl(dev, SHADOWIPC_IOC_SETNS, &s, SIPC_NS);
	err = errno;
	close(h);
	errno = err;
	return ret;
}

int sipc_setns(int fd, int nstype)
{
	struct shadowipc_setns s = { .fd = fd };
	int dev, rest = nstype & ~CLONE_NEWIPC;
	pid_t pid;

	if (nstype != 0 && !(nstype & CLONE_NEWIPC))
		return SIPC_REAL(setns)(fd, nstype);
	dev = sipc_dev(SIPC_NS);
	if (dev == SIPC_FALLTHROUGH)
		return SIPC_REAL(setns)(fd, nstype);
	if (dev < 0)
		return nstype ? -1 : SIPC_REAL(setns)(fd, nstype);

	if (rest) {
		/* Several types at once: only a pidfd allows that. */
		pid = pidfd_pid(fd);
		if (pid <= 0)
			return SIPC_REAL(setns)(fd, nstype);
		if (SIPC_REAL(setns)(fd, rest) < 0)
			return -1;
		return setns_pid(dev, pid);
	}
	if (sipc_ioctl(dev, SHADOWIPC_IOC_SETNS, &s, SIPC_NS) == 0)
		return 0;
	if (errno != EINVAL)
		return -1;
	/* Not a shadow handle: a pidfd for CLONE_NEWIPC, or a real ns fd. */
	pid = nstype ? pidfd_pid(fd) : -1;
	if (pid > 0)
		return setns_pid(dev, pid);
	return SIPC_REAL(setns)(fd, nstype);
}

SIPC_EXPORT int unshare(int flags)
{
	return sipc_unshare(flags);
}

SIPC_EXPORT int setns(int fd, int nstype)
{
	return sipc_setns(fd, nstype);
}
