// SPDX-License-Identifier: GPL-2.0
/*
 * System V shared memory through shadowipc, between processes: sharing
 * data, shm_nattch through fork, exit, exec, partial munmap, mprotect and
 * mremap, destruction after IPC_RMID, namespace isolation, attaches that
 * outlive a namespace switch, and the teardown of a namespace's segments.
 * Every test runs in a shadow namespace of its own.
 */
#include <pthread.h>
#include <sys/mman.h>
#include <sys/resource.h>

#include "kselftest_harness.h"
#include "sipc_test.h"

#define PAGE		4096UL
#define SHM_DEST_BIT	01000
#define SHM_LOCKED_BIT	02000

FIXTURE(shm) {
	struct shadowipc_status before;
};

FIXTURE_SETUP(shm)
{
	if (!sipc_dev_present())
		SKIP(return, "%s: %s (module not loaded)", SHADOWIPC_DEVICE,
		     strerror(errno));
	self->before = sipc_status();
	ASSERT_EQ(0, shadowipc_unshare(NULL));
}

FIXTURE_TEARDOWN(shm)
{
}

static int seg_stat(int id, struct shmid_ds *ds)
{
	return shadowipc_shmctl(id, IPC_STAT, ds);
}

/* shm_nattch of @id, or -1 when IPC_STAT fails. */
static long nattch(int id)
{
	struct shmid_ds ds;

	return seg_stat(id, &ds) ? -1 : (long)ds.shm_nattch;
}

static int shm_info(struct shm_info *info)
{
	return shadowipc_shmctl(0, SHM_INFO, (struct shmid_ds *)info);
}

