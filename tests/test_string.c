/* SPDX-License-Identifier: MIT */
/*
 * linux/string.h against the expectations of the kernel's
 * lib/tests/string_kunit.c: memset16/32/64 fill exactly their range at
 * every offset and length; strchr and strnchr find the terminating NUL
 * too (strnchr only within its count); strspn/strcspn; the comparisons
 * (strcmp, strncmp, strcasecmp, strncasecmp, including 2 KiB strings that
 * differ at one byte); strscpy_pad's return value, termination, padding
 * and untouched tail for every size up to 4; strscpy on constant strings
 * and its two-argument form; strcat, strncat, strlcat; strtomem and
 * memtostr with their _pad forms.  The rest of ukmem's string.h (strim,
 * sysfs_streq, match_string, strnstr, memchr_inv ...) is checked against
 * the kernel's lib/string.c behaviour at the end, and crc32_le() against
 * CRC-32's check value.
 */
#include "ktest.h"

#include <linux/crc32.h>
#include <linux/string.h>

static volatile int unconst;	/* keeps sizes from being compile-time constants */

#define FILL_CHECK(type, fn, fill, value) do {					\
	type *p = kzalloc(512 * sizeof(type), GFP_KERNEL);			\
	unsigned int i, j, k, bad = 0;						\
										\
	CHECK(p != NULL);							\
	if (!p)									\
		break;								\
	for (i = 0; i < 256 && !bad; i++)					\
		for (j = 0; j < 256 && !bad; j++) {				\
			memset(p, 0xa1, 512 * sizeof(type));			\
			CHECK(fn(p + i, value, j) == p + i);			\
			for (k = 0; k < 512; k++)				\
				if (p[k] != (k >= i && k < i + j ? (type)(value) : (type)(fill))) \
					bad++;					\
		}								\
	CHECK_EQ(bad, 0);							\
	kfree(p);								\
} while (0)

static void test_memset16(void)
{
	FILL_CHECK(u16, memset16, 0xa1a1, 0xb1b2);
}

static void test_memset32(void)
{
	FILL_CHECK(u32, memset32, 0xa1a1a1a1u, 0xb1b2b3b4u);
}

static void test_memset64(void)
{
	FILL_CHECK(u64, memset64, 0xa1a1a1a1a1a1a1a1ULL, 0xb1b2b3b4b5b6b7b8ULL);
}

static void test_strchr(void)
{
	const char *str = "abcdefghijkl", *empty = "";
	size_t i;

	for (i = 0; i <= strlen(str); i++)
		CHECK_EQ(strchr(str, str[i]) - str, i);
	CHECK(strchr(empty, '\0') == empty);
	CHECK(strchr(empty, 'a') == NULL);
	CHECK(strchr(str, 'z') == NULL);
}

static void test_strnchr(void)
{
	const char *str = "abcdefghijkl", *empty = "";
	size_t i, j;
	char *r;

	/* Found only when the count reaches it; the NUL at the end included. */
	for (i = 0; i <= strlen(str); i++)
		for (j = 0; j < strlen(str) + 2; j++) {
			r = strnchr(str, j, str[i]);
			if (j <= i)
				CHECK(r == NULL);
			else
				CHECK(r != NULL && r - str == (ptrdiff_t)i);
		}
	CHECK(strnchr(empty, 0, '\0') == NULL);
	CHECK(strnchr(empty, 1, '\0') == empty);
	CHECK(strnchr(empty, 1, 'a') == NULL);
	CHECK(strnchr(NULL, 0, '\0') == NULL);
	/* It stops at the NUL even when the count goes on. */
	CHECK(strnchr("ab\0c", 4, 'c') == NULL);
}

static void test_strspn(void)
{
	static const struct {
		const char *str, *accept, *reject;
		size_t a, r;
	} t[] = {
		{ "foobar", "", "", 0, 6 },
		{ "abba", "abc", "ABBA", 4, 4 },
		{ "abba", "a", "b", 1, 1 },
		{ "", "abc", "abc", 0, 0 },
	};

	for (size_t i = 0; i < ARRAY_SIZE(t); i++) {
		CHECK_EQ(strspn(t[i].str, t[i].accept), t[i].a);
		CHECK_EQ(strcspn(t[i].str, t[i].reject), t[i].r);
	}
}

