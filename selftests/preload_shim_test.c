// SPDX-License-Identifier: GPL-2.0
/*
 * The LD_PRELOAD shim (libshadowipc-preload.so) from the inside: libc's
 * System V calls and syscall() reach the shadow namespace (syscall() of
 * the mq_* numbers answers as the kernel does); unshare() and
 * setns() for CLONE_NEWIPC; clone(), SYS_clone and SYS_clone3 with
 * CLONE_NEWIPC unprivileged, for a thread, and a child whose namespace
 * cannot be made; /proc redirects; and the shim's robustness
 * (threads racing on the first call, fork, a program that closes every
 * fd or puts another file at the device fd's number, no device fd for
 * programs that make no IPC call, no system call but the ioctl in a
 * forwarded call).
 *
 * The program re-executes itself with the shim in LD_PRELOAD
 * ($SHADOWIPC_PRELOAD, default /usr/lib/libshadowipc-preload.so) before
 * the harness starts. The kernel's own IPC is reached with raw syscall
 * instructions, which no shim can interpose.
 */
#include <dirent.h>
#include <mqueue.h>
#include <pthread.h>
#include <sched.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <time.h>
#include <linux/sched.h>

#include "kselftest_harness.h"
#include "sipc_test.h"

/*
 * How many fds of this process are /dev/shadowipc (-1: unknown); @last
 * is set to the highest such fd, if any.
 */
static int scan_dev_fds(int *last)
{
	char path[300], link[64];
	struct dirent *d;
	int n = 0;
	DIR *dir = opendir("/proc/self/fd");

	if (!dir)
		return -1;
	while ((d = readdir(dir))) {
		ssize_t len;

		snprintf(path, sizeof(path), "/proc/self/fd/%s", d->d_name);
		len = readlink(path, link, sizeof(link) - 1);
		if (len < 0)
			continue;
		link[len] = '\0';
		if (!strcmp(link, SHADOWIPC_DEVICE) && atoi(d->d_name) > *last)
			*last = atoi(d->d_name);
		n += !strcmp(link, SHADOWIPC_DEVICE);
	}
	closedir(dir);
	return n;
}

static int count_dev_fds(void)
{
	int last = -1;

	return scan_dev_fds(&last);
}

/* The number of this process's /dev/shadowipc fd, or -1. */
static int dev_fd_number(void)
{
	int last = -1;

	scan_dev_fds(&last);
	return last;
}

/* Close every fd from 3 up, the way some daemons start. */
static void close_all_fds(void)
{
	int fd;

	for (fd = 3; fd < 65536; fd++)
		close(fd);
}

FIXTURE(shim) {
	int unused;
};

FIXTURE_SETUP(shim)
{
	if (!sipc_shim_preloaded())
		SKIP(return, "the shim is not preloaded (%s missing?)",
		     sipc_shim_path());
	if (access(SHADOWIPC_DEVICE, F_OK))
		SKIP(return, "%s: %s (module not loaded)", SHADOWIPC_DEVICE,
		     strerror(errno));
	/* each test in a namespace of its own */
	ASSERT_EQ(0, unshare(CLONE_NEWIPC));
}

FIXTURE_TEARDOWN(shim)
{
}

TEST_F(shim, no_device_fd_without_ipc_calls)
{
	FILE *f;
	int fd;

	/* The setup's unshare() opened it: start again from a clean child. */
	close_all_fds();
	EXPECT_EQ(0, count_dev_fds());
	fd = open("/proc/self/status", O_RDONLY);
	ASSERT_LE(0, fd);
	close(fd);
	f = fopen("/proc/self/stat", "r");
	ASSERT_NE(NULL, f);
	fclose(f);
	EXPECT_EQ(getpid(), syscall(SYS_getpid));
	EXPECT_EQ(0, count_dev_fds());
	EXPECT_LE(0, shmget(IPC_PRIVATE, 4096, 0600));
	EXPECT_EQ(1, count_dev_fds());
}

