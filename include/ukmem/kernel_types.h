/* SPDX-License-Identifier: MIT */
/*
 * ukmem/kernel_types.h - the kernel's basic types (u8..u64, gfp_t,
 * phys_addr_t, ...) and the small helpers (ALIGN, container_of, min/max)
 * that the kernel gets from <linux/types.h> and <linux/kernel.h>.
 *
 * ukmem's own headers include this file rather than linux/types.h and
 * linux/kernel.h: those two (installed under <prefix>/include/ukmem/, for
 * programs that ask) read the system's UAPI headers of the same names
 * first, which the library itself has no need of.
 */
#ifndef _UKMEM_KERNEL_TYPES_H
#define _UKMEM_KERNEL_TYPES_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>
#include <ukmem/compiler.h>

typedef uint8_t  u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int8_t   s8;
typedef int16_t  s16;
typedef int32_t  s32;
typedef int64_t  s64;

typedef unsigned int gfp_t;		/* include/linux/types.h */
typedef unsigned int slab_flags_t;
typedef u64 phys_addr_t;		/* CONFIG_PHYS_ADDR_T_64BIT */
typedef phys_addr_t resource_size_t;
typedef u64 dma_addr_t;

typedef struct { int counter; } atomic_t;
typedef struct { long counter; } atomic_long_t;

/* A callback queued for later (include/linux/types.h): call_rcu's rcu_head. */
struct callback_head {
	struct callback_head *next;
	void (*func)(struct callback_head *head);
} __attribute__((aligned(sizeof(void *))));
#define rcu_head callback_head
typedef void (*rcu_callback_t)(struct rcu_head *head);

#define BITS_PER_LONG		64
#define BITS_PER_BYTE		8
#define BIT(nr)			(1UL << (nr))
/* In size_t arithmetic, as the kernel's (sizeof-based): ~0U bits does not wrap to 0 longs. */
#define BITS_TO_LONGS(n)	DIV_ROUND_UP(n, BITS_PER_BYTE * sizeof(long))

#define __ALIGN_KERNEL_MASK(x, mask)	(((x) + (mask)) & ~(mask))
#define ALIGN(x, a)		__ALIGN_KERNEL_MASK(x, (__typeof__(x))(a) - 1)
#define ALIGN_DOWN(x, a)	((x) & ~((__typeof__(x))(a) - 1))
#define IS_ALIGNED(x, a)	(((x) & ((__typeof__(x))(a) - 1)) == 0)
#define PTR_ALIGN(p, a)		((__typeof__(p))ALIGN((unsigned long)(p), (a)))
#define DIV_ROUND_UP(n, d)	(((n) + (d) - 1) / (d))
#define round_up(x, y)		((((x) - 1) | ((__typeof__(x))((y) - 1))) + 1)
#define round_down(x, y)	((x) & ~((__typeof__(x))((y) - 1)))
/*
 * The number of elements of the array @a; a pointer does not build, as in
 * the kernel (__must_be_array: a bit-field of width -1 when @a and
 * &@a[0] have the same type).  The result is size_t.
 */
#ifndef __must_be_array
#ifdef __cplusplus
#define __must_be_array(a)	0
#else
#define __must_be_array(a)	\
	(sizeof(struct { int __must_be_array : (__same_type((a), &(a)[0]) ? -1 : 1); }) * 0)
#endif
#endif
#define ARRAY_SIZE(a)		(sizeof(a) / sizeof((a)[0]) + __must_be_array(a))

/*
 * container_of(): the structure that holds @ptr as its @member.  As in the
 * kernel, a @ptr whose type is not @member's (nor void) does not build.
 * container_of_const() keeps a const @ptr const.  C++ gets the unchecked
 * form.
 */
#ifndef container_of
#ifdef __cplusplus
#define container_of(ptr, type, member) \
	((type *)((char *)(ptr) - offsetof(type, member)))
#else
#define container_of(ptr, type, member) ({					\
	void *__mptr = (void *)(ptr);						\
	_Static_assert(__builtin_types_compatible_p(__typeof__(*(ptr)),		\
						    __typeof__(((type *)0)->member)) || \
		       __builtin_types_compatible_p(__typeof__(*(ptr)), void),	\
		       "pointer type mismatch in container_of()");		\
	((type *)((char *)__mptr - offsetof(type, member)));			\
})
#define container_of_const(ptr, type, member)					\
	_Generic(ptr,								\
		 const __typeof__(*(ptr)) *: ((const type *)container_of(ptr, type, member)), \
		 default: ((type *)container_of(ptr, type, member)))
