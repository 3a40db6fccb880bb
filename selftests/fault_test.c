// SPDX-License-Identifier: GPL-2.0
/*
 * Fault injection on every allocating ioctl: with /proc/thread-self/fail-nth
 * set to N = 1, 2, ... the N-th allocation of the call fails, until the
 * call no longer reaches N allocations. Every failing call must return an
 * allocation errno and leave nothing behind: the same namespaces, tasks,
 * handles, segments, queues and queued bytes (System V and POSIX),
 * semaphore sets, fds, mappings and the same namespace for the caller,
 * and the object it acted on unchanged (a message still queued or not
 * queued, semaphore values untouched, no mq_notify registration, a
 * queue's name still linked).
 * Needs a kernel with CONFIG_FAULT_INJECTION_DEBUG_FS (make check-debug);
 * skipped elsewhere.
 */
#include <dirent.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>

#include "kselftest_harness.h"
#include "sipc_test.h"

#define MAX_POINTS 2000

struct snapshot {
	struct shadowipc_status st;
	struct shadowipc_ns_info info;	/* of the caller's namespace */
	uint64_t ns_id;
	int fds;
	int maps;
};

static int count_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	int n = 0;

	if (!d)
		return -1;
	while ((e = readdir(d)))
		n += e->d_name[0] != '.';
	closedir(d);
	return n - 1;	/* the directory's own fd */
}

static int count_maps(void)
{
	FILE *f = fopen("/proc/self/maps", "r");
	int n = 0, c;

	if (!f)
		return -1;
	while ((c = fgetc(f)) != EOF)
		n += c == '\n';
	fclose(f);
	return n;
}

static void take_snapshot(struct snapshot *s)
{
	s->st = sipc_status();
	if (shadowipc_ns_info(-1, &s->info))
		memset(&s->info, 0xff, sizeof(s->info));
	s->ns_id = shadowipc_ns_id();
	s->fds = count_fds();
	s->maps = count_maps();
}

/* fail-nth applies to sleeping allocations too only when told so. */
static void fault_attrs_setup(void)
{
	sipc_write_str("/sys/kernel/debug/failslab/ignore-gfp-wait", "N");
	sipc_write_str("/sys/kernel/debug/fail_page_alloc/ignore-gfp-wait", "N");
	sipc_write_str("/sys/kernel/debug/fail_page_alloc/ignore-gfp-highmem", "N");
	sipc_write_str("/sys/kernel/debug/fail_page_alloc/min-order", "0");
	sipc_write_str("/sys/kernel/debug/failslab/verbose", "0");
	sipc_write_str("/sys/kernel/debug/fail_page_alloc/verbose", "0");
}

struct fault_case {
	const char *name;
	int (*setup)(void *ctx);	/* per attempt, before the snapshot */
	int (*call)(void *ctx);		/* 0, or -1 with errno */
	void (*undo)(void *ctx);	/* after a successful call */
	void (*cleanup)(void *ctx);	/* after a failed call */
	int (*intact)(void *ctx);	/* optional: 0 if a failed call changed nothing */
};

struct ctx {
	int home;	/* handle on the caller's namespace */
	int other;	/* handle on another namespace */
	int shmid;
	int msqid;
	int semid;
	int fd;
	void *addr;
	mqd_t mqd;
};

static bool allowed_errno(int e)
{
	return e == ENOMEM || e == ENOSPC || e == ENFILE;
}

FIXTURE(fault) {
	int nth;
	struct ctx ctx;
};

FIXTURE_SETUP(fault)
{
	self->nth = -1;
	if (!sipc_dev_present())
		SKIP(return, "%s: %s (module not loaded)", SHADOWIPC_DEVICE,
		     strerror(errno));
	self->nth = open("/proc/thread-self/fail-nth", O_RDWR);
	if (self->nth < 0)
		SKIP(return, "no /proc/thread-self/fail-nth: kernel without CONFIG_FAULT_INJECTION_DEBUG_FS (run make check-debug)");
	fault_attrs_setup();
	/* a namespace of our own, so failures cannot touch others' state */
	ASSERT_EQ(0, shadowipc_unshare(NULL));
	self->ctx.home = shadowipc_ns_fd(0, NULL);
	ASSERT_GE(self->ctx.home, 0);
	ASSERT_EQ(0, shadowipc_unshare(NULL));
	self->ctx.other = shadowipc_ns_fd(0, NULL);
	ASSERT_GE(self->ctx.other, 0);
	ASSERT_EQ(0, shadowipc_setns(self->ctx.home));
}

