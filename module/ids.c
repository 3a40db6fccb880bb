// SPDX-License-Identifier: GPL-2.0
/*
 * The generic System V object tables (Linux's ipc/util.c): per namespace
 * and kind an idr from index to object with Linux's id and sequence
 * number scheme, one module-wide key table, and the permission rules
 * every kind shares (ipcperms, the IPC_SET/IPC_RMID owner rule, the
 * ipc64_perm conversions). Nothing here knows what a segment is.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/jhash.h>
#include <linux/rhashtable.h>
#include <linux/stat.h>
#include <linux/user_namespace.h>

#include "internal.h"

/*
 * The key table. Linux keeps one rhashtable per ipc_ids; an empty one
 * still costs a bucket array, and a shadow namespace that never uses a
 * kind should cost nothing, so all tables share this one, keyed by the
 * owning table and the key. IPC_PRIVATE is never inserted. Entries are
 * added and removed only under the owning sipc_ids.rwsem (write), and
 * looked up under it too, so one table never sees a half-done change of
 * its own keys; other tables' lookups only walk past them.
 */
struct ids_key {
	const struct sipc_ids *ids;
	key_t key;
};

static u32 ids_key_hash(const struct sipc_ids *ids, key_t key, u32 seed)
{
	u64 p = (unsigned long)ids;

	return jhash_3words(lower_32_bits(p), upper_32_bits(p), (u32)key, seed);
}

static u32 ids_key_hashfn(const void *data, u32 len, u32 seed)
{
	const struct ids_key *k = data;

	return ids_key_hash(k->ids, k->key, seed);
}

static u32 ids_obj_hashfn(const void *data, u32 len, u32 seed)
{
	const struct sipc_perm *perm = data;

	return ids_key_hash(perm->ids, perm->key, seed);
}

static int ids_obj_cmpfn(struct rhashtable_compare_arg *arg, const void *obj)
{
	const struct ids_key *k = arg->key;
	const struct sipc_perm *perm = obj;

	return perm->ids != k->ids || perm->key != k->key;
}

static const struct rhashtable_params ids_key_params = {
	.head_offset = offsetof(struct sipc_perm, khtnode),
	.key_len = sizeof(struct ids_key),
	.hashfn = ids_key_hashfn,
	.obj_hashfn = ids_obj_hashfn,
	.obj_cmpfn = ids_obj_cmpfn,
	.automatic_shrinking = true,
};

static struct rhashtable ids_keys;

/**
 * sipc_ids_module_init() - set up the module-wide key table
 *
 * Context: module init.
 * Return: 0 or -ENOMEM.
 */
int sipc_ids_module_init(void)
{
	return rhashtable_init(&ids_keys, &ids_key_params);
}

/**
 * sipc_ids_module_exit() - free the key table, empty by now
 *
 * Context: module exit, after every namespace was destroyed.
 */
void sipc_ids_module_exit(void)
{
	rhashtable_destroy(&ids_keys);
}

/**
 * sipc_ids_init() - set up an empty id table
 * @ids: the table
 * @ns: the namespace holding it
 * @kind: which of @ns's tables it is
 *
 * Context: process context, before @ns is reachable.
 */
void sipc_ids_init(struct sipc_ids *ids, struct sipc_ns *ns,
		   enum sipc_kind kind)
{
	init_rwsem(&ids->rwsem);
	idr_init(&ids->idr);
	ids->in_use = 0;
	ids->seq = 0;
	ids->max_idx = -1;
	ids->last_idx = -1;
	ids->next_id = -1;
	ids->ns = ns;
	ids->kind = kind;
	ids->keys = NULL;
}

/**
 * sipc_ids_destroy() - free an id table whose objects are all gone
 * @ids: the table
 *
 * Context: process context, @ids unreachable.
 */
void sipc_ids_destroy(struct sipc_ids *ids)
{
	WARN_ON_ONCE(ids->in_use);
	sipc_keys_destroy(ids);
	idr_destroy(&ids->idr);
}

/*
 * Reserve an index for @new and give it its sequence number and id, as
 * Linux's ipc_idr_alloc() does: either the id asked for through @next_id
 * (first free index at or above it, its sequence number as given), or
 * the next index of a cyclic allocation bounded by max(in_use * 3 / 2,
 * RADIX_TREE_MAP_SIZE), the sequence number moving on each time the
 * cycle wraps. The slot
 * holds NULL until sipc_ids_add() publishes @new.
 */
