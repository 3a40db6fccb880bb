// SPDX-License-Identifier: GPL-2.0
/*
 * Differential tests of System V message queues (see diff.h): every
 * flag, errno and msgctl command of msgget/msgsnd/msgrcv/msgctl, as root
 * and as an unprivileged user, plus sleepers woken by a send, a receive,
 * a removal, an IPC_SET and a signal, compared call by call with Linux.
 *
 * Limits (kernel.msgmax, msgmnb, msgmni, msg_next_id) are set on both
 * sides with set_limit(): limit_* scenarios.
 */
#include <limits.h>
#include <signal.h>

#include "kselftest_harness.h"
#include "sipc_test.h"
#include "diff.h"

#define KEY		0x5eed3000
#define MSGMAX		8192
#define MSGMNB		16384
#define TEXT_MAX	(MSGMAX + 64)

struct msgbuf_big {
	long mtype;
	char mtext[TEXT_MAX];
};

static int MG(struct ctx *c, key_t key, int flg)
{
	char res[64];
	int r;

	errno = 0;
	r = c->ops->msgget(key, flg);
	res_id(c, r, res);
	tr(c, "msgget(%#x, %#o) = %s", key, flg, res);
	return r;
}

/* Send @sz bytes of @text (repeated) with type @type. */
static int MS(struct ctx *c, int id, long type, const char *text, size_t sz,
	      int flg)
{
	static struct msgbuf_big m;
	char res[64], idb[16];
	size_t i, n = strlen(text);
	int r;

	m.mtype = type;
	for (i = 0; i < sz && i < TEXT_MAX; i++)
		m.mtext[i] = n ? text[i % n] : 0;
	errno = 0;
	r = c->ops->msgsnd(id, &m, sz, flg);
	res_long(r, res);
	tr(c, "msgsnd(%s, %ld, \"%.8s\"x%zu, %#o) = %s", id_str(c, id, idb),
	   type, text, sz, flg, res);
	return r;
}

/* Receive into a buffer with @sz bytes of room; trace what came. */
static long MR(struct ctx *c, int id, size_t sz, long typ, int flg)
{
	static struct msgbuf_big m;
	char res[64], idb[16];
	unsigned int sum = 0;
	long r, i;

	memset(&m, 0x5a, sizeof(m));
	errno = 0;
	r = c->ops->msgrcv(id, &m, sz, typ, flg);
	res_long(r, res);
	tr(c, "msgrcv(%s, %zu, %ld, %#o) = %s", id_str(c, id, idb), sz, typ,
	   flg, res);
	if (r < 0)
		return r;
	for (i = 0; i < r; i++)
		sum = sum * 31 + (unsigned char)m.mtext[i];
	tr(c, "  mtype=%ld text=\"%.*s\" sum=%#x next=%#x", m.mtype,
	   (int)(r < 16 ? r : 16), m.mtext, sum,
	   (unsigned char)m.mtext[r]);
	return r;
}

static const char *cmd_str(int cmd, char *buf)
{
	static const char * const names[] = {
		[IPC_RMID] = "IPC_RMID", [IPC_SET] = "IPC_SET",
		[IPC_STAT] = "IPC_STAT", [IPC_INFO] = "IPC_INFO",
		[MSG_STAT] = "MSG_STAT", [MSG_INFO] = "MSG_INFO",
		[MSG_STAT_ANY] = "MSG_STAT_ANY",
	};

	return cmd_name(cmd, names, ARRAY_SIZE(names), buf);
}

static void dump_ds(struct ctx *c, const struct msqid_ds *ds)
{
	dump_perm(c, &ds->msg_perm);
	tr(c, "  stime=%s rtime=%s ctime=%s", time_str(c, ds->msg_stime),
	   time_str(c, ds->msg_rtime), time_str(c, ds->msg_ctime));
	tr(c, "  cbytes=%lu qnum=%lu qbytes=%#lx lspid=%s lrpid=%s rest=%s",
	   (unsigned long)ds->__msg_cbytes, (unsigned long)ds->msg_qnum,
	   (unsigned long)ds->msg_qbytes, pid_str(c, ds->msg_lspid),
	   pid_str(c, ds->msg_lrpid),
	   all_zero(&ds->__glibc_reserved4, 2 * sizeof(long)) ? "0" : "dirty");
}

static void dump_info(struct ctx *c, const struct msginfo *mi)
{
	tr(c, "  msgpool=%d msgmap=%d msgmax=%d msgmnb=%d msgmni=%d msgssz=%d msgtql=%d msgseg=%u",
	   mi->msgpool, mi->msgmap, mi->msgmax, mi->msgmnb, mi->msgmni,
	   mi->msgssz, mi->msgtql, mi->msgseg);
}

/* msgctl with a buffer of its own, dumped on success. */
static int MC(struct ctx *c, int id, int cmd)
{
	union {
		struct msqid_ds ds;
		struct msginfo mi;
	} u;
	char res[64], idb[16], cb[16];
	int r;

	memset(&u, 0xaa, sizeof(u));
	errno = 0;
	r = c->ops->msgctl(id, cmd, &u);
	ctl_strs(c, id, r, cmd == MSG_STAT || cmd == MSG_STAT_ANY,
		 cmd == IPC_INFO || cmd == MSG_INFO, res, idb);
	tr(c, "msgctl(%s, %s) = %s", idb, cmd_str(cmd, cb), res);
	if (r < 0 || cmd == IPC_RMID)
		return r;
	if (cmd == IPC_INFO || cmd == MSG_INFO)
		dump_info(c, &u.mi);
	else
		dump_ds(c, &u.ds);
	return r;
}

