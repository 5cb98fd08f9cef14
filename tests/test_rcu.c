/* SPDX-License-Identifier: MIT */
/*
 * RCU (kernel/rcu.c, mm/slab_rcu.c): readers nest and are seen by grace
 * periods; synchronize_rcu() waits for a reader that was there before it
 * and not for later ones; call_rcu() and kfree_rcu() run after a grace
 * period, rcu_barrier() waits for all of them, from any thread and from a
 * signal handler; a kfree_rcu() object is not freed before a reader's
 * rcu_read_unlock(); a SLAB_TYPESAFE_BY_RCU slab goes back to the page
 * allocator only after a grace period; a fork child does not wait for the
 * parent's readers; an exiting thread gives its reader slot back.
 *
 * Every case runs in a child of its own (ktest_child) with its own boot;
 * the waits that show a grace period is being held up last 100 ms, and
 * the waits for progress have no deadline: the child reports progress and
 * the parent's hang detector judges it.
 */
#if defined(__SANITIZE_ADDRESS__)
#define TEST_UNDER_ASAN 1
#else
#define TEST_UNDER_ASAN 0
#endif
#include "slab_test.h"
#include <pthread.h>
#include <signal.h>

#include <linux/mm.h>
#include <linux/rcupdate.h>
#include <linux/rculist.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <ukmem/context.h>
#include "kernel/rcu.h"
#include "mm/slab.h"

/*
 * KFENCE off: the cases count a cache's active objects and look at their
 * slab pages, which a sampled object (on a page of the pool) would not
 * change; KFENCE's own RCU cases are in test_kfence.
 */
static void boot(const char *cmdline)
{
	char line[256];

	ukmem_set_console(stderr);
	snprintf(line, sizeof(line), "%s kfence.sample_interval=0", cmdline);
	if (ukmem_boot(line))
		_exit(3);
}

static unsigned long gp_ctr(void)
{
	return __atomic_load_n(&ukmem_rcu_gp_ctr, __ATOMIC_ACQUIRE);
}

/*
 * Waits for an event report no progress: if it never comes, the hang
 * detector (ktest_child) ends the case and names it.
 */
static void wait_flag(int *flag, int val)
{
	while (__atomic_load_n(flag, __ATOMIC_ACQUIRE) != val)
		ktest_sleep_ms(1);
}

/* Until a grace period later than @snap has started (it must wait for readers from before). */
static void wait_gp_after(unsigned long snap)
{
	while (gp_ctr() <= snap)
		ktest_sleep_ms(1);
}

/* ---- a reader thread that holds its section until told ---- */

struct reader {
	pthread_t thread;
	int in, release, out;
	unsigned long snap;		/* the counter when it entered */
	const volatile int *watch;	/* read while inside, if set */
	int seen;
};

static void *reader_fn(void *arg)
{
	struct reader *r = arg;

	rcu_read_lock();
	r->snap = gp_ctr();
	__atomic_store_n(&r->in, 1, __ATOMIC_RELEASE);
	while (!__atomic_load_n(&r->release, __ATOMIC_ACQUIRE)) {
		if (r->watch)
			__atomic_store_n(&r->seen, *r->watch, __ATOMIC_RELAXED);
		ktest_sleep_ms(1);
	}
	rcu_read_unlock();
	__atomic_store_n(&r->out, 1, __ATOMIC_RELEASE);
	return NULL;
}

static void reader_start(struct reader *r)
{
	pthread_create(&r->thread, NULL, reader_fn, r);
	wait_flag(&r->in, 1);
}

static void reader_stop(struct reader *r)
{
	__atomic_store_n(&r->release, 1, __ATOMIC_RELEASE);
	pthread_join(r->thread, NULL);
}

/* ---- cases ---- */

static void nesting_child(void *arg)
{
	boot("mem=64M");
	CHECK(!rcu_read_lock_held());
	rcu_read_lock();
	rcu_read_lock();
	CHECK(rcu_read_lock_held());
	rcu_read_unlock();
	CHECK(rcu_read_lock_held());
	rcu_read_unlock();
	CHECK(!rcu_read_lock_held());
	/* Quiescent: a grace period does not wait for this thread. */
	synchronize_rcu();
}

