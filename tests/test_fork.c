/* SPDX-License-Identifier: MIT */
/*
 * fork() and the allocator (kernel/fork.c), each case in a child watched
 * for hangs:
 *  - fork() from a signal handler that interrupts fork(), single-threaded:
 *    the handler's fork must not wait for the locks the interrupted fork
 *    holds (it used to spin on them for ever);
 *  - fork() from a signal handler that interrupts kmalloc/kfree and the
 *    page allocator, single-threaded: no lock is taken, the child
 *    allocates (GFP_ATOMIC) in the handler and exits;
 *  - the same with a second thread allocating: the fork only tries the
 *    locks, leaves a lock another thread holds alone (and held), and
 *    neither process hangs;
 *  - a step whose prepare fails: ukmem_fork() returns -1 with ENOMEM and
 *    no child; a plain fork()'s child is killed with SIGKILL before it
 *    runs; the parent's allocator works afterwards;
 *  - a multi-threaded fork takes every lock and the child can allocate;
 *  - a handler's fork inside another thread's fork: its prepare fails and
 *    its child is killed, and the other fork's child and parent are whole
 *    (it used to take the other fork's record of its vmalloc locks);
 *  - fork() from a signal handler that interrupts vmalloc, vfree, vmap and
 *    vm_map_ram, single-threaded: no hang (the old vmalloc hook waited for
 *    vmap_purge_lock), and the child's vmalloc memory is its own;
 *  - vmalloc's copy for the child fails (injected): ukmem_fork() returns -1
 *    with ENOMEM, a plain fork()'s child is killed before it runs, and it
 *    never saw memory shared with the parent;
 *  - every lock of the library is held by another thread at fork(): the
 *    fork waits for it, and the child finds it free (iomem_lock,
 *    dmesg_lock, reports_lock, the slab debug maps and traces_lock were
 *    not taken by fork before; the vmalloc and boot locks neither);
 *  - the random words hardening keys are drawn from come from a pool: a
 *    child's are not the ones its parent draws next;
 *  - a vmap purge notifier's callback runs in another thread at fork():
 *    the child can use the chain (it kept the chain's lock held by a
 *    thread it does not have before); a thread that holds slab_mutex
 *    calls the chain while a fork runs: neither waits for the other;
 *  - a handler forks inside the random pool's refill: the child's words
 *    are still random and its own;
 *  - what the newer calls hand out crosses a fork whole, while a thread
 *    churns them: a contiguous range, a prefilled sheaf, kmalloc_nolock
 *    and memdup_user blocks, huge-page and array vmallocs.  Each process
 *    reads the values, frees its copy, allocates anew, and ends with its
 *    free-page count where it started;
 *  - the pools, while a thread pops, pushes, allocates and adds chunks:
 *    the child finds every objpool object the thread did not hold, twice
 *    over (what it pushes back must be found again), and can allocate
 *    from, and add to, the same gen_pool, mempool and kmem_buckets; a
 *    gen_pool's lock held at fork() is free in the child.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <stddef.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <ucontext.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <linux/gfp.h>
#include <linux/notifier.h>
#include <linux/genalloc.h>
#include <linux/mempool.h>
#include <linux/objpool.h>
#include <linux/string.h>
#include <linux/uaccess.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <ukmem/boot.h>
#include <ukmem/context.h>
#include <ukmem/iomem.h>
#include <ukmem/report.h>
#include <ukmem/slab_debug.h>
#include "arch/host.h"
#include "kernel/fork.h"
#include "mm/internal.h"
#include "mm/slab.h"
#include "mm/kfence.h"
#include "mm/vmalloc.h"
#include "ktest.h"

/*
 * The cases that say "single-threaded" must be: KFENCE's timer thread
 * (mm/kfence.c) would make every booted child a process of two threads,
 * and then glibc's own fork() holds its atfork lock from before the
 * prepare handlers until after the parent handlers, outside the window in
 * which ukmem blocks signals.  A handler's fork() that lands there (a
 * preemption at that point suffices) waits for that lock for ever, inside
 * glibc: test_fork_from_handler_interrupting_fork hung so about once in 20
 * runs on a loaded machine.  Without the thread KFENCE still samples, from
 * the slab slow paths, as it does on the malloc front end.
 */
bool kfence_no_timer_thread = true;

/*
 * The process has one thread: what the single-threaded cases rely on.
 * ThreadSanitizer's runtime keeps a thread of its own in every process;
 * that one is allowed (see fork_interrupts_fork for what it costs).
 */
#if defined(__SANITIZE_THREAD__)
#define OWN_THREADS	2
#else
#define OWN_THREADS	1
#endif

static bool single_threaded(void)
{
	char path[64];
	FILE *f;
	int threads = -1;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)getpid());
	f = fopen(path, "r");
	if (f) {
		char line[128];

		while (fgets(line, sizeof(line), f))
			if (sscanf(line, "Threads: %d", &threads) == 1)
				break;
		fclose(f);
	}
	return threads >= 1 && threads <= OWN_THREADS;
}

#define HANDLER_FORKS	200

/*
 * Atomic: the timer's signal may land on any thread of the test.
 * killed_children: under ThreadSanitizer its runtime's thread makes the
 * process threaded, where a handler's fork only tries the allocator's
 * locks and a child that could not get a private copy of vmalloc memory
 * is killed at birth (kernel/fork.c, design 4: best effort, as documented;
 * 1 in 30 runs on an idle machine, 1 in 12 under load).  Such a child is
 * counted apart; a child that runs must still see the parent's bytes.
 */
static _Atomic unsigned long handler_forks, handler_fork_failures, bad_children, killed_children;
/*
 * The main loop's iterations: a handler forks at most once per iteration,
 * so that a fork slower than the timer cannot starve the loop it interrupts.
 */
static _Atomic unsigned long main_iter, forked_at = ~0UL;

/*
 * A handler's fork in flight: the next one waits for its end.  Two handlers
 * forking at once on two threads is not what these tests ask about, and the
 * library answers it by design with a killed child: a fork that may only
 * try locks (a handler's, in a threaded process) gives up on vmalloc's copy
 * while another thread's fork holds it ("another thread's fork is copying
 * vmalloc memory"), and its child cannot live without one.
 */
static _Atomic int fork_in_flight;

