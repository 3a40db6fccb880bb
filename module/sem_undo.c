// SPDX-License-Identifier: GPL-2.0
/*
 * SEM_UNDO, as Linux's ipc/sem.c keeps it: one undo list per thread
 * group (the threads of a process share it, as pthreads share theirs
 * through CLONE_SYSVSEM), found by the group's signal_struct in a table
 * of its own. A list holds one entry per set the process used SEM_UNDO
 * on, each also on its set's list. The last thread of the group applies
 * it at exit, from the sched_process_exit probe, before the parent can
 * be told: a parent returning from wait() sees the adjusted values, as
 * in Linux. That probe cannot sleep, so the adjustment only takes
 * spinlocks and frees through RCU (Linux's exit_sem() takes no sleeping
 * lock either). A task that unshares or joins a namespace applies and
 * drops it likewise when it is the last thread of its group.
 *
 * Lock order: sipc_perm.lock of a set -> sipc_undo_list.lock ->
 * sem_undo_lists_lock.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/hashtable.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/sem.h>
#include <linux/slab.h>

#include "sem.h"

static DEFINE_SPINLOCK(sem_undo_lists_lock);	/* protects the table */
static DEFINE_HASHTABLE(sem_undo_lists, 6);

/**
 * sem_clear_semadj() - clear @semnum's adjustment in every undo list
 * @sma: the set
 * @semnum: the semaphore, -1 for all
 *
 * Context: the set locked in global mode.
 */
void sem_clear_semadj(struct sipc_sem *sma, int semnum)
{
	struct sipc_undo *un;

	lockdep_assert_held(&sma->perm.lock);

	list_for_each_entry(un, &sma->undos, list_id) {
		if (semnum >= 0)
			un->semadj[semnum] = 0;
		else
			memset(un->semadj, 0, sma->nsems * sizeof(short));
	}
}

static struct sipc_undo_list *sem_undo_list_find(const struct signal_struct *owner)
{
	struct sipc_undo_list *ulp;

	hash_for_each_possible_rcu(sem_undo_lists, ulp, node,
				   (unsigned long)owner)
		if (ulp->owner == owner && refcount_inc_not_zero(&ulp->refcount))
			return ulp;
	return NULL;
}

/* @owner's undo list, referenced, or NULL. Context: any. */
static struct sipc_undo_list *sem_undo_list_tryget(const struct signal_struct *owner)
{
	struct sipc_undo_list *ulp;

	rcu_read_lock();
	ulp = sem_undo_list_find(owner);
	rcu_read_unlock();
	return ulp;
}

/*
 * sem_undo_list_get() - the caller's thread group's undo list,
 * referenced, created if it has none (get_undo_list())
 *
 * Context: process context, may sleep, no locks held.
 * Return: the list or ERR_PTR(-ENOMEM).
 */
static struct sipc_undo_list *sem_undo_list_get(void)
{
	const struct signal_struct *owner = current->signal;
	struct sipc_undo_list *ulp, *new;

	ulp = sem_undo_list_tryget(owner);
	if (ulp)
		return ulp;
	new = kzalloc(sizeof(*new), GFP_KERNEL_ACCOUNT);
	if (!new)
		return ERR_PTR(-ENOMEM);
	new->owner = owner;
	new->pid = get_pid(task_tgid(current));
	refcount_set(&new->refcount, 1);
	spin_lock_init(&new->lock);
	INIT_LIST_HEAD(&new->undos);

	/* Another thread of the group may have created it meanwhile. */
	spin_lock(&sem_undo_lists_lock);
	ulp = sem_undo_list_find(owner);
	if (!ulp) {
		hash_add_rcu(sem_undo_lists, &new->node, (unsigned long)owner);
		ulp = new;
		new = NULL;
	}
	spin_unlock(&sem_undo_lists_lock);
	if (new)
		put_pid(new->pid);
	kfree(new);
	return ulp;
}

/**
 * sem_undo_list_put() - drop a reference; the last frees the list
 * @ulp: the list
 *
 * Context: any; takes sem_undo_lists_lock.
 */
void sem_undo_list_put(struct sipc_undo_list *ulp)
{
	if (!refcount_dec_and_lock(&ulp->refcount, &sem_undo_lists_lock))
		return;
	hash_del_rcu(&ulp->node);
	spin_unlock(&sem_undo_lists_lock);
	/* Only read through a listed entry, which holds a reference. */
	put_pid(ulp->pid);
	kfree_rcu(ulp, rcu);
}

/*
 * sem_undo_lookup() - @ulp's entry for @sma, moved to the front
 * (lookup_undo())
 *
 * Context: @ulp->lock held.
 */
static struct sipc_undo *sem_undo_lookup(struct sipc_undo_list *ulp,
					 struct sipc_sem *sma)
{
	struct sipc_undo *un;

	lockdep_assert_held(&ulp->lock);

	list_for_each_entry(un, &ulp->undos, list_proc) {
		if (un->sma == sma) {
			list_move(&un->list_proc, &ulp->undos);
			return un;
		}
	}
	return NULL;
}

/**
 * sem_undo_unlink() - take @un off its set and its list
 * @un: the entry, which the caller frees after a grace period
 *
 * Context: @un's set locked; takes its list's lock.
 */
void sem_undo_unlink(struct sipc_undo *un)
{
	struct sipc_undo_list *ulp = un->ulp;

	lockdep_assert_held(&un->sma->perm.lock);

	list_del(&un->list_id);
	spin_lock(&ulp->lock);
	list_del(&un->list_proc);
	un->sma = NULL;
	spin_unlock(&ulp->lock);
	sem_undo_list_put(ulp);
}

