// SPDX-License-Identifier: GPL-2.0
/*
 * POSIX message queues in shadow namespaces: isolation of one name in
 * two namespaces, queues outliving their namespace through an open
 * descriptor, epoll, many senders and receivers, SIGEV_THREAD through
 * libshadowipc, /proc/shadowipc/mqueue and sys/fs/mqueue, NS_INFO.
 * mq_diff_test compares the single-process semantics with Linux.
 */
#include <poll.h>
#include <pthread.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/syscall.h>

#include "kselftest_harness.h"
#include "sipc_test.h"

#define SKIP_IF_NO_DEV()						\
	do {								\
		if (!sipc_dev_present())				\
			SKIP(return, "module not loaded");		\
	} while (0)

/* Run @body in a child in a new shadow namespace; expect exit 0. */
#define IN_NEW_NS(...)							\
	do {								\
		pid_t __p = fork();					\
		if (!__p) {						\
			if (shadowipc_unshare(NULL))			\
				_exit(90);				\
			__VA_ARGS__;					\
			_exit(0);					\
		}							\
		ASSERT_EQ(0, sipc_wait(__p)) {}				\
	} while (0)

#define CHECK(cond)	do { if (!(cond)) _exit(__LINE__ % 200 + 1); } while (0)

static mqd_t open_q(const char *name, int oflag, long maxmsg, long msgsize)
{
	struct mq_attr a = { .mq_maxmsg = maxmsg, .mq_msgsize = msgsize };

	return shadowipc_mq_open(name, oflag | O_CREAT, 0600,
				 maxmsg ? &a : NULL);
}

TEST(same_name_in_two_namespaces)
{
	int pipe1[2], pipe2[2];
	pid_t a, b;
	char c;

	SKIP_IF_NO_DEV();
	ASSERT_EQ(0, pipe(pipe1));
	ASSERT_EQ(0, pipe(pipe2));
	a = fork();
	if (!a) {
		char buf[8192];
		unsigned int prio;
		mqd_t q;

		CHECK(!shadowipc_unshare(NULL));
		q = open_q("/same", O_RDWR | O_EXCL, 0, 0);
		CHECK(q >= 0);
		CHECK(!shadowipc_mq_send(q, "from-a", 6, 1));
		CHECK(write(pipe1[1], "x", 1) == 1);
		CHECK(read(pipe2[0], &c, 1) == 1);
		CHECK(shadowipc_mq_receive(q, buf, sizeof(buf), &prio) == 6);
		CHECK(!memcmp(buf, "from-a", 6) && prio == 1);
		_exit(0);
	}
	b = fork();
	if (!b) {
		struct mq_attr at;
		mqd_t q;

		CHECK(!shadowipc_unshare(NULL));
		CHECK(read(pipe1[0], &c, 1) == 1);
		/* a's queue exists, in another namespace only */
		CHECK(shadowipc_mq_open("/same", O_RDWR) < 0 &&
		      errno == ENOENT);
		q = open_q("/same", O_RDWR | O_EXCL, 0, 0);
		CHECK(q >= 0);
		CHECK(!shadowipc_mq_getattr(q, &at) && at.mq_curmsgs == 0);
		CHECK(!shadowipc_mq_unlink("/same"));
		CHECK(write(pipe2[1], "x", 1) == 1);
		_exit(0);
	}
	EXPECT_EQ(0, sipc_wait(a));
	EXPECT_EQ(0, sipc_wait(b));
}

