// SPDX-License-Identifier: MIT
/*
 * kernel/devres.c - managed device resources (the kernel's
 * drivers/base/devres.c): memory and actions that belong to a struct
 * device and are given back, newest first, when the device lets go of its
 * driver.
 *
 * Entry points: devres_alloc()/devres_add() and the find/get/remove/
 * destroy/release family for resources of a driver's own kind;
 * devres_open_group() and friends to release part of them early;
 * devm_add_action(); devm_kmalloc() and the allocation helpers built on
 * it; devm_get_free_pages(); devres_release_all(), the driver core's step.
 *
 * Design
 * 1. A resource is one kmalloc'ed block: a node (list link, release
 *    function, name, size) followed by the caller's data, which is what
 *    every function hands out and takes back.  The data is aligned to
 *    ARCH_KMALLOC_MINALIGN at least, as the kernel promises.
 * 2. Each device keeps its resources on one list, oldest first, under its
 *    devres_lock.  A zeroed struct device has a list whose next is NULL:
 *    it is made empty the first time the lock is taken, so devices
 *    declared without an initialiser work.
 * 3. A group is two marker nodes on the same list, an opening and (once
 *    closed) a closing one; the group's resources are those between them.
 *    Releasing a group, or the whole device, first takes the resources
 *    off the list under the lock, then calls their release functions
 *    without it, newest first, since a release function may call devres
 *    itself (devm_kfree of something else, a dma_free ...).
 * 4. devm_kmalloc() memory is a resource whose release does nothing: the
 *    block itself is the node.  devm_kfree() finds it by address.
 *
 * Lock order: a device's devres_lock is a leaf; no allocation or release
 * function runs under it.
 */
#include <errno.h>
#include <stdarg.h>
#include <string.h>

#include <asm/sections.h>
#include <linux/bug.h>
#include <linux/device.h>
#include <linux/gfp.h>
#include <linux/io.h>
#include <linux/mm.h>
#include <linux/slab.h>

struct devres_node {
	struct list_head entry;
	dr_release_t release;		/* NULL: a group marker */
	const char *name;		/* the release function's name, for reports */
	size_t size;			/* bytes of data */
};

struct devres {
	struct devres_node node;
	/* The caller's bytes: at least as aligned as kmalloc's minimum. */
	u8 data[] __aligned(ARCH_KMALLOC_MINALIGN);
};

/* A group's markers: the opening one carries the id, the closing one points back. */
struct devres_group {
	struct devres_node open;
	struct devres_node close;
	void *id;
	bool closed;
};

static struct devres *to_devres(const void *data)
{
	return (struct devres *)((const u8 *)data - offsetof(struct devres, data));
}

static void devres_lock(struct device *dev)
{
	spin_lock(&dev->devres_lock);
	if (unlikely(!dev->devres_head.next))	/* a zeroed device: design 2 */
		INIT_LIST_HEAD(&dev->devres_head);
}

static void devres_unlock(struct device *dev)
{
	spin_unlock(&dev->devres_lock);
}

static bool node_is_marker(const struct devres_node *node)
{
	return !node->release;
}

/*
 * The block for @size bytes of data: the header added (false on overflow)
 * and rounded up to the whole kmalloc bucket, as the kernel's
 * check_dr_size() does since v6.2, so that every byte ksize() reports is
 * one asked for and devm_krealloc() may grow into it in place (KASAN, and
 * here ASan and memcheck, leave the slack of a smaller request closed).
 */
static bool dr_total(size_t size, size_t *total)
{
	if (unlikely(__builtin_add_overflow(size, sizeof(struct devres), total)))
		return false;
	*total = kmalloc_size_roundup(*total);
	return true;
}

/* A resource's block; its data zeroed only under __GFP_ZERO. */
static struct devres *alloc_dr(dr_release_t release, size_t size, gfp_t gfp, int nid,
			       const char *name)
{
	struct devres *dr;
	size_t total;

	if (unlikely(!dr_total(size, &total)))
		return NULL;
	dr = kmalloc_node_track_caller(total, gfp, nid);
	if (unlikely(!dr))
		return NULL;
	INIT_LIST_HEAD(&dr->node.entry);
	dr->node.release = release;
	dr->node.name = name;
	dr->node.size = size;
	return dr;
}

