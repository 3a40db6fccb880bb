/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * shadowipc: shadow System V IPC namespaces, driven through /dev/shadowipc.
 *
 * Every ioctl takes a struct of fixed-size types, naturally aligned, a
 * multiple of 8 bytes long. Pointers travel as __u64. A "flags" field
 * takes the bits of its struct's *_VALID_FLAGS mask (STATUS and NS_FD
 * have one), every other "flags" field and every "pad"/"reserved" field
 * must be zero, or the call fails with EINVAL. Output-only fields
 * are ignored on input. The ioctl magic is 0xB8 (free in
 * Documentation/userspace-api/ioctl/ioctl-number.rst as of 6.1).
 *
 * Extending this ABI: a struct only ever grows, at its end, by fields
 * whose zero value means "as before"; its command keeps its number
 * (_IOC_NR), direction and type, and only the size (_IOC_SIZE) changes.
 * The module takes the size from the command, as openat2(2) and clone3(2)
 * take theirs: a struct larger than the module's is accepted when every
 * byte past the module's struct is zero (else E2BIG), one smaller than
 * the module's is zero-extended, and one smaller than the first published
 * version of its struct is EINVAL. Output is written back up to the
 * smaller of the two sizes; bytes past the module's struct are left as
 * the caller had them. So a program built against an older or a newer
 * header works with the module, as long as it does not ask for
 * something the module does not have.
 *
 * 32-bit callers (ia32 and x32 compat system calls) are refused: every
 * ioctl from them fails with EOPNOTSUPP. The structs behind the pointers
 * (struct shmid_ds, mq_attr, sigevent, timespecs) are the x86_64 ones.
 *
 * Errors common to every command:
 *  ENOTTY  unknown command: a wrong magic, number or direction
 *  EINVAL  a size below the first published struct's, an unknown flag
 *	    bit, or a non-zero pad/reserved field
 *  E2BIG   a larger struct with a non-zero byte past the module's struct
 *  EFAULT  the argument (or a buffer it points to) is not accessible
 *  EOPNOTSUPP  a 32-bit caller
 *
 * The System V commands (SHM*, MSG*, SEM*) return exactly what the matching system
 * call returns on x86_64 Linux 6.1 (the same checks in the same order,
 * the same errno, the same userspace structs behind "buf"), acting on the
 * caller's shadow namespace.
 *
 * The POSIX message queue commands (MQ_*) return what the mq_* system
 * calls of Linux 6.1 return (not glibc's wrappers: names come without
 * the leading '/', and mq_unlink's sticky-directory error is EPERM), on
 * queue descriptors from SHADOWIPC_IOC_MQ_OPEN, named by their @fd field.
 */
#ifndef _UAPI_LINUX_SHADOWIPC_H
#define _UAPI_LINUX_SHADOWIPC_H

#include <linux/types.h>
#include <linux/ioctl.h>

#define SHADOWIPC_ABI_VERSION	1
#define SHADOWIPC_DEVICE	"/dev/shadowipc"
#define SHADOWIPC_IOC_MAGIC	0xB8

/**
 * struct shadowipc_version - ABI version of the loaded module
 * @abi_version: out: SHADOWIPC_ABI_VERSION of the module
 * @flags: must be zero
 */
struct shadowipc_version {
	__u32 abi_version;
	__u32 flags;
};

/**
 * struct shadowipc_status - module-wide counters, for tests and tools
 * @namespaces: out: shadow namespaces alive, the initial one included
 * @bindings: out: tasks bound to a namespace other than the initial one
 * @handles: out: namespace handle fds open
 * @segments: out: shm segments in every namespace
 * @created: out: namespaces created since load (ids are never reused)
 * @flags: in: 0, or SHADOWIPC_STATUS_SETTLE
 * @pad: must be zero
 *
 * The counts are a snapshot: a namespace whose last member has just been
 * reaped may still be being torn down on the module's workqueue.
 * SHADOWIPC_STATUS_SETTLE, a test aid, first waits for that teardown
 * (and drops the roots of real namespaces no longer used), so that counts
 * read after waiting for a child are settled. It sleeps for as long as
 * the pending teardown takes.
 */
struct shadowipc_status {
	__u64 namespaces;
	__u64 bindings;
	__u64 handles;
	__u64 segments;
	__u64 created;
	__u32 flags;
	__u32 pad;
};

#define SHADOWIPC_STATUS_SETTLE		(1U << 0)	/* wait for teardown */
#define SHADOWIPC_STATUS_VALID_FLAGS	SHADOWIPC_STATUS_SETTLE

/**
 * struct shadowipc_unshare - move the calling thread into a new namespace
 * @ns_id: out: id of the new namespace
 * @flags: must be zero
 * @pad: must be zero
 *
 * Errors: ENOSPC when the caller's euid already created max_namespaces
 * live namespaces (module parameter), ENOMEM.
 */
struct shadowipc_unshare {
	__u64 ns_id;
	__u32 flags;
	__u32 pad;
};

/**
 * struct shadowipc_ns_fd - open a handle on a namespace
 * @pid: 0 for the calling thread's namespace, else a thread id as seen in
 *	the caller's pid namespace
 * @flags: 0, or SHADOWIPC_NS_FD_WATCH; the handle is always O_CLOEXEC
 * @ns_id: out: id of the namespace the handle pins (or watches)
 *
 * Returns the new fd. A handle is pollable: POLLIN while the namespace
 * has no member task (a root: once nothing uses its real namespace); a
 * watch handle (SHADOWIPC_NS_FD_WATCH) does not pin the namespace, and
 * polls POLLHUP once it is destroyed and its memory returned; it is no
 * handle to SETNS or NS_INFO (EINVAL), and takes no ioctl itself (ENOTTY).
 * Errors: EINVAL
 * (unknown flags), ESRCH (no such pid), EACCES (the caller could not read
 * /proc/PID/ns/ipc: ptrace read access with fs credentials; LSMs are not
 * consulted), EMFILE, ENFILE, ENOMEM.
 */
struct shadowipc_ns_fd {
	__s32 pid;
	__u32 flags;
	__u64 ns_id;
};

#define SHADOWIPC_NS_FD_WATCH	(1U << 0)	/* watch, do not pin */
#define SHADOWIPC_NS_FD_VALID_FLAGS	SHADOWIPC_NS_FD_WATCH

/**
 * struct shadowipc_setns - move the calling thread into a namespace
 * @fd: a handle from SHADOWIPC_IOC_NS_FD
 * @flags: must be zero
 *
 * Errors: EBADF (not an open fd), EINVAL (not a shadowipc handle), EPERM
 * (caller's euid is not the namespace creator's and it lacks
 * CAP_SYS_ADMIN in the namespace's user namespace).
 */
struct shadowipc_setns {
	__s32 fd;
	__u32 flags;
};

/**
 * struct shadowipc_limits - per-namespace IPC limits (Linux's sysctls)
 * @shmmax: bytes, default SHMMAX
 * @shmall: pages, default SHMALL
 * @shmmni: default SHMMNI (4096)
 * @shm_rmid_forced: 0 or 1, default 0
 * @msgmax: default MSGMAX (8192)
 * @msgmnb: default MSGMNB (16384)
 * @msgmni: default MSGMNI (32000)
 * @sem: SEMMSL, SEMMNS, SEMOPM, SEMMNI
 * @mq_queues_max: default 256
 * @mq_msg_max: default 10
 * @mq_msgsize_max: default 8192
 * @mq_msg_default: default 10
 * @mq_msgsize_default: default 8192
 */
struct shadowipc_limits {
	__u64 shmmax;
	__u64 shmall;
	__u32 shmmni;
	__u32 shm_rmid_forced;
	__u32 msgmax;
	__u32 msgmnb;
	__u32 msgmni;
	__u32 sem[4];
	__u32 mq_queues_max;
	__u32 mq_msg_max;
	__u32 mq_msgsize_max;
	__u32 mq_msg_default;
	__u32 mq_msgsize_default;
};

/* Indexes of shadowipc_ns_info.objects[] and .bytes[]. */
#define SHADOWIPC_KIND_SHM	0
#define SHADOWIPC_KIND_MSG	1
#define SHADOWIPC_KIND_SEM	2
#define SHADOWIPC_KIND_MQ	3
#define SHADOWIPC_NR_KINDS	4

/**
 * struct shadowipc_ns_info - describe a namespace
 * @fd: in: a handle fd, or -1 for the calling thread's namespace; ignored
 *	when the ioctl is issued on a handle fd itself
 * @flags: must be zero
 * @id: out: namespace id (never reused; the initial namespace is 1)
 * @creator_uid: out: creator's euid, in the caller's user namespace
 * @creator_gid: out: creator's egid, in the caller's user namespace
 * @members: out: tasks (threads) in the namespace
 * @handles: out: open handles on it
 * @refs: out: every reference, members, handles and attaches included
 * @pad: must be zero
 * @objects: out: objects per kind (SHADOWIPC_KIND_*)
 * @bytes: out: bytes per kind: shm, pages of every segment times the page
 *	size (SHM_INFO's shm_tot); msg, bytes queued (MSG_INFO's msgtql);
 *	sem, 0; mq, bytes queued in every queue (the QSIZE of each)
 * @limits: out: the namespace's limits
 */
struct shadowipc_ns_info {
	__s32 fd;
	__u32 flags;
	__u64 id;
	__u32 creator_uid;
	__u32 creator_gid;
	__u32 members;
	__u32 handles;
	__u32 refs;
	__u32 pad;
	__u64 objects[SHADOWIPC_NR_KINDS];
	__u64 bytes[SHADOWIPC_NR_KINDS];
	struct shadowipc_limits limits;
};

/**
 * struct shadowipc_ns_drain - remove every object of a namespace
 * @objects: out: objects removed per kind (SHADOWIPC_KIND_*)
 * @bytes: out: bytes removed per kind, as struct shadowipc_ns_info counts
 * @flags: must be zero
 * @pad: must be zero
 *
 * Issued on a handle fd (not a watch). Removes every object of a
 * namespace that has no member task left, as its teardown would: a
 * segment still attached somewhere goes at its last detach (as after
 * IPC_RMID, and is not counted as removed until then), sleepers get
 * EIDRM, POSIX queue names go (queues open somewhere stay until closed).
 * Errors: EPERM (the caller is neither the namespace's creator, by euid,
 * nor has CAP_SYS_ADMIN over the creator's user namespace), EBUSY (the
 * namespace has a member task; a root: its real namespace is in use),
 * EINVAL (not a handle, flags or pad set).
 */
struct shadowipc_ns_drain {
	__u64 objects[SHADOWIPC_NR_KINDS];
	__u64 bytes[SHADOWIPC_NR_KINDS];
	__u32 flags;
	__u32 pad;
};

/**
 * struct shadowipc_shmget - shmget(2)
 * @size: segment size in bytes
 * @key: IPC key, 0 for IPC_PRIVATE
 * @shmflg: shmget(2)'s flags, as the syscall takes them
 * @flags: must be zero
 * @pad: must be zero
 *
 * Returns the segment id.
 */
struct shadowipc_shmget {
	__u64 size;
	__s32 key;
	__s32 shmflg;
	__u32 flags;
	__u32 pad;
};

/**
 * struct shadowipc_shmat - shmat(2)
 * @addr: in: shmaddr; out: the attach address
 * @shmid: segment id
 * @shmflg: shmat(2)'s flags
 * @flags: must be zero
 * @pad: must be zero
 *
 * Returns 0.
 */
struct shadowipc_shmat {
	__u64 addr;
	__s32 shmid;
	__s32 shmflg;
	__u32 flags;
	__u32 pad;
};

/**
 * struct shadowipc_shmdt - shmdt(2)
 * @addr: shmaddr
 * @flags: must be zero
 * @pad: must be zero
 */
struct shadowipc_shmdt {
	__u64 addr;
	__u32 flags;
	__u32 pad;
};

/**
 * struct shadowipc_shmctl - shmctl(2)
 * @buf: user pointer to struct shmid_ds, shminfo or shm_info (x86_64
 *	layouts, IPC_64 semantics), as the syscall takes it
 * @shmid: segment id (or index for SHM_STAT/SHM_STAT_ANY)
 * @cmd: shmctl(2) command
 * @flags: must be zero
 * @pad: must be zero
 *
 * Returns what shmctl(2) returns.
 */
struct shadowipc_shmctl {
	__u64 buf;
	__s32 shmid;
	__s32 cmd;
	__u32 flags;
	__u32 pad;
};

/**
 * struct shadowipc_msgget - msgget(2)
 * @key: IPC key, 0 for IPC_PRIVATE
 * @msgflg: msgget(2)'s flags
 * @flags: must be zero
 * @pad: must be zero
 *
 * Returns the queue id.
 */
struct shadowipc_msgget {
	__s32 key;
	__s32 msgflg;
	__u32 flags;
	__u32 pad;
};

/**
 * struct shadowipc_msgsnd - msgsnd(2)
 * @msgp: user pointer to { long mtype; char mtext[]; }
 * @msgsz: size of mtext
 * @msqid: queue id
 * @msgflg: msgsnd(2)'s flags
 * @flags: must be zero
 * @pad: must be zero
 *
 * Returns 0.
 */
struct shadowipc_msgsnd {
	__u64 msgp;
	__u64 msgsz;
	__s32 msqid;
	__s32 msgflg;
	__u32 flags;
	__u32 pad;
};

/**
 * struct shadowipc_msgrcv - msgrcv(2)
 * @msgp: user pointer to { long mtype; char mtext[]; }
 * @msgsz: room in mtext
 * @msgtyp: msgrcv(2)'s msgtyp
 * @msqid: queue id
 * @msgflg: msgrcv(2)'s flags
 * @flags: must be zero
 * @pad: must be zero
 *
 * Returns the bytes copied into mtext.
 */
struct shadowipc_msgrcv {
	__u64 msgp;
	__u64 msgsz;
	__s64 msgtyp;
	__s32 msqid;
	__s32 msgflg;
	__u32 flags;
	__u32 pad;
};

/**
 * struct shadowipc_msgctl - msgctl(2)
 * @buf: user pointer to struct msqid_ds, msginfo (x86_64 layouts)
 * @msqid: queue id (or index for MSG_STAT/MSG_STAT_ANY)
 * @cmd: msgctl(2) command
 * @flags: must be zero
 * @pad: must be zero
 *
 * Returns what msgctl(2) returns.
 */
struct shadowipc_msgctl {
	__u64 buf;
	__s32 msqid;
	__s32 cmd;
	__u32 flags;
	__u32 pad;
};

/**
 * struct shadowipc_semget - semget(2)
 * @key: IPC key, 0 for IPC_PRIVATE
 * @nsems: number of semaphores
 * @semflg: semget(2)'s flags
 * @flags: must be zero
 *
 * Returns the semaphore set id.
 */
struct shadowipc_semget {
	__s32 key;
	__s32 nsems;
	__s32 semflg;
	__u32 flags;
};

/**
 * struct shadowipc_semop - semtimedop(2) (semop(2) with @timeout 0)
 * @sops: user pointer to struct sembuf[@nsops]
 * @nsops: number of operations (semtimedop(2)'s unsigned int)
 * @pad: must be zero; where ABI 1's __u64 @nsops had its high half, so a
 *	count above UINT_MAX from such a program is EINVAL, not narrowed
 * @timeout: user pointer to struct timespec (relative), or 0 for none
 * @semid: semaphore set id
 * @flags: must be zero
 *
 * Returns 0.
 */
struct shadowipc_semop {
	__u64 sops;
	__u32 nsops;
	__u32 pad;
	__u64 timeout;
	__s32 semid;
	__u32 flags;
};

/**
 * struct shadowipc_semctl - semctl(2)
 * @arg: the union semun argument: an int value for SETVAL, else a user
 *	pointer (struct semid_ds, seminfo, unsigned short array)
 * @semid: semaphore set id (or index for SEM_STAT/SEM_STAT_ANY)
 * @semnum: semaphore number
 * @cmd: semctl(2) command
 * @flags: must be zero
 *
 * Returns what semctl(2) returns.
 */
struct shadowipc_semctl {
	__u64 arg;
	__s32 semid;
	__s32 semnum;
	__s32 cmd;
	__u32 flags;
};

/**
 * struct shadowipc_mq_open - mq_open(2), the system call (not glibc's)
 * @name: user pointer to the queue's name without glibc's leading '/',
 *	NUL-terminated, as the system call takes it
 * @attr: user pointer to struct mq_attr, or 0 (read when non-zero, used
 *	only with O_CREAT)
 * @oflag: O_RDONLY, O_WRONLY, O_RDWR, O_CREAT, O_EXCL, O_NONBLOCK
 * @mode: permission bits for a new queue (the umask applies)
 * @flags: must be zero
 * @pad: must be zero
 *
 * Returns a new file descriptor for the queue, always close-on-exec as
 * Linux's mq_open() makes it. The descriptor is the mqd_t: close(2)
 * closes it, poll(2) reports POLLIN/POLLOUT, read(2) gives the status
 * line of a file under /dev/mqueue, fcntl(F_SETFL) changes O_NONBLOCK.
 * Errors as mq_open(2): EACCES, EEXIST, EINVAL, EMFILE, ENAMETOOLONG,
 * ENOENT, ENOSPC, ENOMEM, EFAULT.
 */
struct shadowipc_mq_open {
	__u64 name;
	__u64 attr;
	__s32 oflag;
	__u32 mode;
	__u32 flags;
	__u32 pad;
};

/**
 * struct shadowipc_mq_unlink - mq_unlink(2), the system call
 * @name: user pointer to the name without the leading '/'
 * @flags: must be zero
 * @pad: must be zero
 *
 * Errors as the system call: ENOENT, EACCES, ENAMETOOLONG, and EPERM
 * where glibc's mq_unlink() reports EACCES (the sticky directory rule).
 */
struct shadowipc_mq_unlink {
	__u64 name;
	__u32 flags;
	__u32 pad;
};

/**
 * struct shadowipc_mq_timedsend - mq_timedsend(2)
 * @msg: user pointer to the message
 * @len: its length
 * @timeout: user pointer to an absolute CLOCK_REALTIME struct
 *	__kernel_timespec, or 0 to wait for ever
 * @fd: a queue descriptor from SHADOWIPC_IOC_MQ_OPEN
 * @prio: the message's priority, below MQ_PRIO_MAX (32768)
 * @flags: must be zero
 * @pad: must be zero
 *
 * Errors as mq_timedsend(2): EBADF, EMSGSIZE, EAGAIN, ETIMEDOUT, EINTR,
 * EINVAL, EFAULT, ENOMEM.
 */
struct shadowipc_mq_timedsend {
	__u64 msg;
	__u64 len;
	__u64 timeout;
	__s32 fd;
	__u32 prio;
	__u32 flags;
	__u32 pad;
};

/**
 * struct shadowipc_mq_timedreceive - mq_timedreceive(2)
 * @msg: user pointer to the buffer
 * @len: its size, at least the queue's mq_msgsize
 * @prio: user pointer to an unsigned int for the priority, or 0
 * @timeout: as in struct shadowipc_mq_timedsend
 * @fd: a queue descriptor
 * @flags: must be zero
 *
 * Returns the message's length. Errors as mq_timedreceive(2).
 */
struct shadowipc_mq_timedreceive {
	__u64 msg;
	__u64 len;
	__u64 prio;
	__u64 timeout;
	__s32 fd;
	__u32 flags;
};

/**
 * struct shadowipc_mq_notify - mq_notify(2)
 * @sevp: user pointer to a struct sigevent, or 0 to remove the caller's
 *	registration. SIGEV_NONE and SIGEV_SIGNAL are Linux's. SIGEV_THREAD
 *	differs from the system call: sigev_signo is an eventfd (not a
 *	netlink socket) the module adds 1 to when the notification fires;
 *	sigev_value is not read. The caller runs the thread (libshadowipc's
 *	and the shim's mq_notify() do, as glibc does over netlink).
 * @fd: a queue descriptor
 * @flags: must be zero
 *
 * Errors as mq_notify(2): EBADF, EBUSY, EINVAL, EFAULT, ENOMEM.
 */
struct shadowipc_mq_notify {
	__u64 sevp;
	__s32 fd;
	__u32 flags;
};

/**
 * struct shadowipc_mq_getsetattr - mq_getsetattr(2)
 * @newattr: user pointer to struct mq_attr whose mq_flags (O_NONBLOCK or
 *	0) is set, or 0
 * @oldattr: user pointer to a struct mq_attr to fill, or 0
 * @fd: a queue descriptor
 * @flags: must be zero
 *
 * Errors as mq_getsetattr(2): EBADF, EINVAL, EFAULT.
 */
struct shadowipc_mq_getsetattr {
	__u64 newattr;
	__u64 oldattr;
	__s32 fd;
	__u32 flags;
};

/*
 * Shared key tables: a get of an existing key answered without a system
 * call. Two read-only MAP_SHARED mappings of the device (EACCES with
 * PROT_WRITE, EINVAL for a wrong length or offset; mprotect() cannot add
 * PROT_WRITE later):
 *
 * - SHADOWIPC_MMAP_VIEW, one page, a struct shadowipc_view. Its @ns_id is
 *   the namespace every task using this address space is in, or 0 when
 *   they are not all in one (or might not be): then ask the device. It is
 *   updated before a namespace switch returns; a process forked later
 *   gets a view of its own.
 * - SHADOWIPC_MMAP_KEYS(kind), SHADOWIPC_KEYS_SIZE bytes, the key table
 *   of one kind (SHADOWIPC_KIND_SHM, _MSG or _SEM) of the caller's
 *   namespace: a struct shadowipc_keys_head page, then
 *   SHADOWIPC_KEYS_SLOTS slots. The table of a namespace stays the same
 *   for its whole life; @ns_id in its head says whose it is.
 *
 * The slots cache the objects that have a key: a key is in one of the
 * SHADOWIPC_KEYS_PROBES slots from shadowipc_key_hash(key) on (wrapping),
 * or not cached. A slot holds one object's key (0 when empty), id, mode
 * bits and, for shm, its size; @seq is odd while the module rewrites it,
 * so a reader reads @seq, the fields, then @seq again, and trusts the
 * fields only if both reads are the same even number.
 *
 * A get(key, size, flg) found in a slot returns the slot's id exactly
 * when Linux would succeed for every caller: not IPC_CREAT | IPC_EXCL,
 * @size at most the slot's size (shm: the segment's; 0 for msg; sem: the
 * set's nsems, and nsems also at most the head's @semmsl, which Linux
 * checks first), and every bit of flg's requested access granted to
 * owner, group and others alike. Anything else, and a key not found, is
 * asked of the device, which gives Linux's answer.
 */
#define SHADOWIPC_MMAP_VIEW		0ULL
#define SHADOWIPC_MMAP_KEYS(kind)	(((__u64)(kind) + 1) << 32)
#define SHADOWIPC_KEYS_SLOT_BITS	16
#define SHADOWIPC_KEYS_SLOTS		(1U << SHADOWIPC_KEYS_SLOT_BITS)
#define SHADOWIPC_KEYS_PROBES		8
#define SHADOWIPC_KEYS_HEAD_SIZE	4096
#define SHADOWIPC_KEYS_SIZE		(SHADOWIPC_KEYS_HEAD_SIZE + \
					 SHADOWIPC_KEYS_SLOTS * 32)

