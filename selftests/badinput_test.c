// SPDX-License-Identifier: GPL-2.0
/*
 * Every malformed-input class gets the errno the uapi header documents,
 * one test per class per ioctl: EINVAL for an unknown flag bit (outside
 * the struct's *_VALID_FLAGS), a non-zero pad/reserved field or a size
 * below the struct's, E2BIG for a larger struct with a non-zero tail,
 * EFAULT for a bad pointer, ENOTTY for a wrong direction or an unknown
 * number. An ioctl only a namespace handle takes is issued on one.
 * (abi_test.c: larger and smaller structs that work.)
 */
#include <stddef.h>
#include <sys/ioctl.h>
#include <sys/mman.h>

#include <shadowipc_ioctls.h>

#include "kselftest_harness.h"
#include "sipc_test.h"

struct cmd_desc {
	const char *name;
	unsigned long cmd;
	size_t size;
	size_t flags_off;
	size_t pad_off;		/* 0 when the struct has none */
	__u32 valid_flags;	/* the flag bits the header defines */
	bool was_ior;		/* also works as ABI 1's _IOR number */
	bool on_handle_only;	/* issued on a namespace handle */
};

/* Each ioctl's index in cmds[]: CMD_<NAME>. */
enum {
#define CMD_IDX(NAME, sfx, size0, valid, pad, files, ior)	CMD_##NAME,
	SHADOWIPC_IOCTLS(CMD_IDX)
#undef CMD_IDX
};

#define DESC(NAME, sfx, size0, valid, pad, files, ior)			\
	[CMD_##NAME] = {						\
		.name = #NAME, .cmd = SHADOWIPC_IOC_##NAME,		\
		.size = sizeof(struct shadowipc_##sfx),			\
		.flags_off = offsetof(struct shadowipc_##sfx, flags),	\
		.pad_off = SHADOWIPC_IOC_PAD_OFF(sfx, pad),		\
		.valid_flags = (valid), .was_ior = (ior),		\
		.on_handle_only = !((files) & SHADOWIPC_ON_DEV),	\
	},

static const struct cmd_desc cmds[] = {
	SHADOWIPC_IOCTLS(DESC)
};

FIXTURE(bad) {
	int fd;
	unsigned char buf[512];
};

FIXTURE_VARIANT(bad) {
	int idx;
};

#define VARIANT(NAME, sfx, size0, valid, pad, files, ior)		\
	FIXTURE_VARIANT_ADD(bad, NAME) { .idx = CMD_##NAME };
SHADOWIPC_IOCTLS(VARIANT)

FIXTURE_SETUP(bad)
{
	self->fd = open(SHADOWIPC_DEVICE, O_RDWR | O_CLOEXEC);
	if (self->fd < 0)
		SKIP(return, "%s: %s (module not loaded)", SHADOWIPC_DEVICE,
		     strerror(errno));
	memset(self->buf, 0, sizeof(self->buf));
	/* NS_INFO: -1 names the caller's namespace */
	if (variant->idx == CMD_NS_INFO)
		((struct shadowipc_ns_info *)self->buf)->fd = -1;
	if (cmds[variant->idx].on_handle_only) {
		struct shadowipc_ns_fd a = { 0 };
		int handle = ioctl(self->fd, SHADOWIPC_IOC_NS_FD, &a);

		ASSERT_LE(0, handle);
		close(self->fd);
		self->fd = handle;
	}
}

FIXTURE_TEARDOWN(bad)
{
	if (self->fd >= 0)
		close(self->fd);
}

/* Issue @cmd; return its errno, or 0 on success. */
static int issue(int fd, unsigned long cmd, void *arg)
{
	errno = 0;
	return ioctl(fd, cmd, arg) < 0 ? errno : 0;
}

static unsigned long resized(unsigned long cmd, size_t size)
{
	return (cmd & ~((unsigned long)_IOC_SIZEMASK << _IOC_SIZESHIFT)) |
	       ((unsigned long)size << _IOC_SIZESHIFT);
}

TEST_F(bad, flag_bit_is_einval)
{
	const struct cmd_desc *d = &cmds[variant->idx];
	int bit;

	for (bit = 0; bit < 32; bit++) {
		__u32 f = 1u << bit;

		if (f & d->valid_flags)
			continue;
		memcpy(self->buf + d->flags_off, &f, sizeof(f));
		EXPECT_EQ(EINVAL, issue(self->fd, d->cmd, self->buf))
			TH_LOG("%s flags bit %d", d->name, bit);
	}
}

TEST_F(bad, pad_is_einval)
{
	const struct cmd_desc *d = &cmds[variant->idx];
	__u32 v = 0x80;

	if (!d->pad_off)
		SKIP(return, "%s has no pad field", d->name);
	memcpy(self->buf + d->pad_off, &v, sizeof(v));
	EXPECT_EQ(EINVAL, issue(self->fd, d->cmd, self->buf));
}

TEST_F(bad, null_pointer_is_efault)
{
	EXPECT_EQ(EFAULT, issue(self->fd, cmds[variant->idx].cmd, NULL));
}

TEST_F(bad, pointer_crossing_into_unmapped_page_is_efault)
{
	const struct cmd_desc *d = &cmds[variant->idx];
	char *p = mmap(NULL, 8192, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	ASSERT_NE(MAP_FAILED, p);
	ASSERT_EQ(0, munmap(p + 4096, 4096));
	/* the struct starts 4 bytes before the hole */
	memset(p + 4096 - 4, 0, 4);
	EXPECT_EQ(EFAULT, issue(self->fd, d->cmd, p + 4096 - 4));
	munmap(p, 4096);
}

TEST_F(bad, kernel_pointer_is_efault)
{
	EXPECT_EQ(EFAULT, issue(self->fd, cmds[variant->idx].cmd,
				(void *)0xffff888000000000UL));
}

TEST_F(bad, larger_size_with_nonzero_tail_is_e2big)
{
	const struct cmd_desc *d = &cmds[variant->idx];

	self->buf[d->size + 7] = 1;
	EXPECT_EQ(E2BIG, issue(self->fd, resized(d->cmd, d->size + 8),
			       self->buf));
}

TEST_F(bad, smaller_size_is_einval)
{
	const struct cmd_desc *d = &cmds[variant->idx];

	EXPECT_EQ(EINVAL, issue(self->fd, resized(d->cmd, d->size - 8),
				self->buf));
}

TEST_F(bad, other_direction_is_enotty)
{
	const struct cmd_desc *d = &cmds[variant->idx];
	unsigned long dir;

	for (dir = _IOC_NONE; dir <= (_IOC_READ | _IOC_WRITE); dir++) {
		if (dir == _IOC_DIR(d->cmd) || (dir == _IOC_READ && d->was_ior))
			continue;
		EXPECT_EQ(ENOTTY, issue(self->fd, _IOC(dir, _IOC_TYPE(d->cmd),
						       _IOC_NR(d->cmd),
						       _IOC_SIZE(d->cmd)),
					self->buf))
			TH_LOG("%s direction %lu", d->name, dir);
	}
}

TEST_F(bad, unknown_nr_next_to_it_is_enotty)
{
	const struct cmd_desc *d = &cmds[variant->idx];
	unsigned long cmd = _IOC(_IOC_DIR(d->cmd), _IOC_TYPE(d->cmd),
				 _IOC_NR(d->cmd) + 0x0c, _IOC_SIZE(d->cmd));

	EXPECT_EQ(ENOTTY, issue(self->fd, cmd, self->buf));
}

TEST_HARNESS_MAIN