static void test_nesting(void)
{
	CHECK(ktest_exited_with(ktest_child(nesting_child, NULL), 0));
}

static int sync_done;

static void *sync_fn(void *arg)
{
	synchronize_rcu();
	__atomic_store_n(&sync_done, 1, __ATOMIC_RELEASE);
	return NULL;
}

static void gp_waits_child(void *arg)
{
	struct reader r = { 0 }, late = { 0 };
	pthread_t t;

	boot("mem=64M");
	reader_start(&r);
	pthread_create(&t, NULL, sync_fn, NULL);
	wait_gp_after(r.snap);
	/* A reader that starts now does not hold the grace period up. */
	reader_start(&late);
	ktest_sleep_ms(100);
	CHECK(!__atomic_load_n(&sync_done, __ATOMIC_ACQUIRE));
	reader_stop(&r);
	wait_flag(&sync_done, 1);
	pthread_join(t, NULL);
	reader_stop(&late);
}

static void test_gp_waits_for_old_readers_only(void)
{
	CHECK(ktest_exited_with(ktest_child(gp_waits_child, NULL), 0));
}

/* ---- kfree_rcu against a reader ---- */

struct robj {
	int magic;
	struct rcu_head rcu;
	char pad[40];
};
#define ROBJ_MAGIC	0x5eed

static unsigned long active_objs(const char *cache)
{
	struct slabinfo_line l;

	return slabinfo_get(cache, &l, NULL, 0) ? l.active_objs : ~0UL;
}

static struct robj *published;

static void kfree_rcu_child(void *arg)
{
	struct kmem_cache *s;
	struct reader r = { 0 };
	struct robj *p;
	unsigned long before, snap;

	boot("mem=64M");
	/* A debug cache: a free goes straight back to the slab, no per-CPU stack. */
	s = kmem_cache_create("rcu_robj", sizeof(struct robj), 0, SLAB_POISON, NULL);
	CHECK(s != NULL);
	p = kmem_cache_alloc(s, GFP_KERNEL);
	p->magic = ROBJ_MAGIC;
	rcu_assign_pointer(published, p);
	before = active_objs("rcu_robj");
	CHECK_EQ(before, 1);

	r.watch = &p->magic;
	reader_start(&r);
	snap = gp_ctr();
	/* The writer: unpublish, free after a grace period. */
	rcu_assign_pointer(published, NULL);
	kfree_rcu(p, rcu);
	wait_gp_after(snap);
	ktest_sleep_ms(100);
	/* The reader is inside: the object is still allocated and intact. */
	CHECK_EQ(active_objs("rcu_robj"), before);
	CHECK_EQ(__atomic_load_n(&r.seen, __ATOMIC_RELAXED), ROBJ_MAGIC);
	reader_stop(&r);
	rcu_barrier();
	CHECK_EQ(active_objs("rcu_robj"), before - 1);
	CHECK_EQ(rcu_pending_callbacks(), 0);
	kmem_cache_destroy(s);
}

static void test_kfree_rcu_waits_for_reader(void)
{
	CHECK(ktest_exited_with(ktest_child(kfree_rcu_child, NULL), 0));
}

/* ---- SLAB_TYPESAFE_BY_RCU ---- */

static void typesafe_child(void *arg)
{
	struct kmem_cache *s;
	enum { NR = 200 };
	void *objs[NR];
	struct slab *slab;
	struct page *page;
	unsigned long snap, slab_kb;
	int i;

	boot("mem=64M");
	s = kmem_cache_create("rcu_typesafe", 256, 0, SLAB_TYPESAFE_BY_RCU, NULL);
	CHECK(s != NULL);
	for (i = 0; i < NR; i++)
		objs[i] = kmem_cache_alloc(s, GFP_KERNEL);
	slab = virt_to_slab(objs[0]);
	page = slab_page(slab);

	/* This thread reads: the slabs emptied below must wait for it. */
	rcu_read_lock();
	snap = gp_ctr();
	for (i = 0; i < NR; i++)
		kmem_cache_free(s, objs[i]);
	kmem_cache_shrink(s);
	slab_kb = (unsigned long)meminfo_kb("Slab");
	/* The RCU thread starts a grace period for the slabs, and waits for us. */
	wait_gp_after(snap);
	ktest_sleep_ms(100);
	CHECK(PageSlab(page));
	CHECK(slab->slab_cache == s);
	CHECK_EQ((unsigned long)meminfo_kb("Slab"), slab_kb);
	/* Type-stable: the memory is still an object of the cache. */
	if (!TEST_ASAN)
		CHECK(virt_to_cache(objs[0]) == s);
	rcu_read_unlock();
	rcu_barrier();
	CHECK(!PageSlab(page));
	CHECK((unsigned long)meminfo_kb("Slab") < slab_kb);
	kmem_cache_destroy(s);
}

