// SPDX-License-Identifier: GPL-2.0
/*
 * shadowipc: load, unload and inspect the shadowipc kernel module, run
 * programs in shadow IPC namespaces, and look into them.
 *
 * The tool is a table of subcommands (see "cmds" below), each a function
 * in the file of its concern (see cli.h). Each one parses its own
 * arguments, answers --help, and returns one of the exit codes below.
 * Everything that talks to /dev/shadowipc goes through the dev_*()
 * helpers (dev.c); everything that talks to the module loader goes
 * through libkmod (module.c).
 *
 * Exit codes:
 *   0  success (status: the module is loaded)
 *   1  failure (the message says why)
 *   2  usage error
 *   3  the module is not loaded
 *   4  permission denied
 *   5  no such process or namespace
 *   unshare, nsenter: CMD's status once it runs; 126 CMD cannot be run,
 *   127 CMD not found
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/* ------------------------------------------------------------------ */
/* help and the command table                                         */
/* ------------------------------------------------------------------ */

static int cmd_help(const struct cmd *cmd, int argc, char **argv);

static const struct cmd cmds[] = {
	{
		.name = "load",
		.run = cmd_load,
		.summary = "insert the module and wait for " SHADOWIPC_DEVICE,
		.usage =
"Usage: " PROG " load [--module PATH] [PARAM=VALUE ...]\n"
"\n"
"Insert the shadowipc module with the given parameters, wait up to 2 s\n"
"for " SHADOWIPC_DEVICE " to appear and print its ABI version.\n"
"\n"
"The module file is PATH, else $" MODULE_ENV ", else the module\n"
"installed for the running kernel (modules.dep under /lib/modules).\n"
"Parameter names are checked against those the module file declares.\n"
"\n"
"Options:\n"
"  -m, --module PATH   the .ko file to insert\n"
"  -h, --help          show this help\n"
"\n"
"Exit status: 0 loaded and the device answers, 1 failure (already\n"
"loaded, no such file, wrong kernel, unknown parameter, ...), 2 usage.\n",
	},
	{
		.name = "unload",
		.run = cmd_unload,
		.summary = "remove the module",
		.usage =
"Usage: " PROG " unload\n"
"\n"
"Remove the shadowipc module. Never forced: it fails while device fds,\n"
"namespace handles, mappings or segments that have been attached (until\n"
"they are removed, or their namespace ends) keep the module in use.\n"
"\n"
"Options:\n"
"  -h, --help   show this help\n"
"\n"
"Exit status: 0 unloaded, 1 failure (in use, permission, ...),\n"
"2 usage, 3 not loaded.\n",
	},
	{
		.name = "status",
		.run = cmd_status,
		.summary = "show whether the module is loaded, and its counters",
		.usage =
"Usage: " PROG " status\n"
"\n"
"Show whether the shadowipc module is loaded, its reference count and\n"
"parameters, the device node, the ABI version and the module-wide\n"
"counters (namespaces, bindings, handles, segments, created).\n"
"\n"
"Options:\n"
"  -h, --help   show this help\n"
"\n"
"Exit status: 0 loaded, 1 loaded but the device is missing or does not\n"
"answer (or another failure), 2 usage, 3 not loaded.\n",
	},
	{
		.name = "unshare",
		.run = cmd_unshare,
		.summary = "run a program in a new shadow namespace",
		.usage =
"Usage: " PROG " unshare [options] [--] [CMD [ARG...]]\n"
"\n"
"Move into a new, empty shadow IPC namespace and run CMD there (default:\n"
"$SHELL, else /bin/sh), with the preload shim added to LD_PRELOAD so that\n"
"the System V IPC of CMD and of its children goes to that namespace.\n"
"CMD gets the namespace's id in $SHADOWIPC_NS. No privilege is needed.\n"
"\n"
"Options:\n"
"  -P, --preload PATH   the shim to preload (default: $" PRELOAD_ENV ",\n"
"                       else " PRELOAD_PATH ",\n"
"                       else " PRELOAD_NAME " next to this program)\n"
"  -n, --no-preload     leave LD_PRELOAD alone\n"
"  -h, --help           show this help\n"
"\n"
"Exit status: CMD's; else 1 failure, 2 usage, 3 module not loaded,\n"
"4 permission denied, 126 CMD cannot run, 127 CMD not found.\n",
	},
	{
		.name = "nsenter",
		.run = cmd_nsenter,
		.summary = "run a program in another process's shadow namespace",
		.usage =
"Usage: " PROG " nsenter -t PID [options] [--] [CMD [ARG...]]\n"
"       " PROG " nsenter --ns ID [options] [--] [CMD [ARG...]]\n"
"\n"
"Join the shadow IPC namespace of process PID (through a namespace\n"
"handle), or namespace ID, and run CMD there (default: $SHELL, else\n"
"/bin/sh) with the preload shim in LD_PRELOAD.\n"
"\n"
"A handle on PID's namespace needs the access /proc/PID/ns/ipc needs\n"
"(same user, or CAP_SYS_PTRACE); joining needs the namespace creator's\n"
"user or CAP_SYS_ADMIN.\n"
"\n"
"Options:\n"
"  -t, --target PID     the process whose namespace to join\n"
"      --ns ID          the namespace to join, by id (see 'lsns')\n"
"  -P, --preload PATH   the shim to preload (as for 'unshare')\n"
"  -n, --no-preload     leave LD_PRELOAD alone\n"
"  -h, --help           show this help\n"
"\n"
"Exit status: CMD's; else 1 failure, 2 usage, 3 module not loaded,\n"
"4 permission denied, 5 no such process or namespace, 126 CMD cannot\n"
"run, 127 CMD not found.\n",
	},
	{
		.name = "lsns",
		.run = cmd_lsns,
		.summary = "list shadow namespaces",
		.usage =
"Usage: " PROG " lsns [options]\n"
"\n"
"List the shadow IPC namespaces: every one when the module provides\n"
PROC_NAMESPACES ", else those the caller's processes can see.\n"
"\n"
"Columns: NS (id), TYPE, TASKS (member threads), PID (lowest pid of a\n"
"process in it, as far as the caller may see), USER (creator), HANDLES\n"
"(open namespace handles), SHM, MSG, SEM (objects), COMMAND (PID's).\n"
"\n"
"Options:\n"
"  -J, --json         JSON output (adds refs, uid, nprocs and bytes per kind)\n"
"  -n, --noheadings   no header line\n"
"  -r, --raw          columns separated by one blank, not aligned\n"
"  -p, --task PID     only the namespace of process PID\n"
"  -h, --help         show this help\n"
"\n"
"Exit status: 0, 1 failure, 2 usage, 3 module not loaded, 4 permission\n"
"denied, 5 no such process.\n",
	},
	{
		.name = "ipcs",
		.run = cmd_ipcs,
		.summary = "show System V IPC objects (as util-linux ipcs)",
		.usage =
"Usage: " PROG " ipcs [resource-option...] [output-option]\n"
"       " PROG " ipcs -m|-q|-s -i ID\n"
"       " PROG " ipcs --holders [--ns ID] [--json]\n"
"\n"
"Show the System V IPC objects of the caller's shadow namespace, with\n"
"util-linux ipcs's options and output.\n"
"\n"
"Options:\n"
"  -i, --id ID           details on the object ID\n"
"      --ns ID           show namespace ID instead of the caller's\n"
"      --all-namespaces  show every namespace, each after a header line\n"
"                        (for root: other users' namespaces need\n"
"                        CAP_SYS_PTRACE to find and CAP_SYS_ADMIN to enter)\n"
"      --holders         the processes attaching each segment, with their\n"
"                        address ranges, in every namespace you may see\n"
"                        (root: all; others: those they created), or\n"
"                        namespace ID with --ns\n"
"  -J, --json            with --holders: JSON output\n"
"  -h, --help            show this help\n"
"\n"
"Resource options:\n"
"  -m, --shmems          shared memory segments\n"
"  -q, --queues          message queues\n"
"  -s, --semaphores      semaphores\n"
"  -a, --all             all (default)\n"
"\n"
"Output options:\n"
"  -t, --time            attach, detach and change times\n"
"  -p, --pid             PIDs of creator and last operator\n"
"  -c, --creator         creator and owner\n"
"  -l, --limits          resource limits\n"
"  -u, --summary         status summary\n"
"      --human           sizes in human-readable format\n"
"  -b, --bytes           sizes in bytes\n"
"\n"
"Exit status: 0, 1 failure (no such id, ...), 2 usage, 3 module not\n"
"loaded, 4 permission denied, 5 no such namespace.\n",
	},
	{
		.name = "ipcmk",
		.run = cmd_ipcmk,
		.summary = "create System V IPC objects (as util-linux ipcmk)",
		.usage =
"Usage: " PROG " ipcmk [options]\n"
"\n"
"Create System V IPC objects in the caller's shadow namespace, with\n"
"util-linux ipcmk's options and output.\n"
"\n"
"Options:\n"
"  -M, --shmem SIZE       create a shared memory segment of SIZE bytes\n"
"                         (suffixes K, M, G, T, P, E, with optional iB;\n"
"                         KB, MB, ... are powers of 1000)\n"
"  -S, --semaphore N      create a semaphore array of N elements\n"
"  -Q, --queue            create a message queue\n"
"  -p, --mode MODE        permissions, octal (default 0644)\n"
"  -k, --key KEY          use KEY instead of a random key\n"
"  -h, --help             show this help\n"
"\n"
"Exit status: 0, 1 failure, 2 usage, 3 module not loaded, 4 permission\n"
"denied on " SHADOWIPC_DEVICE ".\n",
	},
	{
		.name = "ipcrm",
		.run = cmd_ipcrm,
		.summary = "remove System V IPC objects (as util-linux ipcrm)",
		.usage =
"Usage: " PROG " ipcrm [options]\n"
"       " PROG " ipcrm shm|msg|sem ID...\n"
"\n"
"Remove System V IPC objects from the caller's shadow namespace, with\n"
"util-linux ipcrm's options.\n"
"\n"
"Options:\n"
"  -m, --shmem-id ID          remove the shared memory segment ID\n"
"  -M, --shmem-key KEY        remove the shared memory segment with KEY\n"
"  -q, --queue-id ID          remove the message queue ID\n"
"  -Q, --queue-key KEY        remove the message queue with KEY\n"
"  -s, --semaphore-id ID      remove the semaphore array ID\n"
"  -S, --semaphore-key KEY    remove the semaphore array with KEY\n"
"  -a, --all[=shm|msg|sem]    remove all (of one kind)\n"
"  -v, --verbose              say what is being done\n"
"  -h, --help                 show this help\n"
"\n"
"Exit status: 0, 1 some removal failed, 2 usage, 3 module not loaded,\n"
"4 permission denied on " SHADOWIPC_DEVICE ".\n",
	},
	{
		.name = "limits",
		.run = cmd_limits,
		.summary = "show or set the namespace's System V limits",
		.usage =
"Usage: " PROG " limits [-n] [NAME[=VALUE]...]\n"
"\n"
"Show the caller's shadow namespace's limits, the per-namespace kernel.*\n"
"sysctls (all of them, or NAME), or set NAME to VALUE. Names: shmmax,\n"
"shmall, shmmni, shm_rmid_forced, shm_next_id, msgmax, msgmnb, msgmni,\n"
"msg_next_id, sem (four numbers: SEMMSL SEMMNS SEMOPM SEMMNI, separated\n"
"by blanks or commas), sem_next_id. Setting writes\n"
PROC_SYSCTL_DIR "/NAME, with that file's permission rules.\n"
"\n"
"Options:\n"
"  -n, --values   print values only\n"
"  -h, --help     show this help\n"
"\n"
"Exit status: 0, 1 failure, 2 usage, 3 module not loaded, 4 permission\n"
"denied.\n",
	},
	{
		.name = "mq",
		.run = cmd_mq,
		.summary = "list the namespace's POSIX message queues",
		.usage =
"Usage: " PROG " mq [--ns ID]\n"
"\n"
"List the POSIX message queues of the caller's shadow namespace (or of\n"
"namespace ID), one line per name: permissions, owner, group, mq_maxmsg,\n"
"mq_msgsize, messages and bytes queued, and the pid registered with\n"
"mq_notify() (0 for none). Read from " PROC_SHADOW "/mqueue.\n"
"\n"
"Options:\n"
"      --ns ID    the queues of shadow namespace ID\n"
"  -h, --help     show this help\n"
"\n"
"Exit status: 0, 1 failure, 2 usage, 3 module not loaded, 4 permission\n"
"denied, 5 no such namespace.\n",
	},
	{
		.name = "wait",
		.run = cmd_wait,
		.summary = "wait until a namespace has no member task left",
		.usage =
"Usage: " PROG " wait --ns ID [--timeout MS]\n"
"\n"
"Wait until shadow namespace ID has no member task left (only handles,\n"
"attaches or objects keep it; a container's root: until nothing uses its\n"
"real IPC namespace), by polling a handle on it for POLLIN.\n"
"\n"
"Options:\n"
"      --ns ID        the namespace\n"
"      --timeout MS   give up after MS milliseconds (exit 1)\n"
"  -h, --help         show this help\n"
"\n"
"Exit status: 0, 1 failure or timeout, 2 usage, 3 module not loaded,\n"
"4 permission denied, 5 no such namespace.\n",
	},
	{
		.name = "drain",
		.run = cmd_drain,
		.summary = "remove every object of a namespace no task is in",
		.usage =
"Usage: " PROG " drain --ns ID\n"
"\n"
"Remove every object of shadow namespace ID, which must have no member\n"
"task left, as its teardown would: segments (an attached one goes at its\n"
"last detach), message queues, semaphore sets, POSIX queue names. Prints\n"
"what went, per kind: \"KIND REMOVED BYTES\". Allowed to the namespace's\n"
"creator and to CAP_SYS_ADMIN over the creator's user namespace.\n"
"\n"
"Options:\n"
"      --ns ID    the namespace\n"
"  -h, --help     show this help\n"
"\n"
"Exit status: 0, 1 failure (the namespace still has member tasks), 2\n"
"usage, 3 module not loaded, 4 permission denied, 5 no such namespace.\n",
	},
	{
		.name = "help",
		.run = cmd_help,
		.summary = "show help for a command",
		.usage =
"Usage: " PROG " help [COMMAND]\n"
"\n"
"Show the tool's help, or COMMAND's.\n",
	},
};

