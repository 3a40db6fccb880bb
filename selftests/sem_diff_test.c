// SPDX-License-Identifier: GPL-2.0
/*
 * Differential tests of System V semaphores (see diff.h): every flag,
 * errno and semctl command of semget/semop/semtimedop/semctl, as root and
 * as an unprivileged user, SEM_UNDO at exit and at unshare, and sleepers
 * completed in Linux's order, compared call by call with Linux.
 *
 * Limits (kernel.sem's SEMMSL, SEMMNS, SEMOPM and SEMMNI, and
 * sem_next_id) are set on both sides with set_limit(): limit_* scenarios.
 */
#include <signal.h>

#include "kselftest_harness.h"
#include "sipc_test.h"
#include "diff.h"

#define KEY		0x5eed4000
#define SEMMSL		32000
#define SEMOPM		500
#define SEMVMX		32767

static int SG(struct ctx *c, key_t key, int nsems, int flg)
{
	char res[64];
	int r;

	errno = 0;
	r = c->ops->semget(key, nsems, flg);
	res_id(c, r, res);
	tr(c, "semget(%#x, %d, %#o) = %s", key, nsems, flg, res);
	return r;
}

/* semtimedop (semop when @to is NULL), traced with its operations. */
static int OP(struct ctx *c, int id, struct sembuf *sops, size_t n,
	      const struct timespec *to)
{
	char res[64], idb[16], ops[256];
	size_t i, len = 0;
	int r;

	ops[0] = 0;
	for (i = 0; i < n && i < 8 && len < sizeof(ops) - 32; i++)
		len += sprintf(ops + len, "%s%u:%+d:%#o", i ? " " : "",
			       sops[i].sem_num, sops[i].sem_op,
			       sops[i].sem_flg);
	errno = 0;
	r = to ? c->ops->semtimedop(id, sops, n, to) :
		 c->ops->semop(id, sops, n);
	res_long(r, res);
	tr(c, "semop(%s, [%s]%s) = %s", id_str(c, id, idb), ops,
	   to ? " timed" : "", res);
	return r;
}

#define SOPS(c, id, ...) ({						\
	struct sembuf __s[] = { __VA_ARGS__ };				\
	OP(c, id, __s, sizeof(__s) / sizeof(__s[0]), NULL);		\
})

#define TSOPS(c, id, to, ...) ({					\
	struct sembuf __s[] = { __VA_ARGS__ };				\
	OP(c, id, __s, sizeof(__s) / sizeof(__s[0]), to);		\
})

static const char *cmd_str(int cmd, char *buf)
{
	static const char * const names[] = {
		[IPC_RMID] = "IPC_RMID", [IPC_SET] = "IPC_SET",
		[IPC_STAT] = "IPC_STAT", [IPC_INFO] = "IPC_INFO",
		[GETPID] = "GETPID", [GETVAL] = "GETVAL", [GETALL] = "GETALL",
		[GETNCNT] = "GETNCNT", [GETZCNT] = "GETZCNT",
		[SETVAL] = "SETVAL", [SETALL] = "SETALL",
		[SEM_STAT] = "SEM_STAT", [SEM_INFO] = "SEM_INFO",
		[SEM_STAT_ANY] = "SEM_STAT_ANY",
	};

	return cmd_name(cmd, names, ARRAY_SIZE(names), buf);
}

static void dump_ds(struct ctx *c, const struct semid_ds *ds)
{
	dump_perm(c, &ds->sem_perm);
	tr(c, "  otime=%s ctime=%s nsems=%lu rest=%s",
	   time_str(c, ds->sem_otime), time_str(c, ds->sem_ctime),
	   (unsigned long)ds->sem_nsems,
	   !ds->__sem_otime_high && !ds->__sem_ctime_high &&
	   !ds->__glibc_reserved3 && !ds->__glibc_reserved4 ? "0" : "dirty");
}

static void dump_info(struct ctx *c, const struct seminfo *si)
{
	tr(c, "  semmap=%d semmni=%d semmns=%d semmnu=%d semmsl=%d semopm=%d semume=%d semusz=%d semvmx=%d semaem=%d",
	   si->semmap, si->semmni, si->semmns, si->semmnu, si->semmsl,
	   si->semopm, si->semume, si->semusz, si->semvmx, si->semaem);
}

/*
 * semctl with @arg as the value (SETVAL) or, for the commands that take
 * a buffer, a buffer of its own, dumped on success.
 */
static int SC(struct ctx *c, int id, int num, int cmd, int arg)
{
	union {
		struct semid_ds ds;
		struct seminfo si;
		unsigned short vals[64];
	} u;
	char res[64], idb[16], cb[16];
	unsigned long a = (unsigned long)&u;
	int r, i;

	memset(&u, 0xaa, sizeof(u));
	if (cmd == SETVAL)
		a = (unsigned int)arg;
	errno = 0;
	r = c->ops->semctl(id, num, cmd, a);
	ctl_strs(c, id, r, cmd == SEM_STAT || cmd == SEM_STAT_ANY,
		 cmd == IPC_INFO || cmd == SEM_INFO, res, idb);
	if (r > 0 && cmd == GETPID)
		strcpy(res, pid_str(c, r));
	tr(c, "semctl(%s, %d, %s, %d) = %s", idb, num, cmd_str(cmd, cb), arg,
	   res);
	if (r < 0)
		return r;
	switch (cmd) {
	case IPC_STAT:
	case SEM_STAT:
	case SEM_STAT_ANY:
		dump_ds(c, &u.ds);
		break;
	case IPC_INFO:
	case SEM_INFO:
		dump_info(c, &u.si);
		break;
	case GETALL:
		res[0] = 0;
		for (i = 0; i < arg && i < 12; i++)
			sprintf(res + strlen(res), " %u", u.vals[i]);
		tr(c, "  vals:%s next=%#x", res, u.vals[arg]);
		break;
	}
	return r;
}

