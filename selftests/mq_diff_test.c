// SPDX-License-Identifier: GPL-2.0
/*
 * Differential tests of POSIX message queues (see diff.h): names and
 * their errno, permissions as an unprivileged user, send and receive
 * with priorities, timeouts, non-blocking descriptors, attributes, the
 * status line, poll, mq_notify, the fs.mqueue limits and RLIMIT_MSGQUEUE,
 * and sleepers woken by a send, a receive and a signal, compared call by
 * call with Linux's own mqueue.
 *
 * The Linux side runs in a new IPC and mount namespace with the guest's
 * mqueue mounted at /dev/mqueue, through glibc's mq_* calls; the shadow
 * side through libshadowipc's, which are shaped like glibc's. diff.h's
 * System V table only picks the side; the calls come from mq_ops below.
 */
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <sys/mount.h>
#include <sys/resource.h>

#include "kselftest_harness.h"
#include "sipc_test.h"
#include "diff.h"

struct mq_ops {
	const char *sysctl_dir;
	mqd_t (*open)(const char *name, int oflag, ...);
	int (*unlink)(const char *name);
	int (*timedsend)(mqd_t q, const char *msg, size_t len,
			 unsigned int prio, const struct timespec *abs);
	ssize_t (*timedreceive)(mqd_t q, char *msg, size_t len,
				unsigned int *prio, const struct timespec *abs);
	int (*notify)(mqd_t q, const struct sigevent *sev);
	int (*setattr)(mqd_t q, const struct mq_attr *new, struct mq_attr *old);
};

static const struct mq_ops mq_native = {
	.sysctl_dir = "/proc/sys/fs/mqueue",
	.open = mq_open,
	.unlink = mq_unlink,
	.timedsend = mq_timedsend,
	.timedreceive = mq_timedreceive,
	.notify = mq_notify,
	.setattr = mq_setattr,
};

static const struct mq_ops mq_sipc = {
	.sysctl_dir = "/proc/shadowipc/sys/fs/mqueue",
	.open = shadowipc_mq_open,
	.unlink = shadowipc_mq_unlink,
	.timedsend = shadowipc_mq_timedsend,
	.timedreceive = shadowipc_mq_timedreceive,
	.notify = shadowipc_mq_notify,
	.setattr = shadowipc_mq_setattr,
};

static const struct mq_ops *M(struct ctx *c)
{
	return c->ops == &native_ops ? &mq_native : &mq_sipc;
}

/* Queue fds are traced by the order they were opened in, as "qN". */
#define MAX_Q	32
static int qfds[MAX_Q], nq;

static const char *q_str(int fd, char *buf)
{
	int k;

	for (k = 0; k < nq; k++)
		if (qfds[k] == fd) {
			sprintf(buf, "q%d", k);
			return buf;
		}
	sprintf(buf, "fd?");
	return buf;
}

/*
 * The Linux side: a private mount namespace with the IPC namespace's
 * mqueue at /dev/mqueue, as the issue asks (glibc needs no mount).
 */
static int mq_setup(struct ctx *c)
{
	nq = 0;
	if (c->ops != &native_ops)
		return 0;
	if (unshare(CLONE_NEWNS) ||
	    mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL)) {
		tr(c, "mount namespace: %s", err_name(errno));
		return -1;
	}
	mkdir("/dev/mqueue", 01777);
	if (mount("none", "/dev/mqueue", "mqueue", 0, NULL)) {
		tr(c, "mount mqueue: %s", err_name(errno));
		return -1;
	}
	return 0;
}

#define MQ_SCENARIO(name)						\
	static void mqs_##name(struct ctx *c);				\
	SCENARIO(name)							\
	{								\
		if (!mq_setup(c))					\
			mqs_##name(c);					\
	}								\
	static void mqs_##name(struct ctx *c)

static int OPEN(struct ctx *c, const char *name, int oflag, mode_t mode,
		long maxmsg, long msgsize)
{
	struct mq_attr attr = { .mq_maxmsg = maxmsg, .mq_msgsize = msgsize };
	char res[64], nb[40];
	int fd;

	errno = 0;
	fd = M(c)->open(name, oflag, mode, maxmsg ? &attr : NULL);
	if (fd >= 0 && nq < MAX_Q)
		qfds[nq++] = fd;
	if (fd >= 0)
		q_str(fd, res);
	else
		res_long(fd, res);
	snprintf(nb, sizeof(nb), "%.32s", name);
	tr(c, "mq_open(\"%s\"%s len %zu, %#o, %#o, %ld/%ld) = %s", nb,
	   strlen(name) > 32 ? "..." : "", strlen(name), oflag, mode, maxmsg,
	   msgsize, res);
	return fd;
}

#define OPENQ(c, name, oflag)	OPEN(c, name, oflag, 0600, 0, 0)
#define CREATE(c, name)		OPEN(c, name, O_CREAT | O_RDWR, 0600, 0, 0)

