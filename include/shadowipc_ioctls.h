/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The list of shadowipc's ioctls, one line each, which the module's
 * dispatch table (module/main.c) and the selftests' tables expand. Not a
 * uapi header: the ABI is include/uapi/linux/shadowipc.h.
 *
 * SHADOWIPC_IOCTLS(X) calls X(NAME, sfx, size0, valid, pad, files, ior)
 * for each:
 *
 * - NAME: SHADOWIPC_IOC_<NAME> is the command. Paste it, never pass it on
 *   unpasted: linux/ipc.h defines SEMCTL, SHMAT and others.
 * - sfx: its struct is struct shadowipc_<sfx>.
 * - size0: the size of that struct's first published version, the
 *   smallest a program can have been built with.
 * - valid: the bits its flags field takes.
 * - pad: pad when the struct has a pad field that must be zero, else
 *   nopad (SHADOWIPC_IOC_PAD_OFF()).
 * - files: which files take it, SHADOWIPC_ON_DEV and SHADOWIPC_ON_HANDLE.
 * - ior: 1 when ABI 1 numbered it _IOR, a number that still works.
 *
 * Every struct's flags and pad fields are __u32.
 */
#ifndef _SHADOWIPC_IOCTLS_H
#define _SHADOWIPC_IOCTLS_H

#include <linux/shadowipc.h>

#define SHADOWIPC_ON_DEV	0x1	/* /dev/shadowipc */
#define SHADOWIPC_ON_HANDLE	0x2	/* a namespace handle (NS_FD) */
#define SHADOWIPC_ON_BOTH	(SHADOWIPC_ON_DEV | SHADOWIPC_ON_HANDLE)

/* The offset of struct shadowipc_<sfx>'s pad field, 0 for nopad. */
#define SHADOWIPC_IOC_PAD_OFF(sfx, pad)	SHADOWIPC_IOC_PAD_OFF_##pad(sfx)
#define SHADOWIPC_IOC_PAD_OFF_pad(sfx)	offsetof(struct shadowipc_##sfx, pad)
#define SHADOWIPC_IOC_PAD_OFF_nopad(sfx)	0

#define SHADOWIPC_IOCTLS(X)						\
	X(VERSION, version, 8, 0, nopad, SHADOWIPC_ON_DEV, 1)		\
	X(STATUS, status, 48, SHADOWIPC_STATUS_VALID_FLAGS, pad,	\
	  SHADOWIPC_ON_DEV, 1)						\
	X(LAST_REFUSAL, last_refusal, 48, 0, pad, SHADOWIPC_ON_DEV, 0)	\
	X(UNSHARE, unshare, 16, 0, pad, SHADOWIPC_ON_DEV, 0)		\
	X(NS_FD, ns_fd, 16, SHADOWIPC_NS_FD_VALID_FLAGS, nopad,		\
	  SHADOWIPC_ON_DEV, 0)						\
	X(SETNS, setns, 8, 0, nopad, SHADOWIPC_ON_DEV, 0)		\
	X(NS_INFO, ns_info, 176, 0, pad, SHADOWIPC_ON_BOTH, 0)		\
	X(NS_DRAIN, ns_drain, 72, 0, pad, SHADOWIPC_ON_HANDLE, 0)	\
	X(SHMGET, shmget, 24, 0, pad, SHADOWIPC_ON_DEV, 0)		\
	X(SHMAT, shmat, 24, 0, pad, SHADOWIPC_ON_DEV, 0)		\
	X(SHMDT, shmdt, 16, 0, pad, SHADOWIPC_ON_DEV, 0)		\
	X(SHMCTL, shmctl, 24, 0, pad, SHADOWIPC_ON_DEV, 0)		\
	X(MSGGET, msgget, 16, 0, pad, SHADOWIPC_ON_DEV, 0)		\
	X(MSGSND, msgsnd, 32, 0, pad, SHADOWIPC_ON_DEV, 0)		\
	X(MSGRCV, msgrcv, 40, 0, pad, SHADOWIPC_ON_DEV, 0)		\
	X(MSGCTL, msgctl, 24, 0, pad, SHADOWIPC_ON_DEV, 0)		\
	X(SEMGET, semget, 16, 0, nopad, SHADOWIPC_ON_DEV, 0)		\
	X(SEMOP, semop, 32, 0, pad, SHADOWIPC_ON_DEV, 0)		\
	X(SEMCTL, semctl, 24, 0, nopad, SHADOWIPC_ON_DEV, 0)		\
	X(MQ_OPEN, mq_open, 32, 0, pad, SHADOWIPC_ON_DEV, 0)		\
	X(MQ_UNLINK, mq_unlink, 16, 0, pad, SHADOWIPC_ON_DEV, 0)	\
	X(MQ_TIMEDSEND, mq_timedsend, 40, 0, pad, SHADOWIPC_ON_DEV, 0)	\
	X(MQ_TIMEDRECEIVE, mq_timedreceive, 40, 0, nopad,		\
	  SHADOWIPC_ON_DEV, 0)						\
	X(MQ_NOTIFY, mq_notify, 16, 0, nopad, SHADOWIPC_ON_DEV, 0)	\
	X(MQ_GETSETATTR, mq_getsetattr, 24, 0, nopad, SHADOWIPC_ON_DEV, 0)

#endif /* _SHADOWIPC_IOCTLS_H */
