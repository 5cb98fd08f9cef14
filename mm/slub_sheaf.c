/* SPDX-License-Identifier: MIT */
/*
 * mm/slub_sheaf.c - the per-CPU object stacks ("sheaves") of SLUB seen
 * from outside the fast paths, the barns behind them, and the slab
 * allocator's fork steps (the sheaf and barn code of the kernel's
 * mm/slub.c, v6.18+; the fork steps are ukmem's, for kernel/fork.c).
 *
 * mm/slub.c pops and pushes on this CPU's stack and nothing else: its
 * fast paths inline those few helpers and stay there.  What is here works
 * on every CPU's stack of a cache at once, or on a node's barn, and runs
 * only on slow paths, shrink, destroy and fork:
 *
 * - init_cache_sheaves() sets a cache's stacks (per-CPU memory) and its
 *   barns up on the cache's first slow-path allocation;
 *   free_cache_sheaves() releases them with the cache.
 * - take_stacks() makes the caller the remote owner of every CPU's stack
 *   of a cache (mm/slub.c, design 4: a remote token in each stack's lock
 *   word, then in rseq mode membarrier's rseq fence, so that no sequence
 *   that started before still commits); flush_all_sheaves() empties them
 *   and the barns into the slabs for shrink and destroy.
 * - A barn is one node's store of whole half-stack batches: a full stack
 *   gives its older half to it, an empty one takes a batch from it before
 *   going to the slabs (barn_put, barn_get from mm/slub.c's slow paths).
 * - Fork: slab_mutex, then every cache's stacks, the traces walk, every
 *   list_lock, the debug maps and the barns are taken in the slab lock
 *   order (mm/slub.c's opening comment), released in the parent and the
 *   child.
 */
#include <errno.h>
#include <string.h>

#include <linux/slab.h>
#include <linux/percpu.h>
#include <linux/mm.h>
#include <linux/smp.h>
#include <linux/spinlock.h>
#include <linux/sched.h>
#include "arch/host.h"
#include "arch/rseq.h"
#include "kernel/fork.h"
#include "kernel/locking.h"
#include "mm/slab.h"

/* ---- every CPU's stack, for a remote owner ---- */

static void slab_rseq_fence(int cpu)
{
	if (arch_rseq_fence(cpu) && arch_rseq_fence(-1))
		panic("SLUB: membarrier refused the rseq fence: per-CPU caches unsafe\n");
}

/*
 * Take every CPU's stack of @s with @token; wait for their holders, or with
 * @max_rounds give up on the busy ones after that many rounds.  The caller
 * holds s->sheaves_lock: two remote owners each holding part of the stacks
 * would wait for each other for ever.  Returns the number of stacks.
 */
static unsigned int take_stacks(struct kmem_cache *s, u32 token, unsigned int max_rounds)
{
	unsigned int cpu, nr, rounds = 0;
	unsigned int pending;

	/* Stable now: init_cache_sheaves publishes under sheaves_lock. */
	nr = __atomic_load_n(&s->cpu_sheaves.nr, __ATOMIC_ACQUIRE);
	if (!nr)
		return 0;
	do {
		pending = 0;
		for (cpu = 0; cpu < nr; cpu++)
			arch_pcpu_stack_take(sheaf_of(s, cpu), token);
		/* A sequence that saw a lock free just before our CAS may still commit. */
		if (slab_fast.rseq)
			slab_rseq_fence(-1);
		for (cpu = 0; cpu < nr; cpu++)
			pending += !arch_pcpu_stack_held(sheaf_of(s, cpu), token);
		if (pending && ++rounds > 64)
			arch_yield();
		else if (pending)
			arch_cpu_relax();
	} while (pending && (!max_rounds || rounds < max_rounds));
	return nr;
}

/* Release the stacks of @s that hold @token. */
static void release_stacks(struct kmem_cache *s, u32 token)
{
	unsigned int cpu, nr = __atomic_load_n(&s->cpu_sheaves.nr, __ATOMIC_ACQUIRE);

	for (cpu = 0; cpu < nr; cpu++)
		arch_pcpu_stack_release(sheaf_of(s, cpu), token);
}