/**
 * struct shadowipc_view - the page at SHADOWIPC_MMAP_VIEW
 * @ns_id: the namespace of every task of this address space, or 0
 */
struct shadowipc_view {
	__u64 ns_id;
};

/**
 * struct shadowipc_keys_head - the first page of a key table
 * @ns_id: the namespace whose table this is
 * @kind: SHADOWIPC_KIND_SHM, _MSG or _SEM
 * @semmsl: for _SEM, the namespace's SEMMSL (kernel.sem's first value,
 *	signed as Linux compares it), kept up to date; 0 for the others
 */
struct shadowipc_keys_head {
	__u64 ns_id;
	__u32 kind;
	__s32 semmsl;
};

/**
 * struct shadowipc_key_slot - one cached key
 * @seq: even when stable, odd while being rewritten
 * @key: the key; 0 for an empty slot
 * @id: the object's id
 * @mode: the object's permission bits (0777)
 * @size: the largest size a get may ask for: the segment size for shm,
 *	0 for msg, the set's nsems for sem
 * @pad: zero
 */
struct shadowipc_key_slot {
	__u32 seq;
	__s32 key;
	__s32 id;
	__u32 mode;
	__u64 size;
	__u64 pad;
};

/* The first slot to probe for @key. */
static inline __u32 shadowipc_key_hash(__s32 key)
{
	return ((__u32)key * 0x9e3779b1U) >> (32 - SHADOWIPC_KEYS_SLOT_BITS);
}

