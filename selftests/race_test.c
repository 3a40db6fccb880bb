// SPDX-License-Identifier: GPL-2.0
/*
 * Races, on both vCPUs, bounded in time (SHADOWIPC_RACE_SECONDS, default
 * 5 per test): IPC_RMID against shmat, fork and exit; shmdt against
 * munmap and mremap; remap_file_pages() against IPC_RMID; unshare and setns against fork, exit and the
 * last-member teardown; handle close against setns; msgsnd/msgrcv
 * (sleeping too) against IPC_RMID and exit; semop with SEM_UNDO against
 * IPC_RMID and exit; single-operation semops against complex ones on the
 * same set (sleeping too), IPC_RMID and exit with undos; POSIX mq send/receive (sleeping too) across
 * processes against mq_unlink, close, mq_notify and exit; and module
 * removal attempts throughout, which must always be refused. Data
 * written through one mapping is checked through another. Afterwards
 * every namespace, segment, handle and binding the test made must be
 * gone, every SEM_UNDO undone, and the objects and queued bytes NS_INFO
 * counts those the queues hold, then none.
 */
#include <pthread.h>
#include <sys/mman.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/syscall.h>
#include <time.h>

#include "kselftest_harness.h"
#include "sipc_test.h"

#define WORKERS 4

static int race_seconds(void)
{
	const char *s = getenv("SHADOWIPC_RACE_SECONDS");

	return s ? atoi(s) : 5;
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* Try to remove the module: it is in use, so this must fail. */
static int try_rmmod(void)
{
	errno = 0;
	if (!syscall(SYS_delete_module, "shadowipc", O_NONBLOCK))
		return -1;	/* removed under our feet: a bug */
	return errno == EAGAIN || errno == EBUSY ? 0 : -1;
}

FIXTURE(race) {
	struct shadowipc_status before;
	double end;
};

FIXTURE_SETUP(race)
{
	if (!sipc_dev_present())
		SKIP(return, "module not loaded");
	self->before = sipc_status();
	self->end = now() + race_seconds();
}

FIXTURE_TEARDOWN(race)
{
}

/* Run @fn(@i, @end) in WORKERS processes; return how many failed. */
static int run_workers(int (*fn)(int, double), double end)
{
	pid_t pids[WORKERS];
	int i, bad = 0;

	for (i = 0; i < WORKERS; i++) {
		pids[i] = fork();
		if (!pids[i])
			_exit(fn(i, end));
	}
	for (i = 0; i < WORKERS; i++)
		bad += sipc_wait(pids[i]) != 0;
	return bad;
}

/*
 * In a child in a new shadow namespace: @fn in WORKERS processes until
 * @end, then @settle (NULL, or a check that returns 0 when all is as it
 * should be). Afterwards nothing the test made may be left.
 */
static void race_in_namespace(struct __test_metadata *_metadata,
			      const struct shadowipc_status *before,
			      int (*fn)(int, double), double end,
			      int (*settle)(void))
{
	pid_t pid = fork();

	ASSERT_GE(pid, 0);
	if (!pid) {
		if (shadowipc_unshare(NULL))
			_exit(1);
		if (run_workers(fn, end))
			_exit(2);
		_exit(10 + (settle ? settle() : 0));
	}
	EXPECT_EQ(10, sipc_wait(pid));
	sipc_expect_settled(_metadata, before);
}

/*
 * Everyone in one shadow namespace on four keys: get, attach twice, write
 * through one mapping and check through the other, fork a child that
 * checks too and exits, detach, and now and then IPC_RMID.
 */
static int rmid_attach_fork_exit(int me, double end)
{
	unsigned long ops = 0;
	int key;

	srand(getpid());
	while (now() < end) {
		key = 0x7100 + rand() % 4;
		int id = shadowipc_shmget(key, 8192, IPC_CREAT | 0600);
		volatile unsigned int *a, *b;
		pid_t kid;

		if (id < 0)
			continue;	/* removed between get and use */
		if (rand() % 3 == 0)
			shadowipc_shmctl(id, IPC_RMID, NULL);
		a = shadowipc_shmat(id, NULL, 0);
		if (a == (void *)-1) {
			if (errno != EINVAL && errno != EIDRM)
				return 1;
			continue;
		}
		b = shadowipc_shmat(id, NULL, 0);
		if (b == (void *)-1) {
			if (errno != EINVAL && errno != EIDRM)
				return 2;
			shadowipc_shmdt((void *)a);
			continue;
		}
		/* a private slot per worker, in a shared segment */
		unsigned int v = getpid() ^ ops;

		a[me] = v;
		if (b[me] != v)
			return 3;
		kid = fork();
		if (!kid)
			_exit(b[me] == v ? 0 : 1);	/* inherited attach */
		if (kid > 0 && sipc_wait(kid) != 0)
			return 4;
		if (shadowipc_shmdt((void *)a) || shadowipc_shmdt((void *)b))
			return 5;
		if (rand() % 8 == 0 && try_rmmod())
			return 6;
		ops++;
	}
	return 0;
}

static int remove_keys(void)
{
	int key, id;

	for (key = 0x7100; key < 0x7104; key++) {
		id = shadowipc_shmget(key, 0, 0);
		if (id >= 0)
			shadowipc_shmctl(id, IPC_RMID, NULL);
	}
	return 0;
}

TEST_F_TIMEOUT(race, rmid_vs_attach_vs_fork_vs_exit, 120)
{
	race_in_namespace(_metadata, &self->before, rmid_attach_fork_exit,
			  self->end, remove_keys);
}

struct mapping_race {
	int id;
	char *volatile addr;
	double end;
	int failed;
};

static void *detacher(void *p)
{
	struct mapping_race *r = p;

	while (now() < r->end) {
		char *a = r->addr;

		if (!a)
			continue;
		switch (rand() % 3) {
		case 0:
			shadowipc_shmdt(a);
			break;
		case 1:
			munmap(a + 4096, 4096);
			break;
		default: {
			void *n = mremap(a, 4096, 4096, MREMAP_MAYMOVE);

			if (n != MAP_FAILED)
				munmap(n, 4096);
		}
		}
	}
	return NULL;
}

static int detach_munmap_mremap(int me, double end)
{
	struct mapping_race r = { .end = end };
	pthread_t t[2];
	int i;

	srand(getpid());
	r.id = shadowipc_shmget(IPC_PRIVATE, 4 * 4096, 0600);
	if (r.id < 0)
		return 1;
	for (i = 0; i < 2; i++)
		pthread_create(&t[i], NULL, detacher, &r);
	while (now() < end) {
		char *a = shadowipc_shmat(r.id, NULL, 0);

		if (a == (void *)-1)
			return 2;
		r.addr = a;
		usleep(rand() % 200);
		r.addr = NULL;
		shadowipc_shmdt(a);
		munmap(a, 4 * 4096);	/* whatever pieces are left */
	}
	for (i = 0; i < 2; i++)
		pthread_join(t[i], NULL);
	struct shmid_ds ds;

	if (shadowipc_shmctl(r.id, IPC_STAT, &ds))
		return 3;
	if (ds.shm_nattch != 0)
		return 4;	/* every piece was unmapped: nothing attached */
	return shadowipc_shmctl(r.id, IPC_RMID, NULL) ? 5 : 0;
}

TEST_F_TIMEOUT(race, shmdt_vs_munmap_vs_mremap, 120)
{
	race_in_namespace(_metadata, &self->before, detach_munmap_mremap,
			  self->end, NULL);
}

struct remap_race {
	int id;
	unsigned int delay_us;
};

static void *remover(void *p)
{
	struct remap_race *r = p;

	usleep(r->delay_us);
	shadowipc_shmctl(r->id, IPC_RMID, NULL);
	return NULL;
}

/*
 * Attach a segment, IPC_RMID it from another thread after a while, and
 * meanwhile remap_file_pages() the attach until that fails: once the
 * segment is removed, the remap unmaps its last attach and the new
 * mapping finds it gone, so the loop must end, with EINVAL as on Linux
 * (or, racing with the destruction, EIDRM, as Linux may too).
 */
static int remap_vs_rmid(int me, double end)
{
	struct remap_race r;
	unsigned long n;
	pthread_t t;
	int err;
	char *a;

	srand(getpid());
	while (now() < end) {
		r.id = shadowipc_shmget(IPC_PRIVATE, 2 * 4096, 0600);
		if (r.id < 0)
			return 1;
		a = shadowipc_shmat(r.id, NULL, 0);
		if (a == (void *)-1)
			return 2;
		r.delay_us = rand() % 2000;
		if (pthread_create(&t, NULL, remover, &r))
			return 3;
		/* a generous bound: never reached unless the remap never fails */
		for (n = 0; n < 10000000; n++)
			if (remap_file_pages(a, 2 * 4096, 0, n & 1, 0))
				break;
		err = errno;
		pthread_join(t, NULL);
		if (n == 10000000)
			return 4;
		/*
		 * EIDRM when the IPC_RMID destroyed the segment (its count
		 * dropped by the remap's unmap) while the remap's lookup
		 * spun on its lock: Linux's __shm_open() has it too.
		 */
		if (err != EINVAL && err != EIDRM) {
			fprintf(stderr, "# remap_file_pages: %s\n",
				strerror(err));
			return 6;
		}
		if (!shadowipc_shmctl(r.id, IPC_STAT, &(struct shmid_ds){}) ||
		    errno != EINVAL)
			return 5;	/* the segment must be gone */
		munmap(a, 2 * 4096);
	}
	return 0;
}

TEST_F_TIMEOUT(race, remap_file_pages_vs_rmid, 120)
{
	race_in_namespace(_metadata, &self->before, remap_vs_rmid, self->end,
			  NULL);
}

struct ns_race {
	int fds[8];
	double end;
};

static void *handle_churn(void *p)
{
	struct ns_race *r = p;

	while (now() < r->end) {
		int i = rand() % 8, fd = shadowipc_ns_fd(0, NULL);

		if (fd < 0)
			continue;
		/* replace a slot under a concurrent setns on it */
		dup2(fd, r->fds[i]);
		close(fd);
	}
	return NULL;
}

/* unshare/setns racing fork, exit, handle close and teardown */
static int ns_churn(int me, double end)
{
	struct ns_race r = { .end = end };
	pthread_t t;
	int i;

	srand(getpid());
	for (i = 0; i < 8; i++)
		r.fds[i] = shadowipc_ns_fd(0, NULL);
	pthread_create(&t, NULL, handle_churn, &r);
	while (now() < end) {
		pid_t kid;

		switch (rand() % 4) {
		case 0:
			if (shadowipc_unshare(NULL))
				return 1;
			shadowipc_shmget(IPC_PRIVATE, 4096, 0600);
			break;
		case 1:
			shadowipc_setns(r.fds[rand() % 8]);
			break;
		case 2:
			kid = fork();
			if (!kid)
				_exit(shadowipc_unshare(NULL) ? 1 : 0);
			if (kid < 0 || sipc_wait(kid))
				return 2;
			break;
		default:
			if (try_rmmod())
				return 3;
		}
	}
	pthread_join(t, NULL);
	return 0;
}

TEST_F_TIMEOUT(race, unshare_setns_vs_fork_exit_teardown, 120)
{
	pid_t pid = fork();

	ASSERT_GE(pid, 0);
	if (!pid)
		_exit(run_workers(ns_churn, self->end) ? 1 : 0);
	EXPECT_EQ(0, sipc_wait(pid));
	sipc_expect_settled(_metadata, &self->before);
}

/* Objects and bytes of @kind left in the caller's namespace. */
static uint64_t ns_left(int kind)
{
	struct shadowipc_ns_info info;

	if (shadowipc_ns_info(-1, &info))
		return ~0ULL;
	return info.objects[kind] + info.bytes[kind];
}

/*
 * A child for @fn, which may sleep: now and then @rmid(@id) wakes it;
 * else, or after, SIGKILL ends it, asleep or not (no timers: the debug
 * kernel has no CONFIG_POSIX_TIMERS). 0 if it ended as it may.
 */
static int sleeper(void (*fn)(int id, int me), void (*rmid)(int id), int id,
		   int me)
{
	pid_t kid = fork();
	int st;

	if (kid < 0)
		return -1;
	if (!kid) {
		fn(id, me);
		_exit(0);
	}
	usleep(rand() % 5000);
	if (rand() % 2)
		rmid(id);
	usleep(rand() % 1000);
	kill(kid, SIGKILL);
	st = sipc_wait(kid);
	return st == 0 || st == 128 + SIGKILL ? 0 : -1;
}

static void msg_rmid(int q)
{
	shadowipc_msgctl(q, IPC_RMID, NULL);
}

static void sem_rmid(int s)
{
	shadowipc_semctl(s, 0, IPC_RMID);
}

#define MSG_KEY		0x7200
#define MSG_TEXT	8192

struct race_msg {
	long mtype;
	char mtext[MSG_TEXT];
};

/* Sleep in msgrcv, or in msgsnd of a big message to a full queue. */
static void msg_sleep(int q, int me)
{
	static struct race_msg m = { .mtype = 1 };
	long r = rand() % 2 ? shadowipc_msgrcv(q, &m, MSG_TEXT, 0, 0) :
			      shadowipc_msgsnd(q, &m, MSG_TEXT, 0);

	_exit(r < 0 && errno != EIDRM && errno != EINVAL ? 1 : 0);
}

/*
 * Everyone in one namespace on two keys: msgsnd and msgrcv without
 * waiting, children sleeping in either (ended by a message, IPC_RMID or
 * SIGKILL, asleep or not), IPC_RMID now and then.
 */
static int msg_churn(int me, double end)
{
	static struct race_msg m;

	srand(getpid());
	while (now() < end) {
		int q = shadowipc_msgget(MSG_KEY + rand() % 2, IPC_CREAT | 0600);
		size_t sz = rand() % 3 ? rand() % 64 : rand() % MSG_TEXT;

		if (q < 0)
			return 1;
		switch (rand() % 6) {
		case 0:
		case 1:
			m.mtype = 1 + rand() % 3;
			if (shadowipc_msgsnd(q, &m, sz, IPC_NOWAIT) &&
			    errno != EAGAIN && errno != EIDRM && errno != EINVAL)
				return 2;
			break;
		case 2:
		case 3:
			if (shadowipc_msgrcv(q, &m, MSG_TEXT, -(rand() % 4),
					     IPC_NOWAIT) < 0 &&
			    errno != ENOMSG && errno != EIDRM && errno != EINVAL)
				return 3;
			break;
		case 4:
			if (sleeper(msg_sleep, msg_rmid, q, me))
				return 4;
			break;
		default:
			if (rand() % 4 == 0)
				msg_rmid(q);
			if (rand() % 8 == 0 && try_rmmod())
				return 5;
		}
	}
	return 0;
}

/* The bytes NS_INFO counts are those the queues hold; then remove them. */
static int msg_settle(void)
{
	struct shadowipc_ns_info info;
	struct msqid_ds ds;
	uint64_t bytes = 0;
	int key, q;

	for (key = MSG_KEY; key < MSG_KEY + 2; key++) {
		q = shadowipc_msgget(key, 0);
		if (q >= 0 && !shadowipc_msgctl(q, IPC_STAT, &ds))
			bytes += ds.__msg_cbytes;
	}
	if (shadowipc_ns_info(-1, &info) || info.bytes[SHADOWIPC_KIND_MSG] != bytes)
		return 1;
	for (key = MSG_KEY; key < MSG_KEY + 2; key++) {
		q = shadowipc_msgget(key, 0);
		if (q >= 0 && shadowipc_msgctl(q, IPC_RMID, NULL))
			return 2;
	}
	return ns_left(SHADOWIPC_KIND_MSG) ? 3 : 0;
}

TEST_F_TIMEOUT(race, msgsnd_vs_msgrcv_vs_rmid_vs_exit, 120)
{
	race_in_namespace(_metadata, &self->before, msg_churn, self->end,
			  msg_settle);
}

#define SEM_KEY		0x7300
#define SEM_SETTLE_MAX	(WORKERS + 2)	/* semaphores per set, at most */

/*
 * Raise my semaphore (SEM_UNDO), then wait for it to be zero, which only
 * IPC_RMID or SIGKILL ends: exit with an undo list, asleep or not.
 */
static void sem_sleep(int s, int me)
{
	struct sembuf up = { me, 1 + rand() % 3, SEM_UNDO };
	struct sembuf zero = { me, 0, 0 };

	if (shadowipc_semop(s, &up, 1))
		_exit(errno == EIDRM || errno == EINVAL ? 0 : 1);
	if (rand() % 4 == 0)
		_exit(0);
	_exit(shadowipc_semop(s, &zero, 1) && errno != EIDRM &&
	      errno != EINVAL ? 1 : 0);
}

static bool sem_errno_ok(void)
{
	return errno == EIDRM || errno == EINVAL || errno == EAGAIN ||
	       errno == ERANGE;
}

/*
 * Everyone in one namespace on two keys, each worker on its own
 * semaphore of every set: SEM_UNDO up and down, children that raise it
 * and exit or sleep (woken by IPC_RMID or killed), and
 * IPC_RMID now and then. Every change is undone at exit, so whatever sets
 * remain must be back to zero at the end.
 */
static int sem_churn(int me, double end)
{
	srand(getpid());
	while (now() < end) {
		int s = shadowipc_semget(SEM_KEY + rand() % 2, WORKERS,
					 IPC_CREAT | 0600);
		struct sembuf op = { me, rand() % 2 ? 1 : -1,
				     SEM_UNDO | IPC_NOWAIT };

		if (s < 0)
			return 1;
		switch (rand() % 5) {
		case 0:
		case 1:
			if (shadowipc_semop(s, &op, 1) && !sem_errno_ok())
				return 2;
			break;
		case 2:
		case 3:
			if (sleeper(sem_sleep, sem_rmid, s, me))
				return 3;
			break;
		default:
			if (rand() % 3 == 0)
				sem_rmid(s);
			if (rand() % 8 == 0 && try_rmmod())
				return 4;
		}
	}
	return 0;
}

/*
 * The sets of keys @key and @key + 1, if any, must have all their @nsems
 * semaphores at zero (every undo applied); then none may remain.
 */
static int sem_settle_sets(key_t key, int nsems)
{
	unsigned short vals[SEM_SETTLE_MAX];
	int k, s, i;

	for (k = key; k < key + 2; k++) {
		s = shadowipc_semget(k, 0, 0);
		if (s < 0)
			continue;
		if (shadowipc_semctl(s, 0, GETALL, vals))
			return 1;
		for (i = 0; i < nsems; i++)
			if (vals[i])
				return 2;	/* an undo not applied */
		if (shadowipc_semctl(s, 0, IPC_RMID))
			return 3;
	}
	return ns_left(SHADOWIPC_KIND_SEM) ? 4 : 0;
}

static int sem_settle(void)
{
	return sem_settle_sets(SEM_KEY, WORKERS);
}

TEST_F_TIMEOUT(race, semop_undo_vs_rmid_vs_exit, 120)
{
	race_in_namespace(_metadata, &self->before, sem_churn, self->end,
			  sem_settle);
}

#define SEMX_KEY	0x7400
#define SEMX_SHARED	WORKERS		/* every worker's, single and complex ops */
#define SEMX_ZERO	(WORKERS + 1)	/* raised only to be taken at once */
#define SEMX_NSEMS	(WORKERS + 2)

/*
 * Raise the shared semaphore (SEM_UNDO), then sleep taking one from the
 * zero semaphore, alone or together with an undone raise of my own: a
 * worker's raise, IPC_RMID or SIGKILL ends it.
 */
static void semx_sleep(int s, int me)
{
	struct sembuf up = { SEMX_SHARED, 1, SEM_UNDO };
	struct sembuf take[2] = {
		{ SEMX_ZERO, -1, 0 }, { me, 1, SEM_UNDO },
	};

	if (shadowipc_semop(s, &up, 1))
		_exit(errno == EIDRM || errno == EINVAL ? 0 : 1);
	_exit(shadowipc_semop(s, take, 1 + getpid() % 2) && errno != EIDRM &&
	      errno != EINVAL ? 1 : 0);
}

/* Make @nsops operations, then their opposites, all with @flg. */
static int semx_pair(int s, struct sembuf *sops, int nsops, short flg)
{
	int i;

	for (i = 0; i < nsops; i++)
		sops[i].sem_flg = flg;
	if (shadowipc_semop(s, sops, nsops))
		return sem_errno_ok() ? 0 : -1;
	for (i = 0; i < nsops; i++) {
		sops[i].sem_op = -sops[i].sem_op;
		sops[i].sem_flg |= IPC_NOWAIT;
	}
	if (shadowipc_semop(s, sops, nsops))
		return sem_errno_ok() ? 0 : -1;
	return 0;
}

/*
 * Everyone in one namespace on two keys: single operations (each worker
 * on its own semaphore, and all on a shared one) racing complex ones on
 * the same semaphores, so that sets go in and out of global mode under
 * single operations in flight; children sleeping in single or complex
 * operations, woken by a raise, IPC_RMID, or SIGKILL with undo lists to
 * apply. Every change is undone or taken back, so whatever sets remain
 * must be back to zero at the end.
 */
static int semx_churn(int me, double end)
{
	srand(getpid());
	while (now() < end) {
		int s = shadowipc_semget(SEMX_KEY + rand() % 2, SEMX_NSEMS,
					 IPC_CREAT | 0600);
		struct sembuf ops[2] = {
			{ me, 1, 0 }, { SEMX_SHARED, 1, 0 },
		};
		struct sembuf give = { SEMX_ZERO, 1, 0 };

		if (s < 0)
			return 1;
		switch (rand() % 6) {
		case 0:
			if (semx_pair(s, &ops[rand() % 2], 1, SEM_UNDO))
				return 2;
			break;
		case 1:
			if (semx_pair(s, ops, 2, SEM_UNDO))
				return 3;
			break;
		case 2:
			/* a sleeper may take it first */
			if (shadowipc_semop(s, &give, 1)) {
				if (!sem_errno_ok())
					return 4;
				break;
			}
			give.sem_op = -1;
			give.sem_flg = IPC_NOWAIT;
			if (shadowipc_semop(s, &give, 1) && !sem_errno_ok())
				return 5;
			break;
		case 3:
		case 4:
			if (sleeper(semx_sleep, sem_rmid, s, me))
				return 6;
			break;
		default:
			if (rand() % 3 == 0)
				sem_rmid(s);
		}
	}
	return 0;
}

static int semx_settle(void)
{
	return sem_settle_sets(SEMX_KEY, SEMX_NSEMS);
}

TEST_F_TIMEOUT(race, semop_single_vs_complex_vs_rmid_vs_undo_exit, 120)
{
	race_in_namespace(_metadata, &self->before, semx_churn, self->end,
			  semx_settle);
}

#define MQ_NAMES	2
#define MQ_SLOTS	4
#define MQ_SIZE		1024

static const char *const mq_names[MQ_NAMES] = { "/sipc_race0", "/sipc_race1" };
/* Calls in the workers never wait: O_NONBLOCK and a timeout long past. */
static const struct timespec mq_past = { 1, 0 };

static mqd_t mq_create(int name)
{
	struct mq_attr attr = { .mq_maxmsg = 4, .mq_msgsize = MQ_SIZE };

	return shadowipc_mq_open(mq_names[name], O_RDWR | O_CREAT | O_NONBLOCK,
				 0600, &attr);
}

struct mq_race {
	int slots[MQ_SLOTS];	/* fd numbers that always name a queue or nothing */
	double end;
};

/* Close the slots under the worker's sends and receives, and reopen. */
static void *mq_closer(void *p)
{
	struct mq_race *r = p;

	while (now() < r->end) {
		int i = rand() % MQ_SLOTS;
		mqd_t q;

		if (rand() % 2)
			close(r->slots[i]);
		usleep(rand() % 100);
		q = mq_create(rand() % MQ_NAMES);
		if (q == (mqd_t)-1 || q == r->slots[i])
			continue;	/* reopened in the slot itself */
		/* another close, atomic, of whatever the slot holds */
		dup2(q, r->slots[i]);
		close(q);
	}
	return NULL;
}

static int mq_sleep_name;

/*
 * Sleep in mq_receive on an empty queue, or mq_send on a full one, on a
 * blocking descriptor of its own, if the name is still there; a message
 * or a receive (the poke), or SIGKILL, ends it.
 */
static void mq_sleep(int q, int me)
{
	static char buf[MQ_SIZE];
	/* not rand(): the closer thread may have held its lock at fork */
	unsigned int v = getpid();
	mqd_t b = shadowipc_mq_open(mq_names[mq_sleep_name], O_RDWR);
	long r;

	if (b == (mqd_t)-1)
		_exit(errno == ENOENT ? 0 : 1);
	r = v % 2 ? shadowipc_mq_receive(b, buf, MQ_SIZE, NULL) :
		    shadowipc_mq_send(b, buf, v % MQ_SIZE, v % 4);
	_exit(r < 0 ? 1 : 0);
}

/* Wake a sleeper, or not: a message for a receiver, room for a sender. */
static void mq_poke(int q)
{
	static char buf[MQ_SIZE];

	if (rand() % 2)
		shadowipc_mq_timedsend(q, buf, 8, 0, &mq_past);
	else
		shadowipc_mq_timedreceive(q, buf, MQ_SIZE, NULL, &mq_past);
}

static bool mq_errno_ok(void)
{
	/* EBADF: the slot was closed under the call */
	return errno == EAGAIN || errno == ETIMEDOUT || errno == EBADF;
}

/*
 * Everyone in one namespace on two names, four slots each: sends and
 * receives that do not wait, children sleeping in either (ended by a
 * message, room, or SIGKILL, asleep or not), a thread closing and
 * reopening the slots, mq_unlink and mq_notify now and then, and exit
 * with whatever is open, queued and registered.
 */
static int mq_churn(int me, double end)
{
	static char buf[MQ_SIZE];
	struct mq_race r = { .end = end };
	struct sigevent sev = { .sigev_notify = SIGEV_SIGNAL,
				.sigev_signo = SIGUSR1 };
	unsigned int prio;
	pthread_t t;
	int i;

	srand(getpid());
	signal(SIGUSR1, SIG_IGN);
	for (i = 0; i < MQ_SLOTS; i++) {
		r.slots[i] = mq_create(i % MQ_NAMES);
		if (r.slots[i] < 0)
			return 1;
	}
	pthread_create(&t, NULL, mq_closer, &r);
	while (now() < end) {
		int name = rand() % MQ_NAMES, q = r.slots[rand() % MQ_SLOTS];
		size_t sz = rand() % 3 ? rand() % 64 : rand() % (MQ_SIZE + 1);

		switch (rand() % 6) {
		case 0:
		case 1:
			memset(buf, me, sz);
			if (shadowipc_mq_timedsend(q, buf, sz, rand() % 8,
						   &mq_past) && !mq_errno_ok())
				return 2;
			break;
		case 2:
		case 3:
			if (shadowipc_mq_timedreceive(q, buf, MQ_SIZE, &prio,
						      &mq_past) < 0 &&
			    !mq_errno_ok())
				return 3;
			break;
		case 4:
			mq_sleep_name = name;
			if (sleeper(mq_sleep, mq_poke, q, me))
				return 4;
			break;
		default:
			if (rand() % 2 && shadowipc_mq_unlink(mq_names[name]) &&
			    errno != ENOENT)
				return 5;
			if (shadowipc_mq_notify(q, rand() % 4 ? &sev : NULL) &&
			    errno != EBUSY && errno != EBADF)
				return 6;
			if (rand() % 8 == 0 && try_rmmod())
				return 7;
		}
	}
	pthread_join(t, NULL);
	return 0;
}

/*
 * With every worker gone, the queues NS_INFO counts are the names still
 * linked, and its bytes their QSIZE; once unlinked and closed, none.
 */
static int mq_settle(void)
{
	struct shadowipc_ns_info info;
	mqd_t q[MQ_NAMES];
	uint64_t bytes = 0, queues = 0;
	char line[128];
	int i;

	for (i = 0; i < MQ_NAMES; i++) {
		unsigned long qsize;
		ssize_t n;

		q[i] = shadowipc_mq_open(mq_names[i], O_RDONLY | O_NONBLOCK);
		if (q[i] == (mqd_t)-1) {
			if (errno != ENOENT)
				return 1;
			continue;
		}
		n = read(q[i], line, sizeof(line) - 1);
		if (n <= 0)
			return 2;
		line[n] = '\0';
		if (sscanf(line, "QSIZE:%lu", &qsize) != 1)
			return 3;
		bytes += qsize;
		queues++;
	}
	if (shadowipc_ns_info(-1, &info))
		return 4;
	if (info.objects[SHADOWIPC_KIND_MQ] != queues)
		return 5;
	if (info.bytes[SHADOWIPC_KIND_MQ] != bytes)
		return 6;
	for (i = 0; i < MQ_NAMES; i++) {
		if (q[i] == (mqd_t)-1)
			continue;
		if (shadowipc_mq_unlink(mq_names[i]))
			return 7;
		close(q[i]);
	}
	return ns_left(SHADOWIPC_KIND_MQ) ? 8 : 0;
}

TEST_F_TIMEOUT(race, mq_send_receive_vs_unlink_vs_close_vs_exit, 120)
{
	race_in_namespace(_metadata, &self->before, mq_churn, self->end,
			  mq_settle);
}

TEST_HARNESS_MAIN
