// SPDX-License-Identifier: GPL-2.0
/*
 * shadowipc-bench: System V IPC workloads, natively and through shadowipc.
 *
 * Each workload runs on both sides, alternating which goes first from
 * round to round (ABBA), for --rounds rounds; every figure is reported as
 * its median and min-max spread, and as the ratio shadow/native of the
 * medians. The native side is a worker process that did
 * unshare(CLONE_NEWIPC); the shadow side is a worker in a fresh shadow
 * namespace. The results go to stdout as a table and as one JSON object
 * between marker lines (scripts/bench keeps it on the host). This is a
 * measurement, not a test: the exit status is 0 unless the program could
 * not run at all.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <math.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "shadowipc.h"
#include "bench.h"

#define MAXROUNDS 32
#define MAXSEGS 8
#define MAXMETRICS 96
#define SLICES 5
#define MAXSLICES 16

static int rounds = 5, mem_rounds = 3, mem_ns = 10000, touch_mib = 256;
static double run_time = 0.5;
static int nsegs = 3, segs[MAXSEGS] = { 1, 1000, 30000 };
#define MAXPROCS 8
static int nprocs = 3, procs[MAXPROCS] = { 2, 4, 8 };
static const char *only, *date_arg, *json_path;
static char module_state[160];

/* ---- workers ---------------------------------------------------------- */

static const struct side *sides[2] = { &native_side, &shadow_side };
static int wsock[2] = { -1, -1 };
static pid_t wpid[2];
static char wdown[2][160];	/* why the side cannot run anything */

static void start_worker(int side)
{
	int sv[2];
	pid_t pid;

	if (wdown[side][0])
		return;
	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv)) {
		snprintf(wdown[side], sizeof(wdown[side]), "socketpair: %m");
		return;
	}
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		snprintf(wdown[side], sizeof(wdown[side]), "fork: %m");
		return;
	}
	if (!pid) {
		close(sv[0]);
		if (wsock[!side] >= 0)
			close(wsock[!side]);
		worker_main(sides[side], sv[1]);
		_exit(0);
	}
	close(sv[1]);
	wsock[side] = sv[0];
	wpid[side] = pid;
}

static int call(int side, int op, int arg, double dur, struct reply *rp)
{
	struct request rq = { .op = op, .arg = arg, .dur = dur };
	int st;

	memset(rp, 0, sizeof(*rp));
	if (!wdown[side][0] &&
	    (write(wsock[side], &rq, sizeof(rq)) != sizeof(rq) ||
	     read(wsock[side], rp, sizeof(*rp)) != sizeof(*rp))) {
		close(wsock[side]);
		wsock[side] = -1;
		if (waitpid(wpid[side], &st, 0) == wpid[side] &&
		    WIFSIGNALED(st))
			snprintf(wdown[side], sizeof(wdown[side]),
				 "%s worker killed by signal %d",
				 sides[side]->name, WTERMSIG(st));
		else
			snprintf(wdown[side], sizeof(wdown[side]),
				 "%s worker died", sides[side]->name);
	}
	if (wdown[side][0]) {
		snprintf(rp->msg, sizeof(rp->msg), "%s", wdown[side]);
		rp->ok = 0;
	}
	return rp->ok ? 0 : -1;
}

/* ---- measurements ----------------------------------------------------- */

struct meas {
	const char *label;
	int op, arg, nrounds;
	int slices;	/* runs per side per round, alternating, averaged */
	int shadow_first;	/* every shadow round, then every native one */
	double dur;
	const char *vnames[NVAL];
	int n[2];
	double val[2][MAXROUNDS][NVAL];
	char na[2][160];
	char extra[2][1024];
};

/* A failure message as the table shows it. */
static void set_na(struct meas *m, int side, const char *msg)
{
	if (strstr(msg, "Inappropriate ioctl"))
		msg = "not in the module (ENOTTY)";
	else if (!strncmp(msg, "shmmni not settable", 19))
		msg = "shmmni not settable";
	snprintf(m->na[side], sizeof(m->na[side]), "%s", msg);
}

static double median_of(const double *v, int n);

