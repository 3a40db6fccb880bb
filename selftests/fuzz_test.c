// SPDX-License-Identifier: GPL-2.0
/*
 * A seeded ioctl fuzzer: random command numbers inside and outside the
 * module's range, random sizes and directions, bad pointers (NULL,
 * unmapped, kernel, unaligned, crossing into an unmapped page), random
 * flags, pads, ids, keys and commands, interleaved with valid calls, for
 * every command, shm, msg, sem and POSIX mqueue alike (message and
 * semaphore calls are kept from sleeping: IPC_NOWAIT, a 1 ms semop
 * timeout, an mq timeout already in the past; mq names come from a small
 * set, "fz0".."fz3", in the worker's own namespace). The
 * kernel must not splat (the runner checks its log) and everything the
 * fuzzer created must be gone once its processes are.
 *
 * SHADOWIPC_FUZZ_SEED replays a run; SHADOWIPC_FUZZ_ITERS sets its length.
 */
#include <sys/eventfd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <time.h>

#include <shadowipc_ioctls.h>

#include "kselftest_harness.h"
#include "sipc_test.h"

static const unsigned long known_cmds[] = {
#define KNOWN_CMD(NAME, sfx, size0, valid, pad, files, ior)	SHADOWIPC_IOC_##NAME,
	SHADOWIPC_IOCTLS(KNOWN_CMD)
#undef KNOWN_CMD
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
/* An absolute CLOCK_REALTIME mq timeout long past: ETIMEDOUT at once. */
static const struct timespec past_timeout = { 1, 0 };

/* The last queue descriptor opened, by valid_calls() or a fuzzed call. */
static int last_mqd = -1;
/* An eventfd for SIGEV_THREAD registrations, or -1. */
static int last_efd = -1;

/* Arena layout past the argument: data at +512, names, attrs, sigevent. */
#define ARENA_NAME	2048
#define ARENA_ATTR	2312
#define ARENA_ATTR2	2376
#define ARENA_SEV	2440
#define ARENA_PRIO	2560
#define MQ_DATA_MAX	1536	/* bytes from +512 up to ARENA_NAME */

/* A queue descriptor: the last one, the device, small, or anything. */
static int pick_mqd(void)
{
	switch (below(6)) {
	case 0:
		return below(8);
	case 1:
		return rnd();
	case 2:
		return shadowipc_fd();
	default:
		return last_mqd;
	}
}

/* A name: one of four, or with glibc's '/', empty, long, or bad. */
static uint64_t pick_name(struct arena *a)
{
	char *n = (char *)a->page + ARENA_NAME;

	switch (below(10)) {
	case 0:
		return 0;
	case 1:
		return (uintptr_t)a->hole;
	case 2:
		/* a name running into the hole: no NUL before it */
		memset(a->hole - 8, 'z', 8);
		return (uintptr_t)(a->hole - 8);
	case 3:
		snprintf(n, 256, "/fz%u", below(4));
		break;
	case 4: {	/* NAME_MAX long, or one more: ENAMETOOLONG */
		size_t len = below(2) ? 255 : 256;

		memset(n, 'n', len);
		n[len] = '\0';
		break;
	}
	case 5:
		n[0] = '\0';
		break;
	default:
		snprintf(n, 256, "fz%u", below(4));
	}
	return (uintptr_t)n;
}

/* An mq_attr: small queues mostly, sometimes out of range. */
static uint64_t pick_attr(struct arena *a, size_t off)
{
	struct mq_attr *at = (void *)(a->page + off);

	if (!below(6))
		return below(2) ? 0 : (uintptr_t)(a->hole - 8);
	*at = (struct mq_attr){
		.mq_flags = below(4) ? 0 : (below(2) ? O_NONBLOCK : (long)rnd()),
		.mq_maxmsg = below(8) ? 1 + below(8) : (long)rnd(),
		.mq_msgsize = below(8) ? 1 + below(MQ_DATA_MAX) : (long)rnd(),
	};
	return (uintptr_t)at;
}

/* A sigevent: NONE, SIGUSR1 (ignored), an eventfd thread, or odd. */
static uint64_t pick_sev(struct arena *a)
{
	struct sigevent *sev = (void *)(a->page + ARENA_SEV);

	memset(sev, 0, sizeof(*sev));
	switch (below(8)) {
	case 0:
		return 0;		/* remove the registration */
	case 1:
		return (uintptr_t)a->hole;
	case 2:
		sev->sigev_notify = SIGEV_NONE;
		break;
	case 3:
		sev->sigev_notify = SIGEV_THREAD;
		sev->sigev_signo = below(2) ? last_efd : (int)below(16);
		break;
	case 4:
		sev->sigev_notify = below(2) ? (int)rnd() : SIGEV_SIGNAL;
		sev->sigev_signo = below(2) ? 0 : 65;	/* invalid signals */
		break;
	default:
		sev->sigev_notify = SIGEV_SIGNAL;
		sev->sigev_signo = below(2) ? SIGUSR1 : SIGUSR2;
	}
	return (uintptr_t)sev;
}

/*
 * Shape the argument of the POSIX mqueue commands: the four names,
 * bounded sizes and priorities, mostly O_NONBLOCK, zero flags and pads.
 */
static void shape_mq(struct arena *a, unsigned char *buf, unsigned long cmd)
{
	union {
		struct shadowipc_mq_open o;
		struct shadowipc_mq_unlink u;
		struct shadowipc_mq_timedsend s;
		struct shadowipc_mq_timedreceive r;
		struct shadowipc_mq_notify n;
		struct shadowipc_mq_getsetattr g;
	} *u = (void *)buf;
	static const int accmodes[] = { O_RDONLY, O_WRONLY, O_RDWR, 3 };

	switch (cmd) {
	case SHADOWIPC_IOC_MQ_OPEN:
		u->o = (struct shadowipc_mq_open){
			.name = pick_name(a), .attr = pick_attr(a, ARENA_ATTR),
			.oflag = below(8) ? accmodes[below(4)] |
				 (below(4) ? O_CREAT : 0) |
				 (below(4) ? O_NONBLOCK : 0) |
				 (below(4) ? 0 : O_EXCL) : (int)rnd(),
			.mode = below(4) ? 0600 : (uint32_t)rnd() };
		break;
	case SHADOWIPC_IOC_MQ_UNLINK:
		u->u = (struct shadowipc_mq_unlink){ .name = pick_name(a) };
		break;
	case SHADOWIPC_IOC_MQ_TIMEDSEND:
		memset(a->page + 512, 0x6d, MQ_DATA_MAX);
		u->s = (struct shadowipc_mq_timedsend){
			.msg = pick_buf(a),
			.len = below(8) ? below(MQ_DATA_MAX + 1) : rnd(),
			.fd = pick_mqd(),
			.prio = below(8) ? below(32) : (uint32_t)rnd() };
		break;
	case SHADOWIPC_IOC_MQ_TIMEDRECEIVE:
		u->r = (struct shadowipc_mq_timedreceive){
			.msg = pick_buf(a),
			.len = below(8) ? below(MQ_DATA_MAX + 1) : rnd(),
			.prio = below(2) ? (uintptr_t)(a->page + ARENA_PRIO) :
				below(2) ? 0 : (uintptr_t)a->hole,
			.fd = pick_mqd() };
		break;
	case SHADOWIPC_IOC_MQ_NOTIFY:
		u->n = (struct shadowipc_mq_notify){
			.sevp = pick_sev(a), .fd = pick_mqd() };
		break;
	case SHADOWIPC_IOC_MQ_GETSETATTR:
		u->g = (struct shadowipc_mq_getsetattr){
			.newattr = below(2) ? pick_attr(a, ARENA_ATTR) : 0,
			.oldattr = below(4) ? (uintptr_t)(a->page + ARENA_ATTR2) :
				   pick_buf(a),
			.fd = pick_mqd() };
		break;
	}
}

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
	else if (cmd == SHADOWIPC_IOC_MQ_TIMEDSEND)
		((struct shadowipc_mq_timedsend *)buf)->timeout =
			(uintptr_t)&past_timeout;
	else if (cmd == SHADOWIPC_IOC_MQ_TIMEDRECEIVE)
		((struct shadowipc_mq_timedreceive *)buf)->timeout =
			(uintptr_t)&past_timeout;
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
	if (_IOC_NR(cmd) >= 0x50 && _IOC_NR(cmd) < 0x60) {
		shape_mq(a, buf, cmd);
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

/* A queue of the four names, used and kept for the fuzzed calls or not. */
static void valid_mq_calls(void)
{
	struct mq_attr attr = { .mq_maxmsg = 4, .mq_msgsize = 256 };
	struct sigevent sev = { .sigev_notify = SIGEV_SIGNAL,
				.sigev_signo = SIGUSR1 };
	char name[8], text[256] = "fuzz";
	unsigned int prio;
	mqd_t q;

	snprintf(name, sizeof(name), "/fz%u", below(4));
	q = shadowipc_mq_open(name, O_RDWR | O_CREAT | O_NONBLOCK, 0600,
			      &attr);
	if (q == (mqd_t)-1)
		return;
	shadowipc_mq_notify(q, &sev);
	shadowipc_mq_timedsend(q, text, 8, below(4), &past_timeout);
	shadowipc_mq_timedreceive(q, text, sizeof(text), &prio, &past_timeout);
	shadowipc_mq_timedsend(q, text, 16, below(4), &past_timeout);
	shadowipc_mq_getattr(q, &attr);
	if (!below(4))
		shadowipc_mq_unlink(name);
	if (last_efd < 0 || !below(8)) {
		if (last_efd >= 0)
			close(last_efd);
		last_efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	}
	if (below(2)) {
		close(q);
		return;
	}
	if (last_mqd >= 0)
		close(last_mqd);
	last_mqd = q;
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
	valid_mq_calls();
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
	/* mq notifications the fuzzer registers signal these */
	signal(SIGUSR1, SIG_IGN);
	signal(SIGUSR2, SIG_IGN);
	dev = shadowipc_fd();
	for (i = 0; i < iters; i++) {
		unsigned long cmd = pick_cmd();
		int ret = ioctl(dev, cmd, pick_ptr(&a, cmd));

		/* a queue descriptor from a fuzzed mq_open: keep one */
		if (cmd == SHADOWIPC_IOC_MQ_OPEN && ret > dev) {
			if (last_mqd > dev && last_mqd != ret)
				close(last_mqd);
			last_mqd = ret;
		}
		if (!below(16))
			valid_calls();
		if (!below(64)) {	/* keep the fd table small */
			int fd;

			for (fd = dev + 1; fd < 1024; fd++)
				close(fd);
			last_mqd = last_efd = -1;
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
