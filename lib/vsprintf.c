/* SPDX-License-Identifier: MIT */
/*
 * lib/vsprintf.c - the kernel's printf: kvsnprintf(), ksnprintf(),
 * scnprintf() and vscnprintf() (lib/vsprintf.c in the kernel).
 *
 * The format is walked one conversion at a time.  Integers, strings and
 * characters are formatted here, with the kernel's rules where they are
 * not C's (lib/vsprintf.c: number(), string(), format_decode()):
 *
 *   - an integer of 0 always prints a digit, even with a precision of 0;
 *   - the '0' flag pads with zeros even when a precision is given;
 *   - '#' writes a "0" (octal, not for 0) or "0x"/"0X" (hex, also for 0:
 *     "%#x" of 0 is "0x0") before the zero padding;
 *   - a precision written as '.' alone means none, and a negative one
 *     from '*' means 0 (C says the opposite of both);
 *   - widths are clamped to 2^23 - 1 and precisions to 2^15 - 1, with
 *     the kernel's one-time warnings;
 *   - %n and unknown conversions warn once and end the output.
 *
 * Floating point (e f g a, which the kernel does not have) is handed to
 * the C library's snprintf(); it is a ukmem extension for its own tools.
 * The kernel's pointer extensions are done here too:
 *
 *   %pS	symbol+0xoff/0xsize [module]	%ps	symbol [module] only
 *   %pB	as %pS for a return address (the call before it is looked up)
 *   %p %px %pK	the pointer as 16 lower-case hex digits, no "0x" (ukmem does
 *		not hash pointers: there is no kernel address to hide)
 *   %pa[p] %pad	*(phys_addr_t *) / *(dma_addr_t *) as 0x%016llx
 *   %pV	struct va_format *, formatted recursively
 *   %pGg %pGp	gfp flag names / page flags (mm/debug.c does the decoding)
 *   %*pb[l]	a bitmap of width bits, as hex words or as a range list
 *   %*ph	a small buffer as hex bytes ("%*phC": ':', "D": '-', "N": none)
 *   %*pE[achnops]	a buffer with its unprintable bytes escaped, as
 *		string_escape_mem() does (\n \t ... \\ \" \0 \ooo \xHH)
 *   %pe	an error pointer as its number
 *
 * As in the kernel, every alphanumeric character after %p belongs to the
 * pointer extension, and a NULL string, or one below the first page or
 * in the error range, prints "(null)" or "(efault)" (at most 16 bytes of
 * it unless a precision says otherwise), as does a dereferencing
 * extension given such a pointer.
 *
 * Nothing here allocates: all output goes into the caller's buffer and the
 * scratch space is on the stack, so printk() is usable from report paths
 * and from inside the allocator.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/types.h>

#include <linux/bug.h>
#include <linux/err.h>
#include <linux/kallsyms.h>
#include <linux/printk.h>
#include "mm/internal.h"
#include "arch/host.h"

/* The output cursor: len counts every byte, written or not. */
struct outbuf {
	char *buf;
	size_t size;
	size_t len;
};

static inline size_t out_room(const struct outbuf *o)
{
	return o->len < o->size ? o->size - o->len : 0;
}

static inline char *out_pos(const struct outbuf *o)
{
	return out_room(o) ? o->buf + o->len : NULL;
}

static void out_char(struct outbuf *o, char c)
{
	if (o->len < o->size)
		o->buf[o->len] = c;
	o->len++;
}

static void out_mem(struct outbuf *o, const char *s, size_t n)
{
	size_t room = out_room(o);

	if (room)
		memcpy(o->buf + o->len, s, n < room ? n : room);
	o->len += n;
}

static void out_fill(struct outbuf *o, char c, int n)
{
	while (n-- > 0)
		out_char(o, c);
}

/* Account for what a helper wrote with snprintf semantics (ret = full length). */
static void out_advance(struct outbuf *o, int ret)
{
	if (ret > 0)
		o->len += (size_t)ret;
}