static void run_meas(struct meas *m)
{
	double t0 = now();
	struct reply rp;
	int r, k, side, nr = m->nrounds ? m->nrounds : rounds;

	int ns = m->slices > 1 ? (m->slices < MAXSLICES ? m->slices :
					  MAXSLICES) : 1, sl, i;
	double dur = (m->dur ? m->dur : run_time) / ns;

	if (m->shadow_first) {
		/*
		 * For what lingers after a run: on 6.1, native namespaces
		 * are freed for minutes (a synchronize_rcu() per mqueue
		 * unmount), which must not overlap the shadow side's runs.
		 */
		for (k = 0; k < 2; k++) {
			side = !k;
			for (r = 0; r < nr && !m->na[side][0]; r++) {
				if (call(side, m->op, m->arg, dur, &rp)) {
					set_na(m, side, rp.msg);
					break;
				}
				memcpy(m->val[side][m->n[side]++], rp.v,
				       sizeof(rp.v));
				if (rp.extra[0])
					snprintf(m->extra[side],
						 sizeof(m->extra[side]), "%s",
						 rp.extra);
			}
		}
		nr = 0;
	}
	for (r = 0; r < nr; r++) {
		/* each figure of a round: the median over its slices */
		double acc[2][NVAL][MAXSLICES];
		int got[2] = { 0, 0 };

		for (sl = 0; sl < ns; sl++) {
			for (k = 0; k < 2; k++) {
				side = (r + sl) % 2 ? !k : k;	/* ABBA */
				if (m->na[side][0])
					continue;
				if (call(side, m->op, m->arg, dur, &rp)) {
					set_na(m, side, rp.msg);
					continue;
				}
				for (i = 0; i < NVAL; i++)
					acc[side][i][got[side]] = rp.v[i];
				got[side]++;
				if (rp.extra[0])
					snprintf(m->extra[side],
						 sizeof(m->extra[side]), "%s",
						 rp.extra);
			}
		}
		for (side = 0; side < 2; side++) {
			if (m->na[side][0] || !got[side])
				continue;
			for (i = 0; i < NVAL; i++)
				m->val[side][m->n[side]][i] =
					median_of(acc[side][i], got[side]);
			m->n[side]++;
		}
	}
	fprintf(stderr, "[bench] %-44s", m->label);
	for (side = 0; side < 2; side++) {
		double v[MAXROUNDS];

		for (r = 0; r < m->n[side]; r++)
			v[r] = m->val[side][r][0];
		if (m->n[side])
			fprintf(stderr, " %s %.4g", sides[side]->name,
				median_of(v, m->n[side]));
		else
			fprintf(stderr, " %s n/a (%s)", sides[side]->name,
				m->na[side]);
	}
	fprintf(stderr, "  [%.1f s]\n", now() - t0);
}

/* ---- metrics ---------------------------------------------------------- */

enum goal { G_NONE, G_RATIO_GE, G_RATIO_LE, G_SHADOW_LE, G_SHADOW_GE };

struct metric {
	char id[16], name[96], unit[24];
	int lower_better;
	int hidden;	/* JSON only: too noisy on a shared host */
	int n[2];
	double s[2][MAXROUNDS];
	char na[2][160];
	enum goal goal;
	double goal_x;
	const struct meas *m;	/* for the JSON details */
};

static struct metric metrics[MAXMETRICS];
static int nmetrics;

static struct metric *new_metric(const char *id, const char *name,
				 const char *unit, int lower_better,
				 enum goal goal, double x,
				 const struct meas *m)
{
	struct metric *mt;

	if (nmetrics == MAXMETRICS)
		abort();
	mt = &metrics[nmetrics++];
	memset(mt, 0, sizeof(*mt));
	snprintf(mt->id, sizeof(mt->id), "%s", id);
	snprintf(mt->name, sizeof(mt->name), "%s", name);
	snprintf(mt->unit, sizeof(mt->unit), "%s", unit);
	mt->lower_better = lower_better;
	mt->goal = goal;
	mt->goal_x = x;
	mt->m = m;
	return mt;
}

