// SPDX-License-Identifier: GPL-2.0
/*
 * POSIX message queues, as Linux's ipc/mqueue.c does them, in a shadow
 * namespace: a table of names per namespace (Linux's per-namespace
 * mqueue mount), queues reached through anon-inode files (the mqd_t),
 * messages kept by priority (a tree of priorities, each a FIFO list, so
 * that a full queue of mixed priorities costs O(log n) per message),
 * senders and receivers sleeping with absolute CLOCK_REALTIME timeouts,
 * a message handed straight to a sleeping receiver, mq_notify() and
 * RLIMIT_MSGQUEUE accounting per user, up its user namespaces (ucount.c).
 *
 * Lifetime: a queue is referenced by its name while linked and by every
 * open file. Unlinking (or the namespace's teardown) drops the name; the
 * last close frees the queue, and only then leaves its namespace's
 * queue count and its creator's RLIMIT_MSGQUEUE bytes, as an mqueue
 * inode does when evicted.
 *
 * Sleepers (Linux's ext_wait_queue): a waiter on the sender or receiver
 * list is serviced by the task that makes room or brings a message; it
 * is taken off the list, given its message (or has its message queued)
 * and marked ready last, with release semantics; the sleeper may then
 * return without taking the queue's lock again. It is woken after the
 * lock is dropped (wake.c).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/anon_inodes.h>
#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/eventfd.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/hrtimer.h>
#include <linux/ipc_namespace.h>
#include <linux/msg.h>
#include <linux/mqueue.h>
#include <linux/pid.h>
#include <linux/poll.h>
#include <linux/rbtree.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/uaccess.h>
#include <linux/user_namespace.h>
#include <linux/wait.h>

#include "compat.h"
#include "internal.h"
#include "trace.h"

/*
 * Linux charges each queue's worst case: every message's header and one
 * priority tree node per priority it may use. Its tree node is private
 * to ipc/mqueue.c; this has the same layout (an rb_node, a list_head and
 * an int), so the sums are Linux's.
 */
struct mq_linux_tree_node {
	struct rb_node rb_node;
	struct list_head msg_list;
	int priority;
};

enum { MQ_SEND, MQ_RECV };
enum { MQ_STATE_NONE, MQ_STATE_READY };

/**
 * struct sipc_mq_msg - one message
 * @rb: in the queue's @msgs, if it is the oldest of its priority (the
 *	level's head)
 * @list: a head's: the other messages of its priority, oldest first;
 *	the others': their place in that list
 * @prio: its priority
 * @len: bytes of text
 * @data: the text
 */
struct sipc_mq_msg {
	struct rb_node rb;
	struct list_head list;
	unsigned int prio;
	size_t len;
	char data[];
};

/**
 * struct mq_waiter - a task sleeping in send or receive, on its stack
 * @list: in the queue's @waiters[MQ_SEND or MQ_RECV]
 * @task: the sleeper
 * @msg: a sender's message; the message handed to a receiver
 * @state: MQ_STATE_READY once serviced, stored last (release)
 */
struct mq_waiter {
	struct list_head list;
	struct task_struct *task;
	struct sipc_mq_msg *msg;
	int state;
};

/**
 * struct sipc_mq - one POSIX message queue (mqueue_inode_info)
 * @ref: the name while linked, and every open file
 * @lock: protects the fields from @attr on
 * @node: in the namespace's @mq.names, under its @mq.mutex, if @linked
 * @linked: the name is in the table (under the namespace's @mq.mutex)
 * @ns_node: in @ns's @mq.all, under sipc_mq_lock
 * @ns: the namespace it counts in, NULL once that is gone; under
 *	sipc_mq_lock
 * @uid: owner (the creator's fsuid)
 * @gid: group (the creator's fsgid)
 * @mode: permission bits
 * @acct: the real uid charged with @acct_bytes (ucount.c)
 * @acct_bytes: RLIMIT_MSGQUEUE bytes charged
 * @attr: mq_maxmsg, mq_msgsize (fixed) and mq_curmsgs; mq_flags unused
 * @qsize: bytes of text queued (QSIZE)
 * @msgs: the oldest message of each priority, highest priority leftmost
 * @waiters: sleeping senders and receivers, serviced from the tail
 * @wait_q: poll waiters
 * @notify_owner: the thread group registered with mq_notify(), or NULL
 * @notify_user_ns: its user namespace, for si_uid
 * @notify_self_exec_id: its exec generation at registration
 * @notify: its sigevent (sigev_notify, sigev_signo, sigev_value)
 * @notify_efd: SIGEV_THREAD's eventfd
 * @files: its open files (struct mq_file), for the holders listing
 * @name: the name, without the leading '/'
 */
struct sipc_mq {
	refcount_t ref;
	spinlock_t lock;	/* protects attr and below */
	struct rb_node node;
	bool linked;
	struct list_head ns_node;
	struct sipc_ns *ns;
	kuid_t uid;
	kgid_t gid;
	umode_t mode;
	struct sipc_ucounts *acct;
	unsigned long acct_bytes;
	struct mq_attr attr;
	unsigned long qsize;
	struct rb_root_cached msgs;
	struct list_head waiters[2];
	wait_queue_head_t wait_q;
	struct pid *notify_owner;
	struct user_namespace *notify_user_ns;
	u64 notify_self_exec_id;
	struct sigevent notify;
	struct eventfd_ctx *notify_efd;
	struct list_head files;
	char name[];
};

/**
 * struct mq_file - an open file of a queue (its private_data)
 * @q: the queue, referenced
 * @node: in @q's files, under its lock
 * @opener: the thread group that opened it, referenced
 * @access: 1 readable, 2 writable, 3 both (0 with O_ACCMODE: neither)
 *
 * A file passed on (fork(), SCM_RIGHTS) is listed as its opener's: the
 * module sees opens and closes, not descriptor tables.
 */
struct mq_file {
	struct sipc_mq *q;
	struct list_head node;
	struct pid *opener;
	unsigned int access;
};

static inline struct sipc_mq *mq_of(struct file *file)
{
	return ((struct mq_file *)file->private_data)->q;
}

