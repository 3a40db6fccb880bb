// SPDX-License-Identifier: GPL-2.0
/*
 * shadowipc: /dev/shadowipc. Everything that talks to the device goes
 * through these helpers.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/stat.h>

#include "cli.h"

/* ------------------------------------------------------------------ */
/* /dev/shadowipc                                                     */
/* ------------------------------------------------------------------ */

/*
 * Open the device. Read-write first, since most commands need it; the
 * informational ioctls work on a read-only fd too, so fall back to that
 * when the node's mode only allows reading. Returns an fd or a negative
 * errno.
 */
int dev_open(void)
{
	int fd;

	fd = open(SHADOWIPC_DEVICE, O_RDWR | O_CLOEXEC);
	if (fd < 0 && (errno == EACCES || errno == EPERM))
		fd = open(SHADOWIPC_DEVICE, O_RDONLY | O_CLOEXEC);
	return fd < 0 ? -errno : fd;
}

/* ioctl() on an open device fd; returns its result or a negative errno. */
int dev_ioctl_fd(int fd, unsigned long req, void *arg)
{
	int ret;

	do {
		ret = ioctl(fd, req, arg);
	} while (ret < 0 && errno == EINTR);
	return ret < 0 ? -errno : ret;
}

/* One ioctl on a freshly opened device; returns its result or -errno. */
int dev_ioctl(unsigned long req, void *arg)
{
	int fd, ret;

	fd = dev_open();
	if (fd < 0)
		return fd;
	ret = dev_ioctl_fd(fd, req, arg);
	close(fd);
	return ret;
}

int dev_get_version(__u32 *abi_version)
{
	struct shadowipc_version v = { 0 };
	int ret;

	ret = dev_ioctl(SHADOWIPC_IOC_VERSION, &v);
	if (ret < 0)
		return ret;
	*abi_version = v.abi_version;
	return 0;
}

int dev_get_status(struct shadowipc_status *st)
{
	memset(st, 0, sizeof(*st));
	return dev_ioctl(SHADOWIPC_IOC_STATUS, st);
}

/*
 * Wait for devtmpfs to create the device node. Returns 0 once it is a
 * character device, -ETIMEDOUT, or -ENOTTY when something else is there.
 */
int dev_wait(unsigned int timeout_ms)
{
	long long deadline = now_ms() + timeout_ms;
	struct stat st;

	for (;;) {
		if (stat(SHADOWIPC_DEVICE, &st) == 0)
			return S_ISCHR(st.st_mode) ? 0 : -ENOTTY;
		if (now_ms() >= deadline)
			return -ETIMEDOUT;
		sleep_ms(DEV_POLL_MS);
	}
}

void warn_abi_mismatch(__u32 abi)
{
	if (abi != SHADOWIPC_ABI_VERSION)
		pr_warn("the module speaks ABI version %u, this tool ABI version %u",
			abi, SHADOWIPC_ABI_VERSION);
}


static int shared_fd = -1;

int dev_fd(int *exit_code)
{
	int fd, err;

	if (shared_fd >= 0)
		return shared_fd;
	fd = dev_open();
	if (fd >= 0) {
		shared_fd = fd;
		return fd;
	}
	err = -fd;
	switch (err) {
	case ENOENT:
	case ENODEV:
	case ENXIO:
		if (access(SYSFS_MODULE, F_OK) == 0)
			pr_err("%s is missing although the module is loaded (is devtmpfs mounted on /dev?)",
			       SHADOWIPC_DEVICE);
		else
			pr_err("the shadowipc module is not loaded (%s: %s); run '" PROG " load'",
			       SHADOWIPC_DEVICE, strerror(err));
		*exit_code = EXIT_NOT_LOADED;
		break;
	case EACCES:
	case EPERM:
		pr_err("%s: permission denied (the module's mode parameter restricts who may use it)",
		       SHADOWIPC_DEVICE);
		*exit_code = EXIT_PERM;
		break;
	default:
		pr_err("%s: %s", SHADOWIPC_DEVICE, strerror(err));
		*exit_code = EXIT_FAIL;
		break;
	}
	return -1;
}

long dev_call(unsigned long req, void *arg)
{
	int code, ret;

	if (shared_fd < 0 && dev_fd(&code) < 0) {
		errno = ENOSYS;
		return -1;
	}
	ret = dev_ioctl_fd(shared_fd, req, arg);
	if (ret < 0) {
		errno = -ret;
		return -1;
	}
	return ret;
}

int report_ns_error(int err, const char *what)
{
	switch (err) {
	case ESRCH:
		pr_err("%s: no such process", what);
		return EXIT_NOENT;
	case EACCES:
	case EPERM:
		pr_err("%s: permission denied", what);
		return EXIT_PERM;
	case ENOSPC:
		pr_err("%s: too many shadow namespaces for this user (module parameter max_namespaces)",
		       what);
		return EXIT_FAIL;
	case ENOTTY:
		pr_err("%s: the loaded module does not support this (ABI mismatch?)", what);
		return EXIT_FAIL;
	default:
		pr_err("%s: %s", what, strerror(err));
		return EXIT_FAIL;
	}
}
