/* SPDX-License-Identifier: MIT */
/*
 * arch/host.h - everything ukmem asks of the host.
 *
 * This is the only interface to the operating system: address-space
 * reservation and commit, CPU and node numbers, clocks, the calling thread's
 * identity, waiting, the console, and stack traces.  No file outside arch/
 * includes <sys/mman.h> or makes a system call.
 *
 * Address space: arch_reserve() takes a range PROT_NONE and uncommitted;
 * arch_commit() makes part of it usable (and under vm.overcommit_memory=2
 * charges it, failing cleanly with -ENOMEM); arch_decommit() gives pages
 * back to the host, uncharges them and makes them inaccessible again;
 * arch_discard() gives pages back and leaves them usable (and charged,
 * which matters only where arch_strict_overcommit()).
 */
#ifndef _ARCH_HOST_H
#define _ARCH_HOST_H

#include <ukmem/kernel_types.h>

/* Address space. */
/*
 * The library's own environment variable @name (UKMEM_*), or NULL: never
 * in a setuid or setgid program (secure_getenv), where the caller's
 * environment must not choose a boot line or a file the report is
 * written to, as glibc's malloc ignores its variables there.
 */
const char *arch_getenv(const char *name);
/* ftruncate(@fd, @size), or -EFBIG without a SIGXFSZ where ulimit -f is below @size. */
int arch_file_set_size(int fd, u64 size);
void *arch_reserve(size_t size, size_t align);
void arch_unreserve(void *addr, size_t size);
int arch_commit(void *addr, size_t size);
bool arch_decommit(void *addr, size_t size);
bool arch_discard(void *addr, size_t size, bool replace);
bool arch_strict_overcommit(void);
/*
 * Bit i of @untouched: page i of @n from @addr (page-aligned) was never
 * backed since it was mapped or discarded (neither present nor swapped).
 * False if the host cannot tell (no /proc): then nothing is known.
 */
bool arch_pages_untouched(const void *addr, unsigned long n, unsigned long *untouched);
/*
 * Make [addr, addr+size) inaccessible: 0, or -errno (the host may refuse
 * to split a mapping at vm.max_map_count); errno is kept.
 */
int arch_protect_none(void *addr, size_t size);
/* Plain anonymous read-write memory for the malloc front end's largest blocks. */
void *arch_map_anon(size_t size);
void arch_unmap(void *addr, size_t size);
/* munmap that says whether the host did it: 0 or -errno (errno is kept). */
int arch_unmap_checked(void *addr, size_t size);
/*
 * Fresh read-write memory at exactly @addr, never over another mapping:
 * 0, -EEXIST if something is mapped there, or the host's -errno.
 */
int arch_map_anon_at(void *addr, size_t size);
/* Resize a mapping made by arch_map_anon, moving it if needed; NULL if refused. */
void *arch_remap(void *addr, size_t old_size, size_t new_size);
/*
 * Move a whole mapping of @size bytes to a new address, its pages and
 * protection with it (no copy, no fault); nothing stays mapped at @addr.
 * NULL, with the mapping left where it was, if the host has no room.
 */
void *arch_move_anon(void *addr, size_t size);
unsigned long arch_host_ram_bytes(void);
/*
 * What RLIMIT_AS and RLIMIT_DATA still allow to be mapped, and under strict
 * overcommit what the host still lets the process commit; ULONG_MAX
 * without a limit.  Without /proc the limits themselves bound it.
 */
unsigned long arch_address_space_left(void);
/* The dynamic loader's image [start, end), or false (a static program). */
bool arch_loader_image(unsigned long *start, unsigned long *end);

/* CPUs. */
unsigned int arch_possible_cpus(void);
unsigned int arch_online_cpus(void);
long arch_rseq_offset(void);
/* slab_rseq=fake: a never-aborted area saying CPU 0, for valgrind's counts (one thread). */
bool arch_rseq_fake(void);
bool arch_rseq_is_fake(void);
/*
 * Measurement only: the CPU the calling thread's fake area says (false if
 * slab_rseq is not fake).  A bench moves one thread between two CPUs' caches
 * with it, to count what a free on another CPU costs (bench/bench_slab.c).
 */
bool arch_rseq_fake_cpu(unsigned int cpu);
int arch_current_cpu(void);

/*
 * Threads of the library's own (arch/thread.c): kswapd and the RCU
 * callback thread.  arch_thread_create() starts fn(arg) with every signal
 * blocked (a program's signals go to its own threads) and names it;
 * 0 or -errno.  arch_thread_join() waits for it to return.
 * arch_thread_exit_hook() arranges for fn(arg) to run when the calling
 * thread exits (once per thread; the fn is set by the first call in the
 * process); false if that cannot be arranged.  arch_atexit(): at process
 * exit, before the process's threads are gone.
 */
