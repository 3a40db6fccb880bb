/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Refusals as text: what SHADOWIPC_IOC_LAST_REFUSAL returns, written out
 * with the check's name and the numbers' units. Shared by libshadowipc
 * and the preload shim; libc only, no allocation.
 */
#ifndef _SHADOWIPC_REFUSAL_H
#define _SHADOWIPC_REFUSAL_H

#include <stddef.h>
#include <linux/shadowipc.h>

/* The check's name, as the shadowipc_refuse trace event prints it, or NULL. */
const char *shadowipc_check_name(unsigned int check);

/* The symbolic name of errno @err ("ENOSPC"), or NULL if not a refusal's. */
const char *shadowipc_errno_name(int err);

/*
 * Write @r as "check: numbers" into @buf of @size bytes, e.g.
 * "shmall: 262144 pages in use + 262144 asked > 262144", NUL-terminated
 * (truncated if need be). Returns what snprintf() returns.
 */
int shadowipc_refusal_format(const struct shadowipc_last_refusal *r,
			     char *buf, size_t size);

#endif /* _SHADOWIPC_REFUSAL_H */
