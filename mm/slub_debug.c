/* SPDX-License-Identifier: MIT */
/*
 * mm/slub_debug.c - SLUB's object debugging (the CONFIG_SLUB_DEBUG half of
 * the kernel's mm/slub.c): the slub_debug= boot option, the red zones,
 * poison and owner tracks of debug caches, and the checks that find what
 * overwrote them.
 *
 *   setup_slub_debug / kmem_cache_flags   slub_debug=<letters>[,<caches>][;...]
 *   setup_slab_debug / setup_object_debug  a new slab's padding and objects
 *   alloc_debug_processing                checks before an object is handed out
 *   free_debug_processing                 checks before an object goes back
 *   validate_slab                         ukmem_slab_validate(): every object
 *
 * The layout of a slot is described in mm/slub_create.c (calculate_sizes).
 * Debug caches have no per-CPU stacks: every allocation and free comes to
 * the slab under list_lock (mm/slub.c alloc_debug / free_debug), where the
 * functions here run, as in the kernel.  They report with mm/slub_report.c
 * and then repair what they can (restore the red zone or poison bytes),
 * or isolate what they cannot (a slab whose freelist is broken is marked
 * full, an object that fails its free checks is not freed): the program
 * goes on, at the cost of some leaked memory.
 *
 * Under valgrind or ASan a free object's bytes are off limits, and so is
 * an allocated kmalloc object's slack (mm/sanitizers.c); the checks below
 * open what they read and close it again after.
 */
#include <ctype.h>
#include <errno.h>
#include <string.h>

#include <linux/slab.h>
#include <linux/mm.h>
#include <linux/smp.h>
#include <linux/string.h>
#include <ukmem/slab_debug.h>
#include "arch/host.h"
#include "kernel/locking.h"
#include "mm/slab.h"

/* ---- slub_debug= ---- */

static slab_flags_t slub_debug;			/* flags for every cache */
static char slub_debug_string[2048];	/* COMMAND_LINE_SIZE: the blocks that name caches */
static bool slub_debug_have_lists;
bool slub_debug_disable_higher_order;

/*
 * One block of slub_debug=: letters up to ',' or ';', then optionally a
 * comma-separated list of caches up to ';'.  *flags gets the letters'
 * flags, *slabs the list (NULL if none).  Returns the next block, or NULL.
 */
static const char *parse_debug_block(const char *str, slab_flags_t *flags, const char **slabs,
				     bool init)
{
	while (*str == ';')
		str++;
	if (*str == ',') {
		/* No letters, a list of caches: full debugging for them. */
		*flags = DEBUG_DEFAULT_FLAGS;
	} else {
		*flags = 0;
		for (; *str && *str != ',' && *str != ';'; str++) {
			switch (tolower((unsigned char)*str)) {
			case '-':
				*flags = 0;
				break;
			case 'f':
				*flags |= SLAB_CONSISTENCY_CHECKS;
				break;
			case 'z':
				*flags |= SLAB_RED_ZONE;
				break;
			case 'p':
				*flags |= SLAB_POISON;
				break;
			case 'u':
				*flags |= SLAB_STORE_USER;
				break;
			case 't':
				*flags |= SLAB_TRACE;
				break;
			case 'a':
				*flags |= SLAB_FAILSLAB;
				break;
			case 'o':
				if (init)
					slub_debug_disable_higher_order = true;
				break;
			default:
				if (init)
					pr_err("slab_debug option '%c' unknown. skipped\n", *str);
			}
		}
	}
	*slabs = *str == ',' ? str + 1 : NULL;
	while (*str && *str != ';')
		str++;
	while (*str == ';')
		str++;
	return *str ? str : NULL;
}