/* One fork per main-loop iteration, whichever thread the signal lands on. */
static bool claim_iteration(void)
{
	unsigned long seen = forked_at, now = main_iter;

	if (seen == now || __atomic_exchange_n(&fork_in_flight, 1, __ATOMIC_SEQ_CST))
		return false;
	if (__atomic_compare_exchange_n(&forked_at, &seen, now, false, __ATOMIC_SEQ_CST,
					__ATOMIC_SEQ_CST))
		return true;
	fork_in_flight = 0;
	return false;
}

static void boot_quiet(const char *cmdline)
{
	ukmem_set_console(fopen("/dev/null", "w"));
	if (ukmem_boot(cmdline)) {
		fprintf(stderr, "boot failed: %s\n", cmdline);
		_exit(1);
	}
	ukmem_install_atfork();
}

/* In the child of a handler's fork: allocate as a handler may, then leave. */
static void child_in_handler(void)
{
	void *p = kmalloc(64, GFP_ATOMIC | __GFP_NOWARN);
	struct page *page = alloc_page(GFP_ATOMIC | __GFP_NOWARN);

	kfree(p);
	if (page)
		__free_page(page);
	_exit(0);
}

/* Once per main-loop iteration: fork, let @child run in the child, count the outcome. */
static void fork_from_handler(void (*child)(void))
{
	int status = 0;
	pid_t pid;

	if (!claim_iteration())
		return;
	pid = fork();
	if (pid == 0)
		child();
	if (pid < 0) {
		handler_fork_failures++;
		fork_in_flight = 0;
		return;
	}
	if (waitpid(pid, &status, 0) != pid)
		bad_children++;
	else if (OWN_THREADS > 1 && WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL)
		killed_children++;	/* threaded: best effort (see killed_children) */
	else if (!WIFEXITED(status) || WEXITSTATUS(status))
		bad_children++;
	handler_forks++;
	fork_in_flight = 0;
}

static void fork_in_handler(int sig)
{
	(void)sig;
	fork_from_handler(child_in_handler);
}

/*
 * A handler the program installed itself (plain sigaction(), so not
 * interrupt context to ukmem), whose child allocates as ordinary code
 * does (GFP_KERNEL).  The child's thread has a new id; the locks the
 * interrupted code held at the fork carried the old one, and the child
 * waited for ever on a zone lock it held itself (the parent then waited
 * in waitpid()).  The child keeps its lock id now: such a lock is its
 * own, only tried, and the allocation may fail; it must not hang.
 */
static void child_in_plain_handler(void)
{
	void *p = kmalloc(64, GFP_KERNEL | __GFP_NOWARN);
	struct page *page = alloc_pages(GFP_KERNEL | __GFP_NOWARN, 5);

	kfree(p);
	if (page)
		__free_pages(page, 5);
	_exit(0);
}

static void fork_in_plain_handler(int sig)
{
	(void)sig;
	fork_from_handler(child_in_plain_handler);
}

static bool plain_handler;	/* start_timer(): sigaction() rather than ukmem_sigaction() */

static void start_timer(long usec)
{
	struct itimerval it = { { 0, usec }, { 0, usec } };
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = plain_handler ? fork_in_plain_handler : fork_in_handler;
	sigemptyset(&sa.sa_mask);
	if (plain_handler)
		CHECK_EQ(sigaction(SIGALRM, &sa, NULL), 0);
	else
		CHECK_EQ(ukmem_sigaction(SIGALRM, &sa, NULL), 0);
	setitimer(ITIMER_REAL, &it, NULL);
}

static void stop_timer(void)
{
	struct itimerval it = { { 0, 0 }, { 0, 0 } };

	setitimer(ITIMER_REAL, &it, NULL);
	signal(SIGALRM, SIG_IGN);
}

/* ---- fork from a handler that interrupts fork ---- */

static void fork_interrupts_fork(void *arg)
{
	(void)arg;
	boot_quiet("mem=256M");
	CHECK(single_threaded());
	/* Many caches: the protocol's window is long. */
	for (int i = 0; i < 40; i++) {
		char name[32];

		snprintf(name, sizeof(name), "tfork_%d", i);
		CHECK(kmem_cache_create(name, 32 + 8 * i, 0, SLAB_NO_MERGE, NULL) != NULL);
	}
	start_timer(300);
	while (handler_forks < HANDLER_FORKS) {
		int status;
		pid_t pid = fork();

		if (pid == 0)
			_exit(0);
		CHECK(pid > 0);
		if (pid < 0)
			break;
		while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
			;
		main_iter++;
		ktest_progress();
	}
	stop_timer();
	CHECK_EQ(handler_fork_failures, 0);
	CHECK_EQ(bad_children, 0);
	/* Every lock was given back: the parent allocates. */
	kfree(kmalloc(100, GFP_KERNEL));
	CHECK_EQ(ukmem_slab_validate_all(), 0);
}

static void test_fork_from_handler_interrupting_fork(void)
{
#if defined(__SANITIZE_THREAD__)
	/* With TSan's thread glibc's fork takes its atfork lock: see kfence_no_timer_thread. */
	KTEST_SKIP("ThreadSanitizer's thread makes the process multi-threaded");
	return;
#endif
	CHECK(ktest_exited_with(ktest_child(fork_interrupts_fork, NULL), 0));
}

/* ---- fork from a handler that interrupts the allocator ---- */

static void churn(unsigned long *seed)
{
	void *p[64];
	struct page *pages[8];
	int i, n = 1 + (int)(*seed % 64);

	*seed = *seed * 6364136223846793005UL + 1442695040888963407UL;
	for (i = 0; i < n; i++)
		p[i] = kmalloc(8 << (i % 10), GFP_KERNEL);
	for (i = 0; i < 8; i++)
		pages[i] = alloc_pages(GFP_KERNEL, (unsigned int)(i % 3));
	for (i = 0; i < 8; i++)
		if (pages[i])
			__free_pages(pages[i], (unsigned int)(i % 3));
	for (i = n; i-- > 0;)
		kfree(p[i]);
}

static void fork_interrupts_alloc(void *arg)
{
	unsigned long seed = 1;

	boot_quiet(arg);
	CHECK(single_threaded());
	start_timer(500);
	while (handler_forks < HANDLER_FORKS) {
		churn(&seed);
		main_iter++;
		ktest_progress();
	}
	stop_timer();
	CHECK_EQ(handler_fork_failures, 0);
	CHECK_EQ(bad_children, 0);
	CHECK_EQ(ukmem_slab_validate_all(), 0);
	drain_all_pages(NULL);
	CHECK_EQ(ukmem_check_page_allocator(NULL), 0);
}

