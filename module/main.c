// SPDX-License-Identifier: GPL-2.0
/*
 * shadowipc module entry: init/exit, the /dev/shadowipc misc device and
 * the ioctl dispatch of the device and of handle files, whose list is
 * include/shadowipc_ioctls.h. sipc_ioctl() copies an argument in
 * (copy_struct_from_user(), at the caller's size) and checks its flags
 * and padding; each handler calls a typed core function and copies the
 * result out. main.c calls the cores, never the reverse; the semantics
 * live there: ns.c, realns.c, task.c, handle.c and nswatch.c
 * (namespaces, their members and handles), refuse.c (refusals), ids.c,
 * keys.c and view.c (id and key tables, the shared views), shm.c,
 * shm_file.c and vm.c (shared memory), msg.c, sem.c and mqueue.c.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bits.h>
#include <linux/file.h>
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/mqueue.h>
#include <linux/nospec.h>
#include <linux/sem.h>
#include <linux/signal.h>
#include <linux/time64.h>
#include <linux/uaccess.h>

#include <shadowipc_ioctls.h>

#include "compat.h"
#include "internal.h"

static unsigned short mode = 0666;
module_param(mode, ushort, 0444);
MODULE_PARM_DESC(mode, "Permission bits of /dev/shadowipc (default 0666)");

struct workqueue_struct *sipc_wq;

static const struct file_operations sipc_handle_fops;

/* The largest ioctl struct sipc_ioctl() copies in (the build checks). */
#define SIPC_IOC_ARG_MAX	256

/**
 * struct sipc_ioc_call - one ioctl call, for its handler
 * @file: the device or a handle
 * @uarg: the caller's struct
 * @usize: its size, from the command
 * @arg: its copy, checked for flags and padding: the command's struct
 */
struct sipc_ioc_call {
	struct file *file;
	void __user *uarg;
	unsigned int usize;
	void *arg;
};

/*
 * Copy a handler's output back: as much of @karg as the caller's struct
 * of @c->usize bytes holds. Bytes past @ksize are the caller's, untouched.
 */
static int sipc_copy_out(const struct sipc_ioc_call *c, const void *karg,
			 size_t ksize)
{
	return copy_to_user(c->uarg, karg, min_t(size_t, c->usize, ksize)) ?
	       -EFAULT : 0;
}

static long sipc_ioctl_version(struct sipc_ioc_call *c)
{
	struct shadowipc_version *v = c->arg;

	v->abi_version = SHADOWIPC_ABI_VERSION;
	return sipc_copy_out(c, v, sizeof(*v));
}

static long sipc_ioctl_status(struct sipc_ioc_call *c)
{
	struct shadowipc_status *st = c->arg;

	sipc_fill_status(st);
	return sipc_copy_out(c, st, sizeof(*st));
}

static long sipc_ioctl_last_refusal(struct sipc_ioc_call *c)
{
	struct shadowipc_last_refusal *r = c->arg;
	int err;

	err = sipc_last_refusal(r) ?: sipc_copy_out(c, r, sizeof(*r));
	if (!err)
		sipc_last_refusal_clear();
	return err;
}

static long sipc_ioctl_unshare(struct sipc_ioc_call *c)
{
	struct shadowipc_unshare *u = c->arg;
	struct sipc_ns *ns;
	int err;

	ns = sipc_current_ns();
	if (IS_ERR(ns))
		return PTR_ERR(ns);
	ns = sipc_ns_create(ns->root);
	if (IS_ERR(ns))
		return PTR_ERR(ns);
	u->ns_id = ns->id;
	err = sipc_task_switch_ns(ns, true);
	sipc_ns_put(ns);
	if (err)
		return err;
	return sipc_copy_out(c, u, sizeof(*u));
}

static long sipc_ioctl_ns_fd(struct sipc_ioc_call *c)
{
	struct shadowipc_ns_fd *a = c->arg;
	struct file *handle;
	int fd, err;

	fd = get_unused_fd_flags(O_CLOEXEC);
	if (fd < 0)
		return fd;
	handle = sipc_handle_create(a->pid, a->flags & SHADOWIPC_NS_FD_WATCH,
				    &sipc_handle_fops, &a->ns_id);
	if (IS_ERR(handle)) {
		err = PTR_ERR(handle);
		goto err_put_fd;
	}
	err = sipc_copy_out(c, a, sizeof(*a));
	if (err)
		goto err_fput;
	fd_install(fd, handle);
	return fd;

err_fput:
	fput(handle);
err_put_fd:
	put_unused_fd(fd);
	return err;
}

