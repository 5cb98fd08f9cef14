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

#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <ukmem/boot.h>
#include <ukmem/report.h>
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

/*
 * Report @name read by @threads threads at once, @rounds times each, with
 * nothing changing: how many reads differ from one read alone (a report
 * that formats through a buffer shared by all readers mixes theirs).
 */
struct ktest_readers {
	const char *name, *want;
	int rounds;
	int differ;
};

/* A report as one malloc'ed string, or NULL if it cannot be read. */
static inline char *ktest_report_text(const char *name)
{
	char *text = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&text, &size);

	if (!f)
		return NULL;
	if (ukmem_show(name, f)) {
		fclose(f);
		free(text);
		return NULL;
	}
	fclose(f);
	return text;
}

static inline void *ktest_reader(void *arg)
{
	struct ktest_readers *r = arg;
	int i;

	for (i = 0; i < r->rounds; i++) {
		char *text = ktest_report_text(r->name);

		if (!text || strcmp(text, r->want))
			__atomic_add_fetch(&r->differ, 1, __ATOMIC_RELAXED);
		free(text);
	}
	return NULL;
}

static inline int ktest_readers_differ(const char *name, int threads, int rounds)
{
	struct ktest_readers r = { .name = name, .rounds = rounds };
	pthread_t t[8];
	char *want = ktest_report_text(name);
	int i, made = 0;

	if (!want)
		return -1;
	r.want = want;
	for (i = 0; i < threads && i < 8; i++)
		made += !pthread_create(&t[made], NULL, ktest_reader, &r);
	for (i = 0; i < made; i++)
		pthread_join(t[i], NULL);
	free(want);
	return made == threads ? r.differ : -1;
}

#endif /* _UKMEM_KTEST_BOOT_H */