/* msgctl with the caller's buffer (NULL, or a bad pointer). */
static int MCB(struct ctx *c, int id, int cmd, void *buf, const char *what)
{
	char res[64], idb[16], cb[16];
	int r;

	errno = 0;
	r = c->ops->msgctl(id, cmd, buf);
	res_long(r, res);
	tr(c, "msgctl(%s, %s, %s) = %s", id_str(c, id, idb), cmd_str(cmd, cb),
	   what, res);
	return r;
}

static int SET(struct ctx *c, int id, uid_t uid, gid_t gid, mode_t mode,
	       unsigned long qbytes)
{
	struct msqid_ds ds;
	char res[64], idb[16];
	int r;

	memset(&ds, 0, sizeof(ds));
	ds.msg_perm.uid = uid;
	ds.msg_perm.gid = gid;
	ds.msg_perm.mode = mode;
	ds.msg_qbytes = qbytes;
	errno = 0;
	r = c->ops->msgctl(id, IPC_SET, &ds);
	res_long(r, res);
	tr(c, "msgctl(%s, IPC_SET, uid=%u gid=%u mode=%#o qbytes=%#lx) = %s",
	   id_str(c, id, idb), uid, gid, mode, qbytes, res);
	return r;
}

static void on_signal(int sig)
{
}

/* Catch SIGUSR1 with a handler, without SA_RESTART. */
static void catch_usr1(void)
{
	struct sigaction sa = { .sa_handler = on_signal };

	sigaction(SIGUSR1, &sa, NULL);
}

/* ---- msgget ---- */

SCENARIO(get_private_and_stat)
{
	int q = MG(c, IPC_PRIVATE, 0640);

	MC(c, q, IPC_STAT);
	MG(c, IPC_PRIVATE, 0600);
}

SCENARIO(get_missing_key_is_enoent)
{
	MG(c, KEY, 0600);
}

SCENARIO(get_key_create_then_find)
{
	MG(c, KEY, IPC_CREAT | 0600);
	MG(c, KEY, 0);
	MG(c, KEY, IPC_CREAT | 0600);
	MG(c, KEY + 1, IPC_CREAT | 0600);
}

SCENARIO(get_create_excl_is_eexist)
{
	MG(c, KEY, IPC_CREAT | IPC_EXCL | 0600);
	MG(c, KEY, IPC_CREAT | IPC_EXCL | 0600);
	MG(c, KEY, IPC_EXCL | 0600);
}

SCENARIO(get_mode_keeps_only_permission_bits)
{
	int q = MG(c, KEY, IPC_CREAT | 07777);

	MC(c, q, IPC_STAT);
}

SCENARIO(get_permission_as_other_user)
{
	MG(c, KEY, IPC_CREAT | 0640);
	if (user(c)) {
		MG(c, KEY, 0);
		MG(c, KEY, 0400);
		MG(c, KEY, 0004);
		MG(c, KEY, IPC_CREAT | 0600);
		_exit(0);
	}
}

SCENARIO(get_permission_other_bits)
{
	MG(c, KEY, IPC_CREAT | 0604);
	if (user(c)) {
		MG(c, KEY, 0400);
		MG(c, KEY, 0200);
		_exit(0);
	}
}

SCENARIO(get_user_creates_and_owns)
{
	if (user(c)) {
		int q = MG(c, KEY, IPC_CREAT | 0600);

		MC(c, q, IPC_STAT);
		_exit(0);
	}
	MG(c, KEY, 0600);
}

SCENARIO(get_after_rmid_creates_new)
{
	int q = MG(c, KEY, IPC_CREAT | 0600);

	MC(c, q, IPC_RMID);
	MG(c, KEY, 0600);
	MG(c, KEY, IPC_CREAT | 0600);
}

SCENARIO(ids_wrap_after_64_creations)
{
	int i, q;

	for (i = 0; i < 65; i++) {
		q = c->ops->msgget(IPC_PRIVATE, 0600);
		if (i >= 62)
			tr(c, "create %d = %d", i, q);
		c->ops->msgctl(q, IPC_RMID, NULL);
	}
}

SCENARIO(ids_take_next_index_not_lowest_free)
{
	int a = MG(c, IPC_PRIVATE, 0600);

	MG(c, IPC_PRIVATE, 0600);
	MC(c, a, IPC_RMID);
	MG(c, IPC_PRIVATE, 0600);
	MG(c, IPC_PRIVATE, 0600);
}

SCENARIO(ids_stale_sequence_is_einval)
{
	int i, q = MG(c, IPC_PRIVATE, 0600);

	MC(c, q, IPC_RMID);
	for (i = 0; i < 64; i++)
		c->ops->msgctl(c->ops->msgget(IPC_PRIVATE, 0600), IPC_RMID,
			       NULL);
	MG(c, IPC_PRIVATE, 0600);
	MC(c, q, IPC_STAT);
	MS(c, q, 1, "x", 1, 0);
	MR(c, q, 8, 0, IPC_NOWAIT);
}

/* ---- msgsnd ---- */

SCENARIO(snd_then_rcv)
{
	int q = MG(c, IPC_PRIVATE, 0600);

	MS(c, q, 7, "hello", 5, 0);
	MC(c, q, IPC_STAT);
	MR(c, q, 100, 0, 0);
	MC(c, q, IPC_STAT);
}

