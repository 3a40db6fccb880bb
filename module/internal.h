/* SPDX-License-Identifier: GPL-2.0 */
/*
 * shadowipc private definitions: the object model shared by the module's
 * files, the locking rules, and the prototypes between them.
 */
#ifndef _SHADOWIPC_INTERNAL_H
#define _SHADOWIPC_INTERNAL_H

#include <linux/bits.h>
#include <linux/fs.h>
#include <linux/idr.h>
#include <linux/ipc.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/pid.h>
#include <linux/rbtree_types.h>
#include <linux/rhashtable-types.h>
#include <linux/refcount.h>
#include <linux/rwsem.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/uidgid.h>
#include <linux/workqueue.h>
#include <linux/shadowipc.h>

/**
 * DOC: Locking
 *
 * Lock order, outermost first::
 *
 *   mm->mmap_lock
 *     sipc_view.lock            (a mutex per address space's view, view.c)
 *     sipc_ids.rwsem            (one per namespace and IPC kind)
 *       i_mmap_rwsem            (a segment's shmem mapping; only the
 *                               holders listing takes it, for read)
 *       rcu_read_lock
 *         sipc_perm.lock        (one per IPC object, a spinlock)
 *           sem_one.lock        (one per semaphore, sem.c; one at a time)
 *           sipc_task.lock      (a task's creator list)
 *           sipc_undo_list.lock (a process's SEM_UNDO list, sem_undo.c)
 *             sem_undo_lists_lock (the table of undo lists,
 *                                 sem_undo.c)
 *   sipc_ns_lock                (the list of namespaces, ns.c)
 *     sipc_mq_lock              (taken by sipc_ns_fill_info() for
 *                               /proc/shadowipc/namespaces)
 *   sipc_ns.mq.mutex            (a namespace's POSIX queue names)
 *     sipc_mq_lock              (queue counts and lists, mqueue.c; a leaf)
 *   sipc_mq.lock                (one POSIX queue; a leaf, sleeps with
 *                               schedule() only after dropping it; also
 *                               taken under sipc_ns.mq.mutex by the
 *                               mqueue file and the holders listing)
 *   sipc_roots_lock (realns.c), sipc_task table bucket locks,
 *   sipc_views_lock (view.c), shm_spare_lock (shm_file.c): leaves,
 *   taken alone
 *   sipc_ucounts_lock           (per-user budgets, ucount.c; a leaf, also
 *                               taken under a segment's sipc_perm.lock
 *                               by SHM_LOCK)
 *   shm_attach_file.lock        (a segment's attach file, vm.c; under
 *                               mmap_lock, sipc_ids.rwsem or
 *                               i_mmap_rwsem; holders' listing takes a
 *                               holder's task_lock under it)
 *
 * What each protects:
 *
 * - sipc_ids.rwsem: the id table of one kind in one namespace (the idr,
 *   in_use, seq, max_idx, last_idx, next_id) and the key table entries of
 *   that kind, in the module's table and in the one shared with userspace
 *   (keys.c: its slots are written only under it, for write); write for
 *   insert/remove and everything that may destroy an object, read for
 *   listings and IPC_INFO/SHM_INFO.
 * - sipc_view.lock: computing and writing one address space's view page.
 * - sipc_views_lock: changes of the table of views by mm (lookups: RCU).
 * - sipc_perm.lock: the mutable fields of one object and its @deleted flag.
 * - sem_one.lock: one semaphore's value, pid, time and single-operation
 *   queues, for a semop() of one operation while its set is not in
 *   global mode; it is taken alone, or under the set's sipc_perm.lock
 *   only to switch modes (sem.c, sem_lock(): Linux's scheme). A set in
 *   global mode has all of it under its sipc_perm.lock.
 * - sipc_task.lock: the list of segments a task created (shm_clist).
 * - sipc_ns_lock: the list of every namespace (for listings/unload), its
 *   count, and the order of their ids (taken under it).
 * - sipc_mq_lock: each namespace's list and count of POSIX queues.
 * - sipc_ucounts_lock: the per-user budgets of every user namespace.
 * - sipc_roots_lock: the table of root shadow namespaces by real IPC
 *   namespace (realns.c; lookups: RCU) and each root's @mapped.
 * - shm_spare_lock: the spare shmem files that shm_file.c keeps from
 *   destroyed segments for the next shmget() of the same size and flags.
 * - shm_attach_file.lock: an attach file's namespace pointer, cleared when
 *   its segment is destroyed (the file may outlive the namespace), and
 *   its list of the VMAs mapping it (added by ->mmap and vm_ops->open,
 *   removed by vm_ops->close). The listing reads those VMAs' ranges
 *   under the shmem mapping's i_mmap_rwsem, which every split, merge and
 *   move of a file VMA takes for write while changing them; a VMA is
 *   listed until its ->close, which comes before it is freed.
 *
 * RCU: id and key lookups run under rcu_read_lock() only; objects are freed
 * after a grace period. A lookup that found an object must take its lock
 * and re-check @deleted (EIDRM) before using it. The task table is read
 * under RCU; its entries are freed after a grace period.
 *
 * Wake-ups happen after the object's lock is dropped: a semop() or
 * semctl() that completes sleeping operations takes them off their
 * queues under the lock and wakes them after unlocking (sem.c,
 * sem_wake_up()); message queues and POSIX queues store a sleeper's
 * result under the lock and queue its task on a struct sipc_wake_q,
 * woken after unlocking (wake.c).
 *
 * Sleeping: vm_ops->close runs under mmap_lock and takes sipc_ids.rwsem,
 * so no path calls vm_mmap(), vm_munmap() or copy_{to,from}_user() while
 * holding a sipc_ids.rwsem or an object lock: it pins the object with a
 * reference (or a temporary nattch), drops the locks, does the call and
 * re-takes and re-checks afterwards, as do_shmat() does.
 *
 * Tracepoint probes (fork, exit) run with preemption disabled: they only
 * take spinlocks and allocate with GFP_ATOMIC from a mempool. The exit
 * probe leaves what may sleep (the creator list, shm_rmid_forced
 * destruction) to a task work the exiting task runs in exit_task_work(),
 * before its parent is notified.
 *
 * Namespace lifetime: &sipc_ns.count counts member tasks, handles, shm
 * attaches, and short-lived pins. A task's own namespace is pinned by its
 * membership for as long as the task runs an ioctl (only the task itself
 * changes its membership), so the ioctl path takes no reference. The put
 * that drops the count to zero destroys every object and frees the
 * namespace: in the caller when it is a member's exit or switch, or a
 * handle's release (process context, no locks held:
 * sipc_ns_put_in_task()), else on sipc_wq (probes, vm_ops->close under
 * mmap_lock, pins). The files a teardown drops (a segment's attach files
 * pin the module) are released by the task's own task work, or before a
 * kernel thread's teardown returns.
 */

