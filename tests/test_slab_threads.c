/* SPDX-License-Identifier: MIT */
/*
 * Slab allocations from many threads at once (unit size), with more threads
 * than this machine has CPUs, each verifying the content of every object
 * before it is freed:
 *  - the mixed script of tests/slab_stress.h (kmalloc, two caches, frees
 *    on other threads, shrinks racing with the fast paths);
 *  - producers and consumers: every object freed by another thread;
 *  - threads hopping between CPUs (sched_setaffinity) in the middle of
 *    alloc/free pairs, to exercise migration;
 *  - GFP_ATOMIC allocations and frees in a signal handler (ukmem's
 *    interrupt context) that interrupts the slab paths of its own thread;
 *  - fork() while other threads are inside the slab paths: the child
 *    allocates and frees with every lock free;
 *  - ukmem_slab_validate_all() while other threads allocate: no report;
 * once with the per-CPU caches run by restartable sequences (where the
 * host allows) and once, in a child, with per-CPU locks (slab_rseq=0).
 * Afterwards every object is accounted for: the caches' slabinfo lines
 * show no active objects and meminfo's Slab is back where it was.
 */
#include "slab_test.h"
#include <sched.h>
#include <sys/time.h>

#include <ukmem/context.h>
#include <ukmem/slab_debug.h>

#include "slab_stress.h"

static struct slab_stress_run run;

static unsigned int nr_threads(void)
{
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);

	return (unsigned int)(cpus * 4 > 8 ? (cpus * 4 > 32 ? 32 : cpus * 4) : 8);
}

/* Active objects of every kmalloc cache, after emptying the per-CPU caches. */
static unsigned long kmalloc_active(void)
{
	char *text = report_text("slabinfo"), *line, *save = NULL;
	unsigned long sum = 0;

	kmem_cache_shrink_all();
	free(text);
	text = report_text("slabinfo");
	for (line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char name[64];
		unsigned long active;

		if (sscanf(line, "%63s %lu", name, &active) == 2 && strstr(name, "kmalloc-"))
			sum += active;
	}
	free(text);
	return sum;
}

static void test_mixed_script(void)
{
	unsigned long km0, km1;
	long slab0;
	struct slabinfo_line l;

	run.plain = kmem_cache_create("tslab_st_plain", 100, 0, SLAB_NO_MERGE, NULL);
	run.ctor = kmem_cache_create("tslab_st_ctor", 64, 0, 0, slab_stress_ctor);
	CHECK(run.plain && run.ctor);
	km0 = kmalloc_active();
	slab0 = meminfo_kb("Slab");
	CHECK_EQ(run_slab_stress(&run, nr_threads(), 50000, 1), 0);
	km1 = kmalloc_active();
	CHECK_EQ(km1, km0);
	CHECK(slabinfo_get("tslab_st_plain", &l, NULL, 0));
	CHECK_EQ(l.active_objs, 0);
	CHECK_EQ(l.num_slabs, 0);
	CHECK(slabinfo_get("tslab_st_ctor", &l, NULL, 0));
	CHECK_EQ(l.active_objs, 0);
	CHECK_EQ(meminfo_kb("Slab"), slab0);
	kmem_cache_destroy(run.plain);
	kmem_cache_destroy(run.ctor);
}

/* ---- producers and consumers ---- */

#define PC_RING		1024
#define PC_OBJECTS	100000

struct pc_ring {
	pthread_mutex_t lock;
	pthread_cond_t cond;
	void *slot[PC_RING];
	unsigned int head, tail;
	bool done;
};

static struct pc_ring rings[16];
static struct kmem_cache *pc_cache;
static unsigned long pc_bad[16];

static void pc_fill(unsigned long *p, unsigned long seq)
{
	int i;

	for (i = 0; i < 16; i++)
		p[i] = seq * 31 + (unsigned long)i;
}

static void *producer(void *arg)
{
	struct pc_ring *r = arg;
	unsigned long seq;

	for (seq = 0; seq < PC_OBJECTS; seq++) {
		unsigned long *p = (seq & 1) ? kmem_cache_alloc(pc_cache, GFP_KERNEL)
					     : kmalloc(128, GFP_KERNEL);

		if (!p)
			continue;
		pc_fill(p, seq);
		p[15] = seq & 1;	/* which allocator */
		pthread_mutex_lock(&r->lock);
		while (r->head - r->tail == PC_RING)
			pthread_cond_wait(&r->cond, &r->lock);
		r->slot[r->head++ % PC_RING] = p;
		pthread_cond_broadcast(&r->cond);
		pthread_mutex_unlock(&r->lock);
	}
	pthread_mutex_lock(&r->lock);
	r->done = true;
	pthread_cond_broadcast(&r->cond);
	pthread_mutex_unlock(&r->lock);
	return NULL;
}

