// SPDX-License-Identifier: GPL-2.0
/*
 * shadowipc-bench: the worker, one per side. It enters a new namespace of
 * its side once, then serves requests: each runs one workload for the
 * requested time and replies with its figures. Children a workload needs
 * are forked (or cloned) from the worker, so they start in its namespace.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bench.h"

static const struct side *S;
static char init_err[160];

#define ATTACH_SIZE (64 << 10)
#define LOOKUP_KEY 0x5b000000
#define SEG_FLAGS (IPC_CREAT | 0600)

static long page_size;

/* Reply with a rate: v[0] robust (median batch), v[1] mean, v[2] batch. */
static void reply_rate(struct reply *rp, const struct rate *r)
{
	rp->v[0] = r->rate;
	rp->v[1] = r->mean_rate;
	rp->v[2] = r->batch;
	rp->nv = 3;
}

/* ---- w1: shmget(IPC_PRIVATE) + IPC_RMID -------------------------------- */

static int create_remove(void *ctx, struct reply *rp)
{
	int id = S->shmget(IPC_PRIVATE, 4096, SEG_FLAGS);

	(void)ctx;
	if (id < 0) {
		vfail(rp, "shmget: %m");
		return -1;
	}
	if (S->shmctl(id, IPC_RMID, NULL)) {
		vfail(rp, "shmctl(IPC_RMID): %m");
		return -1;
	}
	return 0;
}

static void op_shmget_rmid(const struct request *rq, struct reply *rp)
{
	struct rate r;

	if (!timed_run(create_remove, NULL, rq->dur, rp, &r))
		reply_rate(rp, &r);
}

/* ---- w2: shmget of an existing key ------------------------------------ */

static int *lk_ids;
static int lk_n;

static void op_lookup_grow(const struct request *rq, struct reply *rp)
{
	int want = rq->arg, had = lk_n, i;
	double t0 = now();
	int *ids;

	if (want <= lk_n)
		return;
	ids = realloc(lk_ids, want * sizeof(*ids));
	if (!ids) {
		vfail(rp, "out of memory");
		return;
	}
	lk_ids = ids;
	/* Linux's default shmmni is 4096; go beyond only when allowed to. */
	if (want > 4000 && S->set_shmmni(want + 64)) {
		vfail(rp, "shmmni not settable (%m)");
		return;
	}
	for (i = lk_n; i < want; i++) {
		lk_ids[i] = S->shmget(LOOKUP_KEY + i, 4096,
				      SEG_FLAGS | IPC_EXCL);
		if (lk_ids[i] < 0) {
			vfail(rp, "shmget of segment %d: %m", i + 1);
			return;
		}
		lk_n = i + 1;
	}
	rp->v[0] = want - had;
	rp->v[1] = now() - t0;
	rp->nv = 2;
}

#define LOOKUP_SET 64
static int lookup_j;

/*
 * Cycle over LOOKUP_SET keys spread evenly over the @n present (all of
 * them when fewer): the working set, and so the cache and TLB footprint,
 * stays the same from 1 000 to 30 000 segments, and what grows with @n
 * is only what the lookup itself does.
 */
static int lookup_one(void *ctx, struct reply *rp)
{
	int n = *(int *)ctx, set = n < LOOKUP_SET ? n : LOOKUP_SET, idx, id;

	idx = (int)((long)lookup_j * n / set);
	id = S->shmget(LOOKUP_KEY + idx, 0, 0);
	if (id != lk_ids[idx]) {
		vfail(rp, "shmget(existing key): %d, %m", id);
		return -1;
	}
	if (++lookup_j == set)
		lookup_j = 0;
	return 0;
}

static void op_lookup(const struct request *rq, struct reply *rp)
{
	int n = rq->arg;
	struct rate r;

	if (n != lk_n) {
		vfail(rp, "%d segments present, %d expected", lk_n, n);
		return;
	}
	lookup_j = 0;
	if (!timed_run(lookup_one, &n, rq->dur, rp, &r))
		reply_rate(rp, &r);
}

static void op_lookup_clear(struct reply *rp)
{
	int i;

	for (i = 0; i < lk_n; i++)
		if (S->shmctl(lk_ids[i], IPC_RMID, NULL))
			vfail(rp, "shmctl(IPC_RMID): %m");
	lk_n = 0;
}

/* ---- w3: shmat + shmdt of a 64 KiB segment ----------------------------- */

static int attach_detach(void *ctx, struct reply *rp)
{
	void *p = S->shmat(*(int *)ctx, NULL, 0);

	if (p == (void *)-1) {
		vfail(rp, "shmat: %m");
		return -1;
	}
	if (S->shmdt(p)) {
		vfail(rp, "shmdt: %m");
		return -1;
	}
	return 0;
}

static void op_attach(const struct request *rq, struct reply *rp)
{
	int id = S->shmget(IPC_PRIVATE, ATTACH_SIZE, SEG_FLAGS);
	struct rate r;

	if (id < 0) {
		vfail(rp, "shmget: %m");
		return;
	}
	if (!timed_run(attach_detach, &id, rq->dur, rp, &r))
		reply_rate(rp, &r);
	S->shmctl(id, IPC_RMID, NULL);
}

/* ---- w4: first touch, then a populated read from another process ------- */

#define CHUNK_PAGES 256

