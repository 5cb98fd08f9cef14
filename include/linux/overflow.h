/* SPDX-License-Identifier: MIT */
/*
 * linux/overflow.h - arithmetic that says when it overflowed, and the size
 * helpers the kernel asks every allocation to use (include/linux/overflow.h).
 *
 * Two families, as in the kernel:
 *
 *  - check_add_overflow(), check_sub_overflow(), check_mul_overflow() and
 *    check_shl_overflow() store the result through their last argument and
 *    return true when it did not fit that argument's type (the store then
 *    holds the wrapped value).  The operands may have different types.
 *
 *  - size_add(), size_sub(), size_mul() and what is built on them,
 *    array_size(), array3_size(), flex_array_size() and struct_size(),
 *    saturate at SIZE_MAX instead of wrapping.  SIZE_MAX is larger than any
 *    allocation can be, so kmalloc(struct_size(p, items, n), ...) fails
 *    cleanly with NULL on an overflowing n rather than returning a short
 *    block (Documentation/process/deprecated.rst: "open-coded arithmetic in
 *    allocator arguments").  A saturated SIZE_MAX stays SIZE_MAX through
 *    further size_*() steps.
 *
 * struct_size() and flex_array_size() with a count that is a compile-time
 * constant stay integer constant expressions, so DEFINE_FLEX() can size an
 * on-stack object with them.
 */
#ifndef _LINUX_OVERFLOW_H
#define _LINUX_OVERFLOW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <ukmem/kernel_types.h>

/* ---- types and their limits (the kernel has these in linux/compiler.h, limits.h) ---- */

#ifndef is_signed_type
#define is_signed_type(type)	(((type)(-1)) < (type)1)
#endif
#ifndef is_unsigned_type
#define is_unsigned_type(type)	(!is_signed_type(type))
#endif
/* All bits but the sign bit of a signed type, all bits of an unsigned one. */
#define __type_half_max(type)	((type)1 << (8 * sizeof(type) - 1 - is_signed_type(type)))
#ifndef type_max
#define type_max(t)	((__typeof__(t))((__type_half_max(__typeof__(t)) - 1) + \
					 __type_half_max(__typeof__(t))))
#endif
#ifndef type_min
#define type_min(t)	((__typeof__(t))(-type_max(t) - 1))
#endif

/*
 * __is_constexpr(x): 1 if @x is an integer constant expression, else 0, and
 * itself always one.  (A zero-valued constant cast to void * is a null
 * pointer constant, which the conditional operator turns into int *; any
 * other operand leaves its type void *.)
 */
#ifndef __is_constexpr
#define __is_constexpr(x)	\
	(sizeof(*(1 ? (int *)0 : (void *)((long)(x) * 0l))) == sizeof(int))
#endif

/* 0, or a build error if @a is a pointer rather than an array. */
#ifndef __must_be_array
#ifdef __cplusplus
#define __must_be_array(a)	0
#else
#define __must_be_array(a)	\
	(sizeof(struct { int __must_be_array : (__same_type((a), &(a)[0]) ? -1 : 1); }) * 0)
#endif
#endif

UKMEM_C_BEGIN

/* The verdict of a check_*_overflow(): callers must look at it. */
static inline bool __must_check __must_check_overflow(bool overflow)
{
	return unlikely(overflow);
}

/* ---- checked arithmetic: true when the result did not fit *d ---- */

#define check_add_overflow(a, b, d)	__must_check_overflow(__builtin_add_overflow(a, b, d))
#define check_sub_overflow(a, b, d)	__must_check_overflow(__builtin_sub_overflow(a, b, d))
#define check_mul_overflow(a, b, d)	__must_check_overflow(__builtin_mul_overflow(a, b, d))

/*
 * check_shl_overflow(a, s, d): *d = a << s; true when a or s is negative,
 * s is not below the width of *d, or bits of a were lost (including into a
 * signed *d's sign bit).  On an out-of-range s, *d gets a unshifted, as the
 * kernel leaves it.
 */