static void test_typesafe_slab_after_gp(void)
{
	CHECK(ktest_exited_with(ktest_child(typesafe_child, NULL), 0));
}

/* A TYPESAFE cache destroyed with slabs still waiting: destroy waits for them. */
static void typesafe_destroy_child(void *arg)
{
	struct kmem_cache *s;
	void *p[64];
	int i, round;

	boot("mem=64M");
	ukmem_dmesg_clear();
	for (round = 0; round < 20; round++) {
		s = kmem_cache_create("rcu_typesafe_d", 512, 0, SLAB_TYPESAFE_BY_RCU, NULL);
		for (i = 0; i < 64; i++)
			p[i] = kmem_cache_alloc(s, GFP_KERNEL);
		for (i = 0; i < 64; i++)
			kmem_cache_free(s, p[i]);
		kmem_cache_destroy(s);
		ktest_progress();
	}
	CHECK(strstr(log_text(), "still has objects") == NULL);
	CHECK_EQ(rcu_pending_callbacks(), 0);
}

static void test_typesafe_destroy(void)
{
	CHECK(ktest_exited_with(ktest_child(typesafe_destroy_child, NULL), 0));
}

/* ---- call_rcu from many threads, rcu_barrier ---- */

#define CB_THREADS	4
#define CB_PER_THREAD	20000

struct counted {
	struct rcu_head rcu;
	int *counter;
};

static void count_cb(struct rcu_head *head)
{
	struct counted *c = container_of(head, struct counted, rcu);

	__atomic_fetch_add(c->counter, 1, __ATOMIC_RELAXED);
	kfree(c);
}

static int cb_count;

static void *call_rcu_fn(void *arg)
{
	int i;

	for (i = 0; i < CB_PER_THREAD; i++) {
		struct counted *c = kmalloc(sizeof(*c), GFP_KERNEL);

		c->counter = &cb_count;
		call_rcu(&c->rcu, count_cb);
		if (!(i % 1000))
			ktest_progress();
	}
	return NULL;
}

static void call_rcu_child(void *arg)
{
	pthread_t t[CB_THREADS];
	int i;

	boot("mem=128M");
	for (i = 0; i < CB_THREADS; i++)
		pthread_create(&t[i], NULL, call_rcu_fn, NULL);
	for (i = 0; i < CB_THREADS; i++)
		pthread_join(t[i], NULL);
	rcu_barrier();
	CHECK_EQ(__atomic_load_n(&cb_count, __ATOMIC_RELAXED), CB_THREADS * CB_PER_THREAD);
	CHECK_EQ(rcu_pending_callbacks(), 0);
}

static void test_call_rcu_barrier(void)
{
	CHECK(ktest_exited_with(ktest_child(call_rcu_child, NULL), 0));
}

/* ---- every kfree_rcu form ---- */

struct vobj {
	struct rcu_head rcu;	/* in the first 4 KiB: a static assertion says so */
	char data[3 * 4096];
};

static void forms_child(void *arg)
{
	struct robj *a, *b, *c;
	struct vobj *v;
	void *w;
	unsigned long before;
	int i;

	boot("mem=128M");
	kmem_cache_create("rcu_forms", sizeof(struct robj), 0, SLAB_POISON, NULL);
	before = active_objs("rcu_forms");
	a = kmalloc(sizeof(*a), GFP_KERNEL);
	b = kmalloc(sizeof(*b), GFP_KERNEL);
	c = kmalloc(sizeof(*c), GFP_KERNEL);
	v = vmalloc(sizeof(*v));
	w = vmalloc(5 * 4096);
	CHECK(a && b && c && v && w);
	kfree_rcu(a, rcu);		/* two arguments */
	kfree_rcu(b);			/* one argument, the older form */
	kfree_rcu_mightsleep(c);
	kvfree_rcu(v, rcu);
	kvfree_rcu_mightsleep(w);
	kfree_rcu((struct robj *)NULL, rcu);	/* NULL is nothing */
	kfree_rcu_mightsleep(NULL);
	/* A full block of headless pointers, and then some. */
	for (i = 0; i < 1200; i++)
		kfree_rcu_mightsleep(kmalloc(64, GFP_KERNEL));
	kvfree_rcu_barrier();
	CHECK_EQ(rcu_pending_callbacks(), 0);
	CHECK_EQ(active_objs("rcu_forms"), before);
}

