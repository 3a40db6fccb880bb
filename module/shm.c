// SPDX-License-Identifier: GPL-2.0
/*
 * System V shared memory, as Linux does it (ipc/): segments backed
 * by shmem files, shmget(), the checks and pinning of shmat() (vm.c does
 * the mapping), shmctl(), and the rules that destroy a segment: at its
 * last detach once IPC_RMID'd (or with shm_rmid_forced), at namespace
 * teardown, and at its creator's exit with shm_rmid_forced. Also the
 * SHM_LOCK accounting against RLIMIT_MEMLOCK, which Linux keeps in
 * mm/mlock.c where modules cannot reach it.
 *
 * Where this differs from Linux (each explained where it is done):
 * SHM_HUGETLB never gets huge pages (shm_hugetlb_setup()); SHM_LOCK is
 * charged to an account of shadowipc's own (shm_memlock_charge()) and
 * does not mark the shmem inode VM_LOCKED, only its mapping unevictable;
 * SHM_NORESERVE is honoured even under vm.overcommit_memory=2; and a
 * creator's exit is handled by task.c's exit work, shortly after the
 * exit rather than during it.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/file.h>
#include <linux/mman.h>
#include <linux/pagemap.h>
#include <linux/pid.h>
#include <linux/pid_namespace.h>
#include <linux/sched/signal.h>
#include <linux/seq_file.h>
#include <linux/shm.h>
#include <uapi/linux/shm.h>	/* not included by linux/shm.h since 6.2 */
#include <linux/shmem_fs.h>
#include <linux/slab.h>
#include <linux/swap.h>
#include <linux/uaccess.h>
#include <linux/user_namespace.h>
#include <asm/cpufeature.h>

#include "compat.h"
#include "internal.h"
#include "trace.h"
#include "shm.h"

/* State bits in sipc_perm.mode, Linux's values; IPC_STAT shows them. */
#define SHM_DEST	01000	/* destroy at the last detach */
#define SHM_LOCKED	02000	/* SHM_LOCK'ed: pages kept in memory */

/**
 * struct sipc_shm - one segment (Linux's shmid_kernel)
 * @perm: id, key, owner and mode: what ids.c knows of the segment
 * @file: the shmem file holding the pages; NULL once destroyed
 * @nattch: attach VMAs, plus shmat() calls in progress
 * @segsz: the size asked for, not rounded
 * @atim: time of the last attach
 * @dtim: time of the last detach
 * @ctim: time of creation or of the last IPC_SET
 * @cprid: creator's thread group
 * @lprid: thread group of the last attach or detach, NULL before any
 * @memlock: the account SHM_LOCK charged, NULL when not locked
 * @attach_files: the files shmat() maps, read-only ([0]) and read-write
 *	([1]), each made at the first such shmat() (vm.c)
 * @mapped: shmat() pinned it once: its file may have pages and a memory
 *	policy, and is not kept as a spare (shm_file.c)
 * @creator: creator's record; valid only while @clist is not empty
 * @clist: entry in @creator->shm_clist, under @creator->lock
 *
 * Everything but @clist is under @perm.lock.
 */
struct sipc_shm {
	struct sipc_perm perm;
	struct file *file;
	unsigned long nattch;
	unsigned long segsz;
	time64_t atim;
	time64_t dtim;
	time64_t ctim;
	struct pid *cprid;
	struct pid *lprid;
	struct sipc_ucounts *memlock;
	struct file *attach_files[2];
	bool mapped;
	struct sipc_task *creator;
	struct list_head clist;
};

#define shm_of(p)	container_of(p, struct sipc_shm, perm)

static atomic_long_t shm_segments = ATOMIC_LONG_INIT(0);

static struct sipc_ids *shm_ids(struct sipc_ns *ns)
{
	return &ns->ids[SIPC_SHM];
}

/* Pages a segment counts for, in the namespace's shm.tot and against RLIMIT_MEMLOCK. */
static unsigned long shm_pages(struct sipc_shm *shp)
{
	return (shp->segsz + PAGE_SIZE - 1) >> PAGE_SHIFT;
}

/*
 * shm_lock() - look a segment up by the index part of @id and lock it
 *
 * Context: returns with rcu_read_lock() and the segment's lock held on
 * success, nothing held on failure.
 * Return: the segment, ERR_PTR(-EINVAL) when the index is free, or
 * ERR_PTR(-EIDRM) when the segment was removed while we waited.
 */
static struct sipc_shm *shm_lock(struct sipc_ns *ns, int id)
{
	struct sipc_perm *perm;

	rcu_read_lock();
	perm = sipc_ids_obtain(shm_ids(ns), id);
	if (IS_ERR(perm))
		goto out_unlock_rcu;
	spin_lock(&perm->lock);
	/* The segment may have been destroyed while we spun on its lock. */
	if (!perm->deleted)
		return shm_of(perm);
	spin_unlock(&perm->lock);
	perm = ERR_PTR(-EIDRM);
out_unlock_rcu:
	rcu_read_unlock();
	return ERR_CAST(perm);
}

static void shm_lock_by_ptr(struct sipc_shm *shp)
	__acquires(RCU) __acquires(&shp->perm.lock)
{
	rcu_read_lock();
	spin_lock(&shp->perm.lock);
}

static void shm_unlock(struct sipc_shm *shp)
	__releases(&shp->perm.lock) __releases(RCU)
{
	spin_unlock(&shp->perm.lock);
	rcu_read_unlock();
}

static void shm_free_rcu(struct rcu_head *rcu)
{
	kfree(shm_of(container_of(rcu, struct sipc_perm, rcu)));
}

