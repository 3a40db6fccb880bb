// SPDX-License-Identifier: GPL-2.0
/*
 * Awaiting and reclaiming a namespace: a handle polls POLLIN once the
 * namespace's last member task is gone, a watch handle POLLHUP once the
 * namespace is destroyed (without pinning it), and NS_DRAIN removes
 * exactly what NS_INFO counted in a namespace no task is in.
 */
#include <mqueue.h>
#include <poll.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/ipc.h>
#include <sys/msg.h>
#include <sys/sem.h>
#include <sys/shm.h>

#include "kselftest_harness.h"
#include "sipc_test.h"

#define KEY	0x7ec1

FIXTURE(reclaim) {
	struct shadowipc_status before;
	int to_child[2], to_parent[2];
	pid_t child;
	uint64_t ns;
};

FIXTURE_SETUP(reclaim)
{
	if (!sipc_dev_present())
		SKIP(return, "%s: %s (module not loaded)", SHADOWIPC_DEVICE,
		     strerror(errno));
	self->before = sipc_status();
	self->child = -1;
}

FIXTURE_TEARDOWN(reclaim)
{
	if (self->child > 0) {
		close(self->to_child[1]);
		sipc_wait(self->child);
	}
	sipc_expect_settled(_metadata, &self->before);
}

/* What a member does in its new namespace before it is told to go. */
enum member_work { MEMBER_IDLE, MEMBER_FILLS };

static int member_fill(void)
{
	struct { long mtype; char mtext[100]; } m = { .mtype = 1 };
	struct mq_attr attr = { .mq_maxmsg = 4, .mq_msgsize = 64 };
	mqd_t q;
	int id;

	if (shadowipc_shmget(KEY, 8192, IPC_CREAT | 0600) < 0 ||
	    shadowipc_shmget(IPC_PRIVATE, 4096, 0600) < 0)
		return -1;
	id = shadowipc_msgget(KEY, IPC_CREAT | 0600);
	if (id < 0 || shadowipc_msgsnd(id, &m, sizeof(m.mtext), 0))
		return -1;
	if (shadowipc_semget(KEY, 3, IPC_CREAT | 0600) < 0)
		return -1;
	q = shadowipc_mq_open("/reclaim", O_CREAT | O_WRONLY, 0600, &attr);
	if (q == (mqd_t)-1 || shadowipc_mq_send(q, "hello", 5, 0))
		return -1;
	return shadowipc_mq_close(q);
}

/*
 * Start a child that unshares into a new namespace (self->ns), does
 * @work and then waits to be told to exit.
 */
static void start_member(struct __test_metadata *_metadata,
			 FIXTURE_DATA(reclaim) *self, enum member_work work)
{
	char c = 0;

	ASSERT_EQ(0, pipe(self->to_child));
	ASSERT_EQ(0, pipe(self->to_parent));
	self->child = fork();
	ASSERT_LE(0, self->child);
	if (!self->child) {
		if (shadowipc_unshare(&self->ns))
			_exit(1);
		if (work == MEMBER_FILLS && member_fill())
			_exit(2);
		if (write(self->to_parent[1], &self->ns, sizeof(self->ns)) !=
		    sizeof(self->ns))
			_exit(4);
		close(self->to_child[1]);
		_exit(read(self->to_child[0], &c, 1) ? 5 : 0);
	}
	close(self->to_child[0]);
	close(self->to_parent[1]);
	ASSERT_EQ(sizeof(self->ns),
		  read(self->to_parent[0], &self->ns, sizeof(self->ns)));
	close(self->to_parent[0]);
}

static int stop_member(FIXTURE_DATA(reclaim) *self)
{
	int status;

	close(self->to_child[1]);
	status = sipc_wait(self->child);
	self->child = -1;
	return status;
}

static int poll_events(int fd, short events, int timeout_ms)
{
	struct pollfd p = { .fd = fd, .events = events };

	return poll(&p, 1, timeout_ms) == 1 ? p.revents : 0;
}

