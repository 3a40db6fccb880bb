/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Every difference between the kernels shadowipc builds for (Debian
 * bookworm's 6.1 and 6.12, Debian unstable's 7.x) is handled here, and
 * only here. Keep it additive: one block per difference, each saying
 * which kernel changed what, in the section of the subsystem it is in.
 * Where a header's presence marks the change, __has_include() tests for
 * it; elsewhere the release that changed it does.
 */
#ifndef _SHADOWIPC_COMPAT_H
#define _SHADOWIPC_COMPAT_H

#include <linux/version.h>

/* ---- headers that moved or were split ---- */

/*
 * bin2hex() and friends: linux/hex.h where it exists (6.12 has it, 6.1
 * does not); kernel.h no longer includes it in 7.x.
 */
#if __has_include("linux/hex.h")
#include <linux/hex.h>
#else
#include <linux/kernel.h>
#endif

/* current_umask(): fs.h until 7.x moved it to fs_struct.h (always there). */
#include <linux/fs.h>
#include <linux/fs_struct.h>

/* struct folio_batch: pagevec.h, which 7.x renamed folio_batch.h. */
#if __has_include("linux/folio_batch.h")
#include <linux/folio_batch.h>
#else
#include <linux/pagevec.h>
#endif

/* ---- mm and files ---- */

/*
 * 6.12 made struct fd one word, its file read through fd_file(); 6.1
 * has it as .file.
 */
#include <linux/file.h>
#ifdef fd_file
#define sipc_fd_file(f)		fd_file(f)
#else
#define sipc_fd_file(f)		((f).file)
#endif

/*
 * vm_operations_struct.get_policy() gained a "pgoff_t *ilx" (interleave
 * index) argument in 6.7. SIPC_VM_GET_POLICY() declares a handler with
 * the kernel's prototype, whose arguments are named vma, addr and ilx;
 * sipc_vm_get_policy() forwards to another one (@ilx is only evaluated
 * where it exists).
 */
#if KERNEL_VERSION(6, 7, 0) <= LINUX_VERSION_CODE
#define SIPC_VM_GET_POLICY(name)					\
	struct mempolicy *(name)(struct vm_area_struct *vma,		\
				 unsigned long addr, pgoff_t *ilx)
#define sipc_vm_get_policy(ops, vma, addr, ilx)			\
	((ops)->get_policy(vma, addr, ilx))
#else
#define SIPC_VM_GET_POLICY(name)					\
	struct mempolicy *(name)(struct vm_area_struct *vma,		\
				 unsigned long addr)
#define sipc_vm_get_policy(ops, vma, addr, ilx)			\
	((ops)->get_policy(vma, addr))
#endif

/*
 * eventfd_signal() lost its count argument in 6.8 (it always adds 1).
 * sipc_eventfd_signal() adds 1 on both.
 */
#if KERNEL_VERSION(6, 8, 0) <= LINUX_VERSION_CODE
#define sipc_eventfd_signal(ctx)	eventfd_signal(ctx)
#else
#define sipc_eventfd_signal(ctx)	eventfd_signal(ctx, 1)
#endif

/*
 * vma->vm_flags became read-only outside mm in 6.3, changed through
 * vm_flags_mod() and friends. sipc_vm_flags_mod() sets @set and clears
 * @clear on both.
 */
#if KERNEL_VERSION(6, 3, 0) <= LINUX_VERSION_CODE
#define sipc_vm_flags_mod(vma, set, clear)	vm_flags_mod(vma, set, clear)
#else
#define sipc_vm_flags_mod(vma, set, clear)				\
	((vma)->vm_flags = ((vma)->vm_flags | (set)) & ~(clear))
#endif

/*
 * The f_op->mmap() of a file a driver maps in its own ->mmap: call_mmap()
 * until 6.16 renamed it vfs_mmap(), which also runs an ->mmap_prepare()
 * (shmem's only hook in 7.x) on the VMA.
 */
#if KERNEL_VERSION(6, 16, 0) <= LINUX_VERSION_CODE
#define sipc_vfs_mmap(file, vma)	vfs_mmap(file, vma)
#else
#define sipc_vfs_mmap(file, vma)	call_mmap(file, vma)
#endif

/*
 * shmem_file_setup() took VM_* flags (an unsigned long) until 7.0, which
 * passes a vma_flags_t; shmem records SHM_NORESERVE in the inode's flags
 * as VM_NORESERVE until then, and as SHMEM_F_NORESERVE since.
 * sipc_shmem_file_setup() takes VM_NORESERVE or 0 on both;
 * sipc_shmem_vm_flags() answers VM_NORESERVE or 0 for a shmem inode.
 */