/* semctl with the caller's buffer (NULL, or a bad pointer). */
static int SCB(struct ctx *c, int id, int num, int cmd, void *buf,
	       const char *what)
{
	char res[64], idb[16], cb[16];
	int r;

	errno = 0;
	r = c->ops->semctl(id, num, cmd, (unsigned long)buf);
	res_long(r, res);
	tr(c, "semctl(%s, %d, %s, %s) = %s", id_str(c, id, idb), num,
	   cmd_str(cmd, cb), what, res);
	return r;
}

static int SETALL_(struct ctx *c, int id, const unsigned short *vals, int n)
{
	char res[64], idb[16];
	int r;

	errno = 0;
	r = c->ops->semctl(id, 0, SETALL, (unsigned long)vals);
	res_long(r, res);
	tr(c, "semctl(%s, SETALL, %d values from %u) = %s", id_str(c, id, idb),
	   n, vals[0], res);
	return r;
}

#define SETALL_VALS(c, id, ...) ({					\
	unsigned short __v[] = { __VA_ARGS__ };				\
	SETALL_(c, id, __v, sizeof(__v) / sizeof(__v[0]));		\
})

static int SET(struct ctx *c, int id, uid_t uid, gid_t gid, mode_t mode)
{
	struct semid_ds ds;
	char res[64], idb[16];
	int r;

	memset(&ds, 0, sizeof(ds));
	ds.sem_perm.uid = uid;
	ds.sem_perm.gid = gid;
	ds.sem_perm.mode = mode;
	errno = 0;
	r = c->ops->semctl(id, 0, IPC_SET, (unsigned long)&ds);
	res_long(r, res);
	tr(c, "semctl(%s, IPC_SET, uid=%u gid=%u mode=%#o) = %s",
	   id_str(c, id, idb), uid, gid, mode, res);
	return r;
}

/* The value of each of the first @n semaphores, on one line. */
static void VALS(struct ctx *c, int id, int n)
{
	char buf[256] = "";
	int i;

	for (i = 0; i < n; i++)
		sprintf(buf + strlen(buf), " %d",
			c->ops->semctl(id, i, GETVAL, 0));
	tr(c, "  values:%s", buf);
}

/* GETNCNT and GETZCNT of each of the first @n semaphores. */
static void CNTS(struct ctx *c, int id, int n)
{
	char buf[256] = "";
	int i;

	for (i = 0; i < n; i++)
		sprintf(buf + strlen(buf), " %d/%d",
			c->ops->semctl(id, i, GETNCNT, 0),
			c->ops->semctl(id, i, GETZCNT, 0));
	tr(c, "  ncnt/zcnt:%s", buf);
}

static void on_signal(int sig)
{
}

/* Catch SIGUSR1 with a handler, with SA_RESTART (semop ignores it). */
static void catch_usr1(void)
{
	struct sigaction sa = {
		.sa_handler = on_signal, .sa_flags = SA_RESTART,
	};

	sigaction(SIGUSR1, &sa, NULL);
}

static const struct timespec ms50 = { 0, 50 * 1000 * 1000 };

/* ---- semget ---- */

SCENARIO(get_private_and_stat)
{
	int s = SG(c, IPC_PRIVATE, 3, 0640);

	SC(c, s, 0, IPC_STAT, 0);
	VALS(c, s, 3);
	SC(c, s, 0, GETPID, 0);
	SG(c, IPC_PRIVATE, 1, 0600);
}

SCENARIO(get_nsems_limits)
{
	SG(c, IPC_PRIVATE, 0, 0600);
	SG(c, IPC_PRIVATE, -1, 0600);
	SG(c, IPC_PRIVATE, SEMMSL + 1, 0600);
	SG(c, IPC_PRIVATE, SEMMSL, 0600);
	SG(c, KEY, SEMMSL + 1, 0600);
	SG(c, KEY, 0, 0600);
	SG(c, KEY, 0, IPC_CREAT | 0600);
}

SCENARIO(get_key_create_then_find)
{
	SG(c, KEY, 4, IPC_CREAT | 0600);
	SG(c, KEY, 4, 0);
	SG(c, KEY, 0, 0);
	SG(c, KEY, 2, IPC_CREAT);
	SG(c, KEY, 5, 0);
	SG(c, KEY, 5, IPC_CREAT | 0600);
	SG(c, KEY + 1, 1, 0600);
}

SCENARIO(get_create_excl_is_eexist_before_nsems)
{
	SG(c, KEY, 2, IPC_CREAT | IPC_EXCL | 0600);
	SG(c, KEY, 9, IPC_CREAT | IPC_EXCL | 0600);
	SG(c, KEY, 9, IPC_EXCL | 0600);
}

SCENARIO(get_mode_keeps_only_permission_bits)
{
	int s = SG(c, KEY, 1, IPC_CREAT | 07777);

	SC(c, s, 0, IPC_STAT, 0);
}

SCENARIO(get_permission_as_other_user)
{
	SG(c, KEY, 2, IPC_CREAT | 0640);
	SG(c, KEY + 1, 2, IPC_CREAT | 0604);
	if (user(c)) {
		SG(c, KEY, 2, 0);
		SG(c, KEY, 2, 0400);
		SG(c, KEY, 3, 0400);
		SG(c, KEY + 1, 2, 0400);
		SG(c, KEY + 1, 2, 0600);
		_exit(0);
	}
}

SCENARIO(get_user_creates_and_owns)
{
	if (user(c)) {
		int s = SG(c, KEY, 2, IPC_CREAT | 0600);

		SC(c, s, 0, IPC_STAT, 0);
		_exit(0);
	}
	SG(c, KEY, 2, 0600);
}

SCENARIO(ids_wrap_after_64_creations)
{
	int i, s;

	for (i = 0; i < 65; i++) {
		s = c->ops->semget(IPC_PRIVATE, 1, 0600);
		if (i >= 62)
			tr(c, "create %d = %d", i, s);
		c->ops->semctl(s, 0, IPC_RMID, 0);
	}
}

