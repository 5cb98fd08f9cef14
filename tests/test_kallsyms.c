/* SPDX-License-Identifier: MIT */
/*
 * tests/test_kallsyms.c - symbol names in reports (kernel/kallsyms.c):
 * %pS/%pB/%ps of a static function, of libc ("[libc.so.6]"), of an
 * address nothing covers (bare hex, as the kernel prints it); SLUB's
 * "Allocated in" and a call trace naming this file's static functions;
 * the trace's "Kernel Offset" line; `ukmem symbolize` on a saved report.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <link.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <linux/kallsyms.h>
#include <linux/printk.h>
#include <linux/slab.h>
#include <ukmem/boot.h>
#include <ukmem/slab_debug.h>
#include "kernel/kallsyms.h"
#include "slab_test.h"

/* ktest_matches(), saying what did not match. */
static bool matches(const char *text, const char *pattern)
{
	bool ok = ktest_matches(text, pattern);

	if (!ok)
		fprintf(stderr, "%s: \"%s\" does not match /%s/\n", ktest_current, text, pattern);
	return ok;
}

/* Static: only .symtab knows them (the dynamic symbol table has no static names). */
static noinline int ks_static_target(int x)
{
	int i, sum = 0;

	for (i = 0; i < x; i++)
		sum += i * x;
	barrier();
	return sum;
}

static noinline void *ks_static_alloc(struct kmem_cache *s)
{
	void *p = kmem_cache_alloc(s, GFP_KERNEL);

	barrier();
	return p;
}

static noinline void ks_static_dumper(void)
{
	dump_stack();
	barrier();
}

/* The size the symbol table gives a function, through kallsyms_lookup(). */
static unsigned long symbol_size(void *fn)
{
	char name[KSYM_NAME_LEN];
	unsigned long size = 0, off = 0;
	char *mod = NULL;

	if (!kallsyms_lookup((unsigned long)fn, &size, &off, &mod, name))
		return 0;
	CHECK_EQ(off, 0);
	CHECK(mod == NULL);
	return size;
}

static void test_static_function(void)
{
	unsigned long fn = (unsigned long)ks_static_target, size;
	char buf[KSYM_SYMBOL_LEN], want[KSYM_SYMBOL_LEN];

	CHECK(ks_static_target(3) == 9);
	size = symbol_size(ks_static_target);
	CHECK(size > 4);

	sprint_symbol(buf, fn + 4);
	snprintf(want, sizeof(want), "ks_static_target+0x4/0x%lx", size);
	CHECK(!strcmp(buf, want));
	ksnprintf(buf, sizeof(buf), "<%pS>", (void *)(fn + 4));
	snprintf(want, sizeof(want), "<ks_static_target+0x4/0x%lx>", size);
	CHECK(!strcmp(buf, want));
	ksnprintf(buf, sizeof(buf), "<%ps>", (void *)(fn + 4));
	CHECK(!strcmp(buf, "<ks_static_target>"));
	/* A return address just past the function's last call: still its name. */
	ksnprintf(buf, sizeof(buf), "%pB", (void *)(fn + size));
	snprintf(want, sizeof(want), "ks_static_target+0x%lx/0x%lx", size, size);
	CHECK(!strcmp(buf, want));
	sprint_backtrace(buf, fn + 1);
	snprintf(want, sizeof(want), "ks_static_target+0x1/0x%lx", size);
	CHECK(!strcmp(buf, want));
	/* Width and the build-id modifier, as vsprintf takes them. */
	ksnprintf(buf, sizeof(buf), "[%20ps][%pSb]", (void *)fn, (void *)fn);
	snprintf(want, sizeof(want), "[    ks_static_target][ks_static_target+0x0/0x%lx]", size);
	CHECK(!strcmp(buf, want));
}

/* An exported function of libc, not a sanitizer's interceptor of it. */
static void *libc_function(const char *name)
{
	void *h = dlopen("libc.so.6", RTLD_NOW | RTLD_NOLOAD);
	void *fn = h ? dlsym(h, name) : NULL;

	if (h)
		dlclose(h);
	return fn;
}

static void test_libc_module(void)
{
	void *fn = libc_function("getpid");
	char buf[KSYM_SYMBOL_LEN];

	if (!fn) {
		KTEST_SKIP("no libc.so.6 here (a static program?)");
		return;
	}
	sprint_symbol(buf, (unsigned long)fn);
	CHECK(matches(buf, "^getpid\\+0x0/0x[0-9a-f]+ \\[libc\\.so\\.6\\]$"));
	ksnprintf(buf, sizeof(buf), "%ps", fn);
	CHECK(!strcmp(buf, "getpid [libc.so.6]"));
	ksnprintf(buf, sizeof(buf), "%pS", (void *)((unsigned long)fn + 2));
	CHECK(matches(buf, "^getpid\\+0x2/0x[0-9a-f]+ \\[libc\\.so\\.6\\]$"));
}

