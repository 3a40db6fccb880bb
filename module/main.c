// SPDX-License-Identifier: GPL-2.0
/*
 * shadowipc module entry: init/exit, the /dev/shadowipc misc device and
 * the ioctl dispatch of the device and of handle files. Each handler
 * copies its argument in (copy_struct_from_user(), at the caller's size),
 * checks flags and padding, calls a typed core function and copies the
 * result out; the semantics live in the cores: ns.c and handle.c
 * (namespaces), shm.c, msg.c, sem.c and mqueue.c.
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

#include "compat.h"
#include "internal.h"

static unsigned short mode = 0666;
module_param(mode, ushort, 0444);
MODULE_PARM_DESC(mode, "Permission bits of /dev/shadowipc (default 0666)");

struct workqueue_struct *sipc_wq;

/*
 * Copy a handler's output back: as much of @karg as the caller's struct
 * of @usize bytes holds. Bytes past @ksize are the caller's, untouched.
 */
static int sipc_copy_out(void __user *uarg, unsigned int usize,
			 const void *karg, size_t ksize)
{
	return copy_to_user(uarg, karg, min_t(size_t, usize, ksize)) ?
	       -EFAULT : 0;
}

static long sipc_ioctl_version(struct file *file, void __user *uarg,
			       unsigned int usize)
{
	struct shadowipc_version v;
	int err;

	err = copy_struct_from_user(&v, sizeof(v), uarg, usize);
	if (err)
		return err;
	if (v.flags)
		return -EINVAL;
	v.abi_version = SHADOWIPC_ABI_VERSION;
	return sipc_copy_out(uarg, usize, &v, sizeof(v));
}

static long sipc_ioctl_status(struct file *file, void __user *uarg,
			      unsigned int usize)
{
	struct shadowipc_status st;
	int err;

	err = copy_struct_from_user(&st, sizeof(st), uarg, usize);
	if (err)
		return err;
	if (st.flags & ~SHADOWIPC_STATUS_VALID_FLAGS || st.pad)
		return -EINVAL;
	sipc_fill_status(&st);
	return sipc_copy_out(uarg, usize, &st, sizeof(st));
}

static long sipc_ioctl_last_refusal(struct file *file, void __user *uarg,
				    unsigned int usize)
{
	struct shadowipc_last_refusal r;
	int err;

	err = copy_struct_from_user(&r, sizeof(r), uarg, usize);
	if (err)
		return err;
	if (r.flags || r.pad)
		return -EINVAL;
	err = sipc_last_refusal(&r) ?: sipc_copy_out(uarg, usize, &r, sizeof(r));
	if (!err)
		sipc_last_refusal_clear();
	return err;
}

static long sipc_ioctl_unshare(struct file *file, void __user *uarg,
			       unsigned int usize)
{
	struct shadowipc_unshare u;
	struct sipc_ns *ns;
	int err;

	err = copy_struct_from_user(&u, sizeof(u), uarg, usize);
	if (err)
		return err;
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
	return sipc_copy_out(uarg, usize, &u, sizeof(u));
}