/*
 * Times of the attach and of each CHUNK_PAGES-page chunk. The rate is the
 * size over (attach + chunks * median chunk time), so that a vCPU the host
 * deschedules for a while does not count, but an attach that populates
 * the mapping does.
 */
struct touch_times {
	double attach, chunk_median, chunk_sum, detach;
	long minflt, majflt;
	int err;
	unsigned long sum;
};

static long minflt_self(long *majflt)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	if (majflt)
		*majflt = ru.ru_majflt;
	return ru.ru_minflt;
}

/* Attach @id, one access per page (read or write), chunk by chunk. */
static volatile char *touch_pages(int id, size_t size, int write,
				  struct touch_times *tt, struct samples *d)
{
	volatile char *p;
	long f0, mj0, mj1;
	double t0, t1;
	size_t off, end;

	f0 = minflt_self(&mj0);
	t0 = now();
	p = S->shmat(id, NULL, write ? 0 : SHM_RDONLY);
	t1 = now();
	tt->attach = t1 - t0;
	if (p == (void *)-1) {
		tt->err = errno;
		return p;
	}
	for (off = 0; off < size; ) {
		end = off + CHUNK_PAGES * page_size;
		if (end > size)
			end = size;
		if (write)
			for (; off < end; off += page_size)
				p[off] = 1;
		else
			for (; off < end; off += page_size)
				tt->sum += p[off];
		t0 = now();
		samples_add(d, t0 - t1);
		tt->chunk_sum += t0 - t1;
		t1 = t0;
	}
	tt->minflt = minflt_self(&mj1) - f0;
	tt->majflt = mj1 - mj0;
	tt->chunk_median = median_sort(d->v, d->n);
	return p;
}

static void touch_child(int id, size_t size, int go, int res)
{
	struct touch_times tt = { 0 };
	struct samples d = { 0 };
	volatile char *q;
	double t0;
	char c;

	alarm(300);
	if (read(go, &c, 1) != 1)
		_exit(1);
	q = touch_pages(id, size, 0, &tt, &d);
	if (q != (void *)-1) {
		t0 = now();
		if (S->shmdt((const void *)q))
			tt.err = errno;
		tt.detach = now() - t0;
	}
	if (write(res, &tt, sizeof(tt)) != sizeof(tt))
		_exit(1);
	_exit(0);
}

static void op_touch(const struct request *rq, struct reply *rp)
{
	size_t size = (size_t)rq->arg << 20, chunks;
	struct touch_times w = { 0 }, r = { 0 };
	struct samples d = { 0 };
	int go[2], res[2], id, st;
	volatile char *p;
	double t3, t4;
	pid_t pid;

	chunks = (size / page_size + CHUNK_PAGES - 1) / CHUNK_PAGES;
	id = S->shmget(IPC_PRIVATE, size, SEG_FLAGS);
	if (id < 0) {
		vfail(rp, "shmget(%d MiB): %m", rq->arg);
		return;
	}
	if (pipe(go) || pipe(res)) {
		vfail(rp, "pipe: %m");
		goto out_rmid;
	}
	/* Forked before the segment is mapped: it inherits no attach. */
	pid = fork();
	if (pid < 0) {
		vfail(rp, "fork: %m");
		goto out_pipes;
	}
	if (!pid) {
		close(go[1]);
		close(res[0]);
		touch_child(id, size, go[0], res[1]);
	}
	p = touch_pages(id, size, 1, &w, &d);
	samples_free(&d);
	if (p == (void *)-1) {
		errno = w.err;
		vfail(rp, "shmat: %m");
		kill(pid, SIGKILL);
		waitpid(pid, NULL, 0);
		goto out_pipes;
	}
	if (write(go[1], "g", 1) != 1 ||
	    read(res[0], &r, sizeof(r)) != sizeof(r)) {
		vfail(rp, "reader child failed");
		kill(pid, SIGKILL);
	} else if (r.err) {
		errno = r.err;
		vfail(rp, "reader child: shmat/shmdt: %m");
	} else if (r.sum != size / page_size) {
		vfail(rp, "reader child read %lu, expected %zu", r.sum,
		      size / page_size);
	}
	waitpid(pid, &st, 0);
	t3 = now();
	S->shmdt((const void *)p);
	S->shmctl(id, IPC_RMID, NULL);
	id = -1;
	t4 = now();
	if (rp->msg[0])
		goto out_pipes;
	rp->v[0] = rq->arg / (w.attach + chunks * w.chunk_median);
	rp->v[1] = rq->arg / (r.attach + chunks * r.chunk_median);
	rp->v[2] = w.minflt;
	rp->v[3] = r.minflt;
	rp->v[4] = w.attach * 1e3;
	rp->v[5] = w.chunk_sum * 1e3;	/* all chunks, as timed */
	rp->v[6] = r.attach * 1e3;
	rp->v[7] = r.chunk_sum * 1e3;
	rp->v[8] = r.detach * 1e3;
	rp->v[9] = (t4 - t3) * 1e3;	/* shmdt + IPC_RMID of the writer */
	rp->v[10] = rq->arg / (w.attach + w.chunk_sum);	/* plain means */
	rp->v[11] = rq->arg / (r.attach + r.chunk_sum);
	rp->nv = 12;
out_pipes:
	close(go[0]);
	close(go[1]);
	close(res[0]);
	close(res[1]);
out_rmid:
	if (id >= 0)
		S->shmctl(id, IPC_RMID, NULL);
}

/* ---- w5: namespace churn ---------------------------------------------- */

