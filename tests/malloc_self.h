/* SPDX-License-Identifier: MIT */
/*
 * tests/malloc_self.h - for the malloc front end's tests (tests/malloc_*.c):
 * the program run again under a boot line of its own.
 */
#ifndef _UKMEM_MALLOC_SELF_H
#define _UKMEM_MALLOC_SELF_H

#include <stdio.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ktest.h"

/* This program again, with the argument @flag, under each boot line of @lines: each must exit 0. */
static inline void run_self_under(const char *flag, const char *const *lines, unsigned int n)
{
	for (unsigned int i = 0; i < n; i++) {
		int status = 0;
		pid_t pid;

		fflush(NULL);
		pid = fork();
		if (pid == 0) {
			char *argv[] = { "self", (char *)flag, NULL };

			setenv("UKMEM_CMDLINE", lines[i], 1);
			execv("/proc/self/exe", argv);
			_exit(127);
		}
		CHECK(pid > 0 && waitpid(pid, &status, 0) == pid && WIFEXITED(status));
		if (WEXITSTATUS(status))
			printf("%s: child exited with %d\n", lines[i], WEXITSTATUS(status));
		CHECK_EQ(WEXITSTATUS(status), 0);
	}
}

#endif /* _UKMEM_MALLOC_SELF_H */