TEST_F(shim, libc_shm_calls_go_to_the_shadow_namespace)
{
	struct shmid_ds ds;
	key_t key = 0x5e1f0001;
	char *p;
	int id;

	id = shmget(key, 8192, IPC_CREAT | IPC_EXCL | 0600);
	ASSERT_LE(0, id);
	/* the module knows it, the kernel does not */
	EXPECT_EQ(id, shadowipc_shmget(key, 0, 0));
	EXPECT_EQ(-1, sipc_raw_syscall(SYS_shmget, key, 0, 0, 0, 0));
	EXPECT_EQ(ENOENT, errno);

	p = shmat(id, NULL, 0);
	ASSERT_NE((void *)-1, p);
	strcpy(p, "shadow");
	ASSERT_EQ(0, shmctl(id, IPC_STAT, &ds));
	EXPECT_EQ(8192, ds.shm_segsz);
	EXPECT_EQ(1, ds.shm_nattch);
	EXPECT_EQ(0, shmdt(p));
	EXPECT_EQ(0, shmctl(id, IPC_RMID, NULL));
	EXPECT_EQ(-1, shmget(key, 0, 0));
	EXPECT_EQ(ENOENT, errno);
}

TEST_F(shim, syscall_is_interposed_for_ipc_numbers_only)
{
	key_t key = 0x5e1f0002;
	long id, addr;

	id = syscall(SYS_shmget, key, 4096, IPC_CREAT | 0600);
	ASSERT_LE(0, id);
	EXPECT_EQ(id, shadowipc_shmget(key, 0, 0));
	EXPECT_EQ(-1, sipc_raw_syscall(SYS_shmget, key, 0, 0, 0, 0));
	addr = syscall(SYS_shmat, id, 0, 0);
	ASSERT_NE(-1, addr);
	*(volatile int *)addr = 42;
	EXPECT_EQ(0, syscall(SYS_shmdt, addr));
	EXPECT_EQ(0, syscall(SYS_shmctl, id, IPC_RMID, 0));
	/* everything else goes to the real syscall() */
	EXPECT_EQ(getpid(), syscall(SYS_getpid));
	EXPECT_EQ(-1, syscall(SYS_close, -1));
	EXPECT_EQ(EBADF, errno);
}

/* In a child: cached gets answer with every ioctl() failing. */
static int cached_gets(void)
{
	key_t key = 0x5e1f0003;
	int shm, q, set;

	shm = shmget(key, 4096, IPC_CREAT | 0666);
	q = msgget(key, IPC_CREAT | 0666);
	set = semget(key, 1, IPC_CREAT | 0666);
	if (shm < 0 || q < 0 || set < 0)
		return 1;
	/* the first gets of a key map the tables */
	if (shmget(key, 0, 0) != shm || msgget(key, 0) != q ||
	    semget(key, 0, 0) != set)
		return 2;
	if (sipc_forbid_ioctl())
		return errno == EINVAL || errno == ENOSYS ? 99 : 3;
	if (shmget(key, 4096, 0666) != shm || msgget(key, 0) != q ||
	    semget(key, 0, 0) != set || syscall(SYS_shmget, key, 0, 0) != shm)
		return 4;
	/* the rest still goes to the device */
	errno = 0;
	if (shmget(IPC_PRIVATE, 4096, 0600) != -1 || errno != EPERM)
		return 5;
	return 0;
}

/*
 * Run @fn in a child; its exit status, 99 when the kernel has no seccomp
 * filters, or -1.
 */
static int in_child(int (*fn)(void))
{
	pid_t pid = fork();

	if (pid < 0)
		return -1;
	if (!pid)
		_exit(fn());
	return sipc_wait(pid);
}

TEST_F(shim, cached_gets_make_no_device_call)
{
	int st = in_child(cached_gets);

	if (st == 99)
		SKIP(return, "seccomp filters not in this kernel (CONFIG_SECCOMP_FILTER)");
	EXPECT_EQ(0, st);
}

