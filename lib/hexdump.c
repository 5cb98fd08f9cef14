/* SPDX-License-Identifier: MIT */
/*
 * lib/hexdump.c - hex_dump_to_buffer() and print_hex_dump(), with the
 * kernel's row layout (lib/hexdump.c in the kernel).
 *
 * A row holds 16 or 32 bytes, shown as groups of 1, 2, 4 or 8 bytes read in
 * the host's byte order and separated by one space; the ASCII column, when
 * asked for, starts at column rowsize * 2 + rowsize / groupsize + 1 whatever
 * the length of the row, so a short last row stays aligned:
 *
 *   Object   ffff888100a4c000: 6b 6b 6b 6b 6b 6b 6b 6b 6b 6b 6b 6b 6b 6b 6b 6b  kkkkkkkkkkkkkkkk
 *
 * The dump goes through printk() one row at a time; nothing is allocated.
 */
#include <string.h>

#include <linux/printk.h>
#include <ukmem/debug.h>

static const char hex_asc[] = "0123456789abcdef";

static inline bool is_power_of_2_int(int n)
{
	return n > 0 && (n & (n - 1)) == 0;
}

/* One group of @groupsize bytes as a number in the host's byte order. */
static unsigned long long load_group(const unsigned char *p, int groupsize)
{
	u64 v8;
	u32 v4;
	u16 v2;

	switch (groupsize) {
	case 8:
		memcpy(&v8, p, 8);
		return v8;
	case 4:
		memcpy(&v4, p, 4);
		return v4;
	case 2:
		memcpy(&v2, p, 2);
		return v2;
	default:
		return *p;
	}
}

/**
 * hex_dump_to_buffer - one row of a hex dump into a buffer
 * @buf: the data
 * @len: bytes of data; at most one row's worth is used
 * @rowsize: 16 or 32 (anything else means 16)
 * @groupsize: 1, 2, 4 or 8 bytes per group (anything else, or a length that
 *	is not a multiple of it, means 1)
 * @linebuf: the output, NUL-terminated
 * @linebuflen: its size
 * @ascii: add the printable-ASCII column
 *
 * Returns the length of the row written.  When @linebuf is too small, the
 * return value is the length the whole row would have had (the kernel's
 * overflow convention), and @linebuf holds as much as fit.
 */
int hex_dump_to_buffer(const void *buf, size_t len, int rowsize, int groupsize,
		       char *linebuf, size_t linebuflen, bool ascii)
{
	const unsigned char *ptr = buf;
	int ngroups, ascii_column, j, k;
	size_t lx = 0;

	if (rowsize != 16 && rowsize != 32)
		rowsize = 16;
	if (len > (size_t)rowsize)
		len = (size_t)rowsize;
	if (!is_power_of_2_int(groupsize) || groupsize > 8)
		groupsize = 1;
	if (len % (size_t)groupsize)
		groupsize = 1;

	ngroups = (int)len / groupsize;
	ascii_column = rowsize * 2 + rowsize / groupsize + 1;

	if (!linebuflen)
		goto overflow;
	if (!len)
		goto done;

	for (j = 0; j < ngroups; j++) {
		unsigned long long v = load_group(ptr + j * groupsize, groupsize);

		if (j) {
			if (linebuflen < lx + 2)
				goto overflow;
			linebuf[lx++] = ' ';
		}
		for (k = groupsize * 2 - 1; k >= 0; k--) {
			if (linebuflen < lx + 2)
				goto overflow;
			linebuf[lx++] = hex_asc[(v >> (k * 4)) & 0xf];
		}
	}
	if (!ascii)
		goto done;

	while (lx < (size_t)ascii_column) {
		if (linebuflen < lx + 2)
			goto overflow;
		linebuf[lx++] = ' ';
	}
	for (j = 0; j < (int)len; j++) {
		unsigned char ch = ptr[j];

		if (linebuflen < lx + 2)
			goto overflow;
		linebuf[lx++] = (ch >= 0x20 && ch < 0x7f) ? (char)ch : '.';
	}
done:
	linebuf[lx] = '\0';
	return (int)lx;

overflow:
	if (linebuflen)
		linebuf[lx] = '\0';
	/* What the full row would take: hex groups with separators, then ASCII. */
	return ascii ? ascii_column + (int)len :
		       (groupsize * 2 + 1) * ngroups - 1;
}

/**
 * print_hex_dump - print a buffer as a hex dump, one printk() per row
 * @level: the printk level (KERN_ERR, ...)
 * @prefix_str: printed at the start of every row
 * @prefix_type: DUMP_PREFIX_ADDRESS (the row's address, as %p),
 *	DUMP_PREFIX_OFFSET (its offset, "%.8x") or DUMP_PREFIX_NONE
 * @rowsize: 16 or 32 bytes per row
 * @groupsize: bytes per group (1, 2, 4 or 8)
 * @buf: the data
 * @len: its length
 * @ascii: add the ASCII column
 *
 * Context: any; never allocates.
 */
void print_hex_dump(const char *level, const char *prefix_str, int prefix_type,
		    int rowsize, int groupsize, const void *buf, size_t len,
		    bool ascii)
{
	const unsigned char *ptr = buf;
	char linebuf[32 * 3 + 2 + 32 + 1];
	size_t i, remaining = len;

	if (rowsize != 16 && rowsize != 32)
		rowsize = 16;
	if (!level)
		level = KERN_DEFAULT;
	if (!prefix_str)
		prefix_str = "";

	for (i = 0; i < len; i += (size_t)rowsize) {
		size_t linelen = remaining < (size_t)rowsize ? remaining : (size_t)rowsize;

		remaining -= linelen;
		hex_dump_to_buffer(ptr + i, linelen, rowsize, groupsize,
				   linebuf, sizeof(linebuf), ascii);

		switch (prefix_type) {
		case DUMP_PREFIX_ADDRESS:
			printk("%s%s%p: %s\n", level, prefix_str, ptr + i, linebuf);
			break;
		case DUMP_PREFIX_OFFSET:
			printk("%s%s%.8zx: %s\n", level, prefix_str, i, linebuf);
			break;
		default:
			printk("%s%s%s\n", level, prefix_str, linebuf);
			break;
		}
	}
}
