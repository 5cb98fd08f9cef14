/* SPDX-License-Identifier: MIT */
/*
 * Per-CPU data (mm/percpu.c, linux/percpu.h): static variables defined in
 * this program and in the library, replicated for every possible CPU with
 * their initial values and alignment; per_cpu/per_cpu_ptr/this_cpu_ptr;
 * every this_cpu_*() operation, in rseq mode and in lock mode, on a free
 * CPU and on a held one, with lib/percpu_test.c's mixed-type arithmetic
 * (what C gives a local of the same type); get_cpu()/put_cpu() excluding
 * other threads from the held CPU; the exact sum of N threads (4x-8x the
 * CPUs) doing millions of this_cpu_inc; alloc_percpu zeroing, alignment, the kernel's
 * failures and warnings, many allocations and frees, chunk growth and
 * release, the Percpu line of meminfo; a section registered after boot;
 * fork.
 */
#define _GNU_SOURCE
#include <limits.h>
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linux/gfp.h>
#include <linux/percpu.h>
#include <linux/smp.h>
#include <ukmem/boot.h>
#include <ukmem/fault.h>
#include <ukmem/report.h>
#include "ktest.h"

/* Static per-CPU variables of the program itself. */
static DEFINE_PER_CPU(int, counter);
static DEFINE_PER_CPU(long, initialised) = 0x1234567890L;
static DEFINE_PER_CPU(u8, small) = 7;
static DEFINE_PER_CPU(u16, medium);
static DEFINE_PER_CPU(void *, pointer);
static DEFINE_PER_CPU_SHARED_ALIGNED(unsigned long, hot);
struct pair { int a, b; };
static DEFINE_PER_CPU_ALIGNED(struct pair, pair) = { 3, 4 };
static DEFINE_PER_CPU_PAGE_ALIGNED(char, page_buf[PAGE_SIZE]);
DEFINE_PER_CPU(unsigned long, exact_static);
DECLARE_PER_CPU(unsigned long, exact_static);

/* The library's (mm/percpu.c). */
DECLARE_PER_CPU(int, cpu_number);

static char logbuf[1 << 17];

static const char *dmesg_now(void)
{
	ukmem_dmesg(logbuf, sizeof(logbuf));
	return logbuf;
}

static int count_in(const char *hay, const char *needle)
{
	int n = 0;

	while ((hay = strstr(hay, needle))) {
		n++;
		hay += strlen(needle);
	}
	return n;
}

static long meminfo_kb(const char *field)
{
	char *buf = NULL, *p;
	size_t size = 0;
	long kb = -1;
	FILE *f = open_memstream(&buf, &size);

	ukmem_show("meminfo", f);
	fclose(f);
	p = strstr(buf, field);
	if (p)
		kb = strtol(p + strlen(field), NULL, 10);
	free(buf);
	return kb;
}

/* ---- static variables ---- */

static void test_boot_line(void)
{
	CHECK_STR_CONTAINS(dmesg_now(), "percpu: Embedded ");
	CHECK(ukmem_percpu_unit_size() >= PCPU_MIN_UNIT_SIZE);
	CHECK_EQ(ukmem_percpu_nr_chunks(), 1);
	CHECK_EQ(ukmem_percpu_populated_bytes(), ukmem_percpu_unit_size() * nr_cpu_ids);
	CHECK_EQ(meminfo_kb("Percpu:") * 1024, (long)ukmem_percpu_populated_bytes());
}

static void test_static_copies(void)
{
	unsigned int cpu;
	size_t unit = ukmem_percpu_unit_size();

	for_each_possible_cpu(cpu) {
		CHECK_EQ(per_cpu(initialised, cpu), 0x1234567890L);
		CHECK_EQ(per_cpu(small, cpu), 7);
		CHECK_EQ(per_cpu(medium, cpu), 0);
		CHECK_EQ(per_cpu(counter, cpu), 0);
		CHECK(per_cpu(pointer, cpu) == NULL);
		CHECK_EQ(per_cpu(pair, cpu).a, 3);
		CHECK_EQ(per_cpu(pair, cpu).b, 4);
		CHECK_EQ(per_cpu(cpu_number, cpu), (int)cpu);
		CHECK_EQ((unsigned long)per_cpu_ptr(&hot, cpu) % SMP_CACHE_BYTES, 0);
		CHECK_EQ((unsigned long)per_cpu_ptr(&pair, cpu) % SMP_CACHE_BYTES, 0);
		CHECK_EQ((unsigned long)per_cpu_ptr(&page_buf, cpu) % PAGE_SIZE, 0);
		/* Copies are a unit apart, never the template itself. */
		CHECK_EQ((char *)per_cpu_ptr(&counter, cpu) - (char *)per_cpu_ptr(&counter, 0),
			 (long)(cpu * unit));
		CHECK((void *)per_cpu_ptr(&counter, cpu) != (void *)&counter);
		CHECK(is_kernel_percpu_address((unsigned long)per_cpu_ptr(&counter, cpu)));
	}
	/* Each CPU's copy is its own. */
	for_each_possible_cpu(cpu)
		per_cpu(counter, cpu) = (int)cpu * 10;
	for_each_possible_cpu(cpu)
		CHECK_EQ(per_cpu(counter, cpu), (int)cpu * 10);
	/* The template in the section is untouched (it only seeds the copies). */
	CHECK_EQ(counter, 0);
	CHECK_EQ(initialised, 0x1234567890L);
	memset(per_cpu_ptr(&page_buf, nr_cpu_ids - 1), 0xab, PAGE_SIZE);
	for_each_possible_cpu(cpu)
		per_cpu(counter, cpu) = 0;
	CHECK_EQ(num_possible_cpus(), nr_cpu_ids);
	CHECK(num_online_cpus() >= 1 && num_online_cpus() <= num_possible_cpus());
	{
		unsigned int n = 0;

		for_each_online_cpu(cpu)
			n++;
		CHECK_EQ(n, nr_cpu_ids);	/* every possible CPU counts as online */
	}
}

