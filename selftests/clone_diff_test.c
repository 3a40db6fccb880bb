// SPDX-License-Identifier: GPL-2.0
/*
 * Differential tests (see diff.h) of the ways into an IPC namespace other
 * than unshare(): glibc's clone(), and syscall() of SYS_clone and
 * SYS_clone3, with CLONE_NEWIPC alone and with CLONE_NEWPID, CLONE_NEWNS,
 * CLONE_VFORK and CLONE_SYSVSEM; what a child created so finds of its
 * parent's segments, queues and semaphore sets, by key and by id; two
 * children in two new namespaces; and setns() with an fd opened on
 * /proc/PID/ns/ipc or /proc/self/ns/ipc.
 *
 * The program runs under the preload shim (it re-executes itself with
 * it), whose clone(), syscall(), open() and setns() the shadow side
 * calls; Linux's side uses the C library's own clone() and raw system
 * calls.
 */
#include <linux/sched.h>
#include <sys/mount.h>

#include "kselftest_harness.h"
#include "sipc_test.h"
#include "diff.h"

#define KEY		0x5eed4000
#define STACK_SIZE	(64 << 10)

/* How a scenario creates its children. */
enum how { GLIBC, RAW_CLONE, RAW_CLONE3 };

static const char *const how_names[] = { "clone", "SYS_clone", "SYS_clone3" };

struct child_start {
	struct ctx *c;
	void (*body)(struct ctx *c);
	int slot;
};

/* The child's side: its lines go to a trace of its own (see reap()). */
static int child_fn(void *p)
{
	struct child_start *s = p;

	tr_slot = s->slot;
	s->body(s->c);
	return 0;
}

/*
 * Create a child with @flags (and SIGCHLD) the @how way, running @body;
 * trace the call's result; then, unless @keep, reap() the child. Returns
 * the child's pid, or -1.
 */
