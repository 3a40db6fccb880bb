// SPDX-License-Identifier: GPL-2.0
/*
 * Shared key tables: per namespace and kind, a table of the objects that
 * have a key, mapped read-only into the processes that ask for it
 * (SHADOWIPC_MMAP_KEYS), so that a get of an existing key needs no system
 * call (the layout and the reader's rules are in the uapi header). The
 * table is a cache: an object may be missing from it (no free slot among
 * its probes, or no memory for the page), never wrong in it. It exists
 * only once some process mapped it; its pages are allocated on first
 * write or first fault.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/gfp.h>
#include <linux/kref.h>
#include <linux/mm.h>
#include <linux/slab.h>

#include "compat.h"
#include "internal.h"

#define KEYS_SLOTS_PER_PAGE	(PAGE_SIZE / sizeof(struct shadowipc_key_slot))
#define KEYS_PAGES		(SHADOWIPC_KEYS_SIZE / PAGE_SIZE)

/**
 * struct sipc_keys - one kind's shared key table in one namespace
 * @kref: the id table's reference and one per mapping
 * @kind: which kind's keys
 * @nr_pages: the pages allocated so far, for /proc/shadowipc/namespaces
 * @pages: the head page, then the slot pages; NULL until first used, set
 *	once (cmpxchg) and kept until the table is freed
 */
struct sipc_keys {
	struct kref kref;
	enum sipc_kind kind;
	atomic_t nr_pages;
	struct page *pages[KEYS_PAGES];
};

static void keys_release(struct kref *kref)
{
	struct sipc_keys *k = container_of(kref, struct sipc_keys, kref);
	unsigned int i;

	for (i = 0; i < KEYS_PAGES; i++)
		if (k->pages[i])
			put_page(k->pages[i]);
	kfree(k);
}

static void keys_put(struct sipc_keys *k)
{
	kref_put(&k->kref, keys_release);
}

/* Page @idx of @k, allocated (zeroed: empty slots) if @gfp allows. */
static struct page *keys_page(struct sipc_keys *k, unsigned int idx,
			      gfp_t gfp)
{
	struct page *page = READ_ONCE(k->pages[idx]);
	struct page *old;

	if (page || !gfp)
		return page;
	page = alloc_page(gfp | __GFP_ZERO);
	if (!page)
		return NULL;
	old = cmpxchg(&k->pages[idx], NULL, page);
	if (old) {
		put_page(page);
		return old;
	}
	atomic_inc(&k->nr_pages);
	return page;
}

/* Slot @i of @k, or NULL when its page does not exist (and @gfp is 0). */
static struct shadowipc_key_slot *keys_slot(struct sipc_keys *k,
					    unsigned int i, gfp_t gfp)
{
	struct page *page;

	i &= SHADOWIPC_KEYS_SLOTS - 1;
	page = keys_page(k, 1 + i / KEYS_SLOTS_PER_PAGE, gfp);
	if (!page)
		return NULL;
	return (struct shadowipc_key_slot *)page_address(page) +
	       i % KEYS_SLOTS_PER_PAGE;
}

/* Rewrite @slot under its sequence count; the id table's rwsem is held. */
static void keys_slot_write(struct shadowipc_key_slot *slot, key_t key,
			    struct sipc_perm *perm)
{
	u32 seq = slot->seq;

	WRITE_ONCE(slot->seq, seq + 1);
	smp_wmb();	/* odd before the fields: readers see a rewrite */
	WRITE_ONCE(slot->key, key);
	WRITE_ONCE(slot->id, perm->id);
	WRITE_ONCE(slot->mode, perm->mode & 0777);
	WRITE_ONCE(slot->size, perm->get_size);
	smp_wmb();	/* the fields before the even count */
	WRITE_ONCE(slot->seq, seq + 2);
}

/* The slot caching @perm, or NULL. */
static struct shadowipc_key_slot *keys_find(struct sipc_keys *k,
					    struct sipc_perm *perm)
{
	u32 h = shadowipc_key_hash(perm->key);
	struct shadowipc_key_slot *slot;
	unsigned int i;

