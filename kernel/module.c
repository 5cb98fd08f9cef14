/* SPDX-License-Identifier: MIT */
/*
 * kernel/module.c - running kernel code's entry points: initcalls
 * (init/main.c do_one_initcall) and module_init/module_exit
 * (kernel/module/main.c do_init_module, delete_module) for code linked
 * into a program (linux/init.h, linux/module.h).
 *
 * Both run from constructors, before main(): the machine boots on the
 * first allocation they make, with UKMEM_CMDLINE, as it would for main().
 * An initcall that fails is reported and the boot goes on, as the
 * kernel's does.  A module whose init fails is not loaded: insmod's
 * message goes to stderr and the program exits with insmod's status, 1,
 * before main() runs.  A positive return is the kernel's "suspiciously
 * returned" warning, and the module counts as loaded.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/module.h>
#include <linux/printk.h>
#include "arch/host.h"

void ukmem_do_initcall(initcall_t fn, const char *name)
{
	int ret = fn();

	if (ret)
		pr_warn("initcall %s returned %d\n", name, ret);
}

void ukmem_module_load(initcall_t init, const char *name, const char *modname, int *loaded)
{
	char comm[16];
	int ret;

	if (!modname) {
		arch_comm(comm);
		modname = comm;
	}
	ret = init();
	if (ret < 0) {
		fflush(stdout);
		fprintf(stderr, "insmod: ERROR: could not insert module %s: %s (%s returned %d)\n",
			modname, strerror(-ret), name, ret);
		exit(1);
	}
	if (ret > 0) {
		pr_warn("%s: '%s'->init suspiciously returned %d, it should follow 0/-E convention\n",
			__func__, modname, ret);
		dump_stack();
	}
	*loaded = 1;
}

void ukmem_module_unload(exitcall_t exit_fn, int *loaded)
{
	if (!*loaded)
		return;
	*loaded = 0;
	exit_fn();
}
