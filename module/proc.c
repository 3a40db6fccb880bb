// SPDX-License-Identifier: GPL-2.0
/*
 * /proc/shadowipc: per-namespace views, shaped like Linux's own.
 *
 *   sysvipc/{shm,msg,sem}   the objects of the opener's namespace, as
 *                           Linux's /proc/sysvipc files show them
 *   sys/kernel/NAME         the opener's namespace's IPC sysctls, parsed
 *                           and range-checked as Linux's proc_dointvec*
 *   sys/fs/mqueue/NAME      its fs.mqueue sysctls, the same way
 *   mqueue                  its POSIX message queues, one line per name
 *   namespaces              one line per namespace the reader may see
 *   holders                 one line per process holding an object of
 *                           a namespace the reader may see
 *
 * As in Linux, a file shows the namespace its opener was in at open time
 * (the open pins it), not the reader's at read time; and who may write a
 * sysctl is checked at open, against the opener's credentials, and again
 * at each write, against the writer's.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/capability.h>
#include <linux/cred.h>
#include <linux/idr.h>
#include <linux/ipc_namespace.h>
#include <linux/kernel.h>
#include <linux/pid_namespace.h>
#include <linux/proc_fs.h>
#include <linux/sched.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "internal.h"

static struct proc_dir_entry *sipc_proc_root;

/* --- sysvipc/{shm,msg,sem} --- */

struct sipc_proc_iter {
	struct sipc_ns *ns;
	struct pid_namespace *pid_ns;
	const struct sipc_proc_view *view;
};

static struct sipc_ids *iter_ids(struct sipc_proc_iter *it)
{
	return &it->ns->ids[it->view->kind];
}

/* The first object at index >= *pos - 1, with *pos moved past it. */
static void *sysvipc_find(struct seq_file *m, loff_t *pos)
{
	struct sipc_proc_iter *it = m->private;
	int idx = *pos - 1;
	void *obj;

	obj = idr_get_next(&iter_ids(it)->idr, &idx);
	if (obj)
		*pos = idx + 1;
	return obj;
}

static void *sysvipc_start(struct seq_file *m, loff_t *pos)
	__acquires(&iter_ids(it)->rwsem)
{
	struct sipc_proc_iter *it = m->private;

	down_read(&iter_ids(it)->rwsem);
	return *pos ? sysvipc_find(m, pos) : SEQ_START_TOKEN;
}

static void *sysvipc_next(struct seq_file *m, void *v, loff_t *pos)
{
	++*pos;
	return sysvipc_find(m, pos);
}

static void sysvipc_stop(struct seq_file *m, void *v)
	__releases(&iter_ids(it)->rwsem)
{
	struct sipc_proc_iter *it = m->private;

	up_read(&iter_ids(it)->rwsem);
}

static int sysvipc_show(struct seq_file *m, void *v)
{
	struct sipc_proc_iter *it = m->private;
	struct sipc_perm *perm = v;

	if (v == SEQ_START_TOKEN) {
		seq_puts(m, it->view->header);
		return 0;
	}
	spin_lock(&perm->lock);
	if (!perm->deleted)
		it->view->show(m, perm, it->pid_ns);
	spin_unlock(&perm->lock);
	return 0;
}

static const struct seq_operations sysvipc_seq_ops = {
	.start = sysvipc_start,
	.next = sysvipc_next,
	.stop = sysvipc_stop,
	.show = sysvipc_show,
};

static int sysvipc_open(struct inode *inode, struct file *file)
{
	struct sipc_proc_iter *it;

	it = __seq_open_private(file, &sysvipc_seq_ops, sizeof(*it));
	if (!it)
		return -ENOMEM;
	it->view = pde_data(inode);
	it->ns = sipc_current_ns();
	if (IS_ERR(it->ns)) {
		seq_release_private(inode, file);
		return PTR_ERR(it->ns);
	}
	sipc_ns_get(it->ns);
	it->pid_ns = get_pid_ns(task_active_pid_ns(current));
	return 0;
}

static int sysvipc_release(struct inode *inode, struct file *file)
{
	struct seq_file *m = file->private_data;
	struct sipc_proc_iter *it = m->private;

	put_pid_ns(it->pid_ns);
	sipc_ns_put(it->ns);
	return seq_release_private(inode, file);
}

