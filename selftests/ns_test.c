// SPDX-License-Identifier: GPL-2.0
/*
 * Shadow namespaces: unshare, inheritance across fork and clone, handles,
 * setns and its permission rules, destruction with the last reference,
 * and the per-user namespace limit.
 */
#include <pthread.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/syscall.h>

#include "kselftest_harness.h"
#include "sipc_test.h"

#define MAX_NS_PARAM "/sys/module/shadowipc/parameters/max_namespaces"

FIXTURE(ns) {
	struct shadowipc_status before;
};

FIXTURE_SETUP(ns)
{
	if (!sipc_dev_present())
		SKIP(return, "%s: %s (module not loaded)", SHADOWIPC_DEVICE,
		     strerror(errno));
	self->before = sipc_status();
}

FIXTURE_TEARDOWN(ns)
{
}

/* Run @fn in a child; return its exit status. */
static int in_child(int (*fn)(void *), void *arg)
{
	pid_t pid = fork();

	if (pid < 0)
		return -1;
	if (!pid)
		_exit(fn(arg));
	return sipc_wait(pid);
}

static int child_ns_id(void *arg)
{
	uint64_t *want = arg;

	return shadowipc_ns_id() == *want ? 0 : 1;
}

TEST_F(ns, initial_namespace_is_one)
{
	struct shadowipc_ns_info info;

	ASSERT_EQ(0, shadowipc_ns_info(-1, &info));
	EXPECT_EQ(1, info.id);
	EXPECT_EQ(0, info.creator_uid);
}

static int unshare_gives_new_empty_ns(void *arg)
{
	struct shadowipc_ns_info info;
	uint64_t id, id2;

	if (shadowipc_unshare(&id))
		return 1;
	if (id <= 1 || shadowipc_ns_id() != id)
		return 2;
	if (shadowipc_ns_info(-1, &info))
		return 3;
	if (info.members != 1 || info.handles != 0 || info.objects[0] ||
	    info.bytes[0])
		return 4;
	if (info.limits.shmmni != 4096 || info.limits.shm_rmid_forced ||
	    info.limits.shmmax != 18446744073692774399ULL ||
	    info.limits.shmall != 18446744073692774399ULL ||
	    info.limits.msgmax != 8192 || info.limits.msgmnb != 16384 ||
	    info.limits.msgmni != 32000 || info.limits.sem[0] != 32000 ||
	    info.limits.sem[1] != 1024000000 || info.limits.sem[2] != 500 ||
	    info.limits.sem[3] != 32000)
		return 5;
	/* ids are never reused */
	if (shadowipc_unshare(&id2) || id2 <= id)
		return 6;
	return 0;
}

TEST_F(ns, unshare_gives_new_empty_namespace)
{
	EXPECT_EQ(0, in_child(unshare_gives_new_empty_ns, NULL));
}

TEST_F(ns, unshare_rejects_flags_and_pad)
{
	struct shadowipc_unshare u = { .flags = 1 };
	int fd = shadowipc_fd();

	errno = 0;
	EXPECT_EQ(-1, ioctl(fd, SHADOWIPC_IOC_UNSHARE, &u));
	EXPECT_EQ(EINVAL, errno);
	u.flags = 0;
	u.pad = 1;
	errno = 0;
	EXPECT_EQ(-1, ioctl(fd, SHADOWIPC_IOC_UNSHARE, &u));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(1, shadowipc_ns_id());
}

static int child_inherits(void *arg)
{
	uint64_t id;
	int status;

	if (shadowipc_unshare(&id))
		return 1;
	status = in_child(child_ns_id, &id);
	return status ? 10 + status : 0;
}

TEST_F(ns, child_inherits_namespace)
{
	EXPECT_EQ(0, in_child(child_inherits, NULL));
}

static int exec_keeps(void *arg)
{
	uint64_t id;
	char buf[32];
	pid_t pid;

	if (shadowipc_unshare(&id))
		return 1;
	snprintf(buf, sizeof(buf), "%llu", (unsigned long long)id);
	pid = fork();
	if (!pid) {
		execl("/proc/self/exe", "ns_test", "--check-ns-id", buf, NULL);
		_exit(99);
	}
	return sipc_wait(pid);
}

