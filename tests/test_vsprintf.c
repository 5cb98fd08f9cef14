/* SPDX-License-Identifier: MIT */
/*
 * lib/vsprintf.c against the kernel's own expectations (the cases of
 * lib/tests/printf_kunit.c: test_basic, test_number, test_string) and,
 * where the kernel's printf and C's agree, against the C library's
 * snprintf() over a grid of flags, widths, precisions, lengths and
 * values.  Where they do not agree, the kernel's answer is checked:
 * 0 always prints a digit, '0' pads even with a precision, '#' writes its
 * prefix before the zeros, "." alone is no precision and a negative one
 * from '*' is 0, and %n or an unknown conversion warns once and ends the
 * output.  Truncation (the return value counts what did not fit) and the
 * scnprintf() family are checked too.
 */
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <linux/err.h>
#include <linux/kernel.h>
#include <linux/printk.h>
#include <ukmem/debug.h>

#include "ktest.h"

/* Formats @fmt into a buffer of @size bytes; checks the text, the return value and the NUL. */
static void expect_fmt(int line, const char *want, size_t want_len, size_t size, const char *fmt,
		       ...)
{
	char buf[256];
	va_list ap;
	int ret;

	memset(buf, 0x5a, sizeof(buf));
	va_start(ap, fmt);
	ret = kvsnprintf(buf, size, fmt, ap);
	va_end(ap);
	if (ret != (int)want_len || (size && memcmp(buf, want, min(want_len, size - 1))) ||
	    (size && buf[min(want_len, size - 1)] != '\0') || buf[size] != 0x5a) {
		fprintf(stderr, "line %d: \"%s\" gave %d \"%.*s\", want %zu \"%s\"\n", line, fmt,
			ret, size ? (int)min((size_t)ret, size - 1) : 0, buf, want_len, want);
		ktest_failures++;
	}
}

