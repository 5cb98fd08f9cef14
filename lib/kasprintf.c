// SPDX-License-Identifier: MIT
/*
 * lib/kasprintf.c - printf into kmalloc'ed memory (the kernel's
 * lib/kasprintf.c): kasprintf(), kvasprintf(), kvasprintf_const().
 *
 * The format is the kernel's (lib/vsprintf.c: %pS, %pGg, %*ph ...).  The
 * text is measured with one pass and written with a second into a block
 * of exactly its length plus the terminator; if the two passes disagree
 * (an argument changed in between), the kernel's warning is printed and
 * the shorter text kept.
 */
#include <stdarg.h>
#include <string.h>

#include <linux/bug.h>
#include <linux/printk.h>
#include <linux/slab.h>

/**
 * kvasprintf - format into a new kmalloc'ed string
 * @gfp: how to allocate it
 * @fmt: the kernel's printf format; @ap: its arguments
 *
 * Returns the string (free it with kfree()) or NULL.
 * Context: as @gfp allows.
 */
char *kvasprintf(gfp_t gfp, const char *fmt, va_list ap)
{
	unsigned int first, second;
	va_list aq;
	char *p;

	va_copy(aq, ap);
	first = kvsnprintf(NULL, 0, fmt, aq);
	va_end(aq);
	p = kmalloc_track_caller(first + 1, gfp);
	if (!p)
		return NULL;
	second = kvsnprintf(p, first + 1, fmt, ap);
	WARN(second != first, "different return values (%u and %u) from vsnprintf(\"%s\", ...)",
	     first, second, fmt);
	return p;
}

/**
 * kvasprintf_const - kvasprintf(), or the format itself when it has no
 * conversion or is just "%s" (then the argument); free with kfree_const().
 */
const char *kvasprintf_const(gfp_t gfp, const char *fmt, va_list ap)
{
	if (!strchr(fmt, '%'))
		return kstrdup_const(fmt, gfp);
	if (!strcmp(fmt, "%s"))
		return kstrdup_const(va_arg(ap, const char *), gfp);
	return kvasprintf(gfp, fmt, ap);
}

/** kasprintf - kvasprintf() with the arguments in place. */
char *kasprintf(gfp_t gfp, const char *fmt, ...)
{
	va_list ap;
	char *p;

	va_start(ap, fmt);
	p = kvasprintf(gfp, fmt, ap);
	va_end(ap);
	return p;
}
