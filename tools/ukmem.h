/* SPDX-License-Identifier: MIT */
/*
 * tools/ukmem.h - what the files of the ukmem command share.
 *
 * One file per group of subcommands: ukmem.c (main, the command table,
 * help), demo.c (demo, show and the built-in workload), run.c (run).
 * A new subcommand adds its function here, its file in tools/ (CMake
 * builds every C file there) and its row in commands[] (ukmem.c).
 */
#ifndef _TOOLS_UKMEM_H
#define _TOOLS_UKMEM_H

#define DEMO_CMDLINE	"mem=1G loglevel=4"

/* One subcommand and its manual page (`ukmem help NAME`). */
struct command {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *summary;		/* NAME line */
	const char *synopsis;
	const char *description;
	const char *options;		/* NULL: none */
	const char *exit_status;
};

extern const struct command commands[];

/* demo.c */
const char *take_cmdline(int *argc, char **argv);
int boot_or_fail(const char *cmdline);
void demo_workload(void);
int cmd_demo(int argc, char **argv);
int cmd_show(int argc, char **argv);

/* run.c */
int cmd_run(int argc, char **argv);

#endif /* _TOOLS_UKMEM_H */
