/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers shared by the shadowipc selftests. Tests include only this,
 * the kselftest harness, the uapi header and libshadowipc.
 */
#ifndef _SIPC_TEST_H
#define _SIPC_TEST_H

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <stddef.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

#include "shadowipc.h"

/* The uid/gid tests use for "an unprivileged user" (nobody/nogroup). */
#define SIPC_TEST_UID	65534
#define SIPC_TEST_GID	65534
#define SIPC_TEST_UID2	65533

/* True when /dev/shadowipc can be opened; otherwise errno says why. */
static inline bool sipc_dev_present(void)
{
	return shadowipc_fd() >= 0;
}

/*
 * Drop to @uid/@gid with no supplementary groups and no capabilities.
 * Returns 0 or -1 (errno set).
 */
static inline int sipc_drop_privs(uid_t uid, gid_t gid)
{
	if (setgroups(0, NULL))
		return -1;
	if (setresgid(gid, gid, gid))
		return -1;
	return setresuid(uid, uid, uid);
}

/*
 * Wait for @pid and return its exit status, or 128 + signal, or -1.
 */
static inline int sipc_wait(pid_t pid)
{
	int status;

	if (waitpid(pid, &status, 0) != pid)
		return -1;
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return -1;
}

/* Module-wide counters after pending teardown work has run. */
static inline struct shadowipc_status sipc_status(void)
{
	struct shadowipc_status st;

	if (shadowipc_status(&st, SHADOWIPC_STATUS_SETTLE))
		memset(&st, 0xff, sizeof(st));
	return st;
}

/* A seccomp filter's start: other architectures go to @fail; load nr. */
#define SIPC_BPF_X86_64_NR(fail)					\
	BPF_STMT(BPF_LD | BPF_W | BPF_ABS,				\
		 offsetof(struct seccomp_data, arch)),			\
	BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 1, 0),	\
	BPF_STMT(BPF_RET | BPF_K, (fail)),				\
	BPF_STMT(BPF_LD | BPF_W | BPF_ABS,				\
		 offsetof(struct seccomp_data, nr))

/*
 * Install the seccomp filter @f of @len instructions for this process
 * and its children. Returns 0, or -1 with errno set (EINVAL or ENOSYS:
 * the kernel has no seccomp filters).
 */
static inline int sipc_seccomp(struct sock_filter *f, unsigned short len)
{
	struct sock_fprog prog = { .len = len, .filter = f };

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0))
		return -1;
	return syscall(__NR_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog);
}

/*
 * From here on, every ioctl() of this process (and its children) fails
 * with EPERM: what still works made no call to the device. Returns 0, or
 * -1 with errno set (EINVAL or ENOSYS: the kernel has no seccomp filters).
 */
static inline int sipc_forbid_ioctl(void)
{
	struct sock_filter f[] = {
		SIPC_BPF_X86_64_NR(SECCOMP_RET_ALLOW),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_ioctl, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};

	return sipc_seccomp(f, sizeof(f) / sizeof(f[0]));
}

/*
 * Read @path into @buf, at most @size - 1 bytes, NUL-terminated ("" when
 * it cannot be read). Return: the bytes read, or -1 with errno set.
 */
static inline int sipc_read_file(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY), n;

	buf[0] = '\0';
	if (fd < 0)
		return -1;
	n = read(fd, buf, size - 1);
	close(fd);
	if (n < 0)
		return -1;
	buf[n] = '\0';
	return n;
}

/*
 * Column @name of namespace @id's row in /proc/shadowipc/namespaces,
 * found through the header line. Return: the value, or -1 (no such file,
 * column or namespace).
 */
static inline long long sipc_ns_column(uint64_t id, const char *name)
{
	static char buf[1 << 16];
	char *line, *tok, *save, *tsave;
	int col = -1, i;

	if (sipc_read_file("/proc/shadowipc/namespaces", buf, sizeof(buf)) <= 0)
		return -1;
	line = strtok_r(buf, "\n", &save);
	for (i = 0, tok = strtok_r(line, " ", &tsave); tok;
	     i++, tok = strtok_r(NULL, " ", &tsave))
		if (!strcmp(tok, name))
			col = i;
	while (col >= 0 && (line = strtok_r(NULL, "\n", &save))) {
		tok = strtok_r(line, " ", &tsave);
		if (strtoull(tok, NULL, 10) != id)
			continue;
		for (i = 0; tok && i < col; i++)
			tok = strtok_r(NULL, " ", &tsave);
		return tok ? strtoll(tok, NULL, 10) : -1;
	}
	return -1;
}

/* A system call no preload shim can see (x86-64). */
static inline long sipc_raw_syscall(long n, long a, long b, long c, long d,
				    long e)
{
	register long r10 asm("r10") = d;
	register long r8 asm("r8") = e;
	long ret;

	asm volatile ("syscall"
		      : "=a"(ret)
		      : "a"(n), "D"(a), "S"(b), "d"(c), "r"(r10), "r"(r8)
		      : "rcx", "r11", "memory");
	if (ret < 0 && ret > -4096) {
		errno = (int)-ret;
		return -1;
	}
	return ret;
}

/* The preload shim: $SHADOWIPC_PRELOAD, else where the guest has it. */
static inline const char *sipc_shim_path(void)
{
	const char *p = getenv("SHADOWIPC_PRELOAD");

	return p && *p ? p : "/usr/lib/libshadowipc-preload.so";
}

static inline bool sipc_shim_preloaded(void)
{
	const char *pre = getenv("LD_PRELOAD");

	return pre && strstr(pre, "libshadowipc-preload");
}

/*
 * Re-execute the test program with the shim added to LD_PRELOAD, once
 * (when the shim is there; the tests skip when it is not preloaded).
 * Call first in main().
 */
static inline void sipc_reexec_under_shim(char **argv)
{
	const char *pre = getenv("LD_PRELOAD");
	char *val;

	if (getenv("SIPC_PRELOAD_TEST_REEXEC") ||
	    access(sipc_shim_path(), R_OK))
		return;
	if (pre && *pre) {
		if (asprintf(&val, "%s:%s", pre, sipc_shim_path()) < 0)
			exit(1);
	} else {
		val = strdup(sipc_shim_path());
	}
	setenv("LD_PRELOAD", val, 1);
	setenv("SIPC_PRELOAD_TEST_REEXEC", "1", 1);
	execv("/proc/self/exe", argv);
	perror("re-exec with the shim");
	exit(1);
}

/* write(2) all of @v to @path. Return: 0, or -1 with errno set. */
static inline int sipc_write_str(const char *path, const char *v)
{
	int fd = open(path, O_WRONLY), ret;

	if (fd < 0)
		return -1;
	ret = write(fd, v, strlen(v)) == (ssize_t)strlen(v) ? 0 : -1;
	close(fd);
	return ret;
}

/*
 * The module-wide counts are back to @before: what a test made is gone
 * (include after the kselftest harness, whose EXPECT_EQ this uses).
 */
static inline void sipc_expect_settled(struct __test_metadata *_metadata,
				       const struct shadowipc_status *before)
{
	struct shadowipc_status after = sipc_status();

	EXPECT_EQ(before->namespaces, after.namespaces);
	EXPECT_EQ(before->bindings, after.bindings);
	EXPECT_EQ(before->handles, after.handles);
	EXPECT_EQ(before->segments, after.segments);
}

#endif /* _SIPC_TEST_H */
