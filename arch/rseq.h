/* SPDX-License-Identifier: MIT */
/*
 * arch/rseq.h - per-CPU stacks of pointers, operated with restartable
 * sequences (the host side of the slab allocator's per-CPU fast path).
 *
 * A restartable sequence (rseq(2), registered for every thread by glibc
 * 2.35+) is a short run of instructions that the host kernel aborts, by
 * moving the thread to an abort handler, if the thread is preempted,
 * migrated or signalled before the sequence's last instruction, its single
 * committing store.  Code inside a sequence that read the CPU number from
 * the rseq area therefore owns that CPU's data until its commit without any
 * atomic instruction: nothing else can run on that CPU in between, and the
 * thread cannot leave it without being aborted.
 *
 * The data is one struct arch_pcpu_stack per CPU, laid out at a fixed
 * stride from a base (struct arch_pcpu_stacks).  Each stack has a lock word:
 *
 *   0                   free: the sequences below may use the stack;
 *   ARCH_PCPU_LOCAL     held by a thread that took it with
 *                       arch_rseq_stack_lock() while running on that CPU
 *                       (that thread may since have migrated: it still
 *                       holds the lock);
 *   anything else       held by a remote owner (arch_pcpu_remote_token()),
 *                       taken with a compare-and-swap followed by
 *                       arch_rseq_fence(cpu): membarrier(2) restarts every
 *                       sequence in flight on that CPU, so once it returns
 *                       no sequence that saw the lock free can still commit.
 *
 * Every sequence reads the lock word (with the size, in one load: push and
 * pop) and gives up if it is not 0, so a holder of the lock may work on
 * the stack with ordinary loads and stores.  The race between a remote
 * compare-and-swap and a local sequence that read 0 just before it is
 * settled by the remote owner re-reading the word after the fence: if
 * its token is still there it owns the stack, otherwise the local sequence
 * committed first and owns it.
 *
 * The sequences exist for x86-64; elsewhere, and where the host refuses
 * rseq or membarrier (valgrind, old kernels), ARCH_HAS_RSEQ_STACKS is 0 or
 * arch_rseq_init() fails, and the caller uses the same lock words as
 * ordinary try-locks (mm/slub.c's lock mode).
 */
#ifndef _ARCH_RSEQ_H
#define _ARCH_RSEQ_H

#include <ukmem/kernel_types.h>
#include <asm/rseq.h>

/*
 * size and lock share one 8-byte word, size in its low half: a sequence
 * loads both at once and one compare tells "locked, or empty / full" (a
 * lock held puts the word at 2^32 or above, past any size).  capacity_high
 * is always 0, so that capacity read as 8 bytes is the capacity.
 */
struct arch_pcpu_stack {
	u32 size;		/* objects[0 .. size) are held */
	u32 lock;		/* 0, ARCH_PCPU_LOCAL or a remote owner's token */
	u32 capacity;		/* room in objects[]; 0: never push */
	u32 capacity_high;	/* 0; keeps objects[] 16-byte aligned */
	void *objects[];
};

/* Where the per-CPU stacks of one user (one slab cache) are. */
struct arch_pcpu_stacks {
	u32 nr;			/* CPUs with a stack; 0 until published */
	u32 stride;		/* bytes between two CPUs' stacks */
	char *base;		/* CPU 0's stack */
};

#define ARCH_PCPU_LOCAL		1u

/* The sequences below hard-code these offsets. */
_Static_assert(offsetof(struct arch_pcpu_stack, size) == 0, "size at 0");
_Static_assert(offsetof(struct arch_pcpu_stack, lock) == 4, "lock at 4");
_Static_assert(offsetof(struct arch_pcpu_stack, capacity) == 8, "capacity at 8");
_Static_assert(offsetof(struct arch_pcpu_stack, objects) == 16, "objects at 16");
_Static_assert(offsetof(struct arch_pcpu_stacks, nr) == 0 &&
	       offsetof(struct arch_pcpu_stacks, stride) == 4 &&
	       offsetof(struct arch_pcpu_stacks, base) == 8, "descriptor layout");