static pid_t CL(struct ctx *c, enum how how, int flags,
		void (*body)(struct ctx *c), bool keep)
{
	struct child_start s = { c, body, c->npids };
	struct clone_args args = {
		.flags = (unsigned int)flags,
		.exit_signal = SIGCHLD,
	};
	static char *stack;
	int k = c->npids;
	char res[32];
	pid_t pid;

	if (!stack) {
		stack = mmap(NULL, STACK_SIZE, PROT_READ | PROT_WRITE,
			     MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (stack == MAP_FAILED)
			return -1;
	}
	pid_note(c, 0, "");
	snprintf(c->pid_names[k], sizeof(c->pid_names[k]), "child%d", k);
	switch (how) {
	case GLIBC:
		pid = c->ops->clone(child_fn, stack + STACK_SIZE,
				    flags | SIGCHLD, &s);
		break;
	case RAW_CLONE:
		pid = c->ops->clone_sys(SYS_clone, flags | SIGCHLD, 0, 0, 0,
					0);
		break;
	default:
		pid = c->ops->clone_sys(SYS_clone3, (long)&args, sizeof(args),
					0, 0, 0);
	}
	if (!pid) {
		/* the raw calls' child: fork-like, on this stack */
		child_fn(&s);
		_exit(0);
	}
	/* a CLONE_VM child set it in our memory */
	tr_slot = -1;
	res_long(pid < 0 ? -1 : 0, res);
	tr(c, "%s(%#x) = %s", how_names[how], flags, res);
	if (pid < 0)
		return -1;
	c->pids[k] = pid;
	if (!keep)
		reap(c, pid);
	return pid;
}

/* The parent's objects: a segment, a queue and a set, all with KEY. */
static int shm_id, msg_id, sem_id;

static void make_objects(struct ctx *c)
{
	char res[32];

	shm_id = c->ops->shmget(KEY, 4096, IPC_CREAT | 0600);
	msg_id = c->ops->msgget(KEY, IPC_CREAT | 0600);
	sem_id = c->ops->semget(KEY, 1, IPC_CREAT | 0600);
	res_id(c, shm_id, res);
	tr(c, "shmget = %s", res);
	res_id(c, msg_id, res);
	tr(c, "msgget = %s", res);
	res_id(c, sem_id, res);
	tr(c, "semget = %s", res);
}

/* Look for the parent's objects by key and by id; trace what is found. */
static void look(struct ctx *c)
{
	struct shmid_ds shm;
	struct msqid_ds msq;
	struct semid_ds sem;
	char r[6][32];

	res_long(c->ops->shmget(KEY, 0, 0) < 0 ? -1 : 0, r[0]);
	res_long(c->ops->msgget(KEY, 0) < 0 ? -1 : 0, r[1]);
	res_long(c->ops->semget(KEY, 0, 0) < 0 ? -1 : 0, r[2]);
	res_long(c->ops->shmctl(shm_id, IPC_STAT, &shm), r[3]);
	res_long(c->ops->msgctl(msg_id, IPC_STAT, &msq), r[4]);
	res_long(c->ops->semctl(sem_id, 0, IPC_STAT, (unsigned long)&sem),
		 r[5]);
	tr(c, "by key: shm %s, msg %s, sem %s; by id: shm %s, msg %s, sem %s",
	   r[0], r[1], r[2], r[3], r[4], r[5]);
}

/* A child in a new namespace: nothing of its parent's, a key of its own. */
static void look_and_make(struct ctx *c)
{
	char res[32];

	look(c);
	res_id(c, c->ops->shmget(KEY, 8192, IPC_CREAT | IPC_EXCL | 0600), res);
	tr(c, "own shmget = %s", res);
	/* removing by the parent's ids must not reach the parent's objects */
	res_long(c->ops->msgctl(msg_id, IPC_RMID, NULL), res);
	tr(c, "msgctl(parent's id, IPC_RMID) = %s", res);
}

static void clone_newipc(struct ctx *c, enum how how, int flags)
{
	make_objects(c);
	CL(c, how, CLONE_NEWIPC | flags, look_and_make, false);
	look(c);
}

SCENARIO(clone_newipc)
{
	clone_newipc(c, GLIBC, 0);
}

SCENARIO(syscall_clone_newipc)
{
	clone_newipc(c, RAW_CLONE, 0);
}

SCENARIO(syscall_clone3_newipc)
{
	clone_newipc(c, RAW_CLONE3, 0);
}

SCENARIO(clone_without_newipc_shares_the_namespace)
{
	make_objects(c);
	CL(c, GLIBC, 0, look, false);
	CL(c, RAW_CLONE, 0, look, false);
	CL(c, RAW_CLONE3, 0, look, false);
}

/* The child's pid as it sees itself: 1 in a new pid namespace. */
static void look_as_pid(struct ctx *c)
{
	tr(c, "getpid() %s 1", getpid() == 1 ? "==" : "!=");
	look_and_make(c);
}

SCENARIO(clone_newipc_newpid)
{
	make_objects(c);
	CL(c, GLIBC, CLONE_NEWIPC | CLONE_NEWPID, look_as_pid, false);
	CL(c, RAW_CLONE3, CLONE_NEWIPC | CLONE_NEWPID, look_as_pid, false);
	look(c);
}

/* A mount in the child's new mount namespace, seen only there. */
static void look_and_mount(struct ctx *c)
{
	int r = mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) ||
		mount("none", "/tmp", "tmpfs", 0, NULL);

	tr(c, "mount in the new mount namespace: %s",
	   r ? err_name(errno) : "ok");
	look_and_make(c);
}

SCENARIO(clone_newipc_newns)
{
	struct stat before, after;

	make_objects(c);
	stat("/tmp", &before);
	CL(c, GLIBC, CLONE_NEWIPC | CLONE_NEWNS, look_and_mount, false);
	CL(c, RAW_CLONE, CLONE_NEWIPC | CLONE_NEWNS, look_and_mount, false);
	stat("/tmp", &after);
	tr(c, "parent's /tmp %s", before.st_dev == after.st_dev ?
	   "unchanged" : "changed");
	look(c);
}

SCENARIO(clone_newipc_vfork)
{
	make_objects(c);
	CL(c, GLIBC, CLONE_NEWIPC | CLONE_VM | CLONE_VFORK, look_and_make,
	   false);
	CL(c, RAW_CLONE3, CLONE_NEWIPC | CLONE_VFORK, look_and_make, false);
	look(c);
}

SCENARIO(clone_newipc_sysvsem_is_einval)
{
	make_objects(c);
	CL(c, GLIBC, CLONE_NEWIPC | CLONE_SYSVSEM, look, false);
	CL(c, RAW_CLONE, CLONE_NEWIPC | CLONE_SYSVSEM, look, false);
	CL(c, RAW_CLONE3, CLONE_NEWIPC | CLONE_SYSVSEM, look, false);
	/* CLONE_SYSVSEM alone shares the undo list, in the same namespace */
	CL(c, GLIBC, CLONE_SYSVSEM, look, false);
}

