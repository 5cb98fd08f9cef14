/* SPDX-License-Identifier: MIT */
/*
 * linux/bitmap.h against the expectations of the kernel's lib/test_bitmap.c
 * for the functions ukmem offers: bitmap_zero/fill/copy write whole words
 * (the kernel's "0-63" after filling 35 bits), bitmap_set/clear write
 * exactly their range across word boundaries, the logical operations and
 * tests, the searches (find_last_bit, find_next_and_bit, find_nth_bit),
 * the for_each_ iterators, the 2^order regions, the u32-array round trip
 * (tail cleared, nothing written past the last u32) and the allocation.
 * Results are compared as the kernel's test compares them, by the bitmap's
 * range-list text ("0-63,79-97"), made here by list_of().
 *
 * Left out: the parsers and printers (bitmap_parselist, "%*pbl"),
 * bitmap_cut/scatter/gather/read/write and for_each_set_clump8, which
 * ukmem does not offer.
 */
#include "ktest.h"

#include <linux/bitmap.h>
#include <linux/slab.h>

/* The set bits of the first @nbits of @map as "a-b,c" (the kernel's %*pbl). */
static const char *list_of(const unsigned long *map, unsigned int nbits)
{
	static char buf[4096];
	unsigned int bit = 0, end;
	size_t len = 0;

	buf[0] = '\0';
	while ((bit = find_next_bit(map, nbits, bit)) < nbits) {
		end = find_next_zero_bit(map, nbits, bit);
		if (end - 1 == bit)
			len += snprintf(buf + len, sizeof(buf) - len, "%s%u", len ? "," : "", bit);
		else
			len += snprintf(buf + len, sizeof(buf) - len, "%s%u-%u", len ? "," : "",
					bit, end - 1);
		bit = end;
	}
	return buf;
}

#define expect_list(want, map, nbits) do {					\
	const char *_got = list_of(map, nbits);					\
	if (strcmp(_got, want)) {						\
		ktest_failures++;						\
		fprintf(stderr, "%s:%d: %s: expected \"%s\", got \"%s\"\n",	\
			__FILE__, __LINE__, ktest_current, want, _got);		\
	}									\
} while (0)

static void test_zero_clear(void)
{
	DECLARE_BITMAP(map, 1024);

	memset(map, 0xff, sizeof(map));
	expect_list("0-22", map, 23);
	expect_list("0-1023", map, 1024);
	bitmap_clear(map, 0, 9);
	expect_list("9-1023", map, 1024);
	bitmap_zero(map, 35);		/* whole words */
	expect_list("64-1023", map, 1024);
	bitmap_clear(map, 79, 19);	/* across a word boundary */
	expect_list("64-78,98-1023", map, 1024);
	bitmap_zero(map, 115);
	expect_list("128-1023", map, 1024);
	bitmap_zero(map, 1024);
	expect_list("", map, 1024);
	CHECK(bitmap_empty(map, 1024));
}

static void test_fill_set(void)
{
	DECLARE_BITMAP(map, 1024);

	memset(map, 0, sizeof(map));
	expect_list("", map, 23);
	bitmap_set(map, 0, 9);
	expect_list("0-8", map, 1024);
	bitmap_fill(map, 35);		/* whole words */
	expect_list("0-63", map, 1024);
	bitmap_set(map, 79, 19);
	expect_list("0-63,79-97", map, 1024);
	bitmap_fill(map, 115);
	expect_list("0-127", map, 1024);
	bitmap_fill(map, 1024);
	expect_list("0-1023", map, 1024);
	CHECK(bitmap_full(map, 1024));
}

