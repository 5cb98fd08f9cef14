/* SPDX-License-Identifier: MIT */
/*
 * tools/ukmem.c - the ukmem command: main, the command table, option
 * parsing, help and the manual page (tools/ukmem.h lists the files of the
 * subcommands).
 *
 *   ukmem demo [--cmdline "..."]      boot a machine, run a short workload,
 *                                     print what the kernel prints and shows
 *   ukmem demo pressure [--cmdline "..."]
 *                                     a cache with a shrinker grows past RAM:
 *                                     kswapd and direct reclaim at work
 *   ukmem sysctl [--cmdline "..."] [-a] NAME[=VALUE]...
 *                                     the vm sysctls of a demo machine
 *   ukmem show NAME [--cmdline "..."] one report of such a machine
 *   ukmem run [--cmdline "..."] [--report FILE] -- PROGRAM ARGS...
 *                                     run a program on the malloc front end
 *                                     and report its memory at exit
 *   ukmem top, map, plot, ps          watch, draw and record a running one
 *   ukmem symbolize --exe PROGRAM [--base OFFSET] [REPORT]
 *                                     name the bare addresses of a saved report
 *   ukmem help [COMMAND | params | --man]
 *   ukmem --version
 *
 * The command table below is the only help text there is: `ukmem help`
 * prints it for the terminal and `ukmem help --man` as the roff source of
 * ukmem(1), which the build generates and `make install` installs.
 *
 * Exit codes: 0 success, 1 a failure while running, 2 a usage error
 * (tools/ukmem.h); `run` exits with the program's status (128 + N when
 * signal N killed it, 127 when it could not be started).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ukmem/boot.h>
#include <ukmem/kernel_types.h>
#include <ukmem/version.h>
#include "kernel/params.h"
#include "tools/demo.h"
#include "tools/symbolize.h"
#include "tools/ukmem.h"

/* ------------------------------------------------------------------ */
/* Options                                                              */

int usage_error(const char *cmd, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "ukmem %s: ", cmd);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, " (see `ukmem help %s`)\n", cmd);
	return EXIT_USAGE;
}

static const struct cmd_option *find_spec(const char *cmd, const char *name)
{
	const struct command *c;
	const struct cmd_option *o;

	for (c = commands; c->name; c++) {
		if (strcmp(c->name, cmd) || !c->options)
			continue;
		for (o = c->options; o->name; o++)
			if (!strcmp(o->name, name) || (o->alias && !strcmp(o->alias, name)))
				return o;
	}
	return NULL;
}

int parse_options(const char *cmd, int *argc, char **argv, const struct opt_value *opts,
		  bool stop)
{
	int i, n = 1, nargs = *argc;

	for (i = 1; i < nargs; i++) {
		const struct opt_value *v;
		const struct cmd_option *spec;
		char name[64];
		const char *eq, *arg = argv[i];

		if (!strcmp(arg, "--")) {
			i++;
			break;
		}
		if (arg[0] != '-' || !arg[1]) {
			if (stop)
				break;
			argv[n++] = argv[i];
			continue;
		}
		eq = strchr(arg, '=');
		snprintf(name, sizeof(name), "%.*s", eq ? (int)(eq - arg) : (int)strlen(arg), arg);
		spec = find_spec(cmd, name);
		if (!spec)
			return usage_error(cmd, "unknown option '%s'", name);
		for (v = opts; v->name; v++)
			if (!strcmp(v->name, spec->name))
				break;
		if (!v->name)
			return usage_error(cmd, "unknown option '%s'", name);
		if (!spec->arg) {
			if (eq)
				return usage_error(cmd, "option '%s' takes no value", spec->name);
			*v->flag = true;
			continue;
		}
		if (eq) {
			*v->value = eq + 1;
		} else if (i + 1 < nargs) {
			*v->value = argv[++i];
		} else {
			return usage_error(cmd, "option '%s' needs a value (%s)", spec->name,
					   spec->arg);
		}
	}
	/* What is left (after "--" or the first operand with @stop) is operands. */
	for (; i < nargs; i++)
		argv[n++] = argv[i];
	argv[n] = NULL;
	*argc = n;
	return 0;
}

/* ------------------------------------------------------------------ */
/* Booting this process's machine                                       */

