// SPDX-License-Identifier: GPL-2.0
/*
 * System V message queues, as Linux's ipc/msg.c does them: msgget(),
 * msgsnd() with senders sleeping on a full queue, msgrcv() with the three
 * msgtyp searches, MSG_EXCEPT, MSG_NOERROR and MSG_COPY, a message handed
 * straight to a sleeping receiver when one wants it, and msgctl().
 *
 * Sleepers: a sender waits on @senders and re-checks the queue itself
 * once woken; a receiver waits on @receivers and is given its message
 * (or an error) by the waker, which it reads without the queue's lock
 * (sipc_msg_rcv()). Wake-ups are made after the queue's lock is dropped
 * (wake.c): a woken task first takes that lock, or, for a receiver given
 * its answer, only reads a field of its own stack, stored under the lock.
 *
 * Message text is copied in before any lock is taken and out after every
 * lock is dropped, in page-sized pieces charged to the caller's memory
 * cgroup, as load_msg()/store_msg() do.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/capability.h>
#include <linux/msg.h>
#include <linux/pid.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/sched/signal.h>
#include <linux/sched/task.h>
#include <linux/slab.h>
#include <linux/seq_file.h>
#include <linux/uaccess.h>

#include "internal.h"
#include "trace.h"

/**
 * struct sipc_msg_seg - a piece of message text after the first page
 * @next: the next piece, NULL for the last
 * @data: the text
 */
struct sipc_msg_seg {
	struct sipc_msg_seg *next;
	char data[];
};

/**
 * struct sipc_msg - one message (Linux's msg_msg)
 * @list: in the queue's @messages, or in nobody's list
 * @type: mtype, > 0
 * @size: bytes of text
 * @next: the text beyond what fits in the first page, NULL if none
 * @data: the start of the text
 */
struct sipc_msg {
	struct list_head list;
	long type;
	size_t size;
	struct sipc_msg_seg *next;
	char data[];
};

#define MSG_DATALEN	((size_t)PAGE_SIZE - sizeof(struct sipc_msg))
#define MSG_SEGLEN	((size_t)PAGE_SIZE - sizeof(struct sipc_msg_seg))

/**
 * struct sipc_msq - one queue (Linux's msg_queue)
 * @perm: id, key, owner and mode
 * @stime: time of the last msgsnd()
 * @rtime: time of the last msgrcv()
 * @ctime: time of creation or of the last IPC_SET
 * @cbytes: bytes of text queued
 * @qnum: messages queued
 * @qbytes: most bytes (and messages) the queue holds
 * @lspid: thread group of the last msgsnd(), NULL before any
 * @lrpid: the last receiver (a thread group, or the thread a message was
 *	handed to), NULL before any
 * @messages: the messages, oldest first
 * @receivers: sleeping receivers (struct msg_receiver), oldest first
 * @senders: sleeping senders (struct msg_sender)
 *
 * All under @perm.lock.
 */
struct sipc_msq {
	struct sipc_perm perm;
	time64_t stime;
	time64_t rtime;
	time64_t ctime;
	unsigned long cbytes;
	unsigned long qnum;
	unsigned long qbytes;
	struct pid *lspid;
	struct pid *lrpid;
	struct list_head messages;
	struct list_head receivers;
	struct list_head senders;
};

#define msq_of(p)	container_of(p, struct sipc_msq, perm)

/* msgrcv()'s searches, from msgtyp and the flags (convert_mode()) */
enum msg_search {
	MSG_SEARCH_ANY,		/* msgtyp 0: the first message */
	MSG_SEARCH_EQUAL,	/* msgtyp > 0: the first of that type */
	MSG_SEARCH_NOTEQUAL,	/* msgtyp > 0, MSG_EXCEPT: the first other */
	MSG_SEARCH_LESSEQUAL,	/* msgtyp < 0: the lowest type <= -msgtyp */
	MSG_SEARCH_NUMBER,	/* MSG_COPY: the msgtyp'th message */
};

/**
 * struct msg_receiver - a receiver sleeping in msgrcv(), on its stack
 * @list: in the queue's @receivers
 * @tsk: the receiver
 * @mode: its search
 * @msgtype: the type the search is made with
 * @maxsize: the most text it takes (INT_MAX with MSG_NOERROR)
 * @msg: ERR_PTR(-EAGAIN) while waiting; then the message handed to it or
 *	the error to return, stored last by the waker (release)
 */
struct msg_receiver {
	struct list_head list;
	struct task_struct *tsk;
	enum msg_search mode;
	long msgtype;
	long maxsize;
	struct sipc_msg *msg;
};

/**
 * struct msg_sender - a sender sleeping in msgsnd(), on its stack
 * @list: in the queue's @senders, until the sender takes itself off, or
 *	the queue is removed and the list given up
 * @tsk: the sender
 * @msgsz: the size of its message
 */
struct msg_sender {
	struct list_head list;
	struct task_struct *tsk;
	size_t msgsz;
};

static struct sipc_ids *msg_ids(struct sipc_ns *ns)
{
	return &ns->ids[SIPC_MSG];
}

