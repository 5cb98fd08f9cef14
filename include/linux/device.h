/* SPDX-License-Identifier: MIT */
/*
 * linux/device.h - the little of struct device that memory code needs
 * (include/linux/device.h): a name, the driver's name, the DMA masks
 * (linux/dma-mapping.h), the driver's private data, and dev_err() and
 * friends, which print "DRIVER DEVICE: message" as the kernel's do.
 *
 * There is no device model behind it: a driver declares its struct
 * device (or embeds one) and fills in what it uses.
 */
#ifndef _LINUX_DEVICE_H
#define _LINUX_DEVICE_H

#include <ukmem/kernel_types.h>
#include <linux/printk.h>

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
};

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

UKMEM_C_END

#endif /* _LINUX_DEVICE_H */