/* Protects every sipc_mq.ns, sipc_ns.mq.all, sipc_ns.mq.count. */
static DEFINE_SPINLOCK(sipc_mq_lock);

static const struct file_operations sipc_mq_fops;

/* Context: the queue's lock held, or the queue unreachable. */
static void mq_remove_notification(struct sipc_mq *q)
{
	put_pid(q->notify_owner);
	put_user_ns(q->notify_user_ns);
	if (q->notify_efd)
		eventfd_ctx_put(q->notify_efd);
	q->notify_owner = NULL;
	q->notify_user_ns = NULL;
	q->notify_efd = NULL;
}

static struct sipc_mq_msg *mq_take(struct sipc_mq *q);

static void mq_free(struct sipc_mq *q)
{
	struct sipc_mq_msg *msg, *tmp;
	LIST_HEAD(msgs);
	u64 ns_id = 0;

	/* Unreachable now, but mq_take() wants the lock; kvfree() outside */
	spin_lock(&q->lock);
	while (q->attr.mq_curmsgs)
		list_add(&mq_take(q)->list, &msgs);
	spin_unlock(&q->lock);
	list_for_each_entry_safe(msg, tmp, &msgs, list)
		kvfree(msg);
	mq_remove_notification(q);

	spin_lock(&sipc_mq_lock);
	if (q->ns) {
		ns_id = q->ns->id;
		q->ns->mq.count--;
		list_del(&q->ns_node);
	}
	spin_unlock(&sipc_mq_lock);
	trace_shadowipc_mq_destroy(ns_id, q->name, q->attr.mq_maxmsg,
				   q->attr.mq_msgsize);
	sipc_ucount_uncharge(q->acct, SIPC_UCOUNT_MQ_BYTES, q->acct_bytes);
	kfree(q);
}

/* Drop a reference; the last frees the queue. Context: may sleep. */
static void mq_put(struct sipc_mq *q)
{
	if (refcount_dec_and_test(&q->ref))
		mq_free(q);
}

/* --- names --- */

/*
 * mq_getname() - copy a name in, as getname() does
 *
 * Return: the name (kfree() it), or ERR_PTR(-EFAULT, -ENAMETOOLONG,
 * -ENOENT for an empty name, -ENOMEM).
 */
static char *mq_getname(const char __user *uname)
{
	char *name = kmalloc(PATH_MAX, GFP_KERNEL);
	long len;

	if (!name)
		return ERR_PTR(-ENOMEM);
	len = strncpy_from_user(name, uname, PATH_MAX);
	if (len < 0 || len == PATH_MAX || !len) {
		kfree(name);
		return ERR_PTR(len < 0 ? -EFAULT : len ? -ENAMETOOLONG :
				-ENOENT);
	}
	return name;
}

/* What lookup_one_len() in the mqueue root refuses. Return: 0 or -errno */
static int mq_check_name(const char *name)
{
	if (!strcmp(name, ".") || !strcmp(name, "..") || strchr(name, '/'))
		return -EACCES;
	if (strlen(name) > NAME_MAX)
		return -ENAMETOOLONG;
	return 0;
}

/* Context: @ns->mq.mutex held. */
static struct sipc_mq *mq_lookup(struct sipc_ns *ns, const char *name)
{
	struct rb_node *n = ns->mq.names.rb_node;

	lockdep_assert_held(&ns->mq.mutex);
	while (n) {
		struct sipc_mq *q = rb_entry(n, struct sipc_mq, node);
		int c = strcmp(name, q->name);

		if (!c)
			return q;
		n = c < 0 ? n->rb_left : n->rb_right;
	}
	return NULL;
}

/* Context: @ns->mq.mutex held; @q's name is not in the table. */
static void mq_link(struct sipc_ns *ns, struct sipc_mq *q)
{
	struct rb_node **p = &ns->mq.names.rb_node, *parent = NULL;

	lockdep_assert_held(&ns->mq.mutex);
	while (*p) {
		struct sipc_mq *e = rb_entry(*p, struct sipc_mq, node);

		parent = *p;
		p = strcmp(q->name, e->name) < 0 ? &parent->rb_left :
						   &parent->rb_right;
	}
	rb_link_node(&q->node, parent, p);
	rb_insert_color(&q->node, &ns->mq.names);
	q->linked = true;
	trace_shadowipc_mq_create(ns->id, q->name, q->attr.mq_maxmsg,
				  q->attr.mq_msgsize);
}

/* Context: @ns->mq.mutex held; the caller puts the name's reference. */
static void mq_unlink_name(struct sipc_ns *ns, struct sipc_mq *q)
{
	lockdep_assert_held(&ns->mq.mutex);
	rb_erase(&q->node, &ns->mq.names);
	q->linked = false;
	trace_shadowipc_mq_remove(ns->id, q->name, q->attr.mq_maxmsg,
				  q->attr.mq_msgsize);
}

/*
 * inode_permission() on a queue for @mask (MAY_READ, MAY_WRITE): the
 * owner's, group's or others' bits, then CAP_DAC_OVERRIDE, or
 * CAP_DAC_READ_SEARCH for reading (generic_permission()).
 */
static int mq_permission(struct sipc_ns *ns, struct sipc_mq *q, int mask)
{
	enum shadowipc_perm_class class = SHADOWIPC_PERM_OTHER;
	unsigned int bits = q->mode;

	if (uid_eq(q->uid, current_fsuid())) {
		bits >>= 6;
		class = SHADOWIPC_PERM_OWNER;
	} else if (in_group_p(q->gid)) {
		bits >>= 3;
		class = SHADOWIPC_PERM_GROUP;
	}
	if (!(mask & ~bits & 7))
		return 0;
	if (capable(CAP_DAC_OVERRIDE))
		return 0;
	if (mask == MAY_READ && capable(CAP_DAC_READ_SEARCH))
		return 0;
	return sipc_refuse(ns, SHADOWIPC_CHECK_PERM, -EACCES, mask & 7, class,
			   bits & 7);
}

/*
 * The sticky root directory's rule (check_sticky()): the queue's owner,
 * the directory's (the namespace creator) or CAP_FOWNER may unlink.
 */