static void msg_free(struct sipc_msg *msg)
{
	struct sipc_msg_seg *seg = msg->next;

	kfree(msg);
	while (seg) {
		struct sipc_msg_seg *next = seg->next;

		cond_resched();
		kfree(seg);
		seg = next;
	}
}

/*
 * msg_alloc() - room for @len bytes of text, charged to the caller
 *
 * Context: process context, may sleep.
 * Return: the message, or NULL.
 */
static struct sipc_msg *msg_alloc(size_t len)
{
	size_t alen = min(len, MSG_DATALEN);
	struct sipc_msg_seg **pseg;
	struct sipc_msg *msg;

	msg = kmalloc(sizeof(*msg) + alen, GFP_KERNEL_ACCOUNT);
	if (!msg)
		return NULL;
	msg->next = NULL;
	msg->size = len;
	len -= alen;
	pseg = &msg->next;
	while (len) {
		struct sipc_msg_seg *seg;

		cond_resched();
		alen = min(len, MSG_SEGLEN);
		seg = kmalloc(sizeof(*seg) + alen, GFP_KERNEL_ACCOUNT);
		if (!seg) {
			msg_free(msg);
			return NULL;
		}
		seg->next = NULL;
		*pseg = seg;
		pseg = &seg->next;
		len -= alen;
	}
	return msg;
}

/*
 * msg_load() - a new message holding @len bytes copied from @src
 *
 * Context: process context, may sleep, no locks held.
 * Return: the message, or ERR_PTR(-ENOMEM) or ERR_PTR(-EFAULT).
 */
static struct sipc_msg *msg_load(const void __user *src, size_t len)
{
	size_t alen = min(len, MSG_DATALEN);
	struct sipc_msg *msg;
	struct sipc_msg_seg *seg;

	msg = msg_alloc(len);
	if (!msg)
		return ERR_PTR(-ENOMEM);
	if (copy_from_user(msg->data, src, alen))
		goto err_free;
	for (seg = msg->next; seg; seg = seg->next) {
		src += alen;
		len -= alen;
		alen = min(len, MSG_SEGLEN);
		if (copy_from_user(seg->data, src, alen))
			goto err_free;
	}
	return msg;

err_free:
	msg_free(msg);
	return ERR_PTR(-EFAULT);
}

/*
 * msg_store() - copy the first @len bytes of @msg's text to @dst
 *
 * Context: process context, may sleep, no locks held.
 * Return: 0 or -EFAULT.
 */
static int msg_store(void __user *dst, struct sipc_msg *msg, size_t len)
{
	size_t alen = min(len, MSG_DATALEN);
	struct sipc_msg_seg *seg;

	if (copy_to_user(dst, msg->data, alen))
		return -EFAULT;
	for (seg = msg->next; seg && len > alen; seg = seg->next) {
		dst += alen;
		len -= alen;
		alen = min(len, MSG_SEGLEN);
		if (copy_to_user(dst, seg->data, alen))
			return -EFAULT;
	}
	return 0;
}

/*
 * msg_copy() - MSG_COPY: copy @src into @dst, allocated by the caller
 * with room for @dst->size bytes
 *
 * Context: the queue's lock held (@src cannot go away); does not sleep.
 * Return: @dst, or ERR_PTR(-EINVAL) when @src does not fit.
 */
static struct sipc_msg *msg_copy(struct sipc_msg *src, struct sipc_msg *dst)
{
	size_t len = src->size, alen = min(len, MSG_DATALEN);
	struct sipc_msg_seg *sseg, *dseg;

	if (src->size > dst->size)
		return ERR_PTR(-EINVAL);
	memcpy(dst->data, src->data, alen);
	for (sseg = src->next, dseg = dst->next; sseg;
	     sseg = sseg->next, dseg = dseg->next) {
		len -= alen;
		alen = min(len, MSG_SEGLEN);
		memcpy(dseg->data, sseg->data, alen);
	}
	dst->type = src->type;
	dst->size = src->size;
	return dst;
}

static void msq_free_rcu(struct rcu_head *rcu)
{
	kfree(msq_of(container_of(rcu, struct sipc_perm, rcu)));
}

/* Would a message of @msgsz bytes fit? Context: queue locked. */
static bool msg_fits(struct sipc_msq *msq, size_t msgsz)
{
	lockdep_assert_held(&msq->perm.lock);

	return msgsz + msq->cbytes <= msq->qbytes &&
	       1 + msq->qnum <= msq->qbytes;
}

/*
 * msg_sender_wake() - wake sleeping senders (ss_wakeup())
 * @kill: the queue is being removed: wake every sender; otherwise wake
 *	the senders whose message would now fit, each left where it is,
 *	the others moved to the end, in order
 *
 * Context: queue locked. The senders re-check under the lock, so they
 * cannot leave (and free their entries) before the lock is dropped; they
 * are woken after, from @wq.
 */
static void msg_sender_wake(struct sipc_msq *msq, bool kill,
			    struct sipc_wake_q *wq)
{
	struct task_struct *stop = NULL;
	struct msg_sender *mss, *tmp;

	lockdep_assert_held(&msq->perm.lock);

