// SPDX-License-Identifier: GPL-2.0
/*
 * libshadowipc-preload: opening /proc/sysvipc/{shm,msg,sem} and the
 * kernel.{shm*,msg*,sem*} sysctls under /proc/sys/kernel/ (and the
 * fs.mqueue ones under /proc/sys/fs/mqueue/) gives the shadow namespace's
 * views instead, /proc/shadowipc/sysvipc/KIND and
 * /proc/shadowipc/sys/{kernel,fs/mqueue}/NAME, so that programs that list objects or
 * read and tune their limits see the caller's shadow namespace.
 *
 * The redirect happens whenever the shim sends System V calls to the
 * module, that is unless the module is unavailable and
 * SHADOWIPC_FALLTHROUGH=1 is set. When the shadow file does not exist the
 * open fails with ENOENT, never falls back to the kernel's file: the real
 * one shows another namespace. Only absolute paths are recognised (with
 * repeated slashes); relative ones and dirfd-relative ones pass through.
 * The cost for every other path is one comparison of its first bytes.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "preload.h"

#define SHADOW_PROC	"/proc/shadowipc"

/* sysctls of /proc/sys/kernel/ with a per-namespace shadow value */
static const char *const sysctl_names[] = {
	"shmmax", "shmall", "shmmni", "shm_rmid_forced", "shm_next_id",
	"msgmax", "msgmnb", "msgmni", "msg_next_id",
	"sem", "sem_next_id",
};

static const char *const sysvipc_names[] = { "shm", "msg", "sem" };

/* fs.mqueue sysctls, per namespace too */
static const char *const mq_sysctl_names[] = {
	"queues_max", "msg_max", "msgsize_max", "msg_default",
	"msgsize_default",
};

/* Skip "/" and any run of them. */
const char *sipc_skip_slashes(const char *p)
{
	while (*p == '/')
		p++;
	return p;
}

/* Match component @name at @p (after slashes); returns the rest or NULL. */
const char *sipc_path_component(const char *p, const char *name)
{
	size_t n = strlen(name);

	p = sipc_skip_slashes(p);
	if (strncmp(p, name, n) != 0 || (p[n] != '/' && p[n] != '\0'))
		return NULL;
	return p + n;
}

/* The last component @p names, if it is one of @names, else NULL. */
static const char *last_in(const char *p, const char *const *names,
			   size_t count)
{
	size_t i;

	for (i = 0; i < count; i++) {
		const char *rest = sipc_path_component(p, names[i]);

		if (rest && *sipc_skip_slashes(rest) == '\0')
			return names[i];
	}
	return NULL;
}

/*
 * If @path is one of the redirected files, write the shadow path into
 * @buf and return it; else return @path unchanged.
 */
static const char *redirect(const char *path, char *buf, size_t size)
{
	const char *p, *name;

	/* The fast path: anything not under /proc. */
	if (!path || path[0] != '/' || path[1] != 'p' ||
	    strncmp(path, "/proc", 5) != 0)
		return path;
	p = sipc_path_component(path, "proc");
	if (!p)
		return path;
	if ((name = sipc_path_component(p, "sysvipc"))) {
		name = last_in(name, sysvipc_names,
			       sizeof(sysvipc_names) / sizeof(sysvipc_names[0]));
		if (!name)
			return path;
		snprintf(buf, size, SHADOW_PROC "/sysvipc/%s", name);
	} else if ((name = sipc_path_component(p, "sys")) &&
		   (name = sipc_path_component(name, "kernel"))) {
		name = last_in(name, sysctl_names,
			       sizeof(sysctl_names) / sizeof(sysctl_names[0]));
		if (!name)
			return path;
		snprintf(buf, size, SHADOW_PROC "/sys/kernel/%s", name);
	} else if ((name = sipc_path_component(p, "sys")) &&
		   (name = sipc_path_component(name, "fs")) &&
		   (name = sipc_path_component(name, "mqueue"))) {
		name = last_in(name, mq_sysctl_names,
			       sizeof(mq_sysctl_names) /
			       sizeof(mq_sysctl_names[0]));
		if (!name)
			return path;
		snprintf(buf, size, SHADOW_PROC "/sys/fs/mqueue/%s", name);
	} else {
		return path;
	}
	/* Keep the kernel's file when the module is not serving us. */
	if (sipc_dev(SIPC_SHM) == SIPC_FALLTHROUGH)
		return path;
	return buf;
}

#define SHADOW_PATH_MAX	64

static mode_t open_mode(int flags, va_list ap)
{
	if ((flags & O_CREAT) || (flags & O_TMPFILE) == O_TMPFILE)
		return va_arg(ap, mode_t);
	return 0;
}

