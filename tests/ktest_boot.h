/* SPDX-License-Identifier: MIT */
/*
 * tests/ktest_boot.h - a suite that starts as a fresh process (ktest.h is
 * shared with the malloc tests, which build without ukmem's headers).
 *
 * ktest_first_call(fn) runs @fn in a child before this process has
 * booted, so that @fn's first call is the process's first ukmem call (the
 * implicit boot); then ktest_boot_quietly() boots this process on
 * @cmdline with the console silenced, for the cases that follow.
 */
#ifndef _UKMEM_KTEST_BOOT_H
#define _UKMEM_KTEST_BOOT_H

#include <string.h>

#include <ukmem/boot.h>
#include "ktest.h"

static inline void ktest_first_call(void (*fn)(void *arg))
{
	ktest_current = "first call";
	CHECK(ktest_exited_with(ktest_child(fn, NULL), 0));
}

static inline bool ktest_boot_quietly(const char *cmdline)
{
	if (ukmem_boot(cmdline)) {
		fprintf(stderr, "boot failed\n");
		return false;
	}
	ukmem_set_console(fopen("/dev/null", "w"));
	return true;
}

/* The kernel log as it is now (a buffer of the test's, overwritten by each call). */
static inline const char *ktest_dmesg_now(void)
{
	static char buf[1 << 16];

	ukmem_dmesg(buf, sizeof(buf));
	return buf;
}

/* A WARNING is in the log (a test clears it first with ukmem_dmesg_clear()). */
static inline bool ktest_warned(void)
{
	return strstr(ktest_dmesg_now(), "WARNING") != NULL;
}

#endif /* _UKMEM_KTEST_BOOT_H */