/*
 * shm_may_destroy() - no attach left, and IPC_RMID'd or shm_rmid_forced
 *
 * Context: @shp locked.
 */
static bool shm_may_destroy(struct sipc_ns *ns, struct sipc_shm *shp)
{
	lockdep_assert_held(&shp->perm.lock);

	return !shp->nattch && (READ_ONCE(ns->limits.shm_rmid_forced) ||
				(shp->perm.mode & SHM_DEST));
}

/*
 * shm_memlock_charge() - charge SHM_LOCK'ed pages to the caller
 * @pages: pages to charge
 * @budget: out: the limit met and what was charged, when refused
 *
 * user_shm_lock()'s rule: the caller's real uid may hold at most
 * RLIMIT_MEMLOCK of locked segments, unless it has CAP_IPC_LOCK in the
 * initial user namespace; charged, as Linux charges ucounts, up the
 * caller's user namespaces too. Linux's own count is not reachable from a
 * module, so shadow segments have an account of their own (ucount.c):
 * they do not add to the native count, nor it to theirs.
 *
 * Context: the segment's lock held; does not sleep.
 * Return: the account charged, or NULL (over the limit, or no memory).
 */
static struct sipc_ucounts *shm_memlock_charge(unsigned long pages,
					       struct sipc_budget *budget)
{
	const struct cred *cred = current_cred();
	struct sipc_ucounts *uc;

	budget->limit = rlimit(RLIMIT_MEMLOCK);
	if (budget->limit != RLIM_INFINITY)
		budget->limit >>= PAGE_SHIFT;
	uc = sipc_ucount_charge(cred->user_ns, cred->uid, SIPC_UCOUNT_MEMLOCK,
				pages, budget, false, GFP_NOWAIT | __GFP_NOWARN);
	if (!uc && capable(CAP_IPC_LOCK))
		uc = sipc_ucount_charge(cred->user_ns, cred->uid,
					SIPC_UCOUNT_MEMLOCK, pages, budget, true,
					GFP_NOWAIT | __GFP_NOWARN);
	return IS_ERR(uc) ? NULL : uc;
}

/*
 * shm_memlock_release() - undo SHM_LOCK: uncharge, let pages be evicted
 *
 * Pages already on the unevictable list stay there until the caller
 * moves them (shm_mapping_make_evictable()) or they are freed.
 *
 * Context: @shp locked, with a file.
 */
static void shm_memlock_release(struct sipc_shm *shp)
{
	struct sipc_ucounts *ml = shp->memlock;

	lockdep_assert_held(&shp->perm.lock);

	if (!ml)
		return;
	shp->memlock = NULL;
	shp->perm.mode &= ~SHM_LOCKED;
	mapping_clear_unevictable(shp->file->f_mapping);

	sipc_ucount_uncharge(ml, SIPC_UCOUNT_MEMLOCK, shm_pages(shp));
}

/*
 * shm_mapping_make_evictable() - move an unlocked segment's pages back
 * to the evictable LRU lists (shmem_unlock_mapping(), not exported)
 *
 * Stops early if the segment is locked again meanwhile.
 *
 * Context: process context, may sleep; no locks held; the caller keeps
 * the file (and so @mapping) alive.
 */
static void shm_mapping_make_evictable(struct address_space *mapping)
{
	struct folio_batch fbatch;
	pgoff_t index = 0;

	folio_batch_init(&fbatch);
	while (!mapping_unevictable(mapping) &&
	       filemap_get_folios(mapping, &index, ~0UL, &fbatch)) {
		check_move_unevictable_folios(&fbatch);
		folio_batch_release(&fbatch);
		cond_resched();
	}
}

/*
 * shm_clist_rm() - take @shp off its creator's list, unless the
 * creator's exit (sipc_shm_exit_task()) already did
 *
 * Context: @shp locked (under RCU).
 */
static void shm_clist_rm(struct sipc_shm *shp)
{
	struct sipc_task *creator;

	lockdep_assert_held(&shp->perm.lock);

	/*
	 * While @clist is on the list, sipc_shm_exit_task() has not finished
	 * with the creator, whose record is freed an RCU grace period after
	 * that: the RCU read side we are in keeps it valid.
	 */
	if (list_empty(&shp->clist))
		return;
	creator = shp->creator;
	spin_lock(&creator->lock);
	list_del_init(&shp->clist);
	spin_unlock(&creator->lock);
}

/*
 * shm_destroy() - free a segment's id, pages and accounting
 *
 * Context: the namespace's shm rwsem held for write and @shp locked;
 * returns with @shp unlocked, its memory freed after a grace period once
 * other references (sipc_shm_exit_task()) are gone.
 */
static void shm_destroy(struct sipc_ns *ns, struct sipc_shm *shp)
	__releases(&shp->perm.lock) __releases(RCU)
{
	struct file *attach_files[] = { shp->attach_files[0],
					shp->attach_files[1] };
	struct file *file = shp->file;
	int i;

	lockdep_assert_held_write(&shm_ids(ns)->rwsem);

	trace_shadowipc_obj_destroy(&shp->perm, shp->segsz);
	shm_memlock_release(shp);
	shp->file = NULL;
	WRITE_ONCE(ns->shm.tot, ns->shm.tot - shm_pages(shp));
	shm_clist_rm(shp);
	sipc_ids_rmid(shm_ids(ns), &shp->perm);
	shm_unlock(shp);

	for (i = 0; i < ARRAY_SIZE(attach_files); i++) {
		if (!attach_files[i])
			continue;
		sipc_shm_attach_file_orphan(attach_files[i]);
		fput(attach_files[i]);
	}
	sipc_shm_file_put(file, !shp->mapped);
	put_pid(shp->cprid);
	put_pid(shp->lprid);
	atomic_long_dec(&shm_segments);
	sipc_perm_putref(&shp->perm, shm_free_rcu);
}

