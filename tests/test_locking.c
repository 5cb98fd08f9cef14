/* SPDX-License-Identifier: MIT */
/*
 * Locks (kernel/locking.c, include/linux/mutex.h, kernel/locking.h):
 *  - struct mutex with the kernel's API, and many threads counting under
 *    one;
 *  - a waiter sleeps: a thread blocked in mutex_lock(), and one blocked on
 *    slab_mutex in kmem_cache_create() while another holds it across a
 *    slow section, is asleep in the host kernel (state S), not spinning;
 *  - mutex_lock() in atomic context is reported (might_sleep);
 *  - the lock order checker (lockdep.prove_locking=1): locks taken in rank
 *    order are quiet, out of order or recursively give the kernel's report
 *    once; and the library's own paths (slab, kmalloc, pages, vmalloc,
 *    mempool, percpu, reports, fork) never break the documented order;
 *  - pthread_cancel() of a thread printing or writing a report leaves no
 *    lock held.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/gfp.h>
#include <linux/mempool.h>
#include <linux/mm.h>
#include <linux/mutex.h>
#include <linux/percpu.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/vmalloc.h>
#include <ukmem/boot.h>
#include <ukmem/context.h>
#include <ukmem/report.h>
#include "kernel/fork.h"
#include "kernel/locking.h"
#include "mm/slab.h"
#include "ktest.h"
#include "slab_test.h"

static char logbuf[1 << 17];

static const char *dmesg_now(void)
{
	ukmem_dmesg(logbuf, sizeof(logbuf));
	return logbuf;
}

/* ---- the API ---- */

static DEFINE_MUTEX(static_mutex);

static void test_mutex_api(void)
{
	struct mutex m;

	mutex_init(&m);
	CHECK(!mutex_is_locked(&m));
	mutex_lock(&m);
	CHECK(mutex_is_locked(&m));
	CHECK_EQ(mutex_trylock(&m), 0);
	mutex_unlock(&m);
	CHECK(!mutex_is_locked(&m));
	CHECK_EQ(mutex_trylock(&m), 1);
	mutex_unlock(&m);
	CHECK_EQ(mutex_lock_interruptible(&m), 0);
	mutex_unlock(&m);
	CHECK_EQ(mutex_lock_killable(&m), 0);
	mutex_unlock(&m);
	mutex_destroy(&m);

	CHECK(!mutex_is_locked(&static_mutex));
	mutex_lock(&static_mutex);
	CHECK(mutex_is_locked(&static_mutex));
	mutex_unlock(&static_mutex);
}

#define COUNTERS	4
#define ROUNDS		20000

static struct mutex count_mutex;
static unsigned long counted;

static void *counter(void *arg)
{
	int i;

	(void)arg;
	for (i = 0; i < ROUNDS; i++) {
		mutex_lock(&count_mutex);
		counted++;
		if (i % 1000 == 0)
			sched_yield();		/* a holder that gets preempted */
		mutex_unlock(&count_mutex);
	}
	return NULL;
}

static void test_mutex_counts(void)
{
	pthread_t tid[COUNTERS];
	int i;

	mutex_init(&count_mutex);
	for (i = 0; i < COUNTERS; i++)
		pthread_create(&tid[i], NULL, counter, NULL);
	for (i = 0; i < COUNTERS; i++)
		pthread_join(tid[i], NULL);
	CHECK_EQ(counted, COUNTERS * ROUNDS);
	CHECK(!mutex_is_locked(&count_mutex));
}

/* ---- waiters sleep ---- */

/* The host's view of a thread: 'S' asleep, 'R' running or runnable. */
static char thread_state(int tid)
{
	char path[64], buf[256], *p;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/self/task/%d/stat", tid);
	f = fopen(path, "r");
	if (!f)
		return '?';
	p = fgets(buf, sizeof(buf), f);
	fclose(f);
	p = p ? strrchr(buf, ')') : NULL;
	return p && p[1] == ' ' ? p[2] : '?';
}

struct waiter {
	struct mutex *m;	/* NULL: @fn waits for it */
	void (*fn)(struct waiter *w);
	_Atomic int tid, started, done;	/* written by the waiter, polled by the test */
	struct kmem_cache *made;
	void *vm;
};

static void *waiter_main(void *arg)
{
	struct waiter *w = arg;

	w->tid = (int)syscall(SYS_gettid);
	w->started = 1;
	if (w->m) {
		mutex_lock(w->m);
		mutex_unlock(w->m);
	} else {
		w->fn(w);
	}
	w->done = 1;
	return NULL;
}