	for (i = 0; i < SHADOWIPC_KEYS_PROBES; i++) {
		slot = keys_slot(k, h + i, 0);
		if (slot && slot->key == perm->key && slot->id == perm->id)
			return slot;
	}
	return NULL;
}

/* Cache @perm in a free slot among its probes, if there is one. */
static void keys_insert(struct sipc_keys *k, struct sipc_perm *perm)
{
	u32 h = shadowipc_key_hash(perm->key);
	struct shadowipc_key_slot *slot;
	unsigned int i;

	for (i = 0; i < SHADOWIPC_KEYS_PROBES; i++) {
		slot = keys_slot(k, h + i, GFP_KERNEL_ACCOUNT);
		if (slot && !slot->key) {
			keys_slot_write(slot, perm->key, perm);
			return;
		}
	}
}

/**
 * sipc_keys_publish() - cache a new object's key
 * @ids: its table
 * @perm: the object, reachable by id and key, with a key
 *
 * Context: process context, may sleep; @ids->rwsem held for write.
 */
void sipc_keys_publish(struct sipc_ids *ids, struct sipc_perm *perm)
{
	lockdep_assert_held_write(&ids->rwsem);

	if (ids->keys)
		keys_insert(ids->keys, perm);
}

/* Rewrite the slot caching @perm, if any, with @key (0: empty it). */
static void keys_rewrite(struct sipc_ids *ids, struct sipc_perm *perm,
			 key_t key)
{
	struct shadowipc_key_slot *slot;

	lockdep_assert_held_write(&ids->rwsem);

	if (ids->keys && perm->key != IPC_PRIVATE) {
		slot = keys_find(ids->keys, perm);
		if (slot)
			keys_slot_write(slot, key, perm);
	}
}

/**
 * sipc_keys_refresh() - show an object's new permission bits
 * @ids: its table
 * @perm: the object
 *
 * Context: @ids->rwsem held for write, and @perm->lock.
 */
void sipc_keys_refresh(struct sipc_ids *ids, struct sipc_perm *perm)
{
	keys_rewrite(ids, perm, perm->key);
}

/**
 * sipc_keys_unpublish() - forget an object's key, before it is unreachable
 *	by it
 * @ids: its table
 * @perm: the object
 *
 * Context: @ids->rwsem held for write, and @perm->lock.
 */
void sipc_keys_unpublish(struct sipc_ids *ids, struct sipc_perm *perm)
{
	keys_rewrite(ids, perm, IPC_PRIVATE);
}

/**
 * sipc_keys_semmsl_changed() - show the namespace's new SEMMSL in its
 *	semaphore key table, if it has one
 * @ns: the namespace, whose limits.sem[0] was just written
 *
 * Under the rwsem, so that a table made meanwhile cannot keep the old
 * value: it reads the limit under the same rwsem.
 *
 * Context: process context, may sleep, no locks held.
 */
void sipc_keys_semmsl_changed(struct sipc_ns *ns)
{
	struct sipc_ids *ids = &ns->ids[SIPC_SEM];
	struct shadowipc_keys_head *head;

	down_write(&ids->rwsem);
	if (ids->keys) {
		head = page_address(ids->keys->pages[0]);
		WRITE_ONCE(head->semmsl, READ_ONCE(ns->limits.sem[0]));
	}
	up_write(&ids->rwsem);
}

/**
 * sipc_keys_destroy() - drop a dying id table's key table
 * @ids: the table, unreachable and empty
 *
 * Mappings keep the memory until they go; nobody can be in the namespace
 * any more, so no reader looks at it.
 *
 * Context: process context.
 */
void sipc_keys_destroy(struct sipc_ids *ids)
{
	if (ids->keys)
		keys_put(ids->keys);
	ids->keys = NULL;
}