/* ---- operations ---- */

static void reset_ops_vars(void)
{
	unsigned int c;

	for_each_possible_cpu(c) {
		per_cpu(counter, c) = 0;
		per_cpu(medium, c) = 0;
		per_cpu(small, c) = 7;
	}
}

static void check_ops_here(void)
{
	long old;

	reset_ops_vars();
	/* Sum over CPUs: the thread may migrate between the operations. */
#define SUM(var) ({ long __s = 0; unsigned int __c; for_each_possible_cpu(__c) __s += per_cpu(var, __c); __s; })
	this_cpu_inc(counter);
	this_cpu_add(counter, 5);
	this_cpu_dec(counter);
	this_cpu_sub(counter, 2);
	CHECK_EQ(SUM(counter), 3);
	CHECK(this_cpu_add_return(counter, 0) >= 0);
	this_cpu_add(counter, -3);
	CHECK_EQ(SUM(counter), 0);

	this_cpu_add(small, 250);		/* 7 + 250 wraps to 1 on that CPU */
	this_cpu_inc(medium);
	CHECK_EQ(SUM(medium), 1);
	this_cpu_dec(medium);
	this_cpu_sub(small, 250);
	CHECK_EQ(SUM(small), 7L * nr_cpu_ids);

	reset_ops_vars();
	get_cpu();
	this_cpu_write(initialised, -5);
	CHECK_EQ(this_cpu_read(initialised), -5);
	old = this_cpu_xchg(initialised, 77);
	CHECK_EQ(old, -5);
	CHECK_EQ(this_cpu_cmpxchg(initialised, 1, 2), 77);	/* no match */
	CHECK_EQ(this_cpu_read(initialised), 77);
	CHECK_EQ(this_cpu_cmpxchg(initialised, 77, 0x1234567890L), 77);
	CHECK_EQ(this_cpu_read(initialised), 0x1234567890L);
	CHECK_EQ(this_cpu_add_return(medium, 3), 3);
	CHECK_EQ(this_cpu_inc_return(medium), 4);
	CHECK_EQ(this_cpu_dec_return(medium), 3);
	CHECK_EQ(this_cpu_sub_return(medium, 3), 0);
	this_cpu_write(pointer, &old);
	CHECK(this_cpu_read(pointer) == &old);
	CHECK(this_cpu_cmpxchg(pointer, &old, NULL) == &old);
	CHECK(this_cpu_read(pointer) == NULL);
	{
		long expect = 0x1234567890L;

		CHECK(this_cpu_try_cmpxchg(initialised, &expect, 9));
		expect = 1;
		CHECK(!this_cpu_try_cmpxchg(initialised, &expect, 10));
		CHECK_EQ(expect, 9);
		this_cpu_write(initialised, 0x1234567890L);
	}
	/* The __ and raw_ forms, plain on the held CPU. */
	__this_cpu_inc(counter);
	raw_cpu_add(counter, 2);
	CHECK_EQ(__this_cpu_read(counter), 3);
	CHECK_EQ(raw_cpu_read(counter), 3);
	__this_cpu_sub(counter, 3);
	CHECK_EQ(__this_cpu_xchg(counter, 4), 0);
	CHECK_EQ(__this_cpu_cmpxchg(counter, 4, 0), 4);
	CHECK_EQ(*this_cpu_ptr(&counter), 0);
	CHECK(raw_cpu_ptr(&counter) == per_cpu_ptr(&counter, smp_processor_id()));
	put_cpu();

	/* The __ forms outside a held CPU are the safe ones. */
	__this_cpu_add(counter, 2);
	raw_cpu_dec(counter);
	__this_cpu_dec(counter);
	CHECK_EQ(SUM(counter), 0);
	reset_ops_vars();
}

