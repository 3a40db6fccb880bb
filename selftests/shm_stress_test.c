// SPDX-License-Identifier: GPL-2.0
/*
 * Stress: processes and threads getting, attaching, writing, detaching
 * and removing segments on a small key space at once, with forks, split
 * mappings, second attaches, SHM_LOCK and stat calls mixed in; then
 * namespaces created and dropped with segments in them. Every writer
 * checks its own data, and every run must end with no segment left.
 *
 * SHM_STRESS_SECONDS sets the length of the main run (default 20, at
 * most 120); the namespace run takes a quarter of it.
 */
#include <pthread.h>
#include <sys/mman.h>
#include <time.h>

#include "kselftest_harness.h"
#include "sipc_test.h"

#define PAGE		4096UL
#define NKEYS		8
#define KEY_BASE	0x5eed3000
#define NPROCS		4
#define NTHREADS	3
#define NWORKERS	(NPROCS * NTHREADS)
#define SLOT		64	/* bytes of a segment each worker owns */
#define SLOT_WORDS	(SLOT / sizeof(uint64_t))
#define MAX_SECONDS	120

/* Counters one worker keeps; failures are reasons, not counts. */
struct worker {
	int index;
	unsigned int seed;
	time_t deadline;
	unsigned long rounds;
	unsigned long races;	/* the segment went between get and attach */
	char failure[128];
};

static int stress_seconds(void)
{
	const char *s = getenv("SHM_STRESS_SECONDS");
	int n = s ? atoi(s) : 20;

	return n < 1 ? 1 : n > MAX_SECONDS ? MAX_SECONDS : n;
}

/* Segment sizes differ per key, and always hold every worker's slot. */
static size_t key_size(int k)
{
	return (k % 3 + 1) * PAGE;
}

/* Record the first failure; returns false for the caller to return. */
static bool fail(struct worker *w, const char *what, int err)
{
	if (!w->failure[0])
		snprintf(w->failure, sizeof(w->failure), "worker %d: %s: %s",
			 w->index, what, strerror(err));
	return false;
}

static void fill(uint64_t *slot, uint64_t v)
{
	size_t i;

	for (i = 0; i < SLOT_WORDS; i++)
		slot[i] = v + i;
}

static bool holds(const uint64_t *slot, uint64_t v)
{
	size_t i;

	for (i = 0; i < SLOT_WORDS; i++)
		if (slot[i] != v + i)
			return false;
	return true;
}

/* Every slot is untouched (zero) or carries its own worker's tag. */
static bool slots_sane(const char *p)
{
	int i;

	for (i = 0; i < NWORKERS; i++) {
		uint64_t first = *(const uint64_t *)(p + i * SLOT);

		if (first && (int)(first >> 48) != i)
			return false;
	}
	return true;
}

/* One of the extra things done while attached; false on failure. */
static bool mix(struct worker *w, int id, char *p, size_t size, uint64_t v)
{
	struct shmid_ds ds;
	struct shm_info info;
	pid_t pid;
	char *q;

	switch (rand_r(&w->seed) % 12) {
	case 0:
		/* attached: removal only marks it */
		if (shadowipc_shmctl(id, IPC_RMID, NULL))
			return fail(w, "IPC_RMID", errno);
		break;
	case 1:
		if (shadowipc_shmctl(id, IPC_STAT, &ds))
			return fail(w, "IPC_STAT", errno);
		if (!ds.shm_nattch || ds.shm_segsz != size)
			return fail(w, "IPC_STAT contents", EPROTO);
		break;
	case 2:
		if (shadowipc_shmctl(0, SHM_INFO, (struct shmid_ds *)&info) < 0)
			return fail(w, "SHM_INFO", errno);
		break;
	case 3:
		pid = fork();
		if (pid < 0)
			return fail(w, "fork", errno);
		if (!pid)
			_exit(holds((uint64_t *)(p + w->index * SLOT), v) ? 0 : 1);
		if (sipc_wait(pid))
			return fail(w, "child saw other data", EPROTO);
		break;
	case 4:
		/* leave two pieces for shmdt() to find */
		if (size > PAGE && munmap(p + PAGE, PAGE))
			return fail(w, "munmap", errno);
		break;
	case 5:
		q = shadowipc_shmat(id, NULL, SHM_RDONLY);
		if (q == (void *)-1)
			return fail(w, "second shmat", errno);
		if (!holds((uint64_t *)(q + w->index * SLOT), v))
			return fail(w, "second attach differs", EPROTO);
		if (shadowipc_shmdt(q))
			return fail(w, "second shmdt", errno);
		break;
	case 6:
		if (shadowipc_shmctl(id, SHM_LOCK, NULL) ||
		    shadowipc_shmctl(id, SHM_UNLOCK, NULL))
			return fail(w, "SHM_LOCK/UNLOCK", errno);
		break;
	}
	return true;
}

static void *worker_loop(void *arg)
{
	struct worker *w = arg;

	while (time(NULL) < w->deadline && !w->failure[0]) {
		int k = rand_r(&w->seed) % NKEYS;
		size_t size = key_size(k);
		uint64_t v = ((uint64_t)w->index << 48) | (w->rounds << 8);
		uint64_t *slot;
		int id;
		char *p;

		id = shadowipc_shmget(KEY_BASE + k, size, IPC_CREAT | 0600);
		if (id < 0) {
			fail(w, "shmget", errno);
			break;
		}
		p = shadowipc_shmat(id, NULL, 0);
		if (p == (void *)-1) {
			/* removed and destroyed since the shmget */
			if (errno == EINVAL || errno == EIDRM) {
				w->races++;
				continue;
			}
			fail(w, "shmat", errno);
			break;
		}
		slot = (uint64_t *)(p + w->index * SLOT);
		fill(slot, v);
		if (!slots_sane(p))
			fail(w, "another worker's slot is corrupt", EPROTO);
		else if (mix(w, id, p, size, v) && !holds(slot, v))
			fail(w, "own slot changed", EPROTO);
		if (shadowipc_shmdt(p))
			fail(w, "shmdt", errno);
		w->rounds++;
	}
	return NULL;
}

