/* SPDX-License-Identifier: MIT */
/*
 * malloc/usage.c - the figures behind mallinfo(), malloc_stats() and
 * malloc_info(): what the slab layer holds (slab pages and kmalloc's
 * compound pages, counted as the kernel counts them in meminfo's Slab line)
 * the large blocks it takes from the buddy allocator, and what the host
 * path holds.
 *
 * "In use" is the slab bytes less the free objects of every cache, read
 * from the same figures slabinfo prints.  The walk takes slab_mutex, so
 * these calls are for reports, not for hot paths.  The exported calls
 * (mallinfo2, mallinfo, malloc_stats, malloc_info) are here too, in
 * glibc's shapes.
 */
#include <errno.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/mmzone.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <ukmem/boot.h>
#include "arch/host.h"
#include "malloc/malloc_internal.h"
#include "mm/slab.h"

#define UKMEM_EXPORT	__attribute__((visibility("default")))

void ukmem_malloc_usage(struct ukmem_malloc_usage *u)
{
	unsigned long slab_bytes = 0, free_bytes = 0;
	struct kmem_cache *s;
	int nid;

	host_usage(&u->host_blocks, &u->host_bytes, &u->max_host_blocks, &u->max_host_bytes);
	u->system_bytes = 0;
	u->in_use_bytes = 0;
	if (!ukmem_booted())
		return;
	/* Freed by the program: not in use, though parked until the thread's next free. */
	malloc_unpark();

	for_each_online_node(nid) {
		slab_bytes += ukmem_node_stat_raw(NODE_DATA(nid), NR_SLAB_RECLAIMABLE_B);
		slab_bytes += ukmem_node_stat_raw(NODE_DATA(nid), NR_SLAB_UNRECLAIMABLE_B);
	}
	mutex_lock(&slab_mutex);
	list_for_each_entry(s, &slab_caches, list) {
		struct slabinfo info;

		get_slabinfo(s, &info);
		if (info.num_objs > info.active_objs)
			free_bytes += (info.num_objs - info.active_objs) * (unsigned long)s->size;
	}
	mutex_unlock(&slab_mutex);

	/* Large blocks kept for reuse with their guard pages are free. */
	free_bytes += malloc_large_cached_bytes();
	u->system_bytes = slab_bytes + malloc_large_block_bytes();
	u->in_use_bytes = u->system_bytes > free_bytes ? u->system_bytes - free_bytes : 0;
}

UKMEM_EXPORT struct mallinfo2 mallinfo2(void)
{
	struct mallinfo2 mi;
	struct ukmem_malloc_usage u;

	memset(&mi, 0, sizeof(mi));
	ukmem_malloc_usage(&u);
	mi.arena = u.system_bytes;
	mi.ordblks = 1;
	mi.hblks = u.host_blocks;
	mi.hblkhd = u.host_bytes;
	mi.uordblks = u.in_use_bytes;
	mi.fordblks = u.system_bytes - u.in_use_bytes;
	mi.keepcost = 0;
	return mi;
}

UKMEM_EXPORT struct mallinfo mallinfo(void)
{
	struct mallinfo2 m2 = mallinfo2();
	struct mallinfo mi;

	/* The old struct has int fields: values wrap, as glibc's do. */
	mi.arena = (int)m2.arena;
	mi.ordblks = (int)m2.ordblks;
	mi.smblks = (int)m2.smblks;
	mi.hblks = (int)m2.hblks;
	mi.hblkhd = (int)m2.hblkhd;
	mi.usmblks = (int)m2.usmblks;
	mi.fsmblks = (int)m2.fsmblks;
	mi.uordblks = (int)m2.uordblks;
	mi.fordblks = (int)m2.fordblks;
	mi.keepcost = (int)m2.keepcost;
	return mi;
}

UKMEM_EXPORT void malloc_stats(void)
{
	struct ukmem_malloc_usage u;
	char buf[512];
	int n;

	ukmem_malloc_usage(&u);
	/* glibc's layout, one "arena" (the machine), to stderr. */
	n = snprintf(buf, sizeof(buf),
		     "Arena 0:\nsystem bytes     = %10lu\nin use bytes     = %10lu\n"
		     "Total (incl. mmap):\nsystem bytes     = %10lu\nin use bytes     = %10lu\n"
		     "max mmap regions = %10lu\nmax mmap bytes   = %10lu\n",
		     u.system_bytes, u.in_use_bytes, u.system_bytes + u.host_bytes,
		     u.in_use_bytes + u.host_bytes, u.max_host_blocks, u.max_host_bytes);
	arch_write(2, buf, (size_t)n);
}

