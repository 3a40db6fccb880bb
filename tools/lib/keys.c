// SPDX-License-Identifier: GPL-2.0
/*
 * The reader of the shared key tables: see keys.h and the uapi header.
 *
 * The view and the tables are mapped once per process and never
 * unmapped (another thread may be reading them): a process keeps up to
 * KEYS_MAPS tables per kind, one per namespace it looked keys up in, and
 * asks the device for namespaces beyond those. A fork inherits them all,
 * with a view of its own (the module gives the child one).
 */
#include <stdbool.h>
#include <stddef.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <linux/shadowipc.h>

#include "keys.h"

#define KEYS_MAPS	8
#define KEYS_CLAIMED	UINT64_MAX	/* a slot being filled */

/* NULL: not tried yet; MAP_FAILED: the module has no view to give. */
static const struct shadowipc_view *keys_view;

static struct keys_map {
	uint64_t ns_id;		/* 0: free, KEYS_CLAIMED: being filled */
	const struct shadowipc_keys_head *head;
} keys_maps[SHADOWIPC_KIND_SEM + 1][KEYS_MAPS];

static const struct shadowipc_view *view_map(int (*devfd)(void))
{
	const struct shadowipc_view *v, *expected = NULL;
	int fd;

	v = __atomic_load_n(&keys_view, __ATOMIC_ACQUIRE);
	if (v)
		return v;
	fd = devfd();
	if (fd < 0)
		return NULL;	/* try again next time */
	v = mmap(NULL, sizeof(*v), PROT_READ, MAP_SHARED, fd,
		 SHADOWIPC_MMAP_VIEW);
	if (!__atomic_compare_exchange_n(&keys_view, &expected, v, false,
					 __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
		if (v != MAP_FAILED)
			munmap((void *)v, sizeof(*v));
		v = expected;
	}
	return v;
}

/* Map the caller's namespace's table of @kind into a free slot. */
static const struct shadowipc_keys_head *table_map(int kind, uint64_t ns_id,
						   int (*devfd)(void))
{
	struct keys_map *m;
	void *p;
	int i, fd;

	for (i = 0; i < KEYS_MAPS; i++) {
		uint64_t expected = 0;

		m = &keys_maps[kind][i];
		if (__atomic_compare_exchange_n(&m->ns_id, &expected,
						KEYS_CLAIMED, false,
						__ATOMIC_ACQ_REL,
						__ATOMIC_RELAXED))
			break;
	}
	if (i == KEYS_MAPS)
		return NULL;
	fd = devfd();
	p = fd < 0 ? MAP_FAILED :
	    mmap(NULL, SHADOWIPC_KEYS_SIZE, PROT_READ, MAP_SHARED, fd,
		 SHADOWIPC_MMAP_KEYS(kind));
	/* Our own thread's namespace cannot have changed meanwhile. */
	if (p == MAP_FAILED ||
	    ((const struct shadowipc_keys_head *)p)->ns_id != ns_id) {
		if (p != MAP_FAILED)
			munmap(p, SHADOWIPC_KEYS_SIZE);
		__atomic_store_n(&m->ns_id, 0, __ATOMIC_RELEASE);
		return NULL;
	}
	m->head = p;
	__atomic_store_n(&m->ns_id, ns_id, __ATOMIC_RELEASE);
	return p;
}

static const struct shadowipc_keys_head *table_of(int kind, uint64_t ns_id,
						  int (*devfd)(void))
{
	int i;

	for (i = 0; i < KEYS_MAPS; i++)
		if (__atomic_load_n(&keys_maps[kind][i].ns_id,
				    __ATOMIC_ACQUIRE) == ns_id)
			return keys_maps[kind][i].head;
	return table_map(kind, ns_id, devfd);
}

int sipc_keys_lookup(int kind, int key, int flg, uint64_t size,
		     int (*devfd)(void))
{
	const struct shadowipc_key_slot *slots, *s;
	const struct shadowipc_keys_head *head;
	const struct shadowipc_view *v;
	uint32_t h, i, seq, mode;
	int requested, id;
	uint64_t ns_id, max;

	if (key == IPC_PRIVATE || ((flg & IPC_CREAT) && (flg & IPC_EXCL)) ||
	    kind < SHADOWIPC_KIND_SHM || kind > SHADOWIPC_KIND_SEM)
		return -1;
	v = view_map(devfd);
	if (!v || v == MAP_FAILED)
		return -1;
	ns_id = __atomic_load_n(&v->ns_id, __ATOMIC_ACQUIRE);
	if (!ns_id)
		return -1;
	head = table_of(kind, ns_id, devfd);
	if (!head)
		return -1;
	/* Linux checks nsems against SEMMSL before it looks the key up. */
	if (kind == SHADOWIPC_KIND_SEM &&
	    (int64_t)size > __atomic_load_n(&head->semmsl, __ATOMIC_RELAXED))
		return -1;
	slots = (const void *)((const char *)head + SHADOWIPC_KEYS_HEAD_SIZE);
	requested = ((flg >> 6) | (flg >> 3) | flg) & 7;
	h = shadowipc_key_hash(key);
	for (i = 0; i < SHADOWIPC_KEYS_PROBES; i++) {
		s = &slots[(h + i) & (SHADOWIPC_KEYS_SLOTS - 1)];
		seq = __atomic_load_n(&s->seq, __ATOMIC_ACQUIRE);
		if (__atomic_load_n(&s->key, __ATOMIC_RELAXED) != key)
			continue;
		id = __atomic_load_n(&s->id, __ATOMIC_RELAXED);
		mode = __atomic_load_n(&s->mode, __ATOMIC_RELAXED);
		max = __atomic_load_n(&s->size, __ATOMIC_RELAXED);
		__atomic_thread_fence(__ATOMIC_ACQUIRE);
		if ((seq & 1) || __atomic_load_n(&s->seq, __ATOMIC_RELAXED) != seq)
			return -1;	/* being rewritten: ask */
		/* Granted to owner, group and others alike: to anyone. */
		if (requested & ~((mode >> 6) & (mode >> 3) & mode) || size > max)
			return -1;
		return id;
	}
	return -1;
}
