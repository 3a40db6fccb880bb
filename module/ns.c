// SPDX-License-Identifier: GPL-2.0
/*
 * Shadow namespace life cycle: creation with Linux's default limits,
 * per-user namespace limits, references, teardown off the exiting path,
 * the setns permission rule and the information ioctls.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/file.h>
#include <linux/ipc_namespace.h>
#include <linux/module.h>
#include <linux/nsproxy.h>
#include <linux/pid_namespace.h>
#include <linux/proc_fs.h>
#include <linux/sched.h>
#include <linux/sched/task.h>
#include <linux/seq_file.h>
#include <linux/msg.h>
#include <linux/sem.h>
#include <linux/shm.h>
#include <uapi/linux/shm.h>
#include <linux/slab.h>
#include <linux/user_namespace.h>

#include "internal.h"
#include "trace.h"

unsigned int sipc_max_namespaces;
module_param_named(max_namespaces, sipc_max_namespaces, uint, 0644);
MODULE_PARM_DESC(max_namespaces,
		 "Live shadow namespaces each user may have created (default: /proc/sys/user/max_ipc_namespaces at load)");

static DEFINE_SPINLOCK(sipc_ns_lock);	/* protects the list and count */
static LIST_HEAD(sipc_ns_list);
static u64 sipc_ns_nr;			/* under sipc_ns_lock */
static atomic64_t sipc_ns_last_id = ATOMIC64_INIT(0);

/*
 * Namespaces other than the initial one. SLAB_TYPESAFE_BY_RCU: a freed
 * namespace's memory may be a new namespace at once, but stays a
 * namespace until a grace period has passed, which is all that
 * sipc_task_ns_get() needs, reading another task's namespace under RCU.
 * It spares each namespace the grace period before its memory can be
 * used again, which under churn kept the cache growing new slabs.
 */
static struct kmem_cache *sipc_ns_cache;

struct sipc_ns sipc_init_ns;

/* Each kind, in the order a namespace sets them up and destroys them. */
const struct sipc_kind_ops sipc_kinds[SIPC_NR_KINDS] = {
	[SIPC_SHM] = {
		.init_ns = sipc_shm_init_ns,
		.exit_ns = sipc_shm_exit_ns,
		.holders_show = sipc_shm_holders_seq_show,
		.proc_view = &sipc_shm_proc_view,
	},
	[SIPC_MSG] = {
		.init_ns = sipc_msg_init_ns,
		.exit_ns = sipc_msg_exit_ns,
		.holders_show = sipc_msg_holders_seq_show,
		.proc_view = &sipc_msg_proc_view,
	},
	[SIPC_SEM] = {
		.init_ns = sipc_sem_init_ns,
		.exit_ns = sipc_sem_exit_ns,
		.holders_show = sipc_sem_holders_seq_show,
		.proc_view = &sipc_sem_proc_view,
	},
	[SIPC_MQ] = {
		.init_ns = sipc_mq_init_ns,
		.exit_ns = sipc_mq_exit_ns,
		.holders_show = sipc_mq_holders_seq_show,
	},
};

static void ns_set_default_limits(struct shadowipc_limits *l)
{
	*l = (struct shadowipc_limits) {
		.shmmax = SHMMAX,
		.shmall = SHMALL,
		.shmmni = SHMMNI,
		.msgmax = MSGMAX,
		.msgmnb = MSGMNB,
		.msgmni = MSGMNI,
		.sem = { SEMMSL, SEMMNS, SEMOPM, SEMMNI },
		.mq_queues_max = DFLT_QUEUESMAX,
		.mq_msg_max = DFLT_MSGMAX,
		.mq_msgsize_max = DFLT_MSGSIZEMAX,
		.mq_msg_default = DFLT_MSG,
		.mq_msgsize_default = DFLT_MSGSIZE,
	};
}

/*
 * A namespace starts with Linux's defaults, but never above the limits of
 * the root it is created under: those bound what its creator may raise
 * them to (proc.c), and a new namespace must not be a way around them.
 */
