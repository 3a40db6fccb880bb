// SPDX-License-Identifier: GPL-2.0
/*
 * /proc/shadowipc/holders: every VMA attaching a segment is listed with
 * its process and range, across shmat, fork, mremap, partial munmap,
 * exit and exec; message queues' and semaphore sets' sleepers while
 * they sleep, and SEM_UNDO holders until they exit; POSIX queues'
 * mq_notify() registrants and sleepers likewise; a process in another
 * namespace is listed under that namespace only; an unprivileged reader sees only the namespaces it
 * created; and shadowipc ipcs --holders shows them as a table and as
 * JSON that parses (checked here: the guest has no JSON tool).
 */
#include <ctype.h>
#include <fcntl.h>
#include <mqueue.h>
#include <signal.h>
#include <sys/ipc.h>
#include <sys/mman.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>

#include "kselftest_harness.h"
#include "sipc_test.h"

#define HOLDERS		"/proc/shadowipc/holders"
#define EXEC_CHILD_ENV	"HOLDERS_TEST_EXEC_CHILD"
#define SEG		(4 * 4096)

/* Any value, in match()'s filters. */
#define ANY		(-1L)

/*
 * The exec test's child: the image it execs is this program, which says
 * so on its stdout and waits here for its stdin to close (both pipes),
 * so that the parent can look at a process that exec'd and still runs.
 */
static void __attribute__((constructor)) exec_child(void)
{
	char c;

	if (!getenv(EXEC_CHILD_ENV))
		return;
	if (write(1, "x", 1) != 1)
		_exit(1);
	while (read(0, &c, 1) > 0)
		;
	_exit(0);
}

/*
 * Lines of the holders file of @kind for object @id (-1: a POSIX queue,
 * which has none) of namespace @ns
 * whose pid, start and end are as given (ANY: any; a line without a
 * range has 0 for both), and whose mode is @mode (NULL: any). Return:
 * how many, or -1 when the file cannot be read or a line does not parse.
 */
static int match_kind(const char *kind, uint64_t ns, int id, long pid,
		      long start, long end, const char *mode)
{
	static char buf[1 << 16];
	char *line, *save;
	int n = 0;

	if (sipc_read_file(HOLDERS, buf, sizeof(buf)) < 0)
		return -1;
	line = strtok_r(buf, "\n", &save);
	if (!line || strcmp(line, "kind ns id key pid comm range mode"))
		return -1;
	while ((line = strtok_r(NULL, "\n", &save))) {
		char l_kind[8], comm[64], range[40], l_mode[16], l_id_s[16];
		char key[1024];
		unsigned long l_start = 0, l_end = 0;
		unsigned long long l_ns;
		int l_id = -1, l_pid;

		if (sscanf(line, "%7s %llu %15s %1023s %d %63s %39s %15s",
			   l_kind, &l_ns, l_id_s, key, &l_pid, comm, range,
			   l_mode) != 8)
			return -1;
		if (strcmp(l_id_s, "-") && sscanf(l_id_s, "%d", &l_id) != 1)
			return -1;
		if (strcmp(range, "-") &&
		    sscanf(range, "%lx-%lx", &l_start, &l_end) != 2)
			return -1;
		if (!strcmp(l_kind, kind) && l_ns == ns && l_id == id &&
		    (pid == ANY || l_pid == pid) &&
		    (start == ANY || l_start == (unsigned long)start) &&
		    (end == ANY || l_end == (unsigned long)end) &&
		    (!mode || !strcmp(l_mode, mode)))
			n++;
	}
	return n;
}

static int match(uint64_t ns, int id, long pid, long start, long end,
		 const char *mode)
{
	return match_kind("shm", ns, id, pid, start, end, mode);
}

/* Wait up to 5 s for @n lines @kind @mode by @pid on object @id. */
static int await_kind(const char *kind, uint64_t ns, int id, pid_t pid,
		      const char *mode, int n)
{
	int i, got = -1;

	for (i = 0; i < 500; i++) {
		got = match_kind(kind, ns, id, pid, 0, 0, mode);
		if (got == n)
			break;
		usleep(10 * 1000);
	}
	return got;
}

/* Wait up to 5 s for @n sleepers @mode by @pid on queue @id. */
static int await_sleepers(uint64_t ns, int id, pid_t pid, const char *mode,
			  int n)
{
	return await_kind("msg", ns, id, pid, mode, n);
}

/* The lines of @pid's attach of @id at [@a, @a + @len), in @mode. */
static int attach_lines(uint64_t ns, int id, pid_t pid, void *a, size_t len,
			const char *mode)
{
	return match(ns, id, pid, (long)a, (long)a + len, mode);
}