static void test_unknown_address(void)
{
	char buf[KSYM_SYMBOL_LEN], want[64];
	void *anon = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	unsigned long a = (unsigned long)anon + 0x10;

	CHECK(anon != MAP_FAILED);
	snprintf(want, sizeof(want), "0x%lx", a);
	sprint_symbol(buf, a);
	CHECK(!strcmp(buf, want));
	ksnprintf(buf, sizeof(buf), "%pS", (void *)a);
	CHECK(!strcmp(buf, want));
	/* %pB looks the call before up but prints the address itself. */
	ksnprintf(buf, sizeof(buf), "%pB", (void *)a);
	CHECK(!strcmp(buf, want));
	ksnprintf(buf, sizeof(buf), "%ps", (void *)0x1234);
	CHECK(!strcmp(buf, "0x1234"));
	CHECK(kallsyms_lookup(a, NULL, NULL, NULL, buf) == NULL);
	munmap(anon, 4096);
}

/* The program's load offset and the lowest address its file asks for. */
static int first_object(struct dl_phdr_info *info, size_t size, void *data)
{
	unsigned long *base = data, lo = ~0UL;
	int i;

	for (i = 0; i < info->dlpi_phnum; i++)
		if (info->dlpi_phdr[i].p_type == PT_LOAD && info->dlpi_phdr[i].p_vaddr < lo)
			lo = info->dlpi_phdr[i].p_vaddr;
	base[0] = info->dlpi_addr;
	base[1] = lo;
	return 1;
}

static void expect_offset_line(const char *log)
{
	unsigned long base[2];
	char want[96];

	dl_iterate_phdr(first_object, base);
	snprintf(want, sizeof(want), "Kernel Offset: 0x%lx from 0x%lx\n", base[0], base[1]);
	CHECK_STR_CONTAINS(log, want);
}

/* libc's own table is full (static functions) where its debug file is installed. */
static bool libc_fully_named(void)
{
	void *fn = libc_function("getpid");
	struct ksym_table *t;
	Dl_info info;
	bool full = false;

	if (!fn || !dladdr(fn, &info) || !info.dli_fname)
		return false;
	t = ksym_table_open(info.dli_fname);
	if (t)
		ksym_table_count(t, &full);
	ksym_table_close(t);
	return full;
}

static void test_call_trace(void)
{
	const char *log, *trace;

	ukmem_dmesg_clear();
	ks_static_dumper();
	log = log_text();
	CHECK_STR_CONTAINS(log, "Call Trace:\n <TASK>\n ks_static_dumper+0x");
	CHECK_STR_CONTAINS(log, " test_call_trace+0x");
	CHECK_STR_CONTAINS(log, " </TASK>\n");
	expect_offset_line(log);
	/* The main thread starts in libc: a frame named there, with its module. */
	CHECK(matches(log, "\n [a-z_]+\\+0x[0-9a-f]+/0x[0-9a-f]+ \\[libc\\.so\\.6\\]\n"));
	/* With libc's debug file (libc6-dbg) every frame has a name. */
	trace = strstr(log, "<TASK>");
	if (libc_fully_named() && trace)
		CHECK(!strstr(trace, "\n 0x"));
}

/* A red zone overwritten: the report's owner track names the static allocator. */
static void test_slub_allocated_in(void)
{
	struct kmem_cache *s = kmem_cache_create("ks_track", 40, 0,
			SLAB_RED_ZONE | SLAB_STORE_USER | SLAB_CONSISTENCY_CHECKS, NULL);
	u8 *p = ks_static_alloc(s);
	const char *log;

	CHECK(p != NULL);
	if (!p)
		return;
	ukmem_dmesg_clear();
	p[40] = 0x5a;			/* the first byte of the right red zone */
	CHECK(ukmem_slab_validate(s) > 0);
	log = log_text();
	CHECK_STR_CONTAINS(log, "Right Redzone overwritten");
	CHECK(matches(log, "Allocated in ks_static_alloc\\+0x[0-9a-f]+/0x[0-9a-f]+ age="));
	/* The stack of the allocation, one frame a line: this test's function too. */
	CHECK(matches(log, "\n ks_static_alloc\\+0x[0-9a-f]+/0x[0-9a-f]+\n"));
	CHECK(matches(log, "\n test_slub_allocated_in\\+0x[0-9a-f]+/0x[0-9a-f]+\n"));
	expect_offset_line(log);
	kmem_cache_free(s, p);
	kmem_cache_destroy(s);
}

