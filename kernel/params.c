/* SPDX-License-Identifier: MIT */
/*
 * kernel/params.c - the boot command line (init/main.c parse_args,
 * kernel/params.c, lib/cmdline.c memparse).
 *
 * Every parameter ukmem knows is in boot_params[] below, under its kernel
 * name, with a one-line description `ukmem help params` prints.  Parsing
 * follows the kernel: words separated by spaces, "name=value" or a bare
 * "name", double quotes protect spaces.  Unknown names are collected and
 * reported in one line, as the kernel reports them; a malformed value is
 * reported with the parameter's name ("Malformed early option 'mem'") and
 * makes the parse return -EINVAL.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/printk.h>
#include <linux/mmzone.h>
#include <linux/spinlock.h>
#include "arch/host.h"
#include "kernel/params.h"
#include "mm/internal.h"
#include "mm/kfence.h"

unsigned long long memparse(const char *ptr, char **retptr)
{
	char *endptr = (char *)ptr;
	unsigned long long ret = 0;

	/*
	 * The kernel's simple_strtoull(): digits only, no sign and no leading
	 * space ("mem=-1" is no number, where strtoull() would wrap it).
	 */
	if (*ptr >= '0' && *ptr <= '9')
		ret = strtoull(ptr, &endptr, 0);

	switch (*endptr) {
	case 'E': case 'e':
		ret <<= 10;
		/* fall through */
	case 'P': case 'p':
		ret <<= 10;
		/* fall through */
	case 'T': case 't':
		ret <<= 10;
		/* fall through */
	case 'G': case 'g':
		ret <<= 10;
		/* fall through */
	case 'M': case 'm':
		ret <<= 10;
		/* fall through */
	case 'K': case 'k':
		ret <<= 10;
		endptr++;
		/* fall through */
	default:
		break;
	}
	if (retptr)
		*retptr = endptr;
	return ret;
}

/* A whole-string size: digits, optional suffix, nothing after. */
static int parse_size(const char *val, unsigned long long *out)
{
	char *end;

	if (!val || !*val || !(*val >= '0' && *val <= '9'))
		return -EINVAL;
	*out = memparse(val, &end);
	return *end ? -EINVAL : 0;
}

static int parse_int(const char *val, long lo, long hi, long *out)
{
	char *end;
	long v;

	if (!val || !*val)
		return -EINVAL;
	v = strtol(val, &end, 0);
	if (*end || v < lo || v > hi)
		return -EINVAL;
	*out = v;
	return 0;
}

/*
 * A boolean as the kernel's kstrtobool() reads it: the first character
 * decides, y/Y/t/T/1 true and n/N/f/F/0 false, and "on"/"off" (the second
 * character); anything else, or no value, is malformed.
 */
static int parse_bool(const char *val, bool *out)
{
	if (!val)
		return -EINVAL;
	switch (val[0]) {
	case 'y': case 'Y': case 't': case 'T': case '1':
		*out = true;
		return 0;
	case 'n': case 'N': case 'f': case 'F': case '0':
		*out = false;
		return 0;
	case 'o': case 'O':
		if (val[1] == 'n' || val[1] == 'N') {
			*out = true;
			return 0;
		}
		if (val[1] == 'f' || val[1] == 'F') {
			*out = false;
			return 0;
		}
		break;
	}
	return -EINVAL;
}

/*
 * A boolean parameter, read as kstrtobool() reads it: the kernel's own
 * (init_on_alloc=, page_poison= ...) and ukmem's 0|1 switches alike.
 */
#define SWITCH_PARAM(fn, lvalue)					\
static int fn(const char *val)						\
{									\
	bool on;							\
									\
	if (parse_bool(val, &on))					\
		return -EINVAL;						\
	lvalue = on;							\
	return 0;							\
}

/* ---- handlers, each setting boot_config or a subsystem variable ---- */

/*
 * mem=nn[KMG]: malformed only when it does not parse or is 0, as in the
 * kernel (x86's parse_memopt: memparse(), whatever follows the suffix
 * ignored, so mem=256MB is 256M); mem=nopentium is x86-32's and is
 * refused with the kernel's warning.  A value below what the boot needs
 * is refused by the boot (init/main.c), which knows the CPUs and nodes
 * and names the minimum.
 */
static int setup_mem(const char *val)
{
	unsigned long long size;
	char *end;

	if (!val)
		return -EINVAL;
	if (!strcmp(val, "nopentium")) {
		pr_warn("mem=nopentium ignored! (only supported on x86_32)\n");
		return -EINVAL;
	}
	size = memparse(val, &end);
	if (!size)
		return -EINVAL;
	boot_config.mem_limit = size;
	snprintf(boot_config.mem_arg, sizeof(boot_config.mem_arg), "%s", val);
	return 0;
}

