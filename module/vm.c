// SPDX-License-Identifier: GPL-2.0
/*
 * The mappings of System V shared memory: attaching a pinned segment for
 * shmat(), the vm_operations_struct of attach VMAs, and shmdt().
 *
 * Linux maps a clone of the segment's shmem file whose ->mmap swaps in
 * its shm_vm_ops. Modules cannot clone files, so a segment has an
 * "attach file" per access mode instead, made at its first shmat() in
 * that mode and mapped with vm_mmap() by every shmat(): a file of its
 * own on the shmem inode (alloc_file_pseudo(), as shmem makes its
 * files), so faults, /proc/PID/maps and rmap see the shmem inode, as
 * they see the clone in Linux. Its ->mmap maps the shmem file into the
 * VMA and installs shm_vm_ops, which forwards to shmem's vm_ops and
 * keeps shm_nattch, the times and the last pid in .open and .close, as
 * Linux's do: one count per VMA, so fork, splits and mremap add counts
 * and every unmap drops one.
 *
 * Each mapping gets an attach (Linux's shm_file_data), the VMAs'
 * vm_private_data. The attach file is the VMAs' file, so that a new
 * mapping of it (remap_file_pages()) goes through its ->mmap, which
 * looks the segment up again as Linux's shm_mmap() does. The segment
 * keeps it referenced until it is destroyed, and each attach while it
 * has VMAs. As the file's fops are owned by this module, every attach
 * mapping pins the module, and the final module_put() comes from
 * __fput() after our code has returned. So does a segment that has been
 * attached, until it is destroyed: the price of not making a file for
 * every shmat().
 *
 * Where this differs from Linux, because the attach file is per segment
 * and access mode rather than per shmat():
 * - a new mapping of an attach (remap_file_pages()) is a new attach for
 *   shmdt(), where Linux's shares the file, and so the attach, of the
 *   VMA it replaced;
 * - a new mapping in a namespace that has died meanwhile (the caller
 *   left it and that was its last attach) fails with EINVAL, where
 *   Linux's attach file keeps the namespace, and so the segment, alive.
 * - Where vma_merge() accepts VMAs with ->close (6.12, not 6.1), VMAs of
 *   two attaches of one segment can merge when placed side by side with
 *   consecutive offsets (mremap() tricks); shmdt() then sees one attach.
 * - shmdt() cannot unmap under the mmap_lock it searched with (see
 *   sipc_shm_dt()).
 *
 * Each attach file also lists the VMAs that map it (struct shm_holder),
 * for /proc/shadowipc/holders: added by ->mmap and .open, removed by
 * .close before the VMA is freed. Their ranges are read when listed,
 * under the shmem mapping's i_mmap_rwsem, which every change of an
 * attach VMA's range takes (split, merge, mremap's move).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/file.h>
#include <linux/fs.h>
#include <linux/mm.h>
#include <linux/mman.h>
#include <linux/module.h>
#include <linux/rbtree.h>
#include <linux/seq_file.h>
#include <linux/slab.h>

#include "compat.h"
#include "internal.h"
#include "trace.h"
#include "shm.h"

/**
 * struct shm_attach_file - what an attach file maps
 * @lock: guards @ns and @holders
 * @ns: the segment's namespace, not counted: the segment holds the
 *	attach file and the namespace holds the segment; an attach that
 *	outlives both holds a count of its own. NULL once the segment is
 *	destroyed (sipc_shm_attach_file_orphan()): the file may outlive
 *	the namespace, kept by a remap_file_pages() in progress
 * @id: the segment's id
 * @shm_file: the segment's shmem file (counted); tells a reused id apart
 * @holders: the VMAs mapping the file, struct shm_holder by VMA address,
 *	so that .close finds its own among many (fork)
 */
struct shm_attach_file {
	spinlock_t lock;	/* protects ns and holders */
	struct sipc_ns *ns;
	int id;
	struct file *shm_file;
	struct rb_root holders;
};

/**
 * struct shm_holder - one VMA mapping an attach file
 * @node: in the attach file's @holders, by VMA address
 * @vma: the VMA; valid while listed, as .close unlists it before the
 *	VMA is freed, and its file keeps the attach file
 */
struct shm_holder {
	struct rb_node node;
	struct vm_area_struct *vma;
};

