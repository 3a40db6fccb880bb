// SPDX-License-Identifier: GPL-2.0
/*
 * The threat model, one test per rule: what an unprivileged user, or root
 * in a container (a real IPC namespace of its own, capabilities dropped),
 * may and may not get from /dev/shadowipc and /proc/shadowipc. Each test
 * asserts the refusal and that nothing changed. Run as root: the tests
 * make the users and containers they need.
 */
#include <linux/capability.h>
#include <linux/io_uring.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/syscall.h>

#include "kselftest_harness.h"
#include "sipc_test.h"

#define SHMMNI	"/proc/shadowipc/sys/kernel/shmmni"
#define SEM	"/proc/shadowipc/sys/kernel/sem"
#define KEY	0x5107

FIXTURE(hostile) {
	struct shadowipc_status before;
};

FIXTURE_SETUP(hostile)
{
	if (!sipc_dev_present())
		SKIP(return, "%s: %s (module not loaded)", SHADOWIPC_DEVICE,
		     strerror(errno));
	if (geteuid())
		SKIP(return, "needs root to make users and containers");
	self->before = sipc_status();
}

/* every container's root shadow namespace went with its tasks */
FIXTURE_TEARDOWN(hostile)
{
	sipc_expect_settled(_metadata, &self->before);
}

/*
 * Run @fn in a child made by clone(2) with @flags; return its exit status
 * (0: every step held).
 */
static int in_clone(int (*fn)(void *), void *arg, unsigned long flags)
{
	pid_t pid = syscall(SYS_clone, flags | SIGCHLD, 0, 0, 0, 0);

	if (pid < 0)
		return -1;
	if (!pid)
		_exit(fn(arg));
	return sipc_wait(pid);
}

static int in_child(int (*fn)(void *), void *arg)
{
	return in_clone(fn, arg, 0);
}

/*
 * Run @fn as root in an ordinary container: a real IPC namespace of its
 * own, from clone(2) as container runtimes make it, and no capability
 * left (uid 0 stays, no user namespace).
 */
static int drop_caps_and_run(void *arg)
{
	struct __user_cap_header_struct hdr = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct data[2] = {};
	int (*fn)(void *) = arg;

	if (syscall(SYS_capset, &hdr, data))
		return 100;
	return fn(NULL);
}

static int in_container(int (*fn)(void *))
{
	return in_clone(drop_caps_and_run, fn, CLONE_NEWIPC);
}

/*
 * A shmget() through the device, never answered from the shared key
 * tables: a task that changed its real namespace in place is one whose
 * table the module cannot know to be stale (README, threat model).
 */
static int device_shmget(key_t key, int flg)
{
	struct shadowipc_shmget a = { .key = key, .shmflg = flg };

	return ioctl(shadowipc_fd(), SHADOWIPC_IOC_SHMGET, &a);
}

static long long read_value(const char *path)
{
	char buf[128];

	if (sipc_read_file(path, buf, sizeof(buf)) <= 0)
		return -1;
	return atoll(buf);
}

/* write(2) @s to @path; return 0 or the errno of the open or the write. */
static int write_value(const char *path, const char *s)
{
	return sipc_write_str(path, s) ? errno : 0;
}

static uint64_t current_ns_id(void)
{
	struct shadowipc_ns_info info;

	return shadowipc_ns_info(-1, &info) ? 0 : info.id;
}

static int container_sees_nothing_of_host(void *arg)
{
	char buf[1 << 14];
	char key[32];

	if (shadowipc_shmget(KEY, 0, 0) != -1 || errno != ENOENT)
		return 2;
	if (sipc_read_file("/proc/shadowipc/sysvipc/shm", buf, sizeof(buf)) <= 0)
		return 3;
	snprintf(key, sizeof(key), " %d ", KEY);
	if (strstr(buf, key))
		return 4;
	if (sipc_ns_column(1, "id") != -1)
		return 5;
	if (current_ns_id() == 1 || !current_ns_id())
		return 6;
	return 0;
}