static void *consumer(void *arg)
{
	struct pc_ring *r = arg;
	unsigned long *bad = &pc_bad[r - rings];

	for (;;) {
		unsigned long *p;
		unsigned long seq;
		int i;

		pthread_mutex_lock(&r->lock);
		while (r->head == r->tail && !r->done)
			pthread_cond_wait(&r->cond, &r->lock);
		if (r->head == r->tail) {
			pthread_mutex_unlock(&r->lock);
			break;
		}
		p = r->slot[r->tail++ % PC_RING];
		pthread_cond_broadcast(&r->cond);
		pthread_mutex_unlock(&r->lock);
		seq = p[0] / 31;
		for (i = 0; i < 15; i++)
			*bad += p[i] != seq * 31 + (unsigned long)i;
		if (p[15])
			kmem_cache_free(pc_cache, p);
		else
			kfree(p);
	}
	return NULL;
}

static void test_producer_consumer(void)
{
	unsigned int pairs = nr_threads() / 2, i;
	pthread_t prod[16], cons[16];
	struct slabinfo_line l;
	unsigned long km0;

	/* (Its name is a kmalloc object: count after creating it.) */
	pc_cache = kmem_cache_create("tslab_pc", 128, 0, SLAB_NO_MERGE, NULL);
	km0 = kmalloc_active();
	for (i = 0; i < pairs; i++) {
		memset(&rings[i], 0, sizeof(rings[i]));
		pthread_mutex_init(&rings[i].lock, NULL);
		pthread_cond_init(&rings[i].cond, NULL);
		pc_bad[i] = 0;
		pthread_create(&cons[i], NULL, consumer, &rings[i]);
		pthread_create(&prod[i], NULL, producer, &rings[i]);
	}
	for (i = 0; i < pairs; i++) {
		pthread_join(prod[i], NULL);
		pthread_join(cons[i], NULL);
		CHECK_EQ(pc_bad[i], 0);
	}
	kmem_cache_shrink(pc_cache);
	CHECK(slabinfo_get("tslab_pc", &l, NULL, 0));
	CHECK_EQ(l.active_objs, 0);
	CHECK_EQ(kmalloc_active(), km0);
	kmem_cache_destroy(pc_cache);
}

/* ---- migration ---- */

static unsigned long hop_bad[32];

static void *hopper(void *arg)
{
	unsigned long id = (unsigned long)arg, i;
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	void *held[64] = { NULL };

	for (i = 0; i < 40000; i++) {
		unsigned char *p = kmalloc(48, GFP_KERNEL);
		unsigned int j = (unsigned int)(i % 64);

		memset(p, (int)(id + i), 48);
		if (held[j]) {
			unsigned char *q = held[j];
			unsigned char want = (unsigned char)(id + i - 64);
			int k;

			for (k = 0; k < 48; k++)
				hop_bad[id] += q[k] != want;
			kfree(q);
		}
		held[j] = p;
		if (i % 997 == 0 && cpus > 1) {
			cpu_set_t set;

			CPU_ZERO(&set);
			CPU_SET((int)((id + i / 997) % (unsigned long)cpus), &set);
			sched_setaffinity(0, sizeof(set), &set);
		} else if (i % 131 == 0) {
			sched_yield();
		}
	}
	for (i = 0; i < 64; i++)
		kfree(held[i]);
	return NULL;
}

static void test_migration(void)
{
	unsigned int n = nr_threads(), i;
	pthread_t tid[32];
	unsigned long km0 = kmalloc_active();

	for (i = 0; i < n; i++) {
		hop_bad[i] = 0;
		pthread_create(&tid[i], NULL, hopper, (void *)(unsigned long)i);
	}
	for (i = 0; i < n; i++) {
		pthread_join(tid[i], NULL);
		CHECK_EQ(hop_bad[i], 0);
	}
	CHECK_EQ(kmalloc_active(), km0);
}

/* ---- interrupt context: GFP_ATOMIC in signal handlers ---- */

static volatile unsigned long irq_allocs, irq_fails, irq_bad;
static struct kmem_cache *irq_cache;

