/* SPDX-License-Identifier: MIT */
/*
 * BUILD_BUG_ON() as the kernel's: a statement whose condition the compiler
 * must be able to decide, a constant expression or one the optimizer folds
 * (lib/test_bitmap.c and lib/tests/ffs_kunit.c use a local const).  Built
 * by tests/CMakeLists.txt with BUILD_BUG_CASE=n: case 0 (the control, also
 * built at -O0) must build, the others must be refused.
 */
#include <linux/build_bug.h>
#include <linux/kernel.h>

int build_bug_case(int x);

int build_bug_case(int x)
{
	const int nbits = 8;

	BUILD_BUG_ON(sizeof(int) != 4);
	BUILD_BUG_ON(nbits * 2 > 64);		/* folded: false */
	BUILD_BUG_ON_MSG(sizeof(long) < sizeof(int), "long is no shorter than int");
#if BUILD_BUG_CASE == 1
	BUILD_BUG_ON(sizeof(int) == 4);		/* a true constant expression */
#elif BUILD_BUG_CASE == 2
	BUILD_BUG_ON(nbits * 2 < 64);		/* folded: true (at -O2) */
#elif BUILD_BUG_CASE == 3
	BUILD_BUG_ON_MSG(1, "a message of one's own");
#endif
	return x + nbits;
}
