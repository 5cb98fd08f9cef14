// SPDX-License-Identifier: MIT
/*
 * mm/percpu.c - per-CPU memory: the chunk allocator behind alloc_percpu(),
 * the static per-CPU sections, get_cpu()/put_cpu() and the slow paths of
 * this_cpu_*() (the kernel's mm/percpu.c, with the x86-64 embedding of
 * setup_per_cpu_areas()).
 *
 * Design:
 *
 * 1. Units and chunks.  A chunk is nr_cpu_ids units of pcpu_unit_size
 *    bytes, one per possible CPU, contiguous: CPU n's unit starts
 *    n * pcpu_unit_size after CPU 0's.  Every chunk has the same unit size,
 *    so __per_cpu_offset[n] = n * pcpu_unit_size serves all of them, and a
 *    dynamic per-CPU pointer is simply CPU 0's copy.  (The kernel keeps
 *    the unit offsets fixed the same way, placing later chunks in vmalloc
 *    space at the first chunk's offsets; here chunks are physically
 *    contiguous pages from the linear map, which gives the same property
 *    without page tables.)
 * 2. The first chunk comes from memblock at boot (setup_per_cpu_areas,
 *    after the zones are built and before memblock hands memory to the
 *    buddy allocator, as in start_kernel).  Its units start with the
 *    static area: the "ukmem_percpu" sections of the library and of every
 *    object registered so far, each copied into every unit; the rest is
 *    the dynamic area.  The unit size is the static area plus
 *    PERCPU_DYNAMIC_RESERVE, at least PCPU_MIN_UNIT_SIZE, rounded up to a
 *    power of two (the fraction of a 2 MiB atom x86-64's embedding picks).
 *    An object registered after boot (dlopen) gets its static area from
 *    the dynamic allocator instead.
 * 3. Later chunks are allocated from the page allocator (alloc_pages_exact,
 *    GFP_KERNEL) when no chunk has room; atomic requests never add one.  A
 *    chunk that becomes empty is freed at once unless it is the only empty
 *    one (the kernel's balance work keeps one spare, asynchronously).
 *    All chunk memory counts as populated: meminfo's Percpu line is the
 *    sum of all chunks' units.
 * 4. The allocation map is the kernel's bitmap: one bit per
 *    PCPU_MIN_ALLOC_SIZE (4) bytes in alloc_map, allocation starts (and the
 *    bit after each end) in bound_map.  Per PCPU_BITMAP_BLOCK_SIZE block the
 *    metadata keeps the free count, the free runs at both edges and the
 *    largest run inside; from those the chunk knows its largest free run
 *    exactly, so a chunk that cannot fit a request is skipped without
 *    reading its bitmap, and the search inside a chunk starts at its first
 *    free bit and walks the map a word at a time.
 * 5. Static sections: an object's variables are reached through
 *    ukmem_pcpu_sections[] (start, size, delta to CPU 0's copy), which the
 *    inline code in linux/percpu-defs.h scans; the linear map is checked
 *    first, so dynamic pointers never scan it.
 * 6. CPUs: ukmem_pcpu_cpus[n] holds CPU n's offset and lock word.  In rseq
 *    mode (x86-64, glibc registered rseq) every lock is taken by a
 *    restartable sequence running on that CPU and committing the token,
 *    and this_cpu_*() sequences give up when the word is not 0, so holding
 *    a CPU excludes all other threads' operations on it.  In lock mode (no
 *    rseq: valgrind, old glibc, or the mode switched off) the word is taken
 *    with a compare-and-swap, by get_cpu() and by each operation.  The two
 *    modes never run at once: the mode is chosen at boot.  A thread that
 *    finds its own token (a signal handler that interrupted its thread's
 *    get_cpu section or slow path) uses an atomic instruction on the copy.
 *
 * Lock order: pcpu_lock is a leaf (alloc_pages and kmalloc run without
 * it).  CPU lock words are not taken by anything in mm/ except here.
 */
#include <errno.h>
#include <string.h>

#include <linux/bitmap.h>
#include <linux/percpu.h>
#include <linux/kmemleak.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/log2.h>
#include <linux/spinlock.h>
#include "arch/host.h"
#include "arch/rseq.h"
#include "kernel/fork.h"
#include "kernel/locking.h"
#include "mm/internal.h"
#include "mm/proc.h"

#undef pr_fmt
#define pr_fmt(fmt) "percpu: " fmt

/* ---- state read by the inline code (linux/percpu-defs.h) ---- */

struct ukmem_pcpu_cpu ukmem_pcpu_cpus[NR_CPUS];
static unsigned int pcpu_cpus_written;	/* entries of it a boot set, from 0 */
struct ukmem_pcpu_section ukmem_pcpu_sections[UKMEM_PCPU_MAX_SECTIONS];
unsigned int ukmem_pcpu_nr_sections;
unsigned long ukmem_pcpu_dyn_start, ukmem_pcpu_dyn_size;
long ukmem_pcpu_rseq;
__thread int ukmem_pcpu_held __attribute__((tls_model("initial-exec")));

/* x86's per-CPU CPU number, and a library counter; both static per-CPU variables. */
DEFINE_PER_CPU_READ_MOSTLY(int, cpu_number);
DEFINE_PER_CPU(unsigned long, ukmem_pcpu_slow_ops);

/*
 * The same variables under hidden names.  A program built as a PIE by gcc
 * takes copy relocations for the library's exported data: &cpu_number then
 * names a copy in the program's .bss, for the library's code as well, and
 * that address is in no per-CPU section.  The hidden aliases still name
 * the library's own section, so boot can tell and map the copy's address.
 */
extern int pcpu_cpu_number_own __attribute__((alias("cpu_number"), visibility("hidden")));
extern unsigned long pcpu_slow_ops_own
	__attribute__((alias("ukmem_pcpu_slow_ops"), visibility("hidden")));