TEST_F(shim, msg_and_sem_calls)
{
	struct { long type; char text[16]; } m = { 7, "hello" }, r;
	struct sembuf op = { 0, -1, IPC_NOWAIT };
	struct timespec ts = { 0, 1000000 };
	int q, s;

	q = msgget(IPC_PRIVATE, 0600);
	if (q < 0 && errno == ENOSYS)
		SKIP(return, "the module has no message queues");
	ASSERT_LE(0, q);
	ASSERT_EQ(0, msgsnd(q, &m, sizeof(m.text), 0));
	memset(&r, 0, sizeof(r));
	ASSERT_EQ(sizeof(m.text), msgrcv(q, &r, sizeof(r.text), 7, 0));
	EXPECT_STREQ("hello", r.text);
	EXPECT_EQ(0, msgctl(q, IPC_RMID, NULL));

	s = semget(IPC_PRIVATE, 2, 0600);
	if (s < 0 && errno == ENOSYS)
		SKIP(return, "the module has no semaphores");
	ASSERT_LE(0, s);
	/* the variadic fourth argument */
	ASSERT_EQ(0, semctl(s, 1, SETVAL, 5));
	EXPECT_EQ(5, semctl(s, 1, GETVAL));
	EXPECT_EQ(-1, semop(s, &op, 1));
	EXPECT_EQ(EAGAIN, errno);
	op.sem_flg = 0;
	EXPECT_EQ(-1, semtimedop(s, &op, 1, &ts));
	EXPECT_EQ(EAGAIN, errno);
	op.sem_num = 1;
	EXPECT_EQ(0, semop(s, &op, 1));
	EXPECT_EQ(4, semctl(s, 1, GETVAL));
	EXPECT_EQ(0, semctl(s, 0, IPC_RMID));
}

TEST_F(shim, unshare_makes_a_new_shadow_namespace)
{
	uint64_t before = shadowipc_ns_id(), after;
	struct stat uts1, uts2;
	key_t key = 0x5e1f0003;

	ASSERT_NE(0, before);
	ASSERT_LE(0, shmget(key, 4096, IPC_CREAT | 0600));
	ASSERT_EQ(0, stat("/proc/self/ns/uts", &uts1));
	/* CLONE_NEWIPC is the shim's; CLONE_NEWUTS goes to the kernel */
	ASSERT_EQ(0, unshare(CLONE_NEWIPC | (geteuid() ? 0 : CLONE_NEWUTS)));
	after = shadowipc_ns_id();
	EXPECT_NE(before, after);
	EXPECT_EQ(-1, shmget(key, 0, 0));
	EXPECT_EQ(ENOENT, errno);
	ASSERT_EQ(0, stat("/proc/self/ns/uts", &uts2));
	if (!geteuid())
		EXPECT_NE(uts1.st_ino, uts2.st_ino);
	/* through syscall() too */
	ASSERT_EQ(0, syscall(SYS_unshare, CLONE_NEWIPC));
	EXPECT_NE(after, shadowipc_ns_id());
}

TEST_F(shim, setns_takes_handles_and_pidfds)
{
	uint64_t mine = shadowipc_ns_id(), theirs;
	int pipefd[2], h, pidfd;
	key_t key = 0x5e1f0004;
	char c;
	pid_t pid;

	ASSERT_EQ(0, pipe(pipefd));
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		if (unshare(CLONE_NEWIPC) || shmget(key, 4096, IPC_CREAT | 0600) < 0)
			_exit(1);
		close(pipefd[0]);
		if (write(pipefd[1], "r", 1) != 1)
			_exit(2);
		pause();
		_exit(0);
	}
	close(pipefd[1]);
	ASSERT_EQ(1, read(pipefd[0], &c, 1));

	h = shadowipc_ns_fd(pid, &theirs);
	ASSERT_LE(0, h);
	EXPECT_NE(mine, theirs);
	EXPECT_EQ(-1, shmget(key, 0, 0));
	ASSERT_EQ(0, setns(h, CLONE_NEWIPC));
	EXPECT_EQ(theirs, shadowipc_ns_id());
	EXPECT_LE(0, shmget(key, 0, 0));
	close(h);

	/* nstype 0 works too; go back to our own namespace that way */
	ASSERT_EQ(0, unshare(CLONE_NEWIPC));
	EXPECT_EQ(-1, shmget(key, 0, 0));

	/* a pidfd, with CLONE_NEWIPC alone */
	pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
	if (pidfd >= 0) {
		ASSERT_EQ(0, setns(pidfd, CLONE_NEWIPC));
		EXPECT_EQ(theirs, shadowipc_ns_id());
		close(pidfd);
	}
	/* not a namespace fd at all: the real setns() says so */
	EXPECT_EQ(-1, setns(0, CLONE_NEWIPC));
	kill(pid, SIGKILL);
	EXPECT_EQ(128 + SIGKILL, sipc_wait(pid));
}

