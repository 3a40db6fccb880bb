// SPDX-License-Identifier: GPL-2.0
/*
 * System V message queues through shadowipc, between processes and
 * threads: isolation between namespaces, queues destroyed with their
 * namespace, many senders and receivers at once (every message delivered
 * once, intact, to a receiver that asked for its type), messages that
 * span several pages, removal under many sleepers, and the thread Linux
 * records as the last receiver of a message handed over directly. Every
 * test runs in a shadow namespace of its own.
 */
#include <dirent.h>
#include <pthread.h>
#include <sys/syscall.h>

#include "kselftest_harness.h"
#include "sipc_test.h"

#define MSGMAX	8192

struct msg {
	long mtype;
	char mtext[MSGMAX];
};

FIXTURE(msg) {
	struct shadowipc_status before;
};

FIXTURE_SETUP(msg)
{
	if (!sipc_dev_present())
		SKIP(return, "%s: %s (module not loaded)", SHADOWIPC_DEVICE,
		     strerror(errno));
	self->before = sipc_status();
	ASSERT_EQ(0, shadowipc_unshare(NULL));
}

FIXTURE_TEARDOWN(msg)
{
}

/* Fill @text with @len bytes derived from @seed. */
static void fill(char *text, unsigned int seed, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		text[i] = (char)(seed * 131 + i * 7);
}

static bool intact(const char *text, unsigned int seed, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++)
		if (text[i] != (char)(seed * 131 + i * 7))
			return false;
	return true;
}

static long qnum(int q)
{
	struct msqid_ds ds;

	return shadowipc_msgctl(q, IPC_STAT, &ds) ? -1 : (long)ds.msg_qnum;
}

/* Is thread @tid of @pid asleep (state S)? */
static bool task_asleep(pid_t pid, pid_t tid)
{
	char path[96], buf[512], *p;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/task/%d/stat", pid, tid);
	f = fopen(path, "r");
	if (!f)
		return false;
	if (!fgets(buf, sizeof(buf), f))
		buf[0] = 0;
	fclose(f);
	p = strrchr(buf, ')');
	return p && p[1] == ' ' && p[2] == 'S';
}

/* Wait until every thread of @pid sleeps for a while (in a call). */
static void wait_asleep(pid_t pid)
{
	char path[64];
	int i, n = 0;

	snprintf(path, sizeof(path), "/proc/%d/task", pid);
	for (i = 0; i < 2000 && n < 5; i++) {
		DIR *d = opendir(path);
		struct dirent *e;
		bool all = d != NULL;

		while (d && (e = readdir(d)))
			if (e->d_name[0] != '.' &&
			    !task_asleep(pid, atoi(e->d_name)))
				all = false;
		if (d)
			closedir(d);
		n = all ? n + 1 : 0;
		usleep(2000);
	}
}

TEST_F(msg, same_key_in_two_namespaces)
{
	struct shadowipc_ns_info info;
	struct msg m;
	int q, fd;
	pid_t pid;

	q = shadowipc_msgget(0x1234, IPC_CREAT | 0600);
	ASSERT_LE(0, q);
	m.mtype = 1;
	fill(m.mtext, 1, 10);
	ASSERT_EQ(0, shadowipc_msgsnd(q, &m, 10, 0));
	fd = shadowipc_ns_fd(0, NULL);
	ASSERT_LE(0, fd);

	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		if (shadowipc_unshare(NULL))
			_exit(1);
		/* Not there, and the new one is another queue. */
		if (shadowipc_msgget(0x1234, 0) != -1 || errno != ENOENT)
			_exit(2);
		q = shadowipc_msgget(0x1234, IPC_CREAT | 0600);
		if (q < 0 || qnum(q) != 0)
			_exit(3);
		if (shadowipc_msgrcv(q, &m, MSGMAX, 0, IPC_NOWAIT) != -1 ||
		    errno != ENOMSG)
			_exit(4);
		/* Back in the first: the message is there. */
		if (shadowipc_setns(fd))
			_exit(5);
		q = shadowipc_msgget(0x1234, 0);
		if (shadowipc_msgrcv(q, &m, MSGMAX, 0, IPC_NOWAIT) != 10)
			_exit(6);
		_exit(0);
	}
	EXPECT_EQ(0, sipc_wait(pid));
	EXPECT_EQ(0, qnum(q));
	ASSERT_EQ(0, shadowipc_ns_info(-1, &info));
	EXPECT_EQ(1, info.objects[SHADOWIPC_KIND_MSG]);
	close(fd);
}

TEST_F(msg, queues_die_with_their_namespace)
{
	struct shadowipc_ns_info info;
	struct msg m;
	pid_t pid;
	int i;

	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		if (shadowipc_unshare(NULL))
			_exit(1);
		for (i = 0; i < 20; i++) {
			int q = shadowipc_msgget(IPC_PRIVATE, 0600);

			m.mtype = 1 + i;
			fill(m.mtext, i, MSGMAX);
			if (q < 0 || shadowipc_msgsnd(q, &m, MSGMAX, 0) ||
			    shadowipc_msgsnd(q, &m, 100, 0))
				_exit(2);
		}
		_exit(0);
	}
	ASSERT_EQ(0, sipc_wait(pid));
	/* Ours is left; the child's went with its 20 queues. */
	EXPECT_EQ(self->before.namespaces + 1, sipc_status().namespaces);
	ASSERT_EQ(0, shadowipc_ns_info(-1, &info));
	EXPECT_EQ(0, info.objects[SHADOWIPC_KIND_MSG]);
}

