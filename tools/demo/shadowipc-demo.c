// SPDX-License-Identifier: GPL-2.0
/*
 * shadowipc-demo: two processes, each in its own shadow namespace, create
 * a segment with the same key and write different text into it; a third
 * joins the first namespace through a handle and reads what is there.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "shadowipc.h"

#define KEY 0x5eed

static int die(const char *what)
{
	fprintf(stderr, "shadowipc-demo: %s: %s\n", what, strerror(errno));
	return 1;
}

/* In a new namespace: create KEY, write @text, report, then wait. */
static int writer(const char *name, const char *text, int ready, int go)
{
	uint64_t ns;
	char *p, c;
	int id;

	if (shadowipc_unshare(&ns))
		return die("unshare");
	id = shadowipc_shmget(KEY, 4096, IPC_CREAT | 0600);
	if (id < 0)
		return die("shmget");
	p = shadowipc_shmat(id, NULL, 0);
	if (p == (void *)-1)
		return die("shmat");
	snprintf(p, 4096, "%s", text);
	printf("%s: namespace %llu, key 0x%x -> shmid %d, wrote \"%s\"\n",
	       name, (unsigned long long)ns, KEY, id, p);
	fflush(stdout);
	if (write(ready, &ns, sizeof(ns)) != sizeof(ns) || read(go, &c, 1) < 0)
		return die("pipe");
	shadowipc_shmdt(p);
	return 0;
}

int main(void)
{
	int ready[2], go[2], i, hfd, id;
	pid_t kids[2];
	uint64_t ns;
	char *p;

	if (shadowipc_version() < 0)
		return die(SHADOWIPC_DEVICE);
	if (pipe(ready) || pipe(go))
		return die("pipe");
	for (i = 0; i < 2; i++) {
		kids[i] = fork();
		if (!kids[i]) {
			/* only the parent may hold the end that releases us */
			close(go[1]);
			return writer(i ? "B" : "A",
				      i ? "bonjour from namespace B" :
					  "hello from namespace A",
				      ready[1], go[0]);
		}
		if (read(ready[0], &ns, sizeof(ns)) != sizeof(ns))
			return die("child");
	}
	/* join A's namespace through a handle on A */
	hfd = shadowipc_ns_fd(kids[0], &ns);
	if (hfd < 0 || shadowipc_setns(hfd))
		return die("setns");
	id = shadowipc_shmget(KEY, 0, 0);
	p = shadowipc_shmat(id, NULL, SHM_RDONLY);
	if (id < 0 || p == (void *)-1)
		return die("attach in A's namespace");
	printf("C: joined namespace %llu, key 0x%x -> shmid %d, reads \"%s\"\n",
	       (unsigned long long)ns, KEY, id, p);
	close(go[1]);
	for (i = 0; i < 2; i++)
		waitpid(kids[i], NULL, 0);
	return 0;
}