static const struct proc_ops sysvipc_proc_ops = {
	.proc_open = sysvipc_open,
	.proc_read = seq_read,
	.proc_lseek = seq_lseek,
	.proc_release = sysvipc_release,
};

/* --- sys/kernel/NAME --- */

#define SYSCTL_LIMIT	BIT(0)
#define SYSCTL_NEXT_ID	BIT(1)

/**
 * struct sipc_sysctl - one file under sys/kernel
 * @name: file name, as Linux's kernel.NAME sysctl
 * @nr: how many values (4 for sem)
 * @ulong: unsigned long values (no sign allowed), else int
 * @min: lowest value accepted (int sysctls)
 * @max: highest value accepted (int sysctls)
 * @flags: SYSCTL_LIMIT for a limit, which a namespace below a root may
 *	raise only up to its root's value; SYSCTL_NEXT_ID for the next_id
 *	files, which checkpoint/restore may write
 * @get: read the values of @ns
 * @set: write the values of @ns (the ones given: @n of them)
 */
struct sipc_sysctl {
	const char *name;
	int nr;
	bool ulong;
	long long min, max;
	unsigned int flags;
	void (*get)(struct sipc_ns *ns, long long *v);
	int (*set)(struct sipc_ns *ns, const long long *v, int n);
};

#define LIMIT_ACCESSORS(field)						\
static void get_##field(struct sipc_ns *ns, long long *v)		\
{									\
	v[0] = (typeof(ns->limits.field))READ_ONCE(ns->limits.field);	\
}									\
static int set_##field(struct sipc_ns *ns, const long long *v, int n)	\
{									\
	WRITE_ONCE(ns->limits.field, v[0]);				\
	return 0;							\
}

LIMIT_ACCESSORS(shmmax)
LIMIT_ACCESSORS(shmall)

/* int sysctls kept in __u32 fields: read back as Linux's int */
#define INT_LIMIT_ACCESSORS(field)					\
static void get_##field(struct sipc_ns *ns, long long *v)		\
{									\
	v[0] = (int)READ_ONCE(ns->limits.field);			\
}									\
static int set_##field(struct sipc_ns *ns, const long long *v, int n)	\
{									\
	WRITE_ONCE(ns->limits.field, (u32)v[0]);			\
	return 0;							\
}

INT_LIMIT_ACCESSORS(shmmni)
INT_LIMIT_ACCESSORS(msgmax)
INT_LIMIT_ACCESSORS(msgmnb)
INT_LIMIT_ACCESSORS(msgmni)
INT_LIMIT_ACCESSORS(mq_queues_max)
INT_LIMIT_ACCESSORS(mq_msg_max)
INT_LIMIT_ACCESSORS(mq_msgsize_max)
INT_LIMIT_ACCESSORS(mq_msg_default)
INT_LIMIT_ACCESSORS(mq_msgsize_default)

static void get_shm_rmid_forced(struct sipc_ns *ns, long long *v)
{
	v[0] = READ_ONCE(ns->limits.shm_rmid_forced);
	/* Linux's handler destroys orphans on a read of 1 too */
	if (v[0])
		sipc_shm_destroy_orphaned(ns);
}

static int set_shm_rmid_forced(struct sipc_ns *ns, const long long *v, int n)
{
	WRITE_ONCE(ns->limits.shm_rmid_forced, v[0]);
	if (v[0])
		sipc_shm_destroy_orphaned(ns);
	return 0;
}

static void get_sem(struct sipc_ns *ns, long long *v)
{
	int i;

	for (i = 0; i < 4; i++)
		v[i] = (int)READ_ONCE(ns->limits.sem[i]);
}

/*
 * As proc_ipc_sem_dointvec(): every value given is written, then a semmni
 * outside [0, IPCMNI] alone is put back, and the write fails with ERANGE.
 */
static int set_sem(struct sipc_ns *ns, const long long *v, int n)
{
	int semmni = ns->limits.sem[3], i;

	for (i = 0; i < n; i++)
		WRITE_ONCE(ns->limits.sem[i], (u32)v[i]);
	sipc_keys_semmsl_changed(ns);
	if ((int)ns->limits.sem[3] < 0 || ns->limits.sem[3] > SIPC_IPCMNI) {
		WRITE_ONCE(ns->limits.sem[3], semmni);
		return -ERANGE;
	}
	return 0;
}