FIXTURE_TEARDOWN(fault)
{
	if (self->nth >= 0)
		close(self->nth);
}

static void arm(int fd, int n)
{
	char buf[16];
	int len = snprintf(buf, sizeof(buf), "%d", n);

	pwrite(fd, buf, len, 0);
}

static int disarm(int fd)
{
	char buf[16] = "";
	int left;

	pread(fd, buf, sizeof(buf) - 1, 0);
	left = atoi(buf);
	pwrite(fd, "0", 1, 0);
	return left;
}

static void run_case(struct __test_metadata *_metadata, int nth,
		     const struct fault_case *fc, struct ctx *ctx)
{
	struct snapshot before, after;
	int n, ret, err, left, failed = 0;

	/* The 6.1 harness runs the body even when the setup skipped. */
	if (nth < 0)
		return;
	for (n = 1; n <= MAX_POINTS; n++) {
		if (fc->setup)
			ASSERT_EQ(0, fc->setup(ctx));
		take_snapshot(&before);
		arm(nth, n);
		ret = fc->call(ctx);
		err = errno;
		left = disarm(nth);
		if (!ret) {
			fc->undo(ctx);
			if (left > 0)
				break;	/* the call made fewer than n allocations */
			continue;	/* failure absorbed (a reserve, a retry) */
		}
		failed++;
		EXPECT_TRUE(allowed_errno(err))
			TH_LOG("%s: allocation %d: errno %d (%s)", fc->name, n,
			       err, strerror(err));
		take_snapshot(&after);
		EXPECT_EQ(before.st.namespaces, after.st.namespaces)
			TH_LOG("%s: allocation %d leaked a namespace", fc->name, n);
		EXPECT_EQ(before.st.bindings, after.st.bindings);
		EXPECT_EQ(before.st.handles, after.st.handles);
		EXPECT_EQ(before.st.segments, after.st.segments)
			TH_LOG("%s: allocation %d leaked a segment", fc->name, n);
		for (int k = SHADOWIPC_KIND_MSG; k <= SHADOWIPC_KIND_MQ; k++) {
			EXPECT_EQ(before.info.objects[k], after.info.objects[k])
				TH_LOG("%s: allocation %d: objects of kind %d",
				       fc->name, n, k);
			EXPECT_EQ(before.info.bytes[k], after.info.bytes[k])
				TH_LOG("%s: allocation %d: bytes of kind %d",
				       fc->name, n, k);
		}
		if (fc->intact)
			EXPECT_EQ(0, fc->intact(ctx))
				TH_LOG("%s: allocation %d changed the object",
				       fc->name, n);
		EXPECT_EQ(before.ns_id, after.ns_id);
		EXPECT_EQ(before.fds, after.fds)
			TH_LOG("%s: allocation %d leaked an fd", fc->name, n);
		EXPECT_EQ(before.maps, after.maps)
			TH_LOG("%s: allocation %d left a mapping", fc->name, n);
		if (fc->cleanup)
			fc->cleanup(ctx);
	}
	EXPECT_LE(n, MAX_POINTS);
	ksft_print_msg("%s: %d allocation points, %d failures injected and survived\n",
		       fc->name, n - 1, failed);
	fflush(stdout);
}

static int call_unshare(void *p)
{
	return shadowipc_unshare(NULL);
}

static void back_home(void *p)
{
	struct ctx *c = p;

	shadowipc_setns(c->home);
}

static int call_ns_fd(void *p)
{
	struct ctx *c = p;

	c->fd = shadowipc_ns_fd(0, NULL);
	return c->fd < 0 ? -1 : 0;
}

static void close_fd(void *p)
{
	close(((struct ctx *)p)->fd);
}

