/* SPDX-License-Identifier: MIT */
/*
 * tools/ukmem.c - the ukmem command.
 *
 *   ukmem demo [--cmdline "..."]      boot a machine, run a short workload,
 *                                     print what the kernel prints and shows
 *   ukmem show NAME [--cmdline "..."] one report of such a machine
 *   ukmem help [COMMAND]              usage; `ukmem help params` lists the
 *                                     boot parameters
 *
 * Exit codes: 0 success, 1 a failure while running, 2 a usage error.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/gfp.h>
#include <linux/mm.h>
#include <ukmem/boot.h>
#include <ukmem/report.h>
#include "kernel/params.h"

#define DEMO_CMDLINE	"mem=1G loglevel=4"

struct command {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *synopsis;
	const char *description;
};

static const struct command commands[];

static const char *take_cmdline(int *argc, char **argv)
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

static int boot_or_fail(const char *cmdline)
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
 * kept allocated (so the free lists are no longer pristine).
 */
#define KEEP 512
static struct page *kept[KEEP];
static unsigned int kept_order[KEEP];

static void demo_workload(void)
{
	static const gfp_t gfps[] = { GFP_KERNEL, GFP_KERNEL | __GFP_RECLAIMABLE,
				      GFP_HIGHUSER_MOVABLE, GFP_DMA32, GFP_DMA };
	unsigned int i, n = 0;

	for (i = 0; i < 4096; i++) {
		unsigned int order = (i * 7) % 5 == 4 ? (i % 11) : (i % 4);
		struct page *page = alloc_pages(gfps[i % 5] | __GFP_NOWARN, order);

		if (!page)
			continue;
		if (i % 8 == 0 && n < KEEP) {
			kept[n] = page;
			kept_order[n++] = order;
		} else {
			__free_pages(page, order);
		}
	}
}

static int cmd_demo(int argc, char **argv)
{
	const char *cmdline = take_cmdline(&argc, argv);
	static char log[1 << 18];
	static const char *const reports[] = { "meminfo", "zoneinfo", "buddyinfo", "pagetypeinfo" };
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
	return 0;
}

static int cmd_show(int argc, char **argv)
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

static int cmd_help(int argc, char **argv)
{
	const struct command *c;

	if (argc >= 2 && !strcmp(argv[1], "params")) {
		const struct boot_param *p;

		printf("Boot parameters (UKMEM_CMDLINE or --cmdline), kernel names and meanings:\n");
		for (p = boot_params; p->name; p++)
			printf("  %-24s %s\n", p->name, p->help);
		return 0;
	}
	if (argc >= 2) {
		for (c = commands; c->name; c++)
			if (!strcmp(c->name, argv[1])) {
				printf("usage: %s\n\n%s\n", c->synopsis, c->description);
				return 0;
			}
		fprintf(stderr, "ukmem help: no command '%s'\n", argv[1]);
		return 2;
	}
	printf("usage: ukmem COMMAND [ARGS]\n\nCommands:\n");
	for (c = commands; c->name; c++)
		printf("  %s\n", c->synopsis);
	printf("\n`ukmem help COMMAND` describes one; `ukmem help params` lists boot parameters.\n"
	       "Exit status: 0 success, 1 failure, 2 usage error.\n");
	return 0;
}

static const struct command commands[] = {
	{ "demo", cmd_demo, "ukmem demo [--cmdline \"...\"]",
	  "Boot a machine (default command line \"" DEMO_CMDLINE "\"), print its boot log:\n"
	  "the physical memory map, zone ranges, the virtual memory layout and the\n"
	  "\"Memory:\" line; run a short built-in workload and print meminfo, zoneinfo,\n"
	  "buddyinfo and pagetypeinfo in the kernel's formats." },
	{ "show", cmd_show, "ukmem show NAME [--cmdline \"...\"]",
	  "Boot a demo machine, run the built-in workload and print one report:\n"
	  "meminfo, buddyinfo, pagetypeinfo, zoneinfo or dmesg." },
	{ "help", cmd_help, "ukmem help [COMMAND | params]",
	  "Describe the commands, one command, or the boot parameters." },
	{ NULL, NULL, NULL, NULL },
};

int main(int argc, char **argv)
{
	const struct command *c;

	if (argc < 2)
		return cmd_help(1, argv);
	for (c = commands; c->name; c++)
		if (!strcmp(c->name, argv[1]))
			return c->run(argc - 1, argv + 1);
	fprintf(stderr, "ukmem: unknown command '%s' (try `ukmem help`)\n", argv[1]);
	return 2;
}
