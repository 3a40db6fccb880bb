// SPDX-License-Identifier: GPL-2.0
/*
 * Shared key tables (SHADOWIPC_MMAP_VIEW, SHADOWIPC_MMAP_KEYS): what the
 * view says across switches, threads, vfork and fork; what the tables
 * hold as objects come, change and go; the mappings' rules; and that
 * libshadowipc answers gets of cached keys without a system call, with
 * the device's answer every time.
 */
#include <pthread.h>
#include <sched.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>

#include "kselftest_harness.h"
#include "sipc_test.h"

#define KEY	0x4b455931
#define NO_SECCOMP	99	/* a child's status: no seccomp filters here */

FIXTURE(keys) {
	struct shadowipc_status before;
};

FIXTURE_SETUP(keys)
{
	if (!sipc_dev_present())
		SKIP(return, "%s: %s (module not loaded)", SHADOWIPC_DEVICE,
		     strerror(errno));
	self->before = sipc_status();
}

FIXTURE_TEARDOWN(keys)
{
	sipc_expect_settled(_metadata, &self->before);
}

/* Run @fn in a child, in a namespace of its own; its exit status. */
static int in_new_ns(int (*fn)(void *), void *arg)
{
	pid_t pid = fork();

	if (pid < 0)
		return -1;
	if (!pid)
		_exit(shadowipc_unshare(NULL) ? 100 : fn(arg));
	return sipc_wait(pid);
}

static const struct shadowipc_view *map_view(void)
{
	void *p = mmap(NULL, 4096, PROT_READ, MAP_SHARED, shadowipc_fd(),
		       SHADOWIPC_MMAP_VIEW);

	return p == MAP_FAILED ? NULL : p;
}

static const struct shadowipc_keys_head *map_keys(int kind)
{
	void *p = mmap(NULL, SHADOWIPC_KEYS_SIZE, PROT_READ, MAP_SHARED,
		       shadowipc_fd(), SHADOWIPC_MMAP_KEYS(kind));

	return p == MAP_FAILED ? NULL : p;
}

static uint64_t view_ns(const struct shadowipc_view *v)
{
	return __atomic_load_n(&v->ns_id, __ATOMIC_ACQUIRE);
}

/* The slot holding @key in @head's probe window, or NULL. */
static const struct shadowipc_key_slot *
find_slot(const struct shadowipc_keys_head *head, int key)
{
	const struct shadowipc_key_slot *slots =
		(const void *)((const char *)head + SHADOWIPC_KEYS_HEAD_SIZE);
	uint32_t h = shadowipc_key_hash(key), i;

	for (i = 0; i < SHADOWIPC_KEYS_PROBES; i++) {
		const struct shadowipc_key_slot *s =
			&slots[(h + i) & (SHADOWIPC_KEYS_SLOTS - 1)];

		if (s->key == key)
			return s;
	}
	return NULL;
}

/*
 * Gets through the device (too big for the table to answer) until the
 * view says @want: a task that just left the mm (pthread_join() and
 * vfork() return before its last mmput()) may count as a user a moment
 * longer.
 */
static bool view_comes_back(const struct shadowipc_view *v, uint64_t want)
{
	int i;

	for (i = 0; i < 200; i++) {
		shadowipc_shmget(KEY, 1ULL << 40, 0);
		if (view_ns(v) == want)
			return true;
		usleep(5000);
	}
	return false;
}

/* How many slots of @head hold a key (faults in the whole table). */
static int used_slots(const struct shadowipc_keys_head *head)
{
	const struct shadowipc_key_slot *slots =
		(const void *)((const char *)head + SHADOWIPC_KEYS_HEAD_SIZE);
	int i, n = 0;

	for (i = 0; i < (int)SHADOWIPC_KEYS_SLOTS; i++)
		n += !!slots[i].key;
	return n;
}

/* The device's own answer to shmget, never the shared table's. */
static int dev_shmget(int key, uint64_t size, int flg)
{
	struct shadowipc_shmget a = { .size = size, .key = key, .shmflg = flg };

	return ioctl(shadowipc_fd(), SHADOWIPC_IOC_SHMGET, &a);
}

static int view_follows_switches(void *arg)
{
	const struct shadowipc_view *v = map_view();
	uint64_t id;

	if (!v)
		return 1;
	if (view_ns(v) != shadowipc_ns_id())
		return 2;
	if (shadowipc_unshare(&id))
		return 3;
	/* the same mapping shows the new namespace */
	return view_ns(v) == id ? 0 : 4;
}

