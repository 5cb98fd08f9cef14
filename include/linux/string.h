/* SPDX-License-Identifier: MIT */
/*
 * linux/string.h - the C library's string functions and the kernel's own
 * (include/linux/string.h, lib/string.c, lib/string_helpers.c):
 * strscpy, memzero_explicit, str_has_prefix, strim, skip_spaces, strnchr,
 * memchr_inv, sysfs_streq, match_string, strreplace; kstrdup, kmemdup and
 * the other allocating ones come from linux/slab.h.
 *
 * The system's UAPI linux/string.h (which only includes <string.h>) is
 * read first; see linux/types.h.
 */
#ifndef _UKMEM_LINUX_STRING_H
#define _UKMEM_LINUX_STRING_H

#if defined(__has_include_next)
#if __has_include_next(<linux/string.h>)
#include_next <linux/string.h>
#endif
#endif
#include <ctype.h>
#include <string.h>
#include <sys/types.h>	/* ssize_t (strscpy), which <string.h> need not declare */
#include <ukmem/kernel_types.h>
#include <linux/errno.h>
#include <linux/slab.h>		/* kstrdup, kstrndup, kmemdup, kstrdup_const */

/*
 * strscpy - copy a C string into a buffer of @count bytes, always
 * NUL-terminated when @count > 0.  Returns the length copied, or -E2BIG
 * when @src did not fit (the buffer then holds what did).
 */
static inline ssize_t strscpy(char *dest, const char *src, size_t count)
{
	size_t len;

	if (!count)
		return -E2BIG;
	len = strnlen(src, count);
	if (len == count) {
		memcpy(dest, src, count - 1);
		dest[count - 1] = '\0';
		return -E2BIG;
	}
	memcpy(dest, src, len + 1);
	return (ssize_t)len;
}

/* strscpy_pad - strscpy(), then zero the rest of the buffer. */
static inline ssize_t strscpy_pad(char *dest, const char *src, size_t count)
{
	ssize_t written = strscpy(dest, src, count);

	if (written >= 0 && (size_t)written + 1 < count)
		memset(dest + written + 1, 0, count - written - 1);
	return written;
}

/* memzero_explicit - a memset() the compiler may not drop (secrets). */
static inline void memzero_explicit(void *s, size_t count)
{
	memset(s, 0, count);
	__asm__ __volatile__("" : : "r"(s) : "memory");
}

/* str_has_prefix - strlen(@prefix) if @str starts with it, else 0. */
static inline size_t str_has_prefix(const char *str, const char *prefix)
{
	size_t len = strlen(prefix);

	return strncmp(str, prefix, len) == 0 ? len : 0;
}

/* skip_spaces - @str past its leading white space. */
static inline char *skip_spaces(const char *str)
{
	while (isspace((unsigned char)*str))
		str++;
	return (char *)str;
}

/* strim - cut trailing white space in place; return @s past leading. */
static inline char *strim(char *s)
{
	size_t size = strlen(s);
	char *end;

	if (!size)
		return s;
	end = s + size - 1;
	while (end >= s && isspace((unsigned char)*end))
		end--;
	*(end + 1) = '\0';
	return skip_spaces(s);
}
#define strstrip	strim

/* strnchr - @c in the first @count bytes of @s, or NULL. */
static inline char *strnchr(const char *s, size_t count, int c)
{
	while (count-- && *s) {
		if (*s == (char)c)
			return (char *)s;
		s++;
	}
	return NULL;
}

/*
 * memchr_inv - the first byte of @start that is not @c, or NULL.  A word
 * at a time once aligned, as the kernel's (a page that is all @c is read
 * at memory speed; a word that differs is searched byte by byte).
 */
static inline void *memchr_inv(const void *start, int c, size_t bytes)
{
	const u8 *p = (const u8 *)start;
	unsigned long word = (u8)c * (~0UL / 0xff);

	for (; bytes && ((unsigned long)p & (sizeof(long) - 1)); bytes--, p++)
		if (*p != (u8)c)
			return (void *)p;
	for (; bytes >= sizeof(long); bytes -= sizeof(long), p += sizeof(long)) {
		unsigned long w;

		__builtin_memcpy(&w, p, sizeof(w));	/* one load, any type's bytes */
		if (w != word)
			break;
	}
	for (; bytes; bytes--, p++)
		if (*p != (u8)c)
			return (void *)p;
	return NULL;
}

/* mem_is_zero - are all @n bytes of @s zero?  (v6.12) */
static inline bool mem_is_zero(const void *s, size_t n)
{
	return !memchr_inv(s, 0, n);
}

/* sysfs_streq - equal, ignoring one trailing newline on either side. */
static inline bool sysfs_streq(const char *s1, const char *s2)
{
	while (*s1 && *s1 == *s2) {
		s1++;
		s2++;
	}
	if (*s1 == *s2)
		return true;
	if (!*s1 && *s2 == '\n' && !s2[1])
		return true;
	if (*s1 == '\n' && !s1[1] && !*s2)
		return true;
	return false;
}

/* match_string - index of @string in @array (stops at NULL or @n), or -EINVAL. */
static inline int match_string(const char * const *array, size_t n, const char *string)
{
	size_t index;

	for (index = 0; index < n; index++) {
		if (!array[index])
			break;
		if (!strcmp(array[index], string))
			return (int)index;
	}
	return -EINVAL;
}

/*
 * strreplace - replace every @old in @str by @new; returns @str (v6.6+:
 * before, the end of @str, which no caller used).
 */
static inline char *strreplace(char *str, char old, char new_char)
{
	char *s;

	for (s = str; *s; ++s)
		if (*s == old)
			*s = new_char;
	return str;
}

/* kstrdup_and_replace - kstrdup() of @src with every @old made @new (v6.7+). */
static inline char *kstrdup_and_replace(const char *src, char old, char new_char, gfp_t gfp)
{
	char *dst = kstrdup(src, gfp);

	return dst ? strreplace(dst, old, new_char) : NULL;
}

#endif /* _UKMEM_LINUX_STRING_H */
