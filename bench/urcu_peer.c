/* SPDX-License-Identifier: MIT */
/*
 * bench/urcu_peer.c - liburcu's "memb" flavour for bench_rcu, in a file of
 * its own: liburcu and the kernel API both define struct rcu_head,
 * call_rcu() and synchronize_rcu(), with other meanings, so the two cannot
 * share a translation unit (one of the reasons docs/rcu.md gives for
 * ukmem's own RCU).  Built only when liburcu-dev is installed.
 */
#define _LGPL_SOURCE
#include <pthread.h>
#include <stdbool.h>
#include <time.h>
#include <urcu/urcu-memb.h>

#include "urcu_peer.h"

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

__attribute__((noinline)) double urcu_peer_read_pair_ns(long n)
{
	static __thread bool registered;
	double t;
	long i;

	if (!registered) {
		urcu_memb_register_thread();
		registered = true;
	}
	t = now_ns();
	for (i = 0; i < n; i++) {
		urcu_memb_read_lock();
		urcu_memb_read_unlock();
	}
	return (now_ns() - t) / n;
}

static int stop;

static void *reader(void *arg)
{
	urcu_memb_register_thread();
	while (!__atomic_load_n(&stop, __ATOMIC_RELAXED)) {
		int i;

		urcu_memb_read_lock();
		for (i = 0; i < 100; i++)
			__asm__ __volatile__("" ::: "memory");
		urcu_memb_read_unlock();
	}
	urcu_memb_unregister_thread();
	return arg;
}

double urcu_peer_grace_us(int readers, long n)
{
	pthread_t t[8];
	double start, us;
	long i;
	int r;

	__atomic_store_n(&stop, 0, __ATOMIC_RELAXED);
	for (r = 0; r < readers && r < 8; r++)
		pthread_create(&t[r], NULL, reader, NULL);
	start = now_ns();
	for (i = 0; i < n; i++)
		urcu_memb_synchronize_rcu();
	us = (now_ns() - start) / n / 1000;
	__atomic_store_n(&stop, 1, __ATOMIC_RELAXED);
	for (r = 0; r < readers && r < 8; r++)
		pthread_join(t[r], NULL);
	return us;
}
