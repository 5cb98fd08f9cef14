/* SPDX-License-Identifier: MIT */
/*
 * malloc/report.c - the preload library's life cycle: fork handlers at
 * load, and the exit report that `ukmem run` asks for (docs/malloc.md,
 * "The exit report", lists every field).
 *
 * The environment says what to write (tools/run.c sets it; a program
 * preloaded by hand with none of it writes nothing, as glibc's malloc):
 *
 *   UKMEM_REPORT         where each process appends its report at exit:
 *                        "stderr", or a file path (O_APPEND, so that the
 *                        processes of one run share the file)
 *   UKMEM_REPORT_DMESG   1: add the kernel log (a file; `ukmem run` sets it
 *                        when --report is a file, since on stderr the
 *                        console printed the log already); unset: for a
 *                        file path, not for "stderr"
 *   UKMEM_REPORT_FULL    1: the kernel files' rows that are all zeros too
 *   UKMEM_REPORT_FORMAT  json: one JSON object per process and line
 *   UKMEM_RUN_START      the monotonic clock (ns) when `ukmem run` started
 *                        the program: elapsed time counts from there
 *
 * The report opens with a summary (what a person asks first: how much is
 * in use, how much at most, the RSS peak, what the size classes hold, the
 * largest blocks, how long it ran), then the kernel's meminfo, slabinfo
 * and buddyinfo without their all-zero rows, and, in a file, the kernel
 * log of the run (every BUG and WARNING slub_debug or the front end
 * printed, which on the console went to stderr).
 *
 * It is written by a destructor of malloc.c (so that a static link pulls
 * this file in); a preloaded library is finalised after the program and
 * its other libraries, so the figures include everything they freed.  The
 * front end's own figures are taken before the report allocates anything
 * (its FILE and buffers come from the front end too): the objects of the
 * malloc-* caches, in use or freed and cached per CPU, and the large and
 * host blocks.  A process whose malloc never reached the front end shows
 * 0 objects; the real-program tests (tests/real/run_real.sh) check that
 * it does not.
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

static u64 load_ns;			/* when this image loaded (no UKMEM_RUN_START) */

void malloc_frontend_init(void)
{
	load_ns = arch_clock_ns();
	/* Makes fork() safe for a child: every allocator lock is held across it. */
	host_init();
	large_init();
	classes_init();
	malloc_env_init();
}

/* ---- the figures, gathered before anything is allocated ---- */

#define REPORT_CLASSES	96		/* kmalloc-* and malloc-* caches holding objects */
#define REPORT_CLASSES_SHOWN	16	/* in the text, most bytes first (all with --full) */
#define REPORT_BLOCKS	8		/* the largest live blocks shown */

struct class_use {
	char name[32];
	unsigned int size;
	unsigned long objects, slabs;
};

struct live_block {
	const void *p;
	size_t size;
	const char *kind;
};

static struct exit_figures {
	u64 elapsed_ns;
	unsigned long peak_rss_kb;
	unsigned long peak_pages;		/* out of the buddy lists at once */
	struct ukmem_malloc_usage usage;
	unsigned long malloc_objects;		/* in the malloc-* caches */
	unsigned int malloc_classes;		/* malloc-* caches holding any */
	unsigned long large_bytes;
	unsigned int nr_classes;
	struct class_use classes[REPORT_CLASSES];
	unsigned int nr_blocks;
	unsigned long large_blocks;
	struct live_block blocks[REPORT_BLOCKS];
	const char *kind;			/* of the blocks being walked */
} fig;

/* Keep the REPORT_BLOCKS largest, largest first. */
static void note_block(const void *p, size_t size, void *arg)
{
	struct exit_figures *f = arg;
	unsigned int i;

	if (!strcmp(f->kind, "large"))
		f->large_blocks++;
	if (f->nr_blocks == REPORT_BLOCKS && size <= f->blocks[REPORT_BLOCKS - 1].size)
		return;
	i = f->nr_blocks < REPORT_BLOCKS ? f->nr_blocks++ : REPORT_BLOCKS - 1;
	for (; i > 0 && f->blocks[i - 1].size < size; i--)
		f->blocks[i] = f->blocks[i - 1];
	f->blocks[i] = (struct live_block){ p, size, f->kind };
}

