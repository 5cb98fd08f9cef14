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
 * Conditional guards, on locks that may not be taken: DEFINE_GUARD_COND()
 * and DEFINE_LOCK_GUARD_1_COND() extend a guard with a lock that can fail
 * (mutex_try, mutex_intr, spinlock_try, spinlock_irq_try,
 * spinlock_irqsave_try).  scoped_guard() on one runs its block only if the
 * lock was taken; scoped_cond_guard(name, fail, lock) runs @fail (a
 * statement: return, goto, break) instead; ACQUIRE(name, var)(lock) holds
 * it to the end of the scope and ACQUIRE_ERR(name, &var) says 0, the
 * lock's error, or -EBUSY for a trylock that failed (v6.17).
 *
 * ukmem's macros are written for gcc and clang in C (the kernel's own
 * dialect).
 */
#ifndef _LINUX_CLEANUP_H
#define _LINUX_CLEANUP_H

#include <stdbool.h>
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

/*
 * @_name built as @_base's class, with another constructor.  Its result
 * has a name of its own: the conditional guards' @_init declares __t, and
 * the same name would shadow it (-Wshadow in a program including them).
 */
#define EXTEND_CLASS(_base, ext, _init, _init_args...)				\
	typedef class_##_base##_t class_##_base##ext##_t;			\
	static __always_inline void class_##_base##ext##_destructor(class_##_base##_t *__p) \
	{									\
		class_##_base##_destructor(__p);				\
	}									\
	static __always_inline class_##_base##_t				\
	class_##_base##ext##_constructor(_init_args)				\
	{									\
		class_##_base##_t __ext = _init;				\
		return __ext;							\
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

/*
 * What a guard's class holds for its lock: the lock (taken), NULL (not
 * taken, nothing to undo) or an error pointer (a conditional lock that
 * failed with that error; a trylock's failure is NULL).
 */
static __always_inline bool __guard_taken(const void *lock)
{
	return lock && (unsigned long)lock < (unsigned long)-4095;
}

/* ACQUIRE_ERR()'s answer for what the class holds. */
static __always_inline int __guard_error(const void *lock)
{
	if (!lock)
		return -16;	/* -EBUSY: a trylock that failed */
	return __guard_taken(lock) ? 0 : (int)(long)lock;
}

/* Whether a class's lock may fail (an integer constant, for the compiler). */
#define __DEFINE_CLASS_IS_CONDITIONAL(_name, _is_cond)				\
	enum { class_##_name##_is_conditional = (_is_cond) }
#define __is_cond_ptr(_name)	class_##_name##_is_conditional
/* The lock if taken, else NULL. */
#define __guard_ptr(_name)	class_##_name##_lock_ptr
#define __guard_err(_name)	class_##_name##_lock_err

/* Both accessors of a guard class from what its lock field holds. */
#define __DEFINE_GUARD_LOCK_PTR(_name, _held)					\
	static __always_inline void *class_##_name##_lock_ptr(class_##_name##_t *__p) \
	{									\
		void *__l = (void *)(_held);					\
		return __guard_taken(__l) ? __l : NULL;				\
	}									\
	static __always_inline int class_##_name##_lock_err(class_##_name##_t *__p) \
	{									\
		return __guard_error((void *)(_held));				\
	}

/* A guard on a lock that is a pointer (a mutex): the class is that pointer. */
#define DEFINE_GUARD(_name, _type, _lock, _unlock)				\
	__DEFINE_CLASS_IS_CONDITIONAL(_name, 0);				\
	DEFINE_CLASS(_name, _type, if (__guard_taken((void *)_T)) { _unlock; },	\
		     ({ _lock; _T; }), _type _T);				\
	__DEFINE_GUARD_LOCK_PTR(_name, *__p)

/*
 * @_name's class taken with @_lock, which may fail: @_cond (by default
 * @_lock's value, _RET) says it succeeded; else the class holds
 * ERR_PTR(_RET).  DEFINE_GUARD_COND(mutex, _intr, mutex_lock_interruptible(_T),
 * _RET == 0) makes mutex_intr.
 */
#define DEFINE_GUARD_COND_4(_name, _ext, _lock, _cond)				\
	__DEFINE_CLASS_IS_CONDITIONAL(_name##_ext, 1);				\
	EXTEND_CLASS(_name, _ext,						\
		     ({ class_##_name##_t __t = _T; int _RET = (_lock);	\
			if (_T && !(_cond))					\
				__t = (class_##_name##_t)(long)_RET;		\
			__t; }),						\
		     class_##_name##_t _T)					\
	__DEFINE_GUARD_LOCK_PTR(_name##_ext, *__p)
#define DEFINE_GUARD_COND_3(_name, _ext, _lock)					\
	DEFINE_GUARD_COND_4(_name, _ext, _lock, _RET)
#define __GUARD_NARGS(...)	__GUARD_NARGS_(__VA_ARGS__, 4, 3, 2, 1, 0)
#define __GUARD_NARGS_(_1, _2, _3, _4, _n, ...)	_n
#define DEFINE_GUARD_COND(...)							\
	__PASTE(DEFINE_GUARD_COND_, __GUARD_NARGS(__VA_ARGS__))(__VA_ARGS__)

/*
 * Guards whose class is a struct: the lock (none for _0, one pointer for
 * _1) and what the extra arguments name (the flags of an irqsave lock).
 * In @_lock and @_unlock, _T points at the struct.
 */
#define __DEFINE_LOCK_GUARD_CLASS(_name, _type, _unlock, ...)			\
	__DEFINE_CLASS_IS_CONDITIONAL(_name, 0);				\
	typedef struct {							\
		_type *lock;							\
		__VA_ARGS__;							\
	} class_##_name##_t;							\
	static __always_inline void class_##_name##_destructor(class_##_name##_t *_T) \
	{									\
		if (__guard_taken(_T->lock)) {					\
			_unlock;						\
		}								\
	}									\
	__DEFINE_GUARD_LOCK_PTR(_name, __p->lock)

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

/*
 * @_name's struct class taken with @_lock, which may fail: @_cond (by
 * default @_lock's value, _RET) says it succeeded.
 */
#define DEFINE_LOCK_GUARD_1_COND_4(_name, _ext, _lock, _cond)			\
	__DEFINE_CLASS_IS_CONDITIONAL(_name##_ext, 1);				\
	EXTEND_CLASS(_name, _ext,						\
		     ({ class_##_name##_t __t = { .lock = l }, *_T = &__t;	\
			int _RET = (_lock);					\
			if (_T->lock && !(_cond))				\
				_T->lock = (__typeof__(_T->lock))(long)_RET;	\
			__t; }),						\
		     __typeof__(((class_##_name##_t *)0)->lock) l)		\
	__DEFINE_GUARD_LOCK_PTR(_name##_ext, __p->lock)
#define DEFINE_LOCK_GUARD_1_COND_3(_name, _ext, _lock)				\
	DEFINE_LOCK_GUARD_1_COND_4(_name, _ext, _lock, _RET)
#define DEFINE_LOCK_GUARD_1_COND(...)						\
	__PASTE(DEFINE_LOCK_GUARD_1_COND_, __GUARD_NARGS(__VA_ARGS__))(__VA_ARGS__)

#define guard(_name)	CLASS(_name, __UNIQUE_ID(guard))

/* Held to the end of the scope, if taken: ACQUIRE_ERR() says whether. */
#define ACQUIRE(_name, _var)		CLASS(_name, _var)
#define ACQUIRE_ERR(_name, _var)	__guard_err(_name)(_var)

/*
 * The block runs once with the lock held (a conditional lock: only if it
 * was taken); break or continue leaves it (and unlocks).  For an
 * unconditional guard the loop's condition is the constant 1, so the
 * compiler sees that the block always runs: a function that returns from
 * inside it at its end does not "reach the end of a non-void function"
 * (-Wreturn-type), as kernel code relies on.  The only way out other than
 * a jump of the block's own is the step, which jumps to the break.
 */
#define __scoped_guard(_name, _label, args...)					\
	for (CLASS(_name, _label)(args);					\
	     !__is_cond_ptr(_name) || __guard_ptr(_name)(&_label);		\
	     ({ goto __PASTE(_label, _leave); }))				\
		if (0) {							\
__PASTE(_label, _leave):							\
			break;							\
		} else
#define scoped_guard(_name, args...)						\
	__scoped_guard(_name, __UNIQUE_ID(scope), args)

/* The block with the lock held, or @_fail (a statement) if it was not taken. */
#define __scoped_cond_guard(_name, _fail, _label, args...)			\
	for (CLASS(_name, _label)(args);; ({ goto __PASTE(_label, _leave); }))	\
		if (!__guard_ptr(_name)(&_label)) {				\
			_Static_assert(__is_cond_ptr(_name),			\
				       "scoped_cond_guard() of a lock that cannot fail"); \
			_fail;							\
__PASTE(_label, _leave):							\
			break;							\
		} else
#define scoped_cond_guard(_name, _fail, args...)				\
	__scoped_cond_guard(_name, _fail, __UNIQUE_ID(scope), args)

#endif /* _LINUX_CLEANUP_H */
