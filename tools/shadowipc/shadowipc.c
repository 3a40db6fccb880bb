// SPDX-License-Identifier: GPL-2.0
/*
 * shadowipc: load, unload and inspect the shadowipc kernel module.
 *
 * The tool is a table of subcommands (see "cmds" at the bottom). Each one
 * parses its own arguments, answers --help, and returns one of the exit
 * codes below. Everything that talks to /dev/shadowipc goes through the
 * dev_*() helpers; everything that talks to the module loader goes through
 * libkmod.
 *
 * Exit codes:
 *   0  success (status: the module is loaded)
 *   1  failure (the message says why)
 *   2  usage error
 *   3  the module is not loaded (status, unload)
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/utsname.h>

#include <libkmod.h>
#include <linux/shadowipc.h>

#define PROG			"shadowipc"
#define MODULE_NAME		"shadowipc"
#define MODULE_ENV		"SHADOWIPC_MODULE"
#define SYSFS_MODULE		"/sys/module/" MODULE_NAME
#define SYSFS_PARAMS		SYSFS_MODULE "/parameters"

/* How long "load" waits for devtmpfs to create the device node. */
#define DEV_WAIT_MS		2000
#define DEV_POLL_MS		20

#define ARRAY_SIZE(a)		(sizeof(a) / sizeof((a)[0]))
#define __printf(a, b)		__attribute__((format(printf, a, b)))

enum {
	EXIT_OK		= 0,
	EXIT_FAIL	= 1,
	EXIT_USAGE	= 2,
	EXIT_NOT_LOADED	= 3,
};

struct cmd {
	const char *name;
	int (*run)(const struct cmd *cmd, int argc, char **argv);
	const char *summary;
	const char *usage;	/* full --help text */
};

static bool verbose;

/* ------------------------------------------------------------------ */
/* Messages                                                           */
/* ------------------------------------------------------------------ */

static void __printf(1, 2) pr_err(const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);		/* keep the order when both go to one file */
	fputs(PROG ": ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static void __printf(1, 2) pr_warn(const char *fmt, ...)
{
	va_list ap;

	fflush(stdout);
	fputs(PROG ": warning: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

static void print_usage(const struct cmd *cmd, FILE *out)
{
	fputs(cmd->usage, out);
}

static int __printf(2, 3) usage_error(const struct cmd *cmd, const char *fmt, ...)
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
static int bad_option(const struct cmd *cmd, int c, char **argv)
{
	const char *arg = argv[optind - 1];

	if (c == ':')
		return usage_error(cmd, "option '%s' needs an argument", arg);
	if (optopt && strncmp(arg, "--", 2) != 0)
		return usage_error(cmd, "unknown option '-%c'", optopt);
	return usage_error(cmd, "unknown option '%s'", arg);
}

/*
 * For subcommands without options or operands: accept only -h/--help.
 * Returns -1 to go on, else the exit code to return.
 */
static int parse_no_args(const struct cmd *cmd, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ }
	};
	int c;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":h", opts, NULL)) != -1) {
		switch (c) {
		case 'h':
			print_usage(cmd, stdout);
			return EXIT_OK;
		default:
			return bad_option(cmd, c, argv);
		}
	}
	if (optind < argc)
		return usage_error(cmd, "unexpected argument '%s'", argv[optind]);
	return -1;
}

/* ------------------------------------------------------------------ */
/* Small utilities                                                    */
/* ------------------------------------------------------------------ */

static const char *kernel_release(struct utsname *uts)
{
	if (uname(uts) < 0)
		return "(unknown)";
	return uts->release;
}