/*
 * shm_rmid() - IPC_RMID: destroy now if unattached, else at the last
 * detach, the key becoming private at once so that shmget() no longer
 * finds the segment
 *
 * Context: as shm_destroy(): returns with the segment unlocked.
 */
static void shm_rmid(struct sipc_ids *ids, struct sipc_perm *perm)
	__releases(&perm->lock) __releases(RCU)
{
	struct sipc_shm *shp = shm_of(perm);

	if (!shp->nattch) {
		shm_destroy(ids->ns, shp);
		return;
	}
	perm->mode |= SHM_DEST;
	sipc_ids_set_key_private(ids, perm);
	shm_unlock(shp);
}

/*
 * shm_nattch_put_unless_last() - drop an attach count that is not the
 * last: only the last can destroy the segment, so this needs no rwsem
 *
 * Context: @shp locked.
 * Return: true when dropped; false when it is the last, for
 * shm_nattch_put() under the rwsem.
 */
static bool shm_nattch_put_unless_last(struct sipc_shm *shp)
{
	lockdep_assert_held(&shp->perm.lock);

	if (shp->nattch <= 1)
		return false;
	shp->nattch--;
	return true;
}

/*
 * shm_nattch_put() - drop an attach count, destroying the segment if
 * that was the last and it may go
 *
 * Context: as shm_destroy(): returns with @shp unlocked.
 */
static void shm_nattch_put(struct sipc_ns *ns, struct sipc_shm *shp)
	__releases(&shp->perm.lock) __releases(RCU)
{
	shp->nattch--;
	if (shm_may_destroy(ns, shp))
		shm_destroy(ns, shp);
	else
		shm_unlock(shp);
}

/**
 * sipc_shm_init_ns() - start a namespace with no shared memory
 * @ns: the namespace; ns.c set its limits
 *
 * Context: process context, before @ns is reachable.
 */
void sipc_shm_init_ns(struct sipc_ns *ns)
{
	ns->shm.tot = 0;
}

/**
 * sipc_shm_exit_ns() - destroy every segment of a dying namespace
 * @ns: the namespace, unreachable: its count reached zero, and every
 *	attach holds a count, so no segment is attached
 *
 * Segments IPC_RMID'd or not alike, as Linux's shm_exit_ns().
 *
 * Context: process context, may sleep, no locks held.
 */
void sipc_shm_exit_ns(struct sipc_ns *ns)
{
	sipc_ids_free_all(shm_ids(ns), shm_rmid);
}

/**
 * sipc_shm_exit_task() - Linux's exit_shm(): forget a task's segments
 * @t: the task's record; the task exited or unshared its namespace
 *
 * Every segment @t created stops having a creator (it becomes an orphan,
 * which a later shm_rmid_forced may destroy). With shm_rmid_forced set
 * in the segment's namespace, a segment without attaches is destroyed
 * now. The segments may be in several namespaces (the task may have
 * switched namespaces since it created them); a namespace being torn
 * down is left to its teardown.
 *
 * Context: process context, may sleep, no locks held; nothing adds to
 * @t's list meanwhile (only @t's task does, and it is gone or is us).
 */
void sipc_shm_exit_task(struct sipc_task *t)
{
	struct sipc_shm *shp;
	struct sipc_ns *ns;

	for (;;) {
		spin_lock(&t->lock);
		shp = list_first_entry_or_null(&t->shm_clist, struct sipc_shm,
					       clist);
		if (!shp) {
			spin_unlock(&t->lock);
			break;
		}
		/*
		 * shm_destroy() takes @shp off this list under @t->lock
		 * before freeing it, and the namespace frees its segments
		 * before itself: both are valid while we hold the lock.
		 */
		ns = shp->perm.ids->ns;
		if (!READ_ONCE(ns->limits.shm_rmid_forced) ||
		    !sipc_ns_tryget(ns)) {
			list_del_init(&shp->clist);
			spin_unlock(&t->lock);
			continue;
		}
		/* Cannot fail: the segment is on the list, so not removed. */
		WARN_ON_ONCE(!sipc_perm_getref(&shp->perm));
		/* Last: from now on only our references keep @shp and @ns. */
		list_del_init(&shp->clist);
		spin_unlock(&t->lock);

		down_write(&shm_ids(ns)->rwsem);
		shm_lock_by_ptr(shp);
		/* RCU, held with the lock, keeps @shp until we unlock. */
		sipc_perm_putref(&shp->perm, shm_free_rcu);
		if (!shp->perm.deleted && shm_may_destroy(ns, shp))
			shm_destroy(ns, shp);
		else
			shm_unlock(shp);
		up_write(&shm_ids(ns)->rwsem);
		sipc_ns_put(ns);
	}
}

/**
 * sipc_shm_destroy_orphaned() - what setting shm_rmid_forced does
 * @ns: the namespace, referenced by the caller
 *
 * Destroys every segment whose creator is gone and that has no attach,
 * as Linux's shm_destroy_orphaned().
 *
 * Context: process context, may sleep, no locks held.
 */
void sipc_shm_destroy_orphaned(struct sipc_ns *ns)
{
	struct sipc_ids *ids = shm_ids(ns);
	struct sipc_perm *perm;
	int idx;

	down_write(&ids->rwsem);
	idr_for_each_entry(&ids->idr, perm, idx) {
		struct sipc_shm *shp = shm_of(perm);

		shm_lock_by_ptr(shp);
		if (list_empty(&shp->clist) && shm_may_destroy(ns, shp))
			shm_destroy(ns, shp);
		else
			shm_unlock(shp);
	}
	up_write(&ids->rwsem);
}

