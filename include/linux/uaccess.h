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
#include <linux/gfp.h>
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

/* mm/util.c: user memory copied into new kernel memory, or an ERR_PTR. */
void *memdup_user(const void __user *src, size_t len);
void *vmemdup_user(const void __user *src, size_t len);
void *memdup_user_nul(const void __user *src, size_t len);
char *strndup_user(const char __user *s, long n);
void *memdup_array_user(const void __user *src, size_t n, size_t size);
void *vmemdup_array_user(const void __user *src, size_t n, size_t size);

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
UKMEM_API_END
UKMEM_C_END

#define get_kernel_nofault(val, ptr)	copy_from_kernel_nofault(&(val), (ptr), sizeof(val))

#define __copy_from_user(to, from, n)	copy_from_user(to, from, n)
#define __copy_to_user(to, from, n)	copy_to_user(to, from, n)

/* One value: 0, or -EFAULT (and @x zero for get_user). */
#define get_user(x, ptr)						\
({									\
	__typeof__(*(ptr)) __gu_val;					\
	int __gu_err = copy_from_user(&__gu_val, (ptr), sizeof(__gu_val)) ? -EFAULT : 0; \
	(x) = __gu_err ? (__typeof__(*(ptr)))0 : __gu_val;		\
	__gu_err;							\
})
#define put_user(x, ptr)						\
({									\
	__typeof__(*(ptr)) __pu_val = (x);				\
	copy_to_user((ptr), &__pu_val, sizeof(__pu_val)) ? -EFAULT : 0;	\
})
#define __get_user(x, ptr)	get_user(x, ptr)
#define __put_user(x, ptr)	put_user(x, ptr)

/* The kernel's copy_struct_from_user() (v5.4+): sizes may differ, extra bytes must be zero. */
static inline int copy_struct_from_user(void *dst, size_t ksize, const void __user *src,
					size_t usize)
{
	size_t size = ksize < usize ? ksize : usize;

	if (usize > ksize) {
		unsigned char buf[64];
		size_t off = ksize;

		while (off < usize) {
			size_t chunk = usize - off < sizeof(buf) ? usize - off : sizeof(buf), i;

			if (copy_from_user(buf, (const char __user *)src + off, chunk))
				return -EFAULT;
			for (i = 0; i < chunk; i++)
				if (buf[i])
					return -E2BIG;
			off += chunk;
		}
	} else if (usize < ksize) {
		__builtin_memset((char *)dst + size, 0, ksize - size);
	}
	return copy_from_user(dst, src, size) ? -EFAULT : 0;
}

#endif /* _LINUX_UACCESS_H */