/* --- a JSON checker: does the whole of @s parse as one JSON value? --- */

static const char *json_value(const char *s, int depth);

static const char *json_ws(const char *s)
{
	while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
		s++;
	return s;
}

static const char *json_string(const char *s)
{
	if (*s++ != '"')
		return NULL;
	for (; *s != '"'; s++) {
		if ((unsigned char)*s < 0x20)
			return NULL;
		if (*s == '\\') {
			s++;
			if (*s == 'u') {
				for (int i = 1; i <= 4; i++)
					if (!s[i] || !isxdigit((unsigned char)s[i]))
						return NULL;
				s += 4;
			} else if (!*s || !strchr("\"\\/bfnrt", *s)) {
				return NULL;
			}
		}
	}
	return s + 1;
}

static const char *json_number(const char *s)
{
	char *end;

	if (*s != '-' && (*s < '0' || *s > '9'))
		return NULL;
	strtod(s, &end);
	return end;
}

/* An object ("{") or array ("[") of @close-terminated members. */
static const char *json_members(const char *s, char close, int depth)
{
	s = json_ws(s + 1);
	if (*s == close)
		return s + 1;
	for (;;) {
		if (close == '}') {
			s = json_string(json_ws(s));
			if (!s)
				return NULL;
			s = json_ws(s);
			if (*s++ != ':')
				return NULL;
		}
		s = json_value(s, depth + 1);
		if (!s)
			return NULL;
		s = json_ws(s);
		if (*s == close)
			return s + 1;
		if (*s++ != ',')
			return NULL;
	}
}

static const char *json_value(const char *s, int depth)
{
	static const char *const words[] = { "true", "false", "null" };
	unsigned int i;

	s = json_ws(s);
	if (depth > 16)
		return NULL;
	if (*s == '{' || *s == '[')
		return json_members(s, *s == '{' ? '}' : ']', depth);
	if (*s == '"')
		return json_string(s);
	for (i = 0; i < ARRAY_SIZE(words); i++)
		if (!strncmp(s, words[i], strlen(words[i])))
			return s + strlen(words[i]);
	return json_number(s);
}

static bool json_valid(const char *s)
{
	s = json_value(s, 0);
	return s && !*json_ws(s);
}

/* The output of the shell command @cmd in @buf; its exit status. */
static int run(const char *cmd, char *buf, size_t size)
{
	FILE *f = popen(cmd, "r");
	size_t n;

	buf[0] = '\0';
	if (!f)
		return -1;
	n = fread(buf, 1, size - 1, f);
	buf[n] = '\0';
	return pclose(f);
}

FIXTURE(holders) {
	uint64_t ns;
	int id;
};

/* Each test runs in a namespace of its own, with one segment. */
FIXTURE_SETUP(holders)
{
	if (!sipc_dev_present())
		SKIP(return, "module not loaded");
	if (access(HOLDERS, R_OK))
		SKIP(return, "no " HOLDERS);
	ASSERT_EQ(0, shadowipc_unshare(&self->ns));
	self->id = shadowipc_shmget(IPC_PRIVATE, SEG, IPC_CREAT | 0600);
	ASSERT_GE(self->id, 0);
}

FIXTURE_TEARDOWN(holders)
{
	if (self->id >= 0)
		shadowipc_shmctl(self->id, IPC_RMID, NULL);
}

TEST_F(holders, attach_lists_pid_range_and_mode)
{
	void *rw, *ro;

	ASSERT_EQ(0, match(self->ns, self->id, ANY, ANY, ANY, NULL));
	rw = shadowipc_shmat(self->id, NULL, 0);
	ASSERT_NE((void *)-1, rw);
	ro = shadowipc_shmat(self->id, NULL, SHM_RDONLY);
	ASSERT_NE((void *)-1, ro);
	EXPECT_EQ(1, attach_lines(self->ns, self->id, getpid(), rw, SEG, "rw-"));
	EXPECT_EQ(1, attach_lines(self->ns, self->id, getpid(), ro, SEG, "r--"));
	EXPECT_EQ(2, match(self->ns, self->id, ANY, ANY, ANY, NULL));
	ASSERT_EQ(0, shadowipc_shmdt(ro));
	EXPECT_EQ(0, attach_lines(self->ns, self->id, getpid(), ro, SEG, NULL));
	ASSERT_EQ(0, shadowipc_shmdt(rw));
	EXPECT_EQ(0, match(self->ns, self->id, ANY, ANY, ANY, NULL));
}