TEST(queue_outlives_namespace)
{
	int sv[2];
	pid_t p;

	SKIP_IF_NO_DEV();
	ASSERT_EQ(0, socketpair(AF_UNIX, SOCK_STREAM, 0, sv));
	p = fork();
	if (!p) {
		mqd_t q;

		CHECK(!shadowipc_unshare(NULL));
		q = open_q("/keep", O_RDWR, 4, 64);
		CHECK(q >= 0);
		CHECK(!shadowipc_mq_send(q, "kept", 4, 3));
		/* hand the descriptor to the parent, then leave */
		{
			char cm[CMSG_SPACE(sizeof(int))] = { 0 };
			struct iovec iov = { .iov_base = "q", .iov_len = 1 };
			struct msghdr mh = {
				.msg_iov = &iov, .msg_iovlen = 1,
				.msg_control = cm, .msg_controllen = sizeof(cm),
			};
			struct cmsghdr *ch = CMSG_FIRSTHDR(&mh);

			ch->cmsg_level = SOL_SOCKET;
			ch->cmsg_type = SCM_RIGHTS;
			ch->cmsg_len = CMSG_LEN(sizeof(int));
			memcpy(CMSG_DATA(ch), &q, sizeof(int));
			CHECK(sendmsg(sv[0], &mh, 0) == 1);
		}
		_exit(0);
	}
	ASSERT_EQ(0, sipc_wait(p)) {}
	{
		char cm[CMSG_SPACE(sizeof(int))], b;
		struct iovec iov = { .iov_base = &b, .iov_len = 1 };
		struct msghdr mh = {
			.msg_iov = &iov, .msg_iovlen = 1,
			.msg_control = cm, .msg_controllen = sizeof(cm),
		};
		struct shadowipc_status st;
		char buf[64];
		unsigned int prio;
		int q;

		ASSERT_EQ(1, recvmsg(sv[1], &mh, 0));
		memcpy(&q, CMSG_DATA(CMSG_FIRSTHDR(&mh)), sizeof(int));
		/* the namespace is gone (status flushes its teardown) */
		st = sipc_status();
		(void)st;
		ASSERT_EQ(4, shadowipc_mq_receive(q, buf, sizeof(buf), &prio));
		EXPECT_EQ(3, prio);
		EXPECT_EQ(0, memcmp(buf, "kept", 4));
		EXPECT_EQ(0, shadowipc_mq_send(q, "again", 5, 0));
		EXPECT_EQ(5, shadowipc_mq_receive(q, buf, sizeof(buf), &prio));
		close(q);
	}
}

TEST(epoll_in_and_out)
{
	SKIP_IF_NO_DEV();
	IN_NEW_NS({
		struct epoll_event ev = { .events = EPOLLIN }, out[2];
		int ep = epoll_create1(0), r;
		mqd_t q = open_q("/ep", O_RDWR, 1, 16);
		pid_t w;

		CHECK(ep >= 0 && q >= 0);
		ev.data.fd = q;
		CHECK(!epoll_ctl(ep, EPOLL_CTL_ADD, q, &ev));
		CHECK(epoll_wait(ep, out, 2, 0) == 0);
		w = fork();
		if (!w) {
			usleep(100000);
			CHECK(!shadowipc_mq_send(q, "x", 1, 0));
			_exit(0);
		}
		r = epoll_wait(ep, out, 2, 5000);
		CHECK(r == 1 && (out[0].events & EPOLLIN));
		CHECK(sipc_wait(w) == 0);
		/* full: POLLIN only */
		{
			struct pollfd p = { .fd = q,
					    .events = POLLIN | POLLOUT };

			CHECK(poll(&p, 1, 0) == 1 && p.revents == POLLIN);
		}
	});
}

#define NPROC	4
#define PER	50

TEST(many_senders_and_receivers)
{
	SKIP_IF_NO_DEV();
	IN_NEW_NS({
		mqd_t q = open_q("/many", O_RDWR, 3, 32);
		pid_t pids[2 * NPROC];
		int i, k;

		CHECK(q >= 0);
		for (i = 0; i < NPROC; i++) {
			pids[i] = fork();
			if (!pids[i]) {
				char m[32];

				for (k = 0; k < PER; k++) {
					int n = snprintf(m, sizeof(m), "%d.%d",
							 i, k);
					CHECK(!shadowipc_mq_send(q, m, n, k % 7));
				}
				_exit(0);
			}
		}
		for (i = 0; i < NPROC; i++) {
			pids[NPROC + i] = fork();
			if (!pids[NPROC + i]) {
				char m[32];
				unsigned int prio;

				for (k = 0; k < PER; k++)
					CHECK(shadowipc_mq_receive(q, m,
						sizeof(m), &prio) > 0);
				_exit(0);
			}
		}
		for (i = 0; i < 2 * NPROC; i++)
			CHECK(sipc_wait(pids[i]) == 0);
		{
			struct mq_attr a;

			CHECK(!shadowipc_mq_getattr(q, &a));
			CHECK(a.mq_curmsgs == 0);
		}
	});
}