static bool mq_may_delete(struct sipc_ns *ns, struct sipc_mq *q)
{
	kuid_t fsuid = current_fsuid();

	return uid_eq(fsuid, q->uid) || uid_eq(fsuid, ns->creator_euid) ||
	       capable(CAP_FOWNER);
}

/*
 * mq_create() - a new linked queue (mqueue_create_attr() and
 * mqueue_get_inode())
 *
 * Context: @ns->mq.mutex held, may sleep.
 * Return: the queue, counted in @ns but not linked yet, with one
 * reference for its name (the caller links it with mq_link(), or drops
 * it with mq_put()), or ERR_PTR(-ENOSPC, -EINVAL, -EOVERFLOW, -EMFILE,
 * -ENOMEM).
 */
static struct sipc_mq *mq_create(struct sipc_ns *ns, const char *name,
				 umode_t mode, const struct mq_attr *attr)
{
	struct sipc_budget budget = { .limit = rlimit(RLIMIT_MSGQUEUE) };
	unsigned long bytes, treesize;
	struct sipc_mq *q;
	unsigned int count;
	long maxmsg, msgsize;
	int err;

	lockdep_assert_held(&ns->mq.mutex);

	/* Only creation raises the count, and we hold the table. */
	spin_lock(&sipc_mq_lock);
	count = ns->mq.count;
	spin_unlock(&sipc_mq_lock);
	if (count >= READ_ONCE(ns->limits.mq_queues_max) &&
	    !capable(CAP_SYS_RESOURCE))
		return ERR_PTR(sipc_refuse(ns, SHADOWIPC_CHECK_MQ_QUEUES_MAX, -ENOSPC,
					   1, count,
					   READ_ONCE(ns->limits.mq_queues_max)));

	maxmsg = min(READ_ONCE(ns->limits.mq_msg_max),
		     READ_ONCE(ns->limits.mq_msg_default));
	msgsize = min(READ_ONCE(ns->limits.mq_msgsize_max),
		      READ_ONCE(ns->limits.mq_msgsize_default));
	if (attr) {
		maxmsg = attr->mq_maxmsg;
		msgsize = attr->mq_msgsize;
	}
	if (maxmsg <= 0 || msgsize <= 0)
		return ERR_PTR(-EINVAL);
	if (capable(CAP_SYS_RESOURCE)) {
		if (maxmsg > HARD_MSGMAX || msgsize > HARD_MSGSIZEMAX)
			return ERR_PTR(-EINVAL);
	} else if (maxmsg > READ_ONCE(ns->limits.mq_msg_max)) {
		return ERR_PTR(sipc_refuse(ns, SHADOWIPC_CHECK_MQ_MSG_MAX, -EINVAL,
					   maxmsg, 0,
					   READ_ONCE(ns->limits.mq_msg_max)));
	} else if (msgsize > READ_ONCE(ns->limits.mq_msgsize_max)) {
		return ERR_PTR(sipc_refuse(ns, SHADOWIPC_CHECK_MQ_MSGSIZE_MAX,
					   -EINVAL, msgsize, 0,
					   READ_ONCE(ns->limits.mq_msgsize_max)));
	}
	if (msgsize > ULONG_MAX / maxmsg)
		return ERR_PTR(-EOVERFLOW);
	treesize = maxmsg * sizeof(struct msg_msg) +
		   min_t(unsigned int, maxmsg, MQ_PRIO_MAX) *
		   sizeof(struct mq_linux_tree_node);
	bytes = maxmsg * msgsize;
	if (bytes + treesize < bytes)
		return ERR_PTR(-EOVERFLOW);
	bytes += treesize;

	q = kzalloc(struct_size(q, name, strlen(name) + 1), GFP_KERNEL_ACCOUNT);
	if (!q)
		return ERR_PTR(-ENOMEM);
	refcount_set(&q->ref, 1);
	spin_lock_init(&q->lock);
	strcpy(q->name, name);
	q->uid = current_fsuid();
	q->gid = current_fsgid();
	q->mode = mode & 07777;
	q->acct_bytes = bytes;
	q->attr.mq_maxmsg = maxmsg;
	q->attr.mq_msgsize = msgsize;
	q->msgs = RB_ROOT_CACHED;
	INIT_LIST_HEAD(&q->waiters[MQ_SEND]);
	INIT_LIST_HEAD(&q->waiters[MQ_RECV]);
	init_waitqueue_head(&q->wait_q);
	INIT_LIST_HEAD(&q->files);

	/* RLIMIT_MSGQUEUE, charged to the real uid up its user namespaces */
	q->acct = sipc_ucount_charge(current_user_ns(), current_uid(),
				     SIPC_UCOUNT_MQ_BYTES, bytes, &budget,
				     false, GFP_KERNEL);
	if (IS_ERR_OR_NULL(q->acct)) {
		err = q->acct ? PTR_ERR(q->acct) :
			sipc_refuse(ns, SHADOWIPC_CHECK_MSGQUEUE, -EMFILE, bytes,
				    budget.used, budget.limit);
		kfree(q);
		return ERR_PTR(err);
	}
	spin_lock(&sipc_mq_lock);
	q->ns = ns;
	ns->mq.count++;
	list_add_tail(&q->ns_node, &ns->mq.all);
	spin_unlock(&sipc_mq_lock);
	return q;
}

/**
 * sipc_mq_open() - mq_open(2) in @ns (do_mq_open())
 * @ns: the caller's namespace
 * @uname: the name without the leading '/', in user memory
 * @oflag: access mode, O_CREAT, O_EXCL, O_NONBLOCK
 * @mode: permission bits for a new queue, before the umask
 * @attr: mq_maxmsg and mq_msgsize for a new queue, or NULL for the
 *	namespace's defaults
 *
 * Context: process context, may sleep, no locks held; takes
 * @ns->mq.mutex.
 * Return: a new close-on-exec fd, or -errno as mq_open(2).
 */