/* Fork lists both; the child's exit removes its line. */
TEST_F(holders, fork_lists_both_exit_removes)
{
	int go[2], done[2];
	pid_t pid;
	void *a;
	char c;

	a = shadowipc_shmat(self->id, NULL, 0);
	ASSERT_NE((void *)-1, a);
	ASSERT_EQ(0, pipe(go));
	ASSERT_EQ(0, pipe(done));
	pid = fork();
	ASSERT_GE(pid, 0);
	if (!pid) {
		close(go[0]);
		close(done[1]);
		if (write(go[1], "r", 1) != 1)
			_exit(1);
		read(done[0], &c, 1);
		_exit(0);
	}
	close(go[1]);
	close(done[0]);
	ASSERT_EQ(1, read(go[0], &c, 1));
	EXPECT_EQ(1, attach_lines(self->ns, self->id, getpid(), a, SEG, "rw-"));
	EXPECT_EQ(1, attach_lines(self->ns, self->id, pid, a, SEG, "rw-"));
	close(done[1]);
	EXPECT_EQ(0, sipc_wait(pid));
	EXPECT_EQ(0, attach_lines(self->ns, self->id, pid, a, SEG, NULL));
	EXPECT_EQ(1, match(self->ns, self->id, ANY, ANY, ANY, NULL));
	close(go[0]);
	EXPECT_EQ(0, shadowipc_shmdt(a));
}

/* Many children of one attach: each listed once, each gone at its exit. */
TEST_F(holders, many_forks_each_listed_once)
{
	enum { N = 32 };
	pid_t pids[N];
	int go[2], done[2], i;
	void *a;
	char c;

	a = shadowipc_shmat(self->id, NULL, 0);
	ASSERT_NE((void *)-1, a);
	ASSERT_EQ(0, pipe(go));
	ASSERT_EQ(0, pipe(done));
	for (i = 0; i < N; i++) {
		pids[i] = fork();
		ASSERT_GE(pids[i], 0);
		if (!pids[i]) {
			close(done[1]);
			if (write(go[1], "r", 1) != 1)
				_exit(1);
			read(done[0], &c, 1);
			_exit(0);
		}
	}
	close(done[0]);
	for (i = 0; i < N; i++)
		ASSERT_EQ(1, read(go[0], &c, 1));
	for (i = 0; i < N; i++)
		EXPECT_EQ(1, attach_lines(self->ns, self->id, pids[i], a, SEG,
					  "rw-"));
	EXPECT_EQ(N + 1, match(self->ns, self->id, ANY, ANY, ANY, NULL));
	close(done[1]);
	for (i = 0; i < N; i++)
		EXPECT_EQ(0, sipc_wait(pids[i]));
	EXPECT_EQ(1, match(self->ns, self->id, ANY, ANY, ANY, NULL));
	close(go[0]);
	close(go[1]);
	EXPECT_EQ(0, shadowipc_shmdt(a));
}

TEST_F(holders, mremap_moves_the_range)
{
	void *a, *dst, *moved;

	a = shadowipc_shmat(self->id, NULL, 0);
	ASSERT_NE((void *)-1, a);
	/* a free place to move to */
	dst = mmap(NULL, SEG, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, dst);
	moved = mremap(a, SEG, SEG, MREMAP_MAYMOVE | MREMAP_FIXED, dst);
	ASSERT_EQ(dst, moved);
	EXPECT_EQ(0, attach_lines(self->ns, self->id, getpid(), a, SEG, NULL));
	EXPECT_EQ(1, attach_lines(self->ns, self->id, getpid(), moved, SEG,
				  "rw-"));
	EXPECT_EQ(1, match(self->ns, self->id, ANY, ANY, ANY, NULL));
	EXPECT_EQ(0, shadowipc_shmdt(moved));
	EXPECT_EQ(0, match(self->ns, self->id, ANY, ANY, ANY, NULL));
}

/* munmap() of the middle of an attach leaves two pieces, then shmdt(). */
TEST_F(holders, partial_detach_lists_the_pieces)
{
	char *a;

	a = shadowipc_shmat(self->id, NULL, 0);
	ASSERT_NE((void *)-1, a);
	ASSERT_EQ(0, munmap(a + 4096, 2 * 4096));
	EXPECT_EQ(1, attach_lines(self->ns, self->id, getpid(), a, 4096,
				  "rw-"));
	EXPECT_EQ(1, attach_lines(self->ns, self->id, getpid(), a + 3 * 4096,
				  4096, "rw-"));
	EXPECT_EQ(2, match(self->ns, self->id, ANY, ANY, ANY, NULL));
	/* mprotect() splits too, and the mode follows */
	ASSERT_EQ(0, mprotect(a, 4096, PROT_READ));
	EXPECT_EQ(1, attach_lines(self->ns, self->id, getpid(), a, 4096,
				  "r--"));
	EXPECT_EQ(0, shadowipc_shmdt(a));
	EXPECT_EQ(0, match(self->ns, self->id, ANY, ANY, ANY, NULL));
}

