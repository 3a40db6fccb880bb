// SPDX-License-Identifier: GPL-2.0
/*
 * A seeded ioctl fuzzer: random command numbers inside and outside the
 * module's range, random sizes and directions, bad pointers (NULL,
 * unmapped, kernel, unaligned, crossing into an unmapped page), random
 * flags, pads, ids, keys and commands, interleaved with valid calls, for
 * every command, shm, msg and sem alike (message and semaphore calls are
 * kept from sleeping: IPC_NOWAIT, a 1 ms semop timeout). The
 * kernel must not splat (the runner checks its log) and everything the
 * fuzzer created must be gone once its processes are.
 *
 * SHADOWIPC_FUZZ_SEED replays a run; SHADOWIPC_FUZZ_ITERS sets its length.
 */
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>

#include "kselftest_harness.h"
#include "sipc_test.h"

static const unsigned long known_cmds[] = {
	SHADOWIPC_IOC_VERSION, SHADOWIPC_IOC_STATUS, SHADOWIPC_IOC_UNSHARE,
	SHADOWIPC_IOC_NS_FD, SHADOWIPC_IOC_SETNS, SHADOWIPC_IOC_NS_INFO,
	SHADOWIPC_IOC_SHMGET, SHADOWIPC_IOC_SHMAT, SHADOWIPC_IOC_SHMDT,
	SHADOWIPC_IOC_SHMCTL, SHADOWIPC_IOC_MSGGET, SHADOWIPC_IOC_MSGSND,
	SHADOWIPC_IOC_MSGRCV, SHADOWIPC_IOC_MSGCTL, SHADOWIPC_IOC_SEMGET,
	SHADOWIPC_IOC_SEMOP, SHADOWIPC_IOC_SEMCTL,
};
#define NR_KNOWN (sizeof(known_cmds) / sizeof(known_cmds[0]))

/* Time a worker of 2000 calls may take before it counts as hung. */
#define WORKER_SECONDS	300

static uint64_t rng;

static uint64_t rnd(void)
{
	/* xorshift64* */
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return rng * 2685821657736338717ULL;
}

static unsigned int below(unsigned int n)
{
	return rnd() % n;
}

struct arena {
	unsigned char *page;	/* a writable page followed by a hole */
	unsigned char *hole;
};

static unsigned long pick_cmd(void)
{
	unsigned long cmd = known_cmds[below(NR_KNOWN)];

	switch (below(8)) {
	case 0:		/* any number, any size, in our magic */
		return _IOC(below(4), SHADOWIPC_IOC_MAGIC, below(256), below(256));
	case 1:		/* a known number with another size */
		return _IOC(_IOC_DIR(cmd), _IOC_TYPE(cmd), _IOC_NR(cmd), below(512));
	case 2:		/* another magic */
		return _IOC(_IOC_DIR(cmd), below(256), _IOC_NR(cmd), _IOC_SIZE(cmd));
	default:
		return cmd;
	}
}

static int pick_key(void)
{
	static const int keys[] = { 0, 1, 2, 0x1234, -1 };

	return keys[below(5)];
}

/* An id: of an object valid_calls() made, a small one, or anything. */
static int last_id[3];

static int pick_id(void)
{
	switch (below(4)) {
	case 0:
		return below(3);
	case 1:
		return rnd();
	default:
		return last_id[below(3)];
	}
}

/* A get flag: IPC_CREAT|0600, sometimes IPC_EXCL or other bits. */
static int pick_getflg(void)
{
	return below(4) ? 01000 | 0600 | (below(2) ? 02000 : 0) : (int)rnd();
}

/* A user buffer for the call to use: the rest of the arena page, or bad. */
static uint64_t pick_buf(struct arena *a)
{
	switch (below(8)) {
	case 0:
		return 0;
	case 1:
		return (uintptr_t)a->hole;
	default:
		return (uintptr_t)(a->page + 512);
	}
}

static const struct timespec tiny_timeout = { 0, 1000 * 1000 };

/*
 * Shape the argument of the System V message and semaphore commands:
 * bounded sizes, known commands, mostly valid ids, zero flags and pads.
 */
