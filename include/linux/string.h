/* SPDX-License-Identifier: MIT */
/*
 * linux/string.h - the C library's string functions and the kernel's own
 * (include/linux/string.h, lib/string.c, lib/string_helpers.c):
 * strscpy (with the size or, for an array, without), strscpy_pad,
 * strlcat, memset16/32/64, memcpy_and_pad, strtomem(_pad), memtostr(_pad),
 * memzero_explicit, str_has_prefix, strstarts, strim, skip_spaces,
 * strnchr, strnchrnul, strnstr, memchr_inv, sysfs_streq, match_string,
 * sysfs_match_string, strreplace, memset_after/memset_startat, kbasename,
 * strends, memweight, memcat_p; kstrdup, kmemdup and the other
 * allocating ones come from linux/slab.h.  tests/test_string.c holds the
 * expectations of the kernel's lib/tests/string_kunit.c.
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
#include <strings.h>	/* strcasecmp, strncasecmp: the kernel's string.h has them */
#include <limits.h>
#include <sys/types.h>	/* ssize_t (strscpy), which <string.h> need not declare */
#include <ukmem/kernel_types.h>
#include <linux/bug.h>		/* WARN_ON_ONCE (strscpy) */
#include <linux/errno.h>
#include <linux/slab.h>		/* kstrdup, kstrndup, kmemdup, kstrdup_const */

UKMEM_C_BEGIN
/*
 * strnlen() is POSIX.1-2008's: under a strict ISO mode (-std=c11) glibc's
 * <string.h> leaves it undeclared, and strscpy() below needs it.
 */
#if !defined(__USE_XOPEN2K8) && !defined(__cplusplus)
size_t strnlen(const char *s, size_t maxlen);
#endif
UKMEM_API_BEGIN
/*
 * mm/util.c: user memory copied into new kernel memory (kmalloc'ed, or
 * kvmalloc'ed for the v forms), or an ERR_PTR: -ENOMEM, -EFAULT, and
 * -EOVERFLOW for an _array_ size that overflows; strndup_user() gives
 * -EINVAL for a string longer than @n.  Declared here, as the kernel's
 * linux/string.h does; the copies are linux/uaccess.h's.
 */
void *memdup_user(const void __user *src, size_t len);
void *vmemdup_user(const void __user *src, size_t len);
void *memdup_user_nul(const void __user *src, size_t len);
char *strndup_user(const char __user *s, long n);
void *memdup_array_user(const void __user *src, size_t n, size_t size);
void *vmemdup_array_user(const void __user *src, size_t n, size_t size);
/*
 * argv_split - @str cut at blanks into a NULL-terminated vector of words,
 * kmalloc'ed with @gfp (the word count in *@argcp if not NULL); NULL when
 * memory is short.  argv_free() gives it back.
 */
char **argv_split(gfp_t gfp, const char *str, int *argcp);
void argv_free(char **argv);
UKMEM_API_END
UKMEM_C_END

/*
 * strscpy - copy a C string into a buffer of @count bytes, always
 * NUL-terminated when @count > 0.  Returns the length copied, or -E2BIG
 * when @src did not fit (the buffer then holds what did).
 */
/*
 * sized_strscpy - copy the string @src into @dest, a buffer of @count
 * bytes, always NUL-terminated when @count is not 0.  Returns the length
 * copied, or -E2BIG when @src did not fit (the copy is then truncated) or
 * @count is 0; a @count above INT_MAX is a caller's bug: WARN and -E2BIG,
 * as in the kernel.
 */
