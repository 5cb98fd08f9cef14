/* SPDX-License-Identifier: MIT */
/*
 * malloc/report.c - the preload library's life cycle: fork handlers at
 * load, and the exit report that `ukmem run` asks for.
 *
 * UKMEM_REPORT names where each process of the program appends its
 * meminfo, slabinfo and buddyinfo when it exits: "stderr", or a file
 * path (opened O_APPEND, so the processes of one run share the file).
 * Unset or empty: no report.  The report is written by a destructor of
 * malloc.c (so that a static link pulls this file in); a preloaded library
 * is finalised after the program and its other libraries, so the figures
 * include everything they freed.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <ukmem/boot.h>
#include <ukmem/report.h>
#include "arch/host.h"
#include "malloc/malloc_internal.h"
#include "mm/internal.h"

static const char *const exit_reports[] = { "meminfo", "slabinfo", "buddyinfo" };

void malloc_frontend_init(void)
{
	/* Makes fork() safe for a child: every allocator lock is held across it. */
	host_init();
	ukmem_install_atfork();
}

void malloc_frontend_exit_report(void)
{
	const char *where = getenv("UKMEM_REPORT");
	char comm[16];
	FILE *out;
	size_t i;
	int fd;

	if (!where || !*where)
		return;
	/* A program that never allocated still gets its (idle) machine's report. */
	ukmem_boot_slow();
	if (!ukmem_booted())
		return;
	if (!strcmp(where, "stderr")) {
		fd = dup(STDERR_FILENO);
	} else {
		fd = open(where, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
		if (fd < 0) {
			fprintf(stderr, "ukmem: cannot write the report to %s: %m\n", where);
			return;
		}
	}
	if (fd < 0)
		return;
	out = fdopen(fd, "a");
	if (!out) {
		close(fd);
		return;
	}
	arch_comm(comm);
	fprintf(out, "ukmem: report of pid %d (%s) at exit\n", arch_getpid(), comm);
	for (i = 0; i < sizeof(exit_reports) / sizeof(exit_reports[0]); i++) {
		fprintf(out, "--- %s ---\n", exit_reports[i]);
		ukmem_show(exit_reports[i], out);
	}
	fclose(out);
}