/* A child that execs keeps running but no longer holds the segment. */
TEST_F(holders, exec_removes)
{
	int in[2], out[2];
	pid_t pid;
	void *a;
	char c;

	a = shadowipc_shmat(self->id, NULL, 0);
	ASSERT_NE((void *)-1, a);
	ASSERT_EQ(0, pipe(in));
	ASSERT_EQ(0, pipe(out));
	pid = fork();
	ASSERT_GE(pid, 0);
	if (!pid) {
		char *argv[] = { "holders_test", NULL };

		if (dup2(in[0], 0) < 0 || dup2(out[1], 1) < 0)
			_exit(126);
		close(in[1]);
		close(out[0]);
		setenv(EXEC_CHILD_ENV, "1", 1);
		execv("/proc/self/exe", argv);
		_exit(127);
	}
	close(in[0]);
	close(out[1]);
	ASSERT_EQ(1, read(out[0], &c, 1));	/* exec'd */
	EXPECT_EQ(0, attach_lines(self->ns, self->id, pid, a, SEG, NULL));
	EXPECT_EQ(1, attach_lines(self->ns, self->id, getpid(), a, SEG,
				  "rw-"));
	close(in[1]);
	close(out[0]);
	EXPECT_EQ(0, sipc_wait(pid));
	EXPECT_EQ(0, shadowipc_shmdt(a));
}

/*
 * A process in another namespace, attaching a segment with the same id,
 * is listed under its namespace and not under ours.
 */
TEST_F(holders, other_namespace_listed_under_its_own)
{
	int go[2], done[2];
	uint64_t other;
	pid_t pid;
	void *a;
	char c;

	ASSERT_EQ(0, pipe(go));
	ASSERT_EQ(0, pipe(done));
	pid = fork();
	ASSERT_GE(pid, 0);
	if (!pid) {
		uint64_t ns;
		int id;

		close(go[0]);
		close(done[1]);
		if (shadowipc_unshare(&ns))
			_exit(1);
		id = shadowipc_shmget(IPC_PRIVATE, SEG, IPC_CREAT | 0600);
		if (id != self->id)	/* the same id, in a fresh namespace */
			_exit(2);
		a = shadowipc_shmat(id, NULL, 0);
		if (a == (void *)-1 || write(go[1], &ns, sizeof(ns)) != sizeof(ns) ||
		    write(go[1], &a, sizeof(a)) != sizeof(a))
			_exit(3);
		read(done[0], &c, 1);
		_exit(0);
	}
	close(go[1]);
	close(done[0]);
	ASSERT_EQ(sizeof(other), read(go[0], &other, sizeof(other)));
	ASSERT_EQ(sizeof(a), read(go[0], &a, sizeof(a)));
	EXPECT_NE(self->ns, other);
	EXPECT_EQ(1, attach_lines(other, self->id, pid, a, SEG, "rw-"));
	EXPECT_EQ(0, match(self->ns, self->id, pid, ANY, ANY, NULL));
	EXPECT_EQ(0, match(self->ns, self->id, ANY, ANY, ANY, NULL));
	close(done[1]);
	EXPECT_EQ(0, sipc_wait(pid));
	EXPECT_EQ(0, match(other, self->id, ANY, ANY, ANY, NULL));
	close(go[0]);
}

/*
 * The file opens for anyone (0444), and shows an unprivileged reader the
 * namespaces its euid created, not root's: as /proc/shadowipc/namespaces.
 */