/**
 * struct shm_attach - one shmat() (Linux's shm_file_data)
 * @af: what was mapped, kept by @file
 * @ns: the segment's namespace (counted: an attach outlives the syscall
 *	and its task's membership)
 * @file: the attach file mapped, counted
 * @shm_vm_ops: shmem's vm_ops, which shm_vm_ops forward to
 * @vmas: VMAs of the attach: the first from ->mmap, then one more for
 *	each fork copy, split and mremap, one less for each close
 * @serial: tells attaches apart for shmdt(), as Linux compares the
 *	per-attach files; never reused
 */
struct shm_attach {
	struct shm_attach_file *af;
	struct sipc_ns *ns;
	struct file *file;
	const struct vm_operations_struct *shm_vm_ops;
	refcount_t vmas;
	u64 serial;
};

static atomic64_t shm_attach_serial = ATOMIC64_INIT(0);

static const struct vm_operations_struct shm_vm_ops;

static struct shm_attach *vma_attach(struct vm_area_struct *vma)
{
	return vma->vm_private_data;
}

static struct shm_holder *node_holder(const struct rb_node *node)
{
	return rb_entry(node, struct shm_holder, node);
}

static bool shm_holder_less(struct rb_node *a, const struct rb_node *b)
{
	return (unsigned long)node_holder(a)->vma <
	       (unsigned long)node_holder(b)->vma;
}

static int shm_holder_cmp(const void *vma, const struct rb_node *node)
{
	unsigned long a = (unsigned long)vma;
	unsigned long b = (unsigned long)node_holder(node)->vma;

	return a < b ? -1 : a > b;
}

/* List @vma, with @h, among the holders of @af. Context: takes @af->lock. */
static void shm_holder_add(struct shm_attach_file *af, struct shm_holder *h,
			   struct vm_area_struct *vma)
{
	h->vma = vma;
	spin_lock(&af->lock);
	rb_add(&h->node, &af->holders, shm_holder_less);
	spin_unlock(&af->lock);
}

/* Unlist @vma, which is being closed. Context: takes @af->lock. */
static void shm_holder_del(struct shm_attach_file *af,
			   struct vm_area_struct *vma)
{
	struct rb_node *node;

	spin_lock(&af->lock);
	node = rb_find(vma, &af->holders, shm_holder_cmp);
	if (node)
		rb_erase(node, &af->holders);
	spin_unlock(&af->lock);
	if (!WARN_ON_ONCE(!node))
		kfree(node_holder(node));
}

static void shm_vma_open(struct vm_area_struct *vma)
{
	struct shm_attach *at = vma_attach(vma);

	if (at->shm_vm_ops->open)
		at->shm_vm_ops->open(vma);
	refcount_inc(&at->vmas);
	/*
	 * .open cannot fail, and the VMA it is called for exists already
	 * (fork, split, mremap allocated it): so does its small entry.
	 */
	shm_holder_add(at->af, kmalloc(sizeof(struct shm_holder),
				       GFP_KERNEL_ACCOUNT | __GFP_NOFAIL), vma);
	/* The VMA copied or split from pins the segment: it is there. */
	WARN_ON_ONCE(sipc_shm_vma_open(at->ns, at->af->id, at->af->shm_file));
}

/*
 * The last VMA of @at is gone. fput() comes last: it may drop the last
 * reference to the attach file, whose fops pin the module.
 */
static void shm_attach_free(struct shm_attach *at)
{
	struct file *file = at->file;

	sipc_ns_put(at->ns);
	kfree(at);
	fput(file);
}

static void shm_vma_close(struct vm_area_struct *vma)
{
	struct shm_attach *at = vma_attach(vma);

	if (at->shm_vm_ops->close)
		at->shm_vm_ops->close(vma);
	shm_holder_del(at->af, vma);
	sipc_shm_vma_close(at->ns, at->af->id);
	if (refcount_dec_and_test(&at->vmas))
		shm_attach_free(at);
}

static vm_fault_t shm_vma_fault(struct vm_fault *vmf)
{
	return vma_attach(vmf->vma)->shm_vm_ops->fault(vmf);
}

/*
 * Fault-around: Linux's shm_vm_ops have no .map_pages, so every page of
 * an attach faults on its own; shmem's maps the neighbours in one go.
 */