/* wake.c: wake-ups after unlock; see there. */
#define SIPC_WAKE_BATCH		16

struct sipc_wake_q {
	unsigned int n;
	struct task_struct *tasks[SIPC_WAKE_BATCH];
};

void sipc_wake_q_add(struct sipc_wake_q *wq, struct task_struct *task);
void sipc_wake_up_q(struct sipc_wake_q *wq);

/* Linux's id layout: (seq << SIPC_IPCMNI_SHIFT) + index. */
#define SIPC_IPCMNI_SHIFT	15
#define SIPC_IPCMNI		((int)BIT(SIPC_IPCMNI_SHIFT))
#define SIPC_IPCMNI_IDX_MASK	(SIPC_IPCMNI - 1)
#define SIPC_IPC_MIN_CYCLE	RADIX_TREE_MAP_SIZE	/* 64, 16 with BASE_SMALL */
#define sipc_id_to_idx(id)	((id) & SIPC_IPCMNI_IDX_MASK)
#define sipc_id_to_seq(id)	((id) >> SIPC_IPCMNI_SHIFT)
#define SIPC_SEQ_MAX		(INT_MAX >> SIPC_IPCMNI_SHIFT)

/*
 * The IPC kinds, numbered as the uapi's SHADOWIPC_KIND_*: the System V
 * ones, which have id tables (sipc_ids), first.
 */