/*
 * slub_debug / slab_debug: without a value, F, Z, P and U for every cache.
 * Blocks without a cache list set the flags of every cache (the last one
 * wins); blocks with one apply to the caches they name, instead of the
 * global flags.  Only a list given: the global flags stay as they were.
 *
 * Given twice (slub_debug= and slab_debug=, or one of them repeated), each
 * occurrence works on what the earlier ones left, as the kernel's
 * setup_slub_debug() does: one that names caches replaces the cache lists
 * and keeps the global flags unless it sets them; one that names none
 * sets the global flags and keeps the lists.  'O' once is 'O' for good.
 */
int setup_slub_debug(const char *str)
{
	slab_flags_t global = DEBUG_DEFAULT_FLAGS, flags;
	bool global_changed = false, lists = false;
	const char *next, *slabs;

	if (str && *str) {
		if (strlen(str) >= sizeof(slub_debug_string)) {
			pr_err("slub_debug: option too long, ignored\n");
			return -EINVAL;
		}
		for (next = str; next; ) {
			next = parse_debug_block(next, &flags, &slabs, true);
			if (slabs) {
				lists = true;
			} else {
				global = flags;
				global_changed = true;
			}
		}
		if (lists) {
			if (!global_changed)
				global = slub_debug;
			strcpy(slub_debug_string, str);
			slub_debug_have_lists = true;
		}
	}
	slub_debug = global;
	return 0;
}

/* Before a boot parses its command line: no slub_debug= seen yet. */
void slub_debug_defaults(void)
{
	slub_debug = 0;
	slub_debug_string[0] = '\0';
	slub_debug_have_lists = false;
	slub_debug_disable_higher_order = false;
}

slab_flags_t slub_debug_global_flags(void)
{
	return slub_debug;
}

bool slub_debug_names_caches(void)
{
	return slub_debug_have_lists;
}

/* Does @item (up to @end) name cache @name?  A trailing '*' matches a prefix. */
static bool debug_name_matches(const char *name, const char *item, const char *end)
{
	const char *glob = memchr(item, '*', (size_t)(end - item));
	size_t len = strlen(name), cmplen;

	if (glob)
		cmplen = (size_t)(glob - item);
	else
		cmplen = max(len, (size_t)(end - item));
	return !strncmp(name, item, cmplen);
}

slab_flags_t kmem_cache_flags(slab_flags_t flags, const char *name)
{
	slab_flags_t global = slub_debug;
	const char *next, *item;
	slab_flags_t block;

	if (flags & SLAB_NO_USER_FLAGS)
		return flags;
	/* A cache that serves a leak tracer stores no owners unless named. */
	if (flags & SLAB_NOLEAKTRACE)
		global &= ~SLAB_STORE_USER;
	for (next = slub_debug_have_lists ? slub_debug_string : NULL; next; ) {
		const char *block_end;

		next = parse_debug_block(next, &block, &item, false);
		if (!item)
			continue;
		block_end = next ? next - 1 : item + strlen(item);
		while (item < block_end && *item != ';') {
			const char *end = item;

			while (end < block_end && *end != ',' && *end != ';')
				end++;
			if (end > item && debug_name_matches(name, item, end))
				return flags | block;
			if (end >= block_end || *end == ';')
				break;
			item = end + 1;
		}
	}
	return flags | global;
}

/* ---- tools: free objects are off limits under valgrind and ASan ---- */

/*
 * The object, and for ASan the rest of its slot too: the left red zone
 * and what follows the object (red zone, free pointer, owner tracks,
 * orig_size, padding).  A new slab closes those tails for ASan
 * (allocate_slab, as kasan_poison_slab), and the debug code writes them
 * with memset(), which a program built with ASan intercepts.
 */
static inline void obj_open(const struct kmem_cache *s, const void *object)
{
	if (SLAB_ASAN || unlikely(slab_tools_active))
		slab_meta_open(object, s->object_size);
	if (unlikely(slab_tools_active))
		tool_open_slot(s, object);
}

