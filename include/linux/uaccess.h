/* SPDX-License-Identifier: MIT */
/*
 * linux/uaccess.h - copying from and to "user space" (lib/usercopy.c,
 * mm/util.c).
 *
 * A ukmem program has one address space, so a user pointer is any pointer
 * the code should not trust: an ioctl's argument, a buffer a caller
 * passed in.  The copies below read and write through the host's
 * process_vm_readv()/process_vm_writev() on the process itself, so a bad
 * address makes them fail as the kernel's do (bytes not copied, -EFAULT)
 * instead of faulting.  Each costs a system call: for trusted memory,
 * memcpy() is the tool.
 */
#ifndef _LINUX_UACCESS_H
#define _LINUX_UACCESS_H

#include <linux/err.h>
#include <linux/fault-inject-usercopy.h>
#include <linux/gfp.h>
#include <linux/string.h>	/* memdup_user(), strndup_user() ... */
#include <ukmem/kernel_types.h>

/* x86-64's TASK_SIZE_MAX with 4-level page tables: the top of user space. */
#define TASK_SIZE_MAX	((1UL << 47) - PAGE_SIZE)

/* Is [addr, addr + size) below the end of user space?  (v5.0+: no type argument.) */
static inline bool __access_ok(const void __user *addr, unsigned long size)
{
	unsigned long a = (unsigned long)addr;

	return size <= TASK_SIZE_MAX && a <= TASK_SIZE_MAX - size;
}
#define access_ok(addr, size)	__access_ok((const void __user *)(addr), (size))

UKMEM_C_BEGIN
UKMEM_API_BEGIN
/*
 * Both return the bytes NOT copied (0: all were).  copy_from_user()
 * zeroes the part of @to it could not fill, as the kernel's does.
 */
unsigned long copy_from_user(void *to, const void __user *from, unsigned long n);
unsigned long copy_to_user(void __user *to, const void *from, unsigned long n);
/*
 * The copies themselves, without access_ok(), fail_usercopy or zeroing:
 * the bytes not copied.  What the _inatomic forms use, as in the kernel.
 */
unsigned long raw_copy_from_user(void *to, const void __user *from, unsigned long n);
unsigned long raw_copy_to_user(void __user *to, const void *from, unsigned long n);
/* Zero @n user bytes; returns the bytes not cleared. */
unsigned long clear_user(void __user *to, unsigned long n);
/*
 * Copy a string of at most @count bytes: its length without the NUL, or
 * @count if none came within @count bytes (@dst is then not terminated),
 * or -EFAULT.
 */
long strncpy_from_user(char *dst, const char __user *src, long count);
/* The string's size with its NUL; 0 on a fault; more than @n if longer. */
long strnlen_user(const char __user *str, long n);
/*
 * lib/usercopy.c's check_zeroed_user() (v5.4+): 1 if the @size user
 * bytes at @from are all zero (also for @size 0), 0 if one is not, or
 * -EFAULT if they could not be read before a non-zero byte was seen.
 */
int check_zeroed_user(const void __user *from, size_t size);
/* put_user()'s store: 0, or -EFAULT with none of the @size bytes written. */
int __put_user_bytes(void __user *to, const void *from, size_t size);

/* memdup_user() and its family are declared in linux/string.h, as in the kernel. */

/*
 * linux/uaccess.h's _nofault copies (mm/maccess.c): read or write memory
 * that may be gone (a freed KFENCE object, an address from a report)
 * without faulting.  0 or -EFAULT; the string form returns the string's
 * size with its NUL, @count (with @dst cut to @count - 1 bytes and
 * terminated) for a longer string, or -EFAULT (what was read terminated).
 */
long copy_from_kernel_nofault(void *dst, const void *src, size_t size);
long copy_to_kernel_nofault(void *dst, const void *src, size_t size);
long strncpy_from_kernel_nofault(char *dst, const void *unsafe_addr, long count);
/*
 * The user-space forms (mm/maccess.c): access_ok() first, then the same
 * copy; 0 or -EFAULT.  strncpy_from_user_nofault() answers as
 * strncpy_from_kernel_nofault(); strnlen_user_nofault() as strnlen_user().
 */
long copy_from_user_nofault(void *dst, const void __user *src, size_t size);
long copy_to_user_nofault(void __user *dst, const void *src, size_t size);
long strncpy_from_user_nofault(char *dst, const void __user *unsafe_addr, long count);
long strnlen_user_nofault(const void __user *unsafe_addr, long count);
UKMEM_API_END
UKMEM_C_END

#define get_kernel_nofault(val, ptr)	copy_from_kernel_nofault(&(val), (ptr), sizeof(val))

/*
 * The unchecked forms: the caller has checked access_ok().  fail_usercopy
 * is asked, but __copy_from_user() zeroes nothing it did not copy (only
 * copy_from_user() pads), as in the kernel.
 */