static void test_ops_rseq_mode(void)
{
	if (!ukmem_pcpu_rseq) {
		KTEST_SKIP("no rseq here (or a ThreadSanitizer build): lock mode only");
		return;
	}
	check_ops_here();
}

static void test_ops_lock_mode(void)
{
	long saved = ukmem_pcpu_rseq;

	ukmem_pcpu_rseq = 0;
	check_ops_here();
	ukmem_pcpu_rseq = saved;
}

/*
 * lib/percpu_test.c's percpu_test_init(): on a held CPU, each operation on
 * a long and an unsigned long per-CPU counter must land on the value plain
 * C arithmetic on a local of the same type gives, conversions included:
 * an unsigned int operand is zero-extended, never sign-extended (adding
 * -1u to a long adds 0xffffffff), a 64-bit operand is not truncated, and
 * the *_sub_return forms return the new value.
 */
static DEFINE_PER_CPU(long, kt_long);
static DEFINE_PER_CPU(unsigned long, kt_ulong);

#define SAME(local, pcp, want)						\
	do {								\
		CHECK_EQ((long long)(local), (long long)(want));	\
		CHECK_EQ((long long)__this_cpu_read(pcp), (long long)(want)); \
	} while (0)

static void check_kernel_percpu_arith(void)
{
	volatile unsigned int one = 1;	/* an unsigned int the compiler cannot fold */
	unsigned long long wide;
	unsigned long ul;
	long l;

	get_cpu();
	__this_cpu_write(kt_long, 0);
	l = 0;
	l += -1;
	__this_cpu_add(kt_long, -1);
	SAME(l, kt_long, -1);
	l += 1;
	__this_cpu_add(kt_long, 1);
	SAME(l, kt_long, 0);

	ul = 0;
	__this_cpu_write(kt_ulong, 0);
	ul += 1UL;
	__this_cpu_add(kt_ulong, 1UL);
	SAME(ul, kt_ulong, 1);
	ul += ULONG_MAX;			/* wraps to 0 */
	__this_cpu_add(kt_ulong, ULONG_MAX);
	SAME(ul, kt_ulong, 0);
	ul += -(unsigned long)1;
	__this_cpu_add(kt_ulong, -(unsigned long)1);
	CHECK(ul == ULONG_MAX && __this_cpu_read(kt_ulong) == ULONG_MAX);

	ul = 0;
	__this_cpu_write(kt_ulong, 0);
	ul -= 1;
	__this_cpu_dec(kt_ulong);
	CHECK(ul == ULONG_MAX && __this_cpu_read(kt_ulong) == ULONG_MAX);

	/* -one is 0xffffffff, an unsigned int: a long gains 2^32 - 1, not -1. */
	l += -one;
	__this_cpu_add(kt_long, -one);
	SAME(l, kt_long, 0xffffffffL);
	l += one;
	__this_cpu_add(kt_long, one);
	SAME(l, kt_long, 0x100000000L);

	l = 0;
	__this_cpu_write(kt_long, 0);
	l -= one;
	__this_cpu_sub(kt_long, one);
	SAME(l, kt_long, -1);

	l = 0;
	__this_cpu_write(kt_long, 0);
	l += one;
	__this_cpu_add(kt_long, one);
	SAME(l, kt_long, 1);
	l += -one;
	__this_cpu_add(kt_long, -one);
	SAME(l, kt_long, 0x100000000L);

	l = 0;
	__this_cpu_write(kt_long, 0);
	l -= one;
	this_cpu_sub(kt_long, one);
	SAME(l, kt_long, -1);

	ul = 0;
	__this_cpu_write(kt_ulong, 0);
	ul += one;
	__this_cpu_add(kt_ulong, one);
	SAME(ul, kt_ulong, 1);

	ul = 0;
	__this_cpu_write(kt_ulong, 0);
	ul -= one;
	__this_cpu_sub(kt_ulong, one);
	CHECK(ul == ULONG_MAX && __this_cpu_read(kt_ulong) == ULONG_MAX);

	/* A 64-bit operand holding UINT_MAX is added whole. */
	ul = wide = 0;
	__this_cpu_write(kt_ulong, 0);
	ul = wide += UINT_MAX;
	__this_cpu_add(kt_ulong, wide);
	SAME(ul, kt_ulong, UINT_MAX);

	__this_cpu_write(kt_ulong, 3);
	ul = this_cpu_sub_return(kt_ulong, one);
	SAME(ul, kt_ulong, 2);
	ul = __this_cpu_sub_return(kt_ulong, one);
	SAME(ul, kt_ulong, 1);
	put_cpu();
}