TEST_F(hostile, container_root_sees_no_host_object_or_namespace)
{
	int id = shadowipc_shmget(KEY, 4096, IPC_CREAT | 0666);

	ASSERT_LE(0, id);
	EXPECT_EQ(1, sipc_ns_column(1, "id"));
	EXPECT_EQ(0, in_container(container_sees_nothing_of_host));
	EXPECT_EQ(id, shadowipc_shmget(KEY, 0, 0));
	EXPECT_EQ(0, shadowipc_shmctl(id, IPC_RMID, NULL));
}

static int container_sets_own_shmmni(void *arg)
{
	if (read_value(SHMMNI) != 4096)
		return 2;
	/* its own real namespace's limits are its root's to set */
	if (write_value(SHMMNI, "0"))
		return 3;
	if (read_value(SHMMNI) != 0)
		return 4;
	if (shadowipc_shmget(IPC_PRIVATE, 4096, 0600) != -1 || errno != ENOSPC)
		return 5;
	return 0;
}

TEST_F(hostile, container_root_cannot_change_host_limits)
{
	long long host = read_value(SHMMNI);
	int id;

	ASSERT_LT(0, host);
	EXPECT_EQ(0, in_container(container_sets_own_shmmni));
	EXPECT_EQ(host, read_value(SHMMNI));
	id = shadowipc_shmget(IPC_PRIVATE, 4096, 0600);
	ASSERT_LE(0, id);
	EXPECT_EQ(0, shadowipc_shmctl(id, IPC_RMID, NULL));
}

static int container_leaves_segment(void *arg)
{
	return shadowipc_shmget(KEY, 4096, IPC_CREAT | 0600) < 0 ? 2 : 0;
}

/* The teardown checks that the segment and the root went with it. */
TEST_F(hostile, container_objects_die_with_its_real_namespace)
{
	struct shadowipc_status mid;

	EXPECT_EQ(0, in_container(container_leaves_segment));
	mid = sipc_status();
	EXPECT_EQ(self->before.segments, mid.segments);
	EXPECT_EQ(self->before.namespaces, mid.namespaces);
}

static int unprivileged_opens_for_write(void *arg)
{
	if (sipc_drop_privs(SIPC_TEST_UID, SIPC_TEST_GID))
		return 1;
	if (open(SHMMNI, O_WRONLY) != -1 || errno != EACCES)
		return 2;
	if (open(SHMMNI, O_RDWR) != -1 || errno != EACCES)
		return 3;
	return read_value(SHMMNI) > 0 ? 0 : 4;
}

TEST_F(hostile, unprivileged_open_for_write_is_eacces)
{
	EXPECT_EQ(0, in_child(unprivileged_opens_for_write, NULL));
}

static int unprivileged_writes_passed_fd(void *arg)
{
	int fd = open(SHMMNI, O_WRONLY);

	if (fd < 0)
		return 1;
	if (sipc_drop_privs(SIPC_TEST_UID, SIPC_TEST_GID))
		return 2;
	if (write(fd, "1\n", 2) != -1 || errno != EPERM)
		return 3;
	return 0;
}

/* A privileged opener hands its fd to an unprivileged writer. */
TEST_F(hostile, write_through_passed_fd_is_eperm)
{
	long long host = read_value(SHMMNI);

	EXPECT_EQ(0, in_child(unprivileged_writes_passed_fd, NULL));
	EXPECT_EQ(host, read_value(SHMMNI));
}

static int unprivileged_raises_own_limits(void *arg)
{
	long long root = *(long long *)arg;
	char s[32];

	if (sipc_drop_privs(SIPC_TEST_UID, SIPC_TEST_GID))
		return 1;
	if (shadowipc_unshare(NULL))
		return 2;
	if (write_value(SHMMNI, "100"))
		return 3;		/* lowering: the creator may */
	snprintf(s, sizeof(s), "%lld", root);
	if (write_value(SHMMNI, s))
		return 4;		/* back up to the root's: may */
	snprintf(s, sizeof(s), "%lld", root + 1);
	if (write_value(SHMMNI, s) != EPERM)
		return 5;
	if (read_value(SHMMNI) != root)
		return 6;
	if (write_value(SEM, "250 32000 2147483647 128") != EPERM)
		return 7;
	return 0;
}

