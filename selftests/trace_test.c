// SPDX-License-Identifier: GPL-2.0
/*
 * The shadowipc tracepoints, read back through tracefs: each event shows
 * up with its fields (namespace id, ipc id, key, size, pid, address,
 * refusal check, errno and numbers) when enabled, and nothing is recorded
 * when the events are off. Each test records into a trace instance of
 * its own, so that the global buffer is left alone.
 */
#include <stdarg.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/mount.h>
#include <sys/sem.h>
#include <sys/shm.h>

#include "kselftest_harness.h"
#include "sipc_test.h"

#define TRACEFS		"/sys/kernel/tracing"
#define INSTANCE	TRACEFS "/instances/shadowipc_test"
#define RECORD_CMD	TRACEFS "/options/record-cmd"
#define SHADOW_SYS	"/proc/shadowipc/sys/kernel/"
#define KEY		0x7ace
#define TRACE_SIZE	(1 << 20)

/* write(2) @val to @path: 0, or the errno. */
static int write_file(const char *path, const char *val)
{
	int fd = open(path, O_WRONLY | O_TRUNC), err = 0;

	if (fd < 0)
		return errno;
	if (write(fd, val, strlen(val)) < 0)
		err = errno;
	close(fd);
	return err;
}

/* Turn event @name of the shadowipc system on (@on) or off: 0 or errno. */
static int event_enable(const char *name, bool on)
{
	char path[256];

	snprintf(path, sizeof(path), INSTANCE "/events/shadowipc/%s/enable",
		 name);
	return write_file(path, on ? "1" : "0");
}

/* What the instance recorded, NUL-terminated, in a static buffer. */
static const char *trace_read(void)
{
	static char buf[TRACE_SIZE];

	if (sipc_read_file(INSTANCE "/trace", buf, sizeof(buf)) < 0)
		buf[0] = '\0';
	return buf;
}

/*
 * The first line of @buf at or after @from that contains the event
 * @event followed by @fields (printf-style). Return: the line's offset,
 * or -1.
 */
static long __attribute__((format(printf, 4, 5)))
trace_find(const char *buf, long from, const char *event,
	   const char *fields, ...)
{
	char want[512];
	const char *p;
	va_list ap;
	int n;

	n = snprintf(want, sizeof(want), "%s: ", event);
	va_start(ap, fields);
	vsnprintf(want + n, sizeof(want) - n, fields, ap);
	va_end(ap);
	if (from < 0)
		return -1;
	p = strstr(buf + from, want);
	return p ? p - buf : -1;
}

static bool tracefs_mounted(void)
{
	return !access(TRACEFS "/instances", F_OK);
}

FIXTURE(trace) {
	uint64_t ns;
	pid_t pid;
	char record_cmd[8];
};

FIXTURE_SETUP(trace)
{
	if (!sipc_dev_present())
		SKIP(return, "%s: %s (module not loaded)", SHADOWIPC_DEVICE,
		     strerror(errno));
	if (!tracefs_mounted() &&
	    mount("nodev", TRACEFS, "tracefs", 0, NULL))
		SKIP(return, "tracefs: cannot mount on %s: %s", TRACEFS,
		     strerror(errno));
	if (!tracefs_mounted())
		SKIP(return, "tracefs: no instances directory");
	/* a leftover of an earlier run goes first */
	rmdir(INSTANCE);
	/*
	 * An instance takes the top level's record-cmd (an option only the
	 * top level shows) when made. With it on, enabling an event hooks
	 * sched_switch and sched_wakeup to record command names: live
	 * patching of the scheduler's hottest code, which QEMU's TCG does
	 * not always see at once on the other vCPU (a stale int3 Oops in
	 * ttwu_do_activate()). The tests read pids, not names: make the
	 * instance with it off, and put the top level's back afterwards.
	 */
	ASSERT_LT(0, sipc_read_file(RECORD_CMD, self->record_cmd,
				    sizeof(self->record_cmd)))
		TH_LOG("%s: %s", RECORD_CMD, strerror(errno));
	ASSERT_EQ(0, write_file(RECORD_CMD, "0"));
	ASSERT_EQ(0, mkdir(INSTANCE, 0755)) TH_LOG("%s", strerror(errno));
	ASSERT_EQ(0, access(INSTANCE "/events/shadowipc", F_OK))
		TH_LOG("no shadowipc events in tracefs");
	ASSERT_EQ(0, shadowipc_unshare(&self->ns));
	self->pid = getpid();
}

