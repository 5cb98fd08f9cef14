/* SPDX-License-Identifier: MIT */
/*
 * init/main.c - booting the machine (init/main.c start_kernel,
 * arch/x86/kernel/setup.c setup_arch, arch/x86/kernel/e820.c).
 *
 * Boot order, as in the kernel:
 *   1. parse the command line (kernel/params.c);
 *   2. setup_arch: size RAM (mem= or the host's RAM), reserve its address
 *      range and the vmalloc range, print the memory map (e820 style), hand
 *      RAM to memblock and reserve pfn 0 and memmap= ranges;
 *   3. NUMA: split RAM into nodes (numa=);
 *   4. free_area_init: mem_map, nodes, zones, per-CPU page lists;
 *   5. the program's early hook, if any: memblock is the only allocator;
 *   6. mm_core_init/mem_init: memblock_free_all() hands free memory to the
 *      buddy allocator, watermarks are computed, "Memory: ..." is printed.
 *
 * The first allocation boots the machine if the program did not; booting is
 * serialised so that two threads racing to allocate first boot it once.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdlib.h>
#include <string.h>

#include <linux/memblock.h>
#include <linux/mm.h>
#include <linux/stackdepot.h>
#include <linux/vmalloc.h>	/* ukmem_vmalloc_start/end: exported as declared there */
#include <ukmem/boot.h>
#include <ukmem/debug.h>
#include "arch/host.h"
#include "kernel/fork.h"
#include "kernel/locking.h"
#include "kernel/params.h"
#include "kernel/rcu.h"
#include "mm/internal.h"
#include "mm/kfence.h"
#include "mm/live.h"
#include "mm/proc.h"

_Atomic(enum system_states) system_state = SYSTEM_OFF;	/* mm/internal.h */
struct ukmem_boot_config boot_config;
phys_addr_t ukmem_ram_size;
unsigned long ukmem_page_offset;
unsigned long ukmem_vmalloc_start, ukmem_vmalloc_end;
unsigned long ukmem_vmalloc_reserved_end;	/* mm/internal.h */

/*
 * Held across the whole boot, which allocates and may sleep: a mutex, so
 * that threads racing to allocate first sleep until the machine is up.
 * A signal handler only tries it (its own thread may be the one booting,
 * or the booting thread may wait for it): its first allocation fails.
 */
static DEFINE_MUTEX_RANKED(boot_lock, LOCK_RANK_BOOT);
/* Set on the thread running the boot (and its early hook). */
static __thread bool booting_thread;
/* Where a panic in an implicit boot returns to (boot_panic_escape()). */
static __thread jmp_buf *boot_escape;
/* An implicit boot failed: allocations fail from now on, without retrying. */
static bool implicit_boot_failed;
char boot_command_line[COMMAND_LINE_SIZE];	/* mm/live.c */

void numa_init(void);
void vmalloc_init(void);	/* mm/vmalloc.c */
void highmem_setup(void);	/* mm/highmem.c */
void setup_per_cpu_areas(void);		/* mm/percpu.c */

#define UKMEM_DEFAULT_VMALLOC_SIZE	(1UL << 40)	/* 1 TiB */
#define UKMEM_MIN_VMALLOC_SIZE		(128UL << 20)
/*
 * Under RLIMIT_AS the vmalloc range may shrink further, to an eighth of
 * what the limit leaves: 128 MiB of it under a 500 MB limit left a
 * program 110 MB for its own mappings and the front end's largest
 * blocks, and python3's bytearray(150 MB) failed where glibc's worked.
 */
#define UKMEM_MIN_VMALLOC_SIZE_LIMITED	(8UL << 20)
/*
 * Without mem=, a host RAM that does not fit the address space is halved
 * down to this; under RLIMIT_AS down to the smallest RAM the boot works
 * with (ukmem_min_ram()) instead.  With the 64 MiB floor (and 32 MiB of
 * vmalloc) a program under `ulimit -v 60000` could not boot at all: the
 * front end was left with its 512 KiB bootstrap arena and `sort` stopped
 * with "memory exhausted" where glibc's malloc ran it.
 */