static void test_kernel_percpu_arith(void)
{
	long saved = ukmem_pcpu_rseq;

	check_kernel_percpu_arith();
	ukmem_pcpu_rseq = 0;
	check_kernel_percpu_arith();
	ukmem_pcpu_rseq = saved;
}

/* ---- get_cpu / put_cpu ---- */

static void test_get_put_cpu(void)
{
	int cpu, cpu2;
	unsigned long *p;

	CHECK(!in_atomic());
	cpu = get_cpu();
	CHECK(cpu >= 0 && (unsigned int)cpu < nr_cpu_ids);
	CHECK(in_atomic());
	CHECK_EQ(smp_processor_id(), cpu);
	sched_yield();
	CHECK_EQ(smp_processor_id(), cpu);	/* the held CPU, wherever we run */
	cpu2 = get_cpu();			/* nesting */
	CHECK_EQ(cpu2, cpu);
	put_cpu();
	CHECK_EQ(smp_processor_id(), cpu);
	CHECK(this_cpu_ptr(&counter) == per_cpu_ptr(&counter, cpu));
	put_cpu();
	CHECK(!in_atomic());

	get_cpu_var(counter) += 5;
	CHECK_EQ(per_cpu(counter, ukmem_pcpu_held - 1), 5);
	put_cpu_var(counter);
	CHECK_EQ(ukmem_pcpu_held, 0);
	for_each_possible_cpu(cpu)
		per_cpu(counter, cpu) = 0;

	p = alloc_percpu(unsigned long);
	CHECK(p != NULL);
	*get_cpu_ptr(p) = 11;
	CHECK_EQ(*per_cpu_ptr(p, ukmem_pcpu_held - 1), 11);
	put_cpu_ptr(p);
	free_percpu(p);
}

/*
 * A host CPU numbered at or past nr_cpu_ids (a host with more than NR_CPUS
 * CPUs, or with holes in its numbering) has no entry of its own: its
 * threads use the entry smp_processor_id() maps it to.  this_cpu_*()
 * did; get_cpu() in rseq mode tried only the sequence, which refuses such
 * a CPU, and waited for ever.  Made here by pinning to the last CPU the
 * process may use and lowering nr_cpu_ids below it, in a child.
 */
static void beyond_nr_cpu_ids(void *arg)
{
	cpu_set_t set, one;
	int last = -1, i, cpu;

	(void)arg;
	if (sched_getaffinity(0, sizeof(set), &set))
		KTEST_SKIP("no affinity mask");
	for (i = 0; i < CPU_SETSIZE && (unsigned int)i < NR_CPUS; i++)
		if (CPU_ISSET(i, &set))
			last = i;
	if (last < 1 || (unsigned int)last >= nr_cpu_ids)
		KTEST_SKIP("one CPU only");
	CPU_ZERO(&one);
	CPU_SET(last, &one);
	CHECK_EQ(sched_setaffinity(0, sizeof(one), &one), 0);
	nr_cpu_ids = (unsigned int)last;	/* the CPU we run on is past the last entry */
	this_cpu_inc(counter);
	cpu = get_cpu();
	ktest_progress();
	CHECK(cpu >= 0 && (unsigned int)cpu < nr_cpu_ids);
	CHECK_EQ(ukmem_pcpu_cpus[cpu].lock != 0, 1);
	get_cpu_var(counter)++;
	put_cpu_var(counter);
	put_cpu();
	CHECK_EQ(ukmem_pcpu_cpus[cpu].lock, 0);
	CHECK_EQ(ukmem_pcpu_held, 0);
}

static void test_get_cpu_beyond_nr_cpu_ids(void)
{
	ktest_child_case(beyond_nr_cpu_ids, NULL);
}

/*
 * The same mapping, against a holder: a thread on the CPU past the last
 * entry does this_cpu_inc() while another thread holds the entry's CPU
 * and counts there plain (get_cpu_var()++, as kernel code does under
 * get_cpu()).  A held CPU excludes every other thread's operation; the
 * thread with no entry of its own once used an atomic instruction on the
 * entry without looking at its lock word, and its increments were lost
 * under the holder's plain ones.
 */
#define BEYOND_OPS	200000UL
static int beyond_cpu;

static void *beyond_holder(void *arg)
{
	cpu_set_t one;
	unsigned long i;

	(void)arg;
	CPU_ZERO(&one);
	CPU_SET(0, &one);
	pthread_setaffinity_np(pthread_self(), sizeof(one), &one);
	for (i = 0; i < BEYOND_OPS; i++) {
		get_cpu_var(counter)++;
		put_cpu_var(counter);
		if (!(i & 4095))
			ktest_progress();
	}
	return NULL;
}

static void *beyond_inc(void *arg)
{
	cpu_set_t one;
	unsigned long i;

	(void)arg;
	CPU_ZERO(&one);
	CPU_SET(beyond_cpu, &one);
	pthread_setaffinity_np(pthread_self(), sizeof(one), &one);
	for (i = 0; i < BEYOND_OPS; i++) {
		this_cpu_inc(counter);
		if (!(i & 4095))
			ktest_progress();
	}
	return NULL;
}

