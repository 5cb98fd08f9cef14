/* SPDX-License-Identifier: MIT */
/*
 * kernel/kallsyms.c - addresses to symbol names, behind printk's %pS, %pB
 * and %ps: sprint_symbol(), sprint_symbol_no_offset(), sprint_backtrace(),
 * kallsyms_lookup() (kernel/kallsyms.c and kernel/module/kallsyms.c in the
 * kernel).
 *
 * 1. What is a symbol.  The kernel links a compressed table of every
 *    function (and, with KALLSYMS_ALL, every variable) into its image and
 *    gives each module its own.  Here the program plays the kernel image
 *    and each shared object a module: an address is looked up in the
 *    symbol table of the ELF file of the object that maps it, .symtab where
 *    the file has one (static functions included), else .dynsym (exported
 *    ones only, as for a stripped library).  Functions and variables count
 *    (KALLSYMS_ALL, as distribution kernels build); undefined, absolute,
 *    common and thread-local symbols do not.  Several names at one address
 *    (aliases) show the best: a function before a variable, fewer leading
 *    underscores (libc's getpid, a weak alias, before its __getpid), global
 *    before weak before local, then the shorter.
 *
 * 2. Where the tables live.  On the first lookup in an object, its file
 *    (dl_iterate_phdr()'s name; /proc/self/exe for the program) is mapped
 *    read-only whole, and its symbols, sorted by address, go into an
 *    anonymous mapping: names stay in the file's mapping.  Nothing comes
 *    from the allocator being debugged and nothing is freed: a report that
 *    prints from inside the allocator, with its locks held, may load one.
 *    An object whose file cannot be read (the vDSO) is asked of the
 *    dynamic linker (dladdr: exported symbols).  Objects are recognised by
 *    their load address and extent; one unloaded and another loaded over
 *    the same range keeps the first one's names.  A stripped file's static
 *    symbols come from its separate debug file where one is installed
 *    (/usr/lib/debug/.build-id/, found by the file's build id, as gdb and
 *    perf find it: Debian's libc6-dbg names libc's static functions).
 *
 * 3. No lock.  The objects are slots of a static array, claimed with an
 *    atomic counter and published with a release store once filled.  Two
 *    threads that meet a new object at once each load it (the second copy
 *    is never found again and costs only its mappings); a signal handler
 *    that interrupts a load does the same.  So printk keeps working under
 *    any lock, and lockdep has nothing to rank.
 *
 * 4. The kernel's format: "name+0xoff/0xsize" and " [module]" after it for
 *    a shared object, the module named by its file's base name
 *    ("libc.so.6"); "0x..." for an address nothing covers.  A symbol's
 *    size is its st_size; a symbol of size 0 reaches to the next one, as
 *    the kernel's do; past a symbol's end (the PLT, padding) the address
 *    is unknown, where the kernel would name the symbol before it.
 *
 * Cost: docs/kallsyms.md.
 */
#define _GNU_SOURCE
#include <elf.h>
#include <errno.h>
#include <link.h>
#include <stdio.h>
#include <string.h>

#include <linux/kallsyms.h>
#include "arch/host.h"
#include "kernel/kallsyms.h"

/* One symbol, in a table sorted by (value, rank). */
struct ksym {
	unsigned long value;		/* the file's address */
	unsigned long size;		/* st_size; 0: up to the next symbol */
	const char *name;		/* in the file's mapping */
	unsigned int len;		/* of the name without a version ("@@GLIBC_2.2.5") */
	unsigned int rank;		/* lower wins among names at one address */
};

/* One ELF file's symbols; the struct heads the anonymous mapping of syms. */
struct ksym_table {
	const void *file;		/* the file, mapped read-only */
	size_t file_size;
	size_t map_size;		/* this struct and syms */
	unsigned long nr;
	bool full;			/* from .symtab: static symbols too */
	struct ksym syms[];
};

