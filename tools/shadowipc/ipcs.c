// SPDX-License-Identifier: GPL-2.0
/*
 * shadowipc ipcs: util-linux ipcs(1)'s options and output, for the
 * caller's shadow namespace (or, with --ns and --all-namespaces, for
 * others, entered from a child process through a handle).
 *
 * Objects come from the *_STAT_ANY commands over every index up to what
 * *_INFO returns, limits from IPC_INFO, and summaries from *_INFO, the
 * way ipcs works on a system without /proc/sysvipc.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>

#include "cli.h"

enum ipcs_format { F_DEFAULT, F_TIME, F_PID, F_CREATOR, F_LIMITS, F_SUMMARY };
enum ipcs_unit { U_DEFAULT, U_BYTES, U_HUMAN };

struct ipcs_opts {
	bool kind[3];			/* indexed by enum sysv_kind */
	enum ipcs_format format;
	enum ipcs_unit unit;
	bool have_id;
	int id;
};

/* ------------------------------------------------------------------ */
/* Formatting                                                         */
/* ------------------------------------------------------------------ */

/* Sizes as util-linux prints them with --human: "4K", "97.7K", "16E". */
static const char *human(uint64_t v, char *buf, size_t size)
{
	static const char units[] = "BKMGTPE";
	unsigned int exp = 0;
	uint64_t whole, tenths = 0;

	while (exp < 60 && v >= (1ULL << (exp + 10)))
		exp += 10;
	whole = v >> exp;
	if (exp) {
		/* the remainder in 1/1024ths, rounded to tenths */
		uint64_t rem = (v & ((1ULL << exp) - 1)) >> (exp - 10);

		tenths = (rem + 50) / 100;
		if (tenths == 10) {
			whole++;
			tenths = 0;
		}
	}
	/* whole < 1025 and tenths < 10: the masks only tell the compiler */
	if (tenths)
		snprintf(buf, size, "%u.%u%c", (unsigned int)(whole & 0x7ff),
			 (unsigned int)(tenths % 10), units[exp / 10]);
	else
		snprintf(buf, size, "%u%c", (unsigned int)(whole & 0x7ff),
			 units[exp / 10]);
	return buf;
}

/* "Nov 27 06:28:14 " (16 characters used) or "Not set". */
static const char *short_time(time_t t, char *buf)
{
	if (!t || !ctime_r(&t, buf))
		return "Not set";
	return buf + 4;
}

/* "Fri Nov 27 06:28:14 2026" (24 characters used) or "Not set". */
static const char *long_time(time_t t, char *buf)
{
	if (!t || !ctime_r(&t, buf))
		return "Not set";
	return buf;
}

static const char *owner(uid_t uid, char *buf)
{
	return user_name(uid, buf);
}

/* v * unit, or the largest multiple of unit that fits (as util-linux). */
static uint64_t mul_sat(uint64_t v, uint64_t unit)
{
	if (unit && v > UINT64_MAX / unit)
		return UINT64_MAX / unit * unit;
	return v * unit;
}

static void section(const char *title)
{
	printf("\n");
	if (title)
		printf("------ %s --------\n", title);
}

/* The default listing's first columns: key, id, owner and perms. */
static void key_columns(int id, const struct ipc_perm *p)
{
	char b[32];

	printf("0x%08x %-10d %-10.10s %-10o ", (unsigned int)p->__key, id,
	       owner(p->uid, b), p->mode & 0777);
}

/* A row of the --creator listing, the same for every kind. */
static void creator_row(int id, const struct ipc_perm *p)
{
	char b1[32], b2[32], b3[32], b4[32];

	printf("%-10d %-10o %-10.10s %-10.10s %-10.10s %-10.10s\n", id,
	       p->mode & 0777, user_name(p->cuid, b1), group_name(p->cgid, b2),
	       user_name(p->uid, b3), group_name(p->gid, b4));
}