static char churn_stack[1 << 16] __attribute__((aligned(64)));
static volatile int churn_id;	/* the child's segment (CLONE_VM) */

/*
 * A vfork-style child (CLONE_VM | CLONE_VFORK, as posix_spawn uses), so
 * that the cycle is the namespace work plus as little process creation as
 * possible. Mode 1: enter a new namespace, create one segment, exit (the
 * namespace's teardown destroys it). Mode 0, the same without a
 * namespace: create one segment, exit; the parent removes the segments
 * outside the timed part.
 */
static int churn_child(void *arg)
{
	if (arg && S->enter_ns())
		return 2;
	churn_id = S->shmget(IPC_PRIVATE, 4096, SEG_FLAGS);
	return churn_id < 0 ? 3 : 0;
}

static int churn_one(long mode, struct reply *rp)
{
	pid_t pid;
	int st;

	pid = clone(churn_child, churn_stack + sizeof(churn_stack),
		    CLONE_VM | CLONE_VFORK | SIGCHLD, (void *)mode);
	if (pid < 0) {
		vfail(rp, "clone: %m");
		return -1;
	}
	if (waitpid(pid, &st, 0) != pid) {
		vfail(rp, "waitpid: %m");
		return -1;
	}
	if (!WIFEXITED(st) || WEXITSTATUS(st)) {
		vfail(rp, "churn child (mode %ld) failed: status 0x%x (%s)",
		      mode, st, WEXITSTATUS(st) == 2 ? "enter namespace" :
		      WEXITSTATUS(st) == 3 ? "shmget" : "other");
		return -1;
	}
	return 0;
}

struct churn_result {
	double rate;		/* cycles per second, wall clock */
	double cpu_us;		/* CPU time per cycle, every CPU */
	double tail_ms;		/* CPU time in the quiet tail */
};

#define CHURN_BATCH 256
#define CHURN_TAIL_US 300000

/*
 * Cycles per second, and the CPU time (all CPUs: kworkers and RCU too)
 * per cycle, counted until CHURN_TAIL_US after the loop so that deferred
 * teardown is included. The shadow side's wall time includes waiting for
 * its pending teardown (flush).
 */
static int churn_loop(long mode, double dur, struct reply *rp,
		      struct churn_result *res)
{
	int ids[CHURN_BATCH], nids = 0, k;
	double t0, t, paused = 0, p0, cpu0, cpu1, cpu_paused = 0, c0;
	long n = 0;

	for (k = 0; k < 4; k++) {
		if (churn_one(mode, rp))
			return -1;
		if (!mode)
			S->shmctl(churn_id, IPC_RMID, NULL);
	}
	S->flush();
	usleep(CHURN_TAIL_US);
	cpu0 = cpu_busy_ns();
	t0 = now();
	do {
		if (churn_one(mode, rp))
			goto fail;
		n++;
		if (!mode) {
			ids[nids++] = churn_id;
			if (nids == CHURN_BATCH) {
				p0 = now();
				c0 = cpu_busy_ns();
				while (nids)
					S->shmctl(ids[--nids], IPC_RMID, NULL);
				cpu_paused += cpu_busy_ns() - c0;
				paused += now() - p0;
			}
		}
		t = now() - t0 - paused;
	} while (t < dur);
	S->flush();
	t = now() - t0 - paused;
	c0 = cpu_busy_ns();
	usleep(CHURN_TAIL_US);
	cpu1 = cpu_busy_ns();
	res->rate = n / t;
	res->cpu_us = (cpu1 - cpu0 - cpu_paused) / 1e3 / n;
	res->tail_ms = (cpu1 - c0) / 1e6;
fail:
	while (nids)
		S->shmctl(ids[--nids], IPC_RMID, NULL);
	return rp->msg[0] ? -1 : 0;
}

/*
 * Wall clock: cycles without and with a namespace, alternating one by one
 * and each timed, so that both see the same conditions; the figures are
 * median cycle times. CPU time: a loop of each kind, then the same figure
 * from cpu_busy_ns(), deferred teardown included (see churn_loop()).
 */
static void op_churn(const struct request *rq, struct reply *rp)
{
	struct samples d[2] = { { 0 } };
	int ids[CHURN_BATCH], nids = 0, mode;
	double t0, ta, tb, med[2];
	long i;

	for (i = 0; i < 4; i++) {
		if (churn_one(i & 1, rp))
			goto out;
		if (!(i & 1))
			S->shmctl(churn_id, IPC_RMID, NULL);
	}
	t0 = now();
	for (i = 0; now() - t0 < rq->dur || i < 8; i++) {
		mode = i & 1;
		ta = now();
		if (churn_one(mode, rp))
			goto out;
		tb = now();
		if (samples_add(&d[mode], tb - ta)) {
			vfail(rp, "out of memory");
			goto out;
		}
		if (!mode) {
			ids[nids++] = churn_id;
			if (nids == CHURN_BATCH)
				while (nids)
					S->shmctl(ids[--nids], IPC_RMID, NULL);
		}
	}
	while (nids)
		S->shmctl(ids[--nids], IPC_RMID, NULL);
	S->flush();
	med[0] = median_sort(d[0].v, d[0].n);
	med[1] = median_sort(d[1].v, d[1].n);
	rp->v[0] = 1 / med[0];
	rp->v[1] = 1 / med[1];
	rp->v[2] = (med[1] - med[0]) * 1e6;	/* us per namespace */
	rp->v[3] = d[0].n;
	rp->v[4] = d[1].n;
	rp->nv = 5;
out:
	while (nids)
		S->shmctl(ids[--nids], IPC_RMID, NULL);
	samples_free(&d[0]);
	samples_free(&d[1]);
}