/* One parsed conversion specification. */
struct fmt_spec {
	bool left;		/* '-' */
	bool plus;		/* '+' */
	bool space;		/* ' ' */
	bool alt;		/* '#' */
	bool zero;		/* '0' */
	int width;		/* -1: none */
	int precision;		/* -1: none */
	char len;		/* length: 'H' hh, 'h', 'l', 'L' ll, 'z', 't', 'j'; 0 none */
	char conv;
};

/* set_field_width() and set_precision(): larger values are clamped, with a warning. */
#define FIELD_WIDTH_MAX	((1 << 23) - 1)
#define PRECISION_MAX	((1 << 15) - 1)

static const char hex_lower[] = "0123456789abcdef";
static const char hex_upper[] = "0123456789ABCDEF";

/* The digits of @v in @base (8, 10 or 16), least significant first; how many. */
static int reversed_digits(char *tmp, unsigned long long v, unsigned int base,
			   const char *digits)
{
	int n = 0;

	do {
		tmp[n++] = digits[v % base];
		v /= base;
	} while (v);
	return n;
}

static void out_reversed(struct outbuf *o, const char *tmp, int n)
{
	while (n > 0)
		out_char(o, tmp[--n]);
}

/* A plain signed decimal, as "%lld" prints it. */
static void put_dec(struct outbuf *o, long long v)
{
	char tmp[24];

	if (v < 0)
		out_char(o, '-');
	out_reversed(o, tmp, reversed_digits(tmp, v < 0 ? 0 - (unsigned long long)v :
					       (unsigned long long)v, 10, hex_lower));
}

/* Rebuild "%<flags><width>.<prec><len><conv>" for the C library (floating point only). */
static void spec_string(const struct fmt_spec *s, char *p, const char *len,
			char conv, bool alt)
{
	*p++ = '%';
	if (s->left)
		*p++ = '-';
	if (s->plus)
		*p++ = '+';
	if (s->space)
		*p++ = ' ';
	if (alt)
		*p++ = '#';
	if (s->zero)
		*p++ = '0';
	if (s->width >= 0)
		p += sprintf(p, "%d", s->width);
	if (s->precision >= 0)
		p += sprintf(p, ".%d", s->precision);
	while (*len)
		*p++ = *len++;
	*p++ = conv;
	*p = '\0';
}

static int clamp_width(int width)
{
	int clamped = clamp(width, -FIELD_WIDTH_MAX, FIELD_WIDTH_MAX);

	WARN_ONCE(clamped != width, "field width %d out of range", width);
	return clamped;
}

static int clamp_precision(int precision)
{
	int clamped = clamp(precision, 0, PRECISION_MAX);

	WARN_ONCE(clamped < precision, "precision %d too large", precision);
	return clamped;
}

static int skip_atoi(const char **s)
{
	int i = 0;

	while (**s >= '0' && **s <= '9') {
		if (i < 100000000)
			i = i * 10 + (*((*s)++) - '0');
		else
			(*s)++;
	}
	return i;
}

static inline bool is_alnum(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
	       (c >= 'A' && c <= 'Z');
}

/*
 * A string: at most precision bytes of it (none given: all), padded with
 * spaces to the width (string_nocheck() and widen_string()).
 */
static void put_string(struct outbuf *o, const struct fmt_spec *s, const char *str)
{
	size_t len = s->precision < 0 ? strlen(str) : strnlen(str, (size_t)s->precision);
	int pad = s->width >= 0 && len < (size_t)s->width ? s->width - (int)len : 0;

	if (!s->left)
		out_fill(o, ' ', pad);
	out_mem(o, str, len);
	if (s->left)
		out_fill(o, ' ', pad);
}

/* error_string(): a message for a pointer that cannot be followed, 16 bytes at most by default. */
static void put_error_string(struct outbuf *o, const struct fmt_spec *s, const char *msg)
{
	struct fmt_spec t = *s;

	if (t.precision < 0)
		t.precision = 2 * (int)sizeof(void *);
	put_string(o, &t, msg);
}