/**
 * enum shadowipc_check - which check refused a call
 * @SHADOWIPC_CHECK_PERM: the object's (or queue's) permission bits: @asked
 *	the access bits asked for (4 read, 2 write), @limit those the
 *	caller's credential is granted, @used the class of bits compared
 *	(an enum shadowipc_perm_class)
 * @SHADOWIPC_CHECK_OWNER: the caller is neither owner nor creator nor
 *	privileged (IPC_SET, IPC_RMID, SHM_LOCK)
 * @SHADOWIPC_CHECK_SHMMIN: segment size in bytes below SHMMIN
 * @SHADOWIPC_CHECK_SHMMAX: segment size in bytes above shmmax
 * @SHADOWIPC_CHECK_SHMALL: pages in use + pages asked above shmall
 * @SHADOWIPC_CHECK_SHMMNI: segments in use at shmmni
 * @SHADOWIPC_CHECK_MSGMNI: message queues in use at msgmni
 * @SHADOWIPC_CHECK_SEMMNI: semaphore sets in use at semmni
 * @SHADOWIPC_CHECK_MSGMAX: message size in bytes above msgmax
 * @SHADOWIPC_CHECK_MSGMNB: bytes queued + bytes asked above a queue's
 *	qbytes (msgsnd), or qbytes asked above msgmnb (IPC_SET)
 * @SHADOWIPC_CHECK_SEMMSL: semaphores asked above semmsl
 * @SHADOWIPC_CHECK_SEMMNS: semaphores in use + asked above semmns
 * @SHADOWIPC_CHECK_SEMOPM: operations asked above semopm
 * @SHADOWIPC_CHECK_SEMVMX: a value above SEMVMX (SETVAL, SETALL; for
 *	semop, the value the operation would make)
 * @SHADOWIPC_CHECK_MEMLOCK: a segment's pages to lock (SHM_LOCK), over
 *	RLIMIT_MEMLOCK in pages for the caller's uid (@used: its pages
 *	locked already; at a level up its user namespaces, that level's
 *	limit and use)
 * @SHADOWIPC_CHECK_MQ_QUEUES_MAX: POSIX queues in use at queues_max
 * @SHADOWIPC_CHECK_MQ_MSG_MAX: mq_maxmsg asked above msg_max
 * @SHADOWIPC_CHECK_MQ_MSGSIZE_MAX: mq_msgsize asked above msgsize_max
 * @SHADOWIPC_CHECK_MSGQUEUE: a new queue's bytes over RLIMIT_MSGQUEUE
 *	for the caller's uid (@used: the bytes of its queues; as MEMLOCK up
 *	its user namespaces)
 * @SHADOWIPC_CHECK_MAX_NAMESPACES: the caller's euid has the
 *	max_namespaces (module parameter) live namespaces (@used: how many
 *	it has; as MEMLOCK up its user namespaces)
 * @SHADOWIPC_CHECK_JOIN: the namespace-join rule of SHADOWIPC_IOC_SETNS
 * @SHADOWIPC_CHECK_SEMAEM: a semop with SEM_UNDO would take the
 *	semaphore's adjustment beyond SEMAEM: @asked its magnitude
 * @SHADOWIPC_CHECK_NS_FD: SHADOWIPC_IOC_NS_FD's rule: the caller may not
 *	read the thread's /proc/PID/ns/ipc (reported in the caller's own
 *	namespace)
 * @SHADOWIPC_NR_CHECKS: the number of checks
 *
 * The counts of the *MNI checks, QUEUES_MAX and MAX_NAMESPACES ask for
 * 1. Where a number does not apply, it is 0.
 */