enum sipc_kind {
	SIPC_SHM = SHADOWIPC_KIND_SHM,
	SIPC_MSG = SHADOWIPC_KIND_MSG,
	SIPC_SEM = SHADOWIPC_KIND_SEM,
	SIPC_MQ = SHADOWIPC_KIND_MQ,
	SIPC_NR_KINDS = SHADOWIPC_NR_KINDS,
	SIPC_NR_IDS = SIPC_MQ,		/* the kinds with an id table */
};

struct sipc_ns;
struct sipc_ucounts;

/**
 * struct sipc_ids - one kind's id table in one namespace (Linux's ipc_ids)
 * @rwsem: protects the fields below and this kind's key table entries
 * @idr: index -> object
 * @in_use: objects in the table
 * @seq: sequence number for the next wrap-around
 * @max_idx: highest index in use, -1 when empty
 * @last_idx: index of the last allocation, detects wrap-around
 * @next_id: the id the next allocation asks for, -1 when unset
 * @ns: the namespace holding this table
 * @kind: which table of @ns this is
 * @keys: the key table shared with userspace (keys.c), NULL until mapped
 */
struct sipc_ids {
	struct rw_semaphore rwsem;	/* protects this table and its keys */
	struct idr idr;
	int in_use;
	unsigned short seq;
	int max_idx;
	int last_idx;
	int next_id;
	struct sipc_ns *ns;
	enum sipc_kind kind;
	struct sipc_keys *keys;
};

/**
 * struct sipc_perm - what every IPC object starts with (kern_ipc_perm)
 * @lock: protects @deleted and the object's mutable fields
 * @deleted: set under @lock when removed from its table
 * @id: full id, seq and index
 * @key: IPC key, IPC_PRIVATE once removed while still in use
 * @uid: owner
 * @gid: owner group
 * @cuid: creator
 * @cgid: creator group
 * @mode: permission bits plus kind-specific state bits
 * @get_size: the largest size a get of @key may ask for (shm: the segment
 *	size; sem: nsems; 0 for msg), as the shared key table shows it
 * @seq: sequence number part of @id
 * @ids: table the object is (or was) in
 * @khtnode: entry in the key table (not for IPC_PRIVATE)
 * @rcu: frees the object after a grace period
 * @refcount: references that keep the memory (not the id) alive
 */
struct sipc_perm {
	spinlock_t lock;	/* protects deleted and the object's state */
	bool deleted;
	int id;
	key_t key;
	kuid_t uid;
	kgid_t gid;
	kuid_t cuid;
	kgid_t cgid;
	umode_t mode;
	u64 get_size;
	unsigned long seq;
	struct sipc_ids *ids;
	struct rhash_head khtnode;
	struct rcu_head rcu;
	refcount_t refcount;
};

/**
 * struct sipc_ns_shm - shm.c's part of a namespace
 * @tot: pages of every segment, under ids[SIPC_SHM].rwsem
 */
struct sipc_ns_shm {
	unsigned long tot;
};

/**
 * struct sipc_ns_msg - msg.c's part of a namespace
 * @bytes: bytes queued in every message queue (MSG_INFO's msgtql)
 * @hdrs: messages queued in every message queue (MSG_INFO's msgmap)
 */
struct sipc_ns_msg {
	atomic_long_t bytes;
	atomic_long_t hdrs;
};

/**
 * struct sipc_ns_sem - sem.c's part of a namespace
 * @used: semaphores in every set, under ids[SIPC_SEM].rwsem
 */