static inline void obj_close(const struct kmem_cache *s, const void *object)
{
	/*
	 * A SLAB_TYPESAFE_BY_RCU object stays open, freed or not, as
	 * slab_free_hook() leaves it (an RCU reader may read it): a
	 * validation of its free objects must not close it.  An allocation
	 * sets the object's state in its hook after this anyway.
	 */
	if (SLAB_ASAN || (unlikely(slab_tools_active) && !(s->flags & SLAB_TYPESAFE_BY_RCU)))
		slab_meta_close(object, s->object_size);
	if (unlikely(slab_tools_active))
		tool_close_slot(s, object);
}

/*
 * An allocated kmalloc object's red zone (past orig_size) is the size
 * class's slack, closed to the tools too: open it to check it.  Returns
 * how many bytes were opened, for slack_close.
 */
static inline unsigned int slack_open(const struct kmem_cache *s, const void *object)
{
	unsigned int orig;

	if (likely(!slab_tools_active) || !slub_debug_orig_size(s))
		return 0;
	orig = get_orig_size(s, object);
	if (orig >= s->object_size)
		return 0;
	slab_meta_open((const char *)object + orig, s->object_size - orig);
	return s->object_size - orig;
}

static inline void slack_close(const struct kmem_cache *s, const void *object, unsigned int len)
{
	if (len)
		slab_meta_close((const char *)object + s->object_size - len, len);
}

/* ---- object metadata ---- */

/*
 * The stack of the allocation or free this thread is about to make in a
 * debug cache, taken before the node lock (slub_debug_track_prepare): the
 * unwinder was two thirds of a debug allocation's instructions, and with
 * it under the lock the threads of a program waited on each other there.
 * @s says for which cache it was taken; set_track() takes it (and clears
 * @s) or, when there is none, unwinds under the lock as before.
 */
struct early_track {
	const struct kmem_cache *s;
	int n;
	unsigned long addrs[TRACK_ADDRS_COUNT];
};
static __thread struct early_track early_track __attribute__((tls_model("initial-exec")));

noinline void slub_debug_track_prepare(const struct kmem_cache *s)
{
	if (!(s->flags & SLAB_STORE_USER))
		return;
	WRITE_ONCE(early_track.s, NULL);
	barrier();
	/* Skip this function and the slow path, as set_track() skips its three. */
	early_track.n = arch_stack_trace(early_track.addrs, TRACK_ADDRS_COUNT, 2);
	barrier();
	WRITE_ONCE(early_track.s, s);
}

void slub_debug_track_drop(void)
{
	WRITE_ONCE(early_track.s, NULL);
}

static void set_track(const struct kmem_cache *s, void *object, enum track_item alloc,
		      unsigned long addr)
{
	struct track *t = get_track(s, object, alloc);
	unsigned long entries[TRACK_ADDRS_COUNT], *stack = entries;
	int n;

	if (READ_ONCE(early_track.s) == s) {
		WRITE_ONCE(early_track.s, NULL);
		n = early_track.n;
		stack = early_track.addrs;
	} else {
		/* Skip set_track, {alloc,free}_debug_processing and the slow path. */
		n = arch_stack_trace(entries, TRACK_ADDRS_COUNT, 3);
	}
	/* 0 (the trace missing) when the depot is full or busy in a handler. */
	t->handle = n > 0 ? stack_depot_save(stack, (unsigned int)n, GFP_NOWAIT) : 0;
	t->addr = addr;
	t->cpu = raw_smp_processor_id();
	/*
	 * The thread's id as the locks cache it, not a gettid() system call:
	 * with owner tracking this runs at every malloc and free, and the
	 * call was a million syscalls for 30k sqlite3 INSERTs.
	 */
	t->pid = current_tid();
	t->when = arch_jiffies();
}

static void init_tracking(const struct kmem_cache *s, void *object)
{
	if (s->flags & SLAB_STORE_USER)
		memset(get_track(s, object, TRACK_ALLOC), 0, 2 * sizeof(struct track));
}

/*
 * Red zones to @val, the object poisoned (the part a kmalloc caller asked
 * for, when it is allocated: the rest is red zone), as init_object().
 */