	list_for_each_entry_safe(mss, tmp, &msq->senders, list) {
		if (kill) {
			sipc_wake_q_add(wq, mss->tsk);
			continue;
		}
		/* Back to the first one moved: every sender was seen. */
		if (mss->tsk == stop)
			break;
		if (msg_fits(msq, mss->msgsz)) {
			sipc_wake_q_add(wq, mss->tsk);
			continue;
		}
		if (!stop)
			stop = mss->tsk;
		list_move_tail(&mss->list, &msq->senders);
	}
}

/*
 * msg_receiver_answer() - give a receiver its message or an error, and
 * queue its wake-up on @wq
 *
 * It may read the answer and return without the lock, so @msr is not
 * touched after the store; @wq's task reference keeps the wake-up valid.
 *
 * Context: queue locked.
 */
static void msg_receiver_answer(struct msg_receiver *msr,
				struct sipc_msg *answer, struct sipc_wake_q *wq)
{
	sipc_wake_q_add(wq, msr->tsk);
	/* Pairs with msg_wait_for_msg()'s acquire: @answer is complete. */
	smp_store_release(&msr->msg, answer);
}

/*
 * msg_receiver_expunge() - wake every receiver with @err: -EIDRM (the
 * queue is gone) or -EAGAIN (IPC_SET: they search again, and may have
 * lost their permission)
 *
 * Context: queue locked.
 */
static void msg_receiver_expunge(struct sipc_msq *msq, int err,
				 struct sipc_wake_q *wq)
{
	struct msg_receiver *msr, *tmp;

	lockdep_assert_held(&msq->perm.lock);

	list_for_each_entry_safe(msr, tmp, &msq->receivers, list)
		msg_receiver_answer(msr, ERR_PTR(err), wq);
}

/* Does @msg match a search for @type in @mode? (testmsg()) */
static bool msg_matches(struct sipc_msg *msg, long type, enum msg_search mode)
{
	switch (mode) {
	case MSG_SEARCH_ANY:
	case MSG_SEARCH_NUMBER:
		return true;
	case MSG_SEARCH_LESSEQUAL:
		return msg->type <= type;
	case MSG_SEARCH_EQUAL:
		return msg->type == type;
	case MSG_SEARCH_NOTEQUAL:
		return msg->type != type;
	}
	return false;
}

/*
 * msg_hand_off() - give a new message to the first sleeping receiver
 * that wants it (pipelined_send()); receivers it matches but does not
 * fit fail with E2BIG on the way
 *
 * Context: queue locked.
 * Return: true when a receiver took @msg.
 */
static bool msg_hand_off(struct sipc_msq *msq, struct sipc_msg *msg,
			 struct sipc_wake_q *wq)
{
	struct msg_receiver *msr, *tmp;

	lockdep_assert_held(&msq->perm.lock);

	list_for_each_entry_safe(msr, tmp, &msq->receivers, list) {
		if (!msg_matches(msg, msr->msgtype, msr->mode))
			continue;
		list_del(&msr->list);
		if (msr->maxsize < msg->size) {
			msg_receiver_answer(msr, ERR_PTR(-E2BIG), wq);
			continue;
		}
		/* Linux records the receiving thread here, not its group. */
		sipc_set_pid(&msq->lrpid, task_pid(msr->tsk));
		msq->rtime = ktime_get_real_seconds();
		msg_receiver_answer(msr, msg, wq);
		return true;
	}
	return false;
}

/*
 * msq_newque() - create a queue (newque())
 *
 * Context: the msg rwsem held for write.
 * Return: the new id, or -ENOMEM or -ENOSPC.
 */
static int msq_newque(struct sipc_ids *ids, key_t key, int msgflg, void *arg)
{
	struct sipc_ns *ns = ids->ns;
	struct sipc_msq *msq;
	int id;

	lockdep_assert_held_write(&ids->rwsem);

	msq = kzalloc(sizeof(*msq), GFP_KERNEL_ACCOUNT);
	if (!msq)
		return -ENOMEM;
	msq->perm.mode = msgflg & 0777;
	msq->perm.key = key;
	msq->ctime = ktime_get_real_seconds();
	msq->qbytes = READ_ONCE(ns->limits.msgmnb);
	INIT_LIST_HEAD(&msq->messages);
	INIT_LIST_HEAD(&msq->receivers);
	INIT_LIST_HEAD(&msq->senders);

	/* Locks and publishes the queue: nothing below may fail. */
	id = sipc_ids_add(ids, &msq->perm, READ_ONCE(ns->limits.msgmni));
	if (id < 0) {
		kfree(msq);
		return id;
	}
	id = msq->perm.id;
	trace_shadowipc_obj_create(&msq->perm, msq->qbytes);
	spin_unlock(&msq->perm.lock);
	rcu_read_unlock();
	return id;
}

/*
 * msq_freeque() - remove a queue: every sleeper fails with EIDRM, every
 * message is freed (freeque())
 *
 * Context: the msg rwsem held for write, RCU and @perm's lock held;
 * returns with the rwsem only.
 */
