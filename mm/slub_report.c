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
 * double free), by kmem_cache_destroy() for leaked objects, and by the
 * slab debugging code (mm/slub_debug.c: red zones, poison, owner tracks).
 * Nothing here allocates.  The debugging code reports with the node's
 * list_lock held, as the kernel's does; printk does not allocate.
 *
 * Every report counts, as the kernel's slub_kunit counts them: each BUG
 * header and each FIX line is one error (ukmem_slab_error_count()).
 */
#include <stdarg.h>
#include <string.h>

#include <linux/kfence.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/printk.h>
#include <linux/bug.h>
#include <linux/stacktrace.h>
#include <ukmem/debug.h>
#include <ukmem/slab_debug.h>
#include "arch/host.h"
#include "kernel/locking.h"
#include "mm/slab.h"

/* ---- counting ---- */

static long slab_errors;			/* since the start or the last reset */
static __thread long slab_errors_thread;	/* this thread's, for ukmem_slab_validate */

void slab_add_errors(int n)
{
	__atomic_fetch_add(&slab_errors, n, __ATOMIC_RELAXED);
	slab_errors_thread += n;
}

long ukmem_slab_error_count(void)
{
	return __atomic_load_n(&slab_errors, __ATOMIC_RELAXED);
}

void ukmem_slab_error_reset(void)
{
	__atomic_store_n(&slab_errors, 0, __ATOMIC_RELAXED);
}

long slab_thread_errors(void)
{
	return slab_errors_thread;
}

/* The BUG header without counting it (a report whose caller counted it). */
static void slab_bug_header(const struct kmem_cache *s, const char *reason)
{
	pr_err("=============================================================================\n");
	pr_err("BUG %s (%s): %s\n", s->name, print_tainted(), reason);
	pr_err("-----------------------------------------------------------------------------\n\n");
}

void slab_bug(const struct kmem_cache *s, const char *fmt, ...)
{
	struct va_format vaf;
	va_list args;
	char reason[160];

	slab_add_errors(1);
	va_start(args, fmt);
	vaf.fmt = fmt;
	vaf.va = &args;
	scnprintf(reason, sizeof(reason), "%pV", &vaf);
	va_end(args);
	slab_bug_header(s, reason);
}