static void beyond_exact(void *arg)
{
	cpu_set_t set;
	pthread_t a, b;
	unsigned long sum = 0;
	int i, cpu;

	(void)arg;
	beyond_cpu = -1;
	if (sched_getaffinity(0, sizeof(set), &set) || !CPU_ISSET(0, &set))
		KTEST_SKIP("CPU 0 not ours");
	for (i = 1; i < CPU_SETSIZE && (unsigned int)i < nr_cpu_ids; i++)
		if (CPU_ISSET(i, &set))
			beyond_cpu = i;
	if (beyond_cpu < 1)
		KTEST_SKIP("one CPU only");
	for_each_possible_cpu(cpu)
		per_cpu(counter, cpu) = 0;
	nr_cpu_ids = (unsigned int)beyond_cpu;	/* beyond_cpu maps to CPU 0 */
	CHECK_EQ(pthread_create(&a, NULL, beyond_holder, NULL), 0);
	CHECK_EQ(pthread_create(&b, NULL, beyond_inc, NULL), 0);
	pthread_join(a, NULL);
	pthread_join(b, NULL);
	for_each_possible_cpu(cpu)
		sum += per_cpu(counter, cpu);
	CHECK_EQ(sum, 2 * BEYOND_OPS);
}

static void test_beyond_nr_cpu_ids_exact(void)
{
	ktest_child_case(beyond_exact, NULL);
}

/* A thread pinned to a CPU that the main thread holds waits for put_cpu(). */
static int pinned_cpu = -1;
static volatile int pinned_done;

static void *pinned_inc(void *arg)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(pinned_cpu, &set);
	pthread_setaffinity_np(pthread_self(), sizeof(set), &set);
	this_cpu_inc(counter);
	__atomic_store_n(&pinned_done, 1, __ATOMIC_RELEASE);
	return NULL;
}

static void test_held_cpu_excludes_others(void)
{
	cpu_set_t set, old;
	pthread_t t;
	int cpu, i;
	long saved = ukmem_pcpu_rseq;

	CHECK_EQ(sched_getaffinity(0, sizeof(old), &old), 0);
	for (i = 0; i < CPU_SETSIZE && (unsigned int)i < nr_cpu_ids; i++)
		if (CPU_ISSET(i, &old))
			break;
	if (i >= CPU_SETSIZE || (unsigned int)i >= nr_cpu_ids) {
		KTEST_SKIP("this thread may run on no CPU below nr_cpu_ids");
		return;
	}
	pinned_cpu = i;
	CPU_ZERO(&set);
	CPU_SET(pinned_cpu, &set);
	for (int mode = 0; mode < 2; mode++) {
		ukmem_pcpu_rseq = mode ? 0 : saved;
		sched_setaffinity(0, sizeof(set), &set);
		sched_yield();
		cpu = get_cpu();
		CHECK_EQ(cpu, pinned_cpu);
		sched_setaffinity(0, sizeof(old), &old);
		pinned_done = 0;
		pthread_create(&t, NULL, pinned_inc, NULL);
		ktest_sleep_ms(150);
		CHECK(!__atomic_load_n(&pinned_done, __ATOMIC_ACQUIRE));
		CHECK_EQ(per_cpu(counter, cpu), 0);
		put_cpu();
		pthread_join(t, NULL);
		CHECK_EQ(per_cpu(counter, pinned_cpu), 1);
		per_cpu(counter, pinned_cpu) = 0;
	}
	ukmem_pcpu_rseq = saved;
}

/* ---- exactness under migration ---- */

static unsigned long *exact_dyn;
static u32 *exact_dyn32;
static long exact_iters;

static void *exact_thread(void *arg)
{
	long i, holder = (long)(uintptr_t)arg;

	for (i = 0; i < exact_iters; i++) {
		if (holder && (i & 7) == 0) {
			/* A plain read-modify-write on the held CPU's copy. */
			get_cpu_var(exact_static)++;
			put_cpu_var(exact_static);
			(*get_cpu_ptr(exact_dyn))++;
			put_cpu_ptr(exact_dyn);
		} else {
			this_cpu_inc(exact_static);
			this_cpu_inc(*exact_dyn);
		}
		this_cpu_add(*exact_dyn32, 3);
	}
	return NULL;
}

