/* SPDX-License-Identifier: MIT */
/*
 * linux/percpu-defs.h - declaring per-CPU variables and reaching each CPU's
 * copy (include/linux/percpu-defs.h).
 *
 * A per-CPU pointer (&var of a DEFINE_PER_CPU variable, or what
 * alloc_percpu() returns) is a template: CPU n's copy is at
 *	canonical(p) + __per_cpu_offset[n]
 * where canonical(p) is p itself for dynamic allocations (they are CPU 0's
 * copy, in a chunk of the linear map) and, for a static variable, p moved
 * into the area that mm/percpu.c gave its object's "ukmem_percpu" section
 * at boot.  The section's own bytes are only the initial values.
 *
 * Current-CPU operations follow DESIGN.md: a thread can migrate at any
 * instruction, so
 *  - this_cpu_add/sub/inc/dec/write/xchg/cmpxchg/add_return (and/or
 *    through cmpxchg) are
 *    restartable sequences (asm/percpu.h) that commit on the CPU the thread
 *    is on, never while another thread holds that CPU; without rseq they
 *    take the CPU's lock (mm/percpu.c).  Either way each is one indivisible
 *    update of one CPU's copy, also against ukmem signal handlers;
 *  - get_cpu()/get_cpu_var()/get_cpu_ptr() take the current CPU for the
 *    calling thread (its lock, and the preempt count) until the matching
 *    put; meanwhile smp_processor_id() and every this_cpu_*() of that
 *    thread act on the held CPU, wherever the host runs the thread, and
 *    other threads' this_cpu_*() on that CPU wait;
 *  - __this_cpu_*() and raw_cpu_*() (which in the kernel need preemption
 *    off) are plain accesses while the thread holds a CPU, and the safe
 *    this_cpu_*() otherwise - a spinlock or preempt_disable() cannot pin a
 *    user-space thread to a CPU.
 */
#ifndef _LINUX_PERCPU_DEFS_H
#define _LINUX_PERCPU_DEFS_H

#include <ukmem/kernel_types.h>
#include <linux/smp.h>
#include <asm/page.h>
#include <asm/percpu.h>

UKMEM_C_BEGIN

/* ---- declaring and defining ---- */

/*
 * One section for every kind (the kernel's ".data..percpu..*" subsections
 * are merged by its linker script; here the attributes carry alignment).
 * Its bounds are __start_ukmem_percpu/__stop_ukmem_percpu in each object.
 */
#define PER_CPU_BASE_SECTION	"ukmem_percpu"
#define __PCPU_ATTRS		__attribute__((__section__(PER_CPU_BASE_SECTION), __used__))

#define DECLARE_PER_CPU_SECTION(type, name, sec)	extern __typeof__(type) name
#define DEFINE_PER_CPU_SECTION(type, name, sec)	__PCPU_ATTRS __typeof__(type) name

#define DECLARE_PER_CPU(type, name)		DECLARE_PER_CPU_SECTION(type, name, "")
#define DEFINE_PER_CPU(type, name)		DEFINE_PER_CPU_SECTION(type, name, "")
#define DECLARE_PER_CPU_FIRST(type, name)	DECLARE_PER_CPU(type, name)
#define DEFINE_PER_CPU_FIRST(type, name)	DEFINE_PER_CPU(type, name)
#define DECLARE_PER_CPU_SHARED_ALIGNED(type, name) DECLARE_PER_CPU(type, name) __aligned(SMP_CACHE_BYTES)
#define DEFINE_PER_CPU_SHARED_ALIGNED(type, name)  DEFINE_PER_CPU(type, name) __aligned(SMP_CACHE_BYTES)
#define DECLARE_PER_CPU_ALIGNED(type, name)	DECLARE_PER_CPU_SHARED_ALIGNED(type, name)
#define DEFINE_PER_CPU_ALIGNED(type, name)	DEFINE_PER_CPU_SHARED_ALIGNED(type, name)
#define DECLARE_PER_CPU_PAGE_ALIGNED(type, name) DECLARE_PER_CPU(type, name) __aligned(PAGE_SIZE)
#define DEFINE_PER_CPU_PAGE_ALIGNED(type, name)	 DEFINE_PER_CPU(type, name) __aligned(PAGE_SIZE)
#define DECLARE_PER_CPU_READ_MOSTLY(type, name)	DECLARE_PER_CPU(type, name)
#define DEFINE_PER_CPU_READ_MOSTLY(type, name)	DEFINE_PER_CPU(type, name)
#define DECLARE_PER_CPU_CACHE_HOT(type, name)	DECLARE_PER_CPU(type, name)
#define DEFINE_PER_CPU_CACHE_HOT(type, name)	DEFINE_PER_CPU(type, name)
/* Modules export per-CPU symbols; a shared object exports them by visibility. */
#define EXPORT_PER_CPU_SYMBOL(var)
#define EXPORT_PER_CPU_SYMBOL_GPL(var)