static void test_fork_from_handler_interrupting_kmalloc(void)
{
	CHECK(ktest_exited_with(ktest_child(fork_interrupts_alloc, "mem=256M"), 0));
}

static void test_fork_from_handler_interrupting_kmalloc_locks(void)
{
	CHECK(ktest_exited_with(ktest_child(fork_interrupts_alloc, "mem=256M slab_rseq=0"), 0));
}

/* The main loop spends its time under the zone lock: blocks above the per-CPU lists' orders. */
static void fork_interrupts_alloc_plain(void *arg)
{
	boot_quiet(arg);
	CHECK(single_threaded());
	plain_handler = true;
	start_timer(500);
	while (handler_forks < HANDLER_FORKS) {
		struct page *page = alloc_pages(GFP_KERNEL, 5);

		if (page)
			__free_pages(page, 5);
		main_iter++;
		ktest_progress();
	}
	stop_timer();
	CHECK_EQ(handler_fork_failures, 0);
	CHECK_EQ(bad_children, 0);
	drain_all_pages(NULL);
	CHECK_EQ(ukmem_check_page_allocator(NULL), 0);
}

static void test_fork_from_plain_handler_interrupting_kmalloc(void)
{
#if defined(__SANITIZE_THREAD__)
	/*
	 * ThreadSanitizer runs a plain handler's signal later, at a point of
	 * its own choosing, and its fork() from there waits on its own locks.
	 */
	KTEST_SKIP("ThreadSanitizer defers a plain handler's signals");
	return;
#endif
	CHECK(ktest_exited_with(ktest_child(fork_interrupts_alloc_plain, "mem=256M"), 0));
}

/*
 * A plain handler that interrupted its own thread holding an allocator lock
 * the fork takes (a zone lock, a per-CPU page list's lock, a cache's
 * per-CPU stacks as shrink and destroy hold them), in a process
 * with a second thread: the fork leaves that lock to its holder, which
 * lets go in both processes once the handler returns.  It waited for ever.
 */
static _Atomic int own_lock_stop;
static volatile int own_lock_forked;

static void *own_lock_idle(void *arg)
{
	(void)arg;
	while (!own_lock_stop)
		usleep(1000);
	return NULL;
}

static void own_lock_handler(int sig)
{
	int status;
	pid_t pid = fork();

	(void)sig;
	if (pid == 0)
		_exit(0);
	if (pid > 0 && waitpid(pid, &status, 0) == pid && WIFEXITED(status) &&
	    WEXITSTATUS(status) == 0)
		own_lock_forked++;
}

static void fork_holding_own_lock(void *arg)
{
	struct sigaction sa = { .sa_handler = own_lock_handler };
	struct kmem_cache *cache;
	struct page *page;
	struct zone *zone;
	void *objs[8];
	pthread_t idle;
	int cpu;

	(void)arg;
	boot_quiet("mem=64M kfence.sample_interval=0");
	CHECK_EQ(pthread_create(&idle, NULL, own_lock_idle, NULL), 0);
	sigemptyset(&sa.sa_mask);
	CHECK_EQ(sigaction(SIGUSR2, &sa, NULL), 0);
	page = alloc_page(GFP_KERNEL);
	CHECK(page != NULL);
	zone = page_zone(page);
	spin_lock(&zone->lock);
	raise(SIGUSR2);
	spin_unlock(&zone->lock);
	ktest_progress();
	cpu = get_cpu();
	spin_lock_owned(&zone->per_cpu_pageset[cpu].lock);
	raise(SIGUSR2);
	arch_spin_unlock(&zone->per_cpu_pageset[cpu].lock);
	put_cpu();
	ktest_progress();
	/* Every CPU's stack of a cache, as kmem_cache_shrink() holds them. */
	cache = kmem_cache_create("own_lock", 96, 0, 0, NULL);
	CHECK(cache != NULL);
	for (int i = 0; i < 8; i++)
		objs[i] = kmem_cache_alloc(cache, GFP_KERNEL);
	for (int i = 0; i < 8; i++)
		kmem_cache_free(cache, objs[i]);
	sheaves_lock_all(cache);
	raise(SIGUSR2);
	sheaves_unlock_all(cache);
	kmem_cache_destroy(cache);
	CHECK_EQ(own_lock_forked, 3);
	__free_page(page);
	own_lock_stop = 1;
	pthread_join(idle, NULL);
	CHECK_EQ(ukmem_check_page_allocator(NULL), 0);
}

static void test_fork_from_plain_handler_holding_lock(void)
{
#if defined(__SANITIZE_THREAD__)
	KTEST_SKIP("ThreadSanitizer defers a plain handler's signals");
	return;
#endif
	CHECK(ktest_exited_with(ktest_child(fork_holding_own_lock, NULL), 0));
}

/* ---- the same with a second thread ---- */

static _Atomic int stop_helper;
static volatile int helper_holds;
static spinlock_t *helper_lock;

/* Allocates, and now and then holds a list_lock for a while, as a preempted holder would. */
static void *helper(void *arg)
{
	unsigned long seed = 7, n = 0;

	(void)arg;
	while (!stop_helper) {
		churn(&seed);
		if (++n % 64 == 0) {
			spin_lock(helper_lock);
			helper_holds = 1;
			for (int i = 0; i < 200 && !stop_helper; i++)
				sched_yield();
			helper_holds = 0;
			spin_unlock(helper_lock);
		}
	}
	return NULL;
}

static void fork_with_threads(void *arg)
{
	struct kmem_cache *s;
	unsigned long seed = 3;
	pthread_t tid;

	(void)arg;
	boot_quiet("mem=256M");
	s = kmem_cache_create("tfork_held", 64, 0, SLAB_NO_MERGE, NULL);
	kfree(kmem_cache_alloc(s, GFP_KERNEL));
	helper_lock = &get_node(s, 0)->list_lock;
	pthread_create(&tid, NULL, helper, NULL);
	start_timer(500);
	while (handler_forks < HANDLER_FORKS / 4) {
		churn(&seed);
		main_iter++;
		ktest_progress();
	}
	stop_timer();
	stop_helper = 1;
	pthread_join(tid, NULL);
	/* The fork never released a lock it did not take. */
	CHECK(!spin_is_locked(helper_lock));
	CHECK_EQ(handler_fork_failures, 0);
	CHECK_EQ(bad_children, 0);
	CHECK_EQ(ukmem_slab_validate_all(), 0);
}

