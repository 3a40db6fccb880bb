// SPDX-License-Identifier: GPL-2.0
/*
 * Refusals as text (see refusal.h).
 */
#include <errno.h>
#include <stdio.h>

#include "refusal.h"

/* How a check's numbers read. */
enum refusal_style {
	ABOVE,		/* A UNIT asked > L */
	BELOW,		/* A UNIT asked < L */
	SUM,		/* U UNIT in use + A asked > L */
	COUNT,		/* U UNIT in use, limit L */
	PERM,		/* asked rwx, granted rwx to a class */
	RULE,		/* a rule, no numbers */
};

/* Whose bits a PERM check compared (enum shadowipc_perm_class). */
static const char *perm_class(__u64 class)
{
	switch (class) {
	case SHADOWIPC_PERM_OWNER: return "the owner";
	case SHADOWIPC_PERM_GROUP: return "the group";
	case SHADOWIPC_PERM_OTHER: return "others";
	}
	return "?";
}

static const struct {
	const char *name;
	const char *unit;	/* for RULE: the rule */
	enum refusal_style style;
} checks[SHADOWIPC_NR_CHECKS] = {
	[SHADOWIPC_CHECK_PERM] = { "perm", NULL, PERM },
	[SHADOWIPC_CHECK_OWNER] = { "owner",
		"the caller is not the owner or creator, nor privileged", RULE },
	[SHADOWIPC_CHECK_SHMMIN] = { "shmmin", "bytes", BELOW },
	[SHADOWIPC_CHECK_SHMMAX] = { "shmmax", "bytes", ABOVE },
	[SHADOWIPC_CHECK_SHMALL] = { "shmall", "pages", SUM },
	[SHADOWIPC_CHECK_SHMMNI] = { "shmmni", "segments", COUNT },
	[SHADOWIPC_CHECK_MSGMNI] = { "msgmni", "queues", COUNT },
	[SHADOWIPC_CHECK_SEMMNI] = { "semmni", "sets", COUNT },
	[SHADOWIPC_CHECK_MSGMAX] = { "msgmax", "bytes", ABOVE },
	[SHADOWIPC_CHECK_MSGMNB] = { "msgmnb", "bytes", SUM },
	[SHADOWIPC_CHECK_SEMMSL] = { "semmsl", "semaphores", ABOVE },
	[SHADOWIPC_CHECK_SEMMNS] = { "semmns", "semaphores", SUM },
	[SHADOWIPC_CHECK_SEMOPM] = { "semopm", "operations", ABOVE },
	[SHADOWIPC_CHECK_SEMVMX] = { "semvmx", "value", ABOVE },
	[SHADOWIPC_CHECK_MEMLOCK] = { "memlock", "pages", SUM },
	[SHADOWIPC_CHECK_MQ_QUEUES_MAX] = { "queues_max", "queues", COUNT },
	[SHADOWIPC_CHECK_MQ_MSG_MAX] = { "msg_max", "messages", ABOVE },
	[SHADOWIPC_CHECK_MQ_MSGSIZE_MAX] = { "msgsize_max", "bytes", ABOVE },
	[SHADOWIPC_CHECK_MSGQUEUE] = { "msgqueue", "bytes", SUM },
	[SHADOWIPC_CHECK_MAX_NAMESPACES] = { "max_namespaces", "namespaces",
					     COUNT },
	[SHADOWIPC_CHECK_JOIN] = { "join",
		"the caller is not the creator and lacks CAP_SYS_ADMIN", RULE },
	[SHADOWIPC_CHECK_SEMAEM] = { "semaem", "adjustment", ABOVE },
	[SHADOWIPC_CHECK_NS_FD] = { "ns_fd",
		"the caller may not read that thread's /proc/PID/ns/ipc", RULE },
};

const char *shadowipc_check_name(unsigned int check)
{
	return check < SHADOWIPC_NR_CHECKS ? checks[check].name : NULL;
}

const char *shadowipc_errno_name(int err)
{
	switch (err) {
	case EPERM: return "EPERM";
	case ENOMEM: return "ENOMEM";
	case EACCES: return "EACCES";
	case EINVAL: return "EINVAL";
	case EMFILE: return "EMFILE";
	case ENOSPC: return "ENOSPC";
	case ERANGE: return "ERANGE";
	case EAGAIN: return "EAGAIN";
	case E2BIG: return "E2BIG";
	}
	return NULL;
}

static void rwx(char *s, unsigned long long bits)
{
	s[0] = bits & 4 ? 'r' : '-';
	s[1] = bits & 2 ? 'w' : '-';
	s[2] = bits & 1 ? 'x' : '-';
	s[3] = '\0';
}

int shadowipc_refusal_format(const struct shadowipc_last_refusal *r,
			     char *buf, size_t size)
{
	const char *name = shadowipc_check_name(r->check);
	const char *unit;
	char asked[4], granted[4];

	if (!name)
		return snprintf(buf, size, "check %u: %llu asked, %llu in use, limit %llu",
				r->check, (unsigned long long)r->asked,
				(unsigned long long)r->used,
				(unsigned long long)r->limit);
	unit = checks[r->check].unit;
	switch (checks[r->check].style) {
	case ABOVE:
		return snprintf(buf, size, "%s: %llu %s asked > %llu", name,
				(unsigned long long)r->asked, unit,
				(unsigned long long)r->limit);
	case BELOW:
		return snprintf(buf, size, "%s: %llu %s asked < %llu", name,
				(unsigned long long)r->asked, unit,
				(unsigned long long)r->limit);
	case SUM:
		return snprintf(buf, size, "%s: %llu %s in use + %llu asked > %llu",
				name, (unsigned long long)r->used, unit,
				(unsigned long long)r->asked,
				(unsigned long long)r->limit);
	case COUNT:
		return snprintf(buf, size, "%s: %llu %s in use, limit %llu",
				name, (unsigned long long)r->used, unit,
				(unsigned long long)r->limit);
	case PERM:
		rwx(asked, r->asked);
		rwx(granted, r->limit);
		return snprintf(buf, size, "%s: %s asked, %s granted to %s",
				name, asked, granted, perm_class(r->used));
	case RULE:
		break;
	}
	return snprintf(buf, size, "%s: %s", name, unit);
}