#define UKMEM_MIN_RAM			(64UL << 20)
#define RAM_GRANULE	((phys_addr_t)PAGE_SIZE << MAX_PAGE_ORDER)	/* 4 MiB */
/*
 * What a machine needs free once the boot is over, above its high
 * watermark: a slab of every kmalloc class, the kmalloc caches' node
 * structures, the first vmalloc, percpu and mempool metadata.  Measured
 * at mem=4M: 83 pages (90 with slub_debug=FZPU); counted as 512 KiB.
 */
#define BOOT_WORKING_SET		(512UL << 10)

static void boot_config_defaults(void)
{
	memset(&boot_config, 0, sizeof(boot_config));
	boot_config.numa_nodes = 1;
	boot_config.min_free_kbytes = -1;
	boot_config.watermark_scale_factor = 10;
	boot_config.page_reporting_keep = 2;
	boot_config.page_reporting_order = MAX_PAGE_ORDER;
	boot_config.page_reporting_delay_ms = 2000;	/* PAGE_REPORTING_DELAY */
	boot_config.page_reporting_adapt_max = 16;	/* 64 MiB: ukmem */
	boot_config.page_reporting_adapt_ms = 10000;
	boot_config.page_reporting_unmap = -1;
	boot_config.vmalloc_guard = -1;
	console_loglevel = CONSOLE_LOGLEVEL_UKMEM_DEFAULT;
	slub_debug_defaults();
}

static void print_e820_range(const char *who, phys_addr_t start, phys_addr_t end,
			     const char *type)
{
	if (start < end)
		pr_info("%s: [mem %#018llx-%#018llx] %s\n", who, (unsigned long long)start,
			(unsigned long long)end - 1, type);
}

/*
 * The e820-style map.  With memmap= the kernel prints the whole edited table
 * again as "user:" (e820__print_table), usable ranges included.
 */
static void print_memory_map(void)
{
	phys_addr_t pos = 0;
	int order[ARRAY_SIZE(boot_config.memmap)];
	int i, j, n = boot_config.nr_memmap;

	pr_info("BIOS-provided physical RAM map:\n");
	print_e820_range("BIOS-e820", 0, ukmem_ram_size, "usable");
	if (!n)
		return;
	/* memmap= entries by address (insertion sort: there are at most 16). */
	for (i = 0; i < n; i++) {
		for (j = i; j > 0 && boot_config.memmap[order[j - 1]].base >
				     boot_config.memmap[i].base; j--)
			order[j] = order[j - 1];
		order[j] = i;
	}
	pr_info("user-defined physical RAM map:\n");
	for (i = 0; i < n; i++) {
		phys_addr_t base = boot_config.memmap[order[i]].base;
		phys_addr_t end = base + boot_config.memmap[order[i]].size;

		print_e820_range("user", pos, min(base, ukmem_ram_size), "usable");
		print_e820_range("user", max(base, pos), end, "reserved");
		pos = max(pos, end);
	}
	print_e820_range("user", pos, ukmem_ram_size, "usable");
}

/* RAM of @size that memmap= takes away. */
static phys_addr_t memmap_holes(phys_addr_t size)
{
	phys_addr_t holes = 0;
	int i;

	for (i = 0; i < boot_config.nr_memmap; i++) {
		phys_addr_t base = boot_config.memmap[i].base;
		phys_addr_t end = base + boot_config.memmap[i].size;

		if (base < size)
			holes += min(end, size) - base;
	}
	return holes;
}

/* Does RAM of @size hold the boot's own reservations and a working machine? */
static phys_addr_t ram_needed(phys_addr_t size)
{
	unsigned long pfns = PHYS_PFN(size);
	int nodes = (int)min((phys_addr_t)boot_config.numa_nodes, size / RAM_GRANULE);
	phys_addr_t need;

	need = PAGE_SIZE + memmap_holes(size);		/* pfn 0, memmap= */
	need += mm_boot_bytes(pfns, max(nodes, 1), nr_cpu_ids);
	need += pcpu_boot_bytes(nr_cpu_ids);
	need += PFN_PHYS(boot_high_wmark_pages(pfns)) + BOOT_WORKING_SET;
	return need;
}

static bool ram_suffices(phys_addr_t size)
{
	return size >= RAM_GRANULE && ram_needed(size) <= size;
}