TEST_F(shim, survives_a_program_closing_all_fds)
{
	key_t key = 0x5e1f0005;
	int id, fd, i;

	id = shmget(key, 4096, IPC_CREAT | 0600);
	ASSERT_LE(0, id);
	EXPECT_EQ(1, count_dev_fds());
	close_all_fds();
	EXPECT_EQ(0, count_dev_fds());
	/*
	 * Reuse every low number, the shim's high one included, for other
	 * files (a character device among them), leaving room for one more.
	 */
	for (i = 0; i < 1000; i++) {
		fd = open("/dev/null", O_RDONLY);
		if (fd < 0 || fd >= 1000)
			break;
	}
	EXPECT_EQ(0, count_dev_fds());
	EXPECT_EQ(id, shmget(key, 0, 0));	/* same namespace */
	EXPECT_EQ(0, shmctl(id, IPC_RMID, NULL));
	close_all_fds();
}

/*
 * In a child: with every system call but ioctl() and exit_group() killing
 * the process, forwarded semop, semctl, msgsnd, msgrcv, mq_send and
 * mq_receive calls still work, and still fail as Linux's do on a
 * program's bad input (an id not in use, a descriptor that is no queue, a
 * short buffer, an empty queue) without a second system call.
 */
static int forwarded_calls_alone(void)
{
	struct sock_filter f[] = {
		SIPC_BPF_X86_64_NR(SECCOMP_RET_KILL_PROCESS),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_ioctl, 2, 0),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_exit_group, 1, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct { long type; char text[8]; } m = { 1, "x" };
	struct sembuf up = { 0, 1, 0 }, down = { 0, -1, 0 };
	struct mq_attr attr = { .mq_maxmsg = 1, .mq_msgsize = 8 };
	char buf[8];
	int set, q, i;
	mqd_t mq;

	set = semget(IPC_PRIVATE, 1, 0600);
	q = msgget(IPC_PRIVATE, 0600);
	mq = mq_open("/fwd", O_CREAT | O_RDWR, 0600, &attr);
	mq_unlink("/fwd");
	if (set < 0 || q < 0 || mq < 0)
		return 1;
	if (sipc_seccomp(f, sizeof(f) / sizeof(f[0])))
		return errno == EINVAL || errno == ENOSYS ? 99 : 3;
	for (i = 0; i < 3; i++) {
		if (semop(set, &up, 1) || semop(set, &down, 1) ||
		    semctl(set, 0, GETVAL) != 0)
			return 4;
		if (msgsnd(q, &m, sizeof(m.text), 0) ||
		    msgrcv(q, &m, sizeof(m.text), 0, 0) != sizeof(m.text))
			return 5;
		if (mq_send(mq, "y", 1, 0) ||
		    mq_receive(mq, buf, sizeof(buf), NULL) != 1)
			return 6;
	}
	if (semop(set + 1, &up, 1) != -1 || errno != EINVAL)
		return 7;
	if (msgrcv(q, &m, sizeof(m.text), 0, IPC_NOWAIT) != -1 ||
	    errno != ENOMSG)
		return 8;
	if (mq_send(STDIN_FILENO, "y", 1, 0) != -1 || errno != EBADF ||
	    mq_receive(-1, buf, sizeof(buf), NULL) != -1 || errno != EBADF)
		return 9;
	if (mq_receive(mq, buf, 4, NULL) != -1 || errno != EMSGSIZE)
		return 10;
	return 0;
}

TEST_F(shim, forwarded_calls_make_no_other_system_call)
{
	int st = in_child(forwarded_calls_alone);

	if (st == 99)
		SKIP(return, "seccomp filters not in this kernel (CONFIG_SECCOMP_FILTER)");
	EXPECT_EQ(0, st);
}

/* The ways a program can close or replace the device fd @fd. */
enum fd_loss {
	LOSS_CLOSE, LOSS_CLOSE_RANGE, LOSS_CLOSEFROM, LOSS_DUP2, LOSS_DUP3,
	LOSS_RAW_CLOSE, LOSS_RAW_DUP2, NR_LOSSES,
};

