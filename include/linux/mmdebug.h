/* SPDX-License-Identifier: MIT */
/*
 * linux/mmdebug.h - the memory code's debug assertions with a page or a
 * folio (include/linux/mmdebug.h), and dump_page().
 *
 * As in the kernel they exist only under CONFIG_DEBUG_VM, which here is a
 * build with UKMEM_DEBUG defined (-DUKMEM_DEBUG=ON, or a program compiled
 * with it): there a failed VM_BUG_ON_PAGE() prints the page as dump_page()
 * does and then BUG()s, and a failed VM_WARN_ON_PAGE() prints it and
 * warns (the _ONCE forms the first time only).  Otherwise the condition
 * is not evaluated at all, only type-checked, so it must have no side
 * effect the program relies on.  VM_BUG_ON(), VM_WARN_ON() and
 * VM_WARN_ON_ONCE() are in linux/bug.h.
 */
#ifndef _LINUX_MMDEBUG_H
#define _LINUX_MMDEBUG_H

#include <linux/bug.h>
#include <linux/kernel.h>

UKMEM_C_BEGIN

struct page;

UKMEM_API_BEGIN
/*
 * Print @page's state (its flags, refcount, mapcount, its compound head)
 * with @reason, as the kernel's "page:... refcount:..." lines.  Any
 * context; never allocates.
 */
void dump_page(const struct page *page, const char *reason);
UKMEM_API_END

#ifdef UKMEM_DEBUG
#define VM_BUG_ON_PAGE(cond, page)					\
	do {								\
		if (unlikely(cond)) {					\
			dump_page(page, "VM_BUG_ON_PAGE(" __stringify(cond) ")"); \
			BUG();						\
		}							\
	} while (0)
#define VM_BUG_ON_FOLIO(cond, folio)					\
	do {								\
		if (unlikely(cond)) {					\
			dump_page(&(folio)->page, "VM_BUG_ON_FOLIO(" __stringify(cond) ")"); \
			BUG();						\
		}							\
	} while (0)
/* The page's dump, then the warning; the value is the condition's truth. */
#define __VM_WARN_DUMP(cond, page, what) ({				\
	int __vm_failed = !!(cond);					\
									\
	if (unlikely(__vm_failed)) {					\
		dump_page(page, what "(" __stringify(cond) ")");	\
		WARN_ON(1);						\
	}								\
	unlikely(__vm_failed);						\
})
#define __VM_WARN_DUMP_ONCE(cond, page, what) ({			\
	static bool __vm_warned;					\
	int __vm_failed = !!(cond);					\
									\
	if (unlikely(__vm_failed && !__vm_warned)) {			\
		__vm_warned = true;					\
		dump_page(page, what "(" __stringify(cond) ")");	\
		WARN_ON(1);						\
	}								\
	unlikely(__vm_failed);						\
})
#define VM_WARN_ON_PAGE(cond, page)	__VM_WARN_DUMP(cond, page, "VM_WARN_ON_PAGE")
#define VM_WARN_ON_ONCE_PAGE(cond, page) __VM_WARN_DUMP_ONCE(cond, page, "VM_WARN_ON_ONCE_PAGE")
#define VM_WARN_ON_FOLIO(cond, folio)	__VM_WARN_DUMP(cond, &(folio)->page, "VM_WARN_ON_FOLIO")
#define VM_WARN_ON_ONCE_FOLIO(cond, folio) \
	__VM_WARN_DUMP_ONCE(cond, &(folio)->page, "VM_WARN_ON_ONCE_FOLIO")
#define VM_WARN_ONCE(cond, ...)		(void)WARN_ONCE(cond, __VA_ARGS__)
#define VM_WARN(cond, ...)		(void)WARN(cond, __VA_ARGS__)
#define VIRTUAL_BUG_ON(cond)		BUG_ON(cond)
#else
#define VM_BUG_ON_PAGE(cond, page)	VM_BUG_ON(cond)
#define VM_BUG_ON_FOLIO(cond, folio)	VM_BUG_ON(cond)
#define VM_WARN_ON_PAGE(cond, page)	VM_WARN_ON(cond)
#define VM_WARN_ON_ONCE_PAGE(cond, page) VM_WARN_ON(cond)
#define VM_WARN_ON_FOLIO(cond, folio)	VM_WARN_ON(cond)
#define VM_WARN_ON_ONCE_FOLIO(cond, folio) VM_WARN_ON(cond)
#define VM_WARN_ONCE(cond, ...)		VM_WARN_ON(cond)
#define VM_WARN(cond, ...)		VM_WARN_ON(cond)
#define VIRTUAL_BUG_ON(cond)		do { } while (0)
#endif
#define VM_BUG_ON_PGFLAGS(cond, page)	VM_BUG_ON_PAGE(cond, page)

UKMEM_C_END

#endif /* _LINUX_MMDEBUG_H */