UKMEM_EXPORT int malloc_info(int options, FILE *stream)
{
	struct ukmem_malloc_usage u;

	if (options)
		return EINVAL;	/* as glibc: the error is the return value */
	ukmem_malloc_usage(&u);
	fprintf(stream, "<malloc version=\"1\">\n<heap nr=\"0\">\n<sizes>\n</sizes>\n"
		"<total type=\"fast\" count=\"0\" size=\"0\"/>\n"
		"<total type=\"rest\" count=\"0\" size=\"%lu\"/>\n"
		"<system type=\"current\" size=\"%lu\"/>\n<system type=\"max\" size=\"%lu\"/>\n"
		"<aspace type=\"total\" size=\"%lu\"/>\n<aspace type=\"mprotect\" size=\"%lu\"/>\n"
		"</heap>\n<total type=\"fast\" count=\"0\" size=\"0\"/>\n"
		"<total type=\"rest\" count=\"0\" size=\"%lu\"/>\n"
		"<total type=\"mmap\" count=\"%lu\" size=\"%lu\"/>\n"
		"<system type=\"current\" size=\"%lu\"/>\n<system type=\"max\" size=\"%lu\"/>\n"
		"<aspace type=\"total\" size=\"%lu\"/>\n<aspace type=\"mprotect\" size=\"%lu\"/>\n"
		"</malloc>\n",
		u.system_bytes - u.in_use_bytes, u.system_bytes, u.system_bytes,
		u.system_bytes, u.system_bytes, u.system_bytes - u.in_use_bytes,
		u.host_blocks, u.host_bytes, u.system_bytes + u.host_bytes,
		u.system_bytes + u.host_bytes, u.system_bytes + u.host_bytes,
		u.system_bytes + u.host_bytes);
	return 0;
}

/* ---- mallopt() ---- */

UKMEM_EXPORT int mallopt(int param, int value)
{
	switch (param) {
	case M_MMAP_THRESHOLD:
		/*
		 * Honoured between the largest slab class and kmalloc's largest
		 * size (the page allocator cannot serve more); clamped into
		 * that range, and accepted, as glibc accepts its own clamping.
		 * A negative value is accepted too: glibc 2.36 checks the int
		 * against its limit and then stores it as a size_t, a threshold
		 * no block reaches; here, the largest.
		 */
		mmap_threshold = value < 0 ? (size_t)KMALLOC_MAX_SIZE :
			clamp((size_t)value, (size_t)KMALLOC_MAX_CACHE_SIZE, (size_t)KMALLOC_MAX_SIZE);
		return 1;
	case M_PERTURB:
		perturb_byte = value & 0xff;
		malloc_slow_always_update();
		return 1;
	case M_MXFAST:
		/*
		 * No fastbins either, but glibc refuses a limit above its
		 * largest fastbin size (MAX_FAST_SIZE, 80 * sizeof(size_t) / 4)
		 * or below 0, and a program may check the answer.
		 */
		return value >= 0 && (size_t)value <= 80 * sizeof(size_t) / 4;
	case M_TRIM_THRESHOLD:
	case M_TOP_PAD:
	case M_MMAP_MAX:
	case M_ARENA_MAX:
	case M_ARENA_TEST:
		/*
		 * Accepted so programs that tune glibc run unchanged, but they
		 * have no meaning here: memory goes back to the host by free
		 * page reporting, and there are no arenas.
		 */
		return 1;
	default:
		/* glibc returns 1 for parameters it does not know, too. */
		return 1;
	}
}

/* The names glibc 2.36 also exports them under (its own code's calls). */
UKMEM_EXPORT int __libc_mallopt(int param, int value) { return mallopt(param, value); }
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wdeprecated-declarations"
UKMEM_EXPORT struct mallinfo __libc_mallinfo(void) { return mallinfo(); }
#pragma GCC diagnostic pop

/*
 * glibc's environment settings of the parameters mallopt() acts on here
 * (the tunables glibc.malloc.perturb and glibc.malloc.mmap_threshold, in
 * GLIBC_TUNABLES or as their old names MALLOC_PERTURB_ and
 * MALLOC_MMAP_THRESHOLD_, GLIBC_TUNABLES winning), read once at load: a
 * test suite that sets MALLOC_PERTURB_ keeps its check.  Not in a setuid
 * program (arch_getenv), where glibc ignores them too.  A value that is
 * not a number is ignored, as glibc ignores it.
 */
static bool env_number(const char *s, size_t len, long *out)
{
	char buf[32], *end;

	if (!len || len >= sizeof(buf))
		return false;
	memcpy(buf, s, len);
	buf[len] = '\0';
	*out = strtol(buf, &end, 0);
	return *end == '\0';
}

static void env_param(const char *value, size_t len, int param)
{
	long v;

	if (value && env_number(value, len, &v) && v >= 0 && v <= INT_MAX)
		mallopt(param, (int)v);
}

void malloc_env_init(void)
{
	static const struct { const char *tunable, *old; int param; } names[] = {
		{ "glibc.malloc.perturb", "MALLOC_PERTURB_", M_PERTURB },
		{ "glibc.malloc.mmap_threshold", "MALLOC_MMAP_THRESHOLD_", M_MMAP_THRESHOLD },
	};
	const char *tunables = arch_getenv("GLIBC_TUNABLES");

	for (size_t i = 0; i < ARRAY_SIZE(names); i++) {
		const char *old = arch_getenv(names[i].old), *t;
		size_t n = strlen(names[i].tunable);

		if (old)
			env_param(old, strlen(old), names[i].param);
		/* name=value pairs separated by ':'; the last setting of a name counts. */
		for (t = tunables; t && *t; t = strchr(t, ':') ? strchr(t, ':') + 1 : NULL)
			if (!strncmp(t, names[i].tunable, n) && t[n] == '=')
				env_param(t + n + 1, strcspn(t + n + 1, ":"), names[i].param);
	}
}
