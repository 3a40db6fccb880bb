// SPDX-License-Identifier: GPL-2.0
/*
 * shadowipc ipcrm: util-linux ipcrm(1)'s options, removing objects from
 * the caller's shadow namespace. Requests are carried out in the order
 * given; a failure is reported and the others still run.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>

#include "cli.h"

static bool rm_verbose;

static const char *const what[] = {
	[SV_MSG] = "message queue",
	[SV_SHM] = "shared memory segment",
	[SV_SEM] = "semaphore",
};

static int rmid(enum sysv_kind kind, int id)
{
	switch (kind) {
	case SV_SHM:
		return sv_shmctl(id, IPC_RMID, NULL);
	case SV_MSG:
		return sv_msgctl(id, IPC_RMID, NULL);
	default:
		return sv_semctl(id, 0, IPC_RMID, 0);
	}
}

/* Report errno of a failed removal of @arg (an id or a key). */
static void report(bool is_key, const char *arg)
{
	const char *k = is_key ? "key" : "id";

	switch (errno) {
	case EACCES:
	case EPERM:
		pr_err("permission denied for %s (%s)", k, arg);
		break;
	case EINVAL:
	case ENOENT:
		pr_err("invalid %s (%s)", k, arg);
		break;
	case EIDRM:
		pr_err("already removed %s (%s)", k, arg);
		break;
	default:
		pr_err("%s failed (%s): %s", k, arg, strerror(errno));
		break;
	}
}

static int remove_id(enum sysv_kind kind, const char *arg)
{
	long long id;

	if (parse_ll(arg, 0, INT32_MAX, &id) < 0) {
		pr_err("failed to parse argument: '%s'", arg);
		return -1;
	}
	if (rm_verbose)
		printf("removing %s id `%lld'\n", what[kind], id);
	if (rmid(kind, (int)id) < 0) {
		report(false, arg);
		return -1;
	}
	return 0;
}

static int remove_key(enum sysv_kind kind, const char *arg)
{
	unsigned long long key;
	int id;

	if (parse_ull(arg, &key) < 0 || key > UINT32_MAX) {
		pr_err("failed to parse argument: '%s'", arg);
		return -1;
	}
	if (key == IPC_PRIVATE) {
		errno = EINVAL;
		report(true, arg);
		return -1;
	}
	if (rm_verbose)
		printf("removing %s key `%s'\n", what[kind], arg);
	switch (kind) {
	case SV_SHM:
		id = sv_shmget((key_t)key, 0, 0);
		break;
	case SV_MSG:
		id = sv_msgget((key_t)key, 0);
		break;
	default:
		id = sv_semget((key_t)key, 0, 0);
		break;
	}
	if (id < 0 || rmid(kind, id) < 0) {
		report(true, arg);
		return -1;
	}
	return 0;
}

static int remove_all(enum sysv_kind kind)
{
	struct sysv_obj *v;
	char arg[16];
	int n, i, ret = 0;

	n = sysv_list(kind, &v);
	if (n < 0) {
		pr_err("cannot list %ss: %s", what[kind], strerror(errno));
		return -1;
	}
	for (i = 0; i < n; i++) {
		snprintf(arg, sizeof(arg), "%d", v[i].id);
		if (rm_verbose)
			printf("removing %s id `%d'\n", what[kind], v[i].id);
		if (rmid(kind, v[i].id) < 0) {
			report(false, arg);
			ret = -1;
		}
	}
	sysv_free(v, n);
	return ret;
}

static int kind_of(const char *s, enum sysv_kind *k)
{
	if (!strcmp(s, "shm"))
		*k = SV_SHM;
	else if (!strcmp(s, "msg"))
		*k = SV_MSG;
	else if (!strcmp(s, "sem"))
		*k = SV_SEM;
	else
		return -1;
	return 0;
}

int cmd_ipcrm(const struct cmd *cmd, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "shmem-id", required_argument, NULL, 'm' },
		{ "shmem-key", required_argument, NULL, 'M' },
		{ "queue-id", required_argument, NULL, 'q' },
		{ "queue-key", required_argument, NULL, 'Q' },
		{ "semaphore-id", required_argument, NULL, 's' },
		{ "semaphore-key", required_argument, NULL, 'S' },
		{ "all", optional_argument, NULL, 'a' },
		{ "verbose", no_argument, NULL, 'v' },
		{ "help", no_argument, NULL, 'h' },
		{ }
	};
	enum sysv_kind k;
	int c, ret, failed = 0, i;
	bool opened = false;

	/* First pass: validate, so that a usage error changes nothing. */
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":m:M:q:Q:s:S:avh", opts, NULL)) != -1) {
		switch (c) {
		case 'a':
			if (optarg && kind_of(optarg, &k) < 0)
				return usage_error(cmd, "unknown argument: %s", optarg);
			break;
		case 'm': case 'M': case 'q': case 'Q': case 's': case 'S':
		case 'v':
			break;
		default:
			return help_or_bad_option(cmd, c, argv);
		}
	}
	if (argc == 1)
		return usage_error(cmd, "bad usage: nothing to remove");
	if (optind < argc) {
		if (optind > 1 || kind_of(argv[optind], &k) < 0)
			return usage_error(cmd, "unknown argument: %s", argv[optind]);
		if (optind + 1 >= argc)
			return usage_error(cmd, "bad usage: %s needs an id", argv[optind]);
	}

	optind = 1;
	while ((c = getopt_long(argc, argv, ":m:M:q:Q:s:S:avh", opts, NULL)) != -1) {
		if (c == 'v') {
			rm_verbose = true;
			continue;
		}
		if (!opened) {
			ret = sysv_open();
			if (ret)
				return ret;
			opened = true;
		}
		switch (c) {
		case 'm':
			failed |= remove_id(SV_SHM, optarg) < 0;
			break;
		case 'q':
			failed |= remove_id(SV_MSG, optarg) < 0;
			break;
		case 's':
			failed |= remove_id(SV_SEM, optarg) < 0;
			break;
		case 'M':
			failed |= remove_key(SV_SHM, optarg) < 0;
			break;
		case 'Q':
			failed |= remove_key(SV_MSG, optarg) < 0;
			break;
		case 'S':
			failed |= remove_key(SV_SEM, optarg) < 0;
			break;
		case 'a':
			if (optarg) {
				kind_of(optarg, &k);
				failed |= remove_all(k) < 0;
			} else {
				failed |= remove_all(SV_MSG) < 0;
				failed |= remove_all(SV_SHM) < 0;
				failed |= remove_all(SV_SEM) < 0;
			}
			break;
		}
	}
	/* The old form: ipcrm shm|msg|sem ID... */
	if (optind < argc) {
		if (!opened) {
			ret = sysv_open();
			if (ret)
				return ret;
		}
		kind_of(argv[optind], &k);
		for (i = optind + 1; i < argc; i++)
			failed |= remove_id(k, argv[i]) < 0;
	}
	return failed ? EXIT_FAIL : EXIT_OK;
}
