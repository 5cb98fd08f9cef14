/* SPDX-License-Identifier: MIT */
/*
 * tests/cli/report_prog.c - the program tests/cli/report.sh runs under
 * `ukmem run`: "hold" holds 10 MiB at once in 160 blocks of 64 KiB, frees
 * them and keeps 1000 blocks of 100 bytes and one of 1 MiB to the end;
 * "poison" writes into a freed 64-byte block, which slub_debug=FP reports
 * when the block is handed out again.
 */
#include <stdlib.h>
#include <string.h>

static void *volatile keep[1001];

int main(int argc, char **argv)
{
	const char *what = argc > 1 ? argv[1] : "hold";
	char *volatile p;
	int i;

	if (!strcmp(what, "hold")) {
		char *b[160];

		for (i = 0; i < 160; i++) {
			b[i] = malloc(65536);
			memset(b[i], 1, 65536);
		}
		for (i = 0; i < 160; i++)
			free(b[i]);
		for (i = 0; i < 1000; i++)
			keep[i] = malloc(100);
		keep[1000] = malloc(1 << 20);
		return 0;
	}
	if (!strcmp(what, "poison")) {
		char *volatile q;

		p = malloc(64);
		q = malloc(64);
		free(p);
		free(q);		/* parks q, hands p back to its slab, poisoned */
		p[5] = 0x42;		/* a use after free */
		for (i = 0; i < 8; i++)	/* p among them: its poison is checked */
			keep[i] = malloc(64);
		return 0;
	}
	return 2;
}