TEST_F(msg, info_counts_this_namespace_only)
{
	struct msginfo mi;
	struct msg m;
	int q = shadowipc_msgget(IPC_PRIVATE, 0600);
	pid_t pid;

	ASSERT_LE(0, q);
	m.mtype = 1;
	fill(m.mtext, 0, 300);
	ASSERT_EQ(0, shadowipc_msgsnd(q, &m, 300, 0));
	ASSERT_EQ(0, shadowipc_msgsnd(q, &m, 20, 0));
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		if (shadowipc_unshare(NULL))
			_exit(1);
		if (shadowipc_msgctl(0, MSG_INFO, (void *)&mi) != 0)
			_exit(2);
		_exit(mi.msgpool || mi.msgmap || mi.msgtql ? 3 : 0);
	}
	EXPECT_EQ(0, sipc_wait(pid));
	EXPECT_EQ(q & 0x7fff, shadowipc_msgctl(0, MSG_INFO, (void *)&mi));
	EXPECT_EQ(1, mi.msgpool);
	EXPECT_EQ(2, mi.msgmap);
	EXPECT_EQ(320, mi.msgtql);
}

TEST_F(msg, multi_page_messages_intact)
{
	static struct msg m;
	size_t sizes[] = { 0, 1, 4000, 4040, 4096, 4097, 8191, MSGMAX };
	int q = shadowipc_msgget(IPC_PRIVATE, 0600);
	unsigned int i;

	ASSERT_LE(0, q);
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		m.mtype = 1 + i;
		fill(m.mtext, i, sizes[i]);
		ASSERT_EQ(0, shadowipc_msgsnd(q, &m, sizes[i], 0));
		memset(&m, 0, sizeof(m));
		/* MSG_COPY first: the copy keeps the queue as it is. */
		ASSERT_EQ((ssize_t)sizes[i],
			  shadowipc_msgrcv(q, &m, MSGMAX, 0,
					   MSG_COPY | IPC_NOWAIT));
		EXPECT_TRUE(intact(m.mtext, i, sizes[i]));
		memset(&m, 0, sizeof(m));
		ASSERT_EQ((ssize_t)sizes[i],
			  shadowipc_msgrcv(q, &m, MSGMAX, 0, 0));
		EXPECT_EQ(1 + i, m.mtype);
		EXPECT_TRUE(intact(m.mtext, i, sizes[i]));
	}
	/* Truncated in the second page. */
	m.mtype = 9;
	fill(m.mtext, 9, MSGMAX);
	ASSERT_EQ(0, shadowipc_msgsnd(q, &m, MSGMAX, 0));
	memset(&m, 0, sizeof(m));
	ASSERT_EQ(5000, shadowipc_msgrcv(q, &m, 5000, 0, MSG_NOERROR));
	EXPECT_TRUE(intact(m.mtext, 9, 5000));
	EXPECT_EQ(0, m.mtext[5000]);
}

#define SENDERS		4
#define RECEIVERS	4
#define PER_SENDER	300

/*
 * Senders send PER_SENDER messages each, of type 1 + (i % RECEIVERS),
 * sizes varying up to a page and a half, into a queue small enough to
 * fill; receiver r takes type 1 + r only. Each receiver checks every
 * message it gets and counts them.
 */
TEST_F_TIMEOUT(msg, many_senders_and_receivers_by_type, 120)
{
	int q = shadowipc_msgget(IPC_PRIVATE, 0600);
	struct msqid_ds ds;
	pid_t pids[SENDERS + RECEIVERS];
	int i, n = 0;

	ASSERT_LE(0, q);
	memset(&ds, 0, sizeof(ds));
	ds.msg_perm.mode = 0600;
	ds.msg_qbytes = 3 * MSGMAX;
	ASSERT_EQ(0, shadowipc_msgctl(q, IPC_SET, &ds));

	for (i = 0; i < RECEIVERS; i++) {
		pids[n] = fork();
		ASSERT_LE(0, pids[n]);
		if (!pids[n]) {
			static struct msg m;
			int got = 0, want = SENDERS * PER_SENDER / RECEIVERS;

			while (got < want) {
				ssize_t r = shadowipc_msgrcv(q, &m, MSGMAX,
							     1 + i, 0);
				unsigned int seed;

				if (r < (ssize_t)sizeof(seed) ||
				    m.mtype != 1 + i)
					_exit(1);
				memcpy(&seed, m.mtext, sizeof(seed));
				if (r != (ssize_t)(seed % 6000 + 4) ||
				    !intact(m.mtext + 4, seed, r - 4))
					_exit(2);
				got++;
			}
			_exit(0);
		}
		n++;
	}
	for (i = 0; i < SENDERS; i++) {
		pids[n] = fork();
		ASSERT_LE(0, pids[n]);
		if (!pids[n]) {
			static struct msg m;
			int k;

			for (k = 0; k < PER_SENDER; k++) {
				unsigned int seed = i * PER_SENDER + k;
				size_t len = seed % 6000 + 4;

				fill(m.mtext + 4, seed, len - 4);
				m.mtype = 1 + (seed % RECEIVERS);
				memcpy(m.mtext, &seed, sizeof(seed));
				if (shadowipc_msgsnd(q, &m, len, 0))
					_exit(1);
			}
			_exit(0);
		}
		n++;
	}
	for (i = 0; i < n; i++)
		EXPECT_EQ(0, sipc_wait(pids[i]));
	EXPECT_EQ(0, qnum(q));
	EXPECT_EQ(0, shadowipc_msgctl(q, IPC_STAT, &ds));
	EXPECT_EQ(0, ds.__msg_cbytes);
}