#include <linux/mm.h>
#include <linux/shmem_fs.h>
#if KERNEL_VERSION(7, 0, 0) <= LINUX_VERSION_CODE
#define sipc_shmem_file_setup(name, size, vm_flags)			\
	shmem_file_setup(name, size, ((vm_flags) & VM_NORESERVE) ?	\
			 mk_vma_flags(VMA_NORESERVE_BIT) : EMPTY_VMA_FLAGS)
#define sipc_shmem_vm_flags(inode)					\
	((SHMEM_I(inode)->flags & SHMEM_F_NORESERVE) ? VM_NORESERVE : 0)
#else
#define sipc_shmem_file_setup(name, size, vm_flags)			\
	shmem_file_setup(name, size, vm_flags)
#define sipc_shmem_vm_flags(inode)	(SHMEM_I(inode)->flags & VM_NORESERVE)
#endif

/* ---- tasks and credentials ---- */

/*
 * The second half of ptrace_may_access()'s rule: is @task dumpable for
 * the caller (or does the caller have CAP_SYS_PTRACE where it counts)?
 * Until 7.x the inputs were the target's mm (get_dumpable() and
 * mm->user_ns) or, for a task without one, task->user_dumpable and the
 * initial user namespace; 7.x keeps both in task->exec_state (set at
 * each exec, replaced under RCU, kernel threads sharing init_task's),
 * whose header marks the change. sipc_task_dumpable() follows the rule
 * of the kernel it is built for.
 *
 * Context: task_lock(@task) held; takes rcu_read_lock() itself.
 */
#include <linux/capability.h>
#include <linux/sched.h>
#include <linux/sched/coredump.h>
#if __has_include("linux/sched/exec_state.h")
#include <linux/sched/exec_state.h>
static inline bool sipc_task_dumpable(struct task_struct *task)
{
	const struct task_exec_state *es;
	bool ok;

	rcu_read_lock();
	es = rcu_dereference(task->exec_state);
	ok = READ_ONCE(es->dumpable) == TASK_DUMPABLE_OWNER ||
	     ns_capable(es->user_ns, CAP_SYS_PTRACE);
	rcu_read_unlock();
	return ok;
}
#else
static inline bool sipc_task_dumpable(struct task_struct *task)
{
	struct mm_struct *mm = task->mm;

	if (mm)
		return get_dumpable(mm) == SUID_DUMP_USER ||
		       ns_capable(mm->user_ns, CAP_SYS_PTRACE);
	return task->user_dumpable || ns_capable(&init_user_ns, CAP_SYS_PTRACE);
}
#endif

/*
 * The process an mm belongs to: mm->owner, which the kernel keeps (and
 * hands on at exit to another user of the mm) only with CONFIG_MEMCG,
 * which every kernel shadowipc targets has; without it, no one.
 *
 * Context: rcu_read_lock() held; the mm referenced.
 */
#ifdef CONFIG_MEMCG
#define sipc_mm_owner(mm)	rcu_dereference((mm)->owner)
#else
#define sipc_mm_owner(mm)	((struct task_struct *)NULL)
#endif

/* ---- namespaces ---- */

/*
 * 6.18's namespace trees reworked struct ns_common: how many users an
 * IPC namespace has (nsproxies, nsfs inodes), a refcount_t, was
 * ns.count and is __ns_ref, read through ns_ref_read(); and which kind
 * of namespace one is (CLONE_NEWIPC...) was ns->ops->type and is
 * ns->ns_type.
 */
#if KERNEL_VERSION(6, 18, 0) <= LINUX_VERSION_CODE
#define sipc_ipc_ns_refs(ipc)		ns_ref_read(ipc)
#define sipc_ns_common_type(ns)		((ns)->ns_type)
#else
#define sipc_ipc_ns_refs(ipc)		refcount_read(&(ipc)->ns.count)
#define sipc_ns_common_type(ns)		((ns)->ops->type)
#endif

/* ---- tracing ---- */

/*
 * 6.10 dropped __assign_str()'s source argument: the string given to
 * __string() is copied. sipc_assign_str() takes both, as 6.1 does.
 */
#if KERNEL_VERSION(6, 10, 0) <= LINUX_VERSION_CODE
#define sipc_assign_str(dst, src)	__assign_str(dst)
#else
#define sipc_assign_str(dst, src)	__assign_str(dst, src)
#endif

#endif /* _SHADOWIPC_COMPAT_H */
