/* SPDX-License-Identifier: MIT */
/*
 * bench/malloc/bm_compiler.c - a single-threaded, memory-heavy program
 * that works in phases, as a compiler does: it builds large structures
 * of small objects, transforms them into new ones, and drops the old.
 *
 *   bm_compiler [-n UNITS] [-q]                 (default 8 units; -t is
 *                                               accepted and ignored)
 *
 * Per "translation unit" (their sizes vary, 0.25x-2x of 40k
 * declarations, so the heap grows and shrinks between units):
 *   parse    an AST of nodes of 40-88 bytes with child arrays grown by
 *            doubling, identifiers interned in a global string table
 *            (long-lived, shared by all units), literals copied (strdup);
 *   check    nested scopes, each a hash table of symbols built and freed
 *            as the walk enters and leaves it;
 *   lower    a linked list of IR instructions made from the AST, which is
 *            then freed bottom-up;
 *   optimise three passes, each building a new instruction list from the
 *            old one (dropping some, adding some) and freeing the old;
 *   emit     text appended to a buffer grown with realloc; its checksum.
 * One declaration in 64 leaves a summary behind that lives until the end
 * (as debug info or a module index does), interleaving long-lived objects
 * with the phases' garbage.  Peak heap is about 150-200 MB.
 */
#include <stdarg.h>

#include "bm.h"

/* ---- the global string table (interned identifiers; lives forever) ---- */

struct istr {
	struct istr *next;
	uint32_t hash, len;
	char s[];
};

static struct istr **itab;
static size_t itab_size = 1024, itab_count;

static uint32_t hash_str(const char *s, size_t n)
{
	uint32_t h = 2166136261u;

	while (n--)
		h = (h ^ (unsigned char)*s++) * 16777619u;
	return h;
}

static void itab_grow(void)
{
	size_t nsize = itab_size * 2;
	struct istr **n = calloc(nsize, sizeof(*n));

	if (!n)
		bm_die("bm_compiler: out of memory");
	for (size_t i = 0; i < itab_size; i++)
		for (struct istr *e = itab[i], *next; e; e = next) {
			next = e->next;
			e->next = n[e->hash & (nsize - 1)];
			n[e->hash & (nsize - 1)] = e;
		}
	free(itab);
	itab = n;
	itab_size = nsize;
}

static const char *intern(const char *s, size_t n)
{
	uint32_t h = hash_str(s, n);
	struct istr *e;

	for (e = itab[h & (itab_size - 1)]; e; e = e->next)
		if (e->hash == h && e->len == n && !memcmp(e->s, s, n))
			return e->s;
	e = bm_malloc(sizeof(*e) + n + 1);
	e->hash = h;
	e->len = (uint32_t)n;
	memcpy(e->s, s, n);
	e->s[n] = '\0';
	e->next = itab[h & (itab_size - 1)];
	itab[h & (itab_size - 1)] = e;
	if (++itab_count > itab_size)
		itab_grow();
	return e->s;
}

/* ---- the AST ---- */

enum kind { K_UNIT, K_FUNC, K_BLOCK, K_DECL, K_EXPR, K_CALL, K_LIT, K_NAME, NKINDS };

struct node {
	enum kind kind;
	uint32_t nkids, cap;
	struct node **kids;
	const char *name;	/* interned */
	char *text;		/* owned (literals) */
	uint64_t extra[];	/* 0-6 words: attributes, types, locations */
};

static uint64_t rng;
static unsigned long nodes_live, nodes_made;

static struct node *new_node(enum kind k)
{
	unsigned int words = (unsigned int)(bm_rand(&rng) % 7);
	struct node *n = bm_malloc(sizeof(*n) + words * 8);

	n->kind = k;
	n->nkids = n->cap = 0;
	n->kids = NULL;
	n->name = NULL;
	n->text = NULL;
	for (unsigned int i = 0; i < words; i++)
		n->extra[i] = i;
	nodes_live++;
	nodes_made++;
	return n;
}

static void add_kid(struct node *p, struct node *k)
{
	if (p->nkids == p->cap) {
		p->cap = p->cap ? p->cap * 2 : 2;
		p->kids = realloc(p->kids, p->cap * sizeof(*p->kids));
		if (!p->kids)
			bm_die("bm_compiler: out of memory");
	}
	p->kids[p->nkids++] = k;
}

static const char *ident(void)
{
	char buf[32];
	uint64_t r = bm_rand(&rng);
	int n = snprintf(buf, sizeof(buf), "%s_%llu", (r & 1) ? "var" : "fn",
			 (unsigned long long)((r >> 8) % 40000));

	return intern(buf, (size_t)n);
}

static struct node *parse_expr(int depth)
{
	uint64_t r = bm_rand(&rng);
	struct node *e;

