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
#include "tools/ukmem.h"

const char *take_cmdline(int *argc, char **argv)
{
	const char *cmdline = DEMO_CMDLINE;
	int i, j;

	for (i = 1; i < *argc; i++) {
		if (!strcmp(argv[i], "--cmdline") && i + 1 < *argc) {
			cmdline = argv[i + 1];
			for (j = i; j + 2 <= *argc; j++)
				argv[j] = argv[j + 2];
			*argc -= 2;
			break;
		}
	}
	return cmdline;
}

int boot_or_fail(const char *cmdline)
{
	int err = ukmem_boot(cmdline);

	if (err && err != -EALREADY) {
		fprintf(stderr, "ukmem: boot failed (%s) with command line \"%s\"\n",
			strerror(-err), cmdline);
		return 1;
	}
	return 0;
}

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
	char *run_python[] = { "run", "--report", "/dev/stdout", "--", NULL, "-c",
			       (char *)demo_python, NULL };
	char *run_cc[] = { "run", "--report", "/dev/stdout", "--", "cc", "-x", "c", "-o",
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
	const char *cmdline = take_cmdline(&argc, argv);
	static char log[1 << 18];
	static const char *const reports[] = { "meminfo", "zoneinfo", "buddyinfo", "pagetypeinfo",
					       "slabinfo", "vmallocinfo" };
	unsigned int i;

	if (boot_or_fail(cmdline))
		return 1;
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
	return demo_real_program();
}

int cmd_show(int argc, char **argv)
{
	const char *cmdline = take_cmdline(&argc, argv);
	int err;

	if (argc != 2) {
		fprintf(stderr, "usage: ukmem show NAME [--cmdline \"...\"]\n");
		return 2;
	}
	if (boot_or_fail(cmdline))
		return 1;
	demo_workload();
	err = ukmem_show(argv[1], stdout);
	if (err == -ENOENT) {
		const char * const *names = ukmem_report_names();

		fprintf(stderr, "ukmem show: no report named '%s'; known:", argv[1]);
		for (; *names; names++)
			fprintf(stderr, " %s", *names);
		fputc('\n', stderr);
		return 2;
	}
	return err ? 1 : 0;
}

