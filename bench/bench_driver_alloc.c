/* SPDX-License-Identifier: MIT */
/*
 * bench_driver_alloc - the cost of the drivers' allocators against
 * kmalloc(64)+kfree() in the same run: nanoseconds per alloc+free pair,
 * one thread, everything warmed up first.
 *
 *   dmapool      dma_pool_alloc + dma_pool_free of a 64-byte block
 *   dmapool x32  32 allocations, then 32 frees
 *   devres       devm_kmalloc(64) + devm_kfree, 10 other resources on the device
 *   genalloc     gen_pool_alloc(64) + gen_pool_free on an empty 1 MiB chunk
 *   genalloc 1/16  the same with the chunk's first 64 KiB in use (first fit scans)
 *   page_frag    page_frag_alloc(64) + page_frag_free
 *
 * Each figure is the median of --reps runs of --iters pairs.  For counts
 * that noise cannot move, run one case under callgrind:
 *   valgrind --tool=callgrind --toggle-collect='loop_*' bench_driver_alloc --only NAME
 *
 *   bench_driver_alloc [--iters N] [--reps N] [--only NAME] [--smoke]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/device.h>
#include <linux/dma-mapping.h>
#include <linux/dmapool.h>
#include <linux/genalloc.h>
#include <linux/page_frag_cache.h>
#include <linux/slab.h>
#include "bench_boot.h"

#define WARMUP	20000	/* pairs before the timed runs, a multiple of 32 */

static long opt_iters = 1000000;
static int opt_reps = 5;
static const char *opt_only;

static struct device dev = { .init_name = "bench", .coherent_dma_mask = ~0ULL };
static struct dma_pool *pool;
static struct gen_pool *gpool, *gpool_used;
static struct page_frag_cache frag;

static noinline void loop_kmalloc(long n)
{
	for (long i = 0; i < n; i++) {
		void *p = kmalloc(64, GFP_KERNEL);

		barrier();
		kfree(p);
	}
}

static noinline void loop_dmapool(long n)
{
	dma_addr_t dma;

	for (long i = 0; i < n; i++) {
		void *p = dma_pool_alloc(pool, GFP_KERNEL, &dma);

		dma_pool_free(pool, p, dma);
	}
}

static noinline void loop_dmapool32(long n)
{
	void *p[32];
	dma_addr_t dma[32];

	for (long i = 0; i < n; i += 32) {
		for (int j = 0; j < 32; j++)
			p[j] = dma_pool_alloc(pool, GFP_KERNEL, &dma[j]);
		for (int j = 0; j < 32; j++)
			dma_pool_free(pool, p[j], dma[j]);
	}
}

static noinline void loop_devres(long n)
{
	for (long i = 0; i < n; i++)
		devm_kfree(&dev, devm_kmalloc(&dev, 64, GFP_KERNEL));
}

static noinline void loop_genalloc(long n)
{
	for (long i = 0; i < n; i++)
		gen_pool_free(gpool, gen_pool_alloc(gpool, 64), 64);
}

static noinline void loop_genalloc_used(long n)
{
	for (long i = 0; i < n; i++)
		gen_pool_free(gpool_used, gen_pool_alloc(gpool_used, 64), 64);
}

static noinline void loop_page_frag(long n)
{
	for (long i = 0; i < n; i++)
		page_frag_free(page_frag_alloc(&frag, 64, GFP_KERNEL));
}

static const struct bench_case {
	const char *name;
	void (*loop)(long n);
} cases[] = {
	{ "kmalloc", loop_kmalloc },
	{ "dmapool", loop_dmapool },
	{ "dmapool x32", loop_dmapool32 },
	{ "devres", loop_devres },
	{ "genalloc", loop_genalloc },
	{ "genalloc 1/16", loop_genalloc_used },
	{ "page_frag", loop_page_frag },
};

static void setup(void)
{
	static char chunk[1 << 20], chunk_used[1 << 20];

	pool = dma_pool_create("bench", &dev, 64, 64, 0);
	gpool = gen_pool_create(3, -1);
	gpool_used = gen_pool_create(3, -1);
	if (!pool || !gpool || !gpool_used ||
	    gen_pool_add(gpool, (unsigned long)chunk, sizeof(chunk), -1) ||
	    gen_pool_add(gpool_used, (unsigned long)chunk_used, sizeof(chunk_used), -1)) {
		fprintf(stderr, "bench_driver_alloc: setup failed\n");
		exit(1);
	}
	for (int i = 0; i < 1024; i++)
		gen_pool_alloc(gpool_used, 64);
	for (int i = 0; i < 10; i++)
		devm_kmalloc(&dev, 32, GFP_KERNEL);
	page_frag_cache_init(&frag);
}

int main(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--iters") && i + 1 < argc)
			opt_iters = atol(argv[++i]);
		else if (!strcmp(argv[i], "--reps") && i + 1 < argc)
			opt_reps = atoi(argv[++i]);
		else if (!strcmp(argv[i], "--only") && i + 1 < argc)
			opt_only = argv[++i];
		else if (!strcmp(argv[i], "--smoke"))
			opt_iters = 20000, opt_reps = 3;
		else {
			fprintf(stderr, "usage: bench_driver_alloc [--iters N] [--reps N] "
				"[--only NAME] [--smoke]\n");
			return 2;
		}
	}
	if (opt_iters < 32 || opt_reps < 1 || opt_reps > 99)
		return 2;
	if (bench_boot("mem=512M loglevel=4")) {
		fprintf(stderr, "bench_driver_alloc: boot failed\n");
		return 1;
	}
	setup();
	printf("ns per alloc+free pair, median of %d runs of %ld pairs\n", opt_reps, opt_iters);
	for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
		double t[99];

		if (opt_only && strcmp(opt_only, cases[c].name))
			continue;
		cases[c].loop(WARMUP);	/* fixed: two runs' counts differ by their --iters only */
		for (int r = 0; r < opt_reps; r++) {
			double t0 = bench_now_ns();

			cases[c].loop(opt_iters);
			t[r] = (bench_now_ns() - t0) / (double)opt_iters;
		}
		qsort(t, (size_t)opt_reps, sizeof(t[0]), bench_cmp_double);
		printf("  %-14s %8.1f\n", cases[c].name, t[opt_reps / 2]);
	}
	return 0;
}
