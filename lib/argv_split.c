/* SPDX-License-Identifier: MIT */
/*
 * lib/argv_split.c - a command line cut into words in kmalloc'ed memory
 * (the kernel's argv_split() and argv_free()).
 *
 * One copy of the string holds every word: the separators in it become
 * NULs and the vector points into it.  The vector has a hidden slot in
 * front that keeps the copy's address, so argv_free() needs nothing but
 * the vector, and a NULL after the last word, as execve()'s argv has.
 * Separators are the kernel's isspace() set: space, \t \n \v \f \r and,
 * since the kernel's ctype table is Latin-1, the no-break space 0xa0.
 */
#include <linux/bug.h>
#include <linux/slab.h>
#include <linux/string.h>

static bool argv_sep(char c)
{
	unsigned char u = (unsigned char)c;

	return u == ' ' || (u >= '\t' && u <= '\r') || u == 0xa0;
}

/* The number of words: runs of non-separators. */
static int argv_count(const char *s)
{
	bool in_word = false;
	int argc = 0;

	for (; *s; s++) {
		if (argv_sep(*s)) {
			in_word = false;
		} else if (!in_word) {
			in_word = true;
			argc++;
		}
	}
	return argc;
}

/**
 * argv_split - split @str into words
 * @gfp: for both allocations
 * @str: the line (not changed)
 * @argcp: where the word count goes, or NULL
 *
 * Returns the NULL-terminated vector, to be given back with argv_free(),
 * or NULL when memory could not be had (nothing is left allocated then).
 * An empty or all-blank @str gives a vector of one NULL and a count of 0.
 */
char **argv_split(gfp_t gfp, const char *str, int *argcp)
{
	char *copy, *p, **slots, **argv;
	bool in_word = false;
	int argc, i = 0;

	copy = kstrndup(str, KMALLOC_MAX_SIZE, gfp);
	if (!copy)
		return NULL;
	argc = argv_count(copy);
	slots = kmalloc_array((size_t)argc + 2, sizeof(*slots), gfp);
	if (!slots) {
		kfree(copy);
		return NULL;
	}
	slots[0] = copy;	/* the hidden slot argv_free() reads */
	argv = slots + 1;
	for (p = copy; *p; p++) {
		if (argv_sep(*p)) {
			*p = '\0';
			in_word = false;
		} else if (!in_word) {
			in_word = true;
			argv[i++] = p;
		}
	}
	argv[i] = NULL;
	if (argcp)
		*argcp = argc;
	return argv;
}

/**
 * argv_free - free what argv_split() returned
 * @argv: its vector
 *
 * The kernel's dereferences a NULL @argv; here that is a WARN and nothing.
 */
void argv_free(char **argv)
{
	if (WARN_ON_ONCE(!argv))
		return;
	argv--;
	kfree(argv[0]);
	kfree(argv);
}
