/* SPDX-License-Identifier: MIT */
/*
 * tools/svg.c - SVG output shared by `ukmem map` and `ukmem plot`
 * (tools/svg.h).
 */
#include <stdarg.h>
#include <stdio.h>

#include "tools/svg.h"

void svg_escape(FILE *f, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '&': fputs("&amp;", f); break;
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '"': fputs("&quot;", f); break;
		default:
			/* Control characters are not XML: a cache name could hold one. */
			fputc((unsigned char)*s < 0x20 ? '?' : *s, f);
		}
	}
}

void svg_begin(FILE *f, int width, int height, const char *title, const char *css)
{
	fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		"<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"%d\" "
		"height=\"%d\" viewBox=\"0 0 %d %d\">\n<title>", width, height, width, height);
	svg_escape(f, title);
	fprintf(f, "</title>\n<style>\n"
		"text { font-family: DejaVu Sans Mono, Menlo, Consolas, monospace; "
		"font-size: 12px; fill: #222; }\n"
		".h { font-size: 15px; font-weight: bold; }\n"
		".small { font-size: 10px; fill: #555; }\n%s</style>\n"
		"<rect width=\"100%%\" height=\"100%%\" fill=\"#fff\"/>\n", css ? css : "");
}

void svg_end(FILE *f)
{
	fputs("</svg>\n", f);
}

void svg_text(FILE *f, double x, double y, const char *attrs, const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	fprintf(f, "<text x=\"%.1f\" y=\"%.1f\"%s%s>", x, y, attrs ? " " : "", attrs ? attrs : "");
	svg_escape(f, buf);
	fputs("</text>\n", f);
}

const char *svg_colour(int i)
{
	/* Tableau's 20, strong ones first. */
	static const char *const c[] = {
		"#4e79a7", "#f28e2b", "#e15759", "#76b7b2", "#59a14f", "#edc948", "#b07aa1",
		"#ff9da7", "#9c755f", "#bab0ac", "#1f77b4", "#d62728", "#9467bd", "#8c564b",
		"#e377c2", "#7f7f7f", "#bcbd22", "#17becf", "#aec7e8", "#ffbb78",
	};

	return c[(unsigned int)i % (sizeof(c) / sizeof(c[0]))];
}

const char *svg_bytes(char *buf, size_t len, double bytes)
{
	static const char *const unit[] = { "B", "KiB", "MiB", "GiB", "TiB" };
	int u = 0;

	while (bytes >= 1024 && u < 4) {
		bytes /= 1024;
		u++;
	}
	snprintf(buf, len, u ? "%.1f %s" : "%.0f %s", bytes, unit[u]);
	return buf;
}