/* kmem_cache_create(), which takes slab_mutex. */
static void create_cache(struct waiter *w)
{
	w->made = kmem_cache_create("tlock_waiter", 72, 0, SLAB_NO_MERGE, NULL);
}

/* vmalloc's first use, which takes vmalloc_setup_lock. */
static void first_vmalloc(struct waiter *w)
{
	w->vm = vmalloc(PAGE_SIZE);
}

/*
 * With @m held, a second thread waits for it: once it has had time to get
 * there (progress, not a deadline: it must show up asleep, 'S', in a row of
 * samples), it must stay asleep while the lock is held.
 */
static int sleeps_while_waiting(struct mutex *m, struct waiter *w, void (*fn)(struct waiter *w))
{
	pthread_t tid;
	int asleep = 0, samples;

	memset(w, 0, sizeof(*w));
	w->m = fn ? NULL : m;
	w->fn = fn;
	mutex_lock(m);
	pthread_create(&tid, NULL, waiter_main, w);
	while (!w->started)
		sched_yield();
	/* Up to 20000 samples for it to be seen asleep 50 times in a row. */
	for (samples = 0; samples < 20000 && asleep < 50 && !w->done; samples++) {
		if (thread_state(w->tid) == 'S')
			asleep++;
		else
			asleep = 0;
		sched_yield();
	}
	mutex_unlock(m);
	pthread_join(tid, NULL);
	return asleep >= 50;
}

static void test_waiter_sleeps(void)
{
	struct waiter w;
	struct mutex m;

	mutex_init(&m);
	CHECK(sleeps_while_waiting(&m, &w, NULL));
	CHECK(w.done);
}

/* Cache creation behind a slow holder of slab_mutex: the waiter sleeps. */
static void test_slab_mutex_sleeps(void)
{
	struct waiter w;

	CHECK(sleeps_while_waiting(&slab_mutex, &w, create_cache));
	CHECK(w.done);
	CHECK(w.made != NULL);
	kmem_cache_destroy(w.made);
}

/*
 * vmalloc's first use (it creates the area cache) behind a slow holder of
 * its setup lock: the waiter sleeps (it used to spin: a spinlock held
 * across cache creation).  In a child: the first vmalloc of the process.
 */
static void vmalloc_setup_sleeps(void *arg)
{
	const struct fork_step *st = fork_step_find("vmalloc_setup");
	struct waiter w;

	(void)arg;
	CHECK(st != NULL && st->mutex != NULL);
	if (!st || !st->mutex)
		return;
	CHECK(sleeps_while_waiting(st->mutex, &w, first_vmalloc));
	CHECK(w.done);
	CHECK(w.vm != NULL);
	vfree(w.vm);
}

static void test_vmalloc_setup_sleeps(void)
{
	CHECK(ktest_exited_with(ktest_child(vmalloc_setup_sleeps, NULL), 0));
}

/* ---- might_sleep ---- */

static void test_mutex_in_atomic_reported(void)
{
	unsigned long before = ukmem_atomic_sleep_reports();
	DEFINE_SPINLOCK(lock);
	struct mutex m;

	mutex_init(&m);
	spin_lock(&lock);
	mutex_lock(&m);		/* may sleep, under a spinlock */
	mutex_unlock(&m);
	spin_unlock(&lock);
	CHECK_EQ(ukmem_atomic_sleep_reports(), before + 1);
	CHECK_EQ(mutex_trylock(&m), 1);	/* never sleeps: no report */
	mutex_unlock(&m);
	CHECK_EQ(ukmem_atomic_sleep_reports(), before + 1);
}

/* ---- a lock this thread holds already (a program's own signal handler) ---- */

static DEFINE_SPINLOCK(nested_lock);
static int nested_result = -1;

/* A handler installed with plain sigaction(): not interrupt context to ukmem. */
static void take_or_try_in_handler(int sig)
{
	(void)sig;
	nested_result = spin_lock_or_try(&nested_lock);
	if (nested_result)
		spin_unlock(&nested_lock);
}

/*
 * spin_lock_or_try() (the zone, node and barn locks) only tries a lock
 * this thread holds: the handler gets false at once instead of spinning
 * for ever on the lock the code it interrupted holds.  The lock's word
 * names its holder; raw arch_spin_lock() users are not mistaken for it.
 */