/*
 * Every CPU's stack of @s for this thread (shrink, destroy).  The lock
 * records its holder (spin_lock_owned), so that a fork from a plain
 * signal handler that interrupted this thread here leaves it, and the
 * stacks, to this thread (kernel/fork.c take_word); it waited for ever.
 */
unsigned int sheaves_lock_all(struct kmem_cache *s)
{
	spin_lock_owned(&s->sheaves_lock);
	return take_stacks(s, arch_pcpu_remote_token(), 0);
}

void sheaves_unlock_all(struct kmem_cache *s)
{
	unsigned int cpu, nr = __atomic_load_n(&s->cpu_sheaves.nr, __ATOMIC_ACQUIRE);

	for (cpu = 0; cpu < nr; cpu++)
		arch_pcpu_stack_unlock(sheaf_of(s, cpu));
	arch_spin_unlock(&s->sheaves_lock);
}

/* ---- barns ---- */

/*
 * How many batches a barn holds: the kernel's ten full sheaves for small
 * objects, fewer where ten batches would park more than BARN_BUDGET_BYTES
 * of objects (or the cache's own barn_budget), but always BARN_MIN_BATCHES
 * so that a producer's overflow can reach a consumer.  Everything in a barn is memory the program does
 * not use and the host cannot have back: a malloc with 44 classes cannot
 * afford 300 KiB of 8 KiB objects in each.
 */
static unsigned int barn_max_batches(const struct kmem_cache *s, unsigned int batch)
{
	unsigned long budget = READ_ONCE(s->barn_budget) ?: BARN_BUDGET_BYTES;
	unsigned long fit = budget / ((unsigned long)batch * s->size);

	return clamp_t(unsigned int, fit, BARN_MIN_BATCHES, BARN_MAX_BATCHES);
}

static inline size_t barn_bytes(unsigned int max, unsigned int batch)
{
	return (size_t)max * batch * sizeof(void *);
}

/* Where only tried (spin_lock_or_try()), the caller goes on without the barn. */
static inline bool barn_lock(struct slab_barn *barn)
{
	return spin_lock_or_try(&barn->lock);
}

/* Store a batch of exactly barn->batch objects; false if the barn is full. */
bool barn_put(struct slab_barn *barn, void **p, unsigned int nr)
{
	bool ok = false;

	if (!barn || nr != barn->batch || !barn_lock(barn))
		return false;
	if (barn->nr < barn->max) {
		memcpy(barn->objects + (size_t)barn->nr * nr, p, nr * sizeof(void *));
		WRITE_ONCE(barn->nr, barn->nr + 1);	/* barn_get peeks without the lock */
		ok = true;
	}
	spin_unlock(&barn->lock);
	return ok;
}

/* A batch into @p (room for barn->batch); the number of objects, or 0. */
unsigned int barn_get(struct slab_barn *barn, void **p)
{
	unsigned int got = 0;

	if (!barn || !READ_ONCE(barn->nr) || !barn_lock(barn))
		return 0;
	if (barn->nr) {
		WRITE_ONCE(barn->nr, barn->nr - 1);
		got = barn->batch;
		memcpy(p, barn->objects + (size_t)barn->nr * got, got * sizeof(void *));
	}
	spin_unlock(&barn->lock);
	return got;
}

/* A node's barn as another thread may be publishing it (init_cache_sheaves). */
static inline struct slab_barn *node_barn(struct kmem_cache_node *n)
{
	return __atomic_load_n(&n->barn, __ATOMIC_ACQUIRE);
}

/* Everything in every barn back to the slabs (shrink, destroy). */
static void flush_barns(struct kmem_cache *s)
{
	void *batch[SHEAF_MAX_CAPACITY / 2 + 1];
	struct kmem_cache_node *n;
	unsigned int got;
	int node;

	for_each_kmem_cache_node(s, node, n)
		while ((got = barn_get(node_barn(n), batch)))
			free_to_slabs(s, batch, got);
}

/* ---- a cache's stacks and barns: set up, released, emptied ---- */

