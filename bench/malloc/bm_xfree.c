/* SPDX-License-Identifier: MIT */
/*
 * bench/malloc/bm_xfree.c - what a free costs when another thread makes it:
 * the same objects allocated and freed by one thread, and then allocated by
 * a thread on one CPU and freed by a thread on another, in nanoseconds per
 * object (issue 17's cross-thread target: at most 1.5x the same-thread
 * figure).  Not one of bench/malloc/run.sh's set: it times its own loops.
 *
 *   bm_xfree [-n OBJECTS] [-s SIZE] [-b BATCH] [-r RUNS] [-m same|cross]
 *            (defaults: 20M objects of 64 bytes, batches of 32, 5 runs,
 *            both modes)
 *
 * Both modes handle the objects in batches of BATCH: malloc BATCH blocks
 * and write each one's first word, then read each first word back and free
 * the block.  Same thread: one thread on CPU 0 does both halves, batch after
 * batch.  Cross thread: a producer on CPU 0 does the first half into a ring
 * of 16 batches, a consumer on CPU 1 the second half, each waiting for a
 * slot by spinning (then yielding).  Only the two halves are timed
 * (CLOCK_MONOTONIC around each batch's loop), never the waits, so the
 * figure is the allocator's time per object plus the program's two
 * accesses to it, summed over both threads: what the allocation and the
 * free cost the process, not how fast the pipeline runs.  A batch small
 * enough for a per-CPU or per-thread cache keeps the same-thread mode on
 * the allocator's fast paths; the cross-thread mode adds whatever moves
 * the freed objects back to the allocating CPU, and the cache lines the
 * objects and the allocator's metadata travel on between the CPUs.
 *
 * Prints each run, then the medians and their ratio.  Needs two CPUs (on
 * one it says so and exits 77, the skip code).
 *
 * The time of a cross-thread free is mostly the cache lines that cross
 * between the CPUs, which no allocator avoids (the program's own write and
 * read of each block are one round trip).  Instructions do not depend on
 * that: bench/callgrind_xfree.sh counts the two halves' instructions per
 * object under callgrind, one mode per run (-m).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define SLOTS		16
#define MAX_BATCH	1024

struct slot {
	int full;			/* 0: the producer may fill it; 1: the consumer's */
	void *objects[MAX_BATCH];
} __attribute__((aligned(64)));

static struct slot ring[SLOTS];
static unsigned long batches;
static size_t obj_size = 64;
static unsigned int batch = 32;
static double producer_ns, consumer_ns;

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void die(const char *what)
{
	fprintf(stderr, "bm_xfree: %s\n", what);
	exit(1);
}

static void pin(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (pthread_setaffinity_np(pthread_self(), sizeof(set), &set))
		die("cannot pin a thread to its CPU");
}

/* The first half: BATCH blocks allocated and written. */
static __attribute__((noinline)) uint64_t fill(void **objects, unsigned long seq)
{
	uint64_t t0 = now_ns();

	for (unsigned int i = 0; i < batch; i++) {
		unsigned long *p = malloc(obj_size);

		if (!p)
			die("malloc failed");
		p[0] = seq + i;
		objects[i] = p;
	}
	return now_ns() - t0;
}

/* The second half: each block read back, checked and freed. */
static __attribute__((noinline)) uint64_t drain(void **objects, unsigned long seq)
{
	uint64_t t0 = now_ns();

	for (unsigned int i = 0; i < batch; i++) {
		unsigned long *p = objects[i];

		if (p[0] != seq + i)
			die("a block changed between its malloc and its free");
		free(p);
	}
	return now_ns() - t0;
}

static double same_thread(void)
{
	void *objects[MAX_BATCH];
	uint64_t ns = 0;

	pin(0);
	for (unsigned long b = 0; b < batches; b++) {
		ns += fill(objects, b * batch);
		ns += drain(objects, b * batch);
	}
	return (double)ns / ((double)batches * batch);
}

static void wait_for(struct slot *s, int want)
{
	unsigned int spins = 0;

	while (__atomic_load_n(&s->full, __ATOMIC_ACQUIRE) != want)
		if (++spins % 256 == 0)
			sched_yield();
}

/*
 * One end of the ring: the producer (@arg 0, on CPU 0) fills the empty
 * slots, the consumer (1, on CPU 1) drains the full ones.
 */
static void *ring_end(void *arg)
{
	int consumer = (int)(uintptr_t)arg;
	uint64_t ns = 0;

	pin(consumer);
	for (unsigned long b = 0; b < batches; b++) {
		struct slot *s = &ring[b % SLOTS];

		wait_for(s, consumer);
		ns += consumer ? drain(s->objects, b * batch) : fill(s->objects, b * batch);
		__atomic_store_n(&s->full, !consumer, __ATOMIC_RELEASE);
	}
	*(consumer ? &consumer_ns : &producer_ns) = (double)ns;
	return NULL;
}

static double cross_thread(void)
{
	pthread_t p, c;

	for (int i = 0; i < SLOTS; i++)
		ring[i].full = 0;
	if (pthread_create(&c, NULL, ring_end, (void *)1) || pthread_create(&p, NULL, ring_end, NULL))
		die("pthread_create failed");
	pthread_join(p, NULL);
	pthread_join(c, NULL);
	return (producer_ns + consumer_ns) / ((double)batches * batch);
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
	unsigned long objects = 20000000;
	double same[64], cross[64];
	int runs = 5, c, modes = 3;	/* bit 0: same thread, bit 1: cross thread */

	while ((c = getopt(argc, argv, "n:s:b:r:m:")) != -1) {
		switch (c) {
		case 'n':
			objects = strtoul(optarg, NULL, 0);
			break;
		case 's':
			obj_size = strtoul(optarg, NULL, 0);
			break;
		case 'b':
			batch = (unsigned int)strtoul(optarg, NULL, 0);
			break;
		case 'r':
			runs = atoi(optarg);
			break;
		case 'm':
			modes = !strcmp(optarg, "same") ? 1 : !strcmp(optarg, "cross") ? 2 : 0;
			if (!modes)
				goto usage;
			break;
		default:
			goto usage;
		}
	}
	if (obj_size < sizeof(unsigned long) || !batch || batch > MAX_BATCH || runs < 1 ||
	    runs > 64 || objects < batch)
		goto usage;
	if (sysconf(_SC_NPROCESSORS_ONLN) < 2) {
		printf("bm_xfree: needs two CPUs; skipped\n");
		return 77;
	}
	batches = objects / batch;
	printf("bm_xfree: %lu objects of %zu bytes in batches of %u, %d runs (ns per object)\n",
	       batches * batch, obj_size, batch, runs);
	for (int r = 0; r < runs; r++) {
		same[r] = modes & 1 ? same_thread() : 0;
		cross[r] = modes & 2 ? cross_thread() : 0;
		printf("  run %d: same thread %6.2f   cross thread %6.2f\n", r + 1, same[r],
		       cross[r]);
	}
	qsort(same, (size_t)runs, sizeof(double), cmp_double);
	qsort(cross, (size_t)runs, sizeof(double), cmp_double);
	printf("median: same thread %.2f ns, cross thread %.2f ns", same[runs / 2], cross[runs / 2]);
	if (modes == 3)
		printf(", ratio %.2f", cross[runs / 2] / same[runs / 2]);
	printf("\n");
	return 0;
usage:
	fprintf(stderr, "usage: bm_xfree [-n OBJECTS] [-s SIZE] [-b BATCH (1..%d)] [-r RUNS (1..64)]"
		" [-m same|cross]\n", MAX_BATCH);
	return 2;
}