SCENARIO(ids_stale_sequence_is_einval)
{
	int i, s = SG(c, IPC_PRIVATE, 2, 0600);

	SC(c, s, 0, IPC_RMID, 0);
	for (i = 0; i < 64; i++)
		c->ops->semctl(c->ops->semget(IPC_PRIVATE, 1, 0600), 0,
			       IPC_RMID, 0);
	SG(c, IPC_PRIVATE, 2, 0600);
	SC(c, s, 0, GETVAL, 0);
	SOPS(c, s, { 0, 1, 0 });
	SOPS(c, s, { 0, 1, SEM_UNDO });
}

/* ---- semop ---- */

SCENARIO(op_increment_and_stat)
{
	int s = SG(c, IPC_PRIVATE, 2, 0600);

	SOPS(c, s, { 1, 3, 0 });
	VALS(c, s, 2);
	SC(c, s, 0, GETPID, 0);
	SC(c, s, 1, GETPID, 0);
	SC(c, s, 0, IPC_STAT, 0);
}

SCENARIO(op_would_block_nowait)
{
	int s = SG(c, IPC_PRIVATE, 2, 0600);

	SOPS(c, s, { 0, -1, IPC_NOWAIT });
	SOPS(c, s, { 1, 1, 0 });
	SOPS(c, s, { 1, 0, IPC_NOWAIT });
	SOPS(c, s, { 1, -2, IPC_NOWAIT });
	SOPS(c, s, { 0, 0, IPC_NOWAIT });
	SC(c, s, 0, IPC_STAT, 0);
	VALS(c, s, 2);
}

SCENARIO(op_wait_for_zero_sets_otime)
{
	int s = SG(c, IPC_PRIVATE, 1, 0600);

	SC(c, s, 0, IPC_STAT, 0);
	SOPS(c, s, { 0, 0, 0 });
	SC(c, s, 0, IPC_STAT, 0);
	SC(c, s, 0, GETPID, 0);
}

SCENARIO(op_all_or_nothing)
{
	int s = SG(c, IPC_PRIVATE, 3, 0600);

	SOPS(c, s, { 0, 1, 0 }, { 1, -1, IPC_NOWAIT }, { 2, 1, 0 });
	VALS(c, s, 3);
	SOPS(c, s, { 0, 1, 0 }, { 1, 1, 0 }, { 2, 1, 0 });
	SOPS(c, s, { 0, -1, 0 }, { 1, 0, IPC_NOWAIT }, { 2, 1, 0 });
	VALS(c, s, 3);
	SOPS(c, s, { 0, -1, 0 }, { 1, -1, 0 }, { 2, 0, IPC_NOWAIT });
	VALS(c, s, 3);
	SOPS(c, s, { 0, -1, 0 }, { 1, -1, 0 }, { 2, -1, 0 });
	VALS(c, s, 3);
}

SCENARIO(op_nowait_only_counts_on_the_blocking_op)
{
	int s = SG(c, IPC_PRIVATE, 2, 0600);

	SOPS(c, s, { 0, -1, IPC_NOWAIT }, { 1, -1, 0 });
	SOPS(c, s, { 1, 1, 0 }, { 0, -1, IPC_NOWAIT });
	VALS(c, s, 2);
}

SCENARIO(op_nsops_limits)
{
	int s = SG(c, IPC_PRIVATE, 1, 0600);
	static struct sembuf many[SEMOPM + 1];
	char res[64];

	errno = 0;
	res_long(c->ops->semop(s, many, SEMOPM + 1), res);
	tr(c, "semop(%d ops) = %s", SEMOPM + 1, res);
	res_long(c->ops->semop(s, NULL, SEMOPM + 1), res);
	tr(c, "semop(NULL, %d ops) = %s", SEMOPM + 1, res);
	res_long(c->ops->semop(s, many, 0), res);
	tr(c, "semop(0 ops) = %s", res);
	res_long(c->ops->semop(s, many, SEMOPM), res);
	tr(c, "semop(%d wait-for-zero ops) = %s", SEMOPM, res);
	res_long(c->ops->semop(s, many, (1UL << 32) + 1), res);
	tr(c, "semop(2^32 + 1 ops) = %s", res);
	res_long(c->ops->semop(-1, NULL, 0), res);
	tr(c, "semop(-1, NULL, 0) = %s", res);
}

SCENARIO(op_efault)
{
	int s = SG(c, IPC_PRIVATE, 1, 0600);
	char res[64];

	errno = 0;
	res_long(c->ops->semop(s, NULL, 1), res);
	tr(c, "semop(NULL) = %s", res);
	res_long(c->ops->semop(-1, NULL, 1), res);
	tr(c, "semop(-1, NULL) = %s", res);
}

SCENARIO(op_bad_ids_and_efbig)
{
	int s = SG(c, IPC_PRIVATE, 3, 0600);

	SOPS(c, -1, { 0, 1, 0 });
	SOPS(c, s + 1, { 0, 1, 0 });
	SOPS(c, s, { 3, 1, 0 });
	SOPS(c, s, { 0, 1, 0 }, { 65535, 0, 0 });
	SOPS(c, s + 1, { 3, 1, 0 });
	SOPS(c, s, { 3, 1, SEM_UNDO });
	VALS(c, s, 3);
}

SCENARIO(op_erange)
{
	int s = SG(c, IPC_PRIVATE, 2, 0600);

	SOPS(c, s, { 0, SEMVMX, 0 });
	SOPS(c, s, { 0, 1, 0 });
	SOPS(c, s, { 1, 1, 0 }, { 0, 1, 0 });
	VALS(c, s, 2);
	SOPS(c, s, { 0, 1, IPC_NOWAIT });
	SOPS(c, s, { 1, -5, IPC_NOWAIT }, { 0, 1, 0 });
}