/*
 * kernelcore= and movablecore= (mm/mm_init.c cmdline_parse_core): a size
 * (memparse) or a percentage of memory ("nn%"); kernelcore=mirror too.
 */
static int parse_core(const char *val, unsigned long *pages, unsigned long *percent)
{
	unsigned long long n;
	char *end;

	if (!val || !(*val >= '0' && *val <= '9'))
		return -EINVAL;
	n = strtoull(val, &end, 0);
	if (*end == '%' && !end[1]) {
		WARN_ON(n > 100);
		*percent = (unsigned long)min(n, 100ULL);
		*pages = 0;
		return 0;
	}
	if (parse_size(val, &n))
		return -EINVAL;
	*pages = (unsigned long)(n >> PAGE_SHIFT);
	*percent = 0;
	return 0;
}

static int setup_kernelcore(const char *val)
{
	if (val && !strcmp(val, "mirror")) {
		boot_config.kernelcore_mirror = true;
		return 0;
	}
	return parse_core(val, &boot_config.kernelcore_pages, &boot_config.kernelcore_percent);
}

static int setup_movablecore(const char *val)
{
	return parse_core(val, &boot_config.movablecore_pages, &boot_config.movablecore_percent);
}

/* memmap=nn[KMG]$ss[KMG]: mark [ss, ss+nn) reserved (e820 type 2). */
static int setup_memmap(const char *val)
{
	unsigned long long size, start;
	char *end;

	if (!val || !(*val >= '0' && *val <= '9'))
		return -EINVAL;
	size = memparse(val, &end);
	if (*end != '$' || !(end[1] >= '0' && end[1] <= '9'))
		return -EINVAL;
	start = memparse(end + 1, &end);
	if (*end || !size)
		return -EINVAL;
	if (boot_config.nr_memmap >= (int)ARRAY_SIZE(boot_config.memmap)) {
		pr_err("memmap: too many entries, ignoring memmap=%s\n", val);
		return 0;
	}
	boot_config.memmap[boot_config.nr_memmap].base = start;
	boot_config.memmap[boot_config.nr_memmap].size = size;
	boot_config.nr_memmap++;
	return 0;
}

/*
 * numa=off, numa=N, numa=fake=N, numa=fake=NU and numa=fake=<size>[MG]
 * (x86 numa_emulation).  NU splits each physical node into N; the machine
 * has one physical node unless numa=N says otherwise, so it is N nodes as
 * well.  The size form's node count needs the RAM size: init/main.c.
 */
static int setup_numa(const char *val)
{
	unsigned long long size;
	char *end;
	long n;

	if (!val)
		return -EINVAL;
	/*
	 * x86 numa_setup(): ignore the firmware's SRAT or HMAT table.  ukmem
	 * reads none, so nothing changes (an earlier numa=fake= stays).
	 */
	if (!strcmp(val, "noacpi") || !strcmp(val, "nohmat"))
		return 0;
	boot_config.numa_fake_size = 0;		/* the last numa= wins */
	boot_config.numa_fake_uniform = 0;
	if (!strcmp(val, "off")) {
		boot_config.numa_nodes = 1;
		return 0;
	}
	if (strncmp(val, "fake=", 5)) {
		if (parse_int(val, 1, MAX_NUMNODES, &n))
			return -EINVAL;
		boot_config.numa_nodes = (int)n;
		return 0;
	}
	/*
	 * numa_emulation()'s order: a 'U' makes the uniform form, an 'M' or
	 * a 'G' the size form, anything else a node count.  The kernel reads
	 * a number and ignores what follows ("1K" and "128m" are 1 and 128
	 * nodes there, not sizes); here only the documented suffix may
	 * follow, the rest is malformed.  Emulation that fails (0 nodes, a
	 * size of 0, more uniform nodes than can be made) leaves one node,
	 * as the kernel boots on without emulation.
	 */
	val += 5;
	if (*val < '0' || *val > '9')
		return -EINVAL;
	if (strchr(val, 'M') || strchr(val, 'G')) {
		size = memparse(val, &end);
		if (*end)
			return -EINVAL;
		boot_config.numa_fake_size = size;
		boot_config.numa_nodes = 1;
		return 0;
	}
	errno = 0;
	n = strtol(val, &end, 0);
	if (errno || n < 0 || (*end && strcmp(end, "U")))
		return -EINVAL;
	if (*end == 'U' && n) {
		/* How many nodes of RAM/N fit: the RAM is known at boot (init/main.c). */
		boot_config.numa_fake_uniform = (unsigned long)n;
		n = 1;
	} else if (n > MAX_NUMNODES) {
		pr_info("numa=fake=%ld too large, reducing to %d\n", n, MAX_NUMNODES);
		n = MAX_NUMNODES;
	}
	boot_config.numa_nodes = n ? (int)n : 1;
	return 0;
}

