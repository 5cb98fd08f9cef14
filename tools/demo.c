/* SPDX-License-Identifier: MIT */
/*
 * tools/demo.c - `ukmem demo` and `ukmem show`: boot a machine in this
 * process, run a short built-in workload on it, and print what the kernel
 * prints and shows.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <ukmem/boot.h>
#include <ukmem/report.h>
#include "mm/internal.h"
#include "mm/slab.h"
#include "tools/demo.h"
#include "tools/live.h"
#include "tools/ukmem.h"

/*
 * A short workload that leaves the reports something to show: pages of
 * every pcp order and some costly orders, from each zone, with a share
 * kept allocated (so the free lists are no longer pristine).  It keeps at
 * most a quarter of the machine and does not retry for pages, so that it
 * runs the same on the smallest machine the boot accepts as on a large
 * one, without driving it out of memory.
 */
#define KEEP 512
static struct page *kept[KEEP];
static unsigned int kept_order[KEEP];
static void *demo_vm[2];
#define DEMO_OBJECTS 1000
static struct kmem_cache *demo_cache;
static void *demo_obj[DEMO_OBJECTS / 2], *demo_buf[DEMO_OBJECTS / 2];

/* Not static: the vmallocinfo caller column names it (dynamic symbols only). */
void demo_workload(void);
void demo_workload(void)
{
	static const gfp_t gfps[] = { GFP_KERNEL, GFP_KERNEL | __GFP_RECLAIMABLE,
				      GFP_HIGHUSER_MOVABLE, GFP_DMA32, GFP_DMA };
	unsigned long kept_pages = 0, budget = totalram_pages() / 4;
	unsigned int i, n = 0;

	for (i = 0; i < 4096; i++) {
		unsigned int order = (i * 7) % 5 == 4 ? (i % 11) : (i % 4);
		struct page *page = alloc_pages(gfps[i % 5] | __GFP_NORETRY | __GFP_NOWARN, order);

		if (!page)
			continue;
		if (i % 8 == 0 && n < KEEP && kept_pages + (1UL << order) <= budget) {
			kept[n] = page;
			kept_order[n++] = order;
			kept_pages += 1UL << order;
		} else {
			__free_pages(page, order);
		}
	}
	/* Two vmalloc areas kept, so vmallocinfo has something to show. */
	demo_vm[0] = vmalloc(64 << 10);
	demo_vm[1] = vzalloc(3 * PAGE_SIZE);
	/* A cache of our own and kmalloc objects of several sizes, half kept. */
	demo_cache = kmem_cache_create("demo_object", 200, 0, SLAB_HWCACHE_ALIGN, NULL);
	for (i = 0; i < DEMO_OBJECTS; i++) {
		void *obj = demo_cache ? kmem_cache_alloc(demo_cache, GFP_KERNEL) : NULL;
		void *buf = kmalloc(16 << (i % 9), GFP_KERNEL);

		if (i % 2) {
			demo_obj[i / 2] = obj;
			demo_buf[i / 2] = buf;
		} else {
			if (obj)
				kmem_cache_free(demo_cache, obj);
			kfree(buf);
		}
	}
}


/*
 * The demo's last part: a real program on the malloc front end, with the
 * report `ukmem run` writes when it exits.  Python when the machine has
 * it (the interpreter itself, not a wrapper script that would run several
 * processes), otherwise the C compiler, which README's machines have.
 */
static const char demo_python[] =
	"import collections, json\n"
	"words = ['w%d' % (i * 7919 % 100003) for i in range(200000)]\n"
	"counts = collections.Counter(w[:4] for w in words)\n"
	"tree = {k: sorted(words[i::997])[:50] for i, k in enumerate(sorted(counts)[:200])}\n"
	"print('python3: %d words, %d prefixes, %d bytes of JSON' %\n"
	"      (len(words), len(counts), len(json.dumps(tree))))\n";
static const char demo_c[] =
	"#include <stdio.h>\nint main(void) { puts(\"hello from cc\"); return 0; }\n";

