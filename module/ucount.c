// SPDX-License-Identifier: GPL-2.0
/*
 * Per-user budgets, charged up the user-namespace chain as Linux's
 * kernel/ucount.c charges ucounts: a charge to (user namespace, uid) is
 * also a charge to that user namespace's owner in its parent, and so on
 * up to the initial user namespace, each level within its own limit. A
 * user with a range of subordinate uids therefore has one budget for all
 * of them, not one per uid.
 *
 * What is counted: live shadow namespaces per creator euid
 * (max_namespaces, as Linux's UCOUNT_IPC_NAMESPACES), the bytes of POSIX
 * message queues per real uid (RLIMIT_MSGQUEUE) and the pages of
 * SHM_LOCK'ed segments per real uid (RLIMIT_MEMLOCK). Above the first
 * level an rlimit is bounded, as in Linux, by what the creator of each
 * user namespace had when it made it. These are shadowipc's own accounts:
 * the kernel's ucounts are not reachable from a module, so a user's real
 * and shadow objects each get the whole limit.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/hashtable.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/user_namespace.h>

#include "internal.h"

/* The initial user namespace and 32 nested ones (MAX_USER_NS_LEVEL). */
#define SIPC_UCOUNT_DEPTH	33

/**
 * struct sipc_ucounts - what one uid of one user namespace has charged
 * @node: in sipc_ucounts_table
 * @ns: the user namespace (referenced)
 * @uid: the uid, as a kuid
 * @count: what is charged, per type, to this uid and to the uids of the
 *	user namespaces it owns; the entry goes when all are zero
 */
struct sipc_ucounts {
	struct hlist_node node;
	struct user_namespace *ns;
	kuid_t uid;
	unsigned long count[SIPC_UCOUNT_TYPES];
};

static DEFINE_SPINLOCK(sipc_ucounts_lock);	/* protects the table */
static DEFINE_HASHTABLE(sipc_ucounts_table, 6);

static unsigned long ucounts_key(struct user_namespace *ns, kuid_t uid)
{
	return (unsigned long)ns ^ __kuid_val(uid);
}

static struct sipc_ucounts *ucounts_find(struct user_namespace *ns,
					 kuid_t uid)
{
	struct sipc_ucounts *uc;

	lockdep_assert_held(&sipc_ucounts_lock);
	hash_for_each_possible(sipc_ucounts_table, uc, node,
			       ucounts_key(ns, uid))
		if (uc->ns == ns && uid_eq(uc->uid, uid))
			return uc;
	return NULL;
}

static bool ucounts_unused(struct sipc_ucounts *uc)
{
	int t;

	for (t = 0; t < SIPC_UCOUNT_TYPES; t++)
		if (uc->count[t])
			return false;
	return true;
}

/* Unhash the entries of @chain nothing is charged to; free them later. */
static void ucounts_prune(struct sipc_ucounts **chain, int depth,
			  struct hlist_head *dead)
{
	int i;

	for (i = 0; i < depth; i++) {
		if (!ucounts_unused(chain[i]))
			continue;
		hash_del(&chain[i]->node);
		hlist_add_head(&chain[i]->node, dead);
	}
}

static void ucounts_free(struct hlist_head *dead)
{
	struct sipc_ucounts *uc;
	struct hlist_node *tmp;

	hlist_for_each_entry_safe(uc, tmp, dead, node) {
		put_user_ns(uc->ns);
		kfree(uc);
	}
}

/* The limit of a level above the first, whose user namespace is @child's. */
static unsigned long ucounts_level_max(struct user_namespace *child,
				       enum sipc_ucount_type type)
{
	switch (type) {
	case SIPC_UCOUNT_NAMESPACES:
		return READ_ONCE(sipc_max_namespaces);
	case SIPC_UCOUNT_MQ_BYTES:
		return get_userns_rlimit_max(child, UCOUNT_RLIMIT_MSGQUEUE);
	case SIPC_UCOUNT_MEMLOCK:
		return get_userns_rlimit_max(child, UCOUNT_RLIMIT_MEMLOCK);
	default:
		return 0;
	}
}

/*
 * The entries of (@ns, @uid) and of every level above it, into @chain,
 * made as needed from *@spare. Return: the depth, negated when an entry
 * was missing and *@spare used up: the caller unlocks, allocates another
 * and retries.
 */