#define BIG	2048
#define CHANGE	1337
static char big1[BIG], big2[BIG];

static void fill_big(char c1, char c2)
{
	memset(big1, c1, BIG);
	memset(big2, c2, BIG);
	big1[BIG - 1] = big2[BIG - 1] = '\0';
}

static void test_strcmp(void)
{
	CHECK(strcmp("Hello, Kernel!", "Hello, Kernel!") == 0);
	CHECK(strcmp("Hello, KUnit!", "Hello, Kernel!") < 0);
	CHECK(strcmp("Hello, Kernel!", "Hello, KUnit!") > 0);
	CHECK(strcmp("", "Non-empty string") < 0);
	CHECK(strcmp("", "") == 0);
	CHECK(strcmp("Abacaba", "Abadaba") < 0);
	CHECK(strcmp("Just a string", "Just a string and something else") < 0);
	fill_big('B', 'B');
	CHECK(strcmp(big1, big2) == 0);
	big1[CHANGE] = 'A';
	CHECK(strcmp(big1, big2) < 0);
	big1[CHANGE] = 'C';
	CHECK(strcmp(big1, big2) > 0);
}

static void test_strncmp(void)
{
	const char *longer = "Just a string and something else";

	CHECK(strncmp("Hello, KUnit!", "Hello, KUnit!", 13) == 0);
	CHECK(strncmp("Hello, KUnit!", "Hello, Kernel!", 13) < 0);
	CHECK(strncmp("Hello, Kernel!", "Hello, KUnit!", 0) == 0);
	CHECK(strncmp("Abacaba", "Abadaba", 3) == 0);
	CHECK(strncmp("Abacaba", "Abadaba", 4) < 0);
	CHECK(strncmp("Just a string", longer, strlen(longer)) < 0);
	CHECK(strncmp("Just a string", longer, strlen("Just a string")) == 0);
	fill_big('B', 'B');
	CHECK(strncmp(big1, big2, BIG) == 0);
	big1[CHANGE] = 'A';
	CHECK(strncmp(big1, big2, BIG) < 0);
	big1[CHANGE] = 'C';
	CHECK(strncmp(big1, big2, BIG) > 0);
	CHECK(strncmp(big1, big2, CHANGE) == 0);
	CHECK(strncmp(big1, big2, CHANGE + 1) > 0);
}

static void test_strcasecmp(void)
{
	CHECK(strcasecmp("Hello, Kernel!", "HeLLO, KErNeL!") == 0);
	CHECK(strcasecmp("", "") == 0);
	CHECK(strcasecmp("a", "B") < 0);
	CHECK(strcasecmp("B", "a") > 0);
	CHECK(strcasecmp("-+**.1230ghTTT~^", "-+**.1230Ghttt~^") == 0);
	fill_big('b', 'B');
	CHECK(strcasecmp(big1, big2) == 0);
	big1[CHANGE] = 'a';
	CHECK(strcasecmp(big1, big2) < 0);
	big1[CHANGE] = 'C';
	CHECK(strcasecmp(big1, big2) > 0);

	CHECK(strncasecmp("AbAcAbA", "Abacaba", strlen("Abacaba")) == 0);
	CHECK(strncasecmp("AbaCaBa", "abaCaDa", 5) == 0);
	CHECK(strncasecmp("a", "B", 1) < 0);
	CHECK(strncasecmp("B", "a", 1) > 0);
	CHECK(strncasecmp("Abacaba", "Not abacaba", 0) == 0);
	fill_big('b', 'B');
	CHECK(strncasecmp(big1, big2, BIG) == 0);
	big1[CHANGE] = 'a';
	CHECK(strncasecmp(big1, big2, BIG) < 0);
	big1[CHANGE] = 'C';
	CHECK(strncasecmp(big1, big2, BIG) > 0);
	CHECK(strncasecmp(big1, big2, CHANGE) == 0);
	CHECK(strncasecmp(big1, big2, CHANGE + 1) > 0);
}

