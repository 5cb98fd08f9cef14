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

#define READ_ONCE(x)		(*(const volatile __typeof__(x) *)&(x))
#define WRITE_ONCE(x, val)	(*(volatile __typeof__(x) *)&(x) = (val))
#define barrier()		__asm__ __volatile__("" ::: "memory")

#ifndef __same_type
#define __same_type(a, b) __builtin_types_compatible_p(__typeof__(a), __typeof__(b))
#endif

#define IS_ENABLED(option)	(option)

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