static void op_churn_cpu(const struct request *rq, struct reply *rp)
{
	struct churn_result base, ns;

	if (churn_loop(0, rq->dur / 2, rp, &base) ||
	    churn_loop(1, rq->dur / 2, rp, &ns))
		return;
	rp->v[0] = base.cpu_us;
	rp->v[1] = ns.cpu_us;
	rp->v[2] = ns.cpu_us - base.cpu_us;	/* CPU us per namespace */
	rp->v[3] = base.rate;			/* plain loops, mean rates */
	rp->v[4] = ns.rate;
	rp->v[5] = base.tail_ms;
	rp->v[6] = ns.tail_ms;
	rp->nv = 7;
}

/* ---- w5: memory of idle namespaces ------------------------------------ */

static int cmp_long_desc(const void *a, const void *b)
{
	long x = ((const long *)a)[0], y = ((const long *)b)[0];

	return x < y ? 1 : x > y ? -1 : 0;
}

/* The caches that grew most, per namespace, as a JSON object. */
static void slab_top(const struct memsample *b, const struct memsample *a,
		     int n, char *out, size_t size)
{
	long (*d)[2] = calloc(a->ncaches + 1, sizeof(*d));
	int i, j, len, shown = 0;

	if (!d) {
		snprintf(out, size, "{}");
		return;
	}
	for (i = 0; i < a->ncaches; i++) {
		long before = 0;

		for (j = 0; j < b->ncaches; j++)
			if (!strcmp(a->cache[i].name, b->cache[j].name)) {
				before = b->cache[j].bytes;
				break;
			}
		d[i][0] = a->cache[i].bytes - before;
		d[i][1] = i;
	}
	qsort(d, a->ncaches, sizeof(*d), cmp_long_desc);
	len = snprintf(out, size, "{\"slabinfo_top_bytes_per_ns\": {");
	for (i = 0; i < a->ncaches && shown < 8; i++) {
		if (d[i][0] < n * 8L)
			break;
		len += snprintf(out + len, size - len, "%s\"%s\": %.0f",
				shown ? ", " : "", a->cache[d[i][1]].name,
				(double)d[i][0] / n);
		shown++;
	}
	snprintf(out + len, size - len, "}}");
	free(d);
}

static void idle_mem_child(int n, int res)
{
	struct memsample *b = malloc(sizeof(*b)), *a = malloc(sizeof(*a));
	struct rlimit rl = { n + 256, n + 256 };
	struct reply r = { .ok = 1 };
	long slab_b = 0, slab_a = 0;
	double t0, t1;
	int i, j;

	alarm(600);
	if (!a || !b) {
		vfail(&r, "out of memory");
		goto out;
	}
	if (setrlimit(RLIMIT_NOFILE, &rl)) {
		vfail(&r, "setrlimit(RLIMIT_NOFILE, %d): %m", n + 256);
		goto out;
	}
	/* Grow the fd table first: it is no namespace's cost. */
	if (dup2(0, n + 128) < 0) {
		vfail(&r, "dup2: %m");
		goto out;
	}
	close(n + 128);
	mem_sample(b);
	t0 = now();
	for (i = 0; i < n; i++) {
		if (S->enter_ns()) {
			vfail(&r, "new namespace %d of %d: %m", i + 1, n);
			goto out;
		}
		if (S->pin_ns() < 0) {
			vfail(&r, "namespace handle %d: %m", i + 1);
			goto out;
		}
	}
	t1 = now();
	S->flush();
	usleep(300000);	/* let RCU-deferred frees of the unshares run */
	mem_sample(a);
	for (j = 0; j < b->ncaches; j++)
		slab_b += b->cache[j].bytes;
	for (j = 0; j < a->ncaches; j++)
		slab_a += a->cache[j].bytes;
	r.v[0] = (mem_kernel_kb(a) - mem_kernel_kb(b)) * 1024.0 / n;
	r.v[1] = (a->slab - b->slab) * 1024.0 / n;
	r.v[2] = (a->kernel_stack - b->kernel_stack) * 1024.0 / n;
	r.v[3] = (a->page_tables - b->page_tables) * 1024.0 / n;
	r.v[4] = (a->percpu - b->percpu) * 1024.0 / n;
	r.v[5] = (a->vmalloc - b->vmalloc) * 1024.0 / n;
	r.v[6] = (b->mem_free - a->mem_free) * 1024.0 / n;
	r.v[7] = b->ncaches ? (double)(slab_a - slab_b) / n : -1;
	r.v[8] = (t1 - t0) * 1e6 / n;	/* us to create and pin one */
	r.nv = 9;
	if (b->ncaches)
		slab_top(b, a, n, r.extra, sizeof(r.extra));
out:
	if (write(res, &r, sizeof(r)) != sizeof(r))
		_exit(1);
	_exit(0);	/* closing the handles frees the namespaces */
}