/*
 * strscpy_pad(buf, @src, @count) into a 6-byte buffer of 'z': returns
 * @expected; the first @chars bytes are @src's, then a NUL at count - 1
 * when @terminator, then @pad zeroes, and the rest still 'z'.
 */
static void scpy_case(const char *src, int count, int expected, int chars, int terminator, int pad)
{
	char buf[6];
	int i, written, idx;

	memset(buf, 'z', sizeof(buf));
	written = (int)strscpy_pad(buf, src, count);
	CHECK_EQ(written, expected);
	if (count && written == -E2BIG) {
		CHECK(strncmp(buf, src, count - 1) == 0);
		CHECK(buf[count - 1] == '\0');
	}
	for (i = 0; i < chars; i++)
		CHECK(buf[i] == src[i]);
	if (terminator)
		CHECK(buf[count - 1] == '\0');
	for (i = 0; i < pad; i++) {
		idx = chars + terminator + i;
		CHECK(buf[idx] == '\0');
	}
	for (i = 0; i < (int)sizeof(buf) - chars - terminator - pad; i++)
		CHECK(buf[sizeof(buf) - 1 - i] == 'z');
}

static void test_strscpy(void)
{
	char dest[8], *p = dest;

	scpy_case("a", 0, -E2BIG, 0, 0, 0);
	scpy_case("", 0, -E2BIG, 0, 0, 0);
	scpy_case("a", 1, -E2BIG, 0, 1, 0);
	scpy_case("", 1, 0, 0, 1, 0);
	scpy_case("ab", 2, -E2BIG, 1, 1, 0);
	scpy_case("a", 2, 1, 1, 1, 0);
	scpy_case("", 2, 0, 0, 1, 1);
	scpy_case("abc", 3, -E2BIG, 2, 1, 0);
	scpy_case("ab", 3, 2, 2, 1, 0);
	scpy_case("a", 3, 1, 1, 1, 1);
	scpy_case("", 3, 0, 0, 1, 2);
	scpy_case("abcd", 4, -E2BIG, 3, 1, 0);
	scpy_case("abc", 4, 3, 3, 1, 0);
	scpy_case("ab", 4, 2, 2, 1, 1);
	scpy_case("a", 4, 1, 1, 1, 2);
	scpy_case("", 4, 0, 0, 1, 3);

	CHECK_EQ(strscpy(dest, "", ARRAY_SIZE(dest)), 0);
	CHECK_EQ(strscpy(dest, "", 3), 0);
	CHECK_EQ(strscpy(dest, "", 1), 0);
	CHECK_EQ(strscpy(dest, "", 0), -E2BIG);
	CHECK_EQ(strscpy(dest, "Fixed", ARRAY_SIZE(dest)), 5);
	CHECK_EQ(strscpy(dest, "Fixed", 3), -E2BIG);
	CHECK_EQ(strscpy(dest, "Fixed", 1), -E2BIG);
	CHECK_EQ(strscpy(dest, "Fixed", 0), -E2BIG);
	CHECK_EQ(strscpy(dest, "This is too long", ARRAY_SIZE(dest)), -E2BIG);
	CHECK(strcmp(dest, "This is") == 0);

	/* The two-argument form takes an array's size. */
	CHECK_EQ(strscpy(dest, "Fixed"), 5);
	CHECK(strcmp(dest, "Fixed") == 0);
	CHECK_EQ(strscpy(dest, "12345678"), -E2BIG);
	CHECK(strcmp(dest, "1234567") == 0);
	memset(dest, 'x', sizeof(dest));
	CHECK_EQ(strscpy_pad(dest, "ab"), 2);
	CHECK(dest[2] == 0 && dest[7] == 0);
	CHECK_EQ(strscpy(p, "ab", 3), 2);
	/* A size past INT_MAX is a caller's bug: -E2BIG, nothing written. */
	dest[0] = 'q';
	CHECK_EQ(strscpy(dest, "x", (size_t)INT_MAX + 1 + unconst), -E2BIG);
	CHECK(dest[0] == 'q');
}

