// SPDX-License-Identifier: GPL-2.0
/*
 * System V semaphores through shadowipc, between processes: isolation
 * between namespaces, sets destroyed with their namespace, mutual
 * exclusion under contention, sleepers completed first come first served,
 * semtimedop() timing, and removal under many sleepers. Every test runs
 * in a shadow namespace of its own.
 */
#include <sched.h>
#include <sys/mman.h>
#include <time.h>

#include "kselftest_harness.h"
#include "sipc_test.h"

FIXTURE(sem) {
	struct shadowipc_status before;
};

FIXTURE_SETUP(sem)
{
	if (!sipc_dev_present())
		SKIP(return, "%s: %s (module not loaded)", SHADOWIPC_DEVICE,
		     strerror(errno));
	self->before = sipc_status();
	ASSERT_EQ(0, shadowipc_unshare(NULL));
}

FIXTURE_TEARDOWN(sem)
{
}

static int op(int s, unsigned short num, short delta, short flg)
{
	struct sembuf sb = { num, delta, flg };

	return shadowipc_semop(s, &sb, 1);
}

static int ncnt(int s, int num)
{
	return shadowipc_semctl(s, num, GETNCNT);
}

/* Wait until @n tasks wait to decrement semaphore @num. */
static bool wait_ncnt(int s, int num, int n)
{
	int i;

	for (i = 0; i < 5000; i++) {
		if (ncnt(s, num) == n)
			return true;
		usleep(1000);
	}
	return false;
}

TEST_F(sem, same_key_in_two_namespaces)
{
	struct shadowipc_ns_info info;
	int s = shadowipc_semget(0x4321, 3, IPC_CREAT | 0600);
	pid_t pid;

	ASSERT_LE(0, s);
	ASSERT_EQ(0, op(s, 2, 5, 0));
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		if (shadowipc_unshare(NULL))
			_exit(1);
		if (shadowipc_semget(0x4321, 3, 0) != -1 || errno != ENOENT)
			_exit(2);
		s = shadowipc_semget(0x4321, 1, IPC_CREAT | 0600);
		if (s < 0 || shadowipc_semctl(s, 0, GETVAL) != 0 ||
		    shadowipc_semctl(s, 2, GETVAL) != -1)
			_exit(3);
		_exit(0);
	}
	EXPECT_EQ(0, sipc_wait(pid));
	EXPECT_EQ(5, shadowipc_semctl(s, 2, GETVAL));
	ASSERT_EQ(0, shadowipc_ns_info(-1, &info));
	EXPECT_EQ(1, info.objects[SHADOWIPC_KIND_SEM]);
	/* the child's namespace went with its set */
	EXPECT_EQ(self->before.namespaces + 1, sipc_status().namespaces);
}

TEST_F(sem, info_counts_this_namespace_only)
{
	struct seminfo si;
	int s = shadowipc_semget(IPC_PRIVATE, 7, 0600);
	pid_t pid;

	ASSERT_LE(0, s);
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		if (shadowipc_unshare(NULL) ||
		    shadowipc_semget(IPC_PRIVATE, 100, 0600) < 0 ||
		    shadowipc_semctl(0, 0, SEM_INFO, &si) != 0)
			_exit(1);
		_exit(si.semusz == 1 && si.semaem == 100 ? 0 : 2);
	}
	EXPECT_EQ(0, sipc_wait(pid));
	EXPECT_EQ(0, shadowipc_semctl(0, 0, SEM_INFO, &si));
	EXPECT_EQ(1, si.semusz);
	EXPECT_EQ(7, si.semaem);
}

/* A semaphore as a mutex around a counter in shared memory. */
TEST_F_TIMEOUT(sem, mutual_exclusion, 120)
{
	volatile long *counter = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
				      MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	int s = shadowipc_semget(IPC_PRIVATE, 1, 0600);
	pid_t pids[6];
	int i;

	ASSERT_NE(MAP_FAILED, counter);
	ASSERT_LE(0, s);
	ASSERT_EQ(0, op(s, 0, 1, 0));
	for (i = 0; i < 6; i++) {
		pids[i] = fork();
		ASSERT_LE(0, pids[i]);
		if (!pids[i]) {
			int k;

			for (k = 0; k < 2000; k++) {
				long v;

				if (op(s, 0, -1, SEM_UNDO))
					_exit(1);
				v = *counter;
				if (k % 7 == 0)
					sched_yield();
				*counter = v + 1;
				if (op(s, 0, 1, SEM_UNDO))
					_exit(2);
			}
			_exit(0);
		}
	}
	for (i = 0; i < 6; i++)
		EXPECT_EQ(0, sipc_wait(pids[i]));
	EXPECT_EQ(6 * 2000, *counter);
	EXPECT_EQ(1, shadowipc_semctl(s, 0, GETVAL));
}