TEST_F(keys, view_shows_namespace_and_follows_switches)
{
	EXPECT_EQ(0, in_new_ns(view_follows_switches, NULL));
}

TEST_F(keys, mappings_are_read_only_and_exact)
{
	int fd = shadowipc_fd();
	void *p, *q;

	p = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, fd,
		 SHADOWIPC_MMAP_VIEW);
	EXPECT_EQ(MAP_FAILED, p);
	EXPECT_EQ(EACCES, errno);
	p = mmap(NULL, SHADOWIPC_KEYS_SIZE, PROT_READ | PROT_WRITE,
		 MAP_SHARED, fd, SHADOWIPC_MMAP_KEYS(SHADOWIPC_KIND_SHM));
	EXPECT_EQ(MAP_FAILED, p);
	EXPECT_EQ(EACCES, errno);
	p = mmap(NULL, 8192, PROT_READ, MAP_SHARED, fd, SHADOWIPC_MMAP_VIEW);
	EXPECT_EQ(MAP_FAILED, p);
	EXPECT_EQ(EINVAL, errno);
	p = mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd,
		 SHADOWIPC_MMAP_KEYS(SHADOWIPC_KIND_MQ));
	EXPECT_EQ(MAP_FAILED, p);
	EXPECT_EQ(EINVAL, errno);
	p = mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, 4096);
	EXPECT_EQ(MAP_FAILED, p);
	EXPECT_EQ(EINVAL, errno);

	p = mmap(NULL, 4096, PROT_READ, MAP_SHARED, fd, SHADOWIPC_MMAP_VIEW);
	ASSERT_NE(MAP_FAILED, p);
	EXPECT_EQ(-1, mprotect(p, 4096, PROT_READ | PROT_WRITE));
	EXPECT_EQ(EACCES, errno);
	/* moved (onto a place reserved for it), still the view */
	q = mmap(NULL, 4096, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, q);
	p = mremap(p, 4096, 4096, MREMAP_MAYMOVE | MREMAP_FIXED, q);
	ASSERT_EQ(q, p);
	EXPECT_EQ(shadowipc_ns_id(), view_ns(p));
	EXPECT_EQ(0, munmap(p, 4096));
}

static int table_follows_objects(void *arg)
{
	const struct shadowipc_keys_head *shm, *msg, *sem;
	const struct shadowipc_key_slot *s;
	struct shmid_ds ds;
	int before, after, q, set;
	void *at;

	/* made before the table exists: filled in when it is first mapped */
	before = shadowipc_shmget(KEY, 8192, IPC_CREAT | 0666);
	shm = map_keys(SHADOWIPC_KIND_SHM);
	msg = map_keys(SHADOWIPC_KIND_MSG);
	sem = map_keys(SHADOWIPC_KIND_SEM);
	if (before < 0 || !shm || !msg || !sem)
		return 1;
	if (shm->ns_id != shadowipc_ns_id() || shm->kind != SHADOWIPC_KIND_SHM ||
	    msg->kind != SHADOWIPC_KIND_MSG || sem->kind != SHADOWIPC_KIND_SEM)
		return 2;
	s = find_slot(shm, KEY);
	if (!s || s->id != before || s->mode != 0666 || s->size != 8192 ||
	    (s->seq & 1))
		return 3;
	/* made after */
	after = shadowipc_shmget(KEY + 1, 4096, IPC_CREAT | 0640);
	s = find_slot(shm, KEY + 1);
	if (after < 0 || !s || s->id != after || s->mode != 0640)
		return 4;
	/* only keyed objects are there; other kinds have their own tables */
	if (shadowipc_shmget(IPC_PRIVATE, 4096, 0666) < 0 ||
	    used_slots(shm) != 2)
		return 5;
	q = shadowipc_msgget(KEY, IPC_CREAT | 0600);
	set = shadowipc_semget(KEY, 3, IPC_CREAT | 0604);
	s = find_slot(msg, KEY);
	if (q < 0 || !s || s->id != q || s->mode != 0600 || s->size)
		return 6;
	s = find_slot(sem, KEY);
	if (set < 0 || !s || s->id != set || s->mode != 0604 || s->size != 3)
		return 7;
	/* IPC_SET's new mode shows */
	if (shadowipc_shmctl(before, IPC_STAT, &ds))
		return 8;
	ds.shm_perm.mode = 0604;
	if (shadowipc_shmctl(before, IPC_SET, &ds))
		return 9;
	s = find_slot(shm, KEY);
	if (!s || s->mode != 0604)
		return 10;
	/* IPC_RMID of an attached segment makes the key private: gone */
	at = shadowipc_shmat(before, NULL, 0);
	if (at == (void *)-1 || shadowipc_shmctl(before, IPC_RMID, NULL))
		return 11;
	if (find_slot(shm, KEY))
		return 12;
	if (shadowipc_shmdt(at) || shadowipc_shmctl(after, IPC_RMID, NULL) ||
	    shadowipc_msgctl(q, IPC_RMID, NULL) ||
	    shadowipc_semctl(set, 0, IPC_RMID))
		return 13;
	if (find_slot(shm, KEY + 1) || find_slot(msg, KEY) ||
	    find_slot(sem, KEY))
		return 14;
	return 0;
}