TEST_F(msg, rmid_wakes_many_sleepers)
{
	int q = shadowipc_msgget(IPC_PRIVATE, 0600);
	struct msqid_ds ds;
	pid_t pids[16];
	int i;

	ASSERT_LE(0, q);
	memset(&ds, 0, sizeof(ds));
	ds.msg_perm.mode = 0600;
	ds.msg_qbytes = 0;
	ASSERT_EQ(0, shadowipc_msgctl(q, IPC_SET, &ds));
	for (i = 0; i < 16; i++) {
		pids[i] = fork();
		ASSERT_LE(0, pids[i]);
		if (!pids[i]) {
			struct msg m = { .mtype = 1 };
			int r = i % 2 ? shadowipc_msgsnd(q, &m, 1, 0) :
				shadowipc_msgrcv(q, &m, 10, i, 0);

			_exit(r == -1 && errno == EIDRM ? 0 : 1);
		}
	}
	for (i = 0; i < 16; i++)
		wait_asleep(pids[i]);
	ASSERT_EQ(0, shadowipc_msgctl(q, IPC_RMID, NULL));
	for (i = 0; i < 16; i++)
		EXPECT_EQ(0, sipc_wait(pids[i]));
}

static int thread_q;
static pid_t thread_tid;

static void *receive_in_thread(void *arg)
{
	struct msg m;

	thread_tid = syscall(SYS_gettid);
	return (void *)shadowipc_msgrcv(thread_q, &m, MSGMAX, 0, 0);
}

/*
 * A message handed to a sleeping receiver records the receiving thread
 * in msg_lrpid (Linux's task_pid()); one taken from the queue records
 * the thread group.
 */
TEST_F(msg, handed_over_message_records_receiving_thread)
{
	struct msqid_ds ds;
	struct msg m = { .mtype = 1 };
	pthread_t th;
	pid_t pid;
	void *ret;

	thread_q = shadowipc_msgget(IPC_PRIVATE, 0600);
	ASSERT_LE(0, thread_q);
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		if (pthread_create(&th, NULL, receive_in_thread, NULL))
			_exit(1);
		pthread_join(th, &ret);
		if ((long)ret != 3)
			_exit(2);
		if (shadowipc_msgctl(thread_q, IPC_STAT, &ds) ||
		    ds.msg_lrpid != thread_tid || thread_tid == getpid())
			_exit(3);
		/* Dequeued by a thread: the group. */
		if (shadowipc_msgsnd(thread_q, &m, 3, 0) ||
		    pthread_create(&th, NULL, receive_in_thread, NULL))
			_exit(4);
		pthread_join(th, &ret);
		if (shadowipc_msgctl(thread_q, IPC_STAT, &ds) ||
		    ds.msg_lrpid != getpid())
			_exit(5);
		_exit(0);
	}
	wait_asleep(pid);
	ASSERT_EQ(0, shadowipc_msgsnd(thread_q, &m, 3, 0));
	EXPECT_EQ(0, sipc_wait(pid));
}

TEST_F(msg, stress_rmid_against_senders)
{
	pid_t pids[4];
	int i, round;

	for (round = 0; round < 30; round++) {
		int q = shadowipc_msgget(IPC_PRIVATE, 0600);

		ASSERT_LE(0, q);
		for (i = 0; i < 4; i++) {
			pids[i] = fork();
			ASSERT_LE(0, pids[i]);
			if (!pids[i]) {
				static struct msg m = { .mtype = 1 };

				for (;;) {
					if (shadowipc_msgsnd(q, &m, 2000, 0) &&
					    errno != EAGAIN)
						_exit(errno == EIDRM ||
						      errno == EINVAL ? 0 : 1);
					if (shadowipc_msgrcv(q, &m, MSGMAX, 0,
							     IPC_NOWAIT) < 0 &&
					    errno != ENOMSG)
						_exit(errno == EIDRM ||
						      errno == EINVAL ? 0 : 2);
				}
			}
		}
		usleep(2000);
		ASSERT_EQ(0, shadowipc_msgctl(q, IPC_RMID, NULL));
		for (i = 0; i < 4; i++)
			EXPECT_EQ(0, sipc_wait(pids[i]));
	}
}

TEST_HARNESS_MAIN
