/* SPDX-License-Identifier: MIT */
/*
 * A plain program (no ukmem headers) for tests/leaks/leaks.sh: it leaks
 * exactly ten blocks from leak_ten_blocks() - eight small ones, a large
 * one (pages) and a host one (mmap) - and keeps others reachable the ways
 * a program does: a global pointer, a linked list whose head is global,
 * a pointer into the middle of a block, a block freed, realloc'd blocks.
 * It also starts and joins threads that never allocate: the DTV ld.so
 * calloc's for each (referenced only from the thread's TCB, in the stack
 * glibc keeps cached) is not the program's leak.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct node {
	struct node *next;
	char name[40];
};

static struct node *volatile list_head;
static char *volatile big_kept, *volatile inner_kept;
static char *volatile grown;

/* The compiler must not drop a block nobody reads: it escapes, to nowhere. */
static void *escape(void *p)
{
	__asm__ volatile("" : : "r"(p) : "memory");
	return p;
}

static __attribute__((noinline)) void leak_ten_blocks(void)
{
	int i;

	for (i = 0; i < 8; i++)
		memset(escape(malloc(24 + 16 * (size_t)i)), 'a' + i, 24);
	memset(escape(malloc(200000)), 'L', 64);	/* a large block */
	memset(escape(malloc(6 << 20)), 'H', 64);	/* a host block */
}

static void *idle_thread(void *arg)
{
	return arg;
}

int main(void)
{
	pthread_t threads[3];
	int i;

	for (i = 0; i < 3; i++)
		if (pthread_create(&threads[i], NULL, idle_thread, NULL))
			return 1;
	for (i = 0; i < 3; i++)
		pthread_join(threads[i], NULL);

	for (i = 0; i < 20; i++) {
		struct node *n = malloc(sizeof(*n));

		snprintf(n->name, sizeof(n->name), "node %d", i);
		n->next = list_head;
		list_head = n;
	}
	big_kept = malloc(300000);
	inner_kept = (char *)malloc(4000) + 1000;
	free(escape(malloc(123)));
	grown = malloc(10);
	for (i = 0; i < 10; i++)
		grown = realloc(grown, 100 << i);
	leak_ten_blocks();
	printf("done\n");
	return 0;
}
