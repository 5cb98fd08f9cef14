/* SPDX-License-Identifier: MIT */
/*
 * Managed device resources (devres, Documentation/driver-api/driver-model/
 * devres.rst) on devices declared as drivers declare them, zeroed:
 * devm_kmalloc and its family are usable, zeroed when asked, aligned, and
 * all given back by devres_release_all() (the driver core's step after
 * remove()), newest first; devm_kfree, devm_krealloc (in place and moved,
 * keeping its place in the release order), the string helpers; actions,
 * including devm_add_action_or_reset() when the action cannot be
 * registered (failslab); the find/get/remove/destroy/release family with
 * a match function; groups, closed, open and nested; managed pages; the
 * kernel's warnings for memory a device does not manage; four threads on
 * one device; and devm_kzalloc() as a process's first call.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <sys/mman.h>

#include <asm/sections.h>
#include <linux/device.h>
#include <linux/dma-mapping.h>
#include <linux/io.h>
#include <linux/vmalloc.h>
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <ukmem/boot.h>
#include <ukmem/fault.h>
#include <ukmem/report.h>
#include "ktest_boot.h"

static const char *dmesg(void)
{
	static char buf[1 << 16];

	ukmem_dmesg(buf, sizeof(buf));
	return buf;
}

/* The order in which the tracked resources below were released. */
static int released[64], nr_released;

struct tracked {
	int id;
};

static void tracked_release(struct device *dev, void *res)
{
	released[nr_released++] = ((struct tracked *)res)->id;
}

static int tracked_match(struct device *dev, void *res, void *id)
{
	return ((struct tracked *)res)->id == (int)(intptr_t)id;
}

static void other_release(struct device *dev, void *res)
{
}

static struct tracked *add_tracked(struct device *dev, int id)
{
	struct tracked *t = devres_alloc(tracked_release, sizeof(*t), GFP_KERNEL);

	CHECK(t != NULL);
	if (t) {
		t->id = id;
		devres_add(dev, t);
	}
	return t;
}

static void reset_released(void)
{
	nr_released = 0;
	memset(released, 0, sizeof(released));
}

static void test_kmalloc_family(void)
{
	struct device dev = { .init_name = "devres0" };
	unsigned char *z, *k;
	char *s, *f;
	const char *c;
	u32 *arr;

	z = devm_kzalloc(&dev, 300, GFP_KERNEL);
	CHECK(z != NULL);
	if (!z)
		return;
	for (int i = 0; i < 300; i++)
		if (z[i]) {
			CHECK(!"devm_kzalloc left a byte");
			break;
		}
	CHECK_EQ((uintptr_t)z % ARCH_KMALLOC_MINALIGN, 0);
	memset(z, 0xa5, 300);
	k = devm_kmalloc(&dev, 64, GFP_KERNEL);
	CHECK(k != NULL);
	CHECK(devm_kmalloc(&dev, 0, GFP_KERNEL) == ZERO_SIZE_PTR);	/* not managed */
	arr = devm_kcalloc(&dev, 10, sizeof(*arr), GFP_KERNEL);
	CHECK(arr && arr[9] == 0);
	CHECK(devm_kmalloc_array(&dev, SIZE_MAX / 2, 4, GFP_KERNEL) == NULL);
	s = devm_kstrdup(&dev, "ukmem", GFP_KERNEL);
	CHECK(s && !strcmp(s, "ukmem"));
	CHECK(devm_kstrdup(&dev, NULL, GFP_KERNEL) == NULL);
	/* A constant of the program is returned as it is, unmanaged (as the kernel's .rodata). */
	c = devm_kstrdup_const(&dev, "const", GFP_KERNEL);
	CHECK(c && !strcmp(c, "const"));
	CHECK(is_kernel_rodata((unsigned long)c));
	devm_kfree(&dev, c);				/* nothing to free: quiet */
	f = devm_kasprintf(&dev, GFP_KERNEL, "%s-%d-%03x", "eth", 7, 0x2a);
	CHECK(f && !strcmp(f, "eth-7-02a"));
	CHECK(devm_kmemdup(&dev, "abc", 4, GFP_KERNEL) && 1);

	/* devm_kfree gives one back now; the rest go with the device. */
	devm_kfree(&dev, k);
	devm_kfree(&dev, NULL);
	devm_kfree(&dev, ZERO_SIZE_PTR);
	CHECK_EQ(devres_release_all(&dev), 5);	/* z arr s f and the memdup: not k, not c */
	CHECK_EQ(devres_release_all(&dev), 0);	/* nothing left */
}

