// SPDX-License-Identifier: GPL-2.0
/*
 * shadowipc module entry: init/exit, the /dev/shadowipc misc device and
 * its ioctl dispatch. Each handler copies its argument in, checks flags
 * and padding, calls a typed core function and copies the result out;
 * the semantics live in ns.c, handle.c and shm.c.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/file.h>
#include <linux/fs.h>
#include <linux/miscdevice.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/mqueue.h>
#include <linux/sem.h>
#include <linux/signal.h>
#include <linux/time64.h>
#include <linux/uaccess.h>

#include "compat.h"
#include "internal.h"

static unsigned short mode = 0666;
module_param(mode, ushort, 0444);
MODULE_PARM_DESC(mode, "Permission bits of /dev/shadowipc (default 0666)");

struct workqueue_struct *sipc_wq;

static long sipc_ioctl_version(void __user *uarg)
{
	struct shadowipc_version v;

	if (copy_from_user(&v, uarg, sizeof(v)))
		return -EFAULT;
	if (v.flags)
		return -EINVAL;
	v.abi_version = SHADOWIPC_ABI_VERSION;
	return copy_to_user(uarg, &v, sizeof(v)) ? -EFAULT : 0;
}

static long sipc_ioctl_status(void __user *uarg)
{
	struct shadowipc_status st;

	if (copy_from_user(&st, uarg, sizeof(st)))
		return -EFAULT;
	if (st.flags & ~SHADOWIPC_STATUS_VALID_FLAGS || st.pad)
		return -EINVAL;
	sipc_fill_status(&st);
	return copy_to_user(uarg, &st, sizeof(st)) ? -EFAULT : 0;
}

static long sipc_ioctl_unshare(void __user *uarg)
{
	struct shadowipc_unshare u;
	struct sipc_ns *ns;
	int err;

	if (copy_from_user(&u, uarg, sizeof(u)))
		return -EFAULT;
	if (u.flags || u.pad)
		return -EINVAL;
	ns = sipc_current_ns();
	if (IS_ERR(ns))
		return PTR_ERR(ns);
	ns = sipc_ns_create(ns->root);
	if (IS_ERR(ns))
		return PTR_ERR(ns);
	u.ns_id = ns->id;
	err = sipc_task_switch_ns(ns, true);
	sipc_ns_put(ns);
	if (err)
		return err;
	return copy_to_user(uarg, &u, sizeof(u)) ? -EFAULT : 0;
}

static long sipc_ioctl_ns_fd(void __user *uarg)
{
	struct shadowipc_ns_fd a;
	struct file *file;
	int fd, err;

	if (copy_from_user(&a, uarg, sizeof(a)))
		return -EFAULT;
	if (a.flags & ~SHADOWIPC_NS_FD_VALID_FLAGS)
		return -EINVAL;
	fd = get_unused_fd_flags(O_CLOEXEC);
	if (fd < 0)
		return fd;
	file = sipc_handle_create(a.pid, a.flags & SHADOWIPC_NS_FD_WATCH,
				  &a.ns_id);
	if (IS_ERR(file)) {
		err = PTR_ERR(file);
		goto err_put_fd;
	}
	err = -EFAULT;
	if (copy_to_user(uarg, &a, sizeof(a)))
		goto err_fput;
	fd_install(fd, file);
	return fd;

err_fput:
	fput(file);
err_put_fd:
	put_unused_fd(fd);
	return err;
}

static long sipc_ioctl_setns(void __user *uarg)
{
	struct shadowipc_setns a;
	struct sipc_ns *ns;
	int err;

	if (copy_from_user(&a, uarg, sizeof(a)))
		return -EFAULT;
	if (a.flags)
		return -EINVAL;
	ns = sipc_handle_ns_get(a.fd);
	if (IS_ERR(ns))
		return PTR_ERR(ns);
	err = sipc_ns_may_join(ns) ? sipc_task_switch_ns(ns, false) : -EPERM;
	sipc_ns_put(ns);
	return err;
}

/*
 * NS_INFO on the device takes @fd (-1: the caller's namespace); on a
 * handle file (@handle_ns set) it describes that handle's namespace.
 */
