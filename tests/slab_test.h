/* SPDX-License-Identifier: MIT */
/*
 * tests/slab_test.h - helpers shared by the slab tests: reading slabinfo
 * and meminfo lines, the log since the last clear, and running a piece of
 * a test in a forked child (its own boot command line, or a crash).
 */
#ifndef _UKMEM_SLAB_TEST_H
#define _UKMEM_SLAB_TEST_H

#define _GNU_SOURCE
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/slab.h>
#include <linux/stackdepot.h>
#include <ukmem/boot.h>
#include <ukmem/report.h>
#include "ktest_boot.h"

/* An ASan build: freed objects are poisoned and must not be read. */
#if defined(__SANITIZE_ADDRESS__)
#define TEST_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define TEST_ASAN 1
#endif
#endif
#ifndef TEST_ASAN
#define TEST_ASAN 0
#endif

/*
 * Run @fn(cmdline) in a child (ktest_child) for each of @n command lines;
 * the child boots with it and exits with its own checks' verdict.  Each
 * child that fails counts once here, under its command line's name.
 */
static inline void run_cmdlines(void (*fn)(void *cmdline), const char *const *lines, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		int status = ktest_child(fn, (void *)lines[i]);

		ktest_current = lines[i];
		CHECK(ktest_exited_with(status, 0));
	}
}

/*
 * Fill the stack depot (64 MiB at most) with made-up traces: records of
 * 64 frames, then of one frame until not even those fit.  True once a
 * save was refused.
 */
static inline bool stack_depot_fill(void)
{
	static const unsigned int frames[] = { 64, 1 };
	static unsigned long fake[64];
	unsigned long i;
	unsigned int f;

	for (i = 1; i < ARRAY_SIZE(fake); i++)
		fake[i] = 0x7000 + i;
	for (f = 0; f < ARRAY_SIZE(frames); f++)
		for (i = 1; ; i++) {
			if (i == (1UL << 20))
				return false;
			fake[0] = (i << 4) | f << 3;	/* a trace of each size never seen before */
			if (!stack_depot_save(fake, frames[f], GFP_KERNEL))
				break;
		}
	return true;
}

/* How many of @n bytes at @p are not zero. */
static inline size_t nonzero_bytes(const void *p, size_t n)
{
	const unsigned char *c = p;
	size_t i, bad = 0;

	for (i = 0; i < n; i++)
		bad += c[i] != 0;
	return bad;
}

/*
 * In a child of run_cmdlines(): boot with "@base @cmdline" (or exit 3),
 * reports to stderr, checks counted afresh (the child's exit status is its
 * own checks', not the parent's so far) under the command line's name.
 */
static inline void child_boot(const char *base, const char *cmdline)
{
	char line[512];

	ktest_failures = 0;
	ktest_current = cmdline;
	snprintf(line, sizeof(line), "%s %s", base, cmdline);
	ukmem_set_console(stderr);
	if (ukmem_boot(line))
		_exit(3);
}

/* A report as one malloc'ed string (glibc's malloc: not the allocator under test). */
static inline char *report_text(const char *name)
{
	return ktest_report_text(name);
}

/* One /proc/slabinfo line, its numbers. */
struct slabinfo_line {
	char name[64];
	unsigned long active_objs, num_objs;
	unsigned int objsize, objperslab, pagesperslab;
	unsigned int limit, batchcount, sharedfactor;
	unsigned long active_slabs, num_slabs, sharedavail;
};

/* The line of cache @name; false if there is none.  @raw gets the text if given. */
static inline bool slabinfo_get(const char *name, struct slabinfo_line *out, char *raw,
				size_t rawsize)
{
	char *text = report_text("slabinfo"), *line, *save = NULL;
	bool found = false;

	memset(out, 0, sizeof(*out));
	if (!text)
		return false;
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		struct slabinfo_line l;

		memset(&l, 0, sizeof(l));
		if (sscanf(line, "%63s %lu %lu %u %u %u : tunables %u %u %u : slabdata %lu %lu %lu",
			   l.name, &l.active_objs, &l.num_objs, &l.objsize, &l.objperslab,
			   &l.pagesperslab, &l.limit, &l.batchcount, &l.sharedfactor,
			   &l.active_slabs, &l.num_slabs, &l.sharedavail) != 12)
			continue;
		if (strcmp(l.name, name))
			continue;
		*out = l;
		if (raw)
			snprintf(raw, rawsize, "%s", line);
		found = true;
		break;
	}
	free(text);
	return found;
}