/* check_pointer_msg(): NULL, the first page and the error range cannot be followed. */
static const char *bad_pointer_msg(const void *ptr)
{
	if (!ptr)
		return "(null)";
	if ((unsigned long)ptr < 4096 || IS_ERR_VALUE(ptr))
		return "(efault)";
	return NULL;
}

/*
 * An unsigned hex number the kernel's way: field width and zero padding as
 * given, "0x" prefix counted in the width when 'prefix' is set.
 */
static void put_hex(struct outbuf *o, unsigned long long v, int width,
		    bool zeropad, bool left, bool prefix)
{
	char digits[24];
	int n = reversed_digits(digits, v, 16, hex_lower);
	int pad = width - n - (prefix ? 2 : 0);

	if (!left && !zeropad)
		out_fill(o, ' ', pad);
	if (prefix)
		out_mem(o, "0x", 2);
	if (!left && zeropad)
		out_fill(o, '0', pad);
	out_reversed(o, digits, n);
	if (left)
		out_fill(o, ' ', pad);
}

/* The kernel's plain pointer: 16 zero-padded digits unless a width is given. */
static void put_pointer(struct outbuf *o, const struct fmt_spec *s, const void *ptr)
{
	if (s->width < 0)
		put_hex(o, (unsigned long)ptr, 16, true, false, false);
	else
		put_hex(o, (unsigned long)ptr, s->width, s->zero, s->left, false);
}

/* check_pointer(): what the kernel prints for a bad pointer it must follow. */
static bool bad_pointer(struct outbuf *o, const struct fmt_spec *s, const void *ptr)
{
	const char *msg = bad_pointer_msg(ptr);

	if (msg)
		put_error_string(o, s, msg);
	return msg;
}

/* %pS, %pB, %ps: kernel/kallsyms.c. */
static void put_symbol(struct outbuf *o, const struct fmt_spec *s,
		       const void *ptr, char how)
{
	char sym[KSYM_SYMBOL_LEN];

	if (how == 'B')
		sprint_backtrace(sym, (unsigned long)ptr);
	else if (how == 's')
		sprint_symbol_no_offset(sym, (unsigned long)ptr);
	else
		sprint_symbol(sym, (unsigned long)ptr);
	put_string(o, s, sym);
}

static unsigned long bitmap_chunk(const unsigned long *bitmap, int bit, int nbits)
{
	unsigned long word = bitmap[bit / BITS_PER_LONG] >> (bit % BITS_PER_LONG);
	unsigned long mask = nbits >= BITS_PER_LONG ? ~0UL : (1UL << nbits) - 1;

	return word & mask;
}

static bool test_bitmap_bit(const unsigned long *bitmap, int bit)
{
	return (bitmap[bit / BITS_PER_LONG] >> (bit % BITS_PER_LONG)) & 1;
}

/* %*pb: 32-bit hex chunks, most significant first, comma separated. */
static void put_bitmap_hex(struct outbuf *o, const unsigned long *bitmap, int nr_bits)
{
	int chunksz = nr_bits & 31;
	int i;
	bool first = true;

	if (!chunksz)
		chunksz = 32;
	for (i = (int)ALIGN((unsigned int)nr_bits, 32U) - 32; i >= 0; i -= 32) {
		unsigned long val = bitmap_chunk(bitmap, i, chunksz);

		if (!first)
			out_char(o, ',');
		first = false;
		put_hex(o, val, DIV_ROUND_UP(chunksz, 4), true, false, false);
		chunksz = 32;
	}
}