static inline ssize_t sized_strscpy(char *dest, const char *src, size_t count)
{
	size_t len;

	if (count == 0 || WARN_ON_ONCE(count > INT_MAX))
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

/* sized_strscpy() that also zeroes the rest of @dest. */
static inline ssize_t sized_strscpy_pad(char *dest, const char *src, size_t count)
{
	ssize_t written = sized_strscpy(dest, src, count);

	if (written >= 0 && (size_t)written + 1 < count)
		memset(dest + written + 1, 0, count - written - 1);
	return written;
}

/*
 * strscpy(dst, src, size), or strscpy(dst, src) when @dst is an array: its
 * size then comes from sizeof (a pointer is a build error), as in the
 * kernel since 6.8.  The same for strscpy_pad().
 */
#define __UKMEM_NARGS(...)		__UKMEM_NARGS_(_, ##__VA_ARGS__, 1, 0)
#define __UKMEM_NARGS_(_, a, n, ...)	n
#define __strscpy_0(fn, dst, src, ...)	fn(dst, src, sizeof(dst) + __must_be_array(dst))
#define __strscpy_1(fn, dst, src, size)	fn(dst, src, size)
#define __strscpy_pick(n)		__PASTE(__strscpy_, n)
#define strscpy(dst, src, ...)		\
	__strscpy_pick(__UKMEM_NARGS(__VA_ARGS__))(sized_strscpy, dst, src, ##__VA_ARGS__)
#define strscpy_pad(dst, src, ...)	\
	__strscpy_pick(__UKMEM_NARGS(__VA_ARGS__))(sized_strscpy_pad, dst, src, ##__VA_ARGS__)

/*
 * strlcat - append @src to the string in @dest, a buffer of @count bytes,
 * keeping it terminated; returns the length the result would have had
 * (strlen(dest) + strlen(src)), so a value >= @count means truncation.
 * (The C library has one only since glibc 2.38; the name maps to ours.)
 */
static inline size_t __ukmem_strlcat(char *dest, const char *src, size_t count)
{
	size_t dsize = strnlen(dest, count), len = strlen(src), room;

	if (dsize == count)	/* @dest not terminated within @count: the kernel BUGs */
		return count + len;
	room = count - dsize - 1;
	if (len < room)
		room = len;
	memcpy(dest + dsize, src, room);
	dest[dsize + room] = '\0';
	return dsize + len;
}
#define strlcat(dest, src, count)	__ukmem_strlcat(dest, src, count)

/* Fill @count 16-, 32- or 64-bit values with @v (lib/string.c). */
static inline u16 *memset16(u16 *s, u16 v, size_t count)
{
	for (size_t i = 0; i < count; i++)
		s[i] = v;
	return s;
}

static inline u32 *memset32(u32 *s, u32 v, size_t count)
{
	for (size_t i = 0; i < count; i++)
		s[i] = v;
	return s;
}

static inline u64 *memset64(u64 *s, u64 v, size_t count)
{
	for (size_t i = 0; i < count; i++)
		s[i] = v;
	return s;
}

/* @count bytes of @src into @dest of @dest_len bytes, the rest set to @pad. */
static inline void memcpy_and_pad(void *dest, size_t dest_len, const void *src, size_t count,
				  int pad)
{
	if (dest_len > count) {
		memcpy(dest, src, count);
		memset((char *)dest + count, pad, dest_len - count);
	} else {
		memcpy(dest, src, dest_len);
	}
}

/*
 * strtomem(dest, src): the string @src into the byte array @dest, which is
 * not a string (no NUL is added; a longer @src is cut at sizeof(dest)).
 * strtomem_pad() fills the rest of @dest with @pad.  @dest must be an array.
 */
#define __ukmem_min_size(a, b)	((a) < (b) ? (a) : (b))
#define strtomem_pad(dest, src, pad) do {					\
	const size_t __dl = sizeof(dest) + __must_be_array(dest);		\
	const size_t __sl = __builtin_object_size(src, 1);			\
	memcpy_and_pad(dest, __dl, src, strnlen(src, __ukmem_min_size(__sl, __dl)), pad); \
} while (0)
#define strtomem(dest, src) do {						\
	const size_t __dl = sizeof(dest) + __must_be_array(dest);		\
	const size_t __sl = __builtin_object_size(src, 1);			\
	memcpy(dest, src, strnlen(src, __ukmem_min_size(__sl, __dl)));	\
} while (0)

/*
 * memtostr(dest, src): the byte array @src (NUL-padded, maybe not
 * terminated) as a string in the array @dest, cut to fit; memtostr_pad()
 * zeroes the rest of @dest.  Both arguments must be arrays.
 */
#define memtostr(dest, src) do {						\
	const size_t __dl = sizeof(dest) + __must_be_array(dest);		\
	const size_t __sl = sizeof(src) + __must_be_array(src);		\
	const size_t __cl = __ukmem_min_size(__dl - 1, strnlen((const char *)(src), __sl)); \
	memcpy(dest, src, __cl);						\
	(dest)[__cl] = '\0';							\
} while (0)
#define memtostr_pad(dest, src) do {						\
	const size_t __dl = sizeof(dest) + __must_be_array(dest);		\
	const size_t __sl = sizeof(src) + __must_be_array(src);		\
	const size_t __cl = __ukmem_min_size(__dl - 1, strnlen((const char *)(src), __sl)); \
	memcpy_and_pad(dest, __dl, src, __cl, '\0');			\
} while (0)

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
/*
 * The first @c among the first @count bytes of @s, the terminating NUL
 * included (so @c == '\0' finds the end); NULL if not there.
 */
static inline char *strnchr(const char *s, size_t count, int c)
{
	while (count--) {
		if (*s == (char)c)
			return (char *)s;
		if (*s++ == '\0')
			break;
	}
	return NULL;
}