static int UNLINK(struct ctx *c, const char *name)
{
	char res[64];
	int r;

	errno = 0;
	r = M(c)->unlink(name);
	res_long(r, res);
	tr(c, "mq_unlink(\"%.40s\") = %s", name, res);
	return r;
}

static const struct timespec *abs_in(struct timespec *ts, long ms)
{
	clock_gettime(CLOCK_REALTIME, ts);
	ts->tv_sec += ms / 1000;
	ts->tv_nsec += (ms % 1000) * 1000000L;
	if (ts->tv_nsec >= 1000000000L) {
		ts->tv_sec++;
		ts->tv_nsec -= 1000000000L;
	}
	return ts;
}

static int SENDT(struct ctx *c, int q, const char *text, size_t len,
		 unsigned int prio, const struct timespec *ts)
{
	static char buf[1 << 16];
	char res[64], qb[16];
	size_t i, n = strlen(text);
	int r;

	for (i = 0; i < len && i < sizeof(buf); i++)
		buf[i] = n ? text[i % n] : 0;
	errno = 0;
	r = M(c)->timedsend(q, buf, len, prio, ts);
	res_long(r, res);
	tr(c, "mq_send(%s, \"%.8s\"x%zu, %u%s) = %s", q_str(q, qb), text, len,
	   prio, ts ? ", timeout" : "", res);
	return r;
}

#define SEND(c, q, text, prio)	SENDT(c, q, text, strlen(text), prio, NULL)

static ssize_t RECVT(struct ctx *c, int q, size_t len,
		     const struct timespec *ts)
{
	static char buf[1 << 16];
	unsigned int prio = 12345;
	char res[64], qb[16];
	ssize_t r;

	memset(buf, 0, sizeof(buf));
	errno = 0;
	r = M(c)->timedreceive(q, buf, len, &prio, ts);
	res_long(r, res);
	tr(c, "mq_receive(%s, %zu%s) = %s", q_str(q, qb), len,
	   ts ? ", timeout" : "", res);
	if (r >= 0)
		tr(c, "  prio=%u text=\"%.*s\"", prio, (int)(r < 24 ? r : 24),
		   buf);
	return r;
}

#define RECV(c, q)	RECVT(c, q, 8192, NULL)

static int ATTR(struct ctx *c, int q)
{
	struct mq_attr a;
	char res[64], qb[16];
	int r;

	memset(&a, 0x5a, sizeof(a));
	errno = 0;
	r = M(c)->setattr(q, NULL, &a);
	res_long(r, res);
	tr(c, "mq_getattr(%s) = %s", q_str(q, qb), res);
	if (!r)
		tr(c, "  flags=%#lx maxmsg=%ld msgsize=%ld curmsgs=%ld rest=%s",
		   a.mq_flags, a.mq_maxmsg, a.mq_msgsize, a.mq_curmsgs,
		   all_zero(a.__pad, sizeof(a.__pad)) ? "0" : "dirty");
	return r;
}

static int SETATTR(struct ctx *c, int q, long flags, long maxmsg)
{
	struct mq_attr n = { .mq_flags = flags, .mq_maxmsg = maxmsg }, o;
	char res[64], qb[16];
	int r;

	memset(&o, 0x5a, sizeof(o));
	errno = 0;
	r = M(c)->setattr(q, &n, &o);
	res_long(r, res);
	tr(c, "mq_setattr(%s, %#lx, %ld) = %s", q_str(q, qb), flags, maxmsg,
	   res);
	if (!r)
		tr(c, "  old flags=%#lx maxmsg=%ld curmsgs=%ld", o.mq_flags,
		   o.mq_maxmsg, o.mq_curmsgs);
	return r;
}

/* The status line a read of the descriptor gives, the pid named. */
static void STATUS(struct ctx *c, int q)
{
	char buf[128], qb[16];
	unsigned long qsize = 0;
	int notify = -1, signo = -1, pid = -1;
	ssize_t n;

	memset(buf, 0, sizeof(buf));
	errno = 0;
	n = read(q, buf, sizeof(buf) - 1);
	if (n < 0) {
		tr(c, "read(%s) = -1 %s", q_str(q, qb), err_name(errno));
		return;
	}
	sscanf(buf, "QSIZE:%lu NOTIFY:%d SIGNO:%d NOTIFY_PID:%d", &qsize,
	       &notify, &signo, &pid);
	tr(c, "read(%s) = %zd QSIZE:%lu NOTIFY:%d SIGNO:%d NOTIFY_PID:%s",
	   q_str(q, qb), n, qsize, notify, signo, pid_str(c, pid));
	lseek(q, 0, SEEK_SET);
}

static int NOTIFY(struct ctx *c, int q, int how, int signo, int value)
{
	struct sigevent sev;
	char res[64], qb[16];
	int r;

	memset(&sev, 0, sizeof(sev));
	sev.sigev_notify = how;
	sev.sigev_signo = signo;
	sev.sigev_value.sival_int = value;
	errno = 0;
	r = M(c)->notify(q, how < 0 ? NULL : &sev);
	res_long(r, res);
	tr(c, "mq_notify(%s, %d, %d, %d) = %s", q_str(q, qb), how, signo,
	   value, res);
	return r;
}