SCENARIO(snd_bad_mtype)
{
	int q = MG(c, IPC_PRIVATE, 0600);

	MS(c, q, 0, "a", 1, 0);
	MS(c, q, -1, "a", 1, 0);
	MS(c, q, -1, "a", MSGMAX + 1, 0);
	MS(c, q, 0, "a", 1, IPC_NOWAIT);
}

SCENARIO(snd_size_limits)
{
	int q = MG(c, IPC_PRIVATE, 0600);

	MS(c, q, 1, "big", MSGMAX, 0);
	MS(c, q, 1, "big", MSGMAX + 1, 0);
	MS(c, q, 1, "none", 0, 0);
	MC(c, q, IPC_STAT);
	MR(c, q, MSGMAX, 0, 0);
	MR(c, q, 0, 0, 0);
}

SCENARIO(snd_negative_size_is_einval)
{
	int q = MG(c, IPC_PRIVATE, 0600);

	MS(c, q, 1, "a", (size_t)-1, 0);
	MS(c, q, 1, "a", (size_t)1 << 63, 0);
}

SCENARIO(snd_bad_ids)
{
	MS(c, -1, 1, "a", 1, 0);
	MS(c, 0, 1, "a", 1, 0);
	MS(c, 12345, 1, "a", 1, 0);
	MS(c, 1 << 30, 1, "a", 1, 0);
}

SCENARIO(snd_efault)
{
	int q = MG(c, IPC_PRIVATE, 0600);
	char *page = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
			  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	long *m = (long *)(page + 4096 - sizeof(long));
	char res[64];

	*m = 1;
	errno = 0;
	res_long(c->ops->msgsnd(q, NULL, 1, 0), res);
	tr(c, "msgsnd(NULL) = %s", res);
	/* the mtype is read before the size is checked */
	res_long(c->ops->msgsnd(q, NULL, MSGMAX + 1, 0), res);
	tr(c, "msgsnd(NULL, too big) = %s", res);
	res_long(c->ops->msgsnd(q, m, 16, 0), res);
	tr(c, "msgsnd(text beyond the page) = %s", res);
	res_long(c->ops->msgsnd(q, m, 0, 0), res);
	tr(c, "msgsnd(type only) = %s", res);
	MC(c, q, IPC_STAT);
}

SCENARIO(snd_full_queue_is_eagain)
{
	int q = MG(c, IPC_PRIVATE, 0600);

	MS(c, q, 1, "a", MSGMAX, IPC_NOWAIT);
	MS(c, q, 1, "b", MSGMAX, IPC_NOWAIT);
	MS(c, q, 1, "c", 1, IPC_NOWAIT);
	MS(c, q, 1, "d", 0, IPC_NOWAIT);
	MC(c, q, IPC_STAT);
}

SCENARIO(snd_full_by_message_count)
{
	int q = MG(c, IPC_PRIVATE, 0600);

	SET(c, q, 0, 0, 0600, 3);
	MS(c, q, 1, "", 0, IPC_NOWAIT);
	MS(c, q, 1, "", 0, IPC_NOWAIT);
	MS(c, q, 1, "", 0, IPC_NOWAIT);
	MS(c, q, 1, "", 0, IPC_NOWAIT);
	MC(c, q, IPC_STAT);
}

SCENARIO(snd_zero_qbytes_takes_nothing)
{
	int q = MG(c, IPC_PRIVATE, 0600);

	SET(c, q, 0, 0, 0600, 0);
	MS(c, q, 1, "", 0, IPC_NOWAIT);
	MC(c, q, IPC_STAT);
}

SCENARIO(snd_permission_as_user)
{
	int q = MG(c, KEY, IPC_CREAT | 0644);
	int w = MG(c, KEY + 1, IPC_CREAT | 0622);

	if (user(c)) {
		MS(c, q, 1, "no", 2, IPC_NOWAIT);
		MS(c, w, 1, "yes", 3, IPC_NOWAIT);
		MR(c, w, 10, 0, IPC_NOWAIT);
		MR(c, q, 10, 0, IPC_NOWAIT);
		_exit(0);
	}
	MC(c, w, IPC_STAT);
}

SCENARIO(snd_binary_text_kept)
{
	int q = MG(c, IPC_PRIVATE, 0600);

	MS(c, q, 3, "\x01\x02\x03", 4000, 0);
	MS(c, q, 4, "0123456789abcdef", 5000, 0);
	MR(c, q, 5000, 4, 0);
	MR(c, q, 5000, 3, 0);
}

/* ---- msgrcv ---- */

SCENARIO(rcv_empty_nowait_is_enomsg)
{
	int q = MG(c, IPC_PRIVATE, 0600);

	MR(c, q, 10, 0, IPC_NOWAIT);
	MR(c, q, 10, 5, IPC_NOWAIT);
	MR(c, q, 10, -5, IPC_NOWAIT);
	MR(c, q, 10, 5, IPC_NOWAIT | MSG_EXCEPT);
	MC(c, q, IPC_STAT);
}

SCENARIO(rcv_too_small_is_e2big_and_keeps)
{
	int q = MG(c, IPC_PRIVATE, 0600);

	MS(c, q, 1, "0123456789", 10, 0);
	MR(c, q, 5, 0, IPC_NOWAIT);
	MR(c, q, 9, 0, 0);
	MC(c, q, IPC_STAT);
	MR(c, q, 10, 0, 0);
}