#define __ovf_non_negative(x)	((x) > 0 || (x) == 0)	/* no "always true" warning */
#define check_shl_overflow(a, s, d) __must_check_overflow(({				\
	__typeof__(a) __shl_a = (a);							\
	__typeof__(s) __shl_s = (s);							\
	__typeof__(d) __shl_d = (d);							\
	bool __shl_s_ok = __ovf_non_negative(__shl_s) &&				\
			  (u64)__shl_s < 8 * sizeof(*__shl_d);				\
	unsigned int __shl_by = __shl_s_ok ? (unsigned int)__shl_s : 0;			\
	*__shl_d = (__typeof__(*__shl_d))((u64)__shl_a << __shl_by);			\
	!__shl_s_ok || !__ovf_non_negative(__shl_a) ||					\
		!__ovf_non_negative(*__shl_d) ||					\
		(u64)(*__shl_d >> __shl_by) != (u64)__shl_a;				\
}))

/*
 * overflows_type(n, T): true if the value of @n cannot be held by @T (a
 * type or an expression of that type).
 */
#define overflows_type(n, T) __overflows_type(n, T)
/* Its two halves: any @n (a statement expression), and a constant expression for a constant @n. */
#define __overflows_type(n, T) ({							\
	__typeof__(T) __ot_v = 0;							\
	__builtin_add_overflow((n), 0, &__ot_v);					\
})
#define __overflows_type_constexpr(n, T)	__builtin_add_overflow_p((n), 0, (__typeof__(T))0)

/*
 * castable_to_type(n, T): a constant @n whose value @T holds, or an @n of
 * @T's own type.
 */
#define castable_to_type(n, T)								\
	__builtin_choose_expr(__is_constexpr(n),					\
			      !__builtin_add_overflow_p((n), 0, (__typeof__(T))0),	\
			      __same_type(n, T))

/* ---- wrapping arithmetic, on purpose (no warning, no verdict) ---- */

#define wrapping_add(type, a, b) ({ type __wr_v; (void)__builtin_add_overflow(a, b, &__wr_v); __wr_v; })
#define wrapping_sub(type, a, b) ({ type __wr_v; (void)__builtin_sub_overflow(a, b, &__wr_v); __wr_v; })
#define wrapping_mul(type, a, b) ({ type __wr_v; (void)__builtin_mul_overflow(a, b, &__wr_v); __wr_v; })
#define wrapping_assign_add(var, offset) ({						\
	__typeof__(var) *__wr_p = &(var);						\
	*__wr_p = wrapping_add(__typeof__(var), *__wr_p, offset);			\
})
#define wrapping_assign_sub(var, offset) ({						\
	__typeof__(var) *__wr_p = &(var);						\
	*__wr_p = wrapping_sub(__typeof__(var), *__wr_p, offset);			\
})

/* ---- sizes that saturate at SIZE_MAX ---- */

/* @factor1 * @factor2, or SIZE_MAX when it overflows. */
static inline size_t __must_check size_mul(size_t factor1, size_t factor2)
{
	size_t bytes;

	if (check_mul_overflow(factor1, factor2, &bytes))
		return SIZE_MAX;
	return bytes;
}

/* @addend1 + @addend2, or SIZE_MAX when it overflows. */
static inline size_t __must_check size_add(size_t addend1, size_t addend2)
{
	size_t bytes;

	if (check_add_overflow(addend1, addend2, &bytes))
		return SIZE_MAX;
	return bytes;
}

/*
 * @minuend - @subtrahend, or SIZE_MAX when it would go below zero or
 * either side is already SIZE_MAX (a saturated size must not shrink back
 * into a plausible one).
 */
static inline size_t __must_check size_sub(size_t minuend, size_t subtrahend)
{
	size_t bytes;

	if (minuend == SIZE_MAX || subtrahend == SIZE_MAX ||
	    check_sub_overflow(minuend, subtrahend, &bytes))
		return SIZE_MAX;
	return bytes;
}

#define array_size(a, b)	size_mul(a, b)
#define array3_size(a, b, c)	size_mul(size_mul(a, b), c)

/*
 * flex_array_size(p, member, count): the bytes of @count elements of the
 * flexible array @member of *@p (@p is not dereferenced).
 */
#define flex_array_size(p, member, count)						\
	__builtin_choose_expr(__is_constexpr(count),					\
		(count) * sizeof(*(p)->member) + __must_be_array((p)->member),		\
		size_mul(count, sizeof(*(p)->member) + __must_be_array((p)->member)))

/*
 * struct_size(p, member, count): the bytes of *@p with @count elements in
 * its trailing flexible array @member; struct_size_t() names the type.
 */