/* ------------------------------------------------------------------ */
/* Limits and summaries                                               */
/* ------------------------------------------------------------------ */

/* IPC_INFO failed: say so in ipcs's words, and why on stderr. */
static int limits_error(const char *what, const char *name)
{
	int err = errno;

	printf("\nunable to fetch %s limits\n", what);
	pr_err("%s limits: %s", name, strerror(err));
	return EXIT_FAIL;
}

static int msg_limits(const struct ipcs_opts *o)
{
	struct msginfo mi;
	char h[32];

	if (sv_msgctl(0, IPC_INFO, &mi) < 0)
		return limits_error("message", "message queue");
	section("Messages Limits");
	printf("max queues system wide = %d\n", mi.msgmni);
	if (o->unit == U_HUMAN) {
		printf("max size of message = %s\n", human(mi.msgmax, h, sizeof(h)));
		printf("default max size of queue = %s\n",
		       human(mi.msgmnb, h, sizeof(h)));
	} else {
		printf("max size of message (bytes) = %d\n", mi.msgmax);
		printf("default max size of queue (bytes) = %d\n", mi.msgmnb);
	}
	return EXIT_OK;
}

static int shm_limits(const struct ipcs_opts *o)
{
	uint64_t page = (uint64_t)sysconf(_SC_PAGESIZE);
	struct shminfo si;
	char h[32];

	if (sv_shmctl(0, IPC_INFO, &si) < 0)
		return limits_error("shared memory", "shared memory");
	section("Shared Memory Limits");
	printf("max number of segments = %lu\n", si.shmmni);
	switch (o->unit) {
	case U_HUMAN:
		printf("max seg size = %s\n", human(si.shmmax, h, sizeof(h)));
		printf("max total shared memory = %s\n",
		       human(mul_sat(si.shmall, page), h, sizeof(h)));
		printf("min seg size = %s\n", human(si.shmmin, h, sizeof(h)));
		break;
	case U_BYTES:
		printf("max seg size (bytes) = %lu\n", si.shmmax);
		printf("max total shared memory (bytes) = %llu\n",
		       (unsigned long long)mul_sat(si.shmall, page));
		printf("min seg size (bytes) = %lu\n", si.shmmin);
		break;
	default:
		printf("max seg size (kbytes) = %lu\n", si.shmmax / 1024);
		printf("max total shared memory (kbytes) = %llu\n",
		       (unsigned long long)mul_sat(si.shmall, page / 1024));
		printf("min seg size (bytes) = %lu\n", si.shmmin);
		break;
	}
	return EXIT_OK;
}

static int sem_limits(void)
{
	struct seminfo si;

	if (sv_semctl(0, 0, IPC_INFO, (uintptr_t)&si) < 0)
		return limits_error("semaphore", "semaphore");
	section("Semaphore Limits");
	printf("max number of arrays = %d\n", si.semmni);
	printf("max semaphores per array = %d\n", si.semmsl);
	printf("max semaphores system wide = %d\n", si.semmns);
	printf("max ops per semop call = %d\n", si.semopm);
	printf("semaphore max value = %d\n", si.semvmx);
	return EXIT_OK;
}

static int msg_summary(void)
{
	struct msginfo mi;

	if (sv_msgctl(0, MSG_INFO, &mi) < 0) {
		pr_err("message queue summary: %s", strerror(errno));
		return EXIT_FAIL;
	}
	section("Messages Status");
	printf("allocated queues = %d\n", mi.msgpool);
	printf("used headers = %d\n", mi.msgmap);
	printf("used space = %d bytes\n", mi.msgtql);
	return EXIT_OK;
}