static void ns_cap_limits(struct shadowipc_limits *l,
			  const struct shadowipc_limits *root)
{
	int i;

	l->shmmax = min(l->shmmax, READ_ONCE(root->shmmax));
	l->shmall = min(l->shmall, READ_ONCE(root->shmall));
	l->shmmni = min(l->shmmni, READ_ONCE(root->shmmni));
	l->msgmax = min(l->msgmax, READ_ONCE(root->msgmax));
	l->msgmnb = min(l->msgmnb, READ_ONCE(root->msgmnb));
	l->msgmni = min(l->msgmni, READ_ONCE(root->msgmni));
	for (i = 0; i < ARRAY_SIZE(l->sem); i++)
		l->sem[i] = min(l->sem[i], READ_ONCE(root->sem[i]));
	l->mq_queues_max = min(l->mq_queues_max, READ_ONCE(root->mq_queues_max));
	l->mq_msg_max = min(l->mq_msg_max, READ_ONCE(root->mq_msg_max));
	l->mq_msgsize_max = min(l->mq_msgsize_max,
				READ_ONCE(root->mq_msgsize_max));
	l->mq_msg_default = min(l->mq_msg_default,
				READ_ONCE(root->mq_msg_default));
	l->mq_msgsize_default = min(l->mq_msgsize_default,
				    READ_ONCE(root->mq_msgsize_default));
}

/*
 * @root: the root @ns is created under (referenced here), or NULL for a
 * root itself, whose creator is the owner of @real, its real namespace.
 */
static void ns_init(struct sipc_ns *ns, struct sipc_ns *root,
		    struct ipc_namespace *real)
{
	enum sipc_kind k;

	refcount_set(&ns->count, 1);
	ns_set_default_limits(&ns->limits);
	if (root) {
		sipc_ns_get(root);
		ns->root = root;
		ns->real = root->real;
		ns->creator_euid = current_euid();
		ns->creator_egid = current_egid();
		ns->user_ns = get_user_ns(current_user_ns());
		ns_cap_limits(&ns->limits, &root->limits);
	} else {
		ns->root = ns;
		ns->real = real;
		ns->user_ns = get_user_ns(real->user_ns);
		/* as ipc_set_ownership(): root in the owning user namespace */
		ns->creator_euid = make_kuid(ns->user_ns, 0);
		if (!uid_valid(ns->creator_euid))
			ns->creator_euid = GLOBAL_ROOT_UID;
		ns->creator_egid = make_kgid(ns->user_ns, 0);
		if (!gid_valid(ns->creator_egid))
			ns->creator_egid = GLOBAL_ROOT_GID;
	}
	for (k = 0; k < SIPC_NR_IDS; k++)
		sipc_ids_init(&ns->ids[k], ns, k);
	for (k = 0; k < SIPC_NR_KINDS; k++)
		sipc_kinds[k].init_ns(ns);
}

/* Destroy what @ns holds; it is unreachable (count 0, or module exit). */
static void ns_exit(struct sipc_ns *ns)
{
	enum sipc_kind k;

	for (k = 0; k < SIPC_NR_KINDS; k++)
		sipc_kinds[k].exit_ns(ns);
	for (k = 0; k < SIPC_NR_IDS; k++)
		sipc_ids_destroy(&ns->ids[k]);
	put_user_ns(ns->user_ns);
	if (ns->root != ns)
		sipc_ns_put_in_task(ns->root);
	if (ns->real_pin)
		fput(ns->real_pin);
}

static void ns_uncount(void)
{
	spin_lock(&sipc_ns_lock);
	sipc_ns_nr--;
	spin_unlock(&sipc_ns_lock);
}

/*
 * Run every teardown queued so far. A task's exit work may queue its
 * namespace's teardown, which a flush started before it does not wait
 * for: hence two flushes (a teardown queues nothing further on sipc_wq).
 */
static void ns_flush_teardown(void)
{
	flush_workqueue(sipc_wq);
	flush_workqueue(sipc_wq);
}

/*
 * Charge one namespace to the caller's euid, and up its user namespace
 * chain, within max_namespaces at each level; a refusal is traced in
 * @root, the root the namespace would be created under.
 */
static struct sipc_ucounts *ns_charge(struct sipc_ns *root)
{
	struct sipc_budget budget;
	struct sipc_ucounts *uc;
	bool flushed = false;