static void test_copy(void)
{
	DECLARE_BITMAP(a, 1024);
	DECLARE_BITMAP(b, 1024);

	bitmap_zero(a, 1024);
	bitmap_zero(b, 1024);
	bitmap_set(a, 0, 19);
	bitmap_copy(b, a, 23);
	expect_list("0-18", b, 1024);
	bitmap_set(b, 0, 23);
	bitmap_copy(b, a, 23);
	expect_list("0-18", b, 1024);

	bitmap_set(a, 0, 109);
	bitmap_copy(b, a, 1024);
	expect_list("0-108", b, 1024);
	bitmap_fill(b, 1024);
	bitmap_copy(b, a, 1024);
	expect_list("0-108", b, 1024);
	/* A partial last word is copied whole. */
	bitmap_fill(b, 1024);
	bitmap_copy(b, a, 109);
	expect_list("0-108,128-1023", b, 1024);
	bitmap_fill(b, 1024);
	bitmap_copy(b, a, 97);
	expect_list("0-108,128-1023", b, 1024);
	/* ... unless the tail is to be cleared. */
	bitmap_fill(b, 1024);
	bitmap_fill(a, 1024);
	bitmap_copy_clear_tail(b, a, 97);
	expect_list("0-96,128-1023", b, 1024);
}

/* bitmap_set/clear against a bit-at-a-time reference, every start and length. */
static void test_set_clear_ranges(void)
{
	DECLARE_BITMAP(a, 256);
	DECLARE_BITMAP(ref, 256);
	unsigned int start, n, i;

	for (start = 0; start < 200; start += 3) {
		for (n = 0; n < 256 - start; n += 5) {
			memset(a, 0x5a, sizeof(a));
			memset(ref, 0x5a, sizeof(ref));
			bitmap_set(a, start, n);
			for (i = start; i < start + n; i++)
				__set_bit(i, ref);
			if (!bitmap_equal(a, ref, 256) || memcmp(a, ref, sizeof(a))) {
				CHECK(!"bitmap_set");
				return;
			}
			__bitmap_clear(a, start, n);
			for (i = start; i < start + n; i++)
				__clear_bit(i, ref);
			if (memcmp(a, ref, sizeof(a))) {
				CHECK(!"bitmap_clear");
				return;
			}
		}
	}
}

static void test_logic(void)
{
	DECLARE_BITMAP(a, 200);
	DECLARE_BITMAP(b, 200);
	DECLARE_BITMAP(d, 200);
	DECLARE_BITMAP(m, 200);

	bitmap_zero(a, 200);
	bitmap_zero(b, 200);
	bitmap_set(a, 10, 100);		/* 10-109 */
	bitmap_set(b, 60, 100);		/* 60-159 */
	CHECK(bitmap_and(d, a, b, 200));
	expect_list("60-109", d, 200);
	bitmap_or(d, a, b, 200);
	expect_list("10-159", d, 200);
	bitmap_xor(d, a, b, 200);
	expect_list("10-59,110-159", d, 200);
	CHECK(bitmap_andnot(d, a, b, 200));
	expect_list("10-59", d, 200);
	CHECK(!bitmap_andnot(d, a, a, 200));
	expect_list("", d, 200);
	bitmap_complement(d, a, 200);
	expect_list("0-9,110-199", d, 200);
	CHECK(d[3] == ~0UL);		/* whole words: bits 200-255 too */
	bitmap_zero(m, 200);
	bitmap_set(m, 0, 64);
	bitmap_replace(d, a, b, m, 200);	/* b's bits below 64, a's above */
	expect_list("60-109", d, 200);

	/* and/andnot clear the tail of the last word and report emptiness there. */
	bitmap_fill(a, 256);
	bitmap_fill(b, 256);
	bitmap_clear(a, 0, 70);
	CHECK(!bitmap_and(d, a, b, 70));
	CHECK(d[1] == 0);
	CHECK(bitmap_and(d, a, b, 71));
	CHECK(d[1] == 1UL << 6);
	CHECK(!bitmap_andnot(d, b, b, 130));
	CHECK(d[2] == 0);
}