static void lose_fd(enum fd_loss how, int fd, int other)
{
	switch (how) {
	case LOSS_CLOSE:
		close(fd);
		break;
	case LOSS_CLOSE_RANGE:
		close_range(fd, fd, 0);
		break;
	case LOSS_CLOSEFROM:
		closefrom(fd);
		break;
	case LOSS_DUP2:
		dup2(other, fd);
		break;
	case LOSS_DUP3:
		dup3(other, fd, 0);
		break;
	case LOSS_RAW_CLOSE:
		sipc_raw_syscall(SYS_close, fd, 0, 0, 0, 0);
		break;
	default:
		sipc_raw_syscall(SYS_dup2, other, fd, 0, 0, 0);
		break;
	}
	/* whatever happened, another file now has the number */
	sipc_raw_syscall(SYS_dup2, other, fd, 0, 0, 0);
}

TEST_F(shim, ipc_never_goes_to_a_file_that_took_the_devices_number)
{
	struct sembuf up = { 0, 1, 0 };
	int how, fd, p[2], set;
	char c;

	set = semget(IPC_PRIVATE, 1, 0600);
	ASSERT_LE(0, set);
	for (how = 0; how < NR_LOSSES; how++) {
		fd = dev_fd_number();
		ASSERT_LE(0, fd);
		ASSERT_EQ(0, pipe2(p, O_NONBLOCK));
		lose_fd(how, fd, p[1]);
		EXPECT_EQ(0, count_dev_fds()) TH_LOG("loss %d", how);
		EXPECT_EQ(0, semop(set, &up, 1)) TH_LOG("loss %d", how);
		EXPECT_EQ(how + 1, semctl(set, 0, GETVAL)) TH_LOG("loss %d", how);
		EXPECT_EQ(1, count_dev_fds());
		EXPECT_NE(fd, dev_fd_number());
		/* nothing reached the pipe through the old number */
		EXPECT_EQ(-1, read(p[0], &c, 1));
		EXPECT_EQ(EAGAIN, errno);
		close(fd);
		close(p[0]);
		close(p[1]);
	}
	EXPECT_EQ(0, semctl(set, 0, IPC_RMID));
}

TEST_F(shim, fork_keeps_the_namespace_and_the_fd_works)
{
	key_t key = 0x5e1f0006;
	int id, status;
	pid_t pid;

	id = shmget(key, 4096, IPC_CREAT | 0600);
	ASSERT_LE(0, id);
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		if (shmget(key, 0, 0) != id)
			_exit(1);
		close_all_fds();
		if (shmget(key, 0, 0) != id)
			_exit(2);
		if (shmctl(id, IPC_RMID, NULL))
			_exit(3);
		_exit(0);
	}
	status = sipc_wait(pid);
	EXPECT_EQ(0, status);
	EXPECT_EQ(-1, shmget(key, 0, 0));
}

#define NTHREADS 8

static void *thread_fn(void *arg)
{
	long ok = 0;
	int i;

	(void)arg;
	for (i = 0; i < 50; i++) {
		int id = shmget(IPC_PRIVATE, 4096, 0600);
		char *p;

		if (id < 0)
			break;
		p = shmat(id, NULL, 0);
		if (p == (void *)-1)
			break;
		p[0] = 1;
		if (shmdt(p) || shmctl(id, IPC_RMID, NULL))
			break;
		ok++;
	}
	return (void *)ok;
}

TEST_F(shim, threads_race_on_the_first_call)
{
	pthread_t t[NTHREADS];
	void *ret;
	int i;

	/* forget the fd the setup opened, so that the threads race to open */
	close_all_fds();
	for (i = 0; i < NTHREADS; i++)
		ASSERT_EQ(0, pthread_create(&t[i], NULL, thread_fn, NULL));
	for (i = 0; i < NTHREADS; i++) {
		ASSERT_EQ(0, pthread_join(t[i], &ret));
		EXPECT_EQ(50, (long)ret);
	}
	EXPECT_EQ(1, count_dev_fds());
}

/* The shim's syscall(), variadic, called with sipc_raw_syscall()'s type. */
static long shim_syscall(long n, long a, long b, long c, long d, long e)
{
	return syscall(n, a, b, c, d, e);
}