static void init_object(const struct kmem_cache *s, void *object, u8 val)
{
	u8 *p = object;
	unsigned int poison_size = s->object_size;

	if (s->flags & SLAB_RED_ZONE) {
		memset(p - s->red_left_pad, val, s->red_left_pad);
		if (slub_debug_orig_size(s) && val == SLUB_RED_ACTIVE)
			poison_size = get_orig_size(s, object);
	}
	if (s->flags & __OBJECT_POISON) {
		memset(p, POISON_FREE, poison_size - 1);
		p[poison_size - 1] = POISON_END;
	}
	if (s->flags & SLAB_RED_ZONE)
		memset(p + poison_size, val, s->inuse - poison_size);
}

void setup_slab_debug(struct kmem_cache *s, struct slab *slab)
{
	if (s->flags & SLAB_POISON)
		memset(slab_address(slab), POISON_INUSE, slab_size(slab));
}

void setup_object_debug(struct kmem_cache *s, void *object)
{
	if (!(s->flags & (SLAB_STORE_USER | SLAB_RED_ZONE | __OBJECT_POISON)))
		return;
	init_object(s, object, SLUB_RED_INACTIVE);
	init_tracking(s, object);
}

/* ---- finding and repairing overwritten bytes ---- */

/*
 * A word at a time, as the kernel's check_bytes() (memchr_inv): the malloc
 * front end under slab_debug validates the slab of each thread's last
 * block at every malloc and free (malloc/debug.c), poison and padding of
 * every object in it, and byte by byte this scan was 77% of perl's time
 * under slub_debug=P.
 */
static u8 *bytes_differ(u8 *start, u8 value, size_t bytes)
{
	return memchr_inv(start, value, bytes);
}

static void restore_bytes(struct kmem_cache *s, const char *what, u8 value, u8 *from, u8 *to)
{
	slab_fix(s, "Restoring %s 0x%p-0x%p=0x%x", what, from, to - 1, value);
	memset(from, value, (size_t)(to - from));
}

/*
 * @bytes at @start should all be @value: else, as v6.15+ reports it, the
 * "[<what> overwritten] ..." line, and with @print_object (the object's
 * first fault) the object's "Object corrupt" report; then the bytes
 * restored, and false.  Two errors, as the kernel's slub_kunit counts a
 * fault: the check's and the FIX line's.
 */
static bool check_bytes_and_report(struct kmem_cache *s, struct slab *slab, u8 *object,
				   const char *what, u8 *start, u8 value, unsigned int bytes,
				   bool print_object)
{
	u8 *fault = bytes_differ(start, value, bytes), *end;

	if (!fault)
		return true;
	end = start + bytes;
	while (end > fault && end[-1] == value)
		end--;
	slab_add_errors(1);
	pr_err("[%s overwritten] 0x%p-0x%p @offset=%tu. First byte 0x%x instead of 0x%x\n", what,
	       fault, end - 1, fault - (u8 *)slab_address(slab), fault[0], value);
	if (print_object)
		object_report(s, slab, object, "Object corrupt");
	restore_bytes(s, what, value, fault, end);
	return false;
}

/* The slot's padding after the metadata: 0x5a. */
static bool check_pad_bytes(struct kmem_cache *s, struct slab *slab, u8 *p)
{
	unsigned int off = slab_meta_end(s);

	if (size_from_object(s) == off)
		return true;
	return check_bytes_and_report(s, slab, p, "Object padding", p + off, POISON_INUSE,
				      size_from_object(s) - off, true);
}