static int thread_fired;
static pthread_mutex_t fired_lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t fired_cond = PTHREAD_COND_INITIALIZER;

static void on_notify(union sigval v)
{
	pthread_mutex_lock(&fired_lock);
	thread_fired = v.sival_int;
	pthread_cond_signal(&fired_cond);
	pthread_mutex_unlock(&fired_lock);
}

TEST(notify_sigev_thread)
{
	SKIP_IF_NO_DEV();
	IN_NEW_NS({
		struct sigevent sev = {
			.sigev_notify = SIGEV_THREAD,
			.sigev_notify_function = on_notify,
			.sigev_value.sival_int = 77,
		};
		mqd_t q = open_q("/thr", O_RDWR, 0, 0);
		struct timespec ts;
		char line[128] = "";

		CHECK(q >= 0);
		CHECK(!shadowipc_mq_notify(q, &sev));
		CHECK(shadowipc_mq_notify(q, &sev) < 0 && errno == EBUSY);
		CHECK(read(q, line, sizeof(line) - 1) > 0);
		CHECK(strstr(line, "NOTIFY:2 "));
		CHECK(!shadowipc_mq_send(q, "t", 1, 0));
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_sec += 5;
		pthread_mutex_lock(&fired_lock);
		while (!thread_fired &&
		       !pthread_cond_timedwait(&fired_cond, &fired_lock, &ts))
			;
		pthread_mutex_unlock(&fired_lock);
		CHECK(thread_fired == 77);
		/* fired: deregistered, a new registration is possible */
		CHECK(!shadowipc_mq_notify(q, &sev));
		CHECK(!shadowipc_mq_notify(q, NULL));
		CHECK(!shadowipc_mq_notify(q, &sev));
	});
}

TEST(proc_and_ns_info)
{
	SKIP_IF_NO_DEV();
	IN_NEW_NS({
		struct shadowipc_ns_info info;
		char buf[1024];
		mqd_t q = open_q("/p1", O_RDWR, 5, 100);
		int fd;

		CHECK(q >= 0);
		CHECK(open_q("/p2", O_RDWR, 0, 0) >= 0);
		CHECK(!shadowipc_mq_send(q, "hello", 5, 0));
		sipc_read_file("/proc/shadowipc/mqueue", buf, sizeof(buf));
		CHECK(strstr(buf, "name mode uid gid maxmsg msgsize curmsgs qsize"));
		CHECK(strstr(buf, "/p1 0600 0 0 5 100 1 5 -1 0\n"));
		CHECK(strstr(buf, "/p2 0600 0 0 10 8192 0 0 -1 0\n"));
		CHECK(!shadowipc_ns_info(-1, &info));
		CHECK(info.objects[SHADOWIPC_KIND_MQ] == 2);
		CHECK(info.bytes[SHADOWIPC_KIND_MQ] == 5);
		CHECK(info.limits.mq_queues_max == 256);
		sipc_read_file("/proc/shadowipc/sys/fs/mqueue/msg_max", buf,
			       sizeof(buf));
		CHECK(!strcmp(buf, "10\n"));
		fd = open("/proc/shadowipc/sys/fs/mqueue/msg_max", O_WRONLY);
		CHECK(fd >= 0 && write(fd, "20", 2) == 2);
		close(fd);
		CHECK(!shadowipc_ns_info(-1, &info));
		CHECK(info.limits.mq_msg_max == 20);
		CHECK(!shadowipc_mq_unlink("/p1"));
		sipc_read_file("/proc/shadowipc/mqueue", buf, sizeof(buf));
		CHECK(!strstr(buf, "/p1"));
		/* unlinked but open: still counted, as queues_count */
		CHECK(!shadowipc_ns_info(-1, &info));
		CHECK(info.objects[SHADOWIPC_KIND_MQ] == 2);
		close(q);
		CHECK(!shadowipc_ns_info(-1, &info));
		CHECK(info.objects[SHADOWIPC_KIND_MQ] == 1);
	});
}