SIPC_EXPORT int open(const char *path, int flags, ...)
{
	char buf[SHADOW_PATH_MAX];
	va_list ap;
	mode_t mode;

	va_start(ap, flags);
	mode = open_mode(flags, ap);
	va_end(ap);
	return sipc_ns_opened(path, SIPC_REAL(open)(redirect(path, buf, sizeof(buf)),
						flags, mode));
}

SIPC_EXPORT int open64(const char *path, int flags, ...)
{
	char buf[SHADOW_PATH_MAX];
	va_list ap;
	mode_t mode;

	va_start(ap, flags);
	mode = open_mode(flags, ap);
	va_end(ap);
	return sipc_ns_opened(path, SIPC_REAL(open64)(redirect(path, buf, sizeof(buf)),
						flags, mode));
}

SIPC_EXPORT int openat(int dirfd, const char *path, int flags, ...)
{
	char buf[SHADOW_PATH_MAX];
	va_list ap;
	mode_t mode;

	va_start(ap, flags);
	mode = open_mode(flags, ap);
	va_end(ap);
	return sipc_ns_opened(path, SIPC_REAL(openat)(dirfd,
				redirect(path, buf, sizeof(buf)), flags, mode));
}

SIPC_EXPORT int openat64(int dirfd, const char *path, int flags, ...)
{
	char buf[SHADOW_PATH_MAX];
	va_list ap;
	mode_t mode;

	va_start(ap, flags);
	mode = open_mode(flags, ap);
	va_end(ap);
	return sipc_ns_opened(path, SIPC_REAL(openat64)(dirfd,
				redirect(path, buf, sizeof(buf)), flags, mode));
}

/* The _FORTIFY_SOURCE entry points (no mode argument). */
int __open_2(const char *path, int flags);
int __open64_2(const char *path, int flags);
int __openat_2(int dirfd, const char *path, int flags);
int __openat64_2(int dirfd, const char *path, int flags);

SIPC_EXPORT int __open_2(const char *path, int flags)
{
	char buf[SHADOW_PATH_MAX];

	return sipc_ns_opened(path, SIPC_REAL(__open_2)(redirect(path, buf,
							sizeof(buf)), flags));
}

SIPC_EXPORT int __open64_2(const char *path, int flags)
{
	char buf[SHADOW_PATH_MAX];

	return sipc_ns_opened(path, SIPC_REAL(__open64_2)(redirect(path, buf,
							sizeof(buf)), flags));
}

SIPC_EXPORT int __openat_2(int dirfd, const char *path, int flags)
{
	char buf[SHADOW_PATH_MAX];

	return sipc_ns_opened(path, SIPC_REAL(__openat_2)(dirfd,
				redirect(path, buf, sizeof(buf)), flags));
}

SIPC_EXPORT int __openat64_2(int dirfd, const char *path, int flags)
{
	char buf[SHADOW_PATH_MAX];

	return sipc_ns_opened(path, SIPC_REAL(__openat64_2)(dirfd,
				redirect(path, buf, sizeof(buf)), flags));
}

SIPC_EXPORT FILE *fopen(const char *path, const char *mode)
{
	char buf[SHADOW_PATH_MAX];

	return SIPC_REAL(fopen)(redirect(path, buf, sizeof(buf)), mode);
}

SIPC_EXPORT FILE *fopen64(const char *path, const char *mode)
{
	char buf[SHADOW_PATH_MAX];

	return SIPC_REAL(fopen64)(redirect(path, buf, sizeof(buf)), mode);
}

SIPC_EXPORT FILE *freopen(const char *path, const char *mode, FILE *stream)
{
	char buf[SHADOW_PATH_MAX];

	return SIPC_REAL(freopen)(redirect(path, buf, sizeof(buf)), mode,
				  stream);
}

SIPC_EXPORT FILE *freopen64(const char *path, const char *mode, FILE *stream)
{
	char buf[SHADOW_PATH_MAX];

	return SIPC_REAL(freopen64)(redirect(path, buf, sizeof(buf)), mode,
				    stream);
}

/* Programs probe before they open (util-linux: access(path, F_OK)). */
SIPC_EXPORT int access(const char *path, int amode)
{
	char buf[SHADOW_PATH_MAX];

	return SIPC_REAL(access)(redirect(path, buf, sizeof(buf)), amode);
}

SIPC_EXPORT int faccessat(int dirfd, const char *path, int amode, int flags)
{
	char buf[SHADOW_PATH_MAX];

	return SIPC_REAL(faccessat)(dirfd, redirect(path, buf, sizeof(buf)),
				    amode, flags);
}

SIPC_EXPORT int euidaccess(const char *path, int amode)
{
	char buf[SHADOW_PATH_MAX];

	return SIPC_REAL(euidaccess)(redirect(path, buf, sizeof(buf)), amode);
}

SIPC_EXPORT int eaccess(const char *path, int amode)
{
	char buf[SHADOW_PATH_MAX];

	return SIPC_REAL(eaccess)(redirect(path, buf, sizeof(buf)), amode);
}
