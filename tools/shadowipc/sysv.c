// SPDX-License-Identifier: GPL-2.0
/*
 * shadowipc: System V calls on the caller's shadow namespace, through the
 * /dev/shadowipc ioctls, for ipcs, ipcmk, ipcrm and limits. With
 * SHADOWIPC_NATIVE=1 they are the real system calls instead, on the
 * kernel's IPC namespace: a developer's aid to compare this tool's
 * output with util-linux's on the same objects.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/syscall.h>

#include "cli.h"

bool sysv_native;

int sysv_open(void)
{
	const char *env = getenv("SHADOWIPC_NATIVE");
	int code;

	sysv_native = env && !strcmp(env, "1");
	if (sysv_native)
		return 0;
	return dev_fd(&code) < 0 ? code : 0;
}

int sv_shmget(key_t key, size_t size, int flg)
{
	struct shadowipc_shmget a = { .size = size, .key = key, .shmflg = flg };

	if (sysv_native)
		return (int)syscall(SYS_shmget, key, size, flg);
	return (int)dev_call(SHADOWIPC_IOC_SHMGET, &a);
}

int sv_shmctl(int id, int cmd, void *buf)
{
	struct shadowipc_shmctl a = {
		.buf = (uintptr_t)buf, .shmid = id, .cmd = cmd,
	};

	if (sysv_native)
		return (int)syscall(SYS_shmctl, id, cmd, buf);
	return (int)dev_call(SHADOWIPC_IOC_SHMCTL, &a);
}

int sv_msgget(key_t key, int flg)
{
	struct shadowipc_msgget a = { .key = key, .msgflg = flg };

	if (sysv_native)
		return (int)syscall(SYS_msgget, key, flg);
	return (int)dev_call(SHADOWIPC_IOC_MSGGET, &a);
}

int sv_msgctl(int id, int cmd, void *buf)
{
	struct shadowipc_msgctl a = {
		.buf = (uintptr_t)buf, .msqid = id, .cmd = cmd,
	};

	if (sysv_native)
		return (int)syscall(SYS_msgctl, id, cmd, buf);
	return (int)dev_call(SHADOWIPC_IOC_MSGCTL, &a);
}

int sv_semget(key_t key, int nsems, int flg)
{
	struct shadowipc_semget a = { .key = key, .nsems = nsems, .semflg = flg };

	if (sysv_native)
		return (int)syscall(SYS_semget, key, nsems, flg);
	return (int)dev_call(SHADOWIPC_IOC_SEMGET, &a);
}

int sv_semctl(int id, int num, int cmd, unsigned long arg)
{
	struct shadowipc_semctl a = {
		.arg = arg, .semid = id, .semnum = num, .cmd = cmd,
	};

	if (sysv_native)
		return (int)syscall(SYS_semctl, id, num, cmd, arg);
	return (int)dev_call(SHADOWIPC_IOC_SEMCTL, &a);
}

int sv_semval(int id, int num, int cmd)
{
	return sv_semctl(id, num, cmd, 0);
}

static const size_t obj_size[] = {
	[SV_MSG] = sizeof(struct msqid_ds),
	[SV_SHM] = sizeof(struct shmid_ds),
	[SV_SEM] = sizeof(struct semid_ds),
};

/* The highest index in use (the *_INFO commands' return), or -1. */
static int max_index(enum sysv_kind kind)
{
	struct shm_info si;
	struct msginfo mi;
	struct seminfo sei;

	switch (kind) {
	case SV_SHM:
		return sv_shmctl(0, SHM_INFO, &si);
	case SV_MSG:
		return sv_msgctl(0, MSG_INFO, &mi);
	default:
		return sv_semctl(0, 0, SEM_INFO, (uintptr_t)&sei);
	}
}

static int stat_any(enum sysv_kind kind, int idx, void *buf)
{
	switch (kind) {
	case SV_SHM:
		return sv_shmctl(idx, SHM_STAT_ANY, buf);
	case SV_MSG:
		return sv_msgctl(idx, MSG_STAT_ANY, buf);
	default:
		return sv_semctl(idx, 0, SEM_STAT_ANY, (uintptr_t)buf);
	}
}

int sysv_list(enum sysv_kind kind, struct sysv_obj **out)
{
	struct sysv_obj *v = NULL;
	int max, i, n = 0, id;
	void *buf = NULL;

	*out = NULL;
	max = max_index(kind);
	if (max < 0)
		return -1;
	for (i = 0; i <= max; i++) {
		if (!buf) {
			buf = calloc(1, obj_size[kind]);
			if (!buf)
				goto nomem;
		}
		id = stat_any(kind, i, buf);
		if (id < 0) {
			if (errno == EINVAL || errno == EIDRM)
				continue;	/* a free index, or going away */
			goto fail;
		}
		if (!(n & (n + 1))) {	/* n + 1 a power of two: grow */
			struct sysv_obj *nv = realloc(v, (2 * n + 1) * sizeof(*v));

			if (!nv)
				goto nomem;
			v = nv;
		}
		v[n].id = id;
		v[n].p = buf;
		buf = NULL;
		n++;
	}
	free(buf);
	*out = v;
	return n;
nomem:
	errno = ENOMEM;
fail:
	i = errno;
	free(buf);
	sysv_free(v, n);
	errno = i;
	return -1;
}

void sysv_free(struct sysv_obj *v, int n)
{
	int i;

	for (i = 0; i < n; i++)
		free(v[i].p);
	free(v);
}