/* Nesting depth of get_cpu() on the held CPU, and the thread's lock token. */
static __thread int pcpu_hold_depth __attribute__((tls_model("initial-exec")));
static __thread u32 pcpu_token __attribute__((tls_model("initial-exec")));

/* ---- the allocator's state ---- */

struct pcpu_block_md {
	int nr_free;		/* free bits in the block */
	int left_free;		/* free bits at its start */
	int right_free;		/* free bits at its end */
	int contig_hint;	/* largest free run inside it */
};

struct pcpu_chunk {
	struct list_head list;
	unsigned long base;		/* CPU 0's unit */
	int free_bits;
	int contig_bits;		/* largest free run, exact */
	int first_free;			/* lowest free bit */
	int nr_alloc;			/* live allocations (the static area counts one) */
	bool immutable;			/* the first chunk: never freed */
	unsigned long *alloc_map;	/* pcpu_chunk_bits */
	unsigned long *bound_map;	/* pcpu_chunk_bits + 1 */
	struct pcpu_block_md *md;	/* pcpu_chunk_bits / PCPU_BITMAP_BLOCK_BITS */
};

static DEFINE_SPINLOCK_RANKED(pcpu_lock, LOCK_RANK_PCPU);	/* the chunks, their maps */
static LIST_HEAD(pcpu_chunks);		/* the first chunk first */
static struct pcpu_chunk *pcpu_first_chunk;
static size_t pcpu_unit_size;
static unsigned int pcpu_nr_units;
static int pcpu_chunk_bits;		/* bits per unit */
static int pcpu_nr_blocks;
static size_t pcpu_static_size;
static unsigned int pcpu_nr_chunks;
static bool pcpu_ready;			/* the first chunk exists */

/* Sections registered before boot wait here for the first chunk. */
static struct { char *start, *stop; } pcpu_pending[UKMEM_PCPU_MAX_SECTIONS];
static unsigned int pcpu_nr_pending;

/* ---- bitmaps ---- */

static inline bool test_bit_(const unsigned long *map, int nr)
{
	return (map[nr / BITS_PER_LONG] >> (nr % BITS_PER_LONG)) & 1;
}

static inline void set_bit_(unsigned long *map, int nr)
{
	map[nr / BITS_PER_LONG] |= 1UL << (nr % BITS_PER_LONG);
}

static inline void clear_bit_(unsigned long *map, int nr)
{
	map[nr / BITS_PER_LONG] &= ~(1UL << (nr % BITS_PER_LONG));
}

/* The first bit in [start, size) equal to @set, or @size. */
static int find_next_(const unsigned long *map, int size, int start, bool set)
{
	unsigned long word, invert = set ? 0 : ~0UL;
	int i;

	if (start >= size)
		return size;
	i = start / BITS_PER_LONG;
	word = (map[i] ^ invert) & (~0UL << (start % BITS_PER_LONG));
	for (;;) {
		if (word) {
			int bit = i * BITS_PER_LONG + __builtin_ctzl(word);

			return bit < size ? bit : size;
		}
		if (++i * BITS_PER_LONG >= size)
			return size;
		word = map[i] ^ invert;
	}
}

static void bitmap_assign(unsigned long *map, int start, int nr, bool set)
{
	bitmap_assign_range(map, (unsigned int)start, (unsigned int)nr, set);
}

/* ---- block and chunk hints ---- */

static void pcpu_block_refresh(struct pcpu_chunk *chunk, int block)
{
	struct pcpu_block_md *md = &chunk->md[block];
	int start = block * PCPU_BITMAP_BLOCK_BITS, end = start + PCPU_BITMAP_BLOCK_BITS;
	int pos = start, best = 0, nr_free = 0;

	md->left_free = find_next_(chunk->alloc_map, end, start, true) - start;
	md->right_free = 0;
	while (pos < end) {
		int zero = find_next_(chunk->alloc_map, end, pos, false);
		int one;

		if (zero == end)
			break;
		one = find_next_(chunk->alloc_map, end, zero, true);
		nr_free += one - zero;
		best = max(best, one - zero);
		if (one == end)
			md->right_free = one - zero;
		pos = one;
	}
	md->nr_free = nr_free;
	md->contig_hint = best;
}

/* The chunk's largest free run from its blocks' edges and insides. */
static void pcpu_chunk_refresh(struct pcpu_chunk *chunk, int first_block, int last_block)
{
	int b, run = 0, best = 0;

	for (b = first_block; b <= last_block; b++)
		pcpu_block_refresh(chunk, b);
	for (b = 0; b < pcpu_nr_blocks; b++) {
		struct pcpu_block_md *md = &chunk->md[b];

		if (md->nr_free == PCPU_BITMAP_BLOCK_BITS) {
			run += PCPU_BITMAP_BLOCK_BITS;
			continue;
		}
		best = max(best, max(run + md->left_free, md->contig_hint));
		run = md->right_free;
	}
	chunk->contig_bits = max(best, run);
	chunk->first_free = find_next_(chunk->alloc_map, pcpu_chunk_bits, 0, false);
}

/* ---- areas in a chunk; pcpu_lock held ---- */

/* The first free run of @bits at an @align_bits boundary, or -1. */
static int pcpu_find_fit(struct pcpu_chunk *chunk, int bits, int align_bits)
{
	int start = chunk->first_free;

	if (chunk->contig_bits < bits)
		return -1;
	for (;;) {
		int busy;

		start = find_next_(chunk->alloc_map, pcpu_chunk_bits, start, false);
		start = ALIGN(start, align_bits);
		if (start + bits > pcpu_chunk_bits)
			return -1;
		busy = find_next_(chunk->alloc_map, start + bits, start, true);
		if (busy == start + bits)
			return start;
		start = busy + 1;
	}
}