const char *tool_cmdline(const char *given)
{
	const char *env = getenv("UKMEM_CMDLINE");

	if (given)
		return given;
	return env && *env ? env : DEMO_CMDLINE;
}

int boot_or_fail(const char *cmd, const char *cmdline, bool quiet)
{
	static char log[1 << 16];
	FILE *console = tmpfile();
	size_t said = 0;
	int err;

	/*
	 * The console is caught while the machine boots so that, if the boot
	 * refuses the command line, its reasons reach stderr whatever
	 * loglevel= said; on success it goes to stderr as it would have.
	 */
	if (console)
		ukmem_set_console(console);
	err = ukmem_boot(cmdline);
	ukmem_set_console(NULL);
	if (console && (!quiet || (err && err != -EALREADY))) {
		size_t n;

		rewind(console);
		while ((n = fread(log, 1, sizeof(log), console)) > 0) {
			fwrite(log, 1, n, stderr);
			said += n;
		}
	}
	if (console)
		fclose(console);
	if (!err || err == -EALREADY)
		return 0;
	if (!said) {
		/* Nothing reached the console (loglevel=0): the log has it. */
		ukmem_dmesg(log, sizeof(log));
		fputs(log, stderr);
	}
	fprintf(stderr, "ukmem %s: the machine did not boot (%s) with command line \"%s\"\n",
		cmd, strerror(-err), cmdline);
	return EXIT_FAIL;
}

/* ------------------------------------------------------------------ */
/* Help, for the terminal and as roff                                   */

#define INDENT	"       "
#define WIDTH	79

/* Print @text wrapped at WIDTH with @indent; '\n' forces a line break. */
static void print_wrapped(FILE *out, const char *indent, const char *text)
{
	size_t col = 0, ind = strlen(indent);
	const char *p = text;

	while (*p) {
		size_t word = strcspn(p, " \n");

		if (col && col + 1 + word > WIDTH) {
			fputc('\n', out);
			col = 0;
		}
		if (!col) {
			fputs(indent, out);
			col = ind;
		} else {
			fputc(' ', out);
			col++;
		}
		fwrite(p, 1, word, out);
		col += word;
		p += word;
		if (*p == '\n') {
			fputc('\n', out);
			col = 0;
		}
		if (*p)
			p++;
	}
	if (col)
		fputc('\n', out);
}

/* Each paragraph of @text (split at blank lines), wrapped. */
static void print_paragraphs(FILE *out, const char *indent, const char *text)
{
	char buf[4096];
	const char *p = text;

	while (*p) {
		const char *end = strstr(p, "\n\n");
		size_t len = end ? (size_t)(end - p) : strlen(p);

		snprintf(buf, sizeof(buf), "%.*s", (int)len, p);
		print_wrapped(out, indent, buf);
		p += len;
		if (*p) {
			fputc('\n', out);
			p += 2;
		}
	}
}

static const char environment[] =
	"UKMEM_CMDLINE: the kernel command line when --cmdline is not given (`show`, `demo`, "
	"`map`; `run` passes it on to the program)\n"
	"UKMEM_MALLOC_LIB: the preload library `run` uses\n"
	"UKMEM_REPORT: where a program on the front end writes its exit report (set by "
	"`run`: stderr or a file); UKMEM_REPORT_PID, UKMEM_REPORT_FULL, "
	"UKMEM_REPORT_FORMAT and UKMEM_RUN_START: what `run` asked the report for";

static void print_option(FILE *out, const struct cmd_option *o)
{
	fprintf(out, INDENT "%s", o->name);
	if (o->alias)
		fprintf(out, ", %s", o->alias);
	if (o->arg)
		fprintf(out, " %s", o->arg);
	fputc('\n', out);
	print_wrapped(out, INDENT INDENT, o->help);
}

static void print_manual(const struct command *c)
{
	const struct cmd_option *o;
	const char *p;

	printf("NAME\n" INDENT "ukmem %s - %s\n\nSYNOPSIS\n", c->name, c->summary);
	print_wrapped(stdout, INDENT, c->synopsis);
	printf("\nDESCRIPTION\n");
	print_paragraphs(stdout, INDENT, c->description);
	if (c->options) {
		printf("\nOPTIONS\n");
		for (o = c->options; o->name; o++)
			print_option(stdout, o);
	}
	printf("\nENVIRONMENT\n");
	for (p = environment; *p; ) {
		char line[512];
		size_t len = strcspn(p, "\n");

		snprintf(line, sizeof(line), "%.*s", (int)len, p);
		print_wrapped(stdout, INDENT, line);
		p += len + (p[len] == '\n');
	}
	printf("\nEXIT STATUS\n");
	print_wrapped(stdout, INDENT, c->exit_status);
}

