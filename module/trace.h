/* SPDX-License-Identifier: GPL-2.0 */
/**
 * DOC: Tracepoints
 *
 * The shadowipc trace system, for tracefs (events/shadowipc/), trace-cmd
 * and perf. Every event is off until enabled; a disabled one costs a
 * static branch at its call site, in the cores only (never in the ioctl
 * dispatch). Each is emitted where what it reports has happened: a
 * namespace or object once published (create); an object taken out of
 * use by IPC_RMID (remove); its id and resources going (destroy: at the
 * last detach after IPC_RMID, at IPC_RMID when unattached, or with its
 * namespace); a namespace whose last reference is gone, as its teardown
 * starts (destroy, before its objects'); an attach once mapped; a detach
 * once unmapped; a message once queued or taken; a semop() once it
 * completed or failed. The send, receive and semop events record numbers
 * only, no strings: they may be enabled on busy queues.
 *
 * shadowipc_refuse reports each limit or permission check that fails a
 * call, at the check, where Linux returns the same errno: which check,
 * the errno, and where they mean something the amount asked for, the
 * amount in use and the limit (for "perm": the access bits asked for,
 * the class compared, an enum shadowipc_perm_class, and the bits
 * granted; 0 where a number does not apply). Check sites return
 * through sipc_refuse() (refuse.c), which emits it.
 *
 * POSIX queues, which have a name and no id, have events of their own:
 * shadowipc_mq_create once the name is published, shadowipc_mq_remove
 * as it goes (mq_unlink(), or with its namespace), shadowipc_mq_destroy
 * as the last close frees the queue (ns 0 once its namespace is gone).
 *
 * Namespace ids are those of /proc/shadowipc/namespaces and NS_INFO, pids
 * are global thread-group ids, uids are those of the initial user
 * namespace; the object events' size is a segment's bytes, a set's
 * semaphores or a queue's qbytes.
 */
#undef TRACE_SYSTEM
#define TRACE_SYSTEM shadowipc

#if !defined(_SHADOWIPC_TRACE_H) || defined(TRACE_HEADER_MULTI_READ)
#define _SHADOWIPC_TRACE_H

#include <linux/sched.h>
#include <linux/tracepoint.h>
#include <linux/uidgid.h>
#include <linux/user_namespace.h>

#include "compat.h"
#include "internal.h"

#ifndef _SHADOWIPC_TRACE_ENUMS
#define _SHADOWIPC_TRACE_ENUMS
/* Why a namespace was created or destroyed (see ns.c). */
enum sipc_ns_reason {
	SIPC_NS_UNSHARE,
	SIPC_NS_ROOT,
	SIPC_NS_RELEASE,
	SIPC_NS_DEFERRED,
};
#endif

/* The enums' values, for the tools that read the format files */
TRACE_DEFINE_ENUM(SIPC_NS_UNSHARE);
TRACE_DEFINE_ENUM(SIPC_NS_ROOT);
TRACE_DEFINE_ENUM(SIPC_NS_RELEASE);
TRACE_DEFINE_ENUM(SIPC_NS_DEFERRED);
TRACE_DEFINE_ENUM(SHADOWIPC_CHECK_PERM);
TRACE_DEFINE_ENUM(SHADOWIPC_CHECK_OWNER);
TRACE_DEFINE_ENUM(SHADOWIPC_CHECK_SHMMIN);
TRACE_DEFINE_ENUM(SHADOWIPC_CHECK_SHMMAX);
TRACE_DEFINE_ENUM(SHADOWIPC_CHECK_SHMALL);
TRACE_DEFINE_ENUM(SHADOWIPC_CHECK_SHMMNI);
TRACE_DEFINE_ENUM(SHADOWIPC_CHECK_MSGMNI);
TRACE_DEFINE_ENUM(SHADOWIPC_CHECK_SEMMNI);
TRACE_DEFINE_ENUM(SHADOWIPC_CHECK_MSGMAX);
TRACE_DEFINE_ENUM(SHADOWIPC_CHECK_MSGMNB);
TRACE_DEFINE_ENUM(SHADOWIPC_CHECK_SEMMSL);
TRACE_DEFINE_ENUM(SHADOWIPC_CHECK_SEMMNS);
TRACE_DEFINE_ENUM(SHADOWIPC_CHECK_SEMOPM);
TRACE_DEFINE_ENUM(SHADOWIPC_CHECK_SEMVMX);
TRACE_DEFINE_ENUM(SHADOWIPC_CHECK_MEMLOCK);
TRACE_DEFINE_ENUM(SHADOWIPC_CHECK_MQ_QUEUES_MAX);
TRACE_DEFINE_ENUM(SHADOWIPC_CHECK_MQ_MSG_MAX);
TRACE_DEFINE_ENUM(SHADOWIPC_CHECK_MQ_MSGSIZE_MAX);
TRACE_DEFINE_ENUM(SHADOWIPC_CHECK_MSGQUEUE);
TRACE_DEFINE_ENUM(SHADOWIPC_CHECK_MAX_NAMESPACES);
TRACE_DEFINE_ENUM(SHADOWIPC_CHECK_JOIN);