/* The slab's tail, after its last object: 0x5a with SLAB_POISON. */
static void slab_pad_check(struct kmem_cache *s, struct slab *slab)
{
	u8 *start = slab_address(slab), *end = start + slab_size(slab), *pad, *fault;
	unsigned int remainder = (unsigned int)(slab_size(slab) % s->size);

	if (!(s->flags & SLAB_POISON) || !remainder)
		return;
	pad = end - remainder;
	fault = bytes_differ(pad, POISON_INUSE, remainder);
	if (!fault)
		return;
	while (end > fault && end[-1] == POISON_INUSE)
		end--;
	/* 6.15+'s order: the BUG line, the padding's bytes, then the slab's line and the stack. */
	slab_bug(s, "Padding overwritten. 0x%p-0x%p @offset=%tu", fault, end - 1, fault - start);
	print_section(KERN_ERR, "Padding ", pad, remainder);
	print_slab_info(slab);
	dump_stack();
	slab_report_done();
	restore_bytes(s, "slab padding", POISON_INUSE, fault, end);
}

/*
 * One object, free (@val SLUB_RED_INACTIVE) or allocated (SLUB_RED_ACTIVE):
 * red zones, poison, padding, and the free pointer where it can be read.
 */
static bool check_object(struct kmem_cache *s, struct slab *slab, void *object, u8 val)
{
	u8 *p = object, *endobject = p + s->object_size;
	unsigned int slack = 0;
	bool ret = true;

	if (val == SLUB_RED_INACTIVE)
		obj_open(s, object);
	else
		slack = slack_open(s, object);
	if (s->flags & SLAB_RED_ZONE) {
		if (!check_bytes_and_report(s, slab, object, "Left Redzone", p - s->red_left_pad,
					    val, s->red_left_pad, ret))
			ret = false;
		if (!check_bytes_and_report(s, slab, object, "Right Redzone", endobject, val,
					    s->inuse - s->object_size, ret))
			ret = false;
		if (slub_debug_orig_size(s) && val == SLUB_RED_ACTIVE) {
			unsigned int orig_size = get_orig_size(s, object);

			if (s->object_size > orig_size &&
			    !check_bytes_and_report(s, slab, object, "kmalloc Redzone",
						    p + orig_size, val, s->object_size - orig_size, ret))
				ret = false;
		}
	} else if ((s->flags & SLAB_POISON) && s->object_size < s->inuse) {
		if (!check_bytes_and_report(s, slab, p, "Alignment padding", endobject,
					    POISON_INUSE, s->inuse - s->object_size, ret))
			ret = false;
	}
	if (s->flags & SLAB_POISON) {
		if (val != SLUB_RED_ACTIVE && (s->flags & __OBJECT_POISON)) {
			if (!check_bytes_and_report(s, slab, p, "Poison", p, POISON_FREE,
						    s->object_size - 1, ret))
				ret = false;
			if (!check_bytes_and_report(s, slab, p, "End Poison",
						    p + s->object_size - 1, POISON_END, 1, ret))
				ret = false;
		}
		if (!check_pad_bytes(s, slab, p))
			ret = false;
	}
	/* The free pointer of an allocated object is the caller's data, if inside. */
	if (s->offset < s->inuse && val == SLUB_RED_ACTIVE)
		goto out;
	/*
	 * Outside it (a constructor, SLAB_TYPESAFE_BY_RCU), an allocated
	 * object's word is the link it had when it was last free.  A cache
	 * without consistency checks links a new slab's objects only as they
	 * are taken (mm/slab.h's fresh objects; the kernel links them all at
	 * once), so an object may never have had one: its word is whatever
	 * the page held.  Checked only where the cache has them.
	 */
	if (val == SLUB_RED_ACTIVE && !(s->flags & SLAB_CONSISTENCY_CHECKS))
		goto out;
	if (!slab_valid_pointer(s, slab, get_freepointer(s, p))) {
		object_err(s, slab, p, "Freepointer corrupt");
		/* No more objects can be trusted after this one: cut the chain. */
		set_freepointer(s, p, NULL);
		ret = false;
	}
out:
	if (val == SLUB_RED_INACTIVE)
		obj_close(s, object);
	else
		slack_close(s, object, slack);
	return ret;
}

