// SPDX-License-Identifier: GPL-2.0
/*
 * Task bindings: which shadow namespace each task (thread) is in, kept in
 * an RCU hash table keyed by the task pointer. Only tasks outside the root
 * of their real namespace, or that created a segment or were refused a
 * call (refuse.c), have an entry.
 * Every new task (fork, clone, threads, and kernel-made user tasks such as
 * io_uring's workers) inherits its creator's entry through a probe on
 * task_newtask, unless it got a real IPC namespace of its own; a probe on
 * sched_process_exit unhashes the entry and leaves the rest of the exit
 * (creator list, namespace put), which may sleep, to a task work that the
 * exiting task runs before its parent is notified.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/hash.h>
#include <linux/mempool.h>
#include <linux/module.h>
#include <linux/nsproxy.h>
#include <linux/rhashtable.h>
#include <linux/sched.h>
#include <linux/sched/mm.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <linux/task_work.h>
#include <linux/tracepoint.h>
#include <linux/wait_bit.h>

#include "internal.h"

/*
 * The key is a pointer: hash and compare it as one, not as bytes through
 * jhash2() and memcmp(), the defaults, on every call's lookup.
 */
static u32 task_hashfn(const void *data, u32 len, u32 seed)
{
	const struct task_struct *const *task = data;

	return hash_64((unsigned long)*task ^ seed, 32);
}

static int task_obj_cmpfn(struct rhashtable_compare_arg *arg,
			  const void *obj)
{
	const struct task_struct *const *task = arg->key;
	const struct sipc_task *t = obj;

	return t->task != *task;
}

static const struct rhashtable_params sipc_task_params = {
	.key_len = sizeof(struct task_struct *),
	.key_offset = offsetof(struct sipc_task, task),
	.head_offset = offsetof(struct sipc_task, node),
	.hashfn = task_hashfn,
	.obj_cmpfn = task_obj_cmpfn,
	.automatic_shrinking = true,
};

static struct rhashtable sipc_tasks;
static struct kmem_cache *sipc_task_cache;
/* Entries for forks, which cannot sleep; refilled as entries are freed. */
static mempool_t *sipc_task_pool;
#define SIPC_TASK_POOL_MIN	64

static atomic_t sipc_task_entries = ATOMIC_INIT(0);
static atomic64_t sipc_task_bound = ATOMIC64_INIT(0);

/* Exit task works queued and not yet finished (module unload waits). */
static atomic_t sipc_task_exits_pending = ATOMIC_INIT(0);

static struct tracepoint *sipc_tp_newtask, *sipc_tp_exit;

static struct sipc_task *task_lookup(struct task_struct *task)
{
	/* Most systems have no shadow namespace in use: skip the hash. */
	if (!atomic_read(&sipc_task_entries))
		return NULL;
	return rhashtable_lookup(&sipc_tasks, &task, sipc_task_params);
}

static void task_init(struct sipc_task *t, struct task_struct *task,
		      struct sipc_ns *ns, struct ipc_namespace *real)
{
	t->task = task;
	t->ns = ns;
	t->real = real;
	spin_lock_init(&t->lock);
	INIT_LIST_HEAD(&t->shm_clist);
	t->refusal.err = 0;
}

static void task_free_rcu(struct rcu_head *rcu)
{
	mempool_free(container_of(rcu, struct sipc_task, rcu), sipc_task_pool);
}

/* Account a task joining (@ns non-NULL) or leaving a shadow namespace. */
static void task_bind_count(struct sipc_ns *ns, int delta)
{
	if (!ns)
		return;
	atomic64_add(delta, &sipc_task_bound);
	if (!atomic_add_return(delta, &ns->members))
		sipc_ns_watch_idle(ns);
}

/* @task's real IPC namespace, NULL past exit_task_namespaces(). */
static struct ipc_namespace *task_real_ns(struct task_struct *task)
{
	struct ipc_namespace *real = NULL;