/*
 * The mq_* system calls through syscall(), as the kernel takes them, with
 * @call: shim_syscall() or sipc_raw_syscall(). A line per call, its
 * result and errno, in @log.
 */
static void mq_syscalls(long (*call)(long, long, long, long, long, long),
			char *log, size_t size)
{
	struct mq_attr attr = { 0 }, nonblock = { .mq_flags = O_NONBLOCK };
	struct sigevent sev = { .sigev_notify = SIGEV_NONE };
	unsigned int prio = 0;
	size_t len = 0;
	char buf[8192];
	long fd, r;

#define MQ_CALL(what, ...) do {						\
	errno = 0;							\
	r = call(__VA_ARGS__);						\
	len += snprintf(log + len, size - len, "%s: %ld %s\n", what,	\
			r < 0 ? r : (long)(r > 2), strerror(errno));	\
} while (0)
	MQ_CALL("open create", SYS_mq_open, (long)"sq",
		O_CREAT | O_EXCL | O_RDWR, 0600, 0, 0);
	fd = r;
	MQ_CALL("open with a slash", SYS_mq_open, (long)"/sq", O_RDWR, 0, 0, 0);
	MQ_CALL("open empty name", SYS_mq_open, (long)"", O_RDWR, 0, 0, 0);
	MQ_CALL("open exclusive again", SYS_mq_open, (long)"sq",
		O_CREAT | O_EXCL | O_RDWR, 0600, 0, 0);
	MQ_CALL("send", SYS_mq_timedsend, fd, (long)"abc", 3, 7, 0);
	MQ_CALL("send bad prio", SYS_mq_timedsend, fd, (long)"x", 1, 32768, 0);
	MQ_CALL("getattr", SYS_mq_getsetattr, fd, 0, (long)&attr, 0, 0);
	len += snprintf(log + len, size - len, "attr %ld %ld %ld %ld\n",
			attr.mq_flags, attr.mq_maxmsg, attr.mq_msgsize,
			attr.mq_curmsgs);
	MQ_CALL("receive short buffer", SYS_mq_timedreceive, fd, (long)buf,
		10, (long)&prio, 0);
	MQ_CALL("receive", SYS_mq_timedreceive, fd, (long)buf, sizeof(buf),
		(long)&prio, 0);
	len += snprintf(log + len, size - len, "prio %u text %.3s\n",
			prio, buf);
	MQ_CALL("notify", SYS_mq_notify, fd, (long)&sev, 0, 0, 0);
	MQ_CALL("notify again", SYS_mq_notify, fd, (long)&sev, 0, 0, 0);
	MQ_CALL("notify remove", SYS_mq_notify, fd, 0, 0, 0, 0);
	MQ_CALL("setattr", SYS_mq_getsetattr, fd, (long)&nonblock,
		(long)&attr, 0, 0);
	MQ_CALL("receive nonblocking", SYS_mq_timedreceive, fd, (long)buf,
		sizeof(buf), 0, 0);
	MQ_CALL("unlink", SYS_mq_unlink, (long)"sq", 0, 0, 0, 0);
	MQ_CALL("unlink again", SYS_mq_unlink, (long)"sq", 0, 0, 0, 0);
#undef MQ_CALL
	close(fd);
}

TEST_F(shim, mq_syscalls_match_the_kernels)
{
	struct sigevent sev = { .sigev_notify = SIGEV_THREAD };
	char *kernel_log, shadow_log[4096];
	pid_t pid;
	long fd;

	kernel_log = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
			  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, kernel_log);
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		/* the kernel's own queues, in a private IPC namespace */
		if (sipc_raw_syscall(SYS_unshare, CLONE_NEWIPC, 0, 0, 0, 0))
			_exit(1);
		mq_syscalls(sipc_raw_syscall, kernel_log, 4096);
		_exit(0);
	}
	ASSERT_EQ(0, sipc_wait(pid));
	mq_syscalls(shim_syscall, shadow_log, sizeof(shadow_log));
	EXPECT_STREQ(kernel_log, shadow_log);
	EXPECT_NE(NULL, strstr(shadow_log, "attr 0 10 8192 1\n"));

	/* SIGEV_THREAD takes the module's eventfd, not a netlink socket */
	fd = syscall(SYS_mq_open, "sq", O_CREAT | O_RDWR, 0600, NULL);
	ASSERT_LE(0, fd);
	sev.sigev_signo = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, 0);
	ASSERT_LE(0, sev.sigev_signo);
	EXPECT_EQ(-1, syscall(SYS_mq_notify, fd, &sev));
	EXPECT_EQ(EINVAL, errno);
	close(sev.sigev_signo);
	close(fd);
	EXPECT_EQ(0, syscall(SYS_mq_unlink, "sq"));
	munmap(kernel_log, 4096);
}

