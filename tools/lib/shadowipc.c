// SPDX-License-Identifier: GPL-2.0
/*
 * libshadowipc: thin wrappers over the /dev/shadowipc ioctls.
 */
#define _GNU_SOURCE	/* IPC_INFO, SEM_INFO, SEM_STAT, SEM_STAT_ANY */
#include <errno.h>
#include <stdarg.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "keys.h"
#include "shadowipc.h"

static int dev_fd = -1;

int shadowipc_fd(void)
{
	int fd = __atomic_load_n(&dev_fd, __ATOMIC_ACQUIRE);
	int expected = -1;

	if (fd >= 0)
		return fd;
	fd = open(SHADOWIPC_DEVICE, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return -1;
	/* Another thread may have opened it first: keep one. */
	if (!__atomic_compare_exchange_n(&dev_fd, &expected, fd, false,
					 __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
		close(fd);
		fd = expected;
	}
	return fd;
}

void shadowipc_close(void)
{
	int fd = __atomic_exchange_n(&dev_fd, -1, __ATOMIC_ACQ_REL);

	if (fd >= 0)
		close(fd);
}

static int dev_ioctl(unsigned long cmd, void *arg)
{
	int fd = shadowipc_fd();

	if (fd < 0)
		return -1;
	return ioctl(fd, cmd, arg);
}

int shadowipc_version(void)
{
	struct shadowipc_version v = { 0 };

	if (dev_ioctl(SHADOWIPC_IOC_VERSION, &v))
		return -1;
	return (int)v.abi_version;
}

int shadowipc_status(struct shadowipc_status *st, __u32 flags)
{
	memset(st, 0, sizeof(*st));
	st->flags = flags;
	return dev_ioctl(SHADOWIPC_IOC_STATUS, st);
}

int shadowipc_last_refusal(struct shadowipc_last_refusal *r)
{
	memset(r, 0, sizeof(*r));
	return dev_ioctl(SHADOWIPC_IOC_LAST_REFUSAL, r);
}

int shadowipc_unshare(uint64_t *ns_id)
{
	struct shadowipc_unshare u = { 0 };

	if (dev_ioctl(SHADOWIPC_IOC_UNSHARE, &u))
		return -1;
	if (ns_id)
		*ns_id = u.ns_id;
	return 0;
}

static int ns_handle(pid_t pid, __u32 flags, uint64_t *ns_id)
{
	struct shadowipc_ns_fd a = { .pid = pid, .flags = flags };
	int fd = dev_ioctl(SHADOWIPC_IOC_NS_FD, &a);

	if (fd >= 0 && ns_id)
		*ns_id = a.ns_id;
	return fd;
}

int shadowipc_ns_fd(pid_t pid, uint64_t *ns_id)
{
	return ns_handle(pid, 0, ns_id);
}

int shadowipc_ns_watch(pid_t pid, uint64_t *ns_id)
{
	return ns_handle(pid, SHADOWIPC_NS_FD_WATCH, ns_id);
}

int shadowipc_ns_drain(int fd, struct shadowipc_ns_drain *removed)
{
	memset(removed, 0, sizeof(*removed));
	return ioctl(fd, SHADOWIPC_IOC_NS_DRAIN, removed);
}

int shadowipc_setns(int fd)
{
	struct shadowipc_setns a = { .fd = fd };

	return dev_ioctl(SHADOWIPC_IOC_SETNS, &a);
}

int shadowipc_ns_info(int fd, struct shadowipc_ns_info *info)
{
	memset(info, 0, sizeof(*info));
	info->fd = fd;
	return dev_ioctl(SHADOWIPC_IOC_NS_INFO, info);
}

uint64_t shadowipc_ns_id(void)
{
	struct shadowipc_ns_info info;

	return shadowipc_ns_info(-1, &info) ? 0 : info.id;
}

int shadowipc_shmget(key_t key, size_t size, int shmflg)
{
	struct shadowipc_shmget a = {
		.size = size, .key = key, .shmflg = shmflg,
	};
	int id = sipc_keys_lookup(SHADOWIPC_KIND_SHM, key, shmflg, size,
				  shadowipc_fd);

	if (id >= 0)
		return id;
	return dev_ioctl(SHADOWIPC_IOC_SHMGET, &a);
}

void *shadowipc_shmat(int shmid, const void *shmaddr, int shmflg)
{
	struct shadowipc_shmat a = {
		.addr = (uintptr_t)shmaddr, .shmid = shmid, .shmflg = shmflg,
	};

	if (dev_ioctl(SHADOWIPC_IOC_SHMAT, &a))
		return (void *)-1;
	return (void *)(uintptr_t)a.addr;
}

int shadowipc_shmdt(const void *shmaddr)
{
	struct shadowipc_shmdt a = { .addr = (uintptr_t)shmaddr };

	return dev_ioctl(SHADOWIPC_IOC_SHMDT, &a);
}

int shadowipc_shmctl(int shmid, int cmd, struct shmid_ds *buf)
{
	struct shadowipc_shmctl a = {
		.buf = (uintptr_t)buf, .shmid = shmid, .cmd = cmd,
	};

	return dev_ioctl(SHADOWIPC_IOC_SHMCTL, &a);
}

int shadowipc_msgget(key_t key, int msgflg)
{
	struct shadowipc_msgget a = { .key = key, .msgflg = msgflg };
	int id = sipc_keys_lookup(SHADOWIPC_KIND_MSG, key, msgflg, 0,
				  shadowipc_fd);

	if (id >= 0)
		return id;
	return dev_ioctl(SHADOWIPC_IOC_MSGGET, &a);
}

int shadowipc_msgsnd(int msqid, const void *msgp, size_t msgsz, int msgflg)
{
	struct shadowipc_msgsnd a = {
		.msgp = (uintptr_t)msgp, .msgsz = msgsz, .msqid = msqid,
		.msgflg = msgflg,
	};

	return dev_ioctl(SHADOWIPC_IOC_MSGSND, &a);
}

ssize_t shadowipc_msgrcv(int msqid, void *msgp, size_t msgsz, long msgtyp,
			 int msgflg)
{
	struct shadowipc_msgrcv a = {
		.msgp = (uintptr_t)msgp, .msgsz = msgsz, .msgtyp = msgtyp,
		.msqid = msqid, .msgflg = msgflg,
	};

	return dev_ioctl(SHADOWIPC_IOC_MSGRCV, &a);
}

int shadowipc_msgctl(int msqid, int cmd, struct msqid_ds *buf)
{
	struct shadowipc_msgctl a = {
		.buf = (uintptr_t)buf, .msqid = msqid, .cmd = cmd,
	};

	return dev_ioctl(SHADOWIPC_IOC_MSGCTL, &a);
}

int shadowipc_semget(key_t key, int nsems, int semflg)
{
	struct shadowipc_semget a = {
		.key = key, .nsems = nsems, .semflg = semflg,
	};
	int id = sipc_keys_lookup(SHADOWIPC_KIND_SEM, key, semflg,
				  (uint64_t)(int64_t)nsems, shadowipc_fd);

	if (id >= 0)
		return id;
	return dev_ioctl(SHADOWIPC_IOC_SEMGET, &a);
}

int shadowipc_semtimedop(int semid, struct sembuf *sops, size_t nsops,
			 const struct timespec *timeout)
{
	/* nsops: the system call's unsigned int, which a size_t narrows to */
	struct shadowipc_semop a = {
		.sops = (uintptr_t)sops, .nsops = (unsigned int)nsops,
		.timeout = (uintptr_t)timeout, .semid = semid,
	};

	return dev_ioctl(SHADOWIPC_IOC_SEMOP, &a);
}

int shadowipc_semop(int semid, struct sembuf *sops, size_t nsops)
{
	return shadowipc_semtimedop(semid, sops, nsops, NULL);
}

/* The caller's union semun (glibc leaves defining it to the caller). */
union shadowipc_semun {
	int val;
	void *buf;
	unsigned short *array;
};

int shadowipc_semctl(int semid, int semnum, int cmd, ...)
{
	struct shadowipc_semctl a = {
		.semid = semid, .semnum = semnum, .cmd = cmd,
	};
	union shadowipc_semun arg;
	va_list ap;

	/* The commands libc reads the argument for; the others get 0. */
	switch (cmd) {
	case SETVAL:
	case GETALL:
	case SETALL:
	case IPC_STAT:
	case IPC_SET:
	case SEM_STAT:
	case SEM_STAT_ANY:
	case IPC_INFO:
	case SEM_INFO:
		va_start(ap, cmd);
		arg = va_arg(ap, union shadowipc_semun);
		va_end(ap);
		/* All of it, as libc passes it: SETVAL uses the low half. */
		a.arg = (uintptr_t)arg.buf;
		break;
	}
	return dev_ioctl(SHADOWIPC_IOC_SEMCTL, &a);
}

/* --- POSIX message queues --- */

mqd_t shadowipc_mq_open(const char *name, int oflag, ...)
{
	struct shadowipc_mq_open a = { 0 };
	struct mq_attr *attr = NULL;
	mode_t mode = 0;
	va_list ap;

	if (name[0] != '/') {
		errno = EINVAL;
		return -1;
	}
	if (oflag & O_CREAT) {
		va_start(ap, oflag);
		mode = va_arg(ap, mode_t);
		attr = va_arg(ap, struct mq_attr *);
		va_end(ap);
	}
	a.name = (uintptr_t)(name + 1);
	a.attr = (uintptr_t)attr;
	a.oflag = oflag;
	a.mode = mode;
	return dev_ioctl(SHADOWIPC_IOC_MQ_OPEN, &a);
}

int shadowipc_mq_close(mqd_t mqdes)
{
	return close(mqdes);
}

int shadowipc_mq_unlink(const char *name)
{
	struct shadowipc_mq_unlink a = { 0 };
	int ret;

	if (name[0] != '/') {
		errno = EINVAL;
		return -1;
	}
	a.name = (uintptr_t)(name + 1);
	ret = dev_ioctl(SHADOWIPC_IOC_MQ_UNLINK, &a);
	/* As glibc: the sticky directory's EPERM is reported as EACCES. */
	if (ret < 0 && errno == EPERM)
		errno = EACCES;
	return ret;
}

int shadowipc_mq_timedsend(mqd_t mqdes, const char *msg, size_t len,
			   unsigned int prio, const struct timespec *abs)
{
	struct shadowipc_mq_timedsend a = {
		.msg = (uintptr_t)msg, .len = len,
		.timeout = (uintptr_t)abs, .fd = mqdes, .prio = prio,
	};

	return dev_ioctl(SHADOWIPC_IOC_MQ_TIMEDSEND, &a);
}

int shadowipc_mq_send(mqd_t mqdes, const char *msg, size_t len,
		      unsigned int prio)
{
	return shadowipc_mq_timedsend(mqdes, msg, len, prio, NULL);
}

ssize_t shadowipc_mq_timedreceive(mqd_t mqdes, char *msg, size_t len,
				  unsigned int *prio,
				  const struct timespec *abs)
{
	struct shadowipc_mq_timedreceive a = {
		.msg = (uintptr_t)msg, .len = len, .prio = (uintptr_t)prio,
		.timeout = (uintptr_t)abs, .fd = mqdes,
	};

	return dev_ioctl(SHADOWIPC_IOC_MQ_TIMEDRECEIVE, &a);
}

ssize_t shadowipc_mq_receive(mqd_t mqdes, char *msg, size_t len,
			     unsigned int *prio)
{
	return shadowipc_mq_timedreceive(mqdes, msg, len, prio, NULL);
}

int shadowipc_mq_setattr(mqd_t mqdes, const struct mq_attr *newattr,
			 struct mq_attr *oldattr)
{
	struct shadowipc_mq_getsetattr a = {
		.newattr = (uintptr_t)newattr, .oldattr = (uintptr_t)oldattr,
		.fd = mqdes,
	};

	return dev_ioctl(SHADOWIPC_IOC_MQ_GETSETATTR, &a);
}

int shadowipc_mq_getattr(mqd_t mqdes, struct mq_attr *attr)
{
	return shadowipc_mq_setattr(mqdes, NULL, attr);
}

/*
 * SIGEV_THREAD: the module adds 1 to an eventfd when the notification
 * fires; a waiter thread, made with the caller's sigev_notify_attributes
 * (as glibc makes the notification thread), reads it and runs the
 * function. mq_notify(NULL) wakes a waiter whose registration it removes;
 * a registration dropped by close() leaves its waiter blocked.
 */
struct mq_thread_notify {
	mqd_t mqdes;
	int efd;
	void (*fn)(union sigval);
	union sigval value;
};

#define MQ_NOTIFY_CANCEL	0x100
#define MQ_NOTIFY_FDS		1024

/* The eventfd of this process's SIGEV_THREAD registration per queue fd. */
static int mq_notify_efd[MQ_NOTIFY_FDS];
static pthread_mutex_t mq_notify_lock = PTHREAD_MUTEX_INITIALIZER;

static void mq_notify_forget(mqd_t mqdes, int efd)
{
	if (mqdes >= 0 && mqdes < MQ_NOTIFY_FDS &&
	    mq_notify_efd[mqdes] == efd)
		mq_notify_efd[mqdes] = 0;
}

static void *mq_notify_wait(void *arg)
{
	struct mq_thread_notify n = *(struct mq_thread_notify *)arg;
	uint64_t v = 0;

	free(arg);
	while (read(n.efd, &v, sizeof(v)) < 0 && errno == EINTR)
		;
	pthread_mutex_lock(&mq_notify_lock);
	mq_notify_forget(n.mqdes, n.efd);
	close(n.efd);
	pthread_mutex_unlock(&mq_notify_lock);
	if (v & 1)
		n.fn(n.value);
	return NULL;
}

/* Wake the waiter of a registration mq_notify(NULL) removed. */
static void mq_notify_cancel(mqd_t mqdes)
{
	uint64_t v = MQ_NOTIFY_CANCEL;
	int efd;

	if (mqdes < 0 || mqdes >= MQ_NOTIFY_FDS)
		return;
	pthread_mutex_lock(&mq_notify_lock);
	efd = mq_notify_efd[mqdes];
	if (efd > 0 && write(efd, &v, sizeof(v)) == sizeof(v))
		mq_notify_efd[mqdes] = 0;
	pthread_mutex_unlock(&mq_notify_lock);
}

int shadowipc_mq_notify(mqd_t mqdes, const struct sigevent *sevp)
{
	struct shadowipc_mq_notify a = { .sevp = (uintptr_t)sevp, .fd = mqdes };
	struct mq_thread_notify *n;
	struct sigevent sev;
	pthread_t t;
	int ret, efd;

	if (!sevp || sevp->sigev_notify != SIGEV_THREAD) {
		ret = dev_ioctl(SHADOWIPC_IOC_MQ_NOTIFY, &a);
		if (!ret && !sevp)
			mq_notify_cancel(mqdes);
		return ret;
	}
	efd = eventfd(0, EFD_CLOEXEC);
	if (efd < 0)
		return -1;
	sev = *sevp;
	sev.sigev_signo = efd;
	a.sevp = (uintptr_t)&sev;
	n = malloc(sizeof(*n));
	if (!n) {
		close(efd);
		errno = ENOMEM;
		return -1;
	}
	n->mqdes = mqdes;
	n->efd = efd;
	n->fn = sevp->sigev_notify_function;
	n->value = sevp->sigev_value;
	pthread_mutex_lock(&mq_notify_lock);
	ret = dev_ioctl(SHADOWIPC_IOC_MQ_NOTIFY, &a);
	if (ret)
		goto err_unlock;
	ret = pthread_create(&t, sevp->sigev_notify_attributes,
			     mq_notify_wait, n);
	if (ret) {
		a.sevp = 0;
		dev_ioctl(SHADOWIPC_IOC_MQ_NOTIFY, &a);
		errno = ret;
		ret = -1;
		goto err_unlock;
	}
	if (!sevp->sigev_notify_attributes ||
	    (!pthread_attr_getdetachstate(sevp->sigev_notify_attributes,
					  &ret) &&
	     ret == PTHREAD_CREATE_JOINABLE))
		pthread_detach(t);
	if (mqdes >= 0 && mqdes < MQ_NOTIFY_FDS)
		mq_notify_efd[mqdes] = efd;
	pthread_mutex_unlock(&mq_notify_lock);
	return 0;

err_unlock:
	pthread_mutex_unlock(&mq_notify_lock);
	free(n);
	close(efd);
	return ret;
}
