// SPDX-License-Identifier: GPL-2.0
/*
 * System V semaphores, as Linux's ipc/sem.c does them: semget(), semop()
 * and semtimedop() with atomic multi-operation arrays, the sleepers' queues
 * and the order Linux completes them in, and semctl(); SEM_UNDO is
 * sem_undo.c's.
 *
 * Queues: an operation that must wait is queued, FIFO, on one of four
 * kinds of list: a single operation on the per-semaphore @pending_alter
 * or @pending_const (wait-for-zero) list of its semaphore, a multi-
 * operation one ("complex") on the set's @pending_alter or
 * @pending_const. While complex operations wait, single altering ones
 * are merged into the set's @pending_alter, so that FIFO holds between
 * them; they are split back out when the last complex one leaves. The
 * task that changes values completes what can now complete, wait-for-
 * zero operations first, as do_smart_update() does; a woken sleeper only
 * reads the status the waker stored.
 *
 * Locks, as Linux's sem_lock(): a single operation takes only its
 * semaphore's lock while no complex operation is around, so that
 * processes working on different semaphores of one set do not contend.
 * Everything else (complex operations, semctl, SEM_UNDO bookkeeping,
 * exit, removal) takes the set's lock, sipc_perm.lock, in "global mode":
 * it sets @use_global_lock and waits for every semaphore lock to be free,
 * and single operations that find @use_global_lock set take the set's
 * lock instead. The mode lasts while complex operations wait, and for
 * SEM_GLOBAL_HYSTERESIS unlocks of the set's lock after, so that mixed
 * workloads do not flip at every call. The queues are split back out at
 * each unlock of the set's lock, as Linux does, which leaves the same
 * queues, and so the same wake-up order.
 *
 * Wake-ups happen after the locks are dropped (Linux's wake_q, which
 * modules cannot use): the waker takes a completed sleeper off its list
 * under the lock and marks it SEM_Q_WAKING, and after unlocking stores
 * its result and wakes it (sem_wake_up()). A sleeper that finds itself
 * marked waits, without spinning, for its result.
 *
 * Undo lists: sem_undo.c.
 *
 * Lock order: sipc_perm.lock of a set -> sem_one.lock (never two at
 * once); sem_undo.c's locks under sipc_perm.lock.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/hrtimer.h>
#include <linux/ktime.h>
#include <linux/nospec.h>
#include <linux/pid.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/sem.h>
#include <linux/slab.h>
#include <linux/seq_file.h>
#include <linux/uaccess.h>

#include "sem.h"
#include "trace.h"

/* Indexes of shadowipc_limits.sem[], the order of /proc/sys/kernel/sem */
#define SEM_LIM_MSL	0
#define SEM_LIM_MNS	1
#define SEM_LIM_OPM	2
#define SEM_LIM_MNI	3

/* semop() copies up to this many operations onto the stack. */
#define SEM_OPS_FAST	64

/* sem_lock()'s result when it took the set's lock */
#define SEM_GLOBAL_LOCK	(-1)
/* unlocks of the set's lock in global mode after the last complex op */
#define SEM_GLOBAL_HYSTERESIS	10
/* sem_queue.status between the waker's unlock and its wake-up */
#define SEM_Q_WAKING	1

/**
 * struct sem_queue - a waiting semop(), on its task's stack
 * @list: in one of the set's pending lists
 * @sleeper: the task
 * @undo: its undo entry for the set, NULL without SEM_UNDO
 * @pid: its thread group, recorded as the semaphores' pid on success
 * @status: -EINTR while waiting, SEM_Q_WAKING once a waker took it off
 *	its list, then the result, stored last by the waker (release)
 * @result: the result, for the waker to store after its unlock
 * @sops: the operations
 * @blocking: the operation it waits on
 * @erange: why an operation was ERANGE: SHADOWIPC_CHECK_SEMVMX (a value
 *	above SEMVMX) or SHADOWIPC_CHECK_SEMAEM (an adjustment beyond SEMAEM)
 * @erange_asked: that value, or the adjustment's magnitude
 * @nsops: how many operations
 * @alter: some operation changes a value
 * @dupsop: some semaphore may be altered twice: apply one by one
 */
struct sem_queue {
	struct list_head list;
	struct task_struct *sleeper;
	struct sipc_undo *undo;
	struct pid *pid;
	int status;
	int result;
	struct sembuf *sops;
	struct sembuf *blocking;
	enum shadowipc_check erange;
	int erange_asked;
	int nsops;
	bool alter;
	bool dupsop;
};

static int sem_limit(struct sipc_ns *ns, int which)
{
	return READ_ONCE(ns->limits.sem[which]);
}

/**
 * sem_free_rcu() - free a set after its grace period
 * @rcu: the set's &sipc_perm.rcu
 */
void sem_free_rcu(struct rcu_head *rcu)
{
	kvfree(sem_of(container_of(rcu, struct sipc_perm, rcu)));
}

/*
 * sem_complex_enter() - enter global mode, or stay in it longer
 * (complexmode_enter())
 *
 * Context: the set's lock held.
 */
static void sem_complex_enter(struct sipc_sem *sma)
{
	int i;

	lockdep_assert_held(&sma->perm.lock);

	if (sma->use_global_lock) {
		WRITE_ONCE(sma->use_global_lock, SEM_GLOBAL_HYSTERESIS);
		return;
	}
	WRITE_ONCE(sma->use_global_lock, SEM_GLOBAL_HYSTERESIS);
	/*
	 * Wait out the single operations in progress. Those that lock a
	 * semaphore after this see the flag (the unlock releases it, their
	 * sem_lock() reads it with acquire) and take the set's lock.
	 */
	for (i = 0; i < sma->nsems; i++) {
		spin_lock(&sma->sems[i].lock);
		spin_unlock(&sma->sems[i].lock);
	}
}

/*
 * sem_complex_tryleave() - count down global mode while no complex
 * operation waits (complexmode_tryleave())
 *
 * Context: the set's lock held.
 */
static void sem_complex_tryleave(struct sipc_sem *sma)
{
	lockdep_assert_held(&sma->perm.lock);

	if (sma->complex_count || !sma->use_global_lock)
		return;
	if (sma->use_global_lock == 1)
		/* Pairs with sem_lock()'s acquire. */
		smp_store_release(&sma->use_global_lock, 0);
	else
		WRITE_ONCE(sma->use_global_lock, sma->use_global_lock - 1);
}

/*
 * sem_lock() - lock what @nsops operations @sops need: the semaphore of a
 * single operation outside global mode, else the set in global mode
 *
 * Context: RCU held (the set was looked up under it).
 * Return: the semaphore locked, or SEM_GLOBAL_LOCK; for sem_unlock().
 */
