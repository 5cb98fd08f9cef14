/* SPDX-License-Identifier: MIT */
/*
 * A program with a use after free, for tests/test_kfence.c: run with the
 * malloc front end preloaded and kfence.sample_interval=1, it frees blocks
 * and reads them again until one of them was a KFENCE object, whose read
 * faults: KFENCE reports, and the front end stops the program (SIGABRT).
 * It only uses malloc and free, as any program does.  Exit 0 means that
 * no read ever faulted (the test then fails).
 */
#include <stdlib.h>
#include <time.h>

#define BATCH	256

static volatile char sink;

static __attribute__((noinline)) void read_after_free(char **p, int n)
{
	int i;

	for (i = 0; i < n; i++)
		sink = p[i][1];
}

int main(void)
{
	static char *p[BATCH];
	struct timespec ms = { 0, 1000000 };
	int round, i;

	for (round = 0; round < 20000; round++) {
		/* Batches longer than a CPU's stack: the slow paths read KFENCE's timer. */
		for (i = 0; i < BATCH; i++)
			p[i] = malloc(24);
		for (i = 0; i < BATCH; i++)
			free(p[i]);
		read_after_free(p, BATCH);
		if (round % 16 == 0)
			nanosleep(&ms, NULL);
	}
	return 0;
}
