/* SPDX-License-Identifier: MIT */
/*
 * asm/percpu.h - the x86-64 half of this_cpu_*(): restartable sequences
 * (the role of arch/x86/include/asm/percpu.h, whose %gs-relative single
 * instructions are safe only because the kernel cannot be migrated in the
 * middle of one).
 *
 * Each sequence reads the CPU number from the rseq area glibc registers,
 * finds that CPU's entry in ukmem_pcpu_cpus[] (its lock word and its
 * __per_cpu_offset), gives up if the CPU is held by get_cpu(), and ends in
 * one committing store - or one add to memory - to the CPU's copy.  If the
 * thread is preempted, migrated or signalled before the commit, the host
 * kernel moves it to the abort handler and the caller takes the slow path
 * (mm/percpu.c), which retries.  So the operation happens exactly once, on
 * the CPU the thread was running on at the commit, with no atomic
 * instruction, and never while another thread holds that CPU.
 *
 * Nothing here is called when the process has no rseq registration
 * (valgrind, glibc < 2.35) or off x86-64: UKMEM_PCPU_HAVE_RSEQ is 0 or
 * ukmem_pcpu_rseq is 0, and mm/percpu.c takes the CPU's lock instead.
 */
#ifndef _ASM_PERCPU_H
#define _ASM_PERCPU_H

#include <ukmem/kernel_types.h>
#include <asm/rseq.h>

UKMEM_C_BEGIN

/*
 * One CPU's entry, a cache line each so that taking one CPU's lock does
 * not disturb the others.  The sequences hard-code the layout.
 */
struct ukmem_pcpu_cpu {
	u32 lock;		/* 0, or the token of the thread that holds this CPU */
	u32 __pad;
	unsigned long offset;	/* the kernel's __per_cpu_offset[cpu] */
} __aligned(64);

_Static_assert(sizeof(struct ukmem_pcpu_cpu) == 64, "one line per CPU");
_Static_assert(offsetof(struct ukmem_pcpu_cpu, offset) == 8, "offset at 8");

/* The operations, for the dispatcher in linux/percpu-defs.h and mm/percpu.c. */
enum ukmem_pcpu_op {
	UKMEM_PCPU_OP_ADD,		/* *p += v */
	UKMEM_PCPU_OP_ADD_RETURN,	/* *p += v, return the new value */
	UKMEM_PCPU_OP_WRITE,		/* *p = v */
	UKMEM_PCPU_OP_XCHG,		/* old = *p, *p = v, return old */
	UKMEM_PCPU_OP_CMPXCHG,		/* old = *p, if old == e: *p = v; return old */
};

UKMEM_API_BEGIN
/* Every CPU's entry, [NR_CPUS]; entries past nr_cpu_ids are unused. */
extern struct ukmem_pcpu_cpu ukmem_pcpu_cpus[];
#ifndef UKMEM_NR_CPU_IDS_DECLARED	/* once, for -Wredundant-decls (linux/smp.h too) */
#define UKMEM_NR_CPU_IDS_DECLARED
extern unsigned int nr_cpu_ids;
#endif
UKMEM_API_END

/*
 * Not under ThreadSanitizer: it cannot see that a committed sequence owned
 * the CPU's data, so every object passed through a stack would look racy;
 * the lock words' atomics (lock mode) give it the ordering to follow.
 */
#if defined(__x86_64__) && !defined(UKMEM_NO_RSEQ) && !UKMEM_TSAN
#define UKMEM_PCPU_HAVE_RSEQ	1

/* A sequence between labels 1 and 2; descriptor and abort: asm/rseq.h. */
#define __UKMEM_RSEQ_BEGIN	__UKMEM_RSEQ_CS "1:\n\t"
#define __UKMEM_RSEQ_END(label)	"2:\n\t" __UKMEM_RSEQ_ABORT(label)

/* %rax = &ukmem_pcpu_cpus[current CPU], or jump to @label if it is held. */
#define __UKMEM_RSEQ_THIS_CPU(label)					\
	"movl %%fs:4(%[rseq]), %%eax\n\t"				\
	"cmpl %[nr], %%eax\n\t"						\
	"jae %l[" label "]\n\t"						\
	"shlq $6, %%rax\n\t"						\
	"addq %[cpus], %%rax\n\t"					\
	"cmpl $0, (%%rax)\n\t"						\
	"jne %l[" label "]\n\t"

