// SPDX-License-Identifier: GPL-2.0
/*
 * abi_compat32: built -m32 -static and run by abi_test. A 32-bit
 * caller's ioctls are refused with EOPNOTSUPP (see the uapi header):
 * exit 0 when they are, 1 when not, 2 when the device cannot be opened.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <linux/shadowipc.h>

int main(void)
{
	struct shadowipc_version v = { 0 };
	struct shadowipc_ns_info info = { .fd = -1 };
	int fd = open(SHADOWIPC_DEVICE, O_RDWR | O_CLOEXEC);
	int bad = 0;

	if (fd < 0) {
		perror(SHADOWIPC_DEVICE);
		return 2;
	}
	errno = 0;
	if (ioctl(fd, SHADOWIPC_IOC_VERSION, &v) != -1 || errno != EOPNOTSUPP) {
		fprintf(stderr, "VERSION: %s\n", strerror(errno));
		bad = 1;
	}
	errno = 0;
	if (ioctl(fd, SHADOWIPC_IOC_NS_INFO, &info) != -1 ||
	    errno != EOPNOTSUPP) {
		fprintf(stderr, "NS_INFO: %s\n", strerror(errno));
		bad = 1;
	}
	close(fd);
	return bad;
}
