/* SPDX-License-Identifier: MIT */
/*
 * linux/device.h - the little of struct device that memory code needs
 * (include/linux/device.h): a name, the driver's name, the DMA masks
 * (linux/dma-mapping.h), the driver's private data, and dev_err() and
 * friends, which print "DRIVER DEVICE: message" as the kernel's do.
 *
 * There is no device model behind it: a driver declares its struct
 * device (or embeds one) and fills in what it uses.
 *
 * Managed resources (devres, drivers/base/devres.c; kernel/devres.c):
 * devm_kzalloc() and the rest tie an allocation to the device, and
 * devres_release_all() - what the driver core runs after a driver's
 * remove() or a failed probe() - gives back everything the device still
 * holds, newest first.  With no driver core here, a program that models
 * unbinding calls it itself.  A zeroed struct device is ready for devres.
 */
#ifndef _LINUX_DEVICE_H
#define _LINUX_DEVICE_H

#include <stdarg.h>
#include <ukmem/kernel_types.h>
#include <linux/gfp.h>
#include <linux/overflow.h>
#include <linux/list.h>
#include <linux/printk.h>
#include <linux/spinlock.h>

UKMEM_C_BEGIN

struct device_driver {
	const char *name;
};

struct device {
	const char *init_name;		/* dev_name() */
	struct device_driver *driver;	/* dev_driver_string() */
	u64 *dma_mask;			/* streaming mappings; NULL: none allowed */
	u64 coherent_dma_mask;		/* dma_alloc_coherent() */
	void *driver_data;		/* dev_get_drvdata() */
	/*
	 * dev_to_node(): where the device's memory should come from.  A
	 * zeroed device says node 0; device_initialize() sets NUMA_NO_NODE,
	 * as the kernel's does, and a bus would then set the device's node.
	 */
	int numa_node;
	/* devres: the managed resources, oldest first (zeroed: none yet) */
	spinlock_t devres_lock;
	struct list_head devres_head;
};

/*
 * The node devm_kmalloc(), dma_alloc_coherent() and dma_alloc_pages()
 * allocate on for @dev (NUMA_NO_NODE: the caller's).
 */
static inline int dev_to_node(const struct device *dev)
{
	return dev->numa_node;
}

static inline void set_dev_node(struct device *dev, int node)
{
	dev->numa_node = node;
}

/*
 * Ready @dev for use as the driver core would before a bus adds it: no
 * node, no managed resources.  The other fields are the caller's.
 */
static inline void device_initialize(struct device *dev)
{
	spin_lock_init(&dev->devres_lock);
	INIT_LIST_HEAD(&dev->devres_head);
	set_dev_node(dev, NUMA_NO_NODE);
}

static inline const char *dev_name(const struct device *dev)
{
	return dev && dev->init_name ? dev->init_name : "(null)";
}

static inline const char *dev_driver_string(const struct device *dev)
{
	return dev && dev->driver && dev->driver->name ? dev->driver->name : "";
}

static inline void *dev_get_drvdata(const struct device *dev)
{
	return dev->driver_data;
}

static inline void dev_set_drvdata(struct device *dev, void *data)
{
	dev->driver_data = data;
}

