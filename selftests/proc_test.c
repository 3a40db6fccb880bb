// SPDX-License-Identifier: GPL-2.0
/*
 * /proc/shadowipc: the sysvipc view matches Linux's /proc/sysvipc line
 * for line, the sys/kernel files parse and range-check writes as Linux's
 * sysctls do (compared against the guest's own, in a private IPC
 * namespace), limits hold once written, writes are refused to others,
 * and the namespaces file lists what the reader may see.
 */
#include <sched.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>

#include "kselftest_harness.h"
#include "sipc_test.h"

#define SHADOW_SYS	"/proc/shadowipc/sys/kernel/"
#define NATIVE_SYS	"/proc/sys/kernel/"

/* write(2) @val to @path: 0, or the errno. */
static int write_file(const char *path, const char *val)
{
	int fd = open(path, O_WRONLY), err = 0;

	if (fd < 0)
		return errno;
	if (write(fd, val, strlen(val)) < 0)
		err = errno;
	close(fd);
	return err;
}

/* Line @n (0-based) of @buf, into @line. */
static void nth_line(const char *buf, int n, char *line, size_t size)
{
	const char *p = buf, *e;

	while (n-- > 0 && (p = strchr(p, '\n')))
		p++;
	if (!p) {
		line[0] = '\0';
		return;
	}
	e = strchr(p, '\n');
	if (!e)
		e = p + strlen(p);
	snprintf(line, size, "%.*s", (int)(e - p), p);
}

/* Replace columns [@first, @first + @n) of a /proc line by "T". */
static void mask_columns(char *line, int first, int n)
{
	char *tok[24], *save, copy[512], out[512] = "";
	int nr = 0, i, width[24];
	char *p = line;

	/* keep the original spacing: record each field's right edge */
	snprintf(copy, sizeof(copy), "%s", line);
	for (tok[nr] = strtok_r(copy, " ", &save); tok[nr] && nr < 23;
	     tok[++nr] = strtok_r(NULL, " ", &save))
		;
	for (i = 0; i < nr; i++) {
		char *f = strstr(p, tok[i]);

		width[i] = f - p + strlen(tok[i]);
		p = f + strlen(tok[i]);
	}
	for (i = 0; i < nr; i++) {
		char field[64];

		snprintf(field, sizeof(field), "%*s", width[i],
			 i >= first && i < first + n ? "T" : tok[i]);
		strncat(out, field, sizeof(out) - strlen(out) - 1);
	}
	strcpy(line, out);
}

/*
 * Make one object of a kind natively and one in the shadow namespace, the
 * same way, from the same process: 0, or a step number.
 */
struct kind_case {
	const char *file;
	int first_time, nr_times;	/* time columns, masked */
	int (*make)(bool shadow);
};

static int make_shm(bool shadow)
{
	int id = shadow ? shadowipc_shmget(0x1234, 10000, IPC_CREAT | 0640) :
			  shmget(0x1234, 10000, IPC_CREAT | 0640);
	char *p = id < 0 ? (void *)-1 :
		  shadow ? shadowipc_shmat(id, NULL, 0) : shmat(id, NULL, 0);

	if (p == (void *)-1)
		return -1;
	p[0] = 1;
	return 0;
}

static int make_msg(bool shadow)
{
	struct { long type; char text[10]; } m = { 7, "123456789" };
	int id = shadow ? shadowipc_msgget(0x1234, IPC_CREAT | 0640) :
			  msgget(0x1234, IPC_CREAT | 0640);

	if (id < 0)
		return -1;
	return shadow ? shadowipc_msgsnd(id, &m, sizeof(m.text), 0) :
			msgsnd(id, &m, sizeof(m.text), 0);
}

static int make_sem(bool shadow)
{
	struct sembuf op = { .sem_num = 1, .sem_op = 2 };
	int id = shadow ? shadowipc_semget(0x1234, 3, IPC_CREAT | 0640) :
			  semget(0x1234, 3, IPC_CREAT | 0640);

	if (id < 0)
		return -1;
	return shadow ? shadowipc_semop(id, &op, 1) : semop(id, &op, 1);
}

static const struct kind_case kinds[] = {
	{ "shm", 11, 3, make_shm },
	{ "msg", 11, 3, make_msg },
	{ "sem", 8, 2, make_sem },
};

FIXTURE(proc) {
};

FIXTURE_SETUP(proc)
{
	if (!sipc_dev_present())
		SKIP(return, "module not loaded");
	if (access("/proc/shadowipc/namespaces", R_OK))
		SKIP(return, "no /proc/shadowipc");
}

FIXTURE_TEARDOWN(proc)
{
}