static void sleep_ms(unsigned int ms)
{
	struct timespec ts = {
		.tv_sec = ms / 1000,
		.tv_nsec = (long)(ms % 1000) * 1000000L,
	};

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/*
 * Read a small sysfs attribute into buf, without the trailing newline.
 * Returns 0 or a negative errno.
 */
static int read_attr(const char *path, char *buf, size_t size)
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
static void format_mode(mode_t mode, char *buf)
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

/* ------------------------------------------------------------------ */
/* /dev/shadowipc                                                     */
/* ------------------------------------------------------------------ */

/*
 * Open the device. Read-write first, since most commands need it; the
 * informational ioctls work on a read-only fd too, so fall back to that
 * when the node's mode only allows reading. Returns an fd or a negative
 * errno.
 */
static int dev_open(void)
{
	int fd;

	fd = open(SHADOWIPC_DEVICE, O_RDWR | O_CLOEXEC);
	if (fd < 0 && (errno == EACCES || errno == EPERM))
		fd = open(SHADOWIPC_DEVICE, O_RDONLY | O_CLOEXEC);
	return fd < 0 ? -errno : fd;
}

/* ioctl() on an open device fd; returns its result or a negative errno. */
static int dev_ioctl_fd(int fd, unsigned long req, void *arg)
{
	int ret;

	do {
		ret = ioctl(fd, req, arg);
	} while (ret < 0 && errno == EINTR);
	return ret < 0 ? -errno : ret;
}

/* One ioctl on a freshly opened device; returns its result or -errno. */
static int dev_ioctl(unsigned long req, void *arg)
{
	int fd, ret;

	fd = dev_open();
	if (fd < 0)
		return fd;
	ret = dev_ioctl_fd(fd, req, arg);
	close(fd);
	return ret;
}

static int dev_get_version(__u32 *abi_version)
{
	struct shadowipc_version v = { 0 };
	int ret;

	ret = dev_ioctl(SHADOWIPC_IOC_VERSION, &v);
	if (ret < 0)
		return ret;
	*abi_version = v.abi_version;
	return 0;
}

static int dev_get_status(struct shadowipc_status *st)
{
	memset(st, 0, sizeof(*st));
	return dev_ioctl(SHADOWIPC_IOC_STATUS, st);
}

/*
 * Wait for devtmpfs to create the device node. Returns 0 once it is a
 * character device, -ETIMEDOUT, or -ENOTTY when something else is there.
 */
static int dev_wait(unsigned int timeout_ms)
{
	long long deadline = now_ms() + timeout_ms;
	struct stat st;

	for (;;) {
		if (stat(SHADOWIPC_DEVICE, &st) == 0)
			return S_ISCHR(st.st_mode) ? 0 : -ENOTTY;
		if (now_ms() >= deadline)
			return -ETIMEDOUT;
		sleep_ms(DEV_POLL_MS);
	}
}

static void warn_abi_mismatch(__u32 abi)
{
	if (abi != SHADOWIPC_ABI_VERSION)
		pr_warn("the module speaks ABI version %u, this tool ABI version %u",
			abi, SHADOWIPC_ABI_VERSION);
}

/* ------------------------------------------------------------------ */
/* libkmod                                                            */
/* ------------------------------------------------------------------ */

static void kmod_log(void *data, int priority, const char *file, int line,
		     const char *fn, const char *format, va_list args)
{
	(void)data;
	(void)priority;
	(void)file;
	(void)line;
	(void)fn;

	if (!verbose)
		return;
	fputs(PROG ": libkmod: ", stderr);
	vfprintf(stderr, format, args);
}

/*
 * A libkmod context for the running kernel. libkmod's own error messages
 * are hidden unless --verbose, since every failure is reported here in
 * the tool's own words.
 */
static struct kmod_ctx *kmod_open(void)
{
	struct kmod_ctx *ctx;

	errno = 0;
	ctx = kmod_new(NULL, NULL);
	if (!ctx) {
		pr_err("cannot create a libkmod context: %s",
		       errno ? strerror(errno) : "unknown error");
		return NULL;
	}
	kmod_set_log_fn(ctx, kmod_log, NULL);
	kmod_set_log_priority(ctx, verbose ? LOG_INFO : LOG_ERR);
	return ctx;
}

/*
 * The module's state: KMOD_MODULE_* or a negative errno, -ENOENT when it
 * is not loaded. *modp gets a reference the caller drops.
 */
static int module_state(struct kmod_ctx *ctx, struct kmod_module **modp)
{
	int err;

	*modp = NULL;
	err = kmod_module_new_from_name(ctx, MODULE_NAME, modp);
	if (err < 0) {
		pr_err("libkmod cannot look up module %s: %s", MODULE_NAME,
		       strerror(-err));
		return err;
	}
	return kmod_module_get_initstate(*modp);
}

/* Value of the first modinfo entry called key; a malloc'ed string or NULL. */
static char *modinfo_value(struct kmod_module *mod, const char *key)
{
	struct kmod_list *info = NULL, *l;
	char *val = NULL;

	if (kmod_module_get_info(mod, &info) < 0)
		return NULL;
	kmod_list_foreach(l, info) {
		if (strcmp(kmod_module_info_get_key(l), key) == 0) {
			val = strdup(kmod_module_info_get_value(l));
			break;
		}
	}
	kmod_module_info_free_list(info);
	return val;
}

/* ------------------------------------------------------------------ */
/* load                                                               */
/* ------------------------------------------------------------------ */

static bool param_name_char(int c)
{
	return isalnum(c) || c == '_' || c == '-';
}

/* Length of the PARAM part of "PARAM=VALUE" (or of a bare "PARAM"). */
static size_t param_name_len(const char *arg)
{
	return strcspn(arg, "=");
}

/* The kernel's parameter parser treats '-' and '_' in names as equal. */
static bool param_name_eq(const char *a, size_t alen, const char *b, size_t blen)
{
	size_t i;

	if (alen != blen)
		return false;
	for (i = 0; i < alen; i++) {
		char ca = a[i] == '-' ? '_' : a[i];
		char cb = b[i] == '-' ? '_' : b[i];

		if (ca != cb)
			return false;
	}
	return true;
}

/*
 * Check each PARAM[=VALUE] operand and join them into the single string
 * init_module() takes, quoting values with blanks. Returns a malloc'ed
 * string (possibly empty) or NULL after reporting the problem.
 */
static char *build_options(const struct cmd *cmd, int nparams, char **params,
			   int *exit_code)
{
	size_t size = 1, len = 0;
	char *opts;
	int i;

	for (i = 0; i < nparams; i++) {
		const char *p = params[i];
		size_t nlen = param_name_len(p), j;

		*exit_code = EXIT_USAGE;
		if (nlen == 0) {
			usage_error(cmd, "invalid parameter '%s': expected PARAM=VALUE", p);
			return NULL;
		}
		for (j = 0; j < nlen; j++) {
			if (!param_name_char((unsigned char)p[j])) {
				usage_error(cmd, "invalid parameter name in '%s'", p);
				return NULL;
			}
		}
		if (strchr(p, '"')) {
			usage_error(cmd, "parameter '%s': values cannot contain '\"'", p);
			return NULL;
		}
		size += strlen(p) + 3;	/* separator and two quotes */
	}

	opts = malloc(size);
	if (!opts) {
		pr_err("out of memory");
		*exit_code = EXIT_FAIL;
		return NULL;
	}
	opts[0] = '\0';
	for (i = 0; i < nparams; i++) {
		const char *p = params[i];
		size_t nlen = param_name_len(p);
		const char *val = p[nlen] ? p + nlen + 1 : NULL;
		bool quote = false;
		const char *s;

		for (s = val; s && *s; s++)
			if (isspace((unsigned char)*s))
				quote = true;
		if (len)
			opts[len++] = ' ';
		if (quote)
			len += sprintf(opts + len, "%.*s=\"%s\"", (int)nlen, p, val);
		else
			len += sprintf(opts + len, "%s", p);
	}
	return opts;
}

static void report_unknown_param(struct kmod_list *info, const char *p,
				 size_t nlen)
{
	const char *sep = " (known: ";
	struct kmod_list *l;

	fflush(stdout);
	fprintf(stderr, PROG ": unknown module parameter '%.*s'", (int)nlen, p);
	kmod_list_foreach(l, info) {
		const char *val = kmod_module_info_get_value(l);

		if (strcmp(kmod_module_info_get_key(l), "parmtype"))
			continue;
		fprintf(stderr, "%s%.*s", sep, (int)strcspn(val, ":"), val);
		sep = ", ";
	}
	fputs(sep[0] == ',' ? ")\n" : " (the module has no parameters)\n", stderr);
}

/*
 * Since Linux 3.17 the kernel ignores unknown module parameters (it only
 * logs them), so check the names against the parameters the module file
 * declares (its "parm"/"parmtype" modinfo entries). Returns 0 when they
 * are all known or the module's modinfo cannot be read, else -ENOENT
 * after reporting the first unknown one.
 */
static int check_param_names(struct kmod_module *mod, int nparams, char **params)
{
	struct kmod_list *info = NULL, *l;
	int i, ret = 0;

	if (nparams == 0)
		return 0;
	if (kmod_module_get_info(mod, &info) < 0) {
		if (verbose)
			pr_warn("cannot read the module's modinfo; parameter names not checked");
		return 0;
	}

	for (i = 0; i < nparams && ret == 0; i++) {
		const char *p = params[i];
		size_t nlen = param_name_len(p);
		bool found = false;

		/* handled by the kernel itself for every module */
		if (param_name_eq(p, nlen, "dyndbg", 6) ||
		    param_name_eq(p, nlen, "async_probe", 11))
			continue;

		kmod_list_foreach(l, info) {
			const char *key = kmod_module_info_get_key(l);
			const char *val = kmod_module_info_get_value(l);

			if (strcmp(key, "parmtype") && strcmp(key, "parm"))
				continue;
			if (param_name_eq(p, nlen, val, strcspn(val, ":"))) {
				found = true;
				break;
			}
		}
		if (found)
			continue;

		ret = -ENOENT;
		report_unknown_param(info, p, nlen);
	}
	kmod_module_info_free_list(info);
	return ret;
}

/*
 * Find the module to insert: --module PATH, else $SHADOWIPC_MODULE, else
 * the module installed for the running kernel (modules.dep). On success
 * *modp holds a reference and *pathp points into it.
 */
static int resolve_module(struct kmod_ctx *ctx, const char *path,
			  struct kmod_module **modp, const char **pathp)
{
	const char *origin = "--module";
	struct stat st;
	int err;

	*modp = NULL;
	if (!path) {
		path = getenv(MODULE_ENV);
		origin = "$" MODULE_ENV;
		if (path && !*path)
			path = NULL;
	}

	if (!path) {
		/* the module installed for the running kernel */
		err = kmod_module_new_from_name(ctx, MODULE_NAME, modp);
		if (err < 0) {
			pr_err("libkmod cannot look up module %s: %s",
			       MODULE_NAME, strerror(-err));
			return err;
		}
		if (kmod_module_get_initstate(*modp) == KMOD_MODULE_BUILTIN) {
			pr_err("module %s is built into the kernel; nothing to load",
			       MODULE_NAME);
			return -EEXIST;
		}
		path = kmod_module_get_path(*modp);
		if (!path) {
			pr_err("no module %s installed in %s (not in modules.dep); use --module PATH or set %s",
			       MODULE_NAME, kmod_get_dirname(ctx), MODULE_ENV);
			return -ENOENT;
		}
		if (stat(path, &st) < 0) {
			err = -errno;
			pr_err("%s (from modules.dep): %s", path, strerror(-err));
			return err;
		}
		*pathp = path;
		return 0;
	}

	if (stat(path, &st) < 0) {
		err = -errno;
		pr_err("%s (from %s): %s", path, origin, strerror(-err));
		return err;
	}
	if (!S_ISREG(st.st_mode)) {
		pr_err("%s (from %s): not a regular file", path, origin);
		return -EINVAL;
	}
	err = kmod_module_new_from_path(ctx, path, modp);
	if (err < 0) {
		pr_err("%s (from %s): %s", path, origin, strerror(-err));
		return err;
	}
	*pathp = kmod_module_get_path(*modp);
	if (!*pathp)
		*pathp = path;
	return 0;
}

/* Explain why kmod_module_insert_module() failed with errno err. */
static void report_insert_error(struct kmod_module *mod, const char *path,
				int err, bool have_params)
{
	struct kmod_list *info = NULL;
	struct utsname uts;
	char *vermagic;
	size_t n;

	if (err == EINVAL || err == ENOEXEC) {
		/* libkmod or the kernel could not even parse the file? */
		if (kmod_module_get_info(mod, &info) < 0) {
			pr_err("cannot load %s: not a kernel module (no readable .modinfo)",
			       path);
			return;
		}
		kmod_module_info_free_list(info);
	}

	switch (err) {
	case EEXIST:
		pr_err("module already loaded");
		break;
	case ENOEXEC:
		vermagic = modinfo_value(mod, "vermagic");
		for (n = vermagic ? strlen(vermagic) : 0;
		     n > 0 && isspace((unsigned char)vermagic[n - 1]); n--)
			vermagic[n - 1] = '\0';
		pr_err("cannot load %s: module was built for a different kernel (vermagic mismatch?)",
		       path);
		fprintf(stderr, "  module vermagic: %s\n",
			vermagic ? vermagic : "(none: not a kernel module?)");
		fprintf(stderr, "  running kernel:  %s\n", kernel_release(&uts));
		free(vermagic);
		break;
	case ENOENT:
		if (access(path, F_OK) < 0)
			pr_err("%s: %s", path, strerror(ENOENT));
		else
			pr_err("cannot load %s: the kernel reported an unknown symbol or unknown module parameter (see dmesg)",
			       path);
		break;
	case EINVAL:
		pr_err("cannot load %s: %s (see dmesg)", path,
		       have_params ? "invalid module or parameter value" :
		       "invalid module");
		break;
	case EPERM:
		pr_err("cannot load %s: operation not permitted (needs CAP_SYS_MODULE; module loading may be disabled or the kernel locked down)",
		       path);
		break;
	case EACCES:
		pr_err("cannot load %s: permission denied", path);
		break;
	case EKEYREJECTED:
		pr_err("cannot load %s: module signature rejected (the kernel requires signed modules)",
		       path);
		break;
	case ENOSYS:
		pr_err("cannot load %s: the running kernel has no loadable module support",
		       path);
		break;
	case EBUSY:
		pr_err("cannot load %s: the module is being loaded or removed concurrently",
		       path);
		break;
	default:
		pr_err("cannot load %s: %s (see dmesg)", path, strerror(err));
		break;
	}
}

static int cmd_load(const struct cmd *cmd, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "module", required_argument, NULL, 'm' },
		{ "help", no_argument, NULL, 'h' },
		{ }
	};
	const char *module_arg = NULL, *path = NULL;
	struct kmod_module *mod = NULL;
	struct kmod_ctx *ctx = NULL;
	char *options = NULL;
	int c, err, ret = EXIT_FAIL;
	__u32 abi;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":m:h", opts, NULL)) != -1) {
		switch (c) {
		case 'm':
			module_arg = optarg;
			break;
		case 'h':
			print_usage(cmd, stdout);
			return EXIT_OK;
		default:
			return bad_option(cmd, c, argv);
		}
	}
	if (module_arg && !*module_arg)
		return usage_error(cmd, "--module needs a non-empty path");

	options = build_options(cmd, argc - optind, argv + optind, &ret);
	if (!options)
		return ret;
	ret = EXIT_FAIL;

	ctx = kmod_open();
	if (!ctx)
		goto out;

	if (access(SYSFS_MODULE "/initstate", F_OK) == 0) {
		pr_err("module already loaded");
		goto out;
	}
	if (resolve_module(ctx, module_arg, &mod, &path) < 0)
		goto out;
	if (check_param_names(mod, argc - optind, argv + optind) < 0)
		goto out;

	err = kmod_module_insert_module(mod, 0, options);
	if (err < 0) {
		report_insert_error(mod, path, -err, argc > optind);
		goto out;
	}
	if (*options)
		printf(PROG ": loaded %s (%s)\n", path, options);
	else
		printf(PROG ": loaded %s\n", path);
	fflush(stdout);

	err = dev_wait(DEV_WAIT_MS);
	if (err == -ETIMEDOUT) {
		pr_err("module loaded, but %s did not appear within %d ms (is devtmpfs mounted on /dev?)",
		       SHADOWIPC_DEVICE, DEV_WAIT_MS);
		goto out;
	} else if (err < 0) {
		pr_err("module loaded, but %s is not a character device",
		       SHADOWIPC_DEVICE);
		goto out;
	}
	err = dev_get_version(&abi);
	if (err < 0) {
		pr_err("module loaded, but SHADOWIPC_IOC_VERSION on %s failed: %s",
		       SHADOWIPC_DEVICE, strerror(-err));
		goto out;
	}
	printf(PROG ": device %s ready, ABI version %u\n", SHADOWIPC_DEVICE, abi);
	warn_abi_mismatch(abi);
	ret = EXIT_OK;