/* roff: escape backslashes and a leading dot or quote; '-' as \-. */
static void roff_text(FILE *out, const char *text, size_t len)
{
	bool line_start = true;
	size_t i;

	for (i = 0; i < len; i++) {
		char ch = text[i];

		if (line_start && (ch == '.' || ch == '\''))
			fputs("\\&", out);
		line_start = false;
		if (ch == '\\')
			fputs("\\e", out);
		else if (ch == '-')
			fputs("\\-", out);
		else if (ch == '`')
			fputs("\\(ga", out);
		else if (ch == '\n') {
			fputs("\n.br\n", out);
			line_start = true;
		} else
			fputc(ch, out);
	}
}

static void roff_paragraphs(FILE *out, const char *text)
{
	const char *p = text;

	while (*p) {
		const char *end = strstr(p, "\n\n");
		size_t len = end ? (size_t)(end - p) : strlen(p);

		fputs(".PP\n", out);
		roff_text(out, p, len);
		fputc('\n', out);
		p += len;
		if (*p)
			p += 2;
	}
}

static void roff_option(FILE *out, const struct cmd_option *o)
{
	fputs(".TP\n\\fB", out);
	roff_text(out, o->name, strlen(o->name));
	fputs("\\fR", out);
	if (o->alias) {
		fputs(", \\fB", out);
		roff_text(out, o->alias, strlen(o->alias));
		fputs("\\fR", out);
	}
	if (o->arg) {
		fputs(" \\fI", out);
		roff_text(out, o->arg, strlen(o->arg));
		fputs("\\fR", out);
	}
	fputc('\n', out);
	roff_text(out, o->help, strlen(o->help));
	fputc('\n', out);
}

/* "TAG<sep>meaning" lines as a tagged list. */
static void roff_tagged_lines(FILE *out, const char *text, const char *sep)
{
	size_t seplen = strlen(sep);
	const char *p = text;

	while (*p) {
		size_t len = strcspn(p, "\n");
		const char *s = memmem(p, len, sep, seplen);

		fputs(".TP\n", out);
		if (s) {
			const char *body = s + seplen;

			fputs("\\fB", out);
			roff_text(out, p, s - p);
			fputs("\\fR\n", out);
			while (*body == ' ')
				body++;
			roff_text(out, body, p + len - body);
		} else {
			roff_text(out, p, len);
		}
		fputc('\n', out);
		p += len + (p[len] == '\n');
	}
}

/* ukmem(1): every command's text, in man(7) macros. */
static void print_roff(void)
{
	const struct command *c;
	const struct cmd_option *o;

	printf(".\\\" Generated by `ukmem help --man` from the help text of tools/ukmem.c.\n");
	printf(".TH UKMEM 1 \"\" \"ukmem %s\" \"User Commands\"\n", UKMEM_VERSION);
	printf(".SH NAME\nukmem \\- the Linux kernel's memory allocators in user space: "
	       "demo, reports, a live view and pictures of a program's memory\n");
	printf(".SH SYNOPSIS\n");
	for (c = commands; c->name; c++) {
		printf(".nf\n");
		roff_text(stdout, c->synopsis, strlen(c->synopsis));
		printf("\n.fi\n");
	}
	printf(".nf\nukmem \\-\\-version\n.fi\n");
	printf(".SH DESCRIPTION\n");
	roff_paragraphs(stdout,
		"ukmem is the Linux kernel's memory-allocation stack (memblock, the buddy page "
		"allocator, SLUB, vmalloc, mempools, per-CPU memory) as a user-space library, "
		"with the kernel's /proc reports and a malloc front end any program can preload. "
		"This command boots a machine to show what the kernel shows, runs programs on "
		"the front end, and watches and draws the memory of processes running on ukmem.");
	printf(".SH COMMANDS\n");
	for (c = commands; c->name; c++) {
		printf(".SS\n");
		roff_text(stdout, c->synopsis, strlen(c->synopsis));
		printf("\n");
		roff_text(stdout, c->summary, strlen(c->summary));
		printf(".\n");
		roff_paragraphs(stdout, c->description);
		if (c->options) {
			printf(".PP\nOptions:\n.RS\n");
			for (o = c->options; o->name; o++)
				roff_option(stdout, o);
			printf(".RE\n");
		}
		printf(".PP\nExit status:\n.RS\n");
		roff_tagged_lines(stdout, c->exit_status, "  ");
		printf(".RE\n");
	}
	printf(".SH ENVIRONMENT\n");
	roff_tagged_lines(stdout, environment, ": ");
	printf(".SH EXIT STATUS\n");
	roff_tagged_lines(stdout, "0 success\n1 the machine did not boot (a kernel command line "
			  "the boot refuses), or the command failed\n"
			  "2 usage error: an unknown option or report name, or a missing value", " ");
	printf(".PP\n\\fBrun\\fR exits with its program's status.\n");
	printf(".SH SEE ALSO\n\\fBproc\\fR(5), \\fBslabinfo\\fR(5), \\fBslabtop\\fR(1), "
	       "\\fBvmstat\\fR(8), \\fBpkg\\-config\\fR(1)\n");
}