TEST(exec_closes_queue)
{
	SKIP_IF_NO_DEV();
	IN_NEW_NS({
		mqd_t q = open_q("/cx", O_RDWR, 0, 0);

		CHECK(q >= 0);
		CHECK(fcntl(q, F_GETFD) == FD_CLOEXEC);
	});
}

TEST(blocked_receiver_in_other_process_of_namespace)
{
	SKIP_IF_NO_DEV();
	IN_NEW_NS({
		mqd_t q = open_q("/blk", O_RDWR, 0, 0);
		pid_t r[3];
		int i;

		CHECK(q >= 0);
		for (i = 0; i < 3; i++) {
			r[i] = fork();
			if (!r[i]) {
				char buf[8192];
				mqd_t q2 = shadowipc_mq_open("/blk", O_RDONLY);

				CHECK(q2 >= 0);
				CHECK(shadowipc_mq_receive(q2, buf,
					sizeof(buf), NULL) == 3);
				_exit(0);
			}
		}
		usleep(200000);
		for (i = 0; i < 3; i++)
			CHECK(!shadowipc_mq_send(q, "abc", 3, i));
		for (i = 0; i < 3; i++)
			CHECK(sipc_wait(r[i]) == 0);
	});
}

TEST(cli_lists_queues)
{
	SKIP_IF_NO_DEV();
	if (access("/usr/bin/shadowipc", X_OK))
		SKIP(return, "the shadowipc tool is not installed");
	IN_NEW_NS({
		char out[4096];
		size_t n;
		FILE *f;

		CHECK(open_q("/cliq", O_RDWR, 4, 128) >= 0);
		f = popen("/usr/bin/shadowipc mq", "r");
		CHECK(f);
		n = fread(out, 1, sizeof(out) - 1, f);
		out[n] = 0;
		CHECK(pclose(f) == 0);
		CHECK(strstr(out, "NAME "));
		CHECK(strstr(out, "/cliq "));
		CHECK(strstr(out, "-rw------- root"));
	});
}

/* --- glibc's own mq_* under the preload shim --- */

#define SHIM	"/usr/lib/libshadowipc-preload.so"

static volatile int shim_thread_value;

static void shim_on_notify(union sigval v)
{
	shim_thread_value = v.sival_int;
}

/*
 * Run (re-executed with LD_PRELOAD, in a shadow namespace) by
 * glibc_calls_under_the_shim: every call below is glibc's symbol, which
 * the shim interposes. Returns 0, or the line that failed.
 */