static void main_usage(FILE *out)
{
	size_t i;

	fputs("Usage: " PROG " [OPTIONS] COMMAND [ARGS...]\n"
	      "\n"
	      "Load, unload and inspect the shadowipc kernel module; run programs in\n"
	      "shadow System V IPC namespaces and look into them.\n"
	      "\n"
	      "Commands:\n", out);
	for (i = 0; i < ARRAY_SIZE(cmds); i++)
		fprintf(out, "  %-8s  %s\n", cmds[i].name, cmds[i].summary);
	fputs("\n"
	      "Options:\n"
	      "  -h, --help      show this help\n"
	      "  -V, --version   show the ABI version this tool speaks\n"
	      "  -v, --verbose   show libkmod's own diagnostics\n"
	      "\n"
	      "Run '" PROG " COMMAND --help' for a command's options.\n"
	      "Exit status: 0 success, 1 failure, 2 usage error, 3 not loaded,\n"
	      "4 permission denied, 5 no such process or namespace.\n",
	      out);
}

static const struct cmd *find_cmd(const char *name)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cmds); i++)
		if (strcmp(cmds[i].name, name) == 0)
			return &cmds[i];
	return NULL;
}

static int cmd_help(const struct cmd *cmd, int argc, char **argv)
{
	const struct cmd *which;

	if (argc >= 2 && (!strcmp(argv[1], "-h") || !strcmp(argv[1], "--help"))) {
		print_usage(cmd, stdout);
		return EXIT_OK;
	}
	if (argc > 2)
		return usage_error(cmd, "unexpected argument '%s'", argv[2]);
	if (argc < 2) {
		main_usage(stdout);
		return EXIT_OK;
	}
	which = find_cmd(argv[1]);
	if (!which) {
		pr_err("unknown command '%s'", argv[1]);
		return EXIT_USAGE;
	}
	print_usage(which, stdout);
	return EXIT_OK;
}