out:
	kmod_module_unref(mod);
	kmod_unref(ctx);
	free(options);
	return ret;
}

/* ------------------------------------------------------------------ */
/* unload                                                             */
/* ------------------------------------------------------------------ */

static void report_in_use(struct kmod_module *mod)
{
	int refcnt = kmod_module_get_refcnt(mod);

	pr_err("module in use (open device fds, namespace handles or mappings)");
	if (refcnt >= 0)
		pr_err("module reference count: %d", refcnt);
}

static int cmd_unload(const struct cmd *cmd, int argc, char **argv)
{
	struct kmod_module *mod = NULL;
	struct kmod_ctx *ctx;
	int ret, state, err;

	ret = parse_no_args(cmd, argc, argv);
	if (ret >= 0)
		return ret;

	ret = EXIT_FAIL;
	ctx = kmod_open();
	if (!ctx)
		return EXIT_FAIL;

	state = module_state(ctx, &mod);
	if (state == -ENOENT) {
		pr_err("module not loaded");
		ret = EXIT_NOT_LOADED;
		goto out;
	} else if (state < 0) {
		if (mod)
			pr_err("cannot read the module's state: %s", strerror(-state));
		goto out;
	} else if (state == KMOD_MODULE_BUILTIN) {
		pr_err("module is built into the kernel and cannot be unloaded");
		goto out;
	}

	/* Flags 0: never forced; libkmod always adds O_NONBLOCK. */
	err = kmod_module_remove_module(mod, 0);
	switch (-err) {
	case 0:
		printf(PROG ": module unloaded\n");
		ret = EXIT_OK;
		break;
	case ENOENT:
		pr_err("module not loaded");
		ret = EXIT_NOT_LOADED;
		break;
	case EWOULDBLOCK:	/* references held: try_stop_module() */
		report_in_use(mod);
		break;
	case EBUSY:		/* not live yet/any more, or no exit function */
		state = kmod_module_get_initstate(mod);
		if (state == KMOD_MODULE_COMING || state == KMOD_MODULE_GOING)
			pr_err("module is still being loaded or already being removed (%s)",
			       kmod_module_initstate_str(state));
		else
			report_in_use(mod);
		break;
	case EPERM:
		pr_err("cannot unload: operation not permitted (needs CAP_SYS_MODULE)");
		break;
	case ENOSYS:
		pr_err("cannot unload: the running kernel has no module unloading support");
		break;
	default:
		pr_err("cannot unload: %s", strerror(-err));
		break;
	}
out:
	kmod_module_unref(mod);
	kmod_unref(ctx);
	return ret;
}

