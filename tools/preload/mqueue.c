// SPDX-License-Identifier: GPL-2.0
/*
 * libshadowipc-preload: glibc's POSIX message queue functions, and
 * syscall() of their system call numbers, sent to the caller's shadow
 * namespace through the /dev/shadowipc ioctls. An
 * mqd_t is the queue's file descriptor, as with glibc: mq_close() is
 * close(), and programs that poll or close the descriptor themselves
 * work unchanged. The glibc parts are done here as glibc does them: the
 * leading '/' of a name (EINVAL without it), mq_unlink()'s EPERM turned
 * into EACCES, and SIGEV_THREAD, whose function runs on a new thread
 * made with sigev_notify_attributes once the module signals an eventfd
 * (glibc uses a netlink socket for the same).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <mqueue.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "preload.h"

/* As SIPC_CALL in sysv.c, for the mq calls. */
#define SIPC_MQ_CALL(req, arg, realcall) do {				\
	int fd_ = sipc_dev(SIPC_MQ);					\
	long r_;							\
									\
	if (fd_ == SIPC_FALLTHROUGH)					\
		return (realcall);					\
	if (fd_ < 0)							\
		return -1;						\
	r_ = sipc_ioctl(fd_, req, arg, SIPC_MQ);			\
	if (r_ < 0 && errno == ENOSYS && sipc_kind_fallthrough(SIPC_MQ)) \
		return (realcall);					\
	return r_;							\
} while (0)

static mqd_t sipc_mq_open(const char *name, int oflag, mode_t mode,
			  struct mq_attr *attr)
{
	struct shadowipc_mq_open a = {
		.name = (uintptr_t)(name + 1), .attr = (uintptr_t)attr,
		.oflag = oflag, .mode = mode,
	};

	if (name[0] != '/') {
		errno = EINVAL;
		return -1;
	}
	SIPC_MQ_CALL(SHADOWIPC_IOC_MQ_OPEN, &a,
		     SIPC_REAL(mq_open)(name, oflag, mode, attr));
}

SIPC_EXPORT mqd_t mq_open(const char *name, int oflag, ...)
{
	struct mq_attr *attr = NULL;
	mode_t mode = 0;
	va_list ap;

	if (oflag & O_CREAT) {
		va_start(ap, oflag);
		mode = va_arg(ap, mode_t);
		attr = va_arg(ap, struct mq_attr *);
		va_end(ap);
	}
	return sipc_mq_open(name, oflag, mode, attr);
}

/* The _FORTIFY_SOURCE entry point: no O_CREAT allowed. */
mqd_t __mq_open_2(const char *name, int oflag);

SIPC_EXPORT mqd_t __mq_open_2(const char *name, int oflag)
{
	if (oflag & O_CREAT) {
		sipc_msg("invalid mq_open call: O_CREAT without mode and attr",
			 "", "");
		abort();
	}
	return sipc_mq_open(name, oflag, 0, NULL);
}

SIPC_EXPORT int mq_unlink(const char *name)
{
	struct shadowipc_mq_unlink a = { .name = (uintptr_t)(name + 1) };
	int fd;
	long r;

	if (name[0] != '/') {
		errno = EINVAL;
		return -1;
	}
	fd = sipc_dev(SIPC_MQ);
	if (fd == SIPC_FALLTHROUGH)
		return SIPC_REAL(mq_unlink)(name);
	if (fd < 0)
		return -1;
	r = sipc_ioctl(fd, SHADOWIPC_IOC_MQ_UNLINK, &a, SIPC_MQ);
	if (r < 0 && errno == ENOSYS && sipc_kind_fallthrough(SIPC_MQ))
		return SIPC_REAL(mq_unlink)(name);
	/* glibc reports the sticky directory's EPERM as EACCES */
	if (r < 0 && errno == EPERM)
		errno = EACCES;
	return (int)r;
}

/* glibc declares the timeout and new attributes non-null: not these. */
static int sipc_mq_timedsend(mqd_t mqdes, const char *msg, size_t len,
			     unsigned int prio, const struct timespec *abs)
{
	struct shadowipc_mq_timedsend a = {
		.msg = (uintptr_t)msg, .len = len, .timeout = (uintptr_t)abs,
		.fd = mqdes, .prio = prio,
	};

	SIPC_MQ_CALL(SHADOWIPC_IOC_MQ_TIMEDSEND, &a,
		     SIPC_REAL(mq_timedsend)(mqdes, msg, len, prio, abs));
}

SIPC_EXPORT int mq_timedsend(mqd_t mqdes, const char *msg, size_t len,
			     unsigned int prio, const struct timespec *abs)
{
	return sipc_mq_timedsend(mqdes, msg, len, prio, abs);
}

SIPC_EXPORT int mq_send(mqd_t mqdes, const char *msg, size_t len,
			unsigned int prio)
{
	return sipc_mq_timedsend(mqdes, msg, len, prio, NULL);
}