/**
 * __devres_alloc_node - a zeroed resource of @size bytes for devres_add()
 * @release: called with the data when the resource is released
 * @size: bytes of data; @gfp: how to allocate; @nid: node or NUMA_NO_NODE
 * @name: shown in reports (devres_alloc() passes the release's name)
 *
 * Returns the data, or NULL (also for a size whose header would overflow).
 * Context: as @gfp allows.
 */
void *__devres_alloc_node(dr_release_t release, size_t size, gfp_t gfp, int nid,
			  const char *name)
{
	struct devres *dr;

	if (WARN_ON(!release))
		return NULL;
	dr = alloc_dr(release, size, gfp | __GFP_ZERO, nid, name);
	return dr ? dr->data : NULL;
}

/** devres_free - free a resource that was never added (or was removed). */
void devres_free(void *res)
{
	if (res) {
		struct devres *dr = to_devres(res);

		BUG_ON(!list_empty(&dr->node.entry));
		kfree(dr);
	}
}

/** devres_add - give @res to @dev; it is released with the device's other resources. */
void devres_add(struct device *dev, void *res)
{
	struct devres *dr = to_devres(res);

	devres_lock(dev);
	list_add_tail(&dr->node.entry, &dev->devres_head);
	devres_unlock(dev);
}

/* The newest resource of @release that @match accepts; lock held. */
static struct devres *find_dr(struct device *dev, dr_release_t release, dr_match_t match,
			      void *match_data)
{
	struct devres_node *node;

	list_for_each_entry_reverse(node, &dev->devres_head, entry) {
		struct devres *dr = container_of(node, struct devres, node);

		if (node->release != release)
			continue;
		if (match && !match(dev, dr->data, match_data))
			continue;
		return dr;
	}
	return NULL;
}

/** devres_find - the newest resource of @release that @match accepts, or NULL. */
void *devres_find(struct device *dev, dr_release_t release, dr_match_t match, void *match_data)
{
	struct devres *dr;

	devres_lock(dev);
	dr = find_dr(dev, release, match, match_data);
	devres_unlock(dev);
	return dr ? dr->data : NULL;
}

/**
 * devres_get - the resource like @new_res that @dev has, or @new_res added
 *
 * If a resource of @new_res's release function that @match accepts is
 * there, @new_res is freed and that one returned; else @new_res is added.
 */
void *devres_get(struct device *dev, void *new_res, dr_match_t match, void *match_data)
{
	struct devres *new_dr = to_devres(new_res), *dr;

	devres_lock(dev);
	dr = find_dr(dev, new_dr->node.release, match, match_data);
	if (!dr) {
		list_add_tail(&new_dr->node.entry, &dev->devres_head);
		dr = new_dr;
		new_res = NULL;
	}
	devres_unlock(dev);
	devres_free(new_res);
	return dr->data;
}

/** devres_remove - take the resource off @dev without releasing or freeing it. */
void *devres_remove(struct device *dev, dr_release_t release, dr_match_t match, void *match_data)
{
	struct devres *dr;

	devres_lock(dev);
	dr = find_dr(dev, release, match, match_data);
	if (dr)
		list_del_init(&dr->node.entry);
	devres_unlock(dev);
	return dr ? dr->data : NULL;
}

/** devres_destroy - remove and free, without releasing: 0, or -ENOENT if not found. */
int devres_destroy(struct device *dev, dr_release_t release, dr_match_t match, void *match_data)
{
	void *res = devres_remove(dev, release, match, match_data);

	if (unlikely(!res))
		return -ENOENT;
	devres_free(res);
	return 0;
}

/** devres_release - remove, release and free: 0, or -ENOENT if not found. */
int devres_release(struct device *dev, dr_release_t release, dr_match_t match, void *match_data)
{
	void *res = devres_remove(dev, release, match, match_data);

	if (unlikely(!res))
		return -ENOENT;
	release(dev, res);
	devres_free(res);
	return 0;
}

