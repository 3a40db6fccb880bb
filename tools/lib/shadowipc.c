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
#include <sys/ioctl.h>
#include <unistd.h>

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

int shadowipc_status(struct shadowipc_status *st)
{
	memset(st, 0, sizeof(*st));
	return dev_ioctl(SHADOWIPC_IOC_STATUS, st);
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

int shadowipc_ns_fd(pid_t pid, uint64_t *ns_id)
{
	struct shadowipc_ns_fd a = { .pid = pid };
	int fd = dev_ioctl(SHADOWIPC_IOC_NS_FD, &a);

	if (fd >= 0 && ns_id)
		*ns_id = a.ns_id;
	return fd;
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

	return dev_ioctl(SHADOWIPC_IOC_SEMGET, &a);
}

int shadowipc_semtimedop(int semid, struct sembuf *sops, size_t nsops,
			 const struct timespec *timeout)
{
	struct shadowipc_semop a = {
		.sops = (uintptr_t)sops, .nsops = nsops,
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