static vm_fault_t shm_vma_map_pages(struct vm_fault *vmf, pgoff_t start_pgoff,
				    pgoff_t end_pgoff)
{
	return vma_attach(vmf->vma)->shm_vm_ops->map_pages(vmf, start_pgoff,
							   end_pgoff);
}

static int shm_vma_may_split(struct vm_area_struct *vma, unsigned long addr)
{
	const struct vm_operations_struct *ops = vma_attach(vma)->shm_vm_ops;

	return ops->may_split ? ops->may_split(vma, addr) : 0;
}

static unsigned long shm_vma_pagesize(struct vm_area_struct *vma)
{
	const struct vm_operations_struct *ops = vma_attach(vma)->shm_vm_ops;

	return ops->pagesize ? ops->pagesize(vma) : PAGE_SIZE;
}

#ifdef CONFIG_NUMA
static int shm_vma_set_policy(struct vm_area_struct *vma,
			      struct mempolicy *new)
{
	const struct vm_operations_struct *ops = vma_attach(vma)->shm_vm_ops;

	return ops->set_policy ? ops->set_policy(vma, new) : 0;
}

static SIPC_VM_GET_POLICY(shm_vma_get_policy)
{
	const struct vm_operations_struct *ops = vma_attach(vma)->shm_vm_ops;

	if (ops->get_policy)
		return sipc_vm_get_policy(ops, vma, addr, ilx);
	return vma->vm_policy;
}
#endif /* CONFIG_NUMA */

static const struct vm_operations_struct shm_vm_ops = {
	.open = shm_vma_open,	/* fork, split, mremap: one more VMA */
	.close = shm_vma_close,	/* one VMA less */
	.fault = shm_vma_fault,
	.map_pages = shm_vma_map_pages,
	.may_split = shm_vma_may_split,
	.pagesize = shm_vma_pagesize,
#ifdef CONFIG_NUMA
	.set_policy = shm_vma_set_policy,
	.get_policy = shm_vma_get_policy,
#endif
};

/*
 * Can shm_vm_ops stand in for the backing file's vm_ops? They forward
 * what shmem implements; ops whose mere presence changes how the core
 * treats a VMA (write notification, huge PMD faults) cannot be forwarded
 * "if present" from one static table, and shmem has none of them.
 */
static bool shm_vm_ops_can_wrap(const struct vm_operations_struct *ops)
{
	return ops->fault && ops->map_pages && !ops->page_mkwrite &&
	       !ops->pfn_mkwrite && !ops->huge_fault;
}

/*
 * The namespace of @af's segment, counted, or NULL once the segment is
 * destroyed or its namespace dying. Context: takes @af->lock.
 */
static struct sipc_ns *shm_attach_file_ns(struct shm_attach_file *af)
{
	struct sipc_ns *ns;

	spin_lock(&af->lock);
	ns = af->ns;
	if (ns && !sipc_ns_tryget(ns))
		ns = NULL;
	spin_unlock(&af->lock);
	return ns;
}

/*
 * The attach file's ->mmap: Linux's shm_mmap(), with a new attach for
 * the new VMA. The vm_mmap() of sipc_shm_map() calls it, and so does
 * remap_file_pages() of an attach VMA (the file is in no fd table, and
 * /proc/PID/map_files opens the shmem inode's own fops), after it has
 * unmapped the VMA it replaces, which may have destroyed the segment.
 */
static int shm_attach_mmap(struct file *file, struct vm_area_struct *vma)
{
	struct shm_attach_file *af = file->private_data;
	struct shm_holder *h;
	struct shm_attach *at;
	struct sipc_ns *ns;
	int err = -ENOMEM;

	at = kmalloc(sizeof(*at), GFP_KERNEL_ACCOUNT);
	h = kmalloc(sizeof(*h), GFP_KERNEL_ACCOUNT);
	if (!at || !h)
		goto err_free;
	err = -EINVAL;
	ns = shm_attach_file_ns(af);
	if (!ns)
		goto err_free;
	/* The segment may be gone, or its id reused, since shmat() pinned it. */
	err = sipc_shm_vma_open(ns, af->id, af->shm_file);
	if (err)
		goto err_ns_put;
	err = sipc_vfs_mmap(af->shm_file, vma);
	if (err)
		goto err_vma_close;
	err = -EINVAL;
	if (WARN_ON_ONCE(!shm_vm_ops_can_wrap(vma->vm_ops)))
		goto err_vma_close;

	at->af = af;
	at->ns = ns;
	at->file = get_file(file);
	at->shm_vm_ops = vma->vm_ops;
	refcount_set(&at->vmas, 1);
	at->serial = atomic64_inc_return(&shm_attach_serial);
	vma->vm_private_data = at;
	vma->vm_ops = &shm_vm_ops;
	shm_holder_add(af, h, vma);
	return 0;

err_vma_close:
	sipc_shm_vma_close(ns, af->id);
err_ns_put:
	sipc_ns_put(ns);
err_free:
	kfree(h);
	kfree(at);
	return err;
}

