// SPDX-License-Identifier: GPL-2.0
/*
 * Limits reached by many processes at once: with shmmni, shmall or
 * max_namespaces set low, eight processes racing to create give exactly
 * the limit's worth of successes, ENOSPC to everyone else, and nothing
 * left behind afterwards.
 */
#include <sys/mman.h>

#include "kselftest_harness.h"
#include "sipc_test.h"

#define RACERS		8
#define TRIES		10
#define SHADOW_SYS	"/proc/shadowipc/sys/kernel/"
#define MAX_NS_PARAM	"/sys/module/shadowipc/parameters/max_namespaces"

/* Shared tallies of what the racers got. */
struct tally {
	int ok;
	int enospc;
	int other;
};

/*
 * Fork RACERS children that each call @fn TRIES times after a common
 * start, and add up their results in @t.
 */
static int race(struct tally *t, int (*fn)(void))
{
	volatile int *go = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
				MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	pid_t pids[RACERS];
	int i, bad = 0;

	if (go == MAP_FAILED)
		return -1;
	for (i = 0; i < RACERS; i++) {
		pids[i] = fork();
		if (!pids[i]) {
			int n;

			while (!*go)
				;
			for (n = 0; n < TRIES; n++) {
				errno = 0;
				if (fn() >= 0)
					__atomic_add_fetch(&t->ok, 1, __ATOMIC_SEQ_CST);
				else if (errno == ENOSPC)
					__atomic_add_fetch(&t->enospc, 1, __ATOMIC_SEQ_CST);
				else
					__atomic_add_fetch(&t->other, 1, __ATOMIC_SEQ_CST);
			}
			/* hold what was created until everyone is done */
			pause();
			_exit(0);
		}
	}
	*go = 1;
	while (__atomic_load_n(&t->ok, __ATOMIC_SEQ_CST) +
	       __atomic_load_n(&t->enospc, __ATOMIC_SEQ_CST) +
	       __atomic_load_n(&t->other, __ATOMIC_SEQ_CST) < RACERS * TRIES)
		usleep(1000);
	for (i = 0; i < RACERS; i++) {
		kill(pids[i], SIGKILL);
		bad += sipc_wait(pids[i]) != 128 + SIGKILL;
	}
	munmap((void *)go, 4096);
	return bad;
}

static struct tally *new_tally(void)
{
	struct tally *t = mmap(NULL, sizeof(*t), PROT_READ | PROT_WRITE,
			       MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	return t == MAP_FAILED ? NULL : t;
}

static int make_segment(void)
{
	return shadowipc_shmget(IPC_PRIVATE, 4096, 0600);
}

static int make_namespace(void)
{
	/* each kept alive by a handle of this process */
	if (shadowipc_unshare(NULL))
		return -1;
	return shadowipc_ns_fd(0, NULL);
}

FIXTURE(exhaust) {
	struct shadowipc_status before;
	struct tally *t;
};

FIXTURE_SETUP(exhaust)
{
	self->t = NULL;
	if (!sipc_dev_present())
		SKIP(return, "module not loaded");
	self->before = sipc_status();
	self->t = new_tally();
	ASSERT_NE(NULL, self->t);
}

FIXTURE_TEARDOWN(exhaust)
{
}

/* In a namespace of its own: write @limit=@value, race @fn. */
static int race_under_limit(struct tally *t, const char *limit,
			    const char *value, int (*fn)(void))
{
	pid_t pid = fork();

	if (!pid) {
		if (shadowipc_unshare(NULL) || sipc_write_str(limit, value))
			_exit(100);
		_exit(race(t, fn));
	}
	return sipc_wait(pid);
}

TEST_F(exhaust, shmmni_from_many_processes)
{
	if (!self->t)
		return;
	ASSERT_EQ(0, race_under_limit(self->t, SHADOW_SYS "shmmni", "20",
				      make_segment));
	EXPECT_EQ(20, self->t->ok);
	EXPECT_EQ(RACERS * TRIES - 20, self->t->enospc);
	EXPECT_EQ(0, self->t->other);
	sipc_expect_settled(_metadata, &self->before);
}

TEST_F(exhaust, shmall_from_many_processes)
{
	if (!self->t)
		return;
	/* 13 pages: 13 one-page segments */
	ASSERT_EQ(0, race_under_limit(self->t, SHADOW_SYS "shmall", "13",
				      make_segment));
	EXPECT_EQ(13, self->t->ok);
	EXPECT_EQ(RACERS * TRIES - 13, self->t->enospc);
	EXPECT_EQ(0, self->t->other);
	sipc_expect_settled(_metadata, &self->before);
}

TEST_F(exhaust, max_namespaces_from_many_processes)
{
	char old[32] = "";
	int fd, n;

	if (!self->t)
		return;
	fd = open(MAX_NS_PARAM, O_RDONLY);
	ASSERT_GE(fd, 0);
	n = read(fd, old, sizeof(old) - 1);
	close(fd);
	ASSERT_GT(n, 0);
	ASSERT_EQ(0, sipc_write_str(MAX_NS_PARAM, "25"));
	pid_t pid = fork();

	ASSERT_GE(pid, 0);
	if (!pid) {
		/* one user, so that the per-user limit is shared */
		if (sipc_drop_privs(SIPC_TEST_UID2, SIPC_TEST_GID))
			_exit(100);
		_exit(race(self->t, make_namespace));
	}
	EXPECT_EQ(0, sipc_wait(pid));
	ASSERT_EQ(0, sipc_write_str(MAX_NS_PARAM, old));
	EXPECT_EQ(25, self->t->ok);
	EXPECT_EQ(RACERS * TRIES - 25, self->t->enospc);
	EXPECT_EQ(0, self->t->other);
	sipc_expect_settled(_metadata, &self->before);
}

TEST_HARNESS_MAIN