TEST_F(ns, exec_keeps_namespace)
{
	EXPECT_EQ(0, in_child(exec_keeps, NULL));
}

static int child_unshares(void *arg)
{
	uint64_t id = shadowipc_ns_id();

	return shadowipc_unshare(NULL) || shadowipc_ns_id() == id;
}

static int parent_keeps(void *arg)
{
	uint64_t id;

	if (shadowipc_unshare(&id))
		return 1;
	if (in_child(child_unshares, NULL))
		return 2;
	return shadowipc_ns_id() == id ? 0 : 3;
}

TEST_F(ns, child_unshare_leaves_parent)
{
	EXPECT_EQ(0, in_child(parent_keeps, NULL));
}

struct thread_arg {
	uint64_t seen;
	bool unshare;
};

static void *thread_fn(void *p)
{
	struct thread_arg *a = p;

	if (a->unshare && shadowipc_unshare(NULL))
		return NULL;
	a->seen = shadowipc_ns_id();
	return NULL;
}

static int threads(void *arg)
{
	struct thread_arg a = { 0 }, b = { .unshare = true };
	pthread_t ta, tb;
	uint64_t id;

	if (shadowipc_unshare(&id))
		return 1;
	if (pthread_create(&ta, NULL, thread_fn, &a) ||
	    pthread_create(&tb, NULL, thread_fn, &b))
		return 2;
	pthread_join(ta, NULL);
	pthread_join(tb, NULL);
	if (a.seen != id)
		return 3;	/* a thread inherits */
	if (!b.seen || b.seen == id)
		return 4;	/* a thread unshares on its own */
	return shadowipc_ns_id() == id ? 0 : 5;
}

TEST_F(ns, threads_inherit_and_unshare_independently)
{
	EXPECT_EQ(0, in_child(threads, NULL));
}

static int same_key_two_namespaces(void *arg)
{
	int a, b;

	if (shadowipc_unshare(NULL))
		return 1;
	a = shadowipc_shmget(0x5150, 4096, IPC_CREAT | IPC_EXCL | 0600);
	if (a < 0)
		return 2;
	if (shadowipc_unshare(NULL))
		return 3;
	/* the same key is free in the next namespace */
	b = shadowipc_shmget(0x5150, 8192, IPC_CREAT | IPC_EXCL | 0600);
	if (b < 0)
		return 4;
	/* and the first segment's id means nothing here */
	if (shadowipc_shmctl(a, IPC_RMID, NULL) == 0 && a != b)
		return 5;
	return 0;
}

TEST_F(ns, same_key_in_two_namespaces)
{
	EXPECT_EQ(0, in_child(same_key_two_namespaces, NULL));
}

TEST_F(ns, ns_fd_is_cloexec_and_describes_namespace)
{
	struct shadowipc_ns_info info;
	uint64_t id = 0;
	int fd;

	fd = shadowipc_ns_fd(0, &id);
	ASSERT_GE(fd, 0);
	EXPECT_EQ(1, id);
	EXPECT_EQ(FD_CLOEXEC, fcntl(fd, F_GETFD) & FD_CLOEXEC);
	/* NS_INFO issued on the handle itself */
	memset(&info, 0, sizeof(info));
	info.fd = -1;
	ASSERT_EQ(0, ioctl(fd, SHADOWIPC_IOC_NS_INFO, &info));
	EXPECT_EQ(1, info.id);
	EXPECT_GE(info.handles, 1);
	/* and through the device, naming the handle */
	ASSERT_EQ(0, shadowipc_ns_info(fd, &info));
	EXPECT_EQ(1, info.id);
	errno = 0;
	EXPECT_EQ(-1, ioctl(fd, SHADOWIPC_IOC_VERSION, &info));
	EXPECT_EQ(ENOTTY, errno);
	close(fd);
}