static int ucounts_chain(struct user_namespace *ns, kuid_t uid,
			 struct sipc_ucounts **chain,
			 struct sipc_ucounts **spare)
{
	struct sipc_ucounts *uc;
	int depth = 0;

	for (; ns && depth < SIPC_UCOUNT_DEPTH; uid = ns->owner, ns = ns->parent) {
		uc = ucounts_find(ns, uid);
		if (!uc) {
			uc = *spare;
			if (!uc)
				return -depth;
			*spare = NULL;
			uc->ns = get_user_ns(ns);
			uc->uid = uid;
			hash_add(sipc_ucounts_table, &uc->node,
				 ucounts_key(ns, uid));
		}
		chain[depth++] = uc;
	}
	return depth;
}

/**
 * sipc_ucount_charge() - charge @amount of @type to (@ns, @uid) and above
 * @ns: the user namespace of @uid
 * @uid: the uid charged
 * @type: what is charged
 * @amount: how much
 * @budget: in: the limit at the first level (an rlimit, max_namespaces);
 *	out, when a level refuses: that level's limit and what it has charged
 * @force: charge even over the limits (CAP_IPC_LOCK's SHM_LOCK)
 * @gfp: for a new entry (GFP_NOWAIT under a spinlock)
 *
 * Context: any context @gfp allows; takes sipc_ucounts_lock (a leaf).
 * Return: the first level's entry, to give to sipc_ucount_uncharge(); NULL
 * when a level would go over its limit (nothing is charged then); or
 * ERR_PTR(-ENOMEM).
 */
struct sipc_ucounts *sipc_ucount_charge(struct user_namespace *ns, kuid_t uid,
					enum sipc_ucount_type type,
					unsigned long amount,
					struct sipc_budget *budget, bool force,
					gfp_t gfp)
{
	struct sipc_ucounts *chain[SIPC_UCOUNT_DEPTH], *spare = NULL;
	unsigned long new, limit = budget->limit;
	HLIST_HEAD(dead);
	int depth, i;

	for (;;) {
		spin_lock(&sipc_ucounts_lock);
		depth = ucounts_chain(ns, uid, chain, &spare);
		if (depth > 0)
			break;
		spin_unlock(&sipc_ucounts_lock);
		spare = kzalloc(sizeof(*spare), gfp | __GFP_ACCOUNT);
		if (!spare) {
			/* the levels made for this charge go again */
			spin_lock(&sipc_ucounts_lock);
			depth = abs(ucounts_chain(ns, uid, chain, &spare));
			ucounts_prune(chain, depth, &dead);
			spin_unlock(&sipc_ucounts_lock);
			ucounts_free(&dead);
			return ERR_PTR(-ENOMEM);
		}
	}
	/* another task may have made the entry this one was for */
	kfree(spare);
	for (i = 0; i < depth && !force; i++) {
		new = chain[i]->count[type] + amount;
		if (i)
			limit = ucounts_level_max(chain[i - 1]->ns, type);
		if (new < amount || new > limit)
			break;
	}
	if (i < depth && !force) {
		budget->limit = limit;
		budget->used = chain[i]->count[type];
		ucounts_prune(chain, depth, &dead);
		spin_unlock(&sipc_ucounts_lock);
		ucounts_free(&dead);
		return NULL;
	}
	for (i = 0; i < depth; i++)
		chain[i]->count[type] += amount;
	spin_unlock(&sipc_ucounts_lock);
	return chain[0];
}

/**
 * sipc_ucount_uncharge() - give back what sipc_ucount_charge() charged
 * @uc: what it returned
 * @type: the type charged
 * @amount: the amount charged
 *
 * Context: any context; takes sipc_ucounts_lock (a leaf).
 */
void sipc_ucount_uncharge(struct sipc_ucounts *uc, enum sipc_ucount_type type,
			  unsigned long amount)
{
	struct sipc_ucounts *chain[SIPC_UCOUNT_DEPTH], *none = NULL;
	HLIST_HEAD(dead);
	int depth, i;

	spin_lock(&sipc_ucounts_lock);
	/* every level exists: each holds at least what @uc holds */
	depth = ucounts_chain(uc->ns, uc->uid, chain, &none);
	for (i = 0; i < depth; i++) {
		if (!WARN_ON_ONCE(chain[i]->count[type] < amount))
			chain[i]->count[type] -= amount;
	}
	ucounts_prune(chain, depth, &dead);
	spin_unlock(&sipc_ucounts_lock);
	ucounts_free(&dead);
}