struct sipc_ns_sem {
	int used;
};

/**
 * struct sipc_ns_mq - mqueue.c's part of a namespace
 * @mutex: protects @names (Linux's mqueue root directory lock)
 * @names: linked POSIX message queues by name (struct sipc_mq)
 * @all: every queue created here, linked or not, under sipc_mq_lock
 * @count: the queues on @all (mqueue's queues_count), under sipc_mq_lock
 */
struct sipc_ns_mq {
	struct mutex mutex;	/* protects names */
	struct rb_root names;
	struct list_head all;
	unsigned int count;
};

/**
 * struct sipc_ns - one shadow IPC namespace
 * @count: members + handles + attaches + pins; zero: teardown
 * @id: never reused; the initial namespace is 1
 * @members: tasks in the namespace
 * @handles: open handle files
 * @creator_euid: creator's effective uid
 * @creator_egid: creator's effective gid
 * @user_ns: creator's user namespace (holds a reference)
 * @limits: the namespace's sysctl values
 * @ids: one id table per System V kind
 * @shm: shm.c's part
 * @msg: msg.c's part
 * @sem: sem.c's part
 * @mq: mqueue.c's part
 * @node: in the list of every namespace
 * @free_work: teardown, when on sipc_wq
 * @owner: the per-user count this one is charged to, NULL for roots
 * @root: the root shadow namespace of the real namespace this one was
 *	created in (referenced); itself for a root (realns.c)
 * @real: the real IPC namespace of @root; compared, never dereferenced
 *	but by its root, whose @real_pin keeps it alive
 * @real_pin: a root's nsfs file on @real; NULL for the initial root
 * @root_node: a root's entry in the table of roots by real namespace
 * @mapped: a root is in that table, under sipc_roots_lock
 * @watch: what its handles poll on, NULL until it has one (nswatch.c)
 */
struct sipc_ns {
	refcount_t count;
	u64 id;
	atomic_t members;
	atomic_t handles;
	kuid_t creator_euid;
	kgid_t creator_egid;
	struct user_namespace *user_ns;
	struct shadowipc_limits limits;
	struct sipc_ids ids[SIPC_NR_IDS];
	struct sipc_ns_shm shm;
	struct sipc_ns_msg msg;
	struct sipc_ns_sem sem;
	struct sipc_ns_mq mq;
	struct list_head node;
	struct work_struct free_work;
	struct sipc_ucounts *owner;
	struct sipc_ns *root;
	struct ipc_namespace *real;
	struct file *real_pin;
	struct hlist_node root_node;
	bool mapped;
	struct sipc_ns_watch *watch;
};

/**
 * struct sipc_refusal - a thread's last refusal by a check (refuse.c)
 * @ns_id: the namespace of the refused call
 * @asked: the amount asked for
 * @used: the amount in use
 * @limit: the limit reached
 * @check: which check refused it
 * @err: the negative errno the call returned; 0: none (read, or never)
 *
 * Written and read only by its own thread, in its calls: no lock.
 */
struct sipc_refusal {
	u64 ns_id;
	u64 asked;
	u64 used;
	u64 limit;
	enum shadowipc_check check;
	int err;
};

/**
 * struct sipc_task - what shadowipc keeps for one task (thread)
 * @task: the task, the table key; never dereferenced after exit
 * @node: entry in the task table
 * @ns: the task's namespace, NULL for the root of its real namespace
 *	(then the entry exists only for @shm_clist and @refusal)
 * @real: the task's real IPC namespace when @ns was set: once the task's
 *	real namespace is another, it is in that one's root, whatever @ns
 * @lock: protects @shm_clist
 * @shm_clist: segments this task created (sipc_shm.clist)
 * @refusal: the task's last refusal, for SHADOWIPC_IOC_LAST_REFUSAL
 * @exit_cb: the task's exit, finished as a task work of the task
 * @exit_work: the task's exit, finished on sipc_wq (module unload)
 * @rcu: frees the entry after a grace period
 */