	if (task == current)
		return current->nsproxy->ipc_ns;
	task_lock(task);
	if (task->nsproxy)
		real = task->nsproxy->ipc_ns;
	task_unlock(task);
	return real;
}

/*
 * The shadow namespace @t binds its task to, or NULL for the root of the
 * task's real namespace @real: an entry made in another real namespace
 * than the task's now no longer counts (the task moved without us).
 */
static struct sipc_ns *task_bound_ns(struct sipc_task *t,
				     struct ipc_namespace *real)
{
	struct sipc_ns *ns = t ? READ_ONCE(t->ns) : NULL;

	return ns && READ_ONCE(t->real) == real ? ns : NULL;
}

/**
 * sipc_current_ns() - the calling task's namespace
 *
 * Context: process context, may sleep (the first call in a real
 * namespace makes its root). The result needs no reference: the task's
 * own membership pins it, and only the task itself changes it.
 * Return: the namespace, the root of the task's real namespace for tasks
 * never moved, or ERR_PTR(-errno) when that root cannot be made.
 */
struct sipc_ns *sipc_current_ns(void)
{
	struct sipc_ns *ns;

	rcu_read_lock();
	ns = task_bound_ns(task_lookup(current), current->nsproxy->ipc_ns);
	rcu_read_unlock();
	return ns ?: sipc_root_current();
}

/**
 * sipc_current_ns_peek() - the calling task's namespace, if it has one yet
 *
 * As sipc_current_ns(), for callers that may not make a root (under
 * mmap_lock in fork()).
 *
 * Context: any context of a task with its namespaces.
 * Return: the namespace, or NULL for a task in a real namespace whose root
 * no call made yet.
 */
struct sipc_ns *sipc_current_ns_peek(void)
{
	struct sipc_ns *ns;

	rcu_read_lock();
	ns = task_bound_ns(task_lookup(current), current->nsproxy->ipc_ns);
	rcu_read_unlock();
	return ns ?: sipc_root_current_peek();
}

/**
 * sipc_task_ns_get() - another task's namespace, with a reference
 * @task: the task, referenced by the caller
 *
 * Context: process context, may sleep, no locks held.
 * Return: the namespace, referenced (put it with sipc_ns_put()), or
 * ERR_PTR(-errno) as sipc_root_task_get().
 */
struct sipc_ns *sipc_task_ns_get(struct task_struct *task)
{
	struct ipc_namespace *real = task_real_ns(task);
	struct sipc_task *t;
	struct sipc_ns *ns;

	rcu_read_lock();
	for (;;) {
		t = task_lookup(task);
		ns = task_bound_ns(t, real);
		if (!ns)
			break;
		/*
		 * A zero count means @task just left @ns. Namespaces are
		 * SLAB_TYPESAFE_BY_RCU, so @ns may even be another namespace
		 * by now: the reference holds only if @task is still in it.
		 */
		if (sipc_ns_tryget(ns)) {
			if (READ_ONCE(t->ns) == ns)
				break;
			sipc_ns_put(ns);
		}
	}
	rcu_read_unlock();
	return ns ?: sipc_root_task_get(task);
}

/**
 * sipc_current_task_peek() - the calling task's record, if it has one
 *
 * Context: any context of a task's own call. The record stays valid until
 * the calling task exits.
 * Return: the record or NULL.
 */
struct sipc_task *sipc_current_task_peek(void)
{
	struct sipc_task *t;

	rcu_read_lock();
	t = task_lookup(current);
	rcu_read_unlock();
	return t;
}

/* The calling task's record, made with @gfp if it has none. */
static struct sipc_task *task_get_or_create(gfp_t gfp)
{
	struct sipc_task *t = sipc_current_task_peek();
	int err;

	if (t)
		return t;
	t = kmem_cache_alloc(sipc_task_cache, gfp);
	if (!t)
		return ERR_PTR(-ENOMEM);
	task_init(t, current, NULL, current->nsproxy->ipc_ns);
	atomic_inc(&sipc_task_entries);
	/* Only the fork probe adds other entries, and only for new tasks. */
	err = rhashtable_insert_fast(&sipc_tasks, &t->node, sipc_task_params);
	if (err) {
		atomic_dec(&sipc_task_entries);
		kmem_cache_free(sipc_task_cache, t);
		return ERR_PTR(err);
	}
	return t;
}