TEST_F(holders, unprivileged_sees_only_its_own)
{
	int go[2], done[2], id;
	uint64_t theirs;
	pid_t pid;
	void *a;
	char c;

	if (geteuid())
		SKIP(return, "needs root");
	a = shadowipc_shmat(self->id, NULL, 0);
	ASSERT_NE((void *)-1, a);
	ASSERT_EQ(0, pipe(go));
	ASSERT_EQ(0, pipe(done));
	pid = fork();
	ASSERT_GE(pid, 0);
	if (!pid) {
		uint64_t mine;
		void *b;

		close(go[0]);
		close(done[1]);
		if (sipc_drop_privs(SIPC_TEST_UID, SIPC_TEST_GID))
			_exit(1);
		if (match(self->ns, self->id, ANY, ANY, ANY, NULL) != 0)
			_exit(2);	/* root's namespace is not shown */
		if (shadowipc_unshare(&mine))
			_exit(3);
		id = shadowipc_shmget(IPC_PRIVATE, SEG, IPC_CREAT | 0600);
		b = shadowipc_shmat(id, NULL, 0);
		if (id < 0 || b == (void *)-1)
			_exit(4);
		if (attach_lines(mine, id, getpid(), b, SEG, "rw-") != 1)
			_exit(5);
		if (write(go[1], &mine, sizeof(mine)) != sizeof(mine) ||
		    write(go[1], &id, sizeof(id)) != sizeof(id))
			_exit(6);
		read(done[0], &c, 1);
		_exit(0);
	}
	close(go[1]);
	close(done[0]);
	/* root sees both: its own, and the one nobody created */
	ASSERT_EQ(sizeof(theirs), read(go[0], &theirs, sizeof(theirs)));
	ASSERT_EQ(sizeof(id), read(go[0], &id, sizeof(id)));
	EXPECT_EQ(1, attach_lines(self->ns, self->id, getpid(), a, SEG, "rw-"));
	EXPECT_EQ(1, match(theirs, id, pid, ANY, ANY, "rw-"));
	close(done[1]);
	EXPECT_EQ(0, sipc_wait(pid));
	close(go[0]);
	EXPECT_EQ(0, shadowipc_shmdt(a));
}

/*
 * A range is where a process maps a segment, which Linux shows in
 * /proc/PID/maps only to a reader that may ptrace-read the process: a
 * namespace's unprivileged creator sees its own attach's range and "-"
 * for root's attach in the same namespace.
 */
TEST_F(holders, range_only_for_a_process_the_reader_may_read)
{
	int ready[2], root_done[2], check[2], hold[2], id, fd;
	uint64_t theirs;
	pid_t child, helper;
	char c = 'x';

	if (geteuid())
		SKIP(return, "needs root");
	ASSERT_EQ(0, pipe(ready));
	ASSERT_EQ(0, pipe(root_done));
	ASSERT_EQ(0, pipe(check));
	child = fork();
	ASSERT_GE(child, 0);
	if (!child) {
		void *b;

		if (sipc_drop_privs(SIPC_TEST_UID, SIPC_TEST_GID) ||
		    shadowipc_unshare(&theirs))
			_exit(1);
		id = shadowipc_shmget(IPC_PRIVATE, SEG, IPC_CREAT | 0666);
		b = shadowipc_shmat(id, NULL, 0);
		if (id < 0 || b == (void *)-1)
			_exit(2);
		if (write(ready[1], &theirs, sizeof(theirs)) != sizeof(theirs) ||
		    write(ready[1], &id, sizeof(id)) != sizeof(id))
			_exit(3);
		if (read(check[0], &helper, sizeof(helper)) != sizeof(helper))
			_exit(4);
		if (attach_lines(theirs, id, getpid(), b, SEG, "rw-") != 1)
			_exit(5);
		/* root's line is there, its range not */
		if (match(theirs, id, helper, 0, 0, "rw-") != 1)
			_exit(6);
		_exit(0);
	}
	ASSERT_EQ(sizeof(theirs), read(ready[0], &theirs, sizeof(theirs)));
	ASSERT_EQ(sizeof(id), read(ready[0], &id, sizeof(id)));
	ASSERT_EQ(0, pipe(hold));
	helper = fork();
	ASSERT_GE(helper, 0);
	if (!helper) {
		close(hold[1]);
		fd = shadowipc_ns_fd(child, NULL);
		if (fd < 0 || shadowipc_setns(fd) ||
		    shadowipc_shmat(id, NULL, 0) == (void *)-1)
			_exit(1);
		if (write(root_done[1], &c, 1) != 1)
			_exit(2);
		read(hold[0], &c, 1);	/* EOF when the test ends */
		_exit(0);
	}
	close(check[0]);
	close(hold[0]);
	ASSERT_EQ(1, read(root_done[0], &c, 1));
	/* root itself sees the range */
	EXPECT_EQ(1, match(theirs, id, helper, ANY, ANY, "rw-"));
	EXPECT_EQ(0, match(theirs, id, helper, 0, 0, "rw-"));
	ASSERT_EQ(sizeof(helper), write(check[1], &helper, sizeof(helper)));
	EXPECT_EQ(0, sipc_wait(child));
	close(check[1]);
	close(hold[1]);
	EXPECT_EQ(0, sipc_wait(helper));
	close(ready[0]);
	close(ready[1]);
	close(root_done[0]);
	close(root_done[1]);
}

/*
 * Does shadowipc ipcs --holders --json for namespace @ns print JSON that
 * parses and has @needle? True as well without the CLI installed.
 */