static void shape_msg_sem(struct arena *a, unsigned char *buf,
			  unsigned long cmd)
{
	static const int ctl_cmds[] = { 0, 1, 2, 3, 11, 12, 13, 14, 15, 16,
					17, 18, 19, 20, -1, 0x102 };
	union {
		struct shadowipc_msgget mg;
		struct shadowipc_msgsnd ms;
		struct shadowipc_msgrcv mr;
		struct shadowipc_msgctl mc;
		struct shadowipc_semget sg;
		struct shadowipc_semop so;
		struct shadowipc_semctl sc;
	} *u = (void *)buf;
	int ctl = ctl_cmds[below(16)];

	switch (cmd) {
	case SHADOWIPC_IOC_MSGGET:
		u->mg = (struct shadowipc_msgget){
			.key = pick_key(), .msgflg = pick_getflg() };
		break;
	case SHADOWIPC_IOC_MSGSND:
		*(long *)(a->page + 512) = below(4);
		u->ms = (struct shadowipc_msgsnd){
			.msgp = pick_buf(a), .msgsz = below(4096),
			.msqid = pick_id(), .msgflg = rnd() };
		break;
	case SHADOWIPC_IOC_MSGRCV:
		u->mr = (struct shadowipc_msgrcv){
			.msgp = pick_buf(a), .msgsz = below(4096),
			.msgtyp = (int)below(5) - 2, .msqid = pick_id(),
			.msgflg = rnd() };
		break;
	case SHADOWIPC_IOC_MSGCTL:
		u->mc = (struct shadowipc_msgctl){
			.buf = pick_buf(a), .msqid = pick_id(), .cmd = ctl };
		break;
	case SHADOWIPC_IOC_SEMGET:
		u->sg = (struct shadowipc_semget){
			.key = pick_key(), .nsems = below(16),
			.semflg = pick_getflg() };
		break;
	case SHADOWIPC_IOC_SEMOP:
		/* up to 8 operations on small semaphore numbers */
		for (int i = 0; i < 8; i++)
			((struct sembuf *)(a->page + 512))[i] = (struct sembuf){
				.sem_num = below(4), .sem_op = (int)below(5) - 2,
				.sem_flg = rnd() };
		u->so = (struct shadowipc_semop){
			.sops = pick_buf(a), .nsops = below(9),
			.semid = pick_id() };
		break;
	case SHADOWIPC_IOC_SEMCTL:
		u->sc = (struct shadowipc_semctl){
			.arg = below(2) ? pick_buf(a) : below(5),
			.semid = pick_id(), .semnum = below(5), .cmd = ctl };
		break;
	}
}

/*
 * However the argument was made, a message or semaphore call must not
 * sleep for long: msgsnd and msgrcv get IPC_NOWAIT (04000), semop a
 * timeout of a millisecond.
 */
static void never_block(unsigned char *buf, unsigned long cmd)
{
	if (cmd == SHADOWIPC_IOC_MSGSND)
		((struct shadowipc_msgsnd *)buf)->msgflg |= 04000;
	else if (cmd == SHADOWIPC_IOC_MSGRCV)
		((struct shadowipc_msgrcv *)buf)->msgflg |= 04000;
	else if (cmd == SHADOWIPC_IOC_SEMOP)
		((struct shadowipc_semop *)buf)->timeout =
			(uintptr_t)&tiny_timeout;
}

/* Fill a plausible argument: mostly valid-looking, sometimes garbage. */
static void fill_arg(struct arena *a, unsigned long cmd)
{
	static const int ctl_cmds[] = { 0, 1, 2, 3, 11, 12, 13, 14, 15, -1, 0x102 };
	unsigned char *buf = a->page;
	size_t i, len = 512;

	for (i = 0; i < len; i++)
		buf[i] = rnd();
	if (!below(4))
		goto out;	/* garbage one time in four */
	if (_IOC_NR(cmd) >= 0x30 && _IOC_NR(cmd) < 0x50) {
		shape_msg_sem(a, buf, cmd);
		goto out;
	}
	/* shaped: small sizes, known keys/cmds, zero flags and pads */
	if (len >= 24) {
		uint64_t size = below(3) ? below(1 << 20) + 1 : rnd();

		memcpy(buf, &size, 8);
		((int *)buf)[2] = pick_key();
		((int *)buf)[3] = below(2) ? 01000 | 0600 | (below(2) ? 010000 : 0) :
					     ctl_cmds[below(11)];
		((uint32_t *)buf)[4] = 0;
		((uint32_t *)buf)[5] = 0;
	}
out:
	never_block(buf, cmd);
}

static void *pick_ptr(struct arena *a, unsigned long cmd)
{
	size_t len = _IOC_SIZE(cmd);

	switch (below(10)) {
	case 0:
		return NULL;
	case 1:
		return a->hole;
	case 2:
		return (void *)0xffffffff81000000UL;
	case 3: {					/* unaligned */
		unsigned char *p = a->page + 1 + below(7);

		never_block(p, cmd);
		return p;
	}
	case 4:
		return a->hole - 1 - below(len ? len : 1);	/* crossing */
	default:
		fill_arg(a, cmd);
		return a->page;
	}
}