static void test_fork_from_handler_with_threads(void)
{
	CHECK(ktest_exited_with(ktest_child(fork_with_threads, NULL), 0));
}

/* ---- a step that cannot prepare the child ---- */

static int fail_prepare, prepares, aborts, parents, children;

static int test_step_prepare(void)
{
	prepares++;
	return fail_prepare ? -ENOMEM : 0;
}

static void test_step_abort(void)
{
	aborts++;
}

static void test_step_parent(void)
{
	parents++;
}

static void test_step_child(void)
{
	children++;
}

static int good_prepares;

static int good_step_prepare(void)
{
	good_prepares++;
	return 0;
}

static const struct fork_step good_step = {
	.name = "test_good", .order = 1, .prepare = good_step_prepare, .abort = test_step_abort,
};

static const struct fork_step failing_step = {
	.name = "test", .order = 99, .prepare = test_step_prepare,
	.parent = test_step_parent, .child = test_step_child,
};

static void failing_prepare(void *arg)
{
	int status = 0;
	pid_t pid;

	(void)arg;
	boot_quiet("mem=256M");
	fork_register_step(&good_step);
	fork_register_step(&failing_step);

	/* A step that prepares fine: the child gets its child step. */
	pid = ukmem_fork();
	if (pid == 0)
		_exit(children == 1 ? 0 : 3);
	CHECK(pid > 0);
	waitpid(pid, &status, 0);
	CHECK(ktest_exited_with(status, 0));
	CHECK_EQ(parents, 1);

	/* ukmem_fork(): no child, ENOMEM, the earlier step aborted. */
	fail_prepare = 1;
	errno = 0;
	pid = ukmem_fork();
	CHECK_EQ(pid, -1);
	CHECK_EQ(errno, ENOMEM);
	CHECK_EQ(aborts, 1);
	CHECK_EQ(parents, 1);
	if (pid == 0)
		_exit(0);

	/* A plain fork(): the child dies before it runs, the parent goes on. */
	pid = fork();
	if (pid == 0)
		_exit(0);
	CHECK(pid > 0);
	waitpid(pid, &status, 0);
	CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
	CHECK_EQ(aborts, 2);
	CHECK_EQ(parents, 2);
	fail_prepare = 0;

	/* Every lock came back. */
	kfree(kmalloc(200, GFP_KERNEL));
	__free_page(alloc_page(GFP_KERNEL));
	CHECK_EQ(ukmem_slab_validate_all(), 0);
}

static void test_failing_prepare(void)
{
	CHECK(ktest_exited_with(ktest_child(failing_prepare, NULL), 0));
}

/*
 * ---- two forks at once: a handler forks inside another thread's fork ----
 *
 * Thread A forks normally.  Once A's vmalloc prepare has made the
 * child's copies (in the prepare of a step registered after vmalloc's),
 * thread B's ukmem_sigaction handler forks: B finds A's fork copying
 * vmalloc memory, so its prepare fails and its child is killed; B's lock
 * and parent steps still run.  They used to take the vmalloc locks, and
 * then close A's copies: A's child stopped ("no private copy of vmalloc
 * memory").  Had A's lock step come between them, it would have reset
 * B's record of its locks, and B's token stayed in vmap_area_lock for
 * ever: every later vmalloc hung (two handlers forking at once did).
 */
static pthread_t inner_thread, outer_thread;
static _Atomic int inner_state;		/* 0 idle, 1 signalled, 2 its fork returned */
static volatile int inner_status = -1;
static unsigned char *outer_vm;

static void inner_fork_handler(int sig)
{
	int status;
	pid_t pid;

	(void)sig;
	pid = fork();
	if (pid == 0)
		_exit(0);
	if (pid > 0 && waitpid(pid, &status, 0) == pid)
		inner_status = status;
	inner_state = 2;
}

/* In A's fork only, its copies made and no lock taken yet: B forks now, and A waits for it. */
static int outer_step_prepare(void)
{
	if (!pthread_equal(pthread_self(), outer_thread) || inner_state != 0)
		return 0;
	inner_state = 1;
	pthread_kill(inner_thread, SIGUSR2);
	while (inner_state != 2)
		sched_yield();
	return 0;
}

static const struct fork_step outer_step = {
	.name = "test_outer", .order = 98, .prepare = outer_step_prepare,
};

static void *inner_idle(void *arg)
{
	(void)arg;
	while (!stop_helper)
		sched_yield();
	return NULL;
}

static void two_forks_at_once(void *arg)
{
	struct sigaction sa;
	int status = -1;
	void *again;
	pid_t pid;

	(void)arg;
	boot_quiet("mem=256M");
	outer_vm = vmalloc(4 * PAGE_SIZE);
	CHECK(outer_vm != NULL);
	if (!outer_vm)
		return;
	memset(outer_vm, 'P', 4 * PAGE_SIZE);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = inner_fork_handler;
	sigemptyset(&sa.sa_mask);
	CHECK_EQ(ukmem_sigaction(SIGUSR2, &sa, NULL), 0);
	fork_register_step(&outer_step);
	outer_thread = pthread_self();
	pthread_create(&inner_thread, NULL, inner_idle, NULL);

	pid = fork();
	if (pid == 0) {
		/* A's child has its own copy of vmalloc memory. */
		int seen = outer_vm[0];

		outer_vm[0] = 'C';
		_exit(seen == 'P' ? 0 : 1);
	}
	CHECK(pid > 0);
	if (pid > 0)
		waitpid(pid, &status, 0);
	CHECK(ktest_exited_with(status, 0));
	CHECK_EQ(outer_vm[0], 'P');
	/* B's fork could not prepare: its child never ran. */
	CHECK_EQ(inner_state, 2);
	CHECK(WIFSIGNALED(inner_status) && WTERMSIG(inner_status) == SIGKILL);
	stop_helper = 1;
	pthread_join(inner_thread, NULL);

	/* A's parent let every vmalloc lock go. */
	CHECK(!spin_is_locked(&vmap_area_lock));
	again = vmalloc(3 * PAGE_SIZE);
	CHECK(again != NULL);
	vfree(again);
	vfree(outer_vm);
}

