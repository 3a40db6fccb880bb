/* SPDX-License-Identifier: GPL-2.0 */
/*
 * shadowipc: what the tool's files share. The tool is a table of
 * subcommands (shadowipc.c); each command is one function in the file of
 * its concern:
 *
 *   shadowipc.c  main(), the command table with every --help text, help
 *   module.c     load, unload, status (libkmod)
 *   ns.c         unshare, nsenter, lsns
 *   nsscan.c     finding shadow namespaces, their tasks and handles
 *   ipcs.c       ipcs
 *   holders.c    ipcs --holders
 *   ipcmk.c      ipcmk
 *   ipcrm.c      ipcrm
 *   limits.c     limits
 *   mq.c         mq (POSIX message queues)
 *   sysv.c       System V calls on the caller's shadow namespace
 *   dev.c        /dev/shadowipc
 *   util.c       messages, option parsing, small utilities
 */
#ifndef _SHADOWIPC_CLI_H
#define _SHADOWIPC_CLI_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>
#include <linux/shadowipc.h>

#define PROG			"shadowipc"
#define MODULE_NAME		"shadowipc"
#define MODULE_ENV		"SHADOWIPC_MODULE"
#define SYSFS_MODULE		"/sys/module/" MODULE_NAME
#define SYSFS_PARAMS		SYSFS_MODULE "/parameters"

/* The module's /proc views (see the README). */
#define PROC_SHADOW		"/proc/shadowipc"
#define PROC_NAMESPACES		PROC_SHADOW "/namespaces"
#define PROC_HOLDERS		PROC_SHADOW "/holders"
#define PROC_SYSCTL_DIR		PROC_SHADOW "/sys/kernel"

/* The preload shim, and where "unshare" and "nsenter" look for it. */
#define PRELOAD_NAME		"libshadowipc-preload.so"
#ifndef PRELOAD_PATH
#define PRELOAD_PATH		"/usr/lib/" PRELOAD_NAME
#endif
#define PRELOAD_ENV		"SHADOWIPC_PRELOAD"

/* How long "load" waits for devtmpfs to create the device node. */
#define DEV_WAIT_MS		2000
#define DEV_POLL_MS		20

#define ARRAY_SIZE(a)		(sizeof(a) / sizeof((a)[0]))
#define __printf(a, b)		__attribute__((format(printf, a, b)))

enum {
	EXIT_OK		= 0,
	EXIT_FAIL	= 1,
	EXIT_USAGE	= 2,
	EXIT_NOT_LOADED	= 3,
	EXIT_PERM	= 4,	/* permission denied */
	EXIT_NOENT	= 5,	/* no such process or namespace */
	/* unshare, nsenter: CMD could not be run (as env(1), nohup(1)) */
	EXIT_CANNOT_RUN	= 126,
	EXIT_NOT_FOUND	= 127,
};

struct cmd {
	const char *name;
	int (*run)(const struct cmd *cmd, int argc, char **argv);
	const char *summary;
	const char *usage;	/* full --help text */
};

extern bool verbose;

/* util.c: messages */
void __printf(1, 2) pr_err(const char *fmt, ...);
void __printf(1, 2) pr_warn(const char *fmt, ...);
void print_usage(const struct cmd *cmd, FILE *out);
int __printf(2, 3) usage_error(const struct cmd *cmd, const char *fmt, ...);
int bad_option(const struct cmd *cmd, int c, char **argv);
/* A getopt loop's default case: -h is the usage and EXIT_OK, else bad_option(). */
int help_or_bad_option(const struct cmd *cmd, int c, char **argv);
int parse_no_args(const struct cmd *cmd, int argc, char **argv);

/* util.c: small utilities */
struct utsname;
const char *kernel_release(struct utsname *uts);
void sleep_ms(unsigned int ms);
long long now_ms(void);
int read_attr(const char *path, char *buf, size_t size);
int write_attr(const char *path, const char *val);
void format_mode(mode_t mode, char *buf);
/* Decimal or 0x-hex number, whole string, in [min, max]; 0 or -errno. */
int parse_ll(const char *s, long long min, long long max, long long *out);
int parse_ull(const char *s, unsigned long long *out);
/* "root", or the number when the id has no name, copied into buf (32
 * bytes, longer names truncated); returns buf. */
const char *user_name(uid_t uid, char *buf);
const char *group_name(gid_t gid, char *buf);
/* A task's command name (/proc/PID/comm), or "" */
void task_comm(pid_t pid, char *buf, size_t size);
/* @s as a JSON string, quoted and escaped, on stdout */
void json_string(const char *s);