TEST_F(keys, table_follows_objects)
{
	EXPECT_EQ(0, in_new_ns(table_follows_objects, NULL));
}

static int full_window_leaves_key_uncached(void *arg)
{
	int keys[SHADOWIPC_KEYS_PROBES + 1], ids[SHADOWIPC_KEYS_PROBES + 1];
	const struct shadowipc_keys_head *shm = map_keys(SHADOWIPC_KIND_SHM);
	const int last = SHADOWIPC_KEYS_PROBES;
	uint32_t h = shadowipc_key_hash(KEY);
	const struct shadowipc_key_slot *s;
	int i, n = 0, k;

	if (!shm)
		return 1;
	/* one more key than there are probes, all starting at one slot */
	for (k = KEY; n <= last; k++)
		if (shadowipc_key_hash(k) == h)
			keys[n++] = k;
	for (i = 0; i <= last; i++) {
		ids[i] = shadowipc_shmget(keys[i], 4096,
					  IPC_CREAT | IPC_EXCL | 0666);
		if (ids[i] < 0)
			return 2;
	}
	for (i = 0; i < last; i++) {
		s = find_slot(shm, keys[i]);
		if (!s || s->id != ids[i])
			return 3;
	}
	if (find_slot(shm, keys[last]))
		return 4;	/* no room for it */
	/* uncached, it is still found: by the device */
	for (i = 0; i <= last; i++)
		if (shadowipc_shmget(keys[i], 0, 0) != ids[i])
			return 5;
	/* a slot freed later is not back-filled; the device still answers */
	if (shadowipc_shmctl(ids[0], IPC_RMID, NULL) || find_slot(shm, keys[0]) ||
	    find_slot(shm, keys[last]) ||
	    shadowipc_shmget(keys[last], 0, 0) != ids[last])
		return 6;
	return used_slots(shm) == last - 1 ? 0 : 7;
}

TEST_F(keys, key_with_no_free_probe_slot_is_not_cached)
{
	EXPECT_EQ(0, in_new_ns(full_window_leaves_key_uncached, NULL));
}

static int key_bytes_shown(void *arg)
{
	uint64_t id = shadowipc_ns_id();
	long long before;

	if (sipc_ns_column(id, "key_bytes") != 0)
		return 1;	/* nothing until mapped */
	if (!map_keys(SHADOWIPC_KIND_SHM) || sipc_ns_column(id, "key_bytes") != 4096)
		return 2;	/* the head page */
	if (shadowipc_shmget(KEY, 4096, IPC_CREAT | 0666) < 0)
		return 3;
	before = sipc_ns_column(id, "key_bytes");
	if (before < 8192)
		return 4;	/* and the page of its slot */
	if (!map_keys(SHADOWIPC_KIND_MSG))
		return 5;
	return sipc_ns_column(id, "key_bytes") == before + 4096 ? 0 : 6;
}

TEST_F(keys, namespaces_file_shows_key_table_memory)
{
	EXPECT_EQ(0, in_new_ns(key_bytes_shown, NULL));
}