/* ---- template -> copies ---- */

#define UKMEM_PCPU_MAX_SECTIONS	16

/* A registered object's section and where its copies live (mm/percpu.c). */
struct ukmem_pcpu_section {
	unsigned long start;	/* __start_ukmem_percpu of the object */
	unsigned long size;
	long delta;		/* CPU 0's copy - start */
};

UKMEM_API_BEGIN
extern struct ukmem_pcpu_section ukmem_pcpu_sections[UKMEM_PCPU_MAX_SECTIONS];
extern unsigned int ukmem_pcpu_nr_sections;
/* Dynamic per-CPU pointers are in [start, start + size): the linear map. */
extern unsigned long ukmem_pcpu_dyn_start, ukmem_pcpu_dyn_size;
/* glibc's rseq offset while this_cpu_*() use sequences; 0: lock mode. */
extern long ukmem_pcpu_rseq;
/* Out of line: a static template (booting first if needed), or BUG. */
unsigned long ukmem_pcpu_canon_slow(unsigned long ptr);
/* Out of line: the operation under the current CPU's lock, or retried. */
unsigned long ukmem_pcpu_op_slow(unsigned long q, int size, int op, unsigned long val,
				 unsigned long exp);
UKMEM_API_END

/* The kernel's names for the offsets. */
#define __per_cpu_offset(cpu)	(ukmem_pcpu_cpus[(cpu)].offset)
#define per_cpu_offset(cpu)	__per_cpu_offset(cpu)

/* CPU 0's copy of what @ptr designates (hidden from the optimiser, as RELOC_HIDE). */
static __always_inline unsigned long __ukmem_pcpu_canon(unsigned long p)
{
	unsigned int i, n;

	__asm__("" : "+r" (p));
	/* Set once by the boot (0 before: every pointer is a static one). */
	if (likely(p - data_race(ukmem_pcpu_dyn_start) < data_race(ukmem_pcpu_dyn_size)))
		return p;
	n = __atomic_load_n(&ukmem_pcpu_nr_sections, __ATOMIC_ACQUIRE);
	for (i = 0; i < n; i++)
		if (p - ukmem_pcpu_sections[i].start < ukmem_pcpu_sections[i].size)
			return p + (unsigned long)ukmem_pcpu_sections[i].delta;
	return ukmem_pcpu_canon_slow(p);
}

#define per_cpu_ptr(ptr, cpu)							\
	((__typeof__(*(ptr)) *)(__ukmem_pcpu_canon((unsigned long)(ptr)) +	\
				ukmem_pcpu_cpus[(cpu)].offset))
#define per_cpu(var, cpu)	(*per_cpu_ptr(&(var), (cpu)))
#define this_cpu_ptr(ptr)	per_cpu_ptr((ptr), smp_processor_id())
#define raw_cpu_ptr(ptr)	this_cpu_ptr(ptr)
#define __this_cpu_ptr(ptr)	this_cpu_ptr(ptr)
#define this_cpu_read_stable(pcp) this_cpu_read(pcp)

/* ---- holding the current CPU ---- */

#define get_cpu_var(var)	(*({ get_cpu(); this_cpu_ptr(&(var)); }))
#define put_cpu_var(var)	do { (void)&(var); put_cpu(); } while (0)
#define get_cpu_ptr(var)	({ get_cpu(); this_cpu_ptr(var); })
#define put_cpu_ptr(var)	do { (void)(var); put_cpu(); } while (0)
/*
 * 2.6-era names (removed in v3.19): the current CPU's copy of a static
 * per-CPU variable as an lvalue, without taking the CPU (the caller has
 * done that, as LDD3's examples do with get_cpu()).
 */
#define __get_cpu_var(var)	(*this_cpu_ptr(&(var)))
#define __raw_get_cpu_var(var)	(*raw_cpu_ptr(&(var)))

/* ---- operations on the current CPU's copy ---- */

extern void __bad_size_call_parameter(void)
	__attribute__((__error__("this_cpu_*: only 1, 2, 4 and 8-byte scalars")));

#define __pcpu_size_check(pcp)							\
	do {									\
		if (sizeof(pcp) != 1 && sizeof(pcp) != 2 && sizeof(pcp) != 4 &&	\
		    sizeof(pcp) != 8)						\
			__bad_size_call_parameter();				\
	} while (0)

