/* SPDX-License-Identifier: MIT */
/*
 * mm/kfence_report.c - KFENCE's reports and files (the kernel's
 * mm/kfence/report.c and the debugfs files of mm/kfence/core.c).
 *
 * A report is printed through printk (so it is in dmesg and in `ukmem run
 * --report`) in the kernel's shape: the title with the access's function,
 * the access and its stack, the object, its allocation and free with
 * task, CPU, time and stack, then the CPU/PID/Comm line.  Stacks start at
 * the first frame outside the allocator (the kernel's get_stack_skipnr,
 * by function name).  "kfence/objects" lists every object handed out
 * since boot, "kfence/stats" the counters (ukmem_show()).
 *
 * Nothing here allocates or takes kfence_lock while printing: reports
 * print copies of the metadata, the files copy one object at a time.
 */
#include <stdio.h>
#include <string.h>

#include <linux/bug.h>
#include <linux/kallsyms.h>
#include <linux/printk.h>
#include <linux/sched.h>
#include <linux/smp.h>
#include "arch/host.h"
#include "mm/kfence.h"
#include "mm/proc.h"

/* Where a report goes: printk, or a report file. */
struct kfence_out {
	FILE *file;
};

static __printf(2, 3) void out(const struct kfence_out *o, const char *fmt, ...)
{
	char line[KSYM_SYMBOL_LEN + 160];
	va_list ap;

	va_start(ap, fmt);
	vscnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	if (o->file)
		fputs(line, o->file);
	else
		printk(KERN_ERR "%s", line);
}

/*
 * Allocator frames: the entry points of the slab allocator, kmalloc's
 * helpers and the malloc front end, and KFENCE itself.  A stack is printed
 * from its first frame that is none of these.
 */
static const char *const internal_prefixes[] = {
	"kfence_", "__kfence_", "save_track", "fault_stack", "arch_stack_trace",
	"slab_", "__slab_", "kmem_cache_", "__kmem_cache_", "kmalloc", "__kmalloc",
	"__do_kmalloc", "kzalloc", "kcalloc", "kmemdup", "kstrdup", "krealloc", "kvmalloc",
	"kvfree", "kfree", "free_foreign", "malloc", "calloc", "realloc", "reallocarray",
	"free", "cfree", "do_malloc", "small_alloc", "alloc_aligned", "hand_out", "block_",
	"memalign", "posix_memalign", "aligned_alloc", "valloc", "pvalloc", "zero_alloc",
	"_Znw", "_Zna", "_Zdl", "_Zda",
};

static bool internal_frame(unsigned long addr)
{
	char sym[KSYM_SYMBOL_LEN];
	size_t i;

	sprint_symbol_no_offset(sym, addr);
	for (i = 0; i < ARRAY_SIZE(internal_prefixes); i++)
		if (!strncmp(sym, internal_prefixes[i], strlen(internal_prefixes[i])))
			return true;
	return false;
}

static int stack_skipnr(const unsigned long *entries, int n)
{
	int i;

	for (i = 0; i < n && internal_frame(entries[i]); i++)
		;
	return i < n ? i : 0;
}

static void print_stack(const struct kfence_out *o, const unsigned long *entries, int n)
{
	int i;

	for (i = stack_skipnr(entries, n); i < n; i++)
		out(o, " %pS\n", (void *)entries[i]);
}

/* @what: "allocated", "freed", or "rcu freeing" (a grace period not yet over). */
static void print_track(const struct kfence_out *o, const struct kfence_track *t, const char *what)
{
	u64 now = kfence_clock_ns(), ago = now > t->ts_nsec ? now - t->ts_nsec : 0;
	bool alloc = !strcmp(what, "allocated");

	out(o, "%s by task %d on cpu %d at %llu.%06llus (%llu.%06llus ago):\n",
	    what, t->pid, t->cpu,
	    (unsigned long long)(t->ts_nsec / 1000000000), (unsigned long long)(t->ts_nsec % 1000000000 / 1000),
	    (unsigned long long)(ago / 1000000000), (unsigned long long)(ago % 1000000000 / 1000));
	if (t->num_stack_entries)
		print_stack(o, t->stack_entries, t->num_stack_entries);
	else
		out(o, " no %s stack\n", alloc ? "allocation" : "deallocation");
}

