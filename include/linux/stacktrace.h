/* SPDX-License-Identifier: MIT */
/*
 * linux/stacktrace.h - the caller's stack as return addresses
 * (kernel/stacktrace.c).
 */
#ifndef _LINUX_STACKTRACE_H
#define _LINUX_STACKTRACE_H

#include <stddef.h>
#include <ukmem/kernel_types.h>

UKMEM_C_BEGIN
UKMEM_API_BEGIN
/*
 * Up to @size return addresses of the caller's stack into @store, the
 * innermost first, after skipping @skipnr frames above the caller: how
 * many were stored.
 */
unsigned int stack_trace_save(unsigned long *store, unsigned int size, unsigned int skipnr);
/* Each entry as a log line " %pS", indented by @spaces more. */
void stack_trace_print(const unsigned long *entries, unsigned int nr_entries, int spaces);
/* The same into @buf: the bytes written (without the NUL). */
int stack_trace_snprint(char *buf, size_t size, const unsigned long *entries,
			unsigned int nr_entries, int spaces);
UKMEM_API_END
UKMEM_C_END

#endif /* _LINUX_STACKTRACE_H */