	for (;;) {
		budget.limit = READ_ONCE(sipc_max_namespaces);
		uc = sipc_ucount_charge(current_user_ns(), current_euid(),
					SIPC_UCOUNT_NAMESPACES, 1, &budget,
					false, GFP_KERNEL);
		if (uc || flushed)
			break;
		/*
		 * Dead namespaces stay charged until their teardown runs:
		 * wait for it once before failing, as Linux 6.12 does.
		 */
		ns_flush_teardown();
		flushed = true;
	}
	if (!uc)
		return ERR_PTR(sipc_refuse(root, SHADOWIPC_CHECK_MAX_NAMESPACES,
					   -ENOSPC, 1, budget.used,
					   budget.limit));
	return uc;
}

static struct sipc_ns *ns_alloc(void)
{
	struct sipc_ns *ns = kmem_cache_alloc(sipc_ns_cache, GFP_KERNEL_ACCOUNT);

	/*
	 * sipc_task_ns_get() may be trying a reference on the namespace
	 * that lived here: leave its count at zero until ns_init() sets it.
	 */
	if (ns)
		memset_after(ns, 0, count);
	return ns;
}

/* Give @ns its id and put it on the list of every namespace. */
static void ns_publish(struct sipc_ns *ns)
{
	/* ids taken under the lock keep the list in id order */
	spin_lock(&sipc_ns_lock);
	ns->id = atomic64_inc_return(&sipc_ns_last_id);
	list_add_tail(&ns->node, &sipc_ns_list);
	sipc_ns_nr++;
	spin_unlock(&sipc_ns_lock);
}

/**
 * sipc_ns_create() - a new, empty namespace owned by the caller
 * @root: the root shadow namespace it is created under (the caller's)
 *
 * Context: process context, may sleep.
 * Return: the namespace with one reference, or ERR_PTR(-ENOSPC) when the
 * caller's euid, or the owner of a user namespace it is in, reached
 * max_namespaces, or ERR_PTR(-ENOMEM).
 */
struct sipc_ns *sipc_ns_create(struct sipc_ns *root)
{
	struct sipc_ucounts *owner;
	struct sipc_ns *ns;

	owner = ns_charge(root);
	if (IS_ERR(owner))
		return ERR_CAST(owner);
	ns = ns_alloc();
	if (!ns) {
		sipc_ucount_uncharge(owner, SIPC_UCOUNT_NAMESPACES, 1);
		return ERR_PTR(-ENOMEM);
	}
	ns_init(ns, root, NULL);
	ns->owner = owner;
	ns_publish(ns);
	trace_shadowipc_ns_create(ns, SIPC_NS_UNSHARE);
	return ns;
}

/**
 * sipc_ns_create_root() - the root shadow namespace of a real namespace
 * @real: the real IPC namespace
 * @pin: an nsfs file on @real, which the root keeps until it is freed
 *
 * A root is charged to nobody's max_namespaces: it stands for a real
 * namespace, which Linux charged when it was made.
 *
 * Context: process context, may sleep.
 * Return: the root with one reference, or ERR_PTR(-ENOMEM).
 */
struct sipc_ns *sipc_ns_create_root(struct ipc_namespace *real,
				    struct file *pin)
{
	struct sipc_ns *ns = ns_alloc();

	if (!ns)
		return ERR_PTR(-ENOMEM);
	ns_init(ns, NULL, real);
	ns->real_pin = pin;
	ns_publish(ns);
	trace_shadowipc_ns_create(ns, SIPC_NS_ROOT);
	return ns;
}

/*
 * Tear down a namespace whose last reference is gone, in the task that
 * dropped it (SIPC_NS_RELEASE) or on sipc_wq (SIPC_NS_DEFERRED).
 */
static void ns_free(struct sipc_ns *ns, enum sipc_ns_reason reason)
{
	struct sipc_ns_watch *watch = ns->watch;

	trace_shadowipc_ns_destroy(ns, reason);
	spin_lock(&sipc_ns_lock);
	list_del(&ns->node);
	spin_unlock(&sipc_ns_lock);
	ns_exit(ns);
	ns_uncount();
	if (ns->owner)
		sipc_ucount_uncharge(ns->owner, SIPC_UCOUNT_NAMESPACES, 1);
	kmem_cache_free(sipc_ns_cache, ns);
	sipc_ns_watch_gone(watch);
}