/*
 * The same object, made the same way by the same process, natively in a
 * private IPC namespace and in a shadow one: the two files agree but for
 * the times.
 */
TEST_F(proc, sysvipc_files_match_linux)
{
	unsigned int k;

	for (k = 0; k < sizeof(kinds) / sizeof(kinds[0]); k++) {
		const struct kind_case *kc = &kinds[k];
		pid_t pid = fork();

		ASSERT_GE(pid, 0);
		if (!pid) {
			char nat[4096], sha[4096], l1[512], l2[512], path[64];

			if (unshare(CLONE_NEWIPC) || shadowipc_unshare(NULL))
				_exit(1);
			if (kc->make(false) || kc->make(true))
				_exit(2);
			snprintf(path, sizeof(path), "/proc/sysvipc/%s", kc->file);
			if (sipc_read_file(path, nat, sizeof(nat)) < 0)
				_exit(3);
			snprintf(path, sizeof(path), "/proc/shadowipc/sysvipc/%s",
				 kc->file);
			if (sipc_read_file(path, sha, sizeof(sha)) < 0)
				_exit(4);
			nth_line(nat, 0, l1, sizeof(l1));
			nth_line(sha, 0, l2, sizeof(l2));
			if (strcmp(l1, l2)) {
				fprintf(stderr, "%s header:\n%s\n%s\n", kc->file, l1, l2);
				_exit(5);
			}
			nth_line(nat, 1, l1, sizeof(l1));
			nth_line(sha, 1, l2, sizeof(l2));
			mask_columns(l1, kc->first_time, kc->nr_times);
			mask_columns(l2, kc->first_time, kc->nr_times);
			if (strcmp(l1, l2)) {
				fprintf(stderr, "%s line:\n%s\n%s\n", kc->file, l1, l2);
				_exit(6);
			}
			nth_line(sha, 2, l2, sizeof(l2));
			_exit(l2[0] ? 7 : 0);	/* nothing else listed */
		}
		EXPECT_EQ(0, sipc_wait(pid)) TH_LOG("%s", kc->file);
	}
}

TEST_F(proc, sysvipc_shows_the_openers_namespace)
{
	pid_t pid = fork();

	ASSERT_GE(pid, 0);
	if (!pid) {
		char buf[4096];
		int fd, n;

		if (shadowipc_unshare(NULL) ||
		    shadowipc_shmget(0x4321, 4096, IPC_CREAT | 0600) < 0)
			_exit(1);
		fd = open("/proc/shadowipc/sysvipc/shm", O_RDONLY);
		if (fd < 0 || shadowipc_unshare(NULL))
			_exit(2);
		n = read(fd, buf, sizeof(buf) - 1);
		if (n <= 0)
			_exit(3);
		buf[n] = '\0';
		if (!strstr(buf, "     17185 "))	/* 0x4321, %10d */
			_exit(4);
		/* a fresh open shows the new, empty namespace */
		n = sipc_read_file("/proc/shadowipc/sysvipc/shm", buf, sizeof(buf));
		_exit(n > 0 && !strchr(strchr(buf, '\n') + 1, '\n') ? 0 : 5);
	}
	EXPECT_EQ(0, sipc_wait(pid));
}

/* Each sysctl reads back as Linux's does in a fresh IPC namespace. */
TEST_F(proc, sysctl_defaults_match_linux)
{
	static const char *const names[] = {
		"shmmax", "shmall", "shmmni", "shm_rmid_forced", "msgmax",
		"msgmnb", "msgmni", "sem", "shm_next_id", "msg_next_id",
		"sem_next_id",
	};
	pid_t pid = fork();

	ASSERT_GE(pid, 0);
	if (!pid) {
		char a[128], b[128], pa[128], pb[128];
		unsigned int i;

		if (unshare(CLONE_NEWIPC) || shadowipc_unshare(NULL))
			_exit(1);
		for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
			snprintf(pa, sizeof(pa), NATIVE_SYS "%s", names[i]);
			snprintf(pb, sizeof(pb), SHADOW_SYS "%s", names[i]);
			if (sipc_read_file(pa, a, sizeof(a)) < 0 ||
			    sipc_read_file(pb, b, sizeof(b)) < 0)
				_exit(10 + i);
			if (strcmp(a, b)) {
				fprintf(stderr, "%s: native '%s' shadow '%s'\n",
					names[i], a, b);
				_exit(30 + i);
			}
		}
		_exit(0);
	}
	EXPECT_EQ(0, sipc_wait(pid));
}

/*
 * Writes, good and bad, to each kind of sysctl: the errno and the value
 * read back afterwards agree with Linux's.
 */