/* A process of NTHREADS workers; exits 0, or 1 after printing failures. */
static int run_process(int proc, time_t deadline)
{
	struct worker w[NTHREADS];
	pthread_t th[NTHREADS];
	int i, ret = 0;

	for (i = 0; i < NTHREADS; i++) {
		memset(&w[i], 0, sizeof(w[i]));
		w[i].index = proc * NTHREADS + i;
		w[i].seed = 0x9e3779b9u * (w[i].index + 1) ^ getpid();
		w[i].deadline = deadline;
		if (pthread_create(&th[i], NULL, worker_loop, &w[i]))
			return 1;
	}
	for (i = 0; i < NTHREADS; i++) {
		pthread_join(th[i], NULL);
		if (w[i].failure[0]) {
			fprintf(stderr, "# %s\n", w[i].failure);
			ret = 1;
		}
		if (!w[i].rounds)
			ret = 1;
		fprintf(stderr, "# worker %d: %lu rounds, %lu races\n",
			w[i].index, w[i].rounds, w[i].races);
	}
	return ret;
}

FIXTURE(stress) {
	struct shadowipc_status before;
	int seconds;
};

FIXTURE_SETUP(stress)
{
	if (!sipc_dev_present())
		SKIP(return, "%s: %s (module not loaded)", SHADOWIPC_DEVICE,
		     strerror(errno));
	self->before = sipc_status();
	self->seconds = stress_seconds();
	ASSERT_EQ(0, shadowipc_unshare(NULL));
}

FIXTURE_TEARDOWN(stress)
{
}

TEST_F_TIMEOUT(stress, shared_keys_get_attach_write_detach_rmid,
	       MAX_SECONDS + 60)
{
	time_t deadline = time(NULL) + self->seconds;
	struct shm_info info;
	pid_t pid[NPROCS];
	int i, id;

	for (i = 0; i < NPROCS; i++) {
		pid[i] = fork();
		ASSERT_GE(pid[i], 0);
		if (!pid[i])
			_exit(run_process(i, deadline));
	}
	for (i = 0; i < NPROCS; i++)
		EXPECT_EQ(0, sipc_wait(pid[i]));

	/* no attach is left: removing what is in the table empties it */
	for (i = 0; i < NKEYS; i++) {
		id = shadowipc_shmget(KEY_BASE + i, 0, 0);
		if (id >= 0)
			EXPECT_EQ(0, shadowipc_shmctl(id, IPC_RMID, NULL));
	}
	ASSERT_LE(0, shadowipc_shmctl(0, SHM_INFO, (struct shmid_ds *)&info));
	EXPECT_EQ(0, info.used_ids);
	EXPECT_EQ(0, info.shm_tot);
	EXPECT_EQ(self->before.segments, sipc_status().segments);
}

/*
 * Short-lived namespaces: each child makes one, fills it with segments,
 * some attached, some removed, some attached after a further unshare,
 * and exits without cleaning up. The teardowns must free everything.
 */
static int namespace_child(unsigned int seed)
{
	int i, n = rand_r(&seed) % 4 + 1, last = -1;
	char *p = NULL;

	if (shadowipc_unshare(NULL))
		return 1;
	for (i = 0; i < n; i++) {
		int id = shadowipc_shmget(rand_r(&seed) % 2 ? IPC_PRIVATE :
					  KEY_BASE + i, PAGE, IPC_CREAT | 0600);

		if (id < 0)
			return 2;
		if (rand_r(&seed) % 2) {
			p = shadowipc_shmat(id, NULL, 0);
			if (p == (void *)-1)
				return 3;
			p[i] = (char)(i + 1);
			last = i;
		}
		if (rand_r(&seed) % 3 == 0 &&
		    shadowipc_shmctl(id, IPC_RMID, NULL))
			return 4;
	}
	/* the attaches keep the first namespace past this */
	if (rand_r(&seed) % 2 && shadowipc_unshare(NULL))
		return 5;
	if (p && p[last] != (char)(last + 1))
		return 6;
	return 0;
}

TEST_F_TIMEOUT(stress, namespaces_die_with_segments_inside, MAX_SECONDS + 60)
{
	time_t deadline = time(NULL) + (self->seconds + 3) / 4;
	struct shadowipc_status st;
	unsigned int seed = getpid();
	unsigned long children = 0;

	while (time(NULL) < deadline) {
		pid_t pid[NPROCS];
		int i;

		for (i = 0; i < NPROCS; i++) {
			unsigned int s = rand_r(&seed);

			pid[i] = fork();
			ASSERT_GE(pid[i], 0);
			if (!pid[i])
				_exit(namespace_child(s));
		}
		for (i = 0; i < NPROCS; i++)
			ASSERT_EQ(0, sipc_wait(pid[i]));
		children += NPROCS;
	}
	TH_LOG("%lu namespaces", children);
	st = sipc_status();
	EXPECT_EQ(self->before.segments, st.segments);
	/* ours is left */
	EXPECT_EQ(self->before.namespaces + 1, st.namespaces);
}

TEST_HARNESS_MAIN