static void lock_held_by_this_thread(void *unused)
{
	struct sigaction sa = { .sa_handler = take_or_try_in_handler }, old;

	CHECK_EQ(sigaction(SIGUSR1, &sa, &old), 0);
	spin_lock(&nested_lock);
	CHECK(spin_held_by_current(&nested_lock));
	raise(SIGUSR1);
	CHECK_EQ(nested_result, 0);
	spin_unlock(&nested_lock);
	CHECK(!spin_held_by_current(&nested_lock));
	/* Free: the handler takes it. */
	raise(SIGUSR1);
	CHECK_EQ(nested_result, 1);
	/* Held raw (value 1), or by another thread: not this thread's. */
	arch_spin_lock(&nested_lock);
	CHECK(!spin_held_by_current(&nested_lock));
	arch_spin_unlock(&nested_lock);
	CHECK_EQ(sigaction(SIGUSR1, &old, NULL), 0);
	(void)unused;
}

/* In a child: a handler that waited would hang (found by ktest_child). */
static void test_lock_held_by_this_thread(void)
{
#if defined(__SANITIZE_THREAD__)
	KTEST_SKIP("ThreadSanitizer defers a signal raised inside the section");
	return;
#endif
	ktest_child_case(lock_held_by_this_thread, NULL);
}

/*
 * In a crash child: this thread takes a lock, then a handler of the
 * program's (plain sigaction) takes it again.  A hang instead of the
 * report ends in SIGALRM, not SIGABRT: a failure.
 */
static void handler_retakes(void (*take)(void), void (*handler)(int))
{
	struct sigaction sa = { .sa_handler = handler };

	alarm((unsigned int)ktest_hang_seconds());
	ukmem_set_console(stderr);
	sigaction(SIGUSR1, &sa, NULL);
	take();
	raise(SIGUSR1);
}

/* The crash case, in a child; not under TSan, which defers the raised signal. */
static void run_handler_crash_case(const struct crash_case *c)
{
	const char *name = ktest_current;

#if defined(__SANITIZE_THREAD__)
	KTEST_SKIP("ThreadSanitizer defers a signal raised inside the section");
	return;
#endif
	run_crash_case(c);
	ktest_current = name;
}

static void take_spin(void)
{
	spin_lock(&nested_lock);
}

static void take_spin_in_handler(int sig)
{
	(void)sig;
	take_spin();
}

static void spin_recursion_child(void)
{
	handler_retakes(take_spin, take_spin_in_handler);
}

/* Any other spinlock reports the recursion and panics: a report and SIGABRT, not a hang. */
static void test_spin_recursion_reported(void)
{
	static const struct crash_case c = {
		"spin_recursion", spin_recursion_child,
		{ "BUG: spinlock recursion on CPU#", " lock: nested_lock+0x0/0x",
		  "spin_recursion_child+", "Kernel panic - not syncing: spinlock recursion" },
	};

	run_handler_crash_case(&c);
}

static DEFINE_MUTEX(nested_mutex);

static void take_mutex(void)
{
	mutex_lock(&nested_mutex);
}

static void take_mutex_in_handler(int sig)
{
	(void)sig;
	take_mutex();
}

static void mutex_recursion_child(void)
{
	handler_retakes(take_mutex, take_mutex_in_handler);
}

/* A mutex too: the sleep that would never end is reported, then a panic. */
static void test_mutex_recursion_reported(void)
{
	static const struct crash_case c = {
		"mutex_recursion", mutex_recursion_child,
		{ "WARNING: possible recursive locking detected",
		  "is trying to acquire lock:", "(nested_mutex+0x0/0x",
		  "Kernel panic - not syncing: mutex recursion" },
	};

	run_handler_crash_case(&c);
}

/* ---- the order checker ---- */