static int cmd_help(int argc, char **argv)
{
	const struct command *c;

	if (argc >= 2 && !strcmp(argv[1], "params")) {
		const struct boot_param *p;

		printf("Boot parameters (UKMEM_CMDLINE or --cmdline), kernel names and meanings:\n");
		for (p = boot_params; p->name; p++)
			printf("  %-24s %s\n", p->name, p->help);
		return EXIT_OK;
	}
	if (argc >= 2 && !strcmp(argv[1], "--man")) {
		print_roff();
		return EXIT_OK;
	}
	if (argc >= 2) {
		for (c = commands; c->name; c++)
			if (!strcmp(c->name, argv[1])) {
				print_manual(c);
				return EXIT_OK;
			}
		fprintf(stderr, "ukmem help: no command '%s' (try `ukmem help`)\n", argv[1]);
		return EXIT_USAGE;
	}
	printf("usage: ukmem COMMAND [ARGS]\n\nCommands:\n");
	for (c = commands; c->name; c++)
		printf("  %-10s %s\n", c->name, c->summary);
	printf("\n`ukmem help COMMAND` prints a command's manual; `ukmem help params` lists\n"
	       "the boot parameters; `man ukmem` has them all.  Exit status: 0 success,\n"
	       "1 failure, 2 usage error (`run` passes on its program's status).\n");
	return EXIT_OK;
}

/* ------------------------------------------------------------------ */
/* The commands                                                         */

#define EXIT_STATUS_COMMON \
	"0  success\n" \
	"1  the machine did not boot (the kernel's reasons come first: a malformed " \
	"parameter, a mem= below the minimum, which the message names), or the command " \
	"failed\n" \
	"2  usage error: an unknown option or report name, or a missing value"

#define OPT_CMDLINE(what) \
	{ "--cmdline", NULL, "\"...\"", "the kernel command line of " what " (default: " \
	  "$UKMEM_CMDLINE, else \"" DEMO_CMDLINE "\")" }

static const struct cmd_option demo_options[] = {
	OPT_CMDLINE("the demo machine"),
	{ "--map", NULL, "FILE",
	  "end with a picture of the workload's memory: `ukmem map` of the demo machine, as "
	  "SVG (PNG if FILE ends in .png), written to FILE" },
	{ NULL, NULL, NULL, NULL },
};

static const struct cmd_option sysctl_options[] = {
	OPT_CMDLINE("the demo machine"),
	{ "--all", "-a", NULL, "print every readable sysctl (after the NAMEs)" },
	{ NULL, NULL, NULL, NULL },
};

static const struct cmd_option show_options[] = {
	OPT_CMDLINE("the demo machine"),
	{ "--pid", "-p", "PID",
	  "the report of process PID, running on ukmem (started with `ukmem run` or linked "
	  "with the library), read while it runs" },
	{ NULL, NULL, NULL, NULL },
};