static void pcpu_alloc_area(struct pcpu_chunk *chunk, int start, int bits)
{
	bitmap_assign(chunk->alloc_map, start, bits, true);
	set_bit_(chunk->bound_map, start);
	if (bits > 1)
		bitmap_assign(chunk->bound_map, start + 1, bits - 1, false);
	set_bit_(chunk->bound_map, start + bits);
	chunk->free_bits -= bits;
	chunk->nr_alloc++;
	pcpu_chunk_refresh(chunk, start / PCPU_BITMAP_BLOCK_BITS,
			   (start + bits - 1) / PCPU_BITMAP_BLOCK_BITS);
}

/* Bits freed, or 0 if @start is not the start of a live area. */
static int pcpu_free_area(struct pcpu_chunk *chunk, int start)
{
	int end, bits;

	if (!test_bit_(chunk->bound_map, start) || !test_bit_(chunk->alloc_map, start))
		return 0;
	end = find_next_(chunk->bound_map, pcpu_chunk_bits + 1, start + 1, true);
	bits = end - start;
	bitmap_assign(chunk->alloc_map, start, bits, false);
	clear_bit_(chunk->bound_map, start);
	chunk->free_bits += bits;
	chunk->nr_alloc--;
	pcpu_chunk_refresh(chunk, start / PCPU_BITMAP_BLOCK_BITS,
			   (end - 1) / PCPU_BITMAP_BLOCK_BITS);
	return bits;
}

static struct pcpu_chunk *pcpu_chunk_of(unsigned long addr)
{
	struct pcpu_chunk *chunk;

	list_for_each_entry(chunk, &pcpu_chunks, list)
		if (addr - chunk->base < pcpu_unit_size)
			return chunk;
	return NULL;
}

static size_t pcpu_chunk_bytes(void)
{
	return pcpu_unit_size * pcpu_nr_units;
}

static void pcpu_account(long chunks)
{
	pcpu_nr_chunks += chunks;
	WRITE_ONCE(ukmem_percpu_bytes, (unsigned long)pcpu_nr_chunks * pcpu_chunk_bytes());
}

/* ---- chunk memory ---- */

static size_t pcpu_meta_bytes(void)
{
	size_t words = BITS_TO_LONGS(pcpu_chunk_bits + 1);

	return sizeof(struct pcpu_chunk) + 2 * words * sizeof(long) +
	       pcpu_nr_blocks * sizeof(struct pcpu_block_md);
}

/* Lay the maps out after the chunk header in one metadata block. */
static void pcpu_chunk_init(struct pcpu_chunk *chunk, unsigned long base)
{
	size_t words = BITS_TO_LONGS(pcpu_chunk_bits + 1);
	int b;

	memset(chunk, 0, pcpu_meta_bytes());
	INIT_LIST_HEAD(&chunk->list);
	chunk->base = base;
	chunk->alloc_map = (unsigned long *)(chunk + 1);
	chunk->bound_map = chunk->alloc_map + words;
	chunk->md = (struct pcpu_block_md *)(chunk->bound_map + words);
	/* The bit after the last one bounds the final area. */
	set_bit_(chunk->bound_map, pcpu_chunk_bits);
	chunk->free_bits = pcpu_chunk_bits;
	chunk->contig_bits = pcpu_chunk_bits;
	for (b = 0; b < pcpu_nr_blocks; b++) {
		chunk->md[b].nr_free = PCPU_BITMAP_BLOCK_BITS;
		chunk->md[b].left_free = chunk->md[b].right_free = PCPU_BITMAP_BLOCK_BITS;
		chunk->md[b].contig_hint = PCPU_BITMAP_BLOCK_BITS;
	}
}

static struct pcpu_chunk *pcpu_create_chunk(gfp_t gfp)
{
	struct pcpu_chunk *chunk = kmalloc(pcpu_meta_bytes(), gfp);
	void *base;

	if (!chunk)
		return NULL;
	base = alloc_pages_exact(pcpu_chunk_bytes(), gfp);
	if (!base) {
		kfree(chunk);
		return NULL;
	}
	pcpu_chunk_init(chunk, (unsigned long)base);
	return chunk;
}

static void pcpu_destroy_chunk(struct pcpu_chunk *chunk)
{
	free_pages_exact((void *)chunk->base, pcpu_chunk_bytes());
	kfree(chunk);
}

/* ---- allocating ---- */

static bool pcpu_lock_irqsafe(void)
{
	/* A signal handler may have interrupted its own thread inside the lock. */
	return spin_lock_or_try(&pcpu_lock);
}

static void __percpu *pcpu_alloc(size_t size, size_t align, gfp_t gfp, bool zero);
static void pcpu_unlock_drain(struct pcpu_chunk **release);

void __percpu *__alloc_percpu_gfp(size_t size, size_t align, gfp_t gfp)
{
	void __percpu *p = pcpu_alloc(size, align, gfp, true);

	/* The callers' areas only: the slab allocator's stacks are never scanned. */
	if (unlikely(kmemleak_enabled) && p)
		kmemleak_alloc_percpu(p, size, gfp);
	return p;
}

/*
 * For the slab allocator's per-CPU stacks: the same area, not zeroed, so
 * that a CPU's copy costs memory only once that CPU uses it (the caller
 * initialises what it reads).
 */
void __percpu *pcpu_alloc_noinit(size_t size, size_t align, gfp_t gfp)
{
	return pcpu_alloc(size, align, gfp, false);
}