static int sem_lock(struct sipc_sem *sma, struct sembuf *sops, int nsops)
{
	struct sem_one *sem;

	if (nsops != 1) {
		spin_lock(&sma->perm.lock);
		sem_complex_enter(sma);
		return SEM_GLOBAL_LOCK;
	}
	sem = &sma->sems[array_index_nospec(sops->sem_num, sma->nsems)];
	if (!READ_ONCE(sma->use_global_lock)) {
		spin_lock(&sem->lock);
		/* Pairs with sem_complex_tryleave()'s release. */
		if (!smp_load_acquire(&sma->use_global_lock))
			return sops->sem_num;
		spin_unlock(&sem->lock);
	}
	spin_lock(&sma->perm.lock);
	if (sma->use_global_lock)
		return SEM_GLOBAL_LOCK;
	/* Global mode ended while we waited: it cannot start again now. */
	spin_lock(&sem->lock);
	spin_unlock(&sma->perm.lock);
	return sops->sem_num;
}

/*
 * sem_unlock() - undo sem_lock(); for the set's lock, split the queues
 * back out if no complex operation waits any more (unmerge_queues()) and
 * count down global mode
 */
static void sem_unlock(struct sipc_sem *sma, int locknum)
{
	struct sem_queue *q, *tmp;

	if (locknum != SEM_GLOBAL_LOCK) {
		spin_unlock(&sma->sems[locknum].lock);
		return;
	}
	if (!sma->complex_count) {
		list_for_each_entry_safe(q, tmp, &sma->pending_alter, list)
			list_add_tail(&q->list,
				      &sma->sems[q->sops[0].sem_num].pending_alter);
		INIT_LIST_HEAD(&sma->pending_alter);
	}
	sem_complex_tryleave(sma);
	spin_unlock(&sma->perm.lock);
}

/* The semaphore a single operation names, -1 for complex or unknown ones. */
static inline int sem_single(const struct sembuf *sops, int nsops)
{
	return sops && nsops == 1 ? sops->sem_num : -1;
}

/* The set locked, or for a single operation on @semnum (>= 0) its semaphore. */
#define sem_assert_locked(sma, semnum)					\
	lockdep_assert(lockdep_is_held(&(sma)->perm.lock) ||		\
		       ((semnum) >= 0 &&				\
			lockdep_is_held(&(sma)->sems[semnum].lock)))

/**
 * sem_lock_all() - the set's lock, in global mode, for all but semop()
 * @sma: the set
 *
 * Context: rcu_read_lock() or a reference keeps @sma; takes its lock.
 */
void sem_lock_all(struct sipc_sem *sma)
	__acquires(&sma->perm.lock)
{
	spin_lock(&sma->perm.lock);
	sem_complex_enter(sma);
}

/**
 * sem_unlock_all() - undo sem_lock_all()
 * @sma: the set
 *
 * Context: @sma locked by sem_lock_all().
 */
void sem_unlock_all(struct sipc_sem *sma)
	__releases(&sma->perm.lock)
{
	sem_unlock(sma, SEM_GLOBAL_LOCK);
}

/*
 * sem_merge_queues() - move every waiting single altering operation to
 * the set's list, before the first complex one queues (merge_queues())
 *
 * Context: the set locked.
 */
static void sem_merge_queues(struct sipc_sem *sma)
{
	int i;

	lockdep_assert_held(&sma->perm.lock);

	for (i = 0; i < sma->nsems; i++)
		list_splice_init(&sma->sems[i].pending_alter,
				 &sma->pending_alter);
}

/*
 * Whether @sop's new value @val, and with SEM_UNDO the adjustment it
 * makes, fit: 0, or -ERANGE with the check that failed noted in @q.
 */
static int sem_range_check(struct sem_queue *q, const struct sembuf *sop,
			   int val)
{
	int adj;

	if (val > SEMVMX) {
		q->erange = SHADOWIPC_CHECK_SEMVMX;
		q->erange_asked = val;
		return -ERANGE;
	}
	if (!(sop->sem_flg & SEM_UNDO))
		return 0;
	adj = q->undo->semadj[sop->sem_num] - sop->sem_op;
	if (adj < -SEMAEM - 1 || adj > SEMAEM) {
		q->erange = SHADOWIPC_CHECK_SEMAEM;
		q->erange_asked = abs(adj);
		return -ERANGE;
	}
	return 0;
}

/*
 * sem_perform_dup() - sem_perform() for operations that may alter one
 * semaphore twice: apply each in turn, undo them all if one cannot be
 * (perform_atomic_semop_slow())
 *
 * Context: the set locked (asserted by sem_perform()).
 */
static int sem_perform_dup(struct sipc_sem *sma, struct sem_queue *q)
{
	struct sembuf *sop, *sops = q->sops;
	struct sipc_undo *un = q->undo;
	int result, err;

	for (sop = sops; sop < sops + q->nsops; sop++) {
		int idx = array_index_nospec(sop->sem_num, sma->nsems);
		struct sem_one *curr = &sma->sems[idx];

		result = curr->val;
		if (!sop->sem_op && result)
			goto would_block;
		result += sop->sem_op;
		if (result < 0)
			goto would_block;
		err = sem_range_check(q, sop, result);
		if (err) {
			result = err;
			goto undo;
		}
		if (sop->sem_flg & SEM_UNDO)
			un->semadj[sop->sem_num] -= sop->sem_op;
		curr->val = result;
	}
	for (sop = sops; sop < sops + q->nsops; sop++)
		sipc_set_pid(&sma->sems[sop->sem_num].pid, q->pid);
	return 0;

would_block:
	q->blocking = sop;
	result = (sop->sem_flg & IPC_NOWAIT) ? -EAGAIN : 1;
undo:
	while (sop > sops) {
		sop--;
		sma->sems[sop->sem_num].val -= sop->sem_op;
		if (sop->sem_flg & SEM_UNDO)
			un->semadj[sop->sem_num] += sop->sem_op;
	}
	return result;
}

/*
 * sem_perform() - try @q's operations, all or none (perform_atomic_semop())
 *
 * An operation blocks when it waits for zero on a non-zero value or would
 * take a value below zero; a value above SEMVMX, or an adjustment beyond
 * what a short holds, is ERANGE. The first operation that fails decides.
 *
 * Context: sem_lock() for the operations at hand (the set, or a single
 * operation's semaphore outside global mode).
 * Return: 0 (done), 1 (must wait; @q->blocking says on what), -EAGAIN
 * (would wait, with IPC_NOWAIT) or -ERANGE.
 */
static int sem_perform(struct sipc_sem *sma, struct sem_queue *q)
{
	struct sembuf *sop, *sops = q->sops;
	struct sipc_undo *un = q->undo;

	sem_assert_locked(sma, sem_single(sops, q->nsops));

	if (unlikely(q->dupsop))
		return sem_perform_dup(sma, q);

	/* Check everything first: no change to undo when one must wait. */
	for (sop = sops; sop < sops + q->nsops; sop++) {
		int idx = array_index_nospec(sop->sem_num, sma->nsems);
		int result = sma->sems[idx].val, err;

		if (!sop->sem_op && result)
			goto would_block;
		result += sop->sem_op;
		if (result < 0)
			goto would_block;
		err = sem_range_check(q, sop, result);
		if (err)
			return err;
	}
	for (sop = sops; sop < sops + q->nsops; sop++) {
		struct sem_one *curr = &sma->sems[sop->sem_num];

		if (sop->sem_flg & SEM_UNDO)
			un->semadj[sop->sem_num] -= sop->sem_op;
		curr->val += sop->sem_op;
		sipc_set_pid(&curr->pid, q->pid);
	}
	return 0;

would_block:
	q->blocking = sop;
	return (sop->sem_flg & IPC_NOWAIT) ? -EAGAIN : 1;
}