static void run_exact(long iters, int holders)
{
	unsigned int ncpu = (unsigned int)sysconf(_SC_NPROCESSORS_ONLN), cpu;
	int nthreads = (int)min(max(ncpu * 6, 16u), 96u), i;
	pthread_t *t = calloc(nthreads, sizeof(*t));
	unsigned long sum = 0, sum_dyn = 0, sum32 = 0;

	exact_dyn = alloc_percpu(unsigned long);
	exact_dyn32 = alloc_percpu(u32);
	CHECK(exact_dyn && exact_dyn32);
	for_each_possible_cpu(cpu)
		per_cpu(exact_static, cpu) = 0;
	exact_iters = iters;
	for (i = 0; i < nthreads; i++)
		pthread_create(&t[i], NULL, exact_thread, (void *)(uintptr_t)(holders && (i & 1)));
	for (i = 0; i < nthreads; i++)
		pthread_join(t[i], NULL);
	for_each_possible_cpu(cpu) {
		sum += per_cpu(exact_static, cpu);
		sum_dyn += *per_cpu_ptr(exact_dyn, cpu);
		sum32 += *per_cpu_ptr(exact_dyn32, cpu);
	}
	CHECK_EQ(sum, (unsigned long)nthreads * iters);
	CHECK_EQ(sum_dyn, (unsigned long)nthreads * iters);
	CHECK_EQ(sum32, 3UL * nthreads * iters);
	free_percpu(exact_dyn);
	free_percpu(exact_dyn32);
	free(t);
}

static void test_exact_rseq(void)
{
	run_exact(1000000, 0);
}

static void test_exact_with_holders(void)
{
	run_exact(300000, 1);
}

static void test_exact_lock_mode(void)
{
	long saved = ukmem_pcpu_rseq;

	ukmem_pcpu_rseq = 0;
	run_exact(200000, 1);
	ukmem_pcpu_rseq = saved;
}

/* ---- the dynamic allocator ---- */

static void test_alloc_zeroed_aligned(void)
{
	size_t aligns[] = { 1, 2, 4, 8, 16, 64, 256, 1024, PAGE_SIZE };
	unsigned int cpu, i;

	for (i = 0; i < ARRAY_SIZE(aligns); i++) {
		char *p = __alloc_percpu(100, aligns[i]);

		CHECK(p != NULL);
		if (!p)
			continue;
		CHECK_EQ((unsigned long)p % max(aligns[i], (size_t)PCPU_MIN_ALLOC_SIZE), 0);
		for_each_possible_cpu(cpu) {
			char *c = per_cpu_ptr(p, cpu);
			int j, nonzero = 0;

			CHECK_EQ((unsigned long)c % max(aligns[i], (size_t)PCPU_MIN_ALLOC_SIZE), 0);
			for (j = 0; j < 100; j++)
				nonzero |= c[j];
			CHECK_EQ(nonzero, 0);
			memset(c, 0xee, 100);	/* dirty it for the next round */
		}
		free_percpu(p);
		/* The same space again, zeroed again. */
		p = __alloc_percpu(100, aligns[i]);
		for_each_possible_cpu(cpu)
			CHECK_EQ(((char *)per_cpu_ptr(p, cpu))[99], 0);
		free_percpu(p);
	}
	{
		struct big { char x[PCPU_MIN_UNIT_SIZE]; } *b = alloc_percpu(struct big);

		CHECK(b != NULL);
		free_percpu(b);
	}
	free_percpu(NULL);
}

static void test_alloc_failures(void)
{
	const char *log;
	void *p;

	ukmem_dmesg_clear();
	CHECK(__alloc_percpu(0, 4) == NULL);
	CHECK(__alloc_percpu(PCPU_MIN_UNIT_SIZE + 1, 4) == NULL);
	CHECK(__alloc_percpu(8, 3 * 4) == NULL);
	CHECK(__alloc_percpu(8, 2 * PAGE_SIZE) == NULL);
	log = dmesg_now();
	CHECK_STR_CONTAINS(log, "illegal size (0) or align (4) for percpu allocation");
	CHECK_STR_CONTAINS(log, "illegal size (32772) or align (4) for percpu allocation");
	CHECK_STR_CONTAINS(log, "illegal size (8) or align (12) for percpu allocation");
	CHECK_STR_CONTAINS(log, "illegal size (8) or align (8192) for percpu allocation");
	ukmem_dmesg_clear();
	CHECK(__alloc_percpu_gfp(0, 4, GFP_KERNEL | __GFP_NOWARN) == NULL);
	CHECK(strstr(dmesg_now(), "illegal size") == NULL);

	/* Bad frees are warned about and change nothing. */
	p = alloc_percpu(long);
	ukmem_dmesg_clear();
	free_percpu((char *)p + 4);
	CHECK_STR_CONTAINS(dmesg_now(), "is not a live per-CPU area");
	free_percpu(p);
	ukmem_dmesg_clear();
	free_percpu(p);		/* double free */
	CHECK_STR_CONTAINS(dmesg_now(), "is not a live per-CPU area");
	ukmem_dmesg_clear();
	free_percpu(&counter);	/* a static variable */
	CHECK_STR_CONTAINS(dmesg_now(), "is not a dynamic per-CPU pointer");
}