/**
 * sipc_current_task_get_or_create() - the calling task's record
 *
 * Context: process context, may sleep. The record stays valid until the
 * calling task exits.
 * Return: the record or ERR_PTR(-ENOMEM).
 */
struct sipc_task *sipc_current_task_get_or_create(void)
{
	return task_get_or_create(GFP_KERNEL_ACCOUNT);
}

/**
 * sipc_current_task_nowait() - the calling task's record, made without sleeping
 *
 * As sipc_current_task_get_or_create(), for callers that may hold
 * spinlocks. It does not take from the reserve that forks use.
 *
 * Context: process context, a call of the calling task; does not sleep.
 * Return: the record, or NULL when it had none and no memory could be had.
 */
struct sipc_task *sipc_current_task_nowait(void)
{
	struct sipc_task *t;

	t = task_get_or_create(GFP_NOWAIT | __GFP_ACCOUNT | __GFP_NOWARN);
	return IS_ERR(t) ? NULL : t;
}

/**
 * sipc_task_switch_ns() - move the calling task into @ns
 * @ns: the namespace to join; the caller holds a reference
 * @unshare: true for SHADOWIPC_IOC_UNSHARE, which (as unshare(2) with
 *	CLONE_NEWIPC) also runs the segment-creator exit rules
 *
 * Context: process context, may sleep, no locks held.
 * Return: 0, or -ENOMEM.
 */
int sipc_task_switch_ns(struct sipc_ns *ns, bool unshare)
{
	struct ipc_namespace *real = current->nsproxy->ipc_ns;
	struct sipc_task *t;
	struct sipc_ns *old;

	t = sipc_current_task_get_or_create();
	if (IS_ERR(t))
		return PTR_ERR(t);
	/* unshare(2) and setns(2) with CLONE_NEWIPC run exit_sem(). */
	sipc_sem_exit_task(current);
	if (unshare)
		sipc_shm_exit_task(t);
	if (ns == sipc_root_current())
		ns = NULL;
	/* an entry left from another real namespace goes now */
	if (t->ns == ns && (!ns || t->real == real))
		return 0;
	if (ns)
		sipc_ns_get(ns);
	task_bind_count(ns, 1);
	old = t->ns;
	WRITE_ONCE(t->ns, ns);
	WRITE_ONCE(t->real, real);
	task_bind_count(old, -1);
	if (old)
		sipc_ns_put_in_task(old);
	sipc_view_switched();
	return 0;
}

/**
 * sipc_task_group_all_in() - are all users of the caller's mm in @ns
 * @ns: the namespace
 *
 * True only if every user of current->mm is a thread of the caller's
 * group (no vfork child, no other CLONE_VM task, no transient mm user)
 * and every one of them is in @ns. A thread being created may already
 * count as a user: that answers false, never a wrong true.
 *
 * Context: process context.
 * Return: the answer.
 */
bool sipc_task_group_all_in(struct sipc_ns *ns)
{
	struct mm_struct *mm = current->mm;
	struct ipc_namespace *real;
	struct task_struct *thread;
	struct sipc_ns *tns;
	int users = 0;
	bool all = true;

	rcu_read_lock();
	for_each_thread(current, thread) {
		if (READ_ONCE(thread->mm) != mm)
			continue;
		users++;
		real = task_real_ns(thread);
		tns = task_bound_ns(task_lookup(thread), real);
		if (tns ? tns != ns : ns->root != ns || ns->real != real) {
			all = false;
			break;
		}
	}
	rcu_read_unlock();
	return all && atomic_read(&mm->mm_users) == users;
}