static void get_next_id(struct sipc_ids *ids, long long *v)
{
	v[0] = READ_ONCE(ids->next_id);
}

static int set_next_id(struct sipc_ids *ids, long long v)
{
	down_write(&ids->rwsem);
	ids->next_id = v;
	up_write(&ids->rwsem);
	return 0;
}

#define NEXT_ID_ACCESSORS(kind, name)					\
static void get_##name(struct sipc_ns *ns, long long *v)		\
{									\
	get_next_id(&ns->ids[kind], v);					\
}									\
static int set_##name(struct sipc_ns *ns, const long long *v, int n)	\
{									\
	return set_next_id(&ns->ids[kind], v[0]);			\
}

NEXT_ID_ACCESSORS(SIPC_SHM, shm_next_id)
NEXT_ID_ACCESSORS(SIPC_MSG, msg_next_id)
NEXT_ID_ACCESSORS(SIPC_SEM, sem_next_id)

#define SYSCTL(n, count, is_ulong, lo, hi, fl) {			\
	.name = #n, .nr = count, .ulong = is_ulong, .min = lo, .max = hi, \
	.flags = fl, .get = get_##n, .set = set_##n,			\
}

/* Ranges as Linux 6.1's ipc/ipc_sysctl.c declares them. */
static const struct sipc_sysctl sipc_sysctls[] = {
	SYSCTL(shmmax, 1, true, 0, 0, SYSCTL_LIMIT),
	SYSCTL(shmall, 1, true, 0, 0, SYSCTL_LIMIT),
	SYSCTL(shmmni, 1, false, 0, SIPC_IPCMNI, SYSCTL_LIMIT),
	SYSCTL(shm_rmid_forced, 1, false, 0, 1, 0),
	SYSCTL(msgmax, 1, false, 0, INT_MAX, SYSCTL_LIMIT),
	SYSCTL(msgmnb, 1, false, 0, INT_MAX, SYSCTL_LIMIT),
	SYSCTL(msgmni, 1, false, 0, SIPC_IPCMNI, SYSCTL_LIMIT),
	SYSCTL(sem, 4, false, INT_MIN, INT_MAX, SYSCTL_LIMIT),
	SYSCTL(shm_next_id, 1, false, 0, INT_MAX, SYSCTL_NEXT_ID),
	SYSCTL(msg_next_id, 1, false, 0, INT_MAX, SYSCTL_NEXT_ID),
	SYSCTL(sem_next_id, 1, false, 0, INT_MAX, SYSCTL_NEXT_ID),
};

#define MQ_SYSCTL(n, field, lo, hi) {					\
	.name = n, .nr = 1, .ulong = false, .min = lo, .max = hi,	\
	.flags = SYSCTL_LIMIT, .get = get_##field, .set = set_##field,	\
}

/* fs.mqueue.*, ranges as Linux 6.1's ipc/mq_sysctl.c declares them. */
static const struct sipc_sysctl sipc_mq_sysctls[] = {
	MQ_SYSCTL("queues_max", mq_queues_max, INT_MIN, INT_MAX),
	MQ_SYSCTL("msg_max", mq_msg_max, MIN_MSGMAX, HARD_MSGMAX),
	MQ_SYSCTL("msgsize_max", mq_msgsize_max, MIN_MSGSIZEMAX,
		  HARD_MSGSIZEMAX),
	MQ_SYSCTL("msg_default", mq_msg_default, MIN_MSGMAX, HARD_MSGMAX),
	MQ_SYSCTL("msgsize_default", mq_msgsize_default, MIN_MSGSIZEMAX,
		  HARD_MSGSIZEMAX),
};

struct sipc_sysctl_file {
	const struct sipc_sysctl *sc;
	struct sipc_ns *ns;
};

/*
 * Who may write @sc of @ns, with @file's opener's credentials (at open) or
 * the caller's (at write). A root's files follow Linux's
 * ipc_permissions() for its real namespace: the owning user namespace's
 * root (mode 0644 for everyone else), and for the next_id files
 * CAP_CHECKPOINT_RESTORE or CAP_SYS_ADMIN over that user namespace too.
 * A namespace below a root: its creator's euid, or CAP_SYS_ADMIN over the
 * creator's user namespace.
 */