static int shm_summary(void)
{
	struct shm_info si;

	if (sv_shmctl(0, SHM_INFO, &si) < 0) {
		pr_err("shared memory summary: %s", strerror(errno));
		return EXIT_FAIL;
	}
	section("Shared Memory Status");
	printf("segments allocated %d\n", si.used_ids);
	printf("pages allocated %lu\n", si.shm_tot);
	printf("pages resident  %lu\n", si.shm_rss);
	printf("pages swapped   %lu\n", si.shm_swp);
	printf("Swap performance: %lu attempts\t %lu successes\n",
	       si.swap_attempts, si.swap_successes);
	return EXIT_OK;
}

static int sem_summary(void)
{
	struct seminfo si;

	if (sv_semctl(0, 0, SEM_INFO, (uintptr_t)&si) < 0) {
		pr_err("semaphore summary: %s", strerror(errno));
		return EXIT_FAIL;
	}
	section("Semaphore Status");
	printf("used arrays = %d\n", si.semusz);
	printf("allocated semaphores = %d\n", si.semaem);
	return EXIT_OK;
}

/* ------------------------------------------------------------------ */
/* Listings                                                           */
/* ------------------------------------------------------------------ */

static void msg_row(const struct ipcs_opts *o, int id, const struct msqid_ds *q)
{
	char b1[32], b2[32], t1[32], t2[32], t3[32];
	const struct ipc_perm *p = &q->msg_perm;

	switch (o->format) {
	case F_TIME:
		printf("%-8d %-10.10s %-20.16s %-20.16s %-20.16s\n", id,
		       owner(p->uid, b1), short_time(q->msg_stime, t1),
		       short_time(q->msg_rtime, t2), short_time(q->msg_ctime, t3));
		break;
	case F_PID:
		printf("%-8d %-10.10s  %5d %9d\n", id, owner(p->uid, b1),
		       q->msg_lspid, q->msg_lrpid);
		break;
	case F_CREATOR:
		creator_row(id, p);
		break;
	default:
		key_columns(id, p);
		if (o->unit == U_HUMAN)
			printf("%6s       ", human(q->__msg_cbytes, b2, sizeof(b2)));
		else
			printf("%-12lu ", q->__msg_cbytes);
		printf("%-12lu\n", q->msg_qnum);
		break;
	}
}

static void shm_row(const struct ipcs_opts *o, int id, const struct shmid_ds *s)
{
	char b1[32], b2[32], t1[32], t2[32], t3[32];
	const struct ipc_perm *p = &s->shm_perm;

	switch (o->format) {
	case F_TIME:
		printf("%-10d %-10.10s %-20.16s %-20.16s %-20.16s\n", id,
		       owner(p->uid, b1), short_time(s->shm_atime, t1),
		       short_time(s->shm_dtime, t2), short_time(s->shm_ctime, t3));
		break;
	case F_PID:
		printf("%-10d %-10.10s %-10d %-10d\n", id, owner(p->uid, b1),
		       s->shm_cpid, s->shm_lpid);
		break;
	case F_CREATOR:
		creator_row(id, p);
		break;
	default:
		key_columns(id, p);
		if (o->unit == U_HUMAN)
			printf("%6s     ", human(s->shm_segsz, b2, sizeof(b2)));
		else
			printf("%-10lu ", (unsigned long)s->shm_segsz);
		printf("%-10lu %-6s %-6s\n", (unsigned long)s->shm_nattch,
		       (p->mode & SHM_DEST) ? "dest" : " ",
		       (p->mode & SHM_LOCKED) ? "locked" : " ");
		break;
	}
}

static void sem_row(const struct ipcs_opts *o, int id, const struct semid_ds *s)
{
	char b1[32], t1[32], t2[32];
	const struct ipc_perm *p = &s->sem_perm;

	switch (o->format) {
	case F_TIME:
		printf("%-8d %-10.10s  %-26.24s %-26.24s\n", id, owner(p->uid, b1),
		       long_time(s->sem_otime, t1), long_time(s->sem_ctime, t2));
		break;
	case F_PID:
		break;
	case F_CREATOR:
		creator_row(id, p);
		break;
	default:
		key_columns(id, p);
		printf("%-10lu\n", (unsigned long)s->sem_nsems);
		break;
	}
}

