// SPDX-License-Identifier: GPL-2.0
/*
 * shadowipc: finding shadow namespaces, for lsns, ipcs --all-namespaces
 * and nsenter --ns.
 *
 * The module lists every namespace in PROC_NAMESPACES (format below).
 * Which processes are in which namespace, and a handle to enter one, come
 * from asking SHADOWIPC_IOC_NS_FD about every thread in /proc (allowed
 * where reading /proc/PID/ns/ipc would be), and, for namespaces no task
 * is in, from the handle fds other processes hold (pidfd_getfd(), which
 * needs ptrace rights over them, so in practice root).
 *
 * PROC_NAMESPACES: a header line naming the columns, then one line per
 * live namespace in id order, all fields unsigned decimal separated by
 * blanks:
 *
 *   id uid gid tasks handles refs shm shm_bytes msg msg_bytes sem sem_bytes key_bytes mq mq_bytes
 *
 * (the fields of struct shadowipc_ns_info: creator euid and egid as seen
 * from the reader's user namespace, member tasks, open handles, all
 * references, then objects and bytes per SysV kind, the bytes of the
 * namespace's shared key tables, then POSIX message queues and their
 * queued bytes). Columns are found by name: unknown ones are ignored,
 * missing ones (an older module) read as 0.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include "cli.h"

#ifndef SYS_pidfd_open
#define SYS_pidfd_open		434
#endif
#ifndef SYS_pidfd_getfd
#define SYS_pidfd_getfd		438
#endif

#define HANDLE_LINK		"anon_inode:[shadowipc-ns]"

struct ns_entry *ns_find(struct ns_list *list, uint64_t id)
{
	size_t i;

	for (i = 0; i < list->n; i++)
		if (list->v[i].id == id)
			return &list->v[i];
	return NULL;
}

static struct ns_entry *ns_add(struct ns_list *list, uint64_t id)
{
	struct ns_entry *e = ns_find(list, id), *nv;

	if (e)
		return e;
	nv = realloc(list->v, (list->n + 1) * sizeof(*nv));
	if (!nv)
		return NULL;
	list->v = nv;
	e = &nv[list->n++];
	memset(e, 0, sizeof(*e));
	e->id = id;
	e->handle = -1;
	return e;
}

void ns_list_free(struct ns_list *list)
{
	size_t i;

	for (i = 0; i < list->n; i++)
		if (list->v[i].handle >= 0)
			close(list->v[i].handle);
	free(list->v);
	list->v = NULL;
	list->n = 0;
}

/* Store column @name's value @v of a PROC_NAMESPACES row into @info. */
static void proc_field(struct shadowipc_ns_info *info, const char *name,
		       unsigned long long v)
{
	static const char *const kinds[] = { "shm", "msg", "sem", "mq" };
	char bytes[16];
	size_t k;

	if (!strcmp(name, "id"))
		info->id = v;
	else if (!strcmp(name, "uid"))
		info->creator_uid = (__u32)v;
	else if (!strcmp(name, "gid"))
		info->creator_gid = (__u32)v;
	else if (!strcmp(name, "tasks"))
		info->members = (__u32)v;
	else if (!strcmp(name, "handles"))
		info->handles = (__u32)v;
	else if (!strcmp(name, "refs"))
		info->refs = (__u32)v;
	for (k = 0; k < ARRAY_SIZE(kinds); k++) {
		snprintf(bytes, sizeof(bytes), "%s_bytes", kinds[k]);
		if (!strcmp(name, kinds[k]))
			info->objects[k] = v;
		else if (!strcmp(name, bytes))
			info->bytes[k] = v;
	}
}

#define MAX_COLS	32