static void __percpu *pcpu_alloc(size_t size, size_t align, gfp_t gfp, bool zero)
{
	static int warn_limit = 10;
	gfp_t pcpu_gfp = gfp & (GFP_KERNEL | __GFP_NORETRY | __GFP_NOWARN);
	bool is_atomic = !gfpflags_allow_blocking(gfp);
	bool do_warn = !(gfp & __GFP_NOWARN);
	struct pcpu_chunk *chunk, *fresh = NULL, *release = NULL;
	const char *err;
	unsigned long addr;
	int bits, align_bits, off = -1;
	unsigned int cpu;

	/* Areas are whole 4-byte words, so alignment is at least that. */
	if (unlikely(align < PCPU_MIN_ALLOC_SIZE))
		align = PCPU_MIN_ALLOC_SIZE;
	size = ALIGN(size, PCPU_MIN_ALLOC_SIZE);
	bits = (int)(size >> PCPU_MIN_ALLOC_SHIFT);
	align_bits = (int)(align >> PCPU_MIN_ALLOC_SHIFT);

	if (unlikely(!size || size > PCPU_MIN_UNIT_SIZE || align > PAGE_SIZE ||
		     !is_power_of_2(align))) {
		WARN(do_warn, "illegal size (%zu) or align (%zu) for percpu allocation\n",
		     size, align);
		return NULL;
	}
	might_sleep_if(!is_atomic);
	ukmem_ensure_booted();
	if (unlikely(!pcpu_ready || ukmem_boot_failed())) {
		err = "no per-CPU areas (the machine did not boot)";
		goto fail;
	}

	if (!pcpu_lock_irqsafe()) {
		err = "atomic alloc failed, no space left";
		goto fail;
	}
	for (;;) {
		list_for_each_entry(chunk, &pcpu_chunks, list) {
			off = pcpu_find_fit(chunk, bits, align_bits);
			if (off >= 0)
				goto area_found;
		}
		if (fresh) {
			/* Another thread took the new chunk's space?  It is empty: use it. */
			list_add_tail(&fresh->list, &pcpu_chunks);
			pcpu_account(1);
			chunk = fresh;
			fresh = NULL;
			off = pcpu_find_fit(chunk, bits, align_bits);
			goto area_found;
		}
		pcpu_unlock_drain(&release);
		if (release) {
			pcpu_destroy_chunk(release);
			release = NULL;
		}
		if (is_atomic) {
			err = "atomic alloc failed, no space left";
			goto fail;
		}
		fresh = pcpu_create_chunk(pcpu_gfp);
		if (!fresh) {
			err = "failed to allocate new chunk";
			goto fail;
		}
		spin_lock(&pcpu_lock);
	}

area_found:
	pcpu_alloc_area(chunk, off, bits);
	pcpu_unlock_drain(&release);
	if (fresh)	/* raced: someone else's chunk had room after all */
		pcpu_destroy_chunk(fresh);
	if (release)
		pcpu_destroy_chunk(release);

	addr = chunk->base + ((unsigned long)off << PCPU_MIN_ALLOC_SHIFT);
	for (cpu = 0; zero && cpu < pcpu_nr_units; cpu++)
		memset((void *)(addr + ukmem_pcpu_cpus[cpu].offset), 0, size);
	return (void __percpu *)addr;

fail:
	if (do_warn && warn_limit) {
		pr_warn("allocation failed, size=%zu align=%zu atomic=%d, %s\n",
			size, align, is_atomic, err);
		if (!is_atomic)
			dump_stack();
		if (!--warn_limit)
			pr_info("limit reached, disable warning\n");
	}
	return NULL;
}

void __percpu *__alloc_percpu(size_t size, size_t align)
{
	return __alloc_percpu_gfp(size, align, GFP_KERNEL);
}

unsigned long pcpu_nr_pages(void)
{
	ukmem_ensure_booted();	/* the first chunk is made at boot */
	return READ_ONCE(ukmem_percpu_bytes) >> PAGE_SHIFT;
}

/*
 * Frees from a signal handler that found pcpu_lock busy wait here for the
 * next holder (the kernel disables interrupts around the lock instead):
 * every release of the lock, allocation or free, hands them back.
 */
#define PCPU_DEFERRED_MAX	64
static unsigned long pcpu_deferred[PCPU_DEFERRED_MAX];

static void pcpu_free_locked(unsigned long addr, struct pcpu_chunk **release);

static void pcpu_unlock_drain(struct pcpu_chunk **release)
{
	int i;

	for (i = 0; i < PCPU_DEFERRED_MAX; i++) {
		unsigned long addr = __atomic_exchange_n(&pcpu_deferred[i], 0, __ATOMIC_ACQUIRE);

		if (addr)
			pcpu_free_locked(addr, release);
	}
	spin_unlock(&pcpu_lock);
}

/* Free the area at @addr; an emptied chunk may be handed back in *@release. */
static void pcpu_free_locked(unsigned long addr, struct pcpu_chunk **release)
{
	struct pcpu_chunk *chunk = pcpu_chunk_of(addr), *other;

	if (!chunk || ((addr - chunk->base) & (PCPU_MIN_ALLOC_SIZE - 1)) ||
	    (chunk->immutable && addr - chunk->base < pcpu_static_size) ||
	    !pcpu_free_area(chunk, (int)((addr - chunk->base) >> PCPU_MIN_ALLOC_SHIFT))) {
		WARN(1, "free_percpu: %#lx is not a live per-CPU area\n", addr);
		return;
	}
	if (chunk->nr_alloc || chunk->immutable || *release)
		return;
	/* Keep one empty chunk for the next growth; release any other. */
	list_for_each_entry(other, &pcpu_chunks, list) {
		if (other != chunk && !other->immutable && !other->nr_alloc) {
			list_del(&chunk->list);
			pcpu_account(-1);
			*release = chunk;
			return;
		}
	}
}

void free_percpu(void __percpu *ptr)
{
	struct pcpu_chunk *release = NULL;
	unsigned long addr = (unsigned long)ptr;
	int i;

	if (!ptr)
		return;
	if (unlikely(!pcpu_ready || addr - ukmem_pcpu_dyn_start >= ukmem_pcpu_dyn_size)) {
		WARN(1, "free_percpu: %p is not a dynamic per-CPU pointer\n", ptr);
		return;
	}
	kmemleak_hook_free(ptr);
	if (unlikely(!pcpu_lock_irqsafe())) {
		for (i = 0; i < PCPU_DEFERRED_MAX; i++) {
			unsigned long none = 0;

			if (__atomic_compare_exchange_n(&pcpu_deferred[i], &none, addr, false,
							__ATOMIC_RELEASE, __ATOMIC_RELAXED))
				return;
		}
		WARN_ONCE(1, "free_percpu: too many frees from signal handlers; %p leaked\n", ptr);
		return;
	}
	pcpu_free_locked(addr, &release);
	pcpu_unlock_drain(&release);
	if (release)
		pcpu_destroy_chunk(release);
}

