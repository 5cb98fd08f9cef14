/* SPDX-License-Identifier: MIT */
/*
 * tools/svg.h - the little SVG that `ukmem map` and `ukmem plot` write
 * (tools/svg.c): a document, escaped text, a palette of distinct colours.
 * Plain SVG 1.1 with a style sheet: any browser shows it, and a test can
 * read it with any XML parser (classes name what a shape stands for).
 */
#ifndef _TOOLS_SVG_H
#define _TOOLS_SVG_H

#include <stdio.h>

/* The document's opening, with @css inside its style sheet (may be NULL). */
void svg_begin(FILE *f, int width, int height, const char *title, const char *css);
void svg_end(FILE *f);
/* @s with &, <, > and " written as entities. */
void svg_escape(FILE *f, const char *s);
/* <text x y ATTRS>formatted, escaped</text> */
void svg_text(FILE *f, double x, double y, const char *attrs, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
/* The @i-th of a cycle of colours that stay apart from each other. */
const char *svg_colour(int i);
/* "12.5 MiB": @bytes in binary units, into @buf. */
const char *svg_bytes(char *buf, size_t len, double bytes);

#endif /* _TOOLS_SVG_H */