static const struct cmd_option run_options[] = {
	{ "--cmdline", NULL, "\"...\"",
	  "the program's kernel command line (its UKMEM_CMDLINE), e.g. \"mem=2G "
	  "slub_debug=FZPU\"; checked before the program starts, and refused as `show` "
	  "refuses it" },
	{ "--report", NULL, "FILE",
	  "where the exit reports go: a file (appended; it must be writable), \"stderr\" "
	  "(the default) or \"stdout\"" },
	{ "--leaks", NULL, NULL,
	  "boot the program with kmemleak=on and write, when it exits, every block no pointer "
	  "reaches any more with its allocation stack (kmemleak's report) where --report says" },
	{ "--report-format", NULL, "FORMAT",
	  "text (the default) or json: one JSON object per process and line, the summary "
	  "and every cache's figures" },
	{ "--json", NULL, NULL, "the same as --report-format json" },
	{ "--full", NULL, NULL,
	  "keep the rows of meminfo, slabinfo and buddyinfo that are all zeros (left out "
	  "by default)" },
	{ "--follow-children", NULL, NULL,
	  "a report from every process of the program (its children, a shell wrapper's "
	  "commands); by default only the process `run` started reports, through its "
	  "exec()s" },
	{ "--top", NULL, NULL,
	  "show the live view of the program (as `ukmem top`) while it runs; on a terminal the "
	  "program reads /dev/null and writes to --output" },
	{ "--output", NULL, "FILE",
	  "with --top on a terminal: where the program's output goes (default /dev/null)" },
	{ "--record", NULL, "FILE",
	  "write the program's figures at every refresh to FILE, for `ukmem plot`" },
	{ "--interval", NULL, "SECONDS", "refresh (and --record) interval, default 1" },
	{ "--view", NULL, "VIEW", "with --top: the first view, caches, zones or pcp" },
	{ "--sort", NULL, "KEY", "with --top: the caches' order (a letter of caosnulg)" },
	{ NULL, NULL, NULL, NULL },
};

static const struct cmd_option top_options[] = {
	{ "--interval", NULL, "SECONDS", "time between refreshes (default 1)" },
	{ "--count", "-n", "N", "stop after N refreshes" },
	{ "--batch", "-b", NULL,
	  "write the frames one after another, without taking the terminal (for pipes and logs)" },
	{ "--view", NULL, "VIEW", "the first view: caches (default), zones or pcp" },
	{ "--sort", NULL, "KEY",
	  "the caches' order, slabtop's letters: c cache size (default), a active objects, o "
	  "objects, s object size, n name, u use, l slabs; and g growth" },
	{ "--record", NULL, "FILE", "also write the figures of every refresh to FILE, for "
	  "`ukmem plot`" },
	{ NULL, NULL, NULL, NULL },
};

static const struct cmd_option map_options[] = {
	{ "--pid", NULL, "PID", "the process to draw" },
	OPT_CMDLINE("the demo machine drawn without --pid or a SNAPSHOT"),
	{ "--output", "-o", "FILE", "the SVG picture (default: standard output)" },
	{ "--cell", NULL, "SIZE",
	  "pages per cell: page, pageblock (2^9 pages), an order N (2^N pages), or auto "
	  "(default: one page per cell up to 65536 cells, then the smallest order that stays "
	  "under it)" },
	{ "--save", NULL, "SNAPSHOT",
	  "also keep the page states in SNAPSHOT (then without --output no picture is drawn)" },
	{ NULL, NULL, NULL, NULL },
};

static const struct cmd_option symbolize_options[] = {
	{ "--exe", NULL, "PROGRAM",
	  "the program's file, as it was when the report was written (not stripped, for "
	  "static functions)" },
	{ "--base", NULL, "OFFSET", "the program's load offset in hex (\"Kernel Offset\")" },
	{ NULL, NULL, NULL, NULL }
};

static const struct cmd_option plot_options[] = {
	{ "--output", "-o", "FILE", "the SVG picture (default: standard output)" },
	{ "--zone", NULL, "ZONE",
	  "the zone whose fragmentation indices are drawn: a name (Normal) or NODE:NAME "
	  "(default: the zone with the most pages)" },
	{ "--print", NULL, NULL,
	  "instead of the picture, print both indices of every zone at every sample as the "
	  "kernel prints them (\"Node 0, zone   Normal 0.000 0.012 ...\")" },
	{ NULL, NULL, NULL, NULL },
};

