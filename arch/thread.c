/* SPDX-License-Identifier: MIT */
/*
 * arch/thread.c - the library's own threads and the process-wide memory
 * barrier (arch/host.h "Threads").
 *
 * ukmem starts threads only where the kernel has kernel threads that
 * nothing else can stand in for: kswapd (mm/vmscan.c) and the RCU
 * callback thread (kernel/rcu.c).  Both are started lazily, from a context
 * that may sleep, and block every signal: a program's signals must reach
 * the program's threads, never a handler running on ours.
 *
 * membarrier(2) MEMBARRIER_CMD_PRIVATE_EXPEDITED is what lets RCU readers
 * go without a fence: the grace period pays for one barrier on every CPU
 * running a thread of the process instead (kernel/rcu.c explains why that
 * suffices).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "arch/host.h"

/* Room for shrinkers and RCU callbacks, which are the program's code. */
#define ARCH_THREAD_STACK	(256 * 1024)

int arch_thread_create(arch_thread_t *thread, void *(*fn)(void *), void *arg,
		       const char *name)
{
	sigset_t all, old;
	pthread_attr_t attr;
	pthread_t t;
	int err;

	if (pthread_attr_init(&attr))
		return -ENOMEM;
	pthread_attr_setstacksize(&attr, ARCH_THREAD_STACK);
	/* The new thread inherits the mask: block everything around the call. */
	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	err = pthread_create(&t, &attr, fn, arg);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	pthread_attr_destroy(&attr);
	if (err)
		return -err;
	if (name)
		pthread_setname_np(t, name);	/* best effort: 15 characters */
	*thread = (arch_thread_t)t;
	return 0;
}

void arch_thread_join(arch_thread_t thread)
{
	pthread_join((pthread_t)thread, NULL);
}

bool arch_thread_reap(arch_thread_t thread, u32 *exited)
{
	int i;

	for (i = 0; i < 10 && !__atomic_load_n(exited, __ATOMIC_ACQUIRE); i++)
		arch_wait(exited, 0, 100 * 1000 * 1000L);
	if (!__atomic_load_n(exited, __ATOMIC_ACQUIRE))
		return false;
	arch_thread_join(thread);
	return true;
}

/*
 * Thread exit: one pthread key whose destructor calls the registered
 * function.  The key is made once, without pthread_once, so that a first
 * call from a signal handler that interrupted the first call cannot wait
 * for itself: it gets false instead.
 */
static pthread_key_t exit_key;
static int exit_key_state;		/* 0 none, 1 being made, 2 made, 3 failed */
static void (*exit_fn)(void *);

static void run_exit_fn(void *arg)
{
	void (*fn)(void *) = __atomic_load_n(&exit_fn, __ATOMIC_ACQUIRE);

	if (fn)
		fn(arg);
}

bool arch_thread_exit_hook(void (*fn)(void *), void *arg)
{
	int state = __atomic_load_n(&exit_key_state, __ATOMIC_ACQUIRE);

	if (state == 0) {
		int expect = 0;

		if (__atomic_compare_exchange_n(&exit_key_state, &expect, 1, false,
						__ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
			void (*none)(void *) = NULL;

			__atomic_compare_exchange_n(&exit_fn, &none, fn, false,
						    __ATOMIC_RELEASE, __ATOMIC_RELAXED);
			state = pthread_key_create(&exit_key, run_exit_fn) ? 3 : 2;
			__atomic_store_n(&exit_key_state, state, __ATOMIC_RELEASE);
		} else {
			state = expect;
		}
	}
	if (state != 2)
		return false;
	return pthread_setspecific(exit_key, arg) == 0;
}

bool arch_thread_alive(int tid)
{
	return syscall(SYS_tgkill, getpid(), tid, 0) == 0 || errno != ESRCH;
}

int arch_atexit(void (*fn)(void))
{
	return atexit(fn) ? -ENOMEM : 0;
}

/* include/uapi/linux/membarrier.h */
#define MEMBARRIER_CMD_PRIVATE_EXPEDITED		(1 << 3)
#define MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED	(1 << 4)

static int membarrier_ok;	/* 0 unknown, 1 registered, -1 unavailable */

bool arch_membarrier_init(bool again)
{
	int ok = again ? 0 : __atomic_load_n(&membarrier_ok, __ATOMIC_ACQUIRE);

	if (!ok) {
#ifdef SYS_membarrier
		ok = syscall(SYS_membarrier, MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED, 0, 0) == 0
		     ? 1 : -1;
#else
		ok = -1;
#endif
		__atomic_store_n(&membarrier_ok, ok, __ATOMIC_RELEASE);
	}
	return ok > 0;
}

void arch_membarrier(void)
{
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
#ifdef SYS_membarrier
	if (__atomic_load_n(&membarrier_ok, __ATOMIC_ACQUIRE) > 0 &&
	    syscall(SYS_membarrier, MEMBARRIER_CMD_PRIVATE_EXPEDITED, 0, 0) == 0)
		__atomic_thread_fence(__ATOMIC_SEQ_CST);
#endif
}