SCENARIO(op_erange_of_the_adjustment)
{
	int s = SG(c, IPC_PRIVATE, 1, 0600);

	SC(c, s, 0, SETVAL, SEMVMX);
	SOPS(c, s, { 0, -SEMVMX, SEM_UNDO });
	SC(c, s, 0, SETVAL, 5);
	SOPS(c, s, { 0, -1, SEM_UNDO });
	SOPS(c, s, { 0, 1, SEM_UNDO });
	SOPS(c, s, { 0, 1, SEM_UNDO }, { 0, -1, SEM_UNDO });
	VALS(c, s, 1);
}

SCENARIO(op_same_semaphore_twice)
{
	int s = SG(c, IPC_PRIVATE, 2, 0600);

	SOPS(c, s, { 0, 1, 0 }, { 0, -2, IPC_NOWAIT });
	SOPS(c, s, { 0, 2, 0 }, { 0, -1, 0 });
	VALS(c, s, 2);
	SOPS(c, s, { 0, -1, 0 }, { 0, 0, IPC_NOWAIT });
	SOPS(c, s, { 0, -1, IPC_NOWAIT }, { 0, 0, 0 });
	SOPS(c, s, { 0, 1, 0 }, { 0, 0, IPC_NOWAIT });
	SOPS(c, s, { 0, SEMVMX, 0 }, { 0, -1, 0 });
	SOPS(c, s, { 0, SEMVMX, 0 }, { 0, 1, 0 });
	VALS(c, s, 2);
	SOPS(c, s, { 1, 1, 0 }, { 1, 1, 0 }, { 1, -2, 0 });
	VALS(c, s, 2);
}

SCENARIO(op_aliasing_semaphore_numbers)
{
	int s = SG(c, IPC_PRIVATE, 70, 0600);

	SOPS(c, s, { 1, 1, 0 }, { 65, -1, IPC_NOWAIT });
	SOPS(c, s, { 65, 1, 0 }, { 1, -2, IPC_NOWAIT });
	SOPS(c, s, { 65, 1, 0 }, { 1, 1, 0 });
	SOPS(c, s, { 1, -1, 0 }, { 65, -1, 0 });
	SC(c, s, 1, GETVAL, 0);
	SC(c, s, 65, GETVAL, 0);
}

SCENARIO(op_permissions_as_user)
{
	int r = SG(c, KEY, 2, IPC_CREAT | 0644);
	int w = SG(c, KEY + 1, 2, IPC_CREAT | 0622);

	if (user(c)) {
		SOPS(c, r, { 0, 0, IPC_NOWAIT });
		SOPS(c, r, { 0, 1, 0 });
		SOPS(c, r, { 0, 0, 0 }, { 1, 0, 0 });
		SOPS(c, w, { 0, 0, IPC_NOWAIT });
		SOPS(c, w, { 0, 1, 0 });
		SOPS(c, w, { 5, 1, 0 });
		_exit(0);
	}
	VALS(c, w, 2);
	SC(c, w, 0, GETPID, 0);
}

SCENARIO(timedop_times_out)
{
	int s = SG(c, IPC_PRIVATE, 1, 0600);
	struct timespec zero = { 0, 0 };

	TSOPS(c, s, &ms50, { 0, -1, 0 });
	TSOPS(c, s, &zero, { 0, -1, 0 });
	TSOPS(c, s, &ms50, { 0, 1, 0 });
	TSOPS(c, s, &ms50, { 0, 0, 0 });
	CNTS(c, s, 1);
	SC(c, s, 0, IPC_STAT, 0);
}

SCENARIO(timedop_bad_timeouts)
{
	int s = SG(c, IPC_PRIVATE, 1, 0600);
	struct timespec bad_ns = { 0, 1000000000 }, neg = { -1, 0 };
	char res[64];

	TSOPS(c, s, &bad_ns, { 0, 1, 0 });
	TSOPS(c, s, &neg, { 0, 1, 0 });
	VALS(c, s, 1);
	errno = 0;
	res_long(c->ops->semtimedop(s, NULL, 0, (void *)8), res);
	tr(c, "semtimedop(0 ops, bad timeout) = %s", res);
	res_long(c->ops->semtimedop(s, NULL, SEMOPM + 1, (void *)8), res);
	tr(c, "semtimedop(too many ops, bad timeout) = %s", res);
	res_long(c->ops->semtimedop(-1, NULL, 1, &bad_ns), res);
	tr(c, "semtimedop(NULL ops, bad ns) = %s", res);
}

/* ---- SEM_UNDO ---- */

SCENARIO(undo_applied_at_exit)
{
	int s = SG(c, IPC_PRIVATE, 3, 0600);

	SC(c, s, 2, SETVAL, 10);
	if (child(c)) {
		SOPS(c, s, { 0, 2, SEM_UNDO }, { 1, 1, 0 },
		     { 2, -3, SEM_UNDO });
		VALS(c, s, 3);
		_exit(0);
	}
	VALS(c, s, 3);
	SC(c, s, 0, GETPID, 0);
	SC(c, s, 1, GETPID, 0);
	SC(c, s, 2, GETPID, 0);
}

SCENARIO(undo_net_zero_leaves_pid)
{
	int s = SG(c, IPC_PRIVATE, 1, 0600);

	SOPS(c, s, { 0, 1, 0 });
	if (child(c)) {
		SOPS(c, s, { 0, 1, SEM_UNDO });
		SOPS(c, s, { 0, -1, SEM_UNDO });
		_exit(0);
	}
	SOPS(c, s, { 0, 0, IPC_NOWAIT });
	VALS(c, s, 1);
	SC(c, s, 0, GETPID, 0);
}

SCENARIO(undo_clamped_at_zero)
{
	int s = SG(c, IPC_PRIVATE, 1, 0600);
	pid_t p = spawn(c);

	if (!p) {
		SOPS(c, s, { 0, 5, SEM_UNDO });
		raise(SIGSTOP);
		_exit(0);
	}
	waitpid(p, NULL, WUNTRACED);
	SOPS(c, s, { 0, -4, 0 });
	kill(p, SIGCONT);
	reap(c, p);
	VALS(c, s, 1);
	SC(c, s, 0, GETPID, 0);
}