TEST_F(hostile, namespace_limits_rise_only_to_root_limits)
{
	long long root = read_value(SHMMNI);

	ASSERT_LT(0, root);
	EXPECT_EQ(0, in_child(unprivileged_raises_own_limits, &root));
}

static int container_lowers_then_unshares(void *arg)
{
	if (write_value(SHMMNI, "7"))
		return 2;
	if (shadowipc_unshare(NULL))
		return 3;
	return read_value(SHMMNI) == 7 ? 0 : 4;
}

TEST_F(hostile, new_namespace_starts_within_root_limits)
{
	EXPECT_EQ(0, in_container(container_lowers_then_unshares));
}

static int huge_semops(void *arg)
{
	struct sembuf op = { .sem_num = 0, .sem_op = 1 };
	int id;

	if (sipc_drop_privs(SIPC_TEST_UID, SIPC_TEST_GID))
		return 1;
	if (shadowipc_unshare(NULL))
		return 2;
	id = shadowipc_semget(IPC_PRIVATE, 1, 0600);
	if (id < 0)
		return 3;
	if (shadowipc_semop(id, &op, 0x80000000u) != -1 || errno != E2BIG)
		return 4;
	if (shadowipc_semop(id, &op, 501) != -1 || errno != E2BIG)
		return 5;
	return 0;
}

static int container_huge_semop(void *arg)
{
	struct sembuf op = { .sem_num = 0, .sem_op = 1 };
	int id;

	/* its own root's semopm: the container root may raise it */
	if (write_value(SEM, "250 32000 2147483647 128"))
		return 2;
	id = shadowipc_semget(IPC_PRIVATE, 1, 0600);
	if (id < 0)
		return 3;
	/* 12 GiB of sembufs: refused as memory, and never a warning */
	if (shadowipc_semop(id, &op, 0x7fffffffu) != -1 || errno != ENOMEM)
		return 4;
	return 0;
}

/* The suite fails on any kernel warning, so "no WARN" is checked too. */
TEST_F(hostile, huge_semop_is_refused_without_warning)
{
	EXPECT_EQ(0, in_child(huge_semops, NULL));
	EXPECT_EQ(0, in_container(container_huge_semop));
}

static int real_clone_child(void *arg)
{
	uint64_t parent = *(uint64_t *)arg;

	if (shadowipc_shmget(KEY, 0, 0) != -1 || errno != ENOENT)
		return 1;
	return current_ns_id() != parent && current_ns_id() ? 0 : 2;
}

/* A shadow namespace of one's own, with a segment of key KEY in it. */
static int shadow_with_key(uint64_t *ns)
{
	return shadowipc_unshare(ns) ||
	       shadowipc_shmget(KEY, 4096, IPC_CREAT | 0600) < 0;
}

static int clone_newipc_from_shadow(void *arg)
{
	uint64_t ns;

	if (shadow_with_key(&ns))
		return 1;
	return in_clone(real_clone_child, &ns, CLONE_NEWIPC) ? 4 : 0;
}

TEST_F(hostile, real_clone_newipc_child_is_not_in_parents_namespace)
{
	EXPECT_EQ(0, in_child(clone_newipc_from_shadow, NULL));
}

static int unshare_real_from_shadow(void *arg)
{
	uint64_t ns;

	if (shadow_with_key(&ns))
		return 1;
	if (unshare(CLONE_NEWIPC))
		return 3;
	if (device_shmget(KEY, 0) != -1 || errno != ENOENT)
		return 4;
	return current_ns_id() != ns && current_ns_id() ? 0 : 5;
}

TEST_F(hostile, real_unshare_leaves_the_shadow_namespace)
{
	EXPECT_EQ(0, in_child(unshare_real_from_shadow, NULL));
}