/*
 * "kfence-#N: 0x...-0x..., size=N, cache=name", then its allocation and
 * free.  Addresses as the kernel's %p prints them under no_hash_pointers:
 * 16 digits, zero-padded, as a ported kfence_test builds its expectations.
 */
static void print_object(const struct kfence_out *o, const struct kfence_metadata *meta)
{
	out(o, "kfence-#%d: 0x%p-0x%p, size=%zu, cache=%s\n\n", kfence_index(meta),
	    (void *)meta->addr, (void *)(meta->addr + meta->size - 1), meta->size,
	    meta->cache_name[0] ? meta->cache_name : "<destroyed>");
	print_track(o, &meta->alloc_track, "allocated");
	/* A zombie's free is its cache's destruction (kfence_shutdown_cache). */
	if (meta->state == KFENCE_OBJECT_FREED || meta->state == KFENCE_OBJECT_RCU_FREEING) {
		out(o, "\n");
		print_track(o, &meta->free_track, meta->state == KFENCE_OBJECT_RCU_FREEING ?
			    "rcu freeing" : "freed");
	}
}

/*
 * "[ 0xac . . . ]": up to 16 canary bytes from @addr, as the kernel's
 * print_diff_canary(): never into the object (a byte left of it) nor past
 * the page (right of it); a corrupted one by value (the kernel's
 * no_hash_pointers form: the addresses are shown in full here too), intact
 * ones as dots.  @bytes is their copy.
 */
static void corrupt_bytes(char *buf, size_t size, const struct kfence_metadata *meta,
			  unsigned long addr, const u8 *bytes)
{
	unsigned long end = addr < meta->addr ? min(addr + 16, meta->addr) :
			    min(addr + 16, PAGE_ALIGN(addr));
	unsigned long a;
	size_t len = 0;

	len += scnprintf(buf + len, size - len, "[");
	for (a = addr; a < end; a++) {
		u8 b = bytes[a - addr];

		if (b == KFENCE_CANARY_PATTERN(a))
			len += scnprintf(buf + len, size - len, " .");
		else
			len += scnprintf(buf + len, size - len, " 0x%02x", b);
	}
	scnprintf(buf + len, size - len, " ]");
}

enum kfence_fault kfence_fault = KFENCE_FAULT_REPORT;

void kfence_report_error(unsigned long addr, bool is_write, const unsigned long *stack,
			 int nr_stack, const struct kfence_metadata *meta,
			 enum kfence_error_type type, const u8 *bytes)
{
	static const struct kfence_out con = { .file = NULL };
	const struct kfence_out *o = &con;
	const char *rw = is_write ? "write" : "read";
	unsigned long own[KFENCE_STACK_DEPTH];
	char line[96];
	int skip = 0;

