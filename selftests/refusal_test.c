// SPDX-License-Identifier: GPL-2.0
/*
 * Why a call was refused: SHADOWIPC_IOC_LAST_REFUSAL gives, for each
 * refusal class (a limit or a permission rule), the check, the errno and
 * the numbers (asked, in use, limit); it is per thread, cleared by a
 * read that copied it out, ENOENT when there is none, and takes no flags.
 */
#include <mqueue.h>
#include <pthread.h>
#include <sys/ioctl.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/msg.h>
#include <sys/resource.h>
#include <sys/sem.h>
#include <sys/shm.h>

#include "kselftest_harness.h"
#include "sipc_test.h"

#define SHADOW_SYS	"/proc/shadowipc/sys/kernel/"
#define SHADOW_MQ	"/proc/shadowipc/sys/fs/mqueue/"
#define MAX_NS_PARAM	"/sys/module/shadowipc/parameters/max_namespaces"
#define KEY		0x7e5a

/*
 * Does the calling thread's last refusal say @check, @err and the
 * numbers, in namespace @ns? Return: 0, or which part differs (for a
 * child's exit status).
 */
static int refusal_in(__u64 ns, unsigned int check, int err, __u64 asked,
		      __u64 used, __u64 limit)
{
	struct shadowipc_last_refusal r;

	if (shadowipc_last_refusal(&r))
		return 10;
	if (r.check != check)
		return 11;
	if (r.err != err)
		return 12;
	if (r.asked != asked)
		return 13;
	if (r.used != used)
		return 14;
	if (r.limit != limit)
		return 15;
	if (r.ns_id != ns)
		return 16;
	return 0;
}

/* As refusal_in(), in the calling thread's namespace. */
static int refusal_is(unsigned int check, int err, __u64 asked, __u64 used,
		      __u64 limit)
{
	return refusal_in(shadowipc_ns_id(), check, err, asked, used, limit);
}

/* Read the thread's last refusal back; it must be @check with @err. */
#define EXPECT_REFUSAL(check, err, asked, used, limit)			\
	EXPECT_EQ(0, refusal_is(SHADOWIPC_CHECK_##check, err, asked, used, \
				limit))

/* Run @fn as SIPC_TEST_UID in a child; its exit status. */
static int as_nobody(int (*fn)(void *), void *arg)
{
	pid_t pid = fork();

	if (pid < 0)
		return -1;
	if (!pid) {
		if (sipc_drop_privs(SIPC_TEST_UID, SIPC_TEST_GID))
			_exit(1);
		_exit(fn(arg));
	}
	return sipc_wait(pid);
}

FIXTURE(refusal) {
	uint64_t ns;
};

FIXTURE_SETUP(refusal)
{
	struct shadowipc_last_refusal r;

	if (!sipc_dev_present())
		SKIP(return, "%s: %s (module not loaded)", SHADOWIPC_DEVICE,
		     strerror(errno));
	ASSERT_EQ(0, shadowipc_unshare(&self->ns));
	/* whatever an earlier test left */
	shadowipc_last_refusal(&r);
}

FIXTURE_TEARDOWN(refusal)
{
}

TEST_F(refusal, none_is_enoent)
{
	struct shadowipc_last_refusal r;

	EXPECT_EQ(-1, shadowipc_last_refusal(&r));
	EXPECT_EQ(ENOENT, errno);
}

TEST_F(refusal, read_clears_it)
{
	struct shadowipc_last_refusal r;

	EXPECT_EQ(-1, shadowipc_shmget(IPC_PRIVATE, 0, 0600));
	EXPECT_EQ(0, shadowipc_last_refusal(&r));
	EXPECT_EQ(-1, shadowipc_last_refusal(&r));
	EXPECT_EQ(ENOENT, errno);
}

TEST_F(refusal, success_keeps_it)
{
	int id;

	EXPECT_EQ(-1, shadowipc_shmget(IPC_PRIVATE, 0, 0600));
	id = shadowipc_shmget(IPC_PRIVATE, 4096, 0600);
	ASSERT_LE(0, id);
	EXPECT_REFUSAL(SHMMIN, EINVAL, 0, 0, 1);
	shadowipc_shmctl(id, IPC_RMID, NULL);
}