/*
 * Set up the host side: true if the sequences may be used in this process
 * (x86-64, glibc registered rseq, and membarrier's rseq fence registered).
 * Idempotent; call again in a fork child.
 */
bool arch_rseq_init(void);
/*
 * Restart every sequence in flight on @cpu (all CPUs if @cpu < 0) and
 * order memory with them; 0, or -errno if the host refused.
 */
int arch_rseq_fence(int cpu);
/* A lock value naming the calling thread as a remote owner (never 0 or 1). */
u32 arch_pcpu_remote_token(void);

/* CPU @cpu's stack of the set @d. */
static inline struct arch_pcpu_stack *arch_pcpu_stack_of(const struct arch_pcpu_stacks *d,
							 unsigned int cpu)
{
	return (struct arch_pcpu_stack *)(d->base + (size_t)cpu * d->stride);
}

/*
 * A remote owner's compare-and-swap of @token into a free lock word: true
 * if @stack holds @token now (taken here or before).  Not yet safe to use:
 * a sequence on its CPU that read the word free may still commit until
 * arch_rseq_fence() for that CPU returns, and the word must then be read
 * again (arch_pcpu_stack_held).
 */
static inline bool arch_pcpu_stack_take(struct arch_pcpu_stack *stack, u32 token)
{
	u32 free = 0;

	return __atomic_load_n(&stack->lock, __ATOMIC_RELAXED) == token ||
	       __atomic_compare_exchange_n(&stack->lock, &free, token, false,
					   __ATOMIC_ACQUIRE, __ATOMIC_RELAXED);
}

/* Does @stack's lock word hold @token (read after the fence)? */
static inline bool arch_pcpu_stack_held(struct arch_pcpu_stack *stack, u32 token)
{
	return __atomic_load_n(&stack->lock, __ATOMIC_ACQUIRE) == token;
}

/* Let go of @stack if @token holds it (a remote owner that took only some). */
static inline void arch_pcpu_stack_release(struct arch_pcpu_stack *stack, u32 token)
{
	u32 mine = token;

	__atomic_compare_exchange_n(&stack->lock, &mine, 0, false, __ATOMIC_RELEASE,
				    __ATOMIC_RELAXED);
}

/*
 * Not under ThreadSanitizer: it cannot see that a committed sequence owned
 * the CPU's data, so every object passed through a stack would look racy;
 * the lock words' atomics (lock mode) give it the ordering to follow.
 */
#if defined(__x86_64__) && !defined(UKMEM_NO_RSEQ) && !UKMEM_TSAN
#define ARCH_HAS_RSEQ_STACKS	1

/*
 * The current CPU's stack into %rax, or jump to @label if the CPU has no
 * stack or the stack is locked.  Runs inside the sequence.
 */
/* %rax = this CPU's stack (the lock is each sequence's to check). */
#define __RSEQ_THIS_STACK(label)					\
	"movl %%fs:4(%[rseq]), %%eax\n\t"				\
	"cmpl %[nr], %%eax\n\t"						\
	"jae %l[" label "]\n\t"						\
	"imull %[stride], %%eax\n\t"					\
	"addq %[base], %%rax\n\t"

/*
 * Pop the top of the current CPU's stack: the object, or NULL if the stack
 * is empty, locked, absent, or the sequence was restarted.
 */
static __always_inline void *arch_rseq_stack_pop(const struct arch_pcpu_stacks *d, long rseq)
{
	void *obj;

	asm goto(__UKMEM_RSEQ_CS
		 "1:\n\t"
		 __RSEQ_THIS_STACK("fail")
		 /* lock:size - 1 above 2^31: locked, or empty (it wrapped) */
		 "movq (%%rax), %%rcx\n\t"
		 "subq $1, %%rcx\n\t"
		 "cmpq $0x7fffffff, %%rcx\n\t"
		 "ja %l[fail]\n\t"
		 "movq 16(%%rax,%%rcx,8), %[obj]\n\t"
		 "movl %%ecx, (%%rax)\n"	/* commit */
		 "2:\n\t"
		 __UKMEM_RSEQ_ABORT("fail")
		 : [obj] "=&r" (obj)
		 : [rseq] "r" (rseq), [nr] "m" (d->nr), [stride] "m" (d->stride),
		   [base] "m" (d->base)
		 : "rax", "rcx", "memory", "cc"
		 : fail);
	if (!obj)
		__builtin_unreachable();	/* stacks never hold NULL */
	return obj;
fail:
	return NULL;
}