#define __UKMEM_RSEQ_IN							\
	[rseq] "r" (rseq), [nr] "m" (nr_cpu_ids), [cpus] "r" (ukmem_pcpu_cpus)

/*
 * One set of sequences per operand size: SFX is the instruction suffix,
 * M the operand modifier naming the register of that size.
 * Each returns true if the operation was done, false if the caller must
 * take the slow path; outputs are valid only on true.
 */
#define __UKMEM_RSEQ_OPS(bits, SFX, M)					\
static __always_inline bool						\
__ukmem_rseq_add_##bits(long rseq, unsigned long q, unsigned long val)	\
{									\
	__asm__ goto(__UKMEM_RSEQ_BEGIN					\
		 __UKMEM_RSEQ_THIS_CPU("fail")				\
		 "movq 8(%%rax), %%rax\n\t"				\
		 "add" SFX " %" M "[val], (%[q],%%rax)\n"		\
		 __UKMEM_RSEQ_END("fail")				\
		 : : __UKMEM_RSEQ_IN, [q] "r" (q), [val] "r" (val)	\
		 : "rax", "memory", "cc" : fail);			\
	return true;							\
fail:									\
	return false;							\
}									\
static __always_inline bool						\
__ukmem_rseq_write_##bits(long rseq, unsigned long q, unsigned long val) \
{									\
	__asm__ goto(__UKMEM_RSEQ_BEGIN					\
		 __UKMEM_RSEQ_THIS_CPU("fail")				\
		 "movq 8(%%rax), %%rax\n\t"				\
		 "mov" SFX " %" M "[val], (%[q],%%rax)\n"		\
		 __UKMEM_RSEQ_END("fail")				\
		 : : __UKMEM_RSEQ_IN, [q] "r" (q), [val] "r" (val)	\
		 : "rax", "memory", "cc" : fail);			\
	return true;							\
fail:									\
	return false;							\
}									\
static __always_inline bool						\
__ukmem_rseq_add_return_##bits(long rseq, unsigned long q, unsigned long val, \
			       unsigned long *ret)			\
{									\
	unsigned long tmp;						\
									\
	__asm__ goto(__UKMEM_RSEQ_BEGIN					\
		 __UKMEM_RSEQ_THIS_CPU("fail")				\
		 "movq 8(%%rax), %%rax\n\t"				\
		 "mov" SFX " (%[q],%%rax), %" M "[tmp]\n\t"		\
		 "add" SFX " %" M "[val], %" M "[tmp]\n\t"		\
		 "mov" SFX " %" M "[tmp], (%[q],%%rax)\n"		\
		 __UKMEM_RSEQ_END("fail")				\
		 : [tmp] "=&r" (tmp)					\
		 : __UKMEM_RSEQ_IN, [q] "r" (q), [val] "r" (val)	\
		 : "rax", "memory", "cc" : fail);			\
	*ret = tmp;							\
	return true;							\
fail:									\
	return false;							\
}									\
static __always_inline bool						\
__ukmem_rseq_xchg_##bits(long rseq, unsigned long q, unsigned long val,	\
			 unsigned long *ret)				\
{									\
	unsigned long tmp;						\
									\
	__asm__ goto(__UKMEM_RSEQ_BEGIN					\
		 __UKMEM_RSEQ_THIS_CPU("fail")				\
		 "movq 8(%%rax), %%rax\n\t"				\
		 "mov" SFX " (%[q],%%rax), %" M "[tmp]\n\t"		\
		 "mov" SFX " %" M "[val], (%[q],%%rax)\n"		\
		 __UKMEM_RSEQ_END("fail")				\
		 : [tmp] "=&r" (tmp)					\
		 : __UKMEM_RSEQ_IN, [q] "r" (q), [val] "r" (val)	\
		 : "rax", "memory", "cc" : fail);			\
	*ret = tmp;							\
	return true;							\
fail:									\
	return false;							\
}									\
static __always_inline bool						\
__ukmem_rseq_cmpxchg_##bits(long rseq, unsigned long q, unsigned long val, \
			    unsigned long exp, unsigned long *ret)	\
{									\
	unsigned long tmp;						\
									\
	__asm__ goto(__UKMEM_RSEQ_BEGIN					\
		 __UKMEM_RSEQ_THIS_CPU("fail")				\
		 "movq 8(%%rax), %%rax\n\t"				\
		 "mov" SFX " (%[q],%%rax), %" M "[tmp]\n\t"		\
		 "cmp" SFX " %" M "[tmp], %" M "[exp]\n\t"		\
		 "jne 2f\n\t"						\
		 "mov" SFX " %" M "[val], (%[q],%%rax)\n"		\
		 __UKMEM_RSEQ_END("fail")				\
		 : [tmp] "=&r" (tmp)					\
		 : __UKMEM_RSEQ_IN, [q] "r" (q), [val] "r" (val),	\
		   [exp] "r" (exp)					\
		 : "rax", "memory", "cc" : fail);			\
	*ret = tmp;							\
	return true;							\
fail:									\
	return false;							\
}

