// SPDX-License-Identifier: GPL-2.0
/*
 * A seeded ioctl fuzzer: random command numbers inside and outside the
 * module's range, random sizes and directions, bad pointers (NULL,
 * unmapped, kernel, unaligned, crossing into an unmapped page), random
 * flags, pads, ids, keys and commands, interleaved with valid calls. The
 * kernel must not splat (the runner checks its log) and everything the
 * fuzzer created must be gone once its processes are.
 *
 * SHADOWIPC_FUZZ_SEED replays a run; SHADOWIPC_FUZZ_ITERS sets its length.
 */
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>

#include "kselftest_harness.h"
#include "sipc_test.h"

static const unsigned long known_cmds[] = {
	SHADOWIPC_IOC_VERSION, SHADOWIPC_IOC_STATUS, SHADOWIPC_IOC_UNSHARE,
	SHADOWIPC_IOC_NS_FD, SHADOWIPC_IOC_SETNS, SHADOWIPC_IOC_NS_INFO,
	SHADOWIPC_IOC_SHMGET, SHADOWIPC_IOC_SHMAT, SHADOWIPC_IOC_SHMDT,
	SHADOWIPC_IOC_SHMCTL,
};
#define NR_KNOWN (sizeof(known_cmds) / sizeof(known_cmds[0]))

static uint64_t rng;

static uint64_t rnd(void)
{
	/* xorshift64* */
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return rng * 2685821657736338717ULL;
}

static unsigned int below(unsigned int n)
{
	return rnd() % n;
}

struct arena {
	unsigned char *page;	/* a writable page followed by a hole */
	unsigned char *hole;
};

static unsigned long pick_cmd(void)
{
	unsigned long cmd = known_cmds[below(NR_KNOWN)];

	switch (below(8)) {
	case 0:		/* any number, any size, in our magic */
		return _IOC(below(4), SHADOWIPC_IOC_MAGIC, below(256), below(256));
	case 1:		/* a known number with another size */
		return _IOC(_IOC_DIR(cmd), _IOC_TYPE(cmd), _IOC_NR(cmd), below(512));
	case 2:		/* another magic */
		return _IOC(_IOC_DIR(cmd), below(256), _IOC_NR(cmd), _IOC_SIZE(cmd));
	default:
		return cmd;
	}
}

/* Fill a plausible argument: mostly valid-looking, sometimes garbage. */
static void fill_arg(unsigned char *buf, size_t len)
{
	static const int keys[] = { 0, 1, 2, 0x1234, -1 };
	static const int ctl_cmds[] = { 0, 1, 2, 3, 11, 12, 13, 14, 15, -1, 0x102 };
	size_t i;

	for (i = 0; i < len; i++)
		buf[i] = rnd();
	if (!below(4))
		return;	/* garbage one time in four */
	/* shaped: small sizes, known keys/cmds, zero flags and pads */
	if (len >= 24) {
		uint64_t size = below(3) ? below(1 << 20) + 1 : rnd();

		memcpy(buf, &size, 8);
		((int *)buf)[2] = keys[below(5)];
		((int *)buf)[3] = below(2) ? 01000 | 0600 | (below(2) ? 010000 : 0) :
					     ctl_cmds[below(11)];
		((uint32_t *)buf)[4] = 0;
		((uint32_t *)buf)[5] = 0;
	}
}

static void *pick_ptr(struct arena *a, size_t len)
{
	switch (below(10)) {
	case 0:
		return NULL;
	case 1:
		return a->hole;
	case 2:
		return (void *)0xffffffff81000000UL;
	case 3:
		return a->page + 1 + below(7);		/* unaligned */
	case 4:
		return a->hole - 1 - below(len ? len : 1);	/* crossing */
	default:
		fill_arg(a->page, 512);
		return a->page;
	}
}

static void valid_calls(void)
{
	int id = shadowipc_shmget(IPC_PRIVATE, 4096, 0600);
	void *p;

	if (id < 0)
		return;
	p = shadowipc_shmat(id, NULL, 0);
	if (p != (void *)-1) {
		memset(p, 0x5a, 64);
		shadowipc_shmdt(p);
	}
	shadowipc_shmctl(id, IPC_RMID, NULL);
}

/* One worker: its own namespace, @iters calls. Exits 0 unless setup fails. */
static int worker(uint64_t seed, unsigned long iters)
{
	struct arena a;
	unsigned char *m;
	unsigned long i;
	int dev;

	rng = seed ?: 1;
	m = mmap(NULL, 8192, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (m == MAP_FAILED || munmap(m + 4096, 4096))
		return 1;
	a.page = m;
	a.hole = m + 4096;
	if (shadowipc_unshare(NULL))
		return 2;
	dev = shadowipc_fd();
	for (i = 0; i < iters; i++) {
		unsigned long cmd = pick_cmd();

		ioctl(dev, cmd, pick_ptr(&a, _IOC_SIZE(cmd)));
		if (!below(16))
			valid_calls();
		if (!below(64)) {	/* keep the fd table small */
			int fd;

			for (fd = dev + 1; fd < 1024; fd++)
				close(fd);
		}
	}
	return 0;
}

FIXTURE(fuzz) {
};

FIXTURE_SETUP(fuzz)
{
}

FIXTURE_TEARDOWN(fuzz)
{
}

TEST_F_TIMEOUT(fuzz, random_ioctls_leave_no_trace, 600)
{
	const char *s = getenv("SHADOWIPC_FUZZ_SEED");
	const char *it = getenv("SHADOWIPC_FUZZ_ITERS");
	unsigned long iters = it ? strtoul(it, NULL, 0) : 20000;
	uint64_t seed = s ? strtoull(s, NULL, 0) : (uint64_t)time(NULL);
	struct shadowipc_status before, after;
	unsigned long done = 0, chunk = 2000, crashes = 0;
	int round = 0;

	if (!sipc_dev_present())
		SKIP(return, "module not loaded");
	ksft_print_msg("fuzz seed %llu (replay: SHADOWIPC_FUZZ_SEED=%llu), %lu calls\n",
		       (unsigned long long)seed, (unsigned long long)seed, iters);
	fflush(stdout);
	before = sipc_status();
	while (done < iters) {
		pid_t pid = fork();
		int st;

		ASSERT_GE(pid, 0);
		if (!pid)
			_exit(worker(seed + round, chunk));
		st = sipc_wait(pid);
		/* a call may unmap the worker's own memory: not a bug */
		if (st >= 128)
			crashes++;
		else
			ASSERT_EQ(0, st);
		done += chunk;
		round++;
		ksft_print_msg("fuzz: %lu/%lu calls, %lu workers died of their own calls\n",
			       done, iters, crashes);
	fflush(stdout);
	}
	after = sipc_status();
	EXPECT_EQ(before.namespaces, after.namespaces);
	EXPECT_EQ(before.bindings, after.bindings);
	EXPECT_EQ(before.handles, after.handles);
	EXPECT_EQ(before.segments, after.segments);
}

TEST_HARNESS_MAIN