long sipc_ioctl_ns_info(void __user *uarg, struct sipc_ns *handle_ns)
{
	struct shadowipc_ns_info info;
	struct sipc_ns *ns;
	int fd;

	if (copy_from_user(&info, uarg, sizeof(info)))
		return -EFAULT;
	if (info.flags || info.pad)
		return -EINVAL;
	fd = info.fd;
	if (handle_ns) {
		ns = handle_ns;
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
	sipc_ns_fill_info(ns, &info);
	info.fd = fd;
	sipc_ns_put(ns);
	return copy_to_user(uarg, &info, sizeof(info)) ? -EFAULT : 0;
}

static long sipc_ioctl_shmget(void __user *uarg)
{
	struct sipc_ns *ns;
	struct shadowipc_shmget a;

	if (copy_from_user(&a, uarg, sizeof(a)))
		return -EFAULT;
	if (a.flags || a.pad)
		return -EINVAL;
	ns = sipc_current_ns();
	if (IS_ERR(ns))
		return PTR_ERR(ns);
	return sipc_shm_get(ns, a.key, a.size, a.shmflg);
}

static long sipc_ioctl_shmat(void __user *uarg)
{
	struct sipc_ns *ns;
	struct shadowipc_shmat a;
	long err;

	if (copy_from_user(&a, uarg, sizeof(a)))
		return -EFAULT;
	if (a.flags || a.pad)
		return -EINVAL;
	ns = sipc_current_ns();
	if (IS_ERR(ns))
		return PTR_ERR(ns);
	err = sipc_shm_at(ns, a.shmid, &a.addr, a.shmflg);
	if (err)
		return err;
	/* Like shmat(2) after do_shmat(): the mapping stays if this faults. */
	return put_user(a.addr, (u64 __user *)uarg) ? -EFAULT : 0;
}

static long sipc_ioctl_shmdt(void __user *uarg)
{
	struct shadowipc_shmdt a;

	if (copy_from_user(&a, uarg, sizeof(a)))
		return -EFAULT;
	if (a.flags || a.pad)
		return -EINVAL;
	return sipc_shm_dt(a.addr);
}

static long sipc_ioctl_shmctl(void __user *uarg)
{
	struct sipc_ns *ns;
	struct shadowipc_shmctl a;

	if (copy_from_user(&a, uarg, sizeof(a)))
		return -EFAULT;
	if (a.flags || a.pad)
		return -EINVAL;
	ns = sipc_current_ns();
	if (IS_ERR(ns))
		return PTR_ERR(ns);
	return sipc_shm_ctl(ns, a.shmid, a.cmd,
			    u64_to_user_ptr(a.buf));
}

static long sipc_ioctl_msgget(void __user *uarg)
{
	struct sipc_ns *ns;
	struct shadowipc_msgget a;

	if (copy_from_user(&a, uarg, sizeof(a)))
		return -EFAULT;
	if (a.flags || a.pad)
		return -EINVAL;
	ns = sipc_current_ns();
	if (IS_ERR(ns))
		return PTR_ERR(ns);
	return sipc_msg_get(ns, a.key, a.msgflg);
}

static long sipc_ioctl_msgsnd(void __user *uarg)
{
	struct sipc_ns *ns;
	struct shadowipc_msgsnd a;
	long __user *msgp;
	long mtype;

	if (copy_from_user(&a, uarg, sizeof(a)))
		return -EFAULT;
	if (a.flags || a.pad)
		return -EINVAL;
	/* As msgsnd(2): the mtype is read before anything is checked. */
	msgp = u64_to_user_ptr(a.msgp);
	if (get_user(mtype, msgp))
		return -EFAULT;
	ns = sipc_current_ns();
	if (IS_ERR(ns))
		return PTR_ERR(ns);
	return sipc_msg_snd(ns, a.msqid, mtype, msgp + 1,
			    a.msgsz, a.msgflg);
}

static long sipc_ioctl_msgrcv(void __user *uarg)
{
	struct sipc_ns *ns;
	struct shadowipc_msgrcv a;

	if (copy_from_user(&a, uarg, sizeof(a)))
		return -EFAULT;
	if (a.flags || a.pad)
		return -EINVAL;
	ns = sipc_current_ns();
	if (IS_ERR(ns))
		return PTR_ERR(ns);
	return sipc_msg_rcv(ns, a.msqid, u64_to_user_ptr(a.msgp),
			    a.msgsz, a.msgtyp, a.msgflg);
}

static long sipc_ioctl_msgctl(void __user *uarg)
{
	struct sipc_ns *ns;
	struct shadowipc_msgctl a;

	if (copy_from_user(&a, uarg, sizeof(a)))
		return -EFAULT;
	if (a.flags || a.pad)
		return -EINVAL;
	ns = sipc_current_ns();
	if (IS_ERR(ns))
		return PTR_ERR(ns);
	return sipc_msg_ctl(ns, a.msqid, a.cmd,
			    u64_to_user_ptr(a.buf));
}

static long sipc_ioctl_semget(void __user *uarg)
{
	struct sipc_ns *ns;
	struct shadowipc_semget a;

	if (copy_from_user(&a, uarg, sizeof(a)))
		return -EFAULT;
	if (a.flags)
		return -EINVAL;
	ns = sipc_current_ns();
	if (IS_ERR(ns))
		return PTR_ERR(ns);
	return sipc_sem_get(ns, a.key, a.nsems, a.semflg);
}

static long sipc_ioctl_semop(void __user *uarg)
{
	struct sipc_ns *ns;
	struct shadowipc_semop a;
	struct timespec64 ts;

	if (copy_from_user(&a, uarg, sizeof(a)))
		return -EFAULT;
	if (a.flags || a.pad)
		return -EINVAL;
	/* As semtimedop(2): the timeout is read first. */
	if (a.timeout && get_timespec64(&ts, u64_to_user_ptr(a.timeout)))
		return -EFAULT;
	ns = sipc_current_ns();
	if (IS_ERR(ns))
		return PTR_ERR(ns);
	return sipc_sem_op(ns, a.semid, u64_to_user_ptr(a.sops), a.nsops,
			   a.timeout ? &ts : NULL);
}

static long sipc_ioctl_semctl(void __user *uarg)
{
	struct sipc_ns *ns;
	struct shadowipc_semctl a;

	if (copy_from_user(&a, uarg, sizeof(a)))
		return -EFAULT;
	if (a.flags)
		return -EINVAL;
	ns = sipc_current_ns();
	if (IS_ERR(ns))
		return PTR_ERR(ns);
	return sipc_sem_ctl(ns, a.semid, a.semnum, a.cmd,
			    a.arg);
}

static long sipc_ioctl_mq_open(void __user *uarg)
{
	struct sipc_ns *ns;
	struct shadowipc_mq_open a;
	struct mq_attr attr;

	if (copy_from_user(&a, uarg, sizeof(a)))
		return -EFAULT;
	if (a.flags || a.pad)
		return -EINVAL;
	/* As mq_open(2): the attributes are read first, O_CREAT or not. */
	if (a.attr && copy_from_user(&attr, u64_to_user_ptr(a.attr),
				     sizeof(attr)))
		return -EFAULT;
	ns = sipc_current_ns();
	if (IS_ERR(ns))
		return PTR_ERR(ns);
	return sipc_mq_open(ns, u64_to_user_ptr(a.name),
			    a.oflag, (umode_t)a.mode, a.attr ? &attr : NULL);
}

static long sipc_ioctl_mq_unlink(void __user *uarg)
{
	struct sipc_ns *ns;
	struct shadowipc_mq_unlink a;

	if (copy_from_user(&a, uarg, sizeof(a)))
		return -EFAULT;
	if (a.flags || a.pad)
		return -EINVAL;
	ns = sipc_current_ns();
	if (IS_ERR(ns))
		return PTR_ERR(ns);
	return sipc_mq_unlink(ns, u64_to_user_ptr(a.name));
}

/* As mq_timedsend(2)'s prepare_timeout(): EFAULT, then EINVAL. */
static int sipc_mq_get_timeout(u64 uts, struct timespec64 *ts)
{
	if (get_timespec64(ts, u64_to_user_ptr(uts)))
		return -EFAULT;
	return timespec64_valid(ts) ? 0 : -EINVAL;
}

static long sipc_ioctl_mq_timedsend(void __user *uarg)
{
	struct shadowipc_mq_timedsend a;
	struct timespec64 ts;
	int err;

	if (copy_from_user(&a, uarg, sizeof(a)))
		return -EFAULT;
	if (a.flags || a.pad)
		return -EINVAL;
	if (a.timeout) {
		err = sipc_mq_get_timeout(a.timeout, &ts);
		if (err)
			return err;
	}
	return sipc_mq_timedsend(a.fd, u64_to_user_ptr(a.msg), a.len, a.prio,
				 a.timeout ? &ts : NULL);
}

static long sipc_ioctl_mq_timedreceive(void __user *uarg)
{
	struct shadowipc_mq_timedreceive a;
	struct timespec64 ts;
	int err;

	if (copy_from_user(&a, uarg, sizeof(a)))
		return -EFAULT;
	if (a.flags)
		return -EINVAL;
	if (a.timeout) {
		err = sipc_mq_get_timeout(a.timeout, &ts);
		if (err)
			return err;
	}
	return sipc_mq_timedreceive(a.fd, u64_to_user_ptr(a.msg), a.len,
				    u64_to_user_ptr(a.prio),
				    a.timeout ? &ts : NULL);
}

static long sipc_ioctl_mq_notify(void __user *uarg)
{
	struct shadowipc_mq_notify a;
	struct sigevent sev;

	if (copy_from_user(&a, uarg, sizeof(a)))
		return -EFAULT;
	if (a.flags)
		return -EINVAL;
	if (a.sevp && copy_from_user(&sev, u64_to_user_ptr(a.sevp),
				     sizeof(sev)))
		return -EFAULT;
	return sipc_mq_notify(a.fd, a.sevp ? &sev : NULL);
}

static long sipc_ioctl_mq_getsetattr(void __user *uarg)
{
	struct shadowipc_mq_getsetattr a;
	struct mq_attr new, old;
	long err;

	if (copy_from_user(&a, uarg, sizeof(a)))
		return -EFAULT;
	if (a.flags)
		return -EINVAL;
	if (a.newattr && copy_from_user(&new, u64_to_user_ptr(a.newattr),
					sizeof(new)))
		return -EFAULT;
	memset(&old, 0, sizeof(old));
	err = sipc_mq_getsetattr(a.fd, a.newattr ? &new : NULL,
				 a.oldattr ? &old : NULL);
	if (err)
		return err;
	if (a.oldattr && copy_to_user(u64_to_user_ptr(a.oldattr), &old,
				      sizeof(old)))
		return -EFAULT;
	return 0;
}

static long sipc_dev_ioctl(struct file *file, unsigned int cmd,
			   unsigned long arg)
{
	void __user *uarg = (void __user *)arg;

	switch (cmd) {
	case SHADOWIPC_IOC_VERSION:
		return sipc_ioctl_version(uarg);
	case SHADOWIPC_IOC_STATUS:
		return sipc_ioctl_status(uarg);
	case SHADOWIPC_IOC_UNSHARE:
		return sipc_ioctl_unshare(uarg);
	case SHADOWIPC_IOC_NS_FD:
		return sipc_ioctl_ns_fd(uarg);
	case SHADOWIPC_IOC_SETNS:
		return sipc_ioctl_setns(uarg);
	case SHADOWIPC_IOC_NS_INFO:
		return sipc_ioctl_ns_info(uarg, NULL);
	case SHADOWIPC_IOC_SHMGET:
		return sipc_ioctl_shmget(uarg);
	case SHADOWIPC_IOC_SHMAT:
		return sipc_ioctl_shmat(uarg);
	case SHADOWIPC_IOC_SHMDT:
		return sipc_ioctl_shmdt(uarg);
	case SHADOWIPC_IOC_SHMCTL:
		return sipc_ioctl_shmctl(uarg);
	case SHADOWIPC_IOC_MSGGET:
		return sipc_ioctl_msgget(uarg);
	case SHADOWIPC_IOC_MSGSND:
		return sipc_ioctl_msgsnd(uarg);
	case SHADOWIPC_IOC_MSGRCV:
		return sipc_ioctl_msgrcv(uarg);
	case SHADOWIPC_IOC_MSGCTL:
		return sipc_ioctl_msgctl(uarg);
	case SHADOWIPC_IOC_SEMGET:
		return sipc_ioctl_semget(uarg);
	case SHADOWIPC_IOC_SEMOP:
		return sipc_ioctl_semop(uarg);
	case SHADOWIPC_IOC_SEMCTL:
		return sipc_ioctl_semctl(uarg);
	case SHADOWIPC_IOC_MQ_OPEN:
		return sipc_ioctl_mq_open(uarg);
	case SHADOWIPC_IOC_MQ_UNLINK:
		return sipc_ioctl_mq_unlink(uarg);
	case SHADOWIPC_IOC_MQ_TIMEDSEND:
		return sipc_ioctl_mq_timedsend(uarg);
	case SHADOWIPC_IOC_MQ_TIMEDRECEIVE:
		return sipc_ioctl_mq_timedreceive(uarg);
	case SHADOWIPC_IOC_MQ_NOTIFY:
		return sipc_ioctl_mq_notify(uarg);
	case SHADOWIPC_IOC_MQ_GETSETATTR:
		return sipc_ioctl_mq_getsetattr(uarg);
	default:
		return -ENOTTY;
	}
}

/**
 * sipc_vma_read_only() - check and seal a read-only mapping of the device
 * @vma: the mapping
 * @size: the only length it may have
 *
 * Context: mmap_lock held for write (as ->mmap).
 * Return: 0, -EINVAL (length) or -EACCES (PROT_WRITE).
 */
int sipc_vma_read_only(struct vm_area_struct *vma, unsigned long size)
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

	if (off == SHADOWIPC_MMAP_VIEW)
		return sipc_view_mmap(vma);
	for (kind = SIPC_SHM; kind < SIPC_NR_IDS; kind++)
		if (off == SHADOWIPC_MMAP_KEYS(kind))
			return sipc_keys_mmap(vma, kind);
	return -EINVAL;
}