/* Read one CPU's copy (the size is a constant after inlining). */
static __always_inline unsigned long __ukmem_pcpu_load(unsigned long addr, int size)
{
	switch (size) {
	case 1: return __atomic_load_n((u8 *)addr, __ATOMIC_RELAXED);
	case 2: return __atomic_load_n((u16 *)addr, __ATOMIC_RELAXED);
	case 4: return __atomic_load_n((u32 *)addr, __ATOMIC_RELAXED);
	default: return __atomic_load_n((u64 *)addr, __ATOMIC_RELAXED);
	}
}

/*
 * @op on the copy at @addr as one atomic instruction: what a thread that
 * holds the CPU uses (a signal handler of its own may touch the same
 * copy), and the slow path's fallback.
 */
#define __UKMEM_PCPU_ATOMIC(T)							\
	do {									\
		T *__a = (T *)addr, __o;					\
		switch (op) {							\
		case UKMEM_PCPU_OP_ADD:						\
			__atomic_fetch_add(__a, (T)val, __ATOMIC_RELAXED);	\
			return 0;						\
		case UKMEM_PCPU_OP_ADD_RETURN:					\
			return __atomic_add_fetch(__a, (T)val, __ATOMIC_RELAXED); \
		case UKMEM_PCPU_OP_WRITE:					\
			__atomic_store_n(__a, (T)val, __ATOMIC_RELAXED);	\
			return 0;						\
		case UKMEM_PCPU_OP_XCHG:					\
			return __atomic_exchange_n(__a, (T)val, __ATOMIC_RELAXED); \
		default:							\
			__o = (T)exp;						\
			__atomic_compare_exchange_n(__a, &__o, (T)val, false,	\
						    __ATOMIC_RELAXED, __ATOMIC_RELAXED); \
			return __o;						\
		}								\
	} while (0)

static __always_inline unsigned long __ukmem_pcpu_atomic_op(unsigned long addr, int size, int op,
							    unsigned long val, unsigned long exp)
{
	switch (size) {
	case 1: __UKMEM_PCPU_ATOMIC(u8);
	case 2: __UKMEM_PCPU_ATOMIC(u16);
	case 4: __UKMEM_PCPU_ATOMIC(u32);
	default: __UKMEM_PCPU_ATOMIC(u64);
	}
}

/* The same without atomicity: __this_cpu_*() on a CPU the thread holds. */
#define __UKMEM_PCPU_PLAIN(T)							\
	do {									\
		volatile T *__a = (volatile T *)addr;				\
		T __o = *__a;							\
		switch (op) {							\
		case UKMEM_PCPU_OP_ADD:						\
		case UKMEM_PCPU_OP_ADD_RETURN:					\
			*__a = (T)(__o + (T)val);				\
			return (T)(__o + (T)val);				\
		case UKMEM_PCPU_OP_WRITE:					\
		case UKMEM_PCPU_OP_XCHG:					\
			*__a = (T)val;						\
			return __o;						\
		default:							\
			if (__o == (T)exp)					\
				*__a = (T)val;					\
			return __o;						\
		}								\
	} while (0)

static __always_inline unsigned long __ukmem_pcpu_plain_op(unsigned long addr, int size, int op,
							   unsigned long val, unsigned long exp)
{
	switch (size) {
	case 1: __UKMEM_PCPU_PLAIN(u8);
	case 2: __UKMEM_PCPU_PLAIN(u16);
	case 4: __UKMEM_PCPU_PLAIN(u32);
	default: __UKMEM_PCPU_PLAIN(u64);
	}
}

/* this_cpu_*(): safe against migration, other threads and signal handlers. */
static __always_inline unsigned long __ukmem_this_cpu_op(unsigned long ptr, int size, int op,
							 unsigned long val, unsigned long exp)
{
	unsigned long q = __ukmem_pcpu_canon(ptr), ret = 0;
	int held = ukmem_pcpu_held;

	if (unlikely(held))
		return __ukmem_pcpu_atomic_op(q + ukmem_pcpu_cpus[held - 1].offset, size, op,
					      val, exp);
	if (UKMEM_PCPU_HAVE_RSEQ && likely(ukmem_pcpu_rseq) &&
	    likely(__ukmem_rseq_op(ukmem_pcpu_rseq, q, size, op, val, exp, &ret)))
		return ret;
	return ukmem_pcpu_op_slow(q, size, op, val, exp);
}

