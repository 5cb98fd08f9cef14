/* SPDX-License-Identifier: MIT */
/*
 * tests/real/fork_exec.c - fork and exec while other threads allocate.
 *
 *   fork_exec [ROUNDS]            (default 120)
 *   fork_exec child ROUND         (what the even rounds exec)
 *
 * Two threads allocate, check and free without pause for the whole run,
 * so the allocator's locks are often held by one of them at the instant
 * the main thread forks.  Each round the main thread forks a child that
 * allocates (it must not deadlock on a lock a vanished thread held),
 * checks its blocks, frees them, and then:
 *   round % 3 == 0   execs this program again ("child ROUND"), which
 *                    allocates on a fresh heap and prints one line;
 *   round % 3 == 1   execs /bin/echo, which prints one line;
 *   round % 3 == 2   creates a thread of its own, allocates in it, and
 *                    exits through exit() (atexit handlers, destructors).
 * The parent waits for each child before the next round, and popen()s an
 * echo every 10 rounds, so the output is the same on every allocator.  A
 * child that hangs is found by the test driver (run_real.sh: no progress
 * for KTEST_HANG_SECONDS), which kills the whole process group; a child
 * that crashes or exits non-zero makes the program exit 1.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static _Atomic int stop;
static _Atomic unsigned long churn_rounds;

static uint32_t next_rand(uint32_t *s)
{
	*s = *s * 1103515245u + 12345u;
	return *s >> 8;
}

/* Allocate n blocks, fill, check, free in a scrambled order; 0 if all good. */
static int alloc_check(unsigned int n, uint32_t seed)
{
	unsigned char **v = malloc(n * sizeof(*v));
	size_t *len = malloc(n * sizeof(*len));
	int bad = 0;

	if (!v || !len)
		return 1;
	for (unsigned int i = 0; i < n; i++) {
		len[i] = 1 + next_rand(&seed) % (i % 50 == 49 ? 300000 : 2000);
		v[i] = malloc(len[i]);
		if (!v[i])
			return 1;
		memset(v[i], (int)(i & 0xff), len[i]);
	}
	for (unsigned int k = 0; k < n; k++) {
		unsigned int i = (k * 7919u) % n;	/* n is never a multiple of 7919 */

		if (v[i][0] != (unsigned char)i || v[i][len[i] - 1] != (unsigned char)i ||
		    v[i][len[i] / 2] != (unsigned char)i)
			bad = 1;
		free(v[i]);
	}
	free(len);
	free(v);
	return bad;
}

static void *churn(void *arg)
{
	uint32_t seed = (uint32_t)(uintptr_t)arg;

	while (!atomic_load(&stop)) {
		if (alloc_check(200, seed++)) {
			fprintf(stderr, "fork_exec: churn thread found a corrupted block\n");
			exit(1);
		}
		atomic_fetch_add(&churn_rounds, 1);
	}
	return NULL;
}

static void *child_thread(void *arg)
{
	return (void *)(uintptr_t)alloc_check(300, (uint32_t)(uintptr_t)arg);
}

static int exec_child_main(int round)
{
	char *s;

	if (alloc_check(1000, (uint32_t)round)) {
		fprintf(stderr, "fork_exec: exec'd child %d: corrupted block\n", round);
		return 1;
	}
	if (asprintf(&s, "exec'd child of round %d: allocated and checked 1000 blocks", round) < 0)
		return 1;
	puts(s);
	free(s);
	return 0;
}

static void in_child(int round)
{
	char arg[16];

	if (alloc_check(500, (uint32_t)round * 3u)) {
		fprintf(stderr, "fork_exec: child %d: corrupted block\n", round);
		_exit(1);
	}
	snprintf(arg, sizeof(arg), "%d", round);
	switch (round % 3) {
	case 0:
		execl("/proc/self/exe", "fork_exec", "child", arg, (char *)NULL);
		perror("fork_exec: exec self");
		_exit(1);
	case 1:
		execl("/bin/echo", "echo", "echo from the child of round", arg, (char *)NULL);
		perror("fork_exec: exec /bin/echo");
		_exit(1);
	default: {
		pthread_t t;
		void *ret;

		if (pthread_create(&t, NULL, child_thread, (void *)(uintptr_t)round) ||
		    pthread_join(t, &ret) || ret) {
			fprintf(stderr, "fork_exec: child %d: thread failed\n", round);
			_exit(1);
		}
		printf("child of round %d: allocated in a new thread, exits\n", round);
		exit(0);
	}
	}
}

int main(int argc, char **argv)
{
	pthread_t t[2];
	int rounds, failed = 0;

	if (argc == 3 && !strcmp(argv[1], "child"))
		return exec_child_main(atoi(argv[2]));
	rounds = argc > 1 ? atoi(argv[1]) : 120;
	for (int i = 0; i < 2; i++)
		if (pthread_create(&t[i], NULL, churn, (void *)(uintptr_t)(i * 1000 + 1))) {
			fprintf(stderr, "fork_exec: pthread_create failed\n");
			return 1;
		}
	/* Let the churn threads get going so forks land in the middle of them. */
	while (atomic_load(&churn_rounds) < 4)
		sched_yield();
	for (int round = 0; round < rounds; round++) {
		int status;
		pid_t pid;

		fflush(stdout);
		pid = fork();
		if (pid < 0) {
			perror("fork_exec: fork");
			return 1;
		}
		if (!pid)
			in_child(round);
		if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status)) {
			printf("round %d: child failed (status %#x)\n", round, status);
			failed = 1;
		}
		if (round % 10 == 9) {
			char line[128];
			FILE *p = popen("echo popen works", "r");

			if (!p || !fgets(line, sizeof(line), p) || pclose(p)) {
				printf("round %d: popen failed\n", round);
				failed = 1;
			} else {
				printf("round %d: %s", round, line);
			}
		}
	}
	atomic_store(&stop, 1);
	for (int i = 0; i < 2; i++)
		pthread_join(t[i], NULL);
	printf("%d rounds done%s\n", rounds, failed ? ", some failed" : "");
	return failed;
}