/* ------------------------------------------------------------------ */
/* status                                                             */
/* ------------------------------------------------------------------ */

static int param_filter(const struct dirent *d)
{
	return d->d_name[0] != '.';
}

static void status_params(void)
{
	struct dirent **names;
	char path[PATH_MAX], val[4096];
	int n, i, err;

	n = scandir(SYSFS_PARAMS, &names, param_filter, alphasort);
	if (n < 0) {
		if (errno == ENOENT)
			printf("parameters:  none\n");
		else
			printf("parameters:  unreadable (%s)\n", strerror(errno));
		return;
	}
	if (n == 0)
		printf("parameters:  none\n");
	for (i = 0; i < n; i++) {
		snprintf(path, sizeof(path), SYSFS_PARAMS "/%s", names[i]->d_name);
		err = read_attr(path, val, sizeof(val));
		if (err < 0)
			printf("parameter:   %s (unreadable: %s)\n",
			       names[i]->d_name, strerror(-err));
		else
			printf("parameter:   %s=%s\n", names[i]->d_name, val);
		free(names[i]);
	}
	free(names);
}

/*
 * Device node, ABI version and counters. Returns false when the device
 * is missing or does not answer; lacking permission to open it is not an
 * error for status.
 */
static bool status_device(void)
{
	struct shadowipc_status st;
	struct stat sb;
	char mode[11];
	__u32 abi;
	int err;

	if (stat(SHADOWIPC_DEVICE, &sb) < 0) {
		err = errno;
		printf("device:      %s missing\n", SHADOWIPC_DEVICE);
		pr_err("%s: %s", SHADOWIPC_DEVICE, strerror(err));
		return false;
	}
	format_mode(sb.st_mode, mode);
	printf("device:      %s %s %04o uid=%u gid=%u",
	       SHADOWIPC_DEVICE, mode, (unsigned int)(sb.st_mode & 07777),
	       (unsigned int)sb.st_uid, (unsigned int)sb.st_gid);
	if (S_ISCHR(sb.st_mode))
		printf(" char %u:%u\n", major(sb.st_rdev), minor(sb.st_rdev));
	else
		printf("\n");
	if (!S_ISCHR(sb.st_mode)) {
		pr_err("%s is not a character device", SHADOWIPC_DEVICE);
		return false;
	}

	err = dev_get_version(&abi);
	if (err == -EACCES || err == -EPERM) {
		printf("abi_version: unknown (%s: %s)\n", SHADOWIPC_DEVICE,
		       strerror(-err));
		return true;
	} else if (err < 0) {
		printf("abi_version: unknown\n");
		pr_err("SHADOWIPC_IOC_VERSION on %s: %s", SHADOWIPC_DEVICE,
		       strerror(-err));
		return false;
	}
	printf("abi_version: %u\n", abi);
	warn_abi_mismatch(abi);

	err = dev_get_status(&st);
	if (err < 0) {
		pr_err("SHADOWIPC_IOC_STATUS on %s: %s", SHADOWIPC_DEVICE,
		       strerror(-err));
		return false;
	}
	printf("namespaces:  %llu\n", (unsigned long long)st.namespaces);
	printf("bindings:    %llu\n", (unsigned long long)st.bindings);
	printf("handles:     %llu\n", (unsigned long long)st.handles);
	printf("segments:    %llu\n", (unsigned long long)st.segments);
	printf("created:     %llu\n", (unsigned long long)st.created);
	return true;
}