/* One loaded object, as the last lookup in it found it. */
struct ksym_object {
	int ready;			/* published: the fields below are set */
	bool main;			/* the program: no module name */
	unsigned long base, start, end;	/* arch_object's */
	struct ksym_table *table;	/* NULL: ask the dynamic linker */
	char modname[MODULE_NAME_LEN];
};

#define KSYM_MAX_OBJECTS	256
static struct ksym_object ksym_objects[KSYM_MAX_OBJECTS];
static unsigned int ksym_nr_objects;		/* slots claimed */

typedef ElfW(Ehdr) ksym_ehdr;
typedef ElfW(Shdr) ksym_shdr;
typedef ElfW(Sym) ksym_sym;

static bool in_file(size_t file_size, unsigned long off, unsigned long len)
{
	return off <= file_size && len <= file_size - off;
}

/* The section table, if the file is an ELF file of our class with a sane one. */
static const ksym_shdr *elf_sections(const void *file, size_t size, unsigned int *nr)
{
	const ksym_ehdr *eh = file;

	if (size < sizeof(*eh) || memcmp(eh->e_ident, ELFMAG, SELFMAG) ||
	    eh->e_ident[EI_CLASS] != (sizeof(long) == 8 ? ELFCLASS64 : ELFCLASS32) ||
	    eh->e_shentsize != sizeof(ksym_shdr) || !eh->e_shnum ||
	    eh->e_shoff % sizeof(long) ||
	    !in_file(size, eh->e_shoff, (unsigned long)eh->e_shnum * sizeof(ksym_shdr)))
		return NULL;
	*nr = eh->e_shnum;
	return (const ksym_shdr *)((const char *)file + eh->e_shoff);
}

/* The symbol section of @type with a sound string table; NULL if none. */
static const ksym_shdr *symbol_section(const void *file, size_t size, const ksym_shdr *sh,
				       unsigned int nr, unsigned int type, const char **strtab,
				       unsigned long *strsize)
{
	unsigned int i;

	for (i = 0; i < nr; i++) {
		const ksym_shdr *str;

		if (sh[i].sh_type != type || sh[i].sh_entsize != sizeof(ksym_sym) ||
		    sh[i].sh_offset % sizeof(long) ||
		    !in_file(size, sh[i].sh_offset, sh[i].sh_size) || sh[i].sh_link >= nr)
			continue;
		str = &sh[sh[i].sh_link];
		if (str->sh_type != SHT_STRTAB || !str->sh_size ||
		    !in_file(size, str->sh_offset, str->sh_size))
			continue;
		*strtab = (const char *)file + str->sh_offset;
		*strsize = str->sh_size;
		if ((*strtab)[*strsize - 1])	/* every name must end inside */
			continue;
		return &sh[i];
	}
	return NULL;
}

static bool symbol_wanted(const ksym_sym *sym, unsigned long strsize, const char *strtab)
{
	unsigned int type = ELF64_ST_TYPE(sym->st_info);

	if (type != STT_FUNC && type != STT_GNU_IFUNC && type != STT_OBJECT)
		return false;
	if (sym->st_shndx == SHN_UNDEF || sym->st_shndx >= SHN_LORESERVE || !sym->st_value)
		return false;
	return sym->st_name && sym->st_name < strsize && strtab[sym->st_name];
}

/* Among names at one address, lower is shown: see 1. above. */
static unsigned int symbol_rank(const ksym_sym *sym, const char *name, unsigned int len)
{
	unsigned int bind = ELF64_ST_BIND(sym->st_info);
	unsigned int rank = 0, under = 0;

	if (ELF64_ST_TYPE(sym->st_info) == STT_OBJECT)
		rank |= 1U << 24;
	while (name[under] == '_' && under < 15)
		under++;
	rank |= under << 20;
	rank |= (bind == STB_GLOBAL ? 0U : bind == STB_WEAK ? 1U : 2U) << 16;
	return rank | min(len, 0xffffU);
}

static bool ksym_before(const struct ksym *a, const struct ksym *b)
{
	return a->value < b->value || (a->value == b->value && a->rank < b->rank);
}

static void ksym_swap(struct ksym *a, struct ksym *b)
{
	struct ksym t = *a;

	*a = *b;
	*b = t;
}