TEST_F(ns, ns_fd_for_missing_pid_is_esrch)
{
	errno = 0;
	EXPECT_EQ(-1, shadowipc_ns_fd(0x3fffffff, NULL));
	EXPECT_EQ(ESRCH, errno);
	errno = 0;
	EXPECT_EQ(-1, shadowipc_ns_fd(-5, NULL));
	EXPECT_EQ(ESRCH, errno);
}

TEST_F(ns, ns_fd_rejects_flags)
{
	/* bit 0 is SHADOWIPC_NS_FD_WATCH */
	struct shadowipc_ns_fd a = { .flags = 2 };

	errno = 0;
	EXPECT_EQ(-1, ioctl(shadowipc_fd(), SHADOWIPC_IOC_NS_FD, &a));
	EXPECT_EQ(EINVAL, errno);
}

TEST_F(ns, setns_bad_fd_is_ebadf)
{
	errno = 0;
	EXPECT_EQ(-1, shadowipc_setns(9999));
	EXPECT_EQ(EBADF, errno);
	errno = 0;
	EXPECT_EQ(-1, shadowipc_setns(-1));
	EXPECT_EQ(EBADF, errno);
}

TEST_F(ns, setns_non_handle_is_einval)
{
	int fd = open("/dev/null", O_RDONLY);

	ASSERT_GE(fd, 0);
	errno = 0;
	EXPECT_EQ(-1, shadowipc_setns(fd));
	EXPECT_EQ(EINVAL, errno);
	errno = 0;
	EXPECT_EQ(-1, shadowipc_setns(shadowipc_fd()));
	EXPECT_EQ(EINVAL, errno);
	close(fd);
}

/*
 * A process in a namespace with a segment; a second process takes a
 * handle on it by pid; a third joins through the handle and sees the
 * segment and its data.
 */
static int third_party_setns(void *arg)
{
	int to_owner[2], from_owner[2], shmid, hfd;
	uint64_t id, hid;
	pid_t owner;
	char c;

	if (pipe(to_owner) || pipe(from_owner))
		return 1;
	owner = fork();
	if (!owner) {
		char *p;

		if (shadowipc_unshare(&id))
			_exit(1);
		shmid = shadowipc_shmget(0x7777, 4096, IPC_CREAT | 0600);
		p = shadowipc_shmat(shmid, NULL, 0);
		if (p == (void *)-1)
			_exit(2);
		strcpy(p, "hello from the owner");
		shadowipc_shmdt(p);
		if (write(from_owner[1], &id, sizeof(id)) != sizeof(id))
			_exit(3);
		/* stay until told */
		_exit(read(to_owner[0], &c, 1) == 1 ? 0 : 4);
	}
	close(from_owner[1]);
	close(to_owner[0]);
	if (read(from_owner[0], &id, sizeof(id)) != sizeof(id))
		return 2;
	hfd = shadowipc_ns_fd(owner, &hid);
	if (hfd < 0 || hid != id)
		return 3;
	pid_t third = fork();

	if (!third) {
		char *p;

		if (shadowipc_setns(hfd))
			_exit(1);
		if (shadowipc_ns_id() != id)
			_exit(2);
		shmid = shadowipc_shmget(0x7777, 0, 0);
		if (shmid < 0)
			_exit(3);
		p = shadowipc_shmat(shmid, NULL, SHM_RDONLY);
		if (p == (void *)-1)
			_exit(4);
		_exit(strcmp(p, "hello from the owner") ? 5 : 0);
	}
	int status = sipc_wait(third);

	c = 'x';
	if (write(to_owner[1], &c, 1) != 1)
		return 4;
	if (sipc_wait(owner))
		return 5;
	close(hfd);
	return status ? 10 + status : 0;
}

TEST_F(ns, handle_lets_third_process_join_and_see_objects)
{
	EXPECT_EQ(0, in_child(third_party_setns, NULL));
}

