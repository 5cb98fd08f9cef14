/* SPDX-License-Identifier: MIT */
/*
 * bench/malloc/bm_measure.c - run one program, report its wall time and
 * peak resident set size.
 *
 *   bm_measure [-p PRELOAD] [-i STDIN_FILE] [-o RESULT_FILE] -- PROGRAM ARGS...
 *
 * Forks, sets LD_PRELOAD=PRELOAD in the child only (so the allocator under
 * test never runs in this process), optionally redirects the child's
 * stdin, execs PROGRAM, and waits for it with wait4().  Writes
 * "SECONDS PEAK_RSS_KB" (wall time from fork to reaped, the child's
 * ru_maxrss) to RESULT_FILE, or to stderr.  Exit status: the program's, or
 * 128 + signal when it was killed, 127 when it could not be started.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	const char *preload = NULL, *in = NULL, *result = NULL;
	struct rusage ru;
	double start, wall;
	int c, status;
	pid_t pid;
	FILE *out;

	while ((c = getopt(argc, argv, "+p:i:o:")) != -1) {
		switch (c) {
		case 'p':
			preload = optarg;
			break;
		case 'i':
			in = optarg;
			break;
		case 'o':
			result = optarg;
			break;
		default:
			goto usage;
		}
	}
	if (optind >= argc)
		goto usage;
	start = now();
	pid = fork();
	if (pid < 0) {
		perror("bm_measure: fork");
		return 127;
	}
	if (!pid) {
		if (preload && *preload)
			setenv("LD_PRELOAD", preload, 1);
		else
			unsetenv("LD_PRELOAD");
		if (in) {
			int fd = open(in, O_RDONLY);

			if (fd < 0 || dup2(fd, STDIN_FILENO) < 0) {
				fprintf(stderr, "bm_measure: %s: %s\n", in, strerror(errno));
				_exit(127);
			}
			close(fd);
		}
		execvp(argv[optind], argv + optind);
		fprintf(stderr, "bm_measure: %s: %s\n", argv[optind], strerror(errno));
		_exit(127);
	}
	while (wait4(pid, &status, 0, &ru) < 0)
		if (errno != EINTR) {
			perror("bm_measure: wait4");
			return 127;
		}
	wall = now() - start;
	out = result ? fopen(result, "w") : stderr;
	if (!out) {
		perror("bm_measure: result file");
		return 127;
	}
	fprintf(out, "%.3f %ld\n", wall, ru.ru_maxrss);
	if (result)
		fclose(out);
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WEXITSTATUS(status);

usage:
	fprintf(stderr, "usage: bm_measure [-p PRELOAD] [-i STDIN] [-o RESULT] -- PROGRAM ARGS...\n");
	return 127;
}