static void test_kfree_unmanaged(void)
{
	struct device dev = { .init_name = "devres1" }, other = { .init_name = "devres2" };
	void *mine = devm_kmalloc(&dev, 32, GFP_KERNEL);
	void *plain = kmalloc(32, GFP_KERNEL);

	ukmem_dmesg_clear();
	devm_kfree(&other, mine);			/* another device's */
	CHECK_STR_CONTAINS(dmesg(), "WARNING");
	ukmem_dmesg_clear();
	devm_kfree(&dev, plain);			/* not managed at all */
	CHECK_STR_CONTAINS(dmesg(), "WARNING");
	ukmem_dmesg_clear();
	CHECK(devm_krealloc(&dev, plain, 64, GFP_KERNEL) == NULL);
	CHECK_STR_CONTAINS(dmesg(), "WARNING");
	kfree(plain);
	CHECK_EQ(devres_release_all(&other), 0);
	CHECK_EQ(devres_release_all(&dev), 1);	/* still owns @mine */
}

static void test_krealloc(void)
{
	struct device dev = { .init_name = "devres3" };
	char *p, *q;

	reset_released();
	add_tracked(&dev, 1);
	p = devm_kmalloc(&dev, 16, GFP_KERNEL);
	add_tracked(&dev, 2);
	CHECK(p != NULL);
	if (!p)
		return;
	memcpy(p, "0123456789abcde", 16);
	q = devm_krealloc(&dev, p, 12, GFP_KERNEL);		/* shrinks in place */
	CHECK(q == p);
	q = devm_krealloc(&dev, p, 5000, GFP_KERNEL | __GFP_ZERO);	/* moves */
	CHECK(q != NULL && !memcmp(q, "0123456789ab", 12));
	CHECK(q && q[4999] == 0 && q[12] == 0);
	devm_kfree(&dev, q);					/* the moved block is managed */
	q = devm_krealloc(&dev, NULL, 40, GFP_KERNEL);		/* NULL: an allocation */
	CHECK(q != NULL);
	CHECK(devm_krealloc(&dev, q, 0, GFP_KERNEL) == ZERO_SIZE_PTR);	/* 0: freed */
	/* A block that moves keeps its place on the list (between 2 and 3). */
	p = devm_kmalloc(&dev, 8, GFP_KERNEL);
	add_tracked(&dev, 3);
	p = devm_krealloc(&dev, p, 3000, GFP_KERNEL);
	CHECK(p != NULL);
	CHECK_EQ(devres_release_all(&dev), 4);
	CHECK_EQ(nr_released, 3);
	CHECK(released[0] == 3 && released[1] == 2 && released[2] == 1);
}

static int action_calls[8];

static void count_action(void *data)
{
	action_calls[(intptr_t)data]++;
}