/* A metric that is value @idx of each reply of @m. */
static struct metric *metric_of(const char *id, const char *name,
				const char *unit, int lower_better,
				enum goal goal, double x,
				const struct meas *m, int idx)
{
	struct metric *mt = new_metric(id, name, unit, lower_better, goal, x,
				       m);
	int side, r;

	for (side = 0; side < 2; side++) {
		strcpy(mt->na[side], m->na[side]);
		for (r = 0; r < m->n[side]; r++)
			mt->s[side][r] = m->val[side][r][idx];
		mt->n[side] = m->n[side];
		if (!mt->n[side] && !mt->na[side][0])
			strcpy(mt->na[side], "not run");
	}
	return mt;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double median_of(const double *v, int n)
{
	double t[MAXROUNDS];

	memcpy(t, v, n * sizeof(*v));
	qsort(t, n, sizeof(*t), cmp_double);
	return n % 2 ? t[n / 2] : (t[n / 2 - 1] + t[n / 2]) / 2;
}

static double min_of(const double *v, int n)
{
	double x = v[0];

	while (--n > 0)
		x = fmin(x, v[n]);
	return x;
}

static double max_of(const double *v, int n)
{
	double x = v[0];

	while (--n > 0)
		x = fmax(x, v[n]);
	return x;
}

/* The ratio of the medians, shadow over native. */
static int ratio_of_medians(const struct metric *mt, double *ratio)
{
	double nat, sha;

	if (!mt->n[0] || !mt->n[1])
		return -1;
	nat = median_of(mt->s[0], mt->n[0]);
	sha = median_of(mt->s[1], mt->n[1]);
	if (nat == 0)
		return -1;
	*ratio = sha / nat;
	return 0;
}

/*
 * The ratio shadow/native: for rates, the median of the per-round ratios
 * (a round's two runs are adjacent in time, so that drifts in the host's
 * load cancel); for costs, which can be near zero, the ratio of the
 * medians.
 */
static int metric_ratio(const struct metric *mt, double *ratio)
{
	double q[MAXROUNDS];
	int r, n = mt->n[0] < mt->n[1] ? mt->n[0] : mt->n[1], k = 0;

	if (mt->lower_better || mt->n[0] != mt->n[1])
		return ratio_of_medians(mt, ratio);
	for (r = 0; r < n; r++)
		if (mt->s[0][r] != 0)
			q[k++] = mt->s[1][r] / mt->s[0][r];
	if (!k)
		return -1;
	*ratio = median_of(q, k);
	return 0;
}

/* 1 met, 0 missed, -1 cannot tell, -2 no goal */
static int metric_met(const struct metric *mt)
{
	double ratio, sha;

	if (mt->goal == G_NONE)
		return -2;
	if (!mt->n[1])
		return -1;
	sha = median_of(mt->s[1], mt->n[1]);
	switch (mt->goal) {
	case G_SHADOW_LE:
		return sha <= mt->goal_x;
	case G_SHADOW_GE:
		return sha >= mt->goal_x;
	case G_RATIO_LE:
		/* a cost at or under zero natively: nothing to compare */
		if (!mt->n[0] || median_of(mt->s[0], mt->n[0]) <= 0)
			return -1;
		if (metric_ratio(mt, &ratio))
			return -1;
		return ratio <= mt->goal_x;
	case G_RATIO_GE:
		if (metric_ratio(mt, &ratio))
			return -1;
		return ratio >= mt->goal_x;
	default:
		return -2;
	}
}

static void goal_text(const struct metric *mt, char *buf, size_t size)
{
	switch (mt->goal) {
	case G_RATIO_GE:
		snprintf(buf, size, ">= %.1fx", mt->goal_x);
		break;
	case G_RATIO_LE:
		snprintf(buf, size, "<= %.2fx", mt->goal_x);
		break;
	case G_SHADOW_LE:
		snprintf(buf, size, "shadow <= %g", mt->goal_x);
		break;
	case G_SHADOW_GE:
		snprintf(buf, size, "shadow >= %g", mt->goal_x);
		break;
	default:
		snprintf(buf, size, "-");
	}
}

/* In workload order (the memory runs come last), stable. */
static void sort_metrics(void)
{
	struct metric t;
	int i, j;

	for (i = 1; i < nmetrics; i++) {
		t = metrics[i];
		for (j = i; j > 0 && atoi(metrics[j - 1].id) > atoi(t.id); j--)
			metrics[j] = metrics[j - 1];
		metrics[j] = t;
	}
}

/* ---- the workloads ---------------------------------------------------- */

static int selected(int w)
{
	char buf[64], *tok, *save;

	if (!only)
		return 1;
	snprintf(buf, sizeof(buf), "%s", only);
	for (tok = strtok_r(buf, ",", &save); tok;
	     tok = strtok_r(NULL, ",", &save))
		if (atoi(tok) == w)
			return 1;
	return 0;
}

static struct meas *new_meas(const char *label, int op, int arg)
{
	struct meas *m = calloc(1, sizeof(*m));

	if (!m) {
		perror("calloc");
		exit(1);
	}
	m->label = label;
	m->op = op;
	m->arg = arg;
	m->vnames[0] = "rate";
	m->vnames[1] = "mean_rate";
	m->vnames[2] = "batch";
	return m;
}

/* Not one of the workloads: what a near-empty call costs. */
static void w0(void)
{
	struct meas *m = new_meas("0 shmctl(IPC_INFO)", OP_FLOOR, 0);

	m->slices = SLICES;
	m->vnames[3] = "null_call_rate";
	m->vnames[4] = "enter_call_rate";
	run_meas(m);
	metric_of("0", "shmctl(IPC_INFO): the call path alone", "calls/s", 0,
		  G_NONE, 0, m, 0);
	metric_of("0.null", "getppid() / VERSION ioctl: entry and exit only",
		  "calls/s", 0, G_NONE, 0, m, 3);
	metric_of("0.enter", "getppid() / refused ioctl: the kernel's ioctl path",
		  "calls/s", 0, G_NONE, 0, m, 4);
}

static void w1(void)
{
	struct meas *m = new_meas("1 shmget(IPC_PRIVATE)+IPC_RMID",
				  OP_SHMGET_RMID, 0);

	m->slices = SLICES;

	run_meas(m);
	metric_of("1", "shmget(IPC_PRIVATE) + IPC_RMID", "pairs/s", 0,
		  G_RATIO_GE, 1.0, m, 0);
}

static void w2(void)
{
	struct meas *m[MAXSEGS];
	struct reply rp;
	char id[16], name[96];
	int i, side, r;

	for (i = 0; i < nsegs; i++) {
		char *label = malloc(64);

		snprintf(label, 64, "2 shmget(existing key), %d segments",
			 segs[i]);
		m[i] = new_meas(label, OP_LOOKUP, segs[i]);
		m[i]->slices = SLICES;
		for (side = 0; side < 2; side++) {
			double t0 = now();

			if (call(side, OP_LOOKUP_GROW, segs[i], 0, &rp))
				set_na(m[i], side, rp.msg);
			else if (rp.v[0] > 0)
				fprintf(stderr, "[bench]   %s: %d segments created in %.1f s\n",
					sides[side]->name, segs[i],
					now() - t0);
		}
		run_meas(m[i]);
		snprintf(id, sizeof(id), "2.%d", segs[i]);
		snprintf(name, sizeof(name),
			 "shmget(existing key), %d segments", segs[i]);
		metric_of(id, name, "lookups/s", 0, G_RATIO_GE, 1.0, m[i], 0);
	}
	for (side = 0; side < 2; side++)
		call(side, OP_LOOKUP_CLEAR, 0, 0, &rp);
	/* Flatness: the rate at N segments over the rate at the first N. */
	for (i = 1; i < nsegs; i++) {
		struct metric *mt;

		snprintf(id, sizeof(id), "2.flat%d", segs[i]);
		snprintf(name, sizeof(name),
			 "lookup rate, %d segments / %d segments", segs[i],
			 segs[0]);
		mt = new_metric(id, name, "ratio", 0, G_SHADOW_GE, 0.8, NULL);
		for (side = 0; side < 2; side++) {
			int n = m[i]->n[side] < m[0]->n[side] ?
				m[i]->n[side] : m[0]->n[side];

			for (r = 0; r < n; r++)
				mt->s[side][r] = m[i]->val[side][r][0] /
						 m[0]->val[side][r][0];
			mt->n[side] = n;
			if (!n)
				snprintf(mt->na[side], sizeof(mt->na[side]),
					 "%s", m[i]->na[side][0] ?
					 m[i]->na[side] : m[0]->na[side]);
		}
	}
}

static void w3(void)
{
	struct meas *m = new_meas("3 shmat+shmdt 64 KiB", OP_ATTACH, 0);

	m->slices = SLICES;

	run_meas(m);
	metric_of("3", "shmat + shmdt, 64 KiB segment", "pairs/s", 0,
		  G_RATIO_GE, 1.0, m, 0);
}

static void w4(void)
{
	struct meas *m = new_meas("4 first touch / populated read", OP_TOUCH,
				  touch_mib);
	static const char *names[] = {
		"touch_MiB_s", "read_MiB_s", "touch_minflt", "read_minflt",
		"touch_attach_ms", "touch_write_ms", "read_attach_ms",
		"read_ms", "read_detach_ms", "destroy_ms",
		"touch_mean_MiB_s", "read_mean_MiB_s",
	};
	char name[96];

	memcpy(m->vnames, names, sizeof(names));
	run_meas(m);
	snprintf(name, sizeof(name),
		 "first touch, %d MiB, one write per page", touch_mib);
	metric_of("4.touch", name, "MiB/s", 0, G_RATIO_GE, 1.0, m, 0);
	metric_of("4.read", "2nd process: shmat + read one byte per page",
		  "MiB/s", 0, G_RATIO_GE, 1.5, m, 1);
}

static void w5(void)
{
	struct meas *c = new_meas("5 namespace churn", OP_CHURN, 0);
	struct meas *cpu = new_meas("5 namespace churn, CPU time",
				    OP_CHURN_CPU, 0);
	static const char *cnames[] = {
		"no_ns_cycles_s", "ns_cycles_s", "us_per_ns",
		"no_ns_cycles", "ns_cycles",
	};
	static const char *cpunames[] = {
		"no_ns_cpu_us_per_cycle", "ns_cpu_us_per_cycle",
		"cpu_us_per_ns", "no_ns_mean_cycles_s", "ns_mean_cycles_s",
		"no_ns_tail_cpu_ms", "ns_tail_cpu_ms",
	};

	memcpy(c->vnames, cnames, sizeof(cnames));
	c->slices = SLICES;
	c->dur = 2 * run_time;
	run_meas(c);
	metric_of("5.nons", "child: create a segment, exit (no namespace)",
		  "cycles/s", 0, G_NONE, 0, c, 0);
	metric_of("5.ns", "child: new namespace, create a segment, exit",
		  "cycles/s", 0, G_NONE, 0, c, 1);
	metric_of("5.cost", "cost per namespace (cycle - no-ns cycle)", "us",
		  1, G_RATIO_LE, 0.1, c, 2);
	memcpy(cpu->vnames, cpunames, sizeof(cpunames));
	run_meas(cpu);
	metric_of("5.cpu", "CPU time per namespace, all CPUs, teardown included",
		  "us", 1, G_NONE, 0, cpu, 2)->hidden = 1;
}

/* Run last: native namespaces can take minutes to be freed (6.1). */
static void w5_memory(void)
{
	static const char *mnames[] = {
		"kernel_B", "slab_B", "kernel_stack_B", "page_tables_B",
		"percpu_B", "vmalloc_B", "memfree_drop_B", "slabinfo_objects_B",
		"create_and_pin_us", "settle_before_s", "settle_last_step_kB",
	};
	struct meas *mem;
	char name[96];

	mem = new_meas("5 memory of idle namespaces", OP_IDLE_MEM, mem_ns);
	mem->nrounds = mem_rounds;
	mem->shadow_first = 1;
	memcpy(mem->vnames, mnames, sizeof(mnames));
	run_meas(mem);
	snprintf(name, sizeof(name),
		 "kernel memory per idle namespace (%d, meminfo)", mem_ns);
	metric_of("5.mem", name, "B", 1, G_SHADOW_LE, 2048, mem, 0);
	metric_of("5.memobj", "  slab objects only (slabinfo)", "B", 1,
		  G_NONE, 0, mem, 7);
}

static void w6(void)
{
	struct meas *m = new_meas("6 shmat+shmdt, 2 CPUs, one segment",
				  OP_CONTEND, 0);
	static const char *names[] = {
		"total", "total_mean", "cpu0", "cpu1",
	};

	m->slices = SLICES;
	memcpy(m->vnames, names, sizeof(names));
	run_meas(m);
	metric_of("6", "shmat + shmdt, 2 processes on 2 CPUs, one segment",
		  "pairs/s", 0, G_RATIO_GE, 1.0, m, 0);
}

static void w7(void)
{
	struct meas *msg = new_meas("7 message ping-pong", OP_MSG_PINGPONG, 0);
	struct meas *sem = new_meas("7 semop uncontended", OP_SEMOP, 0);

	msg->slices = SLICES;
	msg->vnames[3] = "context_switches_per_round_trip";
	sem->slices = SLICES;

	run_meas(msg);
	metric_of("7.msg", "msgsnd/msgrcv ping-pong, 2 processes, 64 B",
		  "round trips/s", 0, G_RATIO_GE, 1.0, msg, 0);
	run_meas(sem);
	metric_of("7.sem", "semop +1/-1, one process, one semaphore",
		  "semop/s", 0, G_RATIO_GE, 1.0, sem, 0);
}

/* Row ids and names of workloads 8 and 9 live as long as the metrics. */
static char *strf(const char *fmt, ...)
	__attribute__((format(printf, 1, 2)));

static char *strf(const char *fmt, ...)
{
	char *p;
	va_list ap;

	va_start(ap, fmt);
	if (vasprintf(&p, fmt, ap) < 0) {
		perror("vasprintf");
		exit(1);
	}
	va_end(ap);
	return p;
}

/* stress-ng, unmodified: natively and under `shadowipc unshare --`. */
static void w8(void)
{
	static const struct {
		int kind;
		const char *id, *what;
	} one[] = {
		{ STRESS_SEM, "sem", "--sem-sysv 1 --sem-sysv-procs %d" },
		{ STRESS_MSG, "msg", "--msg %d" },
		{ STRESS_MQ, "mq", "--mq %d" },
		{ STRESS_SHM, "shm", "--shm-sysv %d" },
	};
	static const char *const mix_ids[] = { "sem", "msg", "mq", "shm" };
	struct meas *m;
	size_t k;
	int i;

	for (k = 0; k < sizeof(one) / sizeof(one[0]); k++) {
		for (i = 0; i < nprocs; i++) {
			char *what = strf(one[k].what, procs[i]);

			m = new_meas(strf("8 stress-ng %s", what), OP_STRESS,
				     one[k].kind * 100 + procs[i]);
			m->vnames[0] = "bogo_ops_per_s";
			run_meas(m);
			metric_of(strf("8.%s.%d", one[k].id, procs[i]),
				  strf("stress-ng %s", what), "bogo ops/s", 0,
				  G_RATIO_GE, 0.9, m, 0);
		}
	}
	m = new_meas("8 stress-ng mixed, 2 of each", OP_STRESS,
		     STRESS_MIX * 100 + 2);
	for (k = 0; k < 4; k++)
		m->vnames[k] = mix_ids[k];
	run_meas(m);
	for (k = 0; k < 4; k++)
		metric_of(strf("8.mix.%s", mix_ids[k]),
			  strf("stress-ng --shm-sysv 2 --msg 2 --sem-sysv 2 --mq 2: %s",
			       mix_ids[k]), "bogo ops/s", 0, G_RATIO_GE, 0.9, m, k);
}

/* P processes on one set or queue, on every CPU. */
static void w9(void)
{
	static const struct {
		int kind;
		const char *id, *what, *unit;
	} one[] = {
		{ CONTEND_SEM, "sem",
		  "semop -1/+1, %d processes, one semaphore", "semop/s" },
		{ CONTEND_SEMMANY, "semmany",
		  "semop -1/+1, %d processes, a semaphore each, one set",
		  "semop/s" },
		{ CONTEND_MSG, "msg",
		  "msgsnd/msgrcv, %d senders, %d receivers, one queue, 64 B",
		  "msgs/s" },
		{ CONTEND_MQ, "mq",
		  "mq_send/mq_receive, %d senders, %d receivers, one queue, 64 B",
		  "msgs/s" },
	};
	struct meas *m;
	size_t k;
	int i;

	for (k = 0; k < sizeof(one) / sizeof(one[0]); k++) {
		for (i = 0; i < nprocs; i++) {
			char *what = strf(one[k].what, procs[i], procs[i]);

			m = new_meas(strf("9 %s", what), OP_IPC_CONTEND,
				     one[k].kind * 100 + procs[i]);
			m->slices = SLICES;
			m->vnames[1] = m->vnames[2] = NULL;
			run_meas(m);
			metric_of(strf("9.%s.%d", one[k].id, procs[i]), what,
				  one[k].unit, 0, G_RATIO_GE, 0.9, m, 0);
		}
	}
}

/* ---- output ----------------------------------------------------------- */

static void fmt_num(double x, char *buf, size_t size)
{
	double a = fabs(x);

	if (a >= 1e6)
		snprintf(buf, size, "%.2fM", x / 1e6);
	else if (a >= 1e4)
		snprintf(buf, size, "%.1fk", x / 1e3);
	else if (a >= 100)
		snprintf(buf, size, "%.0f", x);
	else if (a >= 10)
		snprintf(buf, size, "%.1f", x);
	else
		snprintf(buf, size, "%.3g", x);
}

static void fmt_cell(const struct metric *mt, int side, char *buf,
		     size_t size)
{
	char a[32], b[32], c[32];

	if (!mt->n[side]) {
		snprintf(buf, size, "n/a (%s)", mt->na[side]);
		return;
	}
	fmt_num(median_of(mt->s[side], mt->n[side]), a, sizeof(a));
	fmt_num(min_of(mt->s[side], mt->n[side]), b, sizeof(b));
	fmt_num(max_of(mt->s[side], mt->n[side]), c, sizeof(c));
	snprintf(buf, size, "%s [%s-%s]", a, b, c);
}

#define NCOLS 8

static void row_cells(const struct metric *mt, char cells[NCOLS][200])
{
	static const char *met_text[] = { "no", "yes" };
	double ratio;
	int met = metric_met(mt);

	snprintf(cells[0], 200, "%s", mt->id);
	snprintf(cells[1], 200, "%s", mt->name);
	snprintf(cells[2], 200, "%s", mt->unit);
	fmt_cell(mt, 0, cells[3], 200);
	fmt_cell(mt, 1, cells[4], 200);
	if (metric_ratio(mt, &ratio))
		snprintf(cells[5], 200, "-");
	else
		snprintf(cells[5], 200, "%.2fx", ratio);
	goal_text(mt, cells[6], 200);
	snprintf(cells[7], 200, "%s", met >= 0 ? met_text[met] :
		 met == -1 ? "n/a" : "-");
}

static void print_table(FILE *f)
{
	static const char *head[NCOLS] = {
		"id", "workload", "unit", "native median [min-max]",
		"shadow median [min-max]", "ratio", "goal", "met?",
	};
	char cells[NCOLS][200];
	int width[NCOLS], i, c;

	for (c = 0; c < NCOLS; c++)
		width[c] = strlen(head[c]);
	for (i = 0; i < nmetrics; i++) {
		if (metrics[i].hidden)
			continue;
		row_cells(&metrics[i], cells);
		for (c = 0; c < NCOLS; c++)
			if ((int)strlen(cells[c]) > width[c])
				width[c] = strlen(cells[c]);
	}
	for (c = 0; c < NCOLS; c++)
		fprintf(f, "| %-*s ", width[c], head[c]);
	fprintf(f, "|\n");
	for (c = 0; c < NCOLS; c++) {
		fprintf(f, "|");
		for (i = 0; i < width[c] + 2; i++)
			fputc('-', f);
	}
	fprintf(f, "|\n");
	for (i = 0; i < nmetrics; i++) {
		if (metrics[i].hidden)
			continue;
		row_cells(&metrics[i], cells);
		for (c = 0; c < NCOLS; c++)
			fprintf(f, "| %-*s ", width[c], cells[c]);
		fprintf(f, "|\n");
	}
}

static void json_str(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			fprintf(f, "\\%c", *s);
		else if ((unsigned char)*s < 0x20)
			fprintf(f, "\\u%04x", *s);
		else
			fputc(*s, f);
	}
	fputc('"', f);
}

