/* SPDX-License-Identifier: MIT */
/*
 * ukmem/compiler.h - the compiler vocabulary every ukmem header uses.
 *
 * The kernel's <linux/compiler.h> would clash with nothing on a user-space
 * system, but kernel code ported to ukmem includes many headers that expect
 * these helpers to exist already, so every public header pulls this in.
 */
#ifndef _UKMEM_COMPILER_H
#define _UKMEM_COMPILER_H

#ifndef likely
#define likely(x)	__builtin_expect(!!(x), 1)
#define unlikely(x)	__builtin_expect(!!(x), 0)
#endif
#ifndef __always_inline
#define __always_inline	inline __attribute__((__always_inline__))
#endif
#ifndef noinline
#define noinline	__attribute__((__noinline__))
#endif
#ifndef __cold
#define __cold		__attribute__((__cold__))
#endif
#ifndef __noreturn
#define __noreturn	__attribute__((__noreturn__))
#endif
#ifndef __printf
#define __printf(a, b)	__attribute__((__format__(printf, a, b)))
#endif
#ifndef __must_check
#define __must_check	__attribute__((__warn_unused_result__))
#endif
#ifndef __maybe_unused
#define __maybe_unused	__attribute__((__unused__))
#endif
#ifndef __aligned
#define __aligned(x)	__attribute__((__aligned__(x)))
#endif
#ifndef __packed
#define __packed	__attribute__((__packed__))
#endif
#ifndef __section
#define __section(s)	__attribute__((__section__(s)))
#endif
#ifndef __malloc
#define __malloc	__attribute__((__malloc__))
#endif
#ifndef __alloc_size
#define __alloc_size(...) __attribute__((__alloc_size__(__VA_ARGS__)))
#endif
/*
 * The kernel's mark for functions that return a resized (or copied)
 * block: the same size information, without __malloc's promise that the
 * block aliases nothing.
 */
#ifndef __realloc_size
#define __realloc_size(...) __alloc_size(__VA_ARGS__)
#endif
/* Token pasting after expansion, and a name no other use of the macro gets. */
#define ___PASTE(a, b)		a##b
#define __PASTE(a, b)		___PASTE(a, b)
#define __UNIQUE_ID(prefix)	__PASTE(__PASTE(__UNIQUE_ID_, prefix), __COUNTER__)

/*
 * __counted_by(member): a flexible array whose length is in @member, for
 * the compilers that check it (gcc 15, clang 18); elsewhere nothing, as in
 * the kernel's compiler_attributes.h.
 */
#ifndef __counted_by
#if defined(__has_attribute)
#if __has_attribute(__counted_by__)
#define __counted_by(member)	__attribute__((__counted_by__(member)))
#endif
#endif
#endif
#ifndef __counted_by
#define __counted_by(member)
#endif
/*
 * __nonstring: a char array that need not end in NUL (compiler_attributes.h);
 * the compilers that know the attribute stop warning about it.
 */
#ifndef __nonstring
#if defined(__has_attribute)
#if __has_attribute(__nonstring__)
#define __nonstring	__attribute__((__nonstring__))
#endif
#endif
#endif
#ifndef __nonstring
#define __nonstring
#endif
/* Kernel annotations that only matter to sparse: accepted and ignored. */
#ifndef __iomem
#define __iomem
#endif
#ifndef __percpu
#define __percpu
#endif
#ifndef __user
#define __user
#endif
#ifndef __force
#define __force
#endif
#ifndef __init
#define __init
#define __initdata
#define __meminit
#define __ref
#endif
#ifndef __read_mostly
#define __read_mostly
#endif

/*
 * ThreadSanitizer (make tsan): UKMEM_TSAN is 1 when this translation unit
 * is built with -fsanitize=thread, by gcc or clang.
 */
#if defined(__SANITIZE_THREAD__)
#define UKMEM_TSAN	1
#elif defined(__has_feature)
#if __has_feature(thread_sanitizer)
#define UKMEM_TSAN	1
#endif
#endif
#ifndef UKMEM_TSAN
#define UKMEM_TSAN	0
#endif

/*
 * Marked accesses, as the kernel marks them (tools/memory-model's
 * "marked" accesses): READ_ONCE/WRITE_ONCE for a word that another thread
 * may write or read at the same time without the lock that usually guards
 * it (a hint read before taking the lock, a flag, a statistic); the value
 * is read or written once, whole, and never torn or invented.
 * data_race(expr) for an expression whose racy reads are intended and whose
 * value may be stale or even inconsistent (a report, a heuristic).
 *
 * In an ordinary build they are volatile accesses, as in the kernel.  Under
 * ThreadSanitizer READ_ONCE/WRITE_ONCE are relaxed atomic accesses - the
 * C11 meaning of "marked" and what TSan understands - and data_race() tells
 * TSan to ignore the reads inside it, as the kernel's data_race() tells
 * KCSAN; a race between two unmarked accesses is still reported.
 */