struct sipc_task {
	struct task_struct *task;
	struct rhash_head node;
	struct sipc_ns *ns;
	struct ipc_namespace *real;
	spinlock_t lock;	/* protects shm_clist */
	struct list_head shm_clist;
	struct sipc_refusal refusal;
	union {
		struct callback_head exit_cb;
		struct work_struct exit_work;
	};
	struct rcu_head rcu;
};

/**
 * struct sipc_get_ops - one kind's part in sipc_ids_get() (Linux's ipc_ops)
 * @newobj: create an object with @key and @flg's mode bits; called with
 *	the table's rwsem held for write; returns its id or -errno
 * @more_checks: extra checks on the existing object a key found, or NULL;
 *	called with the object locked; returns 0 or -errno
 */
struct sipc_get_ops {
	int (*newobj)(struct sipc_ids *ids, key_t key, int flg, void *arg);
	int (*more_checks)(struct sipc_perm *perm, void *arg);
};

struct pid_namespace;
struct seq_file;
struct sipc_proc_view;

/**
 * struct sipc_kind_ops - one IPC kind's part in every namespace (ns.c)
 * @init_ns: set up the kind's part of a new namespace
 * @exit_ns: destroy every object of the kind in a namespace being freed
 * @holders_show: print the kind's lines of /proc/shadowipc/holders for a
 *	namespace, as the pid namespace given sees the holders
 * @proc_view: its /proc/shadowipc/sysvipc file, NULL for none
 */
struct sipc_kind_ops {
	void (*init_ns)(struct sipc_ns *ns);
	void (*exit_ns)(struct sipc_ns *ns);
	void (*holders_show)(struct seq_file *m, struct sipc_ns *ns,
			     struct pid_namespace *pid_ns);
	const struct sipc_proc_view *proc_view;
};

extern const struct sipc_kind_ops sipc_kinds[SIPC_NR_KINDS];
extern struct sipc_ns sipc_init_ns;
extern struct workqueue_struct *sipc_wq;
extern unsigned int sipc_max_namespaces;

/* ns.c: namespace life cycle */
int sipc_ns_module_init(void);
void sipc_ns_module_exit(void);
struct ipc_namespace;
struct file;
struct sipc_ns *sipc_ns_create(struct sipc_ns *root);
struct sipc_ns *sipc_ns_create_root(struct ipc_namespace *real,
				    struct file *pin);
void sipc_ns_get(struct sipc_ns *ns);
bool sipc_ns_tryget(struct sipc_ns *ns);
void sipc_ns_put(struct sipc_ns *ns);
void sipc_ns_put_in_task(struct sipc_ns *ns);
void sipc_ns_fill_info(struct sipc_ns *ns, struct shadowipc_ns_info *info);
void sipc_fill_status(struct shadowipc_status *st);
bool sipc_ns_may_join(struct sipc_ns *ns);

/* ucount.c: per-user budgets, charged up the user-namespace chain */
enum sipc_ucount_type {
	SIPC_UCOUNT_NAMESPACES,	/* live namespaces per euid */
	SIPC_UCOUNT_MQ_BYTES,	/* POSIX queue bytes per uid */
	SIPC_UCOUNT_MEMLOCK,	/* SHM_LOCK'ed pages per uid */
	SIPC_UCOUNT_TYPES,
};

/**
 * struct sipc_budget - a per-user budget's limit, and where it was met
 * @limit: the limit at the first level; once refused, the refusing level's
 * @used: once refused, what the refusing level had charged
 */
struct sipc_budget {
	unsigned long limit;
	unsigned long used;
};

struct user_namespace;
struct sipc_ucounts *sipc_ucount_charge(struct user_namespace *ns, kuid_t uid,
					enum sipc_ucount_type type,
					unsigned long amount,
					struct sipc_budget *budget, bool force,
					gfp_t gfp);