static void json_num(FILE *f, double x)
{
	if (isfinite(x))
		fprintf(f, "%.6g", x);
	else
		fprintf(f, "null");
}

static void json_side(FILE *f, const struct metric *mt, int side)
{
	int r;

	if (!mt->n[side]) {
		fprintf(f, "{\"na\": ");
		json_str(f, mt->na[side]);
		fprintf(f, "}");
		return;
	}
	fprintf(f, "{\"median\": ");
	json_num(f, median_of(mt->s[side], mt->n[side]));
	fprintf(f, ", \"min\": ");
	json_num(f, min_of(mt->s[side], mt->n[side]));
	fprintf(f, ", \"max\": ");
	json_num(f, max_of(mt->s[side], mt->n[side]));
	fprintf(f, ", \"samples\": [");
	for (r = 0; r < mt->n[side]; r++) {
		fprintf(f, r ? ", " : "");
		json_num(f, mt->s[side][r]);
	}
	fprintf(f, "]}");
}

/* Medians of every figure the measurement's replies carry. */
static void json_detail(FILE *f, const struct meas *m)
{
	double v[MAXROUNDS];
	int side, i, r, first;

	if (!m->vnames[0] && !m->extra[0][0] && !m->extra[1][0])
		return;
	fprintf(f, ", \"detail\": {");
	for (side = 0; side < 2; side++) {
		fprintf(f, "%s\"%s\": {", side ? ", " : "", sides[side]->name);
		first = 1;
		for (i = 0; i < NVAL && m->n[side]; i++) {
			if (!m->vnames[i])
				continue;
			for (r = 0; r < m->n[side]; r++)
				v[r] = m->val[side][r][i];
			fprintf(f, "%s\"%s\": ", first ? "" : ", ",
				m->vnames[i]);
			json_num(f, median_of(v, m->n[side]));
			first = 0;
		}
		if (m->extra[side][0])
			fprintf(f, "%s\"extra\": %s", first ? "" : ", ",
				m->extra[side]);
		fprintf(f, "}");
	}
	fprintf(f, "}");
}

