/* SPDX-License-Identifier: MIT */
/*
 * bench_vmalloc - vmalloc()+vfree() against mmap()+munmap().
 *
 * Rows: 64 KiB and 1 MiB, each untouched (allocate and free) and touched
 * (one byte written per page in between).  Every figure is the median of
 * --reps runs of --iters pairs, in microseconds per pair.  The vmalloc side
 * is ukmem's: buddy pages, moved into the physical memory file and mapped
 * twice (docs/vmalloc.md), then given back; the mmap side is a fresh
 * anonymous mapping each time.
 *
 *   bench_vmalloc [--iters N] [--reps N] [--smoke]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>

#include <linux/vmalloc.h>
#include <ukmem/boot.h>

static int opt_iters = 2000, opt_reps = 7;

static double now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static void touch(volatile char *p, size_t size)
{
	size_t off;

	for (off = 0; off < size; off += 4096)
		p[off] = 1;
}

/* One repetition: microseconds per pair. */
static double run_vmalloc(size_t size, int touched)
{
	double t0 = now_us();
	int i;

	for (i = 0; i < opt_iters; i++) {
		char *p = vmalloc(size);

		if (!p) {
			fprintf(stderr, "vmalloc(%zu) failed\n", size);
			exit(1);
		}
		if (touched)
			touch(p, size);
		vfree(p);
	}
	return (now_us() - t0) / opt_iters;
}

static double run_mmap(size_t size, int touched)
{
	double t0 = now_us();
	int i;

	for (i = 0; i < opt_iters; i++) {
		char *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

		if (p == MAP_FAILED) {
			perror("mmap");
			exit(1);
		}
		if (touched)
			touch(p, size);
		munmap(p, size);
	}
	return (now_us() - t0) / opt_iters;
}

static double median(double (*fn)(size_t, int), size_t size, int touched)
{
	double v[64];
	int r;

	fn(size, touched);	/* warm-up */
	for (r = 0; r < opt_reps; r++)
		v[r] = fn(size, touched);
	qsort(v, opt_reps, sizeof(v[0]), cmp_double);
	return v[opt_reps / 2];
}

int main(int argc, char **argv)
{
	static const size_t sizes[] = { 64 << 10, 1 << 20 };
	int i, t;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--smoke")) {
			opt_iters = 16;
			opt_reps = 1;
		} else if (!strcmp(argv[i], "--iters") && i + 1 < argc) {
			opt_iters = atoi(argv[++i]);
		} else if (!strcmp(argv[i], "--reps") && i + 1 < argc) {
			opt_reps = atoi(argv[++i]);
		} else {
			fprintf(stderr, "usage: %s [--iters N] [--reps N] [--smoke]\n", argv[0]);
			return 2;
		}
	}
	if (opt_iters < 1 || opt_reps < 1 || opt_reps > 64)
		return 2;
	if (ukmem_boot("mem=1G loglevel=1")) {
		fprintf(stderr, "boot failed\n");
		return 1;
	}
	printf("bench_vmalloc: %d pairs per run, median of %d runs, us per pair\n",
	       opt_iters, opt_reps);
	printf("%-8s %-10s %12s %12s %8s\n", "size", "variant", "vmalloc+vfree", "mmap+munmap",
	       "ratio");
	for (i = 0; i < 2; i++)
		for (t = 0; t < 2; t++) {
			double v = median(run_vmalloc, sizes[i], t);
			double m = median(run_mmap, sizes[i], t);

			printf("%-8s %-10s %12.2f %12.2f %8.2f\n", i ? "1 MiB" : "64 KiB",
			       t ? "touched" : "untouched", v, m, v / m);
		}
	return 0;
}