/*
 * sem_queue_wake() - take @q, off its list already, to be given @status
 * and woken once the locks are dropped, by sem_wake_up(@wakes)
 *
 * Context: the set locked (@q's semaphore at least).
 */
static void sem_queue_wake(struct sem_queue *q, int status,
			   struct list_head *wakes)
{
	q->result = status;
	/* From now on the sleeper waits for sem_wake_up(). */
	WRITE_ONCE(q->status, SEM_Q_WAKING);
	list_add_tail(&q->list, wakes);
}

/**
 * sem_wake_up() - give each sleeper on @wakes its result and wake it
 * @wakes: the sleepers sem_queue_wake() took off their queues
 *
 * A sleeper may return as soon as it reads its result, so its queue entry
 * is not touched after the store; the task reference keeps the wake-up
 * valid.
 *
 * Context: any; no set locked (the sleepers hold none either).
 */
void sem_wake_up(struct list_head *wakes)
{
	struct sem_queue *q, *tmp;

	list_for_each_entry_safe(q, tmp, wakes, list) {
		struct task_struct *sleeper = get_task_struct(q->sleeper);

		/* Pairs with sem_wait()'s acquire: the operations are done. */
		smp_store_release(&q->status, q->result);
		wake_up_process(sleeper);
		put_task_struct(sleeper);
	}
}

static void sem_queue_unlink(struct sipc_sem *sma, struct sem_queue *q)
{
	list_del(&q->list);
	if (q->nsops > 1)
		sma->complex_count--;
}

/*
 * sem_wake_const() - complete the wait-for-zero operations on semaphore
 * @semnum that can be, or the complex ones for -1 (wake_const_ops())
 *
 * Context: sem_lock() for the operations at hand (the set, or a single
 * operation's semaphore outside global mode).
 * Return: true when one completed successfully.
 */
static bool sem_wake_const(struct sipc_sem *sma, int semnum,
			   struct list_head *wakes)
{
	struct list_head *pending = semnum == -1 ? &sma->pending_const :
				    &sma->sems[semnum].pending_const;
	struct sem_queue *q, *tmp;
	bool completed = false;

	sem_assert_locked(sma, semnum);

	list_for_each_entry_safe(q, tmp, pending, list) {
		int err = sem_perform(sma, q);

		if (err > 0)
			continue;
		sem_queue_unlink(sma, q);
		sem_queue_wake(q, err, wakes);
		if (!err)
			completed = true;
	}
	return completed;
}

/*
 * sem_wake_zero() - after @sops (NULL: any semaphore) changed values,
 * complete the wait-for-zero operations on those now zero, then the
 * complex ones if any was (do_smart_wakeup_zero())
 *
 * Context: sem_lock() for the operations at hand (the set, or a single
 * operation's semaphore outside global mode).
 * Return: true when one completed successfully.
 */
static bool sem_wake_zero(struct sipc_sem *sma, struct sembuf *sops,
			  int nsops, struct list_head *wakes)
{
	bool completed = false, got_zero = false;
	int i, n = sops ? nsops : sma->nsems;

	sem_assert_locked(sma, sem_single(sops, nsops));

	for (i = 0; i < n; i++) {
		int num = sops ? sops[i].sem_num : i;

		if (!sma->sems[num].val) {
			got_zero = true;
			completed |= sem_wake_const(sma, num, wakes);
		}
	}
	/* The complex ones wait only in global mode. */
	if (got_zero && !list_empty(&sma->pending_const))
		completed |= sem_wake_const(sma, -1, wakes);
	return completed;
}

/*
 * sem_must_restart() - could the operation @q that just completed let an
 * earlier waiter through? (check_restart()) Only complex operations, or
 * waiting complex ones, can: a single waiter completing is a decrement,
 * and the waiters before it saw a higher value and still could not.
 */
static bool sem_must_restart(struct sipc_sem *sma, struct sem_queue *q)
{
	return !list_empty(&sma->pending_alter) || q->nsops > 1;
}

/*
 * sem_update_queue() - complete the altering operations waiting on
 * semaphore @semnum, or on the set's list for -1, oldest first
 * (update_queue())
 *
 * Context: sem_lock() for the operations at hand (the set, or a single
 * operation's semaphore outside global mode).
 * Return: true when one completed successfully.
 */
static bool sem_update_queue(struct sipc_sem *sma, int semnum,
			     struct list_head *wakes)
{
	struct list_head *pending = semnum == -1 ? &sma->pending_alter :
				    &sma->sems[semnum].pending_alter;
	struct sem_queue *q, *tmp;
	bool completed = false;

	sem_assert_locked(sma, semnum);
again:
	list_for_each_entry_safe(q, tmp, pending, list) {
		bool restart = false;
		int err;

		/*
		 * The single operations on a semaphore at zero are all
		 * decrements (increments never wait): none can complete.
		 */
		if (semnum != -1 && !sma->sems[semnum].val)
			break;
		err = sem_perform(sma, q);
		if (err > 0)
			continue;
		sem_queue_unlink(sma, q);
		if (!err) {
			completed = true;
			sem_wake_zero(sma, q->sops, q->nsops, wakes);
			restart = sem_must_restart(sma, q);
		}
		sem_queue_wake(q, err, wakes);
		if (restart)
			goto again;
	}
	return completed;
}

static void sem_set_otime(struct sipc_sem *sma, struct sembuf *sops)
{
	sma->sems[sops ? sops[0].sem_num : 0].otime = ktime_get_real_seconds();
}

/**
 * sem_smart_update() - complete what the change made by @sops (NULL:
 * unknown, any semaphore) lets through, and set the operation time if
 * @otime or anything completed (do_smart_update())
 * @sma: the set
 * @sops: the operations that changed it, NULL for unknown
 * @nsops: how many
 * @otime: set the operation time even if nothing completed
 * @wakes: where the completed sleepers go, for sem_wake_up()
 *
 * Context: sem_lock() for the operations at hand (the set, or a single
 * operation's semaphore outside global mode).
 */
