/* SPDX-License-Identifier: MIT */
/*
 * kernel/params.h - the boot command line: one table of parameters with
 * their kernel names (kernel/params.c), and the helpers their handlers use.
 */
#ifndef _KERNEL_PARAMS_H
#define _KERNEL_PARAMS_H

#include <ukmem/kernel_types.h>

/*
 * A handler gets the text after '=' (NULL for a bare flag) and returns 0,
 * -EINVAL for a malformed value (reported as the kernel reports an early
 * option's), or PARAM_UNHANDLED: what a kernel __setup() handler's 0
 * means, the word not taken, passed on to init and so reported among the
 * unknown parameters, the boot going on (failslab=junk).
 */
/* The longest command line, as x86's asm/setup.h; longer ones are cut there. */
#define COMMAND_LINE_SIZE	2048

#define PARAM_UNHANDLED	1

struct boot_param {
	const char *name;
	int (*setup)(const char *val);
	const char *help;
};

/* Parse @cmdline; 0, or -EINVAL if any parameter was malformed. */
int parse_boot_params(const char *cmdline);
/* Report the unknown parameters of the last parse, as the kernel does. */
void print_unknown_bootoptions(void);
/* The last parse's sysctl.NAME=VALUE words, set now that the machine is up. */
void apply_boot_sysctls(void);
/* kernel/sysctl.c: one of them, with the kernel's messages. */
void sysctl_boot_arg(const char *name, const char *value);
/* memparse: number with optional K/M/G/T/P/E suffix; *retptr after it. */
unsigned long long memparse(const char *ptr, char **retptr);
/* The table, NULL-terminated, for `ukmem help`. */
extern const struct boot_param boot_params[];

#endif /* _KERNEL_PARAMS_H */