long sipc_mq_open(struct sipc_ns *ns, const char __user *uname, int oflag,
		  umode_t mode, struct mq_attr *attr)
{
	static const int acc2may[] = { MAY_READ, MAY_WRITE,
				       MAY_READ | MAY_WRITE };
	bool created = false;
	struct mq_file *f;
	struct file *file;
	struct sipc_mq *q;
	char *name;
	long err;
	int fd;

	name = mq_getname(uname);
	if (IS_ERR(name))
		return PTR_ERR(name);
	err = -ENOMEM;
	f = kzalloc(sizeof(*f), GFP_KERNEL_ACCOUNT);
	if (!f)
		goto out_name;
	fd = get_unused_fd_flags(O_CLOEXEC);
	if (fd < 0) {
		err = fd;
		goto out_free_f;
	}
	err = mq_check_name(name);
	if (err)
		goto out_put_fd;

	mutex_lock(&ns->mq.mutex);
	q = mq_lookup(ns, name);
	if (!q) {
		err = -ENOENT;
		if (!(oflag & O_CREAT))
			goto out_unlock;
		q = mq_create(ns, name, mode & ~current_umask(),
			      (oflag & O_CREAT) ? attr : NULL);
		if (IS_ERR(q)) {
			err = PTR_ERR(q);
			goto out_unlock;
		}
		created = true;
	} else {
		err = -EEXIST;
		if ((oflag & (O_CREAT | O_EXCL)) == (O_CREAT | O_EXCL))
			goto out_unlock;
		err = -EINVAL;
		if ((oflag & O_ACCMODE) == O_ACCMODE)
			goto out_unlock;
		err = mq_permission(ns, q, acc2may[oflag & O_ACCMODE]);
		if (err)
			goto out_unlock;
	}
	/* The name's reference keeps @q while we hold the table. */
	refcount_inc(&q->ref);
	f->q = q;
	file = anon_inode_getfile("[shadowipc-mq]", &sipc_mq_fops, f,
				  oflag & (O_ACCMODE | O_NONBLOCK));
	if (IS_ERR(file)) {
		refcount_dec(&q->ref);
		err = PTR_ERR(file);
		/* a queue made for this call goes with it, name and all */
		if (created)
			mq_put(q);
		goto out_unlock;
	}
	f->opener = get_pid(task_tgid(current));
	f->access = (file->f_mode & FMODE_READ ? 1 : 0) |
		    (file->f_mode & FMODE_WRITE ? 2 : 0);
	spin_lock(&q->lock);
	list_add_tail(&f->node, &q->files);
	spin_unlock(&q->lock);
	/* publish the new name only now that nothing can fail */
	if (created)
		mq_link(ns, q);
	mutex_unlock(&ns->mq.mutex);
	kfree(name);
	fd_install(fd, file);
	return fd;

out_unlock:
	mutex_unlock(&ns->mq.mutex);
out_put_fd:
	put_unused_fd(fd);
out_free_f:
	kfree(f);
out_name:
	kfree(name);
	return err;
}

/**
 * sipc_mq_unlink() - mq_unlink(2) in @ns
 * @ns: the caller's namespace
 * @uname: the name without the leading '/', in user memory
 *
 * The name goes at once; the queue lives until its last file closes.
 *
 * Context: process context, may sleep, no locks held; takes
 * @ns->mq.mutex.
 * Return: 0, or -ENOENT, -EACCES, -ENAMETOOLONG, -EPERM (glibc's EACCES),
 * -EFAULT, -ENOMEM.
 */
long sipc_mq_unlink(struct sipc_ns *ns, const char __user *uname)
{
	struct sipc_mq *q;
	char *name;
	long err;

	name = mq_getname(uname);
	if (IS_ERR(name))
		return PTR_ERR(name);
	err = mq_check_name(name);
	if (err)
		goto out_name;
	mutex_lock(&ns->mq.mutex);
	q = mq_lookup(ns, name);
	if (!q)
		err = -ENOENT;
	else if (!mq_may_delete(ns, q))
		err = -EPERM;
	else
		mq_unlink_name(ns, q);
	mutex_unlock(&ns->mq.mutex);
	if (!err)
		mq_put(q);
out_name:
	kfree(name);
	return err;
}

/* --- messages and sleepers --- */

/*
 * Queue @msg after every message of its priority or higher: at the tail
 * of its priority's list, or as the head of a new priority (msg_insert()).
 *
 * Context: @q's lock held.
 */
static void mq_insert(struct sipc_mq *q, struct sipc_mq_msg *msg)
{
	struct rb_node **p = &q->msgs.rb_root.rb_node, *parent = NULL;
	struct sipc_mq_msg *head;
	bool leftmost = true;

	lockdep_assert_held(&q->lock);
	q->attr.mq_curmsgs++;
	q->qsize += msg->len;
	while (*p) {
		parent = *p;
		head = rb_entry(parent, struct sipc_mq_msg, rb);
		if (msg->prio == head->prio) {
			list_add_tail(&msg->list, &head->list);
			return;
		}
		if (msg->prio > head->prio) {
			p = &parent->rb_left;
		} else {
			p = &parent->rb_right;
			leftmost = false;
		}
	}
	INIT_LIST_HEAD(&msg->list);
	rb_link_node(&msg->rb, parent, p);
	rb_insert_color_cached(&msg->rb, &q->msgs, leftmost);
}

/*
 * Dequeue the oldest message of the highest priority; the next one of
 * that priority, if any, takes its place in the tree.
 *
 * Context: @q's lock held, a message queued.
 */
static struct sipc_mq_msg *mq_take(struct sipc_mq *q)
{
	struct sipc_mq_msg *msg, *next;

	lockdep_assert_held(&q->lock);
	msg = rb_entry(rb_first_cached(&q->msgs), struct sipc_mq_msg, rb);
	if (list_empty(&msg->list)) {
		rb_erase_cached(&msg->rb, &q->msgs);
	} else {
		next = list_first_entry(&msg->list, struct sipc_mq_msg, list);
		list_del_init(&next->list);
		list_splice(&msg->list, &next->list);
		rb_replace_node_cached(&msg->rb, &next->rb, &q->msgs);
	}
	q->attr.mq_curmsgs--;
	q->qsize -= msg->len;
	return msg;
}