static inline unsigned long __copy_from_user(void *to, const void __user *from, unsigned long n)
{
	return should_fail_usercopy() ? n : raw_copy_from_user(to, from, n);
}

static inline unsigned long __copy_to_user(void __user *to, const void *from, unsigned long n)
{
	return should_fail_usercopy() ? n : raw_copy_to_user(to, from, n);
}
/*
 * The page-fault-disabled forms: the caller has checked access_ok(); the
 * kernel neither zeroes what could not be read nor asks fail_usercopy.
 */
#define __copy_from_user_inatomic(to, from, n)	raw_copy_from_user(to, from, n)
#define __copy_to_user_inatomic(to, from, n)	raw_copy_to_user(to, from, n)

/*
 * One value: 0, or -EFAULT (and @x zero for get_user).  The kernel's
 * get_user()/put_user() are single loads and stores, so a faulting one
 * leaves memory untouched; put_user() keeps that through
 * __put_user_bytes(), which undoes a store that stopped half way across
 * a page boundary.  @ptr may
 * point to const: a cast's type is unqualified, so __gu_val is writable.
 */
#define get_user(x, ptr)						\
({									\
	__typeof__((__typeof__(*(ptr)))0) __gu_val;			\
	int __gu_err = copy_from_user(&__gu_val, (ptr), sizeof(__gu_val)) ? -EFAULT : 0; \
	(x) = __gu_err ? (__typeof__(*(ptr)))0 : __gu_val;		\
	__gu_err;							\
})
#define put_user(x, ptr)						\
({									\
	__typeof__(*(ptr)) __pu_val = (x);				\
	__put_user_bytes((ptr), &__pu_val, sizeof(__pu_val));		\
})
#define __get_user(x, ptr)	get_user(x, ptr)
#define __put_user(x, ptr)	put_user(x, ptr)

/*
 * The kernel's copy_struct_from_user() (v5.4+): an extensible struct of
 * @usize bytes from user space into one of @ksize bytes.  A smaller user
 * struct is zero-extended; a larger one is accepted only when its extra
 * bytes are all zero (check_zeroed_user()), else -E2BIG; a fault is
 * -EFAULT.
 */
static inline int copy_struct_from_user(void *dst, size_t ksize, const void __user *src,
					size_t usize)
{
	size_t size = ksize < usize ? ksize : usize;

	if (usize < ksize) {
		__builtin_memset((char *)dst + size, 0, ksize - size);
	} else if (usize > ksize) {
		int ret = check_zeroed_user((const char __user *)src + size, usize - size);

		if (ret <= 0)
			return ret ? ret : -E2BIG;
	}
	return copy_from_user(dst, src, size) ? -EFAULT : 0;
}

/*
 * The kernel's copy_struct_to_user() (v6.11+), the other direction: a
 * larger user struct gets its extra bytes cleared; a smaller one gets
 * the first @usize bytes, and *@ignored_trailing (if not NULL) says
 * whether the kernel bytes left out held anything but zeroes.  0 or
 * -EFAULT.
 */
static inline int copy_struct_to_user(void __user *dst, size_t usize, const void *src,
				      size_t ksize, bool *ignored_trailing)
{
	size_t size = ksize < usize ? ksize : usize;

	if (usize > ksize) {
		if (clear_user((char __user *)dst + size, usize - size))
			return -EFAULT;
	}
	if (ignored_trailing) {
		const unsigned char *p = (const unsigned char *)src + size;
		const unsigned char *end = (const unsigned char *)src + ksize;

		while (p < end && !*p)
			p++;
		*ignored_trailing = p < end;
	}
	return copy_to_user(dst, src, size) ? -EFAULT : 0;
}

/*
 * The unchecked sections of hot paths (x86's STAC/CLAC window): here
 * user_access_begin() is access_ok() and the unsafe_ accessors are the
 * checked ones that jump to @label on a fault, as the kernel's do.
 */
#define user_access_begin(ptr, len)	access_ok(ptr, len)
#define user_access_end()		do { } while (0)
#define user_read_access_begin(ptr, len) access_ok(ptr, len)
#define user_read_access_end()		do { } while (0)
#define user_write_access_begin(ptr, len) access_ok(ptr, len)
#define user_write_access_end()		do { } while (0)
#define unsafe_get_user(x, ptr, label)					\
	do { if (unlikely(get_user(x, ptr))) goto label; } while (0)
#define unsafe_put_user(x, ptr, label)					\
	do { if (unlikely(put_user(x, ptr))) goto label; } while (0)
#define unsafe_copy_to_user(dst, src, len, label)			\
	do { if (unlikely(copy_to_user(dst, src, len))) goto label; } while (0)
#define unsafe_copy_from_user(dst, src, len, label)			\
	do { if (unlikely(copy_from_user(dst, src, len))) goto label; } while (0)

#endif /* _LINUX_UACCESS_H */
