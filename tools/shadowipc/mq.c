// SPDX-License-Identifier: GPL-2.0
/*
 * shadowipc mq: the POSIX message queues of the caller's shadow
 * namespace (or of namespace ID with --ns), from /proc/shadowipc/mqueue,
 * which shows the namespace of the process that opens it.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"

#define PROC_MQUEUE	PROC_SHADOW "/mqueue"

static int mq_list(void *arg)
{
	char line[512], name[300], perms[16], owner[32], group[32];
	unsigned long qsize;
	long maxmsg, msgsize, curmsgs;
	unsigned int mode, uid, gid;
	int notify, pid;
	FILE *f;

	(void)arg;
	f = fopen(PROC_MQUEUE, "r");
	if (!f) {
		pr_err("cannot read %s: %s", PROC_MQUEUE, strerror(errno));
		return errno == ENOENT ? EXIT_NOT_LOADED : EXIT_FAIL;
	}
	printf("%-24s %-10s %-10s %-10s %6s %8s %8s %10s %s\n", "NAME",
	       "PERMS", "OWNER", "GROUP", "MAXMSG", "MSGSIZE", "MESSAGES",
	       "BYTES", "NOTIFY-PID");
	/* the first line names the columns */
	if (!fgets(line, sizeof(line), f))
		line[0] = '\0';
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%299s %o %u %u %ld %ld %ld %lu %d %d", name,
			   &mode, &uid, &gid, &maxmsg, &msgsize, &curmsgs,
			   &qsize, &notify, &pid) != 10)
			continue;
		format_mode(S_IFREG | mode, perms);
		printf("%-24s %-10s %-10s %-10s %6ld %8ld %8ld %10lu %d\n",
		       name, perms, user_name(uid, owner),
		       group_name(gid, group), maxmsg, msgsize, curmsgs,
		       qsize, pid);
	}
	fclose(f);
	fflush(stdout);
	return EXIT_OK;
}

int cmd_mq(const struct cmd *cmd, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "ns", required_argument, NULL, 'N' },
		{ "help", no_argument, NULL, 'h' },
		{ }
	};
	unsigned long long want = 0;
	bool by_ns = false;
	struct ns_list list;
	struct ns_entry *e;
	int c, ret;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		switch (c) {
		case 'N':
			if (parse_ull(optarg, &want) < 0)
				return usage_error(cmd, "bad namespace id '%s'",
						   optarg);
			by_ns = true;
			break;
		default:
			return help_or_bad_option(cmd, c, argv);
		}
	}
	if (optind != argc)
		return usage_error(cmd, "unexpected argument '%s'", argv[optind]);
	if (!by_ns)
		return mq_list(NULL);
	ret = ns_find_handle(&list, want, &e);
	if (!ret)
		ret = ns_run_in(e, mq_list, NULL);
	ns_list_free(&list);
	return ret;
}