/*
 * Sleepers in the order Linux's wq_add() keeps: a new one goes before
 * the first with the same or a higher task priority, and the tail is
 * serviced first: the highest priority, then the longest waiting.
 */
static void mq_wait_add(struct sipc_mq *q, int sr, struct mq_waiter *w)
{
	struct mq_waiter *walk;

	lockdep_assert_held(&q->lock);
	list_for_each_entry(walk, &q->waiters[sr], list) {
		if (walk->task->prio <= current->prio) {
			list_add_tail(&w->list, &walk->list);
			return;
		}
	}
	list_add_tail(&w->list, &q->waiters[sr]);
}

static struct mq_waiter *mq_first_waiter(struct sipc_mq *q, int sr)
{
	lockdep_assert_held(&q->lock);
	if (list_empty(&q->waiters[sr]))
		return NULL;
	return list_last_entry(&q->waiters[sr], struct mq_waiter, list);
}

/*
 * mq_wake_waiter() - a serviced sleeper may go: off the list, ready
 * last, woken from @wq once the lock is dropped. It may return without
 * the lock as soon as it sees the state, so @w is not touched after;
 * @wq's task reference keeps the wake-up valid.
 *
 * Context: the queue's lock held.
 */
static void mq_wake_waiter(struct sipc_mq *q, struct mq_waiter *w,
			   struct sipc_wake_q *wq)
{
	lockdep_assert_held(&q->lock);
	list_del(&w->list);
	sipc_wake_q_add(wq, w->task);
	/* Pairs with mq_sleep()'s acquire. */
	smp_store_release(&w->state, MQ_STATE_READY);
}

/*
 * mq_sleep() - sleep on @q's @sr list until serviced, a signal or
 * @timeout (absolute, CLOCK_REALTIME; NULL for none) (wq_sleep())
 *
 * Context: called with @q->lock held, returns without it.
 * Return: 0 when serviced, -ETIMEDOUT or -ERESTARTSYS.
 */
static int mq_sleep(struct sipc_mq *q, int sr, ktime_t *timeout,
		    struct mq_waiter *w)
	__releases(&q->lock)
{
	long time;
	int ret;

	mq_wait_add(q, sr, w);
	for (;;) {
		__set_current_state(TASK_INTERRUPTIBLE);
		spin_unlock(&q->lock);
		time = schedule_hrtimeout_range_clock(timeout, 0,
						      HRTIMER_MODE_ABS,
						      CLOCK_REALTIME);
		/* Pairs with mq_wake_waiter()'s release: @w->msg is set. */
		if (smp_load_acquire(&w->state) == MQ_STATE_READY)
			return 0;
		spin_lock(&q->lock);
		if (w->state == MQ_STATE_READY) {
			ret = 0;
			goto out_unlock;
		}
		if (signal_pending(current)) {
			ret = -ERESTARTSYS;
			break;
		}
		if (!time) {
			ret = -ETIMEDOUT;
			break;
		}
	}
	list_del(&w->list);
out_unlock:
	spin_unlock(&q->lock);
	return ret;
}

/*
 * mq_do_notify() - after a send queued a message with no receiver
 * sleeping: fire and drop the registration if the queue just became
 * non-empty (__do_notify()), and wake pollers
 *
 * Context: the queue's lock held.
 */
static void mq_do_notify(struct sipc_mq *q)
{
	lockdep_assert_held(&q->lock);

	if (q->notify_owner && q->attr.mq_curmsgs == 1) {
		struct kernel_siginfo si;
		struct task_struct *task;

		switch (q->notify.sigev_notify) {
		case SIGEV_SIGNAL:
			if (!q->notify.sigev_signo)
				break;
			clear_siginfo(&si);
			si.si_signo = q->notify.sigev_signo;
			si.si_errno = 0;
			si.si_code = SI_MESGQ;
			si.si_value = q->notify.sigev_value;
			rcu_read_lock();
			si.si_pid = task_tgid_nr_ns(current,
						    ns_of_pid(q->notify_owner));
			si.si_uid = from_kuid_munged(q->notify_user_ns,
						     current_uid());
			/* From the kernel: no permission check, as Linux. */
			task = pid_task(q->notify_owner, PIDTYPE_TGID);
			if (task &&
			    task->self_exec_id == q->notify_self_exec_id)
				send_sig_info(q->notify.sigev_signo, &si, task);
			rcu_read_unlock();
			break;
		case SIGEV_THREAD:
			sipc_eventfd_signal(q->notify_efd);
			break;
		}
		mq_remove_notification(q);
	}
	wake_up(&q->wait_q);
}

/*
 * The queue file behind fd @fd, opened with every bit of @fmode, or
 * ERR_PTR(-EBADF) (a wrong access mode is EBADF too, as on Linux). As
 * the system calls do, through fdget(), which takes no reference while
 * the caller's file table is not shared: fdput(*@f) when done.
 */
static struct file *mq_fget(int fd, fmode_t fmode, struct fd *f)
{
	struct file *file;

	*f = fdget(fd);
	file = sipc_fd_file(*f);

	if (!file)
		return ERR_PTR(-EBADF);
	if (file->f_op != &sipc_mq_fops || (file->f_mode & fmode) != fmode) {
		fdput(*f);
		return ERR_PTR(-EBADF);
	}
	return file;
}

/**
 * sipc_mq_timedsend() - mq_timedsend(2) (do_mq_timedsend())
 * @fd: the queue's descriptor
 * @umsg: the message, in user memory
 * @len: its length
 * @prio: its priority
 * @ts: absolute CLOCK_REALTIME timeout, already validated, or NULL
 *
 * Context: process context, may sleep, no locks held.
 * Return: 0, or -EINVAL, -EBADF, -EMSGSIZE, -ENOMEM, -EFAULT, -EAGAIN,
 * -ETIMEDOUT, -ERESTARTSYS.
 */