void sipc_ucount_uncharge(struct sipc_ucounts *uc, enum sipc_ucount_type type,
			  unsigned long amount);

/* realns.c: root shadow namespaces of the real IPC namespaces */
struct task_struct;
void sipc_roots_module_init(void);
void sipc_roots_module_exit(void);
struct sipc_ns *sipc_root_task_get(struct task_struct *task);
struct sipc_ns *sipc_root_current(void);
struct sipc_ns *sipc_root_current_peek(void);
struct ipc_namespace *sipc_real_ns_current(void);
void sipc_roots_reap_now(void);
void sipc_roots_task_exiting(struct task_struct *task);

/* nswatch.c: awaiting and reclaiming a namespace */
struct sipc_ns_watch;
struct poll_table_struct;
int sipc_ns_watch_init(struct sipc_ns *ns);
bool sipc_ns_idle(struct sipc_ns *ns);
void sipc_ns_watch_idle(struct sipc_ns *ns);
void sipc_ns_watch_gone(struct sipc_ns_watch *w);
__poll_t sipc_ns_poll(struct sipc_ns *ns, struct file *file,
		      struct poll_table_struct *pt);
struct sipc_ns_watch *sipc_ns_watch_get(struct sipc_ns *ns);
void sipc_ns_watch_release(struct sipc_ns_watch *w);
__poll_t sipc_ns_watch_poll(struct sipc_ns_watch *w, struct file *file,
			    struct poll_table_struct *pt);
int sipc_ns_drain(struct sipc_ns *ns, struct shadowipc_ns_drain *d);

/* task.c: task -> namespace bindings, fork/exit probes */
int sipc_task_module_init(void);
void sipc_task_module_exit(void);
struct sipc_ns *sipc_current_ns(void);
struct sipc_ns *sipc_current_ns_peek(void);
struct sipc_task *sipc_current_task_get_or_create(void);
struct sipc_task *sipc_current_task_nowait(void);
struct sipc_task *sipc_current_task_peek(void);
int sipc_task_switch_ns(struct sipc_ns *ns, bool unshare);
struct sipc_ns *sipc_task_ns_get(struct task_struct *task);
bool sipc_task_group_all_in(struct sipc_ns *ns);
u64 sipc_task_bindings(void);

/* refuse.c: why a call was refused */
int sipc_refuse(const struct sipc_ns *ns, enum shadowipc_check check, int err,
		u64 asked, u64 used, u64 limit);
int sipc_last_refusal(struct shadowipc_last_refusal *out);
void sipc_last_refusal_clear(void);

/* handle.c: namespace handle files, whose ioctls main.c dispatches */
struct file *sipc_handle_create(pid_t pid, bool watch,
				const struct file_operations *fops, u64 *ns_id);
int sipc_handle_release(struct inode *inode, struct file *file);
__poll_t sipc_handle_poll(struct file *file, struct poll_table_struct *pt);
u64 sipc_handle_count(void);
bool sipc_may_read_task(struct task_struct *task);

/* keys.c: key tables shared read-only with userspace */
struct sipc_keys;
void sipc_keys_publish(struct sipc_ids *ids, struct sipc_perm *perm);
void sipc_keys_refresh(struct sipc_ids *ids, struct sipc_perm *perm);
void sipc_keys_unpublish(struct sipc_ids *ids, struct sipc_perm *perm);
void sipc_keys_semmsl_changed(struct sipc_ns *ns);
void sipc_keys_destroy(struct sipc_ids *ids);
u64 sipc_keys_bytes(struct sipc_ids *ids);
struct vm_area_struct;
int sipc_keys_mmap(struct vm_area_struct *vma, enum sipc_kind kind);

/* view.c: which namespace an address space's tasks are in, for userspace */
void sipc_view_switched(void);
void sipc_view_recheck(void);
struct mm_struct;
void sipc_view_unsure(struct mm_struct *mm);
int sipc_view_mmap(struct vm_area_struct *vma);