/* %*pbl: ranges of set bits, "0-3,5,8-9". */
static void put_bitmap_list(struct outbuf *o, const unsigned long *bitmap, int nr_bits)
{
	bool first = true;
	int cur = 0;

	while (cur < nr_bits) {
		int start, end;

		if (!test_bitmap_bit(bitmap, cur)) {
			cur++;
			continue;
		}
		start = cur;
		while (cur + 1 < nr_bits && test_bitmap_bit(bitmap, cur + 1))
			cur++;
		end = cur++;
		if (!first)
			out_char(o, ',');
		first = false;
		put_dec(o, start);
		if (end > start) {
			out_char(o, '-');
			put_dec(o, end);
		}
	}
}

/* %*ph: up to 64 bytes as hex pairs. */
static void put_hex_string(struct outbuf *o, const struct fmt_spec *s,
			   const unsigned char *addr, char how)
{
	static const char hex[] = "0123456789abcdef";
	char sep = how == 'C' ? ':' : how == 'D' ? '-' : how == 'N' ? 0 : ' ';
	int len = s->width < 0 ? 1 : s->width;
	int i;

	if (len > 64)
		len = 64;
	for (i = 0; i < len; i++) {
		if (i && sep)
			out_char(o, sep);
		out_char(o, hex[addr[i] >> 4]);
		out_char(o, hex[addr[i] & 15]);
	}
}

/* %pE's classes (string_helpers.h ESCAPE_*), as its letters after the E pick them. */
enum {
	ESC_SPACE = 1, ESC_SPECIAL = 2, ESC_NULL = 4, ESC_OCTAL = 8, ESC_NP = 16, ESC_HEX = 32,
	ESC_ANY = ESC_SPACE | ESC_SPECIAL | ESC_NULL | ESC_OCTAL,
};

/* The kernel's isprint(): its ctype counts Latin-1's 160-255 as printable. */
static inline bool kernel_isprint(unsigned char c)
{
	return (c >= 32 && c < 127) || c >= 160;
}

/*
 * %*pE[achnops]: @s->width bytes (1 without a width, none with 0), each
 * written as string_escape_mem() writes it: a printable one as it is under
 * 'p'; else the first class that takes it, in the kernel's order: 's'
 * (\n \r \t \v \f), 'c' (\\ \a \e \"), 'n' (\0), 'o' (\ooo), 'h'
 * (\xHH); else as it is.  No letter: all but 'h', printables as they are.
 */
static void put_escaped(struct outbuf *o, const struct fmt_spec *s, const char *fmt,
			const unsigned char *addr)
{
	static const char from[] = "\n\r\t\v\f\\\a\e\"";
	static const char to[] = "nrtvf\\ae\"";
	unsigned int flags = 0;
	int len = s->width < 0 ? 1 : s->width;

	for (;; fmt++) {
		const char *f = strchr("scnopha", *fmt);

		if (!*fmt || !f)
			break;
		flags |= (unsigned int[]){ ESC_SPACE, ESC_SPECIAL, ESC_NULL, ESC_OCTAL, ESC_NP,
					   ESC_HEX, ESC_ANY }[f - "scnopha"];
	}
	if (!flags)
		flags = ESC_ANY | ESC_NP;
	if (!len)
		return;		/* nothing to print: the pointer is not looked at */
	if (bad_pointer(o, s, addr))
		return;
	for (int i = 0; i < len; i++) {
		unsigned char c = addr[i];
		const char *e = c ? strchr(from, c) : NULL;
		bool space = e && e - from < 5;

		if ((flags & ESC_NP) && kernel_isprint(c)) {
			out_char(o, (char)c);
		} else if (e && (flags & (space ? ESC_SPACE : ESC_SPECIAL))) {
			out_char(o, '\\');
			out_char(o, to[e - from]);
		} else if (!c && (flags & ESC_NULL)) {
			out_mem(o, "\\0", 2);
		} else if (flags & ESC_OCTAL) {
			out_char(o, '\\');
			out_char(o, (char)('0' + (c >> 6)));
			out_char(o, (char)('0' + ((c >> 3) & 7)));
			out_char(o, (char)('0' + (c & 7)));
		} else if (flags & ESC_HEX) {
			out_mem(o, "\\x", 2);
			out_char(o, hex_lower[c >> 4]);
			out_char(o, hex_lower[c & 15]);
		} else {
			out_char(o, (char)c);
		}
	}
}