void sem_smart_update(struct sipc_sem *sma, struct sembuf *sops, int nsops,
		      bool otime, struct list_head *wakes)
{
	int i;

	sem_assert_locked(sma, sem_single(sops, nsops));

	otime |= sem_wake_zero(sma, sops, nsops, wakes);
	if (!list_empty(&sma->pending_alter)) {
		otime |= sem_update_queue(sma, -1, wakes);
	} else if (!sops) {
		for (i = 0; i < sma->nsems; i++)
			otime |= sem_update_queue(sma, i, wakes);
	} else {
		/*
		 * No complex waiter: every waiter decrements, and only the
		 * semaphores we raised can let one through.
		 */
		for (i = 0; i < nsops; i++)
			if (sops[i].sem_op > 0)
				otime |= sem_update_queue(sma, sops[i].sem_num,
							  wakes);
	}
	if (otime)
		sem_set_otime(sma, sops);
}

/* Does @q wait on semaphore @semnum, for zero or for more? (check_qop()) */
static bool sem_queue_waits_on(struct sem_queue *q, int semnum, bool zero)
{
	struct sembuf *sop = q->blocking;

	if (sop->sem_num != semnum)
		return false;
	return zero ? !sop->sem_op : sop->sem_op < 0;
}

/*
 * sem_count_waiters() - GETZCNT (@zero) and GETNCNT: the tasks whose
 * first operation that cannot proceed waits on @semnum (count_semcnt())
 *
 * Context: the set locked.
 */
static int sem_count_waiters(struct sipc_sem *sma, int semnum, bool zero)
{
	struct sem_one *sem = &sma->sems[semnum];
	struct sem_queue *q;
	int n = 0;

	lockdep_assert_held(&sma->perm.lock);

	list_for_each_entry(q, zero ? &sem->pending_const : &sem->pending_alter,
			    list)
		n++;
	list_for_each_entry(q, &sma->pending_alter, list)
		n += sem_queue_waits_on(q, semnum, zero);
	if (zero)
		list_for_each_entry(q, &sma->pending_const, list)
			n += sem_queue_waits_on(q, semnum, zero);
	return n;
}

/*
 * sem_newary() - create a set (newary())
 *
 * Context: the sem rwsem held for write.
 * Return: the new id, or -EINVAL (no semaphores), -ENOSPC (semmns,
 * semmni, ids) or -ENOMEM.
 */
static int sem_newary(struct sipc_ids *ids, key_t key, int semflg, void *arg)
{
	struct sipc_ns *ns = ids->ns;
	int nsems = *(int *)arg;
	struct sipc_sem *sma;
	int i, id;

	lockdep_assert_held_write(&ids->rwsem);

	if (!nsems)
		return -EINVAL;
	if (ns->sem.used + nsems > sem_limit(ns, SEM_LIM_MNS))
		return sipc_refuse(ns, SHADOWIPC_CHECK_SEMMNS, -ENOSPC, nsems,
				   ns->sem.used, sem_limit(ns, SEM_LIM_MNS));
	if (nsems > (INT_MAX - sizeof(*sma)) / sizeof(sma->sems[0]))
		return -ENOMEM;
	sma = kvzalloc(struct_size(sma, sems, nsems),
		       GFP_KERNEL_ACCOUNT | __GFP_NOWARN);
	if (!sma)
		return -ENOMEM;
	sma->perm.mode = semflg & 0777;
	sma->perm.get_size = nsems;	/* semget() may ask for as many */
	sma->perm.key = key;
	for (i = 0; i < nsems; i++) {
		spin_lock_init(&sma->sems[i].lock);
		INIT_LIST_HEAD(&sma->sems[i].pending_alter);
		INIT_LIST_HEAD(&sma->sems[i].pending_const);
	}
	INIT_LIST_HEAD(&sma->pending_alter);
	INIT_LIST_HEAD(&sma->pending_const);
	INIT_LIST_HEAD(&sma->undos);
	sma->nsems = nsems;
	/* published under the set's lock: leave global mode as if entered */
	sma->use_global_lock = SEM_GLOBAL_HYSTERESIS;
	sma->ctime = ktime_get_real_seconds();

	/* Locks and publishes the set: nothing below may fail. */
	id = sipc_ids_add(ids, &sma->perm, sem_limit(ns, SEM_LIM_MNI));
	if (id < 0) {
		kvfree(sma);
		return id;
	}
	ns->sem.used += nsems;
	id = sma->perm.id;
	trace_shadowipc_obj_create(&sma->perm, nsems);
	sem_unlock_all(sma);
	rcu_read_unlock();
	return id;
}

/* semget() of an existing set: it must have @arg's nsems at least. */
static int sem_more_checks(struct sipc_perm *perm, void *arg)
{
	return *(int *)arg > sem_of(perm)->nsems ? -EINVAL : 0;
}

/*
 * sem_freeary() - remove a set: its undo entries go, every sleeper fails
 * with EIDRM (freeary())
 *
 * Context: the sem rwsem held for write, RCU and @perm's lock held;
 * returns with the rwsem only.
 */
static void sem_freeary(struct sipc_ids *ids, struct sipc_perm *perm)
	__releases(&perm->lock) __releases(RCU)
{
	struct sipc_sem *sma = sem_of(perm);
	struct sipc_undo *un, *utmp;
	struct sem_queue *q, *qtmp;
	LIST_HEAD(wakes);
	int i;

	lockdep_assert_held_write(&ids->rwsem);
	lockdep_assert_held(&perm->lock);

	trace_shadowipc_obj_destroy(perm, sma->nsems);
	/* The namespace's teardown locked it without sem_lock_all(). */
	sem_complex_enter(sma);

	list_for_each_entry_safe(un, utmp, &sma->undos, list_id) {
		sem_undo_unlink(un);
		kvfree_rcu(un, rcu);
	}
	list_for_each_entry_safe(q, qtmp, &sma->pending_const, list) {
		sem_queue_unlink(sma, q);
		sem_queue_wake(q, -EIDRM, &wakes);
	}
	list_for_each_entry_safe(q, qtmp, &sma->pending_alter, list) {
		sem_queue_unlink(sma, q);
		sem_queue_wake(q, -EIDRM, &wakes);
	}
	for (i = 0; i < sma->nsems; i++) {
		struct sem_one *sem = &sma->sems[i];

		list_for_each_entry_safe(q, qtmp, &sem->pending_const, list) {
			sem_queue_unlink(sma, q);
			sem_queue_wake(q, -EIDRM, &wakes);
		}
		list_for_each_entry_safe(q, qtmp, &sem->pending_alter, list) {
			sem_queue_unlink(sma, q);
			sem_queue_wake(q, -EIDRM, &wakes);
		}
		sipc_set_pid(&sem->pid, NULL);
	}
	sipc_ids_rmid(ids, perm);
	sem_unlock_all(sma);
	rcu_read_unlock();
	sem_wake_up(&wakes);
	ids->ns->sem.used -= sma->nsems;
	sipc_perm_putref(perm, sem_free_rcu);
}

/**
 * sipc_sem_init_ns() - start a namespace with no semaphores
 * @ns: the namespace; ns.c set its limits
 *
 * Context: process context, before @ns is reachable.
 */
void sipc_sem_init_ns(struct sipc_ns *ns)
{
	ns->sem.used = 0;
}