static void list_header(const struct ipcs_opts *o, enum sysv_kind kind)
{
	static const char *const what[] = {
		[SV_MSG] = "msqid", [SV_SHM] = "shmid", [SV_SEM] = "semid",
	};

	switch (o->format) {
	case F_TIME:
		if (kind == SV_MSG) {
			section("Message Queues Send/Recv/Change Times");
			printf("%-8s %-10s %-20s %-20s %-20s\n", "msqid", "owner",
			       "send", "recv", "change");
		} else if (kind == SV_SHM) {
			section("Shared Memory Attach/Detach/Change Times");
			printf("%-10s %-10s %-20s %-20s %-20s\n", "shmid", "owner",
			       "attached", "detached", "changed");
		} else {
			section("Semaphore Operation/Change Times");
			printf("%-8s %-10s %-26.24s %-26.24s\n", "semid", "owner",
			       "last-op", "last-changed");
		}
		break;
	case F_PID:
		if (kind == SV_MSG) {
			section("Message Queues PIDs");
			printf("%-10s %-10s %-10s %-10s\n", "msqid", "owner",
			       "lspid", "lrpid");
		} else if (kind == SV_SHM) {
			section("Shared Memory Creator/Last-op PIDs");
			printf("%-10s %-10s %-10s %-10s\n", "shmid", "owner",
			       "cpid", "lpid");
		} else {
			section(NULL);	/* semaphores have no pid listing */
		}
		break;
	case F_CREATOR:
		section(kind == SV_MSG ? "Message Queues Creators/Owners" :
			kind == SV_SHM ? "Shared Memory Segment Creators/Owners" :
			"Semaphore Arrays Creators/Owners");
		printf("%-10s %-10s %-10s %-10s %-10s %-10s\n", what[kind],
		       "perms", "cuid", "cgid", "uid", "gid");
		break;
	default:
		if (kind == SV_MSG) {
			section("Message Queues");
			printf("%-10s %-10s %-10s %-10s %-12s %-12s\n", "key",
			       "msqid", "owner", "perms",
			       o->unit == U_HUMAN ? "size" : "used-bytes",
			       "messages");
		} else if (kind == SV_SHM) {
			section("Shared Memory Segments");
			printf("%-10s %-10s %-10s %-10s %-10s %-10s %-12s\n", "key",
			       "shmid", "owner", "perms",
			       o->unit == U_HUMAN ? "size" : "bytes", "nattch",
			       "status");
		} else {
			section("Semaphore Arrays");
			printf("%-10s %-10s %-10s %-10s %-10s\n", "key", "semid",
			       "owner", "perms", "nsems");
		}
		break;
	}
}

static const char *const kind_names[] = {
	[SV_MSG] = "message queues",
	[SV_SHM] = "shared memory segments",
	[SV_SEM] = "semaphore arrays",
};

static int list(const struct ipcs_opts *o, enum sysv_kind kind)
{
	struct sysv_obj *v;
	int n, i, ret = EXIT_OK;

	n = sysv_list(kind, &v);
	list_header(o, kind);
	if (n < 0) {
		pr_err("cannot list %s: %s", kind_names[kind], strerror(errno));
		n = 0;
		ret = EXIT_FAIL;
	}
	for (i = 0; i < n; i++) {
		if (kind == SV_MSG)
			msg_row(o, v[i].id, v[i].msg);
		else if (kind == SV_SHM)
			shm_row(o, v[i].id, v[i].shm);
		else
			sem_row(o, v[i].id, v[i].sem);
	}
	sysv_free(v, n);
	return ret;
}

/* ------------------------------------------------------------------ */
/* One object (-i)                                                    */
/* ------------------------------------------------------------------ */