TEST_F(refusal, flags_and_pad_are_einval)
{
	struct shadowipc_last_refusal r = { .flags = 1 };

	EXPECT_EQ(-1, shadowipc_shmget(IPC_PRIVATE, 0, 0600));
	EXPECT_EQ(-1, ioctl(shadowipc_fd(), SHADOWIPC_IOC_LAST_REFUSAL, &r));
	EXPECT_EQ(EINVAL, errno);
	r.flags = 0;
	r.pad = 1;
	EXPECT_EQ(-1, ioctl(shadowipc_fd(), SHADOWIPC_IOC_LAST_REFUSAL, &r));
	EXPECT_EQ(EINVAL, errno);
	/* neither read it */
	EXPECT_REFUSAL(SHMMIN, EINVAL, 0, 0, 1);
}

TEST_F(refusal, unwritable_buffer_keeps_it)
{
	void *p = mmap(NULL, 4096, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS, -1,
		       0);

	ASSERT_NE(MAP_FAILED, p);
	EXPECT_EQ(-1, shadowipc_shmget(IPC_PRIVATE, 0, 0600));
	EXPECT_EQ(-1, ioctl(shadowipc_fd(), SHADOWIPC_IOC_LAST_REFUSAL, p));
	EXPECT_EQ(EFAULT, errno);
	EXPECT_REFUSAL(SHMMIN, EINVAL, 0, 0, 1);
	munmap(p, 4096);
}

static void *read_in_thread(void *arg)
{
	struct shadowipc_last_refusal r;

	return (void *)(long)(shadowipc_last_refusal(&r) ? errno : 0);
}

static void *refused_in_thread(void *arg)
{
	if (shadowipc_shmget(IPC_PRIVATE, 8193, 0600) != -1)
		return (void *)1L;
	return (void *)(long)refusal_is(SHADOWIPC_CHECK_SHMMAX, EINVAL, 8193,
					0, 8192);
}

TEST_F(refusal, per_thread)
{
	pthread_t t;
	void *ret;

	EXPECT_EQ(-1, shadowipc_shmget(IPC_PRIVATE, 0, 0600));
	/* another thread has none, and does not take this one's */
	ASSERT_EQ(0, pthread_create(&t, NULL, read_in_thread, NULL));
	ASSERT_EQ(0, pthread_join(t, &ret));
	EXPECT_EQ(ENOENT, (long)ret);
	/* a failure no check made leaves it */
	EXPECT_EQ(-1, shadowipc_msgget(KEY, 0));
	EXPECT_EQ(ENOENT, errno);
	/* another thread's refusal is that thread's */
	ASSERT_EQ(0, sipc_write_str(SHADOW_SYS "shmmax", "8192"));
	ASSERT_EQ(0, pthread_create(&t, NULL, refused_in_thread, NULL));
	ASSERT_EQ(0, pthread_join(t, &ret));
	EXPECT_EQ(0, (long)ret);
	EXPECT_REFUSAL(SHMMIN, EINVAL, 0, 0, 1);
}

TEST_F(refusal, shmmin)
{
	EXPECT_EQ(-1, shadowipc_shmget(IPC_PRIVATE, 0, 0600));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_REFUSAL(SHMMIN, EINVAL, 0, 0, 1);
}

TEST_F(refusal, shmmax)
{
	ASSERT_EQ(0, sipc_write_str(SHADOW_SYS "shmmax", "8192"));
	EXPECT_EQ(-1, shadowipc_shmget(IPC_PRIVATE, 8193, 0600));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_REFUSAL(SHMMAX, EINVAL, 8193, 0, 8192);
}

