/* SPDX-License-Identifier: MIT */
/*
 * tools/run.c - `ukmem run`: a program on the malloc front end
 * (libukmem-malloc.so preloaded), its exit reports where --report says.
 */
#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <ukmem/kernel_types.h>
#include "tools/ukmem.h"

/* The preload library: $UKMEM_MALLOC_LIB, beside this binary, or in ../lib. */
static int find_malloc_lib(char *path, size_t size)
{
	static const char * const rel[] = { "libukmem-malloc.so", "../lib/libukmem-malloc.so",
					    "../lib/x86_64-linux-gnu/libukmem-malloc.so",
					    "../lib64/libukmem-malloc.so" };
	char self[PATH_MAX], dir[PATH_MAX];
	const char *env = getenv("UKMEM_MALLOC_LIB");
	ssize_t n;
	unsigned int i;

	if (env && *env) {
		snprintf(path, size, "%s", env);
		return access(path, R_OK);
	}
	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n <= 0)
		return -1;
	self[n] = '\0';
	snprintf(dir, sizeof(dir), "%s", dirname(self));
	for (i = 0; i < ARRAY_SIZE(rel); i++) {
		if ((size_t)snprintf(path, size, "%s/%s", dir, rel[i]) >= size)
			continue;
		if (!access(path, R_OK))
			return 0;
	}
	return -1;
}

int cmd_run(int argc, char **argv)
{
	const char *cmdline = NULL, *report = "stderr";
	char lib[PATH_MAX], preload[2 * PATH_MAX];
	const char *old_preload;
	int i, status;
	pid_t pid;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--cmdline") && i + 1 < argc)
			cmdline = argv[++i];
		else if (!strcmp(argv[i], "--report") && i + 1 < argc)
			report = argv[++i];
		else if (!strcmp(argv[i], "--")) {
			i++;
			break;
		} else if (argv[i][0] == '-') {
			fprintf(stderr, "ukmem run: unknown option '%s' (see `ukmem help run`)\n", argv[i]);
			return 2;
		} else
			break;
	}
	if (i >= argc) {
		fprintf(stderr, "usage: ukmem run [--cmdline \"...\"] [--report FILE] -- PROGRAM ARGS...\n");
		return 2;
	}
	if (find_malloc_lib(lib, sizeof(lib))) {
		fprintf(stderr, "ukmem run: cannot find libukmem-malloc.so (set UKMEM_MALLOC_LIB)\n");
		return 1;
	}
	old_preload = getenv("LD_PRELOAD");
	snprintf(preload, sizeof(preload), "%s%s%s", lib, old_preload && *old_preload ? ":" : "",
		 old_preload ? old_preload : "");
	setenv("LD_PRELOAD", preload, 1);
	if (cmdline)
		setenv("UKMEM_CMDLINE", cmdline, 1);
	setenv("UKMEM_REPORT", report, 1);
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		perror("ukmem run: fork");
		return 1;
	}
	if (!pid) {
		execvp(argv[i], argv + i);
		fprintf(stderr, "ukmem run: %s: %s\n", argv[i], strerror(errno));
		_exit(127);
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR) {
			perror("ukmem run: waitpid");
			return 1;
		}
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WEXITSTATUS(status);
}