static void shm_detail(const struct ipcs_opts *o, int id, const struct shmid_ds *s)
{
	const struct ipc_perm *p = &s->shm_perm;
	char t[32], h[32];

	printf("\nShared memory Segment shmid=%d\n", id);
	printf("uid=%u\tgid=%u\tcuid=%u\tcgid=%u\n", p->uid, p->gid, p->cuid,
	       p->cgid);
	printf("mode=%#o\taccess_perms=%#o\n", p->mode, p->mode & 0777);
	if (o->unit == U_HUMAN)
		printf("size=%s", human(s->shm_segsz, h, sizeof(h)));
	else
		printf("bytes=%lu", (unsigned long)s->shm_segsz);
	printf("\tlpid=%d\tcpid=%d\tnattch=%lu\n", s->shm_lpid, s->shm_cpid,
	       (unsigned long)s->shm_nattch);
	printf("att_time=%-26.24s\n", long_time(s->shm_atime, t));
	printf("det_time=%-26.24s\n", long_time(s->shm_dtime, t));
	printf("change_time=%-26.24s\n", long_time(s->shm_ctime, t));
	printf("\n");
}

static void msg_detail(const struct ipcs_opts *o, int id, const struct msqid_ds *q)
{
	const struct ipc_perm *p = &q->msg_perm;
	char t[32], h1[32], h2[32];

	printf("\nMessage Queue msqid=%d\n", id);
	printf("uid=%u\tgid=%u\tcuid=%u\tcgid=%u\tmode=%#o\n", p->uid, p->gid,
	       p->cuid, p->cgid, p->mode);
	if (o->unit == U_HUMAN)
		printf("csize=%s\tqsize=%s", human(q->__msg_cbytes, h1, sizeof(h1)),
		       human(q->msg_qbytes, h2, sizeof(h2)));
	else
		printf("cbytes=%lu\tqbytes=%lu", q->__msg_cbytes, q->msg_qbytes);
	printf("\tqnum=%lu\tlspid=%d\tlrpid=%d\n", q->msg_qnum, q->msg_lspid,
	       q->msg_lrpid);
	printf("send_time=%-26.24s\n", long_time(q->msg_stime, t));
	printf("rcv_time=%-26.24s\n", long_time(q->msg_rtime, t));
	printf("change_time=%-26.24s\n", long_time(q->msg_ctime, t));
	printf("\n");
}

static int sem_detail(int id, const struct semid_ds *s)
{
	const struct ipc_perm *p = &s->sem_perm;
	static const int cmds[] = { GETVAL, GETNCNT, GETZCNT, GETPID };
	int ret = EXIT_OK, v[4];
	unsigned long i;
	char t[32];
	size_t c;

	printf("\nSemaphore Array semid=%d\n", id);
	printf("uid=%u\t gid=%u\t cuid=%u\t cgid=%u\n", p->uid, p->gid, p->cuid,
	       p->cgid);
	printf("mode=%#o, access_perms=%#o\n", p->mode, p->mode & 0777);
	printf("nsems = %lu\n", (unsigned long)s->sem_nsems);
	printf("otime = %-26.24s\n", long_time(s->sem_otime, t));
	printf("ctime = %-26.24s\n", long_time(s->sem_ctime, t));
	printf("%-10s %-10s %-10s %-10s %-10s\n", "semnum", "value", "ncount",
	       "zcount", "pid");
	for (i = 0; i < s->sem_nsems; i++) {
		for (c = 0; c < ARRAY_SIZE(cmds); c++) {
			v[c] = sv_semval(id, (int)i, cmds[c]);
			if (v[c] < 0 && ret == EXIT_OK) {
				pr_err("semaphore %d.%lu: %s", id, i, strerror(errno));
				ret = EXIT_FAIL;
			}
		}
		printf("%-10lu %-10d %-10d %-10d %-10d\n", i, v[0], v[1], v[2], v[3]);
	}
	printf("\n");
	return ret;
}

