/* SPDX-License-Identifier: MIT */
/*
 * kernel/kallsyms.h - the symbol tables of kernel/kallsyms.c for the rest
 * of the library and the ukmem command: one ELF file's table, opened by
 * path (`ukmem symbolize`), and the program's load offset (the "Kernel
 * Offset" line of a call trace).
 */
#ifndef _KERNEL_KALLSYMS_H
#define _KERNEL_KALLSYMS_H

#include <ukmem/kernel_types.h>

struct ksym_table;

/* @path's symbols (.symtab, else .dynsym); NULL if it is no ELF file of this machine's class. */
struct ksym_table *ksym_table_open(const char *path);
void ksym_table_close(struct ksym_table *t);
/*
 * The symbol covering the file address @vaddr, as kallsyms_lookup(); NULL
 * if none.  The name is the first @len bytes (a version suffix left out).
 */
const char *ksym_table_lookup(const struct ksym_table *t, unsigned long vaddr,
			      unsigned long *size, unsigned long *offset, int *len);
/* Symbols in the table, and whether they include the static ones (.symtab). */
unsigned long ksym_table_count(const struct ksym_table *t, bool *full);

/*
 * The program's load offset (run-time address minus file address) and the
 * lowest address its file asks for; false if unknown.
 */
bool kallsyms_main_offset(unsigned long *offset, unsigned long *link);

#endif /* _KERNEL_KALLSYMS_H */