#define UNREGISTER(c, q)	NOTIFY(c, q, -1, 0, 0)

/* Was SIGUSR1 (blocked) delivered? Trace its siginfo. */
static void TAKE_SIGNAL(struct ctx *c)
{
	struct timespec zero = { 0, 0 };
	sigset_t set;
	siginfo_t si;

	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	if (sigtimedwait(&set, &si, &zero) < 0) {
		tr(c, "no signal");
		return;
	}
	tr(c, "signal %d code %d value %d pid %s uid %u errno %d",
	   si.si_signo, si.si_code, si.si_value.sival_int,
	   pid_str(c, si.si_pid), si.si_uid, si.si_errno);
}

static void block_usr1(void)
{
	sigset_t set;

	sigemptyset(&set);
	sigaddset(&set, SIGUSR1);
	sigprocmask(SIG_BLOCK, &set, NULL);
}

static void POLL(struct ctx *c, int q)
{
	struct pollfd p = { .fd = q, .events = POLLIN | POLLOUT };
	char qb[16];
	int r = poll(&p, 1, 0);

	tr(c, "poll(%s) = %d revents=%#x", q_str(q, qb), r, p.revents);
}

static void SYSCTL(struct ctx *c, const char *name, const char *val)
{
	char path[128], buf[64] = "";
	ssize_t n;
	int fd;

	snprintf(path, sizeof(path), "%s/%s", M(c)->sysctl_dir, name);
	if (val) {
		fd = open(path, O_WRONLY);
		errno = 0;
		n = fd < 0 ? -1 : write(fd, val, strlen(val));
		tr(c, "write %s %s = %s", name, val,
		   n < 0 ? err_name(errno) : "ok");
		if (fd >= 0)
			close(fd);
	}
	fd = open(path, O_RDONLY);
	n = fd < 0 ? -1 : read(fd, buf, sizeof(buf) - 1);
	if (fd >= 0)
		close(fd);
	buf[n > 0 ? n : 0] = 0;
	buf[strcspn(buf, "\n")] = 0;
	tr(c, "read %s = %s", name, n < 0 ? err_name(errno) : buf);
}

static void on_signal(int sig)
{
}

static void catch_usr1(void)
{
	struct sigaction sa = { .sa_handler = on_signal };

	sigaction(SIGUSR1, &sa, NULL);
}

/* ---- names ---- */

MQ_SCENARIO(open_needs_slash)
{
	OPENQ(c, "q", O_CREAT | O_RDWR);
	OPENQ(c, "", O_RDWR);
	UNLINK(c, "q");
}

MQ_SCENARIO(open_missing_is_enoent)
{
	OPENQ(c, "/nx", O_RDWR);
	OPENQ(c, "/nx", O_RDONLY | O_EXCL);
	UNLINK(c, "/nx");
}

MQ_SCENARIO(open_root_name)
{
	OPENQ(c, "/", O_RDWR);
	OPENQ(c, "/", O_CREAT | O_RDWR);
	UNLINK(c, "/");
}

MQ_SCENARIO(open_bad_names)
{
	OPENQ(c, "/a/b", O_CREAT | O_RDWR);
	OPENQ(c, "/a/", O_RDWR);
	OPENQ(c, "/.", O_CREAT | O_RDWR);
	OPENQ(c, "/..", O_CREAT | O_RDWR);
	OPENQ(c, "/...", O_CREAT | O_RDWR);
	OPENQ(c, "//x", O_CREAT | O_RDWR);
	UNLINK(c, "/a/b");
	UNLINK(c, "/.");
}

MQ_SCENARIO(open_name_lengths)
{
	static char name[PATH_MAX + 8];

	name[0] = '/';
	memset(name + 1, 'n', 255);
	name[256] = 0;
	OPENQ(c, name, O_CREAT | O_RDWR);
	UNLINK(c, name);
	name[256] = 'n';
	name[257] = 0;
	OPENQ(c, name, O_CREAT | O_RDWR);
	OPENQ(c, name, O_RDWR);
	UNLINK(c, name);
	memset(name + 1, 'n', PATH_MAX + 2);
	name[PATH_MAX + 3] = 0;
	OPENQ(c, name, O_CREAT | O_RDWR);
	UNLINK(c, name);
	name[4] = '/';
	OPENQ(c, name, O_CREAT | O_RDWR);
}

MQ_SCENARIO(create_then_reopen)
{
	int q = CREATE(c, "/q");

	ATTR(c, q);
	q = OPENQ(c, "/q", O_RDONLY);
	ATTR(c, q);
	OPENQ(c, "/q", O_WRONLY);
	OPENQ(c, "/q", O_CREAT | O_RDWR);
}