static int call_setns(void *p)
{
	return shadowipc_setns(((struct ctx *)p)->other);
}

static int call_shmget(void *p)
{
	struct ctx *c = p;

	c->shmid = shadowipc_shmget(IPC_PRIVATE, 3 * 4096, IPC_CREAT | 0600);
	return c->shmid < 0 ? -1 : 0;
}

static void rmid(void *p)
{
	shadowipc_shmctl(((struct ctx *)p)->shmid, IPC_RMID, NULL);
}

static int make_segment(void *p)
{
	return call_shmget(p);
}

static int call_shmat(void *p)
{
	struct ctx *c = p;

	c->addr = shadowipc_shmat(c->shmid, NULL, 0);
	return c->addr == (void *)-1 ? -1 : 0;
}

static void detach_and_rmid(void *p)
{
	struct ctx *c = p;

	shadowipc_shmdt(c->addr);
	rmid(p);
}

static int call_rmid(void *p)
{
	return shadowipc_shmctl(((struct ctx *)p)->shmid, IPC_RMID, NULL);
}

static void nothing(void *p)
{
}

static int call_stat(void *p)
{
	struct shmid_ds ds;

	return shadowipc_shmctl(((struct ctx *)p)->shmid, IPC_STAT, &ds);
}

/* Message queues: a message of two pages and more. */
#define BIG_MSG		8192

static struct {
	long mtype;
	char mtext[BIG_MSG];
} msg;

static int make_queue(void *p)
{
	struct ctx *c = p;

	c->msqid = shadowipc_msgget(IPC_PRIVATE, 0600);
	return c->msqid < 0 ? -1 : 0;
}

static int call_msgget(void *p)
{
	return make_queue(p);
}

static void msg_rmid(void *p)
{
	shadowipc_msgctl(((struct ctx *)p)->msqid, IPC_RMID, NULL);
}

static int call_msgsnd(void *p)
{
	msg.mtype = 1;
	memset(msg.mtext, 0x6d, BIG_MSG);
	return shadowipc_msgsnd(((struct ctx *)p)->msqid, &msg, BIG_MSG,
				IPC_NOWAIT);
}

/* A queue holding one big message. */
static int make_full_queue(void *p)
{
	if (make_queue(p))
		return -1;
	return call_msgsnd(p);
}

static int call_msgrcv(void *p)
{
	ssize_t n = shadowipc_msgrcv(((struct ctx *)p)->msqid, &msg, BIG_MSG,
				     0, IPC_NOWAIT);

	return n == BIG_MSG ? 0 : -1;
}

static int call_msgrcv_copy(void *p)
{
	ssize_t n = shadowipc_msgrcv(((struct ctx *)p)->msqid, &msg, BIG_MSG,
				     0, IPC_NOWAIT | MSG_COPY);

	return n == BIG_MSG ? 0 : -1;
}

/* The message is still there, whole. */
static int message_queued(void *p)
{
	struct msqid_ds ds;

	if (shadowipc_msgctl(((struct ctx *)p)->msqid, IPC_STAT, &ds))
		return -1;
	return ds.msg_qnum == 1 && ds.__msg_cbytes == BIG_MSG ? 0 : -1;
}

static int call_msgctl_stat(void *p)
{
	struct msqid_ds ds;

	return shadowipc_msgctl(((struct ctx *)p)->msqid, IPC_STAT, &ds);
}

/* Semaphores: more of them than fit in a small on-stack array. */
#define NSEMS		300

static int make_set(void *p)
{
	struct ctx *c = p;

	c->semid = shadowipc_semget(IPC_PRIVATE, NSEMS, 0600);
	return c->semid < 0 ? -1 : 0;
}

static int call_semget(void *p)
{
	return make_set(p);
}

static void sem_rmid(void *p)
{
	shadowipc_semctl(((struct ctx *)p)->semid, 0, IPC_RMID);
}

/* SEM_UNDO: the first call of the process allocates its undo list. */
static int call_semop_undo(void *p)
{
	struct sembuf ops[] = {
		{ 0, 1, SEM_UNDO }, { NSEMS - 1, 2, SEM_UNDO },
	};

	return shadowipc_semop(((struct ctx *)p)->semid, ops, 2);
}