static void valid_calls(void)
{
	struct { long mtype; char mtext[64]; } m = { 1, "fuzz" };
	struct sembuf op = { 0, 1, SEM_UNDO | IPC_NOWAIT };
	int id = shadowipc_shmget(IPC_PRIVATE, 4096, 0600);
	void *p;

	if (id >= 0) {
		p = shadowipc_shmat(id, NULL, 0);
		if (p != (void *)-1) {
			memset(p, 0x5a, 64);
			shadowipc_shmdt(p);
		}
		shadowipc_shmctl(id, IPC_RMID, NULL);
	}
	/* a queue and a set left for the fuzzed calls, now and then */
	id = shadowipc_msgget(IPC_PRIVATE, 0600);
	if (id >= 0) {
		shadowipc_msgsnd(id, &m, 8, IPC_NOWAIT);
		shadowipc_msgrcv(id, &m, sizeof(m.mtext), 0, IPC_NOWAIT);
		shadowipc_msgsnd(id, &m, 8, IPC_NOWAIT);
		if (below(4))
			shadowipc_msgctl(id, IPC_RMID, NULL);
		else
			last_id[1] = id;
	}
	id = shadowipc_semget(IPC_PRIVATE, 4, 0600);
	if (id >= 0) {
		shadowipc_semop(id, &op, 1);
		if (below(4))
			shadowipc_semctl(id, 0, IPC_RMID);
		else
			last_id[2] = id;
	}
	last_id[0] = shadowipc_shmget(IPC_PRIVATE, 4096, 0600);
}

/* One worker: its own namespace, @iters calls. Exits 0 unless setup fails. */
static int worker(uint64_t seed, unsigned long iters)
{
	struct arena a;
	unsigned char *m;
	unsigned long i;
	int dev;

	rng = seed ?: 1;
	m = mmap(NULL, 8192, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (m == MAP_FAILED || munmap(m + 4096, 4096))
		return 1;
	a.page = m;
	a.hole = m + 4096;
	if (shadowipc_unshare(NULL))
		return 2;
	dev = shadowipc_fd();
	for (i = 0; i < iters; i++) {
		unsigned long cmd = pick_cmd();

		ioctl(dev, cmd, pick_ptr(&a, cmd));
		if (!below(16))
			valid_calls();
		if (!below(64)) {	/* keep the fd table small */
			int fd;

			for (fd = dev + 1; fd < 1024; fd++)
				close(fd);
		}
	}
	return 0;
}

/*
 * sipc_wait() for a worker, which is killed, and -2 returned, if it takes
 * more than WORKER_SECONDS: a call that sleeps must not hang the test
 * (polled: the debug kernel has no alarm(), CONFIG_POSIX_TIMERS is off).
 */
static int wait_worker(pid_t pid)
{
	siginfo_t si;
	int i;

	for (i = 0; i < WORKER_SECONDS * 100; i++) {
		si.si_pid = 0;
		if (waitid(P_PID, pid, &si, WEXITED | WNOHANG | WNOWAIT) ||
		    si.si_pid == pid)
			return sipc_wait(pid);
		usleep(10000);
	}
	kill(pid, SIGKILL);
	sipc_wait(pid);
	return -2;
}

FIXTURE(fuzz) {
};

FIXTURE_SETUP(fuzz)
{
}

FIXTURE_TEARDOWN(fuzz)
{
}

TEST_F_TIMEOUT(fuzz, random_ioctls_leave_no_trace, 600)
{
	const char *s = getenv("SHADOWIPC_FUZZ_SEED");
	const char *it = getenv("SHADOWIPC_FUZZ_ITERS");
	unsigned long iters = it ? strtoul(it, NULL, 0) : 20000;
	uint64_t seed = s ? strtoull(s, NULL, 0) : (uint64_t)time(NULL);
	struct shadowipc_status before, after;
	unsigned long done = 0, chunk = 2000, crashes = 0;
	int round = 0;

	if (!sipc_dev_present())
		SKIP(return, "module not loaded");
	ksft_print_msg("fuzz seed %llu (replay: SHADOWIPC_FUZZ_SEED=%llu), %lu calls\n",
		       (unsigned long long)seed, (unsigned long long)seed, iters);
	fflush(stdout);
	before = sipc_status();
	while (done < iters) {
		pid_t pid = fork();
		int st;

		ASSERT_GE(pid, 0);
		if (!pid)
			_exit(worker(seed + round, chunk));
		st = wait_worker(pid);
		ASSERT_NE(-2, st)
			TH_LOG("a worker slept in a call for %d s (seed %llu)",
			       WORKER_SECONDS, (unsigned long long)(seed + round));
		/* a call may unmap the worker's own memory: not a bug */
		if (st >= 128)
			crashes++;
		else
			ASSERT_EQ(0, st);
		done += chunk;
		round++;
		ksft_print_msg("fuzz: %lu/%lu calls, %lu workers died of their own calls\n",
			       done, iters, crashes);
	fflush(stdout);
	}
	after = sipc_status();
	EXPECT_EQ(before.namespaces, after.namespaces);
	EXPECT_EQ(before.bindings, after.bindings);
	EXPECT_EQ(before.handles, after.handles);
	EXPECT_EQ(before.segments, after.segments);
}

TEST_HARNESS_MAIN