MQ_SCENARIO(create_excl)
{
	OPENQ(c, "/q", O_CREAT | O_EXCL | O_RDWR);
	OPENQ(c, "/q", O_CREAT | O_EXCL | O_RDWR);
	OPENQ(c, "/q", O_EXCL | O_RDWR);
}

MQ_SCENARIO(accmode_three)
{
	int q = OPENQ(c, "/q", O_CREAT | O_ACCMODE);

	OPENQ(c, "/q", O_ACCMODE);
	SEND(c, q, "x", 0);
	RECV(c, q);
	ATTR(c, q);
	STATUS(c, q);
}

MQ_SCENARIO(attr_given)
{
	int q = OPEN(c, "/q", O_CREAT | O_RDWR, 0600, 3, 100);

	ATTR(c, q);
	OPEN(c, "/q", O_CREAT | O_RDWR, 0600, 5, 50);
	ATTR(c, q);
}

MQ_SCENARIO(attr_invalid)
{
	OPEN(c, "/q", O_CREAT | O_RDWR, 0600, -1, 100);
	OPEN(c, "/q", O_CREAT | O_RDWR, 0600, 1, 0);
	OPEN(c, "/q", O_CREAT | O_RDWR, 0600, 1, -5);
	OPEN(c, "/q", O_CREAT | O_RDWR, 0600, 65537, 100);
	OPEN(c, "/q", O_CREAT | O_RDWR, 0600, 1, 16 * 1024 * 1024 + 1);
	OPENQ(c, "/q", O_RDWR);
}

MQ_SCENARIO(attr_root_above_limits)
{
	int q = OPEN(c, "/q", O_CREAT | O_RDWR, 0600, 11, 8193);

	ATTR(c, q);
	q = OPEN(c, "/r", O_CREAT | O_RDWR, 0600, 65536, 16);
	ATTR(c, q);
}

MQ_SCENARIO(attr_user_limits)
{
	if (user(c)) {
		int q = OPEN(c, "/q", O_CREAT | O_RDWR, 0600, 10, 8192);

		ATTR(c, q);
		OPEN(c, "/r", O_CREAT | O_RDWR, 0600, 11, 100);
		OPEN(c, "/r", O_CREAT | O_RDWR, 0600, 10, 8193);
		_exit(0);
	}
}

/* ---- permissions ---- */

MQ_SCENARIO(perm_owner_only)
{
	OPEN(c, "/q", O_CREAT | O_RDWR, 0600, 0, 0);
	if (user(c)) {
		OPENQ(c, "/q", O_RDONLY);
		OPENQ(c, "/q", O_WRONLY);
		OPENQ(c, "/q", O_RDWR);
		OPENQ(c, "/q", O_CREAT | O_RDWR);
		UNLINK(c, "/q");
		_exit(0);
	}
	OPENQ(c, "/q", O_RDONLY);
}

MQ_SCENARIO(perm_other_bits)
{
	OPEN(c, "/r", O_CREAT | O_RDWR, 0604, 0, 0);
	OPEN(c, "/w", O_CREAT | O_RDWR, 0602, 0, 0);
	if (user(c)) {
		int q = OPENQ(c, "/r", O_RDONLY);

		RECVT(c, q, 8192, abs_in(&(struct timespec){ 0 }, 10));
		OPENQ(c, "/r", O_WRONLY);
		q = OPENQ(c, "/w", O_WRONLY);
		SEND(c, q, "hi", 1);
		OPENQ(c, "/w", O_RDWR);
		_exit(0);
	}
}

MQ_SCENARIO(perm_group_bits)
{
	if (child(c)) {
		if (setegid(SIPC_TEST_GID))
			tr(c, "setegid failed");
		OPEN(c, "/g", O_CREAT | O_RDWR, 0640, 0, 0);
		_exit(0);
	}
	if (user(c)) {
		OPENQ(c, "/g", O_RDONLY);
		OPENQ(c, "/g", O_WRONLY);
		_exit(0);
	}
	OPENQ(c, "/g", O_WRONLY);
}

MQ_SCENARIO(perm_umask)
{
	umask(077);
	OPEN(c, "/q", O_CREAT | O_RDWR, 0666, 0, 0);
	umask(0);
	OPEN(c, "/r", O_CREAT | O_RDWR, 0666, 0, 0);
	if (user(c)) {
		OPENQ(c, "/q", O_RDONLY);
		OPENQ(c, "/r", O_RDWR);
		_exit(0);
	}
}

MQ_SCENARIO(perm_mode_zero_creator)
{
	int q = OPEN(c, "/q", O_CREAT | O_RDWR, 0, 0, 0);

	SEND(c, q, "a", 0);
	if (user(c)) {
		q = OPEN(c, "/u", O_CREAT | O_RDWR, 0, 0, 0);
		SEND(c, q, "b", 0);
		OPENQ(c, "/u", O_RDONLY);
		_exit(0);
	}
	OPENQ(c, "/u", O_RDWR);
}

