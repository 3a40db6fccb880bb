// SPDX-License-Identifier: GPL-2.0
/*
 * The two sides the benchmark compares: the kernel's System V IPC (system
 * calls, in a private IPC namespace) and shadowipc's (libshadowipc, in a
 * shadow namespace). Message queues and semaphores go through the uapi
 * ioctls directly unless libshadowipc has wrappers for them (the Makefile
 * defines HAVE_LIB_MSGSEM when tools/lib/shadowipc.h declares them).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <mqueue.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "shadowipc.h"
#include "bench.h"

/* ---- native ---------------------------------------------------------- */

static int na_enter(void)
{
	return unshare(CLONE_NEWIPC);
}

static int na_pin(void)
{
	return open("/proc/thread-self/ns/ipc", O_RDONLY | O_CLOEXEC);
}

static int na_set_shmmni(unsigned int n)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%u\n", n);
	return write_file("/proc/sys/kernel/shmmni", buf);
}

static int na_flush(void)
{
	return 0;	/* free_ipc() runs from a work item nobody can wait on */
}

static int na_null(void)
{
	return syscall(SYS_getppid);
}

static int na_semop(int semid, struct sembuf *sops, size_t nsops)
{
	return semop(semid, sops, nsops);
}

static int na_semrmid(int semid)
{
	return semctl(semid, 0, IPC_RMID);
}

/* A queue name no other run uses at the same time. */
static void mq_name(char *buf, size_t size)
{
	static int seq;

	snprintf(buf, size, "/shadowipc-bench-%d-%d", getpid(), seq++);
}

/* A private queue: made with @open_fn, its name unlinked at once. */
static int mq_new(mqd_t (*open_fn)(const char *name, int oflag, ...),
		  int (*unlink_fn)(const char *name), long maxmsg,
		  long msgsize)
{
	struct mq_attr attr = { .mq_maxmsg = maxmsg, .mq_msgsize = msgsize };
	char name[64];
	mqd_t q;

	mq_name(name, sizeof(name));
	q = open_fn(name, O_CREAT | O_EXCL | O_RDWR, 0600, &attr);
	if (q >= 0)
		unlink_fn(name);
	return q;
}

static int na_mq_new(long maxmsg, long msgsize)
{
	return mq_new(mq_open, mq_unlink, maxmsg, msgsize);
}

static int na_mq_send(int mqd, const char *msg, size_t len)
{
	return mq_send(mqd, msg, len, 0);
}

static ssize_t na_mq_receive(int mqd, char *msg, size_t len)
{
	return mq_receive(mqd, msg, len, NULL);
}

static const char *const na_prefix[] = { NULL };

const struct side native_side = {
	.name = "native",
	.enter_ns = na_enter,
	.pin_ns = na_pin,
	.set_shmmni = na_set_shmmni,
	.flush = na_flush,
	.null_call = na_null,
	.enter_call = na_null,
	.shmget = shmget,
	.shmat = shmat,
	.shmdt = shmdt,
	.shmctl = shmctl,
	.msgget = msgget,
	.msgsnd = msgsnd,
	.msgrcv = msgrcv,
	.msgctl = msgctl,
	.semget = semget,
	.semop = na_semop,
	.semrmid = na_semrmid,
	.mq_new = na_mq_new,
	.mq_send = na_mq_send,
	.mq_receive = na_mq_receive,
	.run_prefix = na_prefix,
};

/* ---- shadowipc ------------------------------------------------------- */

#define SHADOW_SHMMNI "/proc/shadowipc/sys/kernel/shmmni"

static int sh_enter(void)
{
	return shadowipc_unshare(NULL);
}

static int sh_pin(void)
{
	return shadowipc_ns_fd(0, NULL);
}

static int sh_set_shmmni(unsigned int n)
{
	struct shadowipc_ns_info info;
	char buf[32];

	if (access(SHADOW_SHMMNI, F_OK))
		return -1;
	snprintf(buf, sizeof(buf), "%u\n", n);
	if (write_file(SHADOW_SHMMNI, buf))
		return -1;
	/* The file must act on the writer's shadow namespace. */
	if (shadowipc_ns_info(-1, &info))
		return -1;
	if (info.limits.shmmni < n) {
		errno = EPERM;
		return -1;
	}
	return 0;
}

static int sh_flush(void)
{
	struct shadowipc_status st;

	return shadowipc_status(&st, SHADOWIPC_STATUS_SETTLE);
}

static int sh_shmctl(int shmid, int cmd, struct shmid_ds *buf)
{
	return shadowipc_shmctl(shmid, cmd, buf);
}

#ifdef HAVE_LIB_MSGSEM
static int sh_msgget(key_t key, int msgflg)
{
	return shadowipc_msgget(key, msgflg);
}

static int sh_msgsnd(int msqid, const void *msgp, size_t msgsz, int msgflg)
{
	return shadowipc_msgsnd(msqid, msgp, msgsz, msgflg);
}

