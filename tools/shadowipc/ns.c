// SPDX-License-Identifier: GPL-2.0
/*
 * shadowipc unshare, nsenter and lsns: running programs in shadow
 * namespaces, and listing the namespaces.
 *
 * unshare and nsenter move this (single-threaded) process, then exec the
 * command: exec keeps the shadow namespace, and the preload shim in
 * LD_PRELOAD sends the command's System V calls to it.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

/* ------------------------------------------------------------------ */
/* Running the command                                                */
/* ------------------------------------------------------------------ */

struct run_opts {
	const char *preload;	/* --preload */
	bool no_preload;
};

/* The shim's absolute path into buf, or NULL after a message. */
static const char *find_preload(const struct run_opts *o, char *buf, size_t size)
{
	char exe[PATH_MAX], *slash;
	const char *env = getenv(PRELOAD_ENV);
	ssize_t n;

	if (o->preload || (env && *env)) {
		const char *p = o->preload ? o->preload : env;

		if (!realpath(p, buf)) {
			pr_err("preload shim %s: %s", p, strerror(errno));
			return NULL;
		}
		return buf;
	}
	if (access(PRELOAD_PATH, R_OK) == 0) {
		snprintf(buf, size, "%s", PRELOAD_PATH);
		return buf;
	}
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n > 0) {
		exe[n] = '\0';
		slash = strrchr(exe, '/');
		if (slash) {
			*slash = '\0';
			if ((size_t)snprintf(buf, size, "%.*s/%s", PATH_MAX - 64,
					     exe, PRELOAD_NAME) < size &&
			    access(buf, R_OK) == 0)
				return buf;
		}
	}
	pr_err("cannot find the preload shim %s (looked for $" PRELOAD_ENV ", "
	       PRELOAD_PATH " and next to this program); use --preload PATH, or --no-preload",
	       PRELOAD_NAME);
	return NULL;
}

/* Add @lib to LD_PRELOAD, after what is there, unless already listed. */
static int add_preload(const char *lib)
{
	const char *old = getenv("LD_PRELOAD");
	size_t len = strlen(lib);
	const char *p;
	char *val;
	int ret;

	for (p = old; p && *p; ) {
		size_t n = strcspn(p, ": ");

		if (n == len && !strncmp(p, lib, len))
			return 0;
		p += n;
		p += strspn(p, ": ");
	}
	if (!old || !*old)
		return setenv("LD_PRELOAD", lib, 1);
	if (asprintf(&val, "%s:%s", old, lib) < 0)
		return -1;
	ret = setenv("LD_PRELOAD", val, 1);
	free(val);
	return ret;
}

/* The options unshare and nsenter share; false when @c is not one. */
static bool run_option(struct run_opts *o, int c)
{
	switch (c) {
	case 'P':
		o->preload = optarg;
		return true;
	case 'n':
		o->no_preload = true;
		return true;
	default:
		return false;
	}
}

/* Set up the environment and exec argv (or a shell); returns on failure. */
static int run(const struct run_opts *o, uint64_t ns_id, char **argv)
{
	char lib[PATH_MAX], id[32], *shell_argv[2];
	const char *path;

	if (!o->no_preload) {
		path = find_preload(o, lib, sizeof(lib));
		if (!path)
			return EXIT_FAIL;
		if (add_preload(path) < 0) {
			pr_err("cannot set LD_PRELOAD: %s", strerror(errno));
			return EXIT_FAIL;
		}
	}
	snprintf(id, sizeof(id), "%llu", (unsigned long long)ns_id);
	setenv("SHADOWIPC_NS", id, 1);
	if (!argv[0]) {
		const char *sh = getenv("SHELL");

		shell_argv[0] = (char *)(sh && *sh ? sh : "/bin/sh");
		shell_argv[1] = NULL;
		argv = shell_argv;
	}
	fflush(stdout);
	execvp(argv[0], argv);
	pr_err("cannot run %s: %s", argv[0], strerror(errno));
	return errno == ENOENT ? EXIT_NOT_FOUND : EXIT_CANNOT_RUN;
}

/*
 * A handle on the shadow namespace of process @pid, and its id in
 * *ns_id; or -1 after a message, with *exit_code set.
 */