/*
 * The namespace behind handle fd @fd, referenced: ERR_PTR(-EBADF) for a
 * closed fd, ERR_PTR(-EINVAL) for one that is not a handle.
 */
static struct sipc_ns *sipc_handle_ns_get(int fd)
{
	struct file *file = fget(fd);
	struct sipc_ns *ns;

	if (!file)
		return ERR_PTR(-EBADF);
	if (file->f_op == &sipc_handle_fops) {
		ns = file->private_data;
		sipc_ns_get(ns);
	} else {
		ns = ERR_PTR(-EINVAL);
	}
	fput(file);
	return ns;
}

static long sipc_ioctl_setns(struct sipc_ioc_call *c)
{
	struct shadowipc_setns *a = c->arg;
	struct sipc_ns *ns;
	int err;

	ns = sipc_handle_ns_get(a->fd);
	if (IS_ERR(ns))
		return PTR_ERR(ns);
	err = sipc_ns_may_join(ns) ? sipc_task_switch_ns(ns, false) : -EPERM;
	sipc_ns_put(ns);
	return err;
}

/*
 * NS_INFO on the device takes @fd (-1: the caller's namespace); on a
 * handle file it describes that handle's namespace.
 */
static long sipc_ioctl_ns_info(struct sipc_ioc_call *c)
{
	struct shadowipc_ns_info *info = c->arg;
	int fd = info->fd;
	struct sipc_ns *ns;

	if (c->file->f_op == &sipc_handle_fops) {
		ns = c->file->private_data;
		sipc_ns_get(ns);
	} else if (fd == -1) {
		ns = sipc_current_ns();
		if (IS_ERR(ns))
			return PTR_ERR(ns);
		sipc_ns_get(ns);
	} else {
		ns = sipc_handle_ns_get(fd);
		if (IS_ERR(ns))
			return PTR_ERR(ns);
	}
	sipc_ns_fill_info(ns, info);
	info->fd = fd;
	sipc_ns_put(ns);
	return sipc_copy_out(c, info, sizeof(*info));
}

static long sipc_ioctl_ns_drain(struct sipc_ioc_call *c)
{
	struct shadowipc_ns_drain *d = c->arg;
	int err;

	err = sipc_ns_drain(c->file->private_data, d);
	if (err)
		return err;
	return sipc_copy_out(c, d, sizeof(*d));
}

static long sipc_ioctl_shmget(struct sipc_ioc_call *c)
{
	struct shadowipc_shmget *a = c->arg;
	struct sipc_ns *ns = sipc_current_ns();

	if (IS_ERR(ns))
		return PTR_ERR(ns);
	return sipc_shm_get(ns, a->key, a->size, a->shmflg);
}

static long sipc_ioctl_shmat(struct sipc_ioc_call *c)
{
	struct shadowipc_shmat *a = c->arg;
	struct sipc_ns *ns = sipc_current_ns();
	long err;

	if (IS_ERR(ns))
		return PTR_ERR(ns);
	err = sipc_shm_at(ns, a->shmid, &a->addr, a->shmflg);
	if (err)
		return err;
	/* Like shmat(2) after do_shmat(): the mapping stays if this faults. */
	return put_user(a->addr, (u64 __user *)c->uarg) ? -EFAULT : 0;
}

static long sipc_ioctl_shmdt(struct sipc_ioc_call *c)
{
	struct shadowipc_shmdt *a = c->arg;

	return sipc_shm_dt(a->addr);
}

static long sipc_ioctl_shmctl(struct sipc_ioc_call *c)
{
	struct shadowipc_shmctl *a = c->arg;
	struct sipc_ns *ns = sipc_current_ns();

	if (IS_ERR(ns))
		return PTR_ERR(ns);
	return sipc_shm_ctl(ns, a->shmid, a->cmd, u64_to_user_ptr(a->buf));
}

