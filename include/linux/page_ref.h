/* SPDX-License-Identifier: MIT */
/*
 * linux/page_ref.h - the page and folio reference helpers (page_ref_*,
 * folio_ref_*, set_page_count, page_ref_freeze/unfreeze), which ukmem
 * defines in linux/mm.h beside struct page; this header is for code that
 * includes it by name, as the kernel's mm.h includes it.
 */
#ifndef _LINUX_PAGE_REF_H
#define _LINUX_PAGE_REF_H

#include <linux/mm.h>

#endif /* _LINUX_PAGE_REF_H */