static void ns_free_work(struct work_struct *work)
{
	ns_free(container_of(work, struct sipc_ns, free_work),
		SIPC_NS_DEFERRED);
	/* Leave no attach file of the namespace pinning the module. */
	flush_delayed_fput();
}

static void ns_queue_free(struct sipc_ns *ns)
{
	INIT_WORK(&ns->free_work, ns_free_work);
	queue_work(sipc_wq, &ns->free_work);
}

/**
 * sipc_ns_get() - take a reference on a namespace the caller can reach
 * @ns: the namespace
 *
 * Context: any context.
 */
void sipc_ns_get(struct sipc_ns *ns)
{
	refcount_inc(&ns->count);
}

/**
 * sipc_ns_tryget() - take a reference unless the namespace is dying
 * @ns: the namespace, whose memory the caller keeps valid (RCU)
 *
 * Context: any context.
 * Return: true when the reference was taken.
 */
bool sipc_ns_tryget(struct sipc_ns *ns)
{
	return refcount_inc_not_zero(&ns->count);
}

/**
 * sipc_ns_put() - drop a reference; the last one queues the teardown
 * @ns: the namespace
 *
 * The teardown (destroying every object) runs on sipc_wq, not on the
 * caller's path: for puts from probes, a vm_ops->close under mmap_lock,
 * or a holder of locks; see also sipc_ns_put_in_task().
 *
 * Context: any context.
 */
void sipc_ns_put(struct sipc_ns *ns)
{
	if (refcount_dec_and_test(&ns->count))
		ns_queue_free(ns);
}

/**
 * sipc_ns_put_in_task() - drop a reference; the last one tears down here
 * @ns: the namespace
 *
 * For the places a namespace usually dies: its last member's exit or
 * switch, and the close of its last handle. Tearing down in the caller
 * costs less than waking a worker for it, and leaves nothing pending
 * once the exiting task is reaped or the close returns: the attach
 * files its segments kept, which pin the module, are released by the
 * task's own task work (before its parent is told of an exit), or
 * before a kernel thread's teardown returns.
 *
 * Context: process context, may sleep, no locks held.
 */
void sipc_ns_put_in_task(struct sipc_ns *ns)
{
	if (!refcount_dec_and_test(&ns->count))
		return;
	ns_free(ns, SIPC_NS_RELEASE);
	if (current->flags & PF_KTHREAD)
		flush_delayed_fput();
}

/**
 * sipc_ns_may_join() - may the caller setns() into @ns
 * @ns: the namespace
 *
 * Within the tree of the caller's real namespace, a shadow namespace may
 * be joined by its creator's euid, or with CAP_SYS_ADMIN in the creator's
 * user namespace (Linux's setns() always needs the latter). A namespace
 * of another real namespace's tree takes what setns() to that real
 * namespace takes: CAP_SYS_ADMIN over its owner and in the caller's own
 * user namespace.
 *
 * Context: process context, may sleep.
 * Return: true when allowed.
 */
bool sipc_ns_may_join(struct sipc_ns *ns)
{
	bool ok;

	if (ns->root != sipc_root_current())
		ok = ns_capable(ns->root->user_ns, CAP_SYS_ADMIN) &&
		     ns_capable(current_user_ns(), CAP_SYS_ADMIN);
	else
		ok = uid_eq(current_euid(), ns->creator_euid) ||
		     ns_capable(ns->user_ns, CAP_SYS_ADMIN);
	if (!ok)
		sipc_refuse(ns, SHADOWIPC_CHECK_JOIN, -EPERM, 0, 0, 0);
	return ok;
}

/**
 * sipc_ns_fill_info() - describe @ns for NS_INFO
 * @ns: the namespace, referenced by the caller
 * @info: filled (all but @info->fd and @info->flags)
 *
 * The counts are a snapshot; nothing is locked.
 *
 * Context: process context.
 */
