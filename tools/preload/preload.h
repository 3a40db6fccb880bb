/* SPDX-License-Identifier: GPL-2.0 */
/*
 * libshadowipc-preload: internal interfaces shared by the shim's files.
 *
 * Everything here is hidden (the library is built with
 * -fvisibility=hidden); only the interposed libc functions, marked
 * SIPC_EXPORT, are visible to the dynamic linker.
 */
#ifndef _SHADOWIPC_PRELOAD_H
#define _SHADOWIPC_PRELOAD_H

#include <stdbool.h>
#include <linux/shadowipc.h>

#define SIPC_EXPORT	__attribute__((visibility("default")))

/* Environment variable: when set to 1, fall through to the real calls
 * whenever the module cannot serve them (not loaded, or no support for
 * that kind of object). */
#define SIPC_ENV_FALLTHROUGH	"SHADOWIPC_FALLTHROUGH"

/* Environment variable: when set to 1, each call the module refuses by
 * a limit or permission check is explained on stderr (explain.c). */
#define SIPC_ENV_EXPLAIN	"SHADOWIPC_EXPLAIN"

/* What a System V call is about, for the one-time messages. */
enum sipc_kind {
	SIPC_SHM,
	SIPC_MSG,
	SIPC_SEM,
	SIPC_MQ,
	SIPC_NS,
	SIPC_NR_KINDS,
};

/* sipc_dev() result meaning "use the real call". */
#define SIPC_FALLTHROUGH	(-2)

/*
 * The device fd, opened on first use and again after the program closed
 * or replaced it (see sipc_ioctl()). Returns the fd;
 * SIPC_FALLTHROUGH when the module is unavailable and the environment
 * asks for the real calls; or -1 with errno set (fail closed, after a
 * one-time message on stderr).
 */
int sipc_dev(enum sipc_kind kind);

/*
 * ioctl() on the device for a System V call of @kind. Returns its result,
 * or -1 with errno set. When it fails as on a file that is not the device
 * and @fd is not the device any more, the device is opened again and the
 * call retried: one system call when all is well. ENOTTY (a module
 * without that kind of object) is reported once and turned into ENOSYS.
 */
long sipc_ioctl(int fd, unsigned long req, void *arg, enum sipc_kind kind);

/* The device fd for the shared key tables' first mappings, or -1. */
int sipc_keys_devfd(void);

/* True when the ioctl for @kind failed with ENOTTY earlier and the
 * environment asks for fall-through. */
bool sipc_kind_fallthrough(enum sipc_kind kind);

/* Was SHADOWIPC_FALLTHROUGH=1 set (read once)? */
bool sipc_fallthrough(void);

/* Was SHADOWIPC_EXPLAIN=1 set (read once)? */
bool sipc_explain_on(void);

/* Print why the ioctl @req with @arg on device fd @fd failed with errno,
 * if the module recorded a refusal with that errno; errno is kept. */
void sipc_explain(int fd, unsigned long req, const void *arg);

/* The next definition of @name after this library (dlsym(RTLD_NEXT)),
 * cached in *slot. Aborts with a message when libc lacks it. */
void *sipc_real(void **slot, const char *name);

#define SIPC_REAL(fn)	({						\
	static void *__slot;						\
	(__typeof__(&fn))sipc_real(&__slot, #fn);			\
})

/* Write a message to stderr with write(2), prefixed with the library's
 * name; no stdio, no allocation. */
void sipc_msg(const char *a, const char *b, const char *c);

/* Path components (paths.c): skip a run of slashes; match component
 * @name at @p, returning the rest or NULL. */
const char *sipc_skip_slashes(const char *p);
const char *sipc_path_component(const char *p, const char *name);

/*
 * An open() of @path returned @fd (ns.c): notes the fds of IPC
 * namespaces under /proc for setns(). Returns @fd.
 */
int sipc_ns_opened(const char *path, int fd);

/* Interposed calls used by other files of the shim. */
int sipc_unshare(int flags);
int sipc_setns(int fd, int nstype);

/* System V entry points shared by the libc functions and syscall(). */
long sipc_shmget(long key, unsigned long size, long shmflg);
long sipc_shmat(long shmid, unsigned long addr, long shmflg);
long sipc_shmdt(unsigned long addr);
long sipc_shmctl(long shmid, long cmd, unsigned long buf);
long sipc_msgget(long key, long msgflg);
long sipc_msgsnd(long msqid, unsigned long msgp, unsigned long msgsz, long msgflg);
long sipc_msgrcv(long msqid, unsigned long msgp, unsigned long msgsz, long msgtyp, long msgflg);
long sipc_msgctl(long msqid, long cmd, unsigned long buf);
long sipc_semget(long key, long nsems, long semflg);
long sipc_semtimedop(long semid, unsigned long sops, unsigned long nsops, unsigned long timeout);
long sipc_semctl(long semid, long semnum, long cmd, unsigned long arg);

/* syscall() of SYS_clone and SYS_clone3 (clone.c): @a holds its six words. */
long sipc_clone_syscall(const long *a);
long sipc_clone3_syscall(const long *a);

/* syscall() of an mq_* number (mqueue.c): @a holds its six words. */
long sipc_mq_syscall(long nr, const long *a);

#endif /* _SHADOWIPC_PRELOAD_H */