/*
 * KFENCE's pool, from memblock as the kernel's: only where the machine
 * still has what the boot needs beside it.  On a small mem= with a large
 * kfence.num_objects, KFENCE is left off with the kernel's message for a
 * failed pool allocation; the mem= stands.
 */
static void kfence_pool_if_room(void)
{
	phys_addr_t pool = kfence_pool_bytes();

	if (!pool)
		return;
	if (ram_needed(ukmem_ram_size) + pool > ukmem_ram_size) {
		pr_err("kfence: failed to allocate pool\n");
		return;
	}
	kfence_alloc_pool();
}

/*
 * ukmem_min_ram - the smallest mem= the boot accepts, in whole max-order
 * blocks, for this host's CPUs and the command line's nodes, memmap= holes
 * and watermark settings: what the boot reserves (mem_map and the per-pfn
 * tables, the node structures, the pcp lists and the first per-CPU chunk,
 * which grow with RAM, nodes and CPUs) plus BOOT_WORKING_SET above the
 * high watermark.  Valid once the command line is parsed and the CPUs
 * counted.
 */
static phys_addr_t ukmem_min_ram(void)
{
	phys_addr_t size = RAM_GRANULE;

	while (!ram_suffices(size) && size < ((phys_addr_t)1 << 50))
		size += RAM_GRANULE;
	return size;
}

/*
 * mem= below the minimum: the explicit boot refuses it (-EINVAL, nothing
 * booted); the implicit one reports it and goes on without it, as the
 * kernel ignores an early option it rejects.
 */
static int check_mem_limit(bool strict)
{
	phys_addr_t size = ALIGN_DOWN(boot_config.mem_limit, RAM_GRANULE);

	if (!boot_config.mem_limit || ram_suffices(size))
		return 0;
	/*
	 * A min_free_kbytes= whose watermarks alone leave this RAM no room:
	 * the line's fault is that value, not the machine's size (the
	 * implicit boot dropped mem= and came up host-sized).
	 */
	if (boot_config.min_free_kbytes >= 0) {
		int user = boot_config.min_free_kbytes;
		bool fits;

		boot_config.min_free_kbytes = -1;
		fits = ram_suffices(size);
		boot_config.min_free_kbytes = user;
		if (fits) {
			pr_err("min_free_kbytes=%d does not fit in mem=%s\n", user,
			       boot_config.mem_arg);
			if (strict)
				return -EINVAL;
			boot_config.min_free_kbytes = -1;
			return 0;
		}
	}
	pr_err("mem=%s is below the minimum of %llu MiB for %u CPUs\n", boot_config.mem_arg,
	       (unsigned long long)(ukmem_min_ram() >> 20), nr_cpu_ids);
	if (strict)
		return -EINVAL;
	boot_config.mem_limit = 0;
	return 0;
}

/*
 * Reserve the RAM range, aligned to a max-order block so that buddy pfn
 * arithmetic and the linear map agree.  Without mem= the size is the host's
 * RAM; if the address space is limited (RLIMIT_AS), at most half of what
 * the limit leaves, and the vmalloc range at most an eighth (down to
 * UKMEM_MIN_VMALLOC_SIZE_LIMITED): the program's
 * own mappings and the malloc front end's largest blocks (host mappings,
 * malloc/host.c) need the rest, as they would under glibc.  Either shrinks
 * further until its reservation fits.
 */
