/* SPDX-License-Identifier: MIT */
/*
 * ukmem's linux/ headers read FIRST, then system headers that include the
 * same names: their include guards differ from the system's, so the
 * system's UAPI definitions still arrive when a system header asks.
 */
#define _GNU_SOURCE
#include <linux/kernel.h>
#include <linux/types.h>
#include <linux/errno.h>
#include <linux/string.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/dma-mapping.h>
#include <linux/kref.h>
#include <linux/io.h>
#include <sys/ioctl.h>
#include <sys/sysinfo.h>
#include <sys/vfs.h>
#include <sys/mount.h>
#include <sys/epoll.h>
#include <linux/fs.h>
#include <linux/netlink.h>
#include <linux/perf_event.h>
#include <stdio.h>
#include <stdlib.h>
#include <errno.h>

int ukmem_first(void);
int ukmem_first(void)
{
	struct sysinfo si;
	struct statfs sf;
	struct kref ref;
	__be16 port = 0;
	s64 big = S64_MAX;

	kref_init(&ref);
	if (sysinfo(&si) || statfs("/", &sf))
		return 1;
	return kref_read(&ref) == 1 && !port && big > 0 && BLKGETSIZE64 && EPROBE_DEFER == 517 ?
	       0 : 1;
}
