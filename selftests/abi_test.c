// SPDX-License-Identifier: GPL-2.0
/*
 * The ioctl ABI's rules (the uapi header's "Extending this ABI"): a
 * program built against the current header works, and so does one whose
 * structs grew by 8 zero bytes (a newer header's, the module not knowing
 * the new field); a grown struct with a non-zero tail is E2BIG, one below
 * the first published size EINVAL, a wrong magic or direction ENOTTY.
 * ABI 1's _IOR numbers of VERSION and STATUS still work; semop's count
 * never narrows; STATUS waits for teardown only when asked; and a 32-bit
 * program's ioctls are refused (abi_compat32, built -m32).
 */
#include <limits.h>
#include <sys/ioctl.h>
#include <sys/sem.h>

#include "kselftest_harness.h"
#include "sipc_test.h"

/* A struct as a newer header would have it: 8 more bytes at the end. */
#define GROWN(type)	struct { type s; __u64 tail; }

/* @cmd with its size set to @size, as a program with that struct has it. */
static unsigned long sized(unsigned long cmd, size_t size)
{
	return _IOC(_IOC_DIR(cmd), _IOC_TYPE(cmd), _IOC_NR(cmd), size);
}

FIXTURE(abi) {
	int fd;
};

FIXTURE_SETUP(abi)
{
	self->fd = open(SHADOWIPC_DEVICE, O_RDWR | O_CLOEXEC);
	if (self->fd < 0)
		SKIP(return, "%s: %s (module not loaded)", SHADOWIPC_DEVICE,
		     strerror(errno));
}

FIXTURE_TEARDOWN(abi)
{
	if (self->fd >= 0)
		close(self->fd);
}

/* errno of @cmd, or 0 on success */
static int issue(int fd, unsigned long cmd, void *arg)
{
	errno = 0;
	return ioctl(fd, cmd, arg) < 0 ? errno : 0;
}

static __u64 current_ns_id(int fd)
{
	struct shadowipc_ns_info info = { .fd = -1 };

	return ioctl(fd, SHADOWIPC_IOC_NS_INFO, &info) ? 0 : info.id;
}

TEST_F(abi, current_header_works)
{
	struct shadowipc_version v = { 0 };
	struct shadowipc_unshare u = { 0 };
	struct shadowipc_shmget g = { .size = 4096, .shmflg = IPC_CREAT | 0600 };
	int id;

	ASSERT_EQ(0, ioctl(self->fd, SHADOWIPC_IOC_VERSION, &v));
	EXPECT_EQ(SHADOWIPC_ABI_VERSION, v.abi_version);
	ASSERT_EQ(0, ioctl(self->fd, SHADOWIPC_IOC_UNSHARE, &u));
	EXPECT_EQ(u.ns_id, current_ns_id(self->fd));
	id = ioctl(self->fd, SHADOWIPC_IOC_SHMGET, &g);
	ASSERT_GE(id, 0);
	EXPECT_EQ(0, shadowipc_shmctl(id, IPC_RMID, NULL));
}

TEST_F(abi, grown_in_out_struct_with_zero_tail_works)
{
	GROWN(struct shadowipc_unshare) u = { 0 };
	GROWN(struct shadowipc_ns_info) info = { .s.fd = -1 };
	GROWN(struct shadowipc_version) v = { 0 };

	ASSERT_EQ(0, issue(self->fd, sized(SHADOWIPC_IOC_VERSION, sizeof(v)),
			   &v));
	EXPECT_EQ(SHADOWIPC_ABI_VERSION, v.s.abi_version);
	EXPECT_EQ(0, v.tail);
	ASSERT_EQ(0, issue(self->fd, sized(SHADOWIPC_IOC_UNSHARE, sizeof(u)),
			   &u));
	EXPECT_NE(0, u.s.ns_id);
	EXPECT_EQ(0, u.tail);
	ASSERT_EQ(0, issue(self->fd, sized(SHADOWIPC_IOC_NS_INFO,
					   sizeof(info)), &info));
	EXPECT_EQ(u.s.ns_id, info.s.id);
	EXPECT_EQ(1, info.s.members);
	EXPECT_EQ(-1, info.s.fd);
	EXPECT_EQ(0, info.tail);
}