/*
 * shm_huge_sizelog_valid() - does x86-64 Linux have a hstate for this
 * SHM_HUGE_* encoding: none without hugetlb support, else 0 (the default
 * size), 2 MB, or 1 GB on CPUs with gigantic pages (registered at boot by
 * gigantic_pages_init())
 */
static bool shm_huge_sizelog_valid(int sizelog)
{
	if (!IS_ENABLED(CONFIG_HUGETLB_PAGE))
		return false;
	return !sizelog || sizelog == PMD_SHIFT ||
	       (sizelog == PUD_SHIFT && boot_cpu_has(X86_FEATURE_GBPAGES));
}

/*
 * shm_hugetlb_setup() - the SHM_HUGETLB answer
 *
 * hugetlb_file_setup() is not exported, so shadow segments cannot have
 * huge pages. Linux's checks that come before the reservation are made
 * as Linux makes them: an unknown page size is EINVAL, and a caller
 * without CAP_IPC_LOCK (initial user namespace) outside the
 * vm.hugetlb_shm_group group (assumed to be its default, gid 0) gets
 * EPERM. Everything else fails with ENOMEM, which is what Linux returns
 * when the huge page pool cannot back the segment, as in a default
 * Debian system (vm.nr_hugepages = 0). Only SHM_NORESERVE, with which
 * Linux creates the segment anyway (and faults SIGBUS later), differs.
 */
static struct file *shm_hugetlb_setup(int shmflg)
{
	if (!shm_huge_sizelog_valid((shmflg >> SHM_HUGE_SHIFT) & SHM_HUGE_MASK))
		return ERR_PTR(-EINVAL);
	if (!capable(CAP_IPC_LOCK) && !in_group_p(GLOBAL_ROOT_GID))
		return ERR_PTR(-EPERM);
	return ERR_PTR(-ENOMEM);
}

/*
 * shm_newseg() - create a segment (Linux's newseg(), checks in its order)
 * @arg: the size asked for, a u64
 *
 * Context: @ids->rwsem held for write.
 * Return: the new id, or -EINVAL (size), -ENOSPC (shmall, shmmni, ids),
 * -ENOMEM, or an error of the backing file's creation.
 */
static int shm_newseg(struct sipc_ids *ids, key_t key, int shmflg, void *arg)
{
	u64 size = *(u64 *)arg;
	unsigned long numpages = (size + PAGE_SIZE - 1) >> PAGE_SHIFT;
	struct sipc_ns *ns = ids->ns;
	struct sipc_task *creator;
	struct sipc_shm *shp;
	struct file *file;
	int err;

	lockdep_assert_held_write(&ids->rwsem);

	if (size < SHMMIN)
		return sipc_refuse(ns, SHADOWIPC_CHECK_SHMMIN, -EINVAL, size, 0,
				   SHMMIN);
	if (size > READ_ONCE(ns->limits.shmmax))
		return sipc_refuse(ns, SHADOWIPC_CHECK_SHMMAX, -EINVAL, size, 0,
				   READ_ONCE(ns->limits.shmmax));
	if (numpages << PAGE_SHIFT < size)
		return -ENOSPC;
	if (ns->shm.tot + numpages < ns->shm.tot ||
	    ns->shm.tot + numpages > READ_ONCE(ns->limits.shmall))
		return sipc_refuse(ns, SHADOWIPC_CHECK_SHMALL, -ENOSPC, numpages,
				   ns->shm.tot, READ_ONCE(ns->limits.shmall));

	shp = kmalloc(sizeof(*shp), GFP_KERNEL_ACCOUNT);
	if (!shp)
		return -ENOMEM;
	creator = sipc_current_task_get_or_create();
	if (IS_ERR(creator)) {
		err = PTR_ERR(creator);
		goto err_free;
	}
	shp->perm.key = key;
	shp->perm.mode = shmflg & 0777;
	shp->memlock = NULL;
	shp->attach_files[0] = NULL;
	shp->attach_files[1] = NULL;
	shp->mapped = false;

	if (shmflg & SHM_HUGETLB) {
		file = shm_hugetlb_setup(shmflg);
	} else {
		/*
		 * Linux ignores SHM_NORESERVE under vm.overcommit_memory=2;
		 * modules cannot read that setting, so it is always honoured.
		 */
		file = sipc_shm_file_get(key, size, (shmflg & SHM_NORESERVE) ?
					 VM_NORESERVE : 0);
	}
	if (IS_ERR(file)) {
		err = PTR_ERR(file);
		goto err_free;
	}

	shp->cprid = get_pid(task_tgid(current));
	shp->lprid = NULL;
	shp->atim = 0;
	shp->dtim = 0;
	shp->ctim = ktime_get_real_seconds();
	shp->segsz = size;
	shp->perm.get_size = size;
	shp->nattch = 0;
	shp->file = file;

	/* Locks and publishes the segment: nothing below may fail. */
	err = sipc_ids_add(ids, &shp->perm,
			   min_t(u32, READ_ONCE(ns->limits.shmmni), SIPC_IPCMNI));
	if (err < 0)
		goto err_put_file;

	shp->creator = creator;
	spin_lock(&creator->lock);
	list_add(&shp->clist, &creator->shm_clist);
	spin_unlock(&creator->lock);
	/* /proc/PID/maps shows the id as the inode number; ps relies on it. */
	file_inode(file)->i_ino = shp->perm.id;
	/* ns.c reads it locklessly for NS_INFO */
	WRITE_ONCE(ns->shm.tot, ns->shm.tot + numpages);
	atomic_long_inc(&shm_segments);
	trace_shadowipc_obj_create(&shp->perm, size);
	err = shp->perm.id;
	shm_unlock(shp);
	return err;

err_put_file:
	put_pid(shp->cprid);
	sipc_shm_file_put(file, true);
err_free:
	kfree(shp);
	return err;
}

