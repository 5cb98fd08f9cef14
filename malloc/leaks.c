/* SPDX-License-Identifier: MIT */
/*
 * malloc/leaks.c - `ukmem run --leaks`: the program's leaked blocks at
 * exit, found by kmemleak (mm/kmemleak.c, docs/kmemleak.md).
 *
 * `ukmem run --leaks` boots the program's front end with kmemleak=on and
 * names where the report goes in UKMEM_LEAKS ("stderr" or a file,
 * appended to, as UKMEM_REPORT's).  At exit (the front end's destructor:
 * after the program's own destructors and atexit handlers) kmemleak scans
 * one last time and writes every block no pointer reaches any more, with
 * its allocation stack.  Kept apart from the exit report (malloc/report.c)
 * so that each can change without the other.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <linux/kmemleak.h>
#include <ukmem/boot.h>
#include "arch/host.h"
#include "malloc/malloc_internal.h"
#include "mm/internal.h"

/*
 * Under UKMEM_REPORT_FORMAT=json (`ukmem run --leaks --json`) the report
 * is one JSON object on one line, as the exit report is, so that the file
 * stays one object a line: {"pid":N,"comm":"...","kmemleak":"<the text>"}.
 */
static void leaks_json(FILE *out, const char *comm)
{
	char *text = NULL;
	size_t len = 0;
	FILE *mem = open_memstream(&text, &len);

	if (mem) {
		kmemleak_exit_report(mem);
		fclose(mem);
	}
	fprintf(out, "{\"pid\":%d,\"comm\":", arch_getpid());
	malloc_json_string(out, comm, 16);
	fputs(",\"kmemleak\":", out);
	malloc_json_string(out, text ? text : "", len);
	fputs("}\n", out);
	free(text);
}

void malloc_leaks_exit_report(void)
{
	const char *where = arch_getenv("UKMEM_LEAKS");
	char comm[16];
	FILE *out;

	if (!where || !*where || !ukmem_booted() || !kmemleak_enabled)
		return;
	out = malloc_report_open(where);
	if (!out)
		return;
	arch_comm(comm);
	if (malloc_report_json()) {
		leaks_json(out, comm);
	} else {
		fprintf(out, "ukmem: kmemleak report of pid %d (%s) at exit\n", arch_getpid(),
			comm);
		kmemleak_exit_report(out);
	}
	fclose(out);
}

/*
 * Under kmemleak, a block ld.so allocates for itself is never a leak of the
 * program's: a thread's DTV (calloc'ed by pthread_create) is referenced
 * only from the thread's TCB, which lives in its stack mapping, and glibc
 * keeps that mapping, and the DTV, cached after the thread is joined.  The
 * scan reads the stacks of live threads that allocated, so every joined
 * thread (and every thread that never called malloc) showed up as a
 * 320-byte "leak" from allocate_dtv (zstd -T2: 4, sort --parallel=2: 1).
 * Such blocks are painted gray (kmemleak_not_leak): still scanned, never
 * reported, as the kernel treats an object it knows is referenced from
 * where its scan does not look.  @p is a block of the linear map (the
 * bootstrap arena and malloc(0)'s mirror are no kmemleak objects);
 * @caller, the return address of malloc, calloc or realloc.
 */
void malloc_leaks_loader_block(void *p, const void *caller)
{
	if (malloc_from_loader(caller))
		kmemleak_not_leak(p);
}
