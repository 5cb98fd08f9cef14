/* SPDX-License-Identifier: MIT */
/*
 * tools/png.c - a PNG writer without zlib, for `ukmem map --output X.png`.
 *
 * An RGB image, 8 bits a channel, its rows (filter 0) in a zlib stream of
 * stored (uncompressed) deflate blocks: every PNG reader takes it, and the
 * writer is a page of code with no library behind it.  The cost is size:
 * three bytes a pixel (a map of 512x512 pixels is 768 KiB); the SVG is the
 * small form.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/crc32.h>

#include "tools/png.h"

static void put32(unsigned char *p, unsigned int v)
{
	p[0] = (unsigned char)(v >> 24);
	p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8);
	p[3] = (unsigned char)v;
}

static void chunk(FILE *f, const char *type, const unsigned char *data, size_t len)
{
	unsigned char b[4];
	unsigned int crc;

	put32(b, (unsigned int)len);
	fwrite(b, 1, 4, f);
	fwrite(type, 1, 4, f);
	if (len)
		fwrite(data, 1, len, f);
	/* PNG's CRC is zlib's: seeded with ~0, inverted at the end. */
	crc = ~crc32_le(crc32_le(~0U, type, 4), data, len);
	put32(b, crc);
	fwrite(b, 1, 4, f);
}

int png_write(FILE *f, int width, int height, const unsigned char *rgb)
{
	static const unsigned char sig[8] = { 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' };
	size_t row = (size_t)width * 3 + 1, raw_len = row * (size_t)height;
	size_t nblocks = raw_len / 65535 + 1, z_len = 2 + raw_len + 5 * nblocks + 4, at = 0, done;
	unsigned char ihdr[13], *z, *raw;
	unsigned int a = 1, b = 0;
	int y;

	raw = malloc(raw_len);
	z = malloc(z_len);
	if (!raw || !z) {
		free(raw);
		free(z);
		return -1;
	}
	for (y = 0; y < height; y++) {
		raw[row * (size_t)y] = 0;
		memcpy(raw + row * (size_t)y + 1, rgb + (size_t)y * width * 3, row - 1);
	}
	z[at++] = 0x78;			/* deflate, 32 KiB window */
	z[at++] = 0x01;			/* no dictionary, fastest; 0x7801 % 31 == 0 */
	for (done = 0; done < raw_len || !done; ) {
		size_t n = raw_len - done < 65535 ? raw_len - done : 65535;

		z[at++] = done + n == raw_len;	/* BFINAL, BTYPE 00: stored */
		z[at++] = (unsigned char)n;
		z[at++] = (unsigned char)(n >> 8);
		z[at++] = (unsigned char)~n;
		z[at++] = (unsigned char)(~n >> 8);
		memcpy(z + at, raw + done, n);
		at += n;
		done += n;
		if (!n)
			break;
	}
	for (done = 0; done < raw_len; done++) {	/* Adler-32 of the raw rows */
		a = (a + raw[done]) % 65521;
		b = (b + a) % 65521;
	}
	put32(z + at, b << 16 | a);
	at += 4;
	put32(ihdr, (unsigned int)width);
	put32(ihdr + 4, (unsigned int)height);
	ihdr[8] = 8;			/* bits per channel */
	ihdr[9] = 2;			/* RGB */
	ihdr[10] = ihdr[11] = ihdr[12] = 0;
	fwrite(sig, 1, sizeof(sig), f);
	chunk(f, "IHDR", ihdr, sizeof(ihdr));
	chunk(f, "IDAT", z, at);
	chunk(f, "IEND", NULL, 0);
	free(raw);
	free(z);
	return ferror(f) ? -1 : 0;
}
