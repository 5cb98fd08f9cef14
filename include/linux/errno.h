/* SPDX-License-Identifier: MIT */
/*
 * linux/errno.h - error numbers, with the kernel's own above the ones user
 * space sees (include/linux/errno.h): ERESTARTSYS, ENOIOCTLCMD,
 * EPROBE_DEFER, ENOTSUPP and the rest never reach a system call's caller
 * in the kernel, but driver code returns and compares them.
 *
 * The system's UAPI linux/errno.h (EPERM...) is read first, as in
 * linux/types.h; <errno.h> comes too, for errno itself.
 */
#ifndef _UKMEM_LINUX_ERRNO_H
#define _UKMEM_LINUX_ERRNO_H

#if defined(__has_include_next)
#if __has_include_next(<linux/errno.h>)
#include_next <linux/errno.h>
#endif
#endif
#include <errno.h>

#define ERESTARTSYS		512
#define ERESTARTNOINTR		513
#define ERESTARTNOHAND		514	/* restart if there is no handler */
#define ENOIOCTLCMD		515	/* no such ioctl command */
#define ERESTART_RESTARTBLOCK	516	/* restart with sys_restart_syscall */
#define EPROBE_DEFER		517	/* driver wants its probe retried */
#define EOPENSTALE		518	/* open found a stale dentry */
#define ENOPARAM		519	/* parameter not supported */

/* NFSv3 protocol codes, which other kernel code reuses. */
#define EBADHANDLE		521	/* bad file handle */
#define ENOTSYNC		522	/* update synchronisation mismatch */
#define EBADCOOKIE		523	/* cookie is stale */
#define ENOTSUPP		524	/* operation not supported */
#define ETOOSMALL		525	/* buffer or request too small */
#define ESERVERFAULT		526	/* untranslatable error */
#define EBADTYPE		527	/* type not supported by the server */
#define EJUKEBOX		528	/* will not complete before a timeout */
#define EIOCBQUEUED		529	/* iocb queued, completion event to come */
#define ERECALLCONFLICT		530	/* conflict with a recalled state */
#define ENOGRACE		531	/* NFS file lock reclaim refused */

#endif /* _UKMEM_LINUX_ERRNO_H */