TEST_F(reclaim, handle_polls_in_once_last_member_exits)
{
	struct epoll_event ev = { .events = EPOLLIN | EPOLLET };
	uint64_t id;
	int h, ep;

	start_member(_metadata, self, MEMBER_IDLE);
	h = shadowipc_ns_fd(self->child, &id);
	ASSERT_LE(0, h);
	EXPECT_EQ(self->ns, id);
	ep = epoll_create1(EPOLL_CLOEXEC);
	ASSERT_LE(0, ep);
	ASSERT_EQ(0, epoll_ctl(ep, EPOLL_CTL_ADD, h, &ev));
	/* a member: not readable */
	EXPECT_EQ(0, epoll_wait(ep, &ev, 1, 0));
	EXPECT_EQ(0, poll_events(h, POLLIN, 0));
	EXPECT_EQ(0, stop_member(self));
	/* one edge when the last member goes, and no second one */
	EXPECT_EQ(1, epoll_wait(ep, &ev, 1, 5000));
	EXPECT_TRUE(ev.events & EPOLLIN);
	EXPECT_EQ(0, epoll_wait(ep, &ev, 1, 100));
	EXPECT_EQ(POLLIN, poll_events(h, POLLIN, 0));
	close(ep);
	close(h);
}

TEST_F(reclaim, joining_an_idle_namespace_makes_it_busy_again)
{
	int h;

	start_member(_metadata, self, MEMBER_IDLE);
	h = shadowipc_ns_fd(self->child, NULL);
	ASSERT_LE(0, h);
	EXPECT_EQ(0, stop_member(self));
	EXPECT_EQ(POLLIN, poll_events(h, POLLIN, 5000));
	self->child = fork();
	ASSERT_LE(0, self->child);
	if (!self->child)
		_exit(shadowipc_setns(h) || pause());
	/* the joiner is a member until it exits */
	while (poll_events(h, POLLIN, 0) == POLLIN)
		usleep(1000);
	kill(self->child, SIGKILL);
	EXPECT_EQ(128 + SIGKILL, sipc_wait(self->child));
	self->child = -1;
	EXPECT_EQ(POLLIN, poll_events(h, POLLIN, 5000));
	close(h);
}

TEST_F(reclaim, watch_polls_hup_once_namespace_is_gone)
{
	struct shadowipc_ns_info info;
	uint64_t id;
	int w;

	start_member(_metadata, self, MEMBER_IDLE);
	w = shadowipc_ns_watch(self->child, &id);
	ASSERT_LE(0, w);
	EXPECT_EQ(self->ns, id);
	EXPECT_EQ(FD_CLOEXEC, fcntl(w, F_GETFD));
	EXPECT_EQ(0, poll_events(w, POLLIN, 0));
	/* no handle: to setns, NS_INFO, or an ioctl of its own */
	EXPECT_EQ(-1, shadowipc_setns(w));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, shadowipc_ns_info(w, &info));
	EXPECT_EQ(EINVAL, errno);
	EXPECT_EQ(-1, ioctl(w, SHADOWIPC_IOC_NS_INFO, &info));
	EXPECT_EQ(ENOTTY, errno);
	/* it does not pin: the namespace goes with its last member */
	EXPECT_EQ(0, stop_member(self));
	EXPECT_EQ(POLLHUP, poll_events(w, POLLIN, 5000) & POLLHUP);
	EXPECT_EQ(self->before.namespaces, sipc_status().namespaces);
	close(w);
}

TEST_F(reclaim, watch_outlives_a_handle_that_pinned_it)
{
	int h, w;

	start_member(_metadata, self, MEMBER_IDLE);
	h = shadowipc_ns_fd(self->child, NULL);
	w = shadowipc_ns_watch(self->child, NULL);
	ASSERT_LE(0, h);
	ASSERT_LE(0, w);
	EXPECT_EQ(0, stop_member(self));
	/* the handle keeps it: idle, not gone */
	EXPECT_EQ(POLLIN, poll_events(h, POLLIN, 5000));
	EXPECT_EQ(0, poll_events(w, POLLIN, 100));
	close(h);
	EXPECT_EQ(POLLHUP, poll_events(w, POLLIN, 5000) & POLLHUP);
	close(w);
}

