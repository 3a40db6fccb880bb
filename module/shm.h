/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Between shm.c (segments and their rules), vm.c (the mappings that
 * attach them) and shm_file.c (their backing files): what each calls in
 * the others.
 */
#ifndef _SHADOWIPC_SHM_H
#define _SHADOWIPC_SHM_H

#include <linux/types.h>

struct file;
struct pid_namespace;
struct seq_file;
struct sipc_ns;

/**
 * struct sipc_shm_mapping - one shmat() mapping, as do_shmat() sets it up
 * @addr: in: the address asked for (rounded), 0 for any; out: the
 *	address mapped
 * @size: the segment's size (its file's i_size)
 * @prot: PROT_READ, plus PROT_WRITE unless SHM_RDONLY, plus PROT_EXEC
 *	for SHM_EXEC
 * @flags: MAP_SHARED, plus MAP_FIXED or (an address given without
 *	SHM_REMAP) MAP_FIXED_NOREPLACE
 */
struct sipc_shm_mapping {
	unsigned long addr;
	unsigned long size;
	unsigned long prot;
	unsigned long flags;
};

/* shm.c: an attach VMA appears (Linux's __shm_open) or goes (__shm_close) */
int sipc_shm_vma_open(struct sipc_ns *ns, int id, struct file *shm_file);
void sipc_shm_vma_close(struct sipc_ns *ns, int id);

/* vm.c: the attach files of a segment, and mapping one for shmat() */
struct file *sipc_shm_attach_file(struct sipc_ns *ns, int id,
				  struct file *shm_file, int f_flags);
long sipc_shm_map(struct file *attach_file, struct sipc_shm_mapping *map);
void sipc_shm_attach_file_orphan(struct file *file);
void sipc_shm_holders_show(struct seq_file *m, struct file *attach_file,
			   const char *prefix, struct pid_namespace *pid_ns);

/* shm_file.c: segments' shmem files */
struct file *sipc_shm_file_get(key_t key, u64 size, unsigned long vm_flags);
void sipc_shm_file_put(struct file *file, bool unseen);

#endif /* _SHADOWIPC_SHM_H */