phys_addr_t per_cpu_ptr_to_phys(void *addr)
{
	return __pa(addr);
}

bool is_kernel_percpu_address(unsigned long addr)
{
	unsigned int cpu;

	if (!pcpu_first_chunk)
		return false;
	for (cpu = 0; cpu < pcpu_nr_units; cpu++) {
		unsigned long unit = pcpu_first_chunk->base + ukmem_pcpu_cpus[cpu].offset;

		if (addr - unit < pcpu_static_size)
			return true;
	}
	return false;
}

/* Bytes allocated in all chunks (the kernel's percpu_stats): the tests' leak checks. */
size_t pcpu_used_bytes(void)
{
	struct pcpu_chunk *chunk;
	size_t bytes = 0;

	ukmem_ensure_booted();
	spin_lock(&pcpu_lock);
	list_for_each_entry(chunk, &pcpu_chunks, list)
		bytes += (size_t)(pcpu_chunk_bits - chunk->free_bits) << PCPU_MIN_ALLOC_SHIFT;
	spin_unlock(&pcpu_lock);
	return bytes;
}

unsigned long ukmem_percpu_populated_bytes(void)
{
	ukmem_ensure_booted();
	return READ_ONCE(ukmem_percpu_bytes);
}

unsigned int ukmem_percpu_nr_chunks(void)
{
	ukmem_ensure_booted();
	return READ_ONCE(pcpu_nr_chunks);
}

size_t ukmem_percpu_unit_size(void)
{
	ukmem_ensure_booted();
	return pcpu_unit_size;
}

/* ---- static sections ---- */

/* A section's alignment: what its start address is aligned to, up to a page. */
static size_t section_align(char *start)
{
	unsigned long a = (unsigned long)start;

	return a ? min((size_t)PAGE_SIZE, (size_t)(a & -a)) : PAGE_SIZE;
}

static bool section_known(char *start)
{
	unsigned int i;

	for (i = 0; i < ukmem_pcpu_nr_sections; i++)
		if (ukmem_pcpu_sections[i].start == (unsigned long)start)
			return true;
	for (i = 0; i < pcpu_nr_pending; i++)
		if (pcpu_pending[i].start == start)
			return true;
	return false;
}

/* Copy the template into every unit and make the section findable. */
static void section_publish(char *start, char *stop, unsigned long copy0)
{
	struct ukmem_pcpu_section *sec;
	unsigned int cpu, n = ukmem_pcpu_nr_sections;

	for (cpu = 0; cpu < pcpu_nr_units; cpu++)
		memcpy((void *)(copy0 + ukmem_pcpu_cpus[cpu].offset), start, stop - start);
	sec = &ukmem_pcpu_sections[n];
	sec->start = (unsigned long)start;
	sec->size = stop - start;
	sec->delta = (long)(copy0 - (unsigned long)start);
	__atomic_store_n(&ukmem_pcpu_nr_sections, n + 1, __ATOMIC_RELEASE);
}

void ukmem_percpu_register_section(char *start, char *stop)
{
	size_t size = stop - start;
	void *copy;

	if (!start || stop <= start)
		return;
	spin_lock(&pcpu_lock);
	if (section_known(start)) {
		spin_unlock(&pcpu_lock);
		return;
	}
	if (ukmem_pcpu_nr_sections + pcpu_nr_pending >= UKMEM_PCPU_MAX_SECTIONS) {
		spin_unlock(&pcpu_lock);
		pr_err("too many per-CPU sections (%d); %p not registered\n",
		       UKMEM_PCPU_MAX_SECTIONS, start);
		return;
	}
	if (!pcpu_ready) {
		/* Before boot: the first chunk's static area will hold it. */
		pcpu_pending[pcpu_nr_pending].start = start;
		pcpu_pending[pcpu_nr_pending].stop = stop;
		pcpu_nr_pending++;
		spin_unlock(&pcpu_lock);
		return;
	}
	spin_unlock(&pcpu_lock);

	/* After boot (dlopen): space from the dynamic area, as a module's would be. */
	copy = __alloc_percpu(size, section_align(start));
	if (!copy) {
		pr_err("no per-CPU space for the section at %p (%zu bytes)\n", start, size);
		return;
	}
	spin_lock(&pcpu_lock);
	if (section_known(start) ||
	    ukmem_pcpu_nr_sections >= UKMEM_PCPU_MAX_SECTIONS) {
		spin_unlock(&pcpu_lock);
		free_percpu(copy);
		return;
	}
	section_publish(start, stop, (unsigned long)copy);
	spin_unlock(&pcpu_lock);
	/* Held through the section's delta, a pointer kmemleak cannot see. */
	kmemleak_ignore_percpu(copy);
}

unsigned long ukmem_pcpu_canon_slow(unsigned long ptr)
{
	unsigned int i;

	/* Per-CPU variables touched before the first allocation boot the machine. */
	ukmem_ensure_booted();
	if (ptr - ukmem_pcpu_dyn_start < ukmem_pcpu_dyn_size)
		return ptr;
	for (i = 0; i < READ_ONCE(ukmem_pcpu_nr_sections); i++)
		if (ptr - ukmem_pcpu_sections[i].start < ukmem_pcpu_sections[i].size)
			return ptr + (unsigned long)ukmem_pcpu_sections[i].delta;
	panic("percpu: %#lx is not a per-CPU pointer (no DEFINE_PER_CPU section or "
	      "alloc_percpu area holds it)\n", ptr);
}

/* ---- boot ---- */