static ssize_t sipc_mq_timedreceive(mqd_t mqdes, char *msg, size_t len,
				    unsigned int *prio,
				    const struct timespec *abs)
{
	struct shadowipc_mq_timedreceive a = {
		.msg = (uintptr_t)msg, .len = len, .prio = (uintptr_t)prio,
		.timeout = (uintptr_t)abs, .fd = mqdes,
	};

	SIPC_MQ_CALL(SHADOWIPC_IOC_MQ_TIMEDRECEIVE, &a,
		     SIPC_REAL(mq_timedreceive)(mqdes, msg, len, prio, abs));
}

SIPC_EXPORT ssize_t mq_timedreceive(mqd_t mqdes, char *msg, size_t len,
				    unsigned int *prio,
				    const struct timespec *abs)
{
	return sipc_mq_timedreceive(mqdes, msg, len, prio, abs);
}

SIPC_EXPORT ssize_t mq_receive(mqd_t mqdes, char *msg, size_t len,
			       unsigned int *prio)
{
	return sipc_mq_timedreceive(mqdes, msg, len, prio, NULL);
}

static int sipc_mq_setattr(mqd_t mqdes, const struct mq_attr *newattr,
			   struct mq_attr *oldattr)
{
	struct shadowipc_mq_getsetattr a = {
		.newattr = (uintptr_t)newattr, .oldattr = (uintptr_t)oldattr,
		.fd = mqdes,
	};

	SIPC_MQ_CALL(SHADOWIPC_IOC_MQ_GETSETATTR, &a,
		     SIPC_REAL(mq_setattr)(mqdes, newattr, oldattr));
}

SIPC_EXPORT int mq_setattr(mqd_t mqdes, const struct mq_attr *newattr,
			   struct mq_attr *oldattr)
{
	return sipc_mq_setattr(mqdes, newattr, oldattr);
}

SIPC_EXPORT int mq_getattr(mqd_t mqdes, struct mq_attr *attr)
{
	return sipc_mq_setattr(mqdes, NULL, attr);
}

/* --- mq_notify --- */

/*
 * SIGEV_THREAD: one waiter thread per registration reads the eventfd the
 * module signals, then runs the function (the waiter is made with the
 * caller's attributes, as glibc makes the notification thread).
 * mq_notify(NULL) and mq_close() wake the waiter of a registration they
 * remove; one dropped by a plain close() leaves its waiter blocked.
 */
struct notify_waiter {
	mqd_t mqdes;
	int efd;
	void (*fn)(union sigval);
	union sigval value;
};

#define NOTIFY_CANCEL	0x100
#define NOTIFY_FDS	1024

static int notify_efd[NOTIFY_FDS];
static pthread_mutex_t notify_lock = PTHREAD_MUTEX_INITIALIZER;

static void *notify_wait(void *arg)
{
	struct notify_waiter w = *(struct notify_waiter *)arg;
	uint64_t v = 0;

	free(arg);
	while (read(w.efd, &v, sizeof(v)) < 0 && errno == EINTR)
		;
	pthread_mutex_lock(&notify_lock);
	if (w.mqdes >= 0 && w.mqdes < NOTIFY_FDS &&
	    notify_efd[w.mqdes] == w.efd)
		notify_efd[w.mqdes] = 0;
	close(w.efd);
	pthread_mutex_unlock(&notify_lock);
	if (v & 1)
		w.fn(w.value);
	return NULL;
}

static void notify_cancel(mqd_t mqdes)
{
	uint64_t v = NOTIFY_CANCEL;
	int efd;

	if (mqdes < 0 || mqdes >= NOTIFY_FDS)
		return;
	pthread_mutex_lock(&notify_lock);
	efd = notify_efd[mqdes];
	if (efd > 0 && write(efd, &v, sizeof(v)) == sizeof(v))
		notify_efd[mqdes] = 0;
	pthread_mutex_unlock(&notify_lock);
}

static int notify_ioctl(int dev, mqd_t mqdes, const struct sigevent *sev)
{
	struct shadowipc_mq_notify a = { .sevp = (uintptr_t)sev, .fd = mqdes };

	return (int)sipc_ioctl(dev, SHADOWIPC_IOC_MQ_NOTIFY, &a, SIPC_MQ);
}