static const struct {
	const char *name;
	const char *val;
} writes[] = {
	{ "shmmni", "7\n" }, { "shmmni", "  9" }, { "shmmni", "0x10" },
	{ "shmmni", "010" }, { "shmmni", "-1" }, { "shmmni", "abc" },
	{ "shmmni", "32768" }, { "shmmni", "32769" }, { "shmmni", "5 6" },
	{ "shmmni", "99999999999999999999999" }, { "shmmni", "\n" },
	{ "shmmax", "4096" }, { "shmmax", "-5" }, { "shmmax", "18446744073709551615" },
	{ "shmall", "100" }, { "shm_rmid_forced", "1" },
	{ "shm_rmid_forced", "2" }, { "shm_rmid_forced", "0" },
	{ "msgmax", "100" }, { "msgmax", "-1" }, { "msgmax", "2147483647" },
	{ "msgmax", "2147483648" }, { "msgmnb", "0" }, { "msgmni", "32769" },
	{ "sem", "1 2 3 4" }, { "sem", "-1 2 3 4" }, { "sem", "1 2 3 40000" },
	{ "sem", "5 6" }, { "sem", "1\t2\t3\t4\n" },
	{ "shm_next_id", "100" }, { "shm_next_id", "-1" },
	{ "msg_next_id", "0" }, { "sem_next_id", "2147483647" },
};

TEST_F(proc, sysctl_writes_match_linux)
{
	pid_t pid = fork();

	ASSERT_GE(pid, 0);
	if (!pid) {
		char a[128], b[128], pa[128], pb[128];
		unsigned int i;
		int ea, eb, bad = 0;

		if (unshare(CLONE_NEWIPC) || shadowipc_unshare(NULL))
			_exit(1);
		for (i = 0; i < sizeof(writes) / sizeof(writes[0]); i++) {
			snprintf(pa, sizeof(pa), NATIVE_SYS "%s", writes[i].name);
			snprintf(pb, sizeof(pb), SHADOW_SYS "%s", writes[i].name);
			ea = write_file(pa, writes[i].val);
			eb = write_file(pb, writes[i].val);
			sipc_read_file(pa, a, sizeof(a));
			sipc_read_file(pb, b, sizeof(b));
			if (ea != eb || strcmp(a, b)) {
				fprintf(stderr, "%s <- '%s': native errno %d -> %s  shadow errno %d -> %s",
					writes[i].name, writes[i].val, ea, a, eb, b);
				bad++;
			}
		}
		_exit(bad);
	}
	EXPECT_EQ(0, sipc_wait(pid));
}

TEST_F(proc, shmmni_written_is_enforced)
{
	pid_t pid = fork();

	ASSERT_GE(pid, 0);
	if (!pid) {
		int i;

		if (shadowipc_unshare(NULL) ||
		    write_file(SHADOW_SYS "shmmni", "3"))
			_exit(1);
		for (i = 0; i < 3; i++)
			if (shadowipc_shmget(IPC_PRIVATE, 4096, 0600) < 0)
				_exit(2);
		errno = 0;
		if (shadowipc_shmget(IPC_PRIVATE, 4096, 0600) != -1 ||
		    errno != ENOSPC)
			_exit(3);
		/* shmmax too */
		if (write_file(SHADOW_SYS "shmmni", "10") ||
		    write_file(SHADOW_SYS "shmmax", "8192"))
			_exit(4);
		errno = 0;
		if (shadowipc_shmget(IPC_PRIVATE, 8193, 0600) != -1 ||
		    errno != EINVAL)
			_exit(5);
		_exit(0);
	}
	EXPECT_EQ(0, sipc_wait(pid));
}

TEST_F(proc, shm_next_id_sets_the_next_id)
{
	pid_t pid = fork();

	ASSERT_GE(pid, 0);
	if (!pid) {
		char buf[32];

		if (shadowipc_unshare(NULL) ||
		    write_file(SHADOW_SYS "shm_next_id", "100"))
			_exit(1);
		if (shadowipc_shmget(IPC_PRIVATE, 4096, 0600) != 100)
			_exit(2);
		/* consumed: back to -1 */
		if (sipc_read_file(SHADOW_SYS "shm_next_id", buf, sizeof(buf)) < 0 ||
		    strcmp(buf, "-1\n"))
			_exit(3);
		_exit(0);
	}
	EXPECT_EQ(0, sipc_wait(pid));
}