void slab_fix(const struct kmem_cache *s, const char *fmt, ...)
{
	struct va_format vaf;
	va_list args;

	slab_add_errors(1);
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

/*
 * The end of a corruption report: the B taint, then, since 6.12's
 * object_err() and slab_err() end in WARN_ON(1), the WARN's check, so
 * that panic_on_warn (and kernel.warn_limit) stop on them.  ukmem keeps
 * the report's shape (the stack printed once, no WARNING block).
 */
void slab_report_done(void)
{
	add_taint(TAINT_BAD_PAGE, LOCKDEP_NOW_UNRELIABLE);
	check_panic_on_warn("kernel");
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
	slab_report_done();
}

/*
 * Bytes of a slab for a hex dump.  Under ASan a free object is poisoned:
 * the copy is made by a function ASan does not instrument, a byte at a
 * time (a loop the compiler would not turn into an instrumented memcpy).
 */
#if SLAB_ASAN
__attribute__((no_sanitize_address, __noinline__))
#endif
static void copy_for_dump(u8 *dst, const u8 *src, unsigned int n)
{
	const volatile u8 *v = src;
	unsigned int i;

	for (i = 0; i < n; i++)
		dst[i] = v[i];
}

/* print_hex_dump(DUMP_PREFIX_ADDRESS, 16 bytes a row, with ASCII), from a copy. */
void print_section(const char *level, const char *text, const void *addr, unsigned int length)
{
	const u8 *p = addr;
	unsigned int done;

	for (done = 0; done < length; done += 16) {
		unsigned int n = min(16U, length - done);
		char line[100];
		u8 row[16];

		copy_for_dump(row, p + done, n);
		hex_dump_to_buffer(row, n, 16, 1, line, sizeof(line), true);
		printk("%s%s%p: %s\n", level, text, p + done, line);
	}
}

static void print_track(const char *what, const struct track *t, unsigned long now)
{
	unsigned long *entries;
	unsigned int n;

	if (!t->addr)
		return;
	pr_err("%s in %pS age=%lu cpu=%u pid=%d\n", what, (void *)t->addr, now - t->when,
	       (unsigned int)t->cpu, t->pid);
	/* The kernel's lines: the depot's frames at the default level, or one message for both tracks. */
	n = stack_depot_fetch(READ_ONCE(t->handle), &entries);
	if (n)
		stack_trace_print(entries, n, 0);
	else
		pr_err("object allocation/free stack trace missing\n");
}

void print_tracking(const struct kmem_cache *s, const void *object)
{
	unsigned long now = arch_jiffies();

	if (!(s->flags & SLAB_STORE_USER))
		return;
	print_track("Allocated", get_track(s, object, TRACK_ALLOC), now);
	print_track("Freed", get_track(s, object, TRACK_FREE), now);
}

/*
 * The owner tracks, the slab line, the object line with its free-pointer
 * word, then the slot in hex: the left red zone (or the 16 bytes before),
 * the object, the right red zone, the padding after the metadata.
 */
void print_trailer(const struct kmem_cache *s, const struct slab *slab, const void *object)
{
	const u8 *p = object, *addr = slab_address(slab);
	unsigned int off;

	print_tracking(s, p);
	print_slab_info(slab);
	pr_err("Object 0x%p @offset=%tu fp=0x%p\n\n", p, p - addr, get_freepointer(s, (void *)p));
	if (s->flags & SLAB_RED_ZONE)
		print_section(KERN_ERR, "Redzone  ", p - s->red_left_pad, s->red_left_pad);
	else if (p > addr + 16)
		print_section(KERN_ERR, "Bytes b4 ", p - 16, 16);
	print_section(KERN_ERR, "Object   ", p, min_t(unsigned int, s->object_size, PAGE_SIZE));
	if (s->flags & SLAB_RED_ZONE)
		print_section(KERN_ERR, "Redzone  ", p + s->object_size, s->inuse - s->object_size);
	off = slab_meta_end(s);
	if (off != size_from_object(s))
		print_section(KERN_ERR, "Padding  ", p + off, size_from_object(s) - off);
	dump_stack();
}

void object_report(const struct kmem_cache *s, const struct slab *slab, const void *object,
		   const char *reason)
{
	slab_bug_header(s, reason);
	print_trailer(s, slab, object);
	slab_report_done();
}

void object_err(const struct kmem_cache *s, const struct slab *slab, const void *object,
		const char *reason)
{
	slab_add_errors(1);
	object_report(s, slab, object, reason);
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
DEFINE_SPINLOCK_RANKED(object_map_lock, LOCK_RANK_SLAB_DEBUG);	/* mm/slab.h */

/*
 * 6.12+'s order: the BUG line, a line and the owner tracks per object
 * still allocated, then the slab's line and the stack (__slab_err()).
 */
void list_slab_objects(const struct kmem_cache *s, const struct slab *slab)
{
	char *addr = slab_address(slab);
	unsigned int idx, objects = slab->objects;
	char *p;

	slab_bug(s, "Objects remaining on __kmem_cache_shutdown()");
	spin_lock(&object_map_lock);
	slab_free_map(s, slab, object_map);
	idx = 0;
	for_each_object(p, s, addr, objects) {
		if (!(object_map[idx / BITS_PER_LONG] & (1UL << (idx % BITS_PER_LONG)))) {
			/* One error per leaked object, as slub_kunit counts them (v6.12+). */
			slab_add_errors(1);
			pr_err("Object 0x%p @offset=%tu\n", p, p - addr);
			print_tracking(s, p);
		}
		idx++;
	}
	spin_unlock(&object_map_lock);
	print_slab_info(slab);
	dump_stack();
	slab_report_done();
}

/* ---- kmem_dump_obj(): where a pointer came from ---- */

/* A track's stack, a line each, as the kernel prints kp_stack. */
static void dump_track_stack(const struct track *t)
{
	unsigned long *entries;
	unsigned int n = stack_depot_fetch(READ_ONCE(t->handle), &entries);

	for (unsigned int i = 0; i < n; i++)
		pr_info("    %pS\n", (void *)entries[i]);
}

/**
 * kmem_dump_obj - print what the slab allocator knows of @object
 *
 * Continues a line the caller began (pr_cont): " slab CACHE start OBJECT
 * [data offset N] pointer offset N size N", then " allocated at CALLER"
 * and the allocation stack, and "Free path:" with the freeing stack, where
 * the cache keeps owner tracks (slub_debug=U); " (kfence)" for a KFENCE
 * object.  Returns true for a slab object (live or freed), false for any
 * other pointer, printing nothing then.  Context: any; takes no lock.
 */
bool kmem_dump_obj(void *object)
{
	struct kmem_cache *s;
	struct slab *slab;
	struct page *page;
	char *base, *slot;
	unsigned int index, data_offset = 0;

	if (!virt_addr_valid(object))
		return false;
	if (is_kfence_address(object)) {
		char *start = kfence_object_start(object);

		s = kfence_object_cache(object);
		if (!start || !s)
			return false;
		pr_cont(" slab %s (kfence) start %px pointer offset %lu size %u\n", s->name, start,
			(unsigned long)((char *)object - start), s->object_size);
		return true;
	}
	page = virt_to_head_page(object);
	if (!PageSlab(page))
		return false;
	slab = page_slab(page);
	s = READ_ONCE(slab->slab_cache);
	base = slab_address(slab);
	index = (unsigned int)(((char *)object - base) / s->size);
	if (index >= slab->objects)
		index = slab->objects - 1;
	slot = base + (size_t)index * s->size;
	if (s->flags & SLAB_RED_ZONE)
		data_offset = s->red_left_pad;
	pr_cont(" slab %s start %px", s->name, slot);
	if (data_offset)
		pr_cont(" data offset %u", data_offset);
	pr_cont(" pointer offset %ld size %u", (long)((char *)object - slot) - (long)data_offset,
		s->object_size);
	if (s->flags & SLAB_STORE_USER) {
		const struct track *alloc = get_track(s, slot + data_offset, TRACK_ALLOC);
		const struct track *freed = get_track(s, slot + data_offset, TRACK_FREE);

		if (alloc->addr)
			pr_cont(" allocated at %pS\n", (void *)alloc->addr);
		else
			pr_cont("\n");
		dump_track_stack(alloc);
		if (freed->handle) {
			pr_cont(" Free path:\n");
			dump_track_stack(freed);
		}
	} else {
		pr_cont("\n");
	}
	return true;
}

/* ---- kmem_cache_free() of what is not an object of the cache (mm/slub.c) ---- */

/*
 * kmem_cache_free() of something that is not an object of @s: the
 * kernel's warn_free_bad_obj() (7.x, with SLAB_FREELIST_HARDENED as
 * distributions build it): a WARN_ONCE naming both caches, the owner
 * tracks if the object's cache keeps them, and the object is left where
 * it is, leaked on purpose, as going on with it is too dangerous.
 */
static noinline void warn_free_bad_obj(struct kmem_cache *s, struct kmem_cache *owner, void *x)
{
	if (WARN_ONCE(owner != s, "kmem_cache_free(%s, %p): object belongs to different cache %s\n",
		      s->name, x, owner ? owner->name : "(NULL)") && owner && !is_kfence_address(x))
		print_tracking(owner, x);
}

void free_foreign(struct kmem_cache *s, void *x, unsigned long caller)
{
	struct slab *slab;

	if (unlikely(ZERO_OR_NULL_PTR(x)))
		return;
	if (unlikely(!s)) {
		/* No cache named: the kernel would crash; free it where it belongs. */
		WARN_ONCE(1, "kmem_cache_free: NULL cache for object 0x%px\n", x);
		return kfree(x);
	}
	if (is_kfence_address(x)) {
		struct kmem_cache *k = kfence_object_cache(x);

		if (k && k != s)
			return warn_free_bad_obj(s, k, x);
		__kfence_free(x);
		return;
	}
	slab = virt_to_slab(x);
	if (!slab) {
		WARN_ONCE(1, "kmem_cache_free(%s, %p): object is not in a slab page\n", s->name, x);
		return;
	}
	if (slab->slab_cache != s)
		return warn_free_bad_obj(s, slab->slab_cache, x);
	slab_free_obj(s, slab, x, caller);
}