long sipc_mq_timedsend(int fd, const char __user *umsg, size_t len,
		       unsigned int prio, struct timespec64 *ts)
{
	ktime_t expires, *timeout = NULL;
	struct mq_waiter w, *receiver;
	struct sipc_mq_msg *msg;
	struct file *file;
	struct fd f;
	struct sipc_mq *q;
	struct sipc_wake_q wq = { .n = 0 };
	long ret;

	if (prio >= MQ_PRIO_MAX)
		return -EINVAL;
	if (ts) {
		expires = timespec64_to_ktime(*ts);
		timeout = &expires;
	}
	file = mq_fget(fd, FMODE_WRITE, &f);
	if (IS_ERR(file))
		return PTR_ERR(file);
	q = mq_of(file);
	ret = -EMSGSIZE;
	if (len > q->attr.mq_msgsize)
		goto out_fput;

	ret = -ENOMEM;
	msg = kvmalloc(struct_size(msg, data, len),
		       GFP_KERNEL_ACCOUNT | __GFP_NOWARN);
	if (!msg)
		goto out_fput;
	ret = -EFAULT;
	if (copy_from_user(msg->data, umsg, len))
		goto out_free;
	msg->len = len;
	msg->prio = prio;

	spin_lock(&q->lock);
	if (q->attr.mq_curmsgs == q->attr.mq_maxmsg) {
		if (READ_ONCE(file->f_flags) & O_NONBLOCK) {
			spin_unlock(&q->lock);
			ret = -EAGAIN;
			goto out_free;
		}
		w.task = current;
		w.msg = msg;
		w.state = MQ_STATE_NONE;
		ret = mq_sleep(q, MQ_SEND, timeout, &w);
		/* Serviced: a receiver queued our message. */
		if (!ret)
			msg = NULL;
		goto out_free;
	}
	receiver = mq_first_waiter(q, MQ_RECV);
	if (receiver) {
		receiver->msg = msg;
		mq_wake_waiter(q, receiver, &wq);
	} else {
		mq_insert(q, msg);
		mq_do_notify(q);
	}
	spin_unlock(&q->lock);
	sipc_wake_up_q(&wq);
	msg = NULL;
	ret = 0;

out_free:
	kvfree(msg);
out_fput:
	fdput(f);
	return ret;
}

/**
 * sipc_mq_timedreceive() - mq_timedreceive(2) (do_mq_timedreceive())
 * @fd: the queue's descriptor
 * @umsg: the buffer, in user memory
 * @len: its size
 * @uprio: where to store the priority, or NULL
 * @ts: absolute CLOCK_REALTIME timeout, already validated, or NULL
 *
 * Context: process context, may sleep, no locks held.
 * Return: the message's length, or -EBADF, -EMSGSIZE, -EAGAIN,
 * -ETIMEDOUT, -ERESTARTSYS, -EFAULT (the message is consumed).
 */
long sipc_mq_timedreceive(int fd, char __user *umsg, size_t len,
			  unsigned int __user *uprio, struct timespec64 *ts)
{
	ktime_t expires, *timeout = NULL;
	struct mq_waiter w, *sender;
	struct sipc_mq_msg *msg;
	struct file *file;
	struct fd f;
	struct sipc_mq *q;
	struct sipc_wake_q wq = { .n = 0 };
	long ret;

	if (ts) {
		expires = timespec64_to_ktime(*ts);
		timeout = &expires;
	}
	file = mq_fget(fd, FMODE_READ, &f);
	if (IS_ERR(file))
		return PTR_ERR(file);
	q = mq_of(file);
	ret = -EMSGSIZE;
	if (len < q->attr.mq_msgsize)
		goto out_fput;

	spin_lock(&q->lock);
	if (!q->attr.mq_curmsgs) {
		if (READ_ONCE(file->f_flags) & O_NONBLOCK) {
			spin_unlock(&q->lock);
			ret = -EAGAIN;
			goto out_fput;
		}
		w.task = current;
		w.msg = NULL;
		w.state = MQ_STATE_NONE;
		ret = mq_sleep(q, MQ_RECV, timeout, &w);
		if (ret)
			goto out_fput;
		msg = w.msg;
	} else {
		msg = mq_take(q);
		/* Room: queue a sleeping sender's message (pipelined_receive()) */
		sender = mq_first_waiter(q, MQ_SEND);
		if (sender) {
			mq_insert(q, sender->msg);
			mq_wake_waiter(q, sender, &wq);
		} else {
			wake_up_interruptible(&q->wait_q);
		}
		spin_unlock(&q->lock);
		sipc_wake_up_q(&wq);
	}
	ret = msg->len;
	if ((uprio && put_user(msg->prio, uprio)) ||
	    copy_to_user(umsg, msg->data, msg->len))
		ret = -EFAULT;
	kvfree(msg);
out_fput:
	fdput(f);
	return ret;
}

/**
 * sipc_mq_notify() - mq_notify(2) (do_mq_notify())
 * @fd: the queue's descriptor
 * @sev: the registration, or NULL to remove the caller's; SIGEV_THREAD
 *	takes an eventfd in sigev_signo
 *
 * Context: process context, may sleep, no locks held.
 * Return: 0, or -EINVAL, -EBADF, -EBUSY.
 */
long sipc_mq_notify(int fd, const struct sigevent *sev)
{
	struct eventfd_ctx *efd = NULL;
	struct file *file;
	struct fd f;
	struct sipc_mq *q;
	long ret = 0;

	if (sev) {
		if (sev->sigev_notify != SIGEV_NONE &&
		    sev->sigev_notify != SIGEV_SIGNAL &&
		    sev->sigev_notify != SIGEV_THREAD)
			return -EINVAL;
		if (sev->sigev_notify == SIGEV_SIGNAL &&
		    !valid_signal(sev->sigev_signo))
			return -EINVAL;
		if (sev->sigev_notify == SIGEV_THREAD) {
			efd = eventfd_ctx_fdget(sev->sigev_signo);
			if (IS_ERR(efd))
				return PTR_ERR(efd);
		}
	}
	file = mq_fget(fd, 0, &f);
	if (IS_ERR(file)) {
		ret = PTR_ERR(file);
		goto out;
	}
	q = mq_of(file);

	spin_lock(&q->lock);
	if (!sev) {
		if (q->notify_owner == task_tgid(current))
			mq_remove_notification(q);
	} else if (q->notify_owner) {
		ret = -EBUSY;
	} else {
		memset(&q->notify, 0, sizeof(q->notify));
		q->notify.sigev_notify = sev->sigev_notify;
		if (sev->sigev_notify == SIGEV_SIGNAL) {
			q->notify.sigev_signo = sev->sigev_signo;
			q->notify.sigev_value = sev->sigev_value;
			q->notify_self_exec_id = current->self_exec_id;
		}
		q->notify_efd = efd;
		efd = NULL;
		q->notify_owner = get_pid(task_tgid(current));
		q->notify_user_ns = get_user_ns(current_user_ns());
	}
	spin_unlock(&q->lock);
	fdput(f);
out:
	if (efd)
		eventfd_ctx_put(efd);
	return ret;
}