SCENARIO(undo_clamped_at_semvmx)
{
	int s = SG(c, IPC_PRIVATE, 1, 0600);
	pid_t p;

	SC(c, s, 0, SETVAL, 10);
	p = spawn(c);
	if (!p) {
		SOPS(c, s, { 0, -5, SEM_UNDO });
		raise(SIGSTOP);
		_exit(0);
	}
	waitpid(p, NULL, WUNTRACED);
	SOPS(c, s, { 0, SEMVMX - 5, 0 });
	kill(p, SIGCONT);
	reap(c, p);
	VALS(c, s, 1);
}

SCENARIO(undo_cleared_by_setval_and_setall)
{
	int s = SG(c, IPC_PRIVATE, 2, 0600);
	pid_t p = spawn(c);

	if (!p) {
		SOPS(c, s, { 0, 3, SEM_UNDO }, { 1, 4, SEM_UNDO });
		raise(SIGSTOP);
		SOPS(c, s, { 1, 1, SEM_UNDO });
		_exit(0);
	}
	waitpid(p, NULL, WUNTRACED);
	SC(c, s, 0, SETVAL, 7);
	kill(p, SIGCONT);
	reap(c, p);
	VALS(c, s, 2);
	p = spawn(c);
	if (!p) {
		SOPS(c, s, { 0, 3, SEM_UNDO }, { 1, 4, SEM_UNDO });
		raise(SIGSTOP);
		_exit(0);
	}
	waitpid(p, NULL, WUNTRACED);
	SETALL_VALS(c, s, 1, 2);
	kill(p, SIGCONT);
	reap(c, p);
	VALS(c, s, 2);
}

SCENARIO(undo_applied_at_sigkill)
{
	int s = SG(c, IPC_PRIVATE, 1, 0600);
	pid_t p = spawn(c);

	if (!p) {
		SOPS(c, s, { 0, 9, SEM_UNDO });
		for (;;)
			pause();
	}
	wait_asleep(p);
	VALS(c, s, 1);
	kill(p, SIGKILL);
	reap(c, p);
	VALS(c, s, 1);
}

SCENARIO(undo_dropped_with_the_set)
{
	int s = SG(c, IPC_PRIVATE, 1, 0600);
	pid_t p = spawn(c);

	if (!p) {
		SOPS(c, s, { 0, 2, SEM_UNDO });
		raise(SIGSTOP);
		SOPS(c, s, { 0, 2, SEM_UNDO });
		_exit(0);
	}
	waitpid(p, NULL, WUNTRACED);
	SC(c, s, 0, IPC_RMID, 0);
	s = SG(c, IPC_PRIVATE, 1, 0600);
	kill(p, SIGCONT);
	reap(c, p);
	VALS(c, s, 1);
}

SCENARIO(undo_wakes_sleepers)
{
	int s = SG(c, IPC_PRIVATE, 1, 0600);
	pid_t a, z;

	SOPS(c, s, { 0, 1, 0 });
	a = spawn(c);
	if (!a) {
		SOPS(c, s, { 0, -1, SEM_UNDO });
		raise(SIGSTOP);
		_exit(0);
	}
	waitpid(a, NULL, WUNTRACED);
	z = SLEEPER(c, SOPS(c, s, { 0, -1, 0 }));
	CNTS(c, s, 1);
	kill(a, SIGCONT);
	reap(c, a);
	reap(c, z);
	VALS(c, s, 1);
}

SCENARIO(undo_applied_at_unshare)
{
	int s = SG(c, IPC_PRIVATE, 1, 0600);
	pid_t p = spawn(c);

	if (!p) {
		SOPS(c, s, { 0, 4, SEM_UNDO });
		tr(c, "unshare = %d", c->ops->enter());
		raise(SIGSTOP);
		_exit(0);
	}
	waitpid(p, NULL, WUNTRACED);
	VALS(c, s, 1);
	SC(c, s, 0, GETPID, 0);
	kill(p, SIGCONT);
	reap(c, p);
	VALS(c, s, 1);
}

/* ---- semctl ---- */

SCENARIO(ctl_setval_getval)
{
	int s = SG(c, IPC_PRIVATE, 2, 0600);

	SC(c, s, 1, SETVAL, 42);
	SC(c, s, 1, GETVAL, 0);
	SC(c, s, 1, GETPID, 0);
	SC(c, s, 0, GETPID, 0);
	SC(c, s, 0, IPC_STAT, 0);
	SC(c, s, 1, SETVAL, SEMVMX);
	SC(c, s, 1, SETVAL, SEMVMX + 1);
	SC(c, s, 1, SETVAL, -1);
	SC(c, s, 2, SETVAL, 1);
	SC(c, s, -1, SETVAL, 1);
	SC(c, s, 1, GETVAL, 0);
}

SCENARIO(ctl_setval_checks_in_order)
{
	int s = SG(c, IPC_PRIVATE, 2, 0644);

	SC(c, s + 1, 5, SETVAL, -1);
	SC(c, s + 1, 5, SETVAL, 1);
	if (user(c)) {
		SC(c, s, 5, SETVAL, 1);
		SC(c, s, 1, SETVAL, 1);
		SC(c, s, 5, GETVAL, 0);
		SC(c, s, 1, GETVAL, 0);
		_exit(0);
	}
}

SCENARIO(ctl_get_commands_bad_semnum)
{
	int s = SG(c, IPC_PRIVATE, 2, 0600);

	SC(c, s, 2, GETVAL, 0);
	SC(c, s, -1, GETPID, 0);
	SC(c, s, 2, GETNCNT, 0);
	SC(c, s, 2, GETZCNT, 0);
	SC(c, s, 99, GETALL, 2);
	SC(c, s, 99, IPC_STAT, 0);
}