static int cmd_status(const struct cmd *cmd, int argc, char **argv)
{
	struct kmod_module *mod = NULL;
	struct kmod_ctx *ctx;
	int ret, state, refcnt;

	ret = parse_no_args(cmd, argc, argv);
	if (ret >= 0)
		return ret;

	ret = EXIT_FAIL;
	ctx = kmod_open();
	if (!ctx)
		return EXIT_FAIL;

	state = module_state(ctx, &mod);
	if (state == -ENOENT) {
		printf(PROG ": not loaded\n");
		ret = EXIT_NOT_LOADED;
		goto out;
	} else if (state < 0) {
		if (mod)
			pr_err("cannot read the module's state: %s", strerror(-state));
		goto out;
	}

	printf(PROG ": loaded (%s)\n", kmod_module_initstate_str(state));
	if (state != KMOD_MODULE_BUILTIN) {
		refcnt = kmod_module_get_refcnt(mod);
		if (refcnt >= 0)
			printf("refcount:    %d\n", refcnt);
		else
			printf("refcount:    unknown (%s)\n", strerror(-refcnt));
	}
	status_params();
	ret = status_device() ? EXIT_OK : EXIT_FAIL;
out:
	kmod_module_unref(mod);
	kmod_unref(ctx);
	return ret;
}

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
"namespace handles or mappings keep the module in use.\n"
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
	      "Load, unload and inspect the shadowipc kernel module.\n"
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
	      "Exit status: 0 success, 1 failure, 2 usage error, 3 not loaded.\n",
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