/*
 * Most parameters are one integer in [@lo, @hi], stored as it is: their
 * setup functions are made here, one line each.
 */
#define INT_PARAM(fn, lo, hi, lvalue)					\
static int fn(const char *val)						\
{									\
	long n;								\
									\
	if (parse_int(val, lo, hi, &n))					\
		return -EINVAL;						\
	lvalue = (__typeof__(lvalue))n;					\
	return 0;							\
}

INT_PARAM(setup_min_free_kbytes, 0, 1L << 30, boot_config.min_free_kbytes)
INT_PARAM(setup_watermark_scale_factor, 1, 3000, boot_config.watermark_scale_factor)

/* early_memblock(): any value, and "debug" anywhere in it turns debugging on. */
static int setup_memblock(const char *val)
{
	if (val && strstr(val, "debug"))
		boot_config.memblock_debug = true;
	return 0;
}

/* Any int, as the kernel's get_option(): above 8 shows all, below 1 nothing. */
INT_PARAM(setup_loglevel, INT_MIN, INT_MAX, console_loglevel)

static int setup_quiet(const char *val)
{
	console_loglevel = CONSOLE_LOGLEVEL_QUIET;
	return 0;
}

static int setup_debug(const char *val)
{
	console_loglevel = 10;	/* CONSOLE_LOGLEVEL_DEBUG */
	return 0;
}

INT_PARAM(setup_page_reporting_keep, 0, 1L << 20, boot_config.page_reporting_keep)
INT_PARAM(setup_page_reporting_adapt_max, 0, 1L << 20, boot_config.page_reporting_adapt_max)
INT_PARAM(setup_page_reporting_adapt_ms, 1, 3600 * 1000, boot_config.page_reporting_adapt_ms)
INT_PARAM(setup_page_reporting_order, 0, MAX_PAGE_ORDER, boot_config.page_reporting_order)
INT_PARAM(setup_page_reporting_delay, 0, 3600 * 1000, boot_config.page_reporting_delay_ms)
SWITCH_PARAM(setup_page_reporting_unmap, boot_config.page_reporting_unmap)

/* ukmem: how vmalloc guard pages fault (mm/vmalloc_map.c); -1 = what the host offers. */
static int setup_vmalloc_guard(const char *val)
{
	static const char *const modes[] = { "off", "mprotect", "madvise", "auto" };
	int i;

	for (i = 0; val && i < 4; i++)
		if (!strcmp(val, modes[i])) {
			boot_config.vmalloc_guard = i == 3 ? -1 : i;
			return 0;
		}
	return -EINVAL;
}

SWITCH_PARAM(setup_debug_atomic_sleep, ukmem_debug_atomic_sleep)

/* panic_on_warn=N (kernel/panic.c core_param, an int): not 0 sets it. */
INT_PARAM(setup_panic_on_warn, INT_MIN, INT_MAX, panic_on_warn)

/*
 * malloc.abort_on_corruption=0|1 (ukmem): what the malloc front end does
 * after reporting heap corruption: stop the program with SIGABRT (1, the
 * default, as panic_on_warn stops the kernel) or go on (0).
 */
bool ukmem_malloc_abort = true;

INT_PARAM(setup_malloc_abort, 0, 1, ukmem_malloc_abort)

/*
 * kfence.sample_interval=MS (default 100, 0: off) and kfence.num_objects=N
 * (default 255): KFENCE's sampling and pool (mm/kfence.c), read at boot.
 */
INT_PARAM(setup_kfence_interval, 0, 1000000000000L, kfence_sample_interval)

INT_PARAM(setup_kfence_objects, 1, 65535, kfence_num_objects)
INT_PARAM(setup_kfence_burst, 0, INT_MAX, kfence_burst)

/* kfence.fault=report|oops|panic: what follows a KFENCE report (an early_param). */
static int setup_kfence_fault(const char *val)
{
	if (!val)
		return -EINVAL;
	if (!strcmp(val, "report"))
		kfence_fault = KFENCE_FAULT_REPORT;
	else if (!strcmp(val, "oops"))
		kfence_fault = KFENCE_FAULT_OOPS;
	else if (!strcmp(val, "panic"))
		kfence_fault = KFENCE_FAULT_PANIC;
	else
		return -EINVAL;
	return 0;
}