FIXTURE_TEARDOWN(trace)
{
	if (!access(INSTANCE, F_OK)) {
		write_file(INSTANCE "/events/shadowipc/enable", "0");
		rmdir(INSTANCE);
	}
	if (self->record_cmd[0])
		write_file(RECORD_CMD, self->record_cmd);
}

/* Each event has a format file listing its fields, for trace-cmd and perf. */
TEST_F(trace, format_files_list_the_fields)
{
	static const struct { const char *event, *field; } f[] = {
		{ "shadowipc_ns_create", "field:u32 creator;" },
		{ "shadowipc_ns_destroy", "field:int reason;" },
		{ "shadowipc_obj_create", "field:int key;" },
		{ "shadowipc_obj_remove", "field:u64 size;" },
		{ "shadowipc_obj_destroy", "field:int pid;" },
		{ "shadowipc_shm_attach", "field:unsigned long addr;" },
		{ "shadowipc_shm_detach", "field:unsigned long size;" },
		{ "shadowipc_msg_send", "field:long mtype;" },
		{ "shadowipc_msg_receive", "field:size_t size;" },
		{ "shadowipc_semop", "field:unsigned int nsops;" },
		{ "shadowipc_mq_create", "field:long maxmsg;" },
		{ "shadowipc_mq_remove", "name;" },
		{ "shadowipc_mq_destroy", "field:long msgsize;" },
		{ "shadowipc_refuse", "field:u64 limit;" },
	};
	static char buf[8192];
	char path[256];
	size_t i;

	for (i = 0; i < sizeof(f) / sizeof(f[0]); i++) {
		snprintf(path, sizeof(path),
			 TRACEFS "/events/shadowipc/%s/format", f[i].event);
		ASSERT_LT(0, sipc_read_file(path, buf, sizeof(buf)))
			TH_LOG("%s: %s", path, strerror(errno));
		EXPECT_NE(NULL, strstr(buf, f[i].field))
			TH_LOG("%s has no \"%s\"", f[i].event, f[i].field);
		/* enums and kinds print by name */
		if (strstr(f[i].event, "refuse"))
			EXPECT_NE(NULL, strstr(buf, "\"shmmax\""));
	}
}

/* A namespace's creation and destruction: its id, root, creator, reason. */
TEST_F(trace, ns_create_destroy_show_id_creator_reason)
{
	uint64_t child_ns = 0;
	const char *buf;
	int pipefd[2];
	long at;
	pid_t pid;

	ASSERT_EQ(0, event_enable("shadowipc_ns_create", true));
	ASSERT_EQ(0, event_enable("shadowipc_ns_destroy", true));
	ASSERT_EQ(0, pipe(pipefd));
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		/* a namespace under the root (1) that dies with the child */
		if (shadowipc_unshare(&child_ns) ||
		    write(pipefd[1], &child_ns, sizeof(child_ns)) !=
		    sizeof(child_ns))
			_exit(1);
		_exit(0);
	}
	close(pipefd[1]);
	ASSERT_EQ(sizeof(child_ns), read(pipefd[0], &child_ns,
					 sizeof(child_ns)));
	close(pipefd[0]);
	ASSERT_EQ(0, sipc_wait(pid));
	sipc_status();	/* runs pending teardown */
	buf = trace_read();
	at = trace_find(buf, 0, "shadowipc_ns_create",
			"ns=%llu root=1 creator=0 reason=unshare",
			(unsigned long long)child_ns);
	EXPECT_LE(0, at) TH_LOG("no create of %llu in:\n%s",
				(unsigned long long)child_ns, buf);
	EXPECT_LE(0, trace_find(buf, at, "shadowipc_ns_destroy",
				"ns=%llu root=1 creator=0 reason=",
				(unsigned long long)child_ns))
		TH_LOG("no destroy of %llu after its create in:\n%s",
		       (unsigned long long)child_ns, buf);
}