/*
 * The %p extensions.  fmt points just after the 'p'; returns where the
 * format resumes: past every alphanumeric character, as the kernel does.
 */
static const char *put_pointer_ext(struct outbuf *o, const struct fmt_spec *s,
				   const char *fmt, void *ptr)
{
	const char *end = fmt;

	while (is_alnum(*end))
		end++;

	switch (*fmt) {
	case 'S':
	case 'B':
	case 's':
		/* 'b' after it (the build id) and 'R' are accepted and ignored. */
		put_symbol(o, s, ptr, *fmt);
		break;
	case 'a': {
		/* %pa / %pap: phys_addr_t *, %pad: dma_addr_t *. */
		unsigned long long v;

		if (bad_pointer(o, s, ptr))
			break;
		if (fmt[1] == 'd')
			v = *(const dma_addr_t *)ptr;
		else
			v = *(const phys_addr_t *)ptr;
		put_hex(o, v, 2 + 2 * (int)sizeof(phys_addr_t), true, false, true);
		break;
	}
	case 'V': {
		struct va_format *vaf = ptr;
		va_list va;

		if (bad_pointer(o, s, ptr))
			break;
		va_copy(va, *vaf->va);
		out_advance(o, kvsnprintf(out_pos(o), out_room(o), vaf->fmt, va));
		va_end(va);
		break;
	}
	case 'G':
		if (bad_pointer(o, s, ptr))
			break;
		if (fmt[1] == 'g')
			out_advance(o, format_gfp_flags(out_pos(o), out_room(o),
							*(const gfp_t *)ptr));
		else if (fmt[1] == 'p')
			out_advance(o, format_page_flags(out_pos(o), out_room(o),
							 *(const unsigned long *)ptr));
		else if (fmt[1] == 'v' && *(const unsigned long *)ptr)
			/* No VMA flag names in ukmem: the bits, as "%#lx". */
			put_hex(o, *(const unsigned long *)ptr, 0, false, false, true);
		else if (fmt[1] != 'v')
			put_string(o, s, "(einval)");
		break;
	case 'b':
		if (bad_pointer(o, s, ptr))
			break;
		if (fmt[1] == 'l')
			put_bitmap_list(o, ptr, s->width < 0 ? 0 : s->width);
		else
			put_bitmap_hex(o, ptr, s->width < 0 ? 0 : s->width);
		break;
	case 'h':
		if (bad_pointer(o, s, ptr))
			break;
		put_hex_string(o, s, ptr, fmt[1]);
		break;
	case 'E':
		put_escaped(o, s, fmt + 1, ptr);
		break;
	case 'e':
		/* No symbolic errno names (CONFIG_SYMBOLIC_ERRNAME=n): the number. */
		if ((unsigned long)ptr >= (unsigned long)-4095)
			put_dec(o, (long)ptr);
		else
			put_pointer(o, s, ptr);
		break;
	default:
		/* %p, %px, %pK and the extensions ukmem has no use for. */
		put_pointer(o, s, ptr);
		break;
	}
	return end;
}

/*
 * An integer the kernel's way (number()): the sign or a space, the '#'
 * prefix, zeros to the precision (at least one digit, also for 0), the
 * width padded with spaces, or with zeros under '0' even with a precision.
 */