static void on_alarm(int sig)
{
	void *p[8];
	int i;

	for (i = 0; i < 8; i++) {
		p[i] = (i & 1) ? kmem_cache_alloc(irq_cache, GFP_ATOMIC) : kmalloc(200, GFP_ATOMIC);
		if (!p[i]) {
			irq_fails++;	/* allowed: GFP_ATOMIC may fail */
			continue;
		}
		memset(p[i], 0xa5, 64);
		irq_allocs++;
	}
	for (i = 0; i < 8; i++) {
		if (!p[i])
			continue;
		irq_bad += ((unsigned char *)p[i])[63] != 0xa5;
		if (i & 1)
			kmem_cache_free(irq_cache, p[i]);
		else
			kfree(p[i]);
	}
}

static void test_signal_handler(void)
{
	struct sigaction sa;
	struct itimerval it = { { 0, 200 }, { 0, 200 } };
	struct slabinfo_line l;
	static void *held[512];
	unsigned long km0;
	int round, i;

	irq_cache = kmem_cache_create("tslab_irq", 64, 0, SLAB_NO_MERGE, NULL);
	km0 = kmalloc_active();
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_alarm;
	CHECK_EQ(ukmem_sigaction(SIGALRM, &sa, NULL), 0);
	setitimer(ITIMER_REAL, &it, NULL);
	/* The handler interrupts this thread inside every path, locks held. */
	for (round = 0; round < 300; round++) {
		for (i = 0; i < 512; i++)
			held[i] = (i & 1) ? kmem_cache_alloc(irq_cache, GFP_KERNEL) : kmalloc(200, GFP_KERNEL);
		for (i = 0; i < 512; i++) {
			if (i & 1)
				kmem_cache_free(irq_cache, held[i]);
			else
				kfree(held[i]);
		}
		if (round % 16 == 0)
			kmem_cache_shrink(irq_cache);
	}
	memset(&it, 0, sizeof(it));
	setitimer(ITIMER_REAL, &it, NULL);
	signal(SIGALRM, SIG_IGN);
	CHECK(irq_allocs > 0);
	CHECK_EQ(irq_bad, 0);
	kmem_cache_shrink(irq_cache);
	CHECK(slabinfo_get("tslab_irq", &l, NULL, 0));
	CHECK_EQ(l.active_objs, 0);
	CHECK_EQ(kmalloc_active(), km0);
	kmem_cache_destroy(irq_cache);
}

/* ---- fork with other threads inside the slab paths ---- */

static bool fork_stop;	/* atomic: read by the hammers */

static void *fork_hammer(void *arg)
{
	struct kmem_cache *c = arg;
	unsigned long n = 0;

	while (!__atomic_load_n(&fork_stop, __ATOMIC_RELAXED)) {
		void *p[64];
		int i;

		for (i = 0; i < 64; i++)
			p[i] = (i & 1) ? kmalloc((size_t)(i * 13 + 1), GFP_KERNEL)
				       : kmem_cache_alloc(c, GFP_KERNEL);
		for (i = 0; i < 64; i++) {
			if (i & 1)
				kfree(p[i]);
			else
				kmem_cache_free(c, p[i]);
		}
		if (++n % 8 == 0)
			kmem_cache_shrink(c);	/* remote owner of every CPU's cache */
	}
	return NULL;
}

static void test_fork(void)
{
	struct kmem_cache *c = kmem_cache_create("tslab_fork", 80, 0, SLAB_NO_MERGE, NULL);
	pthread_t tid[4];
	int i, round;

	CHECK_EQ(ukmem_install_atfork(), 0);
	__atomic_store_n(&fork_stop, false, __ATOMIC_RELAXED);
	for (i = 0; i < 4; i++)
		pthread_create(&tid[i], NULL, fork_hammer, c);
	for (round = 0; round < 20; round++) {
		int status = 0;
		pid_t pid = fork();

		if (pid == 0) {
			/* One thread now: every lock must be free, every list whole. */
			void *p[2000];
			int j;

			for (j = 0; j < 2000; j++)
				p[j] = (j & 1) ? kmalloc(100, GFP_KERNEL) : kmem_cache_alloc(c, GFP_KERNEL);
			for (j = 0; j < 2000; j++) {
				if (j & 1)
					kfree(p[j]);
				else
					kmem_cache_free(c, p[j]);
			}
			kmem_cache_shrink(c);
			_exit(p[0] && p[1] ? 0 : 1);
		}
		CHECK(pid > 0);
		CHECK_EQ(waitpid(pid, &status, 0), pid);
		CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	}
	__atomic_store_n(&fork_stop, true, __ATOMIC_RELAXED);
	for (i = 0; i < 4; i++)
		pthread_join(tid[i], NULL);
	kmem_cache_destroy(c);
}

