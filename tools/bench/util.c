// SPDX-License-Identifier: GPL-2.0
/*
 * shadowipc-bench: clocks, small file helpers and kernel memory samples.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "bench.h"

double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec * 1e-9;
}

int write_file(const char *path, const char *text)
{
	size_t len = strlen(text);
	int fd = open(path, O_WRONLY | O_CLOEXEC);
	ssize_t n;
	int err;

	if (fd < 0)
		return -1;
	n = write(fd, text, len);
	err = errno;
	close(fd);
	if (n != (ssize_t)len) {
		errno = n < 0 ? err : EIO;
		return -1;
	}
	return 0;
}

/* Whole file into @buf, NUL-terminated; the length, or -1. */
int read_file(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	size_t len = 0;
	ssize_t n;

	if (fd < 0)
		return -1;
	while (len + 1 < size && (n = read(fd, buf + len, size - 1 - len)) > 0)
		len += n;
	close(fd);
	buf[len] = 0;
	return (int)len;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

/* Median of @v[0..n-1]; sorts @v. */
double median_sort(double *v, int n)
{
	if (n <= 0)
		return 0;
	qsort(v, n, sizeof(*v), cmp_double);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

int samples_add(struct samples *s, double x)
{
	if (s->n == s->cap) {
		int cap = s->cap ? 2 * s->cap : 1024;
		double *v = realloc(s->v, cap * sizeof(*v));

		if (!v)
			return -1;
		s->v = v;
		s->cap = cap;
	}
	s->v[s->n++] = x;
	return 0;
}

void samples_free(struct samples *s)
{
	free(s->v);
	memset(s, 0, sizeof(*s));
}

/*
 * Run @fn (one operation) for @dur seconds, in batches of about
 * BATCH_TARGET seconds (sized after a warm-up), and time every batch. The host running the guest
 * is shared, and a vCPU the host deschedules stretches whatever batch is
 * running then; the median batch time is not moved by that, the mean is.
 * Returns 0 with @out->rate = batch size / median batch time and
 * @out->mean_rate = operations / elapsed time, or -1 (@rp says why).
 */
#define BATCH_TARGET 100e-6
#define BATCH_MAX 65536

int timed_run(int (*fn)(void *ctx, struct reply *rp), void *ctx, double dur,
	      struct reply *rp, struct rate *out)
{
	struct samples d = { 0 };
	double t0, ta, tb, est;
	long ops = 0;
	int batch, k;

	/* Warm up: first calls may map, fault in or allocate. */
	for (k = 0; k < 8; k++)
		if (fn(ctx, rp))
			return -1;
	/* Size the batches from runs of 1, 2, 4... warm operations. */
	for (batch = 1; batch < BATCH_MAX; batch *= 2) {
		ta = now();
		for (k = 0; k < batch; k++)
			if (fn(ctx, rp))
				return -1;
		est = (now() - ta) / batch;
		if (est * batch >= BATCH_TARGET / 4)
			break;
	}
	batch = est > 0 ? (int)(BATCH_TARGET / est) : 1;
	batch = batch < 1 ? 1 : batch > BATCH_MAX ? BATCH_MAX : batch;
	t0 = ta = now();
	do {
		for (k = 0; k < batch; k++)
			if (fn(ctx, rp))
				goto fail;
		tb = now();
		if (samples_add(&d, tb - ta)) {
			vfail(rp, "out of memory");
			goto fail;
		}
		ops += batch;
		ta = tb;
	} while (tb - t0 < dur);
	out->mean_rate = ops / (tb - t0);
	out->rate = batch / median_sort(d.v, d.n);
	out->batch = batch;
	out->ops = ops;
	samples_free(&d);
	return 0;
fail:
	samples_free(&d);
	return -1;
}

void vfail(struct reply *rp, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(rp->msg, sizeof(rp->msg), fmt, ap);
	va_end(ap);
	rp->ok = 0;
}

static long meminfo_field(const char *text, const char *name)
{
	const char *p = strstr(text, name);

	return p ? strtol(p + strlen(name), NULL, 10) : 0;
}

void mem_sample(struct memsample *m)
{
	static char buf[1 << 17];
	char *line, *save;

	memset(m, 0, sizeof(*m));
	if (read_file("/proc/meminfo", buf, sizeof(buf)) > 0) {
		m->slab = meminfo_field(buf, "\nSlab:");
		m->kernel_stack = meminfo_field(buf, "\nKernelStack:");
		m->page_tables = meminfo_field(buf, "\nPageTables:");
		m->percpu = meminfo_field(buf, "\nPercpu:");
		m->vmalloc = meminfo_field(buf, "\nVmallocUsed:");
		m->mem_free = meminfo_field(buf, "MemFree:");
	}
	/* /proc/slabinfo: name active_objs num_objs objsize ... */
	if (read_file("/proc/slabinfo", buf, sizeof(buf)) <= 0)
		return;
	for (line = strtok_r(buf, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		char name[40];
		long active, num, size;

		if (line[0] == '#' || !strncmp(line, "slabinfo", 8))
			continue;
		if (sscanf(line, "%39s %ld %ld %ld", name, &active, &num,
			   &size) != 4)
			continue;
		if (m->ncaches == (int)(sizeof(m->cache) / sizeof(m->cache[0])))
			break;
		memcpy(m->cache[m->ncaches].name, name, sizeof(name));
		m->cache[m->ncaches].bytes = active * size;
		m->ncaches++;
	}
}

/*
 * CPU time spent running tasks on every CPU, in ns: the sum of the
 * rq_cpu_time of /proc/schedstat (kworkers and kthreads included, the
 * idle task not), else the non-idle ticks of /proc/stat.
 */
double cpu_busy_ns(void)
{
	static char buf[8192];
	unsigned long long f[9], user, nice, sys, idle, iowait, irq, sirq;
	double sum = 0;
	char *line, *save;
	int found = 0;

	if (read_file("/proc/schedstat", buf, sizeof(buf)) > 0) {
		for (line = strtok_r(buf, "\n", &save); line;
		     line = strtok_r(NULL, "\n", &save)) {
			if (strncmp(line, "cpu", 3) ||
			    sscanf(line, "%*s %llu %llu %llu %llu %llu %llu %llu %llu %llu",
				   &f[0], &f[1], &f[2], &f[3], &f[4], &f[5],
				   &f[6], &f[7], &f[8]) != 9)
				continue;
			sum += f[6];
			found = 1;
		}
		if (found)
			return sum;
	}
	if (read_file("/proc/stat", buf, sizeof(buf)) > 0 &&
	    sscanf(buf, "cpu %llu %llu %llu %llu %llu %llu %llu", &user, &nice,
		   &sys, &idle, &iowait, &irq, &sirq) == 7)
		return (user + nice + sys + irq + sirq) * 1e9 /
		       sysconf(_SC_CLK_TCK);
	return 0;
}

/* The kernel memory the benchmark accounts, in kB. */
long mem_kernel_kb(const struct memsample *m)
{
	return m->slab + m->kernel_stack + m->page_tables + m->percpu +
	       m->vmalloc;
}

/*
 * Wait (at most 10 s) until deferred frees have stopped moving kernel
 * memory: two consecutive 250 ms steps under 128 kB (about ten native
 * namespaces). Returns the change seen in the last step, in kB.
 */
long mem_settle(void)
{
	struct memsample *m = malloc(sizeof(*m));
	long prev = -1, cur, step = 0;
	int stable = 0, i;

	if (!m)
		return 0;
	for (i = 0; i < 40 && stable < 2; i++) {
		usleep(250000);
		mem_sample(m);
		cur = mem_kernel_kb(m);
		step = prev >= 0 ? cur - prev : 0;
		if (prev >= 0 && labs(step) <= 128)
			stable++;
		else
			stable = 0;
		prev = cur;
	}
	free(m);
	return step;
}