SCENARIO(rcv_noerror_truncates)
{
	int q = MG(c, IPC_PRIVATE, 0600);

	MS(c, q, 1, "0123456789", 10, 0);
	MR(c, q, 4, 0, MSG_NOERROR);
	MC(c, q, IPC_STAT);
	MS(c, q, 1, "abc", 3, 0);
	MR(c, q, 0, 0, MSG_NOERROR);
}

SCENARIO(rcv_zero_type_is_fifo)
{
	int q = MG(c, IPC_PRIVATE, 0600);

	MS(c, q, 3, "first", 5, 0);
	MS(c, q, 1, "second", 6, 0);
	MS(c, q, 2, "third", 5, 0);
	MR(c, q, 100, 0, 0);
	MR(c, q, 100, 0, 0);
	MR(c, q, 100, 0, 0);
}

SCENARIO(rcv_positive_type)
{
	int q = MG(c, IPC_PRIVATE, 0600);

	MS(c, q, 3, "three", 5, 0);
	MS(c, q, 1, "one", 3, 0);
	MS(c, q, 2, "two-a", 5, 0);
	MS(c, q, 2, "two-b", 5, 0);
	MR(c, q, 100, 2, 0);
	MR(c, q, 100, 2, 0);
	MR(c, q, 100, 2, IPC_NOWAIT);
	MR(c, q, 100, 4, IPC_NOWAIT);
	MC(c, q, IPC_STAT);
}

SCENARIO(rcv_negative_type_lowest_first)
{
	int q = MG(c, IPC_PRIVATE, 0600);

	MS(c, q, 5, "five", 4, 0);
	MS(c, q, 3, "three-a", 7, 0);
	MS(c, q, 4, "four", 4, 0);
	MS(c, q, 3, "three-b", 7, 0);
	MS(c, q, 1, "one", 3, 0);
	MR(c, q, 100, -2, IPC_NOWAIT);
	MR(c, q, 100, -4, 0);
	MR(c, q, 100, -4, 0);
	MR(c, q, 100, -4, 0);
	MR(c, q, 100, -4, IPC_NOWAIT);
	MR(c, q, 100, -1, IPC_NOWAIT);
	MR(c, q, 100, -100, 0);
}

SCENARIO(rcv_negative_type_extremes)
{
	int q = MG(c, IPC_PRIVATE, 0600);

	MS(c, q, LONG_MAX, "max", 3, 0);
	MS(c, q, 2, "two", 3, 0);
	MR(c, q, 100, LONG_MIN, 0);
	MR(c, q, 100, LONG_MIN, 0);
	MS(c, q, LONG_MAX, "max", 3, 0);
	MR(c, q, 100, -LONG_MAX, 0);
}

SCENARIO(rcv_except)
{
	int q = MG(c, IPC_PRIVATE, 0600);

	MS(c, q, 1, "one-a", 5, 0);
	MS(c, q, 1, "one-b", 5, 0);
	MS(c, q, 2, "two", 3, 0);
	MS(c, q, 3, "three", 5, 0);
	MR(c, q, 100, 1, MSG_EXCEPT);
	MR(c, q, 100, 1, MSG_EXCEPT);
	MR(c, q, 100, 1, MSG_EXCEPT | IPC_NOWAIT);
	/* with msgtyp 0 or < 0, MSG_EXCEPT changes nothing */
	MR(c, q, 100, 0, MSG_EXCEPT);
	MR(c, q, 100, -5, MSG_EXCEPT);
}

SCENARIO(rcv_copy)
{
	int q = MG(c, IPC_PRIVATE, 0600);

	MS(c, q, 5, "zero", 4, 0);
	MS(c, q, 6, "one", 3, 0);
	MS(c, q, 7, "two", 3, 0);
	MR(c, q, 100, 1, MSG_COPY | IPC_NOWAIT);
	MR(c, q, 100, 0, MSG_COPY | IPC_NOWAIT);
	MR(c, q, 100, 2, MSG_COPY | IPC_NOWAIT);
	MR(c, q, 100, 3, MSG_COPY | IPC_NOWAIT);
	MR(c, q, 100, -1, MSG_COPY | IPC_NOWAIT);
	MC(c, q, IPC_STAT);
}

SCENARIO(rcv_copy_flag_rules)
{
	int q = MG(c, IPC_PRIVATE, 0600);

	MS(c, q, 5, "0123456789", 10, 0);
	MR(c, q, 100, 0, MSG_COPY);
	MR(c, q, 100, 0, MSG_COPY | IPC_NOWAIT | MSG_EXCEPT);
	MR(c, q, 4, 0, MSG_COPY | IPC_NOWAIT);
	MR(c, q, 4, 0, MSG_COPY | IPC_NOWAIT | MSG_NOERROR);
	MR(c, q, 10, 0, MSG_COPY | IPC_NOWAIT | MSG_NOERROR);
	MR(c, q, 20, 0, MSG_COPY | IPC_NOWAIT | MSG_NOERROR);
	MC(c, q, IPC_STAT);
}

SCENARIO(rcv_copy_empty_and_bad_id)
{
	int q = MG(c, IPC_PRIVATE, 0600);

	MR(c, q, 100, 0, MSG_COPY | IPC_NOWAIT);
	MR(c, q + 1, 100, 0, MSG_COPY | IPC_NOWAIT);
	MR(c, -1, 100, 0, MSG_COPY);
}