/* ---- validation while other threads allocate ---- */

static bool validate_stop;

static void *validate_churn(void *arg)
{
	struct kmem_cache *c = arg;
	unsigned long seed = (unsigned long)arg;
	void *p[64];
	int i, n;

	while (!__atomic_load_n(&validate_stop, __ATOMIC_RELAXED)) {
		seed = seed * 6364136223846793005UL + 1442695040888963407UL;
		n = 1 + (int)(seed >> 58);
		for (i = 0; i < n; i++)
			p[i] = (i & 1) ? kmalloc(16 << (i % 8), GFP_KERNEL) :
					 kmem_cache_alloc(c, GFP_KERNEL);
		for (i = n; i-- > 0;) {
			if (i & 1)
				kfree(p[i]);
			else
				kmem_cache_free(c, p[i]);
		}
		if (seed % 16 == 0)
			kmem_cache_shrink(c);
	}
	return NULL;
}

/*
 * ukmem_slab_validate_all() while other threads allocate and free, plain
 * and debug caches: nothing to report.  A node's slab counters change with
 * its lists, under list_lock, so the count the validation makes under that
 * lock always matches ("slabs counted but counter=N" was reported when
 * they were updated outside it).
 */
static void test_validate_while_allocating(void)
{
	struct kmem_cache *c[2] = {
		kmem_cache_create("tslab_validate", 96, 0, SLAB_NO_MERGE, NULL),
		kmem_cache_create("tslab_validate_dbg", 96, 0,
				  SLAB_NO_MERGE | SLAB_RED_ZONE | SLAB_POISON | SLAB_STORE_USER, NULL),
	};
	pthread_t tid[4];
	int i, round, errors = 0;

	__atomic_store_n(&validate_stop, false, __ATOMIC_RELAXED);
	for (i = 0; i < 4; i++)
		pthread_create(&tid[i], NULL, validate_churn, c[i % 2]);
	for (round = 0; round < 30; round++) {
		errors += ukmem_slab_validate(c[round % 2]);
		if (round % 10 == 0)
			errors += ukmem_slab_validate_all();
	}
	__atomic_store_n(&validate_stop, true, __ATOMIC_RELAXED);
	for (i = 0; i < 4; i++)
		pthread_join(tid[i], NULL);
	CHECK_EQ(errors, 0);
	CHECK_EQ(ukmem_slab_validate_all(), 0);
	kmem_cache_destroy(c[0]);
	kmem_cache_destroy(c[1]);
}

static void run_all(const char *cmdline)
{
	ukmem_set_console(fopen("/dev/null", "w"));
	if (ukmem_boot(cmdline)) {
		fprintf(stderr, "boot failed\n");
		exit(1);
	}
	ktest_current = "test_mixed_script";
	test_mixed_script();
	ktest_current = "test_producer_consumer";
	test_producer_consumer();
	ktest_current = "test_migration";
	test_migration();
	ktest_current = "test_signal_handler";
	test_signal_handler();
	ktest_current = "test_fork";
	test_fork();
	ktest_current = "test_validate_while_allocating";
	test_validate_while_allocating();
}

static void lock_mode_child(void)
{
	run_all("mem=1G slab_rseq=0");
	CHECK_STR_CONTAINS(log_text(), "SLUB: per-CPU caches run as per-CPU locks");
}

static void test_lock_mode(void)
{
	static char out[1 << 16];
	int status = run_in_child(lock_mode_child, out, sizeof(out));

	if (!WIFEXITED(status) || WEXITSTATUS(status)) {
		ktest_failures++;
		fprintf(stderr, "lock mode child failed (status %#x):\n%s\n", status, out);
	}
}

int main(void)
{
	/* Lock mode first, in a child that boots with slab_rseq=0. */
	ktest_current = "test_lock_mode";
	test_lock_mode();
	run_all("mem=1G");
	if (ktest_failures)
		fprintf(stderr, "%d check(s) failed\n", ktest_failures);
	return ktest_failures ? 1 : 0;
}