/**
 * sipc_sem_exit_ns() - destroy every set of a dying namespace
 * @ns: the namespace, unreachable; its tasks are gone, so no one sleeps
 *	on its sets, but undo lists may still hold entries for them
 *
 * Context: process context, may sleep, no locks held.
 */
void sipc_sem_exit_ns(struct sipc_ns *ns)
{
	sipc_ids_free_all(sem_ids(ns), sem_freeary);
}

/**
 * sipc_sem_get() - semget(2) in @ns
 * @ns: the caller's namespace
 * @key: the key, IPC_PRIVATE for a new private set
 * @nsems: semaphores in a new set; at most those of an existing one
 * @semflg: IPC_CREAT, IPC_EXCL and the mode bits
 *
 * Context: process context, may sleep.
 * Return: the set id, or -EINVAL, -ENOENT, -EEXIST, -EACCES, -ENOSPC,
 * -ENOMEM.
 */
long sipc_sem_get(struct sipc_ns *ns, key_t key, int nsems, int semflg)
{
	static const struct sipc_get_ops ops = {
		.newobj = sem_newary,
		.more_checks = sem_more_checks,
	};

	if (nsems < 0)
		return -EINVAL;
	if (nsems > sem_limit(ns, SEM_LIM_MSL))
		return sipc_refuse(ns, SHADOWIPC_CHECK_SEMMSL, -EINVAL, nsems, 0,
				   sem_limit(ns, SEM_LIM_MSL));
	return sipc_ids_get(sem_ids(ns), key, semflg, &ops, &nsems);
}

/*
 * sem_queue_add() - queue @q to wait, where its kind of operation waits
 *
 * Context: sem_lock() for the operations at hand (the set, or a single
 * operation's semaphore outside global mode).
 */
static void sem_queue_add(struct sipc_sem *sma, struct sem_queue *q)
{
	struct sembuf *sops = q->sops;

	sem_assert_locked(sma, sem_single(sops, q->nsops));

	if (q->nsops == 1) {
		struct sem_one *curr =
			&sma->sems[array_index_nospec(sops->sem_num, sma->nsems)];

		if (!q->alter)
			list_add_tail(&q->list, &curr->pending_const);
		else if (sma->complex_count)
			list_add_tail(&q->list, &sma->pending_alter);
		else
			list_add_tail(&q->list, &curr->pending_alter);
		return;
	}
	if (!sma->complex_count)
		sem_merge_queues(sma);
	list_add_tail(&q->list, q->alter ? &sma->pending_alter :
					   &sma->pending_const);
	sma->complex_count++;
}

/*
 * sem_wait_result() - the result a waker gave @q, waiting for it while @q
 * is marked SEM_Q_WAKING (the waker is between its unlock and the store)
 *
 * Context: process context, no locks held; sleeps.
 */
static int sem_wait_result(struct sem_queue *q)
{
	/* Pairs with sem_wake_up()'s release: the operations are done. */
	int err = smp_load_acquire(&q->status);

	while (err == SEM_Q_WAKING) {
		set_current_state(TASK_UNINTERRUPTIBLE);
		/* As above; the state set first pairs with the wake-up. */
		err = smp_load_acquire(&q->status);
		if (err == SEM_Q_WAKING)
			schedule();
		__set_current_state(TASK_RUNNING);
	}
	return err;
}

/*
 * sem_wait() - sleep until the operations completed or failed, the
 * timeout, a signal, or the set's removal (the wait of __do_semtimedop())
 * @locknum: what sem_lock() locked
 *
 * Context: called with RCU and sem_lock() held, @q queued; returns with
 * both released.
 * Return: the result a waker stored, -EAGAIN (timed out), -EINTR (a
 * signal; never restarted, as in Linux) or -EIDRM.
 */
static int sem_wait(struct sipc_sem *sma, struct sem_queue *q, ktime_t *exp,
		    int locknum)
	__releases(RCU)
{
	bool timed_out, deleted;
	int err;

	do {
		WRITE_ONCE(q->status, -EINTR);
		q->sleeper = current;
		__set_current_state(TASK_INTERRUPTIBLE);
		sem_unlock(sma, locknum);
		rcu_read_unlock();
		timed_out = !schedule_hrtimeout_range(exp,
						      current->timer_slack_ns,
						      HRTIMER_MODE_ABS);
		/*
		 * Without a reference, RCU keeps the set: a removal takes
		 * every sleeper off before the set can be freed, so if we
		 * find we were not taken, it cannot have been freed before
		 * this read.
		 */
		rcu_read_lock();
		if (READ_ONCE(q->status) != -EINTR) {
			rcu_read_unlock();
			return sem_wait_result(q);
		}
		locknum = sem_lock(sma, q->sops, q->nsops);
		if (READ_ONCE(q->status) != -EINTR) {
			deleted = sma->perm.deleted;
			sem_unlock(sma, locknum);
			rcu_read_unlock();
			err = sem_wait_result(q);
			/* Linux returns the -EINTR it read if it lost this race. */
			return deleted ? -EINTR : err;
		}
		err = timed_out ? -EAGAIN : -EINTR;
	} while (err == -EINTR && !signal_pending(current));
	sem_queue_unlink(sma, q);
	sem_unlock(sma, locknum);
	rcu_read_unlock();
	return err;
}

/*
 * sem_do_op() - semtimedop() on operations copied in (__do_semtimedop())
 *
 * Context: process context, may sleep, no locks held.
 */
