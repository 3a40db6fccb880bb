/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What sem.c (semaphore sets, semop(), semctl()) and sem_undo.c (the
 * SEM_UNDO lists) share.
 */
#ifndef _SHADOWIPC_SEM_H
#define _SHADOWIPC_SEM_H

#include <linux/list.h>
#include <linux/pid.h>
#include <linux/rcupdate.h>
#include <linux/refcount.h>
#include <linux/spinlock.h>
#include <linux/time64.h>

#include "internal.h"

/**
 * struct sem_one - one semaphore (Linux's struct sem)
 * @lock: protects the other fields for single operations outside global
 *	mode (see sem_lock()); in global mode the set's lock does
 * @val: its value, 0..SEMVMX
 * @pid: the thread group that last changed it, NULL before any
 * @pending_alter: waiting single operations that alter it
 * @pending_const: waiting single wait-for-zero operations on it
 * @otime: time of the last semop() that named it first (sem_otime is
 *	the latest of the set's)
 */
struct sem_one {
	spinlock_t lock;	/* see sem_lock() */
	int val;
	struct pid *pid;
	struct list_head pending_alter;
	struct list_head pending_const;
	time64_t otime;
};

/**
 * struct sipc_sem - one semaphore set (Linux's sem_array)
 * @perm: id, key, owner and mode
 * @ctime: time of creation or of the last IPC_SET, SETVAL or SETALL
 * @pending_alter: waiting complex operations that alter the set, and
 *	single ones while complex ones wait
 * @pending_const: waiting complex operations that do not alter it
 * @undos: the undo entries of this set (struct sipc_undo.list_id)
 * @nsems: semaphores in the set
 * @complex_count: complex operations waiting
 * @use_global_lock: non-zero in global mode: single operations take
 *	@perm.lock too; counts down the unlocks left (see sem_lock())
 * @sems: the semaphores
 *
 * All under @perm.lock; @sems under their own locks outside global mode.
 */
struct sipc_sem {
	struct sipc_perm perm;
	time64_t ctime;
	struct list_head pending_alter;
	struct list_head pending_const;
	struct list_head undos;
	int nsems;
	int complex_count;
	unsigned int use_global_lock;
	struct sem_one sems[];
};

#define sem_of(p)	container_of(p, struct sipc_sem, perm)

/**
 * struct sipc_undo_list - a thread group's SEM_UNDO adjustments
 * @node: in sem_undo_lists, under sem_undo_lists_lock
 * @owner: the thread group; only compared, never dereferenced
 * @pid: the thread group's id, referenced, for the holders listing
 * @refcount: one per entry, plus one per user in flight; at zero the
 *	list leaves sem_undo_lists and is freed
 * @lock: protects @undos
 * @undos: the entries (struct sipc_undo.list_proc), latest used first
 * @rcu: frees the list after a grace period
 */
struct sipc_undo_list {
	struct hlist_node node;
	const struct signal_struct *owner;
	struct pid *pid;
	refcount_t refcount;
	spinlock_t lock;	/* protects undos */
	struct list_head undos;
	struct rcu_head rcu;
};

/**
 * struct sipc_undo - one set's adjustments in an undo list
 * @list_proc: in @ulp->undos, under @ulp->lock
 * @list_id: in the set's @undos, under its lock
 * @ulp: the list
 * @sma: the set; NULL once the entry left both lists (under both locks)
 * @rcu: frees the entry after a grace period
 * @semadj: per semaphore, what exit adds back
 */
struct sipc_undo {
	struct list_head list_proc;
	struct list_head list_id;
	struct sipc_undo_list *ulp;
	struct sipc_sem *sma;
	struct rcu_head rcu;
	short semadj[];
};

static inline struct sipc_ids *sem_ids(struct sipc_ns *ns)
{
	return &ns->ids[SIPC_SEM];
}

struct sembuf;

/* sem.c */
void sem_free_rcu(struct rcu_head *rcu);
void sem_lock_all(struct sipc_sem *sma);
void sem_unlock_all(struct sipc_sem *sma);
void sem_smart_update(struct sipc_sem *sma, struct sembuf *sops, int nsops,
		      bool otime, struct list_head *wakes);
void sem_wake_up(struct list_head *wakes);

/* sem_undo.c */
void sem_clear_semadj(struct sipc_sem *sma, int semnum);
void sem_undo_list_put(struct sipc_undo_list *ulp);
void sem_undo_unlink(struct sipc_undo *un);
struct sipc_undo *sem_undo_find_alloc(struct sipc_ns *ns, int semid,
				      struct sipc_undo_list **ulpp);

#endif /* _SHADOWIPC_SEM_H */