MQ_SCENARIO(user_owns_and_unlinks)
{
	if (user(c)) {
		CREATE(c, "/u");
		UNLINK(c, "/u");
		CREATE(c, "/u");
		_exit(0);
	}
	UNLINK(c, "/u");
	CREATE(c, "/v");
	if (user(c)) {
		UNLINK(c, "/v");
		_exit(0);
	}
}

/* ---- unlink ---- */

MQ_SCENARIO(unlink_missing)
{
	UNLINK(c, "/nx");
	UNLINK(c, "/a/b");
	UNLINK(c, "/..");
	UNLINK(c, "");
}

MQ_SCENARIO(unlink_keeps_open_queue)
{
	int q = CREATE(c, "/q"), r;

	SEND(c, q, "before", 1);
	UNLINK(c, "/q");
	OPENQ(c, "/q", O_RDWR);
	SEND(c, q, "after", 2);
	RECV(c, q);
	r = CREATE(c, "/q");
	RECVT(c, r, 8192, abs_in(&(struct timespec){ 0 }, 10));
	RECV(c, q);
	UNLINK(c, "/q");
	UNLINK(c, "/q");
}

/* ---- send and receive ---- */

MQ_SCENARIO(priority_order)
{
	int q = OPEN(c, "/q", O_CREAT | O_RDWR, 0600, 10, 64);
	int i;

	SEND(c, q, "p1a", 1);
	SEND(c, q, "p5a", 5);
	SEND(c, q, "p3", 3);
	SEND(c, q, "p5b", 5);
	SEND(c, q, "p0", 0);
	SEND(c, q, "p1b", 1);
	SEND(c, q, "p5c", 5);
	STATUS(c, q);
	for (i = 0; i < 8; i++)
		RECVT(c, q, 64, abs_in(&(struct timespec){ 0 }, 1));
}

/* Levels emptied, refilled and taken over by their next message. */
MQ_SCENARIO(priority_order_interleaved)
{
	int q = OPEN(c, "/q", O_CREAT | O_RDWR, 0600, 10, 64);
	unsigned int seed = 1;
	char text[16];
	int i, j;

	for (i = 0; i < 7; i++) {
		for (j = 0; j < 3; j++) {
			seed = seed * 1103515245 + 12345;
			snprintf(text, sizeof(text), "m%d.%d", i, j);
			SEND(c, q, text, (seed >> 16) % 4 * 3);
		}
		for (j = 0; j < 2; j++)
			RECVT(c, q, 64, abs_in(&(struct timespec){ 0 }, 1));
	}
	STATUS(c, q);
	for (i = 0; i < 8; i++)
		RECVT(c, q, 64, abs_in(&(struct timespec){ 0 }, 1));
}

MQ_SCENARIO(priority_limits)
{
	int q = CREATE(c, "/q");

	SEND(c, q, "max", 32767);
	SEND(c, q, "over", 32768);
	SEND(c, q, "neg", (unsigned int)-1);
	RECV(c, q);
	ATTR(c, q);
}

MQ_SCENARIO(message_sizes)
{
	int q = OPEN(c, "/q", O_CREAT | O_RDWR, 0600, 4, 100);

	SENDT(c, q, "a", 100, 0, NULL);
	SENDT(c, q, "b", 101, 0, NULL);
	SENDT(c, q, "", 0, 0, NULL);
	RECVT(c, q, 99, NULL);
	RECVT(c, q, 100, NULL);
	RECVT(c, q, 1000, NULL);
	STATUS(c, q);
}

MQ_SCENARIO(wrong_access_mode)
{
	int r, w;

	CREATE(c, "/q");
	r = OPENQ(c, "/q", O_RDONLY);
	w = OPENQ(c, "/q", O_WRONLY);
	SEND(c, r, "x", 0);
	RECV(c, w);
	SEND(c, w, "x", 0);
	RECV(c, r);
}

MQ_SCENARIO(not_a_queue)
{
	int p[2];

	if (pipe(p))
		return;
	errno = 0;
	tr(c, "send pipe = %d %s", M(c)->timedsend(p[1], "x", 1, 0, NULL),
	   err_name(errno));
	errno = 0;
	tr(c, "send closed = %d %s", M(c)->timedsend(999, "x", 1, 0, NULL),
	   err_name(errno));
	errno = 0;
	tr(c, "send -1 = %d %s", M(c)->timedsend(-1, "x", 1, 0, NULL),
	   err_name(errno));
	NOTIFY(c, p[0], SIGEV_NONE, 0, 0);
	errno = 0;
	tr(c, "getattr pipe = %d %s",
	   M(c)->setattr(p[0], NULL, &(struct mq_attr){ 0 }),
	   err_name(errno));
}

MQ_SCENARIO(nonblocking_empty_and_full)
{
	int q = OPEN(c, "/q", O_CREAT | O_RDWR | O_NONBLOCK, 0600, 2, 16);

	ATTR(c, q);
	RECVT(c, q, 16, NULL);
	SEND(c, q, "1", 0);
	SEND(c, q, "2", 0);
	SEND(c, q, "3", 0);
	STATUS(c, q);
}

