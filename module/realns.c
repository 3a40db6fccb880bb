// SPDX-License-Identifier: GPL-2.0
/*
 * Shadow namespaces nest under the real IPC namespaces: every real IPC
 * namespace a task uses shadowipc from has a root shadow namespace, and a
 * task that never entered a shadow namespace (or whose real namespace
 * changed since it did) is in the root of its real namespace. The initial
 * shadow namespace (id 1) is the root of the initial IPC namespace; a
 * container's tasks share a root of their own, made on first use and
 * destroyed like any other namespace once its real namespace is gone.
 *
 * A root pins its real namespace with an nsfs file (as an open
 * /proc/PID/ns/ipc would; put_ipc_ns() is not exported to modules on
 * 6.1), so the real namespace cannot be freed, and its address reused by
 * a new one, while the root is mapped to it. The mapping is dropped once
 * that file is the real namespace's only user: no task, no other open
 * nsfs file, no bind mount. Then nothing can enter the real namespace
 * again, and its root dies with its last reference, as a shadow
 * namespace does.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/dcache.h>
#include <linux/fdtable.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/hashtable.h>
#include <linux/ipc_namespace.h>
#include <linux/magic.h>
#include <linux/nsproxy.h>
#include <linux/proc_fs.h>
#include <linux/proc_ns.h>
#include <linux/sched.h>
#include <linux/sched/task.h>
#include <linux/workqueue.h>

#include "compat.h"
#include "internal.h"

/* Roots by real namespace; readers use RCU, writers sipc_roots_lock. */
static DEFINE_HASHTABLE(sipc_roots, 6);
static DEFINE_SPINLOCK(sipc_roots_lock);	/* protects sipc_roots */
static unsigned int sipc_roots_pinned;		/* under sipc_roots_lock */

/* How soon after an exit in a container its real namespace is checked. */
#define SIPC_REAP_DELAY		(HZ / 10)
/* How often a real namespace held only by nsfs files is rechecked. */
#define SIPC_REAP_PERIOD	HZ

static void roots_reap_work(struct work_struct *work);
static DECLARE_DELAYED_WORK(sipc_reap_work, roots_reap_work);

/* The initial IPC namespace, which init_ipc_ns names on 6.12 only. */
static struct ipc_namespace *roots_initial_real(void)
{
	return init_task.nsproxy->ipc_ns;
}

/*
 * The mapped root of @real, referenced, or NULL. Namespaces are
 * SLAB_TYPESAFE_BY_RCU: what the walk finds is checked once referenced.
 */
static struct sipc_ns *roots_lookup_get(struct ipc_namespace *real)
{
	struct sipc_ns *ns;

	rcu_read_lock();
	hash_for_each_possible_rcu(sipc_roots, ns, root_node,
				   (unsigned long)real) {
		if (READ_ONCE(ns->real) != real || !sipc_ns_tryget(ns))
			continue;
		if (READ_ONCE(ns->real) == real && READ_ONCE(ns->mapped) &&
		    READ_ONCE(ns->root) == ns) {
			rcu_read_unlock();
			return ns;
		}
		sipc_ns_put(ns);
	}
	rcu_read_unlock();
	return NULL;
}

/* Insert @ns as the root of its real namespace, unless one won the race. */
static struct sipc_ns *roots_insert(struct sipc_ns *ns)
{
	struct sipc_ns *old;

	spin_lock(&sipc_roots_lock);
	hash_for_each_possible(sipc_roots, old, root_node,
			       (unsigned long)ns->real) {
		if (old->real == ns->real && sipc_ns_tryget(old)) {
			spin_unlock(&sipc_roots_lock);
			return old;
		}
	}
	/*
	 * A pinned root's mapping holds a reference, which the reaper drops;
	 * the initial root lives as long as the module.
	 */
	if (ns->real_pin) {
		sipc_ns_get(ns);
		sipc_roots_pinned++;
	}
	WRITE_ONCE(ns->mapped, true);
	hash_add_rcu(sipc_roots, &ns->root_node, (unsigned long)ns->real);
	spin_unlock(&sipc_roots_lock);
	return NULL;
}

/*
 * open_related_ns() hands its first argument to the callback only: it
 * carries the task whose real namespace is wanted.
 */
struct roots_pin_arg {
	struct ns_common anchor;
	struct task_struct *task;
};

