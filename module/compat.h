/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Every difference between the kernels shadowipc builds for (Debian's
 * 6.1 and 6.12) is handled here, and only here. Keep it additive: one
 * block per difference, each saying which kernel changed what.
 */
#ifndef _SHADOWIPC_COMPAT_H
#define _SHADOWIPC_COMPAT_H

#include <linux/version.h>

/*
 * vm_operations_struct.get_policy() gained a "pgoff_t *ilx" (interleave
 * index) argument in 6.7. SIPC_VM_GET_POLICY() declares a handler with
 * the kernel's prototype; sipc_vm_get_policy() forwards to another one
 * (@ilx is only evaluated where it exists).
 */
#if KERNEL_VERSION(6, 7, 0) <= LINUX_VERSION_CODE
#define SIPC_VM_GET_POLICY(name, vma, addr, ilx)			\
	struct mempolicy *name(struct vm_area_struct *vma,		\
			       unsigned long addr, pgoff_t *ilx)
#define sipc_vm_get_policy(ops, vma, addr, ilx)			\
	((ops)->get_policy(vma, addr, ilx))
#else
#define SIPC_VM_GET_POLICY(name, vma, addr, ilx)			\
	struct mempolicy *name(struct vm_area_struct *vma, unsigned long addr)
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
 * How many users an IPC namespace has (nsproxies, nsfs dentries): its
 * ns_common's count, a refcount_t on 6.1 and 6.12.
 */
#define sipc_ipc_ns_refs(ipc)	refcount_read(&(ipc)->ns.count)

#endif /* _SHADOWIPC_COMPAT_H */
