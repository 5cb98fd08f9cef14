/* SPDX-License-Identifier: MIT */
/*
 * System headers that include <linux/types.h>, <linux/kernel.h>,
 * <linux/errno.h> and <linux/string.h> themselves, read BEFORE ukmem's:
 * with ukmem's include directory first on the path, those names resolve
 * to ukmem's headers from inside the system's, which must still give the
 * system headers everything the UAPI ones give (tests/headers/main.c).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysinfo.h>
#include <sys/vfs.h>
#include <netinet/in.h>
#include <linux/capability.h>
#include <linux/fs.h>
#include <linux/futex.h>
#include <linux/netlink.h>
#include <linux/perf_event.h>
#include <linux/rseq.h>
#include <linux/types.h>
#include <linux/kernel.h>
#include <linux/errno.h>
#include <linux/string.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/mm.h>
#include <linux/err.h>

int system_first(void);
int system_first(void)
{
	struct sysinfo si;
	struct statfs sf;
	struct sockaddr_nl nl;
	struct perf_event_attr pe;
	__u32 a = 1;
	__le64 b = 2;
	u64 c = 3;
	gfp_t g = GFP_KERNEL;
	char buf[8];
	void *p = kmalloc(16, GFP_KERNEL);

	memset(&nl, 0, sizeof(nl));
	memset(&pe, 0, sizeof(pe));
	if (sysinfo(&si) || statfs("/", &sf) || IS_ERR_OR_NULL(p))
		return 1;
	kfree(p);
	strscpy(buf, "ok", sizeof(buf));
	return (int)(a + b + c) == 6 && g && FS_IOC_GETFLAGS && ENOTSUPP == 524 &&
	       min(si.mem_unit, 4096u) >= 1 ? 0 : 1;
}
