/* SPDX-License-Identifier: MIT */
/*
 * linux/cleanup.h - scope-based resource management (include/linux/cleanup.h,
 * v6.5+), on the compilers' cleanup attribute, as in the kernel.
 *
 * Freeing at the end of a scope:
 *
 *	struct foo *f __free(kfree) = kmalloc(sizeof(*f), GFP_KERNEL);
 *
 *	if (!f)
 *		return -ENOMEM;
 *	if (setup(f))
 *		return -EINVAL;		(f is kfree()d here)
 *	return_ptr(f);			(the caller owns it: nothing is freed)
 *
 * DEFINE_FREE(name, type, code) makes __free(name) run @code with _T, the
 * variable's value, when the variable goes out of scope; no_free_ptr(p)
 * takes the value out (leaving NULL behind, so the cleanup does nothing),
 * return_ptr(p) returns it, retain_and_null_ptr(p) drops the claim.  The
 * allocators' headers define their cleanups next to them: kfree, kvfree,
 * kfree_sensitive, kmem_cache_destroy (linux/slab.h), vfree
 * (linux/vmalloc.h), free_page (linux/gfp.h), free_percpu
 * (linux/percpu.h).
 *
 * Classes and guards: DEFINE_CLASS(name, type, exit, init, args...) makes
 * CLASS(name, var)(args) a variable built by @init and torn down by @exit;
 * DEFINE_GUARD() and DEFINE_LOCK_GUARD_0/1() make lock classes, used as
 * guard(name)(lock) (held to the end of the scope) or
 * scoped_guard(name, lock) { ... } (held for the block).  linux/spinlock.h,
 * linux/mutex.h, linux/rcupdate.h and linux/preempt.h define spinlock,
 * spinlock_irq, spinlock_bh, spinlock_irqsave, mutex, rcu, preempt, irq
 * and irqsave.
 *
 * ukmem's macros are written for gcc and clang in C (the kernel's own
 * dialect); conditional guards (scoped_cond_guard, DEFINE_GUARD_COND) are
 * not provided.
 */
#ifndef _LINUX_CLEANUP_H
#define _LINUX_CLEANUP_H

#include <stddef.h>
#include <ukmem/compiler.h>

#ifndef __cleanup
#define __cleanup(fn)	__attribute__((__cleanup__(fn)))
#endif

/* ---- freeing pointers ---- */

#define DEFINE_FREE(_name, _type, _free)					\
	static __always_inline void __free_##_name(void *__p)			\
	{									\
		_type _T = *(_type *)__p;					\
		_free;								\
	}

#define __free(_name)	__cleanup(__free_##_name)

/* The value of @p, with @p set to @nullvalue: its cleanup then does nothing. */
#define __get_and_null(p, nullvalue) ({						\
	__auto_type __gan_ptr = &(p);						\
	__auto_type __gan_val = *__gan_ptr;					\
	*__gan_ptr = (nullvalue);						\
	__gan_val;								\
})

/* Dropping what no_free_ptr() hands over would leak it: the compiler says so. */
static inline __must_check const volatile void *
__must_check_fn(const volatile void *val)
{
	return val;
}

#define no_free_ptr(p)								\
	((__typeof__(p))__must_check_fn((void *)__get_and_null(p, NULL)))
#define return_ptr(p)		return no_free_ptr(p)
/* The pointer was handed over some other way (stored, passed on): forget it. */
#define retain_and_null_ptr(p)	((void)__get_and_null(p, NULL))

/* ---- classes ---- */

#define DEFINE_CLASS(_name, _type, _exit, _init, _init_args...)		\
	typedef _type class_##_name##_t;					\
	static __always_inline void class_##_name##_destructor(_type *__p)	\
	{									\
		_type _T = *__p;						\
		_exit;								\
	}									\
	static __always_inline _type class_##_name##_constructor(_init_args)	\
	{									\
		_type __t = _init;						\
		return __t;							\
	}

