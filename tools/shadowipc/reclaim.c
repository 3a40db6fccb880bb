// SPDX-License-Identifier: GPL-2.0
/*
 * shadowipc wait and drain: await a namespace's last member task, and
 * remove every object of a namespace no task is in any more, through a
 * handle on it (SHADOWIPC_IOC_NS_DRAIN), as a supervisor reclaims what a
 * crashed service left.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>

#include "cli.h"

static const struct option reclaim_opts[] = {
	{ "ns", required_argument, NULL, 'N' },
	{ "timeout", required_argument, NULL, 't' },
	{ "help", no_argument, NULL, 'h' },
	{ }
};

/* --ns ID (required) and, for wait, --timeout MS (-1: none). */
static int parse_reclaim(const struct cmd *cmd, int argc, char **argv,
			 unsigned long long *id, long long *timeout_ms)
{
	bool by_ns = false;
	int c;

	*timeout_ms = -1;
	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":h", reclaim_opts, NULL)) != -1) {
		switch (c) {
		case 'N':
			if (parse_ull(optarg, id) < 0)
				return usage_error(cmd, "bad namespace id '%s'",
						   optarg);
			by_ns = true;
			break;
		case 't':
			if (strcmp(cmd->name, "wait") ||
			    parse_ll(optarg, 0, INT32_MAX, timeout_ms) < 0)
				return bad_option(cmd, c, argv);
			break;
		default:
			return help_or_bad_option(cmd, c, argv);
		}
	}
	if (optind != argc)
		return usage_error(cmd, "unexpected argument '%s'", argv[optind]);
	if (!by_ns)
		return usage_error(cmd, "--ns ID is required");
	return -1;
}

int cmd_wait(const struct cmd *cmd, int argc, char **argv)
{
	unsigned long long id;
	struct ns_list list;
	struct ns_entry *e;
	struct pollfd p;
	long long timeout;
	int ret;

	ret = parse_reclaim(cmd, argc, argv, &id, &timeout);
	if (ret >= 0)
		return ret;
	ret = ns_find_handle(&list, id, &e);
	if (ret)
		goto out;
	p = (struct pollfd) { .fd = e->handle, .events = POLLIN };
	do
		ret = poll(&p, 1, (int)timeout);
	while (ret < 0 && errno == EINTR);
	if (ret < 0) {
		pr_err("poll: %s", strerror(errno));
		ret = EXIT_FAIL;
	} else if (!ret) {
		pr_err("namespace %llu: still has member tasks after %lld ms",
		       id, timeout);
		ret = EXIT_FAIL;
	} else {
		ret = EXIT_OK;
	}
out:
	ns_list_free(&list);
	return ret;
}

int cmd_drain(const struct cmd *cmd, int argc, char **argv)
{
	static const char *const kinds[] = { "shm", "msg", "sem", "mq" };
	struct shadowipc_ns_drain d = { };
	unsigned long long id;
	struct ns_list list;
	struct ns_entry *e;
	long long unused;
	int ret, k;

	ret = parse_reclaim(cmd, argc, argv, &id, &unused);
	if (ret >= 0)
		return ret;
	ret = ns_find_handle(&list, id, &e);
	if (ret)
		goto out;
	if (ioctl(e->handle, SHADOWIPC_IOC_NS_DRAIN, &d)) {
		if (errno == EBUSY) {
			pr_err("namespace %llu: still has member tasks", id);
			ret = EXIT_FAIL;
		} else {
			ret = report_ns_error(errno, "drain");
		}
		goto out;
	}
	printf("KIND REMOVED BYTES\n");
	for (k = 0; k < SHADOWIPC_NR_KINDS; k++)
		printf("%s %llu %llu\n", kinds[k],
		       (unsigned long long)d.objects[k],
		       (unsigned long long)d.bytes[k]);
out:
	ns_list_free(&list);
	return ret;
}
