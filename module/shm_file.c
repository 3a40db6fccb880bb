// SPDX-License-Identifier: GPL-2.0
/*
 * The shmem files behind segments, and a few spare ones.
 *
 * Creating a shmem file (inode, dentry, file and their LSM blobs) and the
 * deferred __fput() that frees it are most of what a shmget(IPC_PRIVATE)
 * + IPC_RMID pair costs. A segment removed without ever having been
 * attached leaves a file whose inside nobody has seen: no pages, no
 * memory policy, never in a VMA or an fd table. Up to SHM_SPARE_FILES
 * such files are kept and handed to the next segment created with the
 * same name (it holds the key, and /proc/PID/maps shows it), size and
 * SHM_NORESERVE setting: shmem charged the overcommit accounting by size
 * and flags when it created the file, so that is already right, and it
 * is uncharged when the file is freed. The owner is set again as shmem
 * sets it at creation; shm.c sets the inode number (the id) each time.
 * What remains of the first creator is its memory cgroup's charge for
 * the inode and dentry.
 *
 * The spares live until they are used or the module is unloaded: a few
 * KiB at most, so no shrinker.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cred.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/kernel.h>
#include <linux/mm.h>
#include <linux/shmem_fs.h>
#include <linux/spinlock.h>

#include "compat.h"
#include "internal.h"
#include "shm.h"

#define SHM_SPARE_FILES	8

static DEFINE_SPINLOCK(shm_spare_lock);	/* protects the two below */
static struct file *shm_spares[SHM_SPARE_FILES];
static unsigned int shm_nr_spares;

static bool shm_spare_matches(struct file *file, const char *name,
			      loff_t size, unsigned long vm_flags)
{
	struct inode *inode = file_inode(file);

	return i_size_read(inode) == size &&
	       sipc_shmem_vm_flags(inode) == vm_flags &&
	       !strcmp(file->f_path.dentry->d_name.name, name);
}

/* Take a spare that matches, most recently kept first. */
static struct file *shm_spare_take(const char *name, loff_t size,
				   unsigned long vm_flags)
{
	struct file *file = NULL;
	unsigned int i;

	spin_lock(&shm_spare_lock);
	for (i = shm_nr_spares; i-- > 0;) {
		if (shm_spare_matches(shm_spares[i], name, size, vm_flags)) {
			file = shm_spares[i];
			shm_spares[i] = shm_spares[--shm_nr_spares];
			break;
		}
	}
	spin_unlock(&shm_spare_lock);
	return file;
}

/**
 * sipc_shm_file_get() - the backing file of a new segment
 * @key: the segment's key, which names the file
 * @size: the segment's size
 * @vm_flags: VM_NORESERVE for SHM_NORESERVE, else 0
 *
 * Context: process context, may sleep.
 * Return: a file of @size bytes with one reference, or shmem_file_setup()'s
 * ERR_PTR() (-ENOMEM when the size cannot be committed, -EINVAL, ...).
 */
struct file *sipc_shm_file_get(key_t key, u64 size, unsigned long vm_flags)
{
	__be32 key_be = cpu_to_be32((u32)key);
	struct inode *inode;
	struct file *file;
	char name[13] = "SYSV";

	/* "SYSV%08x", as newseg() names it, without vsnprintf()'s cost */
	*bin2hex(name + 4, &key_be, sizeof(key_be)) = '\0';
	file = shm_spare_take(name, size, vm_flags);
	if (!file)
		return sipc_shmem_file_setup(name, size, vm_flags);
	/* No one else has the inode: shmem_get_inode()'s owner, again. */
	inode = file_inode(file);
	inode->i_uid = current_fsuid();
	inode->i_gid = current_fsgid();
	return file;
}

/**
 * sipc_shm_file_put() - drop a destroyed segment's reference to its file
 * @file: the file
 * @unseen: the segment was never attached (so its file has no pages and
 *	no memory policy); the file may be kept as a spare
 *
 * Context: any context but interrupt (fput()).
 */
void sipc_shm_file_put(struct file *file, bool unseen)
{
	/*
	 * The only other references a segment's file can have are taken
	 * from the segment under its lock, which is destroyed now: a count
	 * of one stays one. Pages cannot be there without an attach; an
	 * SHM_LOCK that was released made the mapping evictable again.
	 */
	if (unseen && file_count(file) == 1 && !file->f_mapping->nrpages &&
	    !mapping_unevictable(file->f_mapping)) {
		spin_lock(&shm_spare_lock);
		if (shm_nr_spares < SHM_SPARE_FILES) {
			shm_spares[shm_nr_spares++] = file;
			file = NULL;
		}
		spin_unlock(&shm_spare_lock);
	}
	if (file)
		fput(file);
}

/**
 * sipc_shm_file_module_exit() - free the spares
 *
 * Context: module unload, after every namespace is gone.
 */
void sipc_shm_file_module_exit(void)
{
	while (shm_nr_spares)
		fput(shm_spares[--shm_nr_spares]);
}