#define MANY 4000

static void *many[MANY];
static size_t many_size[MANY];

static bool area_is(void *p, size_t size, unsigned char byte)
{
	unsigned int cpu;
	size_t i;

	for_each_possible_cpu(cpu) {
		unsigned char *c = per_cpu_ptr((unsigned char *)p, cpu);

		for (i = 0; i < size; i++)
			if (c[i] != (unsigned char)(byte + cpu))
				return false;
	}
	return true;
}

static void fill(void *p, size_t size, unsigned char byte)
{
	unsigned int cpu;

	for_each_possible_cpu(cpu)
		memset(per_cpu_ptr((unsigned char *)p, cpu), byte + cpu, size);
}

/*
 * Other per-CPU users: the slab caches put their per-CPU stacks in per-CPU
 * memory when they first need them, and making a chunk kmallocs its
 * metadata.  Grow and shrink once first, so that the kmalloc cache behind
 * that metadata has its stacks before the counts below are taken.
 */
static void warm_up_chunk_metadata(void)
{
	unsigned int chunks0 = ukmem_percpu_nr_chunks();
	int i, n = 0;

	while (n < MANY && ukmem_percpu_nr_chunks() == chunks0) {
		many[n] = __alloc_percpu(200, 8);
		if (!many[n])
			break;
		n++;
	}
	for (i = 0; i < n; i++) {
		free_percpu(many[i]);
		many[i] = NULL;
	}
}

static void test_many_and_chunks(void)
{
	unsigned int x = 12345, chunks0, max_chunks;
	long percpu0, percpu_max;
	int i, round, bad = 0;

	warm_up_chunk_metadata();
	chunks0 = max_chunks = ukmem_percpu_nr_chunks();
	percpu0 = percpu_max = meminfo_kb("Percpu:");

	for (round = 0; round < 3; round++) {
		for (i = 0; i < MANY; i++) {
			x = x * 1103515245u + 12345u;
			if (many[i] && (x >> 20) % 3 == 0) {
				if (!area_is(many[i], many_size[i], (unsigned char)i))
					bad++;
				free_percpu(many[i]);
				many[i] = NULL;
			} else if (!many[i]) {
				many_size[i] = 1 + (x >> 16) % 200;
				many[i] = __alloc_percpu(many_size[i], 1UL << ((x >> 8) % 5));
				CHECK(many[i] != NULL);
				if (many[i])
					fill(many[i], many_size[i], (unsigned char)i);
			}
		}
		max_chunks = max(max_chunks, ukmem_percpu_nr_chunks());
		percpu_max = max(percpu_max, meminfo_kb("Percpu:"));
	}
	CHECK_EQ(bad, 0);
	/* Far more than one unit's dynamic area: the allocator grew. */
	CHECK(max_chunks > chunks0);
	CHECK(percpu_max > percpu0);
	CHECK_EQ(percpu_max * 1024L, (long)ukmem_percpu_populated_bytes());
	for (i = 0; i < MANY; i++) {
		if (many[i] && !area_is(many[i], many_size[i], (unsigned char)i))
			bad++;
		free_percpu(many[i]);
		many[i] = NULL;
	}
	CHECK_EQ(bad, 0);
	/* Empty chunks went back, one spare kept. */
	CHECK(ukmem_percpu_nr_chunks() <= chunks0 + 1);
	CHECK(meminfo_kb("Percpu:") < percpu_max);
	CHECK_EQ(meminfo_kb("Percpu:") * 1024, (long)ukmem_percpu_populated_bytes());
}

/* Atomic requests never add a chunk; failing chunk creation is reported. */
static void test_no_space(void)
{
	enum { N = 2000 };
	static void *held[N];
	int n = 0, i;
	const char *log;

	/* Fill every chunk there is with GFP_ATOMIC: it fails instead of growing
	 * (GFP_NOWAIT would too, silently: it carries __GFP_NOWARN). */
	ukmem_dmesg_clear();
	while (n < N && (held[n] = __alloc_percpu_gfp(1024, 4, GFP_ATOMIC)))
		n++;
	CHECK(n < N);
	log = dmesg_now();
	CHECK_STR_CONTAINS(log, "percpu: allocation failed, size=1024 align=4 atomic=1, "
			   "atomic alloc failed, no space left");
	/* GFP_KERNEL would grow, unless the page allocator fails. */
	ukmem_fault_set("fail_page_alloc", "verbose", 0);
	ukmem_fault_set("fail_page_alloc", "ignore-gfp-wait", 0);
	ukmem_fault_set("fail_page_alloc", "min-order", 0);
	ukmem_fault_set("fail_page_alloc", "times", -1);
	ukmem_fault_set("fail_page_alloc", "space", 0);
	ukmem_fault_set("fail_page_alloc", "probability", 100);
	ukmem_dmesg_clear();
	CHECK(__alloc_percpu(1024, 4) == NULL);
	log = dmesg_now();
	CHECK_STR_CONTAINS(log, "percpu: allocation failed, size=1024 align=4 atomic=0, "
			   "failed to allocate new chunk");
	CHECK_STR_CONTAINS(log, "Call Trace:");
	/* At most 10 warnings, then the notice. */
	for (i = 0; i < 12; i++)
		__alloc_percpu(1024, 4);
	log = dmesg_now();
	CHECK_EQ(count_in(log, "percpu: allocation failed"), 10 - 1);
	CHECK_EQ(count_in(log, "percpu: limit reached, disable warning"), 1);
	ukmem_fault_set("fail_page_alloc", "probability", 0);
	ukmem_fault_set("fail_page_alloc", "ignore-gfp-wait", 1);
	ukmem_fault_set("fail_page_alloc", "min-order", 1);
	/* And it grows again. */
	held[n] = __alloc_percpu(1024, 4);
	CHECK(held[n] != NULL);
	for (i = 0; i <= n; i++)
		free_percpu(held[i]);
}