void sipc_ns_fill_info(struct sipc_ns *ns, struct shadowipc_ns_info *info)
{
	struct user_namespace *user_ns = current_user_ns();
	enum sipc_kind k;

	info->id = ns->id;
	info->creator_uid = from_kuid_munged(user_ns, ns->creator_euid);
	info->creator_gid = from_kgid_munged(user_ns, ns->creator_egid);
	info->members = atomic_read(&ns->members);
	info->handles = atomic_read(&ns->handles);
	/* minus the reference the caller holds for this call */
	info->refs = refcount_read(&ns->count) - 1;
	info->pad = 0;
	memset(info->objects, 0, sizeof(info->objects));
	memset(info->bytes, 0, sizeof(info->bytes));
	for (k = 0; k < SIPC_NR_IDS; k++)
		info->objects[k] = READ_ONCE(ns->ids[k].in_use);
	info->bytes[SIPC_SHM] = (u64)READ_ONCE(ns->shm.tot) << PAGE_SHIFT;
	info->bytes[SIPC_MSG] = atomic_long_read(&ns->msg.bytes);
	sipc_mq_ns_usage(ns, &info->objects[SIPC_MQ], &info->bytes[SIPC_MQ]);
	info->limits = ns->limits;
}

/*
 * May the opener of @m see @ns in the /proc/shadowipc listings of @root?
 * Only the opener's real namespace's tree; in it, root sees every
 * namespace, others those their euid created.
 */
static bool ns_seq_visible(struct seq_file *m, struct sipc_ns *ns,
			   struct sipc_ns *root)
{
	return ns->root == root &&
	       (uid_eq(m->file->f_cred->euid, ns->creator_euid) ||
		file_ns_capable(m->file, &init_user_ns, CAP_SYS_ADMIN));
}

static void ns_seq_show(struct seq_file *m, struct sipc_ns *ns,
			struct sipc_ns *root)
{
	struct shadowipc_ns_info info;
	u64 key_bytes = 0;
	enum sipc_kind k;

	if (!ns_seq_visible(m, ns, root))
		return;
	if (!sipc_ns_tryget(ns))
		return;		/* dying: its teardown is queued */
	sipc_ns_fill_info(ns, &info);
	for (k = 0; k < SIPC_NR_IDS; k++)
		key_bytes += sipc_keys_bytes(&ns->ids[k]);
	sipc_ns_put(ns);
	seq_printf(m, "%llu %u %u %u %u %u %llu %llu %llu %llu %llu %llu %llu %llu %llu\n",
		   info.id, info.creator_uid, info.creator_gid, info.members,
		   info.handles, info.refs,
		   info.objects[SIPC_SHM], info.bytes[SIPC_SHM],
		   info.objects[SIPC_MSG], info.bytes[SIPC_MSG],
		   info.objects[SIPC_SEM], info.bytes[SIPC_SEM], key_bytes,
		   info.objects[SIPC_MQ], info.bytes[SIPC_MQ]);
}

/**
 * sipc_ns_seq_show_all() - /proc/shadowipc/namespaces
 * @m: the file, whose opener's credentials decide what it shows
 * @root: the root of the opener's real namespace: the file shows that
 *	tree only
 *
 * A header naming the columns, then one line per live namespace in id
 * order: the NS_INFO fields, creator ids as the opener sees them, then
 * the memory of the namespace's shared key tables (keys.c), then the
 * POSIX message queues and their queued bytes (new columns go last).
 *
 * Context: process context; takes sipc_ns_lock.
 */
void sipc_ns_seq_show_all(struct seq_file *m, struct sipc_ns *root)
{
	struct sipc_ns *ns;

	seq_puts(m, "id uid gid tasks handles refs shm shm_bytes msg msg_bytes sem sem_bytes key_bytes mq mq_bytes\n");
	ns_seq_show(m, &sipc_init_ns, root);
	spin_lock(&sipc_ns_lock);
	list_for_each_entry(ns, &sipc_ns_list, node)
		ns_seq_show(m, ns, root);
	spin_unlock(&sipc_ns_lock);
}

/*
 * The live namespace of @root's tree with the lowest id above @after,
 * referenced, or NULL. Context: takes sipc_ns_lock.
 */
static struct sipc_ns *ns_get_next(struct sipc_ns *root, u64 after)
{
	struct sipc_ns *ns, *next;

	spin_lock(&sipc_ns_lock);
	for (;;) {
		next = NULL;
		list_for_each_entry(ns, &sipc_ns_list, node)
			if (ns->root == root && ns->id > after &&
			    (!next || ns->id < next->id))
				next = ns;
		if (!next || sipc_ns_tryget(next))
			break;
		after = next->id;	/* dying: its teardown is queued */
	}
	spin_unlock(&sipc_ns_lock);
	return next;
}