static void test_actions(void)
{
	struct device dev = { .init_name = "devres4" };

	memset(action_calls, 0, sizeof(action_calls));
	CHECK_EQ(devm_add_action(&dev, count_action, (void *)1), 0);
	CHECK_EQ(devm_add_action_or_reset(&dev, count_action, (void *)2), 0);
	CHECK_EQ(devm_add_action(&dev, count_action, (void *)3), 0);
	CHECK(devm_is_action_added(&dev, count_action, (void *)2));
	CHECK(!devm_is_action_added(&dev, count_action, (void *)5));
	devm_remove_action(&dev, count_action, (void *)3);	/* forgotten, not called */
	devm_release_action(&dev, count_action, (void *)2);	/* called now */
	CHECK_EQ(action_calls[2], 1);
	CHECK(!devm_is_action_added(&dev, count_action, (void *)2));
	ukmem_dmesg_clear();
	devm_remove_action(&dev, count_action, (void *)4);	/* never added */
	CHECK_STR_CONTAINS(dmesg(), "WARNING");
	CHECK_EQ(devres_release_all(&dev), 1);
	CHECK_EQ(action_calls[1], 1);
	CHECK_EQ(action_calls[2], 1);
	CHECK_EQ(action_calls[3], 0);

	/* The action cannot be registered: _or_reset runs it at once. */
	ukmem_fault_set("failslab", "ignore-gfp-wait", 0);
	ukmem_fault_set("failslab", "verbose", 0);
	ukmem_fault_set("failslab", "probability", 100);
	ukmem_fault_set("failslab", "times", 1);
	CHECK_EQ(devm_add_action_or_reset(&dev, count_action, (void *)6), -ENOMEM);
	ukmem_fault_set("failslab", "probability", 0);
	CHECK_EQ(action_calls[6], 1);
	CHECK_EQ(devres_release_all(&dev), 0);
	CHECK_EQ(action_calls[6], 1);
}

static void test_find_get_remove(void)
{
	struct device dev = { .init_name = "devres5" };
	struct tracked *t1, *t2, *n;

	reset_released();
	t1 = add_tracked(&dev, 1);
	t2 = add_tracked(&dev, 2);
	CHECK(devres_find(&dev, tracked_release, NULL, NULL) == t2);	/* the newest */
	CHECK(devres_find(&dev, tracked_release, tracked_match, (void *)1) == t1);
	CHECK(devres_find(&dev, tracked_release, tracked_match, (void *)9) == NULL);

	/* devres_get: the one that is there, or the new one added. */
	n = devres_alloc(tracked_release, sizeof(*n), GFP_KERNEL);
	n->id = 1;
	CHECK(devres_get(&dev, n, tracked_match, (void *)1) == t1);	/* n freed */
	n = devres_alloc(tracked_release, sizeof(*n), GFP_KERNEL);
	n->id = 7;
	CHECK(devres_get(&dev, n, tracked_match, (void *)7) == n);

	/* remove: off the list, neither released nor freed; destroy: freed; release: both. */
	CHECK(devres_remove(&dev, tracked_release, tracked_match, (void *)2) == t2);
	devres_free(t2);
	CHECK_EQ(devres_destroy(&dev, tracked_release, tracked_match, (void *)7), 0);
	CHECK_EQ(devres_destroy(&dev, tracked_release, tracked_match, (void *)7), -ENOENT);
	CHECK_EQ(nr_released, 0);
	CHECK_EQ(devres_release(&dev, tracked_release, tracked_match, (void *)1), 0);
	CHECK(nr_released == 1 && released[0] == 1);
	CHECK_EQ(devres_release(&dev, tracked_release, NULL, NULL), -ENOENT);
	CHECK_EQ(devres_release_all(&dev), 0);
	/* A release function of another kind does not match. */
	add_tracked(&dev, 4);
	CHECK(devres_find(&dev, other_release, NULL, NULL) == NULL);
	CHECK_EQ(devres_release_all(&dev), 1);
}