/* @seen (the address code uses) is a copy-relocated @own: map it too. */
static void pcpu_map_interposed(void *seen, void *own, size_t size)
{
	unsigned long copy0;

	if (seen == own)
		return;
	copy0 = __ukmem_pcpu_canon((unsigned long)own);
	spin_lock(&pcpu_lock);
	if (ukmem_pcpu_nr_sections < UKMEM_PCPU_MAX_SECTIONS) {
		struct ukmem_pcpu_section *sec = &ukmem_pcpu_sections[ukmem_pcpu_nr_sections];

		sec->start = (unsigned long)seen;
		sec->size = size;
		sec->delta = (long)(copy0 - (unsigned long)seen);
		__atomic_store_n(&ukmem_pcpu_nr_sections, ukmem_pcpu_nr_sections + 1,
				 __ATOMIC_RELEASE);
	}
	spin_unlock(&pcpu_lock);
}

static const struct fork_step pcpu_fork_step;

/*
 * setup_per_cpu_areas - the first chunk, from memblock (start_kernel order:
 * after the zones, before memblock_free_all()).
 */
/* A unit: the static copies, the dynamic reserve, at least 32 KiB, a power of two. */
static size_t pcpu_unit_size_for(size_t static_size)
{
	size_t size_sum = PFN_ALIGN(ALIGN(static_size, PCPU_MIN_ALLOC_SIZE) +
				    PERCPU_DYNAMIC_RESERVE);

	return roundup_pow_of_two(max(size_sum, (size_t)PCPU_MIN_UNIT_SIZE));
}

/*
 * What setup_per_cpu_areas() will take from memblock for @cpus CPUs: a
 * unit per CPU for the sections registered so far and the library's own
 * (each section aligned at most to a page), and the chunk's metadata.
 * The boot's minimum RAM is checked with it before anything is reserved.
 */
size_t pcpu_boot_bytes(unsigned int cpus)
{
	size_t static_size = (size_t)(__stop_ukmem_percpu - __start_ukmem_percpu) + PAGE_SIZE;
	unsigned int i;

	spin_lock(&pcpu_lock);
	for (i = 0; i < pcpu_nr_pending; i++)
		static_size += (size_t)(pcpu_pending[i].stop - pcpu_pending[i].start) + PAGE_SIZE;
	spin_unlock(&pcpu_lock);
	/* The metadata: a few bitmaps per chunk, a page covers it. */
	return pcpu_unit_size_for(static_size) * cpus + PAGE_SIZE;
}

void setup_per_cpu_areas(void)
{
	size_t offs[UKMEM_PCPU_MAX_SECTIONS], static_size = 0;
	unsigned int i, cpu;
	struct pcpu_chunk *chunk;
	void *base;

	/*
	 * The library's own section first: a boot from inside another
	 * object's constructor can come before the library's constructors.
	 */
	ukmem_percpu_register_section(__start_ukmem_percpu, __stop_ukmem_percpu);
	spin_lock(&pcpu_lock);
	for (i = 0; i < pcpu_nr_pending; i++) {
		static_size = ALIGN(static_size, section_align(pcpu_pending[i].start));
		offs[i] = static_size;
		static_size += pcpu_pending[i].stop - pcpu_pending[i].start;
	}
	static_size = ALIGN(static_size, PCPU_MIN_ALLOC_SIZE);
	pcpu_unit_size = pcpu_unit_size_for(static_size);
	pcpu_nr_units = nr_cpu_ids;
	pcpu_chunk_bits = (int)(pcpu_unit_size >> PCPU_MIN_ALLOC_SHIFT);
	pcpu_nr_blocks = pcpu_chunk_bits / PCPU_BITMAP_BLOCK_BITS;
	pcpu_static_size = static_size;

	/*
	 * Not zeroed: the static copies are written below and every dynamic
	 * area is initialised when it is allocated, so a unit costs memory
	 * only where it is used (32 KiB per CPU otherwise, at every start).
	 */
	base = memblock_alloc_raw(pcpu_chunk_bytes(), PAGE_SIZE);
	chunk = memblock_alloc(pcpu_meta_bytes(), SMP_CACHE_BYTES);
	if (!base || !chunk)
		panic("percpu: cannot allocate the first chunk (%zu bytes) from memblock\n",
		      pcpu_chunk_bytes());
	/*
	 * Entries past the units stay 0 (CPU 0's unit).  Only the entries an
	 * earlier boot of this process wrote are visited besides the units:
	 * even reading the rest of the table would fault in 16 pages of bss.
	 */
	for (cpu = 0; cpu < max(pcpu_nr_units, pcpu_cpus_written); cpu++)
		ukmem_pcpu_cpus[cpu].offset = cpu < pcpu_nr_units ? cpu * pcpu_unit_size : 0;
	pcpu_cpus_written = max(pcpu_nr_units, pcpu_cpus_written);

	pcpu_chunk_init(chunk, (unsigned long)base);
	chunk->immutable = true;
	if (static_size)
		pcpu_alloc_area(chunk, 0, (int)(static_size >> PCPU_MIN_ALLOC_SHIFT));
	list_add(&chunk->list, &pcpu_chunks);
	pcpu_first_chunk = chunk;
	pcpu_account(1);

	for (i = 0; i < pcpu_nr_pending; i++)
		section_publish(pcpu_pending[i].start, pcpu_pending[i].stop,
				(unsigned long)base + offs[i]);
	pcpu_nr_pending = 0;
	ukmem_pcpu_dyn_start = PAGE_OFFSET;
	ukmem_pcpu_dyn_size = ukmem_ram_size;
	pcpu_ready = true;
	spin_unlock(&pcpu_lock);

	pcpu_map_interposed(&cpu_number, &pcpu_cpu_number_own, sizeof(cpu_number));
	pcpu_map_interposed(&ukmem_pcpu_slow_ops, &pcpu_slow_ops_own,
			    sizeof(ukmem_pcpu_slow_ops));
	for (cpu = 0; cpu < pcpu_nr_units; cpu++)
		per_cpu(cpu_number, cpu) = (int)cpu;

	/*
	 * rseq mode only where glibc registered rseq for every thread.  Marked:
	 * the sections are published above, so a thread racing this boot can
	 * already be in this_cpu_*() and read it (taking the slow path on 0).
	 */
	WRITE_ONCE(ukmem_pcpu_rseq, UKMEM_PCPU_HAVE_RSEQ ? ukmem_rseq_offset : 0);
	fork_register_step(&pcpu_fork_step);

	pr_info("Embedded %zu pages/cpu s%zu r%d d%zu u%zu\n",
		PFN_ALIGN(static_size + PERCPU_DYNAMIC_RESERVE) >> PAGE_SHIFT,
		static_size, 0, pcpu_unit_size - static_size, pcpu_unit_size);
}