static int ids_alloc_idx(struct sipc_ids *ids, struct sipc_perm *new)
{
	int next_id = ids->next_id;
	int idx, max_idx;

	if (next_id >= 0) {
		/* Consumed whether or not the allocation succeeds. */
		ids->next_id = -1;
		idx = idr_alloc(&ids->idr, NULL, sipc_id_to_idx(next_id),
				SIPC_IPCMNI, GFP_NOWAIT);
		if (idx < 0)
			return idx;
		new->seq = sipc_id_to_seq(next_id);
	} else {
		max_idx = max_t(int, ids->in_use * 3 / 2, SIPC_IPC_MIN_CYCLE);
		max_idx = min(max_idx, SIPC_IPCMNI);
		idx = idr_alloc_cyclic(&ids->idr, NULL, 0, max_idx,
				       GFP_NOWAIT);
		if (idx < 0)
			return idx;
		if (idx <= ids->last_idx) {
			ids->seq++;
			if (ids->seq >= SIPC_SEQ_MAX)
				ids->seq = 0;
		}
		ids->last_idx = idx;
		new->seq = ids->seq;
	}
	new->id = (new->seq << SIPC_IPCMNI_SHIFT) + idx;
	return idx;
}

/* The limit on a kind's object count, which sipc_ids_add() checks. */
static const enum shadowipc_check ids_mni_check[SIPC_NR_IDS] = {
	[SIPC_SHM] = SHADOWIPC_CHECK_SHMMNI,
	[SIPC_MSG] = SHADOWIPC_CHECK_MSGMNI,
	[SIPC_SEM] = SHADOWIPC_CHECK_SEMMNI,
};

/**
 * sipc_ids_add() - give a new object an id and make it reachable
 * @ids: the table
 * @new: the object; the caller set @new->key and @new->mode
 * @limit: the namespace's limit on objects of this kind
 *
 * Sets the owner and creator to the caller's euid/egid and the refcount
 * to one (the table's), takes an index and sequence number, inserts the
 * key (unless IPC_PRIVATE) and, last, publishes @new in the idr: lookups
 * can find it from then on, so it is returned locked and callers finish
 * setting it up before unlocking.
 *
 * Context: process context, @ids->rwsem held for write. On success
 * returns with rcu_read_lock() and @new->lock held.
 * Return: the index, or -ENOSPC (@limit reached, or no free index) or
 * -ENOMEM; on failure @new was never reachable and the caller frees it
 * directly.
 */
int sipc_ids_add(struct sipc_ids *ids, struct sipc_perm *new, int limit)
{
	int idx, err;

	lockdep_assert_held_write(&ids->rwsem);

	if (ids->in_use >= min(limit, SIPC_IPCMNI))
		return sipc_refuse(ids->ns, ids_mni_check[ids->kind], -ENOSPC,
				   1, ids->in_use, min(limit, SIPC_IPCMNI));

	refcount_set(&new->refcount, 1);
	spin_lock_init(&new->lock);
	new->deleted = false;
	new->ids = ids;
	current_euid_egid(&new->uid, &new->gid);
	new->cuid = new->uid;
	new->cgid = new->gid;

	idr_preload(GFP_KERNEL);
	idx = ids_alloc_idx(ids, new);
	idr_preload_end();
	if (idx < 0)
		return idx;

	if (new->key != IPC_PRIVATE) {
		err = rhashtable_insert_fast(&ids_keys, &new->khtnode,
					     ids_key_params);
		if (err) {
			idr_remove(&ids->idr, idx);
			return err;
		}
	}

	ids->in_use++;
	if (idx > ids->max_idx)
		ids->max_idx = idx;

	rcu_read_lock();
	spin_lock(&new->lock);
	/* Publish: lockless lookups may find @new from here on. */
	idr_replace(&ids->idr, new, idx);
	return idx;
}

static void ids_key_remove(struct sipc_perm *perm)
{
	sipc_keys_unpublish(perm->ids, perm);
	if (perm->key != IPC_PRIVATE)
		WARN_ON_ONCE(rhashtable_remove_fast(&ids_keys, &perm->khtnode,
						    ids_key_params));
}

/*
 * The highest index in use at or below @limit, or -1; nothing above
 * @limit is in use. A binary search on "is anything in use at or above
 * @mid", which idr_get_next() answers.
 */
static int ids_search_max_idx(struct sipc_ids *ids, int limit)
{
	int lo = -1, hi = limit;

	while (lo < hi) {
		int mid = lo + (hi - lo + 1) / 2;
		int found = mid;

		if (idr_get_next(&ids->idr, &found))
			lo = found;
		else
			hi = mid - 1;
	}
	return lo;
}