static long sem_do_op(struct sipc_ns *ns, int semid, struct sembuf *sops,
		      unsigned int nsops, const struct timespec64 *timeout)
{
	struct sem_queue q = {
		.sops = sops, .nsops = nsops, .pid = task_tgid(current),
	};
	struct sipc_undo_list *ulp = NULL;
	ktime_t expires, *exp = NULL;
	unsigned long dup = 0;
	struct sipc_perm *perm;
	struct sipc_sem *sma;
	bool undos = false;
	struct sembuf *sop;
	LIST_HEAD(wakes);
	int max = 0, locknum;
	long err;

	if (semid < 0)
		return -EINVAL;
	if (timeout) {
		if (!timespec64_valid(timeout))
			return -EINVAL;
		expires = ktime_add_safe(ktime_get(),
					 timespec64_to_ktime(*timeout));
		exp = &expires;
	}

	for (sop = sops; sop < sops + nsops; sop++) {
		unsigned long mask = 1UL << (sop->sem_num % BITS_PER_LONG);

		max = max_t(int, max, sop->sem_num);
		if (sop->sem_flg & SEM_UNDO)
			undos = true;
		/* An earlier operation altered the same (or an aliasing) one. */
		if (dup & mask)
			q.dupsop = true;
		if (sop->sem_op) {
			q.alter = true;
			dup |= mask;
		}
	}

	if (undos) {
		q.undo = sem_undo_find_alloc(ns, semid, &ulp);
		if (IS_ERR(q.undo)) {
			err = PTR_ERR(q.undo);
			goto out_put_ulp;
		}
	} else {
		rcu_read_lock();
	}

	perm = sipc_ids_obtain_check(sem_ids(ns), semid);
	if (IS_ERR(perm)) {
		err = PTR_ERR(perm);
		goto out_unlock_rcu;
	}
	sma = sem_of(perm);
	err = -EFBIG;
	if (max >= sma->nsems)
		goto out_unlock_rcu;
	err = -EACCES;
	if (sipc_ipcperms(ns, perm, q.alter ? 0222 : 0444))
		goto out_unlock_rcu;

	locknum = sem_lock(sma, sops, nsops);
	err = -EIDRM;
	/* Removed since the lookup; or the undo entry was for a set
	 * removed since, whose id a new set got.
	 */
	if (perm->deleted || (q.undo && q.undo->sma != sma))
		goto out_unlock;

	err = sem_perform(sma, &q);
	if (!err) {
		if (q.alter)
			sem_smart_update(sma, sops, nsops, true, &wakes);
		else
			sem_set_otime(sma, sops);
		goto out_unlock;
	}
	if (err < 0)
		goto out_unlock;

	sem_queue_add(sma, &q);
	err = sem_wait(sma, &q, exp, locknum);
	goto out_put_ulp;

out_unlock:
	sem_unlock(sma, locknum);
out_unlock_rcu:
	rcu_read_unlock();
	sem_wake_up(&wakes);
out_put_ulp:
	if (ulp)
		sem_undo_list_put(ulp);
	/* said here, by the caller, also when a waker found it out */
	if (err == -ERANGE)
		err = sipc_refuse(ns, q.erange, err, q.erange_asked, 0,
				  q.erange == SHADOWIPC_CHECK_SEMAEM ? SEMAEM :
								     SEMVMX);
	return err;
}

/**
 * sipc_sem_op() - semop(2) and semtimedop(2) in @ns (do_semtimedop())
 * @ns: the caller's namespace
 * @semid: the set id
 * @usops: the operations, in user memory
 * @nsops: how many, at most semopm
 * @timeout: relative timeout, copied in already; NULL for none
 *
 * Context: process context, may sleep, no locks held.
 * Return: 0, or -E2BIG, -EINVAL, -ENOMEM, -EFAULT, -EFBIG, -EACCES,
 * -EIDRM, -ERANGE, -EAGAIN or -EINTR.
 */
long sipc_sem_op(struct sipc_ns *ns, int semid, struct sembuf __user *usops,
		 unsigned int nsops, const struct timespec64 *timeout)
{
	struct sembuf fast_sops[SEM_OPS_FAST];
	struct sembuf *sops = fast_sops;
	long err;

	if (nsops > (unsigned int)sem_limit(ns, SEM_LIM_OPM))
		return sipc_refuse(ns, SHADOWIPC_CHECK_SEMOPM, -E2BIG, nsops, 0,
				   sem_limit(ns, SEM_LIM_OPM));
	if (nsops < 1)
		return -EINVAL;
	if (nsops > SEM_OPS_FAST) {
		/* user-sized: charged, and a failure, never a warning */
		sops = kvmalloc_array(nsops, sizeof(*sops),
				      GFP_KERNEL_ACCOUNT | __GFP_NOWARN);
		if (!sops)
			return -ENOMEM;
	}
	err = -EFAULT;
	if (!copy_from_user(sops, usops, nsops * sizeof(*sops)))
		err = sem_do_op(ns, semid, sops, nsops, timeout);
	trace_shadowipc_semop(ns, semid, nsops, err);
	if (sops != fast_sops)
		kvfree(sops);
	return err;
}

/* IPC_INFO and SEM_INFO. Return: the highest index in use, or -EFAULT */
static int semctl_info(struct sipc_ns *ns, int cmd, void __user *p)
{
	struct sipc_ids *ids = sem_ids(ns);
	struct seminfo info;
	int max_idx;

	memset(&info, 0, sizeof(info));
	info.semmni = sem_limit(ns, SEM_LIM_MNI);
	info.semmns = sem_limit(ns, SEM_LIM_MNS);
	info.semmsl = sem_limit(ns, SEM_LIM_MSL);
	info.semopm = sem_limit(ns, SEM_LIM_OPM);
	info.semvmx = SEMVMX;
	info.semmnu = SEMMNU;
	info.semmap = SEMMAP;
	info.semume = SEMUME;
	down_read(&ids->rwsem);
	if (cmd == SEM_INFO) {
		info.semusz = ids->in_use;
		info.semaem = ns->sem.used;
	} else {
		info.semusz = SEMUSZ;
		info.semaem = SEMAEM;
	}
	max_idx = sipc_ids_max_idx(ids);
	up_read(&ids->rwsem);
	if (copy_to_user(p, &info, sizeof(info)))
		return -EFAULT;
	return max(max_idx, 0);
}

/* sem_otime: the latest semop() on any semaphore of the set. */
static time64_t sem_get_otime(struct sipc_sem *sma)
{
	time64_t otime = sma->sems[0].otime;
	int i;

	for (i = 1; i < sma->nsems; i++)
		otime = max(otime, sma->sems[i].otime);
	return otime;
}

/*
 * IPC_STAT (by id), SEM_STAT (by index) and SEM_STAT_ANY (by index, no
 * permission check). Return: 0 for IPC_STAT, else the set's full id; or
 * -EINVAL, -EACCES, -EIDRM.
 */
static int semctl_stat(struct sipc_ns *ns, int semid, int cmd,
		       struct semid64_ds *out)
{
	struct sipc_perm *perm;
	struct sipc_sem *sma;
	int ret;

	memset(out, 0, sizeof(*out));
	perm = sipc_ids_lock_stat(sem_ids(ns), semid, cmd != IPC_STAT,
				  cmd != SEM_STAT_ANY);
	if (IS_ERR(perm))
		return PTR_ERR(perm);
	sma = sem_of(perm);
	sipc_perm_to_user64(perm, &out->sem_perm);
	out->sem_otime = sem_get_otime(sma);
	out->sem_ctime = sma->ctime;
	out->sem_nsems = sma->nsems;
	ret = cmd == IPC_STAT ? 0 : perm->id;
	spin_unlock(&perm->lock);
	rcu_read_unlock();
	return ret;
}

/*
 * sem_obtain_perm() - the set @semid, if the caller has @acc access
 *
 * Context: returns with RCU held on success, nothing held on failure.
 * Return: the set (unlocked), or ERR_PTR(-EINVAL) or ERR_PTR(-EACCES).
 */
static struct sipc_sem *sem_obtain_perm(struct sipc_ns *ns, int semid,
					short acc)
	__acquires(RCU)
{
	struct sipc_perm *perm;

	rcu_read_lock();
	perm = sipc_ids_obtain_check(sem_ids(ns), semid);
	if (!IS_ERR(perm) && sipc_ipcperms(ns, perm, acc))
		perm = ERR_PTR(-EACCES);
	if (IS_ERR(perm)) {
		rcu_read_unlock();
		return ERR_CAST(perm);
	}
	return sem_of(perm);
}