static int detail(const struct ipcs_opts *o, enum sysv_kind kind)
{
	struct sysv_obj *v;
	int n, i, ret = EXIT_FAIL;

	n = sysv_list(kind, &v);
	if (n < 0) {
		pr_err("cannot list %s: %s", kind_names[kind], strerror(errno));
		return EXIT_FAIL;
	}
	for (i = 0; i < n && v[i].id != o->id; i++)
		;
	if (i == n) {
		pr_err("id %d not found", o->id);
	} else if (kind == SV_SHM) {
		shm_detail(o, v[i].id, v[i].shm);
		ret = EXIT_OK;
	} else if (kind == SV_MSG) {
		msg_detail(o, v[i].id, v[i].msg);
		ret = EXIT_OK;
	} else {
		ret = sem_detail(v[i].id, v[i].sem);
	}
	sysv_free(v, n);
	return ret;
}

/* ------------------------------------------------------------------ */
/* The command                                                        */
/* ------------------------------------------------------------------ */

/* Everything ipcs prints for one namespace; the worst exit code. */
static int ipcs_one(void *arg)
{
	const struct ipcs_opts *o = arg;
	static const enum sysv_kind order[] = { SV_MSG, SV_SHM, SV_SEM };
	int ret = EXIT_OK, r;
	size_t i;

	if (o->have_id) {
		for (i = 0; i < ARRAY_SIZE(order); i++)
			if (o->kind[order[i]])
				return detail(o, order[i]);
	}
	for (i = 0; i < ARRAY_SIZE(order); i++) {
		enum sysv_kind k = order[i];

		if (!o->kind[k])
			continue;
		if (o->format == F_LIMITS)
			r = k == SV_MSG ? msg_limits(o) :
			    k == SV_SHM ? shm_limits(o) : sem_limits();
		else if (o->format == F_SUMMARY)
			r = k == SV_MSG ? msg_summary() :
			    k == SV_SHM ? shm_summary() : sem_summary();
		else
			r = list(o, k);
		if (r != EXIT_OK)
			ret = r;
	}
	printf("\n");
	fflush(stdout);
	return ret;
}

static int ipcs_namespaces(struct ipcs_opts *o, bool all, uint64_t want)
{
	struct ns_list list;
	struct ns_entry *e;
	int ret = EXIT_OK, r;
	size_t i;

	if (ns_scan(&list, true) < 0)
		return EXIT_FAIL;
	if (!all) {
		e = ns_find(&list, want);
		if (!e) {
			pr_err("no shadow namespace %llu%s",
			       (unsigned long long)want,
			       list.from_proc ? "" :
			       " among those your processes can see");
			ret = EXIT_NOENT;
		} else if (e->handle < 0) {
			pr_err("namespace %llu: no process or handle you may use to enter it",
			       (unsigned long long)want);
			ret = EXIT_PERM;
		} else {
			ret = ns_run_in(e, ipcs_one, o);
		}
		ns_list_free(&list);
		return ret;
	}
	for (i = 0; i < list.n; i++) {
		e = &list.v[i];
		printf("\n====== Shadow IPC namespace %llu ======\n",
		       (unsigned long long)e->id);
		if (e->handle < 0) {
			pr_warn("namespace %llu: no process or handle you may use to enter it",
				(unsigned long long)e->id);
			ret = EXIT_FAIL;
			continue;
		}
		r = ns_run_in(e, ipcs_one, o);
		if (r != EXIT_OK)
			ret = r;
	}
	ns_list_free(&list);
	return ret;
}