/*
 * Move the nodes after @open up to @end (exclusive) onto @todo, newest
 * first; group markers stay where they are unless @take_markers (a group
 * nested in a released one is left, empty, on the list).  Lock held.
 * Returns how many resources moved.
 */
static int detach_range(struct list_head *open, struct list_head *end, struct list_head *todo,
			bool take_markers)
{
	struct list_head *pos, *prev;
	int count = 0;

	for (pos = end->prev; pos != open; pos = prev) {
		struct devres_node *node = list_entry(pos, struct devres_node, entry);

		prev = pos->prev;
		if (node_is_marker(node) && !take_markers)
			continue;
		list_move_tail(pos, todo);
		count += !node_is_marker(node);
	}
	return count;
}

/*
 * Release and free what detach_range() gathered, in its order (newest
 * first); group markers among them are unlinked first and their groups
 * freed last, so no freed marker is ever still on a list.
 */
static void release_nodes(struct device *dev, struct list_head *todo)
{
	struct devres_node *node, *next;
	LIST_HEAD(groups);

	list_for_each_entry_safe(node, next, todo, entry) {
		list_del_init(&node->entry);
		if (!node_is_marker(node)) {
			node->release(dev, container_of(node, struct devres, node)->data);
			kfree(container_of(node, struct devres, node));
		} else if (node->size == 0) {	/* an opening marker: its group goes last */
			list_add(&node->entry, &groups);
		}
	}
	list_for_each_entry_safe(node, next, &groups, entry)
		kfree(container_of(node, struct devres_group, open));
}

/**
 * devres_release_all - release every resource of @dev, newest first
 *
 * What the driver core runs after remove() and after a failed probe():
 * every release function is called and every resource and group freed.
 * Returns how many resources there were.
 * Context: may sleep if the release functions may.
 */
int devres_release_all(struct device *dev)
{
	LIST_HEAD(todo);
	int count;

	devres_lock(dev);
	count = detach_range(&dev->devres_head, &dev->devres_head, &todo, true);
	devres_unlock(dev);
	release_nodes(dev, &todo);
	return count;
}

/* ---- groups ---- */

/* The group @id (NULL: the newest open one) on @dev's list; lock held. */
static struct devres_group *find_group(struct device *dev, void *id)
{
	struct devres_node *node;

	list_for_each_entry_reverse(node, &dev->devres_head, entry) {
		struct devres_group *grp;

		if (!node_is_marker(node) || node->size != 0)
			continue;
		grp = container_of(node, struct devres_group, open);
		if (id ? grp->id == id : !grp->closed)
			return grp;
	}
	return NULL;
}

/**
 * devres_open_group - open a group of resources on @dev
 * @id: the group's id, or NULL for a new unique one
 *
 * Resources added from now until devres_close_group() belong to it.
 * Returns the id, or NULL if memory ran out.
 */
void *devres_open_group(struct device *dev, void *id, gfp_t gfp)
{
	struct devres_group *grp = kmalloc(sizeof(*grp), gfp | __GFP_ZERO);

	if (unlikely(!grp))
		return NULL;
	INIT_LIST_HEAD(&grp->open.entry);
	INIT_LIST_HEAD(&grp->close.entry);
	grp->open.name = "devres_group";
	grp->close.name = "devres_group";
	grp->close.size = 1;	/* tells the two markers apart */
	grp->id = id ? id : grp;
	devres_lock(dev);
	list_add_tail(&grp->open.entry, &dev->devres_head);
	devres_unlock(dev);
	return grp->id;
}

/** devres_close_group - end group @id (NULL: the newest open one). */
void devres_close_group(struct device *dev, void *id)
{
	struct devres_group *grp;

	devres_lock(dev);
	grp = find_group(dev, id);
	if (grp && !grp->closed) {
		list_add_tail(&grp->close.entry, &dev->devres_head);
		grp->closed = true;
	}
	devres_unlock(dev);
	WARN_ON(!grp);
}