static struct ns_common *roots_get_real(struct ns_common *anchor)
{
	struct roots_pin_arg *arg = container_of(anchor, struct roots_pin_arg,
						 anchor);
	struct ipc_namespace *real = NULL;
	struct nsproxy *nsproxy;

	task_lock(arg->task);
	nsproxy = arg->task->nsproxy;
	if (nsproxy)
		real = get_ipc_ns(nsproxy->ipc_ns);
	task_unlock(arg->task);
	return real ? &real->ns : ERR_PTR(-ESRCH);
}

/*
 * An nsfs file on @task's real IPC namespace, as opening
 * /proc/PID/ns/ipc gives: open_related_ns() is the one exported way to
 * make one, and it installs it in the caller's fd table, where it stays
 * only until it is taken back here, once per real namespace. Another
 * thread of the caller that closes that fd number at that moment makes
 * this fail with -EAGAIN; one that dup2()s onto it just then loses what
 * it put there, as it would to any thread's open() and close().
 */
static struct file *roots_pin_real(struct task_struct *task)
{
	struct roots_pin_arg arg = { .task = task };
	struct ns_common *ns;
	struct file *file;
	int fd;

	fd = open_related_ns(&arg.anchor, roots_get_real);
	if (fd < 0)
		return ERR_PTR(fd);
	file = fget(fd);
	if (!file)
		return ERR_PTR(-EAGAIN);
	if (file_inode(file)->i_sb->s_magic != NSFS_MAGIC) {
		fput(file);
		return ERR_PTR(-EAGAIN);
	}
	ns = get_proc_ns(file_inode(file));
	if (sipc_ns_common_type(ns) != CLONE_NEWIPC) {
		fput(file);
		return ERR_PTR(-EAGAIN);
	}
	close_fd(fd);
	return file;
}

static struct ipc_namespace *roots_pinned_real(struct file *pin)
{
	return container_of(get_proc_ns(file_inode(pin)),
			    struct ipc_namespace, ns);
}

/* Make the root of @task's real namespace; return it referenced. */
static struct sipc_ns *roots_create(struct task_struct *task)
{
	struct sipc_ns *ns, *old;
	struct file *pin;

	pin = roots_pin_real(task);
	if (IS_ERR(pin))
		return ERR_CAST(pin);
	old = roots_lookup_get(roots_pinned_real(pin));
	if (old) {
		fput(pin);
		return old;
	}
	ns = sipc_ns_create_root(roots_pinned_real(pin), pin);
	if (IS_ERR(ns)) {
		fput(pin);
		return ns;
	}
	old = roots_insert(ns);
	if (old) {
		sipc_ns_put_in_task(ns);	/* and the pin with it */
		return old;
	}
	return ns;
}

/**
 * sipc_root_task_get() - the root shadow namespace of @task's real one
 * @task: the task; current, or one the caller holds a reference on
 *
 * Made on first use: the caller's fd table lends a slot for a moment
 * (see roots_pin_real()).
 *
 * Context: process context, may sleep.
 * Return: the root, referenced, or ERR_PTR(-ESRCH) for a task past its
 * namespaces, ERR_PTR(-ENOMEM/-EMFILE/-EAGAIN).
 */
struct sipc_ns *sipc_root_task_get(struct task_struct *task)
{
	struct ipc_namespace *real = NULL;
	struct sipc_ns *ns;

	task_lock(task);
	if (task->nsproxy)
		real = task->nsproxy->ipc_ns;
	task_unlock(task);
	if (!real)
		return ERR_PTR(-ESRCH);
	if (real == sipc_init_ns.real) {
		sipc_ns_get(&sipc_init_ns);
		return &sipc_init_ns;
	}
	/* @real may be gone by now: a miss only means a slower path */
	ns = roots_lookup_get(real);
	return ns ?: roots_create(task);
}

/**
 * sipc_root_current() - the root shadow namespace of the caller's real one
 *
 * Context: process context, may sleep (the first use in a real namespace
 * makes its root). The result needs no reference while the caller is in
 * that real namespace: the mapping holds one until nothing uses it.
 * Return: the root, or ERR_PTR(-errno) as sipc_root_task_get().
 */
struct sipc_ns *sipc_root_current(void)
{
	struct sipc_ns *ns;