static void test_two_forks_at_once(void)
{
	CHECK(ktest_exited_with(ktest_child(two_forks_at_once, NULL), 0));
}

/* ---- a multi-threaded fork: every lock taken, the child allocates ---- */

static void *allocator_thread(void *arg)
{
	unsigned long seed = (unsigned long)arg;

	while (!stop_helper)
		churn(&seed);
	return NULL;
}

static void threads_fork(void *arg)
{
	pthread_t tid[2];
	int i, status;

	(void)arg;
	boot_quiet("mem=256M");
	for (i = 0; i < 2; i++)
		pthread_create(&tid[i], NULL, allocator_thread, (void *)(unsigned long)(i + 11));
	for (i = 0; i < 50; i++) {
		pid_t pid = fork();

		if (pid == 0) {
			unsigned long seed = 5;

			churn(&seed);
			_exit(ukmem_slab_validate_all() ? 2 : 0);
		}
		CHECK(pid > 0);
		waitpid(pid, &status, 0);
		CHECK(ktest_exited_with(status, 0));
		ktest_progress();
	}
	stop_helper = 1;
	for (i = 0; i < 2; i++)
		pthread_join(tid[i], NULL);
}

static void test_fork_with_threads(void)
{
	CHECK(ktest_exited_with(ktest_child(threads_fork, NULL), 0));
}

/* ---- fork from a handler that interrupts vmalloc ---- */

/* Written by the parent before the timer starts; the child checks and writes it. */
static unsigned char *vm_shared;

static void child_in_vmalloc_handler(void)
{
	int bad = vm_shared[0] != 'P' || vm_shared[3 * PAGE_SIZE] != 'P';

	vm_shared[0] = 'C';		/* private: the parent never sees it */
	vm_shared[3 * PAGE_SIZE] = 'C';
	_exit(bad ? 1 : 0);
}

static void vfork_in_handler(int sig)
{
	(void)sig;
	fork_from_handler(child_in_vmalloc_handler);
}

/* vmalloc of many sizes (purges), vmap and vm_map_ram of plain pages, page_address of areas. */
static void vmalloc_churn(unsigned long *seed, struct page **pages)
{
	void *v[16];
	int i, n = 1 + (int)(*seed % 16);

	*seed = *seed * 6364136223846793005UL + 1442695040888963407UL;
	for (i = 0; i < n; i++)
		v[i] = vmalloc(PAGE_SIZE * (1 + (unsigned long)((*seed >> (i * 4)) % 40)));
	if (v[0])
		page_address(vmalloc_to_page(v[0]));	/* a linear alias */
	for (i = n; i-- > 0;)
		vfree(v[i]);
	v[0] = vmap(pages, 4, VM_MAP, PAGE_KERNEL);
	vunmap(v[0]);
	v[0] = vm_map_ram(pages, 4, NUMA_NO_NODE);
	if (v[0])
		vm_unmap_ram(v[0], 4);
	if (*seed % 64 == 0)
		vm_unmap_aliases();
}

static void fork_interrupts_vmalloc(void *arg)
{
	struct itimerval it = { { 0, 700 }, { 0, 700 } };
	unsigned long seed = 5;
	struct page *pages[4];
	struct sigaction sa;
	int i;

	(void)arg;
	boot_quiet("mem=256M");
	CHECK(single_threaded());
	vm_shared = vmalloc(4 * PAGE_SIZE);
	CHECK(vm_shared != NULL);
	if (!vm_shared)
		return;
	vm_shared[0] = vm_shared[3 * PAGE_SIZE] = 'P';
	for (i = 0; i < 4; i++)
		pages[i] = alloc_page(GFP_KERNEL);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = vfork_in_handler;
	sigemptyset(&sa.sa_mask);
	CHECK_EQ(ukmem_sigaction(SIGALRM, &sa, NULL), 0);
	setitimer(ITIMER_REAL, &it, NULL);
	while (handler_forks < HANDLER_FORKS) {
		vmalloc_churn(&seed, pages);
		main_iter++;
		ktest_progress();
	}
	stop_timer();
	CHECK_EQ(handler_fork_failures, 0);
	CHECK_EQ(bad_children, 0);
	CHECK(killed_children < HANDLER_FORKS / 4);	/* the exception, not the rule */
	/* Never shared: the children's writes stayed theirs. */
	CHECK_EQ(vm_shared[0], 'P');
	CHECK_EQ(vm_shared[3 * PAGE_SIZE], 'P');
	/* Every lock came back. */
	vfree(vmalloc(PAGE_SIZE));
	vm_unmap_aliases();
	for (i = 0; i < 4; i++)
		__free_page(pages[i]);
	vfree(vm_shared);
	CHECK_EQ(ukmem_slab_validate_all(), 0);
}

static void test_fork_from_handler_interrupting_vmalloc(void)
{
	CHECK(ktest_exited_with(ktest_child(fork_interrupts_vmalloc, NULL), 0));
}

/*
 * The same, deterministic: the handler runs while this thread holds
 * vmap_area_lock, so the child cannot read the trees and maps its copy
 * from what the host lists.  Still private: vmalloc memory, a linear
 * alias, a vmap of a plain page (its overlay kept) and the page itself.
 */
static unsigned char *lin, *vmapped, *plain;
static volatile int fallback_status = -1;

static void fork_holding_area_lock(int sig)
{
	int status;
	pid_t pid;

	(void)sig;
	pid = fork();
	if (pid == 0) {
		int bad = vm_shared[0] != 'P' || lin[0] != 'P' || vmapped[0] != 'P' ||
			  plain[1] != 'P';

		vm_shared[0] = lin[1] = vmapped[0] = plain[2] = 'C';
		_exit(bad ? 1 : vm_shared[0] == 'C' && lin[1] == 'C' && plain[0] == 'C' ? 0 : 2);
	}
	if (pid > 0 && waitpid(pid, &status, 0) == pid)
		fallback_status = status;
}