/*
 * failslab.ignore_gfp_wait=0|1 and fail_page_alloc.ignore_gfp_wait=0|1
 * (ukmem): the kernel's debugfs file ignore-gfp-wait, from the boot line,
 * for a program that cannot call ukmem_fault_set(): a preloaded one, whose
 * malloc asks as GFP_KERNEL does, which both attributes exempt by default.
 */
SWITCH_PARAM(setup_failslab_ignore_wait, failslab.ignore_gfp_reclaim)
SWITCH_PARAM(setup_fail_page_alloc_ignore_wait, fail_page_alloc.ignore_gfp_reclaim)

/* lockdep.prove_locking=0|1: the lock order checker (kernel/locking.c). */
SWITCH_PARAM(setup_prove_locking, ukmem_lockdep)

/* ---- slab (mm/slub.c setup_slub_min_order and friends) ---- */

static int setup_slub_min_order(const char *val)
{
	long n;

	if (parse_int(val, 0, MAX_PAGE_ORDER, &n))
		return -EINVAL;
	slub_min_order = (unsigned int)n;
	if (slub_min_order > slub_max_order)
		slub_max_order = slub_min_order;
	return 0;
}

static int setup_slub_max_order(const char *val)
{
	long n;

	if (parse_int(val, 0, 1L << 30, &n))
		return -EINVAL;
	slub_max_order = (unsigned int)min(n, (long)MAX_PAGE_ORDER);
	if (slub_min_order > slub_max_order)
		slub_min_order = slub_max_order;
	return 0;
}

INT_PARAM(setup_slub_min_objects, 0, 32767, slub_min_objects)

static int setup_slab_nomerge(const char *val)
{
	slab_nomerge = true;
	return 0;
}

static int setup_slab_merge(const char *val)
{
	slab_nomerge = false;
	return 0;
}

/* slab_strict_numa (v6.13, mm/slub.c setup_slab_strict_numa): takes no value. */
static int setup_slab_strict_numa(const char *val)
{
	slab_strict_numa = true;
	return 0;
}

static int setup_pcp_rseq(const char *val)
{
	bool on;

	if (parse_bool(val, &on))
		return -EINVAL;
	pcp_rseq_disabled = !on;
	return 0;
}

static int setup_slab_rseq(const char *val)
{
	bool on;

	if (val && !strcmp(val, "fake")) {
		slab_rseq_disabled = false;
		if (arch_rseq_fake())
			return 0;
		/* A measurement mode that cannot measure: refused, with the way out. */
		pr_err("slab_rseq=fake: glibc registered an rseq area already; "
		       "run with GLIBC_TUNABLES=glibc.pthread.rseq=0\n");
		return -EINVAL;
	}
	if (parse_bool(val, &on))
		return -EINVAL;
	slab_rseq_disabled = !on;
	return 0;
}

/* slub_debug=<flags>[,<caches>][;...] (mm/slub_debug.c); bare: F, Z, P, U everywhere. */
static int setup_slub_debug_param(const char *val)
{
	return setup_slub_debug(val);
}

/*
 * init_on_alloc=, init_on_free= (mm/page_alloc.c early_init_on_alloc/free):
 * kstrtobool values, so 1, on, y and true switch it on.
 */
SWITCH_PARAM(setup_init_on_alloc, init_on_alloc)
SWITCH_PARAM(setup_init_on_free, init_on_free)

/* page_owner= (mm/page_owner.c early_page_owner_param): kstrtobool. */
SWITCH_PARAM(setup_page_owner, page_owner_requested)

/* page_alloc.shuffle= (mm/shuffle.c's module parameter): kstrtobool. */
SWITCH_PARAM(setup_page_alloc_shuffle, page_alloc_shuffle)

/* hashdist=N (mm/mm_init.c set_hashdist): simple_strtoul, never malformed. */
static int setup_hashdist(const char *val)
{
	hashdist = val ? (int)strtoul(val, NULL, 0) : 0;
	return 0;
}

/* debug_pagealloc= (mm/debug_page_alloc.c early_debug_pagealloc): kstrtobool. */
SWITCH_PARAM(setup_debug_pagealloc, _debug_pagealloc_enabled_early)

/* page_poison= (mm/page_poison.c early_page_poison_param): kstrtobool too. */
SWITCH_PARAM(setup_page_poison, page_poison_requested)

/* slab_freelist_random=0|1 (ukmem's switch for CONFIG_SLAB_FREELIST_RANDOM). */
SWITCH_PARAM(setup_slab_freelist_random, slab_freelist_random)