static void msq_freeque(struct sipc_ids *ids, struct sipc_perm *perm)
	__releases(&perm->lock) __releases(RCU)
{
	struct sipc_msq *msq = msq_of(perm);
	struct sipc_ns *ns = ids->ns;
	struct sipc_msg *msg, *tmp;
	struct sipc_wake_q wq = { .n = 0 };

	lockdep_assert_held_write(&ids->rwsem);
	lockdep_assert_held(&perm->lock);

	trace_shadowipc_obj_destroy(perm, msq->qbytes);
	msg_receiver_expunge(msq, -EIDRM, &wq);
	msg_sender_wake(msq, true, &wq);
	sipc_ids_rmid(ids, perm);
	spin_unlock(&perm->lock);
	rcu_read_unlock();
	sipc_wake_up_q(&wq);

	/* Removed: nobody else looks at the messages any more. */
	list_for_each_entry_safe(msg, tmp, &msq->messages, list)
		msg_free(msg);
	atomic_long_sub(msq->qnum, &ns->msg.hdrs);
	atomic_long_sub(msq->cbytes, &ns->msg.bytes);
	put_pid(msq->lspid);
	put_pid(msq->lrpid);
	sipc_perm_putref(perm, msq_free_rcu);
}

/**
 * sipc_msg_init_ns() - start a namespace with no message queues
 * @ns: the namespace; ns.c set its limits
 *
 * Context: process context, before @ns is reachable.
 */
void sipc_msg_init_ns(struct sipc_ns *ns)
{
	atomic_long_set(&ns->msg.bytes, 0);
	atomic_long_set(&ns->msg.hdrs, 0);
}

/**
 * sipc_msg_exit_ns() - destroy every queue of a dying namespace
 * @ns: the namespace, unreachable; its tasks are gone, so no one sleeps
 *	on its queues
 *
 * Context: process context, may sleep, no locks held.
 */
void sipc_msg_exit_ns(struct sipc_ns *ns)
{
	sipc_ids_free_all(msg_ids(ns), msq_freeque);
}

/**
 * sipc_msg_get() - msgget(2) in @ns
 * @ns: the caller's namespace
 * @key: the key, IPC_PRIVATE for a new private queue
 * @msgflg: IPC_CREAT, IPC_EXCL and the mode bits
 *
 * Context: process context, may sleep.
 * Return: the queue id, or -ENOENT, -EEXIST, -EACCES, -ENOSPC, -ENOMEM.
 */
long sipc_msg_get(struct sipc_ns *ns, key_t key, int msgflg)
{
	static const struct sipc_get_ops ops = { .newobj = msq_newque };

	return sipc_ids_get(msg_ids(ns), key, msgflg, &ops, NULL);
}

/*
 * msg_wait_for_room() - sleep on a full queue until woken, a signal or
 * the queue's removal (the loop body of do_msgsnd())
 *
 * Context: called and returns with RCU and the queue's lock held; drops
 * both to sleep, keeping the queue's memory with a reference.
 * Return: 0 to look again, -EIDRM or -ERESTARTNOHAND (a signal: EINTR
 * for a handler, restarted otherwise, as msgsnd()).
 */
static int msg_wait_for_room(struct sipc_msq *msq, size_t msgsz)
	__must_hold(&msq->perm.lock) __must_hold(RCU)
{
	struct msg_sender s = { .tsk = current, .msgsz = msgsz };

	lockdep_assert_held(&msq->perm.lock);

	/* Not removed (checked under the lock): the table holds a ref. */
	WARN_ON_ONCE(!sipc_perm_getref(&msq->perm));
	list_add_tail(&s.list, &msq->senders);
	__set_current_state(TASK_INTERRUPTIBLE);
	spin_unlock(&msq->perm.lock);
	rcu_read_unlock();
	schedule();
	rcu_read_lock();
	spin_lock(&msq->perm.lock);
	/* Our RCU read side keeps the memory past this put. */
	sipc_perm_putref(&msq->perm, msq_free_rcu);
	/* Removed: the list was given up with the queue. */
	if (msq->perm.deleted)
		return -EIDRM;
	list_del(&s.list);
	return signal_pending(current) ? -ERESTARTNOHAND : 0;
}

/**
 * sipc_msg_snd() - msgsnd(2) in @ns, after the mtype was read (do_msgsnd())
 * @ns: the caller's namespace
 * @msqid: the queue id
 * @mtype: the message type, > 0
 * @mtext: the text, in user memory
 * @msgsz: its size, at most msgmax
 * @msgflg: IPC_NOWAIT
 *
 * Context: process context, may sleep, no locks held.
 * Return: 0, or -EINVAL, -ENOMEM, -EFAULT, -EACCES, -EIDRM, -EAGAIN or
 * -ERESTARTNOHAND.
 */