/**
 * sipc_keys_bytes() - the memory of one kind's shared key table
 * @ids: the id table, of a namespace the caller keeps alive
 *
 * Context: any.
 * Return: bytes of the pages allocated so far; 0 when never mapped.
 */
u64 sipc_keys_bytes(struct sipc_ids *ids)
{
	/* Pairs with keys_get()'s release: the table is initialized. */
	struct sipc_keys *k = smp_load_acquire(&ids->keys);

	return k ? (u64)atomic_read(&k->nr_pages) << PAGE_SHIFT : 0;
}

/*
 * The key table of @ids, created and filled with every keyed object on
 * first use, with a reference for the caller.
 */
static struct sipc_keys *keys_get(struct sipc_ids *ids)
{
	struct shadowipc_keys_head *head;
	struct sipc_perm *perm;
	struct sipc_keys *k;
	int idx;

	down_write(&ids->rwsem);
	k = ids->keys;
	if (k)
		goto out_get;
	k = kzalloc(sizeof(*k), GFP_KERNEL_ACCOUNT);
	if (!k)
		goto out_up;
	kref_init(&k->kref);
	k->kind = ids->kind;
	if (!keys_page(k, 0, GFP_KERNEL_ACCOUNT)) {
		kfree(k);
		k = NULL;
		goto out_up;
	}
	head = page_address(k->pages[0]);
	head->ns_id = ids->ns->id;
	head->kind = ids->kind;
	if (ids->kind == SIPC_SEM)
		head->semmsl = READ_ONCE(ids->ns->limits.sem[0]);
	/* Under the rwsem for write, nothing is added or removed. */
	idx = 0;
	while ((perm = idr_get_next(&ids->idr, &idx))) {
		if (perm->key != IPC_PRIVATE)
			keys_insert(k, perm);
		idx++;
	}
	/* sipc_keys_bytes() reads it without the rwsem */
	smp_store_release(&ids->keys, k);
out_get:
	kref_get(&k->kref);
out_up:
	up_write(&ids->rwsem);
	return k;
}

static void keys_vm_open(struct vm_area_struct *vma)
{
	struct sipc_keys *k = vma->vm_private_data;

	kref_get(&k->kref);
}

static void keys_vm_close(struct vm_area_struct *vma)
{
	keys_put(vma->vm_private_data);
}

static vm_fault_t keys_vm_fault(struct vm_fault *vmf)
{
	struct sipc_keys *k = vmf->vma->vm_private_data;
	pgoff_t idx = vmf->pgoff -
		      (SHADOWIPC_MMAP_KEYS(k->kind) >> PAGE_SHIFT);
	struct page *page;

	if (idx >= KEYS_PAGES)
		return VM_FAULT_SIGBUS;
	page = keys_page(k, idx, GFP_KERNEL_ACCOUNT);
	if (!page)
		return VM_FAULT_OOM;
	get_page(page);
	vmf->page = page;
	return 0;
}

static const struct vm_operations_struct keys_vm_ops = {
	.open = keys_vm_open,
	.close = keys_vm_close,
	.fault = keys_vm_fault,
};

/**
 * sipc_keys_mmap() - map the caller's namespace's key table of one kind
 * @vma: the mapping, at SHADOWIPC_MMAP_KEYS(@kind), read-only and of
 *	SHADOWIPC_KEYS_SIZE bytes (main.c checks)
 * @kind: SIPC_SHM, SIPC_MSG or SIPC_SEM
 *
 * Context: mmap_lock held for write (as ->mmap); takes the kind's rwsem.
 * Return: 0 or -ENOMEM.
 */
int sipc_keys_mmap(struct vm_area_struct *vma, enum sipc_kind kind)
{
	struct sipc_keys *k;
	struct sipc_ns *ns;

	ns = sipc_current_ns();
	if (IS_ERR(ns))
		return PTR_ERR(ns);
	k = keys_get(&ns->ids[kind]);
	if (!k)
		return -ENOMEM;
	vma->vm_private_data = k;
	vma->vm_ops = &keys_vm_ops;
	return 0;
}
