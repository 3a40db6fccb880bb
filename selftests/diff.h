/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The differential test framework: a scenario is one function written
 * against a table of the System V calls (struct diff_ops). It runs twice,
 * each time in a fresh process: on Linux's own calls in a new IPC
 * namespace (unshare(CLONE_NEWIPC)), and on shadowipc's in a new shadow
 * namespace. Every call goes to a trace, its result normalised by meaning
 * (ids as "idN" for the Nth id seen, with the number; pids as
 * "self"/"childN"; times as "0"/"now"), and the two traces must be
 * identical. The trace is in shared memory, so the children a scenario
 * forks add to it: child() and user() children one at a time (the
 * scenario waits for each), spawn()ed ones, which run alongside the
 * scenario, each to a trace of its own that reap() appends.
 *
 * A test file includes this after the harness and sipc_test.h, then
 * writes SCENARIO(name) { ... } blocks, each a FIXTURE_VARIANT of the
 * fixture "diff", so KTAP lists each scenario.
 */
#ifndef _SIPC_DIFF_H
#define _SIPC_DIFF_H

#include <dlfcn.h>
#include <sched.h>
#include <stdarg.h>
#include <sys/mman.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/syscall.h>
#include <time.h>

/*
 * One implementation of the calls, how to get a fresh namespace, and
 * where its sysctls are (/proc/sys or its shadow; see set_limit()).
 * Linux's side reaches the kernel with raw system calls, so that it stays
 * Linux's in a test run under the preload shim; the shadow side's clone,
 * clone_sys (syscall() of SYS_clone and SYS_clone3) and setns are the
 * C library's, that is the shim's in such a test.
 */
struct diff_ops {
	const char *name;
	int (*enter)(void);
	const char *sysctl_dir;
	int (*shmget)(key_t key, size_t size, int flg);
	void *(*shmat)(int id, const void *addr, int flg);
	int (*shmdt)(const void *addr);
	int (*shmctl)(int id, int cmd, void *buf);
	int (*msgget)(key_t key, int flg);
	int (*msgsnd)(int id, const void *msgp, size_t sz, int flg);
	ssize_t (*msgrcv)(int id, void *msgp, size_t sz, long typ, int flg);
	int (*msgctl)(int id, int cmd, void *buf);
	int (*semget)(key_t key, int nsems, int flg);
	int (*semtimedop)(int id, struct sembuf *sops, size_t nsops,
			  const struct timespec *timeout);
	int (*semop)(int id, struct sembuf *sops, size_t nsops);
	int (*semctl)(int id, int num, int cmd, unsigned long arg);
	int (*clone)(int (*fn)(void *), void *stack, int flags, void *arg);
	long (*clone_sys)(long nr, long a, long b, long c, long d, long e);
	int (*setns)(int fd, int nstype);
};

#define RAW(nr, ...)	sipc_raw_syscall_n(nr, __VA_ARGS__, 0, 0, 0, 0, 0)
#define sipc_raw_syscall_n(nr, a, b, c, d, e, ...)			\
	sipc_raw_syscall(nr, (long)(a), (long)(b), (long)(c), (long)(d),	\
			 (long)(e))

static int native_enter(void)
{
	return RAW(SYS_unshare, CLONE_NEWIPC);
}

static int native_shmget(key_t key, size_t size, int flg)
{
	return RAW(SYS_shmget, key, size, flg);
}

static void *native_shmat(int id, const void *addr, int flg)
{
	return (void *)RAW(SYS_shmat, id, addr, flg);
}

static int native_shmdt(const void *addr)
{
	return RAW(SYS_shmdt, addr);
}

static int native_shmctl(int id, int cmd, void *buf)
{
	return RAW(SYS_shmctl, id, cmd, buf);
}

static int native_msgget(key_t key, int flg)
{
	return RAW(SYS_msgget, key, flg);
}

static int native_msgsnd(int id, const void *msgp, size_t sz, int flg)
{
	return RAW(SYS_msgsnd, id, msgp, sz, flg);
}

static ssize_t native_msgrcv(int id, void *msgp, size_t sz, long typ, int flg)
{
	return RAW(SYS_msgrcv, id, msgp, sz, typ, flg);
}

static int native_msgctl(int id, int cmd, void *buf)
{
	return RAW(SYS_msgctl, id, cmd, buf);
}

static int native_semget(key_t key, int nsems, int flg)
{
	return RAW(SYS_semget, key, nsems, flg);
}