static void test_lock_order_report(void)
{
	DEFINE_SPINLOCK_RANKED(outer, LOCK_RANK_SLAB_LIST);
	DEFINE_SPINLOCK_RANKED(inner, LOCK_RANK_ZONE);
	DEFINE_MUTEX_RANKED(sleeping, LOCK_RANK_SLAB_MUTEX);
	DEFINE_SPINLOCK(unranked);
	unsigned long before = lockdep_reports();

	CHECK(ukmem_lockdep);
	lockdep_rearm();
	ukmem_dmesg_clear();

	/* In order, and unranked locks anywhere: quiet. */
	mutex_lock(&sleeping);
	spin_lock(&outer);
	spin_lock(&unranked);
	spin_lock(&inner);
	spin_unlock(&inner);
	spin_unlock(&unranked);
	spin_unlock(&outer);
	mutex_unlock(&sleeping);
	CHECK_EQ(lockdep_reports(), before);

	/* A trylock never waits: no report either way round. */
	spin_lock(&inner);
	CHECK(spin_trylock(&outer));
	spin_unlock(&outer);
	spin_unlock(&inner);
	CHECK_EQ(lockdep_reports(), before);

	/* Out of order: the report, once. */
	spin_lock(&inner);
	spin_lock(&outer);
	spin_unlock(&outer);
	spin_unlock(&inner);
	CHECK_EQ(lockdep_reports(), before + 1);
	CHECK_STR_CONTAINS(dmesg_now(), "WARNING: possible circular locking dependency detected");
	CHECK_STR_CONTAINS(dmesg_now(), "is trying to acquire lock:");
	CHECK_STR_CONTAINS(dmesg_now(), "(&n->list_lock){rank");
	CHECK_STR_CONTAINS(dmesg_now(), "but task is already holding lock:");
	CHECK_STR_CONTAINS(dmesg_now(), "(&zone->lock){rank");
	CHECK_STR_CONTAINS(dmesg_now(), "stack backtrace:");

	/* Counted again, printed no more. */
	ukmem_dmesg_clear();
	spin_lock(&inner);
	mutex_lock(&sleeping);		/* a mutex under a spinlock: both checks */
	mutex_unlock(&sleeping);
	spin_unlock(&inner);
	CHECK_EQ(lockdep_reports(), before + 2);
	CHECK(!strstr(dmesg_now(), "possible circular locking"));

	/* Waiting for a lock this thread holds (told before the wait would start). */
	lockdep_rearm();
	spin_lock(&outer);
	ukmem_lock_acquire(&outer, outer.rank, false);
	ukmem_lock_release(&outer);
	spin_unlock(&outer);
	CHECK_EQ(lockdep_reports(), before + 3);
	CHECK_STR_CONTAINS(dmesg_now(), "WARNING: possible recursive locking detected");
	lockdep_rearm();
}

/* The library's own paths keep the documented order. */
static void *library_paths(void *arg)
{
	struct kmem_cache *s = kmem_cache_create("tlock_paths", 96, 0, SLAB_NO_MERGE, NULL);
	mempool_t *pool = mempool_create_kmalloc_pool(4, 128);
	int i;

	(void)arg;
	for (i = 0; i < 2000; i++) {
		void *p = kmalloc(16 << (i % 9), GFP_KERNEL);
		void *q = kmem_cache_alloc(s, GFP_KERNEL);
		struct page *page = alloc_pages(GFP_KERNEL, (unsigned int)(i % 4));
		void *e = mempool_alloc(pool, GFP_KERNEL);
		int __percpu *pc = alloc_percpu(int);

		mempool_free(e, pool);
		free_percpu(pc);
		if (page)
			__free_pages(page, (unsigned int)(i % 4));
		kmem_cache_free(s, q);
		kfree(p);
		if (i % 500 == 0) {
			void *v = vmalloc(3 * PAGE_SIZE + i);

			vfree(v);
			kmem_cache_shrink(s);
		}
	}
	mempool_destroy(pool);
	kmem_cache_destroy(s);
	return NULL;
}

static void test_library_order(void)
{
	unsigned long before = lockdep_reports();
	pthread_t tid[2];
	FILE *out = fopen("/dev/null", "w");
	int i, status;
	pid_t pid;

	for (i = 0; i < 2; i++)
		pthread_create(&tid[i], NULL, library_paths, NULL);
	ukmem_show("slabinfo", out);
	ukmem_show("meminfo", out);
	ukmem_show("vmallocinfo", out);
	pid = fork();		/* every lock, with threads inside the allocator */
	if (pid == 0)
		_exit(lockdep_reports() == before ? 0 : 1);
	waitpid(pid, &status, 0);
	CHECK(ktest_exited_with(status, 0));
	for (i = 0; i < 2; i++)
		pthread_join(tid[i], NULL);
	fclose(out);
	CHECK_EQ(lockdep_reports(), before);
}