/* shmget() of an existing key: no bigger than the size it was created with */
static int shm_more_checks(struct sipc_perm *perm, void *arg)
{
	return shm_of(perm)->segsz < *(u64 *)arg ? -EINVAL : 0;
}

/**
 * sipc_shm_get() - shmget(2) in @ns
 * @ns: the caller's namespace
 * @key: the key, IPC_PRIVATE for a new private segment
 * @size: size in bytes
 * @shmflg: IPC_CREAT, IPC_EXCL, SHM_HUGETLB, SHM_NORESERVE, mode bits
 *
 * Context: process context, may sleep.
 * Return: the segment id, or -ENOENT, -EEXIST, -EINVAL, -EACCES, or
 * shm_newseg()'s errors, as Linux's ipcget().
 */
long sipc_shm_get(struct sipc_ns *ns, key_t key, u64 size, int shmflg)
{
	static const struct sipc_get_ops ops = {
		.newobj = shm_newseg,
		.more_checks = shm_more_checks,
	};

	return sipc_ids_get(shm_ids(ns), key, shmflg, &ops, &size);
}

/**
 * sipc_shm_vma_open() - account a new attach VMA (Linux's __shm_open())
 * @ns: the namespace of the attach
 * @id: the segment id of the attach
 * @shm_file: the segment's file as the attach knows it
 *
 * Context: process context, mmap_lock held; takes the segment's lock.
 * Return: 0, or -EINVAL (the id is free, or a new segment reused it) or
 * -EIDRM (being destroyed).
 */
int sipc_shm_vma_open(struct sipc_ns *ns, int id, struct file *shm_file)
{
	struct sipc_shm *shp = shm_lock(ns, id);

	if (IS_ERR(shp))
		return PTR_ERR(shp);
	/* The id was reused by a segment created since the attach. */
	if (shp->file != shm_file) {
		shm_unlock(shp);
		return -EINVAL;
	}
	shp->atim = ktime_get_real_seconds();
	sipc_set_pid(&shp->lprid, task_tgid(current));
	shp->nattch++;
	shm_unlock(shp);
	return 0;
}

/**
 * sipc_shm_vma_close() - account an attach VMA going away (__shm_close())
 * @ns: the namespace of the attach
 * @id: the segment id of the attach
 *
 * Destroys the segment when that was its last attach and it was
 * IPC_RMID'd or shm_rmid_forced is set.
 *
 * Context: process context, mmap_lock held; takes the segment's lock,
 * and the shm rwsem for what may be the last count.
 */
void sipc_shm_vma_close(struct sipc_ns *ns, int id)
{
	struct sipc_ids *ids = shm_ids(ns);
	struct sipc_shm *shp;
	bool done;

	shp = shm_lock(ns, id);
	/* The attach being closed pinned the segment: it must be there. */
	if (WARN_ON_ONCE(IS_ERR(shp)))
		return;
	sipc_set_pid(&shp->lprid, task_tgid(current));
	shp->dtim = ktime_get_real_seconds();
	done = shm_nattch_put_unless_last(shp);
	shm_unlock(shp);
	if (done)
		return;

	/* Maybe the last count: the rwsem comes before the lock. */
	down_write(&ids->rwsem);
	shp = shm_lock(ns, id);
	if (!WARN_ON_ONCE(IS_ERR(shp)))
		shm_nattch_put(ns, shp);
	up_write(&ids->rwsem);
}

/**
 * sipc_shm_at() - shmat(2) in @ns (Linux's do_shmat(), in its order)
 * @ns: the caller's namespace
 * @shmid: the segment id
 * @addr: in: shmaddr; out: the address of the new mapping
 * @shmflg: SHM_RDONLY, SHM_RND, SHM_REMAP, SHM_EXEC
 *
 * The segment is pinned with a temporary attach count while every lock
 * is dropped to map its attach file (made at the first shmat() of each
 * access mode, then kept by the segment), then unpinned, which may
 * destroy it (an IPC_RMID meanwhile, and the mapping failed or is gone
 * already).
 *
 * Context: process context, may sleep, no locks held.
 * Return: 0, or -EINVAL, -EACCES, -EIDRM, -ENOMEM, -EINTR, or an error of
 * mapping it (-ENOMEM, -EPERM below mmap_min_addr, ...).
 */