static void print_json(FILE *f, const char *kernel, const char *date)
{
	char goal[64];
	double ratio;
	int i, met;

	fprintf(f, "{\"kernel\": ");
	json_str(f, kernel);
	fprintf(f, ", \"date\": ");
	json_str(f, date);
	fprintf(f, ", \"rounds\": %d, \"memory_rounds\": %d, \"seconds_per_run\": %g,\n",
		rounds, mem_rounds, run_time);
	fprintf(f, " \"cpus\": %ld, \"mem_total_kb\": %ld, \"module\": ",
		sysconf(_SC_NPROCESSORS_ONLN),
		sysconf(_SC_PHYS_PAGES) * (sysconf(_SC_PAGESIZE) / 1024));
	json_str(f, module_state);
	fprintf(f, ",\n \"notes\": ");
	json_str(f, "Native runs in a private IPC namespace "
		 "(unshare(CLONE_NEWIPC)), shadow in a fresh shadow namespace; "
		 "both workers and their children are pinned to the last CPU "
		 "(workload 6 puts one child on each CPU). Each round runs both "
		 "sides, alternating in slices (which side starts alternates). "
		 "Rates are batch size / median batch time (batches of ~100 us, "
		 "all timed), robust to the host descheduling a vCPU; "
		 "detail.mean_rate is operations / elapsed. ratio = median of "
		 "the per-round ratios shadow/native for rates, ratio of the "
		 "medians for costs. 2: lookups cycle over 64 keys spread "
		 "over the N segments (all of them when N < 64), so that the "
		 "working set does not grow with N. 4: one access per page, rate = size / "
		 "(shmat + chunks x median 1 MiB chunk time). 5.cost: cycles "
		 "without and with a namespace alternate one by one, cost = "
		 "median ns cycle - median no-ns cycle (children are "
		 "CLONE_VM|CLONE_VFORK; the no-ns child leaves its segment, "
		 "removed outside the timing); 5.cpu: CPU time of every CPU "
		 "(/proc/schedstat) per cycle, deferred teardown included. "
		 "5.mem: delta of /proc/meminfo Slab+KernelStack+PageTables+"
		 "Percpu+VmallocUsed over N idle namespaces, each pinned by one "
		 "fd (shadow: a handle; native: /proc/thread-self/ns/ipc), fd "
		 "table grown beforehand.");
	fprintf(f, ",\n \"workloads\": [\n");
	for (i = 0; i < nmetrics; i++) {
		const struct metric *mt = &metrics[i];

		fprintf(f, "  {\"id\": ");
		json_str(f, mt->id);
		fprintf(f, ", \"name\": ");
		json_str(f, mt->name);
		fprintf(f, ", \"unit\": ");
		json_str(f, mt->unit);
		fprintf(f, ", \"lower_is_better\": %s, \"native\": ",
			mt->lower_better ? "true" : "false");
		json_side(f, mt, 0);
		fprintf(f, ", \"shadow\": ");
		json_side(f, mt, 1);
		fprintf(f, ", \"ratio\": ");
		if (metric_ratio(mt, &ratio))
			fprintf(f, "null");
		else
			json_num(f, ratio);
		fprintf(f, ", \"ratio_of_medians\": ");
		if (ratio_of_medians(mt, &ratio))
			fprintf(f, "null");
		else
			json_num(f, ratio);
		goal_text(mt, goal, sizeof(goal));
		fprintf(f, ", \"goal\": ");
		json_str(f, goal);
		met = metric_met(mt);
		fprintf(f, ", \"met\": %s", met == 1 ? "true" :
			met == 0 ? "false" : "null");
		if (mt->m)
			json_detail(f, mt->m);
		fprintf(f, "}%s\n", i + 1 < nmetrics ? "," : "");
	}
	fprintf(f, " ]}\n");
}