/**
 * sipc_ids_rmid() - remove an object from its table
 * @ids: the table
 * @perm: the object
 *
 * The id and the key become free and @perm is marked deleted; its memory
 * lives on until its last sipc_perm_putref().
 *
 * Context: @ids->rwsem held for write and @perm->lock held.
 */
void sipc_ids_rmid(struct sipc_ids *ids, struct sipc_perm *perm)
{
	int idx = sipc_id_to_idx(perm->id);

	lockdep_assert_held_write(&ids->rwsem);
	lockdep_assert_held(&perm->lock);

	WARN_ON_ONCE(idr_remove(&ids->idr, idx) != perm);
	ids_key_remove(perm);
	ids->in_use--;
	perm->deleted = true;
	if (idx == ids->max_idx)
		ids->max_idx = ids_search_max_idx(ids, idx - 1);
}

/**
 * sipc_ids_set_key_private() - make an object unreachable by key
 * @ids: the table
 * @perm: the object, which keeps its id
 *
 * Context: @ids->rwsem held for write and @perm->lock held.
 */
void sipc_ids_set_key_private(struct sipc_ids *ids, struct sipc_perm *perm)
{
	lockdep_assert_held_write(&ids->rwsem);
	lockdep_assert_held(&perm->lock);

	ids_key_remove(perm);
	perm->key = IPC_PRIVATE;
}

/**
 * sipc_ids_find_key() - look an object up by key and lock it
 * @ids: the table
 * @key: the key, not IPC_PRIVATE
 *
 * Context: @ids->rwsem held for write. When an object is found, returns
 * with rcu_read_lock() and its lock held.
 * Return: the object, or NULL.
 */
struct sipc_perm *sipc_ids_find_key(struct sipc_ids *ids, key_t key)
{
	struct ids_key k = { .ids = ids, .key = key };
	struct sipc_perm *perm;

	lockdep_assert_held_write(&ids->rwsem);

	rcu_read_lock();
	perm = rhashtable_lookup(&ids_keys, &k, ids_key_params);
	if (!perm) {
		rcu_read_unlock();
		return NULL;
	}
	spin_lock(&perm->lock);
	return perm;
}

/**
 * sipc_ids_obtain() - look an object up by the index part of an id
 * @ids: the table
 * @id: an id or an index; its sequence number is ignored
 *
 * Context: rcu_read_lock() held; the object is not locked and may be
 * being removed (check @deleted under its lock).
 * Return: the object or ERR_PTR(-EINVAL).
 */
struct sipc_perm *sipc_ids_obtain(struct sipc_ids *ids, int id)
{
	struct sipc_perm *perm;

	RCU_LOCKDEP_WARN(!rcu_read_lock_held(), "id lookup outside RCU");

	perm = idr_find(&ids->idr, sipc_id_to_idx(id));
	return perm ?: ERR_PTR(-EINVAL);
}

/**
 * sipc_ids_obtain_check() - look an object up by its full id
 * @ids: the table
 * @id: the id; its sequence number must match the object's
 *
 * Context: as sipc_ids_obtain().
 * Return: the object or ERR_PTR(-EINVAL).
 */
struct sipc_perm *sipc_ids_obtain_check(struct sipc_ids *ids, int id)
{
	struct sipc_perm *perm = sipc_ids_obtain(ids, id);

	if (!IS_ERR(perm) && sipc_id_to_seq(id) != perm->seq)
		return ERR_PTR(-EINVAL);
	return perm;
}

/**
 * sipc_ids_max_idx() - what IPC_INFO and SHM_INFO return
 * @ids: the table
 *
 * Context: @ids->rwsem held.
 * Return: the highest index in use, or -1 when the table is empty.
 */
int sipc_ids_max_idx(struct sipc_ids *ids)
{
	lockdep_assert_held(&ids->rwsem);

	if (!ids->in_use)
		return -1;
	if (ids->in_use == SIPC_IPCMNI)
		return SIPC_IPCMNI - 1;
	return ids->max_idx;
}

/**
 * sipc_ipcperms() - may the caller access an object (Linux's ipcperms())
 * @ns: the object's namespace
 * @perm: the object
 * @flag: the access wanted, in 0777 bits (only their union counts)
 *
 * The owner bits apply when the caller's euid is the owner or creator,
 * else the group bits when the caller is in the owner or creator group
 * (supplementary groups included), else the other bits. CAP_IPC_OWNER in
 * the namespace's user namespace overrides.
 *
 * Context: the fields read are stable enough under RCU alone, as in
 * Linux; callers re-check after locking what they must.
 * Return: 0 or -EACCES.
 */