/* ids.c: generic id/key tables and permission rules (ipc/util.c) */

/**
 * sipc_set_pid() - make an object's pid field @pid
 * @slot: the field (an lspid, lrpid, sempid or lprid), holding a reference
 * @pid: the thread group (or thread) to record; NULL for none
 *
 * Context: the lock that guards @slot held (the object's, or a
 * semaphore's own).
 */
static inline void sipc_set_pid(struct pid **slot, struct pid *pid)
{
	if (*slot == pid)
		return;
	put_pid(*slot);
	*slot = get_pid(pid);
}

int sipc_ids_module_init(void);
void sipc_ids_module_exit(void);
void sipc_ids_init(struct sipc_ids *ids, struct sipc_ns *ns, enum sipc_kind kind);
void sipc_ids_destroy(struct sipc_ids *ids);
int sipc_ids_add(struct sipc_ids *ids, struct sipc_perm *new, int limit);
void sipc_ids_rmid(struct sipc_ids *ids, struct sipc_perm *perm);
void sipc_ids_set_key_private(struct sipc_ids *ids, struct sipc_perm *perm);
struct sipc_perm *sipc_ids_find_key(struct sipc_ids *ids, key_t key);
struct sipc_perm *sipc_ids_obtain(struct sipc_ids *ids, int id);
struct sipc_perm *sipc_ids_obtain_check(struct sipc_ids *ids, int id);
int sipc_ids_max_idx(struct sipc_ids *ids);
int sipc_ipcperms(struct sipc_ns *ns, struct sipc_perm *perm, short flag);
struct sipc_perm *sipc_ctl_obtain_check(struct sipc_ids *ids, int id);
void sipc_perm_to_user64(struct sipc_perm *perm, struct ipc64_perm *out);
int sipc_perm_update(struct ipc64_perm *in, struct sipc_perm *perm);
bool sipc_perm_getref(struct sipc_perm *perm);
void sipc_perm_putref(struct sipc_perm *perm, void (*free)(struct rcu_head *));
int sipc_ids_get(struct sipc_ids *ids, key_t key, int flg,
		 const struct sipc_get_ops *ops, void *arg);
void sipc_ids_free_all(struct sipc_ids *ids,
		       void (*free)(struct sipc_ids *ids,
				    struct sipc_perm *perm));
struct sipc_perm *sipc_ids_lock_stat(struct sipc_ids *ids, int id,
				     bool by_index, bool check_read);

/* shm.c: System V shared memory (ipc/shm.c) */
void sipc_shm_init_ns(struct sipc_ns *ns);
void sipc_shm_exit_ns(struct sipc_ns *ns);
void sipc_shm_exit_task(struct sipc_task *t);
long sipc_shm_get(struct sipc_ns *ns, key_t key, u64 size, int shmflg);
long sipc_shm_at(struct sipc_ns *ns, int shmid, u64 *addr, int shmflg);
long sipc_shm_dt(u64 addr);
long sipc_shm_ctl(struct sipc_ns *ns, int shmid, int cmd, void __user *buf);
u64 sipc_shm_count(void);
void sipc_shm_file_module_exit(void);

/* msg.c: System V message queues (ipc/msg.c) */
void sipc_msg_init_ns(struct sipc_ns *ns);
void sipc_msg_exit_ns(struct sipc_ns *ns);
long sipc_msg_get(struct sipc_ns *ns, key_t key, int msgflg);
long sipc_msg_snd(struct sipc_ns *ns, int msqid, long mtype,
		  void __user *mtext, size_t msgsz, int msgflg);
long sipc_msg_rcv(struct sipc_ns *ns, int msqid, void __user *msgp,
		  size_t msgsz, long msgtyp, int msgflg);
long sipc_msg_ctl(struct sipc_ns *ns, int msqid, int cmd, void __user *buf);