#define show_ns_reason(r)						\
	__print_symbolic(r,						\
			 { SIPC_NS_UNSHARE, "unshare" },		\
			 { SIPC_NS_ROOT, "root" },			\
			 { SIPC_NS_RELEASE, "release" },		\
			 { SIPC_NS_DEFERRED, "deferred" })

#define show_check(c)							\
	__print_symbolic(c,						\
			 { SHADOWIPC_CHECK_PERM, "perm" },		\
			 { SHADOWIPC_CHECK_OWNER, "owner" },		\
			 { SHADOWIPC_CHECK_SHMMIN, "shmmin" },		\
			 { SHADOWIPC_CHECK_SHMMAX, "shmmax" },		\
			 { SHADOWIPC_CHECK_SHMALL, "shmall" },		\
			 { SHADOWIPC_CHECK_SHMMNI, "shmmni" },		\
			 { SHADOWIPC_CHECK_MSGMNI, "msgmni" },		\
			 { SHADOWIPC_CHECK_SEMMNI, "semmni" },		\
			 { SHADOWIPC_CHECK_MSGMAX, "msgmax" },		\
			 { SHADOWIPC_CHECK_MSGMNB, "msgmnb" },		\
			 { SHADOWIPC_CHECK_SEMMSL, "semmsl" },		\
			 { SHADOWIPC_CHECK_SEMMNS, "semmns" },		\
			 { SHADOWIPC_CHECK_SEMOPM, "semopm" },		\
			 { SHADOWIPC_CHECK_SEMVMX, "semvmx" },		\
			 { SHADOWIPC_CHECK_MEMLOCK, "memlock" },	\
			 { SHADOWIPC_CHECK_MQ_QUEUES_MAX, "queues_max" }, \
			 { SHADOWIPC_CHECK_MQ_MSG_MAX, "msg_max" },	\
			 { SHADOWIPC_CHECK_MQ_MSGSIZE_MAX, "msgsize_max" }, \
			 { SHADOWIPC_CHECK_MSGQUEUE, "msgqueue" },	\
			 { SHADOWIPC_CHECK_MAX_NAMESPACES, "max_namespaces" }, \
			 { SHADOWIPC_CHECK_JOIN, "join" },		\
			 { SHADOWIPC_CHECK_SEMAEM, "semaem" },		\
			 { SHADOWIPC_CHECK_NS_FD, "ns_fd" })

/* the uapi's numbers (macros): no TRACE_DEFINE_ENUM() needed */
#define show_kind(k)							\
	__print_symbolic(k,						\
			 { SHADOWIPC_KIND_SHM, "shm" },			\
			 { SHADOWIPC_KIND_MSG, "msg" },			\
			 { SHADOWIPC_KIND_SEM, "sem" })

