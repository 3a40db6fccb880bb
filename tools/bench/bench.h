/* SPDX-License-Identifier: GPL-2.0 */
/*
 * shadowipc-bench: shared declarations.
 *
 * The benchmark runs every workload twice per round: once through the
 * system calls in a private IPC namespace (the "native" side) and once
 * through libshadowipc in a fresh shadow namespace (the "shadow" side).
 * Each side is a long-lived worker process that entered its namespace at
 * start; the parent sends it requests over a socketpair and collects one
 * reply per request (see worker.c).
 */
#ifndef SHADOWIPC_BENCH_H
#define SHADOWIPC_BENCH_H

#include <stddef.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>
#include <sys/types.h>

#define SIDE_NATIVE	0
#define SIDE_SHADOW	1

/* One way of doing System V IPC: the system calls, or the module. */
struct side {
	const char *name;
	/* Move the calling thread into a new, empty IPC namespace. */
	int (*enter_ns)(void);
	/* An fd that keeps the caller's current namespace alive. */
	int (*pin_ns)(void);
	/* Raise the caller's namespace's shmmni; 0 or -1 with errno. */
	int (*set_shmmni)(unsigned int n);
	/* Wait for deferred namespace teardown, where the side can. */
	int (*flush)(void);
	/* The side's cheapest call: getppid(), or the VERSION ioctl. */
	int (*null_call)(void);
	/* Entering the side and nothing else: getppid(), or an ioctl the
	 * device refuses (ENOTTY) before any work of the module's. */
	int (*enter_call)(void);
	int (*shmget)(key_t key, size_t size, int shmflg);
	void *(*shmat)(int shmid, const void *addr, int shmflg);
	int (*shmdt)(const void *addr);
	int (*shmctl)(int shmid, int cmd, struct shmid_ds *buf);
	int (*msgget)(key_t key, int msgflg);
	int (*msgsnd)(int msqid, const void *msgp, size_t msgsz, int msgflg);
	ssize_t (*msgrcv)(int msqid, void *msgp, size_t msgsz, long msgtyp,
			  int msgflg);
	int (*msgctl)(int msqid, int cmd, struct msqid_ds *buf);
	int (*semget)(key_t key, int nsems, int semflg);
	int (*semop)(int semid, struct sembuf *sops, size_t nsops);
	int (*semrmid)(int semid);
	/* POSIX queues: a private queue of @maxmsg messages of @msgsize
	 * bytes (unlinked), then send and receive; close() closes it. */
	int (*mq_new)(long maxmsg, long msgsize);
	int (*mq_send)(int mqd, const char *msg, size_t len);
	ssize_t (*mq_receive)(int mqd, char *msg, size_t len);
	/* The argv prefix that runs a program on this side (NULL-ended). */
	const char *const *run_prefix;
};

extern const struct side native_side, shadow_side;

/* Requests a worker understands. */
enum bench_op {
	OP_QUIT,
	OP_SHMGET_RMID,		/* w1 */
	OP_LOOKUP_GROW,		/* w2: arg = segments wanted */
	OP_LOOKUP,		/* w2: arg = segments present */
	OP_LOOKUP_CLEAR,	/* w2 */
	OP_ATTACH,		/* w3 */
	OP_TOUCH,		/* w4: arg = MiB */
	OP_CHURN,		/* w5: wall clock */
	OP_CHURN_CPU,		/* w5: CPU time */
	OP_IDLE_MEM,		/* w5: arg = namespaces */
	OP_CONTEND,		/* w6 */
	OP_MSG_PINGPONG,	/* w7 */
	OP_SEMOP,		/* w7 */
	OP_FLOOR,		/* shmctl(IPC_INFO): the call path alone */
	OP_STRESS,		/* w8: arg = STRESS_* * 100 + P */
	OP_IPC_CONTEND,		/* w9: arg = CONTEND_* * 100 + P */
};

/* w8: what stress-ng runs; P is --sem-sysv-procs, else instances. */
enum stress_kind {
	STRESS_SEM,		/* --sem-sysv 1 --sem-sysv-procs P */
	STRESS_MSG,		/* --msg P */
	STRESS_MQ,		/* --mq P */
	STRESS_SHM,		/* --shm-sysv P */
	STRESS_MIX,		/* --shm-sysv 2 --msg 2 --sem-sysv 2 --mq 2 */
};

/* w9: P processes (P senders and P receivers for queues), not pinned. */
enum contend_kind {
	CONTEND_SEM,		/* semop -1/+1 on one semaphore of a set */
	CONTEND_SEMMANY,	/* the same, each on its own semaphore */
	CONTEND_MSG,		/* msgsnd/msgrcv on one queue */
	CONTEND_MQ,		/* mq_send/mq_receive on one POSIX queue */
};

#define NVAL 12

struct request {
	int op;
	int arg;
	double dur;		/* seconds per timed loop */
};

struct reply {
	int ok;
	int nv;
	double v[NVAL];
	char msg[160];		/* why not ok */
	char extra[1024];	/* a JSON object, or "" */
};

/* worker.c */
void worker_main(const struct side *s, int sock);

/* util.c */
struct samples {
	double *v;
	int n, cap;
};

struct rate {
	double rate;		/* batch size / median batch time */
	double mean_rate;	/* operations / elapsed */
	long ops;
	int batch;
};

double now(void);
double median_sort(double *v, int n);
int samples_add(struct samples *s, double x);
void samples_free(struct samples *s);
int timed_run(int (*fn)(void *ctx, struct reply *rp), void *ctx, double dur,
	      struct reply *rp, struct rate *out);
int write_file(const char *path, const char *text);
int read_file(const char *path, char *buf, size_t size);
void vfail(struct reply *rp, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

struct memsample {
	/* /proc/meminfo, kB */
	long slab, kernel_stack, page_tables, percpu, vmalloc, mem_free;
	/* /proc/slabinfo: active objects times object size, per cache */
	int ncaches;
	struct {
		char name[40];
		long bytes;
	} cache[400];
};

void mem_sample(struct memsample *m);
long mem_settle(void);
double cpu_busy_ns(void);
long mem_kernel_kb(const struct memsample *m);

#endif /* SHADOWIPC_BENCH_H */
