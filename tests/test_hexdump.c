/* SPDX-License-Identifier: MIT */
/*
 * hex_dump_to_buffer() (lib/hexdump.c), as the kernel's lib/test_hexdump.c
 * checks it, every combination instead of random ones: for each length of
 * one row (16 or 32 bytes), each group size (1, 2, 4, 8: a length that is
 * not a multiple of it falls back to 1), with and without the ASCII
 * column, the row must be the expected text byte for byte and nothing may
 * be written past its NUL; and for every buffer size from 0 to one past a
 * full row, a row that does not fit returns the length the whole row
 * would have, holds as much of it as fits (NUL-terminated), and leaves the
 * rest of the buffer alone.  print_hex_dump() prints the same rows.
 */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <linux/printk.h>
#include <ukmem/boot.h>
#include <ukmem/debug.h>
#include "ktest.h"

/* The kernel test's 32 bytes, and their ASCII column. */
static const unsigned char data[32] = {
	0xbe, 0x32, 0xdb, 0x7b, 0x0a, 0x18, 0x93, 0xb2,
	0x70, 0xba, 0xc4, 0x24, 0x7d, 0x83, 0x34, 0x9b,
	0xa6, 0x9c, 0x31, 0xad, 0x9c, 0x0f, 0xac, 0xe9,
	0x4c, 0xd1, 0x19, 0x99, 0x43, 0xb1, 0xaf, 0x0c,
};
static const char data_ascii[] = ".2.{....p..$}.4...1.....L...C...";

/* The groups as a little-endian host prints them (the kernel's *_le tables). */
static const char *const groups_le[4][32] = {
	{ "be", "32", "db", "7b", "0a", "18", "93", "b2",
	  "70", "ba", "c4", "24", "7d", "83", "34", "9b",
	  "a6", "9c", "31", "ad", "9c", "0f", "ac", "e9",
	  "4c", "d1", "19", "99", "43", "b1", "af", "0c" },
	{ "32be", "7bdb", "180a", "b293", "ba70", "24c4", "837d", "9b34",
	  "9ca6", "ad31", "0f9c", "e9ac", "d14c", "9919", "b143", "0caf" },
	{ "7bdb32be", "b293180a", "24c4ba70", "9b34837d",
	  "ad319ca6", "e9ac0f9c", "9919d14c", "0cafb143" },
	{ "b293180a7bdb32be", "9b34837d24c4ba70",
	  "e9ac0f9cad319ca6", "0cafb1439919d14c" },
};

#define FILL	'#'
#define BUFSZ	(32 * 3 + 2 + 32 + 1)

static int group_index(int gs)
{
	return gs == 8 ? 3 : gs == 4 ? 2 : gs == 2 ? 1 : 0;
}

/* The row hex_dump_to_buffer() must write for these arguments. */
static void expected_row(size_t len, int rowsize, int groupsize, bool ascii, char *out)
{
	int rs = (rowsize == 16 || rowsize == 32) ? rowsize : 16;
	int gs = groupsize;
	size_t l = len > (size_t)rs ? (size_t)rs : len, i;
	char *p = out;

	if (gs != 1 && gs != 2 && gs != 4 && gs != 8)
		gs = 1;
	if (len % (size_t)gs)
		gs = 1;
	for (i = 0; i < l / (size_t)gs; i++)
		p += sprintf(p, "%s%s", i ? " " : "", groups_le[group_index(gs)][i]);
	if (ascii) {
		/* The ASCII column starts at rs * 2 + rs / gs + 1, however short the row. */
		while (p < out + rs * 2 + rs / gs + 1)
			*p++ = ' ';
		memcpy(p, data_ascii, l);
		p += l;
	}
	*p = '\0';
}