TEST_F(refusal, shmall)
{
	long page = sysconf(_SC_PAGESIZE);
	int id;

	ASSERT_EQ(0, sipc_write_str(SHADOW_SYS "shmall", "4"));
	id = shadowipc_shmget(IPC_PRIVATE, 2 * page, 0600);
	ASSERT_LE(0, id);
	EXPECT_EQ(-1, shadowipc_shmget(IPC_PRIVATE, 3 * page, 0600));
	EXPECT_EQ(ENOSPC, errno);
	EXPECT_REFUSAL(SHMALL, ENOSPC, 3, 2, 4);
	shadowipc_shmctl(id, IPC_RMID, NULL);
}

TEST_F(refusal, shmmni)
{
	int id;

	ASSERT_EQ(0, sipc_write_str(SHADOW_SYS "shmmni", "1"));
	id = shadowipc_shmget(IPC_PRIVATE, 4096, 0600);
	ASSERT_LE(0, id);
	EXPECT_EQ(-1, shadowipc_shmget(IPC_PRIVATE, 4096, 0600));
	EXPECT_EQ(ENOSPC, errno);
	EXPECT_REFUSAL(SHMMNI, ENOSPC, 1, 1, 1);
	shadowipc_shmctl(id, IPC_RMID, NULL);
}

TEST_F(refusal, msgmni)
{
	int id;

	ASSERT_EQ(0, sipc_write_str(SHADOW_SYS "msgmni", "1"));
	id = shadowipc_msgget(IPC_PRIVATE, 0600);
	ASSERT_LE(0, id);
	EXPECT_EQ(-1, shadowipc_msgget(IPC_PRIVATE, 0600));
	EXPECT_EQ(ENOSPC, errno);
	EXPECT_REFUSAL(MSGMNI, ENOSPC, 1, 1, 1);
	shadowipc_msgctl(id, IPC_RMID, NULL);
}

TEST_F(refusal, semmni)
{
	int id;

	ASSERT_EQ(0, sipc_write_str(SHADOW_SYS "sem", "250 32000 32 1"));
	id = shadowipc_semget(IPC_PRIVATE, 1, 0600);
	ASSERT_LE(0, id);
	EXPECT_EQ(-1, shadowipc_semget(IPC_PRIVATE, 1, 0600));
	EXPECT_EQ(ENOSPC, errno);
	EXPECT_REFUSAL(SEMMNI, ENOSPC, 1, 1, 1);
	shadowipc_semctl(id, 0, IPC_RMID);
}

TEST_F(refusal, msgmax)
{
	struct { long mtype; char mtext[8193]; } m = { .mtype = 1 };
	int id;

	ASSERT_EQ(0, sipc_write_str(SHADOW_SYS "msgmax", "8192"));
	id = shadowipc_msgget(IPC_PRIVATE, 0600);
	ASSERT_LE(0, id);
	EXPECT_EQ(-1, shadowipc_msgsnd(id, &m, sizeof(m.mtext), 0));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_REFUSAL(MSGMAX, EINVAL, 8193, 0, 8192);
	shadowipc_msgctl(id, IPC_RMID, NULL);
}

TEST_F(refusal, msgmnb)
{
	struct { long mtype; char mtext[60]; } m = { .mtype = 1 };
	int id;

	ASSERT_EQ(0, sipc_write_str(SHADOW_SYS "msgmnb", "100"));
	id = shadowipc_msgget(IPC_PRIVATE, 0600);
	ASSERT_LE(0, id);
	ASSERT_EQ(0, shadowipc_msgsnd(id, &m, sizeof(m.mtext), IPC_NOWAIT));
	EXPECT_EQ(-1, shadowipc_msgsnd(id, &m, sizeof(m.mtext), IPC_NOWAIT));
	EXPECT_EQ(EAGAIN, errno);
	EXPECT_REFUSAL(MSGMNB, EAGAIN, 60, 60, 100);
	shadowipc_msgctl(id, IPC_RMID, NULL);
}

TEST_F(refusal, semmsl)
{
	ASSERT_EQ(0, sipc_write_str(SHADOW_SYS "sem", "8 32000 32 128"));
	EXPECT_EQ(-1, shadowipc_semget(IPC_PRIVATE, 9, 0600));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_REFUSAL(SEMMSL, EINVAL, 9, 0, 8);
}