/**
 * sem_undo_find_alloc() - the caller's undo entry for set @semid,
 * created if it has none (find_alloc_undo())
 * @ns: the caller's namespace
 * @semid: the set
 * @ulpp: set to the caller's undo list, referenced, unless the list
 *	could not be had; the caller puts it when done
 *
 * Context: process context, may sleep, no locks held. Returns with
 * rcu_read_lock() held on success: the entry is freed after a grace
 * period once its set is removed.
 * Return: the entry, or ERR_PTR(-ENOMEM, -EINVAL, -EIDRM).
 */
struct sipc_undo *sem_undo_find_alloc(struct sipc_ns *ns, int semid,
				      struct sipc_undo_list **ulpp)
	__acquires(RCU)
{
	struct sipc_undo_list *ulp;
	struct sipc_undo *un, *new;
	struct sipc_perm *perm;
	struct sipc_sem *sma;

	ulp = sem_undo_list_get();
	if (IS_ERR(ulp))
		return ERR_CAST(ulp);
	*ulpp = ulp;

	rcu_read_lock();
	perm = sipc_ids_obtain_check(sem_ids(ns), semid);
	if (IS_ERR(perm)) {
		rcu_read_unlock();
		return ERR_CAST(perm);
	}
	sma = sem_of(perm);
	spin_lock(&ulp->lock);
	un = sem_undo_lookup(ulp, sma);
	spin_unlock(&ulp->lock);
	if (un)
		return un;

	if (!sipc_perm_getref(perm)) {
		rcu_read_unlock();
		return ERR_PTR(-EIDRM);
	}
	rcu_read_unlock();
	new = kvzalloc(struct_size(new, semadj, sma->nsems),
		       GFP_KERNEL_ACCOUNT | __GFP_NOWARN);
	rcu_read_lock();
	sem_lock_all(sma);
	/* Our RCU read side keeps the memory past this put. */
	sipc_perm_putref(perm, sem_free_rcu);
	un = ERR_PTR(-ENOMEM);
	if (!new)
		goto out_unlock;
	un = ERR_PTR(-EIDRM);
	if (perm->deleted)
		goto out_unlock;
	spin_lock(&ulp->lock);
	/* Another thread of the group may have made one meanwhile. */
	un = sem_undo_lookup(ulp, sma);
	if (!un) {
		new->ulp = ulp;
		new->sma = sma;
		refcount_inc(&ulp->refcount);
		list_add(&new->list_proc, &ulp->undos);
		list_add(&new->list_id, &sma->undos);
		un = new;
		new = NULL;
	}
	spin_unlock(&ulp->lock);
out_unlock:
	sem_unlock_all(sma);
	if (IS_ERR(un))
		rcu_read_unlock();
	/* Never published; we may still be in a read side. */
	if (new)
		kvfree_rcu(new, rcu);
	return un;
}

/*
 * sem_undo_apply_one() - apply and free the first entry of @ulp, clamping
 * each value to 0..SEMVMX, and complete what that lets through (the loop
 * body of exit_sem())
 *
 * Context: any, even atomic; takes spinlocks only.
 * Return: false when @ulp is empty.
 */
static bool sem_undo_apply_one(struct sipc_undo_list *ulp)
{
	struct sipc_sem *sma;
	struct sipc_undo *un;
	LIST_HEAD(wakes);
	int i;

	rcu_read_lock();
	spin_lock(&ulp->lock);
	un = list_first_entry_or_null(&ulp->undos, struct sipc_undo, list_proc);
	/* Listed: the set is not yet freed, and RCU keeps it from now on. */
	sma = un ? un->sma : NULL;
	spin_unlock(&ulp->lock);
	if (!un) {
		rcu_read_unlock();
		return false;
	}
	sem_lock_all(sma);
	/* A removal of the set, or another exiting thread, took it first. */
	if (un->sma != sma)
		goto out_unlock;
	sem_undo_unlink(un);
	for (i = 0; i < sma->nsems; i++) {
		struct sem_one *sem = &sma->sems[i];

		if (!un->semadj[i])
			continue;
		sem->val = clamp(sem->val + un->semadj[i], 0, SEMVMX);
		sipc_set_pid(&sem->pid, task_tgid(current));
	}
	sem_smart_update(sma, NULL, 0, true, &wakes);
	kvfree_rcu(un, rcu);
out_unlock:
	sem_unlock_all(sma);
	rcu_read_unlock();
	sem_wake_up(&wakes);
	return true;
}

/**
 * sipc_sem_exit_task() - Linux's exit_sem() for a thread group
 * @task: current, exiting (from the sched_process_exit probe) or leaving
 *	its namespace (unshare, setns)
 *
 * When @task is the last live thread of its group, every adjustment of
 * the group's undo list is applied and the list is dropped; otherwise
 * nothing happens (the other threads share the list).
 *
 * Context: any, even with preemption disabled: takes spinlocks only.
 */
void sipc_sem_exit_task(struct task_struct *task)
{
	int live = atomic_read(&task->signal->live);
	struct sipc_undo_list *ulp;

	/* An exiting thread has already left the count. */
	if (live > !(task->flags & PF_EXITING))
		return;
	ulp = sem_undo_list_tryget(task->signal);
	if (!ulp)
		return;
	while (sem_undo_apply_one(ulp))
		;
	sem_undo_list_put(ulp);
}