static bool cli_json_has(uint64_t ns, const char *needle)
{
	char cmd[128], out[1 << 14];

	if (system("shadowipc --help >/dev/null 2>&1"))
		return true;
	snprintf(cmd, sizeof(cmd), "shadowipc ipcs --holders --ns %llu --json",
		 (unsigned long long)ns);
	if (run(cmd, out, sizeof(out)) || !json_valid(out) ||
	    !strstr(out, needle)) {
		fprintf(stderr, "# %s\n", out);
		return false;
	}
	return true;
}

/*
 * A message queue's sleeping receivers and senders are listed while they
 * sleep, and no longer once woken.
 */
TEST_F(holders, msg_sleepers)
{
	struct { long type; char text[8192]; } msg = { .type = 1 };
	pid_t pid;
	int q;

	q = shadowipc_msgget(IPC_PRIVATE, IPC_CREAT | 0600);
	ASSERT_GE(q, 0);
	pid = fork();
	ASSERT_GE(pid, 0);
	if (!pid)
		_exit(shadowipc_msgrcv(q, &msg, sizeof(msg.text), 0, 0) != 1);
	EXPECT_EQ(1, await_sleepers(self->ns, q, pid, "receive", 1));
	EXPECT_EQ(0, match_kind("msg", self->ns, q, ANY, 0, 0, "send"));
	ASSERT_EQ(0, shadowipc_msgsnd(q, &msg, 1, 0));
	EXPECT_EQ(0, sipc_wait(pid));
	EXPECT_EQ(0, match_kind("msg", self->ns, q, ANY, ANY, ANY, NULL));

	/* two of 8192 fill the default 16384 bytes: a third sleeps */
	ASSERT_EQ(0, shadowipc_msgsnd(q, &msg, sizeof(msg.text), 0));
	ASSERT_EQ(0, shadowipc_msgsnd(q, &msg, sizeof(msg.text), 0));
	pid = fork();
	ASSERT_GE(pid, 0);
	if (!pid)
		_exit(shadowipc_msgsnd(q, &msg, sizeof(msg.text), 0) != 0);
	EXPECT_EQ(1, await_sleepers(self->ns, q, pid, "send", 1));
	EXPECT_TRUE(cli_json_has(self->ns, "\"start\": null,"));
	EXPECT_TRUE(cli_json_has(self->ns, "\"mode\": \"send\""));
	ASSERT_EQ(sizeof(msg.text),
		  shadowipc_msgrcv(q, &msg, sizeof(msg.text), 0, 0));
	EXPECT_EQ(0, sipc_wait(pid));
	EXPECT_EQ(0, match_kind("msg", self->ns, q, ANY, ANY, ANY, NULL));
	EXPECT_EQ(0, shadowipc_msgctl(q, IPC_RMID, NULL));
}

/*
 * A process with SEM_UNDO adjustments on a set is listed ("undo") until
 * it exits; sleepers in semop() are listed with the semaphore they wait
 * on, single and complex operations alike, until woken.
 */
