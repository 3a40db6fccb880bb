// SPDX-License-Identifier: GPL-2.0
/*
 * Awaiting and reclaiming a namespace. A handle polls POLLIN while its
 * namespace is idle: no member task left (a root: nothing uses its real
 * namespace any more), so that only handles, attaches or objects keep
 * it. A watch handle does not pin its namespace and polls POLLHUP once
 * the namespace is destroyed and its memory returned. NS_DRAIN removes
 * every object of an idle namespace, as its teardown would, so that a
 * supervisor can reclaim what a crashed service left behind.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/poll.h>
#include <linux/slab.h>
#include <linux/wait.h>

#include "internal.h"

/**
 * struct sipc_ns_watch - what outlives a namespace for those awaiting it
 * @refs: the namespace's, and each watch handle's
 * @wq: pollers of the namespace's handles and watch handles
 * @gone: set once, when the namespace's memory has been returned
 */
struct sipc_ns_watch {
	refcount_t refs;
	wait_queue_head_t wq;
	bool gone;
};

/**
 * sipc_ns_watch_init() - give @ns what its handles poll on
 * @ns: a namespace the caller holds a reference on
 *
 * Made when its first handle is: most namespaces never have one.
 *
 * Context: process context, may sleep.
 * Return: 0 or -ENOMEM.
 */
int sipc_ns_watch_init(struct sipc_ns *ns)
{
	struct sipc_ns_watch *w;

	if (READ_ONCE(ns->watch))
		return 0;
	w = kmalloc(sizeof(*w), GFP_KERNEL_ACCOUNT);
	if (!w)
		return -ENOMEM;
	refcount_set(&w->refs, 1);
	init_waitqueue_head(&w->wq);
	w->gone = false;
	/* pairs with the READ_ONCE()s of the wakers */
	if (cmpxchg(&ns->watch, NULL, w))
		kfree(w);
	return 0;
}

static void ns_watch_put(struct sipc_ns_watch *w)
{
	if (refcount_dec_and_test(&w->refs))
		kfree(w);
}

/**
 * sipc_ns_idle() - has @ns no member task left
 * @ns: the namespace
 *
 * A root's members are the tasks of its real namespace, which it does
 * not count: it is idle once that real namespace is unused (unmapped).
 *
 * Context: any context.
 * Return: the answer; never true for the initial namespace.
 */
bool sipc_ns_idle(struct sipc_ns *ns)
{
	if (ns->root == ns)
		return !READ_ONCE(ns->mapped);
	return !atomic_read(&ns->members);
}

/**
 * sipc_ns_watch_idle() - @ns became idle: wake its pollers
 * @ns: the namespace
 *
 * Context: any context (the exit probe included).
 */
void sipc_ns_watch_idle(struct sipc_ns *ns)
{
	struct sipc_ns_watch *w = READ_ONCE(ns->watch);

	if (w)
		wake_up_interruptible_poll(&w->wq, EPOLLIN | EPOLLRDNORM);
}

/**
 * sipc_ns_watch_gone() - @ns was destroyed: wake its watchers
 * @w: what @ns->watch was, read before @ns was freed
 *
 * Context: process context, after the namespace's memory was returned.
 */
void sipc_ns_watch_gone(struct sipc_ns_watch *w)
{
	if (!w)
		return;
	WRITE_ONCE(w->gone, true);
	wake_up_interruptible_poll(&w->wq, EPOLLHUP);
	ns_watch_put(w);
}

/**
 * sipc_ns_poll() - poll on a handle pinning @ns
 * @ns: the namespace, with a watch (sipc_ns_watch_init())
 * @file: the handle
 * @pt: the poll table
 *
 * Context: process context.
 * Return: EPOLLIN | EPOLLRDNORM while @ns is idle, else 0.
 */
__poll_t sipc_ns_poll(struct sipc_ns *ns, struct file *file, poll_table *pt)
{
	poll_wait(file, &ns->watch->wq, pt);
	return sipc_ns_idle(ns) ? EPOLLIN | EPOLLRDNORM : 0;
}

/**
 * sipc_ns_watch_get() - a reference on @ns's watch, for a watch handle
 * @ns: the namespace, with a watch (sipc_ns_watch_init())
 *
 * Context: any context.
 * Return: the watch, to put with sipc_ns_watch_release().
 */
struct sipc_ns_watch *sipc_ns_watch_get(struct sipc_ns *ns)
{
	refcount_inc(&ns->watch->refs);
	return ns->watch;
}

/**
 * sipc_ns_watch_release() - drop a watch handle's reference
 * @w: from sipc_ns_watch_get()
 *
 * Context: any context.
 */
void sipc_ns_watch_release(struct sipc_ns_watch *w)
{
	ns_watch_put(w);
}

/**
 * sipc_ns_watch_poll() - poll on a watch handle
 * @w: its watch
 * @file: the watch handle
 * @pt: the poll table
 *
 * Context: process context.
 * Return: EPOLLHUP once the namespace is gone, else 0.
 */
__poll_t sipc_ns_watch_poll(struct sipc_ns_watch *w, struct file *file,
			    poll_table *pt)
{
	poll_wait(file, &w->wq, pt);
	return READ_ONCE(w->gone) ? EPOLLHUP : 0;
}

/**
 * sipc_ns_drain() - remove every object of an idle namespace
 * @ns: the namespace, referenced by the caller (its handle)
 * @d: out: what was removed, per kind (all but @d->flags and @d->pad)
 *
 * As the teardown does: each kind's objects are removed as by IPC_RMID
 * (a segment attached somewhere goes at its last detach), and every
 * POSIX queue name is unlinked. What was removed is what NS_INFO counted
 * before less what it counts after.
 *
 * Context: process context, may sleep, no locks held.
 * Return: 0, -EPERM (neither the creator's euid nor CAP_SYS_ADMIN over
 * the creator's user namespace) or -EBUSY (not idle).
 */
int sipc_ns_drain(struct sipc_ns *ns, struct shadowipc_ns_drain *d)
{
	struct shadowipc_ns_info before, after;
	int k;

	if (!uid_eq(current_euid(), ns->creator_euid) &&
	    !ns_capable(ns->user_ns, CAP_SYS_ADMIN))
		return -EPERM;
	if (!sipc_ns_idle(ns))
		return -EBUSY;
	sipc_ns_fill_info(ns, &before);
	sipc_shm_exit_ns(ns);
	sipc_msg_exit_ns(ns);
	sipc_sem_exit_ns(ns);
	sipc_mq_unlink_all(ns);
	sipc_ns_fill_info(ns, &after);
	/* a handle holder may have made objects meanwhile */
	for (k = 0; k < SHADOWIPC_NR_KINDS; k++) {
		d->objects[k] = before.objects[k] -
				min(before.objects[k], after.objects[k]);
		d->bytes[k] = before.bytes[k] -
			      min(before.bytes[k], after.bytes[k]);
	}
	return 0;
}