/* Flush stdout, turning a write error (full disk, closed pipe) into 1. */
static int finish(int ret)
{
	if (fflush(stdout) == EOF || ferror(stdout)) {
		pr_err("write error on standard output: %s", strerror(errno));
		if (ret == EXIT_OK)
			ret = EXIT_FAIL;
	}
	return ret;
}

int main(int argc, char **argv)
{
	const struct cmd *cmd;
	int i;

	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		const char *a = argv[i];

		if (!strcmp(a, "-h") || !strcmp(a, "--help")) {
			main_usage(stdout);
			return finish(EXIT_OK);
		}
		if (!strcmp(a, "-V") || !strcmp(a, "--version")) {
			printf(PROG " ABI version %d\n", SHADOWIPC_ABI_VERSION);
			return finish(EXIT_OK);
		}
		if (!strcmp(a, "-v") || !strcmp(a, "--verbose")) {
			verbose = true;
			continue;
		}
		if (!strcmp(a, "--")) {
			i++;
			break;
		}
		pr_err("unknown option '%s'", a);
		fputs("Try '" PROG " --help'.\n", stderr);
		return EXIT_USAGE;
	}
	if (i >= argc) {
		main_usage(stderr);
		return EXIT_USAGE;
	}

	cmd = find_cmd(argv[i]);
	if (!cmd) {
		pr_err("unknown command '%s'", argv[i]);
		fputs("Try '" PROG " --help'.\n", stderr);
		return EXIT_USAGE;
	}
	return finish(cmd->run(cmd, argc - i, argv + i));
}