/* An object that shows up after boot (as a dlopen'ed one would). */
static char late_section[200] __aligned(16) = "late template";

static void test_late_section(void)
{
	unsigned int cpu;
	char *copy;

	ukmem_percpu_register_section(late_section, late_section + sizeof(late_section));
	ukmem_percpu_register_section(late_section, late_section + sizeof(late_section));
	for_each_possible_cpu(cpu) {
		copy = per_cpu_ptr(late_section, cpu);
		CHECK(copy != late_section);
		CHECK(strcmp(copy, "late template") == 0);
		CHECK_EQ((unsigned long)copy % 16, 0);
		copy[0] = 'L';
	}
	this_cpu_inc(*(u32 *)(late_section + 100));
	{
		unsigned long s = 0;

		for_each_possible_cpu(cpu)
			s += *(u32 *)per_cpu_ptr(late_section + 100, cpu);
		CHECK_EQ(s, 1);
	}
	CHECK_EQ(late_section[0], 'l');
}

/*
 * The boot sets only the CPU table's entries of possible CPUs: the rest
 * stay 0 (CPU 0's unit) without being read, so the table's pages past
 * them are never faulted in (reading all 1024 entries cost every process
 * 16 page faults).  Run first, before any case uses a CPU number past
 * nr_cpu_ids.
 */
static void test_cpu_table_untouched(void)
{
	uintptr_t mid = (uintptr_t)&ukmem_pcpu_cpus[NR_CPUS / 2] & ~(uintptr_t)(PAGE_SIZE - 1);
	unsigned char resident = 1;

	if (nr_cpu_ids + 64 >= NR_CPUS / 2)
		KTEST_SKIP("the host's CPUs fill half the table");
	CHECK_EQ(mincore((void *)mid, PAGE_SIZE, &resident), 0);
	CHECK_EQ(resident & 1, 0);
	/* ...while the possible CPUs' entries were set. */
	if (nr_cpu_ids > 1)
		CHECK(ukmem_pcpu_cpus[nr_cpu_ids - 1].offset != 0);
}

static void test_fork(void)
{
	int status = -1;
	pid_t pid;

	ukmem_install_atfork();
	pid = fork();
	if (pid == 0) {
		unsigned long *p = alloc_percpu(unsigned long);
		int cpu = get_cpu();

		this_cpu_inc(*p);
		put_cpu();
		_exit(p && cpu >= 0 && *per_cpu_ptr(p, cpu) == 1 ? 0 : 1);
	}
	CHECK(pid > 0);
	waitpid(pid, &status, 0);
	CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

int main(void)
{
	FILE *quiet = fopen("/dev/null", "w");

	ukmem_set_console(quiet);
	if (ukmem_boot("mem=256M")) {
		fprintf(stderr, "boot failed\n");
		return 1;
	}
	KTEST_RUN(KTEST(test_cpu_table_untouched), KTEST(test_boot_line), KTEST(test_static_copies), KTEST(test_ops_rseq_mode),
		  KTEST(test_ops_lock_mode), KTEST(test_kernel_percpu_arith), KTEST(test_get_put_cpu),
		  KTEST(test_held_cpu_excludes_others), KTEST(test_exact_rseq),
		  KTEST(test_exact_with_holders), KTEST(test_exact_lock_mode),
		  KTEST(test_alloc_zeroed_aligned), KTEST(test_alloc_failures),
		  KTEST(test_many_and_chunks), KTEST(test_no_space), KTEST(test_late_section),
		  KTEST(test_fork), KTEST(test_get_cpu_beyond_nr_cpu_ids),
		  KTEST(test_beyond_nr_cpu_ids_exact));
}
