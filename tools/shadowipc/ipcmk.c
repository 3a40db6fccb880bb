// SPDX-License-Identifier: GPL-2.0
/*
 * shadowipc ipcmk: util-linux ipcmk(1)'s options and output, creating
 * the objects in the caller's shadow namespace. One extension: --key,
 * to choose the key instead of a random one.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ipc.h>
#include <sys/random.h>

#include "cli.h"

/*
 * A size with an optional suffix: K, M, G, T, P, E (or KiB, MiB, ...)
 * for powers of 1024, KB, MB, ... for powers of 1000. 0 or -errno.
 */
static int parse_size(const char *s, unsigned long long *out)
{
	static const char units[] = "KMGTPE";
	unsigned long long v, mul = 1, base = 1024;
	const char *u;
	char *end;
	int exp, i;

	if (!s || !isdigit((unsigned char)*s))
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno)
		return -errno;
	if (*end) {
		u = strchr(units, toupper((unsigned char)*end));
		if (!u)
			return -EINVAL;
		exp = (int)(u - units) + 1;
		end++;
		if (!strcmp(end, "iB") || !*end)
			base = 1024;
		else if (!strcmp(end, "B"))
			base = 1000;
		else
			return -EINVAL;
		for (i = 0; i < exp; i++)
			mul *= base;
		if (v > UINT64_MAX / mul)
			return -ERANGE;
		v *= mul;
	}
	*out = v;
	return 0;
}

/* A random key that is not IPC_PRIVATE. */
static key_t random_key(void)
{
	key_t key = 0;

	while (key == IPC_PRIVATE) {
		if (getrandom(&key, sizeof(key), 0) != sizeof(key))
			key = (key_t)(rand() ^ (rand() << 16));
	}
	return key;
}

/* Print the new object's id, or why creating it failed; an exit code. */
static int created(int id, const char *label, const char *what)
{
	if (id < 0) {
		pr_err("create %s failed: %s", what, strerror(errno));
		return EXIT_FAIL;
	}
	printf("%s id: %d\n", label, id);
	return EXIT_OK;
}

int cmd_ipcmk(const struct cmd *cmd, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "shmem", required_argument, NULL, 'M' },
		{ "semaphore", required_argument, NULL, 'S' },
		{ "queue", no_argument, NULL, 'Q' },
		{ "mode", required_argument, NULL, 'p' },
		{ "key", required_argument, NULL, 'k' },
		{ "help", no_argument, NULL, 'h' },
		{ }
	};
	bool shm = false, msg = false, sem = false;
	unsigned long long size = 0, key = 0;
	long long nsems = 0, mode = 0644;
	bool have_key = false;
	int c, id, ret;
	char *end;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":M:S:Qp:k:h", opts, NULL)) != -1) {
		switch (c) {
		case 'M':
			if (parse_size(optarg, &size) < 0)
				return usage_error(cmd, "failed to parse size: '%s'", optarg);
			shm = true;
			break;
		case 'S':
			if (parse_ll(optarg, 0, INT32_MAX, &nsems) < 0)
				return usage_error(cmd, "failed to parse elements: '%s'",
						   optarg);
			sem = true;
			break;
		case 'Q':
			msg = true;
			break;
		case 'p':
			errno = 0;
			mode = strtoll(optarg, &end, 8);
			if (errno || !*optarg || *end || mode < 0 || mode > 0777)
				return usage_error(cmd, "failed to parse mode: '%s'", optarg);
			break;
		case 'k':
			if (parse_ull(optarg, &key) < 0 || key > UINT32_MAX ||
			    key == IPC_PRIVATE)
				return usage_error(cmd, "invalid key '%s' (a non-zero 32-bit number)",
						   optarg);
			have_key = true;
			break;
		default:
			return help_or_bad_option(cmd, c, argv);
		}
	}
	if (optind < argc)
		return usage_error(cmd, "unexpected argument '%s'", argv[optind]);
	if (!shm && !msg && !sem)
		return usage_error(cmd, "bad usage: give -M, -Q or -S");

	ret = sysv_open();
	if (ret)
		return ret;
	if (shm) {
		id = sv_shmget(have_key ? (key_t)key : random_key(), size,
			       (int)mode | IPC_CREAT);
		if (created(id, "Shared memory", "share memory"))
			ret = EXIT_FAIL;
	}
	if (msg) {
		id = sv_msgget(have_key ? (key_t)key : random_key(),
			       (int)mode | IPC_CREAT);
		if (created(id, "Message queue", "message queue"))
			ret = EXIT_FAIL;
	}
	if (sem) {
		id = sv_semget(have_key ? (key_t)key : random_key(), (int)nsems,
			       (int)mode | IPC_CREAT);
		if (created(id, "Semaphore", "semaphore"))
			ret = EXIT_FAIL;
	}
	return ret;
}
