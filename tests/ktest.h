/* SPDX-License-Identifier: MIT */
/*
 * tests/ktest.h - the smallest test harness that can fail: CHECK() records a
 * failed condition with file, line and the expression, and keeps going;
 * KTEST_MAIN() runs the listed cases and exits non-zero on any failure.
 * Silent on success, like the kernel's tools/testing/memblock.
 */
#ifndef _UKMEM_KTEST_H
#define _UKMEM_KTEST_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static int ktest_failures;
static const char *ktest_current;

#define CHECK(cond)							\
	do {								\
		if (!(cond)) {						\
			ktest_failures++;				\
			fprintf(stderr, "%s:%d: %s: CHECK failed: %s\n",	\
				__FILE__, __LINE__, ktest_current, #cond);	\
		}							\
	} while (0)

#define CHECK_EQ(a, b)							\
	do {								\
		long long _a = (long long)(a), _b = (long long)(b);	\
		if (_a != _b) {						\
			ktest_failures++;				\
			fprintf(stderr, "%s:%d: %s: CHECK_EQ failed: %s == %lld, %s == %lld\n", \
				__FILE__, __LINE__, ktest_current, #a, _a, #b, _b); \
		}							\
	} while (0)

#define CHECK_STR_CONTAINS(haystack, needle)				\
	do {								\
		if (!strstr((haystack), (needle))) {			\
			ktest_failures++;				\
			fprintf(stderr, "%s:%d: %s: \"%s\" not found in output:\n%s\n", \
				__FILE__, __LINE__, ktest_current, (needle), (haystack)); \
		}							\
	} while (0)

/* Milliseconds on the monotonic clock, and a sleep of @ms, for timing tests. */
static inline long ktest_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

static inline void ktest_sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

struct ktest_case {
	const char *name;
	void (*fn)(void);
};

#define KTEST(fn) { #fn, fn }

static inline int ktest_run(const struct ktest_case *cases, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		int before = ktest_failures;

		ktest_current = cases[i].name;
		cases[i].fn();
		if (ktest_failures != before)
			fprintf(stderr, "FAIL %s\n", cases[i].name);
	}
	if (ktest_failures)
		fprintf(stderr, "%d check(s) failed\n", ktest_failures);
	return ktest_failures ? 1 : 0;
}

#define KTEST_RUN(...)							\
	do {								\
		static const struct ktest_case _cases[] = { __VA_ARGS__ }; \
		return ktest_run(_cases, sizeof(_cases) / sizeof(_cases[0])); \
	} while (0)

#endif /* _UKMEM_KTEST_H */