TEST_F(holders, sem_undo_and_sleepers)
{
	struct sembuf up = { .sem_num = 1, .sem_op = 1, .sem_flg = SEM_UNDO };
	struct sembuf down = { .sem_num = 1, .sem_op = -1 };
	struct sembuf zero = { .sem_num = 0, .sem_op = 0 };
	struct sembuf two[2] = { { .sem_num = 0, .sem_op = 1 },
				 { .sem_num = 2, .sem_op = -1 } };
	int ready[2], done[2];
	pid_t undo, dec, zer, cplx;
	char c;
	int s;

	s = shadowipc_semget(IPC_PRIVATE, 3, IPC_CREAT | 0600);
	ASSERT_GE(s, 0);
	ASSERT_EQ(0, pipe(ready));
	ASSERT_EQ(0, pipe(done));
	undo = fork();
	ASSERT_GE(undo, 0);
	if (!undo) {
		close(done[1]);
		if (shadowipc_semop(s, &up, 1))
			_exit(1);
		if (write(ready[1], "x", 1) != 1)
			_exit(1);
		_exit(read(done[0], &c, 1) != 0);
	}
	close(done[0]);
	close(ready[1]);
	ASSERT_EQ(1, read(ready[0], &c, 1));
	EXPECT_EQ(1, match_kind("sem", self->ns, s, undo, 0, 0, "undo"));
	EXPECT_EQ(0, match_kind("sem", self->ns, s, getpid(), ANY, ANY, NULL));

	/* value 1 on semaphore 0: a wait for zero sleeps */
	ASSERT_EQ(0, shadowipc_semop(s, &two[0], 1));
	zer = fork();
	ASSERT_GE(zer, 0);
	if (!zer) {
		close(done[1]);
		_exit(shadowipc_semop(s, &zero, 1) != 0);
	}
	EXPECT_EQ(1, await_kind("sem", self->ns, s, zer, "zero:0", 1));
	/* semaphore 1 goes back to 0 when @undo exits: a decrease sleeps */
	close(done[1]);
	EXPECT_EQ(0, sipc_wait(undo));
	EXPECT_EQ(0, match_kind("sem", self->ns, s, ANY, 0, 0, "undo"));
	dec = fork();
	ASSERT_GE(dec, 0);
	if (!dec)
		_exit(shadowipc_semop(s, &down, 1) != 0);
	EXPECT_EQ(1, await_kind("sem", self->ns, s, dec, "dec:1", 1));
	cplx = fork();
	ASSERT_GE(cplx, 0);
	if (!cplx)
		_exit(shadowipc_semop(s, two, 2) != 0);
	EXPECT_EQ(1, await_kind("sem", self->ns, s, cplx, "dec:2", 1));
	EXPECT_EQ(3, match_kind("sem", self->ns, s, ANY, 0, 0, NULL));

	/* semaphore 0 to 0 wakes @zer; 1 up wakes @dec; 2 up, @cplx */
	down.sem_num = 0;
	ASSERT_EQ(0, shadowipc_semop(s, &down, 1));
	EXPECT_EQ(0, sipc_wait(zer));
	up.sem_flg = 0;
	ASSERT_EQ(0, shadowipc_semop(s, &up, 1));
	EXPECT_EQ(0, sipc_wait(dec));
	up.sem_num = 2;
	ASSERT_EQ(0, shadowipc_semop(s, &up, 1));
	EXPECT_EQ(0, sipc_wait(cplx));
	EXPECT_EQ(0, match_kind("sem", self->ns, s, ANY, ANY, ANY, NULL));
	EXPECT_EQ(0, shadowipc_semctl(s, 0, IPC_RMID));
	close(ready[0]);
}

/*
 * A POSIX queue's mq_notify() registrant is listed while registered, its
 * sleeping receivers and senders while they sleep; the name is escaped.
 */
TEST_F(holders, mq_notify_owner_and_sleepers)
{
	struct mq_attr attr = { .mq_maxmsg = 1, .mq_msgsize = 8 };
	struct sigevent sev = { .sigev_notify = SIGEV_NONE };
	static char buf[1 << 16];
	char name[64], msg[8] = "x";
	pid_t pid;
	mqd_t q;

	q = shadowipc_mq_open("/held q", O_CREAT | O_RDWR, 0600, &attr);
	ASSERT_GE(q, 0);
	ASSERT_EQ(0, shadowipc_mq_notify(q, &sev));
	EXPECT_EQ(1, match_kind("mq", self->ns, -1, getpid(), 0, 0, "notify"));
	snprintf(name, sizeof(name), "mq %llu - /held\\040q %d ",
		 (unsigned long long)self->ns, getpid());
	ASSERT_LE(0, sipc_read_file(HOLDERS, buf, sizeof(buf)));
	EXPECT_NE(NULL, strstr(buf, name)) TH_LOG("%s", buf);
	ASSERT_EQ(0, shadowipc_mq_notify(q, NULL));
	EXPECT_EQ(0, match_kind("mq", self->ns, -1, ANY, ANY, ANY, "notify"));

	pid = fork();
	ASSERT_GE(pid, 0);
	if (!pid)
		_exit(shadowipc_mq_receive(q, msg, sizeof(msg), NULL) != 1);
	EXPECT_EQ(1, await_kind("mq", self->ns, -1, pid, "receive", 1));
	ASSERT_EQ(0, shadowipc_mq_send(q, msg, 1, 0));
	EXPECT_EQ(0, sipc_wait(pid));

	/* one message fills the queue: a second sender sleeps */
	ASSERT_EQ(0, shadowipc_mq_send(q, msg, 1, 0));
	pid = fork();
	ASSERT_GE(pid, 0);
	if (!pid)
		_exit(shadowipc_mq_send(q, msg, 1, 0) != 0);
	EXPECT_EQ(1, await_kind("mq", self->ns, -1, pid, "send", 1));
	EXPECT_TRUE(cli_json_has(self->ns, "\"key\": \"/held q\","));
	EXPECT_TRUE(cli_json_has(self->ns, "\"id\": null,"));
	ASSERT_EQ(1, shadowipc_mq_receive(q, msg, sizeof(msg), NULL));
	EXPECT_EQ(0, sipc_wait(pid));
	/* the children's file was their parent's: only its opener is left */
	EXPECT_EQ(1, match_kind("mq", self->ns, -1, ANY, ANY, ANY, NULL));
	EXPECT_EQ(0, shadowipc_mq_close(q));
	EXPECT_EQ(0, shadowipc_mq_unlink("/held q"));
}