/**
 * sipc_mq_getsetattr() - mq_getsetattr(2)
 * @fd: the queue's descriptor
 * @new: the new mq_flags (O_NONBLOCK or 0), or NULL
 * @old: filled with the attributes before the change, or NULL
 *
 * Context: process context, no locks held.
 * Return: 0, -EINVAL or -EBADF.
 */
long sipc_mq_getsetattr(int fd, const struct mq_attr *new,
			struct mq_attr *old)
{
	struct file *file;
	struct fd f;
	struct sipc_mq *q;

	if (new && (new->mq_flags & ~O_NONBLOCK))
		return -EINVAL;
	file = mq_fget(fd, 0, &f);
	if (IS_ERR(file))
		return PTR_ERR(file);
	q = mq_of(file);
	spin_lock(&q->lock);
	if (old) {
		*old = q->attr;
		old->mq_flags = file->f_flags & O_NONBLOCK;
	}
	if (new) {
		spin_lock(&file->f_lock);
		if (new->mq_flags & O_NONBLOCK)
			file->f_flags |= O_NONBLOCK;
		else
			file->f_flags &= ~O_NONBLOCK;
		spin_unlock(&file->f_lock);
	}
	spin_unlock(&q->lock);
	fdput(f);
	return 0;
}

/* --- the queue file --- */

/* The line a read of a /dev/mqueue file gives (mqueue_read_file()). */
static ssize_t sipc_mq_read(struct file *file, char __user *ubuf,
			    size_t count, loff_t *ppos)
{
	struct sipc_mq *q = mq_of(file);
	char buf[80];
	int len;

	spin_lock(&q->lock);
	len = scnprintf(buf, sizeof(buf),
			"QSIZE:%-10lu NOTIFY:%-5d SIGNO:%-5d NOTIFY_PID:%-6d\n",
			q->qsize,
			q->notify_owner ? q->notify.sigev_notify : 0,
			(q->notify_owner &&
			 q->notify.sigev_notify == SIGEV_SIGNAL) ?
				q->notify.sigev_signo : 0,
			pid_vnr(q->notify_owner));
	spin_unlock(&q->lock);
	return simple_read_from_buffer(ubuf, count, ppos, buf, len);
}

static __poll_t sipc_mq_poll(struct file *file, poll_table *pt)
{
	struct sipc_mq *q = mq_of(file);
	__poll_t ret = 0;

	poll_wait(file, &q->wait_q, pt);
	spin_lock(&q->lock);
	if (q->attr.mq_curmsgs)
		ret = EPOLLIN | EPOLLRDNORM;
	if (q->attr.mq_curmsgs < q->attr.mq_maxmsg)
		ret |= EPOLLOUT | EPOLLWRNORM;
	spin_unlock(&q->lock);
	return ret;
}

/* Every close() by the registered process drops its registration. */
static int sipc_mq_flush(struct file *file, fl_owner_t id)
{
	struct sipc_mq *q = mq_of(file);

	spin_lock(&q->lock);
	if (q->notify_owner == task_tgid(current))
		mq_remove_notification(q);
	spin_unlock(&q->lock);
	return 0;
}

static int sipc_mq_release(struct inode *inode, struct file *file)
{
	struct mq_file *f = file->private_data;

	spin_lock(&f->q->lock);
	list_del(&f->node);
	spin_unlock(&f->q->lock);
	mq_put(f->q);
	put_pid(f->opener);
	kfree(f);
	return 0;
}

static const struct file_operations sipc_mq_fops = {
	.owner = THIS_MODULE,
	.read = sipc_mq_read,
	.poll = sipc_mq_poll,
	.flush = sipc_mq_flush,
	.release = sipc_mq_release,
	.llseek = default_llseek,
};

/* --- namespaces --- */

/**
 * sipc_mq_init_ns() - start a namespace with no queues
 * @ns: the namespace; ns.c set its limits
 *
 * Context: process context, before @ns is reachable.
 */
void sipc_mq_init_ns(struct sipc_ns *ns)
{
	mutex_init(&ns->mq.mutex);
	ns->mq.names = RB_ROOT;
	INIT_LIST_HEAD(&ns->mq.all);
	ns->mq.count = 0;
}

/**
 * sipc_mq_unlink_all() - unlink every name of @ns
 * @ns: the namespace, referenced by the caller
 *
 * Queues still open live on until their last close.
 *
 * Context: process context, may sleep, no locks held.
 */
void sipc_mq_unlink_all(struct sipc_ns *ns)
{
	struct rb_node *n;
	struct sipc_mq *q;

	mutex_lock(&ns->mq.mutex);
	while ((n = rb_first(&ns->mq.names))) {
		q = rb_entry(n, struct sipc_mq, node);
		mq_unlink_name(ns, q);
		mq_put(q);
	}
	mutex_unlock(&ns->mq.mutex);
}

/**
 * sipc_mq_exit_ns() - remove every name of a dying namespace
 * @ns: the namespace, unreachable
 *
 * Queues still open live on, counted nowhere, until their last close.
 *
 * Context: process context, may sleep, no locks held.
 */
void sipc_mq_exit_ns(struct sipc_ns *ns)
{
	struct sipc_mq *q;

	sipc_mq_unlink_all(ns);
	spin_lock(&sipc_mq_lock);
	while (!list_empty(&ns->mq.all)) {
		q = list_first_entry(&ns->mq.all, struct sipc_mq, ns_node);
		list_del(&q->ns_node);
		q->ns = NULL;
		ns->mq.count--;
	}
	spin_unlock(&sipc_mq_lock);
	mutex_destroy(&ns->mq.mutex);
}