static bool sysctl_capable(struct file *file, bool at_open,
			   struct user_namespace *user_ns, int cap)
{
	return at_open ? file_ns_capable(file, user_ns, cap) :
			 ns_capable(user_ns, cap);
}

static bool sysctl_may_write(const struct sipc_sysctl *sc, struct sipc_ns *ns,
			     struct file *file, bool at_open)
{
	const struct cred *cred = at_open ? file->f_cred : current_cred();

	if (uid_eq(cred->euid, ns->creator_euid))
		return true;
	if (ns->root != ns)
		return sysctl_capable(file, at_open, ns->user_ns, CAP_SYS_ADMIN);
	return (sc->flags & SYSCTL_NEXT_ID) &&
	       (sysctl_capable(file, at_open, ns->user_ns,
			       CAP_CHECKPOINT_RESTORE) ||
		sysctl_capable(file, at_open, ns->user_ns, CAP_SYS_ADMIN));
}

/*
 * A namespace below a root may have its limits lowered, and raised only up
 * to its root's, but with CAP_SYS_RESOURCE in the initial user namespace.
 */
static int sysctl_check_raise(const struct sipc_sysctl *sc, struct sipc_ns *ns,
			      const long long *v, int n)
{
	long long cap[4];
	int i;

	if (!(sc->flags & SYSCTL_LIMIT) || ns->root == ns)
		return 0;
	sc->get(ns->root, cap);
	for (i = 0; i < n; i++) {
		if (sc->ulong ? (unsigned long long)v[i] <=
				(unsigned long long)cap[i] : v[i] <= cap[i])
			continue;
		return capable(CAP_SYS_RESOURCE) ? 0 : -EPERM;
	}
	return 0;
}

static int sysctl_open(struct inode *inode, struct file *file)
{
	struct sipc_sysctl_file *f;
	struct sipc_ns *ns;

	ns = sipc_current_ns();
	if (IS_ERR(ns))
		return PTR_ERR(ns);
	f = kzalloc(sizeof(*f), GFP_KERNEL_ACCOUNT);
	if (!f)
		return -ENOMEM;
	f->sc = pde_data(inode);
	/* as /proc/sys: EACCES at open for whoever may not write */
	if ((file->f_mode & FMODE_WRITE) &&
	    !sysctl_may_write(f->sc, ns, file, true)) {
		kfree(f);
		return -EACCES;
	}
	f->ns = ns;
	sipc_ns_get(f->ns);
	file->private_data = f;
	return 0;
}

static int sysctl_release(struct inode *inode, struct file *file)
{
	struct sipc_sysctl_file *f = file->private_data;

	sipc_ns_put(f->ns);
	kfree(f);
	return 0;
}

static ssize_t sysctl_read(struct file *file, char __user *ubuf,
			   size_t count, loff_t *ppos)
{
	struct sipc_sysctl_file *f = file->private_data;
	const struct sipc_sysctl *sc = f->sc;
	char buf[4 * 24];
	long long v[4];
	int i, len = 0;

	sc->get(f->ns, v);
	for (i = 0; i < sc->nr; i++) {
		if (sc->ulong)
			len += scnprintf(buf + len, sizeof(buf) - len, "%llu",
					 (unsigned long long)v[i]);
		else
			len += scnprintf(buf + len, sizeof(buf) - len, "%lld",
					 v[i]);
		len += scnprintf(buf + len, sizeof(buf) - len,
				 i + 1 < sc->nr ? "\t" : "\n");
	}
	return simple_read_from_buffer(ubuf, count, ppos, buf, len);
}

/*
 * Parse one value at *@p as proc_get_long() does: an optional '-' (not
 * for unsigned sysctls), then a number in base 0, ended by white space
 * or the end of the buffer.
 */
