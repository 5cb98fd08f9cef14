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

/* Two strings are equal; both are shown when not. */
#define CHECK_STR_EQ(got, want)						\
	do {								\
		const char *_g = (got), *_w = (want);			\
		if (strcmp(_g, _w)) {					\
			ktest_failures++;				\
			fprintf(stderr, "%s:%d: got \"%s\", want \"%s\"\n",	\
				__FILE__, __LINE__, _g, _w);		\
		}							\
	} while (0)

/* @text matches the extended regular expression @pattern somewhere. */
#include <regex.h>
#include <stdbool.h>

static inline bool ktest_matches(const char *text, const char *pattern)
{
	regex_t r;
	bool ok;

	if (regcomp(&r, pattern, REG_EXTENDED | REG_NOSUB))
		return false;
	ok = regexec(&r, text, 0, NULL, 0) == 0;
	regfree(&r);
	return ok;
}

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

/*
 * Skips.  A case that cannot run here (a tool or a host feature missing)
 * calls KTEST_SKIP("why"); the program then exits with CTest's skip code
 * (tests/CMakeLists.txt sets SKIP_RETURN_CODE 77) unless a check failed,
 * so a skip shows as a skip, never as a pass.
 */
#define KTEST_SKIP_CODE	77
static int ktest_skips;

#define KTEST_SKIP(...)							\
	do {								\
		ktest_skips++;						\
		fprintf(stderr, "SKIP %s: ", ktest_current);		\
		fprintf(stderr, __VA_ARGS__);				\
		fprintf(stderr, "\n");					\
	} while (0)

static inline int ktest_run(const struct ktest_case *cases, size_t n)
{
	/* KTEST_ONLY=substring: run only the matching cases (debugging one case). */
	const char *only = getenv("KTEST_ONLY");
	size_t i, ran = 0;

	for (i = 0; i < n; i++) {
		int before = ktest_failures;

		if (only && *only && !strstr(cases[i].name, only))
			continue;
		ran++;
		ktest_current = cases[i].name;
		cases[i].fn();
		if (ktest_failures != before)
			fprintf(stderr, "FAIL %s\n", cases[i].name);
	}
	/* A misspelt KTEST_ONLY must not read as a pass. */
	if (!ran) {
		fprintf(stderr, "no case matches KTEST_ONLY=%s\n", only ? only : "");
		ktest_failures++;
	}
	if (ktest_failures)
		fprintf(stderr, "%d check(s) failed\n", ktest_failures);
	if (ktest_failures)
		return 1;
	return ktest_skips ? KTEST_SKIP_CODE : 0;
}

#define KTEST_RUN(...)							\
	do {								\
		static const struct ktest_case _cases[] = { __VA_ARGS__ }; \
		return ktest_run(_cases, sizeof(_cases) / sizeof(_cases[0])); \
	} while (0)

/*
 * Children with hang detection.  ktest_child() runs fn(arg) in a forked
 * child and returns its wait status.  There is no deadline on the work
 * itself (a loaded machine may be slow): the child calls ktest_progress()
 * as it goes, and only a child that makes no progress for
 * KTEST_HANG_SECONDS (default 120, environment variable of that name) is
 * declared hung: the parent prints "HANG" with the case name and the last
 * progress count, kills it with SIGKILL and returns that status.  A child
 * that never calls ktest_progress() is judged on its whole run.
 */
#include <signal.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

static volatile unsigned long *ktest_progress_word;

static inline void ktest_progress(void)
{
	if (ktest_progress_word)
		__atomic_fetch_add(ktest_progress_word, 1, __ATOMIC_RELAXED);
}

static inline long ktest_hang_seconds(void)
{
	const char *env = getenv("KTEST_HANG_SECONDS");
	long s = env ? atol(env) : 0;

	return s > 0 ? s : 120;
}

static inline int ktest_child(void (*fn)(void *arg), void *arg)
{
	volatile unsigned long *word = mmap(NULL, sizeof(*word), PROT_READ | PROT_WRITE,
					    MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	unsigned long last = 0;
	long quiet_ms = 0, limit_ms = ktest_hang_seconds() * 1000L;
	int status = -1;
	pid_t pid;

	if (word == MAP_FAILED)
		word = NULL;
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		perror("ktest_child: fork");
		return -1;
	}
	if (pid == 0) {
		/* The child's verdict is its own checks and skips, not the parent's so far. */
		ktest_failures = 0;
		ktest_skips = 0;
		ktest_progress_word = word;
		fn(arg);
		fflush(NULL);
		_exit(ktest_failures ? 1 : ktest_skips ? KTEST_SKIP_CODE : 0);
	}
	for (;;) {
		pid_t r = waitpid(pid, &status, WNOHANG);

		if (r == pid)
			break;
		if (r < 0) {
			perror("ktest_child: waitpid");
			status = -1;
			break;
		}
		ktest_sleep_ms(10);
		if (word && *word != last) {
			last = *word;
			quiet_ms = 0;
		} else if ((quiet_ms += 10) >= limit_ms) {
			fprintf(stderr, "HANG %s: child %d made no progress for %ld s "
				"(progress count %lu); killed\n", ktest_current ? ktest_current : "?",
				(int)pid, limit_ms / 1000, last);
			kill(pid, SIGKILL);
			waitpid(pid, &status, 0);
			break;
		}
	}
	if (word)
		munmap((void *)word, sizeof(*word));
	return status;
}