int sipc_ipcperms(struct sipc_ns *ns, struct sipc_perm *perm, short flag)
{
	kuid_t euid = current_euid();
	int requested = (flag >> 6) | (flag >> 3) | flag;
	int granted = perm->mode;
	enum shadowipc_perm_class class = SHADOWIPC_PERM_OTHER;

	if (uid_eq(euid, perm->cuid) || uid_eq(euid, perm->uid)) {
		granted >>= 6;
		class = SHADOWIPC_PERM_OWNER;
	} else if (in_group_p(perm->cgid) || in_group_p(perm->gid)) {
		granted >>= 3;
		class = SHADOWIPC_PERM_GROUP;
	}
	if ((requested & ~granted & 0007) &&
	    !ns_capable(ns->user_ns, CAP_IPC_OWNER))
		return sipc_refuse(ns, SHADOWIPC_CHECK_PERM, -EACCES,
				   requested & 0007, class, granted & 0007);
	return 0;
}

/**
 * sipc_ctl_obtain_check() - look up an object for IPC_SET or IPC_RMID
 * @ids: the table
 * @id: the full id
 *
 * The caller must be the owner or the creator, or have CAP_SYS_ADMIN in
 * the namespace's user namespace (Linux's ipcctl_obtain_check()).
 *
 * Context: @ids->rwsem held for write and rcu_read_lock() held; the
 * object is not locked.
 * Return: the object, ERR_PTR(-EINVAL) (no such id) or ERR_PTR(-EPERM).
 */
struct sipc_perm *sipc_ctl_obtain_check(struct sipc_ids *ids, int id)
{
	struct sipc_perm *perm;
	kuid_t euid;

	lockdep_assert_held_write(&ids->rwsem);

	perm = sipc_ids_obtain_check(ids, id);
	if (IS_ERR(perm))
		return perm;
	euid = current_euid();
	if (uid_eq(euid, perm->cuid) || uid_eq(euid, perm->uid) ||
	    ns_capable(ids->ns->user_ns, CAP_SYS_ADMIN))
		return perm;
	return ERR_PTR(sipc_refuse(ids->ns, SHADOWIPC_CHECK_OWNER, -EPERM, 0, 0, 0));
}

/**
 * sipc_perm_to_user64() - fill the ipc64_perm userspace sees
 * @perm: the object
 * @out: filled; ids are mapped into the caller's user namespace (the
 *	overflow id when unmapped) and the mode keeps its state bits
 *
 * Context: @perm->lock held.
 */
void sipc_perm_to_user64(struct sipc_perm *perm, struct ipc64_perm *out)
{
	struct user_namespace *user_ns = current_user_ns();

	lockdep_assert_held(&perm->lock);

	out->key = perm->key;
	out->uid = from_kuid_munged(user_ns, perm->uid);
	out->gid = from_kgid_munged(user_ns, perm->gid);
	out->cuid = from_kuid_munged(user_ns, perm->cuid);
	out->cgid = from_kgid_munged(user_ns, perm->cgid);
	out->mode = perm->mode;
	out->seq = perm->seq;
}

/**
 * sipc_perm_update() - apply IPC_SET's owner, group and permission bits
 * @in: what userspace asked for, in its user namespace
 * @perm: the object; creator, key and state bits never change
 *
 * Context: @perm->lock held.
 * Return: 0, or -EINVAL when the uid or gid has no mapping.
 */
int sipc_perm_update(struct ipc64_perm *in, struct sipc_perm *perm)
{
	kuid_t uid = make_kuid(current_user_ns(), in->uid);
	kgid_t gid = make_kgid(current_user_ns(), in->gid);

	lockdep_assert_held(&perm->lock);

	if (!uid_valid(uid) || !gid_valid(gid))
		return -EINVAL;
	perm->uid = uid;
	perm->gid = gid;
	perm->mode = (perm->mode & ~0777) | (in->mode & 0777);
	sipc_keys_refresh(perm->ids, perm);
	return 0;
}

/**
 * sipc_perm_getref() - keep an object's memory alive
 * @perm: the object, found under RCU or a lock that keeps it
 *
 * Context: any context.
 * Return: false when the object is already being freed.
 */
bool sipc_perm_getref(struct sipc_perm *perm)
{
	return refcount_inc_not_zero(&perm->refcount);
}

/**
 * sipc_perm_putref() - drop a reference from sipc_ids_add() or getref
 * @perm: the object
 * @free: frees the object after a grace period, given &@perm->rcu
 *
 * Context: any context.
 */
void sipc_perm_putref(struct sipc_perm *perm, void (*free)(struct rcu_head *))
{
	if (refcount_dec_and_test(&perm->refcount))
		call_rcu(&perm->rcu, free);
}