MQ_SCENARIO(timeouts)
{
	int q = OPEN(c, "/q", O_CREAT | O_RDWR, 0600, 1, 16);
	struct timespec ts;

	RECVT(c, q, 16, abs_in(&ts, 30));
	ts.tv_sec = 1;
	ts.tv_nsec = 0;
	RECVT(c, q, 16, &ts);
	SENDT(c, q, "a", 1, 0, abs_in(&ts, 30));
	SENDT(c, q, "b", 1, 0, abs_in(&ts, 30));
	ts.tv_sec = 1;
	SENDT(c, q, "c", 1, 0, &ts);
	RECVT(c, q, 16, abs_in(&ts, 30));
}

MQ_SCENARIO(invalid_timeouts)
{
	int q = OPEN(c, "/q", O_CREAT | O_RDWR, 0600, 1, 16);
	struct timespec ts = { .tv_sec = 0, .tv_nsec = 1000000000L };

	SENDT(c, q, "a", 1, 0, &ts);
	SENDT(c, q, "a", 1, 0, NULL);
	RECVT(c, q, 16, &ts);
	ts.tv_nsec = -1;
	RECVT(c, q, 16, &ts);
	ts.tv_sec = -1;
	ts.tv_nsec = 0;
	SENDT(c, q, "b", 1, 0, &ts);
	RECVT(c, q, 16, &ts);
	SENDT(c, q, "b", 1, 40000, &(struct timespec){ 0, -1 });
}

/* ---- attributes, descriptors ---- */

MQ_SCENARIO(setattr_nonblock_only)
{
	int q = CREATE(c, "/q");

	SETATTR(c, q, O_NONBLOCK, 99);
	ATTR(c, q);
	RECV(c, q);
	SETATTR(c, q, O_NONBLOCK | O_APPEND, 0);
	SETATTR(c, q, 1, 0);
	SETATTR(c, q, 0, 0);
	ATTR(c, q);
}

MQ_SCENARIO(fcntl_nonblock)
{
	int q = CREATE(c, "/q");

	fcntl(q, F_SETFL, O_NONBLOCK);
	ATTR(c, q);
	RECV(c, q);
	tr(c, "fd flags %#x fl %#x", fcntl(q, F_GETFD),
	   fcntl(q, F_GETFL) & (O_ACCMODE | O_NONBLOCK));
	q = OPENQ(c, "/q", O_WRONLY | O_NONBLOCK);
	tr(c, "fd flags %#x fl %#x", fcntl(q, F_GETFD),
	   fcntl(q, F_GETFL) & (O_ACCMODE | O_NONBLOCK));
}

MQ_SCENARIO(dup_shares_flags)
{
	int q = CREATE(c, "/q"), d = dup(q);

	SETATTR(c, q, O_NONBLOCK, 0);
	if (nq < MAX_Q)
		qfds[nq++] = d;
	ATTR(c, d);
	close(q);
	SEND(c, d, "dup", 2);
	RECV(c, d);
}

MQ_SCENARIO(status_line)
{
	int q = CREATE(c, "/q");

	STATUS(c, q);
	SENDT(c, q, "x", 1000, 0, NULL);
	SENDT(c, q, "y", 24, 3, NULL);
	STATUS(c, q);
	block_usr1();
	NOTIFY(c, q, SIGEV_SIGNAL, SIGUSR1, 7);
	STATUS(c, q);
	UNREGISTER(c, q);
	NOTIFY(c, q, SIGEV_NONE, 0, 0);
	STATUS(c, q);
}

MQ_SCENARIO(poll_states)
{
	int q = OPEN(c, "/q", O_CREAT | O_RDWR, 0600, 2, 16);

	POLL(c, q);
	SEND(c, q, "1", 0);
	POLL(c, q);
	SEND(c, q, "2", 0);
	POLL(c, q);
	RECVT(c, q, 16, NULL);
	POLL(c, q);
}

/* ---- notify ---- */

MQ_SCENARIO(notify_signal)
{
	int q = CREATE(c, "/q");

	block_usr1();
	NOTIFY(c, q, SIGEV_SIGNAL, SIGUSR1, 42);
	SEND(c, q, "one", 0);
	TAKE_SIGNAL(c);
	STATUS(c, q);
	SEND(c, q, "two", 0);
	TAKE_SIGNAL(c);
}

MQ_SCENARIO(notify_only_from_empty)
{
	int q = CREATE(c, "/q");

	block_usr1();
	SEND(c, q, "one", 0);
	NOTIFY(c, q, SIGEV_SIGNAL, SIGUSR1, 1);
	SEND(c, q, "two", 0);
	TAKE_SIGNAL(c);
	RECV(c, q);
	RECV(c, q);
	SEND(c, q, "three", 0);
	TAKE_SIGNAL(c);
}