static int sysctl_parse_one(char **p, const struct sipc_sysctl *sc,
			    long long *out)
{
	char *s = *p, *end;
	bool neg = false;
	unsigned long long u;
	char save;
	int err;

	if (*s == '-') {
		neg = true;
		s++;
	}
	if (!isdigit(*s))
		return -EINVAL;
	end = s;
	while (*end && !isspace(*end))
		end++;
	if (end - s > 21)
		return -EINVAL;
	save = *end;
	*end = '\0';
	err = kstrtoull(s, 0, &u);
	*end = save;
	if (err)
		return -EINVAL;
	if (sc->ulong) {
		if (neg || u > ULONG_MAX)
			return -EINVAL;
		*out = u;
	} else {
		if (u > (unsigned long long)INT_MAX + neg)
			return -EINVAL;
		*out = neg ? -(long long)u : (long long)u;
	}
	*p = end;
	return 0;
}

static ssize_t sysctl_write(struct file *file, const char __user *ubuf,
			    size_t count, loff_t *ppos)
{
	struct sipc_sysctl_file *f = file->private_data;
	const struct sipc_sysctl *sc = f->sc;
	long long v[4];
	char *buf, *p;
	int n = 0, err;

	if (!sysctl_may_write(sc, f->ns, file, false))
		return -EPERM;
	/* as sysctl_writes_strict: a write past the start is ignored */
	if (*ppos)
		return count;
	if (count >= PAGE_SIZE)
		return -EINVAL;
	buf = memdup_user_nul(ubuf, count);
	if (IS_ERR(buf))
		return PTR_ERR(buf);
	p = skip_spaces(buf);
	err = -EINVAL;
	while (n < sc->nr && *p) {
		err = sysctl_parse_one(&p, sc, &v[n]);
		if (err)
			goto out_free;
		err = -EINVAL;
		/* unsigned long sysctls have no bounds */
		if (!sc->ulong && (v[n] < sc->min || v[n] > sc->max))
			goto out_free;
		n++;
		p = skip_spaces(p);
	}
	if (!n)
		goto out_free;
	err = sysctl_check_raise(sc, f->ns, v, n);
	if (err)
		goto out_free;
	err = sc->set(f->ns, v, n);
	if (!err) {
		*ppos += count;
		err = count;
	}
out_free:
	kfree(buf);
	return err;
}

static const struct proc_ops sysctl_proc_ops = {
	.proc_open = sysctl_open,
	.proc_read = sysctl_read,
	.proc_write = sysctl_write,
	.proc_lseek = default_llseek,
	.proc_release = sysctl_release,
};

/* --- mqueue: the POSIX queues of the opener's namespace --- */

static int mqueue_show(struct seq_file *m, void *v)
{
	sipc_mq_seq_show(m, m->private);
	return 0;
}

static int mqueue_open(struct inode *inode, struct file *file)
{
	struct sipc_ns *ns = sipc_current_ns();
	int err;

	if (IS_ERR(ns))
		return PTR_ERR(ns);
	sipc_ns_get(ns);
	err = single_open(file, mqueue_show, ns);
	if (err)
		sipc_ns_put(ns);
	return err;
}

static int ns_single_release(struct inode *inode, struct file *file)
{
	struct seq_file *m = file->private_data;

	sipc_ns_put(m->private);
	return single_release(inode, file);
}

static const struct proc_ops mqueue_proc_ops = {
	.proc_open = mqueue_open,
	.proc_read = seq_read,
	.proc_lseek = seq_lseek,
	.proc_release = ns_single_release,
};

/**
 * sipc_seq_holder_task() - the process part of a /proc/shadowipc/holders line
 * @m: the holders file
 * @task: a thread of the process, or NULL when there is none
 * @pid_ns: the pid namespace the pid is shown in
 *
 * " PID COMM": the thread group's id in @pid_ns and the thread's command,
 * escaped as in /proc/mounts; " 0 -" for no task, or one outside @pid_ns.
 *
 * Context: rcu_read_lock() or another guarantee that @task is not freed.
 */
void sipc_seq_holder_task(struct seq_file *m, struct task_struct *task,
			  struct pid_namespace *pid_ns)
{
	char comm[TASK_COMM_LEN] = "-";
	pid_t pid = 0;

	if (task)
		pid = task_tgid_nr_ns(task, pid_ns);
	if (pid)
		get_task_comm(comm, task);
	seq_printf(m, " %d ", pid);
	seq_escape(m, comm, " \t\n\\");
}

/* --- namespaces, holders: the opener's real namespace's tree --- */

