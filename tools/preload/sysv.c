// SPDX-License-Identifier: GPL-2.0
/*
 * libshadowipc-preload: libc's System V IPC functions, and syscall() for
 * the same system call numbers, sent to the caller's shadow namespace
 * through the /dev/shadowipc ioctls. Each returns what the libc function
 * returns; the ioctls return what the system calls return.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdarg.h>
#include <stdint.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "keys.h"
#include "preload.h"

/*
 * Issue @req on the device for @kind, or make @realcall when the module
 * cannot serve it and the environment asks for fall-through.
 */
#define SIPC_CALL(kind, req, arg, realcall) do {			\
	int fd_ = sipc_dev(kind);					\
	long r_;							\
									\
	if (fd_ == SIPC_FALLTHROUGH)					\
		return (realcall);					\
	if (fd_ < 0)							\
		return -1;						\
	r_ = sipc_ioctl(fd_, req, arg, kind);				\
	if (r_ < 0 && errno == ENOSYS && sipc_kind_fallthrough(kind))	\
		return (realcall);					\
	return r_;							\
} while (0)

long sipc_shmget(long key, unsigned long size, long shmflg)
{
	struct shadowipc_shmget a = {
		.size = size, .key = (int)key, .shmflg = (int)shmflg,
	};
	int id = sipc_keys_lookup(SHADOWIPC_KIND_SHM, (int)key, (int)shmflg,
				  size, sipc_keys_devfd);

	if (id >= 0)
		return id;

	SIPC_CALL(SIPC_SHM, SHADOWIPC_IOC_SHMGET, &a,
		  SIPC_REAL(shmget)((key_t)key, size, (int)shmflg));
}

static long real_shmat(long shmid, unsigned long addr, long shmflg)
{
	void *p = SIPC_REAL(shmat)((int)shmid, (const void *)addr, (int)shmflg);

	return (long)(uintptr_t)p;
}

long sipc_shmat(long shmid, unsigned long addr, long shmflg)
{
	struct shadowipc_shmat a = {
		.addr = addr, .shmid = (int)shmid, .shmflg = (int)shmflg,
	};
	int fd = sipc_dev(SIPC_SHM);

	if (fd == SIPC_FALLTHROUGH)
		return real_shmat(shmid, addr, shmflg);
	if (fd < 0)
		return -1;
	if (sipc_ioctl(fd, SHADOWIPC_IOC_SHMAT, &a, SIPC_SHM) < 0) {
		if (errno == ENOSYS && sipc_kind_fallthrough(SIPC_SHM))
			return real_shmat(shmid, addr, shmflg);
		return -1;
	}
	return (long)a.addr;
}

long sipc_shmdt(unsigned long addr)
{
	struct shadowipc_shmdt a = { .addr = addr };

	SIPC_CALL(SIPC_SHM, SHADOWIPC_IOC_SHMDT, &a,
		  SIPC_REAL(shmdt)((const void *)addr));
}

long sipc_shmctl(long shmid, long cmd, unsigned long buf)
{
	struct shadowipc_shmctl a = {
		.buf = buf, .shmid = (int)shmid, .cmd = (int)cmd,
	};

	SIPC_CALL(SIPC_SHM, SHADOWIPC_IOC_SHMCTL, &a,
		  SIPC_REAL(shmctl)((int)shmid, (int)cmd,
				    (struct shmid_ds *)buf));
}

long sipc_msgget(long key, long msgflg)
{
	struct shadowipc_msgget a = { .key = (int)key, .msgflg = (int)msgflg };
	int id = sipc_keys_lookup(SHADOWIPC_KIND_MSG, (int)key, (int)msgflg,
				  0, sipc_keys_devfd);

	if (id >= 0)
		return id;

	SIPC_CALL(SIPC_MSG, SHADOWIPC_IOC_MSGGET, &a,
		  SIPC_REAL(msgget)((key_t)key, (int)msgflg));
}

long sipc_msgsnd(long msqid, unsigned long msgp, unsigned long msgsz,
		 long msgflg)
{
	struct shadowipc_msgsnd a = {
		.msgp = msgp, .msgsz = msgsz, .msqid = (int)msqid,
		.msgflg = (int)msgflg,
	};

	SIPC_CALL(SIPC_MSG, SHADOWIPC_IOC_MSGSND, &a,
		  SIPC_REAL(msgsnd)((int)msqid, (const void *)msgp, msgsz,
				    (int)msgflg));
}