/* Show the new object @id in the shared key table, now that it is usable. */
static void ids_key_publish(struct sipc_ids *ids, int id)
{
	struct sipc_perm *perm = idr_find(&ids->idr, sipc_id_to_idx(id));

	if (!WARN_ON_ONCE(!perm))
		sipc_keys_publish(ids, perm);
}

/**
 * sipc_ids_get() - the get call of every kind (Linux's ipcget())
 * @ids: the table
 * @key: the key; IPC_PRIVATE always creates
 * @flg: IPC_CREAT, IPC_EXCL and the mode bits, as the get call takes them
 * @ops: the kind's constructor and extra checks
 * @arg: passed to @ops
 *
 * A key that is not in use is created with IPC_CREAT, else -ENOENT. A
 * key in use is -EEXIST with IPC_CREAT | IPC_EXCL; else the kind's
 * checks, then the access @flg asks for, decide.
 *
 * Context: process context, may sleep; takes @ids->rwsem for write.
 * Return: the object's id, or -errno.
 */
int sipc_ids_get(struct sipc_ids *ids, key_t key, int flg,
		 const struct sipc_get_ops *ops, void *arg)
{
	struct sipc_perm *perm;
	int err;

	if (key == IPC_PRIVATE) {
		down_write(&ids->rwsem);
		err = ops->newobj(ids, key, flg, arg);
		goto out_up;
	}
	/* What a view saying "ask the device" sends here. */
	sipc_view_recheck();
	down_write(&ids->rwsem);
	perm = sipc_ids_find_key(ids, key);
	if (!perm) {
		err = -ENOENT;
		if (flg & IPC_CREAT) {
			err = ops->newobj(ids, key, flg, arg);
			if (err >= 0)
				ids_key_publish(ids, err);
		}
		goto out_up;
	}
	if ((flg & IPC_CREAT) && (flg & IPC_EXCL))
		err = -EEXIST;
	else if (ops->more_checks)
		err = ops->more_checks(perm, arg);
	else
		err = 0;
	if (!err)
		err = sipc_ipcperms(ids->ns, perm, flg) ?: perm->id;
	spin_unlock(&perm->lock);
	rcu_read_unlock();
out_up:
	up_write(&ids->rwsem);
	return err;
}

/**
 * sipc_ids_free_all() - destroy every object of a dying table
 * @ids: the table, unreachable
 * @free: destroys one object (Linux's free_ipcs() callback); called with
 *	@ids->rwsem held for write, rcu_read_lock() and the object's lock
 *	held, and returns with the last two released
 *
 * Context: process context, may sleep, no locks held.
 */
void sipc_ids_free_all(struct sipc_ids *ids,
		       void (*free)(struct sipc_ids *ids,
				    struct sipc_perm *perm))
{
	struct sipc_perm *perm;
	int idx;

	down_write(&ids->rwsem);
	for (idx = 0; ; idx++) {
		rcu_read_lock();
		perm = idr_get_next(&ids->idr, &idx);
		if (!perm) {
			rcu_read_unlock();
			break;
		}
		spin_lock(&perm->lock);
		free(ids, perm);
	}
	up_write(&ids->rwsem);
}

/**
 * sipc_ids_lock_stat() - find and lock an object for a STAT command
 * @ids: the table
 * @id: the full id (IPC_STAT), or an index (*_STAT, *_STAT_ANY)
 * @by_index: @id is an index, its sequence number ignored
 * @check_read: the caller needs read permission (all but *_STAT_ANY,
 *	which shows what /proc/sysvipc shows)
 *
 * Context: on success returns with rcu_read_lock() and the object's lock
 * held; on failure with nothing held.
 * Return: the object, or ERR_PTR(-EINVAL) (no such id), ERR_PTR(-EACCES)
 * or ERR_PTR(-EIDRM) (removed since the lookup).
 */
struct sipc_perm *sipc_ids_lock_stat(struct sipc_ids *ids, int id,
				     bool by_index, bool check_read)
{
	struct sipc_perm *perm;

	rcu_read_lock();
	perm = by_index ? sipc_ids_obtain(ids, id) :
			  sipc_ids_obtain_check(ids, id);
	if (IS_ERR(perm))
		goto out_unlock_rcu;
	if (check_read && sipc_ipcperms(ids->ns, perm, 0444)) {
		perm = ERR_PTR(-EACCES);
		goto out_unlock_rcu;
	}
	spin_lock(&perm->lock);
	/* A removal may have won the race for the lock. */
	if (!perm->deleted)
		return perm;
	spin_unlock(&perm->lock);
	perm = ERR_PTR(-EIDRM);
out_unlock_rcu:
	rcu_read_unlock();
	return perm;
}