SCENARIO(rcv_copy_reads_the_buffer)
{
	int q = MG(c, IPC_PRIVATE, 0600);
	char res[64];

	MS(c, q, 5, "abc", 3, 0);
	errno = 0;
	res_long(c->ops->msgrcv(q, NULL, 10, 0, MSG_COPY | IPC_NOWAIT), res);
	tr(c, "msgrcv(NULL, MSG_COPY) = %s", res);
	res_long(c->ops->msgrcv(q, NULL, 10, 0, IPC_NOWAIT | MSG_EXCEPT), res);
	tr(c, "msgrcv(NULL) = %s", res);
	MC(c, q, IPC_STAT);
}

SCENARIO(rcv_bad_arguments)
{
	int q = MG(c, IPC_PRIVATE, 0600);

	MR(c, q, (size_t)-1, 0, IPC_NOWAIT);
	MR(c, -1, 10, 0, IPC_NOWAIT);
	MR(c, q + 1, 10, 0, IPC_NOWAIT);
	MR(c, 99999, 10, 0, IPC_NOWAIT);
}

SCENARIO(rcv_efault_loses_the_message)
{
	int q = MG(c, IPC_PRIVATE, 0600);
	char res[64];

	MS(c, q, 5, "lost", 4, 0);
	errno = 0;
	res_long(c->ops->msgrcv(q, NULL, 10, 0, IPC_NOWAIT), res);
	tr(c, "msgrcv(NULL) = %s", res);
	MC(c, q, IPC_STAT);
}

SCENARIO(rcv_permission_as_user)
{
	int q = MG(c, KEY, IPC_CREAT | 0622);

	MS(c, q, 1, "secret", 6, 0);
	if (user(c)) {
		MR(c, q, 10, 0, IPC_NOWAIT);
		MR(c, q, 10, 0, IPC_NOWAIT | MSG_COPY);
		_exit(0);
	}
	SET(c, q, 0, 0, 0644, MSGMNB);
	if (user(c)) {
		MR(c, q, 10, 0, IPC_NOWAIT);
		_exit(0);
	}
	MC(c, q, IPC_STAT);
}

/* ---- msgctl ---- */

SCENARIO(ctl_stat_fresh)
{
	int q = MG(c, KEY, IPC_CREAT | 0666);

	MC(c, q, IPC_STAT);
}

SCENARIO(ctl_set_owner_and_mode)
{
	int q = MG(c, IPC_PRIVATE, 0600);

	SET(c, q, SIPC_TEST_UID, SIPC_TEST_GID, 07755, MSGMNB);
	MC(c, q, IPC_STAT);
	if (user(c)) {
		SET(c, q, SIPC_TEST_UID, SIPC_TEST_GID, 0600, 100);
		MC(c, q, IPC_STAT);
		_exit(0);
	}
}

SCENARIO(ctl_set_bad_uid_is_einval)
{
	int q = MG(c, IPC_PRIVATE, 0600);

	SET(c, q, (uid_t)-1, 0, 0600, MSGMNB);
	SET(c, q, 0, (gid_t)-1, 0600, MSGMNB);
	MC(c, q, IPC_STAT);
}

SCENARIO(ctl_set_qbytes_as_root)
{
	int q = MG(c, IPC_PRIVATE, 0600);

	SET(c, q, 0, 0, 0600, MSGMNB * 4);
	MC(c, q, IPC_STAT);
	SET(c, q, 0, 0, 0600, 100);
	MC(c, q, IPC_STAT);
}

SCENARIO(ctl_set_qbytes_truncated_to_int)
{
	int q = MG(c, IPC_PRIVATE, 0600);

	SET(c, q, 0, 0, 0600, (1UL << 32) + 100);
	MC(c, q, IPC_STAT);
	SET(c, q, 0, 0, 0600, 0x80000000UL);
	MC(c, q, IPC_STAT);
	SET(c, q, 0, 0, 0600, ~0UL);
	MC(c, q, IPC_STAT);
}

SCENARIO(ctl_set_qbytes_as_user)
{
	if (user(c)) {
		int q = MG(c, IPC_PRIVATE, 0600);

		SET(c, q, SIPC_TEST_UID, SIPC_TEST_GID, 0600, MSGMNB);
		SET(c, q, SIPC_TEST_UID, SIPC_TEST_GID, 0600, MSGMNB + 1);
		SET(c, q, SIPC_TEST_UID, SIPC_TEST_GID, 0600, 10);
		SET(c, q, SIPC_TEST_UID, SIPC_TEST_GID, 0600, 0x80000000UL);
		MC(c, q, IPC_STAT);
		_exit(0);
	}
}

SCENARIO(ctl_set_and_rmid_need_owner)
{
	int q = MG(c, IPC_PRIVATE, 0666);

	if (user(c)) {
		SET(c, q, SIPC_TEST_UID, SIPC_TEST_GID, 0666, MSGMNB);
		MC(c, q, IPC_RMID);
		_exit(0);
	}
	MC(c, q, IPC_STAT);
}

SCENARIO(ctl_creator_keeps_control_after_chown)
{
	int q;

	if (user(c)) {
		q = MG(c, KEY, IPC_CREAT | 0600);
		_exit(0);
	}
	q = MG(c, KEY, 0);
	SET(c, q, 0, 0, 0600, MSGMNB);
	if (user(c)) {
		SET(c, q, 0, 0, 0606, MSGMNB);
		MC(c, q, IPC_STAT);
		MC(c, q, IPC_RMID);
		_exit(0);
	}
}