long sipc_msgrcv(long msqid, unsigned long msgp, unsigned long msgsz,
		 long msgtyp, long msgflg)
{
	struct shadowipc_msgrcv a = {
		.msgp = msgp, .msgsz = msgsz, .msgtyp = msgtyp,
		.msqid = (int)msqid, .msgflg = (int)msgflg,
	};

	SIPC_CALL(SIPC_MSG, SHADOWIPC_IOC_MSGRCV, &a,
		  SIPC_REAL(msgrcv)((int)msqid, (void *)msgp, msgsz, msgtyp,
				    (int)msgflg));
}

long sipc_msgctl(long msqid, long cmd, unsigned long buf)
{
	struct shadowipc_msgctl a = {
		.buf = buf, .msqid = (int)msqid, .cmd = (int)cmd,
	};

	SIPC_CALL(SIPC_MSG, SHADOWIPC_IOC_MSGCTL, &a,
		  SIPC_REAL(msgctl)((int)msqid, (int)cmd,
				    (struct msqid_ds *)buf));
}

long sipc_semget(long key, long nsems, long semflg)
{
	struct shadowipc_semget a = {
		.key = (int)key, .nsems = (int)nsems, .semflg = (int)semflg,
	};
	int id = sipc_keys_lookup(SHADOWIPC_KIND_SEM, (int)key, (int)semflg,
				  (uint64_t)(int64_t)(int)nsems,
				  sipc_keys_devfd);

	if (id >= 0)
		return id;

	SIPC_CALL(SIPC_SEM, SHADOWIPC_IOC_SEMGET, &a,
		  SIPC_REAL(semget)((key_t)key, (int)nsems, (int)semflg));
}

long sipc_semtimedop(long semid, unsigned long sops, unsigned long nsops,
		     unsigned long timeout)
{
	/* nsops: the system call's unsigned int, which a size_t narrows to */
	struct shadowipc_semop a = {
		.sops = sops, .nsops = (unsigned int)nsops, .timeout = timeout,
		.semid = (int)semid,
	};

	SIPC_CALL(SIPC_SEM, SHADOWIPC_IOC_SEMOP, &a,
		  SIPC_REAL(semtimedop)((int)semid, (struct sembuf *)sops,
					nsops,
					(const struct timespec *)timeout));
}

long sipc_semctl(long semid, long semnum, long cmd, unsigned long arg)
{
	struct shadowipc_semctl a = {
		.arg = arg, .semid = (int)semid, .semnum = (int)semnum,
		.cmd = (int)cmd,
	};

	SIPC_CALL(SIPC_SEM, SHADOWIPC_IOC_SEMCTL, &a,
		  SIPC_REAL(semctl)((int)semid, (int)semnum, (int)cmd, arg));
}

/* ------------------------------------------------------------------ */
/* The libc functions                                                 */
/* ------------------------------------------------------------------ */

SIPC_EXPORT int shmget(key_t key, size_t size, int shmflg)
{
	return (int)sipc_shmget(key, size, shmflg);
}

SIPC_EXPORT void *shmat(int shmid, const void *shmaddr, int shmflg)
{
	return (void *)sipc_shmat(shmid, (uintptr_t)shmaddr, shmflg);
}

SIPC_EXPORT int shmdt(const void *shmaddr)
{
	return (int)sipc_shmdt((uintptr_t)shmaddr);
}

SIPC_EXPORT int shmctl(int shmid, int cmd, struct shmid_ds *buf)
{
	return (int)sipc_shmctl(shmid, cmd, (uintptr_t)buf);
}

SIPC_EXPORT int msgget(key_t key, int msgflg)
{
	return (int)sipc_msgget(key, msgflg);
}

SIPC_EXPORT int msgsnd(int msqid, const void *msgp, size_t msgsz, int msgflg)
{
	return (int)sipc_msgsnd(msqid, (uintptr_t)msgp, msgsz, msgflg);
}