TEST_F(proc, shm_rmid_forced_destroys_orphans)
{
	pid_t pid = fork();

	ASSERT_GE(pid, 0);
	if (!pid) {
		struct shmid_ds ds;
		pid_t kid;
		int id, attached, p[2];
		char *a;

		if (shadowipc_unshare(NULL) || pipe(p))
			_exit(1);
		kid = fork();
		if (!kid) {
			int ids[2] = {
				shadowipc_shmget(IPC_PRIVATE, 4096, 0600),
				shadowipc_shmget(IPC_PRIVATE, 4096, 0600),
			};
			_exit(write(p[1], ids, sizeof(ids)) == sizeof(ids) ? 0 : 1);
		}
		int ids[2];

		if (sipc_wait(kid) || read(p[0], ids, sizeof(ids)) != sizeof(ids))
			_exit(2);
		id = ids[0];
		attached = ids[1];
		a = shadowipc_shmat(attached, NULL, 0);
		if (a == (void *)-1)
			_exit(3);
		/* orphans, one attached: only the unattached one goes */
		if (write_file(SHADOW_SYS "shm_rmid_forced", "1"))
			_exit(4);
		errno = 0;
		if (shadowipc_shmctl(id, IPC_STAT, &ds) != -1 || errno != EINVAL)
			_exit(5);
		if (shadowipc_shmctl(attached, IPC_STAT, &ds))
			_exit(6);
		/* and the attached one at its last detach */
		shadowipc_shmdt(a);
		errno = 0;
		if (shadowipc_shmctl(attached, IPC_STAT, &ds) != -1 ||
		    errno != EINVAL)
			_exit(7);
		_exit(0);
	}
	EXPECT_EQ(0, sipc_wait(pid));
}

TEST_F(proc, writes_refused_to_others_allowed_to_creator)
{
	pid_t pid = fork();

	ASSERT_GE(pid, 0);
	if (!pid) {
		pid_t kid;

		if (shadowipc_unshare(NULL))
			_exit(1);
		kid = fork();
		if (!kid) {
			if (sipc_drop_privs(SIPC_TEST_UID, SIPC_TEST_GID))
				_exit(1);
			/* root's namespace: refused at open, as /proc/sys */
			if (write_file(SHADOW_SYS "shmmni", "5") != EACCES)
				_exit(2);
			/* its own: allowed */
			if (shadowipc_unshare(NULL) ||
			    write_file(SHADOW_SYS "shmmni", "5"))
				_exit(3);
			_exit(0);
		}
		_exit(sipc_wait(kid));
	}
	EXPECT_EQ(0, sipc_wait(pid));
}

TEST_F(proc, namespaces_lists_what_the_reader_may_see)
{
	pid_t pid = fork();

	ASSERT_GE(pid, 0);
	if (!pid) {
		char buf[65536], line[256], want[64];
		uint64_t mine, roots;
		mqd_t mqd;

		if (sipc_read_file("/proc/shadowipc/namespaces", buf, sizeof(buf)) < 0)
			_exit(1);
		nth_line(buf, 0, line, sizeof(line));
		if (strcmp(line, "id uid gid tasks handles refs shm shm_bytes msg msg_bytes sem sem_bytes key_bytes mq mq_bytes"))
			_exit(2);
		if (shadowipc_unshare(&roots) ||
		    shadowipc_shmget(IPC_PRIVATE, 8192, 0600) < 0)
			_exit(3);
		sipc_read_file("/proc/shadowipc/namespaces", buf, sizeof(buf));
		snprintf(want, sizeof(want), "\n%llu 0 0 1 0 1 1 8192 ",
			 (unsigned long long)roots);
		if (!strstr(buf, want))
			_exit(4);
		if (sipc_ns_column(roots, "mq") != 0 ||
		    sipc_ns_column(roots, "mq_bytes") != 0)
			_exit(8);
		mqd = shadowipc_mq_open("/proc_test", O_CREAT | O_RDWR, 0600,
					NULL);
		if (mqd < 0 || shadowipc_mq_timedsend(mqd, "hello", 5, 0, NULL))
			_exit(9);
		if (sipc_ns_column(roots, "mq") != 1 ||
		    sipc_ns_column(roots, "mq_bytes") != 5)
			_exit(10);
		if (sipc_drop_privs(SIPC_TEST_UID, SIPC_TEST_GID) ||
		    shadowipc_unshare(&mine))
			_exit(5);
		sipc_read_file("/proc/shadowipc/namespaces", buf, sizeof(buf));
		snprintf(want, sizeof(want), "\n%llu %u ", (unsigned long long)mine,
			 SIPC_TEST_UID);
		if (!strstr(buf, want))
			_exit(6);
		snprintf(want, sizeof(want), "\n%llu ", (unsigned long long)roots);
		if (strstr(buf, want) || strstr(buf, "\n1 0 0 "))
			_exit(7);	/* root's namespaces are not shown */
		_exit(0);
	}
	EXPECT_EQ(0, sipc_wait(pid));
}

TEST_HARNESS_MAIN