/* What is left of a task's exit once it is unhashed: process context. */
static void task_exit_finish(struct sipc_task *t)
{
	struct sipc_ns *ns = t->ns;

	sipc_shm_exit_task(t);
	/*
	 * Unhashed, @t may still be seen under RCU by sipc_task_ns_get(),
	 * which trusts @t->ns only while it holds: clear it before the put
	 * that may free the namespace for its memory to become another.
	 */
	WRITE_ONCE(t->ns, NULL);
	if (ns)
		sipc_ns_put_in_task(ns);
	call_rcu(&t->rcu, task_free_rcu);
}

static void task_exit_work(struct work_struct *work)
{
	task_exit_finish(container_of(work, struct sipc_task, exit_work));
}

static void task_exit_callback(struct callback_head *cb)
{
	task_exit_finish(container_of(cb, struct sipc_task, exit_cb));
	/*
	 * Module unload waits for this count, then for an RCU-tasks grace
	 * period, which the exiting task passes only once it has returned
	 * from here: nothing runs this module's code after the unload.
	 */
	if (atomic_dec_and_test(&sipc_task_exits_pending))
		wake_up_var(&sipc_task_exits_pending);
}

/* Forget @t's binding counts and finish its exit on sipc_wq. */
static void task_exit_queue(struct sipc_task *t)
{
	atomic_dec(&sipc_task_entries);
	task_bind_count(t->ns, -1);
	INIT_WORK(&t->exit_work, task_exit_work);
	queue_work(sipc_wq, &t->exit_work);
}

/*
 * Unhash the exiting task's @t. The rest runs as a task work of the
 * task itself, in exit_task_work(), before its parent is notified: so a
 * parent's wait() sees the creator rules of exit_shm() applied, as on
 * Linux. Module unload waits for pending ones (sipc_task_module_exit());
 * a task past exit_task_work() has sipc_wq do it instead.
 */
static void task_unhash_exiting(struct sipc_task *t)
{
	if (rhashtable_remove_fast(&sipc_tasks, &t->node, sipc_task_params))
		return;
	atomic_inc(&sipc_task_exits_pending);
	init_task_work(&t->exit_cb, task_exit_callback);
	if (!task_work_add(current, &t->exit_cb, TWA_NONE)) {
		atomic_dec(&sipc_task_entries);
		task_bind_count(t->ns, -1);
		return;
	}
	atomic_dec(&sipc_task_exits_pending);
	task_exit_queue(t);
}

/*
 * task_newtask: runs in the creator, at the end of copy_process(), before
 * the new task first runs, with preemption disabled. A task created by a
 * task in a shadow namespace gets an entry in the same namespace (threads
 * and io_uring workers too, as nsproxy is shared), unless it got a real
 * IPC namespace of its own (CLONE_NEWIPC), whose root it is then in.
 * Task creation cannot be failed from here: if no entry can be had, even
 * from the reserve pool, the new task is killed rather than let out of
 * its namespace.
 */
static void sipc_probe_newtask(void *data, struct task_struct *child,
			       unsigned long clone_flags)
{
	struct ipc_namespace *real;
	struct sipc_task *ct;
	struct sipc_ns *ns;

	if (!current->nsproxy)
		return;
	real = current->nsproxy->ipc_ns;
	if (!child->nsproxy || child->nsproxy->ipc_ns != real) {
		/* in the root of its new real namespace, whatever its view says */
		if (child->mm)
			sipc_view_unsure(child->mm);
		return;
	}
	rcu_read_lock();
	ns = task_bound_ns(task_lookup(current), real);
	rcu_read_unlock();
	if (!ns)
		return;

	ct = mempool_alloc(sipc_task_pool, GFP_ATOMIC | __GFP_NOWARN);
	if (!ct)
		goto kill_child;
	task_init(ct, child, ns, real);
	sipc_ns_get(ns);
	atomic_inc(&sipc_task_entries);
	if (rhashtable_insert_fast(&sipc_tasks, &ct->node, sipc_task_params)) {
		atomic_dec(&sipc_task_entries);
		sipc_ns_put(ns);
		mempool_free(ct, sipc_task_pool);
		goto kill_child;
	}
	task_bind_count(ns, 1);
	return;

kill_child:
	pr_warn_ratelimited("no memory to keep pid %d in its namespace: killed\n",
			    task_pid_nr(child));
	send_sig(SIGKILL, child, 1);
}