/* dev.c: /dev/shadowipc */
int dev_open(void);
int dev_ioctl_fd(int fd, unsigned long req, void *arg);
int dev_ioctl(unsigned long req, void *arg);
int dev_get_version(__u32 *abi_version);
int dev_get_status(struct shadowipc_status *st);
int dev_wait(unsigned int timeout_ms);
void warn_abi_mismatch(__u32 abi);
/*
 * The device, opened once for the whole run (close-on-exec), for the
 * commands that act on namespaces and objects. On failure, print why
 * (module not loaded, permission) and return -1 with *exit_code set.
 */
int dev_fd(int *exit_code);
/* ioctl() on dev_fd()'s fd: its result, or -1 with errno set. */
long dev_call(unsigned long req, void *arg);
/* Exit code and message for a namespace ioctl that failed with @err. */
int report_ns_error(int err, const char *what);

/* module.c */
int cmd_load(const struct cmd *cmd, int argc, char **argv);
int cmd_unload(const struct cmd *cmd, int argc, char **argv);
int cmd_status(const struct cmd *cmd, int argc, char **argv);

/* ns.c */
int cmd_unshare(const struct cmd *cmd, int argc, char **argv);
int cmd_nsenter(const struct cmd *cmd, int argc, char **argv);
int cmd_lsns(const struct cmd *cmd, int argc, char **argv);

/* ipcs.c, ipcmk.c, ipcrm.c, limits.c */
int cmd_ipcs(const struct cmd *cmd, int argc, char **argv);
/* holders.c */
int ipcs_holders(bool have_ns, unsigned long long ns, bool json);
int cmd_ipcmk(const struct cmd *cmd, int argc, char **argv);
int cmd_ipcrm(const struct cmd *cmd, int argc, char **argv);
int cmd_limits(const struct cmd *cmd, int argc, char **argv);
/* mq.c */
int cmd_mq(const struct cmd *cmd, int argc, char **argv);
/* reclaim.c */
int cmd_wait(const struct cmd *cmd, int argc, char **argv);
int cmd_drain(const struct cmd *cmd, int argc, char **argv);

/* nsscan.c: the shadow namespaces this caller can see */
struct ns_entry {
	uint64_t id;
	bool have_info;			/* info is valid */
	struct shadowipc_ns_info info;
	int handle;			/* an open handle on it, or -1 */
	pid_t pid;			/* lowest pid with a thread in it, or 0 */
	unsigned int nprocs;		/* processes seen with a thread in it */
};

struct ns_list {
	struct ns_entry *v;
	size_t n;
	bool from_proc;			/* PROC_NAMESPACES was read */
};

/*
 * Collect the shadow namespaces: the rows of PROC_NAMESPACES when the
 * module has it, and those found through the tasks (and, with
 * @want_handles, the handle fds of other processes) the caller may
 * inspect. Each entry found through a task keeps one handle open.
 * Returns 0, or -1 after a message.
 */
int ns_scan(struct ns_list *list, bool want_handles);
struct ns_entry *ns_find(struct ns_list *list, uint64_t id);
/* Scan into @list and find namespace @id with a handle to use: 0, or an
 * exit code after a message; free @list with ns_list_free() either way. */
int ns_find_handle(struct ns_list *list, uint64_t id, struct ns_entry **e);
void ns_list_free(struct ns_list *list);
/* Run fn(arg) in a child moved into @e's namespace; its exit code. */
int ns_run_in(struct ns_entry *e, int (*fn)(void *), void *arg);

/* sysv.c: System V calls on the caller's shadow namespace (or, with
 * SHADOWIPC_NATIVE=1, on the kernel's, to compare with util-linux).
 * Each returns what the system call returns, -1 with errno. */
extern bool sysv_native;
/* Open the device (unless native): 0, or an exit code after a message. */
int sysv_open(void);
int sv_shmget(key_t key, size_t size, int flg);
int sv_shmctl(int id, int cmd, void *buf);
int sv_msgget(key_t key, int flg);
int sv_msgctl(int id, int cmd, void *buf);
int sv_semget(key_t key, int nsems, int flg);
int sv_semctl(int id, int num, int cmd, unsigned long arg);
int sv_semval(int id, int num, int cmd);

/* Object listings, in index order, through the *_STAT_ANY commands. The
 * structs are glibc's, which on x86_64 are the kernel's 64-bit ones. */
struct shmid_ds;
struct msqid_ds;
struct semid_ds;
struct sysv_obj {
	int id;
	union {
		struct shmid_ds *shm;
		struct msqid_ds *msg;
		struct semid_ds *sem;
		void *p;
	};
};
enum sysv_kind { SV_MSG, SV_SHM, SV_SEM };
/* Every object of @kind: a malloc'ed array (free with sysv_free) and
 * its length, or -1 with errno. */
int sysv_list(enum sysv_kind kind, struct sysv_obj **out);
void sysv_free(struct sysv_obj *v, int n);

#endif /* _SHADOWIPC_CLI_H */
