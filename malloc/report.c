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
 *
 * The report opens with what the program's own allocations left in the
 * front end, counted before the report allocates anything (its FILE and
 * buffer come from the front end too): the objects of the malloc-* caches,
 * in use or freed and cached per CPU, and the large and host blocks.  A
 * process whose malloc never reached the front end shows 0 objects; the
 * real-program tests (tests/real/run_real.sh) check that it does not.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <linux/slab.h>
#include <linux/spinlock.h>
#include <ukmem/boot.h>
#include <ukmem/report.h>
#include "arch/host.h"
#include "malloc/malloc_internal.h"
#include "mm/internal.h"
#include "mm/slab.h"

static const char *const exit_reports[] = { "meminfo", "slabinfo", "buddyinfo" };

void malloc_frontend_init(void)
{
	/* Makes fork() safe for a child: every allocator lock is held across it. */
	host_init();
	ukmem_install_atfork();
}

struct front_end_use {
	unsigned long objects;		/* in the malloc-* caches */
	unsigned int classes;		/* malloc-* caches holding any */
	unsigned long large_bytes, host_blocks, host_bytes;
};

static void count_front_end_use(struct front_end_use *u)
{
	unsigned long max_blocks, max_bytes;
	struct kmem_cache *s;

	memset(u, 0, sizeof(*u));
	mutex_lock(&slab_mutex);
	list_for_each_entry(s, &slab_caches, list) {
		struct slabinfo info;

		if (strncmp(s->name, "malloc-", 7))
			continue;
		get_slabinfo(s, &info);
		u->objects += info.active_objs;
		u->classes += info.active_objs != 0;
	}
	mutex_unlock(&slab_mutex);
	u->large_bytes = malloc_large_block_bytes();
	host_usage(&u->host_blocks, &u->host_bytes, &max_blocks, &max_bytes);
}

void malloc_frontend_exit_report(void)
{
	struct front_end_use use;
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
	count_front_end_use(&use);	/* before fdopen() allocates */
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
	fprintf(out, "malloc: %lu objects in %u size classes, %lu bytes in large blocks, "
		"%lu bytes in %lu host blocks\n", use.objects, use.classes, use.large_bytes,
		use.host_bytes, use.host_blocks);
	for (i = 0; i < sizeof(exit_reports) / sizeof(exit_reports[0]); i++) {
		fprintf(out, "--- %s ---\n", exit_reports[i]);
		ukmem_show(exit_reports[i], out);
	}
	fclose(out);
}