static void op_idle_mem(const struct request *rq, struct reply *rp)
{
	double t0 = now(), settle_s;
	int res[2], st;
	long step;
	pid_t pid;

	S->flush();
	step = mem_settle();
	settle_s = now() - t0;
	if (pipe(res)) {
		vfail(rp, "pipe: %m");
		return;
	}
	pid = fork();
	if (pid < 0) {
		vfail(rp, "fork: %m");
		return;
	}
	if (!pid) {
		close(res[0]);
		idle_mem_child(rq->arg, res[1]);
	}
	close(res[1]);
	if (read(res[0], rp, sizeof(*rp)) != sizeof(*rp))
		vfail(rp, "memory child died");
	rp->v[9] = settle_s;	/* waiting for the previous run's frees */
	rp->v[10] = step;
	rp->nv = 11;
	close(res[0]);
	waitpid(pid, &st, 0);
	S->flush();	/* the next request settles */
}

/* ---- shmctl(IPC_INFO): the cost of the call path itself ---------------- */

static int floor_one(void *ctx, struct reply *rp)
{
	struct shminfo info;

	(void)ctx;
	if (S->shmctl(0, IPC_INFO, (struct shmid_ds *)&info) < 0) {
		vfail(rp, "shmctl(IPC_INFO): %m");
		return -1;
	}
	return 0;
}

/* @ctx: the side's call to time, null_call or enter_call */
static int null_one(void *ctx, struct reply *rp)
{
	int (*call)(void) = *(int (**)(void))ctx;

	if (call() < 0) {
		vfail(rp, "%s call: %m",
		      call == S->null_call ? "null" : "enter");
		return -1;
	}
	return 0;
}

/*
 * IPC_INFO, the cheapest call of the side (getppid, VERSION ioctl), and
 * the bare entry into it (getppid, an ioctl refused at once).
 */
static void op_floor(const struct request *rq, struct reply *rp)
{
	int (*null_call)(void) = S->null_call;
	int (*enter_call)(void) = S->enter_call;
	struct rate r, n, e;

	if (timed_run(floor_one, NULL, rq->dur / 3, rp, &r) ||
	    timed_run(null_one, &null_call, rq->dur / 3, rp, &n) ||
	    timed_run(null_one, &enter_call, rq->dur / 3, rp, &e))
		return;
	reply_rate(rp, &r);
	rp->v[3] = n.rate;
	rp->v[4] = e.rate;
	rp->nv = 5;
}

/* ---- w6: two processes on two CPUs attaching one segment --------------- */

struct contend_result {
	double rate, mean_rate;
	char msg[160];
};

static void contend_child(int cpu, int id, double dur, int ready, int go,
			  int res)
{
	struct contend_result r = { 0 };
	struct reply tmp = { 0 };
	struct rate rt = { 0 };
	cpu_set_t set;
	char c;

	alarm(120);
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set))
		snprintf(r.msg, sizeof(r.msg), "sched_setaffinity: %m");
	if (write(ready, "r", 1) != 1 || read(go, &c, 1) != 1)
		_exit(1);
	if (!r.msg[0]) {
		if (timed_run(attach_detach, &id, dur, &tmp, &rt))
			memcpy(r.msg, tmp.msg, sizeof(r.msg));
		r.rate = rt.rate;
		r.mean_rate = rt.mean_rate;
	}
	if (write(res, &r, sizeof(r)) != sizeof(r))
		_exit(1);
	_exit(0);
}

static void op_contend(const struct request *rq, struct reply *rp)
{
	int ready[2], go[2], res[2], id, i, started = 0;
	struct contend_result r;
	pid_t pid[2];
	char c;

	if (sysconf(_SC_NPROCESSORS_ONLN) < 2) {
		vfail(rp, "needs 2 CPUs");
		return;
	}
	id = S->shmget(IPC_PRIVATE, ATTACH_SIZE, SEG_FLAGS);
	if (id < 0) {
		vfail(rp, "shmget: %m");
		return;
	}
	if (pipe(ready) || pipe(go) || pipe(res)) {
		vfail(rp, "pipe: %m");
		return;
	}
	for (i = 0; i < 2; i++) {
		pid[i] = fork();
		if (pid[i] < 0) {
			vfail(rp, "fork: %m");
			break;
		}
		if (!pid[i])
			contend_child(i, id, rq->dur, ready[1], go[0], res[1]);
		started++;
	}
	for (i = 0; i < started; i++)
		if (read(ready[0], &c, 1) != 1)
			vfail(rp, "contention child died");
	if (write(go[1], "gg", started) != started)
		vfail(rp, "pipe: %m");
	for (i = 0; i < started; i++) {
		if (read(res[0], &r, sizeof(r)) != sizeof(r)) {
			vfail(rp, "contention child died");
			continue;
		}
		if (r.msg[0])
			vfail(rp, "%s", r.msg);
		rp->v[0] += r.rate;
		rp->v[1] += r.mean_rate;
		rp->v[2 + i] = r.rate;
	}
	for (i = 0; i < started; i++)
		waitpid(pid[i], NULL, 0);
	close(ready[0]); close(ready[1]);
	close(go[0]); close(go[1]);
	close(res[0]); close(res[1]);
	S->shmctl(id, IPC_RMID, NULL);
	rp->nv = 4;
}

/* ---- w7: message ping-pong, uncontended semop -------------------------- */

struct bench_msg {
	long mtype;
	char mtext[64];
};

struct pingpong {
	int q;
	struct bench_msg m;
};