#define expect(want, fmt, ...)							\
	expect_fmt(__LINE__, want, strlen(want), 200, fmt, ##__VA_ARGS__)

#pragma GCC diagnostic ignored "-Wformat"
#pragma GCC diagnostic ignored "-Wformat-extra-args"
#pragma GCC diagnostic ignored "-Wformat-zero-length"
#pragma GCC diagnostic ignored "-Wformat-overflow"

/* printf_kunit.c's test_basic. */
static void test_basic(void)
{
	expect("", "");
	expect("100%", "100%%");
	expect("xxx%yyy", "xxx%cyyy", '%');
	/* A NUL character is written and counted like any other. */
	expect_fmt(__LINE__, "xxx\0yyy", 7, 200, "xxx%cyyy", '\0');
}

/* printf_kunit.c's test_number. */
static void test_number(void)
{
	expect("0x1234abcd  ", "%#-12x", 0x1234abcd);
	expect("  0x1234abcd", "%#12x", 0x1234abcd);
	expect("0|001| 12|+123| 1234|-123|-1234", "%d|%03d|%3d|%+d|% d|%+d|% d", 0, 1, 12, 123,
	       1234, -123, -1234);
	expect("0|1|1|128|255", "%hhu|%hhu|%hhu|%hhu|%hhu", 0, 1, 257, 128, -1);
	expect("0|1|1|-128|-1", "%hhd|%hhd|%hhd|%hhd|%hhd", 0, 1, 257, 128, -1);
	expect("2015122420151225", "%ho%ho%#ho", 1037, 5282, -11627);
	/* The kernel prints a digit for 0 even with a precision of 0 (C prints none). */
	expect("00|0|0|0|0", "%.2d|%.1d|%.0d|%.*d|%1.0d", 0, 0, 0, 0, 0, 0);
}

/* printf_kunit.c's test_string. */
static void test_string(void)
{
	expect("", "%s%.0s", "", "123");
	expect("ABCD|abc|123", "%s|%.3s|%.*s", "ABCD", "abcdef", 3, "123456");
	expect("1  |  2|3  |  4|5  ", "%-3s|%3s|%-*s|%*s|%*s", "1", "2", 3, "3", 3, "4", -3, "5");
	expect("1234      ", "%-10.4s", "123456");
	expect("      1234", "%10.4s", "123456");
	/* A negative precision from '*' is 0; "." alone is no precision. */
	expect("    ", "%4.*s", -5, "123456");
	expect("123456", "%.s", "123456");
	expect("a||", "%.s|%.0s|%.*s", "a", "b", 0, "c");
	expect("a  |   |   ", "%-3.s|%-3.0s|%-3.*s", "a", "b", 0, "c");
}

/* Where the kernel's number() is not C's printf. */
static void test_number_kernel_rules(void)
{
	/* '#' in hex: "0x" also for 0, and before the zero padding. */
	expect("0x0|0X0|0x00|0x000000ff|  0xff", "%#x|%#X|%#04x|%#010x|%#6x", 0, 0, 0, 255, 255);
	/* '0' pads even when a precision is given. */
	expect("00001|-0001|0x00ff", "%05.3d|%05.3d|%#06.3x", 1, -1, 255);
	/* '#' in octal: a "0" before the digits (C instead raises the precision). */
	expect("010|0|0010|00|   017", "%#o|%#o|%#.3o|%#.2o|%#6o", 8, 0, 8, 0, 15);
	/* '-' wins over '0'. */
	expect("5    |-5   |0x5  ", "%-05d|%-05d|%-#05x", 5, -5, 5);
	/* The extreme values of every length. */
	expect("-9223372036854775808|18446744073709551615|-2147483648|4294967295",
	       "%lld|%llu|%d|%u", LLONG_MIN, ULLONG_MAX, INT_MIN, UINT_MAX);
	expect("-32768|65535|-128|255|ffffffffffffffff|1777777777777777777777",
	       "%hd|%hu|%hhd|%Hu|%lx|%llo", 32768, -1, 128, -1, -1L, -1LL);
	expect("-1|18446744073709551615|-3|7", "%zd|%zu|%td|%lu", (ssize_t)-1, (size_t)-1,
	       (ptrdiff_t)-3, 7UL);
	expect("+0| 0|+7| 7|-7", "%+d|% d|%+d|% d|% d", 0, 0, 7, 7, -7);
	/* '+' and ' ' are for signed conversions only. */
	expect("7|7|7", "%+u|% x|%+o", 7, 7, 7);
}

/* Strings, characters and pointers that cannot be followed. */
static void test_string_kernel_rules(void)
{
	expect("(null)|(efault)|(efault)", "%s|%s|%s", (char *)NULL, (char *)16,
	       (char *)(uintptr_t)-5);
	expect("  (null)|(nu|(null)  ", "%8s|%.3s|%-8s", (char *)NULL, (char *)NULL, (char *)NULL);
	expect("  x|y  |z", "%3c|%-3c|%c", 'x', 'y', 'z');
	/* %pe of an error pointer: its number. */
	expect("-12|-4095", "%pe|%pe", (void *)(intptr_t)-12, (void *)(intptr_t)-4095);
}

/* %pE: printf_kunit.c's cases, and string_escape_mem()'s classes and order. */
static void test_escaped_string(void)
{
	static const char s[] = "a\tb\\c\x01\xe9\x85\0\"z";	/* 11 bytes and the NUL */

	expect("(null)|(efault)|(efault)", "%pE|%pE|%pE", NULL, ERR_PTR(-11), (void *)16);
	/* Printables as they are (Latin-1's too, as the kernel's ctype), then \t, \ooo, \0. */
	expect_fmt(__LINE__, "a\\tb\\c\\001\xe9\\205\\0\"z\\0", 21, 200, "%*pE", 12, s);
	expect("\\x61\\x09\\x62\\x5c", "%*pEh", 4, s);
	expect("\\141\\011\\142\\134", "%*pEo", 4, s);
	/* 's' and 'c' only: \t and \\ escaped, the rest (even \x01) as it is. */
	expect_fmt(__LINE__, "a\\tb\\\\c\x01", 8, 200, "%*pEsc", 6, s);
	/* One byte without a width; none with a width of 0, bad pointer or not. */
	expect("x||", "%pE|%*pE|%*pE", "xy", 0, "xy", 0, (void *)16);
}

/* %n, an unknown conversion and a lone '%' end the output, with one warning. */
static void test_invalid_conversions(void)
{
	unsigned long warns = ukmem_warn_count();
	int n = 12345;

	expect("abc", "abc%ndef", &n);
	CHECK_EQ(n, 12345);
	expect("abc", "abc%ydef", 1);
	expect("abc", "abc%");
	/* WARN_ONCE: the first of them warned, the others did not. */
	CHECK_EQ(ukmem_warn_count(), warns + 1);
}

/* Widths and precisions past the kernel's limits are clamped, once warned about. */
static void test_limits(void)
{
	char big[8];
	int ret;

	ret = ksnprintf(big, sizeof(big), "%*d", 1 << 24, 1);
	CHECK_EQ(ret, (1 << 23) - 1);
	CHECK_STR_EQ(big, "       ");
	ret = ksnprintf(big, sizeof(big), "%.*d", 1 << 16, 1);
	CHECK_EQ(ret, (1 << 15) - 1);
	CHECK_STR_EQ(big, "0000000");
	ret = ksnprintf(big, sizeof(big), "%*d", INT_MIN, 1);
	CHECK_EQ(ret, (1 << 23) - 1);
	CHECK_STR_EQ(big, "1      ");
}

/* The return value counts the whole output; the buffer holds what fits, NUL-terminated. */
static void test_truncation(void)
{
	char buf[8];

	expect_fmt(__LINE__, "-1234567890", 11, 5, "%d", -1234567890);
	expect_fmt(__LINE__, "0x00ff", 6, 3, "%#06x", 255);
	expect_fmt(__LINE__, "abcdef", 6, 1, "%s", "abcdef");
	expect_fmt(__LINE__, "abcdef", 6, 0, "%s", "abcdef");
	CHECK_EQ(scnprintf(buf, sizeof(buf), "%s-%d", "abcdef", 1234), 7);
	CHECK_STR_EQ(buf, "abcdef-");
	CHECK_EQ(scnprintf(buf, 0, "%d", 5), 0);
	CHECK_EQ(scnprintf(buf, sizeof(buf), "%u", 42), 2);
	CHECK_STR_EQ(buf, "42");
}

/*
 * A grid of conversions on which the kernel and C agree, checked against
 * the C library: flags without '#', no precision together with '0', and
 * no value 0 with a precision of 0.
 */
static void test_against_libc(void)
{
	static const char *const flag_sets[] = { "", "-", "+", " ", "0", "-+", "+0", " 0", "- " };
	static const char *const lengths[] = { "hh", "h", "", "l", "ll", "z" };
	static const char convs[] = "diuxXo";
	static const long long values[] = {
		0, 1, -1, 7, -7, 42, 255, 256, -255, 65535, 65536, INT_MAX, INT_MIN,
		(long long)UINT_MAX, LLONG_MAX, LLONG_MIN, 0x123456789abcdefLL, -1000000007LL,
	};
	static const int widths[] = { -1, 0, 1, 5, 12, 25 };
	static const int precisions[] = { -1, 0, 1, 3, 10, 22 };
	unsigned long checked = 0;

	for (size_t f = 0; f < ARRAY_SIZE(flag_sets); f++)
	for (size_t l = 0; l < ARRAY_SIZE(lengths); l++)
	for (size_t c = 0; c < sizeof(convs) - 1; c++)
	for (size_t w = 0; w < ARRAY_SIZE(widths); w++)
	for (size_t p = 0; p < ARRAY_SIZE(precisions); p++)
	for (size_t v = 0; v < ARRAY_SIZE(values); v++) {
		char fmt[32], want[128], got[128];
		char *q = fmt;
		long long val = values[v];
		int wret, gret;

		if (strchr(flag_sets[f], '0') && precisions[p] >= 0)
			continue;	/* the kernel pads with zeros, C with spaces */
		/* The value as the length truncates it. */
		unsigned long long shown = l == 0 ? (unsigned char)(int)val :
					   l == 1 ? (unsigned short)(int)val :
					   l == 2 ? (unsigned int)(int)val : (unsigned long long)val;

		if (precisions[p] == 0 && !shown)
			continue;	/* the kernel prints "0", C nothing */
		*q++ = '%';
		q += sprintf(q, "%s", flag_sets[f]);
		if (widths[w] >= 0)
			q += sprintf(q, "%d", widths[w]);
		if (precisions[p] >= 0)
			q += sprintf(q, ".%d", precisions[p]);
		sprintf(q, "%s%c", lengths[l], convs[c]);

		switch (l) {
		case 0: case 1: case 2:
			wret = snprintf(want, sizeof(want), fmt, (int)val);
			gret = ksnprintf(got, sizeof(got), fmt, (int)val);
			break;
		case 3:
			wret = snprintf(want, sizeof(want), fmt, (long)val);
			gret = ksnprintf(got, sizeof(got), fmt, (long)val);
			break;
		case 4:
			wret = snprintf(want, sizeof(want), fmt, val);
			gret = ksnprintf(got, sizeof(got), fmt, val);
			break;
		default:
			wret = snprintf(want, sizeof(want), fmt, (size_t)val);
			gret = ksnprintf(got, sizeof(got), fmt, (size_t)val);
			break;
		}
		checked++;
		if (wret != gret || strcmp(want, got)) {
			if (ktest_failures < 20)
				fprintf(stderr, "\"%s\" of %lld: \"%s\" (%d), C gives \"%s\" (%d)\n",
					fmt, val, got, gret, want, wret);
			ktest_failures++;
		}
	}
	CHECK(checked > 50000);

	/* Strings and characters with widths and precisions. */
	for (int w = -1; w < 12; w++)
	for (int p = -1; p < 9; p++)
	for (int left = 0; left < 2; left++) {
		static const char *const strs[] = { "", "a", "hello", "0123456789abcdef" };
		char fmt[32], want[64], got[64];

		for (size_t i = 0; i < ARRAY_SIZE(strs); i++) {
			int n = sprintf(fmt, "%%%s", left ? "-" : "");

			if (w >= 0)
				n += sprintf(fmt + n, "%d", w);
			if (p >= 0)
				n += sprintf(fmt + n, ".%d", p);
			strcpy(fmt + n, "s|");
			n = snprintf(want, sizeof(want), fmt, strs[i]);
			if (ksnprintf(got, sizeof(got), fmt, strs[i]) != n || strcmp(want, got)) {
				fprintf(stderr, "\"%s\" of \"%s\": \"%s\", C gives \"%s\"\n", fmt,
					strs[i], got, want);
				ktest_failures++;
			}
		}
		if (p < 0) {
			sprintf(fmt, left ? "%%-%dc|" : "%%%dc|", w < 0 ? 0 : w);
			snprintf(want, sizeof(want), fmt, 'q');
			ksnprintf(got, sizeof(got), fmt, 'q');
			CHECK_STR_EQ(got, want);
		}
	}
}

/* Floating point, which the kernel lacks: a ukmem extension, handed to the C library. */
static void test_floating_point_extension(void)
{
	expect("3.14|  2.50|1e+03", "%.2f|%6.2f|%.0e", 3.14159, 2.5, 1000.0);
}

int main(void)
{
	KTEST_RUN(KTEST(test_basic), KTEST(test_number), KTEST(test_string),
		  KTEST(test_number_kernel_rules), KTEST(test_string_kernel_rules),
		  KTEST(test_escaped_string), KTEST(test_invalid_conversions), KTEST(test_limits), KTEST(test_truncation),
		  KTEST(test_against_libc), KTEST(test_floating_point_extension));
}