	if (current->nsproxy->ipc_ns == sipc_init_ns.real)
		return &sipc_init_ns;
	ns = sipc_root_task_get(current);
	if (!IS_ERR(ns))
		sipc_ns_put(ns);
	return ns;
}

/**
 * sipc_root_current_peek() - the root of the caller's real namespace, if made
 *
 * Context: any context of a task with its namespaces (not past exit).
 * Return: the root, or NULL when no call made it yet; no reference is
 * needed, as for sipc_root_current().
 */
struct sipc_ns *sipc_root_current_peek(void)
{
	struct sipc_ns *ns;

	if (current->nsproxy->ipc_ns == sipc_init_ns.real)
		return &sipc_init_ns;
	ns = roots_lookup_get(current->nsproxy->ipc_ns);
	if (ns)
		sipc_ns_put(ns);
	return ns;
}

/**
 * sipc_real_ns_current() - the caller's real IPC namespace
 *
 * Context: process context; valid while the caller does not switch.
 * Return: the namespace (compared, never dereferenced by callers).
 */
struct ipc_namespace *sipc_real_ns_current(void)
{
	return current->nsproxy->ipc_ns;
}

/* Is @root's pin the last user of its real namespace? */
static bool roots_unused(struct sipc_ns *root)
{
	return sipc_ipc_ns_refs(root->real) == 1 &&
	       d_count(root->real_pin->f_path.dentry) == 1;
}

/*
 * Drop the mapping of every root whose real namespace only its pin uses.
 * Return: true while pinned roots remain mapped.
 */
static bool roots_reap(void)
{
	struct sipc_ns *ns, *victim;
	bool again;
	int bkt;

	do {
		victim = NULL;
		spin_lock(&sipc_roots_lock);
		hash_for_each(sipc_roots, bkt, ns, root_node) {
			if (ns->real_pin && roots_unused(ns)) {
				victim = ns;
				hash_del_rcu(&ns->root_node);
				WRITE_ONCE(ns->mapped, false);
				sipc_roots_pinned--;
				break;
			}
		}
		again = sipc_roots_pinned;
		spin_unlock(&sipc_roots_lock);
		if (victim) {
			sipc_ns_watch_idle(victim);
			sipc_ns_put(victim);
		}
	} while (victim);
	return again;
}

static void roots_reap_work(struct work_struct *work)
{
	if (roots_reap())
		queue_delayed_work(sipc_wq, &sipc_reap_work, SIPC_REAP_PERIOD);
}

/**
 * sipc_roots_reap_now() - drop the roots of real namespaces now unused
 *
 * Context: process context (the STATUS ioctl, so that tests see a
 * container's objects gone once its tasks are reaped).
 */
void sipc_roots_reap_now(void)
{
	roots_reap();
}

/**
 * sipc_roots_task_exiting() - a task leaves its real namespace soon
 * @task: the exiting task, before exit_task_namespaces()
 *
 * Context: any context (the exit probe).
 */
void sipc_roots_task_exiting(struct task_struct *task)
{
	if (task->nsproxy && task->nsproxy->ipc_ns != sipc_init_ns.real &&
	    READ_ONCE(sipc_roots_pinned))
		queue_delayed_work(sipc_wq, &sipc_reap_work, SIPC_REAP_DELAY);
}

/**
 * sipc_roots_module_init() - map the initial namespace to the initial root
 *
 * Context: module init, after sipc_ns_module_init().
 */
void sipc_roots_module_init(void)
{
	sipc_init_ns.real = roots_initial_real();
	roots_insert(&sipc_init_ns);
}

/**
 * sipc_roots_module_exit() - drop every mapping
 *
 * Context: module exit: no task is bound and no ioctl runs; roots whose
 * real namespace is still in use lose their mapping all the same.
 */
void sipc_roots_module_exit(void)
{
	struct hlist_node *tmp;
	struct sipc_ns *ns;
	int bkt;

	cancel_delayed_work_sync(&sipc_reap_work);
	spin_lock(&sipc_roots_lock);
	hash_for_each_safe(sipc_roots, bkt, tmp, ns, root_node) {
		hash_del_rcu(&ns->root_node);
		WRITE_ONCE(ns->mapped, false);
		if (ns->real_pin)
			sipc_ns_put(ns);
	}
	sipc_roots_pinned = 0;
	spin_unlock(&sipc_roots_lock);
}