static bool check_slab(struct kmem_cache *s, struct slab *slab)
{
	unsigned int maxobj;

	if (!slab_test_slab(slab)) {
		slab_err(s, slab, "Not a valid slab page");
		return false;
	}
	maxobj = min((unsigned int)(slab_size(slab) / s->size), (unsigned int)MAX_OBJS_PER_PAGE);
	if (slab->objects > maxobj) {
		slab_err(s, slab, "objects %u > max %u", (unsigned int)slab->objects, maxobj);
		return false;
	}
	if (slab->inuse > slab->objects) {
		slab_err(s, slab, "inuse %u > max %u", (unsigned int)slab->inuse,
			 (unsigned int)slab->objects);
		return false;
	}
	slab_pad_check(s, slab);
	return true;
}

/*
 * Walk the slab's freelist: true if @search is on it.  A pointer that is
 * no object of the slab cuts the chain there (reported); then the
 * counters are checked against what the walk found and corrected.  With
 * @search NULL (validation) returns true unless the freelist was cleared.
 */
static bool on_freelist(struct kmem_cache *s, struct slab *slab, void *search)
{
	void *fp = slab->freelist, *object = NULL;
	unsigned int nr = 0, max_objects;
	bool fresh = false;

	while (fp && nr <= slab->objects) {
		if (fp == search)
			return true;
		if (!slab_valid_pointer(s, slab, fp)) {
			if (object) {
				object_err(s, slab, object, "Freechain corrupt");
				set_freepointer(s, object, NULL);
			} else {
				slab_err(s, slab, "Freepointer corrupt");
				slab->freelist = NULL;
				slab->inuse = slab->objects;
				slab_fix(s, "Freelist cleared");
				return false;
			}
			break;
		}
		object = fp;
		fp = slab_walk_next(s, slab, object, &fresh);
		nr++;
	}
	/* More links than objects: the chain loops back on itself (7.x). */
	if (nr > slab->objects) {
		slab_err(s, slab, "Freelist cycle detected");
		slab->freelist = NULL;
		slab->inuse = slab->objects;
		slab_fix(s, "Freelist cleared");
		return false;
	}
	max_objects = min((unsigned int)(slab_size(slab) / s->size), (unsigned int)MAX_OBJS_PER_PAGE);
	if (slab->objects != max_objects) {
		slab_err(s, slab, "Wrong number of objects. Found %u but should be %u",
			 (unsigned int)slab->objects, max_objects);
		slab->objects = max_objects;
		slab->obj_limit = max_objects * s->size;
		slab_fix(s, "Number of objects adjusted");
	}
	if (slab->inuse != slab->objects - nr) {
		slab_err(s, slab, "Wrong object count. Counter is %u but counted were %u",
			 (unsigned int)slab->inuse, slab->objects - nr);
		slab->inuse = slab->objects - nr;
		slab_fix(s, "Object count adjusted");
	}
	return search == NULL;
}

/*
 * SLAB_TRACE: one line per allocation and free, with the stack.  An
 * allocation is traced here before @object leaves the freelist, where
 * the kernel has already advanced it (alloc_single_from_partial(),
 * alloc_single_from_new_slab()): so its line shows the slab as it is
 * after the allocation, the next free object and the count with @object.
 */
static void trace(struct kmem_cache *s, struct slab *slab, void *object, bool alloc)
{
	if (!(s->flags & SLAB_TRACE))
		return;
	pr_info("TRACE %s %s 0x%p inuse=%u fp=0x%p\n", s->name, alloc ? "alloc" : "free",
		object, (unsigned int)slab->inuse + alloc,
		alloc ? get_freepointer(s, object) : slab->freelist);
	if (!alloc)
		print_section(KERN_INFO, "Object ", object, s->object_size);
	dump_stack();
}

/* ---- the alloc and free paths of debug caches (list_lock held) ---- */