/* A free range of @pages pages, left unmapped. */
static char *free_range(size_t pages)
{
	char *p = mmap(NULL, pages * PAGE, PROT_NONE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		return NULL;
	munmap(p, pages * PAGE);
	return p;
}

/* A pipe pair a child blocks on until the parent writes one byte. */
struct gate {
	int fd[2];
};

static int gate_init(struct gate *g)
{
	return pipe(g->fd);
}

static int gate_wait(struct gate *g)
{
	char c;

	return read(g->fd[0], &c, 1) == 1 ? 0 : -1;
}

static int gate_open(struct gate *g)
{
	return write(g->fd[1], "g", 1) == 1 ? 0 : -1;
}

TEST_F(shm, data_written_by_one_process_is_read_by_another)
{
	struct gate written;
	int id, i;
	pid_t pid;
	char *p;

	id = shadowipc_shmget(IPC_PRIVATE, 3 * PAGE, 0600);
	ASSERT_GE(id, 0);
	ASSERT_EQ(0, gate_init(&written));
	pid = fork();
	ASSERT_GE(pid, 0);
	if (!pid) {
		char *q = shadowipc_shmat(id, NULL, 0);

		if (q == (void *)-1)
			_exit(1);
		for (i = 0; i < 3 * PAGE; i++)
			q[i] = (char)(i * 7 + 3);
		_exit(gate_open(&written) ? 2 : 0);
	}
	ASSERT_EQ(0, gate_wait(&written));
	ASSERT_EQ(0, sipc_wait(pid));
	p = shadowipc_shmat(id, NULL, SHM_RDONLY);
	ASSERT_NE((void *)-1, p);
	for (i = 0; i < 3 * PAGE; i++)
		if (p[i] != (char)(i * 7 + 3))
			break;
	EXPECT_EQ(3 * PAGE, i);
	EXPECT_EQ(0, shadowipc_shmdt(p));
	EXPECT_EQ(0, shadowipc_shmctl(id, IPC_RMID, NULL));
}

TEST_F(shm, new_segment_is_zero_filled)
{
	int id = shadowipc_shmget(IPC_PRIVATE, 5 * PAGE + 17, 0600);
	char *p;
	size_t i;

	ASSERT_GE(id, 0);
	p = shadowipc_shmat(id, NULL, 0);
	ASSERT_NE((void *)-1, p);
	for (i = 0; i < 5 * PAGE + 17; i++)
		if (p[i])
			break;
	EXPECT_EQ(5 * PAGE + 17, i);
	EXPECT_EQ(0, shadowipc_shmctl(id, IPC_RMID, NULL));
	EXPECT_EQ(0, shadowipc_shmdt(p));
}

/* fork() opens every attach VMA again in the parent's name. */
TEST_F(shm, nattch_counts_fork_and_exit)
{
	struct gate go;
	struct shmid_ds ds;
	pid_t pid;
	int id;
	char *p;

	id = shadowipc_shmget(IPC_PRIVATE, PAGE, 0600);
	ASSERT_GE(id, 0);
	p = shadowipc_shmat(id, NULL, 0);
	ASSERT_NE((void *)-1, p);
	ASSERT_EQ(0, seg_stat(id, &ds));
	EXPECT_EQ(1, ds.shm_nattch);
	EXPECT_EQ(getpid(), ds.shm_lpid);
	EXPECT_EQ(getpid(), ds.shm_cpid);
	EXPECT_NE(0, ds.shm_atime);
	EXPECT_EQ(0, ds.shm_dtime);

	ASSERT_EQ(0, gate_init(&go));
	pid = fork();
	ASSERT_GE(pid, 0);
	if (!pid)
		_exit(gate_wait(&go) ? 1 : 0);
	ASSERT_EQ(0, seg_stat(id, &ds));
	EXPECT_EQ(2, ds.shm_nattch);
	EXPECT_EQ(getpid(), ds.shm_lpid);
	ASSERT_EQ(0, gate_open(&go));
	ASSERT_EQ(0, sipc_wait(pid));
	ASSERT_EQ(0, seg_stat(id, &ds));
	EXPECT_EQ(1, ds.shm_nattch);
	/* the child's exit detached last */
	EXPECT_EQ(pid, ds.shm_lpid);
	EXPECT_NE(0, ds.shm_dtime);
	EXPECT_EQ(0, shadowipc_shmdt(p));
	EXPECT_EQ(0, nattch(id));
	EXPECT_EQ(0, shadowipc_shmctl(id, IPC_RMID, NULL));
}

TEST_F(shm, dontfork_attach_is_not_counted_in_child)
{
	struct gate go;
	pid_t pid;
	int id, ret;
	char *p;

	id = shadowipc_shmget(IPC_PRIVATE, PAGE, 0600);
	ASSERT_GE(id, 0);
	p = shadowipc_shmat(id, NULL, 0);
	ASSERT_NE((void *)-1, p);
	ret = madvise(p, PAGE, MADV_DONTFORK);
	if (ret && errno == ENOSYS)
		SKIP(return, "no madvise() in this kernel");
	ASSERT_EQ(0, ret);
	ASSERT_EQ(0, gate_init(&go));
	pid = fork();
	ASSERT_GE(pid, 0);
	if (!pid)
		_exit(gate_wait(&go) ? 1 : 0);
	EXPECT_EQ(1, nattch(id));
	ASSERT_EQ(0, gate_open(&go));
	ASSERT_EQ(0, sipc_wait(pid));
	EXPECT_EQ(1, nattch(id));
	EXPECT_EQ(0, shadowipc_shmdt(p));
	EXPECT_EQ(0, shadowipc_shmctl(id, IPC_RMID, NULL));
}

TEST_F(shm, exec_detaches)
{
	struct gate go;
	pid_t pid;
	int id;
	char *p;

	id = shadowipc_shmget(IPC_PRIVATE, PAGE, 0600);
	ASSERT_GE(id, 0);
	p = shadowipc_shmat(id, NULL, 0);
	ASSERT_NE((void *)-1, p);
	ASSERT_EQ(0, gate_init(&go));
	pid = fork();
	ASSERT_GE(pid, 0);
	if (!pid) {
		if (gate_wait(&go))
			_exit(1);
		execl("/bin/true", "true", (char *)NULL);
		_exit(2);
	}
	EXPECT_EQ(2, nattch(id));
	ASSERT_EQ(0, gate_open(&go));
	ASSERT_EQ(0, sipc_wait(pid));
	EXPECT_EQ(1, nattch(id));
	EXPECT_EQ(0, shadowipc_shmdt(p));
	EXPECT_EQ(0, shadowipc_shmctl(id, IPC_RMID, NULL));
}

/* Unmapping the middle page splits the attach: 3 VMAs, then 2. */
TEST_F(shm, partial_munmap_counts_pieces_and_shmdt_takes_them_all)
{
	int id = shadowipc_shmget(IPC_PRIVATE, 3 * PAGE, 0600);
	char *p;

	ASSERT_GE(id, 0);
	p = shadowipc_shmat(id, NULL, 0);
	ASSERT_NE((void *)-1, p);
	ASSERT_EQ(0, munmap(p + PAGE, PAGE));
	EXPECT_EQ(2, nattch(id));
	/* not where the attach started */
	EXPECT_EQ(-1, shadowipc_shmdt(p + 2 * PAGE));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(0, shadowipc_shmdt(p));
	EXPECT_EQ(0, nattch(id));
	EXPECT_EQ(-1, shadowipc_shmdt(p));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(0, shadowipc_shmctl(id, IPC_RMID, NULL));
}

/* LTP shmat04: mprotect() splits; shmdt() must still drop every piece. */
TEST_F(shm, mprotect_pieces_are_all_detached)
{
	int id = shadowipc_shmget(IPC_PRIVATE, 3 * PAGE, 0600);
	char *p;

	ASSERT_GE(id, 0);
	p = shadowipc_shmat(id, NULL, 0);
	ASSERT_NE((void *)-1, p);
	ASSERT_EQ(0, mprotect(p + PAGE, PAGE, PROT_NONE));
	EXPECT_EQ(3, nattch(id));
	ASSERT_EQ(0, mprotect(p, 2 * PAGE, PROT_READ | PROT_WRITE));
	p[0] = 1;
	p[PAGE] = 2;
	EXPECT_EQ(0, shadowipc_shmdt(p));
	EXPECT_EQ(0, nattch(id));
	EXPECT_EQ(0, shadowipc_shmctl(id, IPC_RMID, NULL));
}

TEST_F(shm, mremap_move_keeps_count_and_data)
{
	int id = shadowipc_shmget(IPC_PRIVATE, 2 * PAGE, 0600);
	char *p, *q, *to;

	ASSERT_GE(id, 0);
	p = shadowipc_shmat(id, NULL, 0);
	ASSERT_NE((void *)-1, p);
	strcpy(p + PAGE, "moved");
	to = free_range(2);
	ASSERT_NE(NULL, to);
	q = mremap(p, 2 * PAGE, 2 * PAGE, MREMAP_MAYMOVE | MREMAP_FIXED, to);
	ASSERT_EQ(to, q);
	EXPECT_EQ(1, nattch(id));
	EXPECT_STREQ("moved", q + PAGE);
	EXPECT_EQ(-1, shadowipc_shmdt(p));
	EXPECT_EQ(0, shadowipc_shmdt(q));
	EXPECT_EQ(0, nattch(id));
	EXPECT_EQ(0, shadowipc_shmctl(id, IPC_RMID, NULL));
}

/* Moving one page of an attach leaves two VMAs; shmdt() skips the moved one. */
TEST_F(shm, mremap_of_part_is_a_separate_piece)
{
	int id = shadowipc_shmget(IPC_PRIVATE, 2 * PAGE, 0600);
	char *p, *q, *to;

	ASSERT_GE(id, 0);
	p = shadowipc_shmat(id, NULL, 0);
	ASSERT_NE((void *)-1, p);
	strcpy(p + PAGE, "second");
	to = free_range(3);
	ASSERT_NE(NULL, to);
	q = mremap(p + PAGE, PAGE, PAGE, MREMAP_MAYMOVE | MREMAP_FIXED,
		   to + 2 * PAGE);
	ASSERT_EQ(to + 2 * PAGE, q);
	EXPECT_EQ(2, nattch(id));
	EXPECT_STREQ("second", q);
	EXPECT_EQ(0, shadowipc_shmdt(p));
	EXPECT_EQ(1, nattch(id));
	EXPECT_EQ(0, munmap(q, PAGE));
	EXPECT_EQ(0, nattch(id));
	EXPECT_EQ(0, shadowipc_shmctl(id, IPC_RMID, NULL));
}

TEST_F(shm, rmid_while_attached_destroys_at_last_detach)
{
	struct shm_info before, info;
	struct shmid_ds ds;
	key_t key = 0x5eed0001;
	int id;
	char *p;

	ASSERT_LE(0, shm_info(&before));
	id = shadowipc_shmget(key, 10 * PAGE, IPC_CREAT | 0600);
	ASSERT_GE(id, 0);
	p = shadowipc_shmat(id, NULL, 0);
	ASSERT_NE((void *)-1, p);
	ASSERT_LE(0, shm_info(&info));
	EXPECT_EQ(before.used_ids + 1, info.used_ids);
	EXPECT_EQ(before.shm_tot + 10, info.shm_tot);

	ASSERT_EQ(0, shadowipc_shmctl(id, IPC_RMID, NULL));
	ASSERT_EQ(0, seg_stat(id, &ds));
	EXPECT_EQ(0, ds.shm_perm.__key);
	EXPECT_EQ(SHM_DEST_BIT, ds.shm_perm.mode & SHM_DEST_BIT);
	/* gone from the key table, still there by id */
	EXPECT_EQ(-1, shadowipc_shmget(key, 0, 0));
	EXPECT_EQ(ENOENT, errno);
	EXPECT_EQ(0, shadowipc_shmctl(id, IPC_RMID, NULL));
	strcpy(p, "still usable");
	EXPECT_STREQ("still usable", p);

	EXPECT_EQ(0, shadowipc_shmdt(p));
	EXPECT_EQ(-1, seg_stat(id, &ds));
	EXPECT_EQ(EINVAL, errno);
	ASSERT_LE(0, shm_info(&info));
	EXPECT_EQ(before.used_ids, info.used_ids);
	EXPECT_EQ(before.shm_tot, info.shm_tot);
	EXPECT_EQ(self->before.segments, sipc_status().segments);
}

TEST_F(shm, rmid_segment_lives_until_every_process_detached)
{
	struct gate go;
	pid_t pid;
	int id;
	char *p;

	id = shadowipc_shmget(IPC_PRIVATE, PAGE, 0600);
	ASSERT_GE(id, 0);
	p = shadowipc_shmat(id, NULL, 0);
	ASSERT_NE((void *)-1, p);
	ASSERT_EQ(0, gate_init(&go));
	pid = fork();
	ASSERT_GE(pid, 0);
	if (!pid) {
		if (gate_wait(&go))
			_exit(1);
		_exit(strcmp(p, "from parent") ? 2 : 0);
	}
	ASSERT_EQ(0, shadowipc_shmctl(id, IPC_RMID, NULL));
	strcpy(p, "from parent");
	EXPECT_EQ(0, shadowipc_shmdt(p));
	EXPECT_EQ(1, nattch(id));
	EXPECT_EQ(self->before.segments + 1, sipc_status().segments);
	ASSERT_EQ(0, gate_open(&go));
	EXPECT_EQ(0, sipc_wait(pid));
	EXPECT_EQ(-1, nattch(id));
	EXPECT_EQ(self->before.segments, sipc_status().segments);
}

TEST_F(shm, attaching_after_rmid_works_by_id)
{
	int id = shadowipc_shmget(IPC_PRIVATE, PAGE, 0600);
	char *p, *q;

	ASSERT_GE(id, 0);
	p = shadowipc_shmat(id, NULL, 0);
	ASSERT_NE((void *)-1, p);
	ASSERT_EQ(0, shadowipc_shmctl(id, IPC_RMID, NULL));
	q = shadowipc_shmat(id, NULL, 0);
	ASSERT_NE((void *)-1, q);
	EXPECT_EQ(2, nattch(id));
	p[10] = 'x';
	EXPECT_EQ('x', q[10]);
	EXPECT_EQ(0, shadowipc_shmdt(p));
	EXPECT_EQ(0, shadowipc_shmdt(q));
	EXPECT_EQ(-1, nattch(id));
}

struct key_writer {
	key_t key;
	char pattern;
	struct gate *written;	/* both wrote */
	struct gate *ready;	/* this one wrote */
};

static int write_then_check(struct key_writer *w)
{
	char *p;
	int id, i;

	if (shadowipc_unshare(NULL))
		return 1;
	id = shadowipc_shmget(w->key, 4 * PAGE, IPC_CREAT | IPC_EXCL | 0600);
	if (id < 0)
		return 2;
	p = shadowipc_shmat(id, NULL, 0);
	if (p == (void *)-1)
		return 3;
	memset(p, w->pattern, 4 * PAGE);
	if (gate_open(w->ready) || gate_wait(w->written))
		return 4;
	for (i = 0; i < 4 * PAGE; i++)
		if (p[i] != w->pattern)
			return 5;
	return 0;
}

TEST_F(shm, same_key_in_two_namespaces_holds_different_data)
{
	struct gate ready[2], written;
	struct key_writer w[2];
	pid_t pid[2];
	int i;

	ASSERT_EQ(0, gate_init(&written));
	for (i = 0; i < 2; i++) {
		ASSERT_EQ(0, gate_init(&ready[i]));
		w[i] = (struct key_writer){ 0x5eed0002, (char)('a' + i),
					    &written, &ready[i] };
		pid[i] = fork();
		ASSERT_GE(pid[i], 0);
		if (!pid[i])
			_exit(write_then_check(&w[i]));
	}
	for (i = 0; i < 2; i++)
		ASSERT_EQ(0, gate_wait(&ready[i]));
	for (i = 0; i < 2; i++)
		ASSERT_EQ(0, gate_open(&written));
	for (i = 0; i < 2; i++)
		EXPECT_EQ(0, sipc_wait(pid[i]));
	/* both namespaces died with their only member */
	EXPECT_EQ(self->before.segments, sipc_status().segments);
}

TEST_F(shm, segment_is_invisible_from_another_namespace)
{
	struct shmid_ds ds;
	key_t key = 0x5eed0003;
	int id;
	pid_t pid;

	id = shadowipc_shmget(key, PAGE, IPC_CREAT | 0666);
	ASSERT_GE(id, 0);
	pid = fork();
	ASSERT_GE(pid, 0);
	if (!pid) {
		if (shadowipc_unshare(NULL))
			_exit(1);
		if (shadowipc_shmget(key, 0, 0) != -1 || errno != ENOENT)
			_exit(2);
		if (shadowipc_shmctl(id, IPC_STAT, &ds) != -1 ||
		    errno != EINVAL)
			_exit(3);
		if (shadowipc_shmctl(id, SHM_STAT_ANY, &ds) != -1 ||
		    errno != EINVAL)
			_exit(4);
		if (shadowipc_shmat(id, NULL, 0) != (void *)-1 ||
		    errno != EINVAL)
			_exit(5);
		if (shadowipc_shmctl(id, IPC_RMID, NULL) != -1 ||
		    errno != EINVAL)
			_exit(6);
		_exit(0);
	}
	EXPECT_EQ(0, sipc_wait(pid));
	EXPECT_EQ(id, shadowipc_shmget(key, 0, 0));
	EXPECT_EQ(0, shadowipc_shmctl(id, IPC_RMID, NULL));
}

/* An attach keeps its segment's namespace; detaching works from elsewhere. */
TEST_F(shm, attach_outlives_unshare)
{
	struct shmid_ds ds;
	int id;
	char *p;

	id = shadowipc_shmget(IPC_PRIVATE, PAGE, 0600);
	ASSERT_GE(id, 0);
	p = shadowipc_shmat(id, NULL, 0);
	ASSERT_NE((void *)-1, p);
	ASSERT_EQ(0, shadowipc_shmctl(id, IPC_RMID, NULL));
	ASSERT_EQ(0, shadowipc_unshare(NULL));
	/* the new namespace does not have it */
	EXPECT_EQ(-1, seg_stat(id, &ds));
	strcpy(p, "old namespace");
	EXPECT_STREQ("old namespace", p);
	EXPECT_EQ(self->before.segments + 1, sipc_status().segments);
	EXPECT_EQ(0, shadowipc_shmdt(p));
	EXPECT_EQ(self->before.segments, sipc_status().segments);
	EXPECT_EQ(self->before.namespaces + 1, sipc_status().namespaces);
}

/* The last member's exit destroys segments never IPC_RMID'd. */
TEST_F(shm, namespace_teardown_destroys_its_segments)
{
	pid_t pid = fork();

	ASSERT_GE(pid, 0);
	if (!pid) {
		int i;

		if (shadowipc_unshare(NULL))
			_exit(1);
		for (i = 0; i < 5; i++)
			if (shadowipc_shmget(0x5eed0100 + i, PAGE,
					     IPC_CREAT | 0600) < 0)
				_exit(2);
		if (shadowipc_shmget(IPC_PRIVATE, 3 * PAGE, 0600) < 0)
			_exit(3);
		_exit(sipc_status().segments == self->before.segments + 6 ?
		      0 : 4);
	}
	EXPECT_EQ(0, sipc_wait(pid));
	EXPECT_EQ(self->before.segments, sipc_status().segments);
}

/* Without shm_rmid_forced the creator's exit leaves the segment alone. */
TEST_F(shm, creator_exit_leaves_segment)
{
	struct shmid_ds ds;
	int pfd[2], id = -1;
	pid_t pid;

	ASSERT_EQ(0, pipe(pfd));
	pid = fork();
	ASSERT_GE(pid, 0);
	if (!pid) {
		id = shadowipc_shmget(IPC_PRIVATE, PAGE, 0600);
		_exit(write(pfd[1], &id, sizeof(id)) == sizeof(id) ? 0 : 1);
	}
	ASSERT_EQ(sizeof(id), read(pfd[0], &id, sizeof(id)));
	ASSERT_EQ(0, sipc_wait(pid));
	ASSERT_GE(id, 0);
	ASSERT_EQ(0, seg_stat(id, &ds));
	EXPECT_EQ(pid, ds.shm_cpid);
	EXPECT_EQ(0, ds.shm_lpid);
	EXPECT_EQ(0, shadowipc_shmctl(id, IPC_RMID, NULL));
}

static void segv_handler(int sig)
{
	_exit(sig == SIGSEGV ? 0 : 3);
}

TEST_F(shm, read_only_attach_refuses_writes)
{
	int id = shadowipc_shmget(IPC_PRIVATE, PAGE, 0600);
	pid_t pid;
	char *p;

	ASSERT_GE(id, 0);
	p = shadowipc_shmat(id, NULL, SHM_RDONLY);
	ASSERT_NE((void *)-1, p);
	EXPECT_EQ(0, p[0]);
	EXPECT_EQ(-1, mprotect(p, PAGE, PROT_READ | PROT_WRITE));
	EXPECT_EQ(EACCES, errno);
	pid = fork();
	ASSERT_GE(pid, 0);
	if (!pid) {
		signal(SIGSEGV, segv_handler);
		*(volatile char *)p = 1;
		_exit(1);
	}
	EXPECT_EQ(0, sipc_wait(pid));
	EXPECT_EQ(0, shadowipc_shmdt(p));
	EXPECT_EQ(0, shadowipc_shmctl(id, IPC_RMID, NULL));
}

/*
 * The inode number and name /proc/self/maps shows for the mapping at @p.
 * Return: 0, or -1 when no mapping starts there.
 */
static int maps_entry(void *p, unsigned long *ino, char *name, size_t len)
{
	unsigned long start, end;
	char line[512], buf[256];
	int ret = -1;
	FILE *maps;

	maps = fopen("/proc/self/maps", "r");
	if (!maps)
		return -1;
	while (fgets(line, sizeof(line), maps)) {
		buf[0] = 0;
		if (sscanf(line, "%lx-%lx %*s %*s %*s %lu %255s", &start, &end,
			   ino, buf) < 3 || start != (unsigned long)p)
			continue;
		snprintf(name, len, "%s", buf);
		ret = 0;
		break;
	}
	fclose(maps);
	return ret;
}

/* /proc/PID/maps shows the shmid as the inode, as ps expects of SysV shm. */
TEST_F(shm, proc_maps_shows_id_as_inode)
{
	unsigned long ino;
	char name[256];
	int id;
	char *p;

	id = shadowipc_shmget(0x5eed0004, PAGE, IPC_CREAT | 0600);
	ASSERT_GE(id, 0);
	p = shadowipc_shmat(id, NULL, 0);
	ASSERT_NE((void *)-1, p);
	ASSERT_EQ(0, maps_entry(p, &ino, name, sizeof(name)));
	EXPECT_EQ(id, ino);
	EXPECT_STREQ("/SYSV5eed0004", name);
	EXPECT_EQ(0, shadowipc_shmdt(p));
	EXPECT_EQ(0, shadowipc_shmctl(id, IPC_RMID, NULL));
}

/*
 * Segments removed without an attach leave their file for the next one
 * of the same key and size: whichever file a segment gets, it shows its
 * own key and id and holds zeros.
 */
TEST_F(shm, segments_created_after_removals_show_their_own_key_and_id)
{
	static const key_t keys[] = { IPC_PRIVATE, 0x5eed0005, 0x5eed0006 };
	char name[256], want[32];
	unsigned long ino;
	int round, k, id;
	char *p;

	for (round = 0; round < 3; round++) {
		/* leave a never-attached file of each key behind */
		for (k = 0; k < 3; k++) {
			id = shadowipc_shmget(keys[k], 2 * PAGE, IPC_CREAT | 0600);
			ASSERT_GE(id, 0);
			ASSERT_EQ(0, shadowipc_shmctl(id, IPC_RMID, NULL));
		}
		/* the keys in another order, same size */
		for (k = 0; k < 3; k++) {
			key_t key = keys[(k + round) % 3];

			id = shadowipc_shmget(key, 2 * PAGE, IPC_CREAT | 0600);
			ASSERT_GE(id, 0);
			p = shadowipc_shmat(id, NULL, 0);
			ASSERT_NE((void *)-1, p);
			ASSERT_EQ(0, maps_entry(p, &ino, name, sizeof(name)));
			snprintf(want, sizeof(want), "/SYSV%08x", (unsigned int)key);
			EXPECT_EQ(id, ino);
			EXPECT_STREQ(want, name);
			EXPECT_EQ(0, p[0]);
			EXPECT_EQ(0, p[2 * PAGE - 1]);
			p[0] = 1;
			EXPECT_EQ(0, shadowipc_shmdt(p));
			EXPECT_EQ(0, shadowipc_shmctl(id, IPC_RMID, NULL));
		}
	}
}

/* A segment that was attached and written never passes its pages on. */
TEST_F(shm, new_segment_after_a_used_one_of_the_same_size_is_zero)
{
	int round, id;
	size_t i;
	char *p;

	for (round = 0; round < 4; round++) {
		id = shadowipc_shmget(0x5eed0007, 4 * PAGE, IPC_CREAT | 0600);
		ASSERT_GE(id, 0);
		p = shadowipc_shmat(id, NULL, 0);
		ASSERT_NE((void *)-1, p);
		for (i = 0; i < 4 * PAGE; i += PAGE)
			ASSERT_EQ(0, p[i]) TH_LOG("round %d, byte %zu", round, i);
		memset(p, 0xaa, 4 * PAGE);
		EXPECT_EQ(0, shadowipc_shmdt(p));
		EXPECT_EQ(0, shadowipc_shmctl(id, IPC_RMID, NULL));
	}
}

/*
 * Read-only and read-write attaches of one segment, interleaved: each
 * keeps its own access (the segment has an attach file for each mode).
 */
TEST_F(shm, read_only_and_read_write_attaches_keep_their_access)
{
	int id = shadowipc_shmget(IPC_PRIVATE, PAGE, 0600);
	char *ro1, *rw, *ro2;

	ASSERT_GE(id, 0);
	ro1 = shadowipc_shmat(id, NULL, SHM_RDONLY);
	ASSERT_NE((void *)-1, ro1);
	rw = shadowipc_shmat(id, NULL, 0);
	ASSERT_NE((void *)-1, rw);
	ro2 = shadowipc_shmat(id, NULL, SHM_RDONLY);
	ASSERT_NE((void *)-1, ro2);
	EXPECT_EQ(3, nattch(id));

	rw[7] = 42;
	EXPECT_EQ(42, ro1[7]);
	EXPECT_EQ(42, ro2[7]);
	EXPECT_EQ(-1, mprotect(ro1, PAGE, PROT_READ | PROT_WRITE));
	EXPECT_EQ(EACCES, errno);
	EXPECT_EQ(-1, mprotect(ro2, PAGE, PROT_READ | PROT_WRITE));
	EXPECT_EQ(EACCES, errno);
	EXPECT_EQ(0, mprotect(rw, PAGE, PROT_READ));
	EXPECT_EQ(0, mprotect(rw, PAGE, PROT_READ | PROT_WRITE));

	EXPECT_EQ(0, shadowipc_shmdt(ro1));
	EXPECT_EQ(2, nattch(id));
	EXPECT_EQ(0, shadowipc_shmdt(rw));
	EXPECT_EQ(1, nattch(id));
	EXPECT_EQ(-1, shadowipc_shmdt(rw));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(0, shadowipc_shmdt(ro2));
	EXPECT_EQ(0, nattch(id));
	EXPECT_EQ(0, shadowipc_shmctl(id, IPC_RMID, NULL));
}

TEST_F(shm, shm_lock_sets_and_shm_unlock_clears_the_mode_bit)
{
	struct shmid_ds ds;
	int id = shadowipc_shmget(IPC_PRIVATE, 4 * PAGE, 0600);
	char *p;

	ASSERT_GE(id, 0);
	p = shadowipc_shmat(id, NULL, 0);
	ASSERT_NE((void *)-1, p);
	memset(p, 1, 4 * PAGE);
	ASSERT_EQ(0, shadowipc_shmctl(id, SHM_LOCK, NULL));
	ASSERT_EQ(0, seg_stat(id, &ds));
	EXPECT_EQ(SHM_LOCKED_BIT, ds.shm_perm.mode & SHM_LOCKED_BIT);
	EXPECT_EQ(0, shadowipc_shmctl(id, SHM_LOCK, NULL));
	ASSERT_EQ(0, shadowipc_shmctl(id, SHM_UNLOCK, NULL));
	ASSERT_EQ(0, seg_stat(id, &ds));
	EXPECT_EQ(0, ds.shm_perm.mode & SHM_LOCKED_BIT);
	EXPECT_EQ(0600, ds.shm_perm.mode);
	/* destroying a locked segment uncharges it */
	ASSERT_EQ(0, shadowipc_shmctl(id, SHM_LOCK, NULL));
	EXPECT_EQ(0, shadowipc_shmdt(p));
	EXPECT_EQ(0, shadowipc_shmctl(id, IPC_RMID, NULL));
}

/* RLIMIT_MEMLOCK is per user: freed charge can be used again. */
TEST_F(shm, shm_lock_charge_is_returned_on_destroy)
{
	pid_t pid = fork();

	ASSERT_GE(pid, 0);
	if (!pid) {
		struct rlimit rl = { 2 * PAGE, 2 * PAGE };
		int a, b;

		if (setrlimit(RLIMIT_MEMLOCK, &rl) ||
		    sipc_drop_privs(SIPC_TEST_UID, SIPC_TEST_GID))
			_exit(1);
		a = shadowipc_shmget(IPC_PRIVATE, 2 * PAGE, 0600);
		b = shadowipc_shmget(IPC_PRIVATE, PAGE, 0600);
		if (a < 0 || b < 0)
			_exit(2);
		if (shadowipc_shmctl(a, SHM_LOCK, NULL))
			_exit(3);
		if (shadowipc_shmctl(b, SHM_LOCK, NULL) != -1 ||
		    errno != ENOMEM)
			_exit(4);
		if (shadowipc_shmctl(a, IPC_RMID, NULL))
			_exit(5);
		if (shadowipc_shmctl(b, SHM_LOCK, NULL))
			_exit(6);
		if (shadowipc_shmctl(b, SHM_UNLOCK, NULL) ||
		    shadowipc_shmctl(b, IPC_RMID, NULL))
			_exit(7);
		_exit(0);
	}
	EXPECT_EQ(0, sipc_wait(pid));
}

/* Fault-around on a segment bigger than a fault-around window. */
TEST_F(shm, large_segment_round_trip)
{
	size_t size = 16 << 20, i;
	unsigned long *w, *r;
	int id;

	id = shadowipc_shmget(IPC_PRIVATE, size, 0600);
	ASSERT_GE(id, 0);
	w = shadowipc_shmat(id, NULL, 0);
	ASSERT_NE((void *)-1, w);
	r = shadowipc_shmat(id, NULL, SHM_RDONLY);
	ASSERT_NE((void *)-1, r);
	for (i = 0; i < size / sizeof(*w); i += 64)
		w[i] = i * 2654435761UL;
	for (i = 0; i < size / sizeof(*r); i += 64)
		if (r[i] != i * 2654435761UL)
			break;
	EXPECT_EQ(size / sizeof(*r), i);
	EXPECT_EQ(2, nattch(id));
	EXPECT_EQ(0, shadowipc_shmctl(id, IPC_RMID, NULL));
	EXPECT_EQ(0, shadowipc_shmdt(w));
	EXPECT_EQ(0, shadowipc_shmdt(r));
	EXPECT_EQ(self->before.segments, sipc_status().segments);
}

struct attacher {
	int id;
	int rounds;
	int failed;
};

static void *attach_loop(void *arg)
{
	struct attacher *a = arg;
	int i;

	for (i = 0; i < a->rounds; i++) {
		char *p = shadowipc_shmat(a->id, NULL, 0);

		if (p == (void *)-1 || (p[0]++, shadowipc_shmdt(p)))
			a->failed++;
	}
	return NULL;
}

TEST_F(shm, threads_attach_and_detach_concurrently)
{
	struct attacher a[8];
	pthread_t th[8];
	int id, i;

	id = shadowipc_shmget(IPC_PRIVATE, PAGE, 0600);
	ASSERT_GE(id, 0);
	for (i = 0; i < 8; i++) {
		a[i] = (struct attacher){ id, 100, 0 };
		ASSERT_EQ(0, pthread_create(&th[i], NULL, attach_loop, &a[i]));
	}
	for (i = 0; i < 8; i++) {
		ASSERT_EQ(0, pthread_join(th[i], NULL));
		EXPECT_EQ(0, a[i].failed);
	}
	EXPECT_EQ(0, nattch(id));
	EXPECT_EQ(0, shadowipc_shmctl(id, IPC_RMID, NULL));
}

TEST_HARNESS_MAIN