static int native_semtimedop(int id, struct sembuf *sops, size_t nsops,
			     const struct timespec *timeout)
{
	return RAW(SYS_semtimedop, id, sops, nsops, timeout);
}

static int native_semop(int id, struct sembuf *sops, size_t nsops)
{
	return RAW(SYS_semop, id, sops, nsops);
}

static int native_semctl(int id, int num, int cmd, unsigned long arg)
{
	return RAW(SYS_semctl, id, num, cmd, arg);
}

/* The C library's own clone(), past any preload shim. */
static int native_clone(int (*fn)(void *), void *stack, int flags, void *arg)
{
	static int (*libc_clone)(int (*)(void *), void *, int, void *, ...);

	if (!libc_clone) {
		void *libc = dlopen("libc.so.6", RTLD_LAZY | RTLD_NOLOAD);

		libc_clone = libc ? dlsym(libc, "clone") : NULL;
		if (!libc_clone) {
			errno = ENOSYS;
			return -1;
		}
	}
	return libc_clone(fn, stack, flags, arg);
}

static int native_setns(int fd, int nstype)
{
	return RAW(SYS_setns, fd, nstype);
}

/* The C library's syscall() (the shim's, when preloaded). */
static long libc_syscall(long nr, long a, long b, long c, long d, long e)
{
	return syscall(nr, a, b, c, d, e);
}

static int libc_clone(int (*fn)(void *), void *stack, int flags, void *arg)
{
	return clone(fn, stack, flags, arg);
}

static int sipc_enter(void)
{
	return shadowipc_unshare(NULL);
}

static int sipc_shmctl(int id, int cmd, void *buf)
{
	return shadowipc_shmctl(id, cmd, buf);
}

static int sipc_msgctl(int id, int cmd, void *buf)
{
	return shadowipc_msgctl(id, cmd, buf);
}

/* Through the library's variadic semctl, with a union semun as libc. */
static int sipc_semctl(int id, int num, int cmd, unsigned long arg)
{
	union semun {
		int val;
		void *buf;
	} u = { .buf = (void *)arg };

	return shadowipc_semctl(id, num, cmd, u);
}

static const struct diff_ops native_ops __attribute__((unused)) = {
	.name = "linux",
	.enter = native_enter,
	.sysctl_dir = "/proc/sys",
	.shmget = native_shmget,
	.shmat = native_shmat,
	.shmdt = native_shmdt,
	.shmctl = native_shmctl,
	.msgget = native_msgget,
	.msgsnd = native_msgsnd,
	.msgrcv = native_msgrcv,
	.msgctl = native_msgctl,
	.semget = native_semget,
	.semtimedop = native_semtimedop,
	.semop = native_semop,
	.semctl = native_semctl,
	.clone = native_clone,
	.clone_sys = sipc_raw_syscall,
	.setns = native_setns,
};

static const struct diff_ops sipc_ops __attribute__((unused)) = {
	.name = "shadowipc",
	.enter = sipc_enter,
	.sysctl_dir = "/proc/shadowipc/sys",
	.shmget = shadowipc_shmget,
	.shmat = shadowipc_shmat,
	.shmdt = shadowipc_shmdt,
	.shmctl = sipc_shmctl,
	.msgget = shadowipc_msgget,
	.msgsnd = shadowipc_msgsnd,
	.msgrcv = shadowipc_msgrcv,
	.msgctl = sipc_msgctl,
	.semget = shadowipc_semget,
	.semtimedop = shadowipc_semtimedop,
	.semop = shadowipc_semop,
	.semctl = sipc_semctl,
	.clone = libc_clone,
	.clone_sys = libc_syscall,
	.setns = setns,
};

#define TRACE_MAX	(48 << 10)
#define CHILD_TRACE_MAX	4096
#define MAX_IDS		64
#define MAX_PIDS	16

/* What a scenario run records; in shared memory (see above). */
struct ctx {
	const struct diff_ops *ops;
	time_t t0;
	int nids;
	int ids[MAX_IDS];
	int npids;
	pid_t pids[MAX_PIDS];
	char pid_names[MAX_PIDS][16];
	size_t len;
	char trace[TRACE_MAX];
	size_t child_len[MAX_PIDS];
	char child_trace[MAX_PIDS][CHILD_TRACE_MAX];
};

/* In a spawn()ed child, the index of its own trace; else -1. */
static int tr_slot = -1;

