// SPDX-License-Identifier: GPL-2.0
/*
 * shadowipc: messages, option parsing and small utilities shared by the
 * commands.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <grp.h>
#include <limits.h>
#include <pwd.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/utsname.h>

#include "cli.h"

bool verbose;

/* ------------------------------------------------------------------ */
/* Messages                                                           */
/* ------------------------------------------------------------------ */

static void vpr(const char *prefix, const char *fmt, va_list ap)
{
	fflush(stdout);		/* keep the order when both go to one file */
	fputs(prefix, stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
}

void __printf(1, 2) pr_err(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vpr(PROG ": ", fmt, ap);
	va_end(ap);
}

void __printf(1, 2) pr_warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vpr(PROG ": warning: ", fmt, ap);
	va_end(ap);
}

void print_usage(const struct cmd *cmd, FILE *out)
{
	fputs(cmd->usage, out);
}

int __printf(2, 3) usage_error(const struct cmd *cmd, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, PROG " %s: ", cmd->name);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry '" PROG " %s --help'.\n", cmd->name);
	return EXIT_USAGE;
}

/*
 * Report an option getopt_long() rejected; opterr is 0, so getopt itself
 * printed nothing. The optstring starts with ':' so that a missing
 * argument is told apart from an unknown option.
 */
int bad_option(const struct cmd *cmd, int c, char **argv)
{
	const char *arg = argv[optind - 1];

	if (c == ':')
		return usage_error(cmd, "option '%s' needs an argument", arg);
	if (optopt && strncmp(arg, "--", 2) != 0)
		return usage_error(cmd, "unknown option '-%c'", optopt);
	return usage_error(cmd, "unknown option '%s'", arg);
}

/*
 * The default case of a command's getopt loop: -h (--help) prints the
 * usage and is EXIT_OK, anything else is a bad_option().
 */
int help_or_bad_option(const struct cmd *cmd, int c, char **argv)
{
	if (c == 'h') {
		print_usage(cmd, stdout);
		return EXIT_OK;
	}
	return bad_option(cmd, c, argv);
}

/*
 * For subcommands without options or operands: accept only -h/--help.
 * Returns -1 to go on, else the exit code to return.
 */
int parse_no_args(const struct cmd *cmd, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ }
	};
	int c;

	optind = 1;
	opterr = 0;
	c = getopt_long(argc, argv, ":h", opts, NULL);
	if (c != -1)
		return help_or_bad_option(cmd, c, argv);
	if (optind < argc)
		return usage_error(cmd, "unexpected argument '%s'", argv[optind]);
	return -1;
}

/* ------------------------------------------------------------------ */
/* Small utilities                                                    */
/* ------------------------------------------------------------------ */

const char *kernel_release(struct utsname *uts)
{
	if (uname(uts) < 0)
		return "(unknown)";
	return uts->release;
}

void sleep_ms(unsigned int ms)
{
	struct timespec ts = {
		.tv_sec = ms / 1000,
		.tv_nsec = (long)(ms % 1000) * 1000000L,
	};

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/*
 * Read a small sysfs attribute into buf, without the trailing newline.
 * Returns 0 or a negative errno.
 */
int read_attr(const char *path, char *buf, size_t size)
{
	ssize_t n;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	do {
		n = read(fd, buf, size - 1);
	} while (n < 0 && errno == EINTR);
	if (n < 0) {
		int err = -errno;

		close(fd);
		return err;
	}
	close(fd);
	buf[n] = '\0';
	while (n > 0 && buf[n - 1] == '\n')
		buf[--n] = '\0';
	return 0;
}

/* "crw-rw-rw-", as ls(1) prints it; buf must hold 11 bytes. */
void format_mode(mode_t mode, char *buf)
{
	static const char rwx[] = "rwxrwxrwx";
	int i;

	if (S_ISCHR(mode))
		buf[0] = 'c';
	else if (S_ISBLK(mode))
		buf[0] = 'b';
	else if (S_ISDIR(mode))
		buf[0] = 'd';
	else if (S_ISREG(mode))
		buf[0] = '-';
	else
		buf[0] = '?';
	for (i = 0; i < 9; i++)
		buf[1 + i] = (mode & (0400 >> i)) ? rwx[i] : '-';
	if (mode & S_ISUID)
		buf[3] = (mode & 0100) ? 's' : 'S';
	if (mode & S_ISGID)
		buf[6] = (mode & 0010) ? 's' : 'S';
	if (mode & S_ISVTX)
		buf[9] = (mode & 0001) ? 't' : 'T';
	buf[10] = '\0';
}


/* Write a small attribute (sysfs, procfs) in one write(). 0 or -errno. */
int write_attr(const char *path, const char *val)
{
	size_t len = strlen(val);
	ssize_t n;
	int fd, err = 0;

	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	do {
		n = write(fd, val, len);
	} while (n < 0 && errno == EINTR);
	if (n < 0)
		err = -errno;
	else if ((size_t)n != len)
		err = -EIO;
	if (close(fd) < 0 && !err)
		err = -errno;
	return err;
}

int parse_ll(const char *s, long long min, long long max, long long *out)
{
	char *end;
	long long v;

	if (!s || !*s || isspace((unsigned char)*s))
		return -EINVAL;
	errno = 0;
	v = strtoll(s, &end, 0);
	if (errno == ERANGE || (!errno && *end == '\0' && (v < min || v > max)))
		return -ERANGE;
	if (errno || *end != '\0')
		return -EINVAL;
	*out = v;
	return 0;
}

int parse_ull(const char *s, unsigned long long *out)
{
	char *end;
	unsigned long long v;

	if (!s || !*s || isspace((unsigned char)*s) || *s == '-' || *s == '+')
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, 0);
	if (errno == ERANGE)
		return -ERANGE;
	if (errno || *end != '\0')
		return -EINVAL;
	*out = v;
	return 0;
}

/* @name, or @id when there is none, into buf (32 bytes); returns buf. */
static const char *id_name(const char *name, unsigned int id, char *buf)
{
	if (name)
		snprintf(buf, 32, "%s", name);
	else
		snprintf(buf, 32, "%u", id);
	return buf;
}

const char *user_name(uid_t uid, char *buf)
{
	struct passwd *pw = getpwuid(uid);

	return id_name(pw ? pw->pw_name : NULL, (unsigned int)uid, buf);
}

const char *group_name(gid_t gid, char *buf)
{
	struct group *gr = getgrgid(gid);

	return id_name(gr ? gr->gr_name : NULL, (unsigned int)gid, buf);
}

void task_comm(pid_t pid, char *buf, size_t size)
{
	char path[64];

	snprintf(path, sizeof(path), "/proc/%d/comm", (int)pid);
	if (read_attr(path, buf, size) < 0)
		buf[0] = '\0';
}

void json_string(const char *s)
{
	putchar('"');
	for (; *s; s++) {
		unsigned char ch = (unsigned char)*s;

		if (ch == '"' || ch == '\\')
			printf("\\%c", ch);
		else if (ch < 0x20)
			printf("\\u%04x", ch);
		else
			putchar(ch);
	}
	putchar('"');
}