/* A meminfo value in kB ("Slab"), -1 if absent. */
static inline long meminfo_kb(const char *label)
{
	char *text = report_text("meminfo"), *p;
	size_t n = strlen(label);
	long v = -1;

	if (!text)
		return -1;
	for (p = text; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL) {
		if (!strncmp(p, label, n) && p[n] == ':') {
			v = strtol(p + n + 1, NULL, 10);
			break;
		}
	}
	free(text);
	return v;
}

/* The log since the last ukmem_dmesg_clear(), without the "[    0.001234] " stamps. */
static char slab_test_log[1 << 18], slab_test_raw[1 << 18];
static inline const char *log_text(void)
{
	const char *in = slab_test_raw;
	char *out = slab_test_log;
	bool bol = true;

	ukmem_dmesg(slab_test_raw, sizeof(slab_test_raw));
	while (*in) {
		if (bol && *in == '[') {
			const char *end = strstr(in, "] ");

			if (end && !memchr(in, '\n', (size_t)(end - in))) {
				in = end + 2;
				bol = false;
				continue;
			}
		}
		bol = *in == '\n';
		*out++ = *in++;
	}
	*out = '\0';
	return slab_test_log;
}

static inline int count_substr(const char *hay, const char *needle)
{
	int n = 0;
	size_t len = strlen(needle);

	while ((hay = strstr(hay, needle))) {
		n++;
		hay += len;
	}
	return n;
}

/*
 * Run @fn in a forked child that has not booted yet; returns the child's
 * stderr in @out and its wait status.  The child boots itself (fn calls
 * ukmem_boot) and exits 0 if all its checks passed.
 */
static inline int run_in_child(void (*fn)(void), char *out, size_t outsize)
{
	int fds[2], status = 0;
	size_t len = 0;
	pid_t pid;

	if (pipe(fds))
		return -1;
	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		struct rlimit none = { 0, 0 };

		setrlimit(RLIMIT_CORE, &none);
		close(fds[0]);
		dup2(fds[1], STDERR_FILENO);
		fn();
		_exit(ktest_failures ? 1 : 0);
	}
	close(fds[1]);
	for (;;) {
		ssize_t n = read(fds[0], out + len, outsize - 1 - len);

		if (n <= 0)
			break;
		len += (size_t)n;
	}
	out[len] = '\0';
	close(fds[0]);
	if (waitpid(pid, &status, 0) != pid)
		return -1;
	return status;
}

/*
 * A case that must end the process the kernel's way: @fn (booting its own
 * machine) runs in a child, which must die of SIGABRT with every line of
 * @want in its stderr, which is shown when a check failed.
 */
struct crash_case {
	const char *name;
	void (*fn)(void);
	const char *want[5];
};

static inline void run_crash_case(const struct crash_case *c)
{
	static char out[1 << 18];
	int status, i;

	ktest_current = c->name;
	status = run_in_child(c->fn, out, sizeof(out));
	CHECK(WIFSIGNALED(status));
	CHECK_EQ(WIFSIGNALED(status) ? WTERMSIG(status) : -1, SIGABRT);
	for (i = 0; c->want[i]; i++)
		CHECK_STR_CONTAINS(out, c->want[i]);
	if (ktest_failures)
		fprintf(stderr, "--- the child's status %#x, its output:\n%s\n", status, out);
}

/* Every crash case, then this process boots (quietly) on @cmdline: 0, or 1 if it cannot. */
static inline int crash_cases_then_boot(const struct crash_case *cases, size_t n,
					const char *cmdline)
{
	size_t i;

	for (i = 0; i < n; i++)
		run_crash_case(&cases[i]);
	ktest_current = NULL;
	ukmem_set_console(fopen("/dev/null", "w"));
	if (ukmem_boot(cmdline)) {
		fprintf(stderr, "boot failed\n");
		return 1;
	}
	return 0;
}

#endif /* _UKMEM_SLAB_TEST_H */