/* Most bytes first: where the memory is. */
static int class_cmp(const void *a, const void *b)
{
	const struct class_use *x = a, *y = b;
	unsigned long bx = x->objects * x->size, by = y->objects * y->size;

	return bx < by ? 1 : bx > by ? -1 : strcmp(x->name, y->name);
}

static void gather(struct exit_figures *f, bool full)
{
	const char *start = arch_getenv("UKMEM_RUN_START");
	u64 now = arch_clock_ns(), t0 = load_ns;
	struct kmem_cache *s;

	memset(f, 0, sizeof(*f));
	if (start && *start)
		t0 = strtoull(start, NULL, 10);
	f->elapsed_ns = now > t0 ? now - t0 : 0;
	f->peak_rss_kb = arch_peak_rss_kb();
	f->peak_pages = page_alloc_peak_used();
	ukmem_malloc_usage(&f->usage);
	f->large_bytes = malloc_large_block_bytes();
	mutex_lock(&slab_mutex);
	list_for_each_entry(s, &slab_caches, list) {
		bool front = !strncmp(s->name, "malloc-", 7);
		struct slabinfo info;

		get_slabinfo(s, &info);
		if (front) {
			f->malloc_objects += info.active_objs;
			f->malloc_classes += info.active_objs != 0;
		}
		if ((!front && strncmp(s->name, "kmalloc-", 8)) || (!info.active_objs && !full) ||
		    f->nr_classes == REPORT_CLASSES)
			continue;
		snprintf(f->classes[f->nr_classes].name, sizeof(f->classes[0].name), "%s", s->name);
		f->classes[f->nr_classes].size = s->object_size;
		f->classes[f->nr_classes].objects = info.active_objs;
		f->classes[f->nr_classes].slabs = info.active_slabs;
		f->nr_classes++;
	}
	mutex_unlock(&slab_mutex);
	qsort(f->classes, f->nr_classes, sizeof(f->classes[0]), class_cmp);
	f->kind = "host";
	host_for_each(note_block, f);
	f->kind = "large";
	malloc_large_for_each(note_block, f);
}

/* ---- the kernel files without their empty rows ---- */

/* Every number of @line's fields from the @first-th on (1-based) is 0. */
static bool fields_zero(const char *line, unsigned int first, unsigned int last)
{
	char buf[512], *tok, *save = NULL;
	unsigned int n = 0;
	bool any = false;

	snprintf(buf, sizeof(buf), "%s", line);
	for (tok = strtok_r(buf, " \t,:\n", &save); tok; tok = strtok_r(NULL, " \t,:\n", &save)) {
		char *end;
		unsigned long v;

		if (++n < first || n > last)
			continue;
		v = strtoul(tok, &end, 10);
		if (end == tok || *end)
			continue;	/* a word, not a number */
		if (v)
			return false;
		any = true;
	}
	return any;
}

/*
 * Rows that say nothing: a meminfo line of 0 kB, a slabinfo cache with no
 * object, a buddyinfo zone with no free block.
 */
static bool row_empty(const char *name, const char *line)
{
	if (!strcmp(name, "meminfo"))
		return fields_zero(line, 2, 2);
	if (!strcmp(name, "slabinfo"))
		return strncmp(line, "slabinfo", 8) && line[0] != '#' && fields_zero(line, 2, 3);
	if (!strcmp(name, "buddyinfo"))
		return fields_zero(line, 5, 64);
	return false;
}

static char show_buf[512 << 10];