static int pid_ns_handle(long long pid, unsigned long long *ns_id,
			 int *exit_code)
{
	struct shadowipc_ns_fd a = { .pid = (int)pid };
	char what[64];
	int h;

	h = (int)dev_call(SHADOWIPC_IOC_NS_FD, &a);
	if (h < 0) {
		snprintf(what, sizeof(what), "process %lld", pid);
		*exit_code = report_ns_error(errno, what);
		return -1;
	}
	*ns_id = a.ns_id;
	return h;
}

/* ------------------------------------------------------------------ */
/* unshare                                                            */
/* ------------------------------------------------------------------ */

int cmd_unshare(const struct cmd *cmd, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "preload", required_argument, NULL, 'P' },
		{ "no-preload", no_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{ }
	};
	struct shadowipc_unshare u = { 0 };
	struct run_opts o = { 0 };
	int c, code;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+:P:nh", opts, NULL)) != -1) {
		if (!run_option(&o, c))
			return help_or_bad_option(cmd, c, argv);
	}
	if (dev_fd(&code) < 0)
		return code;
	if (dev_call(SHADOWIPC_IOC_UNSHARE, &u) < 0)
		return report_ns_error(errno, "cannot create a shadow namespace");
	if (verbose)
		fprintf(stderr, PROG ": in new shadow namespace %llu\n",
			(unsigned long long)u.ns_id);
	return run(&o, u.ns_id, argv + optind);
}

/* ------------------------------------------------------------------ */
/* nsenter                                                            */
/* ------------------------------------------------------------------ */

int cmd_nsenter(const struct cmd *cmd, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "target", required_argument, NULL, 't' },
		{ "ns", required_argument, NULL, 'N' },
		{ "preload", required_argument, NULL, 'P' },
		{ "no-preload", no_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{ }
	};
	struct shadowipc_setns s = { 0 };
	struct run_opts o = { 0 };
	unsigned long long ns = 0;
	struct ns_list list = { 0 };
	struct ns_entry *e;
	char what[64];
	long long pid = -1;
	int c, code, h;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "+:t:P:nh", opts, NULL)) != -1) {
		switch (c) {
		case 't':
			if (parse_ll(optarg, 1, INT_MAX, &pid) < 0)
				return usage_error(cmd, "invalid PID '%s'", optarg);
			break;
		case 'N':
			if (parse_ull(optarg, &ns) < 0 || ns == 0)
				return usage_error(cmd, "invalid namespace id '%s'", optarg);
			break;
		default:
			if (!run_option(&o, c))
				return help_or_bad_option(cmd, c, argv);
		}
	}
	if ((pid > 0) == (ns > 0))
		return usage_error(cmd, "give exactly one of --target PID and --ns ID");
	if (dev_fd(&code) < 0)
		return code;

	if (pid > 0) {
		h = pid_ns_handle(pid, &ns, &code);
		if (h < 0)
			return code;
	} else {
		if (ns_scan(&list, true) < 0)
			return EXIT_FAIL;
		e = ns_find(&list, ns);
		if (!e || e->handle < 0) {
			if (e)
				pr_err("namespace %llu: no process or handle you may use to enter it",
				       ns);
			else if (list.from_proc)
				pr_err("no shadow namespace %llu", ns);
			else
				pr_err("no shadow namespace %llu among those your processes can see",
				       ns);
			ns_list_free(&list);
			return e ? EXIT_PERM : EXIT_NOENT;
		}
		h = e->handle;
		e->handle = -1;
		ns_list_free(&list);
	}
	s.fd = h;
	if (dev_call(SHADOWIPC_IOC_SETNS, &s) < 0) {
		int err = errno;

		close(h);
		snprintf(what, sizeof(what), "cannot join shadow namespace %llu", ns);
		if (err == EPERM)
			pr_err("%s: permission denied (only its creator's user, or CAP_SYS_ADMIN)",
			       what);
		return err == EPERM ? EXIT_PERM : report_ns_error(err, what);
	}
	close(h);
	if (verbose)
		fprintf(stderr, PROG ": in shadow namespace %llu\n", ns);
	return run(&o, ns, argv + optind);
}

/* ------------------------------------------------------------------ */
/* lsns                                                               */
/* ------------------------------------------------------------------ */