bool alloc_debug_processing(struct kmem_cache *s, struct slab *slab, void *object,
			    unsigned long caller, unsigned int orig_size)
{
	if (s->flags & SLAB_CONSISTENCY_CHECKS) {
		if (!check_slab(s, slab))
			goto bad;
		if (!slab_valid_pointer(s, slab, object)) {
			object_err(s, slab, object, "Freelist Pointer check fails");
			goto bad;
		}
		if (!check_object(s, slab, object, SLUB_RED_INACTIVE))
			goto bad;
	}
	obj_open(s, object);
	if (s->flags & SLAB_STORE_USER)
		set_track(s, object, TRACK_ALLOC, caller);
	trace(s, slab, object, true);
	/*
	 * 0 is no size a kmalloc caller asks for (kmalloc(0) never gets
	 * here): a path that did not know it.  The whole object, not a
	 * poison of -1 bytes.
	 */
	set_orig_size(s, object, orig_size ?: s->object_size);
	init_object(s, object, SLUB_RED_ACTIVE);
	obj_close(s, object);
	return true;
bad:
	/* Touch none of this slab's objects again: all of them count as used. */
	slab_fix(s, "Marking all objects used");
	slab->inuse = slab->objects;
	slab->freelist = NULL;
	return false;
}

static bool free_consistency_checks(struct kmem_cache *s, struct slab *slab, void *object)
{
	if (!slab_valid_pointer(s, slab, object)) {
		slab_err(s, slab, "Invalid object pointer 0x%p", object);
		return false;
	}
	if (on_freelist(s, slab, object)) {
		object_err(s, slab, object, "Object already free");
		return false;
	}
	if (!check_object(s, slab, object, SLUB_RED_ACTIVE))
		return false;
	if (unlikely(s != slab->slab_cache)) {
		if (!slab_test_slab(slab))
			slab_err(s, slab, "Attempt to free object(0x%p) outside of slab", object);
		else if (!slab->slab_cache)
			pr_err("SLUB <none>: no slab for object 0x%p.\n", object);
		else
			object_err(s, slab, object, "page slab pointer corrupt.");
		return false;
	}
	return true;
}

void free_debug_unchecked(struct kmem_cache *s, void *object, unsigned long caller)
{
	if (s->flags & SLAB_STORE_USER)
		set_track(s, object, TRACK_FREE, caller);
	/* The free pointer is outside the object whenever poisoning overwrites it. */
	obj_open(s, object);
	init_object(s, object, SLUB_RED_INACTIVE);
	obj_close(s, object);
}

bool free_debug_processing(struct kmem_cache *s, struct slab *slab, void *object,
			   unsigned long caller)
{
	if (s->flags & SLAB_CONSISTENCY_CHECKS) {
		if (!check_slab(s, slab) || !free_consistency_checks(s, slab, object)) {
			slab_fix(s, "Object at 0x%p not freed", object);
			return false;
		}
	}
	trace(s, slab, object, false);
	free_debug_unchecked(s, object, caller);
	return true;
}

void free_slab_debug_check(struct kmem_cache *s, struct slab *slab)
{
	char *p, *addr = slab_address(slab);

	slab_pad_check(s, slab);
	for_each_object(p, s, addr, slab->objects)
		check_object(s, slab, p, SLUB_RED_INACTIVE);
}

/* ---- validation ---- */

/*
 * One bit per free object of the slab being validated (list_lock held).
 * A slab of up to VALIDATE_STACK_OBJS objects (every slab of the malloc
 * front end's debug caches) gets its map on the caller's stack: the
 * recent-block check (malloc/debug.c) validates a slab at every malloc
 * and free, and the one global map and its lock made every thread of
 * every cache wait for each other there (a 256-thread program went from
 * 0.25 s to 54 s under slub_debug=FZPU).  Larger slabs share the global
 * map under its lock, as the kernel's validate_slab_cache() shares one.
 */