static void sift_down(struct ksym *v, unsigned long root, unsigned long n)
{
	for (;;) {
		unsigned long child = 2 * root + 1;

		if (child >= n)
			return;
		if (child + 1 < n && ksym_before(&v[child], &v[child + 1]))
			child++;
		if (!ksym_before(&v[root], &v[child]))
			return;
		ksym_swap(&v[root], &v[child]);
		root = child;
	}
}

/* Heapsort: no allocation (qsort may call malloc), n log n whatever the input. */
static void sort_symbols(struct ksym *v, unsigned long n)
{
	unsigned long i;

	for (i = n / 2; i-- > 0;)
		sift_down(v, i, n);
	for (i = n; i-- > 1;) {
		ksym_swap(&v[0], &v[i]);
		sift_down(v, 0, i);
	}
}

/*
 * The file's GNU build id as hex (its NT_GNU_BUILD_ID note), for the
 * separate debug file; false if it has none.
 */
static bool elf_build_id(const void *file, size_t size, const ksym_shdr *sh, unsigned int nr,
			 char *hex, size_t hexsize)
{
	unsigned int i, k;

	for (i = 0; i < nr; i++) {
		const char *p = (const char *)file + sh[i].sh_offset, *end = p + sh[i].sh_size;

		if (sh[i].sh_type != SHT_NOTE || sh[i].sh_offset % 4 ||
		    !in_file(size, sh[i].sh_offset, sh[i].sh_size))
			continue;
		while ((size_t)(end - p) >= sizeof(ElfW(Nhdr))) {
			const ElfW(Nhdr) *n = (const ElfW(Nhdr) *)p;
			size_t namesz = ALIGN((size_t)n->n_namesz, 4UL);
			size_t descsz = ALIGN((size_t)n->n_descsz, 4UL);
			const unsigned char *desc;

			p += sizeof(*n);
			if (namesz > (size_t)(end - p) || descsz > (size_t)(end - p) - namesz)
				break;
			desc = (const unsigned char *)p + namesz;
			if (n->n_type == NT_GNU_BUILD_ID && n->n_namesz == 4 &&
			    !memcmp(p, "GNU", 4) && n->n_descsz >= 2 &&
			    2 * n->n_descsz < hexsize) {
				for (k = 0; k < n->n_descsz; k++)
					snprintf(hex + 2 * k, 3, "%02x", desc[k]);
				return true;
			}
			p += namesz + descsz;
		}
	}
	return false;
}

static struct ksym_table *table_open(const char *path, bool find_debug);

/*
 * A stripped file's static symbols, from its separate debug file
 * (/usr/lib/debug/.build-id/xx/yyyy.debug, as Debian's -dbg packages
 * install them and gdb finds them); NULL if there is none.
 */
static struct ksym_table *debug_table(const void *file, size_t size, const ksym_shdr *sh,
				      unsigned int nr)
{
	char id[130], path[200];
	struct ksym_table *t;

	if (!elf_build_id(file, size, sh, nr, id, sizeof(id)))
		return NULL;
	snprintf(path, sizeof(path), "/usr/lib/debug/.build-id/%.2s/%s.debug", id, id + 2);
	t = table_open(path, false);
	if (t && !t->full) {
		ksym_table_close(t);
		t = NULL;
	}
	return t;
}

struct ksym_table *ksym_table_open(const char *path)
{
	return table_open(path, true);
}

static struct ksym_table *table_open(const char *path, bool find_debug)
{
	const ksym_shdr *sh, *symsec;
	const ksym_sym *syms;
	struct ksym_table *t;
	const char *strtab = NULL;
	unsigned long strsize = 0, count, nr = 0, i, kept;
	unsigned int nsec;
	const void *file;
	size_t size = 0, map_size;
	bool full = true;

