/* SPDX-License-Identifier: MIT */
/*
 * mm/vmap_area.c - the vmalloc address space allocator (the kernel's
 * mm/vmalloc.c alloc_vmap_area / free_vmap_area machinery, since 5.2 by
 * Uladzislau Rezki: a busy tree and a free tree, the free tree augmented
 * with the largest block of each subtree).
 *
 * Both trees are AVL trees ordered by start address (the kernel uses
 * red-black trees; the bounds and the search are the same).  The free tree
 * node caches subtree_max_size, so "the lowest-addressed free block of at
 * least N bytes" is one descent: go left while the left subtree has a block
 * that large, else take this node if it fits, else go right.  That is the
 * kernel's find_vmap_lowest_match(), and it keeps the space compact, as
 * first-fit does, at O(log n).
 *
 * Freed ranges come back through the lazy purge (mm/vmalloc_map.c) and
 * are merged with their free neighbours then, as the kernel's
 * merge_or_add_vmap_area() does after its purge.
 *
 * Everything here runs with vmap_area_lock held and neither allocates nor
 * calls the host: the caller preallocates nodes and frees merged ones.
 */
#include <linux/mm.h>
#include "kernel/locking.h"
#include "mm/vmalloc.h"

DEFINE_SPINLOCK_RANKED(vmap_area_lock, LOCK_RANK_VMAP_AREA);

static struct vmap_area *free_root;
static struct vmap_area *busy_root;

static inline int height(const struct vmap_area *n) { return n ? n->height : 0; }
static inline unsigned long max_size(const struct vmap_area *n)
{
	return n ? n->subtree_max_size : 0;
}

static void update(struct vmap_area *n)
{
	unsigned long m = va_size(n);

	n->height = 1 + max(height(n->left), height(n->right));
	m = max(m, max_size(n->left));
	n->subtree_max_size = max(m, max_size(n->right));
}

static struct vmap_area *rotate_right(struct vmap_area *n)
{
	struct vmap_area *l = n->left;

	n->left = l->right;
	l->right = n;
	update(n);
	update(l);
	return l;
}

static struct vmap_area *rotate_left(struct vmap_area *n)
{
	struct vmap_area *r = n->right;

	n->right = r->left;
	r->left = n;
	update(n);
	update(r);
	return r;
}

static struct vmap_area *rebalance(struct vmap_area *n)
{
	int bf;

	update(n);
	bf = height(n->left) - height(n->right);
	if (bf > 1) {
		if (height(n->left->left) < height(n->left->right))
			n->left = rotate_left(n->left);
		return rotate_right(n);
	}
	if (bf < -1) {
		if (height(n->right->right) < height(n->right->left))
			n->right = rotate_right(n->right);
		return rotate_left(n);
	}
	return n;
}

static struct vmap_area *tree_insert(struct vmap_area *root, struct vmap_area *va)
{
	if (!root) {
		va->left = va->right = NULL;
		update(va);
		return va;
	}
	if (va->va_start < root->va_start)
		root->left = tree_insert(root->left, va);
	else
		root->right = tree_insert(root->right, va);
	return rebalance(root);
}

static struct vmap_area *remove_min(struct vmap_area *n, struct vmap_area **min)
{
	if (!n->left) {
		*min = n;
		return n->right;
	}
	n->left = remove_min(n->left, min);
	return rebalance(n);
}

/* Remove the node @va (found by its start address) from the tree. */
static struct vmap_area *tree_remove(struct vmap_area *root, struct vmap_area *va)
{
	if (!root)
		return NULL;
	if (root == va) {
		struct vmap_area *m;

		if (!root->left)
			return root->right;
		if (!root->right)
			return root->left;
		root->right = remove_min(root->right, &m);
		m->left = root->left;
		m->right = root->right;
		return rebalance(m);
	}
	if (va->va_start < root->va_start)
		root->left = tree_remove(root->left, va);
	else
		root->right = tree_remove(root->right, va);
	return rebalance(root);
}

void vmap_trees_init(struct vmap_area *whole)
{
	free_root = tree_insert(NULL, whole);
	busy_root = NULL;
}

/* Where a block would hold the request, or 0 if it does not. */
static unsigned long fit(const struct vmap_area *n, unsigned long size, unsigned long align,
			 unsigned long vstart, unsigned long vend)
{
	unsigned long start = ALIGN(max(n->va_start, vstart), align);
	unsigned long end = min(n->va_end, vend);

	if (start < n->va_start || start >= end || end - start < size)
		return 0;
	return start;
}