/*
 * kswapd=on|off|boot - ukmem's own parameter (the kernel has none): when
 * the per-node kswapd threads start.  on (the default): on the first
 * wake; boot: at boot, as the kernel starts them; off: never, reclaim is
 * left to the allocating threads (mm/vmscan.c, docs/reclaim.md).
 */
static int setup_kswapd(const char *val)
{
	if (!val)
		return -EINVAL;
	if (!strcmp(val, "on"))
		boot_config.kswapd_mode = KSWAPD_MODE_ON;
	else if (!strcmp(val, "off"))
		boot_config.kswapd_mode = KSWAPD_MODE_OFF;
	else if (!strcmp(val, "boot"))
		boot_config.kswapd_mode = KSWAPD_MODE_BOOT;
	else
		return -EINVAL;
	return 0;
}

/* kmemleak=on|off (mm/kmemleak.c kmemleak_boot_config); off unless asked. */
static int setup_kmemleak(const char *val)
{
	if (!val)
		return -EINVAL;
	if (!strcmp(val, "on"))
		kmemleak_param = true;
	else if (!strcmp(val, "off"))
		kmemleak_param = false;
	else
		return -EINVAL;
	return 0;
}

/* kmemleak.min_age_ms=N: ukmem's own; the kernel waits a fixed 5 s before reporting. */
INT_PARAM(setup_kmemleak_min_age, 0, INT_MAX, kmemleak_min_age_ms)

/*
 * kmemleak.verbose[=bool]: the kernel's module parameter (a bool param:
 * bare means on); new leaks are also logged when a scan finds them.
 */
static int setup_kmemleak_verbose(const char *val)
{
	return val ? parse_bool(val, &kmemleak_verbose) : (kmemleak_verbose = true, 0);
}

/* highmem: the i386 layout (ZONE_HIGHMEM above 896 MiB; mm/highmem.c). */
static int setup_highmem(const char *val)
{
	if (val)
		return -EINVAL;
	boot_config.layout_32bit = true;
	return 0;
}