static void test_groups(void)
{
	struct device dev = { .init_name = "devres6" };
	void *g, *h, *id;
	static int my_id;

	reset_released();
	add_tracked(&dev, 1);
	g = devres_open_group(&dev, NULL, GFP_KERNEL);
	CHECK(g != NULL);
	add_tracked(&dev, 2);
	add_tracked(&dev, 3);
	devres_close_group(&dev, NULL);
	add_tracked(&dev, 4);
	/* The group's two, newest first; 1 and 4 stay. */
	CHECK_EQ(devres_release_group(&dev, g), 2);
	CHECK(nr_released == 2 && released[0] == 3 && released[1] == 2);

	/* An open group: everything since it opened; with a nested group inside. */
	id = devres_open_group(&dev, &my_id, GFP_KERNEL);
	CHECK(id == &my_id);
	add_tracked(&dev, 5);
	h = devres_open_group(&dev, NULL, GFP_KERNEL);
	add_tracked(&dev, 6);
	devres_close_group(&dev, h);
	add_tracked(&dev, 7);
	reset_released();
	CHECK_EQ(devres_release_group(&dev, &my_id), 3);
	CHECK(nr_released == 3 && released[0] == 7 && released[1] == 6 && released[2] == 5);

	/* remove_group: the markers go, the resources stay with the device. */
	g = devres_open_group(&dev, NULL, GFP_KERNEL);
	add_tracked(&dev, 8);
	devres_remove_group(&dev, g);
	ukmem_dmesg_clear();
	CHECK_EQ(devres_release_group(&dev, g), 0);		/* no such group any more */
	CHECK_STR_CONTAINS(dmesg(), "WARNING");

	/* release_all: 8, 4, 1, newest first; the empty nested group h is freed too. */
	reset_released();
	CHECK_EQ(devres_release_all(&dev), 3);
	CHECK(nr_released == 3 && released[0] == 8 && released[1] == 4 && released[2] == 1);
	/* A group left open at release_all is freed with it. */
	devres_open_group(&dev, NULL, GFP_KERNEL);
	add_tracked(&dev, 9);
	CHECK_EQ(devres_release_all(&dev), 1);
}

static void test_pages(void)
{
	struct device dev = { .init_name = "devres7" };
	unsigned long before, a, b;

	drain_all_pages(NULL);
	before = nr_free_pages();
	a = devm_get_free_pages(&dev, GFP_KERNEL, 4);
	b = devm_get_free_pages(&dev, GFP_KERNEL, 5);
	CHECK(a && b);
	memset((void *)a, 1, PAGE_SIZE << 4);
	CHECK_EQ(nr_free_pages(), before - 48);
	devm_free_pages(&dev, a);
	CHECK_EQ(nr_free_pages(), before - 32);
	ukmem_dmesg_clear();
	devm_free_pages(&dev, a);				/* already given back */
	CHECK_STR_CONTAINS(dmesg(), "WARNING");
	CHECK_EQ(devres_release_all(&dev), 1);
	CHECK_EQ(nr_free_pages(), before);
}

/*
 * One round: managed coherent memory and a managed mapping of a device
 * region, all given back by devres_release_all().  Returns the free pages
 * afterwards.
 */
static unsigned long dma_and_io_round(int fd)
{
	struct device dev = { .init_name = "devres9", .coherent_dma_mask = DMA_BIT_MASK(32) };
	dma_addr_t h1, h2;
	void *a, *b, __iomem *regs;

	a = dmam_alloc_coherent(&dev, 3 * PAGE_SIZE, &h1, GFP_KERNEL);
	b = dmam_alloc_coherent(&dev, 100, &h2, GFP_KERNEL);
	CHECK(a && b && h1 && h2 && h1 + 3 * PAGE_SIZE - 1 <= DMA_BIT_MASK(32));
	CHECK(a && ((char *)a)[3 * PAGE_SIZE - 1] == 0);
	dmam_free_coherent(&dev, 100, b, h2);

	regs = devm_ioremap(&dev, 0x200000000ULL, PAGE_SIZE);
	CHECK(regs != NULL && find_vm_area((void *)regs) != NULL);
	if (regs) {
		writel(0x12345678, regs + 8);
		CHECK_EQ(readl(regs + 8), 0x12345678);
	}
	CHECK(devm_ioremap(&dev, 0x300000000ULL, PAGE_SIZE) == NULL);	/* nothing there */

	CHECK_EQ(devres_release_all(&dev), 2);	/* a and the mapping */
	CHECK(regs == NULL || find_vm_area((void *)regs) == NULL);
	vm_unmap_aliases();
	drain_all_pages(NULL);
	return nr_free_pages();
}