static int setup_ram(void)
{
	phys_addr_t size = boot_config.mem_limit;
	unsigned long left = arch_address_space_left();
	bool user_size = size != 0;
	phys_addr_t floor = UKMEM_MIN_RAM;
	void *base;

	if (left != ULONG_MAX)
		floor = min_t(phys_addr_t, ukmem_min_ram(), UKMEM_MIN_RAM);
	if (!size) {
		size = arch_host_ram_bytes();
		if (left != ULONG_MAX)
			size = clamp_t(phys_addr_t, left / 2, floor, size);
	} else if (left != ULONG_MAX && size > left / 2) {
		/*
		 * A mem= beyond what the limits leave (RLIMIT_DATA, strict
		 * overcommit: the reservation succeeds, committing it would
		 * not) gets what the default would, with the warning below.
		 */
		size = max_t(phys_addr_t, ALIGN_DOWN(left / 2, RAM_GRANULE), floor);
	}
	size = ALIGN_DOWN(size, RAM_GRANULE);
	for (;;) {
		base = arch_reserve(size, RAM_GRANULE);
		if (base)
			break;
		if (size <= floor) {
			pr_emerg("setup_arch: cannot reserve %llu bytes of address space for RAM\n",
				 (unsigned long long)size);
			return -ENOMEM;
		}
		size = max_t(phys_addr_t, ALIGN_DOWN(size / 2, RAM_GRANULE), floor);
	}
	/*
	 * A mem= larger than the address space can hold (mem=100T) gets what
	 * fits, as the kernel's mem= above the RAM it has changes nothing.
	 */
	if (user_size && size < ALIGN_DOWN(boot_config.mem_limit, RAM_GRANULE))
		pr_warn("setup_arch: mem=%llu does not fit in the address space; RAM is %llu bytes\n",
			(unsigned long long)boot_config.mem_limit, (unsigned long long)size);
	ukmem_page_offset = (unsigned long)base;
	ukmem_ram_size = size;

	/* The vmalloc range, distinct from the linear map. */
	{
		unsigned long vsize = UKMEM_DEFAULT_VMALLOC_SIZE;
		unsigned long vmin = left != ULONG_MAX ? UKMEM_MIN_VMALLOC_SIZE_LIMITED :
							 UKMEM_MIN_VMALLOC_SIZE;
		void *v = NULL;

		while (left != ULONG_MAX && vsize > left / 8 && vsize > vmin)
			vsize /= 2;

		while (vsize >= vmin && !(v = arch_reserve(vsize, PAGE_SIZE << MAX_PAGE_ORDER)))
			vsize /= 2;
		if (v) {
			/*
			 * VMALLOC_START/END load these before the boot
			 * (ukmem_vmalloc_bound): the start now, the end only
			 * when final (vmalloc_init(), past the kmap slots), so
			 * that a racing first call that reads a non-zero end
			 * never sees a larger one than vmalloc will use.
			 */
			__atomic_store_n(&ukmem_vmalloc_start, (unsigned long)v, __ATOMIC_RELEASE);
			ukmem_vmalloc_reserved_end = (unsigned long)v + vsize;
		}
	}
	return 0;
}

static void setup_arch(void)
{
	int i;

	print_memory_map();
	memblock_setup();
	memblock_add(0, ukmem_ram_size);
	for (i = 0; i < boot_config.nr_memmap; i++)
		memblock_remove(boot_config.memmap[i].base, boot_config.memmap[i].size);
	/* The first page is never handed out (x86 reserves it for the BIOS). */
	memblock_reserve(0, PAGE_SIZE);
	max_pfn = PHYS_PFN(memblock_end_of_DRAM());
	max_low_pfn = max_pfn;
	high_memory = __va(PFN_PHYS(max_low_pfn));
}

static void print_layout(void)
{
	pr_info("virtual kernel memory layout:\n");
	if (ukmem_vmalloc_reserved_end)
		pr_info("    vmalloc : 0x%016lx - 0x%016lx   (%6lu MB)\n",
			ukmem_vmalloc_start, ukmem_vmalloc_reserved_end,
			(ukmem_vmalloc_reserved_end - ukmem_vmalloc_start) >> 20);
	pr_info("    lowmem  : 0x%016lx - 0x%016lx   (%6lu MB)\n",
		PAGE_OFFSET, (unsigned long)high_memory,
		((unsigned long)high_memory - PAGE_OFFSET) >> 20);
}

/*
 * A command line built into the program, as the kernel's CONFIG_CMDLINE
 * (with CONFIG_CMDLINE_BOOL, x86 setup_arch): it comes first and the one
 * given at boot is appended, so a parameter given at boot overrides the
 * built-in one.  Defined by the malloc front end (malloc/malloc.c), which
 * sizes a process's machine for RSS; absent from libukmem itself.
 */
extern const char ukmem_builtin_cmdline[] __attribute__((weak));
/* Defined true by the malloc front end: see arch_unwinder_load(). */
extern const bool ukmem_lazy_unwinder __attribute__((weak));

