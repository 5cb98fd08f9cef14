/* SPDX-License-Identifier: MIT */
/*
 * tools/symbolize.c - `ukmem symbolize`: a saved report's bare addresses
 * turned into "function+0xoff/0xsize", as the kernel's
 * scripts/decode_stacktrace.sh turns an oops's into source lines.
 *
 * A report names what it can itself (%pS, kernel/kallsyms.c); what stays
 * an address is one it could not name then: a stripped or since rebuilt
 * program, a report from another machine.  Given the program's file, each
 * "0x..." word is looked up in its symbols (.symtab, else .dynsym) at
 * address - offset, where the offset is --base or, by default, the one on
 * the "Kernel Offset: 0x... from 0x..." line that ends each call trace
 * (the next such line after the address, else the last one before it).
 * Inside a call trace the addresses are return addresses and are looked up
 * as %pB does (the call before them).  Everything else is copied as is.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kernel/kallsyms.h"
#include "tools/symbolize.h"
#include "tools/ukmem.h"

#define OFFSET_LINE	"Kernel Offset: 0x"

struct report {
	char **lines;
	size_t nr;
	unsigned long *offsets;		/* per line; valid where has_offset */
	bool *has_offset;
};

static int read_report(FILE *in, struct report *r)
{
	size_t cap = 0, len = 0;
	char *line = NULL;
	ssize_t n;

	while ((n = getline(&line, &len, in)) >= 0) {
		if (r->nr == cap) {
			cap = cap ? 2 * cap : 256;
			r->lines = realloc(r->lines, cap * sizeof(*r->lines));
			if (!r->lines)
				return -ENOMEM;
		}
		r->lines[r->nr] = strdup(line);
		if (!r->lines[r->nr++])
			return -ENOMEM;
	}
	free(line);
	return 0;
}

/* Each line's offset: the next "Kernel Offset" line's, else the last before. */
static void find_offsets(struct report *r)
{
	bool have = false;
	unsigned long off = 0;
	size_t i;
	char *p;

	r->offsets = calloc(r->nr + 1, sizeof(*r->offsets));
	r->has_offset = calloc(r->nr + 1, sizeof(*r->has_offset));
	for (i = r->nr; i-- > 0;) {
		p = strstr(r->lines[i], OFFSET_LINE);
		if (p) {
			off = strtoul(p + sizeof(OFFSET_LINE) - 3, NULL, 16);
			have = true;
		}
		r->offsets[i] = off;
		r->has_offset[i] = have;
	}
	for (i = 0, have = false; i < r->nr; i++) {
		if (r->has_offset[i]) {
			have = true;
			off = r->offsets[i];
		} else if (have) {
			r->offsets[i] = off;
			r->has_offset[i] = true;
		}
	}
}

static bool word_start(const char *line, const char *p)
{
	return p == line || strchr(" \t([<{=,", p[-1]);
}

/* Not "0x12ab/0x40", "0x12+...", "0x12abcz": only a word of its own. */
static bool word_end(char c)
{
	return !c || !(isalnum((unsigned char)c) || c == '_' || c == '+' || c == '/');
}

/* One line, its "0x..." words named where the program's symbols cover them. */
static void symbolize_line(FILE *out, const char *line, const struct ksym_table *t,
			   unsigned long offset, bool in_trace)
{
	unsigned long back = in_trace ? 1 : 0;	/* %pB: the call before */
	const char *p = line;

	while (*p) {
		unsigned long addr, size, off;
		const char *name = NULL;
		char *end;
		int len;

		if (p[0] != '0' || p[1] != 'x' || !isxdigit((unsigned char)p[2]) ||
		    !word_start(line, p)) {
			fputc(*p++, out);
			continue;
		}
		addr = strtoul(p + 2, &end, 16);
		if (word_end(*end) && addr >= offset + back)
			name = ksym_table_lookup(t, addr - offset - back, &size, &off, &len);
		if (name)
			fprintf(out, "%.*s+0x%lx/0x%lx", len, name, off + back, size);
		else
			fwrite(p, 1, (size_t)(end - p), out);
		p = end;
	}
}

int cmd_symbolize(int argc, char **argv)
{
	const char *exe = NULL, *file = NULL;
	struct report r = { 0 };
	struct ksym_table *t;
	bool have_base = false, in_trace = false;
	unsigned long base = 0;
	FILE *in = stdin;
	size_t i;
	int i_arg;

	for (i_arg = 1; i_arg < argc; i_arg++) {
		if (!strcmp(argv[i_arg], "--exe") && i_arg + 1 < argc) {
			exe = argv[++i_arg];
		} else if (!strcmp(argv[i_arg], "--base") && i_arg + 1 < argc) {
			char *end;

			base = strtoul(argv[++i_arg], &end, 16);
			if (*end || end == argv[i_arg])
				return usage_error("symbolize", "--base needs a hexadecimal offset, "
						   "not '%s'", argv[i_arg]);
			have_base = true;
		} else if (argv[i_arg][0] == '-' && argv[i_arg][1]) {
			return usage_error("symbolize", "unknown option '%s', or one without its "
					   "value", argv[i_arg]);
		} else if (!file) {
			file = argv[i_arg];
		} else {
			return usage_error("symbolize", "one report at a time, not '%s' too",
					   argv[i_arg]);
		}
	}
	if (!exe)
		return usage_error("symbolize", "--exe PROGRAM is needed (the program whose "
				   "addresses the report holds)");
	/* A file that cannot be read is named as such, not as one without symbols. */
	if (access(exe, R_OK)) {
		fprintf(stderr, "ukmem symbolize: %s: %s\n", exe, strerror(errno));
		return 1;
	}
	t = ksym_table_open(exe);
	if (!t) {
		fprintf(stderr, "ukmem symbolize: %s: no ELF symbol table\n", exe);
		return 1;
	}
	if (file && strcmp(file, "-")) {
		in = fopen(file, "r");
		if (!in) {
			fprintf(stderr, "ukmem symbolize: %s: %s\n", file, strerror(errno));
			return 1;
		}
	}
	if (read_report(in, &r)) {
		fprintf(stderr, "ukmem symbolize: out of memory\n");
		return 1;
	}
	if (in != stdin)
		fclose(in);
	find_offsets(&r);
	for (i = 0; i < r.nr; i++) {
		const char *line = r.lines[i];

		if (strstr(line, "Call Trace:"))
			in_trace = true;
		if (strstr(line, "</TASK>") || strstr(line, OFFSET_LINE)) {
			in_trace = false;
			fputs(line, stdout);
		} else {
			symbolize_line(stdout, line, t,
				       have_base ? base : r.has_offset[i] ? r.offsets[i] : 0,
				       in_trace);
		}
		free(r.lines[i]);
	}
	free(r.lines);
	free(r.offsets);
	free(r.has_offset);
	ksym_table_close(t);
	return fflush(stdout) ? 1 : 0;
}
