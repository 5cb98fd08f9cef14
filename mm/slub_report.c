/* SPDX-License-Identifier: MIT */
/*
 * mm/slub_report.c - the slab allocator's reports, in the kernel's shapes
 * (mm/slub.c slab_bug, slab_err, slab_fix, object_err, print_trailer,
 * list_slab_objects).
 *
 *   =============================================================================
 *   BUG kmalloc-64 (Not tainted): Invalid object pointer 0x00007f...
 *   -----------------------------------------------------------------------------
 *
 *   Slab 0x... objects=64 used=3 fp=0x... flags=0x...(slab|node=0|zone=1)
 *   CPU: 0 PID: ... (stack)
 *   FIX kmalloc-64: Object at 0x... not freed
 *
 * Used by the always-on checks of the free path (an invalid pointer, a
 * double free) and by kmem_cache_destroy() for leaked objects; the slab
 * debugging code (red zones, poison, owner tracking) builds on the same
 * functions.  Nothing here allocates, and nothing here is called with a
 * list_lock held except list_slab_objects' bitmap lock, which printk does
 * not need.
 */
#include <stdarg.h>
#include <string.h>

#include <linux/slab.h>
#include <linux/printk.h>
#include <linux/bug.h>
#include "mm/slab.h"

void slab_bug(const struct kmem_cache *s, const char *fmt, ...)
{
	struct va_format vaf;
	va_list args;

	va_start(args, fmt);
	vaf.fmt = fmt;
	vaf.va = &args;
	pr_err("=============================================================================\n");
	pr_err("BUG %s (%s): %pV\n", s->name, print_tainted(), &vaf);
	pr_err("-----------------------------------------------------------------------------\n\n");
	va_end(args);
}

void slab_fix(const struct kmem_cache *s, const char *fmt, ...)
{
	struct va_format vaf;
	va_list args;

	va_start(args, fmt);
	vaf.fmt = fmt;
	vaf.va = &args;
	pr_err("FIX %s: %pV\n", s->name, &vaf);
	va_end(args);
}

void print_slab_info(const struct slab *slab)
{
	unsigned long flags = slab->__page_flags;

	pr_err("Slab 0x%p objects=%u used=%u fp=0x%p flags=%pGp\n", slab,
	       (unsigned int)slab->objects, (unsigned int)slab->inuse, slab->freelist, &flags);
}

void slab_err(const struct kmem_cache *s, const struct slab *slab, const char *fmt, ...)
{
	va_list args;
	char buf[100];

	va_start(args, fmt);
	vscnprintf(buf, sizeof(buf), fmt, args);
	va_end(args);
	slab_bug(s, "%s", buf);
	print_slab_info(slab);
	dump_stack();
	add_taint(TAINT_BAD_PAGE, LOCKDEP_NOW_UNRELIABLE);
}

static void print_section(const char *text, const void *addr, unsigned int length)
{
	print_hex_dump(KERN_ERR, text, DUMP_PREFIX_ADDRESS, 16, 1, addr, length, true);
}

/* Where an object's metadata ends (get_info_end). */
static unsigned int info_end(const struct kmem_cache *s)
{
	if (s->offset >= s->inuse)
		return s->inuse + (unsigned int)sizeof(void *);
	return s->inuse;
}

/*
 * print_trailer() for the layouts this file knows: the slab line, the
 * object line with its free-pointer word, and the object's bytes (with 16
 * bytes before it, and the padding after it).  The debugging code adds
 * red zones and owner tracks.
 */
static void print_trailer(const struct kmem_cache *s, const struct slab *slab, const char *p)
{
	const char *addr = slab_address(slab);
	unsigned int off = info_end(s);

	print_slab_info(slab);
	pr_err("Object 0x%p @offset=%tu fp=0x%p\n\n", p, p - addr,
	       (void *)freelist_ptr(s, *(const unsigned long *)(p + s->offset),
				    (unsigned long)(p + s->offset)));
	if (p > addr + 16)
		print_section("Bytes b4 ", p - 16, 16);
	print_section("Object   ", p, min_t(unsigned int, s->object_size, PAGE_SIZE));
	if (off != s->size)
		print_section("Padding  ", p + off, s->size - off);
	dump_stack();
}

void object_err(const struct kmem_cache *s, const struct slab *slab, const void *object,
		const char *reason)
{
	slab_bug(s, "%s", reason);
	print_trailer(s, slab, object);
	add_taint(TAINT_BAD_PAGE, LOCKDEP_NOW_UNRELIABLE);
}

/*
 * kfree()/kmem_cache_free() of a pointer into a slab that is no object's
 * start (free_consistency_checks' first check, on here for every free).
 */
void report_invalid_free(const struct kmem_cache *s, const struct slab *slab, const void *x)
{
	slab_err(s, slab, "Invalid object pointer 0x%p", x);
	slab_fix(s, "Object at 0x%p not freed", x);
}

/*
 * A free of the object this CPU freed last (the kernel's naive check,
 * BUG_ON(object == fp) in set_freepointer), or of an object whose slab
 * counts nothing allocated.  The kernel oopses on the first; here it is
 * reported as the consistency checks report a double free, and survived.
 */
void report_double_free(const struct kmem_cache *s, const struct slab *slab, const void *x)
{
	object_err(s, slab, x, "Object already free");
	slab_fix(s, "Object at 0x%p not freed", x);
}

/* One bit per object of a slab, for list_slab_objects (the kernel's object_map). */
static unsigned long object_map[BITS_TO_LONGS(MAX_OBJS_PER_PAGE)];
static DEFINE_SPINLOCK(object_map_lock);

void list_slab_objects(const struct kmem_cache *s, const struct slab *slab, const char *text)
{
	char *addr = slab_address(slab);
	unsigned int idx, objects = slab->objects;
	char *p;
	void *fp;

	slab_err(s, slab, text, s->name);
	arch_spin_lock(&object_map_lock);
	memset(object_map, 0, BITS_TO_LONGS(objects) * sizeof(unsigned long));
	for (fp = slab->freelist, idx = 0; fp && idx < objects; fp = get_freepointer(s, fp), idx++) {
		unsigned int i = obj_to_index(s, slab, fp);

		if (i < objects)
			object_map[i / BITS_PER_LONG] |= 1UL << (i % BITS_PER_LONG);
	}
	idx = 0;
	for_each_object(p, s, addr, objects) {
		if (!(object_map[idx / BITS_PER_LONG] & (1UL << (idx % BITS_PER_LONG))))
			pr_err("Object 0x%p @offset=%tu\n", p, p - addr);
		idx++;
	}
	arch_spin_unlock(&object_map_lock);
}