#define CLONE_STACK	(64 << 10)
#define MAX_NS_PARAM	"/sys/module/shadowipc/parameters/max_namespaces"

/* What the child of a clone() saw, in memory shared with the parent. */
struct clone_seen {
	uint64_t ns;
	int found;	/* the parent's key */
	int ran;
};

static key_t clone_key = 0x5e1f0010;

static int clone_look(void *arg)
{
	struct clone_seen *s = arg;

	s->ran = 1;
	s->ns = shadowipc_ns_id();
	s->found = shmget(clone_key, 0, 0) >= 0;
	return 0;
}

/* A child made the @how way (0: clone(), 1: SYS_clone, 2: SYS_clone3). */
static pid_t clone_child(int how, int flags, char *stack, struct clone_seen *s)
{
	struct clone_args args = {
		.flags = (unsigned int)flags,
		.exit_signal = SIGCHLD,
	};
	pid_t pid;

	memset(s, 0, sizeof(*s));
	if (how == 0)
		return clone(clone_look, stack + CLONE_STACK, flags | SIGCHLD, s);
	if (how == 1)
		pid = syscall(SYS_clone, flags | SIGCHLD, 0, 0, 0, 0);
	else
		pid = syscall(SYS_clone3, &args, sizeof(args));
	if (!pid)
		_exit(clone_look(s));
	return pid;
}

/* What clone_child() needs: @s shared with the children, a @stack. */
static bool clone_memory(struct clone_seen **s, char **stack)
{
	*s = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
		  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	*stack = mmap(NULL, CLONE_STACK, PROT_READ | PROT_WRITE,
		      MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	return *s != MAP_FAILED && *stack != MAP_FAILED;
}

TEST_F(shim, clone_newipc_needs_no_privilege)
{
	struct clone_seen *s;
	char *stack;
	pid_t pid;

	ASSERT_TRUE(clone_memory(&s, &stack));
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		uint64_t mine;
		long r;
		int how;

		if (sipc_drop_privs(SIPC_TEST_UID, SIPC_TEST_GID) ||
		    unshare(CLONE_NEWIPC) ||
		    shmget(clone_key, 4096, IPC_CREAT | 0600) < 0)
			_exit(1);
		mine = shadowipc_ns_id();
		/* the kernel refuses CLONE_NEWIPC to this user... */
		r = sipc_raw_syscall(SYS_clone, CLONE_NEWIPC | SIGCHLD, 0, 0, 0, 0);
		if (!r)
			_exit(0);
		if (r != -1 || errno != EPERM)
			_exit(2);
		/* ...the shim does not, whichever way */
		for (how = 0; how < 3; how++) {
			pid = clone_child(how, CLONE_NEWIPC, stack, s);
			if (pid < 0 || sipc_wait(pid))
				_exit(10 + how);
			if (!s->ran || !s->ns || s->ns == mine || s->found)
				_exit(20 + how);
		}
		/* the other flags still need what they need */
		if (clone_child(0, CLONE_NEWIPC | CLONE_NEWPID, stack, s) != -1 ||
		    errno != EPERM)
			_exit(30);
		_exit(shadowipc_ns_id() == mine ? 0 : 31);
	}
	EXPECT_EQ(0, sipc_wait(pid));
	munmap(stack, CLONE_STACK);
	munmap(s, 4096);
}

static uint64_t thread_ns;

static int thread_look(void *arg)
{
	(void)arg;
	__atomic_store_n(&thread_ns, shadowipc_ns_id(), __ATOMIC_SEQ_CST);
	return 0;
}