/*
 * Each open file of a POSIX queue is listed with the process that opened
 * it and its access, until closed; a queue whose name is gone stays
 * listed while open, its name marked as deleted.
 */
TEST_F(holders, mq_open_files_and_deleted)
{
	struct mq_attr attr = { .mq_maxmsg = 1, .mq_msgsize = 8 };
	static char buf[1 << 16];
	char deleted[96];
	mqd_t rw, r, w;

	rw = shadowipc_mq_open("/opened", O_CREAT | O_RDWR, 0600, &attr);
	r = shadowipc_mq_open("/opened", O_RDONLY);
	w = shadowipc_mq_open("/opened", O_WRONLY);
	ASSERT_GE(rw, 0);
	ASSERT_GE(r, 0);
	ASSERT_GE(w, 0);
	EXPECT_EQ(1, match_kind("mq", self->ns, -1, getpid(), 0, 0, "open:rw"));
	EXPECT_EQ(1, match_kind("mq", self->ns, -1, getpid(), 0, 0, "open:r"));
	EXPECT_EQ(1, match_kind("mq", self->ns, -1, getpid(), 0, 0, "open:w"));
	EXPECT_EQ(0, shadowipc_mq_close(w));
	EXPECT_EQ(0, match_kind("mq", self->ns, -1, ANY, ANY, ANY, "open:w"));

	ASSERT_EQ(0, shadowipc_mq_unlink("/opened"));
	snprintf(deleted, sizeof(deleted), "mq %llu - /opened\\040(deleted) %d ",
		 (unsigned long long)self->ns, getpid());
	ASSERT_LE(0, sipc_read_file(HOLDERS, buf, sizeof(buf)));
	EXPECT_NE(NULL, strstr(buf, deleted)) TH_LOG("%s", buf);
	EXPECT_EQ(2, match_kind("mq", self->ns, -1, getpid(), 0, 0, NULL));
	EXPECT_TRUE(cli_json_has(self->ns, "\"key\": \"/opened (deleted)\","));
	EXPECT_EQ(0, shadowipc_mq_close(rw));
	EXPECT_EQ(0, shadowipc_mq_close(r));
	EXPECT_EQ(0, match_kind("mq", self->ns, -1, ANY, ANY, ANY, NULL));
}

/* shadowipc ipcs --holders, as a table and as JSON that parses. */
TEST_F(holders, cli_table_and_json)
{
	char cmd[128], out[1 << 14], want[128];
	void *a;

	if (system("shadowipc --help >/dev/null 2>&1"))
		SKIP(return, "no shadowipc command");
	a = shadowipc_shmat(self->id, NULL, 0);
	ASSERT_NE((void *)-1, a);

	snprintf(cmd, sizeof(cmd), "shadowipc ipcs --holders --ns %llu",
		 (unsigned long long)self->ns);
	ASSERT_EQ(0, run(cmd, out, sizeof(out)));
	snprintf(want, sizeof(want), " %d holders_test ", getpid());
	EXPECT_NE(NULL, strstr(out, want)) TH_LOG("%s", out);
	snprintf(want, sizeof(want), "%lx-%-12lx rw-\n", (unsigned long)a,
		 (unsigned long)a + SEG);
	EXPECT_NE(NULL, strstr(out, want)) TH_LOG("%s", out);

	strcat(cmd, " --json");
	ASSERT_EQ(0, run(cmd, out, sizeof(out)));
	EXPECT_TRUE(json_valid(out)) TH_LOG("%s", out);
	snprintf(want, sizeof(want), "\"pid\": %d,", getpid());
	EXPECT_NE(NULL, strstr(out, want)) TH_LOG("%s", out);
	snprintf(want, sizeof(want), "\"start\": \"0x%lx\",", (unsigned long)a);
	EXPECT_NE(NULL, strstr(out, want)) TH_LOG("%s", out);

	/* and the checker is no pushover */
	EXPECT_FALSE(json_valid("{\"holders\": [ {\"pid\": 1,} ]}"));
	EXPECT_FALSE(json_valid("{\"a\": \"b\" \"c\"}"));
	EXPECT_TRUE(json_valid("{\"holders\": [ ]}"));
	EXPECT_EQ(0, shadowipc_shmdt(a));
}

TEST_HARNESS_MAIN