TEST_F(refusal, semmns)
{
	int id;

	ASSERT_EQ(0, sipc_write_str(SHADOW_SYS "sem", "250 10 32 128"));
	id = shadowipc_semget(IPC_PRIVATE, 4, 0600);
	ASSERT_LE(0, id);
	EXPECT_EQ(-1, shadowipc_semget(IPC_PRIVATE, 7, 0600));
	EXPECT_EQ(ENOSPC, errno);
	EXPECT_REFUSAL(SEMMNS, ENOSPC, 7, 4, 10);
	shadowipc_semctl(id, 0, IPC_RMID);
}

TEST_F(refusal, semopm)
{
	struct sembuf ops[5] = { { 0 } };
	int id;

	ASSERT_EQ(0, sipc_write_str(SHADOW_SYS "sem", "250 32000 4 128"));
	id = shadowipc_semget(IPC_PRIVATE, 1, 0600);
	ASSERT_LE(0, id);
	EXPECT_EQ(-1, shadowipc_semop(id, ops, 5));
	EXPECT_EQ(E2BIG, errno);
	EXPECT_REFUSAL(SEMOPM, E2BIG, 5, 0, 4);
	shadowipc_semctl(id, 0, IPC_RMID);
}

TEST_F(refusal, semvmx)
{
	struct sembuf op = { 0, 1, 0 };
	int id = shadowipc_semget(IPC_PRIVATE, 1, 0600);

	ASSERT_LE(0, id);
	EXPECT_EQ(-1, shadowipc_semctl(id, 0, SETVAL, 32768));
	EXPECT_EQ(ERANGE, errno);
	EXPECT_REFUSAL(SEMVMX, ERANGE, 32768, 0, 32767);
	/* semop: the value the operation would make */
	ASSERT_EQ(0, shadowipc_semctl(id, 0, SETVAL, 32760));
	op.sem_op = 8;
	EXPECT_EQ(-1, shadowipc_semop(id, &op, 1));
	EXPECT_EQ(ERANGE, errno);
	EXPECT_REFUSAL(SEMVMX, ERANGE, 32768, 0, 32767);
	shadowipc_semctl(id, 0, IPC_RMID);
}

/* An adjustment may go down to -SEMAEM - 1, and no further. */
TEST_F(refusal, semaem)
{
	struct sembuf up = { 0, 32767, SEM_UNDO }, down = { 0, -1, 0 };
	int id = shadowipc_semget(IPC_PRIVATE, 1, 0600);

	ASSERT_LE(0, id);
	ASSERT_EQ(0, shadowipc_semop(id, &up, 1));	/* adjustment -32767 */
	ASSERT_EQ(0, shadowipc_semop(id, &down, 1));
	up.sem_op = 1;
	ASSERT_EQ(0, shadowipc_semop(id, &up, 1));	/* -32768 */
	ASSERT_EQ(0, shadowipc_semop(id, &down, 1));
	EXPECT_EQ(-1, shadowipc_semop(id, &up, 1));	/* -32769 */
	EXPECT_EQ(ERANGE, errno);
	EXPECT_REFUSAL(SEMAEM, ERANGE, 32769, 0, 32767);
	shadowipc_semctl(id, 0, IPC_RMID);
}

/* Whose bits a nobody's read-write shmget() of KEY meets: *@arg. */
static int perm_child(void *arg)
{
	if (shadowipc_shmget(KEY, 4096, 0600) != -1 || errno != EACCES)
		return 2;
	/* read and write asked, read granted to the class compared */
	return refusal_is(SHADOWIPC_CHECK_PERM, EACCES, 6, *(int *)arg, 4);
}

/*
 * A segment with read for one class alone, read and write for the
 * others, owned by nobody's uid, by its gid or by neither: the refusal
 * names the class of bits compared.
 */