static void test_predicates(void)
{
	DECLARE_BITMAP(a, 256);
	DECLARE_BITMAP(b, 256);

	bitmap_zero(a, 256);
	bitmap_zero(b, 256);
	bitmap_set(a, 5, 10);
	bitmap_set(b, 0, 20);
	CHECK(bitmap_subset(a, b, 256) && !bitmap_subset(b, a, 256));
	CHECK(bitmap_intersects(a, b, 256));
	CHECK(!bitmap_equal(a, b, 256) && !bitmap_equal(a, b, 5));
	bitmap_clear(b, 0, 5);		/* b: 5-19 */
	CHECK(bitmap_equal(a, b, 15) && !bitmap_equal(a, b, 16));
	bitmap_set(b, 0, 5);
	CHECK_EQ(bitmap_weight(a, 256), 10);
	CHECK_EQ(bitmap_weight(b, 7), 7);
	/* Only the first @nbits count: differences past them are ignored. */
	__set_bit(100, a);
	CHECK(bitmap_equal(a, a, 256));
	CHECK(!bitmap_subset(a, b, 101) && bitmap_subset(a, b, 100));
	CHECK(!bitmap_intersects(a, b, 5) && bitmap_intersects(a, b, 6));
	CHECK_EQ(bitmap_weight(a, 100), 10);
	CHECK_EQ(bitmap_weight(a, 101), 11);
	CHECK(!bitmap_empty(a, 6) && bitmap_empty(a, 5));
	bitmap_fill(a, 256);
	__clear_bit(130, a);
	CHECK(bitmap_full(a, 130) && !bitmap_full(a, 131));
	CHECK_EQ(bitmap_weight(a, 256), 255);
}

static void test_find(void)
{
	DECLARE_BITMAP(a, 300);
	DECLARE_BITMAP(b, 300);
	unsigned long bit, n;

	bitmap_zero(a, 300);
	bitmap_zero(b, 300);
	CHECK_EQ(find_last_bit(a, 300), 300);
	CHECK_EQ(find_last_bit(a, 0), 0);
	__set_bit(3, a);
	__set_bit(64, a);
	__set_bit(200, a);
	__set_bit(299, a);
	CHECK_EQ(find_last_bit(a, 300), 299);
	CHECK_EQ(find_last_bit(a, 299), 200);
	CHECK_EQ(find_last_bit(a, 65), 64);
	CHECK_EQ(find_last_bit(a, 64), 3);
	CHECK_EQ(find_last_bit(a, 3), 3);
	CHECK_EQ(find_first_bit(a, 300), 3);
	CHECK_EQ(find_next_bit(a, 300, 65), 200);
	CHECK_EQ(find_next_bit(a, 200, 65), 200);	/* none below @size: @size */

	__set_bit(64, b);
	__set_bit(299, b);
	__set_bit(100, b);
	CHECK_EQ(find_first_and_bit(a, b, 300), 64);
	CHECK_EQ(find_next_and_bit(a, b, 300, 65), 299);
	CHECK_EQ(find_next_and_bit(a, b, 299, 65), 299);
	CHECK_EQ(find_next_and_bit(a, b, 300, 300), 300);

	CHECK_EQ(find_nth_bit(a, 300, 0), 3);
	CHECK_EQ(find_nth_bit(a, 300, 1), 64);
	CHECK_EQ(find_nth_bit(a, 300, 3), 299);
	CHECK(find_nth_bit(a, 300, 4) >= 300);
	CHECK(find_nth_bit(a, 250, 3) >= 250);

	n = 0;
	for_each_set_bit(bit, a, 300)
		CHECK_EQ(bit, find_nth_bit(a, 300, n++));
	CHECK_EQ(n, 4);
	n = 0;
	bit = 64;
	for_each_set_bit_from(bit, a, 300)
		n++;
	CHECK_EQ(n, 3);
	n = 0;
	for_each_clear_bit(bit, a, 300) {
		CHECK(!test_bit(bit, a));
		n++;
	}
	CHECK_EQ(n, 296);
	n = 0;
	bit = 290;
	for_each_clear_bit_from(bit, a, 300)
		n++;
	CHECK_EQ(n, 9);
	n = 0;
	for_each_and_bit(bit, a, b, 300)
		n += bit;
	CHECK_EQ(n, 64 + 299);
}