/* One kernel file into @out, its empty rows left out unless @full. */
static void show_filtered(const char *name, FILE *out, bool full)
{
	FILE *mem;
	char *line, *next;
	size_t len;

	if (full) {
		ukmem_show(name, out);
		return;
	}
	mem = fmemopen(show_buf, sizeof(show_buf) - 1, "w");
	if (!mem) {
		ukmem_show(name, out);
		return;
	}
	ukmem_show(name, mem);
	len = (size_t)ftell(mem);
	fclose(mem);
	show_buf[min(len, sizeof(show_buf) - 1)] = '\0';
	for (line = show_buf; *line; line = next) {
		next = strchr(line, '\n');
		next = next ? next + 1 : line + strlen(line);
		if (!row_empty(name, line))
			fwrite(line, 1, (size_t)(next - line), out);
	}
}

/* The kernel log of the run (the dmesg ring of kernel/printk.c). */
static char dmesg_buf[256 << 10];

static size_t read_dmesg(void)
{
	size_t n = ukmem_dmesg(dmesg_buf, sizeof(dmesg_buf));

	return min(n, sizeof(dmesg_buf) - 1);
}

/* ---- text ---- */

static void print_bytes(FILE *out, unsigned long bytes)
{
	if (bytes >= (10UL << 30))
		fprintf(out, "%.1f GiB", bytes / (double)(1UL << 30));
	else if (bytes >= (10UL << 20))
		fprintf(out, "%.1f MiB", bytes / (double)(1UL << 20));
	else if (bytes >= (10UL << 10))
		fprintf(out, "%.1f KiB", bytes / 1024.0);
	else
		fprintf(out, "%lu B", bytes);
}

static void write_text(FILE *out, const struct exit_figures *f, bool full, bool with_log)
{
	const struct ukmem_malloc_usage *u = &f->usage;
	unsigned long peak = f->peak_pages * PAGE_SIZE + u->max_host_bytes;
	unsigned int i;
	char comm[16];

	arch_comm(comm);
	/* The first two lines keep their shape: tests/real/run_real.sh reads them. */
	fprintf(out, "ukmem: report of pid %d (%s) at exit\n", arch_getpid(), comm);
	fprintf(out, "malloc: %lu objects in %u size classes, %lu bytes in large blocks, "
		"%lu bytes in %lu host blocks\n", f->malloc_objects, f->malloc_classes,
		f->large_bytes, u->host_bytes, u->host_blocks);
	fprintf(out, "summary:\n  elapsed        %.3f s\n  in use now     ",
		f->elapsed_ns / 1e9);
	print_bytes(out, u->in_use_bytes + u->host_bytes);
	fprintf(out, "   (slab and large blocks ");
	print_bytes(out, u->in_use_bytes);
	fprintf(out, ", host blocks ");
	print_bytes(out, u->host_bytes);
	fprintf(out, ")\n  peak           ");
	print_bytes(out, peak);
	fprintf(out, "   (pages from the page allocator at most ");
	print_bytes(out, f->peak_pages * PAGE_SIZE);
	fprintf(out, ", host blocks at most ");
	print_bytes(out, u->max_host_bytes);
	fprintf(out, ")\n  peak RSS       ");
	print_bytes(out, f->peak_rss_kb * 1024);
	fprintf(out, "\n  blocks         %lu objects in slab caches, %lu large, %lu host\n",
		f->malloc_objects, f->large_blocks, u->host_blocks);
	fprintf(out, "size classes (in use, most bytes first):\n  %-22s %10s %12s %8s\n", "cache", "objects",
		"bytes", "slabs");
	for (i = 0; i < f->nr_classes && (full || i < REPORT_CLASSES_SHOWN); i++)
		fprintf(out, "  %-22s %10lu %12lu %8lu\n", f->classes[i].name, f->classes[i].objects,
			f->classes[i].objects * f->classes[i].size, f->classes[i].slabs);
	if (i < f->nr_classes)
		fprintf(out, "  (%u more; all with --full, and in slabinfo below)\n", f->nr_classes - i);
	fprintf(out, "largest live blocks:\n");
	for (i = 0; i < f->nr_blocks; i++)
		fprintf(out, "  %12zu bytes at 0x%lx (%s)\n", f->blocks[i].size,
			(unsigned long)f->blocks[i].p, f->blocks[i].kind);
	if (!f->nr_blocks)
		fprintf(out, "  none above the slab classes\n");
	for (i = 0; i < ARRAY_SIZE(exit_reports); i++) {
		fprintf(out, "--- %s ---\n", exit_reports[i]);
		show_filtered(exit_reports[i], out, full);
	}
	/* On stderr the console has printed the log already. */
	if (with_log) {
		size_t n = read_dmesg();

		fprintf(out, "--- dmesg ---\n");
		fwrite(dmesg_buf, 1, n, out);
		if (n && dmesg_buf[n - 1] != '\n')
			fputc('\n', out);
	}
}