static long sipc_ioctl_msgget(struct sipc_ioc_call *c)
{
	struct shadowipc_msgget *a = c->arg;
	struct sipc_ns *ns = sipc_current_ns();

	if (IS_ERR(ns))
		return PTR_ERR(ns);
	return sipc_msg_get(ns, a->key, a->msgflg);
}

static long sipc_ioctl_msgsnd(struct sipc_ioc_call *c)
{
	struct shadowipc_msgsnd *a = c->arg;
	long __user *msgp = u64_to_user_ptr(a->msgp);
	struct sipc_ns *ns;
	long mtype;

	/* As msgsnd(2): the mtype is read before anything is checked. */
	if (get_user(mtype, msgp))
		return -EFAULT;
	ns = sipc_current_ns();
	if (IS_ERR(ns))
		return PTR_ERR(ns);
	return sipc_msg_snd(ns, a->msqid, mtype, msgp + 1, a->msgsz,
			    a->msgflg);
}

static long sipc_ioctl_msgrcv(struct sipc_ioc_call *c)
{
	struct shadowipc_msgrcv *a = c->arg;
	struct sipc_ns *ns = sipc_current_ns();

	if (IS_ERR(ns))
		return PTR_ERR(ns);
	return sipc_msg_rcv(ns, a->msqid, u64_to_user_ptr(a->msgp), a->msgsz,
			    a->msgtyp, a->msgflg);
}

static long sipc_ioctl_msgctl(struct sipc_ioc_call *c)
{
	struct shadowipc_msgctl *a = c->arg;
	struct sipc_ns *ns = sipc_current_ns();

	if (IS_ERR(ns))
		return PTR_ERR(ns);
	return sipc_msg_ctl(ns, a->msqid, a->cmd, u64_to_user_ptr(a->buf));
}

static long sipc_ioctl_semget(struct sipc_ioc_call *c)
{
	struct shadowipc_semget *a = c->arg;
	struct sipc_ns *ns = sipc_current_ns();

	if (IS_ERR(ns))
		return PTR_ERR(ns);
	return sipc_sem_get(ns, a->key, a->nsems, a->semflg);
}

static long sipc_ioctl_semop(struct sipc_ioc_call *c)
{
	struct shadowipc_semop *a = c->arg;
	struct sipc_ns *ns;
	struct timespec64 ts;

	/* As semtimedop(2): the timeout is read first. */
	if (a->timeout && get_timespec64(&ts, u64_to_user_ptr(a->timeout)))
		return -EFAULT;
	ns = sipc_current_ns();
	if (IS_ERR(ns))
		return PTR_ERR(ns);
	return sipc_sem_op(ns, a->semid, u64_to_user_ptr(a->sops), a->nsops,
			   a->timeout ? &ts : NULL);
}

static long sipc_ioctl_semctl(struct sipc_ioc_call *c)
{
	struct shadowipc_semctl *a = c->arg;
	struct sipc_ns *ns = sipc_current_ns();

	if (IS_ERR(ns))
		return PTR_ERR(ns);
	return sipc_sem_ctl(ns, a->semid, a->semnum, a->cmd, a->arg);
}

static long sipc_ioctl_mq_open(struct sipc_ioc_call *c)
{
	struct shadowipc_mq_open *a = c->arg;
	struct sipc_ns *ns;
	struct mq_attr attr;

	/* As mq_open(2): the attributes are read first, O_CREAT or not. */
	if (a->attr && copy_from_user(&attr, u64_to_user_ptr(a->attr),
				      sizeof(attr)))
		return -EFAULT;
	ns = sipc_current_ns();
	if (IS_ERR(ns))
		return PTR_ERR(ns);
	return sipc_mq_open(ns, u64_to_user_ptr(a->name), a->oflag,
			    (umode_t)a->mode, a->attr ? &attr : NULL);
}

static long sipc_ioctl_mq_unlink(struct sipc_ioc_call *c)
{
	struct shadowipc_mq_unlink *a = c->arg;
	struct sipc_ns *ns = sipc_current_ns();

	if (IS_ERR(ns))
		return PTR_ERR(ns);
	return sipc_mq_unlink(ns, u64_to_user_ptr(a->name));
}