enum { COL_NS, COL_TYPE, COL_TASKS, COL_PID, COL_USER, COL_HANDLES, COL_SHM,
       COL_MSG, COL_SEM, COL_COMMAND, NR_COLS };

static const struct {
	const char *name;
	bool right;
} cols[NR_COLS] = {
	[COL_NS] = { "NS", true },
	[COL_TYPE] = { "TYPE", false },
	[COL_TASKS] = { "TASKS", true },
	[COL_PID] = { "PID", true },
	[COL_USER] = { "USER", false },
	[COL_HANDLES] = { "HANDLES", true },
	[COL_SHM] = { "SHM", true },
	[COL_MSG] = { "MSG", true },
	[COL_SEM] = { "SEM", true },
	[COL_COMMAND] = { "COMMAND", false },
};

/* The command line of @pid, blank-separated, or its comm, or "". */
static void command_of(pid_t pid, char *buf, size_t size)
{
	char path[64];
	ssize_t n, i;
	FILE *f;

	buf[0] = '\0';
	if (!pid)
		return;
	snprintf(path, sizeof(path), "/proc/%d/cmdline", (int)pid);
	f = fopen(path, "re");
	if (f) {
		n = (ssize_t)fread(buf, 1, size - 1, f);
		fclose(f);
		while (n > 0 && buf[n - 1] == '\0')
			n--;
		for (i = 0; i < n; i++)	/* one line: no NULs, no controls */
			if ((unsigned char)buf[i] < 0x20 || buf[i] == 0x7f)
				buf[i] = ' ';
		buf[n > 0 ? n : 0] = '\0';
	}
	if (!buf[0])
		task_comm(pid, buf, size);
}

static void lsns_json(struct ns_list *l)
{
	size_t i;

	printf("{\n   \"namespaces\": [");
	for (i = 0; i < l->n; i++) {
		const struct ns_entry *e = &l->v[i];
		const struct shadowipc_ns_info *in = &e->info;
		char ubuf[32], command[512];

		command_of(e->pid, command, sizeof(command));
		printf("%s\n      {\n", i ? "," : "");
		printf("         \"ns\": %llu,\n", (unsigned long long)e->id);
		printf("         \"type\": \"ipc\",\n");
		if (e->have_info) {
			printf("         \"tasks\": %u,\n", in->members);
			printf("         \"handles\": %u,\n", in->handles);
			printf("         \"refs\": %u,\n", in->refs);
		} else {
			printf("         \"tasks\": null,\n         \"handles\": null,\n         \"refs\": null,\n");
		}
		printf("         \"nprocs\": %u,\n", e->nprocs);
		if (e->pid)
			printf("         \"pid\": %d,\n", (int)e->pid);
		else
			printf("         \"pid\": null,\n");
		if (e->have_info) {
			printf("         \"uid\": %u,\n", in->creator_uid);
			printf("         \"user\": ");
			json_string(user_name(in->creator_uid, ubuf));
			printf(",\n");
			printf("         \"shm\": %llu,\n         \"shm_bytes\": %llu,\n",
			       (unsigned long long)in->objects[SHADOWIPC_KIND_SHM],
			       (unsigned long long)in->bytes[SHADOWIPC_KIND_SHM]);
			printf("         \"msg\": %llu,\n         \"msg_bytes\": %llu,\n",
			       (unsigned long long)in->objects[SHADOWIPC_KIND_MSG],
			       (unsigned long long)in->bytes[SHADOWIPC_KIND_MSG]);
			printf("         \"sem\": %llu,\n         \"sem_bytes\": %llu,\n",
			       (unsigned long long)in->objects[SHADOWIPC_KIND_SEM],
			       (unsigned long long)in->bytes[SHADOWIPC_KIND_SEM]);
		}
		printf("         \"command\": ");
		if (e->pid)
			json_string(command);
		else
			printf("null");
		printf("\n      }");
	}
	printf("\n   ]\n}\n");
}

/* Cell @c of a row of the table, as wide as the column unless @raw. */
static void print_cell(size_t c, const size_t *width, bool raw, const char *s)
{
	const char *sep = c ? " " : "";

	if (raw || c == NR_COLS - 1)
		printf("%s%s", sep, s);
	else
		printf(cols[c].right ? "%s%*s" : "%s%-*s", sep, (int)width[c], s);
}