static const struct file_operations sipc_dev_fops = {
	.owner = THIS_MODULE,
	.mmap = sipc_dev_mmap,
	.unlocked_ioctl = sipc_dev_ioctl,
	.compat_ioctl = compat_ptr_ioctl,
	.llseek = noop_llseek,
};

static struct miscdevice sipc_misc = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = "shadowipc",
	.fops = &sipc_dev_fops,
};

static void sipc_check_abi(void)
{
	BUILD_BUG_ON(sizeof(struct shadowipc_version) != 8);
	BUILD_BUG_ON(sizeof(struct shadowipc_status) != 48);
	BUILD_BUG_ON(sizeof(struct shadowipc_unshare) != 16);
	BUILD_BUG_ON(sizeof(struct shadowipc_ns_fd) != 16);
	BUILD_BUG_ON(sizeof(struct shadowipc_setns) != 8);
	BUILD_BUG_ON(sizeof(struct shadowipc_limits) != 72);
	BUILD_BUG_ON(sizeof(struct shadowipc_ns_info) != 176);
	BUILD_BUG_ON(sizeof(struct shadowipc_ns_drain) != 72);
	BUILD_BUG_ON(sizeof(struct shadowipc_shmget) != 24);
	BUILD_BUG_ON(sizeof(struct shadowipc_shmat) != 24);
	BUILD_BUG_ON(sizeof(struct shadowipc_shmdt) != 16);
	BUILD_BUG_ON(sizeof(struct shadowipc_shmctl) != 24);
	BUILD_BUG_ON(sizeof(struct shadowipc_msgget) != 16);
	BUILD_BUG_ON(sizeof(struct shadowipc_msgsnd) != 32);
	BUILD_BUG_ON(sizeof(struct shadowipc_msgrcv) != 40);
	BUILD_BUG_ON(sizeof(struct shadowipc_msgctl) != 24);
	BUILD_BUG_ON(sizeof(struct shadowipc_semget) != 16);
	BUILD_BUG_ON(sizeof(struct shadowipc_semop) != 32);
	BUILD_BUG_ON(sizeof(struct shadowipc_semctl) != 24);
	BUILD_BUG_ON(sizeof(struct shadowipc_mq_open) != 32);
	BUILD_BUG_ON(sizeof(struct shadowipc_mq_unlink) != 16);
	BUILD_BUG_ON(sizeof(struct shadowipc_mq_timedsend) != 40);
	BUILD_BUG_ON(sizeof(struct shadowipc_mq_timedreceive) != 40);
	BUILD_BUG_ON(sizeof(struct shadowipc_mq_notify) != 16);
	BUILD_BUG_ON(sizeof(struct shadowipc_mq_getsetattr) != 24);
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