#if UKMEM_TSAN && !defined(__cplusplus)	/* C++ keeps the volatile forms */
/* The unqualified type of @x (no const or volatile), for a temporary. */
#define __ukmem_unqual_typeof(x)	__typeof__(({ __auto_type __t = (x); __t; }))
#define READ_ONCE(x) ({							\
	__ukmem_unqual_typeof(x) __ro_v;				\
	__atomic_load((__typeof__(x) *)&(x), &__ro_v, __ATOMIC_RELAXED); \
	__ro_v;								\
})
#define WRITE_ONCE(x, val) ({						\
	__ukmem_unqual_typeof(x) __wo_v = (val);			\
	__atomic_store((__ukmem_unqual_typeof(x) *)&(x), &__wo_v, __ATOMIC_RELAXED); \
})
void AnnotateIgnoreReadsBegin(const char *file, int line);
void AnnotateIgnoreReadsEnd(const char *file, int line);
#define data_race(expr) ({						\
	AnnotateIgnoreReadsBegin(__FILE__, __LINE__);			\
	__auto_type __dr_v = (expr);					\
	AnnotateIgnoreReadsEnd(__FILE__, __LINE__);			\
	__dr_v;								\
})
#else
#define READ_ONCE(x)		(*(const volatile __typeof__(x) *)&(x))
#define WRITE_ONCE(x, val)	(*(volatile __typeof__(x) *)&(x) = (val))
#define data_race(expr)		(expr)
#endif
#define barrier()		__asm__ __volatile__("" ::: "memory")
/*
 * OPTIMIZER_HIDE_VAR(var): the compiler no longer knows @var's value (an
 * empty asm that claims to produce it), so it cannot fold a check on it
 * away; the kernel's tests use it on sizes they mean to be run-time.
 */
#ifndef OPTIMIZER_HIDE_VAR
#define OPTIMIZER_HIDE_VAR(var)	__asm__ ("" : "=r" (var) : "0" (var))
#endif
/*
 * The bytes the compiler knows from @p to the end of its object (whole
 * struct) or of its member (compiler_types.h; what FORTIFY_SOURCE checks
 * against); (size_t)-1 when unknown.
 */
#ifndef __struct_size
#if defined(__has_builtin) && __has_builtin(__builtin_dynamic_object_size)
#define __struct_size(p)	__builtin_dynamic_object_size(p, 0)
#define __member_size(p)	__builtin_dynamic_object_size(p, 1)
#else
#define __struct_size(p)	__builtin_object_size(p, 0)
#define __member_size(p)	__builtin_object_size(p, 1)
#endif
#endif

#ifndef __same_type
#define __same_type(a, b) __builtin_types_compatible_p(__typeof__(a), __typeof__(b))
#endif

/* IS_ENABLED(CONFIG_...) and friends: every option off (linux/kconfig.h). */
#include <linux/kconfig.h>

/* @type is a signed type (include/linux/compiler.h); bool, pointers and unsigned enums are not. */
#ifndef is_signed_type
#define is_signed_type(type)	(((type)(-1)) < (type)1)
#endif
#ifndef is_unsigned_type
#define is_unsigned_type(type)	(!is_signed_type(type))
#endif

/*
 * Compile-time checks that are expressions (include/linux/build_bug.h,
 * compiler.h): BUILD_BUG_ON_ZERO(e) is 0, or a build error when @e is a
 * true constant; __is_constexpr(x) is 1 for an integer constant expression;
 * const_true(x) is 1 only for a constant that is true, so a check on
 * run-time values passes (is left to run time).  C++ gets 0 and @x.
 */
#ifndef __is_constexpr
#define __is_constexpr(x)	\
	(sizeof(*(1 ? (int *)0 : (void *)((long)(x) * 0l))) == sizeof(int))
#endif
#ifdef __cplusplus
#define BUILD_BUG_ON_ZERO(e)	0
#define const_true(x)		0
#else
#define BUILD_BUG_ON_ZERO(e)	((int)(sizeof(struct { int:(-!!(e)); })))
#define const_true(x)		__builtin_choose_expr(__is_constexpr(x), x, 0)
#endif

/*
 * Visibility: the library is built with -fvisibility=hidden; everything a
 * public header declares between UKMEM_API_BEGIN and UKMEM_API_END is the
 * exported API of libukmem.so.
 */
#define UKMEM_API_BEGIN	_Pragma("GCC visibility push(default)")
#define UKMEM_API_END	_Pragma("GCC visibility pop")

#ifdef __cplusplus
#define UKMEM_C_BEGIN	extern "C" {
#define UKMEM_C_END	}
#else
#define UKMEM_C_BEGIN
#define UKMEM_C_END
#endif

#endif /* _UKMEM_COMPILER_H */