MQ_SCENARIO(notify_busy)
{
	int q = CREATE(c, "/q");

	NOTIFY(c, q, SIGEV_NONE, 0, 0);
	NOTIFY(c, q, SIGEV_SIGNAL, SIGUSR1, 0);
	if (child(c)) {
		NOTIFY(c, q, SIGEV_NONE, 0, 0);
		UNREGISTER(c, q);
		STATUS(c, q);
		_exit(0);
	}
	UNREGISTER(c, q);
	UNREGISTER(c, q);
	STATUS(c, q);
}

MQ_SCENARIO(notify_none_deregisters)
{
	int q = CREATE(c, "/q");

	NOTIFY(c, q, SIGEV_NONE, 0, 0);
	SEND(c, q, "x", 0);
	STATUS(c, q);
	NOTIFY(c, q, SIGEV_NONE, 0, 0);
	STATUS(c, q);
}

MQ_SCENARIO(notify_invalid)
{
	int q = CREATE(c, "/q");

	NOTIFY(c, q, 7, 0, 0);
	NOTIFY(c, q, SIGEV_SIGNAL, 65, 0);
	NOTIFY(c, q, SIGEV_SIGNAL, -1, 0);
	NOTIFY(c, 999, SIGEV_NONE, 0, 0);
	NOTIFY(c, 999, -1, 0, 0);
	NOTIFY(c, q, SIGEV_SIGNAL, 0, 0);
	SEND(c, q, "x", 0);
	STATUS(c, q);
}

MQ_SCENARIO(notify_dropped_on_close)
{
	int q = CREATE(c, "/q"), r = OPENQ(c, "/q", O_RDONLY);

	NOTIFY(c, q, SIGEV_NONE, 0, 0);
	STATUS(c, r);
	close(q);
	STATUS(c, r);
	NOTIFY(c, r, SIGEV_NONE, 0, 0);
	if (child(c)) {
		close(r);
		_exit(0);
	}
	STATUS(c, r);
}

MQ_SCENARIO(notify_by_child_signals_child)
{
	int q = CREATE(c, "/q");
	pid_t pid = spawn(c);

	if (!pid) {
		block_usr1();
		NOTIFY(c, q, SIGEV_SIGNAL, SIGUSR1, 5);
		usleep(300000);
		TAKE_SIGNAL(c);
		_exit(0);
	}
	usleep(100000);
	STATUS(c, q);
	SEND(c, q, "x", 0);
	reap(c, pid);
	STATUS(c, q);
}

MQ_SCENARIO(notify_not_with_receiver_waiting)
{
	int q = CREATE(c, "/q");
	pid_t pid;

	block_usr1();
	NOTIFY(c, q, SIGEV_SIGNAL, SIGUSR1, 3);
	pid = SLEEPER(c, RECV(c, q));
	SEND(c, q, "direct", 4);
	reap(c, pid);
	TAKE_SIGNAL(c);
	STATUS(c, q);
}

/* ---- sleepers ---- */

MQ_SCENARIO(receiver_woken_by_send)
{
	int q = CREATE(c, "/q");
	pid_t pid = SLEEPER(c, RECV(c, q); ATTR(c, q));

	SEND(c, q, "wake", 9);
	reap(c, pid);
	ATTR(c, q);
}

MQ_SCENARIO(sender_woken_by_receive)
{
	int q = OPEN(c, "/q", O_CREAT | O_RDWR, 0600, 1, 16);
	pid_t pid;

	SEND(c, q, "first", 1);
	pid = SLEEPER(c, SEND(c, q, "second", 7));
	STATUS(c, q);
	RECVT(c, q, 16, NULL);
	reap(c, pid);
	RECVT(c, q, 16, NULL);
	ATTR(c, q);
}

MQ_SCENARIO(receivers_in_order)
{
	int q = CREATE(c, "/q");
	pid_t a = SLEEPER(c, RECV(c, q));
	pid_t b = SLEEPER(c, RECV(c, q));

	SEND(c, q, "for-a", 1);
	reap(c, a);
	SEND(c, q, "for-b", 2);
	reap(c, b);
}

MQ_SCENARIO(senders_queue_on_full)
{
	int q = OPEN(c, "/q", O_CREAT | O_RDWR, 0600, 2, 16);
	pid_t a, b;

	SEND(c, q, "low", 1);
	SEND(c, q, "mid", 5);
	a = SLEEPER(c, SEND(c, q, "hi-a", 9));
	b = SLEEPER(c, SEND(c, q, "hi-b", 9));
	RECVT(c, q, 16, NULL);
	reap(c, a);
	RECVT(c, q, 16, NULL);
	reap(c, b);
	RECVT(c, q, 16, NULL);
	RECVT(c, q, 16, NULL);
	ATTR(c, q);
}

MQ_SCENARIO(receive_interrupted)
{
	int q = CREATE(c, "/q");
	pid_t pid = SLEEPER(c, catch_usr1(); RECV(c, q));

	kill(pid, SIGUSR1);
	reap(c, pid);
	ATTR(c, q);
}