#define dev_printk(level, dev, fmt, ...) \
	printk(level "%s %s: " fmt, dev_driver_string(dev), dev_name(dev), ##__VA_ARGS__)
#define dev_emerg(dev, fmt, ...)	dev_printk(KERN_EMERG, dev, fmt, ##__VA_ARGS__)
#define dev_alert(dev, fmt, ...)	dev_printk(KERN_ALERT, dev, fmt, ##__VA_ARGS__)
#define dev_crit(dev, fmt, ...)		dev_printk(KERN_CRIT, dev, fmt, ##__VA_ARGS__)
#define dev_err(dev, fmt, ...)		dev_printk(KERN_ERR, dev, fmt, ##__VA_ARGS__)
#define dev_warn(dev, fmt, ...)		dev_printk(KERN_WARNING, dev, fmt, ##__VA_ARGS__)
#define dev_notice(dev, fmt, ...)	dev_printk(KERN_NOTICE, dev, fmt, ##__VA_ARGS__)
#define dev_info(dev, fmt, ...)		dev_printk(KERN_INFO, dev, fmt, ##__VA_ARGS__)
#define dev_dbg(dev, fmt, ...)		dev_printk(KERN_DEBUG, dev, fmt, ##__VA_ARGS__)

/* ---- managed resources (devres) ---- */

typedef void (*dr_release_t)(struct device *dev, void *res);
typedef int (*dr_match_t)(struct device *dev, void *res, void *match_data);

UKMEM_API_BEGIN
void *__devres_alloc_node(dr_release_t release, size_t size, gfp_t gfp, int nid,
			  const char *name) __malloc;
void devres_free(void *res);
void devres_add(struct device *dev, void *res);
void *devres_find(struct device *dev, dr_release_t release, dr_match_t match, void *match_data);
void *devres_get(struct device *dev, void *new_res, dr_match_t match, void *match_data);
void *devres_remove(struct device *dev, dr_release_t release, dr_match_t match,
		    void *match_data);
int devres_destroy(struct device *dev, dr_release_t release, dr_match_t match,
		   void *match_data);
int devres_release(struct device *dev, dr_release_t release, dr_match_t match,
		   void *match_data);
int devres_release_all(struct device *dev);

void *devres_open_group(struct device *dev, void *id, gfp_t gfp);
void devres_close_group(struct device *dev, void *id);
void devres_remove_group(struct device *dev, void *id);
int devres_release_group(struct device *dev, void *id);

int __devm_add_action(struct device *dev, void (*action)(void *), void *data, const char *name);
void devm_remove_action(struct device *dev, void (*action)(void *), void *data);
void devm_release_action(struct device *dev, void (*action)(void *), void *data);
bool devm_is_action_added(struct device *dev, void (*action)(void *), void *data);

void *devm_kmalloc(struct device *dev, size_t size, gfp_t gfp) __malloc __alloc_size(2);
void *devm_krealloc(struct device *dev, void *ptr, size_t size, gfp_t gfp) __realloc_size(3);
void devm_kfree(struct device *dev, const void *p);
char *devm_kstrdup(struct device *dev, const char *s, gfp_t gfp) __malloc;
const char *devm_kstrdup_const(struct device *dev, const char *s, gfp_t gfp);
void *devm_kmemdup(struct device *dev, const void *src, size_t len, gfp_t gfp) __realloc_size(3);
/* v6.15+: @n elements of @size; NULL if the product overflows (size_mul). */
static inline void *devm_kmemdup_array(struct device *dev, const void *src, size_t n,
				       size_t size, gfp_t flags)
{
	return devm_kmemdup(dev, src, size_mul(size, n), flags);
}
__printf(3, 0) char *devm_kvasprintf(struct device *dev, gfp_t gfp, const char *fmt, va_list ap)
	__malloc;
__printf(3, 4) char *devm_kasprintf(struct device *dev, gfp_t gfp, const char *fmt, ...) __malloc;
unsigned long devm_get_free_pages(struct device *dev, gfp_t gfp, unsigned int order);
void devm_free_pages(struct device *dev, unsigned long addr);
UKMEM_API_END

/* devres_alloc(release, size, gfp): a zeroed resource of @size bytes, not yet added. */
#define devres_alloc(release, size, gfp) \
	__devres_alloc_node(release, size, gfp, NUMA_NO_NODE, #release)
#define devres_alloc_node(release, size, gfp, nid) \
	__devres_alloc_node(release, size, gfp, nid, #release)
#define devm_add_action(dev, action, data) __devm_add_action(dev, action, data, #action)

/* As devm_add_action(), but runs @action at once if it cannot be added. */
static inline int __devm_add_action_or_reset(struct device *dev, void (*action)(void *),
					     void *data, const char *name)
{
	int ret = __devm_add_action(dev, action, data, name);

	if (ret)
		action(data);
	return ret;
}
#define devm_add_action_or_reset(dev, action, data) \
	__devm_add_action_or_reset(dev, action, data, #action)

static inline __alloc_size(2) void *devm_kzalloc(struct device *dev, size_t size, gfp_t gfp)
{
	return devm_kmalloc(dev, size, gfp | __GFP_ZERO);
}
static inline __alloc_size(2, 3) void *devm_kmalloc_array(struct device *dev, size_t n,
								  size_t size, gfp_t flags)
{
	size_t bytes;

	if (unlikely(__builtin_mul_overflow(n, size, &bytes)))
		return NULL;
	return devm_kmalloc(dev, bytes, flags);
}
static inline __alloc_size(2, 3) void *devm_kcalloc(struct device *dev, size_t n, size_t size,
							    gfp_t flags)
{
	return devm_kmalloc_array(dev, n, size, flags | __GFP_ZERO);
}
static inline __realloc_size(3, 4) void *devm_krealloc_array(struct device *dev, void *p,
								     size_t new_n, size_t new_size,
								     gfp_t flags)
{
	size_t bytes;

	if (unlikely(__builtin_mul_overflow(new_n, new_size, &bytes)))
		return NULL;
	return devm_krealloc(dev, p, bytes, flags);
}

UKMEM_C_END

#endif /* _LINUX_DEVICE_H */
