/* SPDX-License-Identifier: MIT */
/*
 * lib/usercopy.c - copy_from_user() and the other user-copy primitives
 * (lib/usercopy.c, lib/strncpy_from_user.c, lib/strnlen_user.c and x86's
 * copy_user_generic in the kernel).
 *
 * Each copy goes through arch_copy_checked(): the host copies within the
 * process and stops at the first inaccessible byte, so a bad pointer is
 * an error, not a SIGSEGV.  An address range that access_ok() refuses
 * (wrapping, or past the end of user space) copies nothing, as in the
 * kernel.  The string primitives read in chunks that never cross a page
 * boundary past the NUL, so a string that ends just before an
 * inaccessible page is read whole.  The kernel's _nofault copies
 * (mm/maccess.c) are the same copies without access_ok(): in one address
 * space there is no separate kernel range to insist on.
 */
#include <string.h>

#include <linux/fault-inject-usercopy.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include "arch/host.h"
#include "mm/internal.h"

/*
 * KASAN checks the kernel side of every copy (instrument_copy_from_user()
 * and friends).  In a program built with ASan, ASan's interceptor of
 * process_vm_readv/writev (arch_copy_checked) checks the local side of the
 * host copy: copy_from_user()'s and strncpy_from_user()'s destination,
 * copy_to_user()'s source, copy_to_kernel_nofault()'s source.  The remote
 * side it cannot see; where that side is the kernel's (the destination of
 * copy_to_kernel_nofault()), the library checks it itself.
 */
static inline void kasan_check_remote(const void *p, size_t n, bool write, const char *fn)
{
	if (unlikely(slab_tools_active))
		tool_check_access(p, n, write, fn);
}

unsigned long raw_copy_from_user(void *to, const void __user *from, unsigned long n)
{
	return n - arch_copy_checked(to, (const void *)from, n, false);
}

unsigned long raw_copy_to_user(void __user *to, const void *from, unsigned long n)
{
	return n - arch_copy_checked((void *)to, from, n, true);
}

/* fail_usercopy is asked first, as the kernel asks it before access_ok(). */
unsigned long copy_from_user(void *to, const void __user *from, unsigned long n)
{
	unsigned long left = n;

	if (likely(!should_fail_usercopy() && access_ok(from, n)))
		left = raw_copy_from_user(to, from, n);
	if (unlikely(left))
		memset((char *)to + (n - left), 0, left);
	return left;
}

unsigned long copy_to_user(void __user *to, const void *from, unsigned long n)
{
	if (unlikely(should_fail_usercopy() || !access_ok(to, n)))
		return n;
	return raw_copy_to_user(to, from, n);
}

unsigned long clear_user(void __user *to, unsigned long n)
{
	static const char zeroes[256];
	unsigned long done = 0;

	if (unlikely(!access_ok(to, n)))
		return n;
	while (done < n) {
		unsigned long chunk = min(n - done, (unsigned long)sizeof(zeroes));
		unsigned long copied = arch_copy_checked((char *)to + done, zeroes, chunk, true);

		done += copied;
		if (copied < chunk)
			break;
	}
	return n - done;
}

/**
 * check_zeroed_user - are @size bytes of user memory all zero?
 * @from: the first byte
 * @size: how many
 *
 * copy_struct_from_user()'s test for the tail of a newer caller's larger
 * struct, as lib/usercopy.c has it.  The bytes are read a stack buffer
 * at a time and the answer comes at the first non-zero one, so (as in
 * the kernel, which reads word by word) a fault after it is not seen.
 * May be called from any context that may fault on user memory.
 *
 * Return: 1 if all are zero (also when @size is 0), 0 if one is not,
 * -EFAULT if a byte could not be read first.
 */
int check_zeroed_user(const void __user *from, size_t size)
{
	unsigned char buf[256];
	size_t done = 0;

	if (unlikely(!size))
		return 1;
	if (unlikely(!access_ok(from, size)))
		return -EFAULT;
	while (done < size) {
		size_t chunk = min(size - done, sizeof(buf));
		size_t got = arch_copy_checked(buf, (const char *)from + done, chunk, false);
		size_t i;

		for (i = 0; i < got; i++)
			if (buf[i])
				return 0;
		if (got < chunk)
			return -EFAULT;
		done += got;
	}
	return 1;
}

/**
 * __put_user_bytes - put_user()'s store of one value
 * @to: the user address
 * @from: the value
 * @size: its size (1 to 8 bytes in put_user())
 *
 * The kernel's put_user() is one store instruction, which either happens
 * or faults; a copy through the host can stop part way, where the value
 * crosses into a page that cannot be written.  Within one page the copy
 * is all or nothing already (a page is writable or not), and goes as it
 * is: nothing is read back or rewritten that another thread may be
 * writing.  Across two pages the old bytes are read first (a range that
 * cannot even be read fails with nothing done), and a store that stops
 * short puts them back.
 *
 * Return: 0, or -EFAULT with the destination as it was.
 */
