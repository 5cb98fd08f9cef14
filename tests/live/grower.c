/* SPDX-License-Identifier: MIT */
/*
 * A plain program whose heap grows while it runs, for the live view's
 * tests: 500 blocks of 100 bytes every 100 ms, kept, until the file named
 * by its argument exists (then it frees them and exits 0).  It never ends
 * by itself before an hour, so a test decides when it stops.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	struct timespec pause = { 0, 100 * 1000 * 1000 };
	size_t n = 0, max = 1 << 22;
	char **blocks = malloc(max * sizeof(*blocks));
	int round;

	if (argc != 2 || !blocks)
		return 2;
	for (round = 0; round < 36000 && access(argv[1], F_OK); round++) {
		int i;

		for (i = 0; i < 500 && n < max; i++) {
			blocks[n] = malloc(100);
			memset(blocks[n++], round & 0xff, 100);
		}
		nanosleep(&pause, NULL);
	}
	while (n)
		free(blocks[--n]);
	free(blocks);
	return 0;
}