/*
 * semctl_all() - GETALL and SETALL, through a buffer allocated (and for
 * SETALL filled and checked) with the set pinned by a reference and no
 * lock held
 *
 * Context: process context, may sleep, no locks held.
 * Return: 0, or -EINVAL, -EACCES, -ENOMEM, -EFAULT, -ERANGE, -EIDRM.
 */
static int semctl_all(struct sipc_ns *ns, int semid, int cmd,
		      u16 __user *uvals)
{
	struct sipc_sem *sma;
	int i, nsems, err;
	LIST_HEAD(wakes);
	u16 *vals;

	sma = sem_obtain_perm(ns, semid, cmd == SETALL ? 0222 : 0444);
	if (IS_ERR(sma))
		return PTR_ERR(sma);
	nsems = sma->nsems;
	if (!sipc_perm_getref(&sma->perm)) {
		rcu_read_unlock();
		return -EIDRM;
	}
	rcu_read_unlock();

	err = -ENOMEM;
	vals = kvmalloc_array(nsems, sizeof(*vals),
			      GFP_KERNEL_ACCOUNT | __GFP_NOWARN);
	if (!vals)
		goto out_putref;
	if (cmd == SETALL) {
		err = -EFAULT;
		if (copy_from_user(vals, uvals, nsems * sizeof(*vals)))
			goto out_free;
		for (i = 0; i < nsems; i++) {
			if (vals[i] > SEMVMX) {
				err = sipc_refuse(ns, SHADOWIPC_CHECK_SEMVMX, -ERANGE,
						  vals[i], 0, SEMVMX);
				goto out_free;
			}
		}
	}

	rcu_read_lock();
	sem_lock_all(sma);
	/* Removed while we did not hold the lock. */
	err = -EIDRM;
	if (sma->perm.deleted)
		goto out_unlock;
	for (i = 0; i < nsems; i++) {
		struct sem_one *sem = &sma->sems[i];

		if (cmd == GETALL) {
			vals[i] = sem->val;
			continue;
		}
		sem->val = vals[i];
		sipc_set_pid(&sem->pid, task_tgid(current));
	}
	if (cmd == SETALL) {
		sem_clear_semadj(sma, -1);
		sma->ctime = ktime_get_real_seconds();
		sem_smart_update(sma, NULL, 0, false, &wakes);
	}
	err = 0;
out_unlock:
	sem_unlock_all(sma);
	rcu_read_unlock();
	sem_wake_up(&wakes);
	if (!err && cmd == GETALL &&
	    copy_to_user(uvals, vals, nsems * sizeof(*vals)))
		err = -EFAULT;
out_free:
	kvfree(vals);
out_putref:
	sipc_perm_putref(&sma->perm, sem_free_rcu);
	return err;
}

/*
 * semctl_get() - GETVAL, GETPID, GETNCNT, GETZCNT of semaphore @semnum
 *
 * Context: process context, no locks held.
 * Return: the value asked for, or -EINVAL, -EACCES, -EIDRM.
 */
static int semctl_get(struct sipc_ns *ns, int semid, int semnum, int cmd)
{
	struct sipc_sem *sma;
	struct sem_one *sem;
	int ret;

	sma = sem_obtain_perm(ns, semid, 0444);
	if (IS_ERR(sma))
		return PTR_ERR(sma);
	ret = -EINVAL;
	if (semnum < 0 || semnum >= sma->nsems)
		goto out_unlock_rcu;
	sem_lock_all(sma);
	/* A removal may have won the race for the lock. */
	ret = -EIDRM;
	if (sma->perm.deleted)
		goto out_unlock;
	semnum = array_index_nospec(semnum, sma->nsems);
	sem = &sma->sems[semnum];
	if (cmd == GETVAL)
		ret = sem->val;
	else if (cmd == GETPID)
		ret = pid_vnr(sem->pid);
	else
		ret = sem_count_waiters(sma, semnum, cmd == GETZCNT);
out_unlock:
	sem_unlock_all(sma);
out_unlock_rcu:
	rcu_read_unlock();
	return ret;
}

/*
 * semctl_setval() - SETVAL: set a value, clear its adjustment in every
 * undo list, complete what that lets through
 *
 * Context: process context, no locks held.
 * Return: 0, or -ERANGE, -EINVAL, -EACCES, -EIDRM.
 */
static int semctl_setval(struct sipc_ns *ns, int semid, int semnum, int val)
{
	struct sipc_perm *perm;
	struct sipc_sem *sma;
	struct sem_one *sem;
	LIST_HEAD(wakes);
	int err;

	if (val > SEMVMX)
		return sipc_refuse(ns, SHADOWIPC_CHECK_SEMVMX, -ERANGE, val, 0,
				   SEMVMX);
	if (val < 0)
		return -ERANGE;
	rcu_read_lock();
	perm = sipc_ids_obtain_check(sem_ids(ns), semid);
	if (IS_ERR(perm)) {
		err = PTR_ERR(perm);
		goto out_unlock_rcu;
	}
	sma = sem_of(perm);
	err = -EINVAL;
	if (semnum < 0 || semnum >= sma->nsems)
		goto out_unlock_rcu;
	err = -EACCES;
	if (sipc_ipcperms(ns, perm, 0222))
		goto out_unlock_rcu;
	sem_lock_all(sma);
	/* A removal may have won the race for the lock. */
	err = -EIDRM;
	if (perm->deleted)
		goto out_unlock;
	semnum = array_index_nospec(semnum, sma->nsems);
	sem = &sma->sems[semnum];
	sem_clear_semadj(sma, semnum);
	sem->val = val;
	sipc_set_pid(&sem->pid, task_tgid(current));
	sma->ctime = ktime_get_real_seconds();
	sem_smart_update(sma, NULL, 0, false, &wakes);
	err = 0;
out_unlock:
	sem_unlock_all(sma);
out_unlock_rcu:
	rcu_read_unlock();
	sem_wake_up(&wakes);
	return err;
}

/*
 * IPC_SET and IPC_RMID, for the owner, the creator or CAP_SYS_ADMIN
 * (semctl_down()).
 *
 * Context: no locks held; takes the sem rwsem for write.
 * Return: 0, -EINVAL or -EPERM.
 */
static int semctl_down(struct sipc_ns *ns, int semid, int cmd,
		       struct semid64_ds *in)
{
	struct sipc_ids *ids = sem_ids(ns);
	struct sipc_perm *perm;
	struct sipc_sem *sma;
	int err;

