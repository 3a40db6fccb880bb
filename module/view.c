// SPDX-License-Identifier: GPL-2.0
/*
 * Views: one read-only page per address space (SHADOWIPC_MMAP_VIEW) that
 * says which namespace every task using it is in, so that a reader of the
 * shared key tables (keys.c) knows which table is its own without asking.
 * The page says 0 unless the module is sure: every user of the mm is a
 * thread of the caller's group, all in one namespace. It is set when
 * mapped, after every namespace switch of a task using the mm, and again
 * by a get of a key through the device while it says 0 (the tasks that
 * made it 0 may be gone). A fork gets a view of its own, for the child's
 * namespace.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/hashtable.h>
#include <linux/mm.h>
#include <linux/refcount.h>
#include <linux/sched/mm.h>
#include <linux/slab.h>

#include "compat.h"
#include "internal.h"

/**
 * struct sipc_view - the view of one mm
 * @node: in sipc_views, hashed by @mm; looked up under RCU
 * @mm: the address space; the view goes with its last mapping, at the
 *	latest when the mm is torn down
 * @refs: the mappings of it
 * @lock: serializes computing and writing the page
 * @page: what userspace maps, a struct shadowipc_view
 * @rcu: frees the view after lookups that may still see it
 */
struct sipc_view {
	struct hlist_node node;
	struct mm_struct *mm;
	refcount_t refs;
	struct mutex lock;	/* serializes updates of @page */
	struct page *page;
	struct rcu_head rcu;
};

/* Protects changes of sipc_views; lookups take only rcu_read_lock(). */
static DEFINE_SPINLOCK(sipc_views_lock);
static DEFINE_HASHTABLE(sipc_views, 6);

static struct shadowipc_view *view_data(struct sipc_view *v)
{
	return page_address(v->page);
}

/* A new view of @mm saying @ns_id, hashed. */
static struct sipc_view *view_create(struct mm_struct *mm, u64 ns_id,
				     gfp_t gfp)
{
	struct sipc_view *v;

	v = kmalloc(sizeof(*v), gfp);
	if (!v)
		return NULL;
	v->page = alloc_page(gfp | __GFP_ZERO);
	if (!v->page) {
		kfree(v);
		return NULL;
	}
	v->mm = mm;
	refcount_set(&v->refs, 1);
	mutex_init(&v->lock);
	view_data(v)->ns_id = ns_id;
	spin_lock(&sipc_views_lock);
	hash_add_rcu(sipc_views, &v->node, (unsigned long)mm);
	spin_unlock(&sipc_views_lock);
	return v;
}

/* The view of @mm with a reference, or NULL. */
static struct sipc_view *view_get(struct mm_struct *mm)
{
	struct sipc_view *v;

	rcu_read_lock();
	hash_for_each_possible_rcu(sipc_views, v, node, (unsigned long)mm) {
		if (v->mm == mm && refcount_inc_not_zero(&v->refs)) {
			rcu_read_unlock();
			return v;
		}
	}
	rcu_read_unlock();
	return NULL;
}

static void view_put(struct sipc_view *v)
{
	if (!refcount_dec_and_lock(&v->refs, &sipc_views_lock))
		return;
	hash_del_rcu(&v->node);
	spin_unlock(&sipc_views_lock);
	put_page(v->page);
	kfree_rcu(v, rcu);
}

/*
 * Write what the calling thread's group shows: its namespace if every
 * user of the mm is one of its threads and all are in it, else 0.
 */
static void view_update(struct sipc_view *v)
{
	struct sipc_ns *ns;
	u64 ns_id;

	mutex_lock(&v->lock);
	/* Read under the lock: a later switch's update sees this one's. */
	ns = sipc_current_ns();
	ns_id = !IS_ERR(ns) && sipc_task_group_all_in(ns) ? ns->id : 0;
	WRITE_ONCE(view_data(v)->ns_id, ns_id);
	mutex_unlock(&v->lock);
}

/**
 * sipc_view_switched() - the calling task changed namespace
 *
 * Context: process context, may sleep, no locks held; after the switch.
 */
void sipc_view_switched(void)
{
	struct sipc_view *v = view_get(current->mm);

	if (v) {
		view_update(v);
		view_put(v);
	}
}

/**
 * sipc_view_unsure() - @mm's tasks may no longer all be where its view says
 * @mm: the address space
 *
 * For a task made in a real namespace of its own (clone(CLONE_NEWIPC)):
 * its view says 0 until the next get that reaches the device sets it.
 *
 * Context: any context (the task_newtask probe).
 */
void sipc_view_unsure(struct mm_struct *mm)
{
	struct sipc_view *v = view_get(mm);

	if (v) {
		WRITE_ONCE(view_data(v)->ns_id, 0);
		view_put(v);
	}
}

/**
 * sipc_view_recheck() - set a view that says 0 again, if it can say more
 *
 * Called by gets of a key that came to the device, which are what a view
 * saying 0 sends there.
 *
 * Context: process context, may sleep, no locks held.
 */
void sipc_view_recheck(void)
{
	struct sipc_view *v = view_get(current->mm);

	if (v) {
		if (!READ_ONCE(view_data(v)->ns_id))
			view_update(v);
		view_put(v);
	}
}

static void view_vm_open(struct vm_area_struct *vma)
{
	struct sipc_view *v = vma->vm_private_data;
	struct sipc_ns *ns;

	if (v->mm == vma->vm_mm) {
		/* mremap() moving it: one more mapping of the same view */
		refcount_inc(&v->refs);
		return;
	}
	/*
	 * fork(): the child is in the forking thread's namespace and alone
	 * in its new mm. Its mappings of the parent's view share one view of
	 * their own, made for the first one copied. ->open cannot fail, and
	 * the mapping must have a page to show: that allocation (a page and
	 * a few words) may not fail.
	 */
	v = view_get(vma->vm_mm);
	if (!v) {
		ns = sipc_current_ns_peek();
		v = view_create(vma->vm_mm, ns ? ns->id : 0,
				GFP_KERNEL_ACCOUNT | __GFP_NOFAIL);
	}
	vma->vm_private_data = v;
}

static void view_vm_close(struct vm_area_struct *vma)
{
	view_put(vma->vm_private_data);
}

static vm_fault_t view_vm_fault(struct vm_fault *vmf)
{
	struct sipc_view *v = vmf->vma->vm_private_data;

	if (vmf->pgoff)
		return VM_FAULT_SIGBUS;
	get_page(v->page);
	vmf->page = v->page;
	return 0;
}

static const struct vm_operations_struct view_vm_ops = {
	.open = view_vm_open,
	.close = view_vm_close,
	.fault = view_vm_fault,
};

/**
 * sipc_view_mmap() - map the caller's mm's view
 * @vma: the mapping, at SHADOWIPC_MMAP_VIEW, read-only and of one page
 *	(main.c checks)
 *
 * Context: mmap_lock held for write (as ->mmap).
 * Return: 0 or -ENOMEM.
 */
int sipc_view_mmap(struct vm_area_struct *vma)
{
	struct sipc_view *v;

	v = view_get(vma->vm_mm);
	if (!v) {
		v = view_create(vma->vm_mm, 0, GFP_KERNEL_ACCOUNT);
		if (!v)
			return -ENOMEM;
	}
	view_update(v);
	vma->vm_private_data = v;
	vma->vm_ops = &view_vm_ops;
	return 0;
}