int __put_user_bytes(void __user *to, const void *from, size_t size)
{
	unsigned char old[16];
	size_t done;

	if (unlikely(!access_ok(to, size)))
		return -EFAULT;
	if (unlikely(size > sizeof(old)))
		return copy_to_user(to, from, size) ? -EFAULT : 0;
	if (likely(((unsigned long)to & ~PAGE_MASK) + size <= PAGE_SIZE))
		return arch_copy_checked((void *)to, from, size, true) == size ? 0 : -EFAULT;
	if (arch_copy_checked(old, (const void *)to, size, false) < size)
		return -EFAULT;
	done = arch_copy_checked((void *)to, from, size, true);
	if (likely(done == size))
		return 0;
	if (done)
		arch_copy_checked((void *)to, old, done, true);
	return -EFAULT;
}

/*
 * Read the string at @src into @dst (at most @max bytes), a page's rest
 * at a time: the bytes read, or -EFAULT if the first byte faulted.
 * *@len: the string's length if its NUL was read, else -1.
 */
static long read_string(char *dst, const char __user *src, long max, long *len)
{
	long done = 0;

	*len = -1;
	while (done < max) {
		unsigned long addr = (unsigned long)src + (unsigned long)done;
		long chunk = min(max - done, (long)(PAGE_SIZE - (addr & ~PAGE_MASK)));
		long got = (long)arch_copy_checked(dst + done, (const void *)addr,
						   (size_t)chunk, false);
		char *nul = memchr(dst + done, 0, (size_t)got);

		if (nul) {
			*len = nul - dst;
			return done + got;
		}
		done += got;
		if (got < chunk)
			return done ? done : -EFAULT;
	}
	return done;
}

long strncpy_from_user(char *dst, const char __user *src, long count)
{
	long len, got;

	if (should_fail_usercopy())
		return -EFAULT;
	if (count <= 0)
		return 0;
	if (!access_ok(src, 1))
		return -EFAULT;
	got = read_string(dst, src, count, &len);
	if (len >= 0)
		return len;
	/* Faulted before a NUL: the kernel's answer whatever was read. */
	return got == count ? count : -EFAULT;
}

long strnlen_user(const char __user *str, long n)
{
	char buf[256];
	long done = 0;

	if (n <= 0 || !access_ok(str, 1))
		return 0;
	while (done < n) {
		long len, chunk = min(n - done, (long)sizeof(buf));
		long got = read_string(buf, str + done, chunk, &len);

		if (len >= 0)
			return done + len + 1;
		if (got < chunk)
			return 0;
		done += got;
	}
	return n + 1;
}

long copy_from_kernel_nofault(void *dst, const void *src, size_t size)
{
	return arch_copy_checked(dst, src, size, false) == size ? 0 : -EFAULT;
}

static long copy_to_nofault(void *dst, const void *src, size_t size)
{
	return arch_copy_checked(dst, src, size, true) == size ? 0 : -EFAULT;
}

long copy_to_kernel_nofault(void *dst, const void *src, size_t size)
{
	/* The kernel checks both sides: what is written into the kernel must be sound. */
	kasan_check_remote(dst, size, true, "copy_to_kernel_nofault");
	return copy_to_nofault(dst, src, size);
}

/* Not asked of fail_usercopy: the kernel reads kernel memory directly here. */
long strncpy_from_kernel_nofault(char *dst, const void *unsafe_addr, long count)
{
	long len, got;

	if (count <= 0)
		return 0;
	got = read_string(dst, unsafe_addr, count, &len);
	if (len >= 0)
		return len + 1;
	if (got == count) {
		dst[count - 1] = '\0';
		return count;
	}
	dst[got > 0 ? got : 0] = '\0';	/* what was read stays, terminated */
	return -EFAULT;
}

long copy_from_user_nofault(void *dst, const void __user *src, size_t size)
{
	if (!access_ok(src, size))
		return -EFAULT;
	return copy_from_kernel_nofault(dst, (const void *)src, size);
}

long copy_to_user_nofault(void __user *dst, const void *src, size_t size)
{
	if (!access_ok(dst, size))
		return -EFAULT;
	return copy_to_nofault((void *)dst, src, size);	/* user memory: not KASAN's */
}

/* The kernel's goes through strncpy_from_user(): fail_usercopy, after the count. */
long strncpy_from_user_nofault(char *dst, const void __user *unsafe_addr, long count)
{
	if (count <= 0)
		return 0;
	if (should_fail_usercopy())
		return -EFAULT;
	if (!access_ok(unsafe_addr, 1))
		return -EFAULT;
	return strncpy_from_kernel_nofault(dst, (const void *)unsafe_addr, count);
}

long strnlen_user_nofault(const void __user *unsafe_addr, long count)
{
	return strnlen_user(unsafe_addr, count);
}