/* Append a line to @buf (@max bytes, @len used). */
static void tr_line(char *buf, size_t *len, size_t max, const char *fmt,
		    va_list ap)
{
	size_t room = max - *len;
	int n;

	if (room < 2)
		return;
	n = vsnprintf(buf + *len, room - 1, fmt, ap);
	if (n < 0)
		return;
	*len += (size_t)n < room - 1 ? (size_t)n : room - 2;
	buf[(*len)++] = '\n';
	buf[*len] = 0;
}

static void tr(struct ctx *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void tr(struct ctx *c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	if (tr_slot >= 0)
		tr_line(c->child_trace[tr_slot], &c->child_len[tr_slot],
			CHILD_TRACE_MAX, fmt, ap);
	else
		tr_line(c->trace, &c->len, TRACE_MAX, fmt, ap);
	va_end(ap);
}

static const char *err_name(int err)
{
	const char *s = strerrorname_np(err);

	return s ? s : "E?";
}

/* "idN [raw]" for the Nth id seen, else the number itself. */
static const char *id_str(struct ctx *c, int id, char *buf)
{
	int k;

	for (k = 0; k < c->nids; k++)
		if (c->ids[k] == id) {
			sprintf(buf, "id%d", k);
			return buf;
		}
	sprintf(buf, "%d", id);
	return buf;
}

static void id_note(struct ctx *c, int id)
{
	int k;

	for (k = 0; k < c->nids; k++)
		if (c->ids[k] == id)
			return;
	if (c->nids < MAX_IDS)
		c->ids[c->nids++] = id;
}

static void pid_note(struct ctx *c, pid_t pid, const char *name)
{
	if (c->npids < MAX_PIDS) {
		c->pids[c->npids] = pid;
		snprintf(c->pid_names[c->npids], sizeof(c->pid_names[0]), "%s",
			 name);
		c->npids++;
	}
}

static const char *pid_str(struct ctx *c, pid_t pid)
{
	int k;

	if (!pid)
		return "0";
	for (k = 0; k < c->npids; k++)
		if (c->pids[k] == pid)
			return c->pid_names[k];
	return "pid?";
}

static __attribute__((unused)) const char *time_str(struct ctx *c, time_t t)
{
	if (!t)
		return "0";
	return t >= c->t0 - 1 && t <= time(NULL) + 1 ? "now" : "bad";
}

/* "-1 ENAME" or the number. */
static void res_long(long r, char *buf)
{
	if (r == -1)
		sprintf(buf, "-1 %s", err_name(errno));
	else
		sprintf(buf, "%ld", r);
}

/* A get call's result: a new id is noted and shown with its number. */
static __attribute__((unused)) void res_id(struct ctx *c, int r, char *buf)
{
	char idb[16];

	if (r < 0) {
		res_long(r, buf);
		return;
	}
	id_note(c, r);
	sprintf(buf, "%s [%d]", id_str(c, r, idb), r);
}

/*
 * The result and the id argument of a ctl call as traced: a STAT command
 * returns an id, an INFO command ignores the id it is given.
 */
static __attribute__((unused)) void ctl_strs(struct ctx *c, int id, long r,
					     bool stat, bool info, char *res,
					     char *idb)
{
	if (r >= 0 && stat)
		id_str(c, r, res);
	else
		res_long(r, res);
	if (info)
		sprintf(idb, "%d", id);
	else
		id_str(c, id, idb);
}

/* @cmd's name in @names (indexed by command, @n of them), else the number. */
static __attribute__((unused)) const char *
cmd_name(int cmd, const char *const *names, size_t n, char *buf)
{
	if (cmd >= 0 && (size_t)cmd < n && names[cmd])
		return names[cmd];
	sprintf(buf, "%#x", cmd);
	return buf;
}

static __attribute__((unused)) bool all_zero(const void *p, size_t n)
{
	const unsigned char *b = p;

	while (n--)
		if (*b++)
			return false;
	return true;
}

/* The ipc_perm every STAT command fills. */
static __attribute__((unused)) void dump_perm(struct ctx *c,
					      const struct ipc_perm *p)
{
	tr(c, "  key=%#x uid=%u gid=%u cuid=%u cgid=%u mode=%#o seq=%u",
	   p->__key, p->uid, p->gid, p->cuid, p->cgid, p->mode, p->__seq);
}

/*
 * The file of the IPC sysctl @name: a name under kernel/ ("shmmax"), or
 * a path under sys/ ("fs/mqueue/msg_max").
 */
static __attribute__((unused)) void limit_path(struct ctx *c, const char *name,
					       char *path, size_t len)
{
	snprintf(path, len, "%s/%s%s", c->ops->sysctl_dir,
		 strchr(name, '/') ? "" : "kernel/", name);
}

/* The value(s) of the IPC sysctl @name, as read, on one line. */
static __attribute__((unused)) const char *
read_limit(struct ctx *c, const char *name, char *buf, size_t len)
{
	char path[128];
	ssize_t n;
	int fd;

	limit_path(c, name, path, sizeof(path));
	fd = open(path, O_RDONLY);
	if (fd < 0)
		return err_name(errno);
	n = read(fd, buf, len - 1);
	close(fd);
	if (n < 0)
		return err_name(errno);
	buf[n] = 0;
	buf[strcspn(buf, "\n")] = 0;
	return buf;
}

/*
 * Write @value to the IPC sysctl @name of the caller's namespace:
 * /proc/sys/kernel/NAME on Linux, /proc/shadowipc/sys/kernel/NAME on
 * shadowipc (see limit_path()). Traces the write and what reads back.
 */
static __attribute__((unused)) int set_limit(struct ctx *c, const char *name,
					     const char *value)
{
	char path[128], res[64], back[128];
	ssize_t n = -1;
	int fd;

	limit_path(c, name, path, sizeof(path));
	errno = 0;
	fd = open(path, O_WRONLY);
	if (fd >= 0) {
		int err;

		n = write(fd, value, strlen(value));
		err = errno;
		close(fd);
		errno = err;
	}
	res_long(n < 0 ? -1 : 0, res);
	tr(c, "sysctl %s=\"%s\" = %s, reads \"%s\"", name, value, res,
	   read_limit(c, name, back, sizeof(back)));
	return n < 0 ? -1 : 0;
}

/* Trace the value of the IPC sysctl @name. */
static __attribute__((unused)) void show_limit(struct ctx *c, const char *name)
{
	char back[128];

	tr(c, "sysctl %s: \"%s\"", name, read_limit(c, name, back,
						      sizeof(back)));
}

/*
 * Fork; in the child drop to @uid/@gid (unless -1) and return true; the
 * child must _exit(). In the parent wait for the child, trace how it
 * ended and return false.
 */
static __attribute__((unused)) bool child_as(struct ctx *c, uid_t uid,
					    gid_t gid)
{
	int k = c->npids;
	pid_t pid;

	if (k == MAX_PIDS) {
		tr(c, "too many children");
		return false;
	}
	/* named before the fork: the child may trace its own pid at once */
	pid_note(c, 0, "");
	snprintf(c->pid_names[k], sizeof(c->pid_names[k]), "child%d", k);
	pid = fork();
	if (pid < 0) {
		tr(c, "fork failed");
		return false;
	}
	if (!pid) {
		c->pids[k] = getpid();
		if (uid != (uid_t)-1 && sipc_drop_privs(uid, gid)) {
			tr(c, "drop privs failed");
			_exit(100);
		}
		return true;
	}
	c->pids[k] = pid;
	tr(c, "%s exit %d", c->pid_names[k], sipc_wait(pid));
	return false;
}

#define child(c)	child_as(c, (uid_t)-1, (gid_t)-1)
#define user(c)		child_as(c, SIPC_TEST_UID, SIPC_TEST_GID)

/*
 * Fork a child that runs on while the scenario goes on (to sleep in a
 * call); returns 0 in the child, which must _exit(), and its pid in the
 * parent, which reaps it with reap(). The child is named "childN".
 */
static __attribute__((unused)) pid_t spawn(struct ctx *c)
{
	int k = c->npids;
	pid_t pid;

	pid_note(c, 0, "");
	snprintf(c->pid_names[k], sizeof(c->pid_names[k]), "child%d", k);
	pid = fork();
	if (!pid) {
		c->pids[k] = getpid();
		tr_slot = k;
	} else if (pid > 0) {
		c->pids[k] = pid;
	}
	return pid;
}

/* Wait until @pid sleeps (state S) for a while, as blocked in a call. */
static void wait_asleep(pid_t pid);

/*
 * A spawn()ed child that runs @... (a call expected to sleep) and exits;
 * returns its pid once it sleeps.
 */
#define SLEEPER(c, ...) ({						\
	pid_t __pid = spawn(c);						\
									\
	if (!__pid) {							\
		__VA_ARGS__;						\
		_exit(0);						\
	}								\
	wait_asleep(__pid);						\
	__pid;								\
})