/* Place attaches where shmem would place the segment's file. */
static unsigned long shm_attach_get_unmapped_area(struct file *file,
						  unsigned long addr,
						  unsigned long len,
						  unsigned long pgoff,
						  unsigned long flags)
{
	struct file *shm_file = ((struct shm_attach_file *)file->private_data)->shm_file;

	return shm_file->f_op->get_unmapped_area(shm_file, addr, len, pgoff,
						 flags);
}

static int shm_attach_release(struct inode *inode, struct file *file)
{
	struct shm_attach_file *af = file->private_data;

	fput(af->shm_file);
	kfree(af);
	return 0;
}

/* msync(MS_SYNC) of an attach: Linux's shm_fsync(). */
static int shm_attach_fsync(struct file *file, loff_t start, loff_t end,
			    int datasync)
{
	struct file *shm_file = ((struct shm_attach_file *)file->private_data)->shm_file;

	if (!shm_file->f_op->fsync)
		return -EINVAL;
	return shm_file->f_op->fsync(shm_file, start, end, datasync);
}

/* madvise(MADV_REMOVE) of an attach: Linux's shm_fallocate(). */
static long shm_attach_fallocate(struct file *file, int mode, loff_t offset,
				 loff_t len)
{
	struct file *shm_file = ((struct shm_attach_file *)file->private_data)->shm_file;

	if (!shm_file->f_op->fallocate)
		return -EOPNOTSUPP;
	return shm_file->f_op->fallocate(shm_file, mode, offset, len);
}

static const struct file_operations shm_attach_fops = {
	.owner = THIS_MODULE,
	.mmap = shm_attach_mmap,
	.fsync = shm_attach_fsync,
	.fallocate = shm_attach_fallocate,
	.get_unmapped_area = shm_attach_get_unmapped_area,
	.release = shm_attach_release,
	.llseek = noop_llseek,
};

/**
 * sipc_shm_attach_file() - a file that shmat() maps to attach a segment
 * @ns: the segment's namespace
 * @id: the segment's id
 * @shm_file: the segment's shmem file
 * @f_flags: O_RDWR, or O_RDONLY for read-only attaches
 *
 * Linux clones the segment's file for every shmat(); modules cannot
 * clone files, and a file on the shmem inode per shmat() costs a dentry
 * and a file each time, so the segment keeps one per access mode, on the
 * shmem inode and mount as a clone is (an anonymous inode's would be
 * noexec where pseudo filesystems are, 7.x, and SHM_EXEC fail with
 * EPERM). Each mapping of it gets an attach of its own.
 *
 * Context: process context, may sleep. The caller keeps the segment
 * from being destroyed (an attach count) and, once it stores the file
 * in the segment, must drop it before its namespace can go.
 * Return: the file with one reference, or ERR_PTR(-ENOMEM) or
 * alloc_file_pseudo()'s errors.
 */
struct file *sipc_shm_attach_file(struct sipc_ns *ns, int id,
				  struct file *shm_file, int f_flags)
{
	struct inode *inode = file_inode(shm_file);
	struct shm_attach_file *af;
	struct file *file;

	af = kmalloc(sizeof(*af), GFP_KERNEL_ACCOUNT);
	if (!af)
		return ERR_PTR(-ENOMEM);
	spin_lock_init(&af->lock);
	af->holders = RB_ROOT;
	af->ns = ns;
	af->id = id;
	af->shm_file = get_file(shm_file);
	/*
	 * The references alloc_file_pseudo() takes over: the inode's, as
	 * shmem's files do, and the module's, which __fput() drops with
	 * the fops (the caller's device file keeps the module meanwhile).
	 */
	ihold(inode);
	__module_get(THIS_MODULE);
	file = alloc_file_pseudo(inode, shm_file->f_path.mnt,
				 shm_file->f_path.dentry->d_name.name, f_flags,
				 &shm_attach_fops);
	if (IS_ERR(file)) {
		module_put(THIS_MODULE);
		iput(inode);
		fput(shm_file);
		kfree(af);
		return file;
	}
	file->private_data = af;
	return file;
}