/*
 * Push @obj on the current CPU's stack: 0 if pushed; 1 if the stack is
 * full, locked, absent or the sequence was restarted; 2 if @obj is the
 * object on top already (the naive double-free check: the slot read below
 * an empty stack is the capacity word, never a pointer).
 */
static __always_inline int arch_rseq_stack_push(const struct arch_pcpu_stacks *d, long rseq,
						void *obj)
{
	asm goto(__UKMEM_RSEQ_CS
		 "1:\n\t"
		 __RSEQ_THIS_STACK("fail")
		 /* lock:size at or above capacity: locked (2^32 and up), or full */
		 "movq (%%rax), %%rcx\n\t"
		 "cmpq 8(%%rax), %%rcx\n\t"
		 "jae %l[fail]\n\t"
		 "cmpq %[obj], 8(%%rax,%%rcx,8)\n\t"
		 "je %l[dup]\n\t"
		 "movq %[obj], 16(%%rax,%%rcx,8)\n\t"
		 "addl $1, %%ecx\n\t"
		 "movl %%ecx, (%%rax)\n"	/* commit */
		 "2:\n\t"
		 __UKMEM_RSEQ_ABORT("fail")
		 :
		 : [rseq] "r" (rseq), [nr] "m" (d->nr), [stride] "m" (d->stride),
		   [base] "m" (d->base), [obj] "r" (obj)
		 : "rax", "rcx", "memory", "cc"
		 : fail, dup);
	return 0;
fail:
	return 1;
dup:
	return 2;
}

/*
 * Lock the current CPU's stack (lock word 0 -> ARCH_PCPU_LOCAL) and return
 * it, or NULL if it is locked already, absent, or the sequence restarted.
 * The caller releases it with arch_pcpu_stack_unlock() from any CPU.
 */
static __always_inline struct arch_pcpu_stack *
arch_rseq_stack_lock(const struct arch_pcpu_stacks *d, long rseq)
{
	struct arch_pcpu_stack *stack;

	asm goto(__UKMEM_RSEQ_CS
		 "1:\n\t"
		 __RSEQ_THIS_STACK("fail")
		 "cmpl $0, 4(%%rax)\n\t"
		 "jne %l[fail]\n\t"
		 "movq %%rax, %[stack]\n\t"
		 "movl $1, 4(%%rax)\n"		/* commit */
		 "2:\n\t"
		 __UKMEM_RSEQ_ABORT("fail")
		 : [stack] "=&r" (stack)
		 : [rseq] "r" (rseq), [nr] "m" (d->nr), [stride] "m" (d->stride),
		   [base] "m" (d->base)
		 : "rax", "memory", "cc"
		 : fail);
	return stack;
fail:
	return NULL;
}

#else
#define ARCH_HAS_RSEQ_STACKS	0

static __always_inline void *arch_rseq_stack_pop(const struct arch_pcpu_stacks *d, long rseq)
{
	return NULL;
}
static __always_inline int arch_rseq_stack_push(const struct arch_pcpu_stacks *d, long rseq,
						void *obj)
{
	return 1;
}
static __always_inline struct arch_pcpu_stack *
arch_rseq_stack_lock(const struct arch_pcpu_stacks *d, long rseq)
{
	return NULL;
}
#endif

/* Release a stack held by anyone (local or remote owner). */
static __always_inline void arch_pcpu_stack_unlock(struct arch_pcpu_stack *stack)
{
	__atomic_store_n(&stack->lock, 0, __ATOMIC_RELEASE);
}

#endif /* _ARCH_RSEQ_H */