/* `ukmem symbolize`: a report whose frames were printed as bare addresses. */
static void test_symbolize_tool(void)
{
	unsigned long fn = (unsigned long)ks_static_target, size = symbol_size(ks_static_target);
	unsigned long base[2];
	char exe[4096], report[] = "/tmp/ukmem-ksym-XXXXXX", cmd[8192], out[4096], want[256];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	size_t got;
	FILE *f;
	int fd;

	if (n <= 0 || access(UKMEM_TOOL, X_OK)) {
		KTEST_SKIP("no ukmem command at " UKMEM_TOOL);
		return;
	}
	exe[n] = '\0';
	dl_iterate_phdr(first_object, base);
	fd = mkstemp(report);
	CHECK(fd >= 0);
	f = fdopen(fd, "w");
	/* %pS of fn+3, a trace with the return address fn+size, a data word. */
	fprintf(f, "Allocated in 0x%lx age=1 cpu=0 pid=1\n", fn + 3);
	fprintf(f, "Call Trace:\n <TASK>\n 0x%lx\n </TASK>\n", fn + size);
	fprintf(f, "Kernel Offset: 0x%lx from 0x%lx\n", base[0], base[1]);
	fprintf(f, "phys=0x%lx 0x%lxz foo+0x%lx/0x10\n", fn, fn, fn);
	fclose(f);
	snprintf(cmd, sizeof(cmd), "'%s' symbolize --exe '%s' '%s'", UKMEM_TOOL, exe, report);
	f = popen(cmd, "r");
	CHECK(f != NULL);
	if (!f)
		return;
	got = fread(out, 1, sizeof(out) - 1, f);
	out[got] = '\0';
	CHECK_EQ(pclose(f), 0);
	unlink(report);

	snprintf(want, sizeof(want), "Allocated in ks_static_target+0x3/0x%lx age=1", size);
	CHECK_STR_CONTAINS(out, want);
	snprintf(want, sizeof(want), "<TASK>\n ks_static_target+0x%lx/0x%lx\n </TASK>", size, size);
	CHECK_STR_CONTAINS(out, want);
	snprintf(want, sizeof(want), "phys=ks_static_target+0x0/0x%lx 0x%lxz foo+0x%lx/0x10\n",
		 size, fn, fn);
	CHECK_STR_CONTAINS(out, want);
	/* An explicit offset above the address names nothing: the text is kept. */
	snprintf(cmd, sizeof(cmd), "echo 'at 0x%lx' | '%s' symbolize --exe '%s' --base %lx",
		 fn + 3, UKMEM_TOOL, exe, fn + 4);
	f = popen(cmd, "r");
	got = f ? fread(out, 1, sizeof(out) - 1, f) : 0;
	out[got] = '\0';
	if (f)
		CHECK_EQ(pclose(f), 0);
	snprintf(want, sizeof(want), "at 0x%lx\n", fn + 3);
	CHECK(!strcmp(out, want));
}

/*
 * The first lookups of a process, from several threads at once: each may
 * load the tables (kernel/kallsyms.c, 3.), every one gets the same names.
 * First in main(): no earlier case has loaded a table.
 */
#define KS_THREADS 4
static int ks_go;

static void *ks_first_use(void *arg)
{
	char *out = arg;

	while (!__atomic_load_n(&ks_go, __ATOMIC_ACQUIRE))
		;
	sprint_symbol(out, (unsigned long)ks_static_target + 4);
	sprint_symbol(out + KSYM_SYMBOL_LEN, (unsigned long)libc_function("getpid"));
	return NULL;
}

static void test_threads_first_use(void)
{
	static char out[KS_THREADS][2 * KSYM_SYMBOL_LEN];
	pthread_t t[KS_THREADS];
	int i;

	for (i = 0; i < KS_THREADS; i++)
		CHECK(pthread_create(&t[i], NULL, ks_first_use, out[i]) == 0);
	__atomic_store_n(&ks_go, 1, __ATOMIC_RELEASE);
	for (i = 0; i < KS_THREADS; i++)
		pthread_join(t[i], NULL);
	for (i = 0; i < KS_THREADS; i++) {
		CHECK(!strncmp(out[i], "ks_static_target+0x4/0x", 23));
		CHECK(!strcmp(out[i], out[0]));
		CHECK(!strcmp(out[i] + KSYM_SYMBOL_LEN, out[0] + KSYM_SYMBOL_LEN));
	}
	CHECK(ktest_matches(out[0] + KSYM_SYMBOL_LEN, "^getpid\\+0x0/0x[0-9a-f]+ \\[libc\\.so\\.6\\]$"));
}

int main(void)
{
	ukmem_set_console(fopen("/dev/null", "w"));
	if (ukmem_boot("mem=128M")) {
		fprintf(stderr, "boot failed\n");
		return 1;
	}
	KTEST_RUN(KTEST(test_threads_first_use),
		  KTEST(test_static_function), KTEST(test_libc_module),
		  KTEST(test_unknown_address), KTEST(test_call_trace),
		  KTEST(test_slub_allocated_in), KTEST(test_symbolize_tool));
}