	if (!path)
		return NULL;
	file = arch_map_path(path, &size);
	if (!file)
		return NULL;
	sh = elf_sections(file, size, &nsec);
	symsec = sh ? symbol_section(file, size, sh, nsec, SHT_SYMTAB, &strtab, &strsize) : NULL;
	if (sh && !symsec) {
		t = find_debug ? debug_table(file, size, sh, nsec) : NULL;
		if (t) {
			arch_unmap((void *)file, size);
			return t;
		}
		full = false;
		symsec = symbol_section(file, size, sh, nsec, SHT_DYNSYM, &strtab, &strsize);
	}
	if (!symsec)
		goto unmap;
	syms = (const ksym_sym *)((const char *)file + symsec->sh_offset);
	count = symsec->sh_size / sizeof(ksym_sym);
	for (i = 0; i < count; i++)
		nr += symbol_wanted(&syms[i], strsize, strtab);

	map_size = ALIGN(sizeof(*t) + nr * sizeof(struct ksym), 4096UL);
	t = arch_map_anon(map_size);
	if (!t)
		goto unmap;
	t->file = file;
	t->file_size = size;
	t->map_size = map_size;
	t->full = full;
	for (i = 0, nr = 0; i < count; i++) {
		struct ksym *k = &t->syms[nr];

		if (!symbol_wanted(&syms[i], strsize, strtab))
			continue;
		k->value = syms[i].st_value;
		k->size = syms[i].st_size;
		k->name = strtab + syms[i].st_name;
		/* The debug files' .symtab spells versioned names "fopen@@GLIBC_2.2.5". */
		k->len = (unsigned int)min(strcspn(k->name, "@"), (size_t)KSYM_NAME_LEN - 1);
		k->rank = symbol_rank(&syms[i], k->name, k->len);
		nr++;
	}
	sort_symbols(t->syms, nr);
	/* Aliases: the first of each address is the one shown. */
	for (i = 0, kept = 0; i < nr; i++) {
		if (kept && t->syms[kept - 1].value == t->syms[i].value) {
			if (!t->syms[kept - 1].size)
				t->syms[kept - 1].size = t->syms[i].size;
			continue;
		}
		t->syms[kept++] = t->syms[i];
	}
	t->nr = kept;
	return t;
unmap:
	arch_unmap((void *)file, size);
	return NULL;
}

void ksym_table_close(struct ksym_table *t)
{
	if (!t)
		return;
	arch_unmap((void *)t->file, t->file_size);
	arch_unmap(t, t->map_size);
}

unsigned long ksym_table_count(const struct ksym_table *t, bool *full)
{
	*full = t->full;
	return t->nr;
}