/* ---- holding a CPU ---- */

static u32 pcpu_my_token(void)
{
	if (unlikely(!pcpu_token))
		pcpu_token = (u32)arch_gettid() * 2 + 2;	/* never 0 */
	return pcpu_token;
}

static void pcpu_wait(unsigned int *spins)
{
	if (++*spins < 64)
		arch_cpu_relax();
	else
		arch_yield();
}

/*
 * The host CPU the thread runs on has no entry (numbered at or past
 * nr_cpu_ids: past NR_CPUS, or a hole in the host's numbering): the
 * sequences refuse it, and raw_smp_processor_id() maps it to an entry.
 */
static bool pcpu_beyond_entries(long rseq)
{
	return UKMEM_PCPU_HAVE_RSEQ && rseq &&
	       (unsigned int)*(volatile int *)((char *)__builtin_thread_pointer() + rseq + 4) >=
	       nr_cpu_ids;
}

/*
 * CPU @cpu's lock word from 0 to @token.  @remote: the thread does not
 * run on that CPU (pcpu_beyond_entries) while sequences do.  A thread
 * that does may be inside a sequence that read the word free before the
 * store and commits after it; membarrier's rseq fence restarts such a
 * sequence, which then sees the word taken, and the word is read again.
 * (A word taken on its own CPU needs none: the taking sequence ran there,
 * so no other did.)
 */