/* An unprivileged user may not take a handle on root's process. */
static int handle_without_ptrace_access(void *arg)
{
	pid_t victim = *(pid_t *)arg;

	if (sipc_drop_privs(SIPC_TEST_UID, SIPC_TEST_GID))
		return 1;
	errno = 0;
	if (shadowipc_ns_fd(victim, NULL) != -1)
		return 2;
	if (errno != EACCES)
		return 3;
	/* its own process is fine */
	if (shadowipc_ns_fd(getpid(), NULL) < 0)
		return 4;
	return 0;
}

TEST_F(ns, handle_without_ptrace_access_is_eacces)
{
	pid_t victim = fork();

	ASSERT_GE(victim, 0);
	if (!victim) {
		pause();
		_exit(0);
	}
	EXPECT_EQ(0, in_child(handle_without_ptrace_access, &victim));
	kill(victim, SIGKILL);
	sipc_wait(victim);
}

/* Same uid but the target is not dumpable: refused too. */
static int handle_nondumpable(void *arg)
{
	int p[2];
	pid_t victim;
	char c;
	int ret;

	if (pipe(p))
		return 1;
	if (sipc_drop_privs(SIPC_TEST_UID, SIPC_TEST_GID))
		return 1;
	victim = fork();
	if (!victim) {
		prctl(PR_SET_DUMPABLE, 0);
		if (write(p[1], "r", 1) != 1)
			_exit(1);
		pause();
		_exit(0);
	}
	if (read(p[0], &c, 1) != 1)
		return 2;
	errno = 0;
	ret = shadowipc_ns_fd(victim, NULL) == -1 && errno == EACCES ? 0 : 3;
	kill(victim, SIGKILL);
	sipc_wait(victim);
	return ret;
}

TEST_F(ns, handle_on_nondumpable_task_is_eacces)
{
	EXPECT_EQ(0, in_child(handle_nondumpable, NULL));
}

/*
 * A namespace created by root, handle passed to an unprivileged child:
 * setns is refused; the creator's own euid may join it.
 */
static int setns_other_users_ns(void *arg)
{
	int hfd;
	pid_t pid;

	if (shadowipc_unshare(NULL))
		return 1;
	hfd = shadowipc_ns_fd(0, NULL);
	if (hfd < 0)
		return 2;
	/* leave it: back to a fresh namespace of our own */
	if (shadowipc_unshare(NULL))
		return 3;
	pid = fork();
	if (!pid) {
		if (sipc_drop_privs(SIPC_TEST_UID, SIPC_TEST_GID))
			_exit(1);
		errno = 0;
		if (shadowipc_setns(hfd) != -1 || errno != EPERM)
			_exit(2);
		_exit(0);
	}
	if (sipc_wait(pid))
		return 4;
	/* root (the creator) can */
	return shadowipc_setns(hfd) ? 5 : 0;
}

TEST_F(ns, setns_into_other_users_namespace_is_eperm)
{
	EXPECT_EQ(0, in_child(setns_other_users_ns, NULL));
}

static int unprivileged_creator_joins(void *arg)
{
	uint64_t id;
	int hfd;
	pid_t pid;

	if (sipc_drop_privs(SIPC_TEST_UID, SIPC_TEST_GID))
		return 1;
	pid = fork();
	if (!pid) {
		if (shadowipc_unshare(&id))
			_exit(1);
		hfd = shadowipc_ns_fd(0, NULL);
		if (hfd < 0)
			_exit(2);
		if (shadowipc_unshare(NULL))
			_exit(3);
		if (shadowipc_setns(hfd))
			_exit(4);
		_exit(shadowipc_ns_id() == id ? 0 : 5);
	}
	return sipc_wait(pid);
}

TEST_F(ns, unprivileged_creator_may_join_its_namespace)
{
	EXPECT_EQ(0, in_child(unprivileged_creator_joins, NULL));
}

TEST_F(ns, unprivileged_cannot_join_initial_namespace)
{
	pid_t pid = fork();

	ASSERT_GE(pid, 0);
	if (!pid) {
		int hfd = shadowipc_ns_fd(0, NULL);

		if (hfd < 0 || sipc_drop_privs(SIPC_TEST_UID, SIPC_TEST_GID))
			_exit(1);
		if (shadowipc_unshare(NULL))
			_exit(2);
		errno = 0;
		_exit(shadowipc_setns(hfd) == -1 && errno == EPERM ? 0 : 3);
	}
	EXPECT_EQ(0, sipc_wait(pid));
}