/* test_hexdump(): a buffer large enough for any row; lengths up to one row, as there. */
static void test_rows(void)
{
	static const int rowsizes[] = { 16, 32 }, groupsizes[] = { 1, 2, 4, 8, 3, 16 };
	size_t r, g, len;
	int ascii;

	for (r = 0; r < 2; r++)
		for (g = 0; g < 6; g++)
			for (len = 1; len <= (size_t)rowsizes[r]; len++)
				for (ascii = 0; ascii < 2; ascii++) {
					char want[BUFSZ], got[BUFSZ];
					int ret;

					memset(want, FILL, sizeof(want));
					memset(got, FILL, sizeof(got));
					expected_row(len, rowsizes[r], groupsizes[g], ascii, want);
					ret = hex_dump_to_buffer(data, len, rowsizes[r], groupsizes[g],
								 got, sizeof(got), ascii);
					CHECK_EQ(ret, strlen(want));
					if (memcmp(want, got, sizeof(got))) {
						ktest_failures++;
						fprintf(stderr, "len %zu row %d group %d ascii %d:\n"
							"  got  '%s'\n  want '%s'\n", len,
							rowsizes[r], groupsizes[g], ascii, got, want);
					}
				}
}

/*
 * test_hexdump_overflow(): a length that is a multiple of the group, in
 * buffers of every size.  The answer is the full row's length; the buffer
 * holds its first buflen - 1 characters and a NUL, nothing after.
 */
static void test_overflow(void)
{
	static const int rowsizes[] = { 16, 32 };
	size_t buflen, r, len;
	int gs, ascii;

	for (buflen = 0; buflen <= BUFSZ; buflen++)
		for (r = 0; r < 2; r++)
			for (gs = 1; gs <= 8; gs *= 2)
				for (len = (size_t)gs; len <= (size_t)rowsizes[r]; len += (size_t)gs)
					for (ascii = 0; ascii < 2; ascii++) {
						int rs = rowsizes[r];
						char want[BUFSZ], got[BUFSZ];
						int full, ret;
						size_t f;

						full = ascii ? rs * 2 + rs / gs + 1 + (int)len :
							       (gs * 2 + 1) * (int)(len / gs) - 1;
						memset(got, FILL, sizeof(got));
						ret = hex_dump_to_buffer(data, len, rs, gs, got, buflen,
									 ascii);
						memset(want, FILL, sizeof(want));
						f = (size_t)full + 1 < buflen ? (size_t)full + 1 : buflen;
						if (buflen) {
							expected_row(len, rs, gs, ascii, want);
							want[f - 1] = '\0';
						}
						memset(want + f, FILL, sizeof(want) - f);
						if (ret != full || memcmp(want, got, sizeof(got))) {
							ktest_failures++;
							want[BUFSZ - 1] = got[BUFSZ - 1] = '\0';
							fprintf(stderr, "buflen %zu len %zu row %d group %d "
								"ascii %d: got %d '%s', want %d '%s'\n",
								buflen, len, rs, gs, ascii, ret, got,
								full, want);
						}
					}
}

/* print_hex_dump(): the same rows, one console line each, after the prefix. */
static void test_print_hex_dump(void)
{
	char log[8192], want[BUFSZ], line[BUFSZ + 64];

	ukmem_dmesg_clear();
	print_hex_dump(KERN_ERR, "hd: ", DUMP_PREFIX_OFFSET, 16, 4, data, sizeof(data), true);
	ukmem_dmesg(log, sizeof(log));
	expected_row(16, 16, 4, true, want);
	snprintf(line, sizeof(line), "hd: 00000000: %s\n", want);
	CHECK_STR_CONTAINS(log, line);
	/* The second row is the data from byte 16 on: its groups are the table's 5th to 8th. */
	CHECK_STR_CONTAINS(log, "hd: 00000010: ad319ca6 e9ac0f9c 9919d14c 0cafb143  ..1.....L...C...\n");
}

int main(void)
{
	if (ukmem_boot(NULL))
		return 3;
	KTEST_RUN(KTEST(test_rows), KTEST(test_overflow), KTEST(test_print_hex_dump));
}