static void fork_fallback(void *arg)
{
	struct page *page;
	struct sigaction sa;

	(void)arg;
	boot_quiet("mem=256M");
	vm_shared = vmalloc(4 * PAGE_SIZE);
	page = alloc_page(GFP_KERNEL);
	CHECK(vm_shared != NULL && page != NULL);
	if (!vm_shared || !page)
		return;
	memset(vm_shared, 'P', 4 * PAGE_SIZE);
	lin = page_address(vmalloc_to_page(vm_shared + PAGE_SIZE));
	plain = page_address(page);
	memset(plain, 'P', PAGE_SIZE);
	vmapped = vmap(&page, 1, VM_MAP, PAGE_KERNEL);
	CHECK(vmapped != NULL);
	if (!vmapped)
		return;
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = fork_holding_area_lock;
	sigemptyset(&sa.sa_mask);
	CHECK_EQ(ukmem_sigaction(SIGUSR1, &sa, NULL), 0);
	spin_lock(&vmap_area_lock);
	raise(SIGUSR1);
	spin_unlock(&vmap_area_lock);
	CHECK(WIFEXITED(fallback_status) && WEXITSTATUS(fallback_status) == 0);
	CHECK_EQ(vm_shared[0], 'P');
	CHECK_EQ(lin[1], 'P');
	CHECK_EQ(vmapped[0], 'P');
	CHECK_EQ(plain[2], 'P');
	vunmap(vmapped);
	__free_page(page);
	vfree(vm_shared);
}

static void test_fork_from_handler_holding_vmap_area_lock(void)
{
	CHECK(ktest_exited_with(ktest_child(fork_fallback, NULL), 0));
}

/* ---- vmalloc's copy for the child fails ---- */

static void vmalloc_copy_fails(void *arg)
{
	unsigned char *p;
	int go[2], status;
	char text[4096];
	pid_t pid;
	char c;

	(void)arg;
	boot_quiet("mem=256M");
	p = vmalloc(PAGE_SIZE);
	CHECK(p != NULL);
	if (!p || pipe(go))
		return;
	p[0] = 'A';
	ukmem_dmesg_clear();

	/* ukmem_fork(): no child at all, ENOMEM. */
	vmalloc_fork_fail_copies = 1;
	errno = 0;
	pid = ukmem_fork();
	if (pid == 0)
		_exit(0);
	CHECK_EQ(pid, -1);
	CHECK_EQ(errno, ENOMEM);
	CHECK_EQ(vmalloc_fork_fail_copies, 0);

	/* fork(): the child dies before it runs a line of this program. */
	vmalloc_fork_fail_copies = 1;
	pid = fork();
	if (pid == 0) {
		if (read(go[0], &c, 1) != 1)
			_exit(2);
		_exit(p[0] == 'A' ? 3 : 4);	/* 4: it saw the parent's write */
	}
	CHECK(pid > 0);
	if (pid > 0) {
		p[0] = 'B';
		CHECK(write(go[1], "g", 1) == 1);
		CHECK(waitpid(pid, &status, 0) == pid);
		CHECK(WIFSIGNALED(status) && WTERMSIG(status) == SIGKILL);
	}
	ukmem_dmesg(text, sizeof(text));
	CHECK_STR_CONTAINS(text, "fork: no private copy of vmalloc memory for the child (error -12)");
	CHECK_STR_CONTAINS(text, "it will be killed");

	/* Nothing was kept: the next fork copies, and each side keeps its own. */
	pid = ukmem_fork();
	if (pid == 0) {
		int ok = p[0] == 'B';

		p[0] = 'C';
		_exit(ok ? 0 : 1);
	}
	CHECK(pid > 0 && waitpid(pid, &status, 0) == pid && ktest_exited_with(status, 0));
	CHECK_EQ(p[0], 'B');
	vfree(p);
	CHECK_EQ(ukmem_slab_validate_all(), 0);
}

static void test_vmalloc_copy_fails(void)
{
	CHECK(ktest_exited_with(ktest_child(vmalloc_copy_fails, NULL), 0));
}

/* ---- every lock held by another thread at fork() ---- */

struct held {
	const char *name;
	spinlock_t *spin;
	struct mutex *mutex;
};

static _Atomic int fork_started, holder_holds;
static const struct held *to_hold;

/* A step that runs first: the fork has begun. */
static int started_prepare(void)
{
	fork_started = 1;
	return 0;
}

static const struct fork_step started_step = {
	.name = "test_started", .order = 0, .prepare = started_prepare,
};

/* Holds the lock until the fork has begun, and a while longer. */
static void *holder(void *arg)
{
	(void)arg;
	if (to_hold->mutex)
		mutex_lock(to_hold->mutex);
	else
		spin_lock(to_hold->spin);
	holder_holds = 1;
	while (!fork_started)
		sched_yield();
	ktest_sleep_ms(30);
	if (to_hold->mutex)
		mutex_unlock(to_hold->mutex);
	else
		spin_unlock(to_hold->spin);
	return NULL;
}

static bool lock_is_held(const struct held *h)
{
	return h->mutex ? mutex_is_locked(h->mutex) : spin_is_locked(h->spin);
}