static ssize_t sh_msgrcv(int msqid, void *msgp, size_t msgsz, long msgtyp,
			 int msgflg)
{
	return shadowipc_msgrcv(msqid, msgp, msgsz, msgtyp, msgflg);
}

static int sh_msgctl(int msqid, int cmd, struct msqid_ds *buf)
{
	return shadowipc_msgctl(msqid, cmd, buf);
}

static int sh_semget(key_t key, int nsems, int semflg)
{
	return shadowipc_semget(key, nsems, semflg);
}

static int sh_semop(int semid, struct sembuf *sops, size_t nsops)
{
	return shadowipc_semop(semid, sops, nsops);
}

static int sh_semrmid(int semid)
{
	return shadowipc_semctl(semid, 0, IPC_RMID);
}
#else
static long sh_ioctl(unsigned long cmd, void *arg)
{
	int fd = shadowipc_fd();

	if (fd < 0)
		return -1;
	return ioctl(fd, cmd, arg);
}

static int sh_msgget(key_t key, int msgflg)
{
	struct shadowipc_msgget a = { .key = key, .msgflg = msgflg };

	return sh_ioctl(SHADOWIPC_IOC_MSGGET, &a);
}

static int sh_msgsnd(int msqid, const void *msgp, size_t msgsz, int msgflg)
{
	struct shadowipc_msgsnd a = {
		.msgp = (uintptr_t)msgp, .msgsz = msgsz,
		.msqid = msqid, .msgflg = msgflg,
	};

	return sh_ioctl(SHADOWIPC_IOC_MSGSND, &a);
}

static ssize_t sh_msgrcv(int msqid, void *msgp, size_t msgsz, long msgtyp,
			 int msgflg)
{
	struct shadowipc_msgrcv a = {
		.msgp = (uintptr_t)msgp, .msgsz = msgsz, .msgtyp = msgtyp,
		.msqid = msqid, .msgflg = msgflg,
	};

	return sh_ioctl(SHADOWIPC_IOC_MSGRCV, &a);
}

static int sh_msgctl(int msqid, int cmd, struct msqid_ds *buf)
{
	struct shadowipc_msgctl a = {
		.buf = (uintptr_t)buf, .msqid = msqid, .cmd = cmd,
	};

	return sh_ioctl(SHADOWIPC_IOC_MSGCTL, &a);
}

static int sh_semget(key_t key, int nsems, int semflg)
{
	struct shadowipc_semget a = {
		.key = key, .nsems = nsems, .semflg = semflg,
	};

	return sh_ioctl(SHADOWIPC_IOC_SEMGET, &a);
}

static int sh_semop(int semid, struct sembuf *sops, size_t nsops)
{
	struct shadowipc_semop a = {
		.sops = (uintptr_t)sops, .nsops = (unsigned int)nsops,
		.semid = semid,
	};

	return sh_ioctl(SHADOWIPC_IOC_SEMOP, &a);
}

static int sh_semrmid(int semid)
{
	struct shadowipc_semctl a = { .semid = semid, .cmd = IPC_RMID };

	return sh_ioctl(SHADOWIPC_IOC_SEMCTL, &a);
}
#endif

static int sh_mq_new(long maxmsg, long msgsize)
{
	return mq_new(shadowipc_mq_open, shadowipc_mq_unlink, maxmsg, msgsize);
}

static int sh_mq_send(int mqd, const char *msg, size_t len)
{
	return shadowipc_mq_send(mqd, msg, len, 0);
}

static ssize_t sh_mq_receive(int mqd, char *msg, size_t len)
{
	return shadowipc_mq_receive(mqd, msg, len, NULL);
}

/* The kernel's ioctl path alone: a command number the device does not have */
static int sh_enter_call(void)
{
	if (ioctl(shadowipc_fd(), _IO(SHADOWIPC_IOC_MAGIC, 0xff)) != -1 ||
	    errno != ENOTTY)
		return -1;
	return 0;
}

/* a new shadow namespace, the shim preloaded */
static const char *const sh_prefix[] = { "shadowipc", "unshare", "--", NULL };

const struct side shadow_side = {
	.name = "shadow",
	.enter_ns = sh_enter,
	.pin_ns = sh_pin,
	.set_shmmni = sh_set_shmmni,
	.flush = sh_flush,
	.null_call = shadowipc_version,
	.enter_call = sh_enter_call,
	.shmget = shadowipc_shmget,
	.shmat = shadowipc_shmat,
	.shmdt = shadowipc_shmdt,
	.shmctl = sh_shmctl,
	.msgget = sh_msgget,
	.msgsnd = sh_msgsnd,
	.msgrcv = sh_msgrcv,
	.msgctl = sh_msgctl,
	.semget = sh_semget,
	.semop = sh_semop,
	.semrmid = sh_semrmid,
	.mq_new = sh_mq_new,
	.mq_send = sh_mq_send,
	.mq_receive = sh_mq_receive,
	.run_prefix = sh_prefix,
};