/*
 * As mq_timedsend(2)'s prepare_timeout(): EFAULT, then EINVAL; @ts is
 * NULL for none.
 */
static int sipc_mq_get_timeout(u64 uts, struct timespec64 **ts)
{
	if (!uts) {
		*ts = NULL;
		return 0;
	}
	if (get_timespec64(*ts, u64_to_user_ptr(uts)))
		return -EFAULT;
	return timespec64_valid(*ts) ? 0 : -EINVAL;
}

static long sipc_ioctl_mq_timedsend(struct sipc_ioc_call *c)
{
	struct shadowipc_mq_timedsend *a = c->arg;
	struct timespec64 buf, *ts = &buf;
	int err;

	err = sipc_mq_get_timeout(a->timeout, &ts);
	if (err)
		return err;
	return sipc_mq_timedsend(a->fd, u64_to_user_ptr(a->msg), a->len,
				 a->prio, ts);
}

static long sipc_ioctl_mq_timedreceive(struct sipc_ioc_call *c)
{
	struct shadowipc_mq_timedreceive *a = c->arg;
	struct timespec64 buf, *ts = &buf;
	int err;

	err = sipc_mq_get_timeout(a->timeout, &ts);
	if (err)
		return err;
	return sipc_mq_timedreceive(a->fd, u64_to_user_ptr(a->msg), a->len,
				    u64_to_user_ptr(a->prio), ts);
}

static long sipc_ioctl_mq_notify(struct sipc_ioc_call *c)
{
	struct shadowipc_mq_notify *a = c->arg;
	struct sigevent sev;

	if (a->sevp && copy_from_user(&sev, u64_to_user_ptr(a->sevp),
				      sizeof(sev)))
		return -EFAULT;
	return sipc_mq_notify(a->fd, a->sevp ? &sev : NULL);
}

static long sipc_ioctl_mq_getsetattr(struct sipc_ioc_call *c)
{
	struct shadowipc_mq_getsetattr *a = c->arg;
	struct mq_attr new, old;
	long err;

	if (a->newattr && copy_from_user(&new, u64_to_user_ptr(a->newattr),
					 sizeof(new)))
		return -EFAULT;
	memset(&old, 0, sizeof(old));
	err = sipc_mq_getsetattr(a->fd, a->newattr ? &new : NULL,
				 a->oldattr ? &old : NULL);
	if (err)
		return err;
	if (a->oldattr && copy_to_user(u64_to_user_ptr(a->oldattr), &old,
				       sizeof(old)))
		return -EFAULT;
	return 0;
}

/**
 * struct sipc_ioc - how one ioctl number is dispatched
 * @fn: its handler
 * @size: the size of its struct in this module
 * @ver0: the size of its struct's first published version, the smallest
 *	a program can have been built with
 * @flags_off: the offset of the struct's flags field
 * @pad_off: the offset of its pad field, 0 for none
 * @valid_flags: the bits its flags field takes
 * @dirs: the _IOC_DIR()s it is issued with, as BIT(dir); none for a number
 *	that is not a command
 * @files: SHADOWIPC_ON_DEV, SHADOWIPC_ON_HANDLE: the files that take it
 */
struct sipc_ioc {
	long (*fn)(struct sipc_ioc_call *c);
	u16 size;
	u16 ver0;
	u16 flags_off;
	u16 pad_off;
	u32 valid_flags;
	u8 dirs;
	u8 files;
};

/*
 * The entry of SHADOWIPC_IOC_<NAME>, from its line in SHADOWIPC_IOCTLS().
 * The build checks its struct against that line: no smaller than its
 * first published size nor larger than SIPC_IOC_ARG_MAX, its flags
 * field __u32.
 */
