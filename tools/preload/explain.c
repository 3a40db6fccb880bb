// SPDX-License-Identifier: GPL-2.0
/*
 * libshadowipc-preload: SHADOWIPC_EXPLAIN=1. After a forwarded call
 * fails, the thread's last refusal (SHADOWIPC_IOC_LAST_REFUSAL) is read
 * and, if it refused with the call's errno, one line says why, e.g.
 * "shmget(key=0x1234, size=1073741824) = ENOSPC: shmall: 262144 pages in
 * use + 262144 asked > 262144".
 */
#include <errno.h>
#include <stdio.h>
#include <sys/ioctl.h>

#include "preload.h"
#include "refusal.h"

/* Write the call @req with @arg as "name(arguments)" into @buf. */
static int format_call(char *buf, size_t size, unsigned long req,
		       const void *arg)
{
	switch (req) {
	case SHADOWIPC_IOC_SHMGET: {
		const struct shadowipc_shmget *a = arg;

		return snprintf(buf, size, "shmget(key=0x%x, size=%llu)",
				(unsigned int)a->key,
				(unsigned long long)a->size);
	}
	case SHADOWIPC_IOC_SHMCTL: {
		const struct shadowipc_shmctl *a = arg;

		return snprintf(buf, size, "shmctl(shmid=%d, cmd=%d)",
				a->shmid, a->cmd);
	}
	case SHADOWIPC_IOC_SHMAT: {
		const struct shadowipc_shmat *a = arg;

		return snprintf(buf, size, "shmat(shmid=%d)", a->shmid);
	}
	case SHADOWIPC_IOC_MSGGET: {
		const struct shadowipc_msgget *a = arg;

		return snprintf(buf, size, "msgget(key=0x%x)",
				(unsigned int)a->key);
	}
	case SHADOWIPC_IOC_MSGSND: {
		const struct shadowipc_msgsnd *a = arg;

		return snprintf(buf, size, "msgsnd(msqid=%d, msgsz=%llu)",
				a->msqid, (unsigned long long)a->msgsz);
	}
	case SHADOWIPC_IOC_MSGRCV: {
		const struct shadowipc_msgrcv *a = arg;

		return snprintf(buf, size, "msgrcv(msqid=%d)", a->msqid);
	}
	case SHADOWIPC_IOC_MSGCTL: {
		const struct shadowipc_msgctl *a = arg;

		return snprintf(buf, size, "msgctl(msqid=%d, cmd=%d)",
				a->msqid, a->cmd);
	}
	case SHADOWIPC_IOC_SEMGET: {
		const struct shadowipc_semget *a = arg;

		return snprintf(buf, size, "semget(key=0x%x, nsems=%d)",
				(unsigned int)a->key, a->nsems);
	}
	case SHADOWIPC_IOC_SEMOP: {
		const struct shadowipc_semop *a = arg;

		return snprintf(buf, size, "semop(semid=%d, nsops=%u)",
				a->semid, a->nsops);
	}
	case SHADOWIPC_IOC_SEMCTL: {
		const struct shadowipc_semctl *a = arg;

		return snprintf(buf, size, "semctl(semid=%d, semnum=%d, cmd=%d)",
				a->semid, a->semnum, a->cmd);
	}
	case SHADOWIPC_IOC_MQ_OPEN: {
		const struct shadowipc_mq_open *a = arg;

		return snprintf(buf, size, "mq_open(name=/%.64s, oflag=0%o)",
				(const char *)(unsigned long)a->name,
				(unsigned int)a->oflag);
	}
	case SHADOWIPC_IOC_UNSHARE:
		return snprintf(buf, size, "unshare(CLONE_NEWIPC)");
	case SHADOWIPC_IOC_SETNS:
		return snprintf(buf, size, "setns(CLONE_NEWIPC)");
	}
	return snprintf(buf, size, "ioctl(SHADOWIPC, 0x%lx)", req);
}

void sipc_explain(int fd, unsigned long req, const void *arg)
{
	struct shadowipc_last_refusal r = { 0 };
	char line[320], why[160];
	const char *ename;
	int err = errno, n;

	if (ioctl(fd, SHADOWIPC_IOC_LAST_REFUSAL, &r) || r.err != err)
		goto out;
	shadowipc_refusal_format(&r, why, sizeof(why));
	n = format_call(line, sizeof(line), req, arg);
	if (n < 0 || (size_t)n >= sizeof(line))
		goto out;
	ename = shadowipc_errno_name(r.err);
	if (ename)
		snprintf(line + n, sizeof(line) - n, " = %s: %s", ename, why);
	else
		snprintf(line + n, sizeof(line) - n, " = errno %d: %s", r.err,
			 why);
	sipc_msg(line, NULL, NULL);
out:
	errno = err;
}