SCENARIO(ctl_getall_setall)
{
	int s = SG(c, IPC_PRIVATE, 4, 0600);

	SETALL_VALS(c, s, 1, 2, 3, 4);
	SC(c, s, 0, GETALL, 4);
	SC(c, s, 3, GETPID, 0);
	SC(c, s, 0, IPC_STAT, 0);
	SETALL_VALS(c, s, 5, 6, 7, SEMVMX + 1);
	SETALL_VALS(c, s, 9, 9, 9, 0xffff);
	SC(c, s, 0, GETALL, 4);
}

SCENARIO(ctl_getall_setall_efault)
{
	int s = SG(c, IPC_PRIVATE, 4, 0600);

	SCB(c, s, 0, GETALL, NULL, "NULL");
	SCB(c, s, 0, SETALL, NULL, "NULL");
	SCB(c, s + 1, 0, SETALL, NULL, "NULL");
	SCB(c, s, 0, IPC_STAT, NULL, "NULL");
	SCB(c, s, 0, SEM_STAT, NULL, "NULL");
	SCB(c, s, 0, IPC_SET, NULL, "NULL");
	SCB(c, s + 1, 0, IPC_SET, NULL, "NULL");
	SCB(c, s, 0, IPC_INFO, NULL, "NULL");
	SCB(c, s, 0, SEM_INFO, NULL, "NULL");
	SC(c, s, 0, GETALL, 4);
}

SCENARIO(ctl_many_semaphores)
{
	int s = SG(c, IPC_PRIVATE, 1000, 0600);
	static unsigned short v[1000], w[1000];
	unsigned int sum = 0;
	int i;

	for (i = 0; i < 1000; i++)
		v[i] = i * 7 % 1000;
	tr(c, "setall = %d", c->ops->semctl(s, 0, SETALL, (unsigned long)v));
	tr(c, "getall = %d", c->ops->semctl(s, 0, GETALL, (unsigned long)w));
	for (i = 0; i < 1000; i++)
		sum = sum * 31 + w[i];
	tr(c, "sum = %#x", sum);
	SC(c, s, 999, GETVAL, 0);
	SOPS(c, s, { 999, -1, 0 }, { 0, 1, 0 });
	SC(c, s, 999, GETVAL, 0);
}

SCENARIO(ctl_stat_and_set)
{
	int s = SG(c, KEY, 2, IPC_CREAT | 0600);

	SET(c, s, SIPC_TEST_UID, SIPC_TEST_GID, 07755);
	SC(c, s, 0, IPC_STAT, 0);
	SET(c, s, (uid_t)-1, 0, 0600);
	SET(c, s, 0, (gid_t)-1, 0600);
	if (user(c)) {
		SET(c, s, SIPC_TEST_UID, 0, 0640);
		SC(c, s, 0, IPC_STAT, 0);
		_exit(0);
	}
	SC(c, s, 0, IPC_STAT, 0);
}

SCENARIO(ctl_set_and_rmid_need_owner)
{
	int s = SG(c, IPC_PRIVATE, 1, 0666);

	if (user(c)) {
		SET(c, s, SIPC_TEST_UID, SIPC_TEST_GID, 0666);
		SC(c, s, 0, IPC_RMID, 0);
		SC(c, s, 0, SETVAL, 3);
		_exit(0);
	}
	SC(c, s, 0, IPC_STAT, 0);
	VALS(c, s, 1);
}

SCENARIO(ctl_rmid_then_everything_is_einval)
{
	int s = SG(c, IPC_PRIVATE, 2, 0600);

	SC(c, s, 0, IPC_RMID, 0);
	SC(c, s, 0, IPC_STAT, 0);
	SC(c, s, 0, IPC_RMID, 0);
	SC(c, s, 0, GETVAL, 0);
	SC(c, s, 0, SETVAL, 1);
	SC(c, s, 0, GETALL, 2);
	SOPS(c, s, { 0, 1, 0 });
	SC(c, 0, 0, SEM_STAT, 0);
}

SCENARIO(ctl_info)
{
	int a, b;

	SC(c, 0, 0, IPC_INFO, 0);
	SC(c, 0, 0, SEM_INFO, 0);
	a = SG(c, IPC_PRIVATE, 5, 0600);
	b = SG(c, IPC_PRIVATE, 7, 0600);
	SC(c, 0, 0, SEM_INFO, 0);
	SC(c, 77, 3, IPC_INFO, 0);
	SC(c, a, 0, IPC_RMID, 0);
	SC(c, 0, 0, SEM_INFO, 0);
	SC(c, b, 0, IPC_RMID, 0);
	SC(c, 0, 0, SEM_INFO, 0);
}

SCENARIO(ctl_sem_stat_by_index)
{
	int i, s;

	for (i = 0; i < 70; i++)
		c->ops->semctl(c->ops->semget(IPC_PRIVATE, 1, 0600), 0,
			       IPC_RMID, 0);
	s = SG(c, IPC_PRIVATE, 3, 0600);
	SC(c, s, 0, SEM_STAT, 0);
	SC(c, s & 0x7fff, 0, SEM_STAT, 0);
	SC(c, s & 0x7fff, 0, SEM_STAT_ANY, 0);
	SC(c, (s & 0x7fff) + 1, 0, SEM_STAT, 0);
	SC(c, s & 0x7fff, 0, IPC_STAT, 0);
	SC(c, 0, 0, IPC_INFO, 0);
}

SCENARIO(ctl_permissions_as_user)
{
	int s = SG(c, IPC_PRIVATE, 2, 0600);

	if (user(c)) {
		SC(c, s, 0, IPC_STAT, 0);
		SC(c, s, 0, SEM_STAT, 0);
		SC(c, s, 0, SEM_STAT_ANY, 0);
		SC(c, s, 0, GETVAL, 0);
		SC(c, s, 9, GETVAL, 0);
		SC(c, s, 0, GETALL, 2);
		SC(c, s, 0, GETNCNT, 0);
		SC(c, s, 0, GETPID, 0);
		SETALL_VALS(c, s, 1, 1);
		SC(c, 0, 0, SEM_INFO, 0);
		_exit(0);
	}
}

