// SPDX-License-Identifier: GPL-2.0
/*
 * Wake-ups after unlock (Linux's wake_q, which modules cannot use:
 * wake_q_add() is not exported), for message queues and POSIX queues.
 *
 * A waker that services sleepers under an object's lock adds each one's
 * task to a struct sipc_wake_q on its own stack, which takes a task
 * reference, then stores the sleeper's result, then, once every lock is
 * dropped, wakes them all. A sleeper that wakes early for another reason
 * finds its result and may return: the late wake-up is then a spurious
 * one, which every sleeping loop tolerates. The queue holds
 * SIPC_WAKE_BATCH tasks; when it is full (an IPC_RMID with many
 * sleepers) the ones queued, whose results are stored, are woken at once
 * under the lock to make room.
 */
#include <linux/sched.h>
#include <linux/sched/task.h>

#include "internal.h"

/**
 * sipc_wake_q_add() - queue @task's wake-up
 * @wq: the waker's queue
 * @task: the sleeper, before its result is stored
 *
 * Context: any; the object's lock held.
 */
void sipc_wake_q_add(struct sipc_wake_q *wq, struct task_struct *task)
{
	if (wq->n == ARRAY_SIZE(wq->tasks))
		sipc_wake_up_q(wq);
	wq->tasks[wq->n++] = get_task_struct(task);
}

/**
 * sipc_wake_up_q() - wake every task queued and drop their references
 * @wq: the waker's queue, emptied
 *
 * Context: any; normally with no lock held.
 */
void sipc_wake_up_q(struct sipc_wake_q *wq)
{
	unsigned int i;

	for (i = 0; i < wq->n; i++) {
		wake_up_process(wq->tasks[i]);
		put_task_struct(wq->tasks[i]);
	}
	wq->n = 0;
}