DECLARE_EVENT_CLASS(shadowipc_ns_class,
	TP_PROTO(const struct sipc_ns *ns, enum sipc_ns_reason reason),
	TP_ARGS(ns, reason),
	TP_STRUCT__entry(
		__field(u64, ns)
		__field(u64, root)
		__field(u32, creator)
		__field(int, reason)
	),
	TP_fast_assign(
		__entry->ns = ns->id;
		__entry->root = ns->root->id;
		__entry->creator = from_kuid(&init_user_ns, ns->creator_euid);
		__entry->reason = reason;
	),
	TP_printk("ns=%llu root=%llu creator=%u reason=%s",
		  __entry->ns, __entry->root, __entry->creator,
		  show_ns_reason(__entry->reason))
);

DEFINE_EVENT(shadowipc_ns_class, shadowipc_ns_create,
	TP_PROTO(const struct sipc_ns *ns, enum sipc_ns_reason reason),
	TP_ARGS(ns, reason));

DEFINE_EVENT(shadowipc_ns_class, shadowipc_ns_destroy,
	TP_PROTO(const struct sipc_ns *ns, enum sipc_ns_reason reason),
	TP_ARGS(ns, reason));

DECLARE_EVENT_CLASS(shadowipc_obj_class,
	TP_PROTO(const struct sipc_perm *perm, u64 size),
	TP_ARGS(perm, size),
	TP_STRUCT__entry(
		__field(u64, ns)
		__field(u64, size)
		__field(int, kind)
		__field(int, id)
		__field(int, key)
		__field(int, pid)
	),
	TP_fast_assign(
		__entry->ns = perm->ids->ns->id;
		__entry->size = size;
		__entry->kind = perm->ids->kind;
		__entry->id = perm->id;
		__entry->key = perm->key;
		__entry->pid = task_tgid_nr(current);
	),
	TP_printk("ns=%llu kind=%s id=%d key=0x%08x size=%llu pid=%d",
		  __entry->ns, show_kind(__entry->kind),
		  __entry->id, __entry->key, __entry->size, __entry->pid)
);

/* size: a segment's bytes, a set's nsems, a queue's qbytes */
DEFINE_EVENT(shadowipc_obj_class, shadowipc_obj_create,
	TP_PROTO(const struct sipc_perm *perm, u64 size),
	TP_ARGS(perm, size));

DEFINE_EVENT(shadowipc_obj_class, shadowipc_obj_remove,
	TP_PROTO(const struct sipc_perm *perm, u64 size),
	TP_ARGS(perm, size));

DEFINE_EVENT(shadowipc_obj_class, shadowipc_obj_destroy,
	TP_PROTO(const struct sipc_perm *perm, u64 size),
	TP_ARGS(perm, size));

DECLARE_EVENT_CLASS(shadowipc_shm_map_class,
	TP_PROTO(u64 ns, int id, unsigned long addr, unsigned long size),
	TP_ARGS(ns, id, addr, size),
	TP_STRUCT__entry(
		__field(u64, ns)
		__field(unsigned long, addr)
		__field(unsigned long, size)
		__field(int, id)
		__field(int, pid)
	),
	TP_fast_assign(
		__entry->ns = ns;
		__entry->addr = addr;
		__entry->size = size;
		__entry->id = id;
		__entry->pid = task_tgid_nr(current);
	),
	TP_printk("ns=%llu id=%d pid=%d addr=0x%lx size=%lu",
		  __entry->ns, __entry->id, __entry->pid, __entry->addr,
		  __entry->size)
);

DEFINE_EVENT(shadowipc_shm_map_class, shadowipc_shm_attach,
	TP_PROTO(u64 ns, int id, unsigned long addr, unsigned long size),
	TP_ARGS(ns, id, addr, size));

DEFINE_EVENT(shadowipc_shm_map_class, shadowipc_shm_detach,
	TP_PROTO(u64 ns, int id, unsigned long addr, unsigned long size),
	TP_ARGS(ns, id, addr, size));

DECLARE_EVENT_CLASS(shadowipc_msg_class,
	TP_PROTO(const struct sipc_ns *ns, int id, long mtype, size_t size),
	TP_ARGS(ns, id, mtype, size),
	TP_STRUCT__entry(
		__field(u64, ns)
		__field(long, mtype)
		__field(size_t, size)
		__field(int, id)
	),
	TP_fast_assign(
		__entry->ns = ns->id;
		__entry->mtype = mtype;
		__entry->size = size;
		__entry->id = id;
	),
	TP_printk("ns=%llu id=%d mtype=%ld size=%zu",
		  __entry->ns, __entry->id, __entry->mtype, __entry->size)
);