static int notify_thread(int dev, mqd_t mqdes, const struct sigevent *sevp)
{
	struct notify_waiter *w;
	struct sigevent sev;
	pthread_t t;
	int ret, efd, ds;

	efd = eventfd(0, EFD_CLOEXEC);
	if (efd < 0)
		return -1;
	w = malloc(sizeof(*w));
	if (!w) {
		close(efd);
		errno = ENOMEM;
		return -1;
	}
	*w = (struct notify_waiter){
		.mqdes = mqdes, .efd = efd,
		.fn = sevp->sigev_notify_function, .value = sevp->sigev_value,
	};
	sev = *sevp;
	sev.sigev_signo = efd;
	pthread_mutex_lock(&notify_lock);
	ret = notify_ioctl(dev, mqdes, &sev);
	if (ret)
		goto err_unlock;
	ret = pthread_create(&t, sevp->sigev_notify_attributes, notify_wait, w);
	if (ret) {
		notify_ioctl(dev, mqdes, NULL);
		errno = ret;
		ret = -1;
		goto err_unlock;
	}
	if (!sevp->sigev_notify_attributes ||
	    (!pthread_attr_getdetachstate(sevp->sigev_notify_attributes, &ds) &&
	     ds == PTHREAD_CREATE_JOINABLE))
		pthread_detach(t);
	if (mqdes >= 0 && mqdes < NOTIFY_FDS)
		notify_efd[mqdes] = efd;
	pthread_mutex_unlock(&notify_lock);
	return 0;

err_unlock:
	pthread_mutex_unlock(&notify_lock);
	free(w);
	close(efd);
	return ret;
}

SIPC_EXPORT int mq_notify(mqd_t mqdes, const struct sigevent *sevp)
{
	int dev = sipc_dev(SIPC_MQ), ret;

	if (dev == SIPC_FALLTHROUGH)
		return SIPC_REAL(mq_notify)(mqdes, sevp);
	if (dev < 0)
		return -1;
	if (sevp && sevp->sigev_notify == SIGEV_THREAD)
		ret = notify_thread(dev, mqdes, sevp);
	else
		ret = notify_ioctl(dev, mqdes, sevp);
	if (ret < 0 && errno == ENOSYS && sipc_kind_fallthrough(SIPC_MQ))
		return SIPC_REAL(mq_notify)(mqdes, sevp);
	if (!ret && !sevp)
		notify_cancel(mqdes);
	return ret;
}

SIPC_EXPORT int mq_close(mqd_t mqdes)
{
	/* close() drops this process's registration, if any: wake its waiter */
	notify_cancel(mqdes);
	return close(mqdes);
}

/* --- syscall(SYS_mq_*) --- */

/*
 * The system calls as the kernel takes them: the name without glibc's
 * leading '/', mq_unlink()'s EPERM left as it is, the attributes read
 * whenever the pointer is set. mq_notify() with SIGEV_THREAD takes what
 * the module takes, an eventfd in sigev_signo; the kernel's netlink
 * socket is refused with EINVAL. Sends, receives and attributes are
 * glibc's calls unchanged.
 */
long sipc_mq_syscall(long nr, const long *a)
{
	union {
		struct shadowipc_mq_open open;
		struct shadowipc_mq_unlink unlink;
		struct shadowipc_mq_notify notify;
	} u;
	unsigned long req;
	int dev;
	long r;

	memset(&u, 0, sizeof(u));
	switch (nr) {
	case SYS_mq_timedsend:
		return sipc_mq_timedsend((mqd_t)a[0], (const char *)a[1], a[2],
					 (unsigned int)a[3],
					 (const struct timespec *)a[4]);
	case SYS_mq_timedreceive:
		return sipc_mq_timedreceive((mqd_t)a[0], (char *)a[1], a[2],
					    (unsigned int *)a[3],
					    (const struct timespec *)a[4]);
	case SYS_mq_getsetattr:
		return sipc_mq_setattr((mqd_t)a[0], (const struct mq_attr *)a[1],
				       (struct mq_attr *)a[2]);
	case SYS_mq_open:
		u.open.name = (unsigned long)a[0];
		u.open.oflag = (int)a[1];
		u.open.mode = (unsigned short)a[2];
		u.open.attr = (unsigned long)a[3];
		req = SHADOWIPC_IOC_MQ_OPEN;
		break;
	case SYS_mq_unlink:
		u.unlink.name = (unsigned long)a[0];
		req = SHADOWIPC_IOC_MQ_UNLINK;
		break;
	default:	/* SYS_mq_notify */
		u.notify.fd = (int)a[0];
		u.notify.sevp = (unsigned long)a[1];
		req = SHADOWIPC_IOC_MQ_NOTIFY;
		break;
	}
	dev = sipc_dev(SIPC_MQ);
	if (dev == SIPC_FALLTHROUGH)
		goto real;
	if (dev < 0)
		return -1;
	r = sipc_ioctl(dev, req, &u, SIPC_MQ);
	if (r < 0 && errno == ENOSYS && sipc_kind_fallthrough(SIPC_MQ))
		goto real;
	/* a removal wakes the shim's SIGEV_THREAD waiter, as mq_notify() */
	if (!r && nr == SYS_mq_notify && !a[1])
		notify_cancel((mqd_t)a[0]);
	return r;

real:
	return SIPC_REAL(syscall)(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
}