/* shmget, shmat, shmdt, IPC_RMID: ns, id, key, size, pid and address. */
TEST_F(trace, shm_events_show_ns_id_key_size_pid_address)
{
	static const char *const ev[] = {
		"shadowipc_obj_create", "shadowipc_shm_attach",
		"shadowipc_shm_detach", "shadowipc_obj_remove",
		"shadowipc_obj_destroy",
	};
	unsigned long long ns = self->ns;
	const char *buf;
	unsigned long a;
	size_t i;
	void *p;
	long at;
	int id;

	for (i = 0; i < sizeof(ev) / sizeof(ev[0]); i++)
		ASSERT_EQ(0, event_enable(ev[i], true));
	id = shadowipc_shmget(KEY, 8192, IPC_CREAT | 0600);
	ASSERT_LE(0, id);
	p = shadowipc_shmat(id, NULL, 0);
	ASSERT_NE((void *)-1, p);
	a = (unsigned long)p;
	ASSERT_EQ(0, shadowipc_shmdt(p));
	ASSERT_EQ(0, shadowipc_shmctl(id, IPC_RMID, NULL));

	buf = trace_read();
	at = trace_find(buf, 0, "shadowipc_obj_create",
			"ns=%llu kind=shm id=%d key=0x%08x size=8192 pid=%d",
			ns, id, KEY, self->pid);
	at = trace_find(buf, at, "shadowipc_shm_attach",
			"ns=%llu id=%d pid=%d addr=0x%lx size=8192",
			ns, id, self->pid, a);
	at = trace_find(buf, at, "shadowipc_shm_detach",
			"ns=%llu id=%d pid=%d addr=0x%lx size=8192",
			ns, id, self->pid, a);
	at = trace_find(buf, at, "shadowipc_obj_remove",
			"ns=%llu kind=shm id=%d key=0x%08x size=8192 pid=%d",
			ns, id, KEY, self->pid);
	at = trace_find(buf, at, "shadowipc_obj_destroy",
			"ns=%llu kind=shm id=%d key=0x%08x size=8192 pid=%d",
			ns, id, KEY, self->pid);
	EXPECT_LE(0, at) TH_LOG("missing or out of order, in:\n%s", buf);
}

/* msgsnd, msgrcv, semop and their objects: ns, id, type, size, nsops. */
TEST_F(trace, msg_sem_events_show_ns_id_size_nsops)
{
	struct { long mtype; char mtext[100]; } m = { .mtype = 7 };
	struct sembuf op = { .sem_num = 1, .sem_op = 1 };
	unsigned long long ns = self->ns;
	const char *buf;
	int msqid, semid;
	long at;

	ASSERT_EQ(0, event_enable("shadowipc_obj_create", true));
	ASSERT_EQ(0, event_enable("shadowipc_obj_destroy", true));
	ASSERT_EQ(0, event_enable("shadowipc_msg_send", true));
	ASSERT_EQ(0, event_enable("shadowipc_msg_receive", true));
	ASSERT_EQ(0, event_enable("shadowipc_semop", true));
	msqid = shadowipc_msgget(KEY, IPC_CREAT | 0600);
	ASSERT_LE(0, msqid);
	ASSERT_EQ(0, shadowipc_msgsnd(msqid, &m, sizeof(m.mtext), 0));
	ASSERT_EQ(sizeof(m.mtext),
		  shadowipc_msgrcv(msqid, &m, sizeof(m.mtext), 0, 0));
	semid = shadowipc_semget(KEY, 3, IPC_CREAT | 0600);
	ASSERT_LE(0, semid);
	ASSERT_EQ(0, shadowipc_semop(semid, &op, 1));
	ASSERT_EQ(0, shadowipc_msgctl(msqid, IPC_RMID, NULL));
	ASSERT_EQ(0, shadowipc_semctl(semid, 0, IPC_RMID));

	buf = trace_read();
	at = trace_find(buf, 0, "shadowipc_obj_create",
			"ns=%llu kind=msg id=%d key=0x%08x size=16384 pid=%d",
			ns, msqid, KEY, self->pid);
	at = trace_find(buf, at, "shadowipc_msg_send",
			"ns=%llu id=%d mtype=7 size=100", ns, msqid);
	at = trace_find(buf, at, "shadowipc_msg_receive",
			"ns=%llu id=%d mtype=7 size=100", ns, msqid);
	at = trace_find(buf, at, "shadowipc_obj_create",
			"ns=%llu kind=sem id=%d key=0x%08x size=3 pid=%d",
			ns, semid, KEY, self->pid);
	at = trace_find(buf, at, "shadowipc_semop",
			"ns=%llu id=%d nsops=1 ret=0", ns, semid);
	at = trace_find(buf, at, "shadowipc_obj_destroy",
			"ns=%llu kind=msg id=%d key=0x%08x size=16384 pid=%d",
			ns, msqid, KEY, self->pid);
	at = trace_find(buf, at, "shadowipc_obj_destroy",
			"ns=%llu kind=sem id=%d key=0x%08x size=3 pid=%d",
			ns, semid, KEY, self->pid);
	EXPECT_LE(0, at) TH_LOG("missing or out of order, in:\n%s", buf);
}