typedef unsigned long arch_thread_t;
int arch_thread_create(arch_thread_t *thread, void *(*fn)(void *), void *arg,
		       const char *name);
void arch_thread_join(arch_thread_t thread);
/*
 * A library thread was asked to end: wait up to a second for it to say
 * so (it stores 1 in *@exited and wakes it), then join it.  False if it
 * did not end in time (it is left to end with the process).
 */
bool arch_thread_reap(arch_thread_t thread, u32 *exited);
bool arch_thread_exit_hook(void (*fn)(void *), void *arg);
int arch_atexit(void (*fn)(void));
/* Thread @tid exists in this process (a fork child has only its own). */
bool arch_thread_alive(int tid);

/*
 * A full memory barrier on every CPU that runs a thread of this process
 * (membarrier(2) MEMBARRIER_CMD_PRIVATE_EXPEDITED, registered by
 * arch_membarrier_init()).  arch_membarrier_init() is false where the host
 * has none (old kernels, valgrind, some sandboxes); then arch_membarrier()
 * is only a barrier of the caller's own.  @again registers anew (a fork
 * child, whose address space is new).
 */
bool arch_membarrier_init(bool again);
void arch_membarrier(void);

/* Time: nanoseconds on the monotonic clock, and jiffies at HZ. */
#define HZ 1000
u64 arch_clock_ns(void);
u64 arch_random_u64(void);	/* getrandom(): keys for hardening */
void arch_random_fork_child(void);	/* a child's keys are not its parent's next ones */
unsigned long arch_jiffies(void);
/*
 * A free-running counter that is cheap to read (the TSC on x86-64: one
 * instruction, no system call) and ticks at least once a nanosecond there;
 * elsewhere the monotonic clock in ns.  Only for "has about this much
 * time passed" checks on slow paths (mm/kfence.c): never a clock.
 */
static inline u64 arch_cycles(void)
{
#if defined(__x86_64__)
	return __builtin_ia32_rdtsc();
#else
	return arch_clock_ns();
#endif
}
void arch_cpu_relax(void);
void arch_yield(void);

/* The calling thread. */
int arch_gettid(void);
int arch_getpid(void);
unsigned int arch_geteuid(void);	/* dump_stack()'s UID: field */
void arch_comm(char name[16]);
unsigned long arch_peak_rss_kb(void);	/* getrusage(): the peak RSS, KiB */

/*
 * Waiting: sleep while *addr == val, at most timeout_ns (< 0: no limit);
 * wake every sleeper on addr, or one (a mutex hands over to one waiter).
 */
void arch_wait(u32 *addr, u32 val, long timeout_ns);
void arch_wake_all(u32 *addr);
void arch_wake_one(u32 *addr);

/*
 * fork().  arch_single_threaded(): the process has one thread (the C
 * library's own answer, __libc_single_threaded; false when unknown).
 * arch_block_signals() blocks every signal but the faults (SIGSEGV,
 * SIGBUS, SIGILL, SIGFPE, SIGTRAP, SIGSYS) and SIGABRT, and returns the
 * mask to give back to arch_restore_signals() (signals 1..64, bit n-1).
 * arch_fork(): fork(2) through the C library, so that atfork handlers run;
 * the pid, or -errno.  arch_atfork(): pthread_atfork().
 */
bool arch_single_threaded(void);
u64 arch_block_signals(void);
void arch_restore_signals(u64 mask);
int arch_fork(void);
int arch_atfork(void (*prepare)(void), void (*parent)(void), void (*child)(void));

/*
 * Thread cancellation held off across a lock held while writing (write(2)
 * is a cancellation point): arch_cancel_off() returns the state to give
 * back to arch_cancel_restore(), where a pending cancel then acts.
 */
int arch_cancel_off(void);
void arch_cancel_restore(int state);

/* Output and death.  arch_kill_self(): SIGKILL, as the OOM killer sends it. */
void arch_write(int fd, const char *buf, size_t len);
__noreturn void arch_abort(void);
__noreturn void arch_kill_self(void);
/* The whole process ends with @status, by the system call itself: no atexit, no interceptor. */
__noreturn void arch_exit_now(int status);

/*
 * AddressSanitizer in a program built with it (arch/sanitizer.c), looked
 * up at boot: arch_asan_detect() says whether it is there.  Poisoned
 * bytes are reported when the program touches them.
 * arch_asan_accessible(): how many bytes from @addr are not poisoned.
 */
bool arch_asan_detect(void);
bool arch_asan_present(void);
void arch_asan_poison(const void *addr, size_t size);
void arch_asan_unpoison(const void *addr, size_t size);
size_t arch_asan_accessible(const void *addr, size_t size);