SCENARIO(ctl_rmid_then_everything_is_einval)
{
	int q = MG(c, IPC_PRIVATE, 0600);

	MS(c, q, 1, "gone", 4, 0);
	MC(c, q, IPC_RMID);
	MC(c, q, IPC_STAT);
	MC(c, q, IPC_RMID);
	MS(c, q, 1, "x", 1, 0);
	MR(c, q, 10, 0, IPC_NOWAIT);
	SET(c, q, 0, 0, 0600, 10);
	MC(c, 0, MSG_STAT);
}

SCENARIO(ctl_info_empty)
{
	MC(c, 0, IPC_INFO);
	MC(c, 0, MSG_INFO);
	MC(c, 12345, IPC_INFO);
}

SCENARIO(ctl_info_counts)
{
	int a = MG(c, IPC_PRIVATE, 0600);
	int b = MG(c, IPC_PRIVATE, 0600);

	MG(c, IPC_PRIVATE, 0600);
	MS(c, a, 1, "x", 100, 0);
	MS(c, a, 1, "y", 200, 0);
	MS(c, b, 1, "z", 0, 0);
	MC(c, 0, MSG_INFO);
	MC(c, 0, IPC_INFO);
	MC(c, b, IPC_RMID);
	MC(c, 0, MSG_INFO);
	MR(c, a, 1000, 0, 0);
	MC(c, 0, MSG_INFO);
}

SCENARIO(ctl_msg_stat_by_index)
{
	int i, q;

	for (i = 0; i < 70; i++)
		c->ops->msgctl(c->ops->msgget(IPC_PRIVATE, 0600), IPC_RMID,
			       NULL);
	q = MG(c, IPC_PRIVATE, 0600);
	MC(c, q, MSG_STAT);
	MC(c, q & 0x7fff, MSG_STAT);
	MC(c, q & 0x7fff, MSG_STAT_ANY);
	MC(c, (q & 0x7fff) + 1, MSG_STAT);
	MC(c, q & 0x7fff, IPC_STAT);
	MC(c, 0, IPC_INFO);
}

SCENARIO(ctl_stat_permissions_as_user)
{
	int q = MG(c, IPC_PRIVATE, 0600);

	if (user(c)) {
		MC(c, q, IPC_STAT);
		MC(c, q, MSG_STAT);
		MC(c, q, MSG_STAT_ANY);
		MC(c, 0, MSG_INFO);
		_exit(0);
	}
}

SCENARIO(ctl_bad_commands)
{
	int q = MG(c, IPC_PRIVATE, 0600);

	MC(c, q, 99);
	MC(c, q, -1);
	MC(c, q, IPC_STAT | 0x100);
	MC(c, q, SHM_LOCK);
	MC(c, -1, IPC_STAT);
	MC(c, -1, IPC_INFO);
	MC(c, -1, MSG_INFO);
	MC(c, -1, IPC_RMID);
}

SCENARIO(ctl_efault)
{
	int q = MG(c, IPC_PRIVATE, 0600);

	MCB(c, q, IPC_STAT, NULL, "NULL");
	MCB(c, q, MSG_STAT, NULL, "NULL");
	MCB(c, q, IPC_SET, NULL, "NULL");
	MCB(c, q, IPC_INFO, NULL, "NULL");
	MCB(c, q, MSG_INFO, NULL, "NULL");
	MCB(c, q + 1, IPC_STAT, NULL, "NULL");
	MCB(c, q + 1, IPC_SET, NULL, "NULL");
	MCB(c, q, IPC_RMID, NULL, "NULL");
}

SCENARIO(ctl_set_ignores_other_fields)
{
	int q = MG(c, IPC_PRIVATE, 0600);
	struct msqid_ds ds;

	memset(&ds, 0x7f, sizeof(ds));
	ds.msg_perm.uid = 0;
	ds.msg_perm.gid = 0;
	ds.msg_qbytes = 1000;
	tr(c, "set = %d", c->ops->msgctl(q, IPC_SET, &ds));
	MC(c, q, IPC_STAT);
}

/* ---- sleepers ---- */

SCENARIO(blk_receiver_woken_by_send)
{
	int q = MG(c, IPC_PRIVATE, 0600);
	pid_t p = SLEEPER(c, MR(c, q, 100, 0, 0));

	MS(c, q, 9, "wake", 4, 0);
	reap(c, p);
	MC(c, q, IPC_STAT);
}

SCENARIO(blk_receivers_woken_by_type)
{
	int q = MG(c, IPC_PRIVATE, 0600);
	pid_t p1, p2;

	p1 = SLEEPER(c, MR(c, q, 100, 1, 0));
	p2 = SLEEPER(c, MR(c, q, 100, 2, 0));
	MS(c, q, 3, "three", 5, 0);
	MS(c, q, 2, "two", 3, 0);
	reap(c, p2);
	MS(c, q, 1, "one", 3, 0);
	reap(c, p1);
	MC(c, q, IPC_STAT);
}

SCENARIO(blk_receivers_fifo_for_same_type)
{
	int q = MG(c, IPC_PRIVATE, 0600);
	pid_t p1, p2;

	p1 = SLEEPER(c, MR(c, q, 100, -5, 0));
	p2 = SLEEPER(c, MR(c, q, 100, 0, 0));
	MS(c, q, 4, "first", 5, 0);
	reap(c, p1);
	MS(c, q, 9, "second", 6, 0);
	reap(c, p2);
}

SCENARIO(blk_receiver_except)
{
	int q = MG(c, IPC_PRIVATE, 0600);
	pid_t p = SLEEPER(c, MR(c, q, 100, 4, MSG_EXCEPT));

	MS(c, q, 4, "skip", 4, 0);
	MS(c, q, 5, "take", 4, 0);
	reap(c, p);
	MC(c, q, IPC_STAT);
}