/* Limit checks: which, the errno, and asked/used/limit. */
TEST_F(trace, refuse_shows_check_errno_asked_used_limit)
{
	struct { long mtype; char mtext[8193]; } m = { .mtype = 1 };
	static struct sembuf ops[501];
	unsigned long long ns = self->ns;
	const char *buf;
	int msqid, semid;

	ASSERT_EQ(0, event_enable("shadowipc_refuse", true));
	ASSERT_EQ(0, write_file(SHADOW_SYS "shmmax", "8192"));
	ASSERT_EQ(0, write_file(SHADOW_SYS "shmmni", "1"));
	errno = 0;
	EXPECT_EQ(-1, shadowipc_shmget(IPC_PRIVATE, 8193, 0600));
	EXPECT_EQ(EINVAL, errno);
	ASSERT_LE(0, shadowipc_shmget(IPC_PRIVATE, 4096, 0600));
	errno = 0;
	EXPECT_EQ(-1, shadowipc_shmget(IPC_PRIVATE, 4096, 0600));
	EXPECT_EQ(ENOSPC, errno);
	msqid = shadowipc_msgget(IPC_PRIVATE, 0600);
	ASSERT_LE(0, msqid);
	errno = 0;
	EXPECT_EQ(-1, shadowipc_msgsnd(msqid, &m, sizeof(m.mtext), 0));
	EXPECT_EQ(EINVAL, errno);
	semid = shadowipc_semget(IPC_PRIVATE, 1, 0600);
	ASSERT_LE(0, semid);
	errno = 0;
	EXPECT_EQ(-1, shadowipc_semop(semid, ops, 501));
	EXPECT_EQ(E2BIG, errno);

	buf = trace_read();
	EXPECT_LE(0, trace_find(buf, 0, "shadowipc_refuse",
				"ns=%llu check=shmmax err=-22 asked=8193 used=0 limit=8192",
				ns)) TH_LOG("%s", buf);
	EXPECT_LE(0, trace_find(buf, 0, "shadowipc_refuse",
				"ns=%llu check=shmmni err=-28 asked=1 used=1 limit=1",
				ns)) TH_LOG("%s", buf);
	EXPECT_LE(0, trace_find(buf, 0, "shadowipc_refuse",
				"ns=%llu check=msgmax err=-22 asked=8193 used=0 limit=8192",
				ns)) TH_LOG("%s", buf);
	EXPECT_LE(0, trace_find(buf, 0, "shadowipc_refuse",
				"ns=%llu check=semopm err=-7 asked=501 used=0 limit=500",
				ns)) TH_LOG("%s", buf);
	shadowipc_msgctl(msqid, IPC_RMID, NULL);
	shadowipc_semctl(semid, 0, IPC_RMID);
}

/*
 * Permission checks: the access bits asked for, the class of bits
 * compared (3: others) and those granted.
 */
TEST_F(trace, refuse_shows_permission_bits)
{
	unsigned long long ns = self->ns;
	const char *buf;
	pid_t pid;
	int id;

	ASSERT_EQ(0, event_enable("shadowipc_refuse", true));
	id = shadowipc_shmget(KEY, 4096, IPC_CREAT | 0640);
	ASSERT_LE(0, id);
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		if (sipc_drop_privs(SIPC_TEST_UID, SIPC_TEST_GID))
			_exit(1);
		/* others get nothing: read and write asked, none granted */
		_exit(shadowipc_shmget(KEY, 4096, 0600) == -1 &&
		      errno == EACCES ? 0 : 2);
	}
	EXPECT_EQ(0, sipc_wait(pid));
	shadowipc_shmctl(id, IPC_RMID, NULL);

	buf = trace_read();
	EXPECT_LE(0, trace_find(buf, 0, "shadowipc_refuse",
				"ns=%llu check=perm err=-13 asked=6 used=3 limit=0",
				ns)) TH_LOG("%s", buf);
}

