/* SPDX-License-Identifier: MIT */
/*
 * linux/cpumask.h - include/linux/cpumask.h: sets of CPUs.
 *
 * A struct cpumask is a bitmap of NR_CPUS bits; the operations look at the
 * first nr_cpumask_bits of them, which is nr_cpu_ids (the possible CPUs),
 * as in a kernel built with a large NR_CPUS.  A search that finds nothing
 * returns a value at or above nr_cpu_ids.  cpumask_var_t is the on-stack
 * form (no CONFIG_CPUMASK_OFFSTACK): alloc_cpumask_var() cannot fail.
 *
 * cpu_possible_mask, cpu_present_mask and cpu_online_mask are the host's
 * CPUs 0 .. nr_cpu_ids - 1, which is what cpu_online() and
 * for_each_online_cpu() (linux/smp.h) say too.  tests/test_cpumask.c holds
 * the expectations of the kernel's lib/tests/cpumask_kunit.c.
 */
#ifndef _LINUX_CPUMASK_H
#define _LINUX_CPUMASK_H

#include <linux/bitmap.h>
#include <linux/gfp_types.h>	/* alloc_cpumask_var()'s flags, as in the kernel's */
#include <linux/smp.h>

UKMEM_C_BEGIN

struct cpumask {
	DECLARE_BITMAP(bits, NR_CPUS);
};
typedef struct cpumask cpumask_t;

#define cpumask_bits(maskp)	((maskp)->bits)
#define nr_cpumask_bits		nr_cpu_ids
#define cpumask_size()		(BITS_TO_LONGS(NR_CPUS) * sizeof(long))

UKMEM_API_BEGIN
/* The possible CPUs, filled in at boot (kernel/smp.c). */
const struct cpumask *ukmem_cpu_possible_mask(void);
UKMEM_API_END
#define cpu_possible_mask	ukmem_cpu_possible_mask()
#define cpu_present_mask	cpu_possible_mask
#define cpu_online_mask		cpu_possible_mask
#define cpu_active_mask		cpu_possible_mask

static inline void cpumask_set_cpu(unsigned int cpu, struct cpumask *m)
{
	set_bit(cpu, cpumask_bits(m));
}

static inline void __cpumask_set_cpu(unsigned int cpu, struct cpumask *m)
{
	__set_bit(cpu, cpumask_bits(m));
}

static inline void cpumask_clear_cpu(int cpu, struct cpumask *m)
{
	clear_bit(cpu, cpumask_bits(m));
}

static inline void __cpumask_clear_cpu(int cpu, struct cpumask *m)
{
	__clear_bit(cpu, cpumask_bits(m));
}

static inline bool cpumask_test_cpu(int cpu, const struct cpumask *m)
{
	return test_bit(cpu, cpumask_bits(m));
}

static inline bool cpumask_test_and_set_cpu(int cpu, struct cpumask *m)
{
	return test_and_set_bit(cpu, cpumask_bits(m));
}

static inline bool cpumask_test_and_clear_cpu(int cpu, struct cpumask *m)
{
	return test_and_clear_bit(cpu, cpumask_bits(m));
}

static inline void cpumask_setall(struct cpumask *m)
{
	bitmap_fill(cpumask_bits(m), nr_cpumask_bits);
}

/* Clears all NR_CPUS bits, as the kernel clears its large mask size. */
static inline void cpumask_clear(struct cpumask *m)
{
	bitmap_zero(cpumask_bits(m), NR_CPUS);
}

static inline bool cpumask_and(struct cpumask *dst, const struct cpumask *a,
			       const struct cpumask *b)
{
	return bitmap_and(cpumask_bits(dst), cpumask_bits(a), cpumask_bits(b), nr_cpumask_bits);
}

static inline bool cpumask_andnot(struct cpumask *dst, const struct cpumask *a,
				  const struct cpumask *b)
{
	return bitmap_andnot(cpumask_bits(dst), cpumask_bits(a), cpumask_bits(b), nr_cpumask_bits);
}

static inline void cpumask_or(struct cpumask *dst, const struct cpumask *a,
			      const struct cpumask *b)
{
	bitmap_or(cpumask_bits(dst), cpumask_bits(a), cpumask_bits(b), nr_cpumask_bits);
}

static inline void cpumask_xor(struct cpumask *dst, const struct cpumask *a,
			       const struct cpumask *b)
{
	bitmap_xor(cpumask_bits(dst), cpumask_bits(a), cpumask_bits(b), nr_cpumask_bits);
}

static inline void cpumask_copy(struct cpumask *dst, const struct cpumask *src)
{
	bitmap_copy(cpumask_bits(dst), cpumask_bits(src), NR_CPUS);
}

static inline bool cpumask_equal(const struct cpumask *a, const struct cpumask *b)
{
	return bitmap_equal(cpumask_bits(a), cpumask_bits(b), nr_cpumask_bits);
}

static inline bool cpumask_intersects(const struct cpumask *a, const struct cpumask *b)
{
	return bitmap_intersects(cpumask_bits(a), cpumask_bits(b), nr_cpumask_bits);
}

static inline bool cpumask_subset(const struct cpumask *a, const struct cpumask *b)
{
	return bitmap_subset(cpumask_bits(a), cpumask_bits(b), nr_cpumask_bits);
}

static inline bool cpumask_empty(const struct cpumask *m)
{
	return bitmap_empty(cpumask_bits(m), nr_cpumask_bits);
}