static void put_number(struct outbuf *o, const struct fmt_spec *s, unsigned long long num,
		       bool is_signed)
{
	unsigned int base = s->conv == 'o' ? 8 : (s->conv == 'x' || s->conv == 'X') ? 16 : 10;
	bool prefix = s->alt && base != 10, is_zero = !num;
	bool zeropad = s->zero && !s->left;
	int width = s->width, precision = s->precision, n;
	char tmp[24], sign = 0;

	if (is_signed && (long long)num < 0) {
		sign = '-';
		num = 0 - num;
	} else if (is_signed && s->plus) {
		sign = '+';
	} else if (is_signed && s->space) {
		sign = ' ';
	}
	if (sign)
		width--;
	if (prefix)
		width -= base == 16 ? 2 : !is_zero;
	n = reversed_digits(tmp, num, base, s->conv == 'X' ? hex_upper : hex_lower);
	if (precision < n)
		precision = n;
	width -= precision;
	if (!s->left && !zeropad)
		out_fill(o, ' ', width);
	if (sign)
		out_char(o, sign);
	if (prefix && (base == 16 || !is_zero))
		out_char(o, '0');
	if (prefix && base == 16)
		out_char(o, s->conv);
	if (zeropad)
		out_fill(o, '0', width);
	out_fill(o, '0', precision - n);
	out_reversed(o, tmp, n);
	if (s->left)
		out_fill(o, ' ', width);
}

/* Integer conversions: the argument at the written length, widened to 64 bits. */
static void put_integer(struct outbuf *o, const struct fmt_spec *s, va_list *args)
{
	bool is_signed = s->conv == 'd' || s->conv == 'i';
	unsigned long long uv;

	switch (s->len) {
	case 'H':
		uv = is_signed ? (unsigned long long)(signed char)va_arg(*args, int) :
				 (unsigned char)va_arg(*args, unsigned int);
		break;
	case 'h':
		uv = is_signed ? (unsigned long long)(short)va_arg(*args, int) :
				 (unsigned short)va_arg(*args, unsigned int);
		break;
	case 'l':
		uv = is_signed ? (unsigned long long)va_arg(*args, long) :
				 va_arg(*args, unsigned long);
		break;
	case 'L':
		uv = va_arg(*args, unsigned long long);
		break;
	case 'z':
		uv = is_signed ? (unsigned long long)va_arg(*args, ssize_t) :
				 va_arg(*args, size_t);
		break;
	case 't':
		uv = (unsigned long long)va_arg(*args, ptrdiff_t);
		break;
	case 'j':
		uv = va_arg(*args, uintmax_t);
		break;
	default:
		uv = is_signed ? (unsigned long long)va_arg(*args, int) :
				 va_arg(*args, unsigned int);
		break;
	}
	put_number(o, s, uv, is_signed);
}

/**
 * kvsnprintf - format a string into a buffer, the kernel's way
 * @buf: the output (may be NULL when @size is 0)
 * @size: its size, including the terminating NUL
 * @fmt: the format, with the kernel's %p extensions
 * @args: the arguments
 *
 * Returns the length the whole output would have, excluding the NUL, as
 * vsnprintf() does; the output is NUL-terminated whenever @size > 0.
 * Never allocates and never sleeps.
 */