enum shadowipc_check {
	SHADOWIPC_CHECK_PERM = 0,
	SHADOWIPC_CHECK_OWNER = 1,
	SHADOWIPC_CHECK_SHMMIN = 2,
	SHADOWIPC_CHECK_SHMMAX = 3,
	SHADOWIPC_CHECK_SHMALL = 4,
	SHADOWIPC_CHECK_SHMMNI = 5,
	SHADOWIPC_CHECK_MSGMNI = 6,
	SHADOWIPC_CHECK_SEMMNI = 7,
	SHADOWIPC_CHECK_MSGMAX = 8,
	SHADOWIPC_CHECK_MSGMNB = 9,
	SHADOWIPC_CHECK_SEMMSL = 10,
	SHADOWIPC_CHECK_SEMMNS = 11,
	SHADOWIPC_CHECK_SEMOPM = 12,
	SHADOWIPC_CHECK_SEMVMX = 13,
	SHADOWIPC_CHECK_MEMLOCK = 14,
	SHADOWIPC_CHECK_MQ_QUEUES_MAX = 15,
	SHADOWIPC_CHECK_MQ_MSG_MAX = 16,
	SHADOWIPC_CHECK_MQ_MSGSIZE_MAX = 17,
	SHADOWIPC_CHECK_MSGQUEUE = 18,
	SHADOWIPC_CHECK_MAX_NAMESPACES = 19,
	SHADOWIPC_CHECK_JOIN = 20,
	SHADOWIPC_CHECK_SEMAEM = 21,
	SHADOWIPC_CHECK_NS_FD = 22,
	SHADOWIPC_NR_CHECKS
};