static int gets_without_ioctl(void *arg)
{
	int shm, shm600, q, set;

	shm = shadowipc_shmget(KEY, 8192, IPC_CREAT | 0666);
	shm600 = shadowipc_shmget(KEY + 1, 4096, IPC_CREAT | 0600);
	q = shadowipc_msgget(KEY, IPC_CREAT | 0666);
	set = shadowipc_semget(KEY, 2, IPC_CREAT | 0666);
	if (shm < 0 || shm600 < 0 || q < 0 || set < 0)
		return 1;
	/* the first lookups map the view and the tables */
	if (shadowipc_shmget(KEY, 0, 0) != shm ||
	    shadowipc_msgget(KEY, 0) != q || shadowipc_semget(KEY, 0, 0) != set)
		return 2;
	if (sipc_forbid_ioctl())
		return errno == EINVAL || errno == ENOSYS ? NO_SECCOMP : 3;
	if (dev_shmget(KEY, 0, 0) != -1 || errno != EPERM)
		return 4;	/* the filter holds */
	/* answered from the tables */
	if (shadowipc_shmget(KEY, 8192, 0666) != shm ||
	    shadowipc_shmget(KEY, 1, IPC_CREAT | 0444) != shm ||
	    shadowipc_msgget(KEY, 0622) != q ||
	    shadowipc_semget(KEY, 0, 0666) != set ||
	    shadowipc_semget(KEY, 2, 0) != set)
		return 5;
	/* everything else goes to the device */
	errno = 0;
	if (shadowipc_shmget(KEY, 8193, 0) != -1 || errno != EPERM)
		return 6;	/* bigger than the segment */
	errno = 0;
	if (shadowipc_shmget(KEY, 0, IPC_CREAT | IPC_EXCL) != -1 ||
	    errno != EPERM)
		return 7;
	errno = 0;
	if (shadowipc_shmget(KEY + 1, 0, 0400) != -1 || errno != EPERM)
		return 8;	/* not granted to everyone */
	errno = 0;
	if (shadowipc_semget(KEY, 3, 0) != -1 || errno != EPERM)
		return 9;	/* more semaphores than the set has */
	errno = 0;
	if (shadowipc_shmget(KEY + 2, 0, 0) != -1 || errno != EPERM)
		return 10;	/* not cached */
	errno = 0;
	if (shadowipc_shmget(IPC_PRIVATE, 4096, 0) != -1 || errno != EPERM)
		return 11;
	return 0;
}

TEST_F(keys, gets_of_cached_keys_need_no_ioctl)
{
	int st = in_new_ns(gets_without_ioctl, NULL);

	if (st == NO_SECCOMP)
		SKIP(return, "seccomp filters not in this kernel (CONFIG_SECCOMP_FILTER)");
	EXPECT_EQ(0, st);
}

static int answers_match_device(void *arg)
{
	static const struct { int key; uint64_t size; int flg; } c[] = {
		{ KEY, 0, 0 }, { KEY, 4096, 0 }, { KEY, 4097, 0 },
		{ KEY, 0, 0666 }, { KEY, 0, 0777 }, { KEY, 0, IPC_CREAT },
		{ KEY, 0, IPC_CREAT | IPC_EXCL }, { KEY, ~0ULL, 0 },
		{ KEY + 1, 0, 0 }, { KEY + 1, 0, 0004 }, { KEY + 1, 0, 0040 },
		{ KEY + 1, 0, 0400 }, { KEY + 1, 0, 0200 }, { KEY + 9, 0, 0 },
	};
	int i, want, got, want_err, got_err;

	if (shadowipc_shmget(KEY, 4096, IPC_CREAT | 0666) < 0 ||
	    shadowipc_shmget(KEY + 1, 4096, IPC_CREAT | 0644) < 0)
		return 1;
	/* as root, then as a user for whom owner bits do not apply */
	for (int pass = 0; pass < 2; pass++) {
		if (pass && sipc_drop_privs(SIPC_TEST_UID, SIPC_TEST_GID))
			return 2;
		for (i = 0; i < (int)(sizeof(c) / sizeof(c[0])); i++) {
			errno = 0;
			want = dev_shmget(c[i].key, c[i].size, c[i].flg);
			want_err = errno;
			errno = 0;
			got = shadowipc_shmget(c[i].key, c[i].size, c[i].flg);
			got_err = errno;
			if (got != want || (want < 0 && got_err != want_err)) {
				fprintf(stderr, "# case %d pass %d: %d/%d vs device %d/%d\n",
					i, pass, got, got_err, want, want_err);
				return 10 + i;
			}
		}
	}
	return 0;
}

TEST_F(keys, answers_match_the_device)
{
	EXPECT_EQ(0, in_new_ns(answers_match_device, NULL));
}