static bool pcpu_cas_lock(int cpu, u32 token, bool remote)
{
	u32 free = 0;

	if (!__atomic_compare_exchange_n(&ukmem_pcpu_cpus[cpu].lock, &free, token, false,
					 __ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
		return false;
	if (!remote)
		return true;
	if (arch_rseq_fence(cpu) && arch_rseq_fence(-1))
		WARN_ONCE(1, "membarrier refused the rseq fence: CPU %d shared unfenced\n", cpu);
	/*
	 * A get_cpu() sequence there that had read the word free may have
	 * committed its own token over ours before the fence: that thread
	 * holds the CPU, and we wait for it.
	 */
	return __atomic_load_n(&ukmem_pcpu_cpus[cpu].lock, __ATOMIC_ACQUIRE) == token;
}

/*
 * Take the current CPU's lock; its number.  *@borrowed: the lock word
 * already held this thread's token while the thread held no CPU: a signal
 * handler that interrupted its own thread between taking a lock word and
 * recording it (get_cpu), between forgetting it and releasing the word
 * (put_cpu), or inside lock mode's one-operation hold.  The interrupted
 * code touches the CPU's data only with atomic instructions there, and
 * waiting for it would wait for ever (the kernel allows get_cpu() in
 * hardirq context), so the handler uses the CPU and leaves the word alone.
 */
static int pcpu_lock_this_cpu(bool *borrowed)
{
	u32 token = pcpu_my_token();
	unsigned int spins = 0;

	*borrowed = false;
	for (;;) {
		long rseq = READ_ONCE(ukmem_pcpu_rseq);
		struct ukmem_pcpu_cpu *c;
		int cpu;

		/*
		 * The sequence refuses a host CPU with no entry: the entry
		 * raw_smp_processor_id() maps it to is taken with the
		 * compare-and-swap and the fence.  Tried only by the
		 * sequence, it was waited for for ever.
		 */
		bool beyond = pcpu_beyond_entries(rseq);

		if (UKMEM_PCPU_HAVE_RSEQ && rseq && !beyond) {
			c = __ukmem_rseq_lock_cpu(rseq, token);
			if (c)
				return (int)(c - ukmem_pcpu_cpus);
		} else {
			cpu = raw_smp_processor_id();
			if (pcpu_cas_lock(cpu, token, beyond))
				return cpu;
		}
		cpu = raw_smp_processor_id();
		if (__atomic_load_n(&ukmem_pcpu_cpus[cpu].lock, __ATOMIC_RELAXED) == token) {
			*borrowed = true;
			return cpu;
		}
		pcpu_wait(&spins);
	}
}

/*
 * A borrowed hold's nesting depth (0: the hold, if any, is the thread's
 * own).  get_cpu() and put_cpu() order their stores so that
 * ukmem_pcpu_held is never set with both depths 0: a handler arriving
 * between any two of them finds either ukmem_pcpu_held set (and nests on
 * it, releasing nothing) or the lock word with the token and
 * ukmem_pcpu_held 0 (and borrows).  The trampoline puts all three back as
 * the handler found them (pcpu_irq_save/restore), so a handler
 * interrupting another handler's transition cannot leave it half done.
 */
static __thread int pcpu_borrow_depth __attribute__((tls_model("initial-exec")));

void pcpu_irq_save(struct pcpu_irq_state *state)
{
	state->held = ukmem_pcpu_held;
	state->hold_depth = pcpu_hold_depth;
	state->borrow_depth = pcpu_borrow_depth;
	barrier();
}

void pcpu_irq_restore(const struct pcpu_irq_state *state)
{
	int held = ukmem_pcpu_held, borrowed = pcpu_borrow_depth;
	bool leaked;

	barrier();
	/*
	 * A balanced handler leaves ukmem_pcpu_held as it found it, and the
	 * depths too when the thread held a CPU.  One that returns with a
	 * get_cpu() not put is reported (the kernel's leaked preempt count
	 * is reported at the next sleep, and it stays leaked here too), and
	 * its hold is forgotten first, as put_cpu() does, so that a handler
	 * arriving meanwhile never finds a CPU held with depths that are not
	 * its.  A CPU it took itself (not borrowed) is given back last:
	 * restoring the hold state forgets it, and its word would keep the
	 * thread's token for ever (every other thread's get_cpu() there
	 * waiting for ever, the thread's own borrowing it).
	 */
	leaked = state->held ? pcpu_hold_depth != state->hold_depth ||
			       borrowed != state->borrow_depth : held != 0;
	if (unlikely(leaked)) {
		WARN_ONCE(1, "signal handler returned with get_cpu() held\n");
		ukmem_pcpu_held = 0;
		barrier();
	}
	pcpu_borrow_depth = state->borrow_depth;
	pcpu_hold_depth = state->hold_depth;
	barrier();
	ukmem_pcpu_held = state->held;
	if (unlikely(leaked) && !state->held && !borrowed) {
		u32 *word = &ukmem_pcpu_cpus[held - 1].lock;

		barrier();
		/* Still this thread's (no other thread writes a word holding it). */
		if (__atomic_load_n(word, __ATOMIC_RELAXED) == pcpu_my_token())
			__atomic_store_n(word, 0, __ATOMIC_RELEASE);
	}
}

int ukmem_get_cpu(void)
{
	bool borrowed;
	int cpu;

	/* The CPUs are the boot's; booting must not happen with a CPU held. */
	ukmem_ensure_booted();
	preempt_disable();
	if (ukmem_pcpu_held) {
		if (pcpu_borrow_depth)
			pcpu_borrow_depth++;
		else
			pcpu_hold_depth++;
		return ukmem_pcpu_held - 1;
	}
	cpu = pcpu_lock_this_cpu(&borrowed);
	if (unlikely(borrowed))
		pcpu_borrow_depth = 1;	/* pcpu_hold_depth is the interrupted code's */
	else
		pcpu_hold_depth = 1;
	barrier();
	ukmem_pcpu_held = cpu + 1;
	return cpu;
}

void ukmem_put_cpu(void)
{
	int held = ukmem_pcpu_held;

	if (WARN_ONCE(!held, "put_cpu() without get_cpu()\n"))
		return;
	if (unlikely(pcpu_borrow_depth)) {
		if (pcpu_borrow_depth > 1) {
			pcpu_borrow_depth--;
		} else {
			ukmem_pcpu_held = 0;
			barrier();
			pcpu_borrow_depth = 0;
		}
	} else if (pcpu_hold_depth > 1) {
		pcpu_hold_depth--;
	} else {
		/* Forgotten first, then the depth, then the word (see pcpu_borrow_depth). */
		ukmem_pcpu_held = 0;
		barrier();
		pcpu_hold_depth = 0;
		barrier();
		/* Release: the holder's plain accesses happen before the next owner's. */
		__atomic_store_n(&ukmem_pcpu_cpus[held - 1].lock, 0, __ATOMIC_RELEASE);
	}
	preempt_enable();
}

/*
 * The slow path of this_cpu_*(): the sequence failed (the CPU is held,
 * the thread was preempted or migrated, or the process has no rseq).
 */
unsigned long ukmem_pcpu_op_slow(unsigned long q, int size, int op, unsigned long val,
				 unsigned long exp)
{
	u32 token = pcpu_my_token();
	unsigned int spins = 0;
	unsigned long ret = 0;

	for (;;) {
		long rseq = READ_ONCE(ukmem_pcpu_rseq);
		int cpu = raw_smp_processor_id();
		/*
		 * A host CPU with no entry for the sequences shares the one
		 * it maps to (locality lost), under that CPU's lock as lock
		 * mode takes it: an atomic instruction alone, as before,
		 * raced with the plain accesses of a thread holding it.
		 */
		bool beyond = pcpu_beyond_entries(rseq);
		u32 owner = __atomic_load_n(&ukmem_pcpu_cpus[cpu].lock, __ATOMIC_ACQUIRE);

		if (owner == token) {
			/*
			 * A signal handler of the thread that holds this CPU:
			 * the atomic instruction is indivisible against it.
			 */
			return __ukmem_pcpu_atomic_op(q + ukmem_pcpu_cpus[cpu].offset, size, op,
						      val, exp);
		}
		if (UKMEM_PCPU_HAVE_RSEQ && rseq && !beyond) {
			if (__ukmem_rseq_op(rseq, q, size, op, val, exp, &ret))
				goto done;
		} else if (!owner && pcpu_cas_lock(cpu, token, beyond)) {
			/* Atomic even under the lock: our own signal handler may come. */
			ret = __ukmem_pcpu_atomic_op(q + ukmem_pcpu_cpus[cpu].offset, size, op,
						     val, exp);
			__atomic_store_n(&ukmem_pcpu_cpus[cpu].lock, 0, __ATOMIC_RELEASE);
			goto done;
		}
		if (owner)
			pcpu_wait(&spins);
	}
done:
	__atomic_fetch_add(per_cpu_ptr(&ukmem_pcpu_slow_ops, raw_smp_processor_id()), 1,
			   __ATOMIC_RELAXED);
	return ret;
}

/* ---- fork (kernel/fork.c) ---- */

/* The child: CPUs held by threads that did not come along are free. */
static void pcpu_fork_child(void)
{
	u32 mine = pcpu_my_token();
	unsigned int cpu;

	pcpu_token = 0;		/* a new thread id, a new token */
	for (cpu = 0; cpu < nr_cpu_ids; cpu++) {
		u32 owner = ukmem_pcpu_cpus[cpu].lock;

		if (owner && owner != mine)
			ukmem_pcpu_cpus[cpu].lock = 0;
		else if (owner)
			ukmem_pcpu_cpus[cpu].lock = pcpu_my_token();
	}
}

static const struct fork_step pcpu_fork_step = {
	.name = "percpu",
	.order = FORK_ORDER_PERCPU,
	.spinlock = &pcpu_lock,
	.child = pcpu_fork_child,
};
