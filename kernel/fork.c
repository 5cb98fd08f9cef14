/* SPDX-License-Identifier: MIT */
/*
 * kernel/fork.c - keeping the allocator usable across fork().
 *
 * fork() copies the address space with whatever locks other threads held at
 * that instant; the child has only the forking thread, so a lock held by
 * any other thread would never be released there.  As glibc does for its
 * arenas, ukmem takes every allocator lock before fork() (in each
 * subsystem's lock order, outermost first) and releases them in both
 * processes afterwards.  Subsystems register their lock-all/unlock-all
 * pairs at boot; the malloc front end installs the atfork handlers (a
 * program that only uses the kernel API may call ukmem_fork_prepare() and
 * friends itself, or install them with ukmem_install_atfork()).
 */
#include <pthread.h>

#include <linux/bug.h>
#include <linux/spinlock.h>
#include <ukmem/boot.h>
#include "kernel/fork.h"

#define MAX_FORK_HOOKS	16

struct fork_hook {
	int order;			/* lower first when locking */
	void (*lock_all)(void);
	void (*unlock_all)(void);
};

static struct fork_hook hooks[MAX_FORK_HOOKS];
static int nr_hooks;

void ukmem_register_fork_hook(int order, void (*lock_all)(void), void (*unlock_all)(void))
{
	int i;

	if (WARN_ON_ONCE(nr_hooks >= MAX_FORK_HOOKS))
		return;
	/* Keep the table sorted by order (registration happens at boot, once). */
	for (i = nr_hooks; i > 0 && hooks[i - 1].order > order; i--)
		hooks[i] = hooks[i - 1];
	hooks[i].order = order;
	hooks[i].lock_all = lock_all;
	hooks[i].unlock_all = unlock_all;
	nr_hooks++;
}

void ukmem_fork_prepare(void)
{
	int i;

	for (i = 0; i < nr_hooks; i++)
		hooks[i].lock_all();
}

static void fork_release(void)
{
	int i;

	for (i = nr_hooks - 1; i >= 0; i--)
		hooks[i].unlock_all();
}

void ukmem_fork_parent(void)
{
	fork_release();
}

void ukmem_fork_child(void)
{
	fork_release();
}

int ukmem_install_atfork(void)
{
	static bool installed;

	if (installed)
		return 0;
	installed = true;
	return pthread_atfork(ukmem_fork_prepare, ukmem_fork_parent, ukmem_fork_child);
}
