// SPDX-License-Identifier: GPL-2.0
/*
 * Every malformed-input class gets the errno the uapi header documents,
 * one test per class per ioctl: EINVAL for an unknown flag bit (outside
 * the struct's *_VALID_FLAGS), a non-zero pad/reserved field or a size
 * below the struct's, E2BIG for a larger struct with a non-zero tail,
 * EFAULT for a bad pointer, ENOTTY for a wrong direction or an unknown
 * number. (abi_test.c: larger and smaller structs that work.)
 */
#include <stddef.h>
#include <sys/ioctl.h>
#include <sys/mman.h>

#include "kselftest_harness.h"
#include "sipc_test.h"

#define NO_FIELD	((size_t)-1)

struct cmd_desc {
	const char *name;
	unsigned long cmd;
	size_t size;
	size_t flags_off;	/* NO_FIELD when the struct has none */
	size_t pad_off;
	__u32 valid_flags;	/* the flag bits the header defines */
	bool was_ior;		/* also works as ABI 1's _IOR number */
};

#define DESC_ALL(c, type, pad, valid, ior) {				\
	.name = #c, .cmd = SHADOWIPC_IOC_##c, .size = sizeof(type),	\
	.flags_off = offsetof(type, flags), .pad_off = (pad),		\
	.valid_flags = (valid), .was_ior = (ior),			\
}
#define DESC_FLAGS(c, type, pad, valid)	DESC_ALL(c, type, pad, valid, false)
#define DESC(c, type, pad)	DESC_FLAGS(c, type, pad, 0)
#define PAD(type) offsetof(type, pad)

static const struct cmd_desc cmds[] = {
	DESC_ALL(VERSION, struct shadowipc_version, NO_FIELD, 0, true),
	DESC_ALL(STATUS, struct shadowipc_status, PAD(struct shadowipc_status),
		 SHADOWIPC_STATUS_VALID_FLAGS, true),
	DESC(LAST_REFUSAL, struct shadowipc_last_refusal,
	     PAD(struct shadowipc_last_refusal)),
	DESC(UNSHARE, struct shadowipc_unshare, PAD(struct shadowipc_unshare)),
	DESC_FLAGS(NS_FD, struct shadowipc_ns_fd, NO_FIELD,
		   SHADOWIPC_NS_FD_VALID_FLAGS),
	DESC(SETNS, struct shadowipc_setns, NO_FIELD),
	DESC(NS_INFO, struct shadowipc_ns_info, PAD(struct shadowipc_ns_info)),
	DESC(SHMGET, struct shadowipc_shmget, PAD(struct shadowipc_shmget)),
	DESC(SHMAT, struct shadowipc_shmat, PAD(struct shadowipc_shmat)),
	DESC(SHMDT, struct shadowipc_shmdt, PAD(struct shadowipc_shmdt)),
	DESC(SHMCTL, struct shadowipc_shmctl, PAD(struct shadowipc_shmctl)),
	DESC(MSGGET, struct shadowipc_msgget, PAD(struct shadowipc_msgget)),
	DESC(MSGSND, struct shadowipc_msgsnd, PAD(struct shadowipc_msgsnd)),
	DESC(MSGRCV, struct shadowipc_msgrcv, PAD(struct shadowipc_msgrcv)),
	DESC(MSGCTL, struct shadowipc_msgctl, PAD(struct shadowipc_msgctl)),
	/* semget and semctl have flags but no pad */
	DESC(SEMGET, struct shadowipc_semget, NO_FIELD),
	DESC(SEMOP, struct shadowipc_semop, PAD(struct shadowipc_semop)),
	DESC(SEMCTL, struct shadowipc_semctl, NO_FIELD),
	DESC(MQ_OPEN, struct shadowipc_mq_open, PAD(struct shadowipc_mq_open)),
	DESC(MQ_UNLINK, struct shadowipc_mq_unlink,
	     PAD(struct shadowipc_mq_unlink)),
	DESC(MQ_TIMEDSEND, struct shadowipc_mq_timedsend,
	     PAD(struct shadowipc_mq_timedsend)),
	/* these mq structs have flags but no pad */
	DESC(MQ_TIMEDRECEIVE, struct shadowipc_mq_timedreceive, NO_FIELD),
	DESC(MQ_NOTIFY, struct shadowipc_mq_notify, NO_FIELD),
	DESC(MQ_GETSETATTR, struct shadowipc_mq_getsetattr, NO_FIELD),
};

FIXTURE(bad) {
	int fd;
	unsigned char buf[512];
};

FIXTURE_VARIANT(bad) {
	int idx;
};

#define VARIANT(i, c)							\
	FIXTURE_VARIANT_ADD(bad, c) { .idx = i }

VARIANT(0, VERSION);
VARIANT(1, STATUS);
VARIANT(2, LAST_REFUSAL);
VARIANT(3, UNSHARE);
VARIANT(4, NS_FD);
VARIANT(5, SETNS);
VARIANT(6, NS_INFO);
VARIANT(7, SHMGET);
VARIANT(8, SHMAT);
VARIANT(9, SHMDT);
VARIANT(10, SHMCTL);
VARIANT(11, MSGGET);
VARIANT(12, MSGSND);
VARIANT(13, MSGRCV);
VARIANT(14, MSGCTL);
VARIANT(15, SEMGET);
VARIANT(16, SEMOP);
VARIANT(17, SEMCTL);
VARIANT(18, MQ_OPEN);
VARIANT(19, MQ_UNLINK);
VARIANT(20, MQ_TIMEDSEND);
VARIANT(21, MQ_TIMEDRECEIVE);
VARIANT(22, MQ_NOTIFY);
VARIANT(23, MQ_GETSETATTR);

FIXTURE_SETUP(bad)
{
	self->fd = open(SHADOWIPC_DEVICE, O_RDWR | O_CLOEXEC);
	if (self->fd < 0)
		SKIP(return, "%s: %s (module not loaded)", SHADOWIPC_DEVICE,
		     strerror(errno));
	memset(self->buf, 0, sizeof(self->buf));
	/* NS_INFO: -1 names the caller's namespace */
	if (variant->idx == 6)
		((struct shadowipc_ns_info *)self->buf)->fd = -1;
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

	if (d->pad_off == NO_FIELD)
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