long sipc_msg_snd(struct sipc_ns *ns, int msqid, long mtype,
		  void __user *mtext, size_t msgsz, int msgflg)
{
	struct sipc_perm *perm;
	struct sipc_msq *msq;
	struct sipc_msg *msg;
	struct sipc_wake_q wq = { .n = 0 };
	long err;

	if (msgsz > READ_ONCE(ns->limits.msgmax))
		return sipc_refuse(ns, SHADOWIPC_CHECK_MSGMAX, -EINVAL, msgsz, 0,
				   READ_ONCE(ns->limits.msgmax));
	if ((long)msgsz < 0 || msqid < 0)
		return -EINVAL;
	if (mtype < 1)
		return -EINVAL;

	msg = msg_load(mtext, msgsz);
	if (IS_ERR(msg))
		return PTR_ERR(msg);
	msg->type = mtype;

	rcu_read_lock();
	perm = sipc_ids_obtain_check(msg_ids(ns), msqid);
	if (IS_ERR(perm)) {
		err = PTR_ERR(perm);
		goto out_unlock_rcu;
	}
	msq = msq_of(perm);
	spin_lock(&perm->lock);
	for (;;) {
		err = -EACCES;
		if (sipc_ipcperms(ns, perm, 0222))
			goto out_unlock;
		/* A removal may have won the race for the lock. */
		err = -EIDRM;
		if (perm->deleted)
			goto out_unlock;
		if (msg_fits(msq, msgsz))
			break;
		if (msgflg & IPC_NOWAIT) {
			err = sipc_refuse(ns, SHADOWIPC_CHECK_MSGMNB, -EAGAIN, msgsz,
					  msq->cbytes, msq->qbytes);
			goto out_unlock;
		}
		err = msg_wait_for_room(msq, msgsz);
		if (err)
			goto out_unlock;
	}

	sipc_set_pid(&msq->lspid, task_tgid(current));
	msq->stime = ktime_get_real_seconds();
	if (!msg_hand_off(msq, msg, &wq)) {
		list_add_tail(&msg->list, &msq->messages);
		msq->cbytes += msgsz;
		msq->qnum++;
		atomic_long_add(msgsz, &ns->msg.bytes);
		atomic_long_inc(&ns->msg.hdrs);
	}
	trace_shadowipc_msg_send(ns, msqid, mtype, msgsz);
	msg = NULL;
	err = 0;

out_unlock:
	spin_unlock(&perm->lock);
out_unlock_rcu:
	rcu_read_unlock();
	sipc_wake_up_q(&wq);
	if (msg)
		msg_free(msg);
	return err;
}

/* msgrcv()'s search for @msgtyp and @msgflg; @msgtyp made positive. */
static enum msg_search msg_search_mode(long *msgtyp, int msgflg)
{
	if (msgflg & MSG_COPY)
		return MSG_SEARCH_NUMBER;
	if (*msgtyp == 0)
		return MSG_SEARCH_ANY;
	if (*msgtyp < 0) {
		/* -LONG_MIN does not exist */
		*msgtyp = *msgtyp == LONG_MIN ? LONG_MAX : -*msgtyp;
		return MSG_SEARCH_LESSEQUAL;
	}
	return (msgflg & MSG_EXCEPT) ? MSG_SEARCH_NOTEQUAL : MSG_SEARCH_EQUAL;
}

/*
 * msg_find() - the message a receiver gets (find_msg())
 * @msgtyp: the search's type; for MSG_SEARCH_LESSEQUAL lowered as lower
 *	types are found, to find the first message of the lowest type
 *
 * Context: queue locked.
 * Return: the message, still queued, or ERR_PTR(-EAGAIN).
 */
static struct sipc_msg *msg_find(struct sipc_msq *msq, long *msgtyp,
				 enum msg_search mode)
{
	struct sipc_msg *msg, *found = NULL;
	long count = 0;

	lockdep_assert_held(&msq->perm.lock);

	list_for_each_entry(msg, &msq->messages, list) {
		if (!msg_matches(msg, *msgtyp, mode))
			continue;
		if (mode == MSG_SEARCH_LESSEQUAL && msg->type != 1) {
			*msgtyp = msg->type - 1;
			found = msg;
		} else if (mode != MSG_SEARCH_NUMBER || *msgtyp == count) {
			return msg;
		}
		count++;
	}
	return found ?: ERR_PTR(-EAGAIN);
}

/*
 * msg_take() - dequeue @msg for the caller and let senders in (woken
 * from @wq)
 *
 * Context: queue locked.
 */
static void msg_take(struct sipc_ns *ns, struct sipc_msq *msq,
		     struct sipc_msg *msg, struct sipc_wake_q *wq)
{
	lockdep_assert_held(&msq->perm.lock);

	list_del(&msg->list);
	msq->qnum--;
	msq->rtime = ktime_get_real_seconds();
	sipc_set_pid(&msq->lrpid, task_tgid(current));
	msq->cbytes -= msg->size;
	atomic_long_sub(msg->size, &ns->msg.bytes);
	atomic_long_dec(&ns->msg.hdrs);
	msg_sender_wake(msq, false, wq);
}

/* Copy out mtype and up to @bufsz bytes of text. Return: bytes or -EFAULT */
static long msg_fill(void __user *msgp, struct sipc_msg *msg, size_t bufsz)
{
	size_t msgsz = min(bufsz, msg->size);

	if (put_user(msg->type, (long __user *)msgp))
		return -EFAULT;
	if (msg_store(msgp + sizeof(long), msg, msgsz))
		return -EFAULT;
	return msgsz;
}

/*
 * msg_wait_for_msg() - sleep until a sender hands a message over, the
 * queue is removed or changed, or a signal (the loop tail of
 * do_msgrcv())
 *
 * Context: called with RCU and the queue's lock held. Returns with RCU
 * held and the lock held when the answer is ERR_PTR(-EAGAIN) (look
 * again) or was read under it, and not held when @*locked is false.
 * Return: the message handed over, or ERR_PTR(-EAGAIN, -EIDRM, -E2BIG,
 * -ERESTARTNOHAND).
 */