static void locks_held_at_fork(void *arg)
{
	struct held held[] = {
		{ "boot" }, { "vmalloc_setup" }, { "dmesg" }, { "iomem" }, { "reports" },
		{ "stackdepot" },
		{ "traces_lock", &traces_lock }, { "validate_map_lock", &validate_map_lock },
		{ "object_map_lock", &object_map_lock }, { "vmap_purge_lock", &vmap_purge_lock },
		{ "vmap_seg_lock", &vmap_seg_lock }, { "vmap_alias_lock", &vmap_alias_lock },
		{ "vmap_area_lock", &vmap_area_lock }, { "kmap_lock", &kmap_lock },
		{ "gen_pool lock" },	/* set below: the last */
	};
	int fd = memfd_create("tfork_dev", 0), status;
	static char gp_area[4096] __aligned(64);
	struct gen_pool *gp;
	unsigned int i;

	(void)arg;
	boot_quiet("mem=256M");
	vfree(vmalloc(PAGE_SIZE));		/* vmalloc set up */
	gp = gen_pool_create(3, -1);		/* its lock: gen_pool_add()'s */
	CHECK(gp != NULL && gen_pool_add(gp, (unsigned long)gp_area, sizeof(gp_area), -1) == 0);
	held[ARRAY_SIZE(held) - 1].spin = &gp->lock;
	CHECK(fd >= 0 && ftruncate(fd, 1 << 20) == 0);
	CHECK_EQ(ukmem_register_device_region(1UL << 40, 1 << 20, fd, 0, "tfork"), 0);
	fork_register_step(&started_step);
	for (i = 0; i < ARRAY_SIZE(held); i++) {
		struct held *h = &held[i];
		pthread_t tid;
		pid_t pid;

		if (!h->spin && !h->mutex) {
			const struct fork_step *st = fork_step_find(h->name);

			CHECK(st != NULL);
			if (!st)
				continue;
			h->spin = st->spinlock;
			h->mutex = st->mutex;
		}
		to_hold = h;
		fork_started = holder_holds = 0;
		pthread_create(&tid, NULL, holder, NULL);
		while (!holder_holds)
			sched_yield();
		pid = fork();
		if (pid == 0)
			/*
			 * Nobody here to let it go.  exit_group, not _exit: the
			 * parent's holder thread, copied into ThreadSanitizer's
			 * state, would be reported as leaked by its _exit.
			 */
			syscall(SYS_exit_group, lock_is_held(h) ? 1 : 0);
		CHECK(pid > 0);
		pthread_join(tid, NULL);
		CHECK(waitpid(pid, &status, 0) == pid);
		if (!ktest_exited_with(status, 0))
			fprintf(stderr, "the child inherited %s held\n", h->name);
		CHECK(ktest_exited_with(status, 0));
		CHECK(!lock_is_held(h));
		ktest_progress();
	}
	ukmem_unregister_device_region(1UL << 40);
	close(fd);
	gen_pool_destroy(gp);
}

static void test_locks_held_at_fork(void)
{
	CHECK(ktest_exited_with(ktest_child(locks_held_at_fork, NULL), 0));
}

/* ---- hardening keys after fork ---- */

/* The child's @n words, sent on @fds, all non-zero and none of them among @mine. */
static void expect_words_apart(int fds[2], pid_t pid, const u64 *mine, int n)
{
	u64 theirs[8];
	int status, i, j;

	CHECK(pid > 0 && n <= 8);
	CHECK(waitpid(pid, &status, 0) == pid && ktest_exited_with(status, 0));
	CHECK_EQ(read(fds[0], theirs, n * sizeof(u64)), (ssize_t)(n * sizeof(u64)));
	for (i = 0; i < n; i++) {
		CHECK(theirs[i] != 0);
		for (j = 0; j < n; j++)
			CHECK(mine[i] != theirs[j]);
	}
	close(fds[0]);
	close(fds[1]);
}

static void random_after_fork(void *arg)
{
	u64 mine[4], theirs[4];
	int fds[2], i;
	pid_t pid;

	(void)arg;
	boot_quiet("mem=256M");
	arch_random_u64();		/* the pool is filled */
	CHECK_EQ(pipe(fds), 0);
	pid = fork();
	if (pid == 0) {
		for (i = 0; i < 4; i++)
			theirs[i] = arch_random_u64();
		_exit(write(fds[1], theirs, sizeof(theirs)) == sizeof(theirs) ? 0 : 1);
	}
	for (i = 0; i < 4; i++)
		mine[i] = arch_random_u64();
	expect_words_apart(fds, pid, mine, 4);
}

static void test_random_after_fork(void)
{
	CHECK(ktest_exited_with(ktest_child(random_after_fork, NULL), 0));
}

/*
 * A handler forks while the code it interrupted holds the random pool,
 * refilling it: that call goes on in the child and hands out a word
 * there.  The refill's getrandom() is trapped (seccomp, SIGSYS) and the
 * handler answers for the host, then forks: the stand-in for a signal
 * that lands in the refill.  The child's words must still be random and
 * its own (the wiped pool handed out zeros, and the count it found left
 * ran on over wiped words).
 */
static volatile sig_atomic_t refill_forked;
static pid_t refill_pid;

static void getrandom_trap(int sig, siginfo_t *si, void *ucv)
{
	greg_t *r = ((ucontext_t *)ucv)->uc_mcontext.gregs;
	u64 *buf = (u64 *)r[REG_RDI];
	size_t i, n = (size_t)r[REG_RSI] / sizeof(u64);

	(void)sig;
	(void)si;
	/* The host's answer: words that tell this process's fills apart. */
	for (i = 0; i < n; i++)
		buf[i] = ((u64)getpid() << 32) | (0x5a5a0000u + i);
	r[REG_RAX] = (greg_t)(n * sizeof(u64));
	if (!refill_forked) {
		refill_forked = 1;
		refill_pid = fork();
	}
}

static void random_fork_in_refill(void *arg)
{
	/* Only the pool's refill (256 bytes) traps; single words reach the host. */
	struct sock_filter filter[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_getrandom, 0, 3),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, args[1])),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, 32 * sizeof(u64), 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_TRAP),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = { .len = ARRAY_SIZE(filter), .filter = filter };
	u64 mine[6];
	struct sigaction sa;
	int fds[2], i;

	(void)arg;
	boot_quiet("mem=256M");
	CHECK_EQ(pipe(fds), 0);
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = getrandom_trap;
	sa.sa_flags = SA_SIGINFO | SA_NODEFER;
	sigemptyset(&sa.sa_mask);
	CHECK_EQ(ukmem_sigaction(SIGSYS, &sa, NULL), 0);
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) ||
	    prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog)) {
		KTEST_SKIP("seccomp is not available here");
		return;
	}
	/* Draw until the pool refills: that call forks inside the refill. */
	for (i = 0; i <= 32 && !refill_forked; i++)
		mine[0] = arch_random_u64();
	CHECK(refill_forked);
	for (i = 1; i < 6; i++)
		mine[i] = arch_random_u64();
	if (refill_pid == 0)
		_exit(write(fds[1], mine, sizeof(mine)) == sizeof(mine) ? 0 : 1);
	expect_words_apart(fds, refill_pid, mine, 6);
}

static void test_random_fork_in_refill(void)
{
	ktest_child_case(random_fork_in_refill, NULL);	/* a skip without seccomp */
}

/* ---- a notifier callback running in another thread at fork ---- */

static _Atomic int in_callback;

static int slow_purge_notify(struct notifier_block *nb, unsigned long action, void *data)
{
	(void)nb;
	(void)action;
	(void)data;
	in_callback = 1;
	while (!fork_started)
		sched_yield();
	ktest_sleep_ms(30);	/* the fork goes on meanwhile */
	return NOTIFY_OK;
}