SCENARIO(ctl_read_only_user)
{
	int s = SG(c, IPC_PRIVATE, 2, 0604);

	if (user(c)) {
		SC(c, s, 0, GETVAL, 0);
		SC(c, s, 0, GETALL, 2);
		SC(c, s, 0, SETVAL, 1);
		SETALL_VALS(c, s, 1, 1);
		_exit(0);
	}
}

SCENARIO(ctl_bad_commands)
{
	int s = SG(c, IPC_PRIVATE, 1, 0600);

	SC(c, s, 0, 99, 0);
	SC(c, s, 0, -1, 0);
	SC(c, s, 0, IPC_STAT | 0x100, 0);
	SC(c, s, 0, 0x100 | GETVAL, 0);
	SC(c, -1, 0, IPC_INFO, 0);
	SC(c, -1, 0, GETVAL, 0);
	SC(c, -1, 0, 99, 0);
}

SCENARIO(ctl_setval_uses_low_half_of_arg)
{
	int s = SG(c, IPC_PRIVATE, 1, 0600);
	char res[64];

	errno = 0;
	res_long(c->ops->semctl(s, 0, SETVAL, (7UL << 32) | 5), res);
	tr(c, "semctl(SETVAL, 7:5) = %s", res);
	VALS(c, s, 1);
	res_long(c->ops->semctl(s, 0, SETVAL, 0xffffffffUL), res);
	tr(c, "semctl(SETVAL, -1) = %s", res);
}

/* ---- sleepers ---- */

SCENARIO(blk_decrement_woken_by_increment)
{
	int s = SG(c, IPC_PRIVATE, 1, 0600);
	pid_t p = SLEEPER(c, SOPS(c, s, { 0, -2, 0 }));

	CNTS(c, s, 1);
	SOPS(c, s, { 0, 1, 0 });
	CNTS(c, s, 1);
	SOPS(c, s, { 0, 1, 0 });
	reap(c, p);
	VALS(c, s, 1);
	SC(c, s, 0, GETPID, 0);
	SC(c, s, 0, IPC_STAT, 0);
}

SCENARIO(blk_fifo_between_decrements)
{
	int s = SG(c, IPC_PRIVATE, 1, 0600);
	pid_t a, b;

	a = SLEEPER(c, SOPS(c, s, { 0, -2, 0 }));
	b = SLEEPER(c, SOPS(c, s, { 0, -1, 0 }));
	CNTS(c, s, 1);
	SOPS(c, s, { 0, 1, 0 });
	reap(c, b);
	CNTS(c, s, 1);
	SOPS(c, s, { 0, 2, 0 });
	reap(c, a);
	VALS(c, s, 1);
}

SCENARIO(blk_wait_for_zero_woken)
{
	int s = SG(c, IPC_PRIVATE, 2, 0600);
	pid_t p;

	SOPS(c, s, { 0, 2, 0 });
	p = SLEEPER(c, SOPS(c, s, { 0, 0, 0 }, { 1, 1, 0 }));
	CNTS(c, s, 2);
	SOPS(c, s, { 0, -1, 0 });
	CNTS(c, s, 2);
	SOPS(c, s, { 0, -1, 0 });
	reap(c, p);
	VALS(c, s, 2);
}

SCENARIO(blk_zero_waiters_complete_before_decrements)
{
	int s = SG(c, IPC_PRIVATE, 1, 0600);
	pid_t d, z;

	d = SLEEPER(c, SOPS(c, s, { 0, -1, 0 }));
	SOPS(c, s, { 0, 1, 0 });
	reap(c, d);
	SOPS(c, s, { 0, 1, 0 });
	z = SLEEPER(c, SOPS(c, s, { 0, 0, 0 }));
	SC(c, s, 0, SETVAL, 0);
	reap(c, z);
	VALS(c, s, 1);
}

SCENARIO(blk_complex_waiter_keeps_fifo)
{
	int s = SG(c, IPC_PRIVATE, 2, 0600);
	pid_t a, b, d;

	a = SLEEPER(c, SOPS(c, s, { 0, -1, 0 }));
	b = SLEEPER(c, SOPS(c, s, { 0, -1, 0 }, { 1, -1, 0 }));
	d = SLEEPER(c, SOPS(c, s, { 1, -1, 0 }));
	CNTS(c, s, 2);
	SOPS(c, s, { 1, 1, 0 });
	reap(c, d);
	CNTS(c, s, 2);
	SOPS(c, s, { 0, 1, 0 });
	reap(c, a);
	CNTS(c, s, 2);
	SOPS(c, s, { 0, 1, 0 }, { 1, 1, 0 });
	reap(c, b);
	VALS(c, s, 2);
}

SCENARIO(blk_multi_op_woken_as_a_whole)
{
	int s = SG(c, IPC_PRIVATE, 3, 0600);
	pid_t p = SLEEPER(c, SOPS(c, s, { 0, -1, 0 }, { 1, -1, 0 }, { 2, 1, 0 }));

	CNTS(c, s, 3);
	SOPS(c, s, { 1, 1, 0 });
	CNTS(c, s, 3);
	SOPS(c, s, { 0, 1, 0 });
	reap(c, p);
	VALS(c, s, 3);
	SC(c, s, 2, GETPID, 0);
}

SCENARIO(blk_setval_and_setall_wake)
{
	int s = SG(c, IPC_PRIVATE, 2, 0600);
	pid_t a, b;

	a = SLEEPER(c, SOPS(c, s, { 0, -3, 0 }));
	SC(c, s, 0, SETVAL, 3);
	reap(c, a);
	b = SLEEPER(c, SOPS(c, s, { 1, -1, 0 }, { 0, 0, 0 }));
	SETALL_VALS(c, s, 0, 1);
	reap(c, b);
	VALS(c, s, 2);
	SC(c, s, 1, GETPID, 0);
}