int kvsnprintf(char *buf, size_t size, const char *fmt, va_list args)
{
	struct outbuf o = { buf, size, 0 };
	va_list ap;

	va_copy(ap, args);
	while (*fmt) {
		struct fmt_spec s = { .width = -1, .precision = -1 };
		const char *lit = fmt;
		char sf[48];

		while (*fmt && *fmt != '%')
			fmt++;
		if (fmt != lit)
			out_mem(&o, lit, (size_t)(fmt - lit));
		if (!*fmt)
			break;
		fmt++;			/* the '%' */

		for (;; fmt++) {
			if (*fmt == '-')
				s.left = true;
			else if (*fmt == '+')
				s.plus = true;
			else if (*fmt == ' ')
				s.space = true;
			else if (*fmt == '#')
				s.alt = true;
			else if (*fmt == '0')
				s.zero = true;
			else
				break;
		}
		if (*fmt == '*') {
			s.width = clamp_width(va_arg(ap, int));
			if (s.width < 0) {
				s.left = true;
				s.width = -s.width;
			}
			fmt++;
		} else if (*fmt >= '0' && *fmt <= '9') {
			s.width = clamp_width(skip_atoi(&fmt));
		}
		/* "." alone: no precision; a negative one from '*': 0 (the kernel's, not C's). */
		if (*fmt == '.') {
			fmt++;
			if (*fmt == '*') {
				s.precision = clamp_precision(va_arg(ap, int));
				fmt++;
			} else if (*fmt >= '0' && *fmt <= '9') {
				s.precision = clamp_precision(skip_atoi(&fmt));
			}
		}
		/* The length, one letter for each size (q and Z are old spellings). */
		switch (*fmt) {
		case 'h':
		case 'l':
			s.len = *fmt++;
			if (*fmt == s.len) {
				s.len = s.len == 'h' ? 'H' : 'L';
				fmt++;
			}
			break;
		case 'H': case 'L': case 'j': case 'z': case 't':
			s.len = *fmt++;
			break;
		case 'q':
			s.len = 'L';
			fmt++;
			break;
		case 'Z':
			s.len = 'z';
			fmt++;
			break;
		}
		s.conv = *fmt;

		switch (s.conv) {
		case '%':
			out_char(&o, '%');
			fmt++;
			break;
		case 'c': {
			/* Any byte, NUL included, padded with spaces to the width. */
			char c = (char)(unsigned char)va_arg(ap, int);

			if (!s.left)
				out_fill(&o, ' ', s.width - 1);
			out_char(&o, c);
			if (s.left)
				out_fill(&o, ' ', s.width - 1);
			fmt++;
			break;
		}
		case 's': {
			const char *str = va_arg(ap, const char *);
			const char *msg = bad_pointer_msg(str);

			if (msg)
				put_error_string(&o, &s, msg);
			else
				put_string(&o, &s, str);
			fmt++;
			break;
		}
		case 'p':
			fmt = put_pointer_ext(&o, &s, fmt + 1, va_arg(ap, void *));
			break;
		case 'd': case 'i': case 'u': case 'x': case 'X': case 'o':
			put_integer(&o, &s, &ap);
			fmt++;
			break;
		case 'e': case 'E': case 'f': case 'F':
		case 'g': case 'G': case 'a': case 'A':
			if (s.len == 'L') {
				spec_string(&s, sf, "L", s.conv, s.alt);
				out_advance(&o, snprintf(out_pos(&o), out_room(&o), sf,
							 va_arg(ap, long double)));
			} else {
				spec_string(&s, sf, "", s.conv, s.alt);
				out_advance(&o, snprintf(out_pos(&o), out_room(&o), sf,
							 va_arg(ap, double)));
			}
			fmt++;
			break;
		default:
			/*
			 * %n, an unknown conversion or a lone '%' at the end:
			 * the kernel warns once and stops here.
			 */
			WARN_ONCE(1, "Please remove unsupported %%%c in format string\n", s.conv);
			goto out;
		}
	}
out:
	va_end(ap);
	if (size)
		buf[o.len < size ? o.len : size - 1] = '\0';
	return o.len > (size_t)__INT_MAX__ ? __INT_MAX__ : (int)o.len;
}

int ksnprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list args;
	int ret;

	va_start(args, fmt);
	ret = kvsnprintf(buf, size, fmt, args);
	va_end(args);
	return ret;
}

/**
 * vscnprintf - format into a buffer, returning what was written
 *
 * Returns the number of characters written into @buf, excluding the
 * trailing NUL: at most @size - 1, and 0 when @size is 0.
 */
int vscnprintf(char *buf, size_t size, const char *fmt, va_list args)
{
	int i = kvsnprintf(buf, size, fmt, args);

	if (likely((size_t)i < size))
		return i;
	return size ? (int)size - 1 : 0;
}

int scnprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list args;
	int ret;

	va_start(args, fmt);
	ret = vscnprintf(buf, size, fmt, args);
	va_end(args);
	return ret;
}
