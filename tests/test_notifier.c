/* SPDX-License-Identifier: MIT */
/*
 * linux/notifier.h against kernel/notifier.c's semantics, for the three
 * kinds of chain ukmem offers (blocking, raw, atomic): callbacks run in
 * priority order, higher first, equal priorities in registration order;
 * a NOTIFY_STOP_MASK answer ends the call and is returned; an empty chain
 * answers NOTIFY_DONE; registering a block twice WARNs and gives -EEXIST,
 * unregistering one that is not there -ENOENT; a callback may unregister
 * itself during the call; notifier_from_errno()/notifier_to_errno()
 * round-trip an errno.
 */
#include "ktest.h"

#include <linux/errno.h>
#include <linux/notifier.h>
#include <linux/poison.h>
#include <ukmem/boot.h>

static char order[16];
static int norder;
static int answer_of[4];
static unsigned long last_val;
static void *last_v;

static int cb(struct notifier_block *nb, unsigned long val, void *v)
{
	int id = nb->priority >> 8;	/* ids 0..3 ride in the high bits of the priority */

	if (norder < (int)sizeof(order) - 1)
		order[norder++] = (char)('a' + id);
	last_val = val;
	last_v = v;
	return answer_of[id];
}

static struct notifier_block *self_nb;
static void *self_chain;
static int self_kind;

static int cb_unregister_self(struct notifier_block *nb, unsigned long val, void *v)
{
	(void)val;
	(void)v;
	if (norder < (int)sizeof(order) - 1)
		order[norder++] = 'u';
	if (self_kind == 0)
		raw_notifier_chain_unregister(self_chain, nb);
	nb->next = (struct notifier_block *)LIST_POISON1;	/* the block is the callback's again */
	return NOTIFY_OK;
}

static void reset(void)
{
	memset(order, 0, sizeof(order));
	norder = 0;
	memset(answer_of, 0, sizeof(answer_of));
}

/* Blocks a..d with priorities 10, 20, 20, 5 (by id), registered a, b, c, d. */
#define PRIO(id, p)	(((id) << 8) | (p))

#define CHAIN_CASES(kind, head_t, HEAD, reg, unreg, call) do {			\
	HEAD(chain);								\
	struct notifier_block nb[4] = {						\
		{ .notifier_call = cb, .priority = PRIO(0, 10) },		\
		{ .notifier_call = cb, .priority = PRIO(1, 20) },		\
		{ .notifier_call = cb, .priority = PRIO(2, 20) },		\
		{ .notifier_call = cb, .priority = PRIO(3, 5) },		\
	};									\
	int dummy;								\
										\
	reset();								\
	CHECK_EQ(call(&chain, 7, &dummy), NOTIFY_DONE);	/* empty */		\
	CHECK_EQ(norder, 0);							\
	for (int i = 0; i < 4; i++)						\
		CHECK_EQ(reg(&chain, &nb[i]), 0);				\
	/* priorities compare whole: 3<<8|5 > 2<<8|20 > 1<<8|20 > 0<<8|10 */	\
	CHECK_EQ(call(&chain, 7, &dummy), NOTIFY_DONE);				\
	CHECK(strcmp(order, "dcba") == 0);					\
	CHECK(last_val == 7 && last_v == &dummy);				\
	/* A stop answer ends the call and is what the call returns. */	\
	reset();								\
	answer_of[2] = NOTIFY_STOP;						\
	CHECK_EQ(call(&chain, 1, NULL), NOTIFY_STOP);				\
	CHECK(strcmp(order, "dc") == 0);					\
	reset();								\
	answer_of[0] = NOTIFY_OK;						\
	answer_of[1] = NOTIFY_BAD;						\
	CHECK_EQ(call(&chain, 1, NULL), NOTIFY_BAD);				\
	CHECK(strcmp(order, "dcb") == 0);					\
	/* The last answer is returned when nobody stops. */			\
	reset();								\
	answer_of[3] = NOTIFY_OK;						\
	CHECK_EQ(call(&chain, 1, NULL), NOTIFY_DONE);				\
	reset();								\
	answer_of[0] = NOTIFY_OK;						\
	CHECK_EQ(call(&chain, 1, NULL), NOTIFY_OK);				\
	/* Twice: refused; absent: not found. */				\
	ukmem_dmesg_clear();							\
	CHECK_EQ(reg(&chain, &nb[1]), -EEXIST);					\
	CHECK_STR_CONTAINS(dmesg_now(), "already registered");			\
	CHECK_EQ(unreg(&chain, &nb[1]), 0);					\
	CHECK_EQ(unreg(&chain, &nb[1]), -ENOENT);				\
	reset();								\
	call(&chain, 1, NULL);							\
	CHECK(strcmp(order, "dca") == 0);					\
	for (int i = 0; i < 4; i++)						\
		unreg(&chain, &nb[i]);						\
	reset();								\
	CHECK_EQ(call(&chain, 1, NULL), NOTIFY_DONE);				\
	CHECK_EQ(norder, 0);							\
} while (0)