	down_write(&ids->rwsem);
	rcu_read_lock();
	perm = sipc_ctl_obtain_check(ids, semid);
	if (IS_ERR(perm)) {
		err = PTR_ERR(perm);
		rcu_read_unlock();
		goto out_up;
	}
	/* Removal needs the rwsem we hold: it cannot have been removed. */
	sma = sem_of(perm);
	sem_lock_all(sma);
	if (cmd == IPC_RMID) {
		trace_shadowipc_obj_remove(perm, sma->nsems);
		sem_freeary(ids, perm);
		err = 0;
		goto out_up;
	}
	err = sipc_perm_update(&in->sem_perm, perm);
	if (!err)
		sma->ctime = ktime_get_real_seconds();
	sem_unlock_all(sma);
	rcu_read_unlock();
out_up:
	up_write(&ids->rwsem);
	return err;
}

/**
 * sipc_sem_ctl() - semctl(2) in @ns, as on x86-64 (IPC_64 layouts, the
 *	IPC_64 bit itself not accepted)
 * @ns: the caller's namespace
 * @semid: the set id, or an index for SEM_STAT and SEM_STAT_ANY
 * @semnum: the semaphore, for GETVAL, SETVAL, GETPID, GETNCNT, GETZCNT
 * @cmd: the command
 * @arg: union semun: the value for SETVAL (its low 32 bits), else a user
 *	pointer to struct semid64_ds, seminfo or the values
 *
 * Context: process context, may sleep, no locks held.
 * Return: as semctl(2).
 */
long sipc_sem_ctl(struct sipc_ns *ns, int semid, int semnum, int cmd,
		  unsigned long arg)
{
	void __user *p = (void __user *)arg;
	struct semid64_ds ds;
	int ret;

	if (semid < 0)
		return -EINVAL;

	switch (cmd) {
	case IPC_INFO:
	case SEM_INFO:
		return semctl_info(ns, cmd, p);
	case IPC_STAT:
	case SEM_STAT:
	case SEM_STAT_ANY:
		ret = semctl_stat(ns, semid, cmd, &ds);
		if (ret < 0)
			return ret;
		if (copy_to_user(p, &ds, sizeof(ds)))
			return -EFAULT;
		return ret;
	case GETALL:
	case SETALL:
		return semctl_all(ns, semid, cmd, p);
	case GETVAL:
	case GETPID:
	case GETNCNT:
	case GETZCNT:
		return semctl_get(ns, semid, semnum, cmd);
	case SETVAL:
		return semctl_setval(ns, semid, semnum, (int)arg);
	case IPC_SET:
		if (copy_from_user(&ds, p, sizeof(ds)))
			return -EFAULT;
		fallthrough;
	case IPC_RMID:
		return semctl_down(ns, semid, cmd, &ds);
	default:
		return -EINVAL;
	}
}

/*
 * The start of a holders line for set @sma; the caller adds the process
 * and the role.
 */
static void sem_holder_start(struct seq_file *m, struct sipc_ns *ns,
			     struct sipc_sem *sma)
{
	seq_printf(m, "sem %llu %d %d", ns->id, sma->perm.id, sma->perm.key);
}

/*
 * The sleepers of one of @sma's queues @list, with what each waits on:
 * its first operation that cannot proceed, for zero or to decrease.
 * Context: the set locked in global mode; rcu_read_lock().
 */
static void sem_holders_show_queue(struct seq_file *m, struct sipc_ns *ns,
				   struct sipc_sem *sma, struct list_head *list,
				   struct pid_namespace *pid_ns)
{
	struct sem_queue *q;

	list_for_each_entry(q, list, list) {
		sem_holder_start(m, ns, sma);
		sipc_seq_holder_task(m, q->sleeper, pid_ns);
		seq_printf(m, " - %s:%u\n", q->blocking->sem_op ? "dec" : "zero",
			   q->blocking->sem_num);
	}
}

/**
 * sipc_sem_holders_seq_show() - the sem lines of /proc/shadowipc/holders
 * @m: the file
 * @ns: a namespace the reader may see, referenced
 * @pid_ns: the pid namespace the pids are shown in
 *
 * For each set, in id order, one line per process with SEM_UNDO
 * adjustments pending on it ("sem NS ID KEY PID COMM - undo"), then one
 * per sleeper in semop(), with the semaphore its first blocked operation
 * waits on: "sem NS ID KEY PID COMM - zero:SEMNUM|dec:SEMNUM".
 *
 * Context: process context, may sleep; takes the sem rwsem (read), under
 * which no set is destroyed, then each set's lock in global mode, as
 * semctl() does, under which every queue and undo entry stays put: a
 * sleeper's entry, on its stack, is listed only while it sleeps, and an
 * undo entry holds its list, whose pid the list holds.
 */
void sipc_sem_holders_seq_show(struct seq_file *m, struct sipc_ns *ns,
			       struct pid_namespace *pid_ns)
{
	struct sipc_ids *ids = sem_ids(ns);
	struct sipc_perm *perm;
	struct sipc_sem *sma;
	struct sipc_undo *un;
	int idx, i;

	down_read(&ids->rwsem);
	idr_for_each_entry(&ids->idr, perm, idx) {
		sma = sem_of(perm);
		rcu_read_lock();
		sem_lock_all(sma);
		list_for_each_entry(un, &sma->undos, list_id) {
			if (!memchr_inv(un->semadj, 0,
					sma->nsems * sizeof(short)))
				continue;
			sem_holder_start(m, ns, sma);
			sipc_seq_holder_task(m, pid_task(un->ulp->pid,
							 PIDTYPE_TGID),
					     pid_ns);
			seq_puts(m, " - undo\n");
		}
		sem_holders_show_queue(m, ns, sma, &sma->pending_alter, pid_ns);
		sem_holders_show_queue(m, ns, sma, &sma->pending_const, pid_ns);
		for (i = 0; i < sma->nsems; i++) {
			sem_holders_show_queue(m, ns, sma,
					       &sma->sems[i].pending_alter,
					       pid_ns);
			sem_holders_show_queue(m, ns, sma,
					       &sma->sems[i].pending_const,
					       pid_ns);
		}
		sem_unlock_all(sma);
		rcu_read_unlock();
	}
	up_read(&ids->rwsem);
}

/* One /proc/shadowipc/sysvipc/sem line, as sysvipc_sem_proc_show(). */
static void sem_proc_show(struct seq_file *m, struct sipc_perm *perm,
			  struct pid_namespace *pid_ns)
{
	struct user_namespace *user_ns = seq_user_ns(m);
	struct sipc_sem *sma = sem_of(perm);

	seq_printf(m, "%10d %10d  %4o %10u %5u %5u %5u %5u %10llu %10llu\n",
		   perm->key, perm->id, perm->mode, sma->nsems,
		   from_kuid_munged(user_ns, perm->uid),
		   from_kgid_munged(user_ns, perm->gid),
		   from_kuid_munged(user_ns, perm->cuid),
		   from_kgid_munged(user_ns, perm->cgid),
		   sem_get_otime(sma), sma->ctime);
}

const struct sipc_proc_view sipc_sem_proc_view = {
	.name = "sem",
	.header = "       key      semid perms      nsems   uid   gid  cuid  cgid      otime      ctime\n",
	.kind = SIPC_SEM,
	.show = sem_proc_show,
};
