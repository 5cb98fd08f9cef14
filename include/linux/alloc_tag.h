/* SPDX-License-Identifier: MIT */
/*
 * linux/alloc_tag.h - allocation profiling hooks (include/linux/alloc_tag.h,
 * v6.10+).
 *
 * With CONFIG_MEM_ALLOC_PROFILING the kernel's allocation macros wrap each
 * foo_noprof() call in alloc_hooks() to charge it to the calling line.
 * ukmem has no such accounting (its owner tracking is slub_debug=U and
 * kmemleak), so alloc_hooks() is the call itself, as in a kernel built
 * without profiling; code that defines its own wrappers this way builds.
 */
#ifndef _LINUX_ALLOC_TAG_H
#define _LINUX_ALLOC_TAG_H

#define alloc_hooks(_do_alloc)			(_do_alloc)
#define alloc_hooks_tag(_tag, _do_alloc)	(_do_alloc)

#endif /* _LINUX_ALLOC_TAG_H */