static struct sipc_msg *msg_wait_for_msg(struct sipc_msq *msq, long msgtyp,
					 enum msg_search mode, long maxsize,
					 bool *locked)
	__must_hold(RCU)
{
	struct msg_receiver msr = {
		.tsk = current, .mode = mode, .msgtype = msgtyp,
		.maxsize = maxsize, .msg = ERR_PTR(-EAGAIN),
	};
	struct sipc_msg *msg;

	lockdep_assert_held(&msq->perm.lock);

	list_add_tail(&msr.list, &msq->receivers);
	__set_current_state(TASK_INTERRUPTIBLE);
	spin_unlock(&msq->perm.lock);
	rcu_read_unlock();
	schedule();

	/*
	 * Without a reference, RCU keeps the queue: a removal answers
	 * every receiver before the queue can be freed, so if we find no
	 * answer, it cannot have been freed before our read side began.
	 */
	rcu_read_lock();
	msg = READ_ONCE(msr.msg);
	if (msg != ERR_PTR(-EAGAIN)) {
		/* Pairs with msg_receiver_answer()'s release. */
		smp_acquire__after_ctrl_dep();
		*locked = false;
		return msg;
	}
	spin_lock(&msq->perm.lock);
	*locked = true;
	msg = READ_ONCE(msr.msg);
	if (msg != ERR_PTR(-EAGAIN))
		return msg;
	list_del(&msr.list);
	return signal_pending(current) ? ERR_PTR(-ERESTARTNOHAND) : msg;
}

/**
 * sipc_msg_rcv() - msgrcv(2) in @ns (do_msgrcv())
 * @ns: the caller's namespace
 * @msqid: the queue id
 * @msgp: the user buffer, { long mtype; char mtext[@bufsz]; }
 * @bufsz: room for text
 * @msgtyp: 0, a type, or minus the highest type wanted; the index of
 *	the message with MSG_COPY
 * @msgflg: IPC_NOWAIT, MSG_NOERROR, MSG_EXCEPT, MSG_COPY
 *
 * Context: process context, may sleep, no locks held.
 * Return: the bytes of text copied, or -EINVAL, -ENOMEM, -EFAULT,
 * -EACCES, -EIDRM, -E2BIG, -ENOMSG or -ERESTARTNOHAND.
 */
long sipc_msg_rcv(struct sipc_ns *ns, int msqid, void __user *msgp,
		  size_t bufsz, long msgtyp, int msgflg)
{
	struct sipc_msg *msg, *copy = NULL;
	enum msg_search mode;
	struct sipc_perm *perm;
	struct sipc_msq *msq;
	struct sipc_wake_q wq = { .n = 0 };
	bool locked;
	long ret;

	if (msqid < 0 || (long)bufsz < 0)
		return -EINVAL;
	if (msgflg & MSG_COPY) {
		if ((msgflg & MSG_EXCEPT) || !(msgflg & IPC_NOWAIT))
			return -EINVAL;
		/* Linux fills its copy from the buffer, mtype included. */
		copy = msg_load(msgp, min_t(size_t, bufsz,
					    READ_ONCE(ns->limits.msgmax)));
		if (IS_ERR(copy))
			return PTR_ERR(copy);
	}
	mode = msg_search_mode(&msgtyp, msgflg);

	rcu_read_lock();
	perm = sipc_ids_obtain_check(msg_ids(ns), msqid);
	if (IS_ERR(perm)) {
		msg = ERR_CAST(perm);
		goto out_unlock_rcu;
	}
	msq = msq_of(perm);
	for (;;) {
		msg = ERR_PTR(-EACCES);
		if (sipc_ipcperms(ns, perm, 0444))
			goto out_unlock_rcu;
		spin_lock(&perm->lock);
		/* A removal may have won the race for the lock. */
		msg = ERR_PTR(-EIDRM);
		if (perm->deleted)
			goto out_unlock;

		msg = msg_find(msq, &msgtyp, mode);
		if (!IS_ERR(msg)) {
			if (bufsz < msg->size && !(msgflg & MSG_NOERROR))
				msg = ERR_PTR(-E2BIG);
			else if (msgflg & MSG_COPY)
				msg = msg_copy(msg, copy);
			else
				msg_take(ns, msq, msg, &wq);
			goto out_unlock;
		}
		msg = ERR_PTR(-ENOMSG);
		if (msgflg & IPC_NOWAIT)
			goto out_unlock;

		msg = msg_wait_for_msg(msq, msgtyp, mode,
				       (msgflg & MSG_NOERROR) ? INT_MAX : bufsz,
				       &locked);
		if (!locked)
			goto out_unlock_rcu;
		if (msg != ERR_PTR(-EAGAIN))
			goto out_unlock;
		spin_unlock(&perm->lock);
	}

out_unlock:
	spin_unlock(&perm->lock);
out_unlock_rcu:
	rcu_read_unlock();
	sipc_wake_up_q(&wq);
	if (IS_ERR(msg)) {
		if (copy)
			msg_free(copy);
		return PTR_ERR(msg);
	}
	ret = msg_fill(msgp, msg, bufsz);
	if (ret >= 0)
		trace_shadowipc_msg_receive(ns, msqid, msg->type, ret);
	msg_free(msg);
	return ret;
}