/** devres_remove_group - drop group @id's markers; its resources stay with @dev. */
void devres_remove_group(struct device *dev, void *id)
{
	struct devres_group *grp;

	devres_lock(dev);
	grp = find_group(dev, id);
	if (grp) {
		list_del_init(&grp->open.entry);
		list_del_init(&grp->close.entry);
	}
	devres_unlock(dev);
	if (WARN_ON(!grp))
		return;
	kfree(grp);
}

/**
 * devres_release_group - release group @id's resources, newest first, and
 * the group; what was added after a closed group stays.  Returns how many
 * were released (0 and a warning if there is no such group).
 */
int devres_release_group(struct device *dev, void *id)
{
	struct devres_group *grp;
	LIST_HEAD(todo);
	int count = 0;

	devres_lock(dev);
	grp = find_group(dev, id);
	if (grp) {
		struct list_head *end = grp->closed ? &grp->close.entry : &dev->devres_head;

		count = detach_range(&grp->open.entry, end, &todo, false);
		list_del_init(&grp->open.entry);
		list_del_init(&grp->close.entry);
	}
	devres_unlock(dev);
	if (WARN_ON(!grp))
		return 0;
	release_nodes(dev, &todo);
	kfree(grp);
	return count;
}

/* ---- actions ---- */

struct action_devres {
	void (*action)(void *);
	void *data;
};

static void devm_action_release(struct device *dev, void *res)
{
	struct action_devres *a = res;

	a->action(a->data);
}

static int devm_action_match(struct device *dev, void *res, void *match_data)
{
	struct action_devres *a = res, *target = match_data;

	return a->action == target->action && a->data == target->data;
}

/**
 * __devm_add_action - call @action(@data) when @dev's resources are released
 * Returns 0 or -ENOMEM.  devm_add_action() passes the action's name.
 */
int __devm_add_action(struct device *dev, void (*action)(void *), void *data, const char *name)
{
	struct action_devres *a = __devres_alloc_node(devm_action_release, sizeof(*a), GFP_KERNEL,
						      NUMA_NO_NODE, name);

	if (!a)
		return -ENOMEM;
	a->action = action;
	a->data = data;
	devres_add(dev, a);
	return 0;
}

/** devm_remove_action - forget an action without calling it (warns if absent). */
void devm_remove_action(struct device *dev, void (*action)(void *), void *data)
{
	struct action_devres target = { action, data };

	WARN_ON(devres_destroy(dev, devm_action_release, devm_action_match, &target));
}

/** devm_release_action - forget an action, calling it now (warns if absent). */
void devm_release_action(struct device *dev, void (*action)(void *), void *data)
{
	struct action_devres target = { action, data };

	WARN_ON(devres_release(dev, devm_action_release, devm_action_match, &target));
}

/** devm_is_action_added - is @action(@data) registered on @dev? */
bool devm_is_action_added(struct device *dev, void (*action)(void *), void *data)
{
	struct action_devres target = { action, data };

	return devres_find(dev, devm_action_release, devm_action_match, &target) != NULL;
}

/* ---- memory ---- */

/* devm_kmalloc memory: the block is the resource, nothing to do on release. */
static void devm_kmalloc_release(struct device *dev, void *res)
{
}

static int devm_kmalloc_match(struct device *dev, void *res, void *p)
{
	return res == p;
}

/**
 * devm_kmalloc - kmalloc() memory that @dev frees when it lets go of its driver
 * @size: bytes; 0 gives ZERO_SIZE_PTR, which is not managed
 * @gfp: as for kmalloc(); __GFP_ZERO zeroes (devm_kzalloc)
 *
 * Returns the memory, aligned to ARCH_KMALLOC_MINALIGN at least, or NULL.
 * Free early with devm_kfree(), never kfree().
 */