TEST_F(refusal, perm_names_the_class_compared)
{
	static const struct {
		int class;
		unsigned short mode;
		bool uid, gid;
	} cases[] = {
		{ SHADOWIPC_PERM_OWNER, 0466, true, false },
		{ SHADOWIPC_PERM_GROUP, 0646, false, true },
		{ SHADOWIPC_PERM_OTHER, 0664, false, false },
	};
	struct shmid_ds ds;
	unsigned int i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int id = shadowipc_shmget(KEY, 4096, IPC_CREAT | 0600);

		ASSERT_LE(0, id);
		ASSERT_EQ(0, shadowipc_shmctl(id, IPC_STAT, &ds));
		ds.shm_perm.uid = cases[i].uid ? SIPC_TEST_UID : 0;
		ds.shm_perm.gid = cases[i].gid ? SIPC_TEST_GID : 0;
		ds.shm_perm.mode = cases[i].mode;
		ASSERT_EQ(0, shadowipc_shmctl(id, IPC_SET, &ds));
		EXPECT_EQ(0, as_nobody(perm_child, (void *)&cases[i].class))
			TH_LOG("class %d", cases[i].class);
		shadowipc_shmctl(id, IPC_RMID, NULL);
	}
}

static int owner_child(void *arg)
{
	if (shadowipc_shmctl(*(int *)arg, IPC_RMID, NULL) != -1 ||
	    errno != EPERM)
		return 2;
	return refusal_is(SHADOWIPC_CHECK_OWNER, EPERM, 0, 0, 0);
}

TEST_F(refusal, owner)
{
	int id = shadowipc_shmget(IPC_PRIVATE, 4096, 0666);

	ASSERT_LE(0, id);
	EXPECT_EQ(0, as_nobody(owner_child, &id));
	shadowipc_shmctl(id, IPC_RMID, NULL);
}

/*
 * SHM_LOCK of a 2-page segment with RLIMIT_MEMLOCK *@arg pages, after a
 * 1-page segment locked where the limit lets one be.
 */
static int memlock_child(void *arg)
{
	long page = sysconf(_SC_PAGESIZE);
	rlim_t pages = *(rlim_t *)arg;
	struct rlimit rl = { pages * page, pages * page };
	int id = shadowipc_shmget(IPC_PRIVATE, 2 * page, 0600);
	int one = shadowipc_shmget(IPC_PRIVATE, page, 0600);
	int err = pages ? ENOMEM : EPERM;

	if (id < 0 || one < 0 || setrlimit(RLIMIT_MEMLOCK, &rl))
		return 2;
	if (pages && shadowipc_shmctl(one, SHM_LOCK, NULL))
		return 3;
	if (shadowipc_shmctl(id, SHM_LOCK, NULL) != -1 || errno != err)
		return 4;
	return refusal_is(SHADOWIPC_CHECK_MEMLOCK, err, 2, pages ? 1 : 0,
			  pages);
}

TEST_F(refusal, memlock)
{
	rlim_t pages = 0;

	EXPECT_EQ(0, as_nobody(memlock_child, &pages));
	pages = 2;
	EXPECT_EQ(0, as_nobody(memlock_child, &pages));
}

static int queues_max_child(void *arg)
{
	struct mq_attr attr = { .mq_maxmsg = 1, .mq_msgsize = 8 };

	if (shadowipc_mq_open("/rq1", O_RDWR | O_CREAT, 0600, &attr) < 0)
		return 2;
	if (shadowipc_mq_open("/rq2", O_RDWR | O_CREAT, 0600, &attr) != -1 ||
	    errno != ENOSPC)
		return 3;
	return refusal_is(SHADOWIPC_CHECK_MQ_QUEUES_MAX, ENOSPC, 1, 1, 1);
}

TEST_F(refusal, queues_max)
{
	ASSERT_EQ(0, sipc_write_str(SHADOW_MQ "queues_max", "1"));
	/* root has CAP_SYS_RESOURCE, which lifts it */
	EXPECT_EQ(0, as_nobody(queues_max_child, NULL));
	shadowipc_mq_unlink("/rq1");
}