/* RAM for numa=fake='s forms that depend on it: mem=, or what setup_ram() will take. */
static phys_addr_t fake_nodes_ram(void)
{
	phys_addr_t ram = boot_config.mem_limit;
	unsigned long left = arch_address_space_left();

	if (!ram) {
		ram = arch_host_ram_bytes();
		if (left != ULONG_MAX)
			ram = clamp_t(phys_addr_t, left / 2, UKMEM_MIN_RAM, ram);
	}
	return ALIGN_DOWN(ram, RAM_GRANULE);
}

/* How many nodes numa_init() will lay out of numa_fake_node_bytes each. */
static int fake_nodes_counted(phys_addr_t ram)
{
	phys_addr_t start = 0;
	int nodes = 0;

	while (start < ram && nodes < MAX_NUMNODES) {
		start = numa_fake_node_end(start, ram);
		nodes++;
	}
	return max(nodes, 1);
}

/*
 * numa=fake=<size>: nodes of that size, the size first raised to what
 * MAX_NUMNODES nodes would need and to 32 MiB (FAKE_NODE_MIN_SIZE) and
 * rounded down to a multiple of it, with the kernel's message when raised
 * (mm/numa_emulation.c split_nodes_size_interleave).  numa_init() lays
 * them out: a node whose successor would be smaller than the size takes
 * the rest of RAM.
 */
static int fake_nodes_for_size(phys_addr_t size)
{
	phys_addr_t ram = fake_nodes_ram(), min_size;

	min_size = max(ram / MAX_NUMNODES, FAKE_NODE_MIN_SIZE);
	min_size = ALIGN(min_size, FAKE_NODE_MIN_SIZE);
	if (size < min_size) {
		pr_err("Fake node size %lluMB too small, increasing to %lluMB\n",
		       (unsigned long long)(size >> 20), (unsigned long long)(min_size >> 20));
		size = min_size;
	}
	size = ALIGN_DOWN(size, FAKE_NODE_MIN_SIZE);
	boot_config.numa_fake_node_bytes = size;
	return fake_nodes_counted(ram);
}

/*
 * numa=fake=NU on the one physical node: nodes of RAM/N (whole pages)
 * raised to a multiple of 32 MiB, as many as RAM holds, the last one
 * possibly smaller (split_nodes_size_interleave_uniform).  Fewer than N
 * fails the emulation (one node) with the kernel's message; more than
 * MAX_NUMNODES made share node numbers there, so that many nodes here.
 */
static int fake_nodes_uniform(unsigned long n)
{
	phys_addr_t ram = fake_nodes_ram();
	phys_addr_t size = ((ram >> PAGE_SHIFT) / n) << PAGE_SHIFT;
	phys_addr_t min_size = ALIGN(max(size, FAKE_NODE_MIN_SIZE), FAKE_NODE_MIN_SIZE);
	unsigned long got;

	if (size < min_size) {
		pr_err("Fake node size %lluMB too small, increasing to %lluMB\n",
		       (unsigned long long)(size >> 20), (unsigned long long)(min_size >> 20));
		size = min_size;
	}
	got = (unsigned long)DIV_ROUND_UP(ram, size);
	if (got < n) {
		pr_info("numa_emulation: phys: 0 only got %lu of %lu nodes, failing\n", got, n);
		return 1;
	}
	boot_config.numa_fake_node_bytes = size;
	return fake_nodes_counted(ram);
}