void *devm_kmalloc(struct device *dev, size_t size, gfp_t gfp)
{
	struct devres *dr;

	if (unlikely(!size))
		return ZERO_SIZE_PTR;
	dr = alloc_dr(devm_kmalloc_release, size, gfp, dev_to_node(dev), "devm_kzalloc_release");
	if (unlikely(!dr))
		return NULL;
	devres_add(dev, dr->data);
	return dr->data;
}

/**
 * devm_kfree - free devm_kmalloc() memory before the device lets go
 *
 * NULL and ZERO_SIZE_PTR are ignored; memory @dev does not manage gets a
 * warning and is left alone.
 */
void devm_kfree(struct device *dev, const void *p)
{
	/* devm_kstrdup_const() may have handed out a constant: nothing to free. */
	if (unlikely(ZERO_OR_NULL_PTR(p) || is_kernel_rodata((unsigned long)p)))
		return;
	WARN_ON(devres_destroy(dev, devm_kmalloc_release, devm_kmalloc_match, (void *)p));
}

/**
 * devm_krealloc - resize devm_kmalloc() memory, keeping it managed
 *
 * NULL or ZERO_SIZE_PTR in is devm_kmalloc(); size 0 frees and gives
 * ZERO_SIZE_PTR.  In place when the block is large enough; otherwise the
 * bytes move to a new managed block that takes the old one's place in
 * the release order.  NULL on failure (the old block stays).  Memory
 * @dev does not manage gets a warning and NULL.
 */
void *devm_krealloc(struct device *dev, void *ptr, size_t new_size, gfp_t gfp)
{
	struct devres *old_dr, *new_dr;
	size_t total, old_size;

	if (unlikely(!new_size)) {
		devm_kfree(dev, ptr);
		return ZERO_SIZE_PTR;
	}
	if (unlikely(ZERO_OR_NULL_PTR(ptr)))
		return devm_kmalloc(dev, new_size, gfp);
	if (unlikely(!dr_total(new_size, &total)))
		return NULL;
	devres_lock(dev);
	old_dr = find_dr(dev, devm_kmalloc_release, devm_kmalloc_match, ptr);
	devres_unlock(dev);
	if (WARN_ON(!old_dr))
		return NULL;
	old_size = old_dr->node.size;
	if (ksize(old_dr) >= total) {
		if ((gfp & __GFP_ZERO) && new_size > old_size)
			memset(old_dr->data + old_size, 0, new_size - old_size);
		old_dr->node.size = new_size;
		return old_dr->data;
	}
	new_dr = kmalloc_node_track_caller(total, gfp, dev_to_node(dev));
	if (!new_dr)
		return NULL;
	memcpy(new_dr, old_dr, sizeof(*new_dr) + old_size);
	if ((gfp & __GFP_ZERO) && new_size > old_size)
		memset(new_dr->data + old_size, 0, new_size - old_size);
	new_dr->node.size = new_size;
	/* Swap the blocks in place in the list: the release order is kept. */
	devres_lock(dev);
	list_replace(&old_dr->node.entry, &new_dr->node.entry);
	devres_unlock(dev);
	kfree(old_dr);
	return new_dr->data;
}

/** devm_kmemdup - managed kmemdup(). */
void *devm_kmemdup(struct device *dev, const void *src, size_t len, gfp_t gfp)
{
	void *p = devm_kmalloc(dev, len, gfp);

	if (p && !ZERO_OR_NULL_PTR(p))
		memcpy(p, src, len);
	return p;
}

/** devm_kstrdup - managed kstrdup(); NULL for a NULL string. */
char *devm_kstrdup(struct device *dev, const char *s, gfp_t gfp)
{
	return s ? devm_kmemdup(dev, s, strlen(s) + 1, gfp) : NULL;
}

/* There is no .rodata test in user space (as kstrdup_const): always a copy. */
const char *devm_kstrdup_const(struct device *dev, const char *s, gfp_t gfp)
{
	if (is_kernel_rodata((unsigned long)s))
		return s;
	return devm_kstrdup(dev, s, gfp);
}