static void test_kfree_rcu_forms(void)
{
	CHECK(ktest_exited_with(ktest_child(forms_child, NULL), 0));
}

/* ---- signal handlers ---- */

static struct counted sig_heads[2000];
static int sig_count, sig_raised;

static void static_cb(struct rcu_head *head)
{
	struct counted *c = container_of(head, struct counted, rcu);

	__atomic_fetch_add(c->counter, 1, __ATOMIC_RELAXED);
}

static void sig_handler_real(int sig)
{
	int i = __atomic_fetch_add(&sig_raised, 1, __ATOMIC_RELAXED);

	rcu_read_lock();
	if (i < (int)ARRAY_SIZE(sig_heads)) {
		sig_heads[i].counter = &sig_count;
		call_rcu(&sig_heads[i].rcu, static_cb);
	}
	rcu_read_unlock();
}

static void signal_child(void *arg)
{
	struct sigaction sa;
	int i;

	boot("mem=64M");
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = sig_handler_real;
	ukmem_sigaction(SIGUSR1, &sa, NULL);
	/* The handler's sections nest in the interrupted ones and balance. */
	for (i = 0; i < (int)ARRAY_SIZE(sig_heads); i++) {
		rcu_read_lock();
		raise(SIGUSR1);
		rcu_read_unlock();
		if (!(i % 100))
			ktest_progress();
	}
	CHECK(!rcu_read_lock_held());
	rcu_barrier();
	CHECK_EQ(__atomic_load_n(&sig_count, __ATOMIC_RELAXED), (int)ARRAY_SIZE(sig_heads));
	synchronize_rcu();
}

static void test_signal_handlers(void)
{
	CHECK(ktest_exited_with(ktest_child(signal_child, NULL), 0));
}

/* ---- fork ---- */

static int fork_cb_ran;

static void fork_cb(struct rcu_head *head)
{
	__atomic_fetch_add(&fork_cb_ran, 1, __ATOMIC_RELAXED);
	kfree(head);
}

/*
 * A thread of the parent is inside a section when it forks: the child's
 * grace periods must not wait for it (the thread does not exist there),
 * and a callback queued before the fork still runs in the child.
 */
static void fork_child(void *arg)
{
	bool hooks = arg != NULL;
	struct reader r = { 0 };
	pid_t pid;
	int status;

	boot("mem=64M");
	if (hooks)
		ukmem_install_atfork();
	reader_start(&r);
	call_rcu(kmalloc(sizeof(struct rcu_head), GFP_KERNEL), fork_cb);
	pid = fork();
	if (pid == 0) {
		ktest_failures = 0;
		synchronize_rcu();
		rcu_barrier();
		CHECK(__atomic_load_n(&fork_cb_ran, __ATOMIC_RELAXED) >= 1);
		call_rcu(kmalloc(sizeof(struct rcu_head), GFP_KERNEL), fork_cb);
		rcu_barrier();
		CHECK(__atomic_load_n(&fork_cb_ran, __ATOMIC_RELAXED) >= 2);
		_exit(ktest_failures ? 1 : 0);
	}
	while (waitpid(pid, &status, WNOHANG) == 0)
		ktest_sleep_ms(1);
	CHECK(ktest_exited_with(status, 0));
	reader_stop(&r);
	rcu_barrier();
	CHECK(__atomic_load_n(&fork_cb_ran, __ATOMIC_RELAXED) >= 1);
}

/*
 * Under ASan the forked child's RCU thread may block for ever: the child
 * inherits ASan's allocator lock held by a parent thread that was inside
 * malloc at fork() (its runtime takes no lock at fork).  No hook of ours
 * can release it.
 */
