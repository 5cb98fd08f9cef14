/* SPDX-License-Identifier: MIT */
/*
 * tests/test_sanitizers.c - ASan and valgrind see what the ordinary shared
 * library hands out (mm/sanitizers.c): a program built with
 * -fsanitize=address (tests/sanitizers/target.c) is reported for reading
 * k[30] of kmalloc(24), 8 bytes past it, a freed object, past a cache's
 * object, a large kmalloc, a vmalloc area, a freed area, a mempool
 * element back in the reserve and freed pages;
 * its legal accesses (ksize, krealloc, mempool, slabs coming and going)
 * are never reported.  The same program without ASan under valgrind's
 * memcheck: "Invalid read" for the slack overrun and the use after free,
 * no error at all for the legal run.
 *
 * SAN_TARGET_ASAN / SAN_TARGET_PLAIN are the two builds (tests/
 * CMakeLists.txt); without a compiler that builds ASan programs, or
 * without valgrind, those cases are skipped.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "ktest.h"

#ifndef SAN_TARGET_ASAN
#define SAN_TARGET_ASAN ""
#endif
#ifndef SAN_TARGET_PLAIN
#define SAN_TARGET_PLAIN ""
#endif

static char out[1 << 20];

/* Run @cmd (add 2>&1 for its stderr): its output in out[], its exit code back. */
static int run(const char *cmd)
{
	int status = ktest_capture(cmd, out, sizeof(out));

	if (status == -1)
		return -1;
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

static int run_asan(const char *what)
{
	char cmd[1024];

	/* No leak check at exit (the target leaks on purpose), no colour. */
	snprintf(cmd, sizeof(cmd),
		 "ASAN_OPTIONS=detect_leaks=0:color=never:halt_on_error=1 '%s' %s 2>&1",
		 SAN_TARGET_ASAN, what);
	return run(cmd);
}

static bool asan_target(void)
{
	if (!*SAN_TARGET_ASAN) {
		KTEST_SKIP("the compiler cannot build -fsanitize=address programs");
		return false;
	}
	return true;
}

/* One bad read, reported by ASan as a read of @size at a poisoned byte. */
static void expect_asan(const char *what, const char *size)
{
	char line[64];
	int rc = run_asan(what);

	CHECK(rc != 0);
	/* ASan calls user-poisoned memory "use-after-poison", whatever the bug. */
	CHECK_STR_CONTAINS(out, "ERROR: AddressSanitizer: use-after-poison on address");
	snprintf(line, sizeof(line), "READ of size %s at", size);
	CHECK_STR_CONTAINS(out, line);
	CHECK_STR_CONTAINS(out, "main");
	CHECK(!strstr(out, "TARGET DONE"));
	if (ktest_failures)
		fprintf(stderr, "case %s: exit %d\n", what, rc);
}

static void test_asan_legal(void)
{
	int rc;

	if (!asan_target())
		return;
	rc = run_asan("ok");
	CHECK_EQ(rc, 0);
	CHECK_STR_CONTAINS(out, "TARGET DONE");
	CHECK(!strstr(out, "AddressSanitizer"));
}

/* The ASan target's @mode, clean (no ASan report) under each of @lines. */
static void asan_clean_under(const char *mode, const char *const *lines, unsigned int nr)
{
	char cmd[1024];
	unsigned int i;
	int rc;

	if (!asan_target())
		return;
	for (i = 0; i < nr; i++) {
		snprintf(cmd, sizeof(cmd),
			 "UKMEM_CMDLINE='%s' ASAN_OPTIONS=detect_leaks=0:color=never:halt_on_error=1 "
			 "'%s' %s 2>&1", lines[i], SAN_TARGET_ASAN, mode);
		rc = run(cmd);
		CHECK_EQ(rc, 0);
		CHECK_STR_CONTAINS(out, "TARGET DONE");
		CHECK(!strstr(out, "AddressSanitizer"));
		if (ktest_failures)
			fprintf(stderr, "%s: exit %d\n%.2000s\n", lines[i], rc, out);
	}
}

/*
 * The legal run under slab_debug: the debug caches' own words (red zones,
 * owner tracks, padding) lie in the slots' tails, which start closed
 * (kasan_poison_slab); the library writes them with memset, which the
 * program's ASan intercepts, so they must be opened around each access.
 */
static void test_asan_legal_slab_debug(void)
{
	static const char *const lines[] = { "slub_debug=FZPU", "slub_debug=Z", "slub_debug=U",
					     "init_on_free=1", "slub_debug=ZU init_on_free=1" };

	asan_clean_under("ok", lines, sizeof(lines) / sizeof(lines[0]));
}

/*
 * A slab's last object has no next slot: under slub_debug=Z its tail (up
 * to the next slot's left red zone) once ran past the slab and closed the
 * first bytes of the page after it, which the program may own.
 */
static void test_asan_slab_neighbours(void)
{
	static const char *const lines[] = { "slub_debug=Z", "slub_debug=FZPU", "" };

	asan_clean_under("neighbours", lines, sizeof(lines) / sizeof(lines[0]));
}

static void test_asan_slack(void)
{
	if (asan_target())
		expect_asan("slack", "1");
}

static void test_asan_slack8(void)
{
	if (asan_target())
		expect_asan("slack8", "8");
}

static void test_asan_use_after_free(void)
{
	if (asan_target())
		expect_asan("uaf", "1");
}

static void test_asan_krealloc_shrunk(void)
{
	if (asan_target())
		expect_asan("krealloc", "1");
}

static void test_asan_cache_object(void)
{
	if (asan_target())
		expect_asan("cache", "1");
}

static void test_asan_large_kmalloc(void)
{
	if (asan_target())
		expect_asan("large", "1");
}

static void test_asan_vmalloc(void)
{
	if (asan_target())
		expect_asan("vmalloc", "1");
}

static void test_asan_vfree(void)
{
	if (asan_target())
		expect_asan("vfree", "1");
}

static void test_asan_mempool_reserve(void)
{
	if (asan_target())
		expect_asan("mempool", "1");
}

static void test_asan_pages(void)
{
	if (asan_target())
		expect_asan("pages", "1");
}

/* ---- valgrind's memcheck ---- */

static bool valgrind_target(void)
{
	if (!*SAN_TARGET_PLAIN) {
		KTEST_SKIP("no plain build of the target (a sanitizer build)");
		return false;
	}
	if (system("valgrind --version >/dev/null 2>&1")) {
		KTEST_SKIP("valgrind not installed");
		return false;
	}
	return true;
}

static int run_valgrind(const char *what)
{
	char cmd[1024];

	snprintf(cmd, sizeof(cmd),
		 "valgrind --tool=memcheck --error-exitcode=9 --leak-check=no '%s' %s 2>&1",
		 SAN_TARGET_PLAIN, what);
	return run(cmd);
}

/* An older valgrind cannot read a newer compiler's DWARF (clang's v5). */
static bool valgrind_readable(void)
{
	if (strstr(out, "unhandled dwarf2 abbrev form") && !strstr(out, "Invalid read")) {
		KTEST_SKIP("this valgrind cannot read the binary's debug info");
		return false;
	}
	return true;
}

static void test_valgrind_legal(void)
{
	int rc;

	if (!valgrind_target())
		return;
	rc = run_valgrind("ok");
	if (!valgrind_readable())
		return;
	CHECK_EQ(rc, 0);
	CHECK_STR_CONTAINS(out, "TARGET DONE");
	CHECK_STR_CONTAINS(out, "ERROR SUMMARY: 0 errors");
}

/* One bad read, seen by memcheck as @report, with @where the block it names. */
static void expect_valgrind(const char *what, const char *report, const char *where)
{
	int rc;

	if (!valgrind_target())
		return;
	rc = run_valgrind(what);
	if (!valgrind_readable())
		return;
	CHECK_EQ(rc, 9);
	CHECK_STR_CONTAINS(out, report);
	CHECK_STR_CONTAINS(out, where);
	CHECK_STR_CONTAINS(out, "TARGET DONE");	/* memcheck reports and goes on */
}

static void test_valgrind_slack8(void)
{
	expect_valgrind("slack8", "Invalid read of size 8", "0 bytes after a block of size 24 alloc'd");
}

static void test_valgrind_use_after_free(void)
{
	expect_valgrind("uaf", "Invalid read of size 1", "0 bytes inside a block of size 24 free'd");
}

static void test_valgrind_vmalloc(void)
{
	expect_valgrind("vmalloc", "Invalid read of size 1",
			"0 bytes after a block of size 100 alloc'd");
}

int main(void)
{
	KTEST_RUN(KTEST(test_asan_legal), KTEST(test_asan_legal_slab_debug), KTEST(test_asan_slab_neighbours),
		  KTEST(test_asan_slack), KTEST(test_asan_slack8),
		  KTEST(test_asan_use_after_free), KTEST(test_asan_krealloc_shrunk),
		  KTEST(test_asan_cache_object), KTEST(test_asan_large_kmalloc),
		  KTEST(test_asan_vmalloc), KTEST(test_asan_vfree), KTEST(test_asan_mempool_reserve), KTEST(test_asan_pages),
		  KTEST(test_valgrind_legal), KTEST(test_valgrind_slack8),
		  KTEST(test_valgrind_use_after_free), KTEST(test_valgrind_vmalloc));
}