/*
 * Set up the cache's per-CPU stacks on first use.  They are per-CPU memory
 * (the kernel's alloc_percpu of s->cpu_sheaves), so every cache's stack
 * of one CPU sits in that CPU's unit, packed beside the other caches' and
 * at a different offset in its page: a malloc touching forty classes
 * touches a few pages of stacks, not forty, and their headers do not all
 * fall in one cache set.  Only the headers are written; a slot is read
 * only after it was filled.  Published by setting nr last.
 *
 * Not before slab_state is FULL: the per-CPU allocator may kmalloc its
 * chunk metadata, and while slab_late_init() runs that would come back to
 * it.  A cache whose stacks are SHEAVES_SETTING_UP (here, or recursively
 * from here) takes the slab path, so the recursion ends.
 */
void init_cache_sheaves(struct kmem_cache *s, gfp_t gfp)
{
	int expect = SHEAVES_NONE, node;
	unsigned int cpu, stride, bytes;
	char *base;

	if (!s->sheaf_capacity || __atomic_load_n(&slab_state, __ATOMIC_ACQUIRE) != FULL ||
	    !__atomic_compare_exchange_n(&s->sheaf_state, &expect, SHEAVES_SETTING_UP, false,
					 __ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
		return;
	bytes = (unsigned int)(sizeof(struct arch_pcpu_stack) + s->sheaf_capacity * sizeof(void *));
	base = (char *)pcpu_alloc_noinit(bytes, sizeof(struct arch_pcpu_stack),
					 (gfp & GFP_RECLAIM_MASK) | __GFP_NOWARN);
	if (!base) {
		__atomic_store_n(&s->sheaf_state, SHEAVES_NONE, __ATOMIC_RELEASE);
		return;
	}
	/* Every unit lies at the same distance from the one before (mm/percpu.c). */
	stride = nr_cpu_ids > 1 ? (unsigned int)((char *)per_cpu_ptr(base, 1) - base) : 0;
	for (cpu = 0; cpu < nr_cpu_ids; cpu++) {
		struct arch_pcpu_stack *st = (struct arch_pcpu_stack *)(base + (size_t)cpu * stride);

		VM_BUG_ON((char *)st != (char *)per_cpu_ptr(base, cpu));
		memset(st, 0, sizeof(*st));
		st->capacity = s->sheaf_capacity;
	}
	/*
	 * The barns: the stacks work without one, only slower between CPUs.
	 * Not zeroed either: a barn's slots are read only once filled.
	 */
	for (node = 0; node < nr_online_nodes; node++) {
		struct kmem_cache_node *n = get_node(s, node);
		unsigned int batch = (s->sheaf_capacity + 1) / 2;
		unsigned int max = barn_max_batches(s, batch);
		struct slab_barn *barn;

		if (n->barn)
			continue;
		barn = &n->barn_store;
		barn->objects = alloc_pages_exact(barn_bytes(max, batch),
						  (gfp & GFP_RECLAIM_MASK) | __GFP_NOWARN);
		if (!barn->objects)
			continue;
		spin_lock_init_ranked(&barn->lock, LOCK_RANK_SLAB_BARN);
		barn->nr = 0;
		barn->max = max;
		barn->batch = batch;
		/* Published whole: a fork (slab_fork_lock) may look at it meanwhile. */
		__atomic_store_n(&n->barn, barn, __ATOMIC_RELEASE);
	}
	/* Not while a remote owner holds them all (nor wait for one: any context). */
	if (!spin_trylock_owned(&s->sheaves_lock)) {
		free_percpu((void __percpu *)base);
		__atomic_store_n(&s->sheaf_state, SHEAVES_NONE, __ATOMIC_RELEASE);
		return;
	}
	s->cpu_sheaves.base = base;
	s->cpu_sheaves.stride = stride;
	__atomic_store_n(&s->cpu_sheaves.nr, nr_cpu_ids, __ATOMIC_RELEASE);
	arch_spin_unlock(&s->sheaves_lock);
	__atomic_store_n(&s->sheaf_state, SHEAVES_READY, __ATOMIC_RELEASE);
}

void free_cache_sheaves(struct kmem_cache *s)
{
	struct kmem_cache_node *n;
	int node;

	for_each_kmem_cache_node(s, node, n) {
		if (n->barn)
			free_pages_exact(n->barn->objects, barn_bytes(n->barn->max, n->barn->batch));
		n->barn = NULL;
		n->barn_store.objects = NULL;
	}
	free_percpu((void __percpu *)s->cpu_sheaves.base);
	memset(&s->cpu_sheaves, 0, sizeof(s->cpu_sheaves));
	s->sheaf_state = SHEAVES_NONE;
}

/* Empty every CPU's stack into the slabs (shrink, destroy). */
void flush_all_sheaves(struct kmem_cache *s)
{
	unsigned int cpu, nr = sheaves_lock_all(s);

	for (cpu = 0; cpu < nr; cpu++) {
		struct arch_pcpu_stack *st = sheaf_of(s, cpu);

		if (st->size) {
			free_to_slabs(s, st->objects, st->size);
			st->size = 0;
		}
	}
	sheaves_unlock_all(s);
	flush_barns(s);
}

/* ---- fork (kernel/fork.c) ---- */

/* Rounds a fork from a signal handler tries a cache's busy stacks. */
#define FORK_STACK_ROUNDS	256

static void slab_mutex_fork_lock(void)
{
	fork_mutex_lock(&slab_mutex);
}

static void slab_mutex_fork_unlock(void)
{
	fork_mutex_unlock(&slab_mutex);
}

/*
 * Every cache's stacks, the traces walk, every list_lock, the debug maps,
 * then every barn (leaves): the slab lock order.  Only with slab_mutex
 * held by this fork: without it (a fork from a signal handler that
 * interrupted its holder) slab_caches may be half changed, and is not
 * walked.
 */
static void slab_fork_lock(void)
{
	struct kmem_cache *s;
	int node;

	if (!fork_holds_mutex(&slab_mutex))
		return;
	list_for_each_entry(s, &slab_caches, list)
		if (fork_lock(&s->sheaves_lock))
			take_stacks(s, fork_token(), fork_waits() ? 0 : FORK_STACK_ROUNDS);
	fork_lock(&traces_lock);
	list_for_each_entry(s, &slab_caches, list)
		for (node = 0; node < nr_online_nodes; node++)
			if (s->node[node])
				fork_lock(&s->node[node]->list_lock);
	fork_lock(&validate_map_lock);
	fork_lock(&object_map_lock);
	list_for_each_entry(s, &slab_caches, list)
		for (node = 0; node < nr_online_nodes; node++)
			if (s->node[node] && node_barn(s->node[node]))
				fork_lock(&node_barn(s->node[node])->lock);
}

static void slab_fork_unlock(void)
{
	struct kmem_cache *s;
	int node;

	if (!fork_holds_mutex(&slab_mutex))
		return;
	list_for_each_entry(s, &slab_caches, list)
		for (node = 0; node < nr_online_nodes; node++)
			if (s->node[node] && node_barn(s->node[node]))
				fork_unlock(&node_barn(s->node[node])->lock);
	fork_unlock(&object_map_lock);
	fork_unlock(&validate_map_lock);
	list_for_each_entry(s, &slab_caches, list)
		for (node = 0; node < nr_online_nodes; node++)
			if (s->node[node])
				fork_unlock(&s->node[node]->list_lock);
	fork_unlock(&traces_lock);
	list_for_each_entry(s, &slab_caches, list) {
		if (fork_holds(&s->sheaves_lock))
			release_stacks(s, fork_token());
		fork_unlock(&s->sheaves_lock);
	}
}

/* The child: membarrier's registration belongs to the process. */
static void slab_fork_child(void)
{
	if (slab_fast.rseq && !arch_rseq_init())
		slab_fast.rseq = 0;
	slab_fork_unlock();
}

static const struct fork_step slab_fork_steps[] = {
	{
		.name = "slab_mutex",
		.order = FORK_ORDER_SLAB_MUTEX,
		.lock = slab_mutex_fork_lock,
		.parent = slab_mutex_fork_unlock,
		.child = slab_mutex_fork_unlock,
	}, {
		.name = "slab",
		.order = FORK_ORDER_SLAB,
		.lock = slab_fork_lock,
		.parent = slab_fork_unlock,
		.child = slab_fork_child,
	},
};

void slab_fork_register(void)
{
	fork_register_step(&slab_fork_steps[0]);
	fork_register_step(&slab_fork_steps[1]);
}

/*
 * ---- prefilled sheaves (v6.18's kmem_cache_prefill_sheaf() family) ----
 *
 * The kernel hands its per-CPU sheaves themselves to the caller: a spare
 * one or one from the barn, refilled to the cache's sheaf_capacity, and an
 * "oversize" one of exactly the size asked for when that is more.  Here
 * the per-CPU stacks live in per-CPU memory and cannot leave their CPU, so
 * a prefilled sheaf is a separate array of objects allocated in bulk, with
 * the same sizes as the kernel's: full to the cache's capacity when the
 * request fits in it, exactly the request when it does not (every request
 * on a debug cache, which has no sheaves, as in the kernel).  Its objects
 * count as allocated from the start (slabinfo, leak checks, debug owner
 * tracks name the prefill), and a returned sheaf's objects go back to the
 * cache one by one.
 */
struct slab_sheaf {
	struct kmem_cache *cache;
	unsigned int size;		/* objects held, in objects[0..size) */
	unsigned int capacity;
	void *objects[];
};

/*
 * The objects of a prefilled sheaf: the kernel fills it with
 * __kmem_cache_alloc_bulk(), so failslab is asked only for the sheaf
 * itself (a kmalloc), never for its objects.  Out of line: the debug
 * tracks name the prefill or refill.
 */
static noinline int sheaf_fill(struct kmem_cache *s, gfp_t gfp, unsigned int nr, void **p)
{
	return __kmem_cache_alloc_bulk(s, gfp, nr, p, _RET_IP_);
}

/* A full sheaf of the cache, or one of exactly @size when that is more. */
static unsigned int sheaf_target(const struct kmem_cache *s, unsigned int size)
{
	return max(size, s->sheaf_capacity);
}

struct slab_sheaf *kmem_cache_prefill_sheaf(struct kmem_cache *s, gfp_t gfp, unsigned int size)
{
	unsigned int capacity = sheaf_target(s, size);
	struct slab_sheaf *sheaf;

	if (unlikely(!size))
		return NULL;
	sheaf = kzalloc(struct_size(sheaf, objects, capacity), gfp & ~__GFP_ZERO);
	if (!sheaf)
		return NULL;
	sheaf->cache = s;
	sheaf->capacity = capacity;
	if (!sheaf_fill(s, gfp & ~__GFP_ZERO, capacity, sheaf->objects)) {
		kfree(sheaf);
		return NULL;
	}
	sheaf->size = capacity;
	return sheaf;
}

void *kmem_cache_alloc_from_sheaf(struct kmem_cache *s, gfp_t gfp, struct slab_sheaf *sheaf)
{
	void *p;

	WARN_ON_ONCE(sheaf->cache != s);
	if (unlikely(!sheaf->size))
		return NULL;
	p = sheaf->objects[--sheaf->size];
	/* kmem_cache_size(): a merge into the cache may grow it meanwhile. */
	if (gfp & __GFP_ZERO)
		memset(p, 0, kmem_cache_size(s));
	return p;
}

void kmem_cache_return_sheaf(struct kmem_cache *s, gfp_t gfp, struct slab_sheaf *sheaf)
{
	(void)gfp;
	WARN_ON_ONCE(sheaf->cache != s);
	kmem_cache_free_bulk(sheaf->cache, sheaf->size, sheaf->objects);
	kfree(sheaf);
}

int kmem_cache_refill_sheaf(struct kmem_cache *s, gfp_t gfp, struct slab_sheaf **sheafp,
			    unsigned int size)
{
	struct slab_sheaf *sheaf = *sheafp, *bigger;
	unsigned int want;

	if (!sheaf)
		return -EINVAL;
	if (sheaf->size >= size)
		return 0;
	if (size > sheaf->capacity) {
		/* Replaced by a sheaf that holds @size, as the kernel does. */
		bigger = kmem_cache_prefill_sheaf(s, gfp, size);
		if (!bigger)
			return -ENOMEM;
		kmem_cache_return_sheaf(s, gfp, sheaf);
		*sheafp = bigger;
		return 0;
	}
	want = sheaf->capacity - sheaf->size;	/* refilled whole, all or nothing */
	if (!sheaf_fill(s, gfp & ~__GFP_ZERO, want, sheaf->objects + sheaf->size))
		return -ENOMEM;
	sheaf->size = sheaf->capacity;
	return 0;
}

unsigned int kmem_cache_sheaf_size(struct slab_sheaf *sheaf)
{
	return sheaf->size;
}