static void test_regions(void)
{
	DECLARE_BITMAP(map, 64);
	int pos;

	bitmap_zero(map, 64);
	CHECK_EQ(bitmap_find_free_region(map, 64, 3), 0);
	expect_list("0-7", map, 64);
	__set_bit(9, map);
	/* The next free aligned 8 is at 16: 8-15 holds bit 9. */
	CHECK_EQ(bitmap_find_free_region(map, 64, 3), 16);
	CHECK_EQ(bitmap_allocate_region(map, 8, 3), -EBUSY);
	CHECK_EQ(bitmap_allocate_region(map, 32, 4), 0);
	expect_list("0-7,9,16-23,32-47", map, 64);
	CHECK_EQ(bitmap_find_free_region(map, 64, 4), 48);
	CHECK_EQ(bitmap_find_free_region(map, 64, 4), -ENOMEM);
	/* A region must fit below @bits. */
	bitmap_release_region(map, 48, 4);
	CHECK_EQ(bitmap_find_free_region(map, 60, 4), -ENOMEM);
	CHECK_EQ(bitmap_find_free_region(map, 64, 0), 8);
	bitmap_release_region(map, 0, 3);
	bitmap_release_region(map, 16, 3);
	expect_list("8-9,32-47", map, 64);
	for (pos = 0; pos < 8; pos++)
		CHECK_EQ(bitmap_find_free_region(map, 64, 0), pos);
	/* The free bit 63 is past @bits = 63. */
	bitmap_fill(map, 64);
	__clear_bit(63, map);
	CHECK_EQ(bitmap_find_free_region(map, 63, 0), -ENOMEM);
	CHECK_EQ(bitmap_find_free_region(map, 64, 0), 63);
}

static void test_arr32(void)
{
	static const u32 src[4] = { 0x11111111, 0x33333333, 0xffffffff, 0x77777777 };
	DECLARE_BITMAP(map, 128);
	DECLARE_BITMAP(back, 128);
	u32 arr[5];
	unsigned int nbits;

	bitmap_from_arr32(map, src, 128);
	CHECK(map[0] == 0x3333333311111111UL && map[1] == 0x77777777ffffffffUL);
	/* The map's last word is cleared past @nbits even where the array had bits. */
	memset(back, 0, sizeof(back));
	bitmap_from_arr32(back, src, 72);
	CHECK(back[0] == 0x3333333311111111UL && back[1] == 0xff);
	for (nbits = 0; nbits <= 128; nbits++) {
		memset(arr, 0xa5, sizeof(arr));
		memset(back, 0xff, sizeof(back));
		bitmap_to_arr32(arr, map, nbits);
		bitmap_from_arr32(back, arr, nbits);
		if (!bitmap_equal(back, map, nbits))
			CHECK(!"round trip");
		/* The map's tail past @nbits is clear... */
		if (nbits && find_next_bit(back, round_up(nbits, BITS_PER_LONG), nbits) <
			     round_up(nbits, BITS_PER_LONG))
			CHECK(!"tail not cleared");
		/* ... and nothing is written past the last u32 that holds a bit. */
		if (arr[DIV_ROUND_UP(nbits, 32)] != 0xa5a5a5a5)
			CHECK(!"wrote past the end");
		if (nbits % 32 && (arr[nbits / 32] >> (nbits % 32)))
			CHECK(!"array tail not cleared");
	}
}

static void test_alloc(void)
{
	unsigned long *a, *b;

	/* Dirty a block of the size first, so that zalloc's zeroing shows. */
	b = bitmap_alloc(1000, GFP_KERNEL);
	if (b)
		bitmap_fill(b, 1000);
	bitmap_free(b);
	a = bitmap_zalloc(1000, GFP_KERNEL);
	b = bitmap_alloc(1000, GFP_KERNEL);

	CHECK(a && b);
	if (a && b) {
		CHECK(bitmap_empty(a, 1000));
		CHECK_EQ(ksize(a) >= BITS_TO_LONGS(1000) * sizeof(long), 1);
		bitmap_fill(b, 1000);
		CHECK(bitmap_full(b, 1000));
	}
	bitmap_free(a);
	bitmap_free(b);
	bitmap_free(NULL);
	a = bitmap_zalloc_node(100, GFP_KERNEL, 0);
	CHECK(a && bitmap_empty(a, 100));
	bitmap_free(a);
	/* A size past what kmalloc_array() can give: NULL, as in the kernel. */
	CHECK(bitmap_alloc(~0U, GFP_KERNEL | __GFP_NOWARN) == NULL);
}

int main(void)
{
	KTEST_RUN(KTEST(test_zero_clear), KTEST(test_fill_set), KTEST(test_copy),
		  KTEST(test_set_clear_ranges), KTEST(test_logic), KTEST(test_predicates),
		  KTEST(test_find), KTEST(test_regions), KTEST(test_arr32), KTEST(test_alloc));
}