static int exit_after_unshare(void *arg)
{
	return shadowipc_unshare(NULL) ? 1 : 0;
}

TEST_F(ns, namespace_dies_with_its_last_member)
{
	struct shadowipc_status after;

	ASSERT_EQ(0, in_child(exit_after_unshare, NULL));
	after = sipc_status();
	EXPECT_EQ(self->before.namespaces, after.namespaces);
	EXPECT_EQ(self->before.bindings, after.bindings);
	EXPECT_EQ(self->before.created + 1, after.created);
}

/* The handle outlives the member; the namespace lives until it closes. */
static int handle_keeps_namespace(void *arg)
{
	int *out = arg;
	pid_t pid;
	int p[2];

	if (pipe(p))
		return 1;
	pid = fork();
	if (!pid) {
		int hfd;

		if (shadowipc_unshare(NULL))
			_exit(1);
		if (shadowipc_shmget(IPC_PRIVATE, 8192, 0600) < 0)
			_exit(2);
		hfd = shadowipc_ns_fd(0, NULL);
		/* tell the parent which fd to take */
		if (hfd < 0 || write(p[1], &hfd, sizeof(hfd)) != sizeof(hfd))
			_exit(3);
		pause();
		_exit(0);
	}
	int hfd_child, hfd, pidfd;

	close(p[1]);
	if (read(p[0], &hfd_child, sizeof(hfd_child)) != sizeof(hfd_child))
		return 2;
	/* take the child's handle fd itself */
	pidfd = syscall(SYS_pidfd_open, pid, 0);
	hfd = pidfd < 0 ? -1 : syscall(SYS_pidfd_getfd, pidfd, hfd_child, 0);
	kill(pid, SIGKILL);
	sipc_wait(pid);
	if (hfd < 0)
		return 3;
	*out = hfd;
	return 0;
}

TEST_F(ns, namespace_lives_while_a_handle_is_open)
{
	struct shadowipc_ns_info info;
	struct shadowipc_status st;
	int hfd = -1;

	ASSERT_EQ(0, handle_keeps_namespace(&hfd));
	st = sipc_status();
	EXPECT_EQ(self->before.namespaces + 1, st.namespaces);
	EXPECT_EQ(self->before.segments + 1, st.segments);
	ASSERT_EQ(0, shadowipc_ns_info(hfd, &info));
	EXPECT_EQ(0, info.members);
	EXPECT_EQ(1, info.handles);
	EXPECT_EQ(1, info.objects[SHADOWIPC_KIND_SHM]);
	EXPECT_EQ(8192, info.bytes[SHADOWIPC_KIND_SHM]);
	close(hfd);
	st = sipc_status();
	EXPECT_EQ(self->before.namespaces, st.namespaces);
	EXPECT_EQ(self->before.segments, st.segments);
	EXPECT_EQ(self->before.handles, st.handles);
}

/*
 * The member that created a segment exits while the segment stays mapped
 * in a process that has setns'd away: the namespace (and segment) live
 * until that mapping goes, as Linux's attaches pin their namespace.
 */
