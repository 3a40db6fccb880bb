// SPDX-License-Identifier: GPL-2.0
/*
 * shadowipc: load, unload and status, through libkmod. libkmod's own
 * messages are hidden unless --verbose: every failure is reported here
 * in the tool's own words.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <sys/utsname.h>

#include <libkmod.h>

#include "cli.h"

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

/* The module by name, loaded or installed: 0, or -errno after a message. */
static int module_by_name(struct kmod_ctx *ctx, struct kmod_module **modp)
{
	int err;

	err = kmod_module_new_from_name(ctx, MODULE_NAME, modp);
	if (err < 0)
		pr_err("libkmod cannot look up module %s: %s", MODULE_NAME,
		       strerror(-err));
	return err;
}

/*
 * For unload and status: a libkmod context and the module's state,
 * KMOD_MODULE_*, or -ENOENT when it is not loaded, or another negative
 * errno after a message. *ctxp and *modp get references (or NULL) the
 * caller drops.
 */
static int module_state(struct kmod_ctx **ctxp, struct kmod_module **modp)
{
	int state;

	*modp = NULL;
	*ctxp = kmod_open();
	if (!*ctxp)
		return -EINVAL;
	state = module_by_name(*ctxp, modp);
	if (state < 0)
		return state;
	state = kmod_module_get_initstate(*modp);
	if (state < 0 && state != -ENOENT)
		pr_err("cannot read the module's state: %s", strerror(-state));
	return state;
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
		err = module_by_name(ctx, modp);
		if (err < 0)
			return err;
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

int cmd_load(const struct cmd *cmd, int argc, char **argv)
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
		default:
			return help_or_bad_option(cmd, c, argv);
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

	pr_err("module in use (open device fds, namespace handles, mappings, or segments once attached: see ipcs)");
	if (refcnt >= 0)
		pr_err("module reference count: %d", refcnt);
}

int cmd_unload(const struct cmd *cmd, int argc, char **argv)
{
	struct kmod_module *mod;
	struct kmod_ctx *ctx;
	int ret, state, err;

	ret = parse_no_args(cmd, argc, argv);
	if (ret >= 0)
		return ret;

	ret = EXIT_FAIL;
	state = module_state(&ctx, &mod);
	if (state == -ENOENT) {
		pr_err("module not loaded");
		ret = EXIT_NOT_LOADED;
		goto out;
	} else if (state < 0) {
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

int cmd_status(const struct cmd *cmd, int argc, char **argv)
{
	struct kmod_module *mod;
	struct kmod_ctx *ctx;
	int ret, state, refcnt;

	ret = parse_no_args(cmd, argc, argv);
	if (ret >= 0)
		return ret;

	ret = EXIT_FAIL;
	state = module_state(&ctx, &mod);
	if (state == -ENOENT) {
		printf(PROG ": not loaded\n");
		ret = EXIT_NOT_LOADED;
		goto out;
	} else if (state < 0) {
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
