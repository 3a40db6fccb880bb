// SPDX-License-Identifier: GPL-2.0
/*
 * Differential tests of System V shared memory (see diff.h): every flag,
 * errno and shmctl command of shmget/shmat/shmdt/shmctl, mappings under
 * munmap/mprotect/mremap/fork/exec, as root and as an unprivileged user,
 * compared call by call with Linux. On top of diff.h's normalisation,
 * addresses are shown relative to the one asked for.
 *
 * Limits (kernel.shmmax, shmall, shmmni, shm_rmid_forced, shm_next_id)
 * are set on both sides with set_limit(): limit_* scenarios.
 *
 * Left out: SHM_HUGETLB|SHM_NORESERVE as root, which Linux creates
 * (without a pool to fault from) and shadowipc refuses with ENOMEM.
 */
#include <sys/resource.h>

#include "kselftest_harness.h"
#include "sipc_test.h"
#include "diff.h"

#define PAGE		4096UL
#define TUID		SIPC_TEST_UID
#define TGID		SIPC_TEST_GID
#define KEY		0x5eed2000
#define KEY2		0x5eed2001
#define HUGE_LOG(n)	((n) << 26)	/* SHM_HUGE_SHIFT */
#define LINUX_SHMMAX	(~0UL - (1UL << 24))

/* Addresses vary from run to run: show only those that do not. */
static const char *addr_str(const void *addr, char *buf)
{
	unsigned long a = (unsigned long)addr;

	if (!a)
		return "NULL";
	if (a < 0x10000 || a >= 0x800000000000UL)
		sprintf(buf, "%#lx", a);
	else
		sprintf(buf, "A");
	return buf;
}

static int G(struct ctx *c, key_t key, size_t size, int flg)
{
	char res[64];
	int r;

	errno = 0;
	r = c->ops->shmget(key, size, flg);
	res_id(c, r, res);
	tr(c, "shmget(%#x, %zu, %#o) = %s", key, size, flg, res);
	return r;
}

static char *A(struct ctx *c, int id, const void *addr, int flg)
{
	char idb[16], ab[32];
	char *r;

	errno = 0;
	r = c->ops->shmat(id, addr, flg);
	if (r == (void *)-1)
		tr(c, "shmat(%s, %s, %#o) = -1 %s", id_str(c, id, idb),
		   addr_str(addr, ab), flg, err_name(errno));
	else if (!addr)
		tr(c, "shmat(%s, NULL, %#o) = ok", id_str(c, id, idb), flg);
	else
		tr(c, "shmat(%s, %s, %#o) = arg%+ld", id_str(c, id, idb),
		   addr_str(addr, ab), flg, (long)(r - (char *)addr));
	return r;
}

static int D(struct ctx *c, const void *addr, const char *what)
{
	char res[64];
	int r;

	errno = 0;
	r = c->ops->shmdt(addr);
	res_long(r, res);
	tr(c, "shmdt(%s) = %s", what, res);
	return r;
}

static const char *cmd_str(int cmd, char *buf)
{
	static const char * const names[] = {
		[IPC_RMID] = "IPC_RMID", [IPC_SET] = "IPC_SET",
		[IPC_STAT] = "IPC_STAT", [IPC_INFO] = "IPC_INFO",
		[SHM_LOCK] = "SHM_LOCK", [SHM_UNLOCK] = "SHM_UNLOCK",
		[SHM_STAT] = "SHM_STAT", [SHM_INFO] = "SHM_INFO",
		[SHM_STAT_ANY] = "SHM_STAT_ANY",
	};

	return cmd_name(cmd, names, ARRAY_SIZE(names), buf);
}

static void dump_ds(struct ctx *c, const struct shmid_ds *ds)
{
	struct shmid_ds rest;

	dump_perm(c, &ds->shm_perm);
	tr(c, "  segsz=%zu atime=%s dtime=%s ctime=%s", ds->shm_segsz,
	   time_str(c, ds->shm_atime), time_str(c, ds->shm_dtime),
	   time_str(c, ds->shm_ctime));
	tr(c, "  cpid=%s lpid=%s nattch=%lu", pid_str(c, ds->shm_cpid),
	   pid_str(c, ds->shm_lpid), (unsigned long)ds->shm_nattch);
	/* everything else, padding included, must have been zeroed */
	memcpy(&rest, ds, sizeof(rest));
	rest.shm_perm.__key = 0;
	rest.shm_perm.uid = 0;
	rest.shm_perm.gid = 0;
	rest.shm_perm.cuid = 0;
	rest.shm_perm.cgid = 0;
	rest.shm_perm.mode = 0;
	rest.shm_perm.__seq = 0;
	rest.shm_segsz = 0;
	rest.shm_atime = 0;
	rest.shm_dtime = 0;
	rest.shm_ctime = 0;
	rest.shm_cpid = 0;
	rest.shm_lpid = 0;
	rest.shm_nattch = 0;
	tr(c, "  rest=%s", all_zero(&rest, sizeof(rest)) ? "0" : "dirty");
}

static void dump_shminfo(struct ctx *c, const struct shminfo *si)
{
	tr(c, "  shmmax=%lu shmmin=%lu shmmni=%lu shmseg=%lu shmall=%lu rest=%s",
	   si->shmmax, si->shmmin, si->shmmni, si->shmseg, si->shmall,
	   all_zero(&si->__glibc_reserved1, 4 * sizeof(si->shmmax)) ?
	   "0" : "dirty");
}

static void dump_shm_info(struct ctx *c, const struct shm_info *si)
{
	tr(c, "  used_ids=%d shm_tot=%lu rss=%lu swp=%lu attempts=%lu successes=%lu pad=%s",
	   si->used_ids, si->shm_tot, si->shm_rss, si->shm_swp,
	   si->swap_attempts, si->swap_successes,
	   all_zero((const char *)si + sizeof(int), 4) ? "0" : "dirty");
}

/* shmctl with a buffer of its own, dumped on success. */
static int C(struct ctx *c, int id, int cmd)
{
	union {
		struct shmid_ds ds;
		struct shminfo si;
		struct shm_info info;
	} u;
	char res[64], idb[16], cb[16];
	int r;

	memset(&u, 0xaa, sizeof(u));
	errno = 0;
	r = c->ops->shmctl(id, cmd, &u);
	ctl_strs(c, id, r, cmd == SHM_STAT || cmd == SHM_STAT_ANY,
		 cmd == IPC_INFO || cmd == SHM_INFO, res, idb);
	tr(c, "shmctl(%s, %s) = %s", idb, cmd_str(cmd, cb), res);
	if (r < 0)
		return r;
	switch (cmd) {
	case IPC_STAT:
	case SHM_STAT:
	case SHM_STAT_ANY:
		dump_ds(c, &u.ds);
		break;
	case IPC_INFO:
		dump_shminfo(c, &u.si);
		break;
	case SHM_INFO:
		dump_shm_info(c, &u.info);
		break;
	}
	return r;
}

/* shmctl with the caller's buffer (NULL, or a bad pointer). */
static int CB(struct ctx *c, int id, int cmd, void *buf, const char *what)
{
	char res[64], idb[16], cb[16];
	int r;

	errno = 0;
	r = c->ops->shmctl(id, cmd, buf);
	res_long(r, res);
	tr(c, "shmctl(%s, %s, %s) = %s", id_str(c, id, idb), cmd_str(cmd, cb),
	   what, res);
	return r;
}