static char logbuf[1 << 16];

static const char *dmesg_now(void)
{
	ukmem_dmesg(logbuf, sizeof(logbuf));
	return logbuf;
}

static void quiet(void)
{
	static bool done;

	if (!done) {
		ukmem_set_console(fopen("/dev/null", "w"));
		done = true;
	}
}

static void test_raw_chain(void)
{
	quiet();
	CHAIN_CASES(0, struct raw_notifier_head, RAW_NOTIFIER_HEAD, raw_notifier_chain_register,
		    raw_notifier_chain_unregister, raw_notifier_call_chain);
}

static void test_atomic_chain(void)
{
	quiet();
	CHAIN_CASES(1, struct atomic_notifier_head, ATOMIC_NOTIFIER_HEAD,
		    atomic_notifier_chain_register, atomic_notifier_chain_unregister,
		    atomic_notifier_call_chain);
	{
		ATOMIC_NOTIFIER_HEAD(h);
		struct notifier_block b = { .notifier_call = cb };

		CHECK(atomic_notifier_call_chain_is_empty(&h));
		atomic_notifier_chain_register(&h, &b);
		CHECK(!atomic_notifier_call_chain_is_empty(&h));
		atomic_notifier_chain_unregister(&h, &b);
		CHECK(atomic_notifier_call_chain_is_empty(&h));
	}
}

static void test_blocking_chain(void)
{
	quiet();
	CHAIN_CASES(2, struct blocking_notifier_head, BLOCKING_NOTIFIER_HEAD,
		    blocking_notifier_chain_register, blocking_notifier_chain_unregister,
		    blocking_notifier_call_chain);
}

static void test_unregister_self(void)
{
	RAW_NOTIFIER_HEAD(chain);
	struct notifier_block first = { .notifier_call = cb_unregister_self, .priority = 100 };
	struct notifier_block after = { .notifier_call = cb, .priority = PRIO(0, 1) };

	reset();
	raw_notifier_chain_register(&chain, &first);
	raw_notifier_chain_register(&chain, &after);
	self_nb = &first;
	self_chain = &chain;
	self_kind = 0;
	/* The call goes on to the next block after the callback removed itself. */
	raw_notifier_call_chain(&chain, 0, NULL);
	CHECK(strcmp(order, "ua") == 0);
	reset();
	raw_notifier_call_chain(&chain, 0, NULL);
	CHECK(strcmp(order, "a") == 0);
}

static char seen[8];
static int nseen;

static int cb_x(struct notifier_block *nb, unsigned long val, void *v)
{
	(void)nb; (void)val; (void)v;
	seen[nseen++] = 'x';
	return NOTIFY_DONE;
}

static int cb_y(struct notifier_block *nb, unsigned long val, void *v)
{
	(void)nb; (void)val; (void)v;
	seen[nseen++] = 'y';
	return NOTIFY_DONE;
}

/* Equal priorities run in registration order. */
static void test_equal_priority(void)
{
	RAW_NOTIFIER_HEAD(chain);
	struct notifier_block x = { .notifier_call = cb_x, .priority = 3 };
	struct notifier_block y = { .notifier_call = cb_y, .priority = 3 };

	raw_notifier_chain_register(&chain, &x);
	raw_notifier_chain_register(&chain, &y);
	raw_notifier_call_chain(&chain, 0, NULL);
	CHECK(strcmp(seen, "xy") == 0);
}

static void test_errno(void)
{
	CHECK_EQ(notifier_from_errno(0), NOTIFY_OK);
	CHECK(notifier_from_errno(-ENOMEM) & NOTIFY_STOP_MASK);
	CHECK_EQ(notifier_to_errno(notifier_from_errno(-ENOMEM)), -ENOMEM);
	CHECK_EQ(notifier_to_errno(notifier_from_errno(-EBUSY)), -EBUSY);
	CHECK_EQ(notifier_to_errno(NOTIFY_OK), 0);
	CHECK_EQ(notifier_to_errno(NOTIFY_DONE), 0);
	CHECK_EQ(notifier_to_errno(NOTIFY_STOP), 0);
	CHECK_EQ(notifier_to_errno(NOTIFY_BAD), -1);	/* NOTIFY_OK - 2 */
}

int main(void)
{
	KTEST_RUN(KTEST(test_raw_chain), KTEST(test_atomic_chain), KTEST(test_blocking_chain),
		  KTEST(test_unregister_self), KTEST(test_equal_priority), KTEST(test_errno));
}