/* IPC_INFO and MSG_INFO. Return: as sipc_ids_max_idx(), clamped to 0 */
static int msgctl_info(struct sipc_ns *ns, int cmd, struct msginfo *info)
{
	struct sipc_ids *ids = msg_ids(ns);
	int max_idx;

	memset(info, 0, sizeof(*info));
	info->msgmni = READ_ONCE(ns->limits.msgmni);
	info->msgmax = READ_ONCE(ns->limits.msgmax);
	info->msgmnb = READ_ONCE(ns->limits.msgmnb);
	info->msgssz = MSGSSZ;
	info->msgseg = MSGSEG;
	down_read(&ids->rwsem);
	if (cmd == MSG_INFO)
		info->msgpool = ids->in_use;
	max_idx = sipc_ids_max_idx(ids);
	up_read(&ids->rwsem);
	if (cmd == MSG_INFO) {
		info->msgmap = min_t(long, atomic_long_read(&ns->msg.hdrs),
				     INT_MAX);
		info->msgtql = min_t(long, atomic_long_read(&ns->msg.bytes),
				     INT_MAX);
	} else {
		info->msgmap = MSGMAP;
		info->msgpool = MSGPOOL;
		info->msgtql = MSGTQL;
	}
	return max(max_idx, 0);
}

/*
 * IPC_STAT (by id), MSG_STAT (by index) and MSG_STAT_ANY (by index, no
 * permission check). Return: 0 for IPC_STAT, else the queue's full id;
 * or -EINVAL, -EACCES, -EIDRM.
 */
static int msgctl_stat(struct sipc_ns *ns, int msqid, int cmd,
		       struct msqid64_ds *out)
{
	struct sipc_perm *perm;
	struct sipc_msq *msq;
	int ret;

	memset(out, 0, sizeof(*out));
	perm = sipc_ids_lock_stat(msg_ids(ns), msqid, cmd != IPC_STAT,
				  cmd != MSG_STAT_ANY);
	if (IS_ERR(perm))
		return PTR_ERR(perm);
	msq = msq_of(perm);
	sipc_perm_to_user64(perm, &out->msg_perm);
	out->msg_stime = msq->stime;
	out->msg_rtime = msq->rtime;
	out->msg_ctime = msq->ctime;
	out->msg_cbytes = msq->cbytes;
	out->msg_qnum = msq->qnum;
	out->msg_qbytes = msq->qbytes;
	out->msg_lspid = pid_vnr(msq->lspid);
	out->msg_lrpid = pid_vnr(msq->lrpid);
	ret = cmd == IPC_STAT ? 0 : perm->id;
	spin_unlock(&perm->lock);
	rcu_read_unlock();
	return ret;
}

/*
 * IPC_SET and IPC_RMID, for the owner, the creator or CAP_SYS_ADMIN
 * (msgctl_down()). @qbytes is an int, as in Linux: IPC_SET truncates
 * msg_qbytes to it, compares it unsigned with msgmnb and stores it sign
 * extended. Raising it above msgmnb takes CAP_SYS_RESOURCE in the initial
 * user namespace.
 *
 * Context: no locks held; takes the msg rwsem for write.
 * Return: 0, -EINVAL or -EPERM.
 */
static int msgctl_down(struct sipc_ns *ns, int msqid, int cmd,
		       struct ipc64_perm *in, int qbytes)
{
	struct sipc_ids *ids = msg_ids(ns);
	struct sipc_perm *perm;
	struct sipc_msq *msq;
	struct sipc_wake_q wq = { .n = 0 };
	int err;

	down_write(&ids->rwsem);
	rcu_read_lock();
	perm = sipc_ctl_obtain_check(ids, msqid);
	if (IS_ERR(perm)) {
		err = PTR_ERR(perm);
		goto out_unlock_rcu;
	}
	/* Removal needs the rwsem we hold: it cannot have been removed. */
	msq = msq_of(perm);
	if (cmd == IPC_RMID) {
		spin_lock(&perm->lock);
		trace_shadowipc_obj_remove(perm, msq->qbytes);
		msq_freeque(ids, perm);
		err = 0;
		goto out_up;
	}
	if ((unsigned int)qbytes > READ_ONCE(ns->limits.msgmnb) &&
	    !capable(CAP_SYS_RESOURCE)) {
		err = sipc_refuse(ns, SHADOWIPC_CHECK_MSGMNB, -EPERM,
				  (unsigned int)qbytes, 0,
				  READ_ONCE(ns->limits.msgmnb));
		goto out_unlock_rcu;
	}
	spin_lock(&perm->lock);
	err = sipc_perm_update(in, perm);
	if (!err) {
		msq->qbytes = qbytes;
		msq->ctime = ktime_get_real_seconds();
		/* Receivers may have lost their permission, senders won room. */
		msg_receiver_expunge(msq, -EAGAIN, &wq);
		msg_sender_wake(msq, false, &wq);
	}
	spin_unlock(&perm->lock);
	sipc_wake_up_q(&wq);
out_unlock_rcu:
	rcu_read_unlock();
out_up:
	up_write(&ids->rwsem);
	return err;
}