TEST_F(reclaim, drain_removes_what_ns_info_counted)
{
	struct shadowipc_ns_info before, after;
	struct shadowipc_ns_drain d;
	int h, k;

	start_member(_metadata, self, MEMBER_FILLS);
	h = shadowipc_ns_fd(self->child, NULL);
	ASSERT_LE(0, h);
	EXPECT_EQ(0, stop_member(self));
	ASSERT_EQ(0, shadowipc_ns_info(h, &before));
	EXPECT_EQ(2, before.objects[SHADOWIPC_KIND_SHM]);
	EXPECT_EQ(1, before.objects[SHADOWIPC_KIND_MSG]);
	EXPECT_EQ(1, before.objects[SHADOWIPC_KIND_SEM]);
	EXPECT_EQ(1, before.objects[SHADOWIPC_KIND_MQ]);
	ASSERT_EQ(0, shadowipc_ns_drain(h, &d));
	ASSERT_EQ(0, shadowipc_ns_info(h, &after));
	for (k = 0; k < SHADOWIPC_NR_KINDS; k++) {
		EXPECT_EQ(before.objects[k], d.objects[k]);
		EXPECT_EQ(before.bytes[k], d.bytes[k]);
		EXPECT_EQ(0, after.objects[k]);
		EXPECT_EQ(0, after.bytes[k]);
	}
	EXPECT_EQ(12288, d.bytes[SHADOWIPC_KIND_SHM]);
	EXPECT_EQ(100, d.bytes[SHADOWIPC_KIND_MSG]);
	EXPECT_EQ(5, d.bytes[SHADOWIPC_KIND_MQ]);
	EXPECT_EQ(self->before.segments, sipc_status().segments);
	/* a second drain finds nothing */
	ASSERT_EQ(0, shadowipc_ns_drain(h, &d));
	for (k = 0; k < SHADOWIPC_NR_KINDS; k++)
		EXPECT_EQ(0, d.objects[k]);
	close(h);
}

/*
 * In a child: a segment attached, then the namespace left with the attach
 * kept (it pins the namespace, which has no member then). The drain marks
 * the segment for its last detach; it counts as removed only then.
 */
static int attached_segment_drained(void)
{
	struct shadowipc_ns_info info;
	struct shadowipc_ns_drain d;
	int root, h;
	void *p;

	root = shadowipc_ns_fd(0, NULL);
	if (root < 0 || shadowipc_unshare(NULL))
		return 1;
	h = shadowipc_ns_fd(0, NULL);
	p = shadowipc_shmat(shadowipc_shmget(KEY, 4096, IPC_CREAT | 0600),
			    NULL, 0);
	if (h < 0 || p == (void *)-1 || shadowipc_setns(root))
		return 2;
	if (shadowipc_ns_drain(h, &d) || d.objects[SHADOWIPC_KIND_SHM])
		return 3;
	if (shadowipc_ns_info(h, &info) || info.objects[SHADOWIPC_KIND_SHM] != 1)
		return 4;
	/* private now: a get of its key finds nothing */
	if (shadowipc_setns(h) || shadowipc_shmget(KEY, 0, 0) != -1 ||
	    errno != ENOENT || shadowipc_setns(root))
		return 5;
	if (shadowipc_shmdt(p))
		return 6;
	if (shadowipc_ns_info(h, &info) || info.objects[SHADOWIPC_KIND_SHM])
		return 7;
	return 0;
}

TEST_F(reclaim, drain_leaves_an_attached_segment_to_its_last_detach)
{
	pid_t pid = fork();

	ASSERT_LE(0, pid);
	if (!pid)
		_exit(attached_segment_drained());
	EXPECT_EQ(0, sipc_wait(pid));
}

TEST_F(reclaim, drain_refused_to_members_and_strangers)
{
	struct shadowipc_ns_drain d;
	pid_t pid;
	int h;

	start_member(_metadata, self, MEMBER_FILLS);
	h = shadowipc_ns_fd(self->child, NULL);
	ASSERT_LE(0, h);
	EXPECT_EQ(-1, shadowipc_ns_drain(h, &d));
	EXPECT_EQ(EBUSY, errno);
	EXPECT_EQ(0, stop_member(self));
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		if (geteuid() == 0 &&
		    sipc_drop_privs(SIPC_TEST_UID, SIPC_TEST_GID))
			_exit(1);
		if (shadowipc_ns_drain(h, &d) != -1 || errno != EPERM)
			_exit(2);
		_exit(0);
	}
	EXPECT_EQ(0, sipc_wait(pid));
	d.flags = 1;
	EXPECT_EQ(-1, ioctl(h, SHADOWIPC_IOC_NS_DRAIN, &d));
	EXPECT_EQ(EINVAL, errno);
	ASSERT_EQ(0, shadowipc_ns_drain(h, &d));
	EXPECT_EQ(2, d.objects[SHADOWIPC_KIND_SHM]);
	close(h);
}

TEST_HARNESS_MAIN