static int pingpong_one(void *ctx, struct reply *rp)
{
	struct pingpong *pp = ctx;

	pp->m.mtype = 1;
	pp->m.mtext[0] = 'p';
	if (S->msgsnd(pp->q, &pp->m, sizeof(pp->m.mtext), 0)) {
		vfail(rp, "msgsnd: %m");
		return -1;
	}
	if (S->msgrcv(pp->q, &pp->m, sizeof(pp->m.mtext), 2, 0) < 0) {
		vfail(rp, "msgrcv: %m");
		return -1;
	}
	return 0;
}

static void op_msg_pingpong(const struct request *rq, struct reply *rp)
{
	struct pingpong pp = { 0 };
	struct rusage ru0, ru1, ruc;
	struct rate r;
	pid_t pid;
	int st;

	pp.q = S->msgget(IPC_PRIVATE, SEG_FLAGS);
	if (pp.q < 0) {
		vfail(rp, "msgget: %m");
		return;
	}
	pid = fork();
	if (pid < 0) {
		vfail(rp, "fork: %m");
		goto out;
	}
	if (!pid) {	/* echo type 1 as type 2 until 'q' */
		struct bench_msg m;

		alarm(120);
		for (;;) {
			if (S->msgrcv(pp.q, &m, sizeof(m.mtext), 1, 0) < 0)
				_exit(2);
			if (m.mtext[0] == 'q')
				_exit(0);
			m.mtype = 2;
			if (S->msgsnd(pp.q, &m, sizeof(m.mtext), 0))
				_exit(3);
		}
	}
	getrusage(RUSAGE_SELF, &ru0);
	if (!timed_run(pingpong_one, &pp, rq->dur, rp, &r)) {
		getrusage(RUSAGE_SELF, &ru1);
		pp.m.mtype = 1;
		pp.m.mtext[0] = 'q';
		S->msgsnd(pp.q, &pp.m, sizeof(pp.m.mtext), 0);
		reply_rate(rp, &r);
	} else {
		kill(pid, SIGKILL);
	}
	if (wait4(pid, &st, 0, &ruc) == pid && !rp->msg[0] && r.ops) {
		/* context switches per round trip, both processes */
		rp->v[3] = (double)(ru1.ru_nvcsw - ru0.ru_nvcsw +
				    ru1.ru_nivcsw - ru0.ru_nivcsw +
				    ruc.ru_nvcsw + ruc.ru_nivcsw) / r.ops;
		rp->nv = 4;
	}
out:
	S->msgctl(pp.q, IPC_RMID, NULL);
}

static int semop_pair(void *ctx, struct reply *rp)
{
	struct sembuf up = { 0, 1, 0 }, down = { 0, -1, 0 };
	int id = *(int *)ctx;

	if (S->semop(id, &up, 1) || S->semop(id, &down, 1)) {
		vfail(rp, "semop: %m");
		return -1;
	}
	return 0;
}

static void op_semop(const struct request *rq, struct reply *rp)
{
	struct rate r;
	int id;

	id = S->semget(IPC_PRIVATE, 1, SEG_FLAGS);
	if (id < 0) {
		vfail(rp, "semget: %m");
		return;
	}
	if (!timed_run(semop_pair, &id, rq->dur, rp, &r)) {
		r.rate *= 2;		/* two semop calls per pair */
		r.mean_rate *= 2;
		reply_rate(rp, &r);
	}
	S->semrmid(id);
}

/* ---- w8 and w9: processes contending, spread over every CPU ---------- */

/* Undo pin_to_last_cpu() for a child of the worker. */
static void unpin(void)
{
	long i, n = sysconf(_SC_NPROCESSORS_ONLN);
	cpu_set_t set;

	CPU_ZERO(&set);
	for (i = 0; i < n && i < CPU_SETSIZE; i++)
		CPU_SET(i, &set);
	sched_setaffinity(0, sizeof(set), &set);
}

/* stress-ng's names of the stressors, in the order of the reply values */
static const char *const stress_names[] = {
	"sem-sysv", "msg", "mq", "shm-sysv",
};

/* Each stressor's bogo ops/s (real time) from stress-ng's --yaml file. */
static int stress_parse(const char *path, struct reply *rp)
{
	char line[256], *v;
	int cur = -1, got = 0;
	size_t i;
	FILE *f = fopen(path, "r");

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f)) {
		v = strstr(line, "- stressor: ");
		if (v) {
			v += strlen("- stressor: ");
			v[strcspn(v, "\n")] = '\0';
			cur = -1;
			for (i = 0; i < sizeof(stress_names) / sizeof(stress_names[0]); i++)
				if (!strcmp(v, stress_names[i]))
					cur = i;
			continue;
		}
		v = strstr(line, "bogo-ops-per-second-real-time: ");
		if (v && cur >= 0) {
			rp->v[cur] = atof(v + strlen("bogo-ops-per-second-real-time: "));
			got++;
		}
	}
	fclose(f);
	return got;
}