MQ_SCENARIO(send_interrupted)
{
	int q = OPEN(c, "/q", O_CREAT | O_RDWR, 0600, 1, 16);
	pid_t pid;

	SEND(c, q, "full", 0);
	pid = SLEEPER(c, catch_usr1(); SEND(c, q, "never", 0));
	kill(pid, SIGUSR1);
	reap(c, pid);
	ATTR(c, q);
}

MQ_SCENARIO(sleeper_survives_unlink)
{
	int q = CREATE(c, "/q");
	pid_t pid = SLEEPER(c, RECV(c, q));

	UNLINK(c, "/q");
	SEND(c, q, "late", 0);
	reap(c, pid);
}

MQ_SCENARIO(sleeper_times_out)
{
	int q = CREATE(c, "/q");
	pid_t pid = SLEEPER(c, struct timespec ts;
			    RECVT(c, q, 8192, abs_in(&ts, 400)));

	reap(c, pid);
	ATTR(c, q);
}

/* ---- limits ---- */

MQ_SCENARIO(sysctl_defaults_and_ranges)
{
	SYSCTL(c, "queues_max", NULL);
	SYSCTL(c, "msg_max", "0");
	SYSCTL(c, "msg_max", "65537");
	SYSCTL(c, "msg_max", "65536");
	SYSCTL(c, "msgsize_max", "127");
	SYSCTL(c, "msgsize_max", "16777217");
	SYSCTL(c, "msgsize_max", "128");
	SYSCTL(c, "msg_default", "0");
	SYSCTL(c, "msg_default", "3");
	SYSCTL(c, "msgsize_default", "129");
	SYSCTL(c, "queues_max", "-1");
	SYSCTL(c, "queues_max", "7");
}

MQ_SCENARIO(defaults_follow_sysctls)
{
	int q;

	SYSCTL(c, "msg_default", "4");
	SYSCTL(c, "msgsize_default", "512");
	q = CREATE(c, "/a");
	ATTR(c, q);
	SYSCTL(c, "msg_max", "2");
	SYSCTL(c, "msgsize_max", "256");
	q = CREATE(c, "/b");
	ATTR(c, q);
	if (user(c)) {
		q = CREATE(c, "/c");
		ATTR(c, q);
		OPEN(c, "/d", O_CREAT | O_RDWR, 0600, 3, 100);
		OPEN(c, "/d", O_CREAT | O_RDWR, 0600, 2, 256);
		_exit(0);
	}
}

MQ_SCENARIO(queues_max_for_user)
{
	SYSCTL(c, "queues_max", "2");
	CREATE(c, "/a");
	if (user(c)) {
		CREATE(c, "/b");
		CREATE(c, "/c");
		OPENQ(c, "/a", O_CREAT | O_RDONLY);
		_exit(0);
	}
	CREATE(c, "/root-over");
	UNLINK(c, "/a");
	UNLINK(c, "/root-over");
	if (user(c)) {
		CREATE(c, "/c");
		_exit(0);
	}
}

MQ_SCENARIO(queues_max_counts_open_unlinked)
{
	int q;

	SYSCTL(c, "queues_max", "1");
	if (user(c)) {
		q = CREATE(c, "/a");
		UNLINK(c, "/a");
		CREATE(c, "/b");
		close(q);
		CREATE(c, "/b");
		_exit(0);
	}
}

/* RLIMIT_MSGQUEUE, charged to the real uid (one of its own). */
MQ_SCENARIO(rlimit_msgqueue)
{
	if (child_as(c, SIPC_TEST_UID2, SIPC_TEST_GID)) {
		/* 1 x 1000 bytes + one msg_msg + one tree node: 1096 */
		struct rlimit rl = { 2192, 2192 };
		int q;

		setrlimit(RLIMIT_MSGQUEUE, &rl);
		OPEN(c, "/a", O_CREAT | O_RDWR, 0600, 1, 1000);
		q = OPEN(c, "/b", O_CREAT | O_RDWR, 0600, 1, 1000);
		OPEN(c, "/c", O_CREAT | O_RDWR, 0600, 1, 1000);
		OPEN(c, "/c", O_CREAT | O_RDWR, 0600, 1, 999);
		UNLINK(c, "/b");
		OPEN(c, "/c", O_CREAT | O_RDWR, 0600, 1, 1000);
		close(q);
		OPEN(c, "/c", O_CREAT | O_RDWR, 0600, 1, 1000);
		UNLINK(c, "/a");
		UNLINK(c, "/c");
		_exit(0);
	}
}

MQ_SCENARIO(rlimit_default_queue_sizes)
{
	if (child_as(c, SIPC_TEST_UID2, SIPC_TEST_GID)) {
		struct rlimit rl = { 82880 * 2, 82880 * 2 };

		setrlimit(RLIMIT_MSGQUEUE, &rl);
		CREATE(c, "/a");
		CREATE(c, "/b");
		CREATE(c, "/c");
		UNLINK(c, "/a");
		UNLINK(c, "/b");
		UNLINK(c, "/c");
		_exit(0);
	}
}
TEST_HARNESS_MAIN