const struct boot_param boot_params[] = {
	{ "mem", setup_mem, "mem=nn[KMG]: size of RAM (default: the host's RAM)" },
	{ "memmap", setup_memmap, "memmap=nn[KMG]$ss[KMG]: reserve [ss, ss+nn)" },
	{ "numa", setup_numa, "numa=N, numa=fake=N, numa=fake=NU, numa=fake=<size>, numa=off: split RAM into nodes (numa=noacpi, numa=nohmat: accepted)" },
	{ "min_free_kbytes", setup_min_free_kbytes, "min_free_kbytes=N: the min watermark, in KiB" },
	{ "watermark_scale_factor", setup_watermark_scale_factor,
	  "watermark_scale_factor=N: distance between watermarks, in 1/10000 of the zone" },
	{ "memblock", setup_memblock, "memblock=debug: log every memblock call" },
	{ "kswapd", setup_kswapd,
	  "kswapd=on|off|boot: ukmem's own: start kswapd on first need (on), never, or at boot" },
	{ "loglevel", setup_loglevel, "loglevel=N: console log level (messages below N are printed)" },
	{ "quiet", setup_quiet, "quiet: console log level 4" },
	{ "debug", setup_debug, "debug: console log level 10" },
	{ "page_reporting.keep", setup_page_reporting_keep,
	  "page_reporting.keep=N: free 4 MiB blocks each zone keeps before handing memory back to the host" },
	{ "page_reporting.adapt_max", setup_page_reporting_adapt_max,
	  "page_reporting.adapt_max=N: 4 MiB blocks a zone's keep may grow by while a program takes back what was handed back (ukmem; 0: fixed keep)" },
	{ "page_reporting.adapt_ms", setup_page_reporting_adapt_ms,
	  "page_reporting.adapt_ms=N: the grown keep shrinks by a 4 MiB block per N ms without a re-take (ukmem; default 10000)" },
	{ "page_reporting.page_reporting_order", setup_page_reporting_order,
	  "page_reporting.page_reporting_order=N: smallest order of a free block given back to the host" },
	{ "page_reporting.delay_ms", setup_page_reporting_delay,
	  "page_reporting.delay_ms=N: how long free blocks below 4 MiB wait before they are given back (ukmem)" },
	{ "page_reporting.unmap", setup_page_reporting_unmap,
	  "page_reporting.unmap=0|1: unmap reported memory (uncharging it) or only discard it; default: unmap under strict overcommit (ukmem)" },
	{ "failslab", setup_failslab,
	  "failslab=<interval>,<probability>,<space>,<times>: fail slab allocations" },
	{ "fail_page_alloc", setup_fail_page_alloc,
	  "fail_page_alloc=<interval>,<probability>,<space>,<times>: fail page allocations" },
	{ "failslab.ignore_gfp_wait", setup_failslab_ignore_wait,
	  "failslab.ignore_gfp_wait=0|1: ukmem: the debugfs file ignore-gfp-wait: 0 lets failslab fail allocations that may sleep (malloc's)" },
	{ "fail_page_alloc.ignore_gfp_wait", setup_fail_page_alloc_ignore_wait,
	  "fail_page_alloc.ignore_gfp_wait=0|1: ukmem: the same for fail_page_alloc" },
	{ "fail_usercopy", setup_fail_usercopy,
	  "fail_usercopy=<interval>,<probability>,<space>,<times>: fail user-space copies" },
	{ "slab_min_order", setup_slub_min_order,
	  "slab_min_order=N: smallest page order of a slab (default 0)" },
	{ "slab_max_order", setup_slub_max_order,
	  "slab_max_order=N: largest page order a slab prefers (default 3)" },
	{ "slab_min_objects", setup_slub_min_objects,
	  "slab_min_objects=N: objects a slab should hold at least (default 4 * (fls(CPUs) + 1))" },
	{ "slab_nomerge", setup_slab_nomerge, "slab_nomerge: never merge compatible slab caches" },
	{ "slab_strict_numa", setup_slab_strict_numa,
	  "slab_strict_numa: memory policies per object (ukmem has none: accepted, announced)" },
	{ "slab_merge", setup_slab_merge, "slab_merge: merge compatible slab caches (the default)" },
	/* The SLUB-era names, kept by the kernel as aliases since v6.8. */
	{ "slub_min_order", setup_slub_min_order, "slub_min_order=N: old name of slab_min_order" },
	{ "slub_max_order", setup_slub_max_order, "slub_max_order=N: old name of slab_max_order" },
	{ "slub_min_objects", setup_slub_min_objects,
	  "slub_min_objects=N: old name of slab_min_objects" },
	{ "slub_nomerge", setup_slab_nomerge, "slub_nomerge: old name of slab_nomerge" },
	{ "slub_merge", setup_slab_merge, "slub_merge: old name of slab_merge" },
	{ "slab_rseq", setup_slab_rseq,
	  "slab_rseq=0|1|fake: ukmem: per-CPU slab caches by restartable sequences (1, default where the host allows) or by per-CPU locks (0); fake: where the host has no rseq (valgrind), an area of ukmem's own saying CPU 0, so callgrind counts the rseq path (one thread, measurement only)" },
	{ "pcp_rseq", setup_pcp_rseq,
	  "pcp_rseq=0|1: ukmem: per-CPU stacks of order-0 pages by restartable sequences in front of the pcp lists (1, default where the host allows), or the pcp lists alone (0)" },
	{ "slab_debug", setup_slub_debug_param,
	  "slab_debug[=<FZPUTAO->[,<cache>...][;...]]: slab debugging (bare: FZPU for every cache)" },
	{ "slub_debug", setup_slub_debug_param, "slub_debug=...: old name of slab_debug" },
	{ "init_on_alloc", setup_init_on_alloc,
	  "init_on_alloc=0|1 (or on/off, y/n): zero every slab object and page when it is allocated (default 0)" },
	{ "page_owner", setup_page_owner,
	  "page_owner=on|off: record who allocated and freed each page (the page_owner report)" },
	{ "page_poison", setup_page_poison,
	  "page_poison=on|off: fill freed pages with 0xaa and check them when allocated" },
	{ "init_on_free", setup_init_on_free,
	  "init_on_free=0|1 (or on/off, y/n): zero every slab object and page when it is freed (default 0)" },
	{ "slab_freelist_random", setup_slab_freelist_random,
	  "slab_freelist_random=0|1: ukmem: new slabs hand out objects in random order (CONFIG_SLAB_FREELIST_RANDOM; default 0)" },
	{ "kernelcore", setup_kernelcore,
	  "kernelcore=nn[KMG]|nn%|mirror: memory for allocations that cannot move; the rest of each node's highest zone becomes ZONE_MOVABLE (default: no ZONE_MOVABLE; mirror: the host has no mirrored memory, ignored)" },
	{ "movablecore", setup_movablecore,
	  "movablecore=nn[KMG]|nn%: memory for ZONE_MOVABLE, spread over the nodes (only __GFP_MOVABLE | __GFP_HIGHMEM allocations, as GFP_HIGHUSER_MOVABLE, use it)" },
	{ "page_alloc.shuffle", setup_page_alloc_shuffle,
	  "page_alloc.shuffle=Y|N: randomise which max-order (4 MiB) blocks the page allocator hands out, and where a freed one queues (CONFIG_SHUFFLE_PAGE_ALLOCATOR; default N)" },
	{ "hashdist", setup_hashdist,
	  "hashdist=N: large system hashes (alloc_large_system_hash) from vmalloc, spread over the nodes (default 1; 0 on a machine of one memory node)" },
	{ "debug_pagealloc", setup_debug_pagealloc,
	  "debug_pagealloc=on|off: free pages leave the linear map, so that a touch of one faults and is reported as the kernel's oops (CONFIG_DEBUG_PAGEALLOC; default off; needs the host's guard markers, Linux 6.13+)" },
	{ "panic_on_warn", setup_panic_on_warn,
	  "panic_on_warn=N: a WARN, a slab_debug, KFENCE or KASAN report ends in a panic (N not 0; default 0; also sysctl kernel.panic_on_warn)" },
	{ "debug_atomic_sleep", setup_debug_atomic_sleep,
	  "debug_atomic_sleep=0|1: report calls that may sleep from atomic context (default 1)" },
	{ "kfence.sample_interval", setup_kfence_interval,
	  "kfence.sample_interval=MS: KFENCE samples one allocation every MS milliseconds (default 100; 0: off)" },
	{ "kfence.burst", setup_kfence_burst,
	  "kfence.burst=N: N more KFENCE objects each time the sampling interval passes (default 0)" },
	{ "kfence.fault", setup_kfence_fault,
	  "kfence.fault=report|oops|panic: after a KFENCE report go on (default), BUG(), or panic" },
	{ "kfence.num_objects", setup_kfence_objects,
	  "kfence.num_objects=N: objects in the KFENCE pool (default 255), each on its own page between guard pages" },
	{ "malloc.abort_on_corruption", setup_malloc_abort,
	  "malloc.abort_on_corruption=0|1: ukmem: the malloc front end stops the program with SIGABRT after reporting heap corruption (1, default) or goes on (0)" },
	{ "vmalloc.guard", setup_vmalloc_guard,
	  "vmalloc.guard=auto|madvise|mprotect|off: ukmem: how vmalloc guard pages fault (default auto: madvise guards where the host has them, else mprotect)" },
	{ "lockdep.prove_locking", setup_prove_locking,
	  "lockdep.prove_locking=0|1: check the library's lock order (docs/overview.md; default 1 in debug builds, 0 otherwise)" },
	{ "kmemleak", setup_kmemleak,
	  "kmemleak=on|off: track every allocation and report the unreferenced ones (docs/kmemleak.md; default off)" },
	{ "kmemleak.verbose", setup_kmemleak_verbose,
	  "kmemleak.verbose[=1]: log each new leak a scan finds, not only the count (docs/kmemleak.md; default off)" },
	{ "kmemleak.min_age_ms", setup_kmemleak_min_age,
	  "kmemleak.min_age_ms=N: ukmem: how old an unreferenced object must be before a scan reports it (default 5000, the kernel's)" },
	{ "highmem", setup_highmem,
	  "highmem: i386 memory layout: DMA < 16M, Normal to 896M, HighMem above (kmap needed)" },
	{ NULL, NULL, NULL },
};

