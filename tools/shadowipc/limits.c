// SPDX-License-Identifier: GPL-2.0
/*
 * shadowipc limits: the caller's shadow namespace's System V limits, the
 * per-namespace kernel.* sysctls (shmmax, shmall, shmmni,
 * shm_rmid_forced, msgmax, msgmnb, msgmni, sem, and the *_next_id ones),
 * shown as sysctl(8) shows them. Values are read with
 * SHADOWIPC_IOC_NS_INFO; the *_next_id ones, and every write, go through
 * the module's PROC_SYSCTL_DIR/NAME files.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

static const char *const names[] = {
	"shmmax", "shmall", "shmmni", "shm_rmid_forced", "shm_next_id",
	"msgmax", "msgmnb", "msgmni", "msg_next_id",
	"sem", "sem_next_id",
};

static bool known(const char *name, size_t len)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(names); i++)
		if (strlen(names[i]) == len && !strncmp(names[i], name, len))
			return true;
	return false;
}

/* NAME's value as text into buf; 0, or -errno (-ENOENT: unavailable). */
static int get_value(const struct shadowipc_limits *l, const char *name,
		     char *buf, size_t size)
{
	char path[128];
	size_t i;
	int err;

	if (!strcmp(name, "shmmax"))
		snprintf(buf, size, "%llu", (unsigned long long)l->shmmax);
	else if (!strcmp(name, "shmall"))
		snprintf(buf, size, "%llu", (unsigned long long)l->shmall);
	else if (!strcmp(name, "shmmni"))
		snprintf(buf, size, "%u", l->shmmni);
	else if (!strcmp(name, "shm_rmid_forced"))
		snprintf(buf, size, "%u", l->shm_rmid_forced);
	else if (!strcmp(name, "msgmax"))
		snprintf(buf, size, "%u", l->msgmax);
	else if (!strcmp(name, "msgmnb"))
		snprintf(buf, size, "%u", l->msgmnb);
	else if (!strcmp(name, "msgmni"))
		snprintf(buf, size, "%u", l->msgmni);
	else if (!strcmp(name, "sem"))
		snprintf(buf, size, "%u\t%u\t%u\t%u", l->sem[0], l->sem[1],
			 l->sem[2], l->sem[3]);
	else {
		snprintf(path, sizeof(path), PROC_SYSCTL_DIR "/%s", name);
		err = read_attr(path, buf, size);
		if (err < 0)
			return err;
		for (i = 0; buf[i]; i++)	/* as sysctl(8): tabs */
			if (buf[i] == ' ')
				buf[i] = '\t';
	}
	return 0;
}

static int show(const struct shadowipc_limits *l, const char *name,
		bool values, bool quiet_missing)
{
	char buf[256];
	int err;

	err = get_value(l, name, buf, sizeof(buf));
	if (err == -ENOENT && quiet_missing)
		return EXIT_OK;
	if (err < 0) {
		if (err == -ENOENT)
			pr_err("%s: not available (the module has no %s/%s)", name,
			       PROC_SYSCTL_DIR, name);
		else
			pr_err("%s: %s", name, strerror(-err));
		return EXIT_FAIL;
	}
	if (values)
		printf("%s\n", buf);
	else
		printf("%s = %s\n", name, buf);
	return EXIT_OK;
}

static int set_value(const char *name, const char *value)
{
	char path[128], buf[256];
	size_t i;
	int err;

	/* "sem" takes four numbers; accept blanks, tabs or commas. */
	snprintf(buf, sizeof(buf), "%s\n", value);
	for (i = 0; buf[i]; i++)
		if (buf[i] == ',')
			buf[i] = '\t';
	snprintf(path, sizeof(path), PROC_SYSCTL_DIR "/%s", name);
	err = write_attr(path, buf);
	if (!err)
		return EXIT_OK;
	switch (-err) {
	case ENOENT:
		if (access(PROC_SYSCTL_DIR, F_OK) < 0) {
			pr_err("cannot set %s: the module has no %s (not implemented in this version)",
			       name, PROC_SYSCTL_DIR);
			return EXIT_FAIL;
		}
		pr_err("cannot set %s: %s/%s does not exist", name,
		       PROC_SYSCTL_DIR, name);
		return EXIT_FAIL;
	case EACCES:
	case EPERM:
		pr_err("cannot set %s: permission denied", name);
		return EXIT_PERM;
	case EINVAL:
	case ERANGE:
		pr_err("cannot set %s to '%s': invalid value (%s)", name, value,
		       strerror(-err));
		return EXIT_FAIL;
	default:
		pr_err("cannot set %s: %s", name, strerror(-err));
		return EXIT_FAIL;
	}
}

/* The caller's namespace's limits into @info; EXIT_OK or an exit code. */
static int read_limits(struct shadowipc_ns_info *info)
{
	int code;

	if (dev_fd(&code) < 0)
		return code;
	if (dev_call(SHADOWIPC_IOC_NS_INFO, info) < 0)
		return report_ns_error(errno, "cannot read the namespace's limits");
	return EXIT_OK;
}

int cmd_limits(const struct cmd *cmd, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "values", no_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{ }
	};
	struct shadowipc_ns_info info = { .fd = -1 };
	bool values = false;
	int c, i, ret, r;
	size_t k;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":nh", opts, NULL)) != -1) {
		switch (c) {
		case 'n':
			values = true;
			break;
		default:
			return help_or_bad_option(cmd, c, argv);
		}
	}
	for (i = optind; i < argc; i++) {
		size_t len = strcspn(argv[i], "=");

		if (!known(argv[i], len))
			return usage_error(cmd, "unknown limit '%.*s'", (int)len, argv[i]);
	}
	ret = read_limits(&info);
	if (ret != EXIT_OK)
		return ret;

	if (optind == argc) {
		for (k = 0; k < ARRAY_SIZE(names); k++) {
			r = show(&info.limits, names[k], values, true);
			if (r != EXIT_OK)
				ret = r;
		}
		return ret;
	}
	for (i = optind; i < argc; i++) {
		char *eq = strchr(argv[i], '=');

		if (eq) {
			*eq = '\0';
			r = set_value(argv[i], eq + 1);
			if (r == EXIT_OK) {
				r = read_limits(&info);
				if (r != EXIT_OK)
					return r;
				r = show(&info.limits, argv[i], values, false);
			}
		} else {
			r = show(&info.limits, argv[i], values, false);
		}
		if (r != EXIT_OK)
			ret = r;
	}
	return ret;
}