static void test_dma_and_io(void)
{
	unsigned long errors = ukmem_dma_debug_errors(), first;
	int fd = memfd_create("devres-regs", MFD_CLOEXEC);

	/* A device region, as a platform would describe it. */
	CHECK(fd >= 0 && ftruncate(fd, PAGE_SIZE) == 0);
	CHECK_EQ(ukmem_register_device_region(0x200000000ULL, PAGE_SIZE, fd, 0, "devres"), 0);
	close(fd);
	/* The first round may grow caches (devres nodes, vmap areas); later ones leave nothing. */
	first = dma_and_io_round(fd);
	CHECK_EQ(dma_and_io_round(fd), first);
	CHECK_EQ(dma_and_io_round(fd), first);
	CHECK_EQ(ukmem_dma_debug_errors(), errors);	/* every free matched its allocation */
	ukmem_unregister_device_region(0x200000000ULL);
}

/* Across fork: the child has its own copy of the device's resources and releases them. */
static struct device fork_dev = { .init_name = "devres-fork" };
static char *fork_buf;

static void fork_child(void *unused)
{
	CHECK(fork_buf && !strcmp(fork_buf, "parent"));
	strcpy(fork_buf, "child");
	CHECK(devm_kstrdup(&fork_dev, "more", GFP_KERNEL) != NULL);
	CHECK_EQ(devres_release_all(&fork_dev), 2);
}

static void test_fork(void)
{
	fork_buf = devm_kstrdup(&fork_dev, "parent", GFP_KERNEL);
	CHECK(ktest_exited_with(ktest_child(fork_child, NULL), 0));
	CHECK(fork_buf && !strcmp(fork_buf, "parent"));		/* the child's write stayed its own */
	CHECK_EQ(devres_release_all(&fork_dev), 1);
}

static struct device shared_dev = { .init_name = "devres8" };

static void *devres_worker(void *arg)
{
	void *mine[32] = { NULL };
	unsigned int seed = (unsigned int)(uintptr_t)arg;
	long bad = 0;

	for (int round = 0; round < 3000; round++) {
		int slot = rand_r(&seed) % 32;

		if (mine[slot]) {
			bad += *(uintptr_t *)mine[slot] != (uintptr_t)mine[slot];
			devm_kfree(&shared_dev, mine[slot]);
			mine[slot] = NULL;
		} else {
			mine[slot] = devm_kmalloc(&shared_dev, 8 + rand_r(&seed) % 500, GFP_KERNEL);
			if (mine[slot])
				*(uintptr_t *)mine[slot] = (uintptr_t)mine[slot];
		}
	}
	/* What is still held stays with the device: counted below. */
	for (int i = 0; i < 32; i++)
		bad -= 1000 * (mine[i] != NULL);
	return (void *)bad;
}

static void test_threads(void)
{
	pthread_t t[4];
	long held = 0;
	void *ret;

	for (long i = 0; i < 4; i++)
		CHECK_EQ(pthread_create(&t[i], NULL, devres_worker, (void *)(i + 1)), 0);
	for (int i = 0; i < 4; i++) {
		pthread_join(t[i], &ret);
		CHECK_EQ((long)ret % 1000, 0);		/* no block was anyone else's */
		held += -(long)ret / 1000;
	}
	CHECK_EQ(devres_release_all(&shared_dev), held);
}

/* The process's first ukmem call is devm_kzalloc(): it boots the machine. */
static void first_call(void *unused)
{
	struct device dev = { .init_name = "first" };
	char *p = devm_kzalloc(&dev, 100, GFP_KERNEL);

	CHECK(p && !p[99]);
	CHECK_EQ(devres_release_all(&dev), 1);
}


int main(void)
{
	ktest_first_call(first_call);
	if (!ktest_boot_quietly("mem=256M"))
		return 1;
	KTEST_RUN(KTEST(test_kmalloc_family), KTEST(test_kfree_unmanaged), KTEST(test_krealloc),
		  KTEST(test_actions), KTEST(test_find_get_remove), KTEST(test_groups),
		  KTEST(test_pages), KTEST(test_dma_and_io), KTEST(test_fork), KTEST(test_threads));
}