/*
 * Sleepers that each need one unit are served in the order they came,
 * one per increment.
 */
TEST_F(sem, sleepers_served_in_arrival_order)
{
	volatile int *order = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
				   MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	int s = shadowipc_semget(IPC_PRIVATE, 1, 0600);
	pid_t pids[8];
	int i;

	ASSERT_NE(MAP_FAILED, order);
	ASSERT_LE(0, s);
	for (i = 0; i < 8; i++) {
		pids[i] = fork();
		ASSERT_LE(0, pids[i]);
		if (!pids[i]) {
			if (op(s, 0, -1, 0))
				_exit(1);
			order[__atomic_fetch_add(&order[100], 1,
						 __ATOMIC_SEQ_CST)] = i;
			_exit(0);
		}
		ASSERT_TRUE(wait_ncnt(s, 0, i + 1));
	}
	for (i = 0; i < 8; i++) {
		ASSERT_EQ(0, op(s, 0, 1, 0));
		EXPECT_EQ(0, sipc_wait(pids[i]));
		EXPECT_EQ(i, order[i]);
	}
}

TEST_F(sem, timeout_is_honoured)
{
	int s = shadowipc_semget(IPC_PRIVATE, 1, 0600);
	struct timespec to = { 0, 200 * 1000 * 1000 }, t0, t1;
	struct sembuf sb = { 0, -1, 0 };
	long ms;

	ASSERT_LE(0, s);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	EXPECT_EQ(-1, shadowipc_semtimedop(s, &sb, 1, &to));
	EXPECT_EQ(EAGAIN, errno);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	ms = (t1.tv_sec - t0.tv_sec) * 1000 +
	     (t1.tv_nsec - t0.tv_nsec) / 1000000;
	EXPECT_LE(200, ms);
	EXPECT_GT(5000, ms);
	EXPECT_EQ(0, ncnt(s, 0));
}

TEST_F(sem, rmid_wakes_many_sleepers)
{
	int s = shadowipc_semget(IPC_PRIVATE, 3, 0600);
	pid_t pids[12];
	int i;

	ASSERT_LE(0, s);
	ASSERT_EQ(0, op(s, 2, 1, 0));
	for (i = 0; i < 12; i++) {
		pids[i] = fork();
		ASSERT_LE(0, pids[i]);
		if (!pids[i]) {
			struct sembuf sb[2] = {
				{ i % 3, (short)(i % 3 == 2 ? 0 : -1), 0 },
				{ (i + 1) % 3, 1, SEM_UNDO },
			};

			_exit(shadowipc_semop(s, sb, 1 + i % 2) == -1 &&
			      errno == EIDRM ? 0 : 1);
		}
	}
	usleep(300000);
	ASSERT_EQ(0, shadowipc_semctl(s, 0, IPC_RMID));
	for (i = 0; i < 12; i++)
		EXPECT_EQ(0, sipc_wait(pids[i]));
}

TEST_F(sem, stress_rmid_against_operations)
{
	pid_t pids[4];
	int i, round;

	for (round = 0; round < 30; round++) {
		int s = shadowipc_semget(IPC_PRIVATE, 2, 0600);

		ASSERT_LE(0, s);
		for (i = 0; i < 4; i++) {
			pids[i] = fork();
			ASSERT_LE(0, pids[i]);
			if (!pids[i]) {
				struct sembuf sb[2] = {
					{ i % 2, 1, SEM_UNDO },
					{ 1 - i % 2, -1, SEM_UNDO },
				};

				for (;;) {
					if (shadowipc_semop(s, sb, 1 + i / 2) &&
					    errno != EAGAIN && errno != ERANGE)
						_exit(errno == EIDRM ||
						      errno == EINVAL ? 0 : 1);
				}
			}
		}
		usleep(2000);
		ASSERT_EQ(0, shadowipc_semctl(s, 0, IPC_RMID));
		for (i = 0; i < 4; i++)
			EXPECT_EQ(0, sipc_wait(pids[i]));
	}
}

TEST_HARNESS_MAIN