static void op_stress(const struct request *rq, struct reply *rp)
{
	int kind = rq->arg / 100, procs = rq->arg % 100, argc = 0, st, fd;
	char yaml[64], secs[16], n[16];
	const char *argv[40];
	const char *const *pre;
	pid_t pid;

	snprintf(yaml, sizeof(yaml), "/tmp/shadowipc-bench-%d.yaml", getpid());
	/* under TCG, stress-ng takes about a second to get going */
	snprintf(secs, sizeof(secs), "%.0f", rq->dur < 2 ? 2 : rq->dur);
	snprintf(n, sizeof(n), "%d", procs);
	for (pre = S->run_prefix; *pre; pre++)
		argv[argc++] = *pre;
	argv[argc++] = "stress-ng";
	switch (kind) {
	case STRESS_SEM:
		argv[argc++] = "--sem-sysv";
		argv[argc++] = "1";
		argv[argc++] = "--sem-sysv-procs";
		argv[argc++] = n;
		break;
	case STRESS_MIX:
		argv[argc++] = "--shm-sysv";
		argv[argc++] = "2";
		argv[argc++] = "--msg";
		argv[argc++] = "2";
		argv[argc++] = "--sem-sysv";
		argv[argc++] = "2";
		argv[argc++] = "--mq";
		argv[argc++] = "2";
		break;
	default:
		argv[argc++] = kind == STRESS_MSG ? "--msg" :
			       kind == STRESS_MQ ? "--mq" : "--shm-sysv";
		argv[argc++] = n;
		break;
	}
	argv[argc++] = "-t";
	argv[argc++] = secs;
	argv[argc++] = "--yaml";
	argv[argc++] = yaml;
	argv[argc++] = "--metrics-brief";
	argv[argc] = NULL;

	unlink(yaml);
	pid = fork();
	if (pid < 0) {
		vfail(rp, "fork: %m");
		return;
	}
	if (!pid) {
		unpin();
		fd = open("/dev/null", O_WRONLY);
		if (fd >= 0) {
			dup2(fd, STDOUT_FILENO);
			dup2(fd, STDERR_FILENO);
		}
		execvp(argv[0], (char *const *)argv);
		_exit(127);
	}
	if (waitpid(pid, &st, 0) != pid || !WIFEXITED(st) || WEXITSTATUS(st)) {
		vfail(rp, WIFEXITED(st) && WEXITSTATUS(st) == 127 ?
		      "%s not installed" : "%s failed", argv[0]);
	} else if (!stress_parse(yaml, rp)) {
		vfail(rp, "no bogo ops/s in stress-ng's report");
	} else if (kind != STRESS_MIX) {
		/* the one stressor's figure first */
		rp->v[0] = rp->v[kind];
	}
	unlink(yaml);
	rp->nv = 4;
}

#define CONTEND_MSG_TEXT	64
#define CONTEND_MQ_MSGS		10	/* Linux's default queue length */

struct contend_child_result {
	long ops;
	char msg[160];
};

/*
 * One child of workload 9 for @dur seconds: a sender (@role 0) or a
 * receiver (@role 1) of queue @id, or a process doing semop -1/+1 on
 * semaphore @semnum of set @id. Receivers drain until a 'q' message and
 * count only what arrived in time.
 */
static long contend9_loop(int kind, int id, int role, int semnum, double dur,
			  struct reply *rp)
{
	struct sembuf down = { semnum, -1, 0 }, up = { semnum, 1, 0 };
	struct bench_msg m = { .mtype = 1 };
	double end = now() + dur;
	int timed = 1;
	long ops = 0;

	for (;;) {
		if (timed && now() >= end) {
			if (kind <= CONTEND_SEMMANY || role == 0)
				return ops;
			timed = 0;
		}
		if (kind <= CONTEND_SEMMANY) {
			if (S->semop(id, &down, 1) || S->semop(id, &up, 1)) {
				vfail(rp, "semop: %m");
				return -1;
			}
			ops += 2;
			continue;
		}
		if (role == 0) {
			m.mtext[0] = 'm';
			if (kind == CONTEND_MSG ?
			    S->msgsnd(id, &m, sizeof(m.mtext), 0) :
			    S->mq_send(id, m.mtext, sizeof(m.mtext))) {
				vfail(rp, "send: %m");
				return -1;
			}
			ops++;
			continue;
		}
		if ((kind == CONTEND_MSG ?
		     S->msgrcv(id, &m, sizeof(m.mtext), 0, 0) :
		     S->mq_receive(id, m.mtext, sizeof(m.mtext))) < 0) {
			vfail(rp, "receive: %m");
			return -1;
		}
		if (m.mtext[0] == 'q')
			return ops;
		ops += timed;
	}
}