SCENARIO(blk_receiver_too_small_gets_e2big)
{
	int q = MG(c, IPC_PRIVATE, 0600);
	pid_t p = SLEEPER(c, MR(c, q, 3, 0, 0));

	MS(c, q, 1, "too long", 8, 0);
	reap(c, p);
	MC(c, q, IPC_STAT);
}

SCENARIO(blk_receiver_noerror_takes_long_message)
{
	int q = MG(c, IPC_PRIVATE, 0600);
	pid_t p = SLEEPER(c, MR(c, q, 3, 0, MSG_NOERROR));

	MS(c, q, 1, "too long", 8, 0);
	reap(c, p);
	MC(c, q, IPC_STAT);
}

SCENARIO(blk_sender_woken_by_receive)
{
	int q = MG(c, IPC_PRIVATE, 0600);
	pid_t p;

	MS(c, q, 1, "a", MSGMAX, 0);
	MS(c, q, 2, "b", MSGMAX, 0);
	p = SLEEPER(c, MS(c, q, 3, "c", 100, 0));
	MC(c, q, IPC_STAT);
	MR(c, q, MSGMAX, 0, 0);
	reap(c, p);
	MC(c, q, IPC_STAT);
}

/*
 * Room for the small sender only, then for the big one: each receive
 * wakes exactly the sender that fits, so the last sender (msg_lspid) is
 * the same on both sides whatever the scheduler does.
 */
SCENARIO(blk_senders_woken_when_they_fit)
{
	int q = MG(c, IPC_PRIVATE, 0600);
	pid_t p1, p2;

	MS(c, q, 1, "a", MSGMAX, 0);
	MS(c, q, 2, "b", MSGMAX - 300, 0);
	MS(c, q, 5, "c", 200, 0);
	p1 = SLEEPER(c, MS(c, q, 3, "big", 5000, 0));
	p2 = SLEEPER(c, MS(c, q, 4, "small", 250, 0));
	MR(c, q, 100, 5, MSG_NOERROR);
	reap(c, p2);
	MC(c, q, IPC_STAT);
	MR(c, q, 100, 1, MSG_NOERROR);
	reap(c, p1);
	MC(c, q, IPC_STAT);
}

SCENARIO(blk_sender_woken_by_larger_qbytes)
{
	int q = MG(c, IPC_PRIVATE, 0600);
	pid_t p;

	SET(c, q, 0, 0, 0600, 10);
	MS(c, q, 1, "0123456789", 10, 0);
	p = SLEEPER(c, MS(c, q, 2, "more", 4, 0));
	SET(c, q, 0, 0, 0600, 100);
	reap(c, p);
	MC(c, q, IPC_STAT);
}

SCENARIO(blk_rmid_wakes_everyone_with_eidrm)
{
	int q = MG(c, IPC_PRIVATE, 0600);
	int f = MG(c, IPC_PRIVATE, 0600);
	pid_t r, s;

	MS(c, f, 1, "full", MSGMNB, 0);
	MS(c, f, 1, "full", MSGMAX, 0);
	MS(c, f, 1, "full", MSGMAX, 0);
	r = SLEEPER(c, MR(c, q, 100, 0, 0));
	s = SLEEPER(c, MS(c, f, 1, "blocked", 7, 0));
	MC(c, q, IPC_RMID);
	reap(c, r);
	MC(c, f, IPC_RMID);
	reap(c, s);
}

SCENARIO(blk_ipc_set_rechecks_receiver_permission)
{
	int q = MG(c, IPC_PRIVATE, 0666);
	pid_t p = spawn(c);

	if (!p) {
		if (sipc_drop_privs(SIPC_TEST_UID, SIPC_TEST_GID))
			_exit(100);
		MR(c, q, 100, 0, 0);
		_exit(0);
	}
	wait_asleep(p);
	SET(c, q, 0, 0, 0600, MSGMNB);
	reap(c, p);
}

SCENARIO(blk_ipc_set_receiver_keeps_waiting)
{
	int q = MG(c, IPC_PRIVATE, 0666);
	pid_t p = SLEEPER(c, MR(c, q, 100, 0, 0));

	SET(c, q, 0, 0, 0644, MSGMNB);
	wait_asleep(p);
	MS(c, q, 1, "late", 4, 0);
	reap(c, p);
}

SCENARIO(blk_signal_interrupts_receiver)
{
	int q = MG(c, IPC_PRIVATE, 0600);
	pid_t p = spawn(c);

	if (!p) {
		catch_usr1();
		MR(c, q, 100, 0, 0);
		_exit(0);
	}
	wait_asleep(p);
	kill(p, SIGUSR1);
	reap(c, p);
	MC(c, q, IPC_STAT);
}

SCENARIO(blk_signal_interrupts_sender)
{
	int q = MG(c, IPC_PRIVATE, 0600);
	pid_t p;

	SET(c, q, 0, 0, 0600, 0);
	p = spawn(c);
	if (!p) {
		catch_usr1();
		MS(c, q, 1, "never", 5, 0);
		_exit(0);
	}
	wait_asleep(p);
	kill(p, SIGUSR1);
	reap(c, p);
	MC(c, q, IPC_STAT);
}