TEST_F(ns, mapped_segment_outlives_members_until_detach)
{
	int to_member[2], from_member[2];
	struct shadowipc_status st;
	pid_t member, mapper;
	int shmid;
	char c;

	ASSERT_EQ(0, pipe(to_member));
	ASSERT_EQ(0, pipe(from_member));
	member = fork();
	ASSERT_GE(member, 0);
	if (!member) {
		if (shadowipc_unshare(NULL))
			_exit(1);
		shmid = shadowipc_shmget(IPC_PRIVATE, 4096, 0600);
		if (shmid < 0 ||
		    write(from_member[1], &shmid, sizeof(shmid)) != sizeof(shmid))
			_exit(2);
		_exit(read(to_member[0], &c, 1) == 1 ? 0 : 3);
	}
	close(from_member[1]);
	close(to_member[0]);
	ASSERT_EQ(sizeof(shmid), read(from_member[0], &shmid, sizeof(shmid)));

	int ready[2], done[2];

	ASSERT_EQ(0, pipe(ready));
	ASSERT_EQ(0, pipe(done));
	mapper = fork();
	ASSERT_GE(mapper, 0);
	if (!mapper) {
		int hfd = shadowipc_ns_fd(member, NULL);
		char *p;

		if (hfd < 0 || shadowipc_setns(hfd))
			_exit(1);
		close(hfd);
		p = shadowipc_shmat(shmid, NULL, 0);
		if (p == (void *)-1)
			_exit(2);
		strcpy(p, "still here");
		/* setns away: back to a namespace of our own */
		if (shadowipc_unshare(NULL))
			_exit(3);
		if (write(ready[1], "r", 1) != 1)
			_exit(4);
		if (read(done[0], &c, 1) != 1)
			_exit(5);
		if (strcmp(p, "still here"))
			_exit(6);
		_exit(shadowipc_shmdt(p) ? 7 : 0);
	}
	close(ready[1]);
	close(done[0]);
	ASSERT_EQ(1, read(ready[0], &c, 1));
	ASSERT_EQ(1, write(to_member[1], "x", 1));
	ASSERT_EQ(0, sipc_wait(member));
	st = sipc_status();
	/* the mapper's own namespace, and the member's kept by the mapping */
	EXPECT_EQ(self->before.namespaces + 2, st.namespaces);
	EXPECT_EQ(self->before.segments + 1, st.segments);
	ASSERT_EQ(1, write(done[1], "x", 1));
	ASSERT_EQ(0, sipc_wait(mapper));
	st = sipc_status();
	EXPECT_EQ(self->before.namespaces, st.namespaces);
	EXPECT_EQ(self->before.segments, st.segments);
}

static int write_param(const char *path, unsigned int v)
{
	char buf[32];
	int fd = open(path, O_WRONLY), n, ret;

	if (fd < 0)
		return -1;
	n = snprintf(buf, sizeof(buf), "%u\n", v);
	ret = write(fd, buf, n) == n ? 0 : -1;
	close(fd);
	return ret;
}

static int read_param(const char *path, unsigned int *v)
{
	FILE *f = fopen(path, "r");
	int ret;

	if (!f)
		return -1;
	ret = fscanf(f, "%u", v) == 1 ? 0 : -1;
	fclose(f);
	return ret;
}

static int hit_max_namespaces(void *arg)
{
	int i;

	if (sipc_drop_privs(SIPC_TEST_UID2, SIPC_TEST_GID))
		return 1;
	/* each live namespace is kept by a handle */
	for (i = 0; i < 3; i++) {
		if (shadowipc_unshare(NULL))
			return 10 + i;
		if (shadowipc_ns_fd(0, NULL) < 0)
			return 20 + i;
	}
	errno = 0;
	if (shadowipc_unshare(NULL) != -1 || errno != ENOSPC)
		return 2;
	return 0;
}

TEST_F(ns, max_namespaces_gives_enospc)
{
	struct shadowipc_status st;
	unsigned int old;

	ASSERT_EQ(0, read_param(MAX_NS_PARAM, &old));
	ASSERT_EQ(0, write_param(MAX_NS_PARAM, 3));
	EXPECT_EQ(0, in_child(hit_max_namespaces, NULL));
	ASSERT_EQ(0, write_param(MAX_NS_PARAM, old));
	st = sipc_status();
	EXPECT_EQ(self->before.namespaces, st.namespaces);
}

/* SHADOWIPC_CHURN overrides the 1000 cycles (slow debug kernels). */
static int churn_cycles(void)
{
	const char *s = getenv("SHADOWIPC_CHURN");

	return s ? atoi(s) : 1000;
}