#define SIPC_IOC(NAME, sfx, size0, valid, pad, on, ior)			\
	[_IOC_NR(SHADOWIPC_IOC_##NAME)] = {				\
		.fn = sipc_ioctl_##sfx,					\
		.size = sizeof(struct shadowipc_##sfx) +		\
			BUILD_BUG_ON_ZERO(sizeof(struct shadowipc_##sfx) > \
					  SIPC_IOC_ARG_MAX),		\
		.ver0 = (size0) + BUILD_BUG_ON_ZERO(			\
			sizeof(struct shadowipc_##sfx) < (size0)),	\
		.flags_off = offsetof(struct shadowipc_##sfx, flags) +	\
			BUILD_BUG_ON_ZERO(sizeof_field(			\
				struct shadowipc_##sfx, flags) != 4),	\
		.pad_off = SHADOWIPC_IOC_PAD_OFF(sfx, pad),		\
		.valid_flags = (valid),					\
		.dirs = BIT(_IOC_DIR(SHADOWIPC_IOC_##NAME)) |		\
			((ior) ? BIT(_IOC_READ) : 0),			\
		.files = (on),						\
	},

static const struct sipc_ioc sipc_iocs[] = {
	SHADOWIPC_IOCTLS(SIPC_IOC)
};

/*
 * The rules of the uapi header's "Extending this ABI": a command is its
 * magic, number and direction, on a file that takes it; its size is the
 * caller's struct's, copied with copy_struct_from_user() here, and back
 * by the handler with sipc_copy_out(). Flags outside the command's valid
 * ones and a non-zero pad are -EINVAL before the handler runs.
 */
static long sipc_ioctl(struct file *file, unsigned int on, unsigned int cmd,
		       unsigned long arg)
{
	const struct sipc_ioc *ioc;
	unsigned int nr = _IOC_NR(cmd);
	u64 karg[SIPC_IOC_ARG_MAX / sizeof(u64)];
	struct sipc_ioc_call c;
	u32 flags, pad = 0;
	int err;

	if (_IOC_TYPE(cmd) != SHADOWIPC_IOC_MAGIC || nr >= ARRAY_SIZE(sipc_iocs))
		return -ENOTTY;
	ioc = &sipc_iocs[array_index_nospec(nr, ARRAY_SIZE(sipc_iocs))];
	if (!(ioc->files & on) || !(ioc->dirs & BIT(_IOC_DIR(cmd))))
		return -ENOTTY;
	c.file = file;
	c.uarg = (void __user *)arg;
	c.usize = _IOC_SIZE(cmd);
	c.arg = karg;
	if (c.usize < ioc->ver0)
		return -EINVAL;
	err = copy_struct_from_user(karg, ioc->size, c.uarg, c.usize);
	if (err)
		return err;
	memcpy(&flags, (u8 *)karg + ioc->flags_off, sizeof(flags));
	if (ioc->pad_off)
		memcpy(&pad, (u8 *)karg + ioc->pad_off, sizeof(pad));
	if (flags & ~ioc->valid_flags || pad)
		return -EINVAL;
	return ioc->fn(&c);
}

static long sipc_dev_ioctl(struct file *file, unsigned int cmd,
			   unsigned long arg)
{
	return sipc_ioctl(file, SHADOWIPC_ON_DEV, cmd, arg);
}

static long sipc_handle_ioctl(struct file *file, unsigned int cmd,
			      unsigned long arg)
{
	return sipc_ioctl(file, SHADOWIPC_ON_HANDLE, cmd, arg);
}

/*
 * 32-bit callers are refused, on the device and on handles: the structs
 * behind the ioctls' pointers are x86_64's (struct shmid_ds, mq_attr,
 * sigevent, timespecs), which a 32-bit caller does not have.
 */
static long sipc_compat_ioctl(struct file *file, unsigned int cmd,
			      unsigned long arg)
{
	return -EOPNOTSUPP;
}

/* A namespace handle (handle.c): NS_INFO and NS_DRAIN on its namespace. */
static const struct file_operations sipc_handle_fops = {
	.owner = THIS_MODULE,
	.release = sipc_handle_release,
	.unlocked_ioctl = sipc_handle_ioctl,
	.compat_ioctl = sipc_compat_ioctl,
	.poll = sipc_handle_poll,
	.llseek = noop_llseek,
};

/* A read-only mapping of @size bytes of the device, sealed so. */
static int sipc_vma_read_only(struct vm_area_struct *vma, unsigned long size)
{
	if (vma->vm_end - vma->vm_start != size)
		return -EINVAL;
	if (vma->vm_flags & VM_WRITE)
		return -EACCES;
	sipc_vm_flags_mod(vma, VM_DONTEXPAND | VM_DONTDUMP, VM_MAYWRITE);
	return 0;
}

/* The shared key tables and the view: see the uapi header. */
static int sipc_dev_mmap(struct file *file, struct vm_area_struct *vma)
{
	u64 off = (u64)vma->vm_pgoff << PAGE_SHIFT;
	enum sipc_kind kind;

	int err;

	if (off == SHADOWIPC_MMAP_VIEW)
		return sipc_vma_read_only(vma, PAGE_SIZE) ?: sipc_view_mmap(vma);
	for (kind = SIPC_SHM; kind < SIPC_NR_IDS; kind++) {
		if (off != SHADOWIPC_MMAP_KEYS(kind))
			continue;
		err = sipc_vma_read_only(vma, SHADOWIPC_KEYS_SIZE);
		return err ?: sipc_keys_mmap(vma, kind);
	}
	return -EINVAL;
}

static const struct file_operations sipc_dev_fops = {
	.owner = THIS_MODULE,
	.mmap = sipc_dev_mmap,
	.unlocked_ioctl = sipc_dev_ioctl,
	.compat_ioctl = sipc_compat_ioctl,
	.llseek = noop_llseek,
};

static struct miscdevice sipc_misc = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = "shadowipc",
	.fops = &sipc_dev_fops,
};

/*
 * The ioctl structs' sizes are checked against their first published
 * ones in the dispatch tables; these are the layouts shared otherwise.
 */
static void sipc_check_abi(void)
{
	BUILD_BUG_ON(sizeof(struct shadowipc_limits) != 72);
	/* SHADOWIPC_KEYS_SIZE: a head page, then 32-byte slots, whole pages */
	BUILD_BUG_ON(sizeof(struct shadowipc_key_slot) != 32);
	BUILD_BUG_ON(SHADOWIPC_KEYS_HEAD_SIZE != PAGE_SIZE);
	BUILD_BUG_ON(sizeof(struct shadowipc_keys_head) >
		     SHADOWIPC_KEYS_HEAD_SIZE);
	BUILD_BUG_ON(PAGE_SIZE % sizeof(struct shadowipc_key_slot));
	BUILD_BUG_ON(!PAGE_ALIGNED(SHADOWIPC_KEYS_SIZE));
	BUILD_BUG_ON(sizeof(struct shadowipc_view) > PAGE_SIZE);
}

static int __init sipc_init(void)
{
	int err;

	sipc_check_abi();
	sipc_misc.mode = mode;

	sipc_wq = alloc_workqueue("shadowipc", WQ_UNBOUND, 0);
	if (!sipc_wq)
		return -ENOMEM;
	err = sipc_ids_module_init();
	if (err)
		goto err_destroy_wq;
	err = sipc_ns_module_init();
	if (err)
		goto err_ids_exit;
	err = sipc_task_module_init();
	if (err)
		goto err_ns_exit;
	err = sipc_proc_module_init();
	if (err)
		goto err_task_exit;
	err = misc_register(&sipc_misc);
	if (err)
		goto err_proc_exit;
	pr_info("ABI %d, /dev/%s mode %04o\n", SHADOWIPC_ABI_VERSION,
		sipc_misc.name, mode);
	return 0;

err_proc_exit:
	sipc_proc_module_exit();
err_task_exit:
	sipc_task_module_exit();
err_ns_exit:
	sipc_ns_module_exit();
err_ids_exit:
	sipc_ids_module_exit();
err_destroy_wq:
	destroy_workqueue(sipc_wq);
	return err;
}

static void __exit sipc_exit(void)
{
	misc_deregister(&sipc_misc);
	sipc_proc_module_exit();
	sipc_task_module_exit();
	sipc_ns_module_exit();
	sipc_shm_file_module_exit();
	sipc_ids_module_exit();
	destroy_workqueue(sipc_wq);
}

module_init(sipc_init);
module_exit(sipc_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("The shadowipc developers");
MODULE_DESCRIPTION("Shadow System V IPC namespaces through /dev/shadowipc");
MODULE_VERSION("0.1");