/** devm_kvasprintf - managed kvasprintf(). */
char *devm_kvasprintf(struct device *dev, gfp_t gfp, const char *fmt, va_list ap)
{
	va_list aq;
	char *p;
	int len;

	va_copy(aq, ap);
	len = kvsnprintf(NULL, 0, fmt, aq);
	va_end(aq);
	p = devm_kmalloc(dev, (size_t)len + 1, gfp);
	if (p)
		kvsnprintf(p, (size_t)len + 1, fmt, ap);
	return p;
}

/** devm_kasprintf - managed kasprintf(). */
char *devm_kasprintf(struct device *dev, gfp_t gfp, const char *fmt, ...)
{
	va_list ap;
	char *p;

	va_start(ap, fmt);
	p = devm_kvasprintf(dev, gfp, fmt, ap);
	va_end(ap);
	return p;
}

/* ---- pages ---- */

struct pages_devres {
	unsigned long addr;
	unsigned int order;
};

static void devm_pages_release(struct device *dev, void *res)
{
	struct pages_devres *pd = res;

	free_pages(pd->addr, pd->order);
}

static int devm_pages_match(struct device *dev, void *res, void *p)
{
	return ((struct pages_devres *)res)->addr == ((struct pages_devres *)p)->addr;
}

/** devm_get_free_pages - managed __get_free_pages(): the address, or 0. */
unsigned long devm_get_free_pages(struct device *dev, gfp_t gfp, unsigned int order)
{
	struct pages_devres *pd;
	unsigned long addr = __get_free_pages(gfp, order);

	if (unlikely(!addr))
		return 0;
	pd = devres_alloc(devm_pages_release, sizeof(*pd), GFP_KERNEL);
	if (unlikely(!pd)) {
		free_pages(addr, order);
		return 0;
	}
	pd->addr = addr;
	pd->order = order;
	devres_add(dev, pd);
	return addr;
}

/** devm_free_pages - free devm_get_free_pages() memory early (warns if not managed). */
void devm_free_pages(struct device *dev, unsigned long addr)
{
	struct pages_devres target = { .addr = addr };

	WARN_ON(devres_release(dev, devm_pages_release, devm_pages_match, &target));
}

/* ---- device memory (the kernel's lib/devres.c) ---- */

static void devm_ioremap_release(struct device *dev, void *res)
{
	iounmap(*(void __iomem **)res);
}

static int devm_ioremap_match(struct device *dev, void *res, void *addr)
{
	return *(void __iomem **)res == addr;
}

static void __iomem *devm_ioremap_with(struct device *dev, resource_size_t offset,
				       resource_size_t size,
				       void __iomem *(*map)(resource_size_t, unsigned long))
{
	void __iomem **ptr = devres_alloc(devm_ioremap_release, sizeof(*ptr), GFP_KERNEL);
	void __iomem *addr;

	if (!ptr)
		return NULL;
	addr = map(offset, size);
	if (!addr) {
		devres_free(ptr);
		return NULL;
	}
	*ptr = addr;
	devres_add(dev, ptr);
	return addr;
}

/** devm_ioremap - managed ioremap(): unmapped when @dev lets go; NULL on failure. */
void __iomem *devm_ioremap(struct device *dev, resource_size_t offset, resource_size_t size)
{
	return devm_ioremap_with(dev, offset, size, ioremap);
}

/** devm_ioremap_wc - managed ioremap_wc(). */
void __iomem *devm_ioremap_wc(struct device *dev, resource_size_t offset, resource_size_t size)
{
	return devm_ioremap_with(dev, offset, size, ioremap_wc);
}

/** devm_ioremap_uc - managed ioremap_uc(). */
void __iomem *devm_ioremap_uc(struct device *dev, resource_size_t offset, resource_size_t size)
{
	return devm_ioremap_with(dev, offset, size, ioremap_uc);
}

/** devm_iounmap - unmap devm_ioremap() memory early (warns if @dev does not manage it). */
void devm_iounmap(struct device *dev, void __iomem *addr)
{
	WARN_ON(devres_destroy(dev, devm_ioremap_release, devm_ioremap_match, (void *)addr));
	iounmap(addr);
}