SIPC_EXPORT ssize_t msgrcv(int msqid, void *msgp, size_t msgsz, long msgtyp,
			   int msgflg)
{
	return sipc_msgrcv(msqid, (uintptr_t)msgp, msgsz, msgtyp, msgflg);
}

SIPC_EXPORT int msgctl(int msqid, int cmd, struct msqid_ds *buf)
{
	return (int)sipc_msgctl(msqid, cmd, (uintptr_t)buf);
}

SIPC_EXPORT int semget(key_t key, int nsems, int semflg)
{
	return (int)sipc_semget(key, nsems, semflg);
}

SIPC_EXPORT int semop(int semid, struct sembuf *sops, size_t nsops)
{
	return (int)sipc_semtimedop(semid, (uintptr_t)sops, nsops, 0);
}

SIPC_EXPORT int semtimedop(int semid, struct sembuf *sops, size_t nsops,
			   const struct timespec *timeout)
{
	return (int)sipc_semtimedop(semid, (uintptr_t)sops, nsops,
				    (uintptr_t)timeout);
}

/* Does semctl() command @cmd take the fourth (union semun) argument? */
static int semctl_has_arg(int cmd)
{
	switch (cmd & ~0x100) {	/* without IPC_64 */
	case IPC_STAT:
	case IPC_SET:
	case IPC_INFO:
	case SEM_INFO:
	case SEM_STAT:
	case SEM_STAT_ANY:
	case GETALL:
	case SETALL:
	case SETVAL:
		return 1;
	default:
		return 0;
	}
}

SIPC_EXPORT int semctl(int semid, int semnum, int cmd, ...)
{
	unsigned long arg = 0;
	va_list ap;

	/* union semun is one pointer-sized word, passed as one. */
	if (semctl_has_arg(cmd)) {
		va_start(ap, cmd);
		arg = va_arg(ap, unsigned long);
		va_end(ap);
	}
	return (int)sipc_semctl(semid, semnum, cmd, arg);
}

/* ------------------------------------------------------------------ */
/* syscall()                                                          */
/* ------------------------------------------------------------------ */

SIPC_EXPORT long syscall(long nr, ...)
{
	long a[6];
	va_list ap;
	int i;

	/* As the C library's syscall() does: six words, whatever was passed. */
	va_start(ap, nr);
	for (i = 0; i < 6; i++)
		a[i] = va_arg(ap, long);
	va_end(ap);

	switch (nr) {
	case SYS_shmget:
		return sipc_shmget(a[0], a[1], a[2]);
	case SYS_shmat:
		return sipc_shmat(a[0], a[1], a[2]);
	case SYS_shmdt:
		return sipc_shmdt(a[0]);
	case SYS_shmctl:
		return sipc_shmctl(a[0], a[1], a[2]);
	case SYS_msgget:
		return sipc_msgget(a[0], a[1]);
	case SYS_msgsnd:
		return sipc_msgsnd(a[0], a[1], a[2], a[3]);
	case SYS_msgrcv:
		return sipc_msgrcv(a[0], a[1], a[2], a[3], a[4]);
	case SYS_msgctl:
		return sipc_msgctl(a[0], a[1], a[2]);
	case SYS_semget:
		return sipc_semget(a[0], a[1], a[2]);
	case SYS_semop:
		return sipc_semtimedop(a[0], a[1], a[2], 0);
	case SYS_semtimedop:
		return sipc_semtimedop(a[0], a[1], a[2], a[3]);
	case SYS_semctl:
		return sipc_semctl(a[0], a[1], a[2], a[3]);
	case SYS_unshare:
		return sipc_unshare((int)a[0]);
	case SYS_setns:
		return sipc_setns((int)a[0], (int)a[1]);
	case SYS_clone:
		return sipc_clone_syscall(a);
	case SYS_clone3:
		return sipc_clone3_syscall(a);
	case SYS_mq_open:
	case SYS_mq_unlink:
	case SYS_mq_timedsend:
	case SYS_mq_timedreceive:
	case SYS_mq_notify:
	case SYS_mq_getsetattr:
		return sipc_mq_syscall(nr, a);
	default:
		return SIPC_REAL(syscall)(nr, a[0], a[1], a[2], a[3], a[4], a[5]);
	}
}