#define VALIDATE_STACK_OBJS	512
static unsigned long validate_map[BITS_TO_LONGS(MAX_OBJS_PER_PAGE)];
DEFINE_SPINLOCK_RANKED(validate_map_lock, LOCK_RANK_SLAB_DEBUG);	/* mm/slab.h */

void check_allocated_object(struct kmem_cache *s, struct slab *slab, void *object)
{
	check_object(s, slab, object, SLUB_RED_ACTIVE);
}

void validate_slab(struct kmem_cache *s, struct slab *slab)
{
	unsigned long stack_map[BITS_TO_LONGS(VALIDATE_STACK_OBJS)], *map = stack_map;
	char *p, *addr = slab_address(slab);
	unsigned int idx = 0;
	void *fresh;

	if (!check_slab(s, slab) || !on_freelist(s, slab, NULL))
		return;
	if (slab->objects > VALIDATE_STACK_OBJS) {
		spin_lock(&validate_map_lock);
		map = validate_map;
	}
	/*
	 * The freelist is sound now: mark its objects.  The objects after a
	 * fresh one (mm/slab.h) were never touched and hold nothing to check.
	 */
	fresh = slab_free_map(s, slab, map);
	for_each_object(p, s, addr, slab->objects) {
		bool is_free = map[idx / BITS_PER_LONG] & (1UL << (idx % BITS_PER_LONG));

		idx++;
		if (fresh && p > (char *)fresh)
			break;
		if (!check_object(s, slab, p, is_free ? SLUB_RED_INACTIVE : SLUB_RED_ACTIVE))
			break;
	}
	if (map == validate_map)
		spin_unlock(&validate_map_lock);
}

long validate_slab_cache(struct kmem_cache *s)
{
	struct kmem_cache_node *n;
	unsigned long total = 0;
	int node;

	if (!s || !s->node[0])
		return 0;
	flush_all_sheaves(s);
	for_each_kmem_cache_node(s, node, n) {
		unsigned long count = 0;
		struct slab *slab;

		slab_node_lock(s, n);
		list_for_each_entry(slab, &n->partial, slab_list) {
			validate_slab(s, slab);
			count++;
		}
		if (count != n->nr_partial) {
			pr_err("SLUB %s: %lu partial slabs counted but counter=%lu\n", s->name,
			       count, n->nr_partial);
			slab_add_errors(1);
		}
		/* ukmem lists full slabs whether debugging or not. */
		list_for_each_entry(slab, &n->full, slab_list) {
			validate_slab(s, slab);
			count++;
		}
		if (count != (unsigned long)atomic_long_read(&n->nr_slabs)) {
			pr_err("SLUB: %s %lu slabs counted but counter=%ld\n", s->name, count,
			       atomic_long_read(&n->nr_slabs));
			slab_add_errors(1);
		}
		spin_unlock(&n->list_lock);
		total += count;
	}
	return (long)total;
}

int ukmem_slab_validate(struct kmem_cache *s)
{
	long before = slab_thread_errors();

	if (!s)
		return -EINVAL;
	might_sleep();
	validate_slab_cache(s);
	return (int)(slab_thread_errors() - before);
}

int ukmem_slab_validate_all(void)
{
	long before = slab_thread_errors();
	struct kmem_cache *s;

	if (READ_ONCE(slab_state) != FULL)
		return 0;
	might_sleep();
	mutex_lock(&slab_mutex);
	list_for_each_entry(s, &slab_caches, list)
		validate_slab_cache(s);
	mutex_unlock(&slab_mutex);
	return (int)(slab_thread_errors() - before);
}

struct kmem_cache *ukmem_slab_find(const char *name)
{
	struct kmem_cache *s, *found = NULL;

	if (!name)
		return NULL;
	ukmem_ensure_booted();
	mutex_lock(&slab_mutex);
	list_for_each_entry(s, &slab_caches, list) {
		if (!strcmp(s->name, name)) {
			found = s;
			break;
		}
	}
	mutex_unlock(&slab_mutex);
	return found;
}
