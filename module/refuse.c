// SPDX-License-Identifier: GPL-2.0
/*
 * Why a call was refused: every limit or permission check that fails a
 * call returns through sipc_refuse(), which reports it to the
 * shadowipc_refuse trace event and keeps it, as the calling thread's last
 * refusal, in the thread's record (task.c), for the thread alone to read
 * back with SHADOWIPC_IOC_LAST_REFUSAL.
 */
#include <linux/errno.h>
#include <linux/sched.h>

#include "internal.h"
#include "trace.h"

/**
 * sipc_refuse() - a check refuses a call in @ns
 * @ns: the namespace the call was made in
 * @check: which check
 * @err: the negative errno the call returns
 * @asked: the amount asked for (0 where none)
 * @used: the amount in use (0 where none)
 * @limit: the limit reached
 *
 * Emits shadowipc_refuse and records the refusal for the calling thread,
 * replacing the one it had. A thread's first refusal outside any shadow
 * namespace makes its record, without sleeping: if no memory can be had,
 * only the event reports it.
 *
 * Context: a call of the calling task, in process context; may hold
 * spinlocks, does not sleep.
 * Return: @err, for "return sipc_refuse(...);".
 */
int __cold sipc_refuse(const struct sipc_ns *ns, enum shadowipc_check check,
		       int err, u64 asked, u64 used, u64 limit)
{
	struct sipc_task *t;

	trace_shadowipc_refuse(ns, check, err, asked, used, limit);
	t = sipc_current_task_nowait();
	if (t)
		t->refusal = (struct sipc_refusal) {
			.ns_id = ns->id,
			.asked = asked,
			.used = used,
			.limit = limit,
			.check = check,
			.err = err,
		};
	return err;
}

/**
 * sipc_last_refusal() - the calling thread's last refusal
 * @out: filled but for @out->flags and @out->pad
 *
 * Context: process context.
 * Return: 0, or -ENOENT when the thread has no refusal since its last
 * sipc_last_refusal_clear().
 */
int sipc_last_refusal(struct shadowipc_last_refusal *out)
{
	struct sipc_task *t = sipc_current_task_peek();

	if (!t || !t->refusal.err)
		return -ENOENT;
	out->check = t->refusal.check;
	out->err = -t->refusal.err;
	out->ns_id = t->refusal.ns_id;
	out->asked = t->refusal.asked;
	out->used = t->refusal.used;
	out->limit = t->refusal.limit;
	return 0;
}

/**
 * sipc_last_refusal_clear() - forget the calling thread's last refusal
 *
 * Context: process context.
 */
void sipc_last_refusal_clear(void)
{
	struct sipc_task *t = sipc_current_task_peek();

	if (t)
		t->refusal.err = 0;
}