/* strnchr() that returns where it stopped (the NUL, or @s + @count) when @c is not there. */
static inline char *strnchrnul(const char *s, size_t count, int c)
{
	while (count-- && *s && *s != (char)c)
		s++;
	return (char *)s;
}

/* The first @s2 that lies whole in the first @len bytes of @s1; @s1 for an empty @s2. */
static inline char *strnstr(const char *s1, const char *s2, size_t len)
{
	size_t l2 = strlen(s2);

	if (!l2)
		return (char *)s1;
	for (; len >= l2; len--, s1++)
		if (!memcmp(s1, s2, l2))
			return (char *)s1;
	return NULL;
}

/* @str begins with @prefix. */
static inline bool strstarts(const char *str, const char *prefix)
{
	return strncmp(str, prefix, strlen(prefix)) == 0;
}

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
/* match_string() with sysfs_streq(): a trailing newline on @str is ignored. */
static inline int __sysfs_match_string(const char * const *array, size_t n, const char *str)
{
	size_t index;

	for (index = 0; index < n; index++) {
		if (!array[index])
			break;
		if (sysfs_streq(array[index], str))
			return (int)index;
	}
	return -EINVAL;
}
#define sysfs_match_string(array, str)	__sysfs_match_string(array, ARRAY_SIZE(array), str)

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

#ifndef offsetofend
/* The offset of the byte after @member (the kernel's linux/stddef.h). */
#define offsetofend(TYPE, MEMBER)	(offsetof(TYPE, MEMBER) + sizeof(((TYPE *)0)->MEMBER))
#endif

/* memset_after - @v into every byte of *@obj after @member (padding included). */
#define memset_after(obj, v, member)						\
({										\
	u8 *__ptr = (u8 *)(obj);						\
	__typeof__(v) __val = (v);						\
	memset(__ptr + offsetofend(__typeof__(*(obj)), member), __val,		\
	       sizeof(*(obj)) - offsetofend(__typeof__(*(obj)), member));	\
})

/* memset_startat - @v into every byte of *@obj from @member on. */
#define memset_startat(obj, v, member)						\
({										\
	u8 *__ptr = (u8 *)(obj);						\
	__typeof__(v) __val = (v);						\
	memset(__ptr + offsetof(__typeof__(*(obj)), member), __val,		\
	       sizeof(*(obj)) - offsetof(__typeof__(*(obj)), member));		\
})

/* kbasename - what follows the last '/' of @path, or @path. */
static inline const char *kbasename(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

/* strends - does @str end with @suffix (v6.18+)? */
static inline bool strends(const char *str, const char *suffix)
{
	size_t len = strlen(str), suffix_len = strlen(suffix);

	return len >= suffix_len && !strcmp(str + len - suffix_len, suffix);
}

/* memweight - the number of bits set in @bytes bytes at @ptr. */
static inline size_t memweight(const void *ptr, size_t bytes)
{
	const unsigned char *b = (const unsigned char *)ptr;
	size_t weight = 0;

	for (; bytes && ((uintptr_t)b & (sizeof(unsigned long) - 1)); bytes--)
		weight += (size_t)__builtin_popcount(*b++);
	for (; bytes >= sizeof(unsigned long); bytes -= sizeof(unsigned long)) {
		unsigned long word;

		memcpy(&word, b, sizeof(word));
		weight += (size_t)__builtin_popcountl(word);
		b += sizeof(word);
	}
	for (; bytes; bytes--)
		weight += (size_t)__builtin_popcount(*b++);
	return weight;
}

/*
 * __memcat_p - a new kmalloc'ed NULL-terminated array of @a's pointers and
 * then @b's (both NULL-terminated); NULL without memory.  memcat_p() checks
 * that both hold the same type.
 */
static inline void **__memcat_p(void **a, void **b)
{
	size_t na = 0, nb = 0;
	void **joined;

	while (a[na])
		na++;
	while (b[nb])
		nb++;
	joined = (void **)kmalloc_array(na + nb + 1, sizeof(void *), GFP_KERNEL);
	if (!joined)
		return NULL;
	memcpy(joined, a, na * sizeof(void *));
	memcpy(joined + na, b, (nb + 1) * sizeof(void *));
	return joined;
}
#define memcat_p(a, b) ({							\
	BUILD_BUG_ON_MSG(!__same_type(*(a), *(b)), "type mismatch in memcat_p()");\
	(__typeof__(*(a)) *)__memcat_p((void **)(a), (void **)(b));		\
})

#endif /* _UKMEM_LINUX_STRING_H */
