/* SPDX-License-Identifier: GPL-2.0 */
/*
 * libshadowipc: the shadowipc ioctls as syscall-shaped calls. Each
 * function returns what the system call it mirrors returns, -1 with errno
 * set on failure. The device is opened on first use and kept open
 * (O_CLOEXEC); shadowipc_close() drops it.
 */
#ifndef _SHADOWIPC_LIB_H
#define _SHADOWIPC_LIB_H

#include <stdint.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/types.h>
#include <linux/shadowipc.h>

#include "refusal.h"

/* The device fd (opened on first call), or -1 with errno set. */
int shadowipc_fd(void);
void shadowipc_close(void);

int shadowipc_version(void);
/* @flags: 0, or SHADOWIPC_STATUS_SETTLE to wait for pending teardown. */
int shadowipc_status(struct shadowipc_status *st, __u32 flags);

/*
 * Why the calling thread's last refused call was refused (see
 * SHADOWIPC_IOC_LAST_REFUSAL): fills @r and clears it; -1 with errno
 * ENOENT when there is none. refusal.h writes one out as text.
 */
int shadowipc_last_refusal(struct shadowipc_last_refusal *r);

/* Namespaces. */
int shadowipc_unshare(uint64_t *ns_id);
int shadowipc_ns_fd(pid_t pid, uint64_t *ns_id);
int shadowipc_setns(int fd);
/* @fd: a handle, or -1 for the caller's namespace. */
int shadowipc_ns_info(int fd, struct shadowipc_ns_info *info);
uint64_t shadowipc_ns_id(void);
/* A watch handle on @pid's namespace: polls POLLHUP once it is gone. */
int shadowipc_ns_watch(pid_t pid, uint64_t *ns_id);
/* Remove every object of the idle namespace of handle @fd. */
int shadowipc_ns_drain(int fd, struct shadowipc_ns_drain *removed);

/* System V shared memory. */
int shadowipc_shmget(key_t key, size_t size, int shmflg);
void *shadowipc_shmat(int shmid, const void *shmaddr, int shmflg);
int shadowipc_shmdt(const void *shmaddr);
int shadowipc_shmctl(int shmid, int cmd, struct shmid_ds *buf);

/* System V message queues. */
int shadowipc_msgget(key_t key, int msgflg);
int shadowipc_msgsnd(int msqid, const void *msgp, size_t msgsz, int msgflg);
ssize_t shadowipc_msgrcv(int msqid, void *msgp, size_t msgsz, long msgtyp,
			 int msgflg);
int shadowipc_msgctl(int msqid, int cmd, struct msqid_ds *buf);

/* System V semaphores. semctl's fourth argument is a union semun, read
 * for the commands that take one, as libc does.
 */
struct timespec;
int shadowipc_semget(key_t key, int nsems, int semflg);
int shadowipc_semop(int semid, struct sembuf *sops, size_t nsops);
int shadowipc_semtimedop(int semid, struct sembuf *sops, size_t nsops,
			 const struct timespec *timeout);
int shadowipc_semctl(int semid, int semnum, int cmd, ...);

/*
 * POSIX message queues, shaped like glibc's calls: names start with '/'
 * (EINVAL otherwise), an mqd_t is a file descriptor (close() closes it;
 * shadowipc_mq_close() is close()), mq_unlink's EPERM is EACCES, and
 * SIGEV_THREAD runs the function on a new thread (see mq_notify(3)).
 */
#include <mqueue.h>
mqd_t shadowipc_mq_open(const char *name, int oflag, ...);
int shadowipc_mq_close(mqd_t mqdes);
int shadowipc_mq_unlink(const char *name);
int shadowipc_mq_send(mqd_t mqdes, const char *msg, size_t len,
		      unsigned int prio);
int shadowipc_mq_timedsend(mqd_t mqdes, const char *msg, size_t len,
			   unsigned int prio, const struct timespec *abs);
ssize_t shadowipc_mq_receive(mqd_t mqdes, char *msg, size_t len,
			     unsigned int *prio);
ssize_t shadowipc_mq_timedreceive(mqd_t mqdes, char *msg, size_t len,
				  unsigned int *prio,
				  const struct timespec *abs);
int shadowipc_mq_notify(mqd_t mqdes, const struct sigevent *sevp);
int shadowipc_mq_getattr(mqd_t mqdes, struct mq_attr *attr);
int shadowipc_mq_setattr(mqd_t mqdes, const struct mq_attr *newattr,
			 struct mq_attr *oldattr);

#endif /* _SHADOWIPC_LIB_H */
