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
 * and an fd opened through the shim on /proc/PID/ns/ipc (also
 * /proc/PID/task/TID/ns/ipc, /proc/self/ns/ipc, /proc/thread-self/ns/ipc)
 * for nstype 0 or CLONE_NEWIPC joins the shadow namespace of that thread
 * as it is at the setns() (Linux's fd keeps the namespace of the
 * open; the thread must still be there), under the module's rule for
 * SHADOWIPC_IOC_NS_FD and SHADOWIPC_IOC_SETNS: as nsenter --ipc does. Any
 * other fd goes to the real call.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
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

/*
 * The fds of IPC namespaces opened under /proc, and whose: the last
 * NS_OPENS of them (a program opens one, then setns()), each known by
 * its file too, in case its number was closed and reused since.
 */
#define NS_OPENS	8

static struct ns_open {
	int fd;
	pid_t tid;
	dev_t dev;
	ino_t ino;
} ns_opens[NS_OPENS];
static unsigned int ns_opens_next;
static pthread_mutex_t ns_opens_lock = PTHREAD_MUTEX_INITIALIZER;

/* A thread id at @p (after slashes), its end in *@end; or 0. */
static long path_tid(const char *p, const char **end)
{
	char *e;
	long tid;

	p = sipc_skip_slashes(p);
	tid = strtol(p, &e, 10);
	if (e == p || tid <= 0 || (*e != '/' && *e != '\0'))
		return 0;
	*end = e;
	return tid;
}

/*
 * The thread whose IPC namespace @p (after "/proc") names: self,
 * thread-self, PID or PID/task/TID, then ns/ipc. Or 0.
 */
static pid_t ns_ipc_path_tid(const char *p)
{
	const char *self = sipc_path_component(p, "self");
	const char *thread_self = sipc_path_component(p, "thread-self");
	const char *rest = NULL, *task;
	long tid;

	if (self) {
		rest = self;
		tid = getpid();
	} else if (thread_self) {
		rest = thread_self;
		tid = gettid();
	} else {
		tid = path_tid(p, &rest);
		task = tid ? sipc_path_component(rest, "task") : NULL;
		if (task)
			tid = path_tid(task, &rest);
	}
	if (!tid)
		return 0;
	rest = sipc_path_component(rest, "ns");
	rest = rest ? sipc_path_component(rest, "ipc") : NULL;
	return rest && *sipc_skip_slashes(rest) == '\0' ? (pid_t)tid : 0;
}

int sipc_ns_opened(const char *path, int fd)
{
	const char *p;
	struct stat st;
	unsigned int i;
	pid_t tid;

	/* The fast path: anything not under /proc. */
	if (fd < 0 || !path || strncmp(path, "/proc/", 6) != 0)
		return fd;
	p = sipc_path_component(path, "proc");
	tid = p ? ns_ipc_path_tid(p) : 0;
	if (!tid || fstat(fd, &st))
		return fd;
	pthread_mutex_lock(&ns_opens_lock);
	/* An older entry for the same number is stale. */
	for (i = 0; i < NS_OPENS && ns_opens[i].fd != fd; i++)
		;
	if (i == NS_OPENS)
		i = ns_opens_next++ % NS_OPENS;
	ns_opens[i] = (struct ns_open){
		.fd = fd, .tid = tid, .dev = st.st_dev, .ino = st.st_ino,
	};
	pthread_mutex_unlock(&ns_opens_lock);
	return fd;
}

/* The thread whose /proc/.../ns/ipc @fd was opened on, or 0. */
static pid_t ns_opened_tid(int fd)
{
	struct stat st;
	pid_t tid = 0;
	unsigned int i;

	if (fstat(fd, &st))
		return 0;
	pthread_mutex_lock(&ns_opens_lock);
	for (i = 0; i < NS_OPENS; i++)
		if (ns_opens[i].tid && ns_opens[i].fd == fd &&
		    ns_opens[i].dev == st.st_dev && ns_opens[i].ino == st.st_ino)
			tid = ns_opens[i].tid;
	pthread_mutex_unlock(&ns_opens_lock);
	return tid;
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
	/*
	 * Not a shadow handle: a /proc/PID/ns/ipc fd, a pidfd for
	 * CLONE_NEWIPC, or another real ns fd.
	 */
	pid = ns_opened_tid(fd);
	if (!pid && nstype)
		pid = pidfd_pid(fd);
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