/* __this_cpu_*(): plain on a held CPU, this_cpu_*() otherwise. */
static __always_inline unsigned long __ukmem_this_cpu_op_unsafe(unsigned long ptr, int size,
								int op, unsigned long val,
								unsigned long exp)
{
	int held = ukmem_pcpu_held;

	if (held)
		return __ukmem_pcpu_plain_op(__ukmem_pcpu_canon(ptr) +
					     ukmem_pcpu_cpus[held - 1].offset,
					     size, op, val, exp);
	return __ukmem_this_cpu_op(ptr, size, op, val, exp);
}

static __always_inline unsigned long __ukmem_this_cpu_read(unsigned long ptr, int size)
{
	unsigned long q = __ukmem_pcpu_canon(ptr);

	return __ukmem_pcpu_load(q + ukmem_pcpu_cpus[smp_processor_id()].offset, size);
}

#define __pcpu_op(fn, pcp, op, val, exp)					\
	({									\
		__pcpu_size_check(pcp);						\
		(__typeof__(pcp))(uintptr_t)fn((unsigned long)&(pcp), sizeof(pcp), \
					      (op), (unsigned long)(val),	\
					      (unsigned long)(exp));		\
	})

#define this_cpu_read(pcp)							\
	({									\
		__pcpu_size_check(pcp);						\
		(__typeof__(pcp))(uintptr_t)__ukmem_this_cpu_read((unsigned long)&(pcp), \
								  sizeof(pcp));	\
	})
#define this_cpu_write(pcp, val)	\
	((void)__pcpu_op(__ukmem_this_cpu_op, pcp, UKMEM_PCPU_OP_WRITE, (val), 0))
#define this_cpu_add(pcp, val)		\
	((void)__pcpu_op(__ukmem_this_cpu_op, pcp, UKMEM_PCPU_OP_ADD, (val), 0))
#define this_cpu_add_return(pcp, val)	\
	__pcpu_op(__ukmem_this_cpu_op, pcp, UKMEM_PCPU_OP_ADD_RETURN, (val), 0)
#define this_cpu_xchg(pcp, nval)	\
	__pcpu_op(__ukmem_this_cpu_op, pcp, UKMEM_PCPU_OP_XCHG, (nval), 0)
#define this_cpu_cmpxchg(pcp, oval, nval) \
	__pcpu_op(__ukmem_this_cpu_op, pcp, UKMEM_PCPU_OP_CMPXCHG, (nval), (oval))
#define this_cpu_sub(pcp, val)		this_cpu_add(pcp, -(__typeof__(pcp))(val))
#define this_cpu_inc(pcp)		this_cpu_add(pcp, 1)
#define this_cpu_dec(pcp)		this_cpu_sub(pcp, 1)
#define this_cpu_sub_return(pcp, val)	this_cpu_add_return(pcp, -(__typeof__(pcp))(val))
#define this_cpu_inc_return(pcp)	this_cpu_add_return(pcp, 1)
#define this_cpu_dec_return(pcp)	this_cpu_add_return(pcp, -1)
/* try_cmpxchg: true if *ovalp matched (then @nval is stored), else *ovalp = the value. */
#define this_cpu_try_cmpxchg(pcp, ovalp, nval)					\
	({									\
		__typeof__(pcp) __old = *(ovalp);				\
		__typeof__(pcp) __seen = this_cpu_cmpxchg(pcp, __old, nval);	\
		*(ovalp) = __seen;						\
		__seen == __old;						\
	})

#define __this_cpu_read(pcp)		this_cpu_read(pcp)
#define __this_cpu_write(pcp, val)	\
	((void)__pcpu_op(__ukmem_this_cpu_op_unsafe, pcp, UKMEM_PCPU_OP_WRITE, (val), 0))
#define __this_cpu_add(pcp, val)	\
	((void)__pcpu_op(__ukmem_this_cpu_op_unsafe, pcp, UKMEM_PCPU_OP_ADD, (val), 0))
#define __this_cpu_add_return(pcp, val)	\
	__pcpu_op(__ukmem_this_cpu_op_unsafe, pcp, UKMEM_PCPU_OP_ADD_RETURN, (val), 0)
#define __this_cpu_xchg(pcp, nval)	\
	__pcpu_op(__ukmem_this_cpu_op_unsafe, pcp, UKMEM_PCPU_OP_XCHG, (nval), 0)
#define __this_cpu_cmpxchg(pcp, oval, nval) \
	__pcpu_op(__ukmem_this_cpu_op_unsafe, pcp, UKMEM_PCPU_OP_CMPXCHG, (nval), (oval))