/* Wait for a spawn()ed child; trace what it traced and how it ended. */
static __attribute__((unused)) void reap(struct ctx *c, pid_t pid)
{
	int k, status = sipc_wait(pid);
	char *line, *next;

	for (k = 0; k < c->npids && c->pids[k] != pid; k++)
		;
	for (line = k < c->npids ? c->child_trace[k] : NULL; line && *line;
	     line = next) {
		next = strchr(line, '\n');
		*next++ = 0;
		tr(c, "%s: %s", c->pid_names[k], line);
	}
	tr(c, "%s exit %d", pid_str(c, pid), status);
}

/* Wait until @pid sleeps (state S) for a while, as blocked in a call. */
static __attribute__((unused)) void wait_asleep(pid_t pid)
{
	char path[64], buf[512], *p;
	int i, asleep = 0;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	for (i = 0; i < 2000 && asleep < 5; i++) {
		FILE *f = fopen(path, "r");

		buf[0] = 0;
		if (f) {
			if (!fgets(buf, sizeof(buf), f))
				buf[0] = 0;
			fclose(f);
		}
		p = strrchr(buf, ')');
		asleep = p && p[1] == ' ' && p[2] == 'S' ? asleep + 1 : 0;
		usleep(2000);
	}
}

typedef void (*scenario_fn)(struct ctx *c);