/*
 * A POSIX queue's events, by name: create once linked, remove at
 * mq_unlink(), destroy at the last close, each with the caller's pid.
 */
TEST_F(trace, mq_events_show_ns_name_sizes_pid)
{
	struct mq_attr attr = { .mq_maxmsg = 3, .mq_msgsize = 64 };
	unsigned long long ns = self->ns;
	const char *fields = "ns=%llu name=/trace_q maxmsg=3 msgsize=64 pid=%d";
	const char *buf;
	long at;
	int fd;

	ASSERT_EQ(0, event_enable("shadowipc_mq_create", true));
	ASSERT_EQ(0, event_enable("shadowipc_mq_remove", true));
	ASSERT_EQ(0, event_enable("shadowipc_mq_destroy", true));
	fd = shadowipc_mq_open("/trace_q", O_RDWR | O_CREAT, 0600, &attr);
	ASSERT_LE(0, fd) TH_LOG("%s", strerror(errno));
	ASSERT_EQ(0, shadowipc_mq_unlink("/trace_q"));
	buf = trace_read();
	EXPECT_GT(0, trace_find(buf, 0, "shadowipc_mq_destroy", "ns=%llu", ns))
		TH_LOG("destroyed while open:\n%s", buf);
	close(fd);

	buf = trace_read();
	at = trace_find(buf, 0, "shadowipc_mq_create", fields, ns, self->pid);
	at = trace_find(buf, at, "shadowipc_mq_remove", fields, ns, self->pid);
	at = trace_find(buf, at, "shadowipc_mq_destroy", fields, ns, self->pid);
	EXPECT_LE(0, at) TH_LOG("missing or out of order, in:\n%s", buf);
}

/* With every event off, the same calls record nothing. */
TEST_F(trace, disabled_events_record_nothing)
{
	struct { long mtype; char mtext[16]; } m = { .mtype = 1 };
	struct sembuf op = { .sem_num = 0, .sem_op = 1 };
	int shmid, msqid, semid;
	const char *buf;
	void *p;

	/* on, then off again: what "off" means after use */
	ASSERT_EQ(0, write_file(INSTANCE "/events/shadowipc/enable", "1"));
	ASSERT_EQ(0, write_file(INSTANCE "/events/shadowipc/enable", "0"));
	ASSERT_EQ(0, write_file(INSTANCE "/trace", ""));
	ASSERT_EQ(0, write_file(SHADOW_SYS "shmmax", "8192"));
	EXPECT_EQ(-1, shadowipc_shmget(IPC_PRIVATE, 8193, 0600));
	shmid = shadowipc_shmget(KEY, 4096, IPC_CREAT | 0600);
	ASSERT_LE(0, shmid);
	p = shadowipc_shmat(shmid, NULL, 0);
	ASSERT_NE((void *)-1, p);
	ASSERT_EQ(0, shadowipc_shmdt(p));
	msqid = shadowipc_msgget(KEY, IPC_CREAT | 0600);
	ASSERT_LE(0, msqid);
	ASSERT_EQ(0, shadowipc_msgsnd(msqid, &m, sizeof(m.mtext), 0));
	ASSERT_LE(0, shadowipc_msgrcv(msqid, &m, sizeof(m.mtext), 0, 0));
	semid = shadowipc_semget(KEY, 1, IPC_CREAT | 0600);
	ASSERT_LE(0, semid);
	ASSERT_EQ(0, shadowipc_semop(semid, &op, 1));
	EXPECT_EQ(0, shadowipc_shmctl(shmid, IPC_RMID, NULL));
	EXPECT_EQ(0, shadowipc_msgctl(msqid, IPC_RMID, NULL));
	EXPECT_EQ(0, shadowipc_semctl(semid, 0, IPC_RMID));

	buf = trace_read();
	EXPECT_EQ(NULL, strstr(buf, "shadowipc_")) TH_LOG("%s", buf);
}

TEST_HARNESS_MAIN