static int container_joins_host(void *arg)
{
	pid_t host = getppid();
	int fd;

	fd = shadowipc_ns_fd(host, NULL);
	if (fd < 0)
		return 2;		/* as /proc/PID/ns/ipc: same uid */
	if (shadowipc_setns(fd) != -1 || errno != EPERM)
		return 3;
	return current_ns_id() != 1 ? 0 : 4;
}

TEST_F(hostile, container_root_cannot_join_host_namespace)
{
	EXPECT_EQ(1, current_ns_id());
	EXPECT_EQ(0, in_container(container_joins_host));
}

/* One IORING_OP_OPENAT of @path forced to an io-wq worker; the fd or -errno. */
static int io_uring_open(const char *path)
{
	struct io_uring_params p = {};
	struct io_uring_sqe *sqes;
	struct io_uring_cqe *cqe;
	unsigned int *sq_array;
	void *sq, *cq;
	int ring, res;

	ring = syscall(__NR_io_uring_setup, 1, &p);
	if (ring < 0)
		return -errno;
	sq = mmap(NULL, p.sq_off.array + p.sq_entries * sizeof(unsigned int),
		  PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, ring,
		  IORING_OFF_SQ_RING);
	cq = mmap(NULL, p.cq_off.cqes + p.cq_entries * sizeof(*cqe),
		  PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, ring,
		  IORING_OFF_CQ_RING);
	sqes = mmap(NULL, p.sq_entries * sizeof(*sqes), PROT_READ | PROT_WRITE,
		    MAP_SHARED | MAP_POPULATE, ring, IORING_OFF_SQES);
	if (sq == MAP_FAILED || cq == MAP_FAILED || sqes == MAP_FAILED)
		return -ENOMEM;
	memset(sqes, 0, sizeof(*sqes));
	sqes[0].opcode = IORING_OP_OPENAT;
	sqes[0].flags = IOSQE_ASYNC;
	sqes[0].fd = AT_FDCWD;
	sqes[0].addr = (unsigned long)path;
	sqes[0].open_flags = O_RDONLY;
	sq_array = (unsigned int *)((char *)sq + p.sq_off.array);
	sq_array[0] = 0;
	__atomic_store_n((unsigned int *)((char *)sq + p.sq_off.tail), 1,
			 __ATOMIC_RELEASE);
	if (syscall(__NR_io_uring_enter, ring, 1, 1, IORING_ENTER_GETEVENTS,
		    NULL, 0) < 0)
		return -errno;
	cqe = (struct io_uring_cqe *)((char *)cq + p.cq_off.cqes);
	res = cqe[0].res;
	close(ring);
	return res;
}

static int io_worker_reads_proc(void *arg)
{
	char buf[1 << 14], key[32];
	int fd, n;

	if (shadowipc_unshare(NULL))
		return 1;
	if (shadowipc_shmget(KEY + 1, 4096, IPC_CREAT | 0600) < 0)
		return 2;
	fd = io_uring_open("/proc/shadowipc/sysvipc/shm");
	if (fd < 0)
		return 3;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 4;
	buf[n] = '\0';
	snprintf(key, sizeof(key), " %d ", KEY);
	if (strstr(buf, key))
		return 5;	/* the host's segment: the worker escaped */
	snprintf(key, sizeof(key), " %d ", KEY + 1);
	return strstr(buf, key) ? 0 : 6;
}

TEST_F(hostile, io_uring_worker_is_in_submitters_namespace)
{
	int id, fd = io_uring_open("/proc/shadowipc/namespaces");

	if (fd == -ENOSYS || fd == -EPERM)
		SKIP(return, "io_uring unavailable (%s)", strerror(-fd));
	ASSERT_LE(0, fd);
	close(fd);
	id = shadowipc_shmget(KEY, 4096, IPC_CREAT | 0600);
	ASSERT_LE(0, id);
	EXPECT_EQ(0, in_child(io_worker_reads_proc, NULL));
	EXPECT_EQ(0, shadowipc_shmctl(id, IPC_RMID, NULL));
}