#define struct_size(p, member, count)							\
	__builtin_choose_expr(__is_constexpr(count),					\
		sizeof(*(p)) + flex_array_size(p, member, count),			\
		size_add(sizeof(*(p)), flex_array_size(p, member, count)))
#define struct_size_t(type, member, count)	struct_size((type *)NULL, member, count)

/*
 * The counter of a __counted_by() flexible array (v6.19+).  __flex_counter(FAM)
 * is a pointer to the member that holds the length of @FAM where the
 * compiler can name it (__builtin_counted_by_ref: gcc 15, clang 20), and a
 * void null pointer otherwise, which the two macros below read as "no
 * counter": typeof_flex_counter() then is size_t, so no count overflows
 * it, and __set_flex_counter() stores into a throw-away temporary.
 */
#if defined(__has_builtin)
#if __has_builtin(__builtin_counted_by_ref)
#define __flex_counter(FAM)	__builtin_counted_by_ref(FAM)
#endif
#endif
#ifndef __flex_counter
#define __flex_counter(FAM)	((void *)NULL)
#endif
#define typeof_flex_counter(FAM)							\
	__typeof__(_Generic(__flex_counter(FAM),					\
			    void *: (size_t)0,						\
			    default: *__flex_counter(FAM)))
/* True if @COUNT does not fit the counter of @TYPE's flexible array @FAM. */
#define overflows_flex_counter_type(TYPE, FAM, COUNT)					\
	(overflows_type(COUNT, typeof_flex_counter(((TYPE *)NULL)->FAM)))
#define __set_flex_counter(FAM, COUNT) ({						\
	*_Generic(__flex_counter(FAM),							\
		  void *: &(size_t){ 0 },						\
		  default: __flex_counter(FAM)) = (COUNT);				\
})

/*
 * DEFINE_RAW_FLEX(type, name, member, count): an on-stack, zeroed @type
 * with room for @count (a compile-time constant) elements of @member, and
 * @name pointing at it.  DEFINE_FLEX() also stores @count in its @counter
 * field.
 */
#define __DEFINE_FLEX(type, name, member, count, ...)					\
	_Static_assert(__builtin_constant_p(count),					\
		       "an on-stack flexible array needs a compile-time count");	\
	union {										\
		u8 bytes[struct_size_t(type, member, count)];				\
		type obj;								\
	} name##_u __VA_ARGS__;								\
	type *name = (type *)&name##_u
#define DEFINE_RAW_FLEX(type, name, member, count)					\
	__DEFINE_FLEX(type, name, member, count, = { })
#define DEFINE_FLEX(type, name, member, counter, count)					\
	__DEFINE_FLEX(type, name, member, count, = { .obj.counter = (count) })
/*
 * The capacity, in elements, of @array in the on-stack flexible object @name:
 * the count it was defined with, or a little more where the object's
 * alignment padded it.
 */
#define STACK_FLEX_ARRAY_SIZE(name, array)						\
	((sizeof(name##_u) - sizeof(*(name))) / sizeof(*(name)->array))

/* ---- ranges: does [start, start + size) leave [0, max)? ---- */

/*
 * The two checks differ only in whether a range starting at @max (empty)
 * fits: @empty_at_max_fits.  The three must be of one type (the pointer
 * comparisons make a mismatch a warning, as the kernel's do).
 */
#define __range_outside(start, size, max, empty_at_max_fits) ({			\
	__typeof__(start) __ro_start = (start);						\
	__typeof__(size) __ro_size = (size);						\
	__typeof__(max) __ro_max = (max);						\
	(void)(&__ro_start == &__ro_size);						\
	(void)(&__ro_start == &__ro_max);						\
	(empty_at_max_fits ? __ro_start > __ro_max : __ro_start >= __ro_max) ||	\
		__ro_size > __ro_max - __ro_start;					\
})
#define range_overflows(start, size, max)	__range_outside(start, size, max, false)
#define range_overflows_t(type, start, size, max)					\
	range_overflows((type)(start), (type)(size), (type)(max))
/* As range_overflows(), but an empty range that ends exactly at @max fits. */
#define range_end_overflows(start, size, max)	__range_outside(start, size, max, true)
#define range_end_overflows_t(type, start, size, max)					\
	range_end_overflows((type)(start), (type)(size), (type)(max))

UKMEM_C_END

#endif /* _LINUX_OVERFLOW_H */