static inline bool cpumask_full(const struct cpumask *m)
{
	return bitmap_full(cpumask_bits(m), nr_cpumask_bits);
}

static inline unsigned int cpumask_weight(const struct cpumask *m)
{
	return bitmap_weight(cpumask_bits(m), nr_cpumask_bits);
}

static inline unsigned int cpumask_weight_and(const struct cpumask *a, const struct cpumask *b)
{
	unsigned int cpu, n = 0;

	for_each_and_bit(cpu, cpumask_bits(a), cpumask_bits(b), nr_cpumask_bits)
		n++;
	return n;
}

static inline unsigned int cpumask_first(const struct cpumask *m)
{
	return find_first_bit(cpumask_bits(m), nr_cpumask_bits);
}

static inline unsigned int cpumask_first_zero(const struct cpumask *m)
{
	return find_first_zero_bit(cpumask_bits(m), nr_cpumask_bits);
}

static inline unsigned int cpumask_first_and(const struct cpumask *a, const struct cpumask *b)
{
	return find_first_and_bit(cpumask_bits(a), cpumask_bits(b), nr_cpumask_bits);
}

static inline unsigned int cpumask_last(const struct cpumask *m)
{
	return find_last_bit(cpumask_bits(m), nr_cpumask_bits);
}

/* The next CPU after @n (-1 for the first). */
static inline unsigned int cpumask_next(int n, const struct cpumask *m)
{
	return find_next_bit(cpumask_bits(m), nr_cpumask_bits, (unsigned long)(n + 1));
}

static inline unsigned int cpumask_next_zero(int n, const struct cpumask *m)
{
	return find_next_zero_bit(cpumask_bits(m), nr_cpumask_bits, (unsigned long)(n + 1));
}

static inline unsigned int cpumask_next_and(int n, const struct cpumask *a,
					    const struct cpumask *b)
{
	return find_next_and_bit(cpumask_bits(a), cpumask_bits(b), nr_cpumask_bits,
				 (unsigned long)(n + 1));
}

/* The next CPU after @n, wrapping round to the first; >= nr_cpu_ids if the mask is empty. */
static inline unsigned int cpumask_next_wrap(int n, const struct cpumask *m)
{
	return find_next_bit_wrap(cpumask_bits(m), nr_cpumask_bits, (unsigned long)(n + 1));
}

/* The @cpu-th CPU of the mask, counting from 0. */
static inline unsigned int cpumask_nth(unsigned int cpu, const struct cpumask *m)
{
	return find_nth_bit(cpumask_bits(m), nr_cpumask_bits, cpu);
}

#define cpumask_any(m)		cpumask_first(m)
#define cpumask_any_and(a, b)	cpumask_first_and(a, b)

/* Any CPU of the mask but @cpu; >= nr_cpu_ids if there is none. */
static inline unsigned int cpumask_any_but(const struct cpumask *m, unsigned int cpu)
{
	unsigned int i = cpumask_first(m);

	if (i != cpu)
		return i;
	return cpumask_next(cpu, m);
}

#define for_each_cpu(cpu, mask)	\
	for_each_set_bit(cpu, cpumask_bits(mask), nr_cpumask_bits)
/* Every CPU of the mask once, from @start on, then from 0 up to @start. */
#define for_each_cpu_wrap(cpu, mask, start)	\
	for_each_set_bit_wrap(cpu, cpumask_bits(mask), nr_cpumask_bits, start)
#define for_each_cpu_and(cpu, a, b)	\
	for_each_and_bit(cpu, cpumask_bits(a), cpumask_bits(b), nr_cpumask_bits)
#define for_each_cpu_andnot(cpu, a, b)						\
	for ((cpu) = 0;								\
	     (cpu) = __cpumask_next_andnot((a), (b), (cpu)), (cpu) < nr_cpumask_bits; \
	     (cpu)++)
#define for_each_cpu_or(cpu, a, b)						\
	for ((cpu) = 0;								\
	     (cpu) = __cpumask_next_or((a), (b), (cpu)), (cpu) < nr_cpumask_bits;	\
	     (cpu)++)

static inline unsigned int __cpumask_next_andnot(const struct cpumask *a,
						 const struct cpumask *b, unsigned int from)
{
	while (from < nr_cpumask_bits &&
	       (from = find_next_bit(cpumask_bits(a), nr_cpumask_bits, from)) < nr_cpumask_bits &&
	       cpumask_test_cpu(from, b))
		from++;
	return from;
}

static inline unsigned int __cpumask_next_or(const struct cpumask *a,
					     const struct cpumask *b, unsigned int from)
{
	unsigned int x = find_next_bit(cpumask_bits(a), nr_cpumask_bits, from);
	unsigned int y = find_next_bit(cpumask_bits(b), nr_cpumask_bits, from);

	return x < y ? x : y;
}

/* cpumask_var_t without CONFIG_CPUMASK_OFFSTACK: the mask itself; nothing to allocate. */
typedef struct cpumask cpumask_var_t[1];

static inline bool alloc_cpumask_var(cpumask_var_t *mask, gfp_t flags)
{
	(void)mask;
	(void)flags;
	return true;
}

static inline bool zalloc_cpumask_var(cpumask_var_t *mask, gfp_t flags)
{
	(void)flags;
	cpumask_clear(*mask);
	return true;
}

static inline void free_cpumask_var(cpumask_var_t mask)
{
	(void)mask;
}

UKMEM_C_END

#endif /* _LINUX_CPUMASK_H */
