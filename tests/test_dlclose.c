/* SPDX-License-Identifier: MIT */
/*
 * libukmem.so loaded and unloaded by a program that does not link it (a
 * plugin host): dlopen(), kmalloc()/vmalloc() from several threads,
 * dlclose(), five times.  The library is linked -z nodelete, so the
 * unload leaves it mapped and initialised: the fault handlers it
 * installed still point at mapped code (they pointed at unmapped memory,
 * and the program's own SIGSEGV then crashed in them), and a dlopen()
 * after the first finds the same booted machine instead of reserving
 * another (1 TiB of address space, 11 mappings and a descriptor a cycle).
 *
 *   test_dlclose PATH_OF_LIBUKMEM_SO
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "ktest.h"

typedef void *(*kmalloc_fn)(size_t size, unsigned int flags);
typedef void (*kfree_fn)(const void *p);
typedef void *(*vmalloc_fn)(unsigned long size);
typedef void (*vfree_fn)(const void *p);

static kmalloc_fn my_kmalloc;
static kfree_fn my_kfree;
static vmalloc_fn my_vmalloc;
static vfree_fn my_vfree;
static const char *lib_path;

#define GFP_KERNEL_VALUE 0xcc0u		/* include/linux/gfp_types.h */

static void *use_it(void *arg)
{
	for (int i = 0; i < 200; i++) {
		char *p = my_kmalloc(64 + (size_t)i, GFP_KERNEL_VALUE);
		char *v = my_vmalloc(3 * 4096);

		if (!p || !v)
			return (void *)1;
		memset(p, i, 64);
		memset(v, i, 3 * 4096);
		my_vfree(v);
		my_kfree(p);
	}
	return arg;
}

static long vm_size_kb(void)
{
	char line[256];
	long kb = -1;
	FILE *f = fopen("/proc/self/status", "r");

	while (f && fgets(line, sizeof(line), f))
		if (!strncmp(line, "VmSize:", 7))
			kb = strtol(line + 7, NULL, 10);
	if (f)
		fclose(f);
	return kb;
}

static void test_dlopen_dlclose_cycles(void)
{
	long after_first = 0;

	for (int round = 0; round < 5; round++) {
		void *h = dlopen(lib_path, RTLD_NOW | RTLD_LOCAL);
		pthread_t t[3];
		struct sigaction sa;
		Dl_info info;

		CHECK(h != NULL);
		if (!h) {
			fprintf(stderr, "dlopen: %s\n", dlerror());
			return;
		}
		my_kmalloc = (kmalloc_fn)dlsym(h, "__kmalloc_noprof");
		if (!my_kmalloc)
			my_kmalloc = (kmalloc_fn)dlsym(h, "__kmalloc");
		my_kfree = (kfree_fn)dlsym(h, "kfree");
		my_vmalloc = (vmalloc_fn)dlsym(h, "vmalloc_noprof");
		if (!my_vmalloc)
			my_vmalloc = (vmalloc_fn)dlsym(h, "vmalloc");
		my_vfree = (vfree_fn)dlsym(h, "vfree");
		CHECK(my_kmalloc && my_kfree && my_vmalloc && my_vfree);
		if (!(my_kmalloc && my_kfree && my_vmalloc && my_vfree))
			return;
		for (int i = 0; i < 3; i++)
			pthread_create(&t[i], NULL, use_it, NULL);
		for (int i = 0; i < 3; i++) {
			void *ret = (void *)1;

			pthread_join(t[i], &ret);
			CHECK(ret == NULL);
		}
		CHECK_EQ(dlclose(h), 0);
		/* The handler the library installed still points at mapped code. */
		CHECK_EQ(sigaction(SIGSEGV, NULL, &sa), 0);
		if (sa.sa_handler != SIG_DFL && sa.sa_handler != SIG_IGN)
			CHECK(dladdr((void *)sa.sa_sigaction, &info) != 0);
		if (round == 0)
			after_first = vm_size_kb();
		ktest_progress();
	}
	/* Later rounds find the same machine: no new reservation (1 TiB a round). */
	CHECK(vm_size_kb() - after_first < 256 * 1024);
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: %s PATH_OF_LIBUKMEM_SO\n", argv[0]);
		return 2;
	}
	lib_path = argv[1];
	setenv("UKMEM_CMDLINE", "mem=64M loglevel=0", 1);
	KTEST_RUN(KTEST(test_dlopen_dlclose_cycles));
}