static int boot_locked(const char *cmdline, void (*hook)(void *), void *arg,
		       bool strict)
{
	const char *builtin = ukmem_builtin_cmdline;
	int err;

	boot_config_defaults();
	if (!cmdline)
		cmdline = arch_getenv("UKMEM_CMDLINE");
	if (!cmdline)
		cmdline = "";
	if (builtin && builtin[0])
		snprintf(boot_command_line, sizeof(boot_command_line), "%s%s%s", builtin,
			 cmdline[0] ? " " : "", cmdline);
	else
		snprintf(boot_command_line, sizeof(boot_command_line), "%s", cmdline);
	err = parse_boot_params(boot_command_line);
	if (err && strict)
		return err;
	boot_config.numa_fake_node_bytes = 0;
	if (boot_config.numa_fake_size)
		boot_config.numa_nodes = fake_nodes_for_size(boot_config.numa_fake_size);
	else if (boot_config.numa_fake_uniform)
		boot_config.numa_nodes = fake_nodes_uniform(boot_config.numa_fake_uniform);
	smp_init_cpus(boot_config.numa_nodes);	/* the minimum RAM depends on them */
	err = check_mem_limit(strict);
	if (err)
		return err;

	/*
	 * Load the unwinder now, so report paths never allocate to load it;
	 * the malloc front end loads it on its first stack trace instead.
	 */
	if (!&ukmem_lazy_unwinder || !ukmem_lazy_unwinder)
		arch_unwinder_load();
	/*
	 * The program's read-only ranges (is_kernel_rodata(): kstrdup_const,
	 * kfree_const) are found with dl_iterate_phdr(), which takes the
	 * loader's lock: now, so a signal handler's first call never does.
	 */
	arch_in_program_rodata(0);
	pr_info("Linux version " UKMEM_UTS_RELEASE " (ukmem " "0.1.0" ") #1 SMP PREEMPT\n");
	pr_info("Command line: %s\n", boot_command_line);
	print_unknown_bootoptions();
	err = setup_ram();
	if (err)
		return err;
	system_state = SYSTEM_BOOTING;
	setup_arch();
	highmem_setup();	/* mm/highmem.c: the i386 layout's lowmem limit */
	numa_init();
	free_area_init();
	build_all_zonelists();
	print_layout();
	setup_per_cpu_areas();
	kfence_pool_if_room();	/* mm/kfence.c: its pool from memblock, as the kernel's */
	if (hook)
		hook(arg);
	mem_init();
	kmem_cache_init();
	vmalloc_init();		/* mm/vmalloc.c: after slab, as mm_core_init() orders it */
	page_alloc_init_late();
	rcu_init();		/* kernel/rcu.c: its fork hook */
	vmscan_init();		/* mm/vmscan.c: kswapd's per-node state, fork hook */
	proc_fork_init();	/* mm/proc.c: the report locks' fork steps */
	stack_depot_init();	/* lib/stackdepot.c: its lock's fork step */
	kfence_init();		/* mm/kfence.c: its handler, metadata, files, fork step */
	fork_init();		/* kernel/fork.c: its steps, and pthread_atfork */
	live_publish();		/* mm/live.c: where `ukmem top` reads the figures */
	system_state = SYSTEM_RUNNING;
	apply_boot_sysctls();	/* sysctl.vm.x=y on the command line */
	vmscan_boot_done();	/* kswapd=boot */
	return 0;
}

/*
 * Interrupt context never waits; other atomic context (a program's own
 * spinlock held around its first allocation) waits without sleeping, as
 * a spinlock would; process context sleeps.
 */
static bool boot_lock_take(void)
{
	if (in_interrupt())
		return mutex_trylock(&boot_lock);
	if (!preemptible()) {
		while (!mutex_trylock(&boot_lock))
			arch_yield();
		return true;
	}
	mutex_lock(&boot_lock);
	return true;
}

/*
 * fork(): a boot in progress in another thread ends first, or the child
 * would inherit half a machine and the lock held (a boot hook's own fork
 * goes on: fork_mutex_lock() leaves a lock its thread holds alone).
 */
static const struct fork_step boot_fork_step = {
	.name = "boot",
	.order = FORK_ORDER_BOOT,
	.mutex = &boot_lock,
};

/* The implicit boot, which a panic leaves through boot_panic_escape(). */
static noinline int boot_implicit(const char *cmdline, void (*hook)(void *), void *arg)
{
	jmp_buf escape;
	int ret;

	if (setjmp(escape)) {
		boot_escape = NULL;
		memblock_close();	/* SYSTEM_BOOTING stays; memblock must not serve */
		return -ENOMEM;
	}
	boot_escape = &escape;
	ret = boot_locked(cmdline, hook, arg, false);
	boot_escape = NULL;
	return ret;
}

/*
 * kernel/fork.c, before a fork from ordinary code plans its steps: a boot
 * running in another thread ends first, so that the fork also takes the
 * steps that boot registers (slab_mutex's among them: the first
 * allocation's slab_late_init() takes it right after the boot, and a fork
 * planned before the boot's steps existed left the child that mutex held).
 */