static int churn(void *arg)
{
	int i;

	for (i = 0; i < churn_cycles(); i++) {
		pid_t pid = fork();

		if (pid < 0)
			return 1;
		if (!pid)
			_exit(shadowipc_unshare(NULL) ? 1 : 0);
		if (sipc_wait(pid))
			return 2;
	}
	return 0;
}

TEST_F_TIMEOUT(ns, thousand_unshare_exit_cycles_leave_no_namespace, 120)
{
	struct shadowipc_status st;

	ASSERT_EQ(0, in_child(churn, NULL));
	st = sipc_status();
	EXPECT_EQ(self->before.namespaces, st.namespaces);
	EXPECT_EQ(self->before.bindings, st.bindings);
	EXPECT_EQ(self->before.created + churn_cycles(), st.created);
}

TEST_F(ns, ns_info_counts_members_and_handles)
{
	pid_t pid = fork();

	ASSERT_GE(pid, 0);
	if (!pid) {
		struct shadowipc_ns_info info;
		int hfd, i;
		pid_t kids[3];

		if (shadowipc_unshare(NULL))
			_exit(1);
		hfd = shadowipc_ns_fd(0, NULL);
		for (i = 0; i < 3; i++) {
			kids[i] = fork();
			if (!kids[i]) {
				pause();
				_exit(0);
			}
		}
		if (shadowipc_ns_info(-1, &info))
			_exit(2);
		for (i = 0; i < 3; i++) {
			kill(kids[i], SIGKILL);
			sipc_wait(kids[i]);
		}
		if (info.members != 4 || info.handles != 1 || hfd < 0)
			_exit(3);
		/* the exits are settled once STATUS has flushed teardown */
		sipc_status();
		if (shadowipc_ns_info(-1, &info) || info.members != 1)
			_exit(4);
		_exit(0);
	}
	EXPECT_EQ(0, sipc_wait(pid));
}

static int check_ns_id_main(int argc, char **argv)
{
	return shadowipc_ns_id() == strtoull(argv[2], NULL, 10) ? 0 : 1;
}

/*
 * For module_test.sh: hold a namespace handle (no device fd) until stdin
 * reaches end of file.
 */
static int hold_handle_main(void)
{
	int hfd = shadowipc_ns_fd(0, NULL);
	char c;

	shadowipc_close();
	if (hfd < 0)
		return 1;
	printf("ready\n");
	fflush(stdout);
	while (read(0, &c, 1) > 0)
		;
	close(hfd);
	return 0;
}

/*
 * For module_test.sh: in a namespace of its own, hold a read-only and a
 * read-write attach of a segment (no device fd) until stdin reaches end
 * of file, then exit attached: the namespace dies with the process.
 */
static int hold_mapping_main(void)
{
	int id;
	char c;

	if (shadowipc_unshare(NULL))
		return 1;
	id = shadowipc_shmget(IPC_PRIVATE, 4096, 0600);
	if (id < 0 || shadowipc_shmat(id, NULL, SHM_RDONLY) == (void *)-1 ||
	    shadowipc_shmat(id, NULL, 0) == (void *)-1)
		return 2;
	shadowipc_close();
	printf("ready\n");
	fflush(stdout);
	while (read(0, &c, 1) > 0)
		;
	return 0;
}

/*
 * For module_test.sh: in the caller's namespace, create a segment, attach
 * and detach it, print its id and exit, leaving the segment there.
 */
static int attach_once_main(void)
{
	int id = shadowipc_shmget(IPC_PRIVATE, 4096, 0600);
	void *p;

	if (id < 0)
		return 1;
	p = shadowipc_shmat(id, NULL, 0);
	if (p == (void *)-1 || shadowipc_shmdt(p))
		return 2;
	printf("%d\n", id);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "--check-ns-id"))
		return check_ns_id_main(argc, argv);
	if (argc == 2 && !strcmp(argv[1], "--hold-handle"))
		return hold_handle_main();
	if (argc == 2 && !strcmp(argv[1], "--hold-mapping"))
		return hold_mapping_main();
	if (argc == 2 && !strcmp(argv[1], "--attach-once"))
		return attach_once_main();
	return test_harness_run(argc, argv);
}