/* sem.c, sem_undo.c: System V semaphores (ipc/sem.c) */
struct sembuf;
struct task_struct;
struct timespec64;
void sipc_sem_init_ns(struct sipc_ns *ns);
void sipc_sem_exit_ns(struct sipc_ns *ns);
void sipc_sem_exit_task(struct task_struct *task);
long sipc_sem_get(struct sipc_ns *ns, key_t key, int nsems, int semflg);
long sipc_sem_op(struct sipc_ns *ns, int semid, struct sembuf __user *usops,
		 unsigned int nsops, const struct timespec64 *timeout);
long sipc_sem_ctl(struct sipc_ns *ns, int semid, int semnum, int cmd,
		  unsigned long arg);

/* mqueue.c: POSIX message queues (ipc/mqueue.c) */
struct mq_attr;
struct seq_file;
struct sigevent;
void sipc_mq_init_ns(struct sipc_ns *ns);
void sipc_mq_exit_ns(struct sipc_ns *ns);
void sipc_mq_unlink_all(struct sipc_ns *ns);
long sipc_mq_open(struct sipc_ns *ns, const char __user *uname, int oflag,
		  umode_t mode, struct mq_attr *attr);
long sipc_mq_unlink(struct sipc_ns *ns, const char __user *uname);
long sipc_mq_timedsend(int fd, const char __user *umsg, size_t len,
		       unsigned int prio, struct timespec64 *ts);
long sipc_mq_timedreceive(int fd, char __user *umsg, size_t len,
			  unsigned int __user *uprio, struct timespec64 *ts);
long sipc_mq_notify(int fd, const struct sigevent *sev);
long sipc_mq_getsetattr(int fd, const struct mq_attr *new,
			struct mq_attr *old);
void sipc_mq_ns_usage(struct sipc_ns *ns, u64 *count, u64 *bytes);
void sipc_mq_seq_show(struct seq_file *m, struct sipc_ns *ns);

/* proc.c: /proc/shadowipc */
struct seq_file;
struct pid_namespace;

/**
 * struct sipc_proc_view - one kind's /proc/shadowipc/sysvipc file
 * @name: file name
 * @header: first line, as Linux's /proc/sysvipc file
 * @kind: which id table it lists
 * @show: print one object's line; called with the table's rwsem held
 *	for read and the object locked (not deleted); must not sleep
 */
struct sipc_proc_view {
	const char *name;
	const char *header;
	enum sipc_kind kind;
	void (*show)(struct seq_file *m, struct sipc_perm *perm,
		     struct pid_namespace *pid_ns);
};

extern const struct sipc_proc_view sipc_shm_proc_view;
extern const struct sipc_proc_view sipc_msg_proc_view;
extern const struct sipc_proc_view sipc_sem_proc_view;
int sipc_proc_module_init(void);
void sipc_proc_module_exit(void);
void sipc_ns_seq_show_all(struct seq_file *m, struct sipc_ns *root);
void sipc_ns_seq_show_holders(struct seq_file *m, struct sipc_ns *root);
void sipc_seq_holder_task(struct seq_file *m, struct task_struct *task,
			  struct pid_namespace *pid_ns);
void sipc_shm_holders_seq_show(struct seq_file *m, struct sipc_ns *ns,
			       struct pid_namespace *pid_ns);
void sipc_msg_holders_seq_show(struct seq_file *m, struct sipc_ns *ns,
			       struct pid_namespace *pid_ns);
void sipc_sem_holders_seq_show(struct seq_file *m, struct sipc_ns *ns,
			       struct pid_namespace *pid_ns);
void sipc_mq_holders_seq_show(struct seq_file *m, struct sipc_ns *ns,
			      struct pid_namespace *pid_ns);
void sipc_shm_destroy_orphaned(struct sipc_ns *ns);

#endif /* _SHADOWIPC_INTERNAL_H */