static long sipc_ioctl_ns_fd(struct file *file, void __user *uarg,
			     unsigned int usize)
{
	struct shadowipc_ns_fd a;
	struct file *handle;
	int fd, err;

	err = copy_struct_from_user(&a, sizeof(a), uarg, usize);
	if (err)
		return err;
	if (a.flags & ~SHADOWIPC_NS_FD_VALID_FLAGS)
		return -EINVAL;
	fd = get_unused_fd_flags(O_CLOEXEC);
	if (fd < 0)
		return fd;
	handle = sipc_handle_create(a.pid, a.flags & SHADOWIPC_NS_FD_WATCH,
				    &a.ns_id);
	if (IS_ERR(handle)) {
		err = PTR_ERR(handle);
		goto err_put_fd;
	}
	err = sipc_copy_out(uarg, usize, &a, sizeof(a));
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

static long sipc_ioctl_setns(struct file *file, void __user *uarg,
			     unsigned int usize)
{
	struct shadowipc_setns a;
	struct sipc_ns *ns;
	int err;

	err = copy_struct_from_user(&a, sizeof(a), uarg, usize);
	if (err)
		return err;
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
static long sipc_ns_info(void __user *uarg, unsigned int usize,
			 struct sipc_ns *handle_ns)
{
	struct shadowipc_ns_info info;
	struct sipc_ns *ns;
	int fd, err;

	err = copy_struct_from_user(&info, sizeof(info), uarg, usize);
	if (err)
		return err;
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
	return sipc_copy_out(uarg, usize, &info, sizeof(info));
}

static long sipc_ioctl_ns_info(struct file *file, void __user *uarg,
			       unsigned int usize)
{
	return sipc_ns_info(uarg, usize, NULL);
}

static long sipc_handle_ioctl_ns_info(struct file *file, void __user *uarg,
				      unsigned int usize)
{
	return sipc_ns_info(uarg, usize, file->private_data);
}

static long sipc_handle_ioctl_ns_drain(struct file *file, void __user *uarg,
				       unsigned int usize)
{
	struct shadowipc_ns_drain d;
	int err;

	err = copy_struct_from_user(&d, sizeof(d), uarg, usize);
	if (err)
		return err;
	if (d.flags || d.pad)
		return -EINVAL;
	err = sipc_ns_drain(file->private_data, &d);
	if (err)
		return err;
	return sipc_copy_out(uarg, usize, &d, sizeof(d));
}

static long sipc_ioctl_shmget(struct file *file, void __user *uarg,
			      unsigned int usize)
{
	struct sipc_ns *ns;
	struct shadowipc_shmget a;
	int err;

	err = copy_struct_from_user(&a, sizeof(a), uarg, usize);
	if (err)
		return err;
	if (a.flags || a.pad)
		return -EINVAL;
	ns = sipc_current_ns();
	if (IS_ERR(ns))
		return PTR_ERR(ns);
	return sipc_shm_get(ns, a.key, a.size, a.shmflg);
}

static long sipc_ioctl_shmat(struct file *file, void __user *uarg,
			     unsigned int usize)
{
	struct sipc_ns *ns;
	struct shadowipc_shmat a;
	long err;

	err = copy_struct_from_user(&a, sizeof(a), uarg, usize);
	if (err)
		return err;
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

static long sipc_ioctl_shmdt(struct file *file, void __user *uarg,
			     unsigned int usize)
{
	struct shadowipc_shmdt a;
	int err;

	err = copy_struct_from_user(&a, sizeof(a), uarg, usize);
	if (err)
		return err;
	if (a.flags || a.pad)
		return -EINVAL;
	return sipc_shm_dt(a.addr);
}

static long sipc_ioctl_shmctl(struct file *file, void __user *uarg,
			      unsigned int usize)
{
	struct sipc_ns *ns;
	struct shadowipc_shmctl a;
	int err;

	err = copy_struct_from_user(&a, sizeof(a), uarg, usize);
	if (err)
		return err;
	if (a.flags || a.pad)
		return -EINVAL;
	ns = sipc_current_ns();
	if (IS_ERR(ns))
		return PTR_ERR(ns);
	return sipc_shm_ctl(ns, a.shmid, a.cmd,
			    u64_to_user_ptr(a.buf));
}

static long sipc_ioctl_msgget(struct file *file, void __user *uarg,
			      unsigned int usize)
{
	struct sipc_ns *ns;
	struct shadowipc_msgget a;
	int err;

	err = copy_struct_from_user(&a, sizeof(a), uarg, usize);
	if (err)
		return err;
	if (a.flags || a.pad)
		return -EINVAL;
	ns = sipc_current_ns();
	if (IS_ERR(ns))
		return PTR_ERR(ns);
	return sipc_msg_get(ns, a.key, a.msgflg);
}

static long sipc_ioctl_msgsnd(struct file *file, void __user *uarg,
			      unsigned int usize)
{
	struct sipc_ns *ns;
	struct shadowipc_msgsnd a;
	long __user *msgp;
	long mtype;
	int err;

	err = copy_struct_from_user(&a, sizeof(a), uarg, usize);
	if (err)
		return err;
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

static long sipc_ioctl_msgrcv(struct file *file, void __user *uarg,
			      unsigned int usize)
{
	struct sipc_ns *ns;
	struct shadowipc_msgrcv a;
	int err;

	err = copy_struct_from_user(&a, sizeof(a), uarg, usize);
	if (err)
		return err;
	if (a.flags || a.pad)
		return -EINVAL;
	ns = sipc_current_ns();
	if (IS_ERR(ns))
		return PTR_ERR(ns);
	return sipc_msg_rcv(ns, a.msqid, u64_to_user_ptr(a.msgp),
			    a.msgsz, a.msgtyp, a.msgflg);
}

static long sipc_ioctl_msgctl(struct file *file, void __user *uarg,
			      unsigned int usize)
{
	struct sipc_ns *ns;
	struct shadowipc_msgctl a;
	int err;

	err = copy_struct_from_user(&a, sizeof(a), uarg, usize);
	if (err)
		return err;
	if (a.flags || a.pad)
		return -EINVAL;
	ns = sipc_current_ns();
	if (IS_ERR(ns))
		return PTR_ERR(ns);
	return sipc_msg_ctl(ns, a.msqid, a.cmd,
			    u64_to_user_ptr(a.buf));
}

static long sipc_ioctl_semget(struct file *file, void __user *uarg,
			      unsigned int usize)
{
	struct sipc_ns *ns;
	struct shadowipc_semget a;
	int err;

	err = copy_struct_from_user(&a, sizeof(a), uarg, usize);
	if (err)
		return err;
	if (a.flags)
		return -EINVAL;
	ns = sipc_current_ns();
	if (IS_ERR(ns))
		return PTR_ERR(ns);
	return sipc_sem_get(ns, a.key, a.nsems, a.semflg);
}

static long sipc_ioctl_semop(struct file *file, void __user *uarg,
			     unsigned int usize)
{
	struct sipc_ns *ns;
	struct shadowipc_semop a;
	struct timespec64 ts;
	int err;

	err = copy_struct_from_user(&a, sizeof(a), uarg, usize);
	if (err)
		return err;
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

static long sipc_ioctl_semctl(struct file *file, void __user *uarg,
			      unsigned int usize)
{
	struct sipc_ns *ns;
	struct shadowipc_semctl a;
	int err;

	err = copy_struct_from_user(&a, sizeof(a), uarg, usize);
	if (err)
		return err;
	if (a.flags)
		return -EINVAL;
	ns = sipc_current_ns();
	if (IS_ERR(ns))
		return PTR_ERR(ns);
	return sipc_sem_ctl(ns, a.semid, a.semnum, a.cmd,
			    a.arg);
}

static long sipc_ioctl_mq_open(struct file *file, void __user *uarg,
			       unsigned int usize)
{
	struct sipc_ns *ns;
	struct shadowipc_mq_open a;
	struct mq_attr attr;
	int err;

	err = copy_struct_from_user(&a, sizeof(a), uarg, usize);
	if (err)
		return err;
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

static long sipc_ioctl_mq_unlink(struct file *file, void __user *uarg,
				 unsigned int usize)
{
	struct sipc_ns *ns;
	struct shadowipc_mq_unlink a;
	int err;

	err = copy_struct_from_user(&a, sizeof(a), uarg, usize);
	if (err)
		return err;
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

static long sipc_ioctl_mq_timedsend(struct file *file, void __user *uarg,
				    unsigned int usize)
{
	struct shadowipc_mq_timedsend a;
	struct timespec64 ts;
	int err;

	err = copy_struct_from_user(&a, sizeof(a), uarg, usize);
	if (err)
		return err;
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

static long sipc_ioctl_mq_timedreceive(struct file *file, void __user *uarg,
				       unsigned int usize)
{
	struct shadowipc_mq_timedreceive a;
	struct timespec64 ts;
	int err;

	err = copy_struct_from_user(&a, sizeof(a), uarg, usize);
	if (err)
		return err;
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

static long sipc_ioctl_mq_notify(struct file *file, void __user *uarg,
				 unsigned int usize)
{
	struct shadowipc_mq_notify a;
	struct sigevent sev;
	int err;

	err = copy_struct_from_user(&a, sizeof(a), uarg, usize);
	if (err)
		return err;
	if (a.flags)
		return -EINVAL;
	if (a.sevp && copy_from_user(&sev, u64_to_user_ptr(a.sevp),
				     sizeof(sev)))
		return -EFAULT;
	return sipc_mq_notify(a.fd, a.sevp ? &sev : NULL);
}

static long sipc_ioctl_mq_getsetattr(struct file *file, void __user *uarg,
				     unsigned int usize)
{
	struct shadowipc_mq_getsetattr a;
	struct mq_attr new, old;
	long err;

	err = copy_struct_from_user(&a, sizeof(a), uarg, usize);
	if (err)
		return err;
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

/**
 * struct sipc_ioc - how one ioctl number is dispatched
 * @fn: its handler, given the argument and _IOC_SIZE() of the command
 * @ver0: the size of its struct's first published version, the smallest
 *	a program can have been built with
 * @dirs: the _IOC_DIR()s it is issued with, as BIT(dir); none for a number
 *	that is not a command
 */
struct sipc_ioc {
	long (*fn)(struct file *file, void __user *uarg, unsigned int usize);
	u16 ver0;
	u8 dirs;
};

/*
 * The entry of SHADOWIPC_IOC_<name>, whose struct is shadowipc_<sfx>, of
 * @size0 bytes when first published. (@name is pasted at once: linux/ipc.h
 * defines SEMCTL, SHMAT and others.)
 */
#define SIPC_IOC_DIRS(cmd, handler, sfx, size0, dirs_mask)		\
	[_IOC_NR(cmd)] = {						\
		.fn = (handler),					\
		.ver0 = (size0) + BUILD_BUG_ON_ZERO(			\
			sizeof(struct shadowipc_##sfx) < (size0)),	\
		.dirs = (dirs_mask),					\
	}
#define SIPC_IOC(name, handler, sfx, size0)				\
	SIPC_IOC_DIRS(SHADOWIPC_IOC_##name, handler, sfx, size0,	\
		      BIT(_IOC_DIR(SHADOWIPC_IOC_##name)))
/* ABI 1 numbered VERSION and STATUS _IOR: those numbers still work. */
#define SIPC_IOC_WAS_IOR(name, handler, sfx, size0)			\
	SIPC_IOC_DIRS(SHADOWIPC_IOC_##name, handler, sfx, size0,	\
		      BIT(_IOC_DIR(SHADOWIPC_IOC_##name)) | BIT(_IOC_READ))

static const struct sipc_ioc sipc_dev_iocs[] = {
	SIPC_IOC_WAS_IOR(VERSION, sipc_ioctl_version, version, 8),
	SIPC_IOC_WAS_IOR(STATUS, sipc_ioctl_status, status, 48),
	SIPC_IOC(LAST_REFUSAL, sipc_ioctl_last_refusal, last_refusal, 48),
	SIPC_IOC(UNSHARE, sipc_ioctl_unshare, unshare, 16),
	SIPC_IOC(NS_FD, sipc_ioctl_ns_fd, ns_fd, 16),
	SIPC_IOC(SETNS, sipc_ioctl_setns, setns, 8),
	SIPC_IOC(NS_INFO, sipc_ioctl_ns_info, ns_info, 176),
	SIPC_IOC(SHMGET, sipc_ioctl_shmget, shmget, 24),
	SIPC_IOC(SHMAT, sipc_ioctl_shmat, shmat, 24),
	SIPC_IOC(SHMDT, sipc_ioctl_shmdt, shmdt, 16),
	SIPC_IOC(SHMCTL, sipc_ioctl_shmctl, shmctl, 24),
	SIPC_IOC(MSGGET, sipc_ioctl_msgget, msgget, 16),
	SIPC_IOC(MSGSND, sipc_ioctl_msgsnd, msgsnd, 32),
	SIPC_IOC(MSGRCV, sipc_ioctl_msgrcv, msgrcv, 40),
	SIPC_IOC(MSGCTL, sipc_ioctl_msgctl, msgctl, 24),
	SIPC_IOC(SEMGET, sipc_ioctl_semget, semget, 16),
	SIPC_IOC(SEMOP, sipc_ioctl_semop, semop, 32),
	SIPC_IOC(SEMCTL, sipc_ioctl_semctl, semctl, 24),
	SIPC_IOC(MQ_OPEN, sipc_ioctl_mq_open, mq_open, 32),
	SIPC_IOC(MQ_UNLINK, sipc_ioctl_mq_unlink, mq_unlink, 16),
	SIPC_IOC(MQ_TIMEDSEND, sipc_ioctl_mq_timedsend, mq_timedsend, 40),
	SIPC_IOC(MQ_TIMEDRECEIVE, sipc_ioctl_mq_timedreceive, mq_timedreceive, 40),
	SIPC_IOC(MQ_NOTIFY, sipc_ioctl_mq_notify, mq_notify, 16),
	SIPC_IOC(MQ_GETSETATTR, sipc_ioctl_mq_getsetattr, mq_getsetattr, 24),
};

/* A handle file takes NS_INFO and NS_DRAIN, on its namespace. */
static const struct sipc_ioc sipc_handle_iocs[] = {
	SIPC_IOC(NS_INFO, sipc_handle_ioctl_ns_info, ns_info, 176),
	SIPC_IOC(NS_DRAIN, sipc_handle_ioctl_ns_drain, ns_drain, 72),
};

/*
 * The rules of the uapi header's "Extending this ABI": a command is its
 * magic, number and direction; its size is the caller's struct's, which
 * the handler copies with copy_struct_from_user() and sipc_copy_out().
 */
static __always_inline long sipc_ioctl(const struct sipc_ioc *iocs,
				       unsigned int nr_iocs, struct file *file,
				       unsigned int cmd, unsigned long arg)
{
	const struct sipc_ioc *ioc;
	unsigned int nr = _IOC_NR(cmd);

	if (_IOC_TYPE(cmd) != SHADOWIPC_IOC_MAGIC || nr >= nr_iocs)
		return -ENOTTY;
	ioc = &iocs[array_index_nospec(nr, nr_iocs)];
	if (!(ioc->dirs & BIT(_IOC_DIR(cmd))))
		return -ENOTTY;
	if (_IOC_SIZE(cmd) < ioc->ver0)
		return -EINVAL;
	return ioc->fn(file, (void __user *)arg, _IOC_SIZE(cmd));
}

static long sipc_dev_ioctl(struct file *file, unsigned int cmd,
			   unsigned long arg)
{
	return sipc_ioctl(sipc_dev_iocs, ARRAY_SIZE(sipc_dev_iocs), file, cmd,
			  arg);
}

/**
 * sipc_handle_ioctl() - a handle file's unlocked_ioctl
 * @file: the handle
 * @cmd: the command
 * @arg: its argument
 *
 * Return: as the command documents in the uapi header.
 */
long sipc_handle_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	return sipc_ioctl(sipc_handle_iocs, ARRAY_SIZE(sipc_handle_iocs), file,
			  cmd, arg);
}

/**
 * sipc_compat_ioctl() - refuse 32-bit callers
 * @file: the device or a handle
 * @cmd: the command
 * @arg: its argument
 *
 * The structs behind the ioctls' pointers are x86_64's (struct shmid_ds,
 * mq_attr, sigevent, timespecs), which a 32-bit caller does not have.
 *
 * Return: -EOPNOTSUPP.
 */
long sipc_compat_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	return -EOPNOTSUPP;
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