static void test_strcat(void)
{
	char dest[8];

	memset(dest, 0, sizeof(dest));
	CHECK(strcat(dest, "") == dest && strcmp(dest, "") == 0);
	CHECK(strcat(dest, "four\000123") == dest && strcmp(dest, "four") == 0);
	CHECK(dest[5] == '\0');
	CHECK(strcat(dest, "AB") == dest && strcmp(dest, "fourAB") == 0);

	memset(dest, 0, sizeof(dest));
	CHECK(strncat(dest, "", 0 + unconst) == dest && strcmp(dest, "") == 0);
	CHECK(strncat(dest, "", 1 + unconst) == dest && strcmp(dest, "") == 0);
	CHECK(strncat(dest, "asdf", 0 + unconst) == dest && strcmp(dest, "") == 0);
	CHECK(strncat(dest, "four\000123", 8 + unconst) == dest && strcmp(dest, "four") == 0);
	CHECK(dest[5] == '\0' && dest[6] == '\0');
	CHECK(strncat(dest, "ABCD", 2 + unconst) == dest && strcmp(dest, "fourAB") == 0);
}

static void test_strlcat(void)
{
	char dest[8] = "";
	int len = sizeof(dest) + unconst;

	CHECK_EQ(strlcat(dest, "", len), 0);
	CHECK(strcmp(dest, "") == 0);
	/* Size 1: stays terminated, reports the source's length only. */
	CHECK_EQ(strlcat(dest, "four", 1 + unconst), 4);
	CHECK(strcmp(dest, "") == 0);
	memset(dest + 1, 'Z', sizeof(dest) - 1);
	CHECK_EQ(strlcat(dest, "four", len), 4);
	CHECK(strcmp(dest, "four") == 0);
	CHECK(dest[5] == 'Z' && dest[7] == 'Z');	/* nothing written past the NUL */
	CHECK_EQ(strlcat(dest, "AB", len), 6);
	CHECK(strcmp(dest, "fourAB") == 0);
	CHECK_EQ(strlcat(dest, "CD", 7 + unconst), 8);
	CHECK(strcmp(dest, "fourAB") == 0);
	CHECK_EQ(strlcat(dest, "EFG", len), 9);
	CHECK(strcmp(dest, "fourABE") == 0);
	CHECK_EQ(strlcat(dest, "1234", len), 11);
	CHECK(strcmp(dest, "fourABE") == 0);
}

static void test_strtomem(void)
{
	static const char input[sizeof(unsigned long)] = "hi";
	static const char truncate[] = "this is too long";
	struct {
		unsigned long canary1;
		unsigned char output[sizeof(unsigned long)];
		unsigned long canary2;
	} w;
	size_t i;

	memset(&w, 0xff, sizeof(w));
	strtomem(w.output, input);
	CHECK(w.canary1 == ULONG_MAX && w.canary2 == ULONG_MAX);
	CHECK(w.output[0] == 'h' && w.output[1] == 'i');
	for (i = 2; i < sizeof(w.output); i++)
		CHECK(w.output[i] == 0xff);

	memset(&w, 0xff, sizeof(w));
	strtomem(w.output, truncate);
	CHECK(w.canary1 == ULONG_MAX && w.canary2 == ULONG_MAX);
	CHECK(memcmp(w.output, truncate, sizeof(w.output)) == 0);

	memset(&w, 0xff, sizeof(w));
	strtomem_pad(w.output, input, 0xaa);
	CHECK(w.canary1 == ULONG_MAX && w.canary2 == ULONG_MAX);
	CHECK(w.output[0] == 'h' && w.output[1] == 'i');
	for (i = 2; i < sizeof(w.output); i++)
		CHECK(w.output[i] == 0xaa);

	memset(&w, 0xff, sizeof(w));
	strtomem_pad(w.output, truncate, 0xaa);
	CHECK(w.canary1 == ULONG_MAX && w.canary2 == ULONG_MAX);
	CHECK(memcmp(w.output, truncate, sizeof(w.output)) == 0);
}