TEST_F(shim, clone_newipc_thread_gets_a_namespace_of_its_own)
{
	const int flags = CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND |
			  CLONE_THREAD | CLONE_NEWIPC | CLONE_PARENT_SETTID |
			  CLONE_CHILD_CLEARTID;
	uint64_t mine = shadowipc_ns_id();
	static pid_t ctid;
	char *stack;
	pid_t tid;
	int i;

	stack = mmap(NULL, CLONE_STACK, PROT_READ | PROT_WRITE,
		     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, stack);
	thread_ns = 0;
	tid = clone(thread_look, stack + CLONE_STACK, flags, NULL, &ctid, NULL,
		    &ctid);
	ASSERT_LT(0, tid);
	/* CLONE_CHILD_CLEARTID: zero once the thread is gone */
	for (i = 0; i < 5000 && __atomic_load_n(&ctid, __ATOMIC_SEQ_CST); i++)
		usleep(1000);
	ASSERT_EQ(0, ctid);
	EXPECT_NE(0, thread_ns);
	EXPECT_NE(mine, thread_ns);
	EXPECT_EQ(mine, shadowipc_ns_id());
	munmap(stack, CLONE_STACK);
}

TEST_F(shim, clone_child_without_a_namespace_exits_127_unrun)
{
	struct clone_seen *s;
	char old[32] = "";
	char *stack;
	int how, fd;
	ssize_t n;

	fd = open(MAX_NS_PARAM, O_RDONLY);
	if (fd < 0)
		SKIP(return, "%s: %s", MAX_NS_PARAM, strerror(errno));
	n = read(fd, old, sizeof(old) - 1);
	close(fd);
	ASSERT_LT(0, n);
	ASSERT_TRUE(clone_memory(&s, &stack));
	/* no new namespace for anyone: the child's unshare fails */
	ASSERT_EQ(0, sipc_write_str(MAX_NS_PARAM, "0"));
	for (how = 0; how < 3; how++) {
		pid_t pid = clone_child(how, CLONE_NEWIPC, stack, s);

		EXPECT_LT(0, pid);
		if (pid > 0)
			EXPECT_EQ(127, sipc_wait(pid));
		EXPECT_EQ(0, s->ran);
	}
	EXPECT_EQ(0, sipc_write_str(MAX_NS_PARAM, old));
	munmap(stack, CLONE_STACK);
	munmap(s, 4096);
}

TEST_F(shim, proc_files_show_the_shadow_namespace)
{
	static const char *const files[][2] = {
		{ "/proc/sysvipc/shm", "/proc/shadowipc/sysvipc/shm" },
		{ "/proc/sysvipc/msg", "/proc/shadowipc/sysvipc/msg" },
		{ "/proc/sysvipc/sem", "/proc/shadowipc/sysvipc/sem" },
		{ "/proc/sys/kernel/shmmni", "/proc/shadowipc/sys/kernel/shmmni" },
		{ "/proc//sys/kernel/sem", "/proc/shadowipc/sys/kernel/sem" },
	};
	char a[4096], b[4096];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(files); i++) {
		bool shadow = access(files[i][1], F_OK) == 0;
		FILE *f;
		int fd;

		/* access() is redirected too */
		EXPECT_EQ(shadow ? 0 : -1, access(files[i][0], R_OK));
		fd = open(files[i][0], O_RDONLY);
		f = fopen(files[i][0], "r");
		if (!shadow) {
			/* never the kernel's file, which shows another namespace */
			EXPECT_EQ(-1, fd);
			EXPECT_EQ(NULL, f);
			EXPECT_EQ(ENOENT, errno);
			continue;
		}
		ASSERT_LE(0, fd);
		ASSERT_NE(NULL, f);
		memset(a, 0, sizeof(a));
		memset(b, 0, sizeof(b));
		EXPECT_LT(0, read(fd, a, sizeof(a) - 1));
		EXPECT_LT(0, fread(b, 1, sizeof(b) - 1, f));
		EXPECT_STREQ(a, b);
		close(fd);
		fclose(f);
	}
	/* other /proc files are left alone */
	EXPECT_EQ(0, access("/proc/sys/kernel/ostype", R_OK));
}

int main(int argc, char **argv)
{
	sipc_reexec_under_shim(argv);
	return test_harness_run(argc, argv);
}