static int quiet_notify(struct notifier_block *nb, unsigned long action, void *data)
{
	(void)nb;
	(void)action;
	(void)data;
	return NOTIFY_OK;
}

static unsigned long notify_lo;

/* A one-page area in a four-page sub-range: two fill it (guards between). */
static void *notify_page(void)
{
	return __vmalloc_node_range(PAGE_SIZE, 1, notify_lo, notify_lo + 4 * PAGE_SIZE,
				    GFP_KERNEL | __GFP_NOWARN, PAGE_KERNEL, 0, NUMA_NO_NODE,
				    __builtin_return_address(0));
}

/* Boot, and fill the four-page sub-range with two one-page areas (guards between). */
static void notify_range_full(void *held[2])
{
	boot_quiet("mem=256M");
	notify_lo = VMALLOC_START + (512UL << 20);
	held[0] = notify_page();
	held[1] = notify_page();
	CHECK(held[0] && held[1]);
}

static void *full_range_thread(void *arg)
{
	(void)arg;
	return notify_page();	/* NULL, after the callback */
}

static void notifier_at_fork(void *arg)
{
	struct notifier_block slow = { .notifier_call = slow_purge_notify };
	void *held[2];
	pthread_t tid;
	int status;
	pid_t pid;

	(void)arg;
	notify_range_full(held);
	CHECK_EQ(register_vmap_purge_notifier(&slow), 0);
	fork_register_step(&started_step);
	pthread_create(&tid, NULL, full_range_thread, NULL);
	while (!in_callback)
		sched_yield();
	pid = fork();
	if (pid == 0) {
		struct notifier_block nb = { .notifier_call = quiet_notify };
		int bad = 0;

		alarm(120);	/* hung, it must not outlive the case */
		/* The chain is usable: registration, and a call (the range is full). */
		bad |= (register_vmap_purge_notifier(&nb) != 0) << 0;
		bad |= (notify_page() != NULL) << 1;
		bad |= (unregister_vmap_purge_notifier(&nb) != 0) << 2;
		syscall(SYS_exit_group, bad);
	}
	CHECK(pid > 0);
	CHECK(waitpid(pid, &status, 0) == pid);
	CHECK(ktest_exited_with(status, 0));
	pthread_join(tid, NULL);
	CHECK_EQ(unregister_vmap_purge_notifier(&slow), 0);
	vfree(held[0]);
	vfree(held[1]);
}

static void test_notifier_callback_at_fork(void)
{
	CHECK(ktest_exited_with(ktest_child(notifier_at_fork, NULL), 0));
}

/* ---- a chain called under an allocator lock while a fork runs ---- */

/*
 * The OOM and vmap purge chains are called with allocator locks held
 * that fork() takes after the chains' step: the percpu allocator's mutex
 * while it populates a chunk, slab_mutex while a cache is made, and an
 * allocation there fails.  A fork that took a chain and then waited for
 * such a lock, while its holder waited for the chain, never ended.  Here
 * a thread holds slab_mutex and calls the vmap purge chain (a full
 * sub-range) once the fork is past the chains' step.
 */
static _Atomic int fork_past_chains, chain_caller_holds;

static void past_chains_lock(void)
{
	fork_past_chains = 1;
}

/* Between the chains (FORK_ORDER_NOTIFIER) and slab_mutex. */
static const struct fork_step past_chains_step = {
	.name = "test_past_chains", .order = FORK_ORDER_NOTIFIER + 1, .lock = past_chains_lock,
};

static void *chain_under_slab_mutex(void *arg)
{
	void *p;

	(void)arg;
	mutex_lock(&slab_mutex);
	chain_caller_holds = 1;
	while (!fork_past_chains)
		sched_yield();
	p = notify_page();	/* the range is full: the purge chain is called */
	mutex_unlock(&slab_mutex);
	return p;
}

static void chain_under_lock_at_fork(void *arg)
{
	struct notifier_block nb = { .notifier_call = quiet_notify };
	void *held[2], *got = (void *)1;
	pthread_t tid;
	int status;
	pid_t pid;

	(void)arg;
	notify_range_full(held);
	CHECK_EQ(register_vmap_purge_notifier(&nb), 0);
	fork_register_step(&past_chains_step);
	CHECK_EQ(pthread_create(&tid, NULL, chain_under_slab_mutex, NULL), 0);
	while (!chain_caller_holds)
		sched_yield();
	pid = fork();
	if (pid == 0) {
		int bad = unregister_vmap_purge_notifier(&nb) != 0;

		syscall(SYS_exit_group, bad);
	}
	CHECK(pid > 0);
	CHECK(waitpid(pid, &status, 0) == pid);
	CHECK(ktest_exited_with(status, 0));
	pthread_join(tid, &got);
	CHECK(got == NULL);
	CHECK_EQ(unregister_vmap_purge_notifier(&nb), 0);
	vfree(held[0]);
	vfree(held[1]);
}

static void test_chain_under_lock_at_fork(void)
{
	CHECK(ktest_exited_with(ktest_child(chain_under_lock_at_fork, NULL), 0));
}

#include "fork_newer_calls.h"

int main(void)
{
	KTEST_RUN(KTEST(test_fork_from_handler_interrupting_fork),
		  KTEST(test_fork_from_handler_interrupting_kmalloc),
		  KTEST(test_fork_from_handler_interrupting_kmalloc_locks),
		  KTEST(test_fork_from_plain_handler_interrupting_kmalloc), KTEST(test_fork_from_plain_handler_holding_lock),
		  KTEST(test_fork_from_handler_with_threads),
		  KTEST(test_failing_prepare),
		  KTEST(test_fork_with_threads),
		  KTEST(test_two_forks_at_once),
		  KTEST(test_fork_from_handler_interrupting_vmalloc),
		  KTEST(test_fork_from_handler_holding_vmap_area_lock),
		  KTEST(test_vmalloc_copy_fails),
		  KTEST(test_locks_held_at_fork),
		  KTEST(test_random_after_fork), KTEST(test_random_fork_in_refill),
		  KTEST(test_notifier_callback_at_fork), KTEST(test_chain_under_lock_at_fork),
		  KTEST(test_newer_calls_across_fork), KTEST(test_pools_across_fork));
}
