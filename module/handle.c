// SPDX-License-Identifier: GPL-2.0
/*
 * Namespace handles: anon-inode files that pin a shadow namespace, the
 * analogue of /proc/PID/ns/ipc, and watch handles, which do not (both
 * pollable, nswatch.c). Opening one for another task follows the
 * credential rule that opening /proc/PID/ns/ipc follows.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/anon_inodes.h>
#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/pid.h>
#include <linux/poll.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>

#include "compat.h"
#include "internal.h"

static atomic64_t sipc_handles = ATOMIC64_INIT(0);

/**
 * sipc_handle_release() - a handle file's ->release
 * @inode: its inode
 * @file: the handle
 *
 * Context: process context, may sleep.
 * Return: 0.
 */
int sipc_handle_release(struct inode *inode, struct file *file)
{
	struct sipc_ns *ns = file->private_data;

	atomic_dec(&ns->handles);
	atomic64_dec(&sipc_handles);
	sipc_ns_put_in_task(ns);
	return 0;
}

/**
 * sipc_handle_poll() - a handle file's ->poll
 * @file: the handle
 * @pt: the poll table
 *
 * Return: the events of its namespace (nswatch.c).
 */
__poll_t sipc_handle_poll(struct file *file, poll_table *pt)
{
	return sipc_ns_poll(file->private_data, file, pt);
}

static int sipc_watch_release(struct inode *inode, struct file *file)
{
	sipc_ns_watch_release(file->private_data);
	return 0;
}

static __poll_t sipc_watch_poll(struct file *file, poll_table *pt)
{
	return sipc_ns_watch_poll(file->private_data, file, pt);
}

/* A watch takes no ioctl: SETNS, NS_INFO and NS_DRAIN need a handle. */
static const struct file_operations sipc_watch_fops = {
	.owner = THIS_MODULE,
	.release = sipc_watch_release,
	.poll = sipc_watch_poll,
	.llseek = noop_llseek,
};

/**
 * sipc_may_read_task() - may the caller read @task's namespace or maps
 * @task: the task
 *
 * ptrace_may_access() with
 * PTRACE_MODE_READ_FSCREDS, which modules cannot call. Same thread group;
 * or fsuid/fsgid equal to the target's real, effective and saved ids; or
 * CAP_SYS_PTRACE in the target's user namespace; and then the target must
 * be dumpable (or the caller have CAP_SYS_PTRACE over it: compat.h's
 * sipc_task_dumpable(), the rule of the kernel built for). LSM hooks
 * (Yama's ptrace_scope among them) are not consulted.
 *
 * Context: @task not freed meanwhile (a reference or rcu_read_lock());
 * takes task_lock(@task); does not sleep.
 * Return: true if it may.
 */
bool sipc_may_read_task(struct task_struct *task)
{
	const struct cred *cred = current_cred(), *tcred;
	bool ok;

	if (same_thread_group(task, current))
		return true;
	rcu_read_lock();
	tcred = __task_cred(task);
	ok = (uid_eq(cred->fsuid, tcred->euid) &&
	      uid_eq(cred->fsuid, tcred->suid) &&
	      uid_eq(cred->fsuid, tcred->uid) &&
	      gid_eq(cred->fsgid, tcred->egid) &&
	      gid_eq(cred->fsgid, tcred->sgid) &&
	      gid_eq(cred->fsgid, tcred->gid)) ||
	     ns_capable(tcred->user_ns, CAP_SYS_PTRACE);
	rcu_read_unlock();
	if (!ok)
		return false;
	/* Dumpability is read after the credentials (commit_creds()). */
	smp_rmb();
	task_lock(task);
	ok = sipc_task_dumpable(task);
	task_unlock(task);
	return ok;
}

/* The namespace of task @nr (0: the caller), referenced. */
static struct sipc_ns *sipc_pid_ns_get(pid_t nr)
{
	struct task_struct *task;
	struct sipc_ns *ns;

	if (!nr) {
		ns = sipc_current_ns();
		if (!IS_ERR(ns))
			sipc_ns_get(ns);
		return ns;
	}
	if (nr < 0)
		return ERR_PTR(-ESRCH);
	rcu_read_lock();
	task = get_pid_task(find_vpid(nr), PIDTYPE_PID);
	rcu_read_unlock();
	if (!task)
		return ERR_PTR(-ESRCH);
	if (sipc_may_read_task(task)) {
		ns = sipc_task_ns_get(task);
	} else {
		/* said in the caller's namespace: the task's is not its to see */
		ns = sipc_current_ns();
		ns = ERR_PTR(IS_ERR(ns) ? -EACCES :
			     sipc_refuse(ns, SHADOWIPC_CHECK_NS_FD, -EACCES,
					 0, 0, 0));
	}
	put_task_struct(task);
	return ns;
}

/* A watch file on @ns, which the caller keeps referenced meanwhile. */
static struct file *sipc_watch_create(struct sipc_ns *ns)
{
	struct sipc_ns_watch *w = sipc_ns_watch_get(ns);
	struct file *file;

	file = anon_inode_getfile("[shadowipc-ns-watch]", &sipc_watch_fops, w,
				  O_RDONLY | O_CLOEXEC);
	if (IS_ERR(file))
		sipc_ns_watch_release(w);
	return file;
}

/**
 * sipc_handle_create() - a handle file on the namespace of task @pid
 * @pid: thread id in the caller's pid namespace, 0 for the caller
 * @watch: a watch handle, which does not pin the namespace
 * @fops: the handle's file operations, with sipc_handle_release() (a
 *	watch has its own)
 * @ns_id: out: the namespace's id
 *
 * Context: process context, may sleep.
 * Return: the file (not installed), or ERR_PTR(-ESRCH/-EACCES/-ENOMEM...).
 */
struct file *sipc_handle_create(pid_t pid, bool watch,
				const struct file_operations *fops, u64 *ns_id)
{
	struct sipc_ns *ns;
	struct file *file;
	int err;

	ns = sipc_pid_ns_get(pid);
	if (IS_ERR(ns))
		return ERR_CAST(ns);
	*ns_id = ns->id;
	err = sipc_ns_watch_init(ns);
	if (err) {
		file = ERR_PTR(err);
		goto out_put;
	}
	if (watch) {
		file = sipc_watch_create(ns);
		goto out_put;
	}
	file = anon_inode_getfile("[shadowipc-ns]", fops, ns,
				  O_RDONLY | O_CLOEXEC);
	if (IS_ERR(file))
		goto out_put;
	atomic_inc(&ns->handles);
	atomic64_inc(&sipc_handles);
	return file;

out_put:
	sipc_ns_put(ns);
	return file;
}

/**
 * sipc_handle_count() - handle files open
 *
 * Return: the count.
 */
u64 sipc_handle_count(void)
{
	return atomic64_read(&sipc_handles);
}