/* find_vmap_lowest_match(): the lowest block that fits. */
static struct vmap_area *find_lowest(struct vmap_area *n, unsigned long size,
				     unsigned long align, unsigned long vstart,
				     unsigned long vend, unsigned long *addr)
{
	while (n && n->subtree_max_size >= size) {
		/* Blocks on the left end below n->va_start: useless if that is <= vstart. */
		if (n->left && n->left->subtree_max_size >= size && n->va_start > vstart) {
			struct vmap_area *r = find_lowest(n->left, size, align, vstart, vend, addr);

			if (r)
				return r;
		}
		*addr = fit(n, size, align, vstart, vend);
		if (*addr)
			return n;
		if (n->va_start >= vend)
			return NULL;
		n = n->right;
	}
	return NULL;
}

struct vmap_area *vmap_carve_locked(unsigned long size, unsigned long align,
				    unsigned long vstart, unsigned long vend,
				    struct vmap_area **spare)
{
	unsigned long addr = 0, bstart, bend;
	struct vmap_area *b, *va;

	b = find_lowest(free_root, size, align, vstart, vend, &addr);
	if (!b)
		return NULL;
	bstart = b->va_start;
	bend = b->va_end;
	free_root = tree_remove(free_root, b);

	if (addr == bstart && addr + size == bend) {
		va = b;			/* exact fit: the free node becomes busy */
	} else {
		va = spare[0];
		spare[0] = NULL;
		if (addr > bstart) {
			b->va_end = addr;	/* left remainder keeps the old node */
			free_root = tree_insert(free_root, b);
			if (addr + size < bend) {
				struct vmap_area *r = spare[1];

				spare[1] = NULL;
				r->va_start = addr + size;
				r->va_end = bend;
				free_root = tree_insert(free_root, r);
			}
		} else {
			b->va_start = addr + size;
			free_root = tree_insert(free_root, b);
		}
	}
	va->va_start = addr;
	va->va_end = addr + size;
	va->vm = NULL;
	va->map_pages = NULL;
	va->flags = 0;
	va->purge_next = NULL;
	busy_root = tree_insert(busy_root, va);
	return va;
}

/* Largest start < addr (prev) and smallest start > addr (next) in the free tree. */
static void free_neighbours(unsigned long addr, struct vmap_area **prev, struct vmap_area **next)
{
	struct vmap_area *n = free_root;

	*prev = *next = NULL;
	while (n) {
		if (n->va_start < addr) {
			*prev = n;
			n = n->right;
		} else {
			*next = n;
			n = n->left;
		}
	}
}

void vmap_release_locked(struct vmap_area *va, struct vmap_area **dead, int *nr_dead)
{
	struct vmap_area *prev, *next;

	free_neighbours(va->va_start, &prev, &next);
	va->vm = NULL;
	if (prev && prev->va_end == va->va_start) {
		free_root = tree_remove(free_root, prev);
		va->va_start = prev->va_start;
		dead[(*nr_dead)++] = prev;
	}
	if (next && next->va_start == va->va_end) {
		free_root = tree_remove(free_root, next);
		va->va_end = next->va_end;
		dead[(*nr_dead)++] = next;
	}
	free_root = tree_insert(free_root, va);
}

struct vmap_area *vmap_find_exact_locked(unsigned long addr)
{
	struct vmap_area *n = busy_root;

	while (n) {
		if (addr < n->va_start)
			n = n->left;
		else if (addr > n->va_start)
			n = n->right;
		else
			return n;
	}
	return NULL;
}

struct vmap_area *vmap_find_containing_locked(unsigned long addr)
{
	struct vmap_area *n = busy_root;

	while (n) {
		if (addr < n->va_start)
			n = n->left;
		else if (addr >= n->va_end)
			n = n->right;
		else
			return n;
	}
	return NULL;
}

void vmap_unlink_busy_locked(struct vmap_area *va)
{
	busy_root = tree_remove(busy_root, va);
}

void vmap_insert_busy_locked(struct vmap_area *va)
{
	busy_root = tree_insert(busy_root, va);
}

struct vmap_area *vmap_next_busy_locked(unsigned long addr)
{
	struct vmap_area *n = busy_root, *best = NULL;

	while (n) {
		if (n->va_start >= addr) {
			best = n;
			n = n->left;
		} else {
			n = n->right;
		}
	}
	return best;
}

unsigned long vmap_largest_free_locked(void)
{
	return max_size(free_root);
}