SCENARIO(blk_rmid_wakes_with_eidrm)
{
	int s = SG(c, IPC_PRIVATE, 2, 0600);
	pid_t a, b;

	SOPS(c, s, { 1, 1, 0 });
	a = SLEEPER(c, SOPS(c, s, { 0, -1, 0 }));
	b = SLEEPER(c, SOPS(c, s, { 1, 0, SEM_UNDO }, { 0, 1, 0 }));
	SC(c, s, 0, IPC_RMID, 0);
	reap(c, a);
	reap(c, b);
}

SCENARIO(blk_signal_is_eintr_even_with_sa_restart)
{
	int s = SG(c, IPC_PRIVATE, 1, 0600);
	pid_t p = spawn(c);

	if (!p) {
		catch_usr1();
		SOPS(c, s, { 0, -1, 0 });
		_exit(0);
	}
	wait_asleep(p);
	kill(p, SIGUSR1);
	reap(c, p);
	CNTS(c, s, 1);
}

SCENARIO(blk_stop_and_continue_is_eintr)
{
	int s = SG(c, IPC_PRIVATE, 1, 0600);
	pid_t p = SLEEPER(c, SOPS(c, s, { 0, -1, 0 }));

	kill(p, SIGSTOP);
	waitpid(p, NULL, WUNTRACED);
	kill(p, SIGCONT);
	reap(c, p);
}

SCENARIO(blk_timed_sleeper_woken_in_time)
{
	int s = SG(c, IPC_PRIVATE, 1, 0600);
	struct timespec sec5 = { 5, 0 };
	pid_t p = SLEEPER(c, TSOPS(c, s, &sec5, { 0, -1, 0 }));

	SOPS(c, s, { 0, 1, 0 });
	reap(c, p);
	VALS(c, s, 1);
}

SCENARIO(blk_kill_sleeper_leaves_queue)
{
	int s = SG(c, IPC_PRIVATE, 1, 0600);
	pid_t p = SLEEPER(c, SOPS(c, s, { 0, -1, SEM_UNDO }));

	CNTS(c, s, 1);
	kill(p, SIGKILL);
	reap(c, p);
	CNTS(c, s, 1);
	SOPS(c, s, { 0, 1, 0 });
	VALS(c, s, 1);
}

/* ---- limits: kernel.sem (SEMMSL SEMMNS SEMOPM SEMMNI), sem_next_id ---- */

SCENARIO(limit_sem)
{
	int a, b;

	show_limit(c, "sem");
	set_limit(c, "sem", "10 25 5 3");
	SC(c, 0, 0, IPC_INFO, 0);
	/* SEMMSL: nsems above is EINVAL, before the key is looked up */
	SG(c, IPC_PRIVATE, 11, 0600);
	a = SG(c, KEY, 10, IPC_CREAT | 0600);
	SG(c, KEY, 11, 0);
	SG(c, KEY, 10, 0);
	/* SEMMNS: every set's semaphores together */
	b = SG(c, IPC_PRIVATE, 10, 0600);
	SG(c, IPC_PRIVATE, 6, 0600);
	SG(c, IPC_PRIVATE, 5, 0600);
	SC(c, 0, 0, SEM_INFO, 0);
	/* SEMMNI: the number of sets */
	SG(c, IPC_PRIVATE, 0, 0600);
	SG(c, IPC_PRIVATE, 1, 0600);
	SC(c, b, 0, IPC_RMID, 0);
	SG(c, IPC_PRIVATE, 1, 0600);
	set_limit(c, "sem", "10 100 5 1");
	SG(c, IPC_PRIVATE, 1, 0600);
	/* SEMOPM: the operations in one call */
	SOPS(c, a, { 0, 1, 0 }, { 1, 1, 0 }, { 2, 1, 0 }, { 3, 1, 0 },
	     { 4, 1, 0 });
	SOPS(c, a, { 0, -1, 0 }, { 1, -1, 0 }, { 2, -1, 0 }, { 3, -1, 0 },
	     { 4, -1, 0 }, { 5, 0, 0 });
	SOPS(c, 12345, { 0, -1, 0 }, { 1, -1, 0 }, { 2, -1, 0 },
	     { 3, -1, 0 }, { 4, -1, 0 }, { 5, 0, 0 });
	VALS(c, a, 6);
	SC(c, 0, 0, IPC_INFO, 0);
	SC(c, 0, 0, SEM_INFO, 0);
}

SCENARIO(limit_sem_writes)
{
	/* fewer values: the others are kept */
	set_limit(c, "sem", "7 70");
	set_limit(c, "sem", "7 70 3 2 99");
	/* SEMMNI out of range: refused and put back, the rest kept */
	set_limit(c, "sem", "8 80 4 32769");
	set_limit(c, "sem", "9 90 5 -1");
	set_limit(c, "sem", "x");
	set_limit(c, "sem", "0 0 0 0");
	SG(c, IPC_PRIVATE, 1, 0600);
	set_limit(c, "sem", "250 32000 32 128");
	SC(c, 0, 0, IPC_INFO, 0);
}

SCENARIO(limit_sem_next_id)
{
	int s;

	show_limit(c, "sem_next_id");
	set_limit(c, "sem_next_id", "3");
	s = SG(c, IPC_PRIVATE, 1, 0600);
	show_limit(c, "sem_next_id");
	SG(c, IPC_PRIVATE, 1, 0600);
	SC(c, s & 0x7fff, 0, SEM_STAT, 0);
	/* sequence 4, index 3 (in use) */
	set_limit(c, "sem_next_id", "131075");
	SG(c, KEY, 1, IPC_CREAT | 0600);
	show_limit(c, "sem_next_id");
	SC(c, s, 0, IPC_RMID, 0);
	set_limit(c, "sem_next_id", "131075");
	SG(c, IPC_PRIVATE, 1, 0600);
	set_limit(c, "sem_next_id", "-1");
	SG(c, IPC_PRIVATE, 1, 0600);
	show_limit(c, "sem_next_id");
}

TEST_HARNESS_MAIN
