// SPDX-License-Identifier: GPL-2.0
/*
 * Fault injection on every allocating ioctl: with /proc/thread-self/fail-nth
 * set to N = 1, 2, ... the N-th allocation of the call fails, until the
 * call no longer reaches N allocations. Every failing call must return an
 * allocation errno and leave nothing behind: the same namespaces, tasks,
 * handles, segments, fds, mappings and the same namespace for the caller.
 * Needs a kernel with CONFIG_FAULT_INJECTION_DEBUG_FS (make check-debug);
 * skipped elsewhere.
 */
#include <dirent.h>
#include <sys/ipc.h>
#include <sys/shm.h>

#include "kselftest_harness.h"
#include "sipc_test.h"

#define MAX_POINTS 2000

struct snapshot {
	struct shadowipc_status st;
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
	s->ns_id = shadowipc_ns_id();
	s->fds = count_fds();
	s->maps = count_maps();
}

static int write_str(const char *path, const char *v)
{
	int fd = open(path, O_WRONLY), ret;

	if (fd < 0)
		return -1;
	ret = write(fd, v, strlen(v)) == (ssize_t)strlen(v) ? 0 : -1;
	close(fd);
	return ret;
}

/* fail-nth applies to sleeping allocations too only when told so. */
static void fault_attrs_setup(void)
{
	write_str("/sys/kernel/debug/failslab/ignore-gfp-wait", "N");
	write_str("/sys/kernel/debug/fail_page_alloc/ignore-gfp-wait", "N");
	write_str("/sys/kernel/debug/fail_page_alloc/ignore-gfp-highmem", "N");
	write_str("/sys/kernel/debug/fail_page_alloc/min-order", "0");
	write_str("/sys/kernel/debug/failslab/verbose", "0");
	write_str("/sys/kernel/debug/fail_page_alloc/verbose", "0");
}

struct fault_case {
	const char *name;
	int (*setup)(void *ctx);	/* per attempt, before the snapshot */
	int (*call)(void *ctx);		/* 0, or -1 with errno */
	void (*undo)(void *ctx);	/* after a successful call */
	void (*cleanup)(void *ctx);	/* after a failed call */
};

struct ctx {
	int home;	/* handle on the caller's namespace */
	int other;	/* handle on another namespace */
	int shmid;
	int fd;
	void *addr;
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

static const struct fault_case cases[] = {
	{ "unshare", NULL, call_unshare, back_home, NULL },
	{ "ns_fd", NULL, call_ns_fd, close_fd, NULL },
	{ "setns", NULL, call_setns, back_home, NULL },
	{ "shmget", NULL, call_shmget, rmid, NULL },
	{ "shmat", make_segment, call_shmat, detach_and_rmid, rmid },
	{ "shmctl_stat", make_segment, call_stat, rmid, rmid },
	{ "shmctl_rmid", make_segment, call_rmid, nothing, rmid },
};

TEST_F_TIMEOUT(fault, unshare, 120)
{
	run_case(_metadata, self->nth, &cases[0], &self->ctx);
}

TEST_F_TIMEOUT(fault, ns_fd, 120)
{
	run_case(_metadata, self->nth, &cases[1], &self->ctx);
}

TEST_F_TIMEOUT(fault, setns, 120)
{
	run_case(_metadata, self->nth, &cases[2], &self->ctx);
}

TEST_F_TIMEOUT(fault, shmget, 120)
{
	run_case(_metadata, self->nth, &cases[3], &self->ctx);
}

TEST_F_TIMEOUT(fault, shmat, 120)
{
	run_case(_metadata, self->nth, &cases[4], &self->ctx);
}

TEST_F_TIMEOUT(fault, shmctl_stat, 120)
{
	run_case(_metadata, self->nth, &cases[5], &self->ctx);
}

TEST_F_TIMEOUT(fault, shmctl_rmid, 120)
{
	run_case(_metadata, self->nth, &cases[6], &self->ctx);
}

TEST_HARNESS_MAIN
