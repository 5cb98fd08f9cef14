/* SPDX-License-Identifier: MIT */
/*
 * bench/malloc/bm_tiny.c - one thread, tiny short-lived objects around a
 * small live set: big-number arithmetic (cfrac's pattern), where every
 * operation allocates its result, a few limbs, and frees its operands.
 *
 *   bm_tiny [-n OPS] [-q]             (default 50M operations; -t ignored)
 *
 * A live set of 256 numbers of 1-6 limbs (8-byte words, plus an 8-byte
 * header): each operation picks two, allocates their "sum" (one limb
 * longer than the longer operand, at most 6), writes its limbs, and
 * replaces one operand with it (which is freed); every 16th operation
 * also makes and drops a temporary.  Sizes 16 to 56 bytes.
 */
#include "bm.h"

#define LIVE	256
#define MAX_LIMBS	6

struct num {
	uint64_t n;		/* limbs */
	uint64_t limb[];
};

static struct num *make(uint64_t n, uint64_t seed)
{
	struct num *x = bm_malloc(sizeof(*x) + n * sizeof(uint64_t));

	x->n = n;
	for (uint64_t i = 0; i < n; i++)
		x->limb[i] = seed + i;
	return x;
}

int main(int argc, char **argv)
{
	struct bm_opts o = bm_parse(argc, argv, 50000000, "tiny objects, one thread: OPS operations");
	uint64_t rng = bm_seed(3), sum = 0;
	struct num *set[LIVE];

	for (int i = 0; i < LIVE; i++)
		set[i] = make(1 + i % MAX_LIMBS, (uint64_t)i);
	for (unsigned long op = 0; op < o.count; op++) {
		uint64_t r = bm_rand(&rng);
		unsigned int a = (unsigned int)(r >> 20) % LIVE, b = (unsigned int)(r >> 40) % LIVE;
		uint64_t n = (set[a]->n > set[b]->n ? set[a]->n : set[b]->n) % MAX_LIMBS + 1;
		struct num *s = make(n, set[a]->limb[0] + set[b]->limb[0]);

		sum += s->limb[n - 1];
		free(set[a]);
		set[a] = s;
		if ((op & 15) == 0) {
			struct num *t = make(1 + (r & 3), r);

			sum += t->limb[0] & 0xff;
			free(t);
		}
	}
	for (int i = 0; i < LIVE; i++)
		free(set[i]);
	printf("bm_tiny: %lu operations, sum %llu\n", o.count, (unsigned long long)sum);
	return 0;
}