/**
 * sipc_shm_attach_file_orphan() - the segment of an attach file is gone
 * @file: an attach file from sipc_shm_attach_file()
 *
 * New mappings of @file fail with EINVAL from now on, without looking at
 * a namespace that @file may outlive.
 *
 * Context: process context; the segment is destroyed (its id free).
 */
void sipc_shm_attach_file_orphan(struct file *file)
{
	struct shm_attach_file *af = file->private_data;

	spin_lock(&af->lock);
	af->ns = NULL;
	spin_unlock(&af->lock);
}

/*
 * The rest of a holders line for @vma: the process whose mm it is (its
 * owner, the task the mm was made for or, once that exited, another
 * user of it), and where and how it is mapped. Where is shown as
 * /proc/PID/maps would show it: only to a reader that may read that
 * process's maps (@may_see_maps: the reader is the opener, whose
 * credentials Linux checks), else "-". Context: rcu_read_lock().
 */
static void shm_holder_show(struct seq_file *m, struct vm_area_struct *vma,
			    struct pid_namespace *pid_ns, bool may_see_maps)
{
	struct task_struct *task = sipc_mm_owner(vma->vm_mm);
	vm_flags_t flags = READ_ONCE(vma->vm_flags);

	sipc_seq_holder_task(m, task, pid_ns);
	if (may_see_maps && task && sipc_may_read_task(task))
		seq_printf(m, " %lx-%lx", vma->vm_start, vma->vm_end);
	else
		seq_puts(m, " -");
	seq_printf(m, " %c%c%c\n", flags & VM_READ ? 'r' : '-',
		   flags & VM_WRITE ? 'w' : '-', flags & VM_EXEC ? 'x' : '-');
}

/**
 * sipc_shm_holders_show() - list the VMAs mapping an attach file
 * @m: the holders file
 * @attach_file: an attach file from sipc_shm_attach_file(), referenced
 * @prefix: what each line starts with (kind, namespace, segment)
 * @pid_ns: the pid namespace the pids are shown in
 *
 * One line per VMA, in no particular order: @prefix, then "pid comm
 * start-end mode" (the command escaped as in /proc/mounts; "-" for the
 * range where shm_holder_show() withholds it). The ranges are
 * consistent: every change of an attach VMA's range holds the mapping's
 * i_mmap_rwsem.
 *
 * Context: process context, may sleep; takes the shmem mapping's
 * i_mmap_rwsem (read), then the attach file's lock, then each holder's
 * task_lock() (sipc_may_read_task()).
 */
void sipc_shm_holders_show(struct seq_file *m, struct file *attach_file,
			   const char *prefix, struct pid_namespace *pid_ns)
{
	struct shm_attach_file *af = attach_file->private_data;
	struct address_space *mapping = attach_file->f_mapping;
	bool may_see_maps = m->file->f_cred == current_cred();
	struct rb_node *node;

	i_mmap_lock_read(mapping);
	spin_lock(&af->lock);
	rcu_read_lock();
	for (node = rb_first(&af->holders); node; node = rb_next(node)) {
		seq_puts(m, prefix);
		shm_holder_show(m, node_holder(node)->vma, pid_ns,
				may_see_maps);
	}
	rcu_read_unlock();
	spin_unlock(&af->lock);
	i_mmap_unlock_read(mapping);
}

/**
 * sipc_shm_map() - map a segment for shmat()
 * @attach_file: the segment's attach file for the access mode asked for
 * @map: what to map, and where it went
 *
 * Context: process context, may sleep; no locks held (mmap_lock is taken
 * by vm_mmap(), and under it the segment's lock and the shm rwsem). The
 * caller pinned the segment with an attach count.
 * Return: 0, or -ENOMEM, -EINVAL (the range wraps, or is not free where
 * do_shmat() wants it free), or vm_mmap()'s errors.
 */