DEFINE_EVENT(shadowipc_msg_class, shadowipc_msg_send,
	TP_PROTO(const struct sipc_ns *ns, int id, long mtype, size_t size),
	TP_ARGS(ns, id, mtype, size));

DEFINE_EVENT(shadowipc_msg_class, shadowipc_msg_receive,
	TP_PROTO(const struct sipc_ns *ns, int id, long mtype, size_t size),
	TP_ARGS(ns, id, mtype, size));

DECLARE_EVENT_CLASS(shadowipc_mq_class,
	TP_PROTO(u64 ns, const char *name, long maxmsg, long msgsize),
	TP_ARGS(ns, name, maxmsg, msgsize),
	TP_STRUCT__entry(
		__field(u64, ns)
		__field(long, maxmsg)
		__field(long, msgsize)
		__field(int, pid)
		__string(name, name)
	),
	TP_fast_assign(
		__entry->ns = ns;
		__entry->maxmsg = maxmsg;
		__entry->msgsize = msgsize;
		__entry->pid = task_tgid_nr(current);
		sipc_assign_str(name, name);
	),
	TP_printk("ns=%llu name=/%s maxmsg=%ld msgsize=%ld pid=%d",
		  __entry->ns, __get_str(name), __entry->maxmsg,
		  __entry->msgsize, __entry->pid)
);

DEFINE_EVENT(shadowipc_mq_class, shadowipc_mq_create,
	TP_PROTO(u64 ns, const char *name, long maxmsg, long msgsize),
	TP_ARGS(ns, name, maxmsg, msgsize));

DEFINE_EVENT(shadowipc_mq_class, shadowipc_mq_remove,
	TP_PROTO(u64 ns, const char *name, long maxmsg, long msgsize),
	TP_ARGS(ns, name, maxmsg, msgsize));

DEFINE_EVENT(shadowipc_mq_class, shadowipc_mq_destroy,
	TP_PROTO(u64 ns, const char *name, long maxmsg, long msgsize),
	TP_ARGS(ns, name, maxmsg, msgsize));

TRACE_EVENT(shadowipc_semop,
	TP_PROTO(const struct sipc_ns *ns, int id, unsigned int nsops,
		 int ret),
	TP_ARGS(ns, id, nsops, ret),
	TP_STRUCT__entry(
		__field(u64, ns)
		__field(int, id)
		__field(unsigned int, nsops)
		__field(int, ret)
	),
	TP_fast_assign(
		__entry->ns = ns->id;
		__entry->id = id;
		__entry->nsops = nsops;
		__entry->ret = ret;
	),
	TP_printk("ns=%llu id=%d nsops=%u ret=%d",
		  __entry->ns, __entry->id, __entry->nsops, __entry->ret)
);

TRACE_EVENT(shadowipc_refuse,
	TP_PROTO(const struct sipc_ns *ns, enum shadowipc_check check, int err,
		 u64 asked, u64 used, u64 limit),
	TP_ARGS(ns, check, err, asked, used, limit),
	TP_STRUCT__entry(
		__field(u64, ns)
		__field(u64, asked)
		__field(u64, used)
		__field(u64, limit)
		__field(int, check)
		__field(int, err)
	),
	TP_fast_assign(
		__entry->ns = ns->id;
		__entry->asked = asked;
		__entry->used = used;
		__entry->limit = limit;
		__entry->check = check;
		__entry->err = err;
	),
	TP_printk("ns=%llu check=%s err=%d asked=%llu used=%llu limit=%llu",
		  __entry->ns, show_check(__entry->check),
		  __entry->err, __entry->asked, __entry->used, __entry->limit)
);

#endif /* _SHADOWIPC_TRACE_H */

#undef TRACE_INCLUDE_PATH
#define TRACE_INCLUDE_PATH .
#undef TRACE_INCLUDE_FILE
#define TRACE_INCLUDE_FILE trace
#include <trace/define_trace.h>
