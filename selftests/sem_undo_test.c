// SPDX-License-Identifier: GPL-2.0
/*
 * SEM_UNDO through shadowipc: adjustments applied when a process exits
 * (normally, by SIGKILL, after exec), before its parent's wait() returns;
 * one list shared by the threads of a process and applied when the last
 * one exits; not inherited by fork; applied when a single-threaded
 * process unshares or joins a namespace; clamped to 0..SEMVMX; and no
 * list left dangling when its namespace dies first. Every test runs in a
 * shadow namespace of its own.
 */
#include <pthread.h>
#include <sys/socket.h>

#include "kselftest_harness.h"
#include "sipc_test.h"

#define SEMVMX	32767

union semun {
	int val;
	struct semid_ds *buf;
	unsigned short *array;
};

FIXTURE(undo) {
	struct shadowipc_status before;
	int s;
};

FIXTURE_SETUP(undo)
{
	if (!sipc_dev_present())
		SKIP(return, "%s: %s (module not loaded)", SHADOWIPC_DEVICE,
		     strerror(errno));
	self->before = sipc_status();
	ASSERT_EQ(0, shadowipc_unshare(NULL));
	self->s = shadowipc_semget(IPC_PRIVATE, 4, 0600);
	ASSERT_LE(0, self->s);
}

FIXTURE_TEARDOWN(undo)
{
}

static int op(int s, unsigned short num, short delta, short flg)
{
	struct sembuf sb = { num, delta, flg };

	return shadowipc_semop(s, &sb, 1);
}

static int val(int s, int num)
{
	return shadowipc_semctl(s, num, GETVAL);
}

static int setval(int s, int num, int v)
{
	union semun arg = { .val = v };

	return shadowipc_semctl(s, num, SETVAL, arg);
}

TEST_F(undo, applied_before_wait_returns)
{
	int i;

	/* Many times: the parent must never see the value unadjusted. */
	for (i = 0; i < 200; i++) {
		pid_t pid = fork();

		ASSERT_LE(0, pid);
		if (!pid)
			_exit(op(self->s, 0, 3, SEM_UNDO) ? 1 : 0);
		ASSERT_EQ(0, sipc_wait(pid));
		ASSERT_EQ(0, val(self->s, 0));
		ASSERT_EQ(pid, shadowipc_semctl(self->s, 0, GETPID));
	}
}

TEST_F(undo, applied_at_sigkill)
{
	pid_t pid = fork();

	ASSERT_LE(0, pid);
	if (!pid) {
		if (op(self->s, 1, 5, SEM_UNDO) || op(self->s, 2, 1, 0))
			_exit(1);
		for (;;)
			pause();
	}
	while (val(self->s, 2) != 1)
		usleep(1000);
	EXPECT_EQ(5, val(self->s, 1));
	kill(pid, SIGKILL);
	EXPECT_EQ(128 + SIGKILL, sipc_wait(pid));
	EXPECT_EQ(0, val(self->s, 1));
	EXPECT_EQ(1, val(self->s, 2));
}

TEST_F(undo, kept_across_exec)
{
	pid_t pid = fork();

	ASSERT_LE(0, pid);
	if (!pid) {
		if (op(self->s, 0, 2, SEM_UNDO))
			_exit(1);
		execl("/bin/true", "true", NULL);
		_exit(2);
	}
	EXPECT_EQ(0, sipc_wait(pid));
	EXPECT_EQ(0, val(self->s, 0));
}

TEST_F(undo, not_inherited_by_fork)
{
	pid_t pid = fork();

	ASSERT_LE(0, pid);
	if (!pid) {
		pid_t child;

		if (op(self->s, 0, 1, SEM_UNDO))
			_exit(1);
		child = fork();
		if (!child)
			_exit(op(self->s, 1, 1, SEM_UNDO) ? 1 : 0);
		if (sipc_wait(child))
			_exit(2);
		/* The grandchild's own list went; ours is still here. */
		_exit(val(self->s, 0) == 1 && val(self->s, 1) == 0 ? 0 : 3);
	}
	EXPECT_EQ(0, sipc_wait(pid));
	EXPECT_EQ(0, val(self->s, 0));
}