TEST_F(abi, grown_in_struct_with_zero_tail_works)
{
	GROWN(struct shadowipc_shmget) g = {
		.s = { .size = 8192, .shmflg = IPC_CREAT | 0600 },
	};
	GROWN(struct shadowipc_shmctl) c = { .s.cmd = IPC_RMID };
	struct shadowipc_unshare u = { 0 };

	ASSERT_EQ(0, ioctl(self->fd, SHADOWIPC_IOC_UNSHARE, &u));
	c.s.shmid = ioctl(self->fd, sized(SHADOWIPC_IOC_SHMGET, sizeof(g)), &g);
	ASSERT_GE(c.s.shmid, 0);
	EXPECT_EQ(0, issue(self->fd, sized(SHADOWIPC_IOC_SHMCTL, sizeof(c)),
			   &c));
	EXPECT_EQ(EINVAL, issue(self->fd, sized(SHADOWIPC_IOC_SHMCTL,
						sizeof(c)), &c));
}

TEST_F(abi, grown_struct_with_nonzero_tail_is_e2big)
{
	GROWN(struct shadowipc_unshare) u = { .tail = 1ULL << 63 };
	GROWN(struct shadowipc_version) v = { .tail = 1 };
	__u64 before = current_ns_id(self->fd);

	EXPECT_EQ(E2BIG, issue(self->fd, sized(SHADOWIPC_IOC_VERSION,
					       sizeof(v)), &v));
	EXPECT_EQ(0, v.s.abi_version);
	/* refused before anything is done */
	EXPECT_EQ(E2BIG, issue(self->fd, sized(SHADOWIPC_IOC_UNSHARE,
					       sizeof(u)), &u));
	EXPECT_EQ(0, u.s.ns_id);
	EXPECT_EQ(before, current_ns_id(self->fd));
}

TEST_F(abi, much_larger_struct_with_zero_tail_works)
{
	static union {
		struct shadowipc_version v;
		char page[4096];
	} big;

	ASSERT_EQ(0, issue(self->fd, sized(SHADOWIPC_IOC_VERSION,
					   sizeof(big)), &big));
	EXPECT_EQ(SHADOWIPC_ABI_VERSION, big.v.abi_version);
	big.page[sizeof(big) - 1] = 1;
	EXPECT_EQ(E2BIG, issue(self->fd, sized(SHADOWIPC_IOC_VERSION,
					       sizeof(big)), &big));
}

TEST_F(abi, struct_below_first_version_is_einval)
{
	struct shadowipc_status st = { 0 };

	EXPECT_EQ(EINVAL, issue(self->fd, sized(SHADOWIPC_IOC_STATUS,
						sizeof(st) - 8), &st));
	EXPECT_EQ(EINVAL, issue(self->fd, sized(SHADOWIPC_IOC_STATUS, 0),
				&st));
}

TEST_F(abi, wrong_type_or_direction_is_enotty)
{
	struct shadowipc_version v = { 0 };
	unsigned long cmd = SHADOWIPC_IOC_VERSION;

	EXPECT_EQ(ENOTTY, issue(self->fd, _IOC(_IOC_DIR(cmd), 0xB7,
					       _IOC_NR(cmd), _IOC_SIZE(cmd)),
				&v));
	EXPECT_EQ(ENOTTY, issue(self->fd, _IOC(_IOC_WRITE, _IOC_TYPE(cmd),
					       _IOC_NR(cmd), _IOC_SIZE(cmd)),
				&v));
	EXPECT_EQ(ENOTTY, issue(self->fd, _IOC(_IOC_NONE, _IOC_TYPE(cmd),
					       _IOC_NR(cmd), 0), NULL));
	cmd = SHADOWIPC_IOC_SHMGET;
	EXPECT_EQ(ENOTTY, issue(self->fd, _IOC(_IOC_READ | _IOC_WRITE,
					       _IOC_TYPE(cmd), _IOC_NR(cmd),
					       _IOC_SIZE(cmd)), &v));
}

TEST_F(abi, version_and_status_abi1_numbers_work)
{
	struct shadowipc_status st = { 0 };
	struct shadowipc_version v = { 0 };

	ASSERT_EQ(0, ioctl(self->fd, _IOR(SHADOWIPC_IOC_MAGIC, 0x00,
					  struct shadowipc_version), &v));
	EXPECT_EQ(SHADOWIPC_ABI_VERSION, v.abi_version);
	ASSERT_EQ(0, ioctl(self->fd, _IOR(SHADOWIPC_IOC_MAGIC, 0x01,
					  struct shadowipc_status), &st));
	EXPECT_GE(st.namespaces, 1);
	/* and they read the flags, as the _IOWR numbers do */
	v.flags = 1;
	EXPECT_EQ(EINVAL, issue(self->fd, _IOR(SHADOWIPC_IOC_MAGIC, 0x00,
					       struct shadowipc_version), &v));
}