long sipc_shm_at(struct sipc_ns *ns, int shmid, u64 *addr, int shmflg)
{
	struct sipc_shm_mapping map = { .addr = *addr, .flags = MAP_SHARED };
	struct sipc_ids *ids = shm_ids(ns);
	struct sipc_perm *perm;
	struct sipc_shm *shp;
	struct file *attach_file, *shm_file = NULL;
	int acc_mode, rw;
	long err;

	if (shmid < 0)
		return -EINVAL;
	if (map.addr) {
		if (map.addr & (SHMLBA - 1)) {
			if (!(shmflg & SHM_RND))
				return -EINVAL;
			map.addr &= ~(SHMLBA - 1);
			/* Never replace what is mapped at 0 by rounding. */
			if (!map.addr && (shmflg & SHM_REMAP))
				return -EINVAL;
		}
		/*
		 * do_shmat() fails with EINVAL if something is mapped in the
		 * range, unless SHM_REMAP; it checks nothing at address 0.
		 */
		map.flags |= (map.addr && !(shmflg & SHM_REMAP)) ?
			     MAP_FIXED_NOREPLACE : MAP_FIXED;
	} else if (shmflg & SHM_REMAP) {
		return -EINVAL;
	}

	if (shmflg & SHM_RDONLY) {
		map.prot = PROT_READ;
		acc_mode = 0444;
		rw = 0;
	} else {
		map.prot = PROT_READ | PROT_WRITE;
		acc_mode = 0666;
		rw = 1;
	}
	if (shmflg & SHM_EXEC) {
		map.prot |= PROT_EXEC;
		acc_mode |= 0111;
	}

	rcu_read_lock();
	perm = sipc_ids_obtain_check(ids, shmid);
	if (IS_ERR(perm)) {
		err = PTR_ERR(perm);
		goto out_unlock_rcu;
	}
	err = sipc_ipcperms(ns, perm, acc_mode);
	if (err)
		goto out_unlock_rcu;
	shp = shm_of(perm);
	spin_lock(&perm->lock);
	/* An IPC_RMID may have destroyed it since the lookup. */
	if (perm->deleted) {
		spin_unlock(&perm->lock);
		err = -EIDRM;
		goto out_unlock_rcu;
	}
	/* Pin: the count keeps the segment from being destroyed. */
	shp->nattch++;
	shp->mapped = true;
	map.size = i_size_read(file_inode(shp->file));
	attach_file = shp->attach_files[rw];
	if (attach_file)
		get_file(attach_file);
	else
		shm_file = get_file(shp->file);
	shm_unlock(shp);

	if (!attach_file) {
		attach_file = sipc_shm_attach_file(ns, shmid, shm_file,
						   rw ? O_RDWR : O_RDONLY);
		fput(shm_file);
		if (IS_ERR(attach_file)) {
			err = PTR_ERR(attach_file);
			goto out_unpin;
		}
		/* Keep it for the next shmat(), unless a racing one did. */
		shm_lock_by_ptr(shp);
		if (!shp->attach_files[rw])
			shp->attach_files[rw] = get_file(attach_file);
		shm_unlock(shp);
	}
	err = sipc_shm_map(attach_file, &map);
	fput(attach_file);
	if (!err) {
		trace_shadowipc_shm_attach(ns->id, shmid, map.addr, map.size);
		*addr = map.addr;
	}

out_unpin:
	/* The pin kept the segment, and usually the new attach keeps it. */
	shm_lock_by_ptr(shp);
	if (shm_nattch_put_unless_last(shp)) {
		shm_unlock(shp);
		return err;
	}
	shm_unlock(shp);
	down_write(&ids->rwsem);
	shp = shm_lock(ns, shmid);
	/* Our count kept it: it must be there. */
	if (!WARN_ON_ONCE(IS_ERR(shp)))
		shm_nattch_put(ns, shp);
	up_write(&ids->rwsem);
	return err;

out_unlock_rcu:
	rcu_read_unlock();
	return err;
}

/* IPC_INFO: the namespace's limits. Return: as sipc_ids_max_idx(), >= 0 */
static int shmctl_ipc_info(struct sipc_ns *ns, struct shminfo64 *info)
{
	struct sipc_ids *ids = shm_ids(ns);
	int err;

	memset(info, 0, sizeof(*info));
	info->shmmni = READ_ONCE(ns->limits.shmmni);
	info->shmseg = info->shmmni;
	info->shmmax = READ_ONCE(ns->limits.shmmax);
	info->shmall = READ_ONCE(ns->limits.shmall);
	info->shmmin = SHMMIN;
	down_read(&ids->rwsem);
	err = sipc_ids_max_idx(ids);
	up_read(&ids->rwsem);
	return max(err, 0);
}

/*
 * Add @shp's resident and swapped pages to *@rss and *@swp.
 * Context: @shp cannot be destroyed (the shm rwsem or its lock held).
 */
static void shm_add_rss_swap(struct sipc_shm *shp, unsigned long *rss,
			     unsigned long *swp)
{
	struct inode *inode = file_inode(shp->file);
	struct shmem_inode_info *info = SHMEM_I(inode);

	spin_lock_irq(&info->lock);
	*rss += inode->i_mapping->nrpages;
	*swp += info->swapped;
	spin_unlock_irq(&info->lock);
}

/*
 * Add up the resident and swapped pages of every segment.
 * Context: the shm rwsem held (segments cannot be destroyed).
 */
static void shm_get_stat(struct sipc_ns *ns, unsigned long *rss,
			 unsigned long *swp)
{
	struct sipc_ids *ids = shm_ids(ns);
	struct sipc_perm *perm;
	int idx;

	lockdep_assert_held(&ids->rwsem);

	*rss = 0;
	*swp = 0;
	idr_for_each_entry(&ids->idr, perm, idx)
		shm_add_rss_swap(shm_of(perm), rss, swp);
}

/* SHM_INFO: usage totals, in pages. Return: as shmctl_ipc_info() */
static int shmctl_shm_info(struct sipc_ns *ns, struct shm_info *info)
{
	struct sipc_ids *ids = shm_ids(ns);
	int err;

	memset(info, 0, sizeof(*info));
	down_read(&ids->rwsem);
	info->used_ids = ids->in_use;
	shm_get_stat(ns, &info->shm_rss, &info->shm_swp);
	info->shm_tot = ns->shm.tot;
	err = sipc_ids_max_idx(ids);
	up_read(&ids->rwsem);
	return max(err, 0);
}