/*
 * Stress runs (tests/stress_*.c) take two knobs from the environment, and
 * print them (ktest_stress_banner) so that a failure can be rerun as it was:
 *   KTEST_STRESS_PERCENT  1..100 (default 100): each thread's operations
 *                         are this share of the full run's (.ci/run and
 *                         `make tsan` run a short pass, `make stress` all);
 *   KTEST_STRESS_SEED     the first round's seed (default 1); the later
 *                         rounds take the seeds after it.
 */
static inline unsigned long ktest_stress_ops(unsigned long full)
{
	const char *env = getenv("KTEST_STRESS_PERCENT");
	long pct = env ? atol(env) : 100;
	unsigned long ops;

	if (pct <= 0 || pct > 100)
		pct = 100;
	ops = full * (unsigned long)pct / 100;
	return ops ? ops : 1;
}

static inline unsigned int ktest_stress_seed(void)
{
	const char *env = getenv("KTEST_STRESS_SEED");

	return env && *env ? (unsigned int)strtoul(env, NULL, 0) : 1;
}

static inline void ktest_stress_banner(const char *name)
{
	fprintf(stderr, "%s: KTEST_STRESS_SEED=%u KTEST_STRESS_PERCENT=%lu\n", name,
		ktest_stress_seed(), ktest_stress_ops(100));
}

/* The child exited normally with @code. */
static inline int ktest_exited_with(int status, int code)
{
	return status != -1 && WIFEXITED(status) && WEXITSTATUS(status) == code;
}

/*
 * Run @cmd through the shell (add 2>&1 for its stderr): its output, cut
 * to @size - 1 bytes, in @buf; its status as pclose() gives it, or -1 if
 * it could not be started.
 */
static inline int ktest_capture(const char *cmd, char *buf, size_t size)
{
	size_t len = 0;
	FILE *f;

	fflush(NULL);
	buf[0] = '\0';
	f = popen(cmd, "r");
	if (!f)
		return -1;
	while (len < size - 1) {
		size_t n = fread(buf + len, 1, size - 1 - len, f);

		if (!n)
			break;
		len += n;
	}
	buf[len] = '\0';
	return pclose(f);
}

/*
 * A whole case in a child (ktest_child), its outcome counted here: exit 0
 * passes, KTEST_SKIP_CODE (the child called KTEST_SKIP) is a skip,
 * anything else - a failed check, a signal, a hang - is a failure.
 * True if it passed.
 */
static inline int ktest_child_case(void (*fn)(void *arg), void *arg)
{
	int status = ktest_child(fn, arg);
	const char *name = ktest_current ? ktest_current : "?";

	if (ktest_exited_with(status, 0))
		return 1;
	if (ktest_exited_with(status, KTEST_SKIP_CODE)) {
		ktest_skips++;
		return 0;
	}
	ktest_failures++;
	if (status == -1)
		fprintf(stderr, "%s: the child could not be run\n", name);
	else if (WIFSIGNALED(status))
		fprintf(stderr, "%s: the child was killed by signal %d\n", name, WTERMSIG(status));
	else
		fprintf(stderr, "%s: the child exited %d\n", name, WEXITSTATUS(status));
	return 0;
}

/*
 * KTEST_CHILD_CASE(fn) defines child_fn(): @fn, a case that boots a
 * machine of its own, run in a child of its own (ktest_child_case()), for
 * KTEST_RUN(KTEST(child_fn), ...).
 */
static inline void ktest_call_case(void *fn)
{
	(*(void (**)(void))fn)();
}

#define KTEST_CHILD_CASE(fn)						\
static void child_##fn(void)						\
{									\
	static void (*const body)(void) = fn;				\
									\
	ktest_child_case(ktest_call_case, (void *)&body);		\
}

/*
 * Pin the calling thread to the first CPU it may run on, so that a case
 * sees one CPU's per-CPU caches only; @old (if not NULL) receives the mask
 * it had, for sched_setaffinity() to restore.  Only for files that define
 * _GNU_SOURCE before their first include (cpu_set_t).
 */
#include <sched.h>
#ifdef CPU_SETSIZE
static inline bool ktest_pin_first_cpu(cpu_set_t *old)
{
	cpu_set_t allowed, one;
	int cpu;

	if (sched_getaffinity(0, sizeof(allowed), &allowed))
		return false;
	if (old)
		*old = allowed;
	for (cpu = 0; cpu < CPU_SETSIZE && !CPU_ISSET(cpu, &allowed); cpu++)
		;
	CPU_ZERO(&one);
	CPU_SET(cpu, &one);
	return sched_setaffinity(0, sizeof(one), &one) == 0;
}
#endif

#endif /* _UKMEM_KTEST_H */