/* ---- limits ----------------------------------------------------------- */

struct saved_limit {
	const char *path;
	char old[32];
	int changed;
};

static struct saved_limit limits[] = {
	{ .path = "/proc/sys/user/max_ipc_namespaces" },
	{ .path = "/sys/module/shadowipc/parameters/max_namespaces" },
};

/* Namespace churn and the idle namespaces need more than the defaults. */
static void raise_limits(long want)
{
	char buf[32];
	size_t i;

	for (i = 0; i < sizeof(limits) / sizeof(limits[0]); i++) {
		if (read_file(limits[i].path, limits[i].old,
			      sizeof(limits[i].old)) <= 0 ||
		    atol(limits[i].old) >= want)
			continue;
		snprintf(buf, sizeof(buf), "%ld\n", want);
		if (write_file(limits[i].path, buf))
			fprintf(stderr, "[bench] cannot raise %s: %m\n",
				limits[i].path);
		else
			limits[i].changed = 1;
	}
}

static void restore_limits(void)
{
	size_t i;

	for (i = 0; i < sizeof(limits) / sizeof(limits[0]); i++)
		if (limits[i].changed)
			write_file(limits[i].path, limits[i].old);
}

/* ---- main ------------------------------------------------------------- */

/* Each process count from 1 to 64. */
static int procs_ok(void)
{
	int i;

	for (i = 0; i < nprocs; i++)
		if (procs[i] < 1 || procs[i] > 64)
			return 0;
	return 1;
}