static const struct boot_param *find_param(const char *name, size_t len)
{
	const struct boot_param *p;

	for (p = boot_params; p->name; p++)
		if (strlen(p->name) == len && !strncmp(p->name, name, len))
			return p;
	return NULL;
}

/* Unknown parameters, reported once the boot has printed its command line. */
static char unknown_args[COMMAND_LINE_SIZE], unknown_envs[COMMAND_LINE_SIZE];

static void append_word(char *buf, size_t size, const char *word)
{
	size_t len = strlen(buf), n = strlen(word);

	/* Cut at the buffer's end, as the kernel's own buffers are. */
	if (len && len + 1 < size)
		buf[len++] = ' ';
	n = min(n, size - 1 - len);
	memcpy(buf + len, word, n);
	buf[len + n] = '\0';
}

/*
 * sysctl.NAME=VALUE words, kept until the machine is up (the kernel's
 * do_sysctl_args() runs them after the boot too): "NAME\0VALUE\0" pairs,
 * VALUE "\1" for a word without '='.
 */
static char sysctl_words[COMMAND_LINE_SIZE];
static size_t sysctl_words_len;

static void keep_sysctl_word(const char *word)
{
	const char *eq = strchr(word, '=');
	size_t name_len = eq ? (size_t)(eq - word) : strlen(word);
	const char *value = eq ? eq + 1 : "\1";
	size_t need = name_len + 1 + strlen(value) + 1;

	if (sysctl_words_len + need > sizeof(sysctl_words))
		return;
	memcpy(sysctl_words + sysctl_words_len, word, name_len);
	sysctl_words[sysctl_words_len + name_len] = '\0';
	strcpy(sysctl_words + sysctl_words_len + name_len + 1, value);
	sysctl_words_len += need;
}

