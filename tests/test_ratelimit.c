/* SPDX-License-Identifier: MIT */
/*
 * linux/ratelimit.h, as kernel code uses it: a state allows its burst per
 * interval and refuses the rest, counting them; the first call of a new
 * interval reports "<func>: N callbacks suppressed"; an interval of 0
 * never limits, a burst of 0 always does, a negative one is warned about;
 * RATELIMIT_MSG_ON_RELEASE keeps the count for ratelimit_state_exit()'s
 * line; printk_ratelimited() and pr_*_ratelimited() keep a state per call
 * site (10 messages per 5 s); a state held by a fork child's vanished
 * parent thread is taken over; four threads share one state and the
 * allowed calls never exceed the burst.  Intervals are waited out with
 * usleep(), which can only make them longer: no deadline is tested.
 */
#include <pthread.h>
#include <string.h>
#include <unistd.h>

#include <linux/ratelimit.h>
#include "ktest_boot.h"

static int count_substr(const char *hay, const char *needle)
{
	int n = 0;

	for (hay = strstr(hay, needle); hay; hay = strstr(hay + 1, needle))
		n++;
	return n;
}

static int allowed_of(struct ratelimit_state *rs, int calls, const char *func)
{
	int i, ok = 0;

	for (i = 0; i < calls; i++)
		ok += ___ratelimit(rs, func);
	return ok;
}

static void test_burst_and_interval(void)
{
	DEFINE_RATELIMIT_STATE(rs, HZ / 100, 3);	/* 10 ms */

	ukmem_dmesg_clear();
	CHECK_EQ(allowed_of(&rs, 10, "rl_test"), 3);
	CHECK_EQ(ratelimit_state_get_miss(&rs), 7);
	usleep(30 * 1000);
	CHECK_EQ(allowed_of(&rs, 2, "rl_test"), 2);
	CHECK_STR_CONTAINS(ktest_dmesg_now(), "rl_test: 7 callbacks suppressed");
	CHECK_EQ(ratelimit_state_get_miss(&rs), 0);
}

static void test_zero_and_negative(void)
{
	struct ratelimit_state rs;

	ratelimit_state_init(&rs, 0, 0);
	CHECK_EQ(allowed_of(&rs, 50, "rl"), 50);		/* interval 0: no limit */
	ratelimit_state_init(&rs, HZ, 0);
	CHECK_EQ(allowed_of(&rs, 5, "rl"), 0);			/* burst 0: all refused */
	CHECK_EQ(ratelimit_state_get_miss(&rs), 5);
	ukmem_dmesg_clear();
	ratelimit_state_init(&rs, -1, 5);
	CHECK_EQ(___ratelimit(&rs, "rl"), 1);	/* as the kernel: a burst lets it through */
	CHECK_STR_CONTAINS(ktest_dmesg_now(), "Negative interval (-1) or burst (5)");
	ratelimit_default_init(&rs);
	CHECK_EQ(rs.interval, 5 * HZ);
	CHECK_EQ(allowed_of(&rs, 20, "rl"), DEFAULT_RATELIMIT_BURST);
}

static void test_message_on_release(void)
{
	DEFINE_RATELIMIT_STATE(rs, HZ / 100, 1);

	ratelimit_set_flags(&rs, RATELIMIT_MSG_ON_RELEASE);
	ukmem_dmesg_clear();
	CHECK_EQ(allowed_of(&rs, 4, "rl_rel"), 1);
	usleep(30 * 1000);
	CHECK_EQ(allowed_of(&rs, 1, "rl_rel"), 1);
	CHECK(strstr(ktest_dmesg_now(), "callbacks suppressed") == NULL);
	ratelimit_state_exit(&rs);
	CHECK_STR_CONTAINS(ktest_dmesg_now(), ": 3 output lines suppressed due to ratelimiting");
}

static void test_printk_ratelimited(void)
{
	int i, printed = 0;

	ukmem_dmesg_clear();
	for (i = 0; i < 25; i++)
		printed += pr_err_ratelimited("ratelimited line %d\n", i);
	CHECK_EQ(printed, DEFAULT_RATELIMIT_BURST);
	CHECK_EQ(count_substr(ktest_dmesg_now(), "ratelimited line "), DEFAULT_RATELIMIT_BURST);
	/* Another call site has a state of its own. */
	pr_warn_ratelimited("another site\n");
	CHECK_STR_CONTAINS(ktest_dmesg_now(), "another site");
}

/* A fork child whose parent's other thread held the state takes it over. */
static DEFINE_RATELIMIT_STATE(forked_rs, HZ, 2);

static void after_fork(void *arg)
{
	(void)arg;
	CHECK_EQ(allowed_of(&forked_rs, 5, "rl_fork"), 2);
	_exit(ktest_failures ? 1 : 0);
}

static void test_across_fork(void)
{
	/*
	 * Held by a pid that is not the child's (not getpid() + 1: the child
	 * may well get that one): another process's thread, as the child
	 * inherits a word its parent's other thread set.
	 */
	forked_rs.lock = 1;
	CHECK(ktest_exited_with(ktest_child(after_fork, NULL), 0));
	forked_rs.lock = getpid();	/* held here: busy, and nothing left to take */
	CHECK_EQ(___ratelimit(&forked_rs, "rl_fork"), 0);
	forked_rs.lock = 0;
}

static DEFINE_RATELIMIT_STATE(shared_rs, 3600 * HZ, 100);
static int thread_allowed[4];

static void *ratelimit_thread(void *arg)
{
	int *mine = arg;

	*mine = allowed_of(&shared_rs, 1000, "rl_threads");
	return NULL;
}

static void test_threads(void)
{
	pthread_t t[4];
	int i, sum = 0;

	for (i = 0; i < 4; i++)
		CHECK_EQ(pthread_create(&t[i], NULL, ratelimit_thread, &thread_allowed[i]), 0);
	for (i = 0; i < 4; i++) {
		pthread_join(t[i], NULL);
		sum += thread_allowed[i];
	}
	CHECK(sum <= 100 && sum >= 1);
	CHECK_EQ(sum + ratelimit_state_get_miss(&shared_rs), 4000);
}

int main(void)
{
	if (!ktest_boot_quietly("mem=64M"))
		return 1;
	KTEST_RUN(KTEST(test_burst_and_interval), KTEST(test_zero_and_negative),
		  KTEST(test_message_on_release), KTEST(test_printk_ratelimited),
		  KTEST(test_across_fork), KTEST(test_threads));
}