static void lsns_table(struct ns_list *l, bool headings, bool raw)
{
	size_t width[NR_COLS], i, c, rows = l->n;
	char (*cells)[NR_COLS][256];

	cells = calloc(rows ? rows : 1, sizeof(*cells));
	if (!cells) {
		pr_err("out of memory");
		return;
	}
	for (c = 0; c < NR_COLS; c++)
		width[c] = headings ? strlen(cols[c].name) : 0;
	for (i = 0; i < rows; i++) {
		const struct ns_entry *e = &l->v[i];
		const struct shadowipc_ns_info *in = &e->info;
		char ubuf[32];

		snprintf(cells[i][COL_NS], 256, "%llu", (unsigned long long)e->id);
		snprintf(cells[i][COL_TYPE], 256, "ipc");
		if (e->pid)
			snprintf(cells[i][COL_PID], 256, "%d", (int)e->pid);
		command_of(e->pid, cells[i][COL_COMMAND], 256);
		if (e->have_info) {
			snprintf(cells[i][COL_TASKS], 256, "%u", in->members);
			snprintf(cells[i][COL_USER], 256, "%s",
				 user_name(in->creator_uid, ubuf));
			snprintf(cells[i][COL_HANDLES], 256, "%u", in->handles);
			snprintf(cells[i][COL_SHM], 256, "%llu",
				 (unsigned long long)in->objects[SHADOWIPC_KIND_SHM]);
			snprintf(cells[i][COL_MSG], 256, "%llu",
				 (unsigned long long)in->objects[SHADOWIPC_KIND_MSG]);
			snprintf(cells[i][COL_SEM], 256, "%llu",
				 (unsigned long long)in->objects[SHADOWIPC_KIND_SEM]);
		}
		for (c = 0; c < NR_COLS; c++) {
			if (!cells[i][c][0] && c != COL_COMMAND)
				snprintf(cells[i][c], 256, "-");
			if (strlen(cells[i][c]) > width[c])
				width[c] = strlen(cells[i][c]);
		}
	}
	if (headings) {
		for (c = 0; c < NR_COLS; c++)
			print_cell(c, width, raw, cols[c].name);
		printf("\n");
	}
	for (i = 0; i < rows; i++) {
		for (c = 0; c < NR_COLS; c++)
			print_cell(c, width, raw, cells[i][c]);
		printf("\n");
	}
	free(cells);
}

int cmd_lsns(const struct cmd *cmd, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'J' },
		{ "noheadings", no_argument, NULL, 'n' },
		{ "raw", no_argument, NULL, 'r' },
		{ "task", required_argument, NULL, 'p' },
		{ "help", no_argument, NULL, 'h' },
		{ }
	};
	bool json = false, headings = true, raw = false;
	unsigned long long ns_id = 0;
	struct ns_list list;
	long long pid = 0;
	int c, code, fd;
	size_t i;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":Jnrp:h", opts, NULL)) != -1) {
		switch (c) {
		case 'J':
			json = true;
			break;
		case 'n':
			headings = false;
			break;
		case 'r':
			raw = true;
			break;
		case 'p':
			if (parse_ll(optarg, 1, INT_MAX, &pid) < 0)
				return usage_error(cmd, "invalid PID '%s'", optarg);
			break;
		default:
			return help_or_bad_option(cmd, c, argv);
		}
	}
	if (optind < argc)
		return usage_error(cmd, "unexpected argument '%s'", argv[optind]);
	if (dev_fd(&code) < 0)
		return code;
	if (pid) {
		fd = pid_ns_handle(pid, &ns_id, &code);
		if (fd < 0)
			return code;
		close(fd);
	}
	if (ns_scan(&list, false) < 0)
		return EXIT_FAIL;
	if (pid) {
		/* keep only PID's namespace */
		for (i = 0; i < list.n; i++) {
			if (list.v[i].id == ns_id) {
				struct ns_entry keep = list.v[i];

				list.v[i].handle = -1;
				ns_list_free(&list);
				list.v = malloc(sizeof(keep));
				if (!list.v)
					return EXIT_FAIL;
				list.v[0] = keep;
				list.n = 1;
				break;
			}
		}
	}
	if (json)
		lsns_json(&list);
	else
		lsns_table(&list, headings, raw);
	ns_list_free(&list);
	return EXIT_OK;
}
