/* SPDX-License-Identifier: MIT */
/*
 * fork() while another thread's first allocation boots the machine
 * implicitly (docs/boot.md: a fork during a boot waits for it to end),
 * and pthread_atfork() handlers of the program's own that allocate.
 * Each case is a process of its own that has not booted.
 */
#include <pthread.h>
#include <signal.h>
#include <string.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linux/kernel.h>
#include <linux/percpu.h>
#include <linux/slab.h>
#include <ukmem/boot.h>
#include "kernel/fork.h"
#include "ktest.h"

/*
 * fork() while another thread's first allocation boots the machine, at
 * delays that land before, inside and after the boot: the fork waits for
 * the boot and takes the locks it registers, and the child's allocation
 * goes through (it waited for ever on boot_lock, or on slab_mutex that the
 * first allocation's last boot step held).
 */
static void *first_allocation(void *arg)
{
	(void)arg;
	kfree(kmalloc(100, GFP_KERNEL));
	return NULL;
}

static void fork_during_boot(void *arg)
{
	unsigned int delay_us = (unsigned int)(unsigned long)arg;
	pthread_t t;
	int status;
	pid_t pid;

	ukmem_set_console(fopen("/dev/null", "w"));
	setenv("UKMEM_CMDLINE", "mem=64M kfence.sample_interval=0", 1);
	CHECK_EQ(pthread_create(&t, NULL, first_allocation, NULL), 0);
	usleep(delay_us);
	pid = fork();
	if (pid == 0) {
		void *p = kmalloc(64, GFP_KERNEL);

		kfree(p);
		_exit(p ? 0 : 5);
	}
	CHECK(pid > 0);
	CHECK(waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0);
	pthread_join(t, NULL);
}

/* How long the first allocation (the boot) takes here, in microseconds. */
static void time_first_allocation(void *arg)
{
	struct timespec a, b;

	ukmem_set_console(fopen("/dev/null", "w"));
	setenv("UKMEM_CMDLINE", "mem=64M kfence.sample_interval=0", 1);
	clock_gettime(CLOCK_MONOTONIC, &a);
	first_allocation(NULL);
	clock_gettime(CLOCK_MONOTONIC, &b);
	*(long *)arg = (b.tv_sec - a.tv_sec) * 1000000L + (b.tv_nsec - a.tv_nsec) / 1000;
}

static void test_fork_during_boot(void)
{
	long *boot_us;
	unsigned long span;

#if defined(__SANITIZE_THREAD__)
	/* Its child of a fork beside a live thread reports that thread as leaked. */
	KTEST_SKIP("ThreadSanitizer reports the booting thread as leaked in the child");
	return;
#endif
	boot_us = mmap(NULL, sizeof(long), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS,
		       -1, 0);

	CHECK(boot_us != MAP_FAILED);
	if (boot_us == MAP_FAILED)
		return;
	*boot_us = 0;
	CHECK(ktest_exited_with(ktest_child(time_first_allocation, boot_us), 0));
	/* Forty forks spread over the boot and as long again (not a deadline: a spread). */
	span = (unsigned long)clamp(*boot_us, 100L, 200000L) * 2;
	for (unsigned long delay = 0; delay <= span; delay += span / 40)
		CHECK(ktest_exited_with(ktest_child(fork_during_boot, (void *)delay), 0));
	munmap(boot_us, sizeof(long));
}

/*
 * A prepare handler the program registered before its first allocation
 * (which boots the machine) allocates: ukmem's handlers are registered as
 * the library loads, so the program's run first, as glibc runs prepare
 * handlers in reverse order.  Registered at the boot, ukmem's ran first,
 * took every lock, and the program's kmalloc() waited for ever with all
 * signals blocked.  A thread of the test's own makes the process a
 * threaded one, so the fork takes the locks.
 */
static void atfork_allocates(void) { kfree(kmalloc(32, GFP_KERNEL)); }

/*
 * A second thread of the test's own: the fork of a threaded process
 * takes the locks, whether or not KFENCE's thread runs (no KFENCE under
 * ASan).
 */
static void *idle_thread(void *arg)
{
	pause();
	return arg;
}

static void start_idle_thread(void)
{
	pthread_t t;

	CHECK_EQ(pthread_create(&t, NULL, idle_thread, NULL), 0);
	pthread_detach(t);
}

static void handler_allocates(void *arg)
{
	int status;
	pid_t pid;

	(void)arg;
	ukmem_set_console(fopen("/dev/null", "w"));
	setenv("UKMEM_CMDLINE", "mem=64M", 1);
	CHECK_EQ(pthread_atfork(atfork_allocates, atfork_allocates, atfork_allocates), 0);
	kfree(kmalloc(32, GFP_KERNEL));		/* the boot */
	start_idle_thread();
	pid = fork();
	if (pid == 0)
		_exit(0);
	CHECK(pid > 0);
	CHECK(waitpid(pid, &status, 0) == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

static void test_atfork_handler_allocates(void)
{
#if defined(__SANITIZE_THREAD__)
	KTEST_SKIP("ThreadSanitizer reports KFENCE's thread as leaked in the child");
	return;
#endif
	CHECK(ktest_exited_with(ktest_child(handler_allocates, NULL), 0));
}

/*
 * What the fork can no longer order: an allocation by the forking thread
 * while its fork holds the allocator's locks (here a fork step of its
 * own, after every lock).  A panic that says so, not a hang.
 */
static void step_allocates(void) { free_percpu(alloc_percpu(int)); }

static const struct fork_step allocating_step = {
	.name = "test_allocating", .order = FORK_ORDER_VMALLOC_REMAP + 1, .lock = step_allocates,
};

static void reentry(void *arg)
{
	(void)arg;
	ukmem_set_console(stderr);	/* the panic's words, caught by the parent */
	setenv("UKMEM_CMDLINE", "mem=64M", 1);
	kfree(kmalloc(32, GFP_KERNEL));
	fork_register_step(&allocating_step);
	start_idle_thread();
	if (fork() == 0)
		_exit(0);
	_exit(3);	/* not reached: the prepare panics */
}

static void test_fork_reentry_panics(void)
{
	char log[4096];
	int status;
	FILE *err;

#if defined(__SANITIZE_THREAD__)
	KTEST_SKIP("ThreadSanitizer reports KFENCE's thread as leaked in the child");
	return;
#endif
	err = tmpfile();
	CHECK(err != NULL);
	if (!err)
		return;
	fflush(stderr);
	{
		int saved = dup(2);

		dup2(fileno(err), 2);
		status = ktest_child(reentry, NULL);
		dup2(saved, 2);
		close(saved);
	}
	CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGABRT);
	rewind(err);
	log[fread(log, 1, sizeof(log) - 1, err)] = '\0';
	fclose(err);
	CHECK(strstr(log, "fork: the allocator was called while this thread's fork() holds") != NULL);
}

int main(void)
{
	KTEST_RUN(KTEST(test_fork_during_boot), KTEST(test_atfork_handler_allocates),
		  KTEST(test_fork_reentry_panics));
}