static void test_memtostr(void)
{
	char nonstring[7] = { 'a', 'b', 'c', 'd', 'e', 'f', 'g' };
	char small[3] = { 'a', 'b', 'c' };
	char dest[sizeof(nonstring) + 1], tiny[3];

	memset(dest, 'X', sizeof(dest));
	memtostr(dest, nonstring);
	CHECK(strcmp(dest, "abcdefg") == 0);
	memset(dest, 'X', sizeof(dest));
	memtostr(dest, small);
	CHECK(strcmp(dest, "abc") == 0 && dest[7] == 'X');
	memset(dest, 'X', sizeof(dest));
	memtostr_pad(dest, nonstring);
	CHECK(strcmp(dest, "abcdefg") == 0);
	memset(dest, 'X', sizeof(dest));
	memtostr_pad(dest, small);
	CHECK(strcmp(dest, "abc") == 0 && dest[4] == '\0' && dest[7] == '\0');
	/* Cut to fit a smaller destination, still terminated. */
	memtostr(tiny, nonstring);
	CHECK(strcmp(tiny, "ab") == 0);

	memset(dest, 'X', sizeof(dest));
	memcpy_and_pad(dest, 5, "abc", 3, '#');
	CHECK(memcmp(dest, "abc##XXX", 8) == 0);
	memset(dest, 'X', sizeof(dest));
	memcpy_and_pad(dest, 2, "abc", 3, '#');	/* only @dest_len bytes written */
	CHECK(memcmp(dest, "abXXXXXX", 8) == 0);
}

static void test_kernel_helpers(void)
{
	static const char * const modes[] = { "off", "on", "auto", NULL, "never" };
	char buf[32];

	{
		const char *hw = "hello world";

		CHECK(strnstr(hw, "wor", 11) == hw + 6);
	}
	CHECK(strnstr("hello world", "wor", 8) == NULL);	/* "wor" ends at byte 9 */
	CHECK(strnstr("hello world", "wor", 9) != NULL);
	CHECK(strnstr("abc", "", 0) != NULL);
	CHECK(strnstr("abc", "abcd", 4) == NULL);	/* @len stays within the buffer, as the kernel asks */
	{
		const char *s = "abc";

		CHECK(strnchrnul(s, 10, 'b') == s + 1);
		CHECK(strnchrnul(s, 10, 'z') == s + 3);
		CHECK(strnchrnul(s, 2, 'z') == s + 2);
	}
	CHECK(strstarts("kernel", "ker") && !strstarts("ker", "kernel") && strstarts("x", ""));
	CHECK_EQ(str_has_prefix("kernel", "ker"), 3);
	CHECK_EQ(str_has_prefix("kernel", "kex"), 0);

	strscpy(buf, "  \t padded \n ");
	CHECK(strcmp(strim(buf), "padded") == 0);
	strscpy(buf, "   ");
	CHECK(strcmp(strim(buf), "") == 0);
	CHECK(strcmp(skip_spaces("\n\t x"), "x") == 0);

	CHECK(sysfs_streq("on", "on\n") && sysfs_streq("on\n", "on") && sysfs_streq("on", "on"));
	CHECK(!sysfs_streq("on", "on\n\n") && !sysfs_streq("on", "o") && !sysfs_streq("o", "on"));
	CHECK_EQ(match_string(modes, ARRAY_SIZE(modes), "auto"), 2);
	CHECK_EQ(match_string(modes, ARRAY_SIZE(modes), "never"), -EINVAL);	/* stops at NULL */
	CHECK_EQ(match_string(modes, ARRAY_SIZE(modes), "auto\n"), -EINVAL);
	CHECK_EQ(sysfs_match_string(modes, "auto\n"), 2);
	CHECK_EQ(sysfs_match_string(modes, "off"), 0);
	CHECK_EQ(sysfs_match_string(modes, "never"), -EINVAL);

	strscpy(buf, "a/b/c");
	CHECK(strreplace(buf, '/', '!') == buf && strcmp(buf, "a!b!c") == 0);
	memset(buf, 7, sizeof(buf));
	CHECK(memchr_inv(buf, 7, sizeof(buf)) == NULL);
	buf[19] = 8;
	CHECK(memchr_inv(buf, 7, sizeof(buf)) == buf + 19);
	CHECK(memchr_inv(buf + 1, 7, 18) == NULL);
	memzero_explicit(buf, sizeof(buf));
	CHECK(mem_is_zero(buf, sizeof(buf)));
}

