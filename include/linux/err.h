/* SPDX-License-Identifier: MIT */
/*
 * linux/err.h - errors returned inside pointers (include/linux/err.h).
 *
 * A function that returns a pointer may return ERR_PTR(-ENOMEM) instead:
 * the top MAX_ERRNO addresses are never valid objects, so IS_ERR() tells
 * an error from a pointer with one comparison and PTR_ERR() gets it back.
 */
#ifndef _LINUX_ERR_H
#define _LINUX_ERR_H

#include <ukmem/kernel_types.h>
#include <linux/errno.h>

#define MAX_ERRNO	4095

#define IS_ERR_VALUE(x)	unlikely((unsigned long)(void *)(x) >= (unsigned long)-MAX_ERRNO)

static inline void *__must_check ERR_PTR(long error)
{
	return (void *)error;
}

static inline long __must_check PTR_ERR(const void *ptr)
{
	return (long)ptr;
}

static inline bool __must_check IS_ERR(const void *ptr)
{
	return IS_ERR_VALUE((unsigned long)ptr);
}

static inline bool __must_check IS_ERR_OR_NULL(const void *ptr)
{
	return unlikely(!ptr) || IS_ERR_VALUE((unsigned long)ptr);
}

/* An error pointer passed on as another pointer type. */
static inline void *__must_check ERR_CAST(const void *ptr)
{
	return (void *)ptr;
}

/* 0 for a valid pointer, the error for an error pointer. */
static inline int __must_check PTR_ERR_OR_ZERO(const void *ptr)
{
	return IS_ERR(ptr) ? (int)PTR_ERR(ptr) : 0;
}

#endif /* _LINUX_ERR_H */