#define LIVE_ACCESS \
	"The view reads the process's figures with process_vm_readv() while it runs " \
	"(the statistics area, docs/reports.md): the same user, and under " \
	"kernel.yama.ptrace_scope=1 only a process ukmem started (`ukmem run --top`) or root."

const struct command commands[] = {
	{ "demo", cmd_demo, "boot a machine and show what the kernel shows",
	  "ukmem demo [--cmdline \"...\"] [--map FILE]\n"
	  "ukmem demo pressure [--cmdline \"...\"]",
	  "Boot a machine (command line: --cmdline, $UKMEM_CMDLINE, or \"" DEMO_CMDLINE "\") "
	  "and print its boot log: the physical memory map, zone ranges, the virtual memory "
	  "layout and the \"Memory:\" line.  Run a short built-in workload (pages, a slab "
	  "cache, kmalloc, vmalloc) and print meminfo, zoneinfo, buddyinfo, pagetypeinfo, "
	  "slabinfo and vmallocinfo in the kernel's formats.\n\n"
	  "Last, run a real program (python3, or the C compiler) on the malloc front end "
	  "with `ukmem run` and show its exit report.  With --map, end with a picture of "
	  "the demo machine's physical memory after the workload (`ukmem map`).\n\n"
	  "`ukmem demo pressure` (command line: --cmdline, $UKMEM_CMDLINE, or \""
	  DEMO_PRESSURE_CMDLINE "\"): an object cache with a shrinker grows to twice the "
	  "machine's RAM; kswapd and direct reclaim keep it going.  Every 16 MiB a line "
	  "shows the shrinker's calls from kswapd and from the program, /proc/vmstat's "
	  "pgsteal and pageoutrun, and MemFree against the min watermark; then the "
	  "counters' changes and vm.drop_caches=2 emptying the cache.  It exits 1 if "
	  "MemFree went below min by more than one per-CPU refill (the kernel tests "
	  "the watermark for one block, then takes a batch) or an allocation failed.",
	  demo_options,
	  EXIT_STATUS_COMMON "\nN  otherwise, the real program's status" },
	{ "show", cmd_show, "print one report of a demo machine or a running process",
	  "ukmem show NAME [--cmdline \"...\" | --pid PID]",
	  "Boot a demo machine (command line: --cmdline, $UKMEM_CMDLINE, or \""
	  DEMO_CMDLINE "\"), run the built-in workload and print one report in the "
	  "kernel's format: meminfo, buddyinfo, pagetypeinfo, zoneinfo, slabinfo, "
	  "vmallocinfo, dmesg, one of a cache's /sys/kernel/slab files slab/CACHE/FILE "
	  "(order, objects, partial, aliases, ...; CACHE as slabinfo names it), its "
	  "debugfs trace files slab/CACHE/alloc_traces or slab/CACHE/free_traces (the "
	  "cache needs slub_debug=U), or the shrinkers' debugfs files: shrinker (the "
	  "list) and shrinker/NAME-ID/count.  An unknown NAME lists the known ones.\n\n"
	  "With --pid, the report of a running process instead, without stopping it: "
	  "meminfo, buddyinfo, zoneinfo, pagetypeinfo, slabinfo or dmesg, as the process "
	  "itself would print it (the library's report code runs on a copy of its figures, "
	  "read with process_vm_readv(); the same user, and under "
	  "kernel.yama.ptrace_scope=1 only a process ukmem started).",
	  show_options,
	  EXIT_STATUS_COMMON },
	{ "sysctl", cmd_sysctl, "read and set the sysctls of a demo machine",
	  "ukmem sysctl [--cmdline \"...\"] [-a] NAME[=VALUE]...",
	  "Boot a demo machine (command line: --cmdline, $UKMEM_CMDLINE, or \"" DEMO_CMDLINE
	  "\"), run the built-in workload, then, in order, set each NAME=VALUE and print "
	  "each NAME as sysctl(8) does (\"name = value\"); -a then prints every readable one.  "
	  "Names: vm.drop_caches (write-only), vm.min_free_kbytes, vm.watermark_scale_factor, "
	  "vm.watermark_boost_factor, vm.panic_on_oom, kernel.panic_on_warn, kernel.warn_limit; "
	  "the /proc/sys/... spellings work "
	  "too.  A program sets them with ukmem_sysctl() (<ukmem/sysctl.h>).",
	  sysctl_options,
	  EXIT_STATUS_COMMON "\n1  also for an unknown name or a rejected value" },
	{ "run", cmd_run, "run a program on the malloc front end",
	  "ukmem run [--cmdline \"...\"] [--report FILE] [--report-format FORMAT | --json] [--full] "
	  "[--follow-children] [--leaks] [--top [--output FILE] [--view VIEW] [--sort KEY]] [--record FILE] "
	  "[--interval SECONDS] -- PROGRAM ARGS...",
	  "Run PROGRAM with the malloc front end preloaded (libukmem-malloc.so, found "
	  "through $UKMEM_MALLOC_LIB, beside the ukmem binary, or in ../lib), its machine "
	  "booted with the given kernel command line.  When the program exits, its exit "
	  "report is appended to FILE (default: stderr): a summary (elapsed time, bytes in "
	  "use and at the peak, the peak RSS, the size classes, the largest blocks), then "
	  "meminfo, slabinfo and buddyinfo without their empty rows, and in a file the "
	  "kernel log of the run (every BUG and WARNING).  Child processes inherit the "
	  "front end; with --follow-children each of them reports too.  PYTHONMALLOC is "
	  "set to malloc unless it is set: CPython's own allocator would hide its "
	  "allocations from the front end.\n\n"
	  "With --top, show the live view of the program while it runs (`ukmem top`); with "
	  "--record, sample its figures for `ukmem plot`.  Both end when it exits.",
	  run_options,
	  "N  the program's own exit status\n"
	  "128+N  signal N killed it\n"
	  "127  it could not be started\n"
	  "1  the preload library is missing, the report file cannot be written, or the "
	  "kernel command line does not boot (as `show` says it)\n"
	  "2  usage error (as for the other commands)" },
	{ "top", cmd_top, "the memory of a running process, live",
	  "ukmem top [--interval SECONDS] [--count N] [--batch] [--view VIEW] [--sort KEY] "
	  "[--record FILE] PID",
	  "Show the memory of process PID, which runs on ukmem (started with `ukmem run` or "
	  "linked with the library), on the whole terminal, refreshed every second, as "
	  "slabtop and vmstat show the kernel's: RSS, free, slab, vmalloc, per-CPU and "
	  "per-CPU-list memory, the allocation rate, reclaim counters, and one of three "
	  "views: caches (the slab caches sorted by size: objects, active objects, use, "
	  "object size, slabs, cache size and growth since the last refresh), zones (free "
	  "pages and free blocks per order, watermarks, per-CPU list fill), pcp (each CPU's "
	  "page list against its high mark).\n\n"
	  "Keys: q quits; Tab or v cycles the views, 1 2 3 choose one; c a o s n u l g sort "
	  "the caches; + and - double or halve the interval.\n\n" LIVE_ACCESS,
	  top_options,
	  "0  the view ended (q, --count, or the process exited)\n"
	  "1  the process is not running on ukmem, or may not be read\n"
	  "2  usage error" },
	{ "map", cmd_map, "draw the physical memory of a process as a picture",
	  "ukmem map [--cell SIZE] [--output FILE] [--save SNAPSHOT] --pid PID\n"
	  "ukmem map [--cell SIZE] [--output FILE] SNAPSHOT\n"
	  "ukmem map [--cell SIZE] [--output FILE] [--save SNAPSHOT] [--cmdline \"...\"]",
	  "Draw every page frame of process PID's machine (a process on ukmem, read while "
	  "it runs) as a cell of an SVG picture, coloured by its state: free blocks by "
	  "order, free blocks reported to the host, pages on the per-CPU lists, slab pages "
	  "by cache (the twelve largest caches by colour, the rest together), vmalloc "
	  "pages, reserved and other allocated pages, holes; a legend counts the pages of "
	  "each state.  A cell is one page, or 2^N pages with --cell (each drawn in the "
	  "state most of its pages have).  A process that runs on is read as it changes; "
	  "stop it (kill -STOP) for an exact picture.\n\n"
	  "--save writes the states of all pages to SNAPSHOT, a text file that `ukmem map "
	  "SNAPSHOT` draws again later, without the process.  Without --pid or a "
	  "SNAPSHOT, boot a demo machine (command line: --cmdline, $UKMEM_CMDLINE, or \""
	  DEMO_CMDLINE "\"), run the demo's workload and draw that.\n\n" LIVE_ACCESS,
	  map_options,
	  "0  the picture (or snapshot) was written\n"
	  "1  the process is not running on ukmem or may not be read, a file failed, or "
	  "the demo machine did not boot\n"
	  "2  usage error" },
	{ "plot", cmd_plot, "draw a recording of a running program as time series",
	  "ukmem plot [--output FILE] [--zone ZONE] [--print] RECORDING",
	  "Draw RECORDING, the figures `ukmem run --record` or `ukmem top --record` sampled "
	  "while a program ran, as an SVG picture of five panels over time: memory (RSS, "
	  "free, slab, per-CPU lists); free pages by order, stacked; the slab bytes of the "
	  "eight largest caches and of the rest; and per order, for one zone, the "
	  "fragmentation indices the kernel shows in debugfs (extfrag/unusable_index): "
	  "unusable_index, the share of free memory in blocks too small for the order "
	  "(0 none .. 1 all), and extfrag_index, which says whether a failing request of "
	  "that order fails for lack of memory (towards 0) or for fragmentation (towards 1), "
	  "drawn only where such a request would fail (the kernel's -1).",
	  plot_options,
	  "0  the picture was written\n"
	  "1  the recording or the output could not be read or written\n"
	  "2  usage error, or no such zone" },
	{ "ps", cmd_ps, "list the processes running on ukmem",
	  "ukmem ps",
	  "List the processes of this user that run on ukmem, preloaded or linked (their "
	  "memory maps name the statistics area), with their RSS, RAM, free memory, slab "
	  "memory and boot command line.",
	  NULL,
	  "0  success (also when there is none)\n"
	  "1  /proc cannot be read" },
	{ "symbolize", cmd_symbolize, "name the bare addresses of a saved report",
	  "ukmem symbolize --exe PROGRAM [--base OFFSET] [REPORT]",
	  "Copy REPORT (default: standard input) to standard output with each \"0x...\" word "
	  "that falls in a function or variable of PROGRAM replaced by "
	  "\"name+0xoff/0xsize\", as %pS prints it.  An address is looked up at address - "
	  "OFFSET in PROGRAM's symbol table (.symtab, static functions included, else "
	  ".dynsym).  Without --base, OFFSET is read from the \"Kernel Offset: 0x... from "
	  "0x...\" line that ends each call trace.  Inside a call trace addresses are return "
	  "addresses and are looked up as %pB does.",
	  symbolize_options,
	  "0  success\n"
	  "1  PROGRAM has no symbol table, or REPORT cannot be read\n"
	  "2  usage error" },
	{ "help", cmd_help, "describe the commands and boot parameters",
	  "ukmem help [COMMAND | params | --man]",
	  "Without an argument, list the commands.  With a COMMAND, print its manual page.  "
	  "With \"params\", list every boot parameter with its kernel name and meaning.  "
	  "With --man, print the manual page ukmem(1) in roff (what `make install` "
	  "installs).",
	  NULL,
	  "0  success\n"
	  "2  no such command" },
	{ NULL, NULL, NULL, NULL, NULL, NULL, NULL },
};

/*
 * A command that succeeded but whose output was lost (a full disk,
 * `>/dev/full`) fails, as docs/cli.md says a failed file does: the
 * buffered output is flushed here to find out.
 */
static int output_checked(int ret)
{
	if (fflush(stdout) || ferror(stdout)) {
		fprintf(stderr, "ukmem: standard output: %s\n", strerror(errno));
		return ret ? ret : EXIT_FAIL;
	}
	return ret;
}

int main(int argc, char **argv)
{
	const struct command *c;

	/* No command: the usage, and a usage error's status (docs/cli.md), as git does. */
	if (argc < 2) {
		cmd_help(1, argv);
		return EXIT_USAGE;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))
		return cmd_help(argc - 1, argv + 1);
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "-V")) {
		printf("ukmem %s\n", UKMEM_VERSION);
		return EXIT_OK;
	}
	for (c = commands; c->name; c++)
		if (!strcmp(c->name, argv[1]))
			return output_checked(c->run(argc - 1, argv + 1));
	fprintf(stderr, "ukmem: unknown command '%s' (try `ukmem help`)\n", argv[1]);
	return EXIT_USAGE;
}