static int thread_sem;

static void *undo_in_thread(void *arg)
{
	return (void *)(long)op(thread_sem, (long)arg, 1, SEM_UNDO);
}

/* The threads of a process share one list, applied when the last exits. */
TEST_F(undo, shared_by_threads)
{
	pid_t pid;

	thread_sem = self->s;
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		pthread_t th[3];
		void *ret;
		long i;

		for (i = 0; i < 3; i++)
			if (pthread_create(&th[i], NULL, undo_in_thread,
					   (void *)(i % 2)))
				_exit(1);
		for (i = 0; i < 3; i++) {
			pthread_join(th[i], &ret);
			if (ret)
				_exit(2);
		}
		/* The threads are gone, their adjustments are not. */
		if (val(self->s, 0) != 2 || val(self->s, 1) != 1)
			_exit(3);
		/* One list: its adjustment for semaphore 0 is -2. */
		if (op(self->s, 0, -2, SEM_UNDO | IPC_NOWAIT))
			_exit(4);
		_exit(0);
	}
	EXPECT_EQ(0, sipc_wait(pid));
	EXPECT_EQ(0, val(self->s, 0));
	EXPECT_EQ(0, val(self->s, 1));
}

static void *exit_whole_process(void *arg)
{
	usleep(10000);
	exit(0);
}

/* A thread that exits the process while others run: all is applied once. */
TEST_F(undo, applied_once_when_threads_exit_together)
{
	pid_t pid;

	thread_sem = self->s;
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		pthread_t th;
		int i;

		for (i = 0; i < 8; i++)
			if (pthread_create(&th, NULL, undo_in_thread,
					   (void *)2L))
				_exit(1);
		usleep(50000);
		pthread_create(&th, NULL, exit_whole_process, NULL);
		for (;;)
			op(self->s, 3, 1, SEM_UNDO);
	}
	EXPECT_EQ(0, sipc_wait(pid));
	EXPECT_EQ(0, val(self->s, 2));
	EXPECT_EQ(0, val(self->s, 3));
}

/* SETVAL clears an adjustment; exit clamps the rest to 0..SEMVMX. */
TEST_F(undo, cleared_by_setval_and_clamped_to_range)
{
	pid_t pid;

	ASSERT_EQ(0, setval(self->s, 2, 10));
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		if (op(self->s, 0, 5, SEM_UNDO) || op(self->s, 1, 5, SEM_UNDO) ||
		    op(self->s, 2, -10, SEM_UNDO))
			_exit(1);
		raise(SIGSTOP);
		_exit(0);
	}
	ASSERT_EQ(pid, waitpid(pid, NULL, WUNTRACED));
	ASSERT_EQ(0, setval(self->s, 0, 2));
	ASSERT_EQ(0, op(self->s, 1, -4, 0));
	ASSERT_EQ(0, op(self->s, 2, SEMVMX, 0));
	kill(pid, SIGCONT);
	EXPECT_EQ(0, sipc_wait(pid));
	EXPECT_EQ(2, val(self->s, 0));
	EXPECT_EQ(0, val(self->s, 1));
	EXPECT_EQ(SEMVMX, val(self->s, 2));
}

TEST_F(undo, many_sets_in_one_list)
{
	int sets[40], i;
	pid_t pid;

	for (i = 0; i < 40; i++) {
		sets[i] = shadowipc_semget(IPC_PRIVATE, 1 + i, 0600);
		ASSERT_LE(0, sets[i]);
	}
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		for (i = 0; i < 40; i++)
			if (op(sets[i], i, 1 + i, SEM_UNDO))
				_exit(1);
		/* Remove some while the list holds them. */
		for (i = 0; i < 40; i += 3)
			shadowipc_semctl(sets[i], 0, IPC_RMID);
		_exit(0);
	}
	EXPECT_EQ(0, sipc_wait(pid));
	for (i = 0; i < 40; i++)
		EXPECT_EQ(i % 3 ? 0 : -1, val(sets[i], i));
}