static int sems_zero(void *p)
{
	int id = ((struct ctx *)p)->semid;

	return shadowipc_semctl(id, 0, GETVAL) == 0 &&
	       shadowipc_semctl(id, NSEMS - 1, GETVAL) == 0 ? 0 : -1;
}

static unsigned short vals[NSEMS];

static int call_semctl_setall(void *p)
{
	for (int i = 0; i < NSEMS; i++)
		vals[i] = i + 1;
	return shadowipc_semctl(((struct ctx *)p)->semid, 0, SETALL, vals);
}

static int call_semctl_getall(void *p)
{
	return shadowipc_semctl(((struct ctx *)p)->semid, 0, GETALL, vals);
}

/* POSIX message queues: a message of two pages. */
#define MQ_NAME		"/sipc_fault"
#define MQ_MSG		8192

static char mq_text[MQ_MSG];
/* mq calls never wait: O_NONBLOCK queues and a timeout long past. */
static const struct timespec mq_past = { 1, 0 };

static int call_mq_open(void *p)
{
	struct mq_attr attr = { .mq_maxmsg = 4, .mq_msgsize = MQ_MSG };
	struct ctx *c = p;

	c->mqd = shadowipc_mq_open(MQ_NAME, O_RDWR | O_CREAT | O_EXCL |
				   O_NONBLOCK, 0600, &attr);
	return c->mqd == (mqd_t)-1 ? -1 : 0;
}

static int make_mq(void *p)
{
	return call_mq_open(p);
}

static void mq_close_unlink(void *p)
{
	close(((struct ctx *)p)->mqd);
	shadowipc_mq_unlink(MQ_NAME);
}

static void close_mqd(void *p)
{
	close(((struct ctx *)p)->mqd);
}

static int call_mq_timedsend(void *p)
{
	memset(mq_text, 0x71, MQ_MSG);
	return shadowipc_mq_timedsend(((struct ctx *)p)->mqd, mq_text, MQ_MSG,
				      7, &mq_past);
}

/* A queue holding one big message. */
static int make_full_mq(void *p)
{
	if (make_mq(p))
		return -1;
	return call_mq_timedsend(p);
}

static int call_mq_timedreceive(void *p)
{
	unsigned int prio;
	ssize_t n = shadowipc_mq_timedreceive(((struct ctx *)p)->mqd, mq_text,
					      MQ_MSG, &prio, &mq_past);

	return n == MQ_MSG ? 0 : -1;
}

static long mq_curmsgs(void *p)
{
	struct mq_attr attr;

	if (shadowipc_mq_getattr(((struct ctx *)p)->mqd, &attr))
		return -1;
	return attr.mq_curmsgs;
}

static int mq_empty(void *p)
{
	return mq_curmsgs(p) == 0 ? 0 : -1;
}

static int mq_one_message(void *p)
{
	return mq_curmsgs(p) == 1 ? 0 : -1;
}

static int call_mq_notify(void *p)
{
	struct sigevent sev = { .sigev_notify = SIGEV_SIGNAL,
				.sigev_signo = SIGUSR1 };

	return shadowipc_mq_notify(((struct ctx *)p)->mqd, &sev);
}

/* No registration was left: another one is not EBUSY. */
static int mq_not_registered(void *p)
{
	struct sigevent sev = { .sigev_notify = SIGEV_NONE };
	mqd_t q = ((struct ctx *)p)->mqd;

	if (shadowipc_mq_notify(q, &sev))
		return -1;
	return shadowipc_mq_notify(q, NULL);
}

static int call_mq_unlink(void *p)
{
	return shadowipc_mq_unlink(MQ_NAME);
}

/* The name is still linked, to the same queue. */
static int mq_linked(void *p)
{
	struct mq_attr a1, a2;
	mqd_t q = shadowipc_mq_open(MQ_NAME, O_RDONLY | O_NONBLOCK);
	int ret;

	if (q == (mqd_t)-1)
		return -1;
	ret = shadowipc_mq_getattr(q, &a1) ||
	      shadowipc_mq_getattr(((struct ctx *)p)->mqd, &a2) ||
	      a1.mq_msgsize != a2.mq_msgsize ? -1 : 0;
	close(q);
	return ret;
}