static bool fork_unsafe_runtime(void)
{
	if (!TEST_UNDER_ASAN)
		return false;
	KTEST_SKIP("AddressSanitizer's allocator may be inherited locked by a fork child");
	return true;
}

static void test_fork_with_hooks(void)
{
	if (fork_unsafe_runtime())
		return;
	CHECK(ktest_exited_with(ktest_child(fork_child, (void *)1), 0));
}

static void test_fork_without_hooks(void)
{
	if (fork_unsafe_runtime())
		return;
	CHECK(ktest_exited_with(ktest_child(fork_child, NULL), 0));
}

/* ---- thread exit, and a writer inside a section ---- */

static void *short_reader(void *arg)
{
	rcu_read_lock();
	rcu_read_unlock();
	return NULL;
}

static void exit_child(void *arg)
{
	pthread_t t;
	int i;

	boot("mem=64M");
	/* More threads than the static slots: exits give slots back. */
	for (i = 0; i < 600; i++) {
		pthread_create(&t, NULL, short_reader, NULL);
		pthread_join(t, NULL);
		if (!(i % 50)) {
			synchronize_rcu();
			ktest_progress();
		}
	}
	synchronize_rcu();
	/* synchronize_rcu() inside a section: reported, and it does not wait for itself. */
	ukmem_set_console(fopen("/dev/null", "w"));
	ukmem_dmesg_clear();
	rcu_read_lock();
	synchronize_rcu();
	rcu_read_unlock();
	CHECK_STR_CONTAINS(log_text(), "synchronize_rcu() inside an RCU read-side critical section");
}

static void test_thread_exit_and_misuse(void)
{
	CHECK(ktest_exited_with(ktest_child(exit_child, NULL), 0));
}

/* ---- an RCU list, readers against a writer ---- */

struct item {
	struct list_head list;
	int value;
	struct rcu_head rcu;
};

static LIST_HEAD(items);
static DEFINE_SPINLOCK(items_lock);
static int list_stop;

static void *list_reader(void *arg)
{
	long bad = 0;

	while (!__atomic_load_n(&list_stop, __ATOMIC_ACQUIRE)) {
		struct item *it;

		rcu_read_lock();
		list_for_each_entry_rcu(it, &items, list)
			bad += it->value != 42;
		rcu_read_unlock();
	}
	return (void *)bad;
}

static void list_child(void *arg)
{
	pthread_t t[2];
	void *bad;
	int i;

	boot("mem=64M");
	for (i = 0; i < 2; i++)
		pthread_create(&t[i], NULL, list_reader, NULL);
	for (i = 0; i < 20000; i++) {
		struct item *it = kmalloc(sizeof(*it), GFP_KERNEL);

		it->value = 42;
		spin_lock(&items_lock);
		list_add_rcu(&it->list, &items);
		if (i % 3 == 2) {
			struct item *victim = list_last_entry(&items, struct item, list);

			list_del_rcu(&victim->list);
			spin_unlock(&items_lock);
			kfree_rcu(victim, rcu);
		} else {
			spin_unlock(&items_lock);
		}
		if (!(i % 1000))
			ktest_progress();
	}
	__atomic_store_n(&list_stop, 1, __ATOMIC_RELEASE);
	for (i = 0; i < 2; i++) {
		pthread_join(t[i], &bad);
		CHECK_EQ((long)bad, 0);
	}
	rcu_barrier();
}

static void test_rcu_list(void)
{
	CHECK(ktest_exited_with(ktest_child(list_child, NULL), 0));
}

int main(void)
{
	KTEST_RUN(KTEST(test_nesting), KTEST(test_gp_waits_for_old_readers_only),
		  KTEST(test_kfree_rcu_waits_for_reader), KTEST(test_typesafe_slab_after_gp),
		  KTEST(test_typesafe_destroy), KTEST(test_call_rcu_barrier),
		  KTEST(test_kfree_rcu_forms), KTEST(test_signal_handlers),
		  KTEST(test_fork_with_hooks), KTEST(test_fork_without_hooks),
		  KTEST(test_thread_exit_and_misuse), KTEST(test_rcu_list));
}
