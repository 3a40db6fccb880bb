// SPDX-License-Identifier: GPL-2.0
/*
 * /dev/shadowipc basics: the node, the ABI version, and the errno the
 * uapi header documents for malformed ioctls.
 */
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/stat.h>

#include "kselftest_harness.h"
#include "sipc_test.h"

/* Expected mode of the node: the module's default unless the runner says. */
static mode_t expected_mode(void)
{
	const char *s = getenv("SHADOWIPC_DEV_MODE");

	return s ? (mode_t)strtoul(s, NULL, 8) : 0666;
}

FIXTURE(dev) {
	int fd;
};

FIXTURE_SETUP(dev)
{
	self->fd = open(SHADOWIPC_DEVICE, O_RDWR | O_CLOEXEC);
	if (self->fd < 0)
		SKIP(return, "%s: %s (module not loaded)", SHADOWIPC_DEVICE,
		     strerror(errno));
}

FIXTURE_TEARDOWN(dev)
{
	if (self->fd >= 0)
		close(self->fd);
}

TEST_F(dev, node_is_char_device_with_module_mode)
{
	struct stat st;

	ASSERT_EQ(0, fstat(self->fd, &st));
	EXPECT_TRUE(S_ISCHR(st.st_mode));
	EXPECT_EQ(expected_mode(), st.st_mode & 07777);
}

TEST_F(dev, version_matches_header)
{
	struct shadowipc_version v = { 0 };

	ASSERT_EQ(0, ioctl(self->fd, SHADOWIPC_IOC_VERSION, &v));
	EXPECT_EQ(SHADOWIPC_ABI_VERSION, v.abi_version);
	EXPECT_EQ(SHADOWIPC_ABI_VERSION, shadowipc_version());
}

TEST_F(dev, version_rejects_flags)
{
	struct shadowipc_version v = { .flags = 1 };

	errno = 0;
	EXPECT_EQ(-1, ioctl(self->fd, SHADOWIPC_IOC_VERSION, &v));
	EXPECT_EQ(EINVAL, errno);
}

TEST_F(dev, unknown_nr_is_enotty)
{
	errno = 0;
	EXPECT_EQ(-1, ioctl(self->fd, _IO(SHADOWIPC_IOC_MAGIC, 0xff)));
	EXPECT_EQ(ENOTTY, errno);
}

TEST_F(dev, other_magic_is_enotty)
{
	struct shadowipc_version v = { 0 };

	errno = 0;
	EXPECT_EQ(-1, ioctl(self->fd, _IOR(0xB7, 0x00, struct shadowipc_version), &v));
	EXPECT_EQ(ENOTTY, errno);
}

TEST_F(dev, size_is_the_callers_struct)
{
	struct { struct shadowipc_version v; __u64 more; } big = { 0 };
	__u32 small = 0;

	ASSERT_EQ(0, ioctl(self->fd, _IOWR(SHADOWIPC_IOC_MAGIC, 0x00, big), &big));
	EXPECT_EQ(SHADOWIPC_ABI_VERSION, big.v.abi_version);
	big.more = 1;
	errno = 0;
	EXPECT_EQ(-1, ioctl(self->fd, _IOWR(SHADOWIPC_IOC_MAGIC, 0x00, big), &big));
	EXPECT_EQ(E2BIG, errno);
	errno = 0;
	EXPECT_EQ(-1, ioctl(self->fd, _IOWR(SHADOWIPC_IOC_MAGIC, 0x00, __u32), &small));
	EXPECT_EQ(EINVAL, errno);
}

TEST_F(dev, null_argument_is_efault)
{
	errno = 0;
	EXPECT_EQ(-1, ioctl(self->fd, SHADOWIPC_IOC_VERSION, NULL));
	EXPECT_EQ(EFAULT, errno);
}

TEST_F(dev, unmapped_argument_is_efault)
{
	void *p = mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	ASSERT_NE(MAP_FAILED, p);
	errno = 0;
	EXPECT_EQ(-1, ioctl(self->fd, SHADOWIPC_IOC_STATUS, p));
	EXPECT_EQ(EFAULT, errno);
	munmap(p, 4096);
}

TEST_F(dev, kernel_address_argument_is_efault)
{
	errno = 0;
	EXPECT_EQ(-1, ioctl(self->fd, SHADOWIPC_IOC_VERSION,
			    (void *)0xffffffff81000000UL));
	EXPECT_EQ(EFAULT, errno);
}

TEST_F(dev, status_rejects_pad)
{
	struct shadowipc_status st = { .pad = 1 };

	errno = 0;
	EXPECT_EQ(-1, ioctl(self->fd, SHADOWIPC_IOC_STATUS, &st));
	EXPECT_EQ(EINVAL, errno);
}

TEST_F(dev, status_counts_the_initial_namespace)
{
	struct shadowipc_status st = { 0 };

	ASSERT_EQ(0, ioctl(self->fd, SHADOWIPC_IOC_STATUS, &st));
	EXPECT_GE(st.namespaces, 1);
	EXPECT_GE(st.created, st.namespaces);
}

TEST_F(dev, unprivileged_user_can_use_device)
{
	pid_t pid = fork();

	ASSERT_GE(pid, 0);
	if (!pid) {
		int fd;

		if (sipc_drop_privs(SIPC_TEST_UID, SIPC_TEST_GID))
			_exit(2);
		fd = open(SHADOWIPC_DEVICE, O_RDWR);
		if (fd < 0)
			_exit(3);
		_exit(shadowipc_version() == SHADOWIPC_ABI_VERSION ? 0 : 4);
	}
	EXPECT_EQ(0, sipc_wait(pid));
}

TEST_HARNESS_MAIN