static int SET(struct ctx *c, int id, uid_t uid, gid_t gid, mode_t mode)
{
	struct shmid_ds ds;
	char res[64], idb[16];
	int r;

	memset(&ds, 0, sizeof(ds));
	ds.shm_perm.uid = uid;
	ds.shm_perm.gid = gid;
	ds.shm_perm.mode = mode;
	errno = 0;
	r = c->ops->shmctl(id, IPC_SET, &ds);
	res_long(r, res);
	tr(c, "shmctl(%s, IPC_SET, uid=%u gid=%u mode=%#o) = %s",
	   id_str(c, id, idb), uid, gid, mode, res);
	return r;
}

/* A free range of @pages pages. */
static char *hole(size_t pages)
{
	char *p = mmap(NULL, (pages + 2) * PAGE, PROT_NONE,
		       MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (p == MAP_FAILED)
		return NULL;
	munmap(p, (pages + 2) * PAGE);
	return p + PAGE;
}

static void trace_maps(struct ctx *c, const void *addr)
{
	unsigned long start, end, ino;
	char line[512], perms[8], name[256], idb[16];
	FILE *f = fopen("/proc/self/maps", "r");

	if (!f) {
		tr(c, "maps: cannot open");
		return;
	}
	while (fgets(line, sizeof(line), f)) {
		name[0] = 0;
		if (sscanf(line, "%lx-%lx %7s %*s %*s %lu %255[^\n]", &start,
			   &end, perms, &ino, name) < 4 ||
		    start != (unsigned long)addr)
			continue;
		tr(c, "maps: %lu pages %s ino=%s %s", (end - start) / PAGE,
		   perms, id_str(c, (int)ino, idb), name);
		fclose(f);
		return;
	}
	fclose(f);
	tr(c, "maps: nothing at A");
}

static long nattch_of(struct ctx *c, int id)
{
	struct shmid_ds ds;

	if (c->ops->shmctl(id, IPC_STAT, &ds))
		return -errno;
	return (long)ds.shm_nattch;
}

/* Trace just the attach count. */
static void N(struct ctx *c, int id)
{
	char idb[16];

	tr(c, "nattch(%s) = %ld", id_str(c, id, idb), nattch_of(c, id));
}

/* Whether a read of @p faults (in a child), and with which signal. */
static void probe(struct ctx *c, volatile char *p, bool write)
{
	if (child(c)) {
		if (write)
			*p = 1;
		else
			(void)*p;
		_exit(0);
	}
}

/* ---- shmget ---- */

SCENARIO(get_private_and_stat)
{
	int id = G(c, IPC_PRIVATE, PAGE, 0640);

	C(c, id, IPC_STAT);
}

SCENARIO(get_private_always_new)
{
	int a = G(c, IPC_PRIVATE, 100, 0600);
	int b = G(c, IPC_PRIVATE, 100, IPC_CREAT | IPC_EXCL | 0600);

	G(c, IPC_PRIVATE, 100, IPC_CREAT | IPC_EXCL | 0600);
	C(c, a, IPC_STAT);
	C(c, b, IPC_STAT);
}

SCENARIO(get_missing_key_is_enoent)
{
	G(c, KEY, PAGE, 0);
	G(c, KEY, PAGE, IPC_EXCL | 0600);
	G(c, KEY, 0, 0);
}

SCENARIO(get_key_create_then_find)
{
	int id = G(c, KEY, PAGE, IPC_CREAT | 0600);

	G(c, KEY, PAGE, 0);
	G(c, KEY, 0, 0);
	G(c, KEY, PAGE, IPC_CREAT);
	G(c, KEY, PAGE, IPC_EXCL);
	C(c, id, IPC_STAT);
}

SCENARIO(get_create_excl_is_eexist_before_size)
{
	G(c, KEY, PAGE, IPC_CREAT | 0);
	G(c, KEY, PAGE, IPC_CREAT | IPC_EXCL | 0600);
	G(c, KEY, 1UL << 40, IPC_CREAT | IPC_EXCL);
	G(c, KEY, 1UL << 40, IPC_CREAT);
}

SCENARIO(get_size_checked_against_requested_size)
{
	int id = G(c, KEY, 100, IPC_CREAT | 0600);

	G(c, KEY, 101, 0);
	G(c, KEY, 100, 0);
	G(c, KEY, PAGE, 0);
	G(c, KEY, 1, 0);
	C(c, id, IPC_STAT);
}

SCENARIO(get_size_zero_is_einval)
{
	G(c, IPC_PRIVATE, 0, 0600);
	G(c, KEY, 0, IPC_CREAT | 0600);
}

SCENARIO(get_size_over_shmmax_is_einval)
{
	G(c, IPC_PRIVATE, LINUX_SHMMAX + 1, 0600);
	G(c, IPC_PRIVATE, ~0UL, 0600);
	G(c, KEY, ~0UL, IPC_CREAT | 0600);
}

SCENARIO(get_size_beyond_file_limit_is_einval)
{
	G(c, IPC_PRIVATE, LINUX_SHMMAX, 0600);
	G(c, IPC_PRIVATE, 1UL << 63, 0600);
	G(c, IPC_PRIVATE, 1UL << 63, SHM_NORESERVE | 0600);
}

SCENARIO(get_size_beyond_memory_is_enomem)
{
	G(c, IPC_PRIVATE, 1UL << 50, 0600);
	C(c, 0, SHM_INFO);
}

SCENARIO(get_noreserve_huge_size)
{
	int id = G(c, IPC_PRIVATE, 1UL << 50, SHM_NORESERVE | 0600);

	C(c, id, IPC_STAT);
	C(c, 0, SHM_INFO);
	A(c, id, NULL, 0);
	C(c, id, IPC_RMID);
	C(c, 0, SHM_INFO);
}

SCENARIO(get_size_one_byte)
{
	int id = G(c, IPC_PRIVATE, 1, 0600);
	char *p;

	C(c, 0, SHM_INFO);
	p = A(c, id, NULL, 0);
	if (p == (void *)-1)
		return;
	p[0] = 1;
	p[PAGE - 1] = 2;
	tr(c, "end of page: %d", p[PAGE - 1]);
	trace_maps(c, p);
	C(c, 0, SHM_INFO);
	D(c, p, "p");
}

SCENARIO(get_sizes_round_to_pages)
{
	G(c, IPC_PRIVATE, PAGE, 0600);
	G(c, IPC_PRIVATE, PAGE + 1, 0600);
	G(c, IPC_PRIVATE, 3 * PAGE - 1, 0600);
	C(c, 0, SHM_INFO);
}

SCENARIO(get_mode_keeps_only_permission_bits)
{
	C(c, G(c, IPC_PRIVATE, PAGE, 0777 | SHM_NORESERVE), IPC_STAT);
	C(c, G(c, IPC_PRIVATE, PAGE, 0), IPC_STAT);
	C(c, G(c, IPC_PRIVATE, PAGE, 0100000 | 0123), IPC_STAT);
	C(c, G(c, KEY, PAGE, IPC_CREAT | IPC_EXCL | 0751), IPC_STAT);
}

SCENARIO(get_negative_key)
{
	int id = G(c, -5, PAGE, IPC_CREAT | 0600);

	G(c, -5, 0, 0);
	G(c, 0x7fffffff, PAGE, IPC_CREAT | 0600);
	C(c, id, IPC_STAT);
}

SCENARIO(get_permission_as_other_user)
{
	G(c, KEY, PAGE, IPC_CREAT | 0600);
	if (user(c)) {
		G(c, KEY, 0, 0);
		G(c, KEY, 0, 0400);
		G(c, KEY, 0, 0004);
		G(c, KEY, 0, 0200);
		G(c, KEY, 0, 0100);
		G(c, KEY, 0, IPC_CREAT | 0600);
		_exit(0);
	}
}

SCENARIO(get_permission_other_bits)
{
	G(c, KEY, PAGE, IPC_CREAT | 0604);
	if (user(c)) {
		G(c, KEY, 0, 0444);
		G(c, KEY, 0, 0004);
		G(c, KEY, 0, 0666);
		G(c, KEY, 0, 0001);
		_exit(0);
	}
}

SCENARIO(get_permission_group_bits)
{
	int id = G(c, KEY, PAGE, IPC_CREAT | 0640);

	SET(c, id, 0, TGID, 0640);
	if (user(c)) {
		G(c, KEY, 0, 0440);
		G(c, KEY, 0, 0660);
		_exit(0);
	}
}

SCENARIO(get_permission_owner_bits_after_ipc_set)
{
	int id = G(c, KEY, PAGE, IPC_CREAT | 0600);

	SET(c, id, TUID, 0, 0600);
	if (user(c)) {
		G(c, KEY, 0, 0600);
		G(c, KEY, 0, 0700);
		_exit(0);
	}
}

SCENARIO(get_after_rmid_while_attached_creates_new)
{
	int id = G(c, KEY, PAGE, IPC_CREAT | 0600), id2;
	char *p = A(c, id, NULL, 0);

	C(c, id, IPC_RMID);
	G(c, KEY, 0, 0);
	id2 = G(c, KEY, PAGE, IPC_CREAT | 0600);
	G(c, KEY, 0, 0);
	C(c, id, IPC_STAT);
	C(c, id2, IPC_STAT);
	D(c, p, "p");
	C(c, id, IPC_STAT);
}

SCENARIO(get_hugetlb_as_root)
{
	G(c, IPC_PRIVATE, PAGE, SHM_HUGETLB | 0600);
	G(c, IPC_PRIVATE, 2 << 20, SHM_HUGETLB | 0600);
	G(c, KEY, PAGE, IPC_CREAT | SHM_HUGETLB | 0600);
	G(c, IPC_PRIVATE, 0, SHM_HUGETLB | 0600);
}

SCENARIO(get_hugetlb_as_user)
{
	if (user(c)) {
		G(c, IPC_PRIVATE, PAGE, SHM_HUGETLB | 0600);
		G(c, IPC_PRIVATE, PAGE, SHM_HUGETLB | SHM_NORESERVE | 0600);
		G(c, IPC_PRIVATE, PAGE, SHM_HUGETLB | HUGE_LOG(25) | 0600);
		_exit(0);
	}
}

SCENARIO(get_hugetlb_page_sizes)
{
	G(c, IPC_PRIVATE, PAGE, SHM_HUGETLB | HUGE_LOG(21) | 0600);
	G(c, IPC_PRIVATE, PAGE, SHM_HUGETLB | HUGE_LOG(30) | 0600);
	G(c, IPC_PRIVATE, PAGE, SHM_HUGETLB | HUGE_LOG(16) | 0600);
	G(c, IPC_PRIVATE, PAGE, SHM_HUGETLB | HUGE_LOG(25) | 0600);
	G(c, IPC_PRIVATE, PAGE, SHM_HUGETLB | HUGE_LOG(63) | 0600);
	/* without SHM_HUGETLB the size bits mean nothing */
	G(c, IPC_PRIVATE, PAGE, HUGE_LOG(25) | 0600);
}

SCENARIO(get_existing_key_ignores_hugetlb)
{
	G(c, KEY, PAGE, IPC_CREAT | 0600);
	G(c, KEY, 0, SHM_HUGETLB);
	G(c, KEY, PAGE, SHM_HUGETLB | HUGE_LOG(25));
}

SCENARIO(get_noreserve)
{
	int id = G(c, IPC_PRIVATE, 4 * PAGE, SHM_NORESERVE | 0600);
	char *p = A(c, id, NULL, 0);

	if (p == (void *)-1)
		return;
	memset(p, 7, 4 * PAGE);
	C(c, 0, SHM_INFO);
	D(c, p, "p");
}

/* Linux's default shmmni is 4096: the next segment is ENOSPC. */
SCENARIO(get_until_shmmni)
{
	int i, id = -1;

	for (i = 0; i < 4096; i++) {
		id = c->ops->shmget(IPC_PRIVATE, 1, 0600);
		if (id < 0 || (i % 1000) == 999)
			tr(c, "segment %d: id %d", i, id);
		if (id < 0)
			return;
	}
	tr(c, "last id %d", id);
	G(c, IPC_PRIVATE, 1, 0600);
	G(c, KEY, 1, IPC_CREAT | 0600);
	G(c, IPC_PRIVATE, 0, 0600);
	C(c, 0, IPC_INFO);
	C(c, 0, SHM_INFO);
	CB(c, 17, IPC_RMID, NULL, "NULL");
	G(c, IPC_PRIVATE, 1, 0600);
	C(c, 0, SHM_INFO);
}

/* ---- ids ---- */

SCENARIO(ids_wrap_after_64_creations)
{
	int i, id;

	for (i = 0; i < 66; i++) {
		id = c->ops->shmget(IPC_PRIVATE, PAGE, 0600);
		tr(c, "id %d", id);
		c->ops->shmctl(id, IPC_RMID, NULL);
	}
}

SCENARIO(ids_take_next_index_not_lowest_free)
{
	int a = G(c, IPC_PRIVATE, PAGE, 0600);
	int b = G(c, IPC_PRIVATE, PAGE, 0600);

	G(c, IPC_PRIVATE, PAGE, 0600);
	C(c, b, IPC_RMID);
	G(c, IPC_PRIVATE, PAGE, 0600);
	C(c, a, IPC_RMID);
	G(c, IPC_PRIVATE, PAGE, 0600);
	C(c, 0, IPC_INFO);
}

SCENARIO(ids_cycle_grows_with_in_use)
{
	int i, id;

	for (i = 0; i < 100; i++) {
		id = c->ops->shmget(IPC_PRIVATE, 1, 0600);
		if (id >= 60)
			tr(c, "id %d", id);
	}
	for (i = 0; i < 100; i += 3)
		c->ops->shmctl(i, IPC_RMID, NULL);
	for (i = 0; i < 10; i++)
		tr(c, "id %d", c->ops->shmget(IPC_PRIVATE, 1, 0600));
	C(c, 0, IPC_INFO);
	C(c, 0, SHM_INFO);
}

SCENARIO(ids_stale_sequence_is_einval)
{
	int i, id, old = G(c, IPC_PRIVATE, PAGE, 0600);

	C(c, old, IPC_RMID);
	for (i = 0; i < 64; i++) {
		id = c->ops->shmget(IPC_PRIVATE, PAGE, 0600);
		if (i < 63)
			c->ops->shmctl(id, IPC_RMID, NULL);
	}
	tr(c, "id %d", id);
	C(c, old, IPC_STAT);
	A(c, old, NULL, 0);
	CB(c, old, IPC_RMID, NULL, "NULL");
	C(c, old, SHM_STAT);
	C(c, id, IPC_STAT);
}

/* ---- shmat ---- */

SCENARIO(at_read_write_stat_detach)
{
	int id = G(c, IPC_PRIVATE, 2 * PAGE, 0600);
	char *p = A(c, id, NULL, 0);

	if (p == (void *)-1)
		return;
	tr(c, "zero: %d", all_zero(p, 2 * PAGE));
	strcpy(p + PAGE, "hello");
	C(c, id, IPC_STAT);
	trace_maps(c, p);
	D(c, p, "p");
	C(c, id, IPC_STAT);
}

SCENARIO(at_bad_ids)
{
	int id = G(c, IPC_PRIVATE, PAGE, 0600);

	A(c, -1, NULL, 0);
	A(c, -1, (void *)1, 0);
	A(c, 12345, NULL, 0);
	A(c, id + (1 << 15), NULL, 0);
	A(c, id + 1, NULL, 0);
	A(c, 0x7fffffff, NULL, 0);
}

SCENARIO(at_unaligned_address)
{
	int id = G(c, IPC_PRIVATE, PAGE, 0600);
	char *x = hole(1), *p;

	A(c, id, x + 1, 0);
	A(c, id, x + PAGE / 2, SHM_RDONLY);
	p = A(c, id, x + 123, SHM_RND);
	if (p != (void *)-1)
		D(c, p, "p");
	p = A(c, id, x + 123, SHM_RND | SHM_REMAP);
	if (p != (void *)-1)
		D(c, p, "p");
}

SCENARIO(at_round_down_to_zero)
{
	int id = G(c, IPC_PRIVATE, PAGE, 0666);
	char *p;

	A(c, id, (void *)100, SHM_RND | SHM_REMAP);
	A(c, id, NULL, SHM_REMAP);
	p = A(c, id, (void *)100, SHM_RND);
	if (p == (void *)-1)
		return;
	N(c, id);
	D(c, p, "0");
	if (user(c)) {
		A(c, id, (void *)100, SHM_RND);
		_exit(0);
	}
}

SCENARIO(at_address_in_use)
{
	int id = G(c, IPC_PRIVATE, 2 * PAGE, 0600);
	char *x = hole(3), *p;

	mmap(x + PAGE, PAGE, PROT_READ | PROT_WRITE,
	     MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	A(c, id, x + PAGE, 0);
	A(c, id, x, 0);
	A(c, id, x, SHM_RDONLY);
	p = A(c, id, x + 2 * PAGE, 0);
	if (p != (void *)-1)
		D(c, p, "p");
	N(c, id);
}

SCENARIO(at_remap_replaces_mapping)
{
	int id = G(c, IPC_PRIVATE, 2 * PAGE, 0600);
	char *x = hole(2), *p;

	mmap(x, 2 * PAGE, PROT_READ | PROT_WRITE,
	     MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	memset(x, 9, 2 * PAGE);
	p = A(c, id, x, SHM_REMAP);
	if (p == (void *)-1)
		return;
	tr(c, "zero: %d", all_zero(p, 2 * PAGE));
	trace_maps(c, p);
	/* over another attach: that one is closed */
	p = A(c, id, x, SHM_REMAP | SHM_RDONLY);
	N(c, id);
	trace_maps(c, x);
	D(c, x, "x");
	N(c, id);
}

SCENARIO(at_addresses_out_of_range)
{
	int id = G(c, IPC_PRIVATE, 2 * PAGE, 0600);

	A(c, id, (void *)0x7ffffffff000UL, 0);
	A(c, id, (void *)0x7fffffffe000UL, SHM_REMAP);
	A(c, id, (void *)0xfffffffffffff000UL, 0);
	A(c, id, (void *)0xfffffffffffff000UL, SHM_REMAP);
	A(c, id, (void *)0xffff800000000000UL, 0);
	N(c, id);
}

SCENARIO(at_read_only)
{
	int id = G(c, IPC_PRIVATE, PAGE, 0600);
	char *p = A(c, id, NULL, SHM_RDONLY);

	if (p == (void *)-1)
		return;
	trace_maps(c, p);
	tr(c, "read %d", p[0]);
	probe(c, p, true);
	tr(c, "mprotect rw: %s", mprotect(p, PAGE, PROT_READ | PROT_WRITE) ?
	   err_name(errno) : "ok");
	tr(c, "mprotect rx: %s", mprotect(p, PAGE, PROT_READ | PROT_EXEC) ?
	   err_name(errno) : "ok");
	trace_maps(c, p);
	D(c, p, "p");
}

SCENARIO(at_exec)
{
	int id = G(c, IPC_PRIVATE, PAGE, 0700);
	char *p = A(c, id, NULL, SHM_EXEC), *q;

	if (p == (void *)-1)
		return;
	trace_maps(c, p);
	q = A(c, id, NULL, SHM_EXEC | SHM_RDONLY);
	trace_maps(c, q);
	D(c, p, "p");
	D(c, q, "q");
}

SCENARIO(at_permissions_as_user)
{
	int r = G(c, IPC_PRIVATE, PAGE, 0644);
	int x = G(c, IPC_PRIVATE, PAGE, 0666);
	int all = G(c, IPC_PRIVATE, PAGE, 0777);
	int none = G(c, IPC_PRIVATE, PAGE, 0);

	if (user(c)) {
		A(c, r, NULL, SHM_RDONLY);
		A(c, r, NULL, 0);
		A(c, x, NULL, SHM_EXEC);
		A(c, x, NULL, SHM_EXEC | SHM_RDONLY);
		A(c, all, NULL, SHM_EXEC);
		A(c, none, NULL, SHM_RDONLY);
		C(c, r, IPC_STAT);
		_exit(0);
	}
	A(c, none, NULL, 0);
	C(c, none, IPC_STAT);
}

SCENARIO(at_after_rmid)
{
	int id = G(c, KEY, PAGE, IPC_CREAT | 0600);
	char *p = A(c, id, NULL, 0), *q;

	C(c, id, IPC_RMID);
	q = A(c, id, NULL, 0);
	C(c, id, IPC_STAT);
	C(c, id, IPC_RMID);
	D(c, p, "p");
	N(c, id);
	D(c, q, "q");
	C(c, id, IPC_STAT);
	A(c, id, NULL, 0);
	C(c, 0, SHM_INFO);
}

SCENARIO(at_fork_and_exit)
{
	int id = G(c, IPC_PRIVATE, PAGE, 0600);
	char *p = A(c, id, NULL, 0);

	if (child(c)) {
		C(c, id, IPC_STAT);
		_exit(0);
	}
	C(c, id, IPC_STAT);
	if (child(c)) {
		D(c, p, "p");
		C(c, id, IPC_STAT);
		_exit(0);
	}
	C(c, id, IPC_STAT);
	D(c, p, "p");
	C(c, id, IPC_STAT);
}

SCENARIO(at_dontfork_and_exec)
{
	int id = G(c, IPC_PRIVATE, 2 * PAGE, 0600);
	char *p = A(c, id, NULL, 0);

	if (p == (void *)-1)
		return;
	madvise(p, PAGE, MADV_DONTFORK);
	if (child(c)) {
		N(c, id);
		_exit(0);
	}
	if (child(c)) {
		execl("/bin/true", "true", (char *)NULL);
		_exit(1);
	}
	N(c, id);
	D(c, p, "p");
	N(c, id);
}

SCENARIO(at_munmap_middle)
{
	int id = G(c, IPC_PRIVATE, 3 * PAGE, 0600);
	char *p = A(c, id, NULL, 0);

	if (p == (void *)-1)
		return;
	munmap(p + PAGE, PAGE);
	N(c, id);
	munmap(p + 2 * PAGE, PAGE);
	N(c, id);
	D(c, p, "p");
	N(c, id);
}

/* LTP shmat04 */
SCENARIO(at_mprotect_pieces)
{
	int id = G(c, IPC_PRIVATE, 3 * PAGE, 0600);
	char *p = A(c, id, NULL, 0);

	if (p == (void *)-1)
		return;
	mprotect(p + PAGE, PAGE, PROT_NONE);
	N(c, id);
	mprotect(p, 2 * PAGE, PROT_READ | PROT_WRITE);
	N(c, id);
	mprotect(p, 3 * PAGE, PROT_READ | PROT_WRITE);
	N(c, id);
	C(c, id, IPC_STAT);
	D(c, p, "p");
	N(c, id);
}

SCENARIO(at_mlock_part)
{
	int id = G(c, IPC_PRIVATE, 4 * PAGE, 0600);
	char *p = A(c, id, NULL, 0);

	if (p == (void *)-1)
		return;
	tr(c, "mlock: %s", mlock(p + PAGE, PAGE) ? err_name(errno) : "ok");
	N(c, id);
	munlock(p + PAGE, PAGE);
	N(c, id);
	C(c, 0, SHM_INFO);
	D(c, p, "p");
	N(c, id);
}

SCENARIO(at_mremap_whole)
{
	int id = G(c, IPC_PRIVATE, 2 * PAGE, 0600);
	char *p = A(c, id, NULL, 0), *to = hole(2), *q;

	if (p == (void *)-1)
		return;
	strcpy(p + PAGE, "moved");
	q = mremap(p, 2 * PAGE, 2 * PAGE, MREMAP_MAYMOVE | MREMAP_FIXED, to);
	tr(c, "mremap %s", q == to ? "ok" : "failed");
	N(c, id);
	tr(c, "read %s", q + PAGE);
	D(c, p, "old");
	D(c, q, "new");
	N(c, id);
}

SCENARIO(at_mremap_part)
{
	int id = G(c, IPC_PRIVATE, 3 * PAGE, 0600);
	char *p = A(c, id, NULL, 0), *to = hole(3), *q;

	if (p == (void *)-1)
		return;
	q = mremap(p + PAGE, PAGE, PAGE, MREMAP_MAYMOVE | MREMAP_FIXED,
		   to + 2 * PAGE);
	tr(c, "mremap %s", q == to + 2 * PAGE ? "ok" : "failed");
	N(c, id);
	D(c, p, "p");
	N(c, id);
	D(c, q, "moved");
	munmap(q, PAGE);
	N(c, id);
}

/* remap_file_pages() of @len bytes at @p to page offset @pgoff, traced. */
static int R(struct ctx *c, char *p, size_t len, size_t pgoff, const char *what)
{
	int r = remap_file_pages(p, len, 0, pgoff, 0);

	tr(c, "remap_file_pages(%s, %zu pages, pgoff %zu) = %s", what,
	   len / PAGE, pgoff, r ? err_name(errno) : "0");
	return r;
}

SCENARIO(at_remap_counts_as_attach)
{
	int id = G(c, IPC_PRIVATE, 2 * PAGE, 0600);
	char *p = A(c, id, NULL, 0);

	if (p == (void *)-1)
		return;
	strcpy(p + PAGE, "second");
	R(c, p, PAGE, 1, "p");
	N(c, id);
	tr(c, "read %s", p);
	trace_maps(c, p);
	R(c, p, 2 * PAGE, 0, "p");
	N(c, id);
	D(c, p, "p");
	N(c, id);
}

SCENARIO(at_remap_after_rmid_of_last_attach_is_einval)
{
	int id = G(c, IPC_PRIVATE, 2 * PAGE, 0600);
	char *p = A(c, id, NULL, 0);

	if (p == (void *)-1)
		return;
	C(c, id, IPC_RMID);
	/* one page: the other piece still attaches the segment */
	R(c, p, PAGE, 1, "first page");
	N(c, id);
	/* the whole attach: its last VMAs go, and the segment with them */
	R(c, p, 2 * PAGE, 0, "p");
	N(c, id);
	trace_maps(c, p);
	probe(c, p, false);
	R(c, p, 2 * PAGE, 0, "p");
}

SCENARIO(at_remap_after_rmid_with_another_attach)
{
	int id = G(c, IPC_PRIVATE, PAGE, 0600);
	char *p = A(c, id, NULL, 0), *q = A(c, id, NULL, SHM_RDONLY);

	if (p == (void *)-1 || q == (void *)-1)
		return;
	C(c, id, IPC_RMID);
	R(c, p, PAGE, 0, "p");
	N(c, id);
	D(c, q, "q");
	N(c, id);
	R(c, p, PAGE, 0, "p");
	N(c, id);
	trace_maps(c, p);
}

SCENARIO(at_mremap_after_rmid)
{
	int id = G(c, IPC_PRIVATE, 2 * PAGE, 0600);
	char *p = A(c, id, NULL, 0), *to = hole(2), *q;

	if (p == (void *)-1)
		return;
	strcpy(p, "kept");
	C(c, id, IPC_RMID);
	q = mremap(p, 2 * PAGE, 2 * PAGE, MREMAP_MAYMOVE | MREMAP_FIXED, to);
	tr(c, "mremap %s", q == to ? "ok" : "failed");
	N(c, id);
	tr(c, "read %s", q);
	R(c, q, PAGE, 1, "moved");
	N(c, id);
	munmap(q, 2 * PAGE);
	N(c, id);
}

/* An fd from /proc/self/map_files of the attach at @p, or -1 (traced). */
static int map_files_open(struct ctx *c, char *p, size_t len)
{
	char path[96];
	int fd;

	snprintf(path, sizeof(path), "/proc/self/map_files/%lx-%lx",
		 (unsigned long)p, (unsigned long)p + len);
	fd = open(path, O_RDWR);
	tr(c, "open map_files: %s", fd < 0 ? err_name(errno) : "ok");
	return fd;
}

SCENARIO(at_map_files_mmap_after_rmid)
{
	int id = G(c, IPC_PRIVATE, PAGE, 0600);
	char *p = A(c, id, NULL, 0), *q;
	int fd;

	if (p == (void *)-1)
		return;
	strcpy(p, "through map_files");
	fd = map_files_open(c, p, PAGE);
	if (fd < 0)
		return;
	q = mmap(NULL, PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	tr(c, "mmap while attached: %s", q == MAP_FAILED ? err_name(errno) : "ok");
	N(c, id);
	if (q != MAP_FAILED)
		munmap(q, PAGE);
	C(c, id, IPC_RMID);
	D(c, p, "p");
	q = mmap(NULL, PAGE, PROT_READ, MAP_SHARED, fd, 0);
	tr(c, "mmap after destroy: %s", q == MAP_FAILED ? err_name(errno) : "ok");
	close(fd);
	if (q != MAP_FAILED)
		munmap(q, PAGE);
	G(c, IPC_PRIVATE, PAGE, 0600);
}

/* msync() and MADV_REMOVE reach the segment's file through the attach. */
SCENARIO(at_msync_and_madv_remove)
{
	int id = G(c, IPC_PRIVATE, 2 * PAGE, 0600);
	char *p = A(c, id, NULL, 0), *q = A(c, id, NULL, SHM_RDONLY);

	if (p == (void *)-1 || q == (void *)-1)
		return;
	strcpy(p, "first");
	strcpy(p + PAGE, "second");
	tr(c, "msync(MS_SYNC) = %s",
	   msync(p, 2 * PAGE, MS_SYNC) ? err_name(errno) : "0");
	tr(c, "msync(MS_ASYNC | MS_INVALIDATE) = %s",
	   msync(q, 2 * PAGE, MS_ASYNC | MS_INVALIDATE) ? err_name(errno) : "0");
	tr(c, "MADV_REMOVE read-only = %s",
	   madvise(q, PAGE, MADV_REMOVE) ? err_name(errno) : "0");
	tr(c, "MADV_REMOVE = %s",
	   madvise(p, PAGE, MADV_REMOVE) ? err_name(errno) : "0");
	tr(c, "read through the other attach: \"%s\" \"%s\"", q, q + PAGE);
	C(c, id, IPC_STAT);
}

SCENARIO(at_mremap_grow_past_segment)
{
	int id = G(c, IPC_PRIVATE, PAGE, 0600);
	char *p = A(c, id, NULL, 0), *q;

	if (p == (void *)-1)
		return;
	q = mremap(p, PAGE, 3 * PAGE, MREMAP_MAYMOVE);
	tr(c, "mremap %s", q == MAP_FAILED ? err_name(errno) : "ok");
	if (q == MAP_FAILED)
		return;
	N(c, id);
	probe(c, q, false);
	probe(c, q + 2 * PAGE, false);
	q = mremap(q, 3 * PAGE, PAGE / 2, 0);
	tr(c, "shrink %s", q == MAP_FAILED ? err_name(errno) : "ok");
	N(c, id);
	D(c, q, "q");
	N(c, id);
}

SCENARIO(at_two_attaches)
{
	int id = G(c, IPC_PRIVATE, PAGE, 0600);
	char *p = A(c, id, NULL, 0), *q = A(c, id, NULL, SHM_RDONLY);

	if (p == (void *)-1 || q == (void *)-1)
		return;
	p[5] = 'x';
	tr(c, "q[5] = %c", q[5]);
	N(c, id);
	D(c, p, "p");
	N(c, id);
	D(c, p, "p");
	D(c, q, "q");
	N(c, id);
}

SCENARIO(at_rss_counts_touched_pages)
{
	int id = G(c, IPC_PRIVATE, 8 * PAGE, 0600);
	char *p = A(c, id, NULL, 0);

	if (p == (void *)-1)
		return;
	C(c, 0, SHM_INFO);
	p[0] = 1;
	p[3 * PAGE] = 1;
	p[7 * PAGE + 100] = 1;
	C(c, 0, SHM_INFO);
	D(c, p, "p");
	C(c, 0, SHM_INFO);
	C(c, id, IPC_RMID);
	C(c, 0, SHM_INFO);
}

/* ---- shmdt ---- */

SCENARIO(dt_bad_addresses)
{
	int id = G(c, IPC_PRIVATE, 2 * PAGE, 0600);
	char *p = A(c, id, NULL, 0);
	char *anon = mmap(NULL, PAGE, PROT_READ, MAP_PRIVATE | MAP_ANONYMOUS,
			  -1, 0);

	D(c, p + 1, "p+1");
	D(c, p + PAGE, "p+page");
	D(c, anon, "anon");
	D(c, NULL, "NULL");
	D(c, (void *)0xfffffffffffff000UL, "top");
	N(c, id);
	D(c, p, "p");
	D(c, p, "p");
}

SCENARIO(dt_below_an_attach)
{
	int id = G(c, IPC_PRIVATE, PAGE, 0600);
	char *x = hole(4), *p = A(c, id, x + 2 * PAGE, 0);

	D(c, x, "x");
	D(c, x + PAGE, "x+1");
	N(c, id);
	D(c, p, "p");
}

/* The first pass has no upper bound: a piece far above can match. */
SCENARIO(dt_finds_piece_far_above)
{
	int id = G(c, IPC_PRIVATE, 12 * PAGE, 0600);
	char *p = A(c, id, NULL, 0);

	if (p == (void *)-1)
		return;
	munmap(p, 10 * PAGE);
	N(c, id);
	D(c, p + PAGE, "p+1");
	D(c, p, "p");
	N(c, id);
}

/* The second pass only takes pieces of the same attach. */
SCENARIO(dt_skips_pieces_of_other_attaches)
{
	int id = G(c, IPC_PRIVATE, 3 * PAGE, 0600);
	char *x = hole(3), *a, *b, *q;

	a = A(c, id, x, 0);
	b = A(c, id, NULL, 0);
	if (a == (void *)-1 || b == (void *)-1)
		return;
	munmap(a + PAGE, 2 * PAGE);
	munmap(b, 2 * PAGE);
	q = mremap(b + 2 * PAGE, PAGE, PAGE, MREMAP_MAYMOVE | MREMAP_FIXED,
		   x + 2 * PAGE);
	tr(c, "mremap %s", q == x + 2 * PAGE ? "ok" : "failed");
	N(c, id);
	D(c, x, "x");
	N(c, id);
	trace_maps(c, x + 2 * PAGE);
	D(c, x, "x");
	munmap(x + 2 * PAGE, PAGE);
	N(c, id);
}

/* Pieces of one attach left by munmap and mprotect all go. */
SCENARIO(dt_takes_every_piece_of_the_attach)
{
	int id = G(c, IPC_PRIVATE, 6 * PAGE, 0600);
	char *p = A(c, id, NULL, 0);

	if (p == (void *)-1)
		return;
	munmap(p + PAGE, PAGE);
	mprotect(p + 3 * PAGE, PAGE, PROT_READ);
	munmap(p + 5 * PAGE, PAGE);
	N(c, id);
	D(c, p, "p");
	N(c, id);
}

/* ---- shmctl ---- */

SCENARIO(ctl_negative_arguments)
{
	int id = G(c, IPC_PRIVATE, PAGE, 0600);

	C(c, -1, IPC_STAT);
	C(c, id, -1);
	C(c, -1, IPC_INFO);
	C(c, -1, SHM_INFO);
	CB(c, -1, IPC_RMID, NULL, "NULL");
	CB(c, -1, SHM_LOCK, NULL, "NULL");
	CB(c, -1, IPC_SET, (void *)8, "bad");
	C(c, 0x80000000, IPC_STAT);
}

SCENARIO(ctl_unknown_commands)
{
	int id = G(c, IPC_PRIVATE, PAGE, 0600);

	C(c, id, 4);
	C(c, id, 10);
	C(c, id, 16);
	C(c, id, 9999);
	C(c, id, IPC_STAT | 0x100);
	C(c, 0, IPC_INFO | 0x100);
	C(c, id, 0x7fffffff);
}

SCENARIO(ctl_ipc_info)
{
	int a, b, d;

	C(c, 0, IPC_INFO);
	C(c, 12345, IPC_INFO);
	a = G(c, IPC_PRIVATE, PAGE, 0600);
	b = G(c, IPC_PRIVATE, PAGE, 0600);
	d = G(c, IPC_PRIVATE, PAGE, 0600);
	C(c, 0, IPC_INFO);
	C(c, d, IPC_RMID);
	C(c, 0, IPC_INFO);
	C(c, a, IPC_RMID);
	C(c, 0, IPC_INFO);
	C(c, b, IPC_RMID);
	C(c, 0, IPC_INFO);
}

SCENARIO(ctl_shm_info)
{
	int a = G(c, IPC_PRIVATE, 3 * PAGE + 1, 0600);
	char *p;

	G(c, KEY, 5 * PAGE, IPC_CREAT | 0600);
	C(c, 0, SHM_INFO);
	p = A(c, a, NULL, 0);
	if (p == (void *)-1)
		return;
	memset(p, 1, 2 * PAGE);
	C(c, 0, SHM_INFO);
	C(c, a, IPC_RMID);
	C(c, 0, SHM_INFO);
	D(c, p, "p");
	C(c, 0, SHM_INFO);
}

SCENARIO(ctl_stat_by_index)
{
	int i, id;

	G(c, IPC_PRIVATE, PAGE, 0600);
	C(c, G(c, IPC_PRIVATE, PAGE, 0600), IPC_RMID);
	for (i = 0; i < 63; i++)
		c->ops->shmctl(c->ops->shmget(IPC_PRIVATE, PAGE, 0600), IPC_RMID,
			    NULL);
	id = G(c, KEY, 2 * PAGE, IPC_CREAT | 0640);
	C(c, 0, SHM_STAT);
	C(c, 1, SHM_STAT);
	C(c, id & 0x7fff, SHM_STAT);
	C(c, id & 0x7fff, SHM_STAT_ANY);
	C(c, id, SHM_STAT);
	C(c, id + (5 << 15), SHM_STAT);
	C(c, id + (5 << 15), IPC_STAT);
	C(c, 7, SHM_STAT);
	C(c, 7, SHM_STAT_ANY);
}

SCENARIO(ctl_stat_any_without_permission)
{
	int id = G(c, KEY, PAGE, IPC_CREAT | 0600);

	if (user(c)) {
		C(c, id, IPC_STAT);
		C(c, id & 0x7fff, SHM_STAT);
		C(c, id & 0x7fff, SHM_STAT_ANY);
		C(c, 0, IPC_INFO);
		C(c, 0, SHM_INFO);
		_exit(0);
	}
}

SCENARIO(ctl_bad_buffers)
{
	int id = G(c, IPC_PRIVATE, PAGE, 0600);

	CB(c, id, IPC_STAT, (void *)8, "bad");
	CB(c, id, IPC_STAT, NULL, "NULL");
	CB(c, id & 0x7fff, SHM_STAT, (void *)8, "bad");
	CB(c, 0, IPC_INFO, (void *)8, "bad");
	CB(c, 0, SHM_INFO, (void *)8, "bad");
	CB(c, 999, IPC_STAT, (void *)8, "bad");
	CB(c, id, IPC_SET, (void *)8, "bad");
	CB(c, 999, IPC_SET, (void *)8, "bad");
	CB(c, id, IPC_RMID, (void *)8, "bad");
	C(c, id, IPC_STAT);
}

SCENARIO(ctl_ipc_set)
{
	int id = G(c, KEY, PAGE, IPC_CREAT | 0600);
	char *p = A(c, id, NULL, 0);

	SET(c, id, TUID, TGID, 01777);
	C(c, id, IPC_STAT);
	C(c, id, IPC_RMID);
	SET(c, id, 0, 0, 0604);
	C(c, id, IPC_STAT);
	D(c, p, "p");
}

SCENARIO(ctl_ipc_set_unmapped_ids)
{
	int id = G(c, IPC_PRIVATE, PAGE, 0600);

	SET(c, id, (uid_t)-1, 0, 0600);
	SET(c, id, 0, (gid_t)-1, 0600);
	SET(c, id, 4000000000U, 0, 0666);
	C(c, id, IPC_STAT);
}

SCENARIO(ctl_set_and_rmid_permissions)
{
	int id = G(c, KEY, PAGE, IPC_CREAT | 0666);

	if (user(c)) {
		SET(c, id, TUID, TGID, 0666);
		CB(c, id, IPC_RMID, NULL, "NULL");
		_exit(0);
	}
	SET(c, id, TUID, 0, 0600);
	if (user(c)) {
		SET(c, id, TUID, TGID, 0640);
		SET(c, id, 0, 0, 0640);
		SET(c, id, TUID, 0, 0640);
		C(c, id, IPC_STAT);
		_exit(0);
	}
	SET(c, id, TUID, 0, 0600);
	if (user(c)) {
		CB(c, id, IPC_RMID, NULL, "NULL");
		_exit(0);
	}
	C(c, id, IPC_STAT);
}

SCENARIO(ctl_creator_keeps_control)
{
	int id = -1;

	if (user(c)) {
		id = G(c, KEY, PAGE, IPC_CREAT | 0600);
		SET(c, id, 0, 0, 0600);
		C(c, id, IPC_STAT);
		SET(c, id, 0, 0, 0666);
		CB(c, id, IPC_RMID, NULL, "NULL");
		C(c, id, IPC_STAT);
		_exit(0);
	}
	G(c, KEY, 0, 0);
}

SCENARIO(ctl_rmid)
{
	int id = G(c, KEY, PAGE, IPC_CREAT | 0600);

	CB(c, id, IPC_RMID, NULL, "NULL");
	C(c, id, IPC_STAT);
	CB(c, id, IPC_RMID, NULL, "NULL");
	G(c, KEY, 0, 0);
	C(c, 0, SHM_INFO);
}

SCENARIO(ctl_rmid_while_attached)
{
	int id = G(c, KEY, PAGE, IPC_CREAT | 0644);
	char *p = A(c, id, NULL, 0);

	C(c, id, IPC_RMID);
	C(c, id, IPC_RMID);
	C(c, id, IPC_STAT);
	C(c, id & 0x7fff, SHM_STAT);
	C(c, 0, SHM_INFO);
	if (child(c)) {
		D(c, p, "p");
		_exit(0);
	}
	N(c, id);
	D(c, p, "p");
	C(c, id, IPC_STAT);
	C(c, 0, SHM_INFO);
}

SCENARIO(ctl_lock_as_root)
{
	int id = G(c, IPC_PRIVATE, 3 * PAGE, 0600);
	char *p = A(c, id, NULL, 0);

	if (p == (void *)-1)
		return;
	memset(p, 1, 3 * PAGE);
	C(c, id, SHM_LOCK);
	C(c, id, IPC_STAT);
	C(c, id, SHM_LOCK);
	C(c, 0, SHM_INFO);
	C(c, id, SHM_UNLOCK);
	C(c, id, IPC_STAT);
	C(c, id, SHM_UNLOCK);
	C(c, id, SHM_LOCK);
	C(c, id, IPC_RMID);
	C(c, id, IPC_STAT);
	D(c, p, "p");
}

SCENARIO(ctl_lock_bad_ids)
{
	int id = G(c, IPC_PRIVATE, PAGE, 0600);

	C(c, -1, SHM_LOCK);
	C(c, 4242, SHM_LOCK);
	C(c, id + (1 << 15), SHM_UNLOCK);
	C(c, id, SHM_UNLOCK);
}

SCENARIO(ctl_lock_not_owner)
{
	int id = G(c, IPC_PRIVATE, PAGE, 0666);

	if (user(c)) {
		C(c, id, SHM_LOCK);
		C(c, id, SHM_UNLOCK);
		_exit(0);
	}
	SET(c, id, TUID, 0, 0);
	if (user(c)) {
		struct rlimit rl = { 64 << 10, 64 << 10 };

		setrlimit(RLIMIT_MEMLOCK, &rl);
		C(c, id, SHM_LOCK);
		C(c, id, IPC_STAT);
		C(c, id, SHM_UNLOCK);
		_exit(0);
	}
}

SCENARIO(ctl_lock_with_zero_memlock_limit)
{
	if (user(c)) {
		struct rlimit rl = { 0, 0 };
		int id = G(c, IPC_PRIVATE, PAGE, 0600);

		setrlimit(RLIMIT_MEMLOCK, &rl);
		C(c, id, SHM_LOCK);
		C(c, id, SHM_UNLOCK);
		C(c, id, IPC_RMID);
		_exit(0);
	}
}

SCENARIO(ctl_lock_over_memlock_limit)
{
	if (user(c)) {
		struct rlimit rl = { 2 * PAGE, 2 * PAGE };
		int big = G(c, IPC_PRIVATE, 3 * PAGE, 0600);
		int two = G(c, IPC_PRIVATE, 2 * PAGE - 100, 0600);
		int one = G(c, IPC_PRIVATE, 1, 0600);

		setrlimit(RLIMIT_MEMLOCK, &rl);
		C(c, big, SHM_LOCK);
		C(c, two, SHM_LOCK);
		C(c, two, SHM_LOCK);
		C(c, one, SHM_LOCK);
		C(c, two, SHM_UNLOCK);
		C(c, one, SHM_LOCK);
		C(c, one, IPC_STAT);
		C(c, one, IPC_RMID);
		C(c, two, SHM_LOCK);
		C(c, two, SHM_UNLOCK);
		C(c, big, IPC_RMID);
		C(c, two, IPC_RMID);
		_exit(0);
	}
}

SCENARIO(ctl_lock_then_rmid_while_attached)
{
	int id = G(c, IPC_PRIVATE, PAGE, 0600);
	char *p = A(c, id, NULL, 0);

	C(c, id, SHM_LOCK);
	C(c, id, IPC_RMID);
	C(c, id, IPC_STAT);
	D(c, p, "p");
	C(c, id, IPC_STAT);
}

SCENARIO(ctl_stat_after_creator_exit)
{
	int id = -1;

	if (child(c)) {
		id = G(c, KEY, PAGE, IPC_CREAT | 0600);
		_exit(0);
	}
	id = G(c, KEY, 0, 0);
	C(c, id, IPC_STAT);
	if (child(c)) {
		char *p = A(c, id, NULL, 0);

		C(c, id, IPC_STAT);
		D(c, p, "p");
		_exit(0);
	}
	C(c, id, IPC_STAT);
}

SCENARIO(ctl_stat_mapped_ids_of_other_user)
{
	int id;

	if (user(c)) {
		id = G(c, KEY, PAGE, IPC_CREAT | 0644);
		_exit(0);
	}
	id = G(c, KEY, 0, 0);
	C(c, id, IPC_STAT);
	A(c, id, NULL, 0);
}

/* ---- limits: kernel.shmmax, shmall, shmmni, shm_rmid_forced, shm_next_id ---- */

SCENARIO(limit_shmmax_is_einval_above)
{
	int id;

	C(c, 0, IPC_INFO);
	set_limit(c, "shmmax", "8192");
	G(c, IPC_PRIVATE, 8192, 0600);
	G(c, IPC_PRIVATE, 8193, 0600);
	G(c, KEY, 3 * PAGE, IPC_CREAT | 0600);
	id = G(c, KEY, 2 * PAGE, IPC_CREAT | 0600);
	C(c, 0, IPC_INFO);
	/* an existing segment is only checked against its own size */
	set_limit(c, "shmmax", "100");
	G(c, KEY, 2 * PAGE, 0);
	G(c, KEY, 101, IPC_CREAT | 0600);
	C(c, id, IPC_STAT);
	set_limit(c, "shmmax", "0");
	G(c, IPC_PRIVATE, 1, 0600);
	set_limit(c, "shmmax", "-1");
	set_limit(c, "shmmax", "12x");
	set_limit(c, "shmmax", "18446744073709551615");
	C(c, 0, IPC_INFO);
}

SCENARIO(limit_shmall_is_enospc)
{
	int a, b;
	char *p;

	set_limit(c, "shmall", "4");
	a = G(c, IPC_PRIVATE, 2 * PAGE, 0600);
	G(c, IPC_PRIVATE, 3 * PAGE, 0600);
	b = G(c, IPC_PRIVATE, 2 * PAGE - 1, 0600);
	G(c, IPC_PRIVATE, 1, 0600);
	G(c, KEY, 1, IPC_CREAT | 0600);
	C(c, 0, SHM_INFO);
	C(c, 0, IPC_INFO);
	/* a removed segment's pages count until its last detach */
	p = A(c, a, NULL, 0);
	C(c, a, IPC_RMID);
	G(c, IPC_PRIVATE, 1, 0600);
	D(c, p, "p");
	G(c, IPC_PRIVATE, PAGE + 1, 0600);
	G(c, IPC_PRIVATE, 1, 0600);
	C(c, b, IPC_RMID);
	set_limit(c, "shmall", "0");
	G(c, IPC_PRIVATE, 1, 0600);
	C(c, 0, SHM_INFO);
}

SCENARIO(limit_shmmni_is_enospc_at_the_limit)
{
	int a;

	set_limit(c, "shmmni", "3");
	a = G(c, IPC_PRIVATE, PAGE, 0600);
	G(c, IPC_PRIVATE, PAGE, 0600);
	G(c, KEY, PAGE, IPC_CREAT | 0600);
	G(c, IPC_PRIVATE, PAGE, 0600);
	G(c, KEY2, PAGE, IPC_CREAT | 0600);
	G(c, KEY, 0, IPC_CREAT | 0600);
	C(c, 0, IPC_INFO);
	C(c, 0, SHM_INFO);
	C(c, a, IPC_RMID);
	G(c, KEY2, PAGE, IPC_CREAT | 0600);
	set_limit(c, "shmmni", "1");
	G(c, IPC_PRIVATE, PAGE, 0600);
	C(c, 0, IPC_INFO);
	set_limit(c, "shmmni", "0");
	G(c, IPC_PRIVATE, PAGE, 0600);
	set_limit(c, "shmmni", "32769");
	set_limit(c, "shmmni", "-1");
	set_limit(c, "shmmni", "32768");
	C(c, 0, IPC_INFO);
}

SCENARIO(limit_shm_rmid_forced_destroys_at_last_detach)
{
	int id, kept;
	char *p, *q;

	show_limit(c, "shm_rmid_forced");
	set_limit(c, "shm_rmid_forced", "1");
	id = G(c, KEY, PAGE, IPC_CREAT | 0600);
	kept = G(c, IPC_PRIVATE, PAGE, 0600);
	p = A(c, id, NULL, 0);
	q = A(c, id, NULL, 0);
	D(c, p, "p");
	C(c, id, IPC_STAT);
	D(c, q, "q");
	C(c, id, IPC_STAT);
	G(c, KEY, 0, 0);
	/* never attached: nothing destroys it */
	C(c, kept, IPC_STAT);
	C(c, 0, SHM_INFO);
	set_limit(c, "shm_rmid_forced", "2");
	set_limit(c, "shm_rmid_forced", "0");
	id = G(c, KEY, PAGE, IPC_CREAT | 0600);
	p = A(c, id, NULL, 0);
	D(c, p, "p");
	C(c, id, IPC_STAT);
}

SCENARIO(limit_shm_rmid_forced_destroys_orphans)
{
	int a, b, d;
	char *p;

	/* the creator exits: its segments are orphans, kept */
	if (child(c)) {
		G(c, KEY, PAGE, IPC_CREAT | 0600);
		G(c, KEY2, PAGE, IPC_CREAT | 0600);
		_exit(0);
	}
	a = G(c, KEY, 0, 0);
	b = G(c, KEY2, 0, 0);
	d = G(c, IPC_PRIVATE, PAGE, 0600);
	p = A(c, a, NULL, 0);
	C(c, 0, SHM_INFO);
	/* the write destroys the unattached orphan, not ours, not a used one */
	set_limit(c, "shm_rmid_forced", "1");
	C(c, a, IPC_STAT);
	C(c, b, IPC_STAT);
	C(c, d, IPC_STAT);
	D(c, p, "p");
	C(c, a, IPC_STAT);
	/* with it set, an exiting creator's unattached segments go */
	if (child(c)) {
		int id = G(c, KEY, PAGE, IPC_CREAT | 0600);

		G(c, KEY2, PAGE, IPC_CREAT | 0600);
		A(c, id, NULL, 0);
		_exit(0);
	}
	G(c, KEY, 0, 0);
	G(c, KEY2, 0, 0);
	C(c, 0, SHM_INFO);
}

SCENARIO(limit_shm_next_id)
{
	int id;

	show_limit(c, "shm_next_id");
	set_limit(c, "shm_next_id", "5");
	id = G(c, IPC_PRIVATE, PAGE, 0600);
	show_limit(c, "shm_next_id");
	G(c, IPC_PRIVATE, PAGE, 0600);
	C(c, id & 0x7fff, SHM_STAT);
	/* sequence 3, index 5 (in use: the next free index above) */
	set_limit(c, "shm_next_id", "98309");
	G(c, KEY, PAGE, IPC_CREAT | 0600);
	show_limit(c, "shm_next_id");
	C(c, id, IPC_RMID);
	set_limit(c, "shm_next_id", "98309");
	G(c, IPC_PRIVATE, PAGE, 0600);
	C(c, 0, IPC_INFO);
	set_limit(c, "shm_next_id", "-1");
	set_limit(c, "shm_next_id", "0");
	G(c, IPC_PRIVATE, PAGE, 0600);
	show_limit(c, "shm_next_id");
}

TEST_HARNESS_MAIN