/* Read PROC_NAMESPACES into @list. 0, or -errno (-ENOENT: no such file). */
static int read_proc(struct ns_list *list)
{
	char line[1024], *cols[MAX_COLS], *tok, *save;
	int ncols = 0, i, err = 0;
	struct ns_entry *e;
	FILE *f;

	f = fopen(PROC_NAMESPACES, "re");
	if (!f)
		return -errno;
	if (!fgets(line, sizeof(line), f)) {
		fclose(f);
		return -EIO;
	}
	for (tok = strtok_r(line, " \t\n", &save); tok && ncols < MAX_COLS;
	     tok = strtok_r(NULL, " \t\n", &save))
		cols[ncols++] = strdup(tok);
	while (fgets(line, sizeof(line), f)) {
		struct shadowipc_ns_info info = { .fd = -1 };
		bool any = false;

		for (i = 0, tok = strtok_r(line, " \t\n", &save);
		     tok && i < ncols; i++, tok = strtok_r(NULL, " \t\n", &save)) {
			unsigned long long v;

			if (!cols[i] || parse_ull(tok, &v) < 0)
				continue;
			proc_field(&info, cols[i], v);
			any = true;
		}
		if (!any || !info.id)
			continue;
		e = ns_add(list, info.id);
		if (!e) {
			err = -ENOMEM;
			break;
		}
		e->info = info;
		e->have_info = true;
	}
	fclose(f);
	for (i = 0; i < ncols; i++)
		free(cols[i]);
	if (!err)
		list->from_proc = true;
	return err;
}

static bool all_digits(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!isdigit((unsigned char)*s))
			return false;
	return true;
}

/* Keep @fd as e's handle if it has none, else close it. */
static void offer_handle(struct ns_entry *e, int fd)
{
	if (e->handle < 0)
		e->handle = fd;
	else
		close(fd);
}

/* Every thread of process @pid: which namespaces, and a handle on each. */
static int scan_task(struct ns_list *list, pid_t pid)
{
	uint64_t seen[16];
	size_t nseen = 0, i;
	char path[64];
	struct dirent *d;
	DIR *dir;

	snprintf(path, sizeof(path), "/proc/%d/task", (int)pid);
	dir = opendir(path);
	if (!dir)
		return 0;		/* gone */
	while ((d = readdir(dir))) {
		struct shadowipc_ns_fd a = { 0 };
		struct ns_entry *e;
		int fd;

		if (!all_digits(d->d_name))
			continue;
		a.pid = atoi(d->d_name);
		fd = (int)dev_call(SHADOWIPC_IOC_NS_FD, &a);
		if (fd < 0)
			continue;	/* exited, or not ours to see */
		e = ns_add(list, a.ns_id);
		if (!e) {
			close(fd);
			closedir(dir);
			return -ENOMEM;
		}
		offer_handle(e, fd);
		for (i = 0; i < nseen && seen[i] != a.ns_id; i++)
			;
		if (i == nseen && nseen < ARRAY_SIZE(seen)) {
			seen[nseen++] = a.ns_id;
			e->nprocs++;
			if (!e->pid || pid < e->pid)
				e->pid = pid;
		}
	}
	closedir(dir);
	return 0;
}

/* The handles process @pid holds: duplicate them with pidfd_getfd(). */
static int scan_fds(struct ns_list *list, pid_t pid)
{
	char path[64], link[64];
	struct dirent *d;
	int pidfd = -1;
	DIR *dir;

	snprintf(path, sizeof(path), "/proc/%d/fd", (int)pid);
	dir = opendir(path);
	if (!dir)
		return 0;
	while ((d = readdir(dir))) {
		struct shadowipc_ns_info info = { .fd = -1 };
		struct ns_entry *e;
		ssize_t n;
		int fd;

		if (!all_digits(d->d_name))
			continue;
		snprintf(path, sizeof(path), "/proc/%d/fd/%.20s", (int)pid, d->d_name);
		n = readlink(path, link, sizeof(link) - 1);
		if (n < 0)
			continue;
		link[n] = '\0';
		if (strcmp(link, HANDLE_LINK) != 0)
			continue;
		if (pidfd < 0)
			pidfd = (int)syscall(SYS_pidfd_open, pid, 0);
		if (pidfd < 0)
			break;
		fd = (int)syscall(SYS_pidfd_getfd, pidfd, atoi(d->d_name), 0);
		if (fd < 0)
			continue;
		if (ioctl(fd, SHADOWIPC_IOC_NS_INFO, &info) < 0) {
			close(fd);
			continue;
		}
		e = ns_add(list, info.id);
		if (!e) {
			close(fd);
			break;
		}
		offer_handle(e, fd);
	}
	if (pidfd >= 0)
		close(pidfd);
	closedir(dir);
	return 0;
}