SCENARIO(clone_newipc_other_errors_are_the_kernels)
{
	/* CLONE_NEWNS with CLONE_FS, CLONE_THREAD without CLONE_SIGHAND */
	CL(c, GLIBC, CLONE_NEWIPC | CLONE_NEWNS | CLONE_FS, look, false);
	CL(c, RAW_CLONE, CLONE_NEWIPC | CLONE_THREAD, look, false);
	CL(c, RAW_CLONE3, CLONE_NEWIPC | CLONE_SIGHAND, look, false);
}

/* setns() with an fd on /proc/PID/ns/ipc of a child in a new namespace. */
static int ready[2], done[2];

static void make_and_wait(struct ctx *c)
{
	char x = 'r';

	look_and_make(c);
	if (write(ready[1], &x, 1) != 1 || read(done[0], &x, 1) < 0)
		_exit(1);
}

/*
 * Two children in two new namespaces, the first alive while the second
 * runs: each makes KEY, neither sees the other's.
 */
SCENARIO(two_children_two_namespaces)
{
	pid_t first;
	char x = 'd';

	make_objects(c);
	if (pipe(ready) || pipe(done))
		return;
	first = CL(c, GLIBC, CLONE_NEWIPC, make_and_wait, true);
	if (first < 0 || read(ready[0], &x, 1) != 1)
		return;
	CL(c, RAW_CLONE3, CLONE_NEWIPC, look_and_make, false);
	if (write(done[1], &x, 1) != 1)
		return;
	reap(c, first);
	look(c);
}

static void setns_into(struct ctx *c, const char *path, int nstype)
{
	char res[32];
	int fd = open(path, O_RDONLY);

	if (fd < 0) {
		tr(c, "open ns fd: %s", err_name(errno));
		return;
	}
	res_long(c->ops->setns(fd, nstype), res);
	tr(c, "setns(ns fd, %#x) = %s", nstype, res);
	close(fd);
}

static void setns_to_child(struct ctx *c, int nstype)
{
	char path[64], x;
	pid_t pid;

	make_objects(c);
	if (pipe(ready) || pipe(done))
		return;
	pid = CL(c, GLIBC, CLONE_NEWIPC, make_and_wait, true);
	if (pid < 0 || read(ready[0], &x, 1) != 1)
		return;
	snprintf(path, sizeof(path), "/proc/%d/ns/ipc", pid);
	setns_into(c, path, nstype);
	/* the child's segment by key; the parent's ids are not there */
	look(c);
	if (write(done[1], &x, 1) != 1)
		return;
	reap(c, pid);
	look(c);
}

SCENARIO(setns_by_proc_pid_ns_ipc_fd)
{
	setns_to_child(c, CLONE_NEWIPC);
}

SCENARIO(setns_by_proc_pid_ns_ipc_fd_nstype_0)
{
	setns_to_child(c, 0);
}

SCENARIO(setns_by_proc_ns_fd_of_another_type_is_einval)
{
	setns_into(c, "/proc/self/ns/ipc", CLONE_NEWUTS);
	setns_into(c, "/proc/self/ns/uts", CLONE_NEWIPC);
}

/*
 * A child in a new namespace goes back to its parent's by an fd the
 * parent opened on /proc/self/ns/ipc.
 */
static int parent_ns_fd;

static void back_to_parent(struct ctx *c)
{
	char res[32];

	look(c);
	res_long(c->ops->setns(parent_ns_fd, CLONE_NEWIPC), res);
	tr(c, "setns(parent's ns fd) = %s", res);
	look(c);
}

SCENARIO(child_setns_back_by_proc_self_ns_ipc_fd)
{
	make_objects(c);
	parent_ns_fd = open("/proc/self/ns/ipc", O_RDONLY);
	if (parent_ns_fd < 0) {
		tr(c, "open: %s", err_name(errno));
		return;
	}
	CL(c, GLIBC, CLONE_NEWIPC, back_to_parent, false);
	CL(c, RAW_CLONE, CLONE_NEWIPC, back_to_parent, false);
	close(parent_ns_fd);
}

int main(int argc, char **argv)
{
	sipc_reexec_under_shim(argv);
	if (!sipc_shim_preloaded()) {
		ksft_print_header();
		ksft_exit_skip("the shim is not preloaded (%s missing?)\n",
			       sipc_shim_path());
	}
	return test_harness_run(argc, argv);
}