void apply_boot_sysctls(void)
{
	size_t at = 0;

	while (at < sysctl_words_len) {
		const char *name = sysctl_words + at, *value = name + strlen(name) + 1;

		at += strlen(name) + 1 + strlen(value) + 1;
		if (!strcmp(value, "\1") || !*value)
			pr_err("Setting sysctl args: `%s' invalid for parameter `sysctl.%s'\n",
			       strcmp(value, "\1") ? value : "", name);
		else
			sysctl_boot_arg(name, value);
	}
	sysctl_words_len = 0;
}

/*
 * The parameters the kernel takes as core or module parameters (parse_args()
 * "Booting kernel"), not early_param()s: their bad values are reported in
 * parse_args()'s words.  Dotted names are module parameters too.
 */
static bool kernel_core_param(const char *name, size_t len)
{
	static const char *const core[] = {
		"slab_min_order", "slab_max_order", "slab_min_objects", "slub_min_order",
		"slub_max_order", "slub_min_objects", "slab_strict_numa", "panic_on_warn", NULL,
	};

	if (len == strlen("kfence.fault") && !strncmp(name, "kfence.fault", len))
		return false;	/* an early_param() */
	if (memchr(name, '.', len))
		return true;
	for (const char *const *c = core; *c; c++)
		if (strlen(*c) == len && !strncmp(*c, name, len))
			return true;
	return false;
}

int parse_boot_params(const char *cmdline)
{
	char word[COMMAND_LINE_SIZE];	/* a word may be the whole line */
	int ret = 0;

	unknown_args[0] = unknown_envs[0] = '\0';
	sysctl_words_len = 0;
	while (cmdline && *cmdline) {
		const struct boot_param *param;
		size_t n = 0, name_len;
		bool quoted = false;
		char *eq;

		while (*cmdline == ' ' || *cmdline == '\t' || *cmdline == '\n')
			cmdline++;
		if (!*cmdline)
			break;
		while (*cmdline && (quoted || (*cmdline != ' ' && *cmdline != '\t' &&
					       *cmdline != '\n'))) {
			if (*cmdline == '"')
				quoted = !quoted;
			else if (n < sizeof(word) - 1)
				word[n++] = *cmdline;
			cmdline++;
		}
		word[n] = '\0';
		/* parse_args(): a bare "--" ends the kernel's part; the rest is init's. */
		if (!strcmp(word, "--"))
			break;
		/* sysctl.vm.x=y or sysctl/vm/x=y: set once the machine is up. */
		if (!strncmp(word, "sysctl", 6) && (word[6] == '.' || word[6] == '/')) {
			keep_sysctl_word(word + 7);
			continue;
		}
		eq = strchr(word, '=');
		name_len = eq ? (size_t)(eq - word) : n;
		param = find_param(word, name_len);
		if (!param) {
			/*
			 * As the kernel's unknown_bootoption(): a dotted name is a
			 * module parameter and stays quiet; the rest would go to
			 * init, bare words as arguments and name=value as its
			 * environment, and are reported in that order.
			 */
			if (memchr(word, '.', name_len))
				continue;
			if (eq)
				append_word(unknown_envs, sizeof(unknown_envs), word);
			else
				append_word(unknown_args, sizeof(unknown_args), word);
			continue;
		}
		switch (param->setup(eq ? eq + 1 : NULL)) {
		case 0:
			break;
		case PARAM_UNHANDLED:
			append_word(eq ? unknown_envs : unknown_args,
				    eq ? sizeof(unknown_envs) : sizeof(unknown_args), word);
			break;
		default:
			if (kernel_core_param(word, name_len))
				pr_err("Booting kernel: `%s' invalid for parameter `%.*s'\n",
				       eq ? eq + 1 : "", (int)name_len, word);
			else
				pr_warn("Malformed early option '%.*s'\n", (int)name_len, word);
			ret = -EINVAL;
		}
	}
	return ret;
}

void print_unknown_bootoptions(void)
{
	char all[2 * COMMAND_LINE_SIZE];

	if (!unknown_args[0] && !unknown_envs[0])
		return;
	snprintf(all, sizeof(all), "%s%s%s", unknown_args,
		 unknown_args[0] && unknown_envs[0] ? " " : "", unknown_envs);
	pr_notice("Unknown kernel command line parameters \"%s\", will be passed to user space.\n",
		  all);
}