SCENARIO(blk_stop_and_continue_restarts_receiver)
{
	int q = MG(c, IPC_PRIVATE, 0600);
	pid_t p = SLEEPER(c, MR(c, q, 100, 0, 0));

	kill(p, SIGSTOP);
	waitpid(p, NULL, WUNTRACED);
	kill(p, SIGCONT);
	wait_asleep(p);
	MS(c, q, 1, "after", 5, 0);
	reap(c, p);
}

SCENARIO(blk_kill_sleeper)
{
	int q = MG(c, IPC_PRIVATE, 0600);
	pid_t p = SLEEPER(c, MR(c, q, 100, 0, 0));

	kill(p, SIGKILL);
	reap(c, p);
	MS(c, q, 1, "kept", 4, 0);
	MC(c, q, IPC_STAT);
}

/* ---- limits: kernel.msgmax, msgmnb, msgmni, msg_next_id ---- */

SCENARIO(limit_msgmax_is_einval_above)
{
	int q = MG(c, IPC_PRIVATE, 0600);

	show_limit(c, "msgmax");
	set_limit(c, "msgmax", "100");
	MS(c, q, 1, "abc", 100, IPC_NOWAIT);
	MS(c, q, 1, "abc", 101, IPC_NOWAIT);
	MS(c, q, 1, "abc", 101, 0);
	MS(c, q, 0, "abc", 101, IPC_NOWAIT);
	MR(c, q, 200, 0, IPC_NOWAIT);
	MC(c, 0, IPC_INFO);
	MC(c, 0, MSG_INFO);
	set_limit(c, "msgmax", "0");
	MS(c, q, 1, "", 0, IPC_NOWAIT);
	MS(c, q, 1, "a", 1, IPC_NOWAIT);
	set_limit(c, "msgmax", "-1");
	/* above the old default, within the queue's bytes */
	set_limit(c, "msgmax", "9000");
	MS(c, q, 2, "big", MSGMAX + 8, IPC_NOWAIT);
	MR(c, q, TEXT_MAX, 2, IPC_NOWAIT);
	MC(c, 0, IPC_INFO);
}

SCENARIO(limit_msgmnb_blocks_when_full)
{
	int q, q2;
	pid_t p;

	show_limit(c, "msgmnb");
	set_limit(c, "msgmnb", "300");
	q = MG(c, IPC_PRIVATE, 0600);
	MC(c, q, IPC_STAT);
	MS(c, q, 1, "a", 200, IPC_NOWAIT);
	MS(c, q, 1, "b", 101, IPC_NOWAIT);
	MS(c, q, 1, "c", 100, IPC_NOWAIT);
	MS(c, q, 1, "", 0, IPC_NOWAIT);
	MS(c, q, 1, "d", 1, IPC_NOWAIT);
	/* a sender sleeps until a receive makes room */
	p = SLEEPER(c, MS(c, q, 2, "e", 50, 0));
	MC(c, q, IPC_STAT);
	MR(c, q, 300, 0, IPC_NOWAIT);
	reap(c, p);
	MC(c, q, IPC_STAT);
	/* the limit is read at creation: new queues only */
	set_limit(c, "msgmnb", "1000");
	MC(c, q, IPC_STAT);
	q2 = MG(c, IPC_PRIVATE, 0600);
	MC(c, q2, IPC_STAT);
	SET(c, q2, 0, 0, 0600, 2000);
	MC(c, q2, IPC_STAT);
	if (user(c)) {
		int q3 = MG(c, IPC_PRIVATE, 0600);

		SET(c, q3, SIPC_TEST_UID, SIPC_TEST_GID, 0600, 1001);
		SET(c, q3, SIPC_TEST_UID, SIPC_TEST_GID, 0600, 999);
		MC(c, q3, IPC_STAT);
		_exit(0);
	}
	MC(c, 0, IPC_INFO);
	set_limit(c, "msgmnb", "-5");
}

SCENARIO(limit_msgmni_is_enospc)
{
	int a;

	set_limit(c, "msgmni", "2");
	a = MG(c, IPC_PRIVATE, 0600);
	MG(c, KEY, IPC_CREAT | 0600);
	MG(c, IPC_PRIVATE, 0600);
	MG(c, KEY + 1, IPC_CREAT | 0600);
	MG(c, KEY, IPC_CREAT | 0600);
	MC(c, 0, IPC_INFO);
	MC(c, 0, MSG_INFO);
	MC(c, a, IPC_RMID);
	MG(c, IPC_PRIVATE, 0600);
	set_limit(c, "msgmni", "0");
	MG(c, IPC_PRIVATE, 0600);
	set_limit(c, "msgmni", "32769");
	set_limit(c, "msgmni", "32768");
	MC(c, 0, IPC_INFO);
}

SCENARIO(limit_msg_next_id)
{
	int q;

	show_limit(c, "msg_next_id");
	set_limit(c, "msg_next_id", "7");
	q = MG(c, IPC_PRIVATE, 0600);
	show_limit(c, "msg_next_id");
	MG(c, IPC_PRIVATE, 0600);
	MC(c, q & 0x7fff, MSG_STAT);
	/* sequence 2, index 7 (in use) */
	set_limit(c, "msg_next_id", "65543");
	MG(c, KEY, IPC_CREAT | 0600);
	show_limit(c, "msg_next_id");
	MC(c, q, IPC_RMID);
	set_limit(c, "msg_next_id", "65543");
	MG(c, IPC_PRIVATE, 0600);
	set_limit(c, "msg_next_id", "-1");
	MG(c, IPC_PRIVATE, 0600);
	show_limit(c, "msg_next_id");
}

TEST_HARNESS_MAIN