/* ---- JSON ---- */

void malloc_json_string(FILE *out, const char *s, size_t n)
{
	size_t i;

	fputc('"', out);
	for (i = 0; i < n && s[i]; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '"' || c == '\\')
			fprintf(out, "\\%c", c);
		else if (c == '\n')
			fputs("\\n", out);
		else if (c < 0x20 || c >= 0x7f)
			fprintf(out, "\\u%04x", c);
		else
			fputc(c, out);
	}
	fputc('"', out);
}

/* meminfo's "Name:   123 kB" lines as "Name": 123 (kB), zeros left out unless @full. */
static void json_meminfo(FILE *out, bool full)
{
	FILE *mem = fmemopen(show_buf, sizeof(show_buf) - 1, "w");
	char *line, *next;
	bool first = true;
	size_t len;

	fputs("{", out);
	if (!mem) {
		fputs("}", out);
		return;
	}
	ukmem_show("meminfo", mem);
	len = (size_t)ftell(mem);
	fclose(mem);
	show_buf[min(len, sizeof(show_buf) - 1)] = '\0';
	for (line = show_buf; *line; line = next) {
		char *colon = strchr(line, ':');
		unsigned long v;

		next = strchr(line, '\n');
		next = next ? next + 1 : line + strlen(line);
		if (!colon || colon > next)
			continue;
		v = strtoul(colon + 1, NULL, 10);
		if (!v && !full)
			continue;
		fputs(first ? "" : ",", out);
		malloc_json_string(out, line, (size_t)(colon - line));
		fprintf(out, ":%lu", v);
		first = false;
	}
	fputs("}", out);
}