static int msg_max_child(void *arg)
{
	struct mq_attr attr = { .mq_maxmsg = 11, .mq_msgsize = 8 };

	if (shadowipc_mq_open("/rm", O_RDWR | O_CREAT, 0600, &attr) != -1 ||
	    errno != EINVAL)
		return 2;
	if (refusal_is(SHADOWIPC_CHECK_MQ_MSG_MAX, EINVAL, 11, 0, 10))
		return 3;
	attr.mq_maxmsg = 1;
	attr.mq_msgsize = 8193;
	if (shadowipc_mq_open("/rm", O_RDWR | O_CREAT, 0600, &attr) != -1 ||
	    errno != EINVAL)
		return 4;
	return refusal_is(SHADOWIPC_CHECK_MQ_MSGSIZE_MAX, EINVAL, 8193, 0,
			  8192);
}

TEST_F(refusal, msg_max_and_msgsize_max)
{
	EXPECT_EQ(0, as_nobody(msg_max_child, NULL));
}

/* A big queue after a small one, within RLIMIT_MSGQUEUE of 4096 bytes. */
static int msgqueue_child(void *arg)
{
	struct mq_attr small = { .mq_maxmsg = 1, .mq_msgsize = 8 };
	struct mq_attr attr = { .mq_maxmsg = 10, .mq_msgsize = 8192 };
	struct rlimit rl = { 4096, 4096 };
	struct shadowipc_last_refusal r;

	if (setrlimit(RLIMIT_MSGQUEUE, &rl))
		return 2;
	if (shadowipc_mq_open("/rs", O_RDWR | O_CREAT, 0600, &small) < 0)
		return 3;
	if (shadowipc_mq_open("/rb", O_RDWR | O_CREAT, 0600, &attr) != -1 ||
	    errno != EMFILE)
		return 4;
	if (shadowipc_last_refusal(&r))
		return 5;
	shadowipc_mq_unlink("/rs");
	/* the bytes a queue is charged, messages and their overhead */
	return r.check == SHADOWIPC_CHECK_MSGQUEUE && r.err == EMFILE &&
	       r.asked > 10 * 8192 && r.used > 8 && r.used < 4096 &&
	       r.limit == 4096 ? 0 : 6;
}

TEST_F(refusal, msgqueue)
{
	EXPECT_EQ(0, as_nobody(msgqueue_child, NULL));
}

static int max_namespaces_child(void *arg)
{
	if (shadowipc_unshare(NULL) || shadowipc_ns_fd(0, NULL) < 0)
		return 2;
	if (shadowipc_unshare(NULL) != -1 || errno != ENOSPC)
		return 3;
	/* counted where namespaces are made: the initial one (id 1) */
	return refusal_in(1, SHADOWIPC_CHECK_MAX_NAMESPACES, ENOSPC, 1, 1, 1);
}

TEST_F(refusal, max_namespaces)
{
	char old[32] = "";

	ASSERT_LT(0, sipc_read_file(MAX_NS_PARAM, old, sizeof(old)));
	ASSERT_EQ(0, sipc_write_str(MAX_NS_PARAM, "1"));
	EXPECT_EQ(0, as_nobody(max_namespaces_child, NULL));
	ASSERT_EQ(0, sipc_write_str(MAX_NS_PARAM, old));
}

static int join_child(void *arg)
{
	if (shadowipc_setns(*(int *)arg) != -1 || errno != EPERM)
		return 2;
	return refusal_is(SHADOWIPC_CHECK_JOIN, EPERM, 0, 0, 0);
}

/* A handle on init's namespace, which nobody may not read. */
static int ns_fd_child(void *arg)
{
	if (shadowipc_ns_fd(1, NULL) != -1 || errno != EACCES)
		return 2;
	return refusal_is(SHADOWIPC_CHECK_NS_FD, EACCES, 0, 0, 0);
}

TEST_F(refusal, ns_fd)
{
	EXPECT_EQ(0, as_nobody(ns_fd_child, NULL));
}

TEST_F(refusal, join)
{
	int fd = shadowipc_ns_fd(0, NULL);

	ASSERT_LE(0, fd);
	EXPECT_EQ(0, as_nobody(join_child, &fd));
	close(fd);
}

TEST_HARNESS_MAIN