static int demo_real_program(void)
{
	static const char *const pythons[] = { "/usr/bin/python3", "/usr/local/bin/python3" };
	char *run_python[] = { "run", "--report", "stdout", "--", NULL, "-c",
			       (char *)demo_python, NULL };
	char *run_cc[] = { "run", "--report", "stdout", "--", "cc", "-x", "c", "-o",
			   "/dev/null", "-fsyntax-only", "/dev/stdin", NULL };
	unsigned int i;
	FILE *src;
	int rc, saved_stdin;

	for (i = 0; i < ARRAY_SIZE(pythons); i++) {
		if (access(pythons[i], X_OK))
			continue;
		run_python[4] = (char *)pythons[i];
		printf("\n=== a real program on the malloc front end: ukmem run -- %s -c '...'\n",
		       pythons[i]);
		fflush(stdout);
		return cmd_run(ARRAY_SIZE(run_python) - 1, run_python);
	}
	printf("\n=== a real program on the malloc front end: ukmem run -- cc -fsyntax-only\n");
	fflush(stdout);
	/* cc reads the program from a temporary file put on its stdin. */
	src = tmpfile();
	if (!src)
		return 1;
	fputs(demo_c, src);
	rewind(src);
	saved_stdin = dup(STDIN_FILENO);
	dup2(fileno(src), STDIN_FILENO);
	rc = cmd_run(ARRAY_SIZE(run_cc) - 1, run_cc);
	dup2(saved_stdin, STDIN_FILENO);
	close(saved_stdin);
	fclose(src);
	return rc;
}

int cmd_demo(int argc, char **argv)
{
	static char log[1 << 18];
	static const char *const reports[] = { "meminfo", "zoneinfo", "buddyinfo", "pagetypeinfo",
					       "slabinfo", "vmallocinfo" };
	const char *given = NULL, *cmdline, *map = NULL;
	const struct opt_value opts[] = {
		{ "--cmdline", NULL, &given },
		{ "--map", NULL, &map },
		{ NULL, NULL, NULL },
	};
	unsigned int i;
	int rc, map_rc = EXIT_OK;

	rc = parse_options("demo", &argc, argv, opts, false);
	if (rc)
		return rc;
	if (argc > 1 && !strcmp(argv[1], "pressure")) {
		if (argc > 2)
			return usage_error("demo", "unexpected argument '%s'", argv[2]);
		if (map)
			return usage_error("demo", "--map draws the plain demo, not pressure");
		/* Its own default machine: small, so that the cache outgrows it quickly. */
		if (!given)
			given = getenv("UKMEM_CMDLINE");
		return demo_pressure(given && *given ? given : DEMO_PRESSURE_CMDLINE);
	}
	if (argc > 1)
		return usage_error("demo", "unexpected argument '%s'", argv[1]);
	cmdline = tool_cmdline(given);
	rc = boot_or_fail("demo", cmdline, false);
	if (rc)
		return rc;
	printf("=== ukmem demo: booted with \"%s\"\n\n", cmdline);
	printf("=== boot log (the kernel's dmesg)\n");
	ukmem_dmesg(log, sizeof(log));
	fputs(log, stdout);
	demo_workload();
	for (i = 0; i < ARRAY_SIZE(reports); i++) {
		printf("\n=== /proc/%s after the built-in workload\n", reports[i]);
		fflush(stdout);
		ukmem_show(reports[i], stdout);
	}
	/* The picture of the workload's memory, taken now, shown last. */
	if (map) {
		fflush(stdout);
		map_rc = map_process(getpid(), map, NULL);
	}
	rc = demo_real_program();
	/*
	 * The program's report went to our stdout through a descriptor of its
	 * own, appending: when that is a file, ours still points where we left
	 * off, and what follows would overwrite the report.  Go to the end.
	 */
	fflush(stdout);
	lseek(STDOUT_FILENO, 0, SEEK_END);	/* a pipe or terminal: ESPIPE, harmless */
	if (map && map_rc == EXIT_OK)
		printf("\n=== the workload's physical memory, drawn by `ukmem map`: %s\n"
		       "    (open it in a web browser; docs/reports.md explains the colours)\n", map);
	else if (map)
		printf("\n=== no picture of the workload's memory: ukmem map failed (above)\n");
	/* The picture asked for and not drawn is a failed file: exit 1 (docs/cli.md). */
	return rc ? rc : map && map_rc != EXIT_OK ? map_rc : EXIT_OK;
}

