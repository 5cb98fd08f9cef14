/* SPDX-License-Identifier: MIT */
/*
 * tools/png.h - an RGB image as PNG, without zlib (tools/png.c).
 */
#ifndef _TOOLS_PNG_H
#define _TOOLS_PNG_H

#include <stdio.h>

/* @rgb: @height rows of @width pixels, 3 bytes each.  0, or -1 (memory, write). */
int png_write(FILE *f, int width, int height, const unsigned char *rgb);

#endif /* _TOOLS_PNG_H */