/*
 * IPC_STAT (by id), SHM_STAT (by index, read permission needed) and
 * SHM_STAT_ANY (by index, no permission check, as /proc/sysvipc/shm).
 * Return: 0 for IPC_STAT, else the segment's full id; or -EINVAL,
 * -EACCES, -EIDRM.
 */
static int shmctl_stat(struct sipc_ns *ns, int shmid, int cmd,
		       struct shmid64_ds *out)
{
	struct sipc_perm *perm;
	struct sipc_shm *shp;
	int err;

	memset(out, 0, sizeof(*out));
	perm = sipc_ids_lock_stat(shm_ids(ns), shmid, cmd != IPC_STAT,
				  cmd != SHM_STAT_ANY);
	if (IS_ERR(perm))
		return PTR_ERR(perm);
	shp = shm_of(perm);
	sipc_perm_to_user64(perm, &out->shm_perm);
	out->shm_segsz = shp->segsz;
	out->shm_atime = shp->atim;
	out->shm_dtime = shp->dtim;
	out->shm_ctime = shp->ctim;
	out->shm_cpid = pid_vnr(shp->cprid);
	out->shm_lpid = pid_vnr(shp->lprid);
	out->shm_nattch = shp->nattch;
	err = cmd == IPC_STAT ? 0 : perm->id;
	shm_unlock(shp);
	return err;
}

/*
 * IPC_SET and IPC_RMID, for the owner, the creator or CAP_SYS_ADMIN.
 * @in: IPC_SET's new owner, group and mode; unused for IPC_RMID
 * Context: no locks held; takes the shm rwsem for write.
 * Return: 0, -EINVAL or -EPERM.
 */
static int shmctl_down(struct sipc_ns *ns, int shmid, int cmd,
		       struct shmid64_ds *in)
{
	struct sipc_ids *ids = shm_ids(ns);
	struct sipc_perm *perm;
	struct sipc_shm *shp;
	int err;

	down_write(&ids->rwsem);
	rcu_read_lock();
	perm = sipc_ctl_obtain_check(ids, shmid);
	if (IS_ERR(perm)) {
		err = PTR_ERR(perm);
		rcu_read_unlock();
		goto out_up;
	}
	/* Removal needs the rwsem we hold: it cannot have been removed. */
	shp = shm_of(perm);
	spin_lock(&perm->lock);
	if (cmd == IPC_RMID) {
		trace_shadowipc_obj_remove(perm, shp->segsz);
		shm_rmid(ids, perm);
		err = 0;
		goto out_up;
	}
	err = sipc_perm_update(&in->shm_perm, perm);
	if (!err)
		shp->ctim = ktime_get_real_seconds();
	shm_unlock(shp);
out_up:
	up_write(&ids->rwsem);
	return err;
}

/*
 * SHM_LOCK and SHM_UNLOCK: no rwx check, but the owner or the creator
 * (or CAP_IPC_LOCK in the namespace's user namespace), and a non-zero
 * RLIMIT_MEMLOCK to lock. Locking a locked segment charges nothing.
 * Return: 0, or -EINVAL, -EIDRM, -EPERM, -ENOMEM (over RLIMIT_MEMLOCK).
 */
static int shmctl_do_lock(struct sipc_ns *ns, int shmid, int cmd)
{
	struct sipc_budget budget = {};
	struct sipc_perm *perm;
	struct sipc_ucounts *ml;
	struct sipc_shm *shp;
	struct file *file;
	int err = 0;

	rcu_read_lock();
	perm = sipc_ids_obtain_check(shm_ids(ns), shmid);
	if (IS_ERR(perm)) {
		rcu_read_unlock();
		return PTR_ERR(perm);
	}
	shp = shm_of(perm);
	spin_lock(&perm->lock);
	/* An IPC_RMID may have destroyed it since the lookup. */
	if (perm->deleted) {
		err = -EIDRM;
		goto out_unlock;
	}
	if (!ns_capable(ns->user_ns, CAP_IPC_LOCK)) {
		kuid_t euid = current_euid();

		if (!uid_eq(euid, perm->uid) && !uid_eq(euid, perm->cuid)) {
			err = sipc_refuse(ns, SHADOWIPC_CHECK_OWNER, -EPERM, 0, 0, 0);
			goto out_unlock;
		}
		if (cmd == SHM_LOCK && !rlimit(RLIMIT_MEMLOCK)) {
			err = sipc_refuse(ns, SHADOWIPC_CHECK_MEMLOCK, -EPERM,
					  shm_pages(shp), 0, 0);
			goto out_unlock;
		}
	}

	if (cmd == SHM_LOCK) {
		if (shp->memlock)
			goto out_unlock;
		ml = shm_memlock_charge(shm_pages(shp), &budget);
		if (!ml) {
			err = sipc_refuse(ns, SHADOWIPC_CHECK_MEMLOCK, -ENOMEM,
					  shm_pages(shp), budget.used,
					  budget.limit);
			goto out_unlock;
		}
		shp->memlock = ml;
		shp->perm.mode |= SHM_LOCKED;
		mapping_set_unevictable(shp->file->f_mapping);
		goto out_unlock;
	}

	if (!shp->memlock)
		goto out_unlock;
	shm_memlock_release(shp);
	file = get_file(shp->file);
	shm_unlock(shp);
	shm_mapping_make_evictable(file->f_mapping);
	fput(file);
	return 0;

out_unlock:
	shm_unlock(shp);
	return err;
}