/* The device's own answer to semget. */
static int dev_semget(int key, int nsems, int flg)
{
	struct shadowipc_semget a = { .key = key, .nsems = nsems, .semflg = flg };

	return ioctl(shadowipc_fd(), SHADOWIPC_IOC_SEMGET, &a);
}

/* kernel.sem's SEMMSL, written as root through the namespace's file. */
static int set_semmsl(int semmsl)
{
	char v[64];

	snprintf(v, sizeof(v), "%d 32000 32 128", semmsl);
	return sipc_write_str("/proc/shadowipc/sys/kernel/sem", v);
}

static int sem_answers_match_device(void *arg)
{
	static const int semmsl[] = { 250, 2, 1, -1, 250 };
	static const int nsems[] = { -1, 0, 1, 2, 3, 250, 251 };
	static const int flgs[] = { 0, 0666, 0600, 0200, IPC_CREAT };
	const struct shadowipc_keys_head *head;
	int m, i, f, pass, want, got, want_err, got_err;
	char v[64];

	if (shadowipc_semget(KEY, 2, IPC_CREAT | 0666) < 0 ||
	    shadowipc_semget(KEY + 1, 2, IPC_CREAT | 0644) < 0 ||
	    shadowipc_semget(KEY, 0, 0) < 0)	/* maps the table */
		return 1;
	head = map_keys(SHADOWIPC_KIND_SEM);
	if (!head || sipc_read_file("/proc/shadowipc/sys/kernel/sem", v,
				    sizeof(v)) <= 0 ||
	    head->semmsl != atoi(v))	/* the default, 32000 */
		return 2;
	/* as root, then as a user for whom owner bits do not apply */
	for (pass = 0; pass < 2; pass++) {
		for (m = 0; m < (int)ARRAY_SIZE(semmsl); m++) {
			if (pass && m)
				break;	/* nobody may write the limits */
			if (!pass && (set_semmsl(semmsl[m]) ||
				      head->semmsl != semmsl[m]))
				return 3;
			for (i = 0; i < (int)ARRAY_SIZE(nsems); i++)
			for (f = 0; f < (int)ARRAY_SIZE(flgs); f++) {
				int key = KEY + (f & 1);

				errno = 0;
				want = dev_semget(key, nsems[i], flgs[f]);
				want_err = errno;
				errno = 0;
				got = shadowipc_semget(key, nsems[i], flgs[f]);
				got_err = errno;
				if (got != want ||
				    (want < 0 && got_err != want_err)) {
					fprintf(stderr, "# semmsl %d nsems %d flg %o pass %d: %d/%d vs device %d/%d\n",
						semmsl[m], nsems[i], flgs[f], pass,
						got, got_err, want, want_err);
					return 10;
				}
			}
		}
		if (!pass && sipc_drop_privs(SIPC_TEST_UID, SIPC_TEST_GID))
			return 4;
	}
	return 0;
}

TEST_F(keys, sem_answers_match_the_device_and_semmsl)
{
	EXPECT_EQ(0, in_new_ns(sem_answers_match_device, NULL));
}

static int recreated_key_gets_new_id(void *arg)
{
	int a, b;

	a = shadowipc_shmget(KEY, 4096, IPC_CREAT | 0666);
	if (a < 0 || shadowipc_shmget(KEY, 0, 0) != a)
		return 1;
	if (shadowipc_shmctl(a, IPC_RMID, NULL))
		return 2;
	errno = 0;
	if (shadowipc_shmget(KEY, 0, 0) != -1 || errno != ENOENT)
		return 3;
	b = shadowipc_shmget(KEY, 4096, IPC_CREAT | 0666);
	if (b < 0 || b == a || shadowipc_shmget(KEY, 0, 0) != b)
		return 4;
	return shadowipc_shmctl(b, IPC_RMID, NULL) ? 5 : 0;
}

TEST_F(keys, removed_and_recreated_key_gets_the_new_id)
{
	EXPECT_EQ(0, in_new_ns(recreated_key_gets_new_id, NULL));
}

struct thread_sync {
	pthread_barrier_t unshared, checked;
	int err;
};

static void *unshare_and_wait(void *p)
{
	struct thread_sync *ts = p;

	ts->err = shadowipc_unshare(NULL);
	pthread_barrier_wait(&ts->unshared);
	pthread_barrier_wait(&ts->checked);
	return NULL;
}