static int namespaces_show(struct seq_file *m, void *v)
{
	sipc_ns_seq_show_all(m, m->private);
	return 0;
}

static int holders_show(struct seq_file *m, void *v)
{
	sipc_ns_seq_show_holders(m, m->private);
	return 0;
}

/* The opener's real namespace's tree, whoever reads the file later. */
static int root_single_open(struct file *file,
			    int (*show)(struct seq_file *, void *))
{
	struct sipc_ns *root = sipc_current_ns();
	int err;

	if (IS_ERR(root))
		return PTR_ERR(root);
	root = root->root;
	sipc_ns_get(root);
	err = single_open(file, show, root);
	if (err)
		sipc_ns_put(root);
	return err;
}

static int namespaces_open(struct inode *inode, struct file *file)
{
	return root_single_open(file, namespaces_show);
}

static int holders_open(struct inode *inode, struct file *file)
{
	return root_single_open(file, holders_show);
}

static const struct proc_ops namespaces_proc_ops = {
	.proc_open = namespaces_open,
	.proc_read = seq_read,
	.proc_lseek = seq_lseek,
	.proc_release = ns_single_release,
};

static const struct proc_ops holders_proc_ops = {
	.proc_open = holders_open,
	.proc_read = seq_read,
	.proc_lseek = seq_lseek,
	.proc_release = ns_single_release,
};

/*
 * The sysctl files serve every namespace, each with its own writers
 * (sysctl_may_write()), which no one mode can say: they are writable by
 * all, and the open-time check against the opener's credentials is the
 * rule, as /proc/sys's permission check is.
 */
#define SIPC_SYSCTL_MODE	0666

/**
 * sipc_proc_module_init() - create /proc/shadowipc and its files
 *
 * Context: module init.
 * Return: 0 or -ENOMEM.
 */
int sipc_proc_module_init(void)
{
	struct proc_dir_entry *sysvipc, *sys, *fs = NULL, *mq = NULL;
	const struct sipc_proc_view *view;
	enum sipc_kind k;
	int i;

	sipc_proc_root = proc_mkdir("shadowipc", NULL);
	if (!sipc_proc_root)
		return -ENOMEM;
	sysvipc = proc_mkdir("sysvipc", sipc_proc_root);
	sys = proc_mkdir("sys", sipc_proc_root);
	if (sys)
		fs = proc_mkdir("fs", sys);
	if (fs)
		mq = proc_mkdir("mqueue", fs);
	if (sys)
		sys = proc_mkdir("kernel", sys);
	if (!sysvipc || !sys || !mq)
		goto err_remove;
	for (k = 0; k < SIPC_NR_KINDS; k++) {
		view = sipc_kinds[k].proc_view;
		if (view && !proc_create_data(view->name, 0444, sysvipc,
					      &sysvipc_proc_ops, (void *)view))
			goto err_remove;
	}
	for (i = 0; i < ARRAY_SIZE(sipc_sysctls); i++)
		if (!proc_create_data(sipc_sysctls[i].name, SIPC_SYSCTL_MODE, sys,
				      &sysctl_proc_ops,
				      (void *)&sipc_sysctls[i]))
			goto err_remove;
	for (i = 0; i < ARRAY_SIZE(sipc_mq_sysctls); i++)
		if (!proc_create_data(sipc_mq_sysctls[i].name, SIPC_SYSCTL_MODE,
				      mq,
				      &sysctl_proc_ops,
				      (void *)&sipc_mq_sysctls[i]))
			goto err_remove;
	if (!proc_create("namespaces", 0444, sipc_proc_root,
			 &namespaces_proc_ops))
		goto err_remove;
	if (!proc_create("mqueue", 0444, sipc_proc_root, &mqueue_proc_ops))
		goto err_remove;
	if (!proc_create("holders", 0444, sipc_proc_root, &holders_proc_ops))
		goto err_remove;
	return 0;

err_remove:
	proc_remove(sipc_proc_root);
	return -ENOMEM;
}

/**
 * sipc_proc_module_exit() - remove /proc/shadowipc
 *
 * proc_remove() waits for handlers still running and releases the files
 * still open (their namespace references go with them).
 *
 * Context: module exit.
 */
void sipc_proc_module_exit(void)
{
	proc_remove(sipc_proc_root);
}
