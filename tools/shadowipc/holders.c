// SPDX-License-Identifier: GPL-2.0
/*
 * shadowipc ipcs --holders: who holds what, from /proc/shadowipc/holders,
 * as a table or (--json) in util-linux lsipc --json's shape.
 *
 * The file has a header line, then one line per holder:
 *
 *   shm NS ID KEY PID COMM START-END MODE    a mapping attaching a segment
 *   msg NS ID KEY PID COMM - receive|send    a sleeper in msgrcv()/msgsnd()
 *   sem NS ID KEY PID COMM - undo            SEM_UNDO adjustments pending
 *   sem NS ID KEY PID COMM - zero:N|dec:N    a sleeper in semop(), waiting
 *                                            on semaphore N for zero or to
 *                                            decrease
 *   mq NS - /NAME PID COMM - open:r|w|rw|notify|receive|send
 *                                            a POSIX queue's open file (by
 *                                            its opener), mq_notify()
 *                                            registrant, or a sleeper; NAME
 *                                            ends "\040(deleted)" once
 *                                            unlinked
 *
 * COMM and NAME escaped as in /proc/mounts (octal \ooo for space, tab, newline
 * and backslash); PID 0 for a process outside the reader's pid namespace.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

struct holder {
	char kind[8];
	unsigned long long ns;
	int id, key, pid;	/* id -1 for mq: @name instead of id, key */
	char name[1024];	/* mq: escaped, as the file has it */
	char comm[64];		/* escaped, as the file has it */
	char range[40];		/* "-" where there is none */
	unsigned long long start, end;
	char mode[16];		/* rwx, or the role: up to "zero:32000" */
};

/* One holder line; false when it does not parse. */
static bool parse_holder(const char *line, struct holder *h)
{
	char id[16];

	if (sscanf(line, "%7s %llu %15s %1023s %d %63s %39s %15s", h->kind,
		   &h->ns, id, h->name, &h->pid, h->comm, h->range,
		   h->mode) != 8)
		return false;
	h->id = -1;
	if (strcmp(h->kind, "mq") &&
	    (sscanf(id, "%d", &h->id) != 1 ||
	     sscanf(h->name, "%d", &h->key) != 1))
		return false;
	h->start = h->end = 0;
	return !strcmp(h->range, "-") ||
	       sscanf(h->range, "%llx-%llx", &h->start, &h->end) == 2;
}

/* Undo the file's octal escapes of @s, in place. */
static void unescape(char *s)
{
	char *out = s;

	for (; *s; s++) {
		if (s[0] == '\\' && s[1] >= '0' && s[1] <= '3' &&
		    s[2] >= '0' && s[2] <= '7' && s[3] >= '0' && s[3] <= '7') {
			*out++ = (char)((s[1] - '0') << 6 | (s[2] - '0') << 3 |
					(s[3] - '0'));
			s += 3;
		} else {
			*out++ = *s;
		}
	}
	*out = '\0';
}

static void print_table_row(const struct holder *h)
{
	char pid[16] = "-";

	if (h->pid)
		snprintf(pid, sizeof(pid), "%d", h->pid);
	printf("%-4s %6llu ", h->kind, h->ns);
	if (h->id < 0)
		printf("%10s %-10s ", "-", h->name);
	else
		printf("%10d 0x%08x ", h->id, (unsigned int)h->key);
	printf("%7s %-16s ", pid, h->pid ? h->comm : "-");
	if (h->end)
		printf("%12llx-%-12llx %s\n", h->start, h->end, h->mode);
	else
		printf("%-25s %s\n", "-", h->mode);
}

static void print_json_row(struct holder *h, bool first)
{
	printf("%s\n      {\n", first ? "" : ",");
	printf("         \"kind\": \"%s\",\n", h->kind);
	printf("         \"ns\": %llu,\n", h->ns);
	if (h->id < 0) {
		unescape(h->name);
		printf("         \"id\": null,\n         \"key\": ");
		json_string(h->name);
		printf(",\n");
	} else {
		printf("         \"id\": %d,\n", h->id);
		printf("         \"key\": \"0x%08x\",\n",
		       (unsigned int)h->key);
	}
	if (h->pid) {
		unescape(h->comm);
		printf("         \"pid\": %d,\n         \"command\": ", h->pid);
		json_string(h->comm);
		printf(",\n");
	} else {
		printf("         \"pid\": null,\n         \"command\": null,\n");
	}
	if (h->end) {
		printf("         \"start\": \"0x%llx\",\n", h->start);
		printf("         \"end\": \"0x%llx\",\n", h->end);
	} else {
		printf("         \"start\": null,\n         \"end\": null,\n");
	}
	printf("         \"mode\": \"%s\"\n      }", h->mode);
}

/* Is namespace @ns listed in /proc/shadowipc/namespaces for the caller? */
static bool ns_visible(unsigned long long ns)
{
	unsigned long long id;
	char line[512];
	bool found = false;
	FILE *f;

	f = fopen(PROC_NAMESPACES, "r");
	if (!f)
		return false;
	while (!found && fgets(line, sizeof(line), f))
		found = sscanf(line, "%llu ", &id) == 1 && id == ns;
	fclose(f);
	return found;
}

/**
 * ipcs_holders() - shadowipc ipcs --holders
 * @have_ns: only namespace @ns, else every one the caller may see
 * @ns: the namespace
 * @json: JSON instead of a table
 *
 * Return: an exit code.
 */
int ipcs_holders(bool have_ns, unsigned long long ns, bool json)
{
	char line[2048];
	struct holder h;
	bool first = true;
	int ret = EXIT_OK;
	FILE *f;

	f = fopen(PROC_HOLDERS, "r");
	if (!f) {
		if (errno == ENOENT) {
			pr_err("the shadowipc module is not loaded (%s: %s); run '" PROG " load'",
			       PROC_HOLDERS, strerror(errno));
			return EXIT_NOT_LOADED;
		}
		pr_err("%s: %s", PROC_HOLDERS, strerror(errno));
		return errno == EACCES ? EXIT_PERM : EXIT_FAIL;
	}
	if (have_ns && !ns_visible(ns)) {
		pr_err("no shadow namespace %llu among those you may see", ns);
		fclose(f);
		return EXIT_NOENT;
	}
	if (json)
		printf("{\n   \"holders\": [");
	else
		printf("%-4s %6s %10s %-10s %7s %-16s %-25s %s\n", "KIND",
		       "NS", "ID", "KEY", "PID", "COMMAND", "RANGE", "MODE");
	/* the header line, then the holders */
	if (!fgets(line, sizeof(line), f))
		ret = EXIT_FAIL;
	while (ret == EXIT_OK && fgets(line, sizeof(line), f)) {
		if (!parse_holder(line, &h)) {
			pr_err("%s: unexpected line: %s", PROC_HOLDERS, line);
			ret = EXIT_FAIL;
			break;
		}
		if (have_ns && h.ns != ns)
			continue;
		if (json)
			print_json_row(&h, first);
		else
			print_table_row(&h);
		first = false;
	}
	if (json)
		printf("\n   ]\n}\n");
	fclose(f);
	return ret;
}