static void op_ipc_contend(const struct request *rq, struct reply *rp)
{
	int kind = rq->arg / 100, procs = rq->arg % 100, queue = kind >= CONTEND_MSG;
	int nchild = queue ? 2 * procs : procs, ready[2], go[2], res[2];
	struct sembuf up = { 0, 1, 0 };
	struct contend_child_result r;
	struct bench_msg quit = { .mtype = 1, .mtext = "q" };
	int id, i, j, started = 0, done = 0;
	pid_t pid[2 * 99];
	char c;

	if (kind == CONTEND_MQ)
		id = S->mq_new(CONTEND_MQ_MSGS, CONTEND_MSG_TEXT);
	else if (kind == CONTEND_MSG)
		id = S->msgget(IPC_PRIVATE, SEG_FLAGS);
	else
		id = S->semget(IPC_PRIVATE, kind == CONTEND_SEM ? 1 : procs,
			       SEG_FLAGS);
	if (id < 0) {
		vfail(rp, "creating the object: %m");
		return;
	}
	for (i = 0; kind <= CONTEND_SEMMANY && i < (kind == CONTEND_SEM ? 1 : procs); i++) {
		up.sem_num = i;
		if (S->semop(id, &up, 1))
			vfail(rp, "semop: %m");
	}
	if (pipe(ready) || pipe(go) || pipe(res)) {
		vfail(rp, "pipe: %m");
		goto out;
	}
	for (i = 0; i < nchild && !rp->msg[0]; i++) {
		pid[i] = fork();
		if (pid[i] < 0) {
			vfail(rp, "fork: %m");
			break;
		}
		if (!pid[i]) {
			struct reply tmp = { 0 };

			alarm(120);
			unpin();
			memset(&r, 0, sizeof(r));
			if (write(ready[1], "r", 1) != 1 || read(go[0], &c, 1) != 1)
				_exit(1);
			r.ops = contend9_loop(kind, id, queue ? i % 2 : 0,
					      kind == CONTEND_SEMMANY ? i : 0,
					      rq->dur, &tmp);
			memcpy(r.msg, tmp.msg, sizeof(r.msg));
			if (write(res[1], &r, sizeof(r)) != sizeof(r))
				_exit(1);
			_exit(0);
		}
		started++;
	}
	for (i = 0; i < started; i++)
		if (read(ready[0], &c, 1) != 1)
			vfail(rp, "contention child died");
	for (i = 0; i < started; i++)
		if (write(go[1], "g", 1) != 1)
			vfail(rp, "pipe: %m");
	for (i = 0; i < started; i++) {
		if (read(res[0], &r, sizeof(r)) != sizeof(r)) {
			vfail(rp, "contention child died");
			break;
		}
		if (r.msg[0])
			vfail(rp, "%s", r.msg);
		rp->v[0] += r.ops;
		/* the senders are done: stop the receivers */
		if (queue && ++done == procs)
			for (j = 0; j < procs; j++)
				if (kind == CONTEND_MSG ?
				    S->msgsnd(id, &quit, sizeof(quit.mtext), 0) :
				    S->mq_send(id, quit.mtext, sizeof(quit.mtext)))
					vfail(rp, "send: %m");
	}
	rp->v[0] /= rq->dur;
	rp->nv = 1;
	for (i = 0; i < started; i++) {
		if (rp->msg[0])
			kill(pid[i], SIGKILL);
		waitpid(pid[i], NULL, 0);
	}
	close(ready[0]); close(ready[1]);
	close(go[0]); close(go[1]);
	close(res[0]); close(res[1]);
out:
	if (kind == CONTEND_MQ)
		close(id);
	else if (kind == CONTEND_MSG)
		S->msgctl(id, IPC_RMID, NULL);
	else
		S->semrmid(id);
}

/* ---- the request loop ------------------------------------------------- */

static void dispatch(const struct request *rq, struct reply *rp)
{
	if (init_err[0] && rq->op != OP_QUIT) {
		vfail(rp, "%s", init_err);
		return;
	}
	switch (rq->op) {
	case OP_QUIT:
		break;
	case OP_SHMGET_RMID:
		op_shmget_rmid(rq, rp);
		break;
	case OP_LOOKUP_GROW:
		op_lookup_grow(rq, rp);
		break;
	case OP_LOOKUP:
		op_lookup(rq, rp);
		break;
	case OP_LOOKUP_CLEAR:
		op_lookup_clear(rp);
		break;
	case OP_ATTACH:
		op_attach(rq, rp);
		break;
	case OP_TOUCH:
		op_touch(rq, rp);
		break;
	case OP_CHURN:
		op_churn(rq, rp);
		break;
	case OP_CHURN_CPU:
		op_churn_cpu(rq, rp);
		break;
	case OP_IDLE_MEM:
		op_idle_mem(rq, rp);
		break;
	case OP_CONTEND:
		op_contend(rq, rp);
		break;
	case OP_MSG_PINGPONG:
		op_msg_pingpong(rq, rp);
		break;
	case OP_SEMOP:
		op_semop(rq, rp);
		break;
	case OP_FLOOR:
		op_floor(rq, rp);
		break;
	case OP_STRESS:
		op_stress(rq, rp);
		break;
	case OP_IPC_CONTEND:
		op_ipc_contend(rq, rp);
		break;
	default:
		vfail(rp, "unknown request %d", rq->op);
	}
}

/*
 * Both workers, and the children they fork, run on one CPU (workload 6
 * moves its children to a CPU each, workloads 8 and 9 spread theirs over
 * every CPU, as contending programs are): the guest's vCPUs are host threads
 * on a shared host, and a wakeup that has to cross to another vCPU waits
 * until the host runs that thread, which would measure the host's load.
 */
static void pin_to_last_cpu(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(n > 1 ? n - 1 : 0, &set);
	sched_setaffinity(0, sizeof(set), &set);
}

void worker_main(const struct side *s, int sock)
{
	struct request rq;
	struct reply rp;

	S = s;
	page_size = sysconf(_SC_PAGESIZE);
	pin_to_last_cpu();
	if (s->enter_ns())
		snprintf(init_err, sizeof(init_err),
			 "cannot enter a new %s namespace: %m", s->name);
	for (;;) {
		if (read(sock, &rq, sizeof(rq)) != sizeof(rq))
			_exit(0);
		memset(&rp, 0, sizeof(rp));
		rp.ok = 1;
		alarm(900);	/* a hung workload must not hang the run */
		dispatch(&rq, &rp);
		alarm(0);
		if (rp.msg[0])
			rp.ok = 0;
		if (write(sock, &rp, sizeof(rp)) != sizeof(rp))
			_exit(1);
		if (rq.op == OP_QUIT)
			_exit(0);
	}
}