	if (depth > 2 || r % 3 == 0) {
		if (r & 4) {
			char buf[48];

			e = new_node(K_LIT);
			snprintf(buf, sizeof(buf), "\"literal %llu\"", (unsigned long long)(r >> 20) % 100000);
			e->text = strdup(buf);
			if (!e->text)
				bm_die("bm_compiler: out of memory");
		} else {
			e = new_node(K_NAME);
			e->name = ident();
		}
		return e;
	}
	e = new_node(r & 8 ? K_CALL : K_EXPR);
	e->name = ident();
	for (int i = 0, n = 1 + (int)((r >> 8) % 3); i < n; i++)
		add_kid(e, parse_expr(depth + 1));
	return e;
}

static struct node *parse_block(int depth, unsigned long *decls)
{
	struct node *b = new_node(K_BLOCK);
	int n = 2 + (int)(bm_rand(&rng) % 8);

	for (int i = 0; i < n && *decls; i++) {
		uint64_t r = bm_rand(&rng);

		if (depth < 3 && r % 5 == 0) {
			add_kid(b, parse_block(depth + 1, decls));
		} else {
			struct node *d = new_node(K_DECL);

			d->name = ident();
			add_kid(d, parse_expr(0));
			add_kid(b, d);
			(*decls)--;
		}
	}
	return b;
}

static struct node *parse_unit(unsigned long decls)
{
	struct node *u = new_node(K_UNIT);

	while (decls) {
		struct node *f = new_node(K_FUNC);

		f->name = ident();
		add_kid(f, parse_block(0, &decls));
		add_kid(u, f);
	}
	return u;
}

static void free_tree(struct node *n)
{
	for (uint32_t i = 0; i < n->nkids; i++)
		free_tree(n->kids[i]);
	free(n->kids);
	free(n->text);
	free(n);
	nodes_live--;
}

/* ---- check: scopes as hash tables ---- */

struct sym {
	struct sym *next;
	const char *name;
	struct node *decl;
};

struct scope {
	struct scope *up;
	unsigned int size, count;
	struct sym **tab;
};

static unsigned long resolved;

static struct scope *push_scope(struct scope *up)
{
	struct scope *s = bm_malloc(sizeof(*s));

	s->up = up;
	s->size = 16;
	s->count = 0;
	s->tab = calloc(s->size, sizeof(*s->tab));
	if (!s->tab)
		bm_die("bm_compiler: out of memory");
	return s;
}

static void pop_scope(struct scope *s)
{
	for (unsigned int i = 0; i < s->size; i++)
		for (struct sym *e = s->tab[i], *next; e; e = next) {
			next = e->next;
			free(e);
		}
	free(s->tab);
	free(s);
}

static void declare(struct scope *s, struct node *d)
{
	uintptr_t h = ((uintptr_t)d->name >> 4) * 0x9e3779b1u;
	struct sym *e = bm_malloc(sizeof(*e));

	if (s->count >= s->size) {
		unsigned int nsize = s->size * 2;
		struct sym **n = calloc(nsize, sizeof(*n));

		if (!n)
			bm_die("bm_compiler: out of memory");
		for (unsigned int i = 0; i < s->size; i++)
			for (struct sym *x = s->tab[i], *next; x; x = next) {
				uintptr_t xh = ((uintptr_t)x->name >> 4) * 0x9e3779b1u;

				next = x->next;
				x->next = n[xh % nsize];
				n[xh % nsize] = x;
			}
		free(s->tab);
		s->tab = n;
		s->size = nsize;
	}
	e->name = d->name;
	e->decl = d;
	e->next = s->tab[h % s->size];
	s->tab[h % s->size] = e;
	s->count++;
}

static int lookup(struct scope *s, const char *name)
{
	uintptr_t h = ((uintptr_t)name >> 4) * 0x9e3779b1u;

	for (; s; s = s->up)
		for (struct sym *e = s->tab[h % s->size]; e; e = e->next)
			if (e->name == name)
				return 1;
	return 0;
}

static void check_uses(struct node *n, struct scope *s)
{
	if (n->kind == K_NAME && lookup(s, n->name))
		resolved++;
	for (uint32_t i = 0; i < n->nkids; i++)
		check_uses(n->kids[i], s);
}

static void check_block(struct node *b, struct scope *up)
{
	struct scope *s = push_scope(up);

	for (uint32_t i = 0; i < b->nkids; i++) {
		struct node *k = b->kids[i];

		if (k->kind == K_BLOCK) {
			check_block(k, s);
		} else {
			check_uses(k, s);
			declare(s, k);
		}
	}
	pop_scope(s);
}

/* ---- IR ---- */

struct insn {
	struct insn *next;
	uint16_t op, nargs;
	const char *sym;
	char *comment;		/* owned, sometimes */
	uint64_t args[];
};

static struct insn *new_insn(unsigned int op, unsigned int nargs, const char *sym)
{
	struct insn *i = bm_malloc(sizeof(*i) + nargs * 8);

	i->next = NULL;
	i->op = (uint16_t)op;
	i->nargs = (uint16_t)nargs;
	i->sym = sym;
	i->comment = NULL;
	for (unsigned int a = 0; a < nargs; a++)
		i->args[a] = a * op;
	return i;
}