const char *ksym_table_lookup(const struct ksym_table *t, unsigned long vaddr,
			      unsigned long *size, unsigned long *offset, int *len)
{
	unsigned long lo = 0, hi = t->nr, sz;
	const struct ksym *k;

	while (lo < hi) {		/* the first symbol above vaddr */
		unsigned long mid = lo + (hi - lo) / 2;

		if (t->syms[mid].value <= vaddr)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (!lo)
		return NULL;
	k = &t->syms[lo - 1];
	sz = k->size;
	if (!sz && lo < t->nr)
		sz = t->syms[lo].value - k->value;
	if (vaddr - k->value >= sz)
		return NULL;
	*size = sz;
	*offset = vaddr - k->value;
	*len = (int)k->len;
	return k->name;
}

static void set_modname(struct ksym_object *o, const char *path)
{
	const char *base = path ? strrchr(path, '/') : NULL;

	base = base ? base + 1 : path ? path : "";
	snprintf(o->modname, sizeof(o->modname), "%s", base);
}

/* The object @ao describes, its table loaded on first use; NULL if no slot is left. */
static struct ksym_object *ksym_object_get(const struct arch_object *ao)
{
	unsigned int i, n = __atomic_load_n(&ksym_nr_objects, __ATOMIC_ACQUIRE);
	struct ksym_object *o;
	int saved_errno;

	for (i = 0; i < min(n, (unsigned int)KSYM_MAX_OBJECTS); i++) {
		o = &ksym_objects[i];
		if (__atomic_load_n(&o->ready, __ATOMIC_ACQUIRE) && o->base == ao->base &&
		    o->start == ao->start && o->end == ao->end)
			return o;
	}
	i = __atomic_fetch_add(&ksym_nr_objects, 1, __ATOMIC_ACQ_REL);
	if (i >= KSYM_MAX_OBJECTS)
		return NULL;
	o = &ksym_objects[i];
	o->main = ao->main;
	o->base = ao->base;
	o->start = ao->start;
	o->end = ao->end;
	set_modname(o, ao->main ? NULL : ao->path);
	saved_errno = errno;		/* a report must not change the caller's */
	o->table = ksym_table_open(ao->path);
	errno = saved_errno;
	__atomic_store_n(&o->ready, 1, __ATOMIC_RELEASE);
	return o;
}

/* The symbol covering @addr: its name (@len bytes of it), size, offset, module. */
static const char *ksym_lookup(unsigned long addr, unsigned long *size, unsigned long *offset,
			       const char **modname, int *len)
{
	struct ksym_object *o = NULL;
	struct arch_object ao;
	unsigned long start;
	const char *name;

	if (!arch_object_of(addr, &ao))
		return NULL;		/* anonymous memory, a JIT's code */
	o = ksym_object_get(&ao);
	*modname = ao.main || !o ? NULL : o->modname;
	if (o && o->table) {
		name = ksym_table_lookup(o->table, addr - ao.base, size, offset, len);
		if (name || o->table->full)
			return name;
	}
	/* No file, or only its dynamic symbols: the dynamic linker's answer. */
	if (!arch_dladdr(addr, &name, &start, size))
		return NULL;
	*offset = addr - start;
	*len = (int)min(strlen(name), (size_t)KSYM_NAME_LEN - 1);
	return name;
}

/*
 * Look @address + @symbol_offset up, print @address's place in it: the
 * kernel's __sprint_symbol(), bounded by @size.
 */
static int __sprint_symbol(char *buffer, size_t size, unsigned long address,
			   int symbol_offset, bool add_offset)
{
	unsigned long symsize, offset;
	const char *modname = NULL, *name;
	int len, namelen;

	address += symbol_offset;
	name = ksym_lookup(address, &symsize, &offset, &modname, &namelen);
	if (!name)
		return snprintf(buffer, size, "0x%lx", address - symbol_offset);
	offset -= symbol_offset;
	len = snprintf(buffer, size, "%.*s", namelen, name);
	if (add_offset)
		len += snprintf(buffer + min((size_t)len, size), size - min((size_t)len, size),
				"+0x%lx/0x%lx", offset, symsize);
	if (modname && modname[0])
		len += snprintf(buffer + min((size_t)len, size), size - min((size_t)len, size),
				" [%s]", modname);
	return len;
}

int sprint_symbol(char *buffer, unsigned long address)
{
	return __sprint_symbol(buffer, KSYM_SYMBOL_LEN, address, 0, true);
}

int sprint_symbol_no_offset(char *buffer, unsigned long address)
{
	return __sprint_symbol(buffer, KSYM_SYMBOL_LEN, address, 0, false);
}

int sprint_backtrace(char *buffer, unsigned long address)
{
	return __sprint_symbol(buffer, KSYM_SYMBOL_LEN, address, -1, true);
}

const char *kallsyms_lookup(unsigned long addr, unsigned long *symbolsize,
			    unsigned long *offset, char **modname, char *namebuf)
{
	const char *mod = NULL, *name;
	unsigned long size, off;
	int len;

	name = ksym_lookup(addr, &size, &off, &mod, &len);
	if (!name)
		return NULL;
	snprintf(namebuf, KSYM_NAME_LEN, "%.*s", len, name);
	if (symbolsize)
		*symbolsize = size;
	if (offset)
		*offset = off;
	if (modname)
		*modname = mod && mod[0] ? (char *)mod : NULL;
	return namebuf;
}

bool kallsyms_main_offset(unsigned long *offset, unsigned long *link)
{
	struct arch_object ao;

	if (!arch_main_object(&ao))
		return false;
	*offset = ao.base;
	*link = ao.link;
	return true;
}