__UKMEM_RSEQ_OPS(8, "b", "b")
__UKMEM_RSEQ_OPS(16, "w", "w")
__UKMEM_RSEQ_OPS(32, "l", "k")
__UKMEM_RSEQ_OPS(64, "q", "q")

/*
 * Take the current CPU for the calling thread (get_cpu()): its lock word
 * goes from 0 to @token in the committing store.  Returns the CPU's entry,
 * or NULL if it is held already or the sequence was aborted.
 */
static __always_inline struct ukmem_pcpu_cpu *
__ukmem_rseq_lock_cpu(long rseq, u32 token)
{
	struct ukmem_pcpu_cpu *cpu;

	__asm__ goto(__UKMEM_RSEQ_BEGIN
		 __UKMEM_RSEQ_THIS_CPU("fail")
		 "movq %%rax, %[cpu]\n\t"
		 "movl %[token], (%%rax)\n"
		 __UKMEM_RSEQ_END("fail")
		 : [cpu] "=&r" (cpu)
		 : __UKMEM_RSEQ_IN, [token] "r" (token)
		 : "rax", "memory", "cc" : fail);
	return cpu;
fail:
	return NULL;
}

/*
 * The dispatcher: @size (1, 2, 4, 8) and @op are constants after inlining,
 * so only one sequence is emitted.
 */
static __always_inline bool __ukmem_rseq_op(long rseq, unsigned long q, int size, int op,
					    unsigned long val, unsigned long exp,
					    unsigned long *ret)
{
#define __UKMEM_RSEQ_CASE(bits)							\
	switch (op) {								\
	case UKMEM_PCPU_OP_ADD:							\
		return __ukmem_rseq_add_##bits(rseq, q, val);			\
	case UKMEM_PCPU_OP_WRITE:						\
		return __ukmem_rseq_write_##bits(rseq, q, val);			\
	case UKMEM_PCPU_OP_ADD_RETURN:						\
		return __ukmem_rseq_add_return_##bits(rseq, q, val, ret);	\
	case UKMEM_PCPU_OP_XCHG:						\
		return __ukmem_rseq_xchg_##bits(rseq, q, val, ret);		\
	default:								\
		return __ukmem_rseq_cmpxchg_##bits(rseq, q, val, exp, ret);	\
	}
	switch (size) {
	case 1:
		__UKMEM_RSEQ_CASE(8)
	case 2:
		__UKMEM_RSEQ_CASE(16)
	case 4:
		__UKMEM_RSEQ_CASE(32)
	default:
		__UKMEM_RSEQ_CASE(64)
	}
#undef __UKMEM_RSEQ_CASE
}

#else /* no restartable sequences: mm/percpu.c's lock mode only */
#define UKMEM_PCPU_HAVE_RSEQ	0

static __always_inline bool __ukmem_rseq_op(long rseq, unsigned long q, int size, int op,
					    unsigned long val, unsigned long exp,
					    unsigned long *ret)
{
	(void)rseq, (void)q, (void)size, (void)op, (void)val, (void)exp, (void)ret;
	return false;
}

static __always_inline struct ukmem_pcpu_cpu *
__ukmem_rseq_lock_cpu(long rseq, u32 token)
{
	(void)rseq, (void)token;
	return NULL;
}
#endif

UKMEM_C_END

#endif /* _ASM_PERCPU_H */