static void usage(FILE *f)
{
	fprintf(f,
		"usage: shadowipc-bench [options]\n"
		"  -r, --rounds N        rounds per workload (default 5)\n"
		"  -t, --time S          seconds per timed run (default 0.5)\n"
		"  -w, --only LIST       workloads to run, e.g. 1,2,5 (default all)\n"
		"      --segments LIST   workload 2 sizes (default 1,1000,30000)\n"
		"      --procs LIST      workloads 8 and 9 process counts (default 2,4,8)\n"
		"      --touch-mib N     workload 4 segment size (default 256)\n"
		"      --mem-ns N        workload 5 idle namespaces (default 10000)\n"
		"      --mem-rounds N    rounds of the memory measurement (default 3)\n"
		"      --date TEXT       date to record (default: now, UTC)\n"
		"      --json FILE       also write the JSON to FILE\n"
		"      --side SIDE       run only SIDE (native or shadow)\n"
		"The table and the JSON (between marker lines) go to stdout,\n"
		"progress to stderr.\n");
}

int main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "rounds", required_argument, NULL, 'r' },
		{ "time", required_argument, NULL, 't' },
		{ "only", required_argument, NULL, 'w' },
		{ "segments", required_argument, NULL, 's' },
		{ "procs", required_argument, NULL, 'P' },
		{ "touch-mib", required_argument, NULL, 'T' },
		{ "mem-ns", required_argument, NULL, 'M' },
		{ "mem-rounds", required_argument, NULL, 'R' },
		{ "date", required_argument, NULL, 'd' },
		{ "json", required_argument, NULL, 'j' },
		{ "side", required_argument, NULL, 'S' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	char date[64], kernel[160], *tok, *save;
	double t0 = now();
	struct utsname u;
	int c, abi, side;
	struct reply rp;
	time_t tnow;

	while ((c = getopt_long(argc, argv, "r:t:w:h", opts, NULL)) != -1) {
		switch (c) {
		case 'r':
			rounds = atoi(optarg);
			break;
		case 't':
			run_time = atof(optarg);
			break;
		case 'w':
			only = optarg;
			break;
		case 's':
			nsegs = 0;
			for (tok = strtok_r(optarg, ",", &save);
			     tok && nsegs < MAXSEGS;
			     tok = strtok_r(NULL, ",", &save))
				segs[nsegs++] = atoi(tok);
			break;
		case 'P':
			nprocs = 0;
			for (tok = strtok_r(optarg, ",", &save);
			     tok && nprocs < MAXPROCS;
			     tok = strtok_r(NULL, ",", &save))
				procs[nprocs++] = atoi(tok);
			break;
		case 'T':
			touch_mib = atoi(optarg);
			break;
		case 'M':
			mem_ns = atoi(optarg);
			break;
		case 'R':
			mem_rounds = atoi(optarg);
			break;
		case 'd':
			date_arg = optarg;
			break;
		case 'j':
			json_path = optarg;
			break;
		case 'S':	/* run one side only, e.g. under a profiler */
			/* @side: the one skipped, marked as if it were down */
			if (!strcmp(optarg, "native")) {
				side = SIDE_SHADOW;
			} else if (!strcmp(optarg, "shadow")) {
				side = SIDE_NATIVE;
			} else {
				usage(stderr);
				return 2;
			}
			snprintf(wdown[side], sizeof(wdown[side]), "skipped");
			break;
		case 'h':
			usage(stdout);
			return 0;
		default:
			usage(stderr);
			return 2;
		}
	}
	if (rounds < 1 || rounds > MAXROUNDS || mem_rounds < 1 ||
	    mem_rounds > MAXROUNDS || run_time <= 0 || nsegs < 1 ||
	    touch_mib < 1 || mem_ns < 1 || nprocs < 1 || !procs_ok()) {
		usage(stderr);
		return 2;
	}
	signal(SIGPIPE, SIG_IGN);
	uname(&u);
	snprintf(kernel, sizeof(kernel), "%s", u.release);
	tnow = time(NULL);
	strftime(date, sizeof(date), "%Y-%m-%dT%H:%M:%SZ", gmtime(&tnow));
	if (date_arg)
		snprintf(date, sizeof(date), "%s", date_arg);

	abi = shadowipc_version();
	if (abi < 0) {
		snprintf(module_state, sizeof(module_state), "%s",
			 errno == ENOENT ? "module not loaded" : strerror(errno));
		snprintf(wdown[SIDE_SHADOW], sizeof(wdown[0]), "%s",
			 module_state);
	} else {
		snprintf(module_state, sizeof(module_state),
			 "loaded, ABI %d", abi);
	}
	fprintf(stderr, "[bench] kernel %s, %ld CPUs, %ld MiB, module: %s; "
		"%d rounds of %.2f s\n", kernel,
		sysconf(_SC_NPROCESSORS_ONLN),
		sysconf(_SC_PHYS_PAGES) / (1048576 / sysconf(_SC_PAGESIZE)),
		module_state, rounds, run_time);
	raise_limits(1000000);
	for (side = 0; side < 2; side++)
		start_worker(side);

	if (selected(0))
		w0();
	if (selected(1))
		w1();
	if (selected(2))
		w2();
	if (selected(3))
		w3();
	if (selected(4))
		w4();
	if (selected(5))
		w5();
	if (selected(6))
		w6();
	if (selected(7))
		w7();
	if (selected(8))
		w8();
	if (selected(9))
		w9();
	if (selected(5))
		w5_memory();

	for (side = 0; side < 2; side++) {
		if (wsock[side] < 0)
			continue;
		call(side, OP_QUIT, 0, 0, &rp);
		close(wsock[side]);
		waitpid(wpid[side], NULL, 0);
	}
	restore_limits();
	fprintf(stderr, "[bench] done in %.0f s\n", now() - t0);
	sort_metrics();

	printf("\nshadowipc-bench: kernel %s, %s, %d rounds, module: %s\n\n",
	       kernel, date, rounds, module_state);
	printf("----- SHADOWIPC-BENCH-TABLE BEGIN -----\n");
	print_table(stdout);
	printf("----- SHADOWIPC-BENCH-TABLE END -----\n");
	printf("----- SHADOWIPC-BENCH-JSON BEGIN -----\n");
	print_json(stdout, kernel, date);
	printf("----- SHADOWIPC-BENCH-JSON END -----\n");
	if (json_path) {
		FILE *f = fopen(json_path, "w");

		if (!f) {
			perror(json_path);
			return 1;
		}
		print_json(f, kernel, date);
		fclose(f);
	}
	return 0;
}