long sipc_shm_map(struct file *attach_file, struct sipc_shm_mapping *map)
{
	unsigned long addr;

	if ((map->flags & MAP_FIXED_NOREPLACE) &&
	    map->addr + map->size < map->addr)
		return -EINVAL;
	/*
	 * MAP_FIXED_NOREPLACE makes do_shmat()'s "nothing mapped there"
	 * check and the mapping one step under mmap_lock; it fails with
	 * EEXIST where do_shmat() fails with EINVAL.
	 */
	addr = vm_mmap(attach_file, map->addr, map->size, map->prot,
		       map->flags, 0);
	if (IS_ERR_VALUE(addr))
		return addr == -EEXIST ? -EINVAL : (long)addr;
	map->addr = addr;
	return 0;
}

static bool vma_is_shm(struct vm_area_struct *vma)
{
	return vma->vm_ops == &shm_vm_ops;
}

/*
 * A piece of an attach that started at @addr: its page offset is its
 * distance from @addr (unsigned: pieces below @addr never match).
 */
static bool vma_is_shm_from(struct vm_area_struct *vma, unsigned long addr)
{
	return vma_is_shm(vma) &&
	       (vma->vm_start - addr) / PAGE_SIZE == vma->vm_pgoff;
}

/*
 * shm_dt_next() - the next VMA shmdt(@addr) unmaps, at or above @from
 * @serial: 0 in the first pass, which takes the first piece of any
 *	attach; then that attach's, whose other pieces must end within
 *	@size of @addr
 *
 * Context: mmap_lock held.
 */
static struct vm_area_struct *shm_dt_next(struct mm_struct *mm,
					  unsigned long addr,
					  unsigned long from, u64 serial,
					  loff_t size)
{
	struct vm_area_struct *vma;

	/* not mmap_assert_locked(): it needs dump_mm(), not exported */
	lockdep_assert_held(&mm->mmap_lock);

	for (vma = find_vma(mm, from); vma; vma = find_vma(mm, vma->vm_end)) {
		if (serial && (loff_t)(vma->vm_end - addr) > size)
			return NULL;
		if (vma_is_shm_from(vma, addr) &&
		    (!serial || vma_attach(vma)->serial == serial))
			return vma;
	}
	return NULL;
}

/**
 * sipc_shm_dt() - shmdt(2)
 * @uaddr: shmaddr
 *
 * Linux's two passes: unmap the first attach piece at or above @uaddr
 * that started at @uaddr (pieces are left by munmap() and mprotect() of
 * parts of an attach), then every other piece of that same attach that
 * started at @uaddr and lies within the segment's size of it.
 *
 * Linux unmaps while holding mmap_lock for write; modules can only
 * unmap with vm_munmap(), which takes mmap_lock itself. So each piece is
 * found under mmap_lock (read) and unmapped after dropping it: another
 * thread of the process changing the same range between the two steps
 * can have a mapping it just put there unmapped, where Linux would have
 * ordered the two calls. Only a process racing with itself on its own
 * address space can see this.
 *
 * Context: process context, may sleep, no locks held.
 * Return: 0, -EINVAL (@uaddr not page aligned, or no attach there), or
 * -EINTR.
 */
long sipc_shm_dt(u64 uaddr)
{
	struct mm_struct *mm = current->mm;
	unsigned long addr = uaddr, from = addr, start, end;
	struct vm_area_struct *vma;
	u64 serial = 0, ns_id = 0;
	loff_t size = 0;
	int id = -1;

	if (addr & ~PAGE_MASK)
		return -EINVAL;

	for (;;) {
		if (mmap_read_lock_killable(mm)) {
			if (!serial)
				return -EINTR;
			break;
		}
		vma = shm_dt_next(mm, addr, from, serial, size);
		if (vma) {
			start = vma->vm_start;
			end = vma->vm_end;
			if (!serial) {
				struct shm_attach *at = vma_attach(vma);

				serial = at->serial;
				size = PAGE_ALIGN(i_size_read(file_inode(vma->vm_file)));
				ns_id = at->ns->id;
				id = at->af->id;
			}
		}
		mmap_read_unlock(mm);
		if (!vma)
			break;
		/* Errors ignored, as Linux's: the range was a whole VMA. */
		vm_munmap(start, end - start);
		/* A piece reaching @size past @addr was the last there is. */
		if ((loff_t)(end - addr) >= size)
			break;
		from = end;
	}
	if (!serial)
		return -EINVAL;
	trace_shadowipc_shm_detach(ns_id, id, addr, size);
	return 0;
}