/* The names `show` knows, for an unknown one. */
static void list_report_names(FILE *out)
{
	const char * const *names = ukmem_report_names();

	fprintf(out, "known reports:");
	for (; *names; names++)
		fprintf(out, " %s", *names);
	fprintf(out, " slab/CACHE/FILE slab/CACHE/alloc_traces slab/CACHE/free_traces"
		" shrinker shrinker/NAME-ID/count\n"
		"(CACHE: a cache slabinfo lists; FILE: one of its /sys/kernel/slab files;\n"
		"the traces need slub_debug=U for it)\n");
}

/*
 * A report of a live process: its figures copied into this process's
 * (unbooted) library tables, and the library's own report code run on them
 * (tools/live.c), so the text is what the process itself would print.
 */
static int show_live(const char *name, const char *pid_arg)
{
	static const struct {
		const char *name;
		void (*show)(FILE *m);
		unsigned int what;
	} live_reports[] = {
		{ "meminfo", show_meminfo, LIVE_ZONES },
		{ "buddyinfo", show_buddyinfo, LIVE_ZONES },
		{ "zoneinfo", show_zoneinfo, LIVE_ZONES },
		{ "pagetypeinfo", show_pagetypeinfo, LIVE_ZONES | LIVE_FREE_LISTS | LIVE_MAPS },
		{ "slabinfo", slabinfo_show, LIVE_ZONES | LIVE_CACHES },
	};
	struct live_proc proc;
	struct live_snap snap;
	char err[512], *end;
	long pid = strtol(pid_arg, &end, 10);
	unsigned int i;
	int rc;

	if (*end || pid <= 0)
		return usage_error("show", "--pid needs a process id, not '%s'", pid_arg);
	rc = live_open((int)pid, &proc, err, sizeof(err));
	if (rc) {
		fprintf(stderr, "ukmem show: %s\n", err);
		return EXIT_FAIL;
	}
	if (!strcmp(name, "dmesg"))
		return live_show_log(&proc, stdout) ? EXIT_FAIL : EXIT_OK;
	for (i = 0; i < ARRAY_SIZE(live_reports); i++) {
		if (strcmp(name, live_reports[i].name))
			continue;
		rc = live_snapshot(&proc, &snap, live_reports[i].what);
		if (!rc)
			rc = live_install(&snap);
		if (rc) {
			fprintf(stderr, "ukmem show: cannot read process %ld (%s): %s\n", pid,
				proc.comm, strerror(-rc));
			return EXIT_FAIL;
		}
		live_reports[i].show(stdout);
		return EXIT_OK;
	}
	if (!strcmp(name, "vmallocinfo") || !strncmp(name, "slab/", 5)) {
		fprintf(stderr, "ukmem show: %s of a live process is not available: it names "
			"code addresses only that process can resolve (`ukmem run --report` "
			"has its reports at exit; the process can call ukmem_show())\n", name);
		return EXIT_FAIL;
	}
	fprintf(stderr, "ukmem show: no report named '%s'; live processes have meminfo, "
		"buddyinfo, zoneinfo, pagetypeinfo, slabinfo, dmesg\n", name);
	return EXIT_USAGE;
}

int cmd_show(int argc, char **argv)
{
	const char *given = NULL, *pid = NULL;
	const struct opt_value opts[] = {
		{ "--cmdline", NULL, &given },
		{ "--pid", NULL, &pid },
		{ NULL, NULL, NULL },
	};
	int rc, err;

	rc = parse_options("show", &argc, argv, opts, false);
	if (rc)
		return rc;
	if (argc < 2)
		return usage_error("show", "which report? (a NAME is needed)");
	if (argc > 2)
		return usage_error("show", "one report at a time ('%s' is one too many)", argv[2]);
	if (pid) {
		if (given)
			return usage_error("show", "--cmdline is for a demo machine, not with --pid");
		return show_live(argv[1], pid);
	}
	rc = boot_or_fail("show", tool_cmdline(given), false);
	if (rc)
		return rc;
	demo_workload();
	err = ukmem_show(argv[1], stdout);
	if (err == -ENOENT) {
		fprintf(stderr, "ukmem show: no report named '%s'; ", argv[1]);
		list_report_names(stderr);
		return EXIT_USAGE;
	}
	return err ? EXIT_FAIL : EXIT_OK;
}
