/* SPDX-License-Identifier: MIT */
/*
 * tools/ukmem.c - the ukmem command: main, the command table and help
 * (tools/ukmem.h lists the files of the other subcommands).
 *
 *   ukmem demo [--cmdline "..."]      boot a machine, run a short workload,
 *                                     print what the kernel prints and shows
 *   ukmem show NAME [--cmdline "..."] one report of such a machine
 *   ukmem run [--cmdline "..."] [--report FILE] -- PROGRAM ARGS...
 *                                     run a program on the malloc front end
 *                                     and report its memory at exit
 *   ukmem help [COMMAND]              usage; `ukmem help params` lists the
 *                                     boot parameters
 *
 * Exit codes: 0 success, 1 a failure while running, 2 a usage error; `run`
 * exits with the program's status (128 + N when signal N killed it, 127
 * when it could not be started).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ukmem/kernel_types.h>
#include "kernel/params.h"
#include "tools/ukmem.h"

static void print_manual(const struct command *c)
{
	printf("NAME\n       ukmem %s - %s\n\n", c->name, c->summary);
	printf("SYNOPSIS\n       %s\n\n", c->synopsis);
	printf("DESCRIPTION\n%s\n\n", c->description);
	if (c->options)
		printf("OPTIONS\n%s\n\n", c->options);
	printf("ENVIRONMENT\n"
	       "       UKMEM_CMDLINE     the kernel command line when --cmdline is not given\n"
	       "       UKMEM_MALLOC_LIB  the preload library `run` uses\n"
	       "       UKMEM_REPORT      where a program on the front end writes its exit\n"
	       "                         report (set by `run`: stderr or a file)\n\n");
	printf("EXIT STATUS\n%s\n", c->exit_status);
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
				print_manual(c);
				return 0;
			}
		fprintf(stderr, "ukmem help: no command '%s'\n", argv[1]);
		return 2;
	}
	printf("usage: ukmem COMMAND [ARGS]\n\nCommands:\n");
	for (c = commands; c->name; c++)
		printf("  %-6s %s\n", c->name, c->summary);
	printf("\n`ukmem help COMMAND` prints a command's manual; `ukmem help params` lists\n"
	       "the boot parameters.  Exit status: 0 success, 1 failure, 2 usage error\n"
	       "(`run` passes on its program's status).\n");
	return 0;
}

#define EXIT_STATUS_COMMON \
	"       0  success\n" \
	"       1  the machine could not boot, or the command failed\n" \
	"       2  usage error (unknown option or report name)"

const struct command commands[] = {
	{ "demo", cmd_demo, "boot a machine and show what the kernel shows",
	  "ukmem demo [--cmdline \"...\"]",
	  "       Boot a machine (default command line \"" DEMO_CMDLINE "\") and print its\n"
	  "       boot log: the physical memory map, zone ranges, the virtual memory\n"
	  "       layout and the \"Memory:\" line.  Run a short built-in workload (pages,\n"
	  "       a slab cache, kmalloc, vmalloc) and print meminfo, zoneinfo, buddyinfo,\n"
	  "       pagetypeinfo, slabinfo and vmallocinfo in the kernel's formats.\n"
	  "       Last, run a real program (python3, or the C compiler) on the malloc\n"
	  "       front end with `ukmem run` and show its exit report.",
	  "       --cmdline \"...\"   the kernel command line of the demo machine",
	  EXIT_STATUS_COMMON "; otherwise the real program's status" },
	{ "show", cmd_show, "print one report of a demo machine",
	  "ukmem show NAME [--cmdline \"...\"]",
	  "       Boot a demo machine, run the built-in workload and print one report\n"
	  "       in the kernel's format: meminfo, buddyinfo, pagetypeinfo, zoneinfo,\n"
	  "       slabinfo, vmallocinfo, dmesg, or a cache's debugfs trace file\n"
	  "       (slab/CACHE/alloc_traces, slab/CACHE/free_traces; needs\n"
	  "       slub_debug=U for that cache).  An unknown NAME\n"
	  "       lists the known ones.",
	  "       --cmdline \"...\"   the kernel command line of the demo machine",
	  EXIT_STATUS_COMMON },
	{ "run", cmd_run, "run a program on the malloc front end",
	  "ukmem run [--cmdline \"...\"] [--report FILE] -- PROGRAM ARGS...",
	  "       Run PROGRAM with the malloc front end preloaded (libukmem-malloc.so,\n"
	  "       found through $UKMEM_MALLOC_LIB, beside the ukmem binary, or in\n"
	  "       ../lib), its machine booted with the given kernel command line.\n"
	  "       When each process of the program exits, its meminfo, slabinfo and\n"
	  "       buddyinfo are appended to FILE (default: stderr).  Child processes\n"
	  "       inherit the front end and report too.",
	  "       --cmdline \"...\"   kernel command line (UKMEM_CMDLINE), e.g.\n"
	  "                         \"mem=2G slub_debug=FZPU failslab=...\"\n"
	  "       --report FILE     where the exit reports go: a file (appended),\n"
	  "                         \"stderr\" (the default), or /dev/stdout",
	  "       the program's own exit status; 128+N if signal N killed it;\n"
	  "       127 if it could not be started; 1 if the preload library is\n"
	  "       missing; 2 on a usage error" },
	{ "help", cmd_help, "describe the commands and boot parameters",
	  "ukmem help [COMMAND | params]",
	  "       Without an argument, list the commands.  With a COMMAND, print its\n"
	  "       manual page.  With \"params\", list every boot parameter with its\n"
	  "       kernel name and meaning.",
	  NULL,
	  "       0  success\n"
	  "       2  no such command" },
	{ NULL, NULL, NULL, NULL, NULL, NULL, NULL },
};

int main(int argc, char **argv)
{
	const struct command *c;

	if (argc < 2)
		return cmd_help(1, argv);
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))
		return cmd_help(argc - 1, argv + 1);
	for (c = commands; c->name; c++)
		if (!strcmp(c->name, argv[1]))
			return c->run(argc - 1, argv + 1);
	fprintf(stderr, "ukmem: unknown command '%s' (try `ukmem help`)\n", argv[1]);
	return 2;
}