static void write_json(FILE *out, const struct exit_figures *f, bool full, bool with_log)
{
	const struct ukmem_malloc_usage *u = &f->usage;
	struct kmem_cache *s;
	unsigned int i;
	bool first = true;
	char comm[16];

	arch_comm(comm);
	fprintf(out, "{\"pid\":%d,\"comm\":", arch_getpid());
	malloc_json_string(out, comm, sizeof(comm));
	fprintf(out, ",\"elapsed_s\":%.6f,\"in_use_bytes\":%lu,\"slab_and_large_in_use_bytes\":%lu,"
		"\"host_bytes\":%lu,\"host_blocks\":%lu,\"peak_bytes\":%lu,\"peak_page_bytes\":%lu,"
		"\"peak_host_bytes\":%lu,\"peak_rss_bytes\":%lu,\"malloc_objects\":%lu,"
		"\"malloc_size_classes\":%u,\"large_blocks\":%lu,\"large_bytes\":%lu",
		f->elapsed_ns / 1e9, u->in_use_bytes + u->host_bytes, u->in_use_bytes,
		u->host_bytes, u->host_blocks, f->peak_pages * PAGE_SIZE + u->max_host_bytes,
		f->peak_pages * PAGE_SIZE, u->max_host_bytes, f->peak_rss_kb * 1024,
		f->malloc_objects, f->malloc_classes, f->large_blocks, f->large_bytes);
	fputs(",\"size_classes\":[", out);
	for (i = 0; i < f->nr_classes; i++) {
		fprintf(out, "%s{\"cache\":", i ? "," : "");
		malloc_json_string(out, f->classes[i].name, sizeof(f->classes[i].name));
		fprintf(out, ",\"size\":%u,\"objects\":%lu,\"bytes\":%lu,\"slabs\":%lu}",
			f->classes[i].size, f->classes[i].objects,
			f->classes[i].objects * f->classes[i].size, f->classes[i].slabs);
	}
	fputs("],\"largest_blocks\":[", out);
	for (i = 0; i < f->nr_blocks; i++)
		fprintf(out, "%s{\"address\":\"0x%lx\",\"size\":%zu,\"kind\":\"%s\"}", i ? "," : "",
			(unsigned long)f->blocks[i].p, f->blocks[i].size, f->blocks[i].kind);
	/* Every cache, as slabinfo has it (the empty ones only with --full). */
	fputs("],\"caches\":[", out);
	mutex_lock(&slab_mutex);
	list_for_each_entry(s, &slab_caches, list) {
		struct slabinfo info;

		get_slabinfo(s, &info);
		if (!info.num_objs && !full)
			continue;
		fputs(first ? "{\"name\":" : ",{\"name\":", out);
		malloc_json_string(out, s->name, strlen(s->name));
		fprintf(out, ",\"active_objs\":%lu,\"num_objs\":%lu,\"objsize\":%u,"
			"\"objperslab\":%u,\"pagesperslab\":%u,\"active_slabs\":%lu,\"num_slabs\":%lu}",
			info.active_objs, info.num_objs, s->size, info.objects_per_slab,
			1U << info.cache_order, info.active_slabs, info.num_slabs);
		first = false;
	}
	mutex_unlock(&slab_mutex);
	fputs("],\"meminfo_kb\":", out);
	json_meminfo(out, full);
	if (with_log) {
		size_t n = read_dmesg();

		fputs(",\"dmesg\":", out);
		malloc_json_string(out, dmesg_buf, n);
	}
	fputs("}\n", out);
}

/*
 * Where UKMEM_REPORT (or UKMEM_LEAKS) says: "stderr", or a file appended
 * to, so that every process of a program adds its own; NULL, said on
 * stderr, if the file cannot be opened.
 */
FILE *malloc_report_open(const char *where)
{
	FILE *out;
	int fd;

	if (!strcmp(where, "stderr"))
		fd = dup(STDERR_FILENO);
	else
		fd = open(where, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
	if (fd < 0) {
		fprintf(stderr, "ukmem: cannot write the report to %s: %m\n", where);
		return NULL;
	}
	out = fdopen(fd, "a");
	if (!out)
		close(fd);
	return out;
}

/* ---- at exit ---- */

static char report_buf[1 << 20];

bool malloc_report_json(void)
{
	const char *format = arch_getenv("UKMEM_REPORT_FORMAT");

	return format && !strcmp(format, "json");
}

void malloc_frontend_exit_report(void)
{
	const char *where = arch_getenv("UKMEM_REPORT");
	const char *dmesg = arch_getenv("UKMEM_REPORT_DMESG");
	const char *full_env = arch_getenv("UKMEM_REPORT_FULL");
	bool full = full_env && !strcmp(full_env, "1");
	bool json = malloc_report_json();
	bool to_file, with_log;
	FILE *out;

	if (!where || !*where)
		return;
	/* A program that never allocated still gets its (idle) machine's report. */
	ukmem_boot_slow();
	if (!ukmem_booted())
		return;
	gather(&fig, full);	/* before fdopen() allocates */
	to_file = strcmp(where, "stderr") != 0;
	with_log = dmesg && *dmesg ? !strcmp(dmesg, "1") : to_file;
	out = malloc_report_open(where);
	if (!out)
		return;
	/* One write(2) for the whole report: processes sharing the file never interleave. */
	setvbuf(out, report_buf, _IOFBF, sizeof(report_buf));
	if (json)
		write_json(out, &fig, full, with_log);
	else
		write_text(out, &fig, full, with_log);
	fclose(out);
}