/* @_name built as @_base's class, with another constructor. */
#define EXTEND_CLASS(_base, ext, _init, _init_args...)				\
	typedef class_##_base##_t class_##_base##ext##_t;			\
	static __always_inline void class_##_base##ext##_destructor(class_##_base##_t *__p) \
	{									\
		class_##_base##_destructor(__p);				\
	}									\
	static __always_inline class_##_base##_t				\
	class_##_base##ext##_constructor(_init_args)				\
	{									\
		class_##_base##_t __t = _init;					\
		return __t;							\
	}

/*
 * A guard's variable is never named again (its destructor is the point):
 * clang before 15 calls that unused even with the cleanup attribute.
 */
#define CLASS(_name, var)							\
	class_##_name##_t var __maybe_unused					\
		__cleanup(class_##_name##_destructor) =				\
		class_##_name##_constructor

/* ---- guards: lock classes ---- */

/* A guard on a lock that is a pointer (a mutex): the class is that pointer. */
#define DEFINE_GUARD(_name, _type, _lock, _unlock)				\
	DEFINE_CLASS(_name, _type, if (_T) { _unlock; }, ({ _lock; _T; }), _type _T); \
	static __always_inline void *class_##_name##_lock_ptr(class_##_name##_t *__p) \
	{									\
		return (void *)*__p;						\
	}

/*
 * Guards whose class is a struct: the lock (none for _0, one pointer for
 * _1) and what the extra arguments name (the flags of an irqsave lock).
 * In @_lock and @_unlock, _T points at the struct.
 */
#define __DEFINE_LOCK_GUARD_CLASS(_name, _type, _unlock, ...)			\
	typedef struct {							\
		_type *lock;							\
		__VA_ARGS__;							\
	} class_##_name##_t;							\
	static __always_inline void class_##_name##_destructor(class_##_name##_t *_T) \
	{									\
		if (_T->lock) {							\
			_unlock;						\
		}								\
	}									\
	static __always_inline void *class_##_name##_lock_ptr(class_##_name##_t *__p) \
	{									\
		return (void *)__p->lock;					\
	}

#define DEFINE_LOCK_GUARD_1(_name, _type, _lock, _unlock, ...)			\
	__DEFINE_LOCK_GUARD_CLASS(_name, _type, _unlock, __VA_ARGS__)		\
	static __always_inline class_##_name##_t class_##_name##_constructor(_type *l) \
	{									\
		class_##_name##_t __t = { .lock = l }, *_T = &__t;		\
		_lock;								\
		return __t;							\
	}

#define DEFINE_LOCK_GUARD_0(_name, _lock, _unlock, ...)			\
	__DEFINE_LOCK_GUARD_CLASS(_name, void, _unlock, __VA_ARGS__)		\
	static __always_inline class_##_name##_t class_##_name##_constructor(void) \
	{									\
		/* Any non-NULL value: "held", for the destructor. */		\
		class_##_name##_t __t = { .lock = (void *)1 }, *_T __maybe_unused = &__t; \
		_lock;								\
		return __t;							\
	}

#define guard(_name)	CLASS(_name, __UNIQUE_ID(guard))

/*
 * The block runs once with the lock held; break or continue leaves it (and
 * unlocks).  The loop has no condition, so the compiler sees that the
 * block always runs: a function that returns from inside it at its end
 * does not "reach the end of a non-void function" (-Wreturn-type), as
 * kernel code relies on.  The only way out other than a jump of the
 * block's own is the step, which jumps to the break.
 */
#define __scoped_guard(_name, _label, args...)					\
	for (CLASS(_name, _label)(args);; ({ goto __PASTE(_label, _leave); }))	\
		if (0) {							\
__PASTE(_label, _leave):							\
			break;							\
		} else
#define scoped_guard(_name, args...)						\
	__scoped_guard(_name, __UNIQUE_ID(scope), args)

#endif /* _LINUX_CLEANUP_H */