#endif
#endif

/*
 * min()/max() evaluate each argument once; as in the kernel, two integer
 * constants give an integer constant expression (an array size, a static
 * initialiser).  MIN()/MAX() are the forms for constants only; umin()/umax()
 * compare as unsigned; clamp_val() clamps in @val's type.
 */
/*
 * Each argument once, in a local of a name of its own (__UNIQUE_ID, as
 * the kernel's __cmp_once): clamp() nests min() in max(), and fixed names
 * shadowed each other in a program's -Wshadow build.
 */
#define __ukmem_cmp_once(op, ta, tb, a, b, ua, ub)				\
	({ ta ua = (a); tb ub = (b); ua op ub ? ua : ub; })
#define __ukmem_min(a, b)	__ukmem_cmp_once(<, __typeof__(a), __typeof__(b), a, b,	\
						 __UNIQUE_ID(min_a_), __UNIQUE_ID(min_b_))
#define __ukmem_max(a, b)	__ukmem_cmp_once(>, __typeof__(a), __typeof__(b), a, b,	\
						 __UNIQUE_ID(max_a_), __UNIQUE_ID(max_b_))
#if defined(__cplusplus)
#define min(a, b)	__ukmem_min(a, b)
#define max(a, b)	__ukmem_max(a, b)
#else
#define __ukmem_consts(a, b)						\
	(sizeof(*(1 ? (int *)0 : (void *)((long)(a) * 0l))) == sizeof(int) &&	\
	 sizeof(*(1 ? (int *)0 : (void *)((long)(b) * 0l))) == sizeof(int))
#define min(a, b)	__builtin_choose_expr(__ukmem_consts(a, b),		\
					      ((a) < (b) ? (a) : (b)), __ukmem_min(a, b))
#define max(a, b)	__builtin_choose_expr(__ukmem_consts(a, b),		\
					      ((a) > (b) ? (a) : (b)), __ukmem_max(a, b))
#endif
#define MIN(a, b)	((a) < (b) ? (a) : (b))
#define MAX(a, b)	((a) > (b) ? (a) : (b))
#define min_t(t, a, b)	__ukmem_cmp_once(<, t, t, a, b, __UNIQUE_ID(min_a_), __UNIQUE_ID(min_b_))
#define max_t(t, a, b)	__ukmem_cmp_once(>, t, t, a, b, __UNIQUE_ID(max_a_), __UNIQUE_ID(max_b_))
#define MIN_T(t, a, b)	((t)(a) < (t)(b) ? (t)(a) : (t)(b))
#define MAX_T(t, a, b)	((t)(a) > (t)(b) ? (t)(a) : (t)(b))
#define umin(a, b)	min((a) + 0u + 0ul + 0ull, (b) + 0u + 0ul + 0ull)
#define umax(a, b)	max((a) + 0u + 0ul + 0ull, (b) + 0u + 0ul + 0ull)
#define clamp(v, lo, hi) min(max(v, lo), hi)
#define clamp_t(t, v, lo, hi) min_t(t, max_t(t, v, lo), hi)
#define clamp_val(val, lo, hi) clamp_t(__typeof__(val), val, lo, hi)
/*
 * @val lies in [@start, @start + @len): one unsigned subtraction, in 32
 * bits when all three fit in 32 and in 64 otherwise, as the kernel's.
 */
#define in_range(val, start, len)						\
	((sizeof(start) | sizeof(len) | sizeof(val)) <= sizeof(u32) ?		\
	 (u32)(val) - (u32)(start) < (u32)(len) :				\
	 (u64)(val) - (u64)(start) < (u64)(len))

#define SZ_1K	0x00000400
#define SZ_4K	0x00001000
#define SZ_16K	0x00004000
#define SZ_64K	0x00010000
#define SZ_1M	0x00100000
#define SZ_2M	0x00200000
#define SZ_4M	0x00400000
#define SZ_16M	0x01000000
#define SZ_1G	0x40000000
#define SZ_4G	0x100000000ULL

#define U32_MAX		((u32)~0U)
#define ULONG_MAX_	(~0UL)

#endif /* _UKMEM_KERNEL_TYPES_H */