static void ns_seq_show_holders(struct seq_file *m, struct sipc_ns *ns,
				struct pid_namespace *pid_ns)
{
	enum sipc_kind k;

	for (k = 0; k < SIPC_NR_KINDS; k++)
		sipc_kinds[k].holders_show(m, ns, pid_ns);
}

/**
 * sipc_ns_seq_show_holders() - /proc/shadowipc/holders
 * @m: the file, whose opener's credentials decide what it shows
 * @root: the root of the opener's real namespace: the file shows that
 *	tree only
 *
 * A header naming the columns, then, for each namespace the opener may
 * see (as in /proc/shadowipc/namespaces), in id order, the processes
 * holding its objects, one per line, the pids as the /proc mount the
 * file is in numbers them.
 *
 * Context: process context, may sleep.
 */
void sipc_ns_seq_show_holders(struct seq_file *m, struct sipc_ns *root)
{
	struct pid_namespace *pid_ns = proc_pid_ns(file_inode(m->file)->i_sb);
	struct sipc_ns *ns = NULL;
	u64 id = 0;

	seq_puts(m, "kind ns id key pid comm range mode\n");
	if (ns_seq_visible(m, &sipc_init_ns, root))
		ns_seq_show_holders(m, &sipc_init_ns, pid_ns);
	while ((ns = ns_get_next(root, id))) {
		id = ns->id;
		if (ns_seq_visible(m, ns, root))
			ns_seq_show_holders(m, ns, pid_ns);
		sipc_ns_put(ns);
	}
}

/**
 * sipc_fill_status() - module-wide counters for the STATUS ioctl
 * @st: filled (all but @st->flags and @st->pad)
 *
 * With SHADOWIPC_STATUS_SETTLE in @st->flags, pending teardown runs
 * first, and the roots of real namespaces no task uses any more go, so
 * that the counts a test reads after waiting for a child are settled.
 *
 * Context: process context, may sleep.
 */
void sipc_fill_status(struct shadowipc_status *st)
{
	if (st->flags & SHADOWIPC_STATUS_SETTLE) {
		sipc_roots_reap_now();
		ns_flush_teardown();
	}
	spin_lock(&sipc_ns_lock);
	st->namespaces = sipc_ns_nr + 1;	/* and the initial one */
	spin_unlock(&sipc_ns_lock);
	st->bindings = sipc_task_bindings();
	st->handles = sipc_handle_count();
	st->segments = sipc_shm_count();
	st->created = atomic64_read(&sipc_ns_last_id);
}

/**
 * sipc_ns_module_init() - set up the initial namespace
 *
 * Its creator is global root in the initial user namespace, so joining
 * it back takes CAP_SYS_ADMIN or euid 0.
 *
 * Context: module init.
 * Return: 0 or -ENOMEM.
 */
int sipc_ns_module_init(void)
{
	sipc_ns_cache = kmem_cache_create("shadowipc_ns", sizeof(struct sipc_ns),
					  0, SLAB_TYPESAFE_BY_RCU | SLAB_ACCOUNT,
					  NULL);
	if (!sipc_ns_cache)
		return -ENOMEM;
	if (!sipc_max_namespaces)
		sipc_max_namespaces =
			init_user_ns.ucount_max[UCOUNT_IPC_NAMESPACES];
	ns_init(&sipc_init_ns, NULL, init_task.nsproxy->ipc_ns);
	sipc_init_ns.id = atomic64_inc_return(&sipc_ns_last_id);
	sipc_roots_module_init();
	return 0;
}

/**
 * sipc_ns_module_exit() - destroy the initial namespace
 *
 * Its watch, made when its first handle was, is put here as ns_free()
 * puts any other namespace's.
 *
 * Context: module exit, after every binding was dropped; every handle,
 * device fd and mapping is gone (they pin the module).
 */
void sipc_ns_module_exit(void)
{
	sipc_roots_module_exit();
	ns_flush_teardown();
	WARN_ON(!list_empty(&sipc_ns_list));
	ns_exit(&sipc_init_ns);
	sipc_ns_watch_gone(sipc_init_ns.watch);
	rcu_barrier();	/* the RCU frees of the objects, into this module */
	kmem_cache_destroy(sipc_ns_cache);
}