static int thread_in_other_ns(void *arg)
{
	const struct shadowipc_view *v = map_view();
	uint64_t mine = shadowipc_ns_id();
	struct thread_sync ts = { .err = 0 };
	pthread_t t;
	int id, ret = 0;

	id = shadowipc_shmget(KEY, 4096, IPC_CREAT | 0666);
	if (!v || id < 0 || view_ns(v) != mine)
		return 1;
	pthread_barrier_init(&ts.unshared, NULL, 2);
	pthread_barrier_init(&ts.checked, NULL, 2);
	if (pthread_create(&t, NULL, unshare_and_wait, &ts))
		return 2;
	pthread_barrier_wait(&ts.unshared);
	if (ts.err)
		ret = 3;
	else if (view_ns(v))
		ret = 4;	/* two namespaces in one mm: "ask" */
	else if (shadowipc_shmget(KEY, 0, 0) != id)
		ret = 5;	/* and asking answers from our own */
	else if (view_ns(v))
		ret = 6;	/* the other thread is still there */
	pthread_barrier_wait(&ts.checked);
	pthread_join(t, NULL);
	if (ret)
		return ret;
	/* alone again: a get through the device sets it back */
	return view_comes_back(v, mine) ? 0 : 7;
}

TEST_F(keys, thread_in_another_namespace_turns_view_off)
{
	EXPECT_EQ(0, in_new_ns(thread_in_other_ns, NULL));
}

static char vfork_stack[1 << 16] __attribute__((aligned(64)));

static int vfork_child_unshares(void *arg)
{
	return shadowipc_unshare(NULL) ? 1 : 0;
}

static int vfork_child_switch(void *arg)
{
	const struct shadowipc_view *v = map_view();
	uint64_t mine = shadowipc_ns_id();
	int id, pid;

	id = shadowipc_shmget(KEY, 4096, IPC_CREAT | 0666);
	if (!v || id < 0 || view_ns(v) != mine)
		return 1;
	pid = clone(vfork_child_unshares, vfork_stack + sizeof(vfork_stack),
		    CLONE_VM | CLONE_VFORK | SIGCHLD, NULL);
	if (pid < 0 || sipc_wait(pid))
		return 2;
	/* a task sharing the mm switched: "ask" */
	if (view_ns(v))
		return 3;
	if (shadowipc_shmget(KEY, 0, 0) != id)
		return 4;
	return view_comes_back(v, mine) ? 0 : 5;
}

TEST_F(keys, vfork_child_switching_turns_view_off_until_asked)
{
	EXPECT_EQ(0, in_new_ns(vfork_child_switch, NULL));
}

static int fork_gets_own_view(void *arg)
{
	/* a second mapping of the view (the library has one too) */
	const struct shadowipc_view *v = map_view();
	uint64_t mine = shadowipc_ns_id();
	int id, pfd[2], st;
	uint64_t child_ns = 0;
	pid_t pid;

	id = shadowipc_shmget(KEY, 4096, IPC_CREAT | 0666);
	if (!v || id < 0 || shadowipc_shmget(KEY, 0, 0) != id || pipe(pfd))
		return 1;
	pid = fork();
	if (pid < 0)
		return 2;
	if (!pid) {
		uint64_t other;

		/* inherited: the parent's namespace, then its own */
		if (view_ns(v) != mine || shadowipc_shmget(KEY, 0, 0) != id)
			_exit(1);
		if (shadowipc_unshare(&other) || view_ns(v) != other)
			_exit(2);
		errno = 0;
		if (shadowipc_shmget(KEY, 0, 0) != -1 || errno != ENOENT)
			_exit(3);
		if (write(pfd[1], &other, sizeof(other)) != sizeof(other))
			_exit(4);
		_exit(0);
	}
	st = sipc_wait(pid);
	if (st)
		return 10 + st;
	if (read(pfd[0], &child_ns, sizeof(child_ns)) != sizeof(child_ns) ||
	    child_ns == mine)
		return 3;
	/* the parent's view did not move */
	return view_ns(v) == mine && shadowipc_shmget(KEY, 0, 0) == id ? 0 : 4;
}

TEST_F(keys, fork_gets_a_view_of_its_own)
{
	EXPECT_EQ(0, in_new_ns(fork_gets_own_view, NULL));
}

TEST_HARNESS_MAIN