static int glibc_mq_main(void)
{
#define GCHECK(cond)	do { if (!(cond)) { perror(#cond); return __LINE__ % 200 + 1; } } while (0)
	struct mq_attr a = { .mq_maxmsg = 3, .mq_msgsize = 32 }, o;
	struct sigevent sev = { .sigev_notify = SIGEV_SIGNAL,
				.sigev_signo = SIGUSR2,
				.sigev_value.sival_int = 9 };
	struct timespec ts = { 0, 0 }, zero = { 0, 0 };
	char buf[64];
	unsigned int prio;
	sigset_t set;
	siginfo_t si;
	mqd_t q, r;
	int i;

	q = mq_open("/shim", O_CREAT | O_EXCL | O_RDWR, 0600, &a);
	GCHECK(q >= 0);
	/* not in the kernel's mqueue: the raw system call does not see it */
	GCHECK(sipc_raw_syscall(SYS_mq_open, (long)"shim", O_RDONLY, 0, 0,
				0) < 0 && errno == ENOENT);
	/* and it is the module's */
	r = shadowipc_mq_open("/shim", O_RDONLY);
	GCHECK(r >= 0);
	close(r);
	GCHECK(mq_open("shim", O_RDWR) < 0 && errno == EINVAL);
	GCHECK(mq_open("/nope", O_RDWR) < 0 && errno == ENOENT);

	sigemptyset(&set);
	sigaddset(&set, SIGUSR2);
	sigprocmask(SIG_BLOCK, &set, NULL);
	GCHECK(!mq_notify(q, &sev));
	GCHECK(!mq_send(q, "low", 3, 1));
	GCHECK(sigtimedwait(&set, &si, &zero) == SIGUSR2);
	GCHECK(si.si_code == SI_MESGQ && si.si_value.sival_int == 9);
	GCHECK(!mq_send(q, "high", 4, 7));
	GCHECK(!mq_getattr(q, &o) && o.mq_curmsgs == 2 && o.mq_maxmsg == 3);
	GCHECK(mq_receive(q, buf, 16, &prio) < 0 && errno == EMSGSIZE);
	GCHECK(mq_receive(q, buf, sizeof(buf), &prio) == 4 && prio == 7);
	GCHECK(mq_timedreceive(q, buf, sizeof(buf), &prio, &ts) == 3);
	GCHECK(mq_timedreceive(q, buf, sizeof(buf), &prio, &ts) < 0 &&
	       errno == ETIMEDOUT);
	a.mq_flags = O_NONBLOCK;
	GCHECK(!mq_setattr(q, &a, &o) && o.mq_flags == 0);
	GCHECK(mq_receive(q, buf, sizeof(buf), NULL) < 0 && errno == EAGAIN);
	for (i = 0; i < 3; i++)
		GCHECK(!mq_timedsend(q, "x", 1, 0, &ts));
	GCHECK(mq_send(q, "x", 1, 0) < 0 && errno == EAGAIN);

	/* SIGEV_THREAD, as glibc runs it, by the shim */
	for (i = 0; i < 3; i++)
		GCHECK(mq_receive(q, buf, sizeof(buf), NULL) == 1);
	sev.sigev_notify = SIGEV_THREAD;
	sev.sigev_notify_function = shim_on_notify;
	sev.sigev_value.sival_int = 31;
	GCHECK(!mq_notify(q, &sev));
	GCHECK(mq_notify(q, &sev) < 0 && errno == EBUSY);
	GCHECK(!mq_send(q, "t", 1, 0));
	for (i = 0; i < 500 && shim_thread_value != 31; i++)
		usleep(10000);
	GCHECK(shim_thread_value == 31);
	GCHECK(!mq_notify(q, &sev));
	GCHECK(!mq_notify(q, NULL));

	GCHECK(!mq_close(q));
	GCHECK(mq_close(q) < 0 && errno == EBADF);
	GCHECK(!mq_unlink("/shim"));
	GCHECK(mq_unlink("/shim") < 0 && errno == ENOENT);
	GCHECK(mq_unlink("shim") < 0 && errno == EINVAL);
	return 0;
#undef GCHECK
}

TEST(glibc_calls_under_the_shim)
{
	pid_t p;

	SKIP_IF_NO_DEV();
	if (access(SHIM, R_OK))
		SKIP(return, SHIM " not installed");
	p = fork();
	if (!p) {
		char *argv[] = { "mq_test", "--glibc-mq", NULL };

		if (shadowipc_unshare(NULL))
			_exit(90);
		setenv("LD_PRELOAD", SHIM, 1);
		execv("/proc/self/exe", argv);
		_exit(91);
	}
	ASSERT_EQ(0, sipc_wait(p));
}

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "--glibc-mq"))
		return glibc_mq_main();
	return test_harness_run(argc, argv);
}