	if (!stack) {
		nr_stack = arch_stack_trace(own, KFENCE_STACK_DEPTH, 0);
		stack = own;
		skip = stack_skipnr(stack, nr_stack);
	}
	__atomic_add_fetch(&kfence_counters[KFENCE_COUNTER_BUGS], 1, __ATOMIC_RELAXED);
	out(o, "==================================================================\n");
	switch (type) {
	case KFENCE_ERROR_OOB:
		out(o, "BUG: KFENCE: out-of-bounds %s in %pS\n\n", rw, (void *)stack[skip]);
		if (addr < meta->addr)
			out(o, "Out-of-bounds %s at 0x%p (%luB left of kfence-#%d):\n", rw, (void *)addr,
			    meta->addr - addr, kfence_index(meta));
		else	/* the kernel counts from the object's start on this side too */
			out(o, "Out-of-bounds %s at 0x%p (%luB right of kfence-#%d):\n", rw, (void *)addr,
			    addr - meta->addr, kfence_index(meta));
		break;
	case KFENCE_ERROR_UAF:
		out(o, "BUG: KFENCE: use-after-free %s in %pS\n\n", rw, (void *)stack[skip]);
		out(o, "Use-after-free %s at 0x%p (in kfence-#%d):\n", rw, (void *)addr,
		    kfence_index(meta));
		break;
	case KFENCE_ERROR_CORRUPTION:
		corrupt_bytes(line, sizeof(line), meta, addr, bytes);
		out(o, "BUG: KFENCE: memory corruption in %pS\n\n", (void *)stack[skip]);
		out(o, "Corrupted memory at 0x%p %s (in kfence-#%d):\n", (void *)addr, line,
		    kfence_index(meta));
		break;
	case KFENCE_ERROR_INVALID:
		out(o, "BUG: KFENCE: invalid %s in %pS\n\n", rw, (void *)stack[skip]);
		out(o, "Invalid %s at 0x%p:\n", rw, (void *)addr);
		break;
	case KFENCE_ERROR_INVALID_FREE:
		out(o, "BUG: KFENCE: invalid free in %pS\n\n", (void *)stack[skip]);
		if (meta)
			out(o, "Invalid free of 0x%p (in kfence-#%d):\n", (void *)addr,
			    kfence_index(meta));
		else
			out(o, "Invalid free of 0x%p:\n", (void *)addr);
		break;
	}
	for (; skip < nr_stack; skip++)
		out(o, " %pS\n", (void *)stack[skip]);
	if (meta && (type != KFENCE_ERROR_INVALID || meta->state != KFENCE_OBJECT_UNUSED)) {
		out(o, "\n");
		print_object(o, meta);
	}
	/* mm/kfence/report.c: dump_stack_print_info() without regs. */
	out(o, "\n");
	dump_stack_print_info(KERN_ERR);
	out(o, "==================================================================\n");
	check_panic_on_warn("KFENCE");
	add_taint(TAINT_BAD_PAGE, LOCKDEP_STILL_OK);
	/* kfence_handle_fault(): kfence.fault=oops ends in BUG(), =panic in a panic. */
	if (kfence_fault == KFENCE_FAULT_OOPS)
		BUG();
	if (kfence_fault == KFENCE_FAULT_PANIC)
		panic("kfence.fault=panic set ...\n");
}

/* ---- the files ---- */

static void objects_show(FILE *m)
{
	const struct kfence_out o = { .file = m };
	struct kfence_metadata *copy;
	unsigned int i;

	if (!kfence_metadata)
		return;
	/* One copy at a time, off the stack's way (the struct is ~1 KiB). */
	copy = arch_map_anon(PAGE_ALIGN(sizeof(*copy)));
	if (!copy)
		return;
	for (i = 0; i < kfence_num_objects; i++) {
		kfence_metadata_snapshot(&kfence_metadata[i], copy);
		/* The kernel's file lists every object, unused ones in one line. */
		if (copy->state == KFENCE_OBJECT_UNUSED)
			fprintf(m, "kfence-#%u unused\n", i);
		else
			print_object(&o, copy);
		fputs("---------------------------------\n", m);
	}
	arch_unmap(copy, PAGE_ALIGN(sizeof(*copy)));
}

static void stats_show(FILE *m)
{
	static const char *const names[KFENCE_COUNTER_COUNT] = {
		[KFENCE_COUNTER_ALLOCATED]	= "currently allocated",
		[KFENCE_COUNTER_ALLOCS]		= "total allocations",
		[KFENCE_COUNTER_FREES]		= "total frees",
		[KFENCE_COUNTER_ZOMBIES]	= "zombie allocations",
		[KFENCE_COUNTER_BUGS]		= "total bugs",
		[KFENCE_COUNTER_SKIP_INCOMPAT]	= "skipped allocations (incompatible)",
		[KFENCE_COUNTER_SKIP_CAPACITY]	= "skipped allocations (capacity)",
		[KFENCE_COUNTER_SKIP_BUSY]	= "skipped allocations (busy)",
	};
	int i;

	fprintf(m, "enabled: %i\n", READ_ONCE(kfence_pool_size) != 0);
	for (i = 0; i < KFENCE_COUNTER_COUNT; i++)
		fprintf(m, "%s: %ld\n", names[i],
			__atomic_load_n(&kfence_counters[i], __ATOMIC_RELAXED));
}

void kfence_register_reports(void)
{
	ukmem_register_report("kfence/objects", objects_show);
	ukmem_register_report("kfence/stats", stats_show);
}