FIXTURE(diff) {
	struct ctx *ctx[2];
};

FIXTURE_VARIANT(diff) {
	scenario_fn fn;
};

FIXTURE_SETUP(diff)
{
	int i;

	if (!sipc_dev_present())
		SKIP(return, "%s: %s (module not loaded)", SHADOWIPC_DEVICE,
		     strerror(errno));
	if (geteuid())
		SKIP(return, "needs root for unshare(CLONE_NEWIPC)");
	for (i = 0; i < 2; i++) {
		self->ctx[i] = mmap(NULL, sizeof(struct ctx),
				    PROT_READ | PROT_WRITE,
				    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
		ASSERT_NE(MAP_FAILED, self->ctx[i]);
	}
}

FIXTURE_TEARDOWN(diff)
{
}

static void run_scenario(struct ctx *c, const struct diff_ops *ops,
			 scenario_fn fn)
{
	pid_t pid;

	memset(c, 0, sizeof(*c));
	c->ops = ops;
	c->t0 = time(NULL);
	pid = fork();
	if (pid < 0) {
		tr(c, "fork failed");
		return;
	}
	if (!pid) {
		if (ops->enter()) {
			tr(c, "entering a namespace failed: %s",
			   err_name(errno));
			_exit(1);
		}
		pid_note(c, getpid(), "self");
		fn(c);
		_exit(0);
	}
	tr(c, "scenario exit %d", sipc_wait(pid));
}

/* Print both traces line by line, marking the lines that differ. */
static void show_traces(struct __test_metadata *_metadata, struct ctx *a,
			struct ctx *b)
{
	char *sa = a->trace, *sb = b->trace;

	TH_LOG("%-60s | %s", a->ops->name, b->ops->name);
	while (*sa || *sb) {
		size_t la = strcspn(sa, "\n"), lb = strcspn(sb, "\n");
		bool same = la == lb && !memcmp(sa, sb, la);

		TH_LOG("%c %-58.*s | %.*s", same ? ' ' : '!', (int)la, sa,
		       (int)lb, sb);
		sa += la + (sa[la] == '\n');
		sb += lb + (sb[lb] == '\n');
	}
}

TEST_F_TIMEOUT(diff, same_trace, 120)
{
	struct ctx *native = self->ctx[0], *shadow = self->ctx[1];

	run_scenario(native, &native_ops, variant->fn);
	run_scenario(shadow, &sipc_ops, variant->fn);
	/* DIFF_VERBOSE=1 shows the traces of passing scenarios too. */
	if (strcmp(native->trace, shadow->trace) || getenv("DIFF_VERBOSE"))
		show_traces(_metadata, native, shadow);
	EXPECT_STREQ(native->trace, shadow->trace);
}

#define SCENARIO(name)							\
	static void scn_##name(struct ctx *c);				\
	FIXTURE_VARIANT_ADD(diff, name) { .fn = scn_##name };		\
	static void scn_##name(struct ctx *c)

#endif /* _SIPC_DIFF_H */