/*
 * pthread_cancel() of a thread that is printing: the console's write(2) is
 * a cancellation point, and a thread cancelled there held the log buffer's
 * lock for ever (every later printk, WARN and report spun on it).
 */
static void *printing_thread(void *arg)
{
	(void)arg;
	for (;;) {
		printk(KERN_ERR "a line from a thread about to be cancelled\n");
		pthread_testcancel();	/* where the program's own loop would be cancelled */
	}
	return NULL;
}

static void cancel_while_printing(void *arg)
{
	char log[4096];

	(void)arg;
	for (int round = 0; round < 20; round++) {
		pthread_t t;

		CHECK_EQ(pthread_create(&t, NULL, printing_thread, NULL), 0);
		usleep(2000);
		CHECK_EQ(pthread_cancel(t), 0);
		CHECK_EQ(pthread_join(t, NULL), 0);
		ukmem_dmesg_clear();
		printk(KERN_ERR "round %d printed\n", round);	/* hung here */
		ukmem_dmesg(log, sizeof(log));
		CHECK(strstr(log, "printed") != NULL);
		ktest_progress();
	}
}

static void test_cancel_while_printing(void)
{
	CHECK(ktest_exited_with(ktest_child(cancel_while_printing, NULL), 0));
}

/*
 * pthread_cancel() of a thread writing a report into a pipe nobody reads
 * yet: the write blocks with the report's lock held (dmesg_lock here),
 * and a cancel acting inside it left that lock held for every later
 * reader.  The cancel must act after ukmem_show() returns.
 */
static void *dmesg_reader(void *arg)
{
	ukmem_show("dmesg", arg);
	pthread_testcancel();
	return NULL;
}

static void cancel_while_reading(void *arg)
{
	char line[128], sink[4096];
	int fds[2], queued = 0;
	FILE *out, *devnull = fopen("/dev/null", "w");
	pthread_t t;
	void *ret = NULL;

	(void)arg;
	memset(line, 'x', 100);
	line[100] = '\0';
	for (int i = 0; i < 400; i++)	/* about 40 KB of log: ten times the pipe */
		printk(KERN_ERR "%s %d\n", line, i);
	CHECK_EQ(pipe(fds), 0);
	fcntl(fds[1], F_SETPIPE_SZ, 4096);
	out = fdopen(fds[1], "w");
	CHECK(out != NULL);
	setvbuf(out, NULL, _IONBF, 0);	/* nothing left to flush into the pipe at exit */
	CHECK_EQ(pthread_create(&t, NULL, dmesg_reader, out), 0);
	/* Cancel only once the pipe is full: the reader is blocked in write(2). */
	while (queued < 4096) {
		usleep(1000);
		ioctl(fds[0], FIONREAD, &queued);
	}
	usleep(10000);
	CHECK_EQ(pthread_cancel(t), 0);
	fcntl(fds[0], F_SETFL, O_NONBLOCK);
	/* Drain until the reader is gone; it finishes the report first. */
	while (pthread_tryjoin_np(t, &ret) == EBUSY) {
		if (read(fds[0], sink, sizeof(sink)) <= 0)
			usleep(1000);
	}
	CHECK(ret == PTHREAD_CANCELED);
	CHECK_EQ(ukmem_show("dmesg", devnull), 0);	/* hung here */
	CHECK_EQ(ukmem_show("slabinfo", devnull), 0);
	fclose(devnull);
	fclose(out);
	close(fds[0]);
}

static void test_cancel_while_reading(void)
{
	CHECK(ktest_exited_with(ktest_child(cancel_while_reading, NULL), 0));
}

int main(void)
{
	ukmem_set_console(fopen("/dev/null", "w"));
	if (ukmem_boot("mem=256M lockdep.prove_locking=1")) {
		fprintf(stderr, "boot failed\n");
		return 1;
	}
	KTEST_RUN(KTEST(test_mutex_api), KTEST(test_mutex_counts), KTEST(test_waiter_sleeps),
		  KTEST(test_slab_mutex_sleeps), KTEST(test_vmalloc_setup_sleeps),
		  KTEST(test_mutex_in_atomic_reported), KTEST(test_lock_held_by_this_thread),
		  KTEST(test_spin_recursion_reported), KTEST(test_mutex_recursion_reported),
		  KTEST(test_lock_order_report), KTEST(test_library_order),
		  KTEST(test_cancel_while_printing), KTEST(test_cancel_while_reading));
}
