// SPDX-License-Identifier: GPL-2.0
/*
 * Memory pressure, in a guest with little RAM (make check boots one with
 * 256 MiB for this program): a segment larger than memory is refused
 * with the errno Linux gives, and touching a segment that cannot fit
 * ends the toucher as Linux ends it; afterwards the segment goes away
 * and its memory comes back. Each case runs natively and in a shadow
 * namespace and the outcomes are compared.
 */
#include <sched.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/shm.h>

#include "kselftest_harness.h"
#include "sipc_test.h"

#define SMALL_GUEST_KB	(600UL * 1024)

static unsigned long meminfo_kb(const char *field)
{
	char line[128];
	unsigned long v = 0;
	FILE *f = fopen("/proc/meminfo", "r");

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, field, strlen(field)) &&
		    sscanf(line + strlen(field), ": %lu", &v) == 1)
			break;
	fclose(f);
	return v;
}

static void set_oom_score_adj(const char *v)
{
	int fd = open("/proc/self/oom_score_adj", O_WRONLY);

	if (fd >= 0) {
		if (write(fd, v, strlen(v)) < 0)
			perror("oom_score_adj");
		close(fd);
	}
}

struct side {
	int (*get)(key_t key, size_t size, int flg);
	void *(*at)(int id, const void *addr, int flg);
	int (*ctl)(int id, int cmd, struct shmid_ds *buf);
};

static const struct side native = { shmget, shmat, shmctl };
static const struct side shadow = {
	shadowipc_shmget, shadowipc_shmat, shadowipc_shmctl,
};

FIXTURE(lowmem) {
	unsigned long total_kb;
};

FIXTURE_SETUP(lowmem)
{
	self->total_kb = meminfo_kb("MemTotal");
	if (!sipc_dev_present())
		SKIP(return, "module not loaded");
	if (self->total_kb > SMALL_GUEST_KB)
		SKIP(return, "needs a guest with little RAM (%lu kB here; make check boots one with 256 MiB)",
		     self->total_kb);
	/* the runner must outlive the tests' victims */
	set_oom_score_adj("-1000");
}

FIXTURE_TEARDOWN(lowmem)
{
}

/* shmget() of twice the RAM, accounted: the errno, or 0 on success. */
static int oversized_get(const struct side *s, unsigned long total_kb)
{
	int id;

	errno = 0;
	id = s->get(IPC_PRIVATE, total_kb * 2048, IPC_CREAT | 0600);
	if (id >= 0) {
		s->ctl(id, IPC_RMID, NULL);
		return 0;
	}
	return errno;
}

TEST_F(lowmem, segment_larger_than_memory_is_refused_as_linux)
{
	pid_t pid;

	if (self->total_kb > SMALL_GUEST_KB)
		return;
	pid = fork();
	ASSERT_GE(pid, 0);
	if (!pid) {
		int n, s;

		if (unshare(CLONE_NEWIPC) || shadowipc_unshare(NULL))
			_exit(100);
		n = oversized_get(&native, self->total_kb);
		s = oversized_get(&shadow, self->total_kb);
		if (n != s)
			fprintf(stderr, "native errno %d, shadow errno %d\n", n, s);
		_exit(n == ENOMEM && s == ENOMEM ? 0 : 1);
	}
	EXPECT_EQ(0, sipc_wait(pid));
}

/*
 * A SHM_NORESERVE segment of 1.5 times the RAM, touched page by page by a
 * child that is the OOM killer's first choice: how does the child end?
 */
static int touch_until_the_end(const struct side *s, unsigned long total_kb,
			       unsigned long *avail_after_kb)
{
	size_t size = total_kb * 1536;
	unsigned long before = meminfo_kb("MemAvailable");
	int id, status;
	pid_t kid;

	id = s->get(IPC_PRIVATE, size, IPC_CREAT | SHM_NORESERVE | 0600);
	if (id < 0)
		return -1;
	kid = fork();
	if (!kid) {
		char *p = s->at(id, NULL, 0);
		size_t off;

		set_oom_score_adj("1000");
		if (p == (void *)-1)
			_exit(1);
		for (off = 0; off < size; off += 4096)
			p[off] = 1;
		_exit(0);	/* not expected: it all fitted */
	}
	status = sipc_wait(kid);
	if (s->ctl(id, IPC_RMID, NULL))
		return -2;
	*avail_after_kb = meminfo_kb("MemAvailable");
	/* the pages were given back: within 16 MiB of before */
	if (*avail_after_kb + 16 * 1024 < before)
		return -3;
	return status;
}

TEST_F_TIMEOUT(lowmem, touching_past_memory_ends_the_toucher_as_linux, 300)
{
	struct shadowipc_status before, after;
	unsigned long avail;
	int n, s;

	if (self->total_kb > SMALL_GUEST_KB)
		return;
	before = sipc_status();
	pid_t pid = fork();

	ASSERT_GE(pid, 0);
	if (!pid) {
		if (unshare(CLONE_NEWIPC))
			_exit(100);
		_exit(touch_until_the_end(&native, self->total_kb, &avail));
	}
	n = sipc_wait(pid);
	pid = fork();
	ASSERT_GE(pid, 0);
	if (!pid) {
		if (shadowipc_unshare(NULL))
			_exit(100);
		_exit(touch_until_the_end(&shadow, self->total_kb, &avail));
	}
	s = sipc_wait(pid);
	/* the OOM killer's SIGKILL on both sides */
	EXPECT_EQ(128 + SIGKILL, n);
	EXPECT_EQ(n, s);
	after = sipc_status();
	EXPECT_EQ(before.segments, after.segments);
	EXPECT_EQ(before.namespaces, after.namespaces);
}

TEST_HARNESS_MAIN