static int cmp_entry(const void *a, const void *b)
{
	const struct ns_entry *x = a, *y = b;

	return x->id < y->id ? -1 : x->id > y->id;
}

int ns_scan(struct ns_list *list, bool want_handles)
{
	pid_t self = getpid();
	struct dirent *d;
	bool missing;
	size_t i;
	DIR *proc;
	int err;

	memset(list, 0, sizeof(*list));
	err = read_proc(list);
	if (err < 0 && err != -ENOENT) {
		pr_warn("%s: %s", PROC_NAMESPACES, strerror(-err));
	}
	proc = opendir("/proc");
	if (!proc) {
		pr_err("/proc: %s", strerror(errno));
		ns_list_free(list);
		return -1;
	}
	while ((d = readdir(proc))) {
		if (!all_digits(d->d_name))
			continue;
		if (scan_task(list, atoi(d->d_name)) < 0) {
			pr_err("out of memory");
			closedir(proc);
			ns_list_free(list);
			return -1;
		}
	}
	/* Namespaces no visible task is in: look for handles. */
	missing = !list->from_proc;
	for (i = 0; i < list->n; i++)
		if (list->v[i].handle < 0)
			missing = true;
	if (want_handles && missing) {
		rewinddir(proc);
		while ((d = readdir(proc))) {
			if (all_digits(d->d_name) && atoi(d->d_name) != self)
				scan_fds(list, atoi(d->d_name));
		}
	}
	closedir(proc);

	for (i = 0; i < list->n; i++) {
		struct ns_entry *e = &list->v[i];

		if (e->have_info || e->handle < 0)
			continue;
		memset(&e->info, 0, sizeof(e->info));
		e->info.fd = -1;
		if (ioctl(e->handle, SHADOWIPC_IOC_NS_INFO, &e->info) == 0) {
			e->have_info = true;
			if (e->info.handles)
				e->info.handles--;	/* ours */
			if (e->info.refs)
				e->info.refs--;
		}
	}
	qsort(list->v, list->n, sizeof(*list->v), cmp_entry);
	return 0;
}

int ns_run_in(struct ns_entry *e, int (*fn)(void *), void *arg)
{
	struct shadowipc_setns s = { .fd = e->handle };
	int status;
	pid_t pid;

	fflush(stdout);
	fflush(stderr);
	pid = fork();
	if (pid < 0) {
		pr_err("fork: %s", strerror(errno));
		return EXIT_FAIL;
	}
	if (pid == 0) {
		char what[64];

		if (dev_call(SHADOWIPC_IOC_SETNS, &s) < 0) {
			snprintf(what, sizeof(what), "cannot enter namespace %llu",
				 (unsigned long long)e->id);
			_exit(report_ns_error(errno, what));
		}
		status = fn(arg);
		fflush(stdout);
		_exit(status);
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return EXIT_FAIL;
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	pr_err("namespace %llu: child killed by signal %d",
	       (unsigned long long)e->id, WTERMSIG(status));
	return EXIT_FAIL;
}

int ns_find_handle(struct ns_list *list, uint64_t id, struct ns_entry **e)
{
	if (ns_scan(list, true) < 0)
		return EXIT_FAIL;
	*e = ns_find(list, id);
	if (!*e) {
		pr_err("no shadow namespace %llu", (unsigned long long)id);
		return EXIT_NOENT;
	}
	if ((*e)->handle < 0) {
		pr_err("namespace %llu: no process or handle you may use to enter it",
		       (unsigned long long)id);
		return EXIT_PERM;
	}
	return 0;
}
