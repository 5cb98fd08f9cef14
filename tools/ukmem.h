/* SPDX-License-Identifier: MIT */
/*
 * tools/ukmem.h - what the files of the ukmem command share.
 *
 * One file per group of subcommands: ukmem.c (main, the command table,
 * help and the manual page), demo.c (demo, show and the built-in
 * workload; demo_pressure.c: demo pressure), sysctl.c (sysctl), run.c
 * (run), top.c (top, ps), map.c (map), plot.c (plot).  A new subcommand adds its function here, its
 * file in tools/ (CMake builds every C file there) and its row in
 * commands[] (ukmem.c), whose text is both `ukmem help NAME` and the
 * manual page ukmem(1).
 */
#ifndef _TOOLS_UKMEM_H
#define _TOOLS_UKMEM_H

#include <stdbool.h>
#include <stdio.h>
#include <sys/types.h>
#include <ukmem/kernel_types.h>

#define DEMO_CMDLINE	"mem=1G loglevel=4"

/* Exit statuses of every subcommand (`run` passes its program's on). */
#define EXIT_OK		0
#define EXIT_FAIL	1	/* the machine did not boot, a file, a process */
#define EXIT_USAGE	2	/* unknown option or report name, missing value */

/* One option of a subcommand: a flag, or one that takes a value. */
struct cmd_option {
	const char *name;		/* "--cmdline" */
	const char *alias;		/* "-o", or NULL */
	const char *arg;		/* the value's name in help ("FILE"); NULL: a flag */
	const char *help;
};

/* One subcommand and its manual page (`ukmem help NAME`, ukmem(1)). */
struct command {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *summary;		/* NAME line */
	const char *synopsis;		/* one or more lines */
	const char *description;	/* paragraphs split by blank lines */
	const struct cmd_option *options;	/* NULL-terminated; NULL: none */
	const char *exit_status;	/* lines "N  meaning" */
};

extern const struct command commands[];

/*
 * Where a parsed option goes: a bool for a flag, a const char * for a
 * value; both NULL-terminated in the same order as the command's options.
 */
struct opt_value {
	const char *name;
	bool *flag;
	const char **value;
};

/*
 * parse_options - take @cmd's options out of argv.
 * @stop: the first operand ends the options (`run`: the rest belongs to
 *	the program); otherwise options and operands may mix.  "--" always
 *	ends them.
 *
 * Accepts "--name VALUE" and "--name=VALUE".  On return argv[1..*argc-1]
 * are the operands (and, with @stop, everything after the first).  Returns
 * 0, or EXIT_USAGE after saying what is wrong (unknown option, missing
 * value).
 */
int parse_options(const char *cmd, int *argc, char **argv, const struct opt_value *opts,
		  bool stop);
/* A usage error of @cmd: the message, then where to read more; EXIT_USAGE. */
int usage_error(const char *cmd, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* --cmdline, else $UKMEM_CMDLINE, else DEMO_CMDLINE. */
const char *tool_cmdline(const char *given);
/*
 * Boot this process's machine with @cmdline.  What the boot says goes to
 * stderr (only if it fails, with @quiet), and when it fails, whatever the
 * command line's loglevel= (a mem= below the minimum names the minimum).
 * Returns 0 or EXIT_FAIL.
 */
int boot_or_fail(const char *cmd, const char *cmdline, bool quiet);

/* demo.c (and the demos in files of their own, tools/demo.h) */
void demo_workload(void);
int cmd_demo(int argc, char **argv);
int cmd_show(int argc, char **argv);

/* sysctl.c */
int cmd_sysctl(int argc, char **argv);

/* run.c */
int cmd_run(int argc, char **argv);

/* top.c: the live view (and the sampling behind --record) */
struct live_proc;
struct live_snap;
struct top_options {
	long interval_ms;		/* between refreshes */
	int iterations;			/* frames to draw; 0: until quit */
	bool batch;			/* frames one after another, no terminal control */
	bool quiet;			/* no frames at all (run --record alone) */
	int view;			/* 0 caches, 1 zones, 2 pcp */
	int sort;			/* index into "caosnulg" */
	FILE *record;			/* figures of every refresh, for plot */
};
/* Options of top and run --top into @o; 0 or an exit status after the message. */
int top_parse(const char *cmd, const char *interval, const char *count, const char *view,
	      const char *sort, const char *record, struct top_options *o);
/*
 * Watch @pid; with @child (a process of ours) until it exits, its wait
 * status into *@status.  Returns an exit status of the command.
 */
int top_run(int pid, const struct top_options *o, pid_t child, int *status);
void record_header(FILE *f, const struct live_proc *p, long interval_ms);
void record_sample(FILE *f, const struct live_snap *s, u64 start_ns);
int cmd_top(int argc, char **argv);
int cmd_ps(int argc, char **argv);

/* map.c: pictures of the physical memory */
int cmd_map(int argc, char **argv);
/* Draw process @pid's memory as SVG into @path (cell: NULL or --cell's text); an exit status. */
int map_process(int pid, const char *path, const char *cell);

/* plot.c: time series of a recording */
int cmd_plot(int argc, char **argv);

#endif /* _TOOLS_UKMEM_H */