static struct insn **lower(struct node *n, struct insn **tail)
{
	for (uint32_t i = 0; i < n->nkids; i++)
		tail = lower(n->kids[i], tail);
	/* The AST is freed before the IR: literals go along as copies. */
	*tail = new_insn(n->kind, n->nkids, n->name);
	if (n->text) {
		(*tail)->comment = strdup(n->text);
		if (!(*tail)->comment)
			bm_die("bm_compiler: out of memory");
	}
	return &(*tail)->next;
}

static void free_ir(struct insn *i)
{
	for (struct insn *next; i; i = next) {
		next = i->next;
		free(i->comment);
		free(i);
	}
}

static struct insn *optimise(struct insn *in, int pass, unsigned long *count)
{
	struct insn *out = NULL, **tail = &out;

	*count = 0;
	for (struct insn *i = in; i; i = i->next) {
		uint64_t r = bm_rand(&rng);

		if (r % 10 == 0)
			continue;	/* dead: dropped */
		*tail = new_insn(i->op + pass, i->nargs + (r % 7 == 0), i->sym);
		if (i->comment) {
			(*tail)->comment = i->comment;	/* moved, not copied */
			i->comment = NULL;
		}
		tail = &(*tail)->next;
		++*count;
		if (r % 9 == 0) {	/* a spill or a copy inserted */
			*tail = new_insn(200 + pass, 2, i->sym);
			tail = &(*tail)->next;
			++*count;
		}
	}
	free_ir(in);
	return out;
}

struct outbuf {
	char *p;
	size_t len, cap;
};

static void emit(struct outbuf *o, const char *fmt, ...)
{
	va_list ap;
	int n;

	for (;;) {
		va_start(ap, fmt);
		n = vsnprintf(o->p + o->len, o->cap - o->len, fmt, ap);
		va_end(ap);
		if ((size_t)n < o->cap - o->len)
			break;
		o->cap = o->cap ? o->cap * 2 : 4096;
		o->p = realloc(o->p, o->cap);
		if (!o->p)
			bm_die("bm_compiler: out of memory");
	}
	o->len += (size_t)n;
}

/* ---- what survives the units ---- */

struct summary {
	struct summary *next;
	const char *name;
	char *where;
};

int main(int argc, char **argv)
{
	struct bm_opts o = bm_parse(argc, argv, 8, "compiler-like phases: UNITS translation units");
	struct summary *summaries = NULL;
	unsigned long total_insns = 0, nsum = 0;
	uint64_t checksum = 0;
	int quick = 0;

	for (int i = 1; i < argc; i++)
		if (!strcmp(argv[i], "-q"))
			quick = 1;
	if (quick)
		o.count = 3;
	itab = calloc(itab_size, sizeof(*itab));
	if (!itab)
		bm_die("bm_compiler: out of memory");
	rng = bm_seed(42);
	for (unsigned long unit = 0; unit < o.count; unit++) {
		/* 0.25x to 2x the base size, in a fixed order. */
		unsigned long base = quick ? 8000 : 40000;
		unsigned long decls = base / 4 + (base * 7 / 4) * ((unit * 5) % 8) / 7;
		struct node *ast = parse_unit(decls);
		struct insn *ir = NULL;
		struct outbuf out = { 0 };
		unsigned long n = 0;

		for (uint32_t f = 0; f < ast->nkids; f++)
			check_block(ast->kids[f]->kids[0], NULL);
		for (uint32_t f = 0; f < ast->nkids; f += 64) {
			struct summary *s = bm_malloc(sizeof(*s));

			s->name = ast->kids[f]->name;
			if (asprintf(&s->where, "unit %lu function %u", unit, f) < 0)
				bm_die("bm_compiler: out of memory");
			s->next = summaries;
			summaries = s;
			nsum++;
		}
		lower(ast, &ir);
		free_tree(ast);
		for (int pass = 1; pass <= 3; pass++)
			ir = optimise(ir, pass, &n);
		total_insns += n;
		for (struct insn *i = ir; i; i = i->next)
			emit(&out, "\t%u %s %u%s%s\n", i->op, i->sym ? i->sym : "-", i->nargs,
			     i->comment ? " ; " : "", i->comment ? i->comment : "");
		checksum += hash_str(out.p, out.len);
		free(out.p);
		free_ir(ir);
	}
	if (nodes_live)
		bm_die("bm_compiler: nodes leaked");
	for (struct summary *s = summaries, *next; s; s = next) {
		next = s->next;
		free(s->where);
		free(s);
	}
	for (size_t i = 0; i < itab_size; i++)
		for (struct istr *e = itab[i], *next; e; e = next) {
			next = e->next;
			free(e);
		}
	free(itab);
	printf("bm_compiler: %lu units, %lu nodes, %lu names resolved, %lu instructions, %lu summaries, "
	       "%zu identifiers, checksum %llu\n", o.count, nodes_made, resolved, total_insns, nsum,
	       itab_count, (unsigned long long)checksum);
	return 0;
}