#define __this_cpu_sub(pcp, val)	__this_cpu_add(pcp, -(__typeof__(pcp))(val))
#define __this_cpu_inc(pcp)		__this_cpu_add(pcp, 1)
#define __this_cpu_dec(pcp)		__this_cpu_sub(pcp, 1)
#define __this_cpu_sub_return(pcp, val)	__this_cpu_add_return(pcp, -(__typeof__(pcp))(val))
#define __this_cpu_inc_return(pcp)	__this_cpu_add_return(pcp, 1)
#define __this_cpu_dec_return(pcp)	__this_cpu_add_return(pcp, -1)

#define raw_cpu_read(pcp)		__this_cpu_read(pcp)
#define raw_cpu_write(pcp, val)		__this_cpu_write(pcp, val)
#define raw_cpu_add(pcp, val)		__this_cpu_add(pcp, val)
#define raw_cpu_sub(pcp, val)		__this_cpu_sub(pcp, val)
#define raw_cpu_inc(pcp)		__this_cpu_inc(pcp)
#define raw_cpu_dec(pcp)		__this_cpu_dec(pcp)
#define raw_cpu_add_return(pcp, val)	__this_cpu_add_return(pcp, val)
#define raw_cpu_xchg(pcp, nval)		__this_cpu_xchg(pcp, nval)
#define raw_cpu_cmpxchg(pcp, oval, nval) __this_cpu_cmpxchg(pcp, oval, nval)
#define raw_cpu_sub_return(pcp, val)	__this_cpu_sub_return(pcp, val)
#define raw_cpu_inc_return(pcp)		__this_cpu_inc_return(pcp)
#define raw_cpu_dec_return(pcp)		__this_cpu_dec_return(pcp)
#define raw_cpu_try_cmpxchg(pcp, ovalp, nval)					\
	({									\
		__typeof__(pcp) __rold = *(ovalp);				\
		__typeof__(pcp) __rseen = raw_cpu_cmpxchg(pcp, __rold, nval);	\
		*(ovalp) = __rseen;						\
		__rseen == __rold;						\
	})

/*
 * The fixed-width forms (v6.5+): the generic ones on a variable that must
 * be 8 bytes wide.  The 128-bit forms are left out: every operation here
 * is at most a machine word (__pcpu_size_check).
 */
#define __pcpu_size_check64(pcp)						\
	_Static_assert(sizeof(pcp) == 8, "this_cpu_*cmpxchg64: the variable is not 8 bytes")
#define this_cpu_cmpxchg64(pcp, oval, nval)					\
	({ __pcpu_size_check64(pcp); this_cpu_cmpxchg(pcp, oval, nval); })
#define raw_cpu_cmpxchg64(pcp, oval, nval)					\
	({ __pcpu_size_check64(pcp); raw_cpu_cmpxchg(pcp, oval, nval); })
#define this_cpu_try_cmpxchg64(pcp, ovalp, nval)				\
	({ __pcpu_size_check64(pcp); this_cpu_try_cmpxchg(pcp, ovalp, nval); })
#define raw_cpu_try_cmpxchg64(pcp, ovalp, nval)				\
	({ __pcpu_size_check64(pcp); raw_cpu_try_cmpxchg(pcp, ovalp, nval); })

/*
 * this_cpu_and/or(): a compare-and-exchange loop on the current CPU's
 * variable.  The value read may be another CPU's if the thread moves,
 * but the exchange compares against the CPU it runs on then, so a stale
 * read only fails and retries: what it stores is always built from the
 * value it replaces.
 */
#define __pcpu_bitop(xchg, pcp, op, val)					\
	do {									\
		__typeof__(pcp) __bo_old, __bo_new;				\
		do {								\
			__bo_old = __this_cpu_read(pcp);			\
			__bo_new = __bo_old op (__typeof__(pcp))(val);		\
		} while (xchg(pcp, __bo_old, __bo_new) != __bo_old);		\
	} while (0)
#define this_cpu_and(pcp, val)		__pcpu_bitop(this_cpu_cmpxchg, pcp, &, val)
#define this_cpu_or(pcp, val)		__pcpu_bitop(this_cpu_cmpxchg, pcp, |, val)
#define __this_cpu_and(pcp, val)	__pcpu_bitop(__this_cpu_cmpxchg, pcp, &, val)
#define __this_cpu_or(pcp, val)		__pcpu_bitop(__this_cpu_cmpxchg, pcp, |, val)
#define raw_cpu_and(pcp, val)		__this_cpu_and(pcp, val)
#define raw_cpu_or(pcp, val)		__this_cpu_or(pcp, val)

UKMEM_C_END

#endif /* _LINUX_PERCPU_DEFS_H */
