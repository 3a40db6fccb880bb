// SPDX-License-Identifier: GPL-2.0
/*
 * libshadowipc: thin wrappers over the /dev/shadowipc ioctls.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "shadowipc.h"

static int dev_fd = -1;

int shadowipc_fd(void)
{
	int fd = __atomic_load_n(&dev_fd, __ATOMIC_ACQUIRE);
	int expected = -1;

	if (fd >= 0)
		return fd;
	fd = open(SHADOWIPC_DEVICE, O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return -1;
	/* Another thread may have opened it first: keep one. */
	if (!__atomic_compare_exchange_n(&dev_fd, &expected, fd, false,
					 __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
		close(fd);
		fd = expected;
	}
	return fd;
}

void shadowipc_close(void)
{
	int fd = __atomic_exchange_n(&dev_fd, -1, __ATOMIC_ACQ_REL);

	if (fd >= 0)
		close(fd);
}

static int dev_ioctl(unsigned long cmd, void *arg)
{
	int fd = shadowipc_fd();

	if (fd < 0)
		return -1;
	return ioctl(fd, cmd, arg);
}

int shadowipc_version(void)
{
	struct shadowipc_version v = { 0 };

	if (dev_ioctl(SHADOWIPC_IOC_VERSION, &v))
		return -1;
	return (int)v.abi_version;
}

int shadowipc_status(struct shadowipc_status *st)
{
	memset(st, 0, sizeof(*st));
	return dev_ioctl(SHADOWIPC_IOC_STATUS, st);
}

int shadowipc_unshare(uint64_t *ns_id)
{
	struct shadowipc_unshare u = { 0 };

	if (dev_ioctl(SHADOWIPC_IOC_UNSHARE, &u))
		return -1;
	if (ns_id)
		*ns_id = u.ns_id;
	return 0;
}

int shadowipc_ns_fd(pid_t pid, uint64_t *ns_id)
{
	struct shadowipc_ns_fd a = { .pid = pid };
	int fd = dev_ioctl(SHADOWIPC_IOC_NS_FD, &a);

	if (fd >= 0 && ns_id)
		*ns_id = a.ns_id;
	return fd;
}

int shadowipc_setns(int fd)
{
	struct shadowipc_setns a = { .fd = fd };

	return dev_ioctl(SHADOWIPC_IOC_SETNS, &a);
}

int shadowipc_ns_info(int fd, struct shadowipc_ns_info *info)
{
	memset(info, 0, sizeof(*info));
	info->fd = fd;
	return dev_ioctl(SHADOWIPC_IOC_NS_INFO, info);
}

uint64_t shadowipc_ns_id(void)
{
	struct shadowipc_ns_info info;

	return shadowipc_ns_info(-1, &info) ? 0 : info.id;
}

int shadowipc_shmget(key_t key, size_t size, int shmflg)
{
	struct shadowipc_shmget a = {
		.size = size, .key = key, .shmflg = shmflg,
	};

	return dev_ioctl(SHADOWIPC_IOC_SHMGET, &a);
}

void *shadowipc_shmat(int shmid, const void *shmaddr, int shmflg)
{
	struct shadowipc_shmat a = {
		.addr = (uintptr_t)shmaddr, .shmid = shmid, .shmflg = shmflg,
	};

	if (dev_ioctl(SHADOWIPC_IOC_SHMAT, &a))
		return (void *)-1;
	return (void *)(uintptr_t)a.addr;
}

int shadowipc_shmdt(const void *shmaddr)
{
	struct shadowipc_shmdt a = { .addr = (uintptr_t)shmaddr };

	return dev_ioctl(SHADOWIPC_IOC_SHMDT, &a);
}

int shadowipc_shmctl(int shmid, int cmd, struct shmid_ds *buf)
{
	struct shadowipc_shmctl a = {
		.buf = (uintptr_t)buf, .shmid = shmid, .cmd = cmd,
	};

	return dev_ioctl(SHADOWIPC_IOC_SHMCTL, &a);
}