#define MAX_NS_PARAM	"/sys/module/shadowipc/parameters/max_namespaces"
#define SUBUID_BASE	300000
#define SUBUIDS		4

/*
 * In a user namespace with SUBUIDS uids, each in a process of its own:
 * how many namespaces they keep alive together, each until ENOSPC.
 */
static int subuids_fill_budgets(void)
{
	int counts[2], done[2], total = 0;
	pid_t pids[SUBUIDS];
	unsigned char n;
	uid_t uid;

	if (pipe(counts) || pipe(done))
		return 249;
	for (uid = 0; uid < SUBUIDS; uid++) {
		pids[uid] = fork();
		if (pids[uid] < 0)
			return 248;
		if (pids[uid])
			continue;
		close(done[1]);
		n = 0;
		if (setresgid(0, 0, 0) || setresuid(uid, uid, uid))
			_exit(1);
		/* a handle keeps each alive while the next is made */
		while (n < 100 && !shadowipc_unshare(NULL) &&
		       shadowipc_ns_fd(0, NULL) >= 0)
			n++;
		if (errno != ENOSPC)
			n = 200;
		if (write(counts[1], &n, 1) != 1 || read(done[0], &n, 1))
			_exit(1);
		_exit(0);
	}
	close(counts[1]);
	close(done[0]);
	for (uid = 0; uid < SUBUIDS; uid++) {
		if (read(counts[0], &n, 1) != 1 || n > 100)
			return 247;
		total += n;
	}
	close(done[1]);
	for (uid = 0; uid < SUBUIDS; uid++)
		if (sipc_wait(pids[uid]))
			return 246;
	return total;
}

/* @arg: two pipes, "unshared" to the parent and "mapped" back. */
static int own_user_namespace(void *arg)
{
	int *p = arg;
	char c = 'u';

	if (sipc_drop_privs(SIPC_TEST_UID, SIPC_TEST_GID))
		return 251;
	if (unshare(CLONE_NEWUSER))
		return 250;
	if (write(p[1], &c, 1) != 1 || read(p[2], &c, 1) != 1)
		return 252;
	return subuids_fill_budgets();
}

static int write_id_map(pid_t pid, const char *file, const char *map)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/%d/%s", pid, file);
	return sipc_write_str(path, map);
}

/*
 * A user with a range of subordinate uids (here SUBUIDS of them, mapped
 * into a user namespace it owns) shares one max_namespaces budget with
 * all of them: each level of the user-namespace chain is charged.
 */
TEST_F(hostile, subordinate_uids_share_their_owners_budget)
{
	int to_parent[2], to_child[2], p[3], n = -1;
	char old[32], map[64], c;
	pid_t pid;

	ASSERT_LT(0, sipc_read_file(MAX_NS_PARAM, old, sizeof(old)));
	ASSERT_EQ(0, pipe(to_parent));
	ASSERT_EQ(0, pipe(to_child));
	ASSERT_EQ(0, sipc_write_str(MAX_NS_PARAM, "3"));
	p[0] = to_parent[0];
	p[1] = to_parent[1];
	p[2] = to_child[0];
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid)
		_exit(own_user_namespace(p));
	close(to_parent[1]);
	close(to_child[0]);
	snprintf(map, sizeof(map), "0 %d %d\n", SUBUID_BASE, SUBUIDS);
	if (read(to_parent[0], &c, 1) == 1 &&
	    !write_id_map(pid, "uid_map", map) &&
	    !write_id_map(pid, "setgroups", "deny") &&
	    !write_id_map(pid, "gid_map", map))
		n = 0;
	EXPECT_EQ(0, n);
	EXPECT_EQ(1, write(to_child[1], "m", 1));
	close(to_child[1]);
	close(to_parent[0]);
	n = sipc_wait(pid);
	EXPECT_EQ(0, sipc_write_str(MAX_NS_PARAM, old));
	if (n == 250)
		SKIP(return, "no user namespaces for unprivileged users here");
	/* one budget of 3 for all SUBUIDS uids, not 3 each */
	EXPECT_EQ(3, n);
}

TEST_HARNESS_MAIN