/*
 * Faults on memory ukmem protected on purpose (mm/kfence.c's guard pages,
 * debug_pagealloc's free pages).  arch_fault_handler_install() installs
 * one SIGSEGV and SIGBUS handler for the process; it calls each @fn
 * installed (up to four, in the order installed) with the faulting
 * address, whether the access was a write (x86-64: the page-fault error
 * code's bit 1; false where the host does not say) and the faulting
 * instruction's address, until one returns true: it made the access
 * possible (the instruction is retried).  If none does, the fault goes to
 * the handler installed before ours (or the default action: the process
 * dies of the signal).  0 or -errno (-ENOSPC: four are installed); once
 * per @fn and process (a fork child keeps them).
 */
typedef bool (*arch_fault_fn)(unsigned long addr, bool write, unsigned long ip);
int arch_fault_handler_install(arch_fault_fn fn);
/* Make [addr, addr+len) of a reservation read-write again after arch_protect_none(). */
int arch_unprotect(void *addr, size_t size);

/* Stack traces: return addresses of the caller's frames. */
int arch_stack_trace(unsigned long *entries, int max, int skip);
/* Load the unwinder now (allocates once); while it loads, the counters say so. */
void arch_unwinder_load(void);
extern int arch_unwinder_loading;
extern __thread bool arch_unwinder_loading_here;

/*
 * Loaded objects, for kernel/kallsyms.c.  arch_object_of() finds the one
 * whose segments hold @addr; arch_main_object() the program's own.  A run-
 * time address is the file's address plus @base; @link is the lowest
 * address the file asks for (0 for a position-independent one), @start and
 * @end bound its segments at run time, @path opens its file.
 */
struct arch_object {
	unsigned long base, link, start, end;
	const char *path;
	bool main;
};
bool arch_object_of(unsigned long addr, struct arch_object *obj);
bool arch_main_object(struct arch_object *obj);
/* Is @addr in a read-only, non-executable segment of the program itself? */
bool arch_in_program_rodata(unsigned long addr);
/* A whole file mapped read-only (unmap with arch_unmap); NULL if not. */
const void *arch_map_path(const char *path, size_t *size);
/* The dynamic linker's symbol for @addr (exported symbols only). */
bool arch_dladdr(unsigned long addr, const char **name, unsigned long *start,
		 unsigned long *size);

/*
 * The statistics area (mm/live.c): @size bytes of private memory named
 * @name, so that /proc/PID/maps shows "/memfd:NAME (deleted)"; NULL if the
 * host refuses.  Other processes, for the ukmem command's live view
 * (arch/remote.c): read @len bytes at @addr of process @pid
 * (process_vm_readv: no stop; bytes read or -errno, -EPERM where ptrace
 * rules forbid it); the start addresses of the mappings whose path is
 * "/memfd:NAME (deleted)" (count, or -errno); resident memory in KiB;
 * the command name; the process ids in /proc.
 */
void *arch_named_area(const char *name, size_t size);
long arch_process_read(int pid, unsigned long addr, void *buf, size_t len);
/*
 * Copy @len bytes within this process without faulting: @from is the
 * address to trust least (a "user" pointer) unless @to_remote, then @to
 * is.  Returns the bytes copied before the first inaccessible one.
 */
size_t arch_copy_checked(void *to, const void *from, size_t len, bool to_remote);
int arch_process_find_area(int pid, const char *name, unsigned long *addrs, int max);
long arch_process_rss_kb(int pid);
int arch_process_comm(int pid, char comm[16]);
int arch_process_list(int *pids, int max);
/* ptrace_scope of the Yama LSM (0 when absent): 1 limits process_vm_readv to descendants. */
int arch_ptrace_scope(void);

/*
 * For mm/kmemleak.c's scan.  arch_writable_segments() calls @fn with every
 * writable loaded segment (the data and bss of the program and of each
 * shared object) and stops early when @fn returns non-zero; it holds the
 * loader's lock meanwhile, so @fn must not allocate.  arch_mapping_of()
 * finds the mapping of this process that holds @addr (a thread's stack,
 * from one address inside it) by reading /proc/self/maps without
 * allocating; false if none.  arch_self_read() copies @len bytes at @addr
 * of this process without faulting (process_vm_readv): bytes read, or
 * -errno for a range not mapped.
 */
int arch_writable_segments(int (*fn)(unsigned long start, unsigned long end, void *arg),
			   void *arg);
bool arch_mapping_of(unsigned long addr, unsigned long *start, unsigned long *end);
long arch_self_read(unsigned long addr, void *buf, size_t len);

/* Sizes of the library's own image, for the boot "Memory:" line. */
struct arch_image_sizes {
	unsigned long text, rodata, data, bss;
};
void arch_image_sizes(struct arch_image_sizes *sizes);

#endif /* _ARCH_HOST_H */