/**
 * sipc_mq_ns_usage() - queues counted in @ns and their queued bytes
 * @ns: the namespace, referenced by the caller
 * @count: out: the queues, linked or open (mqueue's queues_count)
 * @bytes: out: bytes of text queued in them
 *
 * Context: process context; takes sipc_mq_lock.
 */
void sipc_mq_ns_usage(struct sipc_ns *ns, u64 *count, u64 *bytes)
{
	struct sipc_mq *q;
	u64 sum = 0;

	spin_lock(&sipc_mq_lock);
	*count = ns->mq.count;
	list_for_each_entry(q, &ns->mq.all, ns_node)
		sum += READ_ONCE(q->qsize);
	spin_unlock(&sipc_mq_lock);
	*bytes = sum;
}

/*
 * The start of a holders line for queue @q; the caller adds the role. A
 * queue whose name is gone is shown as /proc/PID/fd shows a deleted file.
 */
static void mq_holder_start(struct seq_file *m, struct sipc_ns *ns,
			    struct sipc_mq *q)
{
	seq_printf(m, "mq %llu - /", ns->id);
	seq_escape(m, q->name, " \t\n\\");
	if (!q->linked)
		seq_puts(m, "\\040(deleted)");
}

/* @q's sleepers in send or receive (@sr). Context: @q->lock held. */
static void mq_holders_show_waiters(struct seq_file *m, struct sipc_ns *ns,
				    struct sipc_mq *q, int sr,
				    struct pid_namespace *pid_ns)
{
	struct mq_waiter *w;

	list_for_each_entry(w, &q->waiters[sr], list) {
		mq_holder_start(m, ns, q);
		sipc_seq_holder_task(m, w->task, pid_ns);
		seq_printf(m, " - %s\n", sr == MQ_RECV ? "receive" : "send");
	}
}

/* @q's open files. Context: @q->lock and RCU held. */
static void mq_holders_show_files(struct seq_file *m, struct sipc_ns *ns,
				  struct sipc_mq *q,
				  struct pid_namespace *pid_ns)
{
	static const char *const access[] = { "-", "r", "w", "rw" };
	struct mq_file *f;

	list_for_each_entry(f, &q->files, node) {
		mq_holder_start(m, ns, q);
		sipc_seq_holder_task(m, pid_task(f->opener, PIDTYPE_TGID),
				     pid_ns);
		seq_printf(m, " - open:%s\n", access[f->access]);
	}
}

/**
 * sipc_mq_holders_seq_show() - the mq lines of /proc/shadowipc/holders
 * @m: the file
 * @ns: a namespace the reader may see, referenced
 * @pid_ns: the pid namespace the pids are shown in
 *
 * For each queue counted in @ns (linked, or unlinked and still open), in
 * the order they were made: the processes that opened its open files,
 * its mq_notify() registrant, then its sleeping receivers and senders:
 * "mq NS - /NAME PID COMM - open:r|w|rw|notify|receive|send", the name
 * escaped as the command is, and followed by "\040(deleted)" once
 * unlinked.
 *
 * Context: process context, may sleep; takes @ns->mq.mutex, under which
 * no name is unlinked, then sipc_mq_lock, under which no queue leaves
 * @ns's list (nor is freed), then each queue's lock, under which an open
 * file stays on its list, a sleeper is on its list only while it sleeps
 * (its entry is on its stack), and the registrant's pid stays referenced.
 */
void sipc_mq_holders_seq_show(struct seq_file *m, struct sipc_ns *ns,
			      struct pid_namespace *pid_ns)
{
	struct sipc_mq *q;

	mutex_lock(&ns->mq.mutex);
	spin_lock(&sipc_mq_lock);
	rcu_read_lock();
	list_for_each_entry(q, &ns->mq.all, ns_node) {
		spin_lock(&q->lock);
		mq_holders_show_files(m, ns, q, pid_ns);
		if (q->notify_owner) {
			mq_holder_start(m, ns, q);
			sipc_seq_holder_task(m, pid_task(q->notify_owner,
							 PIDTYPE_TGID),
					     pid_ns);
			seq_puts(m, " - notify\n");
		}
		mq_holders_show_waiters(m, ns, q, MQ_RECV, pid_ns);
		mq_holders_show_waiters(m, ns, q, MQ_SEND, pid_ns);
		spin_unlock(&q->lock);
	}
	rcu_read_unlock();
	spin_unlock(&sipc_mq_lock);
	mutex_unlock(&ns->mq.mutex);
}

/**
 * sipc_mq_seq_show() - /proc/shadowipc/mqueue: the linked queues of @ns
 * @m: the file
 * @ns: the namespace, pinned by the file
 *
 * A header naming the columns, then one line per name in strcmp() order.
 *
 * Context: process context; takes @ns->mq.mutex.
 */
void sipc_mq_seq_show(struct seq_file *m, struct sipc_ns *ns)
{
	struct user_namespace *user_ns = seq_user_ns(m);
	struct rb_node *n;

	seq_puts(m, "name mode uid gid maxmsg msgsize curmsgs qsize notify notify_pid\n");
	mutex_lock(&ns->mq.mutex);
	for (n = rb_first(&ns->mq.names); n; n = rb_next(n)) {
		struct sipc_mq *q = rb_entry(n, struct sipc_mq, node);

		spin_lock(&q->lock);
		seq_printf(m, "/%s %04o %u %u %ld %ld %ld %lu %d %d\n",
			   q->name, q->mode, from_kuid_munged(user_ns, q->uid),
			   from_kgid_munged(user_ns, q->gid),
			   q->attr.mq_maxmsg, q->attr.mq_msgsize,
			   q->attr.mq_curmsgs, q->qsize,
			   q->notify_owner ? q->notify.sigev_notify : -1,
			   pid_vnr(q->notify_owner));
		spin_unlock(&q->lock);
	}
	mutex_unlock(&ns->mq.mutex);
}
