/* SPDX-License-Identifier: MIT */
/*
 * mm/util.c - user memory duplicated into kernel memory (the kernel's
 * mm/util.c: memdup_user() and its family).  kmemdup(), kstrdup() and the
 * rest of that file's kernel-to-kernel helpers live in mm/slab_common.c.
 *
 * The kernel's answers: the new block, or ERR_PTR(-ENOMEM) when it cannot
 * be had (no warning: __GFP_NOWARN, since user space chose the size),
 * ERR_PTR(-EFAULT) when the user memory cannot be read (the block is freed
 * again), ERR_PTR(-EOVERFLOW) for an array whose size overflows, and, for
 * strndup_user(), ERR_PTR(-EINVAL) for a string longer than allowed.
 */
#include <linux/overflow.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

void *memdup_user(const void __user *src, size_t len)
{
	void *p = kmalloc_track_caller(len, GFP_USER | __GFP_NOWARN);

	if (!p)
		return ERR_PTR(-ENOMEM);
	if (copy_from_user(p, src, len)) {
		kfree(p);
		return ERR_PTR(-EFAULT);
	}
	return p;
}

void *vmemdup_user(const void __user *src, size_t len)
{
	void *p = kvmalloc(len, GFP_USER);

	if (!p)
		return ERR_PTR(-ENOMEM);
	if (copy_from_user(p, src, len)) {
		kvfree(p);
		return ERR_PTR(-EFAULT);
	}
	return p;
}

void *memdup_user_nul(const void __user *src, size_t len)
{
	char *p = kmalloc_track_caller(len + 1, GFP_KERNEL);

	if (!p)
		return ERR_PTR(-ENOMEM);
	if (copy_from_user(p, src, len)) {
		kfree(p);
		return ERR_PTR(-EFAULT);
	}
	p[len] = '\0';
	return p;
}

char *strndup_user(const char __user *s, long n)
{
	long length = strnlen_user(s, n);
	char *p;

	if (!length)
		return ERR_PTR(-EFAULT);
	if (length > n)
		return ERR_PTR(-EINVAL);
	p = memdup_user(s, (size_t)length);
	if (IS_ERR(p))
		return p;
	p[length - 1] = '\0';	/* the string may have changed meanwhile */
	return p;
}

void *memdup_array_user(const void __user *src, size_t n, size_t size)
{
	size_t bytes;

	if (check_mul_overflow(n, size, &bytes))
		return ERR_PTR(-EOVERFLOW);
	return memdup_user(src, bytes);
}

void *vmemdup_array_user(const void __user *src, size_t n, size_t size)
{
	size_t bytes;

	if (check_mul_overflow(n, size, &bytes))
		return ERR_PTR(-EOVERFLOW);
	return vmemdup_user(src, bytes);
}