TEST_F(undo, applied_at_unshare_and_setns)
{
	pid_t pid = fork();

	ASSERT_LE(0, pid);
	if (!pid) {
		int fd = shadowipc_ns_fd(0, NULL);

		if (fd < 0 || op(self->s, 0, 4, SEM_UNDO))
			_exit(1);
		if (shadowipc_unshare(NULL))
			_exit(2);
		/* Applied in the namespace left: go back and look. */
		if (shadowipc_setns(fd) || val(self->s, 0) != 0)
			_exit(3);
		if (op(self->s, 1, 6, SEM_UNDO))
			_exit(4);
		/* setns, even to the same namespace, applies it too. */
		if (shadowipc_setns(fd) || val(self->s, 1) != 0)
			_exit(5);
		if (op(self->s, 2, 1, SEM_UNDO))
			_exit(6);
		_exit(0);
	}
	EXPECT_EQ(0, sipc_wait(pid));
	EXPECT_EQ(0, val(self->s, 0));
	EXPECT_EQ(0, val(self->s, 1));
	EXPECT_EQ(0, val(self->s, 2));
}

static void *unshare_in_thread(void *arg)
{
	return (void *)(long)shadowipc_unshare(NULL);
}

/*
 * A thread of a multi-threaded process that unshares leaves the list to
 * the others: nothing is applied until the process exits.
 */
TEST_F(undo, kept_when_one_thread_of_several_unshares)
{
	pid_t pid = fork();

	ASSERT_LE(0, pid);
	if (!pid) {
		pthread_t th;
		void *ret;

		if (op(self->s, 0, 3, SEM_UNDO))
			_exit(1);
		if (pthread_create(&th, NULL, unshare_in_thread, NULL))
			_exit(2);
		pthread_join(th, &ret);
		if (ret || val(self->s, 0) != 3)
			_exit(3);
		_exit(0);
	}
	EXPECT_EQ(0, sipc_wait(pid));
	EXPECT_EQ(0, val(self->s, 0));
}

static volatile int unshared;

static void *unshare_and_stay(void *arg)
{
	unshared = shadowipc_unshare(NULL) ? -1 : 1;
	for (;;)
		pause();
	return NULL;
}

/*
 * The namespace dies while a process still holds adjustments for its
 * sets: the sets go, the list forgets them, nothing dangles.
 */
TEST_F(undo, namespace_dies_before_the_list)
{
	int sv[2];
	pid_t pid;
	char c;

	ASSERT_EQ(0, socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		pthread_t th;
		int s;

		if (shadowipc_unshare(NULL))
			_exit(1);
		s = shadowipc_semget(IPC_PRIVATE, 2, 0600);
		if (s < 0 || op(s, 0, 1, SEM_UNDO) || op(s, 1, 2, SEM_UNDO))
			_exit(2);
		/* With another thread alive, leaving keeps the list. */
		if (pthread_create(&th, NULL, unshare_and_stay, NULL))
			_exit(3);
		while (!unshared)
			usleep(1000);
		if (unshared < 0 || shadowipc_unshare(NULL))
			_exit(4);
		/* The first namespace has no member left: it dies now. */
		if (write(sv[1], "x", 1) != 1 || read(sv[1], &c, 1) != 1)
			_exit(5);
		s = shadowipc_semget(IPC_PRIVATE, 2, 0600);
		if (s < 0 || op(s, 1, 1, SEM_UNDO))
			_exit(6);
		exit(0);
	}
	ASSERT_EQ(1, read(sv[0], &c, 1));
	/* Settles the teardown of the namespace the child left. */
	sipc_status();
	ASSERT_EQ(1, write(sv[0], "x", 1));
	EXPECT_EQ(0, sipc_wait(pid));
	EXPECT_EQ(self->before.namespaces + 1, sipc_status().namespaces);
	close(sv[0]);
	close(sv[1]);
}

TEST_HARNESS_MAIN