/**
 * sipc_msg_ctl() - msgctl(2) in @ns, as on x86-64 (IPC_64 layouts, the
 *	IPC_64 bit itself not accepted)
 * @ns: the caller's namespace
 * @msqid: the queue id, or an index for MSG_STAT and MSG_STAT_ANY
 * @cmd: the command
 * @buf: struct msqid64_ds or msginfo, per @cmd
 *
 * Context: process context, may sleep, no locks held.
 * Return: as msgctl(2): 0, the highest index in use (IPC_INFO,
 * MSG_INFO), a full id (MSG_STAT, MSG_STAT_ANY), or -errno; a buffer
 * that cannot be written is -EFAULT after the command ran.
 */
long sipc_msg_ctl(struct sipc_ns *ns, int msqid, int cmd, void __user *buf)
{
	union {
		struct msginfo info;
		struct msqid64_ds ds;
	} u;
	int ret;

	if (msqid < 0 || cmd < 0)
		return -EINVAL;

	switch (cmd) {
	case IPC_INFO:
	case MSG_INFO:
		ret = msgctl_info(ns, cmd, &u.info);
		if (copy_to_user(buf, &u.info, sizeof(u.info)))
			return -EFAULT;
		return ret;
	case MSG_STAT:
	case MSG_STAT_ANY:
	case IPC_STAT:
		ret = msgctl_stat(ns, msqid, cmd, &u.ds);
		if (ret < 0)
			return ret;
		if (copy_to_user(buf, &u.ds, sizeof(u.ds)))
			return -EFAULT;
		return ret;
	case IPC_SET:
		if (copy_from_user(&u.ds, buf, sizeof(u.ds)))
			return -EFAULT;
		return msgctl_down(ns, msqid, cmd, &u.ds.msg_perm,
				   u.ds.msg_qbytes);
	case IPC_RMID:
		return msgctl_down(ns, msqid, cmd, NULL, 0);
	default:
		return -EINVAL;
	}
}

/**
 * sipc_msg_holders_seq_show() - the msg lines of /proc/shadowipc/holders
 * @m: the file
 * @ns: a namespace the reader may see, referenced
 * @pid_ns: the pid namespace the pids are shown in
 *
 * For each queue, in id order, one line per sleeping receiver, then per
 * sleeping sender: "msg NS ID KEY PID COMM - receive|send".
 *
 * Context: process context, may sleep; takes the msg rwsem (read),
 * under which no queue is destroyed, so that a sleeper is listed only
 * while it sleeps (its entry is on its stack), then each queue's lock.
 */
void sipc_msg_holders_seq_show(struct seq_file *m, struct sipc_ns *ns,
			       struct pid_namespace *pid_ns)
{
	struct sipc_ids *ids = msg_ids(ns);
	struct msg_receiver *msr;
	struct msg_sender *mss;
	struct sipc_perm *perm;
	struct sipc_msq *msq;
	int idx;

	down_read(&ids->rwsem);
	idr_for_each_entry(&ids->idr, perm, idx) {
		msq = msq_of(perm);
		spin_lock(&perm->lock);
		list_for_each_entry(msr, &msq->receivers, list) {
			seq_printf(m, "msg %llu %d %d", ns->id, perm->id,
				   perm->key);
			sipc_seq_holder_task(m, msr->tsk, pid_ns);
			seq_puts(m, " - receive\n");
		}
		list_for_each_entry(mss, &msq->senders, list) {
			seq_printf(m, "msg %llu %d %d", ns->id, perm->id,
				   perm->key);
			sipc_seq_holder_task(m, mss->tsk, pid_ns);
			seq_puts(m, " - send\n");
		}
		spin_unlock(&perm->lock);
	}
	up_read(&ids->rwsem);
}

/* One /proc/shadowipc/sysvipc/msg line, as sysvipc_msg_proc_show(). */
static void msg_proc_show(struct seq_file *m, struct sipc_perm *perm,
			  struct pid_namespace *pid_ns)
{
	struct user_namespace *user_ns = seq_user_ns(m);
	struct sipc_msq *msq = msq_of(perm);

	seq_printf(m, "%10d %10d  %4o  %10lu %10lu %5u %5u %5u %5u %5u %5u %10llu %10llu %10llu\n",
		   perm->key, perm->id, perm->mode, msq->cbytes, msq->qnum,
		   pid_nr_ns(msq->lspid, pid_ns), pid_nr_ns(msq->lrpid, pid_ns),
		   from_kuid_munged(user_ns, perm->uid),
		   from_kgid_munged(user_ns, perm->gid),
		   from_kuid_munged(user_ns, perm->cuid),
		   from_kgid_munged(user_ns, perm->cgid),
		   msq->stime, msq->rtime, msq->ctime);
}

const struct sipc_proc_view sipc_msg_proc_view = {
	.name = "msg",
	.header = "       key      msqid perms      cbytes       qnum lspid lrpid   uid   gid  cuid  cgid      stime      rtime      ctime\n",
	.kind = SIPC_MSG,
	.show = msg_proc_show,
};