/* ABI 1's struct shadowipc_semop, whose count was a __u64 */
struct semop_abi1 {
	__u64 sops;
	__u64 nsops;
	__u64 timeout;
	__s32 semid;
	__u32 flags;
};

TEST_F(abi, semop_count_above_uint_max_is_einval)
{
	struct sembuf op = { .sem_num = 0, .sem_op = 1 };
	struct shadowipc_semget g = { .nsems = 1, .semflg = IPC_CREAT | 0600 };
	struct shadowipc_unshare u = { 0 };
	struct semop_abi1 old;
	struct shadowipc_semop a;

	ASSERT_EQ(sizeof(a), sizeof(old));
	ASSERT_EQ(0, ioctl(self->fd, SHADOWIPC_IOC_UNSHARE, &u));
	old.semid = ioctl(self->fd, SHADOWIPC_IOC_SEMGET, &g);
	ASSERT_GE(old.semid, 0);
	old = (struct semop_abi1){
		.sops = (uintptr_t)&op, .nsops = (1ULL << 32) + 1,
		.semid = old.semid,
	};
	/* not narrowed to one operation */
	EXPECT_EQ(EINVAL, issue(self->fd, SHADOWIPC_IOC_SEMOP, &old));
	EXPECT_EQ(0, shadowipc_semctl(old.semid, 0, GETVAL));
	old.nsops = 1;
	EXPECT_EQ(0, issue(self->fd, SHADOWIPC_IOC_SEMOP, &old));
	EXPECT_EQ(1, shadowipc_semctl(old.semid, 0, GETVAL));
	a = (struct shadowipc_semop){
		.sops = (uintptr_t)&op, .nsops = 1, .pad = 1,
		.semid = old.semid,
	};
	EXPECT_EQ(EINVAL, issue(self->fd, SHADOWIPC_IOC_SEMOP, &a));
	a.pad = 0;
	EXPECT_EQ(0, issue(self->fd, SHADOWIPC_IOC_SEMOP, &a));
	a.nsops = UINT_MAX;	/* an unsigned int: E2BIG past SEMOPM */
	EXPECT_EQ(E2BIG, issue(self->fd, SHADOWIPC_IOC_SEMOP, &a));
}

TEST_F(abi, status_settle_waits_for_teardown)
{
	struct shadowipc_status before, after;
	pid_t pid;

	ASSERT_EQ(0, shadowipc_status(&before, SHADOWIPC_STATUS_SETTLE));
	pid = fork();
	ASSERT_GE(pid, 0);
	if (!pid)
		_exit(shadowipc_unshare(NULL) ? 1 : 0);
	ASSERT_EQ(0, sipc_wait(pid));
	/* without the flag: a snapshot, maybe before the teardown ran */
	ASSERT_EQ(0, shadowipc_status(&after, 0));
	EXPECT_EQ(before.created + 1, after.created);
	ASSERT_EQ(0, shadowipc_status(&after, SHADOWIPC_STATUS_SETTLE));
	EXPECT_EQ(before.namespaces, after.namespaces);
	EXPECT_EQ(before.created + 1, after.created);
}

/* The helper sits next to this program. */
static void helper_path(char *buf, size_t len, const char *argv0)
{
	const char *slash = strrchr(argv0, '/');

	if (slash)
		snprintf(buf, len, "%.*s/abi_compat32", (int)(slash - argv0),
			 argv0);
	else
		snprintf(buf, len, "./abi_compat32");
}

TEST_F(abi, compat_caller_is_eopnotsupp)
{
	extern char *program_invocation_name;
	char path[256];
	int pipefd[2], err = 0, status;
	pid_t pid;

	helper_path(path, sizeof(path), program_invocation_name);
	if (access(path, X_OK))
		SKIP(return, "%s: %s (built with gcc-multilib)", path,
		     strerror(errno));
	ASSERT_EQ(0, pipe2(pipefd, O_CLOEXEC));
	pid = fork();
	ASSERT_GE(pid, 0);
	if (!pid) {
		execl(path, path, (char *)NULL);
		err = errno;
		if (write(pipefd[1], &err, sizeof(err)) != sizeof(err))
			_exit(126);
		_exit(127);
	}
	close(pipefd[1]);
	if (read(pipefd[0], &err, sizeof(err)) != sizeof(err))
		err = 0;
	close(pipefd[0]);
	status = sipc_wait(pid);
	if (err == ENOEXEC)
		SKIP(return, "this kernel runs no 32-bit program (ia32_emulation=0?)");
	ASSERT_EQ(0, err) TH_LOG("exec %s: %s", path, strerror(err));
	EXPECT_EQ(0, status);
}

TEST_HARNESS_MAIN