/**
 * enum shadowipc_perm_class - whose permission bits a PERM check compared
 * @SHADOWIPC_PERM_OWNER: the owner's: the caller's euid (a queue's: fsuid)
 *	is the owner's or, for System V objects, the creator's
 * @SHADOWIPC_PERM_GROUP: the group's: the caller is in the owner's or the
 *	creator's group
 * @SHADOWIPC_PERM_OTHER: the others'
 */
enum shadowipc_perm_class {
	SHADOWIPC_PERM_OWNER = 1,
	SHADOWIPC_PERM_GROUP = 2,
	SHADOWIPC_PERM_OTHER = 3,
};

/**
 * struct shadowipc_last_refusal - why the calling thread's last call failed
 * @flags: must be zero
 * @check: out: an enum shadowipc_check
 * @err: out: the errno the refused call returned (positive)
 * @pad: must be zero
 * @ns_id: out: the namespace the call was made in (for max_namespaces,
 *	the root namespace of the caller's real IPC namespace, where new
 *	namespaces are made)
 * @asked: out: the amount asked for (see enum shadowipc_check)
 * @used: out: the amount in use
 * @limit: out: the limit reached
 *
 * SHADOWIPC_IOC_LAST_REFUSAL returns the last refusal by a limit or
 * permission check (those the shadowipc_refuse trace event reports) of a
 * call the calling thread made, and clears it once copied out: a second
 * read, or a read by a thread none of whose calls was refused since its
 * last read, fails with ENOENT. Each thread has its own; a new thread
 * starts with none; it goes with the thread. A call that fails or succeeds without being
 * refused by a check leaves it as it was: compare @err with the errno of
 * the call to be explained. A refusal for which no memory could be had
 * (the first of a thread outside any shadow namespace needs a small
 * record, allocated without sleeping) is not kept.
 * Errors: ENOENT (none), EINVAL (@flags or @pad non-zero).
 */