int cmd_ipcs(const struct cmd *cmd, int argc, char **argv)
{
	enum { OPT_HUMAN = 256, OPT_NS, OPT_ALL_NS, OPT_HOLDERS };
	static const struct option opts[] = {
		{ "id", required_argument, NULL, 'i' },
		{ "shmems", no_argument, NULL, 'm' },
		{ "queues", no_argument, NULL, 'q' },
		{ "semaphores", no_argument, NULL, 's' },
		{ "all", no_argument, NULL, 'a' },
		{ "time", no_argument, NULL, 't' },
		{ "pid", no_argument, NULL, 'p' },
		{ "creator", no_argument, NULL, 'c' },
		{ "limits", no_argument, NULL, 'l' },
		{ "summary", no_argument, NULL, 'u' },
		{ "human", no_argument, NULL, OPT_HUMAN },
		{ "bytes", no_argument, NULL, 'b' },
		{ "ns", required_argument, NULL, OPT_NS },
		{ "all-namespaces", no_argument, NULL, OPT_ALL_NS },
		{ "holders", no_argument, NULL, OPT_HOLDERS },
		{ "json", no_argument, NULL, 'J' },
		{ "help", no_argument, NULL, 'h' },
		{ }
	};
	struct ipcs_opts o = { .format = F_DEFAULT };
	unsigned long long ns = 0;
	bool have_ns = false, all_ns = false, holders = false, json = false;
	bool other = false;	/* an option --holders does not take */
	long long v;
	int c, nkinds, ret;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":i:mqsatpclubJh", opts, NULL)) != -1) {
		other |= c != OPT_NS && c != OPT_ALL_NS && c != OPT_HOLDERS &&
			 c != 'J';
		switch (c) {
		case 'i':
			if (parse_ll(optarg, 0, INT32_MAX, &v) < 0)
				return usage_error(cmd, "failed to parse id argument: '%s'",
						   optarg);
			o.id = (int)v;
			o.have_id = true;
			break;
		case 'm':
			o.kind[SV_SHM] = true;
			break;
		case 'q':
			o.kind[SV_MSG] = true;
			break;
		case 's':
			o.kind[SV_SEM] = true;
			break;
		case 'a':
			o.kind[SV_SHM] = o.kind[SV_MSG] = o.kind[SV_SEM] = true;
			break;
		case 't':
			o.format = F_TIME;
			break;
		case 'p':
			o.format = F_PID;
			break;
		case 'c':
			o.format = F_CREATOR;
			break;
		case 'l':
			o.format = F_LIMITS;
			break;
		case 'u':
			o.format = F_SUMMARY;
			break;
		case 'b':
			o.unit = U_BYTES;
			break;
		case OPT_HUMAN:
			o.unit = U_HUMAN;
			break;
		case OPT_NS:
			if (parse_ull(optarg, &ns) < 0 || ns == 0)
				return usage_error(cmd, "invalid namespace id '%s'", optarg);
			have_ns = true;
			break;
		case OPT_ALL_NS:
			all_ns = true;
			break;
		case OPT_HOLDERS:
			holders = true;
			break;
		case 'J':
			json = true;
			break;
		default:
			return help_or_bad_option(cmd, c, argv);
		}
	}
	if (optind < argc)
		return usage_error(cmd, "unexpected argument '%s'", argv[optind]);
	if (have_ns && all_ns)
		return usage_error(cmd, "--ns and --all-namespaces are mutually exclusive");
	if (json && !holders)
		return usage_error(cmd, "--json goes with --holders");
	if (holders && other)
		return usage_error(cmd, "--holders takes only --ns, --all-namespaces and --json");
	if (holders)
		return ipcs_holders(have_ns, ns, json);
	nkinds = o.kind[SV_SHM] + o.kind[SV_MSG] + o.kind[SV_SEM];
	if (o.have_id && nkinds != 1)
		return usage_error(cmd, "when using an ID, a single resource must be specified");
	if (!nkinds)
		o.kind[SV_SHM] = o.kind[SV_MSG] = o.kind[SV_SEM] = true;

	ret = sysv_open();
	if (ret)
		return ret;
	if (have_ns || all_ns) {
		if (sysv_native)
			return usage_error(cmd, "--ns and --all-namespaces need the module (SHADOWIPC_NATIVE is set)");
		return ipcs_namespaces(&o, all_ns, ns);
	}
	return ipcs_one(&o);
}
