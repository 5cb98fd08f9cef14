/* SPDX-License-Identifier: MIT */
/*
 * linux/random.h: get_random_bytes() and the get_random_*() family.  The
 * bounded forms stay in their ranges and reach every value of a small
 * range; the unbounded ones differ from call to call; get_random_bytes()
 * fills odd lengths whole; a fork child draws numbers of its own, not the
 * parent's next ones; and several threads draw at once.
 */
#include <pthread.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/random.h>
#include <ukmem/boot.h>
#include "ktest.h"

static void test_bounded(void)
{
	unsigned int hits[10] = { 0 }, i, bad = 0;

	for (i = 0; i < 20000; i++) {
		u32 v = get_random_u32_below(10);

		bad += v >= 10;
		if (v < 10)
			hits[v]++;
	}
	CHECK_EQ(bad, 0U);
	for (i = 0; i < 10; i++)
		CHECK(hits[i] > 1000);	/* about 2000 each */
	for (i = 0; i < 20000; i++) {
		u32 a = get_random_u32_above(0xfffffff0U);
		u32 in = get_random_u32_inclusive(5, 7);

		bad += a <= 0xfffffff0U;
		bad += in < 5 || in > 7;
		bad += get_random_u32_below(1) != 0;
		bad += get_random_u32_inclusive(9, 9) != 9;
	}
	CHECK_EQ(bad, 0U);
	/* The whole range, and ceil 0: any u32, no fault, no hang. */
	(void)get_random_u32_inclusive(0, 0xffffffffU);
	(void)get_random_u32_below(0);
}

static void test_unbounded(void)
{
	u64 a = get_random_u64(), b = get_random_u64();
	unsigned int i, high_u8 = 0, high_u16 = 0;

	CHECK(a != b);
	CHECK(get_random_u32() != get_random_u32() || get_random_u32() != get_random_u32());
	for (i = 0; i < 4096; i++) {
		high_u8 += get_random_u8() >= 128;
		high_u16 += get_random_u16() >= 32768;
	}
	CHECK(high_u8 > 1500 && high_u8 < 2600);
	CHECK(high_u16 > 1500 && high_u16 < 2600);
	CHECK(get_random_long() != get_random_long() || get_random_long() != get_random_long());
	CHECK(rng_is_initialized());
	CHECK_EQ(wait_for_random_bytes(), 0);
}

static void test_bytes(void)
{
	unsigned char buf[77], guard[8];
	unsigned int i, zero = 0;

	memset(buf, 0, sizeof(buf));
	memset(guard, 0xee, sizeof(guard));
	get_random_bytes(buf, 75);	/* an odd length: the tail too, nothing past it */
	for (i = 0; i < 75; i++)
		zero += !buf[i];
	CHECK(zero < 10);
	CHECK_EQ(buf[75], 0);
	CHECK_EQ(buf[76], 0);
	get_random_bytes(guard, 0);
	CHECK_EQ(guard[0], 0xee);
	CHECK_EQ(get_random_bytes_wait(buf, 3), 0);
}

/* A child's numbers are its own: not the ones the parent draws next. */
static void test_fork(void)
{
	int fds[2], status = 0;
	u64 parent[4], child[4];
	pid_t pid;
	int i, same = 0;

	(void)get_random_u64();	/* the pool is filled before the fork */
	CHECK_EQ(pipe(fds), 0);
	pid = fork();
	if (pid == 0) {
		for (i = 0; i < 4; i++)
			child[i] = get_random_u64();
		_exit(write(fds[1], child, sizeof(child)) == sizeof(child) ? 0 : 1);
	}
	CHECK(pid > 0);
	for (i = 0; i < 4; i++)
		parent[i] = get_random_u64();
	CHECK_EQ(read(fds[0], child, sizeof(child)), (ssize_t)sizeof(child));
	CHECK(waitpid(pid, &status, 0) == pid && WIFEXITED(status) && !WEXITSTATUS(status));
	for (i = 0; i < 4; i++)
		same += parent[i] == child[i];
	CHECK_EQ(same, 0);
	close(fds[0]);
	close(fds[1]);
}

static void *drawer(void *arg)
{
	unsigned long bad = 0;
	int i;

	for (i = 0; i < 50000; i++)
		bad += get_random_u32_below(1000) >= 1000;
	return (void *)bad;
}

static void test_threads(void)
{
	pthread_t t[4];
	void *ret;
	int i;

	for (i = 0; i < 4; i++)
		CHECK_EQ(pthread_create(&t[i], NULL, drawer, NULL), 0);
	for (i = 0; i < 4; i++) {
		CHECK_EQ(pthread_join(t[i], &ret), 0);
		CHECK_EQ((unsigned long)ret, 0UL);
	}
}

int main(void)
{
	KTEST_RUN(KTEST(test_bounded), KTEST(test_unbounded), KTEST(test_bytes),
		  KTEST(test_fork), KTEST(test_threads));
}