struct shadowipc_last_refusal {
	__u32 flags;
	__u32 check;
	__s32 err;
	__u32 pad;
	__u64 ns_id;
	__u64 asked;
	__u64 used;
	__u64 limit;
};

/* 0x00-0x0f: module */
#define SHADOWIPC_IOC_VERSION	_IOWR(SHADOWIPC_IOC_MAGIC, 0x00, struct shadowipc_version)
#define SHADOWIPC_IOC_STATUS	_IOWR(SHADOWIPC_IOC_MAGIC, 0x01, struct shadowipc_status)
#define SHADOWIPC_IOC_LAST_REFUSAL	\
	_IOWR(SHADOWIPC_IOC_MAGIC, 0x02, struct shadowipc_last_refusal)
/* 0x10-0x1f: namespaces */
#define SHADOWIPC_IOC_UNSHARE	_IOWR(SHADOWIPC_IOC_MAGIC, 0x10, struct shadowipc_unshare)
#define SHADOWIPC_IOC_NS_FD	_IOWR(SHADOWIPC_IOC_MAGIC, 0x11, struct shadowipc_ns_fd)
#define SHADOWIPC_IOC_SETNS	_IOW(SHADOWIPC_IOC_MAGIC, 0x12, struct shadowipc_setns)
#define SHADOWIPC_IOC_NS_INFO	_IOWR(SHADOWIPC_IOC_MAGIC, 0x13, struct shadowipc_ns_info)
#define SHADOWIPC_IOC_NS_DRAIN	_IOWR(SHADOWIPC_IOC_MAGIC, 0x14, struct shadowipc_ns_drain)
/* 0x20-0x2f: System V shared memory */
#define SHADOWIPC_IOC_SHMGET	_IOW(SHADOWIPC_IOC_MAGIC, 0x20, struct shadowipc_shmget)
#define SHADOWIPC_IOC_SHMAT	_IOWR(SHADOWIPC_IOC_MAGIC, 0x21, struct shadowipc_shmat)
#define SHADOWIPC_IOC_SHMDT	_IOW(SHADOWIPC_IOC_MAGIC, 0x22, struct shadowipc_shmdt)
#define SHADOWIPC_IOC_SHMCTL	_IOW(SHADOWIPC_IOC_MAGIC, 0x23, struct shadowipc_shmctl)
/* 0x30-0x3f: System V message queues */
#define SHADOWIPC_IOC_MSGGET	_IOW(SHADOWIPC_IOC_MAGIC, 0x30, struct shadowipc_msgget)
#define SHADOWIPC_IOC_MSGSND	_IOW(SHADOWIPC_IOC_MAGIC, 0x31, struct shadowipc_msgsnd)
#define SHADOWIPC_IOC_MSGRCV	_IOW(SHADOWIPC_IOC_MAGIC, 0x32, struct shadowipc_msgrcv)
#define SHADOWIPC_IOC_MSGCTL	_IOW(SHADOWIPC_IOC_MAGIC, 0x33, struct shadowipc_msgctl)
/* 0x40-0x4f: System V semaphores */
#define SHADOWIPC_IOC_SEMGET	_IOW(SHADOWIPC_IOC_MAGIC, 0x40, struct shadowipc_semget)
#define SHADOWIPC_IOC_SEMOP	_IOW(SHADOWIPC_IOC_MAGIC, 0x41, struct shadowipc_semop)
#define SHADOWIPC_IOC_SEMCTL	_IOW(SHADOWIPC_IOC_MAGIC, 0x42, struct shadowipc_semctl)
/* 0x50-0x5f: POSIX message queues (ioctls on the device; @fd names the queue) */
#define SHADOWIPC_IOC_MQ_OPEN	_IOW(SHADOWIPC_IOC_MAGIC, 0x50, struct shadowipc_mq_open)
#define SHADOWIPC_IOC_MQ_UNLINK	_IOW(SHADOWIPC_IOC_MAGIC, 0x51, struct shadowipc_mq_unlink)
#define SHADOWIPC_IOC_MQ_TIMEDSEND	\
	_IOW(SHADOWIPC_IOC_MAGIC, 0x52, struct shadowipc_mq_timedsend)
#define SHADOWIPC_IOC_MQ_TIMEDRECEIVE	\
	_IOW(SHADOWIPC_IOC_MAGIC, 0x53, struct shadowipc_mq_timedreceive)
#define SHADOWIPC_IOC_MQ_NOTIFY	_IOW(SHADOWIPC_IOC_MAGIC, 0x54, struct shadowipc_mq_notify)
#define SHADOWIPC_IOC_MQ_GETSETATTR	\
	_IOW(SHADOWIPC_IOC_MAGIC, 0x55, struct shadowipc_mq_getsetattr)

#endif /* _UAPI_LINUX_SHADOWIPC_H */