/**
 * sipc_shm_ctl() - shmctl(2) in @ns, as on x86-64 (IPC_64 layouts, the
 *	IPC_64 bit itself not accepted)
 * @ns: the caller's namespace
 * @shmid: the segment id, or an index for SHM_STAT and SHM_STAT_ANY
 * @cmd: the command
 * @buf: struct shmid64_ds, shminfo64 or shm_info, per @cmd
 *
 * Context: process context, may sleep, no locks held.
 * Return: as shmctl(2): 0, the highest index in use (IPC_INFO,
 * SHM_INFO), a full id (SHM_STAT, SHM_STAT_ANY), or -errno; a buffer
 * that cannot be written is -EFAULT after the command ran.
 */
long sipc_shm_ctl(struct sipc_ns *ns, int shmid, int cmd, void __user *buf)
{
	union {
		struct shminfo64 ipc_info;
		struct shm_info shm_info;
		struct shmid64_ds ds;
	} u;
	int err;

	if (cmd < 0 || shmid < 0)
		return -EINVAL;

	switch (cmd) {
	case IPC_INFO:
		err = shmctl_ipc_info(ns, &u.ipc_info);
		if (copy_to_user(buf, &u.ipc_info, sizeof(u.ipc_info)))
			return -EFAULT;
		return err;
	case SHM_INFO:
		err = shmctl_shm_info(ns, &u.shm_info);
		if (copy_to_user(buf, &u.shm_info, sizeof(u.shm_info)))
			return -EFAULT;
		return err;
	case SHM_STAT:
	case SHM_STAT_ANY:
	case IPC_STAT:
		err = shmctl_stat(ns, shmid, cmd, &u.ds);
		if (err < 0)
			return err;
		if (copy_to_user(buf, &u.ds, sizeof(u.ds)))
			return -EFAULT;
		return err;
	case IPC_SET:
		if (copy_from_user(&u.ds, buf, sizeof(u.ds)))
			return -EFAULT;
		fallthrough;
	case IPC_RMID:
		return shmctl_down(ns, shmid, cmd, &u.ds);
	case SHM_LOCK:
	case SHM_UNLOCK:
		return shmctl_do_lock(ns, shmid, cmd);
	default:
		return -EINVAL;
	}
}

/* One /proc/shadowipc/sysvipc/shm line, as sysvipc_shm_proc_show(). */
static void shm_proc_show(struct seq_file *m, struct sipc_perm *perm,
			  struct pid_namespace *pid_ns)
{
	struct user_namespace *user_ns = seq_user_ns(m);
	struct sipc_shm *shp = shm_of(perm);
	unsigned long rss = 0, swp = 0;

	shm_add_rss_swap(shp, &rss, &swp);
	seq_printf(m,
		   "%10d %10d  %4o %21lu %5u %5u  %5lu %5u %5u %5u %5u %10llu %10llu %10llu %21lu %21lu\n",
		   perm->key, perm->id, perm->mode, shp->segsz,
		   pid_nr_ns(shp->cprid, pid_ns), pid_nr_ns(shp->lprid, pid_ns),
		   shp->nattch,
		   from_kuid_munged(user_ns, perm->uid),
		   from_kgid_munged(user_ns, perm->gid),
		   from_kuid_munged(user_ns, perm->cuid),
		   from_kgid_munged(user_ns, perm->cgid),
		   shp->atim, shp->dtim, shp->ctim,
		   rss * PAGE_SIZE, swp * PAGE_SIZE);
}

const struct sipc_proc_view sipc_shm_proc_view = {
	.name = "shm",
	.header = "       key      shmid perms                  size  cpid  lpid nattch   uid   gid  cuid  cgid      atime      dtime      ctime                   rss                  swap\n",
	.kind = SIPC_SHM,
	.show = shm_proc_show,
};

/**
 * sipc_shm_holders_seq_show() - the shm lines of /proc/shadowipc/holders
 * @m: the file
 * @ns: a namespace the reader may see, referenced
 * @pid_ns: the pid namespace the pids are shown in
 *
 * For each segment, in id order, one line per VMA attaching it:
 * "shm NS ID KEY", then what sipc_shm_holders_show() adds.
 *
 * Context: process context, may sleep; takes the shm rwsem (read), and
 * each segment's lock only to take its attach files.
 */
void sipc_shm_holders_seq_show(struct seq_file *m, struct sipc_ns *ns,
			       struct pid_namespace *pid_ns)
{
	struct sipc_ids *ids = shm_ids(ns);
	struct file *attach_files[2];
	struct sipc_perm *perm;
	char prefix[64];
	int idx, i;

	down_read(&ids->rwsem);
	idr_for_each_entry(&ids->idr, perm, idx) {
		struct sipc_shm *shp = shm_of(perm);

		/* Destroying a segment takes the rwsem for write. */
		shm_lock_by_ptr(shp);
		for (i = 0; i < ARRAY_SIZE(attach_files); i++) {
			attach_files[i] = shp->attach_files[i];
			if (attach_files[i])
				get_file(attach_files[i]);
		}
		shm_unlock(shp);
		snprintf(prefix, sizeof(prefix), "shm %llu %d %d", ns->id,
			 perm->id, perm->key);
		for (i = 0; i < ARRAY_SIZE(attach_files); i++) {
			if (!attach_files[i])
				continue;
			sipc_shm_holders_show(m, attach_files[i], prefix, pid_ns);
			fput(attach_files[i]);
		}
	}
	up_read(&ids->rwsem);
}

/**
 * sipc_shm_count() - segments alive in every namespace
 *
 * Return: the count.
 */
u64 sipc_shm_count(void)
{
	return atomic_long_read(&shm_segments);
}