/* No queue by that name. */
static int mq_absent(void *p)
{
	mqd_t q = shadowipc_mq_open(MQ_NAME, O_RDONLY | O_NONBLOCK);

	if (q == (mqd_t)-1)
		return errno == ENOENT ? 0 : -1;
	close(q);
	return -1;
}

static const struct fault_case cases[] = {
	{ "unshare", NULL, call_unshare, back_home, NULL, NULL },
	{ "ns_fd", NULL, call_ns_fd, close_fd, NULL, NULL },
	{ "setns", NULL, call_setns, back_home, NULL, NULL },
	{ "shmget", NULL, call_shmget, rmid, NULL, NULL },
	{ "shmat", make_segment, call_shmat, detach_and_rmid, rmid, NULL },
	{ "shmctl_stat", make_segment, call_stat, rmid, rmid, NULL },
	{ "shmctl_rmid", make_segment, call_rmid, nothing, rmid, NULL },
	{ "msgget", NULL, call_msgget, msg_rmid, NULL, NULL },
	{ "msgsnd", make_queue, call_msgsnd, msg_rmid, msg_rmid, NULL },
	{ "msgrcv", make_full_queue, call_msgrcv, msg_rmid, msg_rmid,
	  message_queued },
	{ "msgrcv_copy", make_full_queue, call_msgrcv_copy, msg_rmid, msg_rmid,
	  message_queued },
	{ "msgctl_stat", make_full_queue, call_msgctl_stat, msg_rmid, msg_rmid,
	  NULL },
	{ "semget", NULL, call_semget, sem_rmid, NULL, NULL },
	{ "semop_undo", make_set, call_semop_undo, sem_rmid, sem_rmid,
	  sems_zero },
	{ "semctl_setall", make_set, call_semctl_setall, sem_rmid, sem_rmid,
	  sems_zero },
	{ "semctl_getall", make_set, call_semctl_getall, sem_rmid, sem_rmid,
	  NULL },
	{ "mq_timedsend", make_mq, call_mq_timedsend, mq_close_unlink,
	  mq_close_unlink, mq_empty },
	{ "mq_timedreceive", make_full_mq, call_mq_timedreceive,
	  mq_close_unlink, mq_close_unlink, mq_one_message },
	{ "mq_notify", make_mq, call_mq_notify, mq_close_unlink,
	  mq_close_unlink, mq_not_registered },
	{ "mq_unlink", make_mq, call_mq_unlink, close_mqd, mq_close_unlink,
	  mq_linked },
	{ "mq_open", NULL, call_mq_open, mq_close_unlink, NULL, mq_absent },
};

#define FAULT_TEST(name, i)						\
	TEST_F_TIMEOUT(fault, name, 120)				\
	{								\
		run_case(_metadata, self->nth, &cases[i], &self->ctx);	\
	}

FAULT_TEST(unshare, 0)
FAULT_TEST(ns_fd, 1)
FAULT_TEST(setns, 2)
FAULT_TEST(shmget, 3)
FAULT_TEST(shmat, 4)
FAULT_TEST(shmctl_stat, 5)
FAULT_TEST(shmctl_rmid, 6)
FAULT_TEST(msgget, 7)
FAULT_TEST(msgsnd, 8)
FAULT_TEST(msgrcv, 9)
FAULT_TEST(msgrcv_copy, 10)
FAULT_TEST(msgctl_stat, 11)
FAULT_TEST(semget, 12)
FAULT_TEST(semop_undo, 13)
FAULT_TEST(semctl_setall, 14)
FAULT_TEST(semctl_getall, 15)
FAULT_TEST(mq_timedsend, 16)
FAULT_TEST(mq_timedreceive, 17)
FAULT_TEST(mq_notify, 18)
FAULT_TEST(mq_unlink, 19)
FAULT_TEST(mq_open, 20)

TEST_HARNESS_MAIN
