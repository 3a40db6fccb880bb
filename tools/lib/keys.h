/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The reader of the shared key tables (see SHADOWIPC_MMAP_KEYS in the
 * uapi header): a get of an existing key answered from a read-only
 * mapping, without a system call. Compiled into libshadowipc and into
 * the preload shim (hidden there).
 */
#ifndef _SHADOWIPC_KEYS_H
#define _SHADOWIPC_KEYS_H

#include <stdint.h>

/*
 * get(@key, @size, @flg) of @kind (SHADOWIPC_KIND_SHM, _MSG or _SEM;
 * @size is 0 for msgget and semget's nsems for semget, which must be at
 * most the set's and the namespace's SEMMSL) answered from the
 * caller's namespace's key table. Returns the id, or -1 when the device
 * must be asked (not cached, not a plain success, or no table).
 * @devfd gives the device fd (>= 0), or -1, and is called only the first
 * time a mapping is needed.
 */
int sipc_keys_lookup(int kind, int key, int flg, uint64_t size,
		     int (*devfd)(void));

#endif /* _SHADOWIPC_KEYS_H */