/* sched_process_exit: runs in the exiting task, after exit_mm(). */
static void sipc_probe_exit(void *data, struct task_struct *task)
{
	struct sipc_task *t;

	/*
	 * SEM_UNDO adjustments are applied here, before the parent is
	 * told, as exit_sem() does: a parent's wait() sees them.
	 */
	sipc_sem_exit_task(task);
	sipc_roots_task_exiting(task);
	rcu_read_lock();
	t = task_lookup(task);
	if (t)
		task_unhash_exiting(t);
	rcu_read_unlock();
}

/**
 * sipc_task_bindings() - tasks outside the initial namespace
 *
 * Return: the count.
 */
u64 sipc_task_bindings(void)
{
	return atomic64_read(&sipc_task_bound);
}

static void sipc_find_tracepoints(struct tracepoint *tp, void *priv)
{
	if (!strcmp(tp->name, "task_newtask"))
		sipc_tp_newtask = tp;
	else if (!strcmp(tp->name, "sched_process_exit"))
		sipc_tp_exit = tp;
}

/**
 * sipc_task_module_init() - set up the task table and attach the probes
 *
 * Context: module init.
 * Return: 0 or -errno.
 */
int sipc_task_module_init(void)
{
	int err;

	for_each_kernel_tracepoint(sipc_find_tracepoints, NULL);
	if (!sipc_tp_newtask || !sipc_tp_exit) {
		pr_err("task_newtask/sched_process_exit tracepoints not found\n");
		return -ENOENT;
	}
	sipc_task_cache = KMEM_CACHE(sipc_task, 0);
	if (!sipc_task_cache)
		return -ENOMEM;
	err = -ENOMEM;
	sipc_task_pool = mempool_create_slab_pool(SIPC_TASK_POOL_MIN,
						  sipc_task_cache);
	if (!sipc_task_pool)
		goto err_destroy_cache;
	err = rhashtable_init(&sipc_tasks, &sipc_task_params);
	if (err)
		goto err_destroy_pool;
	err = tracepoint_probe_register(sipc_tp_exit, sipc_probe_exit, NULL);
	if (err)
		goto err_destroy_table;
	err = tracepoint_probe_register(sipc_tp_newtask, sipc_probe_newtask,
					NULL);
	if (err)
		goto err_unregister_exit;
	return 0;

err_unregister_exit:
	tracepoint_probe_unregister(sipc_tp_exit, sipc_probe_exit, NULL);
	tracepoint_synchronize_unregister();
err_destroy_table:
	rhashtable_destroy(&sipc_tasks);
err_destroy_pool:
	mempool_destroy(sipc_task_pool);
err_destroy_cache:
	kmem_cache_destroy(sipc_task_cache);
	return err;
}

static void task_unhash_one(void *ptr, void *arg)
{
	task_exit_queue(ptr);
}

/**
 * sipc_task_module_exit() - detach the probes and drop every binding
 *
 * Tasks still in a shadow namespace return to the initial one.
 *
 * Context: module exit; no ioctl can run any more.
 */
void sipc_task_module_exit(void)
{
	tracepoint_probe_unregister(sipc_tp_newtask, sipc_probe_newtask, NULL);
	tracepoint_probe_unregister(sipc_tp_exit, sipc_probe_exit, NULL);
	tracepoint_synchronize_unregister();
	wait_var_event(&sipc_task_exits_pending,
		       !atomic_read(&sipc_task_exits_pending));
	synchronize_rcu_tasks();
	rhashtable_free_and_destroy(&sipc_tasks, task_unhash_one, NULL);
	flush_workqueue(sipc_wq);
	rcu_barrier();
	mempool_destroy(sipc_task_pool);
	kmem_cache_destroy(sipc_task_cache);
}