/*
 * crc32_le() (linux/crc32.h): the standard check value of CRC-32 for
 * "123456789" is 0xcbf43926 when seeded with ~0 and inverted, as zlib and
 * PNG use it; the kernel's form leaves both to the caller, so a chain of
 * calls over the pieces gives the CRC of the whole.
 */
static void test_crc32(void)
{
	static const char check[] = "123456789";
	u32 crc;

	CHECK_EQ(~crc32_le(~0U, check, 9), 0xcbf43926U);
	CHECK_EQ(crc32(~0U, check, 9), 0x340bc6d9U);
	crc = crc32_le(~0U, check, 4);
	CHECK_EQ(crc32_le(crc, check + 4, 5), 0x340bc6d9U);
	CHECK_EQ(crc32_le(0, "", 0), 0U);
	CHECK_EQ(crc32_le(0x1234, check, 0), 0x1234U);
	/* A zero seed over zero bytes stays zero: kmemleak's checksum of a cleared object. */
	CHECK_EQ(crc32_le(0, "\0\0\0\0", 4), 0U);
}

/* memset_after/memset_startat, kbasename, strends, memweight, memcat_p (7.x names). */
struct three_parts {
	int a;
	char b;
	long c;
	char d[5];
};

static void test_more_helpers(void)
{
	struct three_parts t;
	static int one = 1, two = 2, three = 3;
	int *first[] = { &one, NULL }, *second[] = { &two, &three, NULL }, **joined;
	unsigned char bits[37];

	memset(&t, 0xee, sizeof(t));
	memset_after(&t, 0, b);
	CHECK_EQ(t.a, (int)0xeeeeeeee);
	CHECK_EQ((unsigned char)t.b, 0xee);
	CHECK_EQ(t.c, 0);
	CHECK(!memchr_inv((char *)&t + offsetofend(struct three_parts, b), 0,
			  sizeof(t) - offsetofend(struct three_parts, b)));
	memset(&t, 0xee, sizeof(t));
	memset_startat(&t, 0, c);
	CHECK_EQ((unsigned char)t.b, 0xee);
	CHECK(!memchr_inv(&t.c, 0, sizeof(t) - offsetof(struct three_parts, c)));

	CHECK_STR_EQ(kbasename("/usr/lib/libukmem.so"), "libukmem.so");
	CHECK_STR_EQ(kbasename("plain"), "plain");
	CHECK_STR_EQ(kbasename("dir/"), "");
	CHECK(strends("vmalloc.c", ".c"));
	CHECK(strends("x", ""));
	CHECK(!strends(".c", "vmalloc.c"));
	CHECK(!strends("vmalloc.h", ".c"));

	memset(bits, 0, sizeof(bits));
	CHECK_EQ(memweight(bits, sizeof(bits)), 0);
	bits[0] = 0x81;
	bits[9] = 0xff;
	bits[36] = 0x10;
	CHECK_EQ(memweight(bits, sizeof(bits)), 11);
	CHECK_EQ(memweight(bits + 1, 35), 8);	/* unaligned start, words, bytes */

	joined = memcat_p(first, second);
	CHECK(joined != NULL);
	if (joined) {
		CHECK(joined[0] == &one && joined[1] == &two && joined[2] == &three);
		CHECK(joined[3] == NULL);
		kfree(joined);
	}
}

int main(void)
{
	KTEST_RUN(KTEST(test_more_helpers), KTEST(test_memset16), KTEST(test_memset32), KTEST(test_memset64),
		  KTEST(test_strchr), KTEST(test_strnchr), KTEST(test_strspn), KTEST(test_strcmp),
		  KTEST(test_strncmp), KTEST(test_strcasecmp), KTEST(test_strscpy),
		  KTEST(test_strcat), KTEST(test_strlcat), KTEST(test_strtomem),
		  KTEST(test_memtostr), KTEST(test_kernel_helpers), KTEST(test_crc32));
}