void boot_wait_for_fork(void)
{
	if (system_state == SYSTEM_RUNNING || mutex_held_by_current(&boot_lock))
		return;
	mutex_lock(&boot_lock);
	mutex_unlock(&boot_lock);
}

/*
 * The fork handlers and the boot's own step, together and before anything
 * can boot: a fork in another thread while a boot runs must wait for it
 * (boot_fork_step), or its child finds boot_lock held by a thread it does
 * not have, for ever.  Handlers without the step opened exactly that
 * window.  The library's constructor does it as the library loads, before
 * main(), where glibc runs the program's own prepare handlers, registered
 * later, before ukmem's takes the locks (a prepare handler that called
 * kmalloc() after ukmem's had taken everything waited for ever, every
 * signal blocked).  do_boot() does it again for a boot from a constructor
 * that ran before this one.
 */
static void boot_fork_setup(void)
{
	static int done;

	if (__atomic_exchange_n(&done, 1, __ATOMIC_ACQ_REL))
		return;
	fork_register_step(&boot_fork_step);
	ukmem_install_atfork();
}

static __attribute__((constructor(101))) void boot_fork_setup_early(void)
{
	boot_fork_setup();
}

static int do_boot(const char *cmdline, void (*hook)(void *), void *arg, bool strict)
{
	int ret;

	boot_fork_setup();
	if (!boot_lock_take())
		return -EAGAIN;		/* a handler, while a boot runs: try later */
	if (system_state == SYSTEM_RUNNING)
		ret = -EALREADY;
	else if (system_state != SYSTEM_OFF)
		ret = -EBUSY;	/* a boot hook allocating through the page allocator */
	else {
		booting_thread = true;
		ret = strict ? boot_locked(cmdline, hook, arg, true) : boot_implicit(cmdline, hook, arg);
		booting_thread = false;
	}
	mutex_unlock(&boot_lock);
	return ret;
}

/*
 * panic() during an implicit boot (kernel/panic.c): the host refused what
 * the boot must have (a commit of boot memory under RLIMIT_DATA or at
 * vm.max_map_count, a reservation): the machine does not come up, and
 * allocations fail with NULL, as ukmem_boot_slow() promises, where a
 * program on glibc would get NULL too.  An explicit ukmem_boot() panics as
 * the kernel does.  Back to do_boot(), which releases boot_lock; what the
 * boot had taken stays, unused.
 */
void boot_panic_escape(void)
{
	jmp_buf *escape = boot_escape;

	if (!escape)
		return;
	boot_escape = NULL;
	pr_emerg("ukmem: the machine did not come up; allocations fail\n");
	longjmp(*escape, 1);
}

int ukmem_boot(const char *cmdline)
{
	return do_boot(cmdline, NULL, NULL, true);
}

int ukmem_boot_hook(const char *cmdline, void (*early_hook)(void *arg), void *arg)
{
	return do_boot(cmdline, early_hook, arg, true);
}

/*
 * Implicit boot from the first allocation: a malformed parameter is
 * reported and ignored, as the kernel ignores it.  If the machine cannot
 * come up at all, allocations fail with NULL.
 */
void ukmem_boot_slow(void)
{
	int ret;

	if (system_state == SYSTEM_RUNNING)
		return;
	/*
	 * The boot itself or an early hook allocating: there is no buddy
	 * allocator yet, so let it fail.  Other threads wait for the boot.
	 */
	if (booting_thread || READ_ONCE(implicit_boot_failed))
		return;
	ret = do_boot(NULL, NULL, NULL, false);
	if (ret && ret != -EAGAIN && system_state != SYSTEM_RUNNING)
		WRITE_ONCE(implicit_boot_failed, true);	/* read by other threads unlocked */
}

bool ukmem_boot_failed(void)
{
	return READ_ONCE(implicit_boot_failed) && system_state != SYSTEM_RUNNING;
}

bool ukmem_booted(void)
{
	return system_state == SYSTEM_RUNNING;
}

const char *ukmem_cmdline(void)
{
	return boot_command_line;
}
