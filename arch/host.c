/* SPDX-License-Identifier: MIT */
/*
 * arch/host.c - the host interface of arch/host.h on Linux/glibc.
 *
 * The only file that makes system calls.  Memory: the RAM range and the
 * vmalloc range are reserved PROT_NONE with MAP_NORESERVE, so they cost
 * neither memory nor commit charge until arch_commit() makes part of them
 * read-write; arch_decommit() replaces pages with a fresh PROT_NONE
 * mapping, which frees them and uncharges them under strict overcommit.
 * Where the host does not keep a strict account, arch_discard() frees
 * pages and leaves them usable: no second system call to take them back.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <elf.h>
#include <errno.h>
#include <execinfo.h>
#include <fcntl.h>
#include <link.h>
#include <pthread.h>
#include <linux/futex.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>
#if __has_include(<sys/single_threaded.h>)
#include <sys/single_threaded.h>
#endif
#include <sys/syscall.h>
#include <sys/sysinfo.h>
#include <sys/uio.h>
#include <time.h>
#include <unistd.h>

#include "arch/host.h"

void *arch_reserve(size_t size, size_t align)
{
	size_t span = size + align;
	char *base, *start;

	base = mmap(NULL, span, PROT_NONE,
		    MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (base == MAP_FAILED)
		return NULL;
	start = (char *)ALIGN((unsigned long)base, align);
	/* Trim the slack on both sides so the reservation is exact. */
	if (start > base)
		munmap(base, start - base);
	if (base + span > start + size)
		munmap(start + size, base + span - (start + size));
	return start;
}

void arch_unreserve(void *addr, size_t size)
{
	munmap(addr, size);
}

int arch_commit(void *addr, size_t size)
{
	if (mprotect(addr, size, PROT_READ | PROT_WRITE))
		return -ENOMEM;
	return 0;
}

/*
 * Free paths end here (and in arch_unmap), and free() must leave errno
 * alone: both keep the caller's errno whatever the host answers.  Returns
 * whether the range was replaced; if the host refused (its map limit: the
 * range splits a mapping), the pages are only discarded and whatever was
 * mapped there stays.
 */
bool arch_decommit(void *addr, size_t size)
{
	int saved_errno = errno;
	void *p = mmap(addr, size, PROT_NONE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED, -1, 0);

	if (p == MAP_FAILED)
		madvise(addr, size, MADV_DONTNEED);
	errno = saved_errno;
	return p != MAP_FAILED;
}

/*
 * The pages go back to the host and the range stays read-write (a later
 * touch finds zeroed pages): MADV_DONTNEED on a private mapping, or, with
 * @replace (part of the range is a shared mapping of the physical memory
 * file), a fresh private anonymous mapping over it.  The commit charge
 * stays, which only strict overcommit counts (arch_strict_overcommit()).
 * Returns false if @replace was asked for and the host refused it (then
 * the shared mapping stays, its pages dropped from this process only).
 */
bool arch_discard(void *addr, size_t size, bool replace)
{
	int saved_errno = errno;

	if (replace) {
		void *p = mmap(addr, size, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | MAP_FIXED, -1, 0);

		if (p != MAP_FAILED) {
			errno = saved_errno;
			return true;
		}
	}
	madvise(addr, size, MADV_DONTNEED);
	errno = saved_errno;
	return !replace;
}

/*
 * /proc/self/pagemap: one 64-bit entry per page, bit 63 present, bit 62
 * swapped out.  A private anonymous page with neither was never touched
 * since it was mapped or discarded: it reads as zero.  Any process may
 * read its own flags (only the frame numbers need privilege).  Opened for
 * each query, so that no descriptor of ours stays open for a program to
 * close or reuse.
 */
bool arch_pages_untouched(const void *addr, unsigned long n, unsigned long *untouched)
{
	enum { CHUNK = 256 };
	unsigned long first = (unsigned long)addr >> 12, done = 0;	/* x86-64 4 KiB pages */
	uint64_t entries[CHUNK];
	int saved_errno = errno, fd;
	bool ok = true;

	fd = open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		errno = saved_errno;
		return false;
	}
	memset(untouched, 0, BITS_TO_LONGS(n) * sizeof(long));
	while (ok && done < n) {
		unsigned long want = min(n - done, (unsigned long)CHUNK), i;
		ssize_t got = pread(fd, entries, want * sizeof(uint64_t),
				    (off_t)((first + done) * sizeof(uint64_t)));

		ok = got == (ssize_t)(want * sizeof(uint64_t));
		for (i = 0; ok && i < want; i++)
			if (!(entries[i] >> 62))
				untouched[(done + i) / BITS_PER_LONG] |= 1UL << ((done + i) % BITS_PER_LONG);
		done += want;
	}
	close(fd);
	errno = saved_errno;
	return ok;
}

/*
 * vm.overcommit_memory=2: the host charges every writable private page
 * it maps, so memory handed back must be unmapped for the charge to fall
 * (arch_decommit).  Read once; a host without /proc counts as not strict.
 */
bool arch_strict_overcommit(void)
{
	static int strict = -1;
	int saved_errno, fd, known = __atomic_load_n(&strict, __ATOMIC_RELAXED);
	char c = '0';

	if (known >= 0)
		return known;
	saved_errno = errno;
	fd = open("/proc/sys/vm/overcommit_memory", O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		if (read(fd, &c, 1) != 1)
			c = '0';
		close(fd);
	}
	errno = saved_errno;
	__atomic_store_n(&strict, c == '2', __ATOMIC_RELAXED);
	return c == '2';
}

int arch_protect_none(void *addr, size_t size)
{
	int saved_errno = errno, ret = 0;

	if (mprotect(addr, size, PROT_NONE))
		ret = -errno;
	errno = saved_errno;
	return ret;
}

int arch_unprotect(void *addr, size_t size)
{
	int saved_errno = errno, ret = 0;

	if (mprotect(addr, size, PROT_READ | PROT_WRITE))
		ret = -errno;
	errno = saved_errno;
	return ret;
}

/* ---- faults on protected memory ---- */

#define FAULT_FNS	4
static arch_fault_fn fault_fns[FAULT_FNS];	/* tried in order; NULL ends */
static struct sigaction fault_old[2];	/* SIGSEGV, SIGBUS before ours */

static bool fault_settled(unsigned long addr, bool write, unsigned long ip)
{
	int i;

	for (i = 0; i < FAULT_FNS; i++) {
		arch_fault_fn fn = __atomic_load_n(&fault_fns[i], __ATOMIC_ACQUIRE);

		if (!fn)
			break;
		if (fn(addr, write, ip))
			return true;
	}
	return false;
}

static void fault_handler(int sig, siginfo_t *info, void *uctx)
{
	struct sigaction *old = &fault_old[sig == SIGBUS];
	int saved_errno = errno;
	bool write = false;
	unsigned long ip = 0;

#if defined(__x86_64__)
	{
		const ucontext_t *uc = uctx;

		write = (uc->uc_mcontext.gregs[REG_ERR] & 2) != 0;
		ip = (unsigned long)uc->uc_mcontext.gregs[REG_RIP];
	}
#endif
	/* A fault (not a kill(2) of SIGSEGV) that the handler could settle? */
	if (info->si_code > 0 && fault_settled((unsigned long)info->si_addr, write, ip)) {
		errno = saved_errno;
		return;
	}
	errno = saved_errno;
	if ((old->sa_flags & SA_SIGINFO) && old->sa_sigaction) {
		old->sa_sigaction(sig, info, uctx);
	} else if (old->sa_handler != SIG_DFL && old->sa_handler != SIG_IGN) {
		old->sa_handler(sig);
	} else {
		/*
		 * The default action: the faulting instruction runs again
		 * without us and the signal kills the process as it would
		 * have (an ignored fault kills too).  A sent signal is sent
		 * again.
		 */
		signal(sig, SIG_DFL);
		if (info->si_code <= 0)
			raise(sig);
	}
}

int arch_fault_handler_install(arch_fault_fn fn)
{
	static const int sigs[2] = { SIGSEGV, SIGBUS };
	struct sigaction sa;
	int i, slot;

	/* The first free slot, claimed by a compare-and-swap; @fn once. */
	for (slot = 0; slot < FAULT_FNS; slot++) {
		arch_fault_fn none = NULL;

		if (__atomic_compare_exchange_n(&fault_fns[slot], &none, fn, false,
						__ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
			break;
		if (none == fn)
			return 0;	/* installed already */
	}
	if (slot == FAULT_FNS)
		return -ENOSPC;
	if (slot > 0)
		return 0;	/* the signal handlers are there already */
	memset(&sa, 0, sizeof(sa));
	sa.sa_sigaction = fault_handler;
	sa.sa_flags = SA_SIGINFO | SA_ONSTACK | SA_RESTART;
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < 2; i++)
		if (sigaction(sigs[i], &sa, &fault_old[i]))
			return -errno;
	return 0;
}

void *arch_map_anon(size_t size)
{
	void *p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	return p == MAP_FAILED ? NULL : p;
}

void arch_unmap(void *addr, size_t size)
{
	int saved_errno = errno;

	munmap(addr, size);
	errno = saved_errno;
}

int arch_unmap_checked(void *addr, size_t size)
{
	int saved_errno = errno, ret = munmap(addr, size) ? -errno : 0;

	errno = saved_errno;
	return ret;
}

int arch_map_anon_at(void *addr, size_t size)
{
	int saved_errno = errno, ret = 0;
	void *p = mmap(addr, size, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);

	if (p == MAP_FAILED) {
		ret = -errno;
	} else if (p != addr) {
		/* A host before Linux 4.17 takes the flag as a hint. */
		munmap(p, size);
		ret = -EEXIST;
	}
	errno = saved_errno;
	return ret;
}

void *arch_remap(void *addr, size_t old_size, size_t new_size)
{
	void *p = mremap(addr, old_size, new_size, MREMAP_MAYMOVE);

	return p == MAP_FAILED ? NULL : p;
}

void *arch_move_anon(void *addr, size_t size)
{
	int saved_errno = errno;
	void *to, *p = NULL;

	/* A placeholder the host chose (never @addr: still mapped), then mremap onto it. */
	to = mmap(NULL, size, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (to != MAP_FAILED) {
		p = mremap(addr, size, size, MREMAP_MAYMOVE | MREMAP_FIXED, to);
		if (p == MAP_FAILED) {
			munmap(to, size);
			p = NULL;
		}
	}
	errno = saved_errno;
	return p;
}

/*
 * ld.so's image: its load address from the auxiliary vector, its extent
 * from its program headers (mapped with its first page).  The minimal
 * malloc ld.so uses before the program's malloc is relocated hands out
 * the rest of the page after its .bss: within the last segment's pages.
 */
bool arch_loader_image(unsigned long *start, unsigned long *end)
{
	unsigned long base = getauxval(AT_BASE), top = 0;
	const ElfW(Ehdr) *eh = (const ElfW(Ehdr) *)base;
	const ElfW(Phdr) *ph;
	int i;

	if (!base || memcmp(eh->e_ident, ELFMAG, SELFMAG))
		return false;
	ph = (const ElfW(Phdr) *)(base + eh->e_phoff);
	for (i = 0; i < eh->e_phnum; i++)
		if (ph[i].p_type == PT_LOAD && ph[i].p_vaddr + ph[i].p_memsz > top)
			top = ph[i].p_vaddr + ph[i].p_memsz;
	*start = base;
	*end = (base + top + 4095) & ~4095UL;
	return true;
}

unsigned long arch_host_ram_bytes(void)
{
	long pages = sysconf(_SC_PHYS_PAGES);
	long psize = sysconf(_SC_PAGESIZE);

	if (pages <= 0 || psize <= 0)
		return 1UL << 30;
	return (unsigned long)pages * (unsigned long)psize;
}

/*
 * What the process may still map under its limits: RLIMIT_AS less what
 * is mapped now, and RLIMIT_DATA less its data mappings now (Linux counts
 * every private writable mapping that is not a stack there, the memory
 * the boot commits included: mem_map alone is 1/64 of the RAM range, 384
 * MB for a 24 GiB host), the smaller of the two.  Read from
 * /proc/self/statm (size, and data, which also counts the stack) without
 * allocating: this runs in the boot.  ULONG_MAX without a limit, or when
 * the sizes cannot be read.
 */
/* One "Name:   N kB" value of /proc/meminfo, in bytes; 0 if absent. */
static unsigned long meminfo_bytes(const char *text, const char *name)
{
	const char *p = strstr(text, name);
	unsigned long kb = 0;

	if (!p)
		return 0;
	for (p += strlen(name); *p == ' '; p++)
		;
	for (; *p >= '0' && *p <= '9'; p++)
		kb = kb * 10 + (unsigned long)(*p - '0');
	return kb << 10;
}

/*
 * Under strict overcommit (vm.overcommit_memory=2) what the host will
 * still let the process commit: CommitLimit less Committed_AS.  ULONG_MAX
 * when overcommit is not strict or /proc/meminfo cannot be read.
 */
static unsigned long commit_left(void)
{
	char buf[4096];
	unsigned long limit, committed;
	ssize_t n;
	int fd;

	if (!arch_strict_overcommit())
		return ULONG_MAX;
	fd = open("/proc/meminfo", O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return ULONG_MAX;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return ULONG_MAX;
	buf[n] = '\0';
	limit = meminfo_bytes(buf, "CommitLimit:");
	committed = meminfo_bytes(buf, "Committed_AS:");
	if (!limit)
		return ULONG_MAX;
	return committed >= limit ? 0 : limit - committed;
}

unsigned long arch_address_space_left(void)
{
	struct rlimit as, data;
	unsigned long field[6] = { 0 }, left = commit_left(), pg = (unsigned long)getpagesize();
	char buf[128];
	ssize_t n;
	int fd, i, f = 0;

	if (getrlimit(RLIMIT_AS, &as))
		as.rlim_cur = RLIM_INFINITY;
	if (getrlimit(RLIMIT_DATA, &data))
		data.rlim_cur = RLIM_INFINITY;
	if (as.rlim_cur == RLIM_INFINITY && data.rlim_cur == RLIM_INFINITY)
		return left;
	fd = open("/proc/self/statm", O_RDONLY | O_CLOEXEC);
	n = fd < 0 ? -1 : read(fd, buf, sizeof(buf) - 1);
	if (fd >= 0)
		close(fd);
	/* size resident shared text lib data dt, in pages */
	for (i = 0; i < n && f < 6; i++) {
		if (buf[i] >= '0' && buf[i] <= '9')
			field[f] = field[f] * 10 + (unsigned long)(buf[i] - '0');
		else if (buf[i] == ' ')
			f++;
		else
			break;
	}
	/*
	 * Without /proc (a chroot, a sandbox) the process's use is unknown:
	 * the limit itself is the bound, which the boot's halving and its
	 * retries on refusal then work within.
	 */
	if (f < 5)
		memset(field, 0, sizeof(field));
	if (as.rlim_cur != RLIM_INFINITY)
		left = min(left, field[0] * pg >= as.rlim_cur ? 0 : as.rlim_cur - field[0] * pg);
	if (data.rlim_cur != RLIM_INFINITY)
		left = min(left, field[5] * pg >= data.rlim_cur ? 0 : data.rlim_cur - field[5] * pg);
	return left;
}

unsigned int arch_possible_cpus(void)
{
	long n = sysconf(_SC_NPROCESSORS_CONF);

	return n > 0 ? (unsigned int)n : 1;
}

unsigned int arch_online_cpus(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);

	return n > 0 ? (unsigned int)n : 1;
}

/*
 * glibc 2.35+ registers an rseq area per thread and exports its offset from
 * the thread pointer; cpu_id sits 4 bytes into it.  A registration size of
 * 0 means glibc did not register one (e.g. GLIBC_TUNABLES disabled it).
 */
extern const ptrdiff_t __rseq_offset __attribute__((weak));
extern const unsigned int __rseq_size __attribute__((weak));

static bool glibc_rseq(void)
{
	return &__rseq_offset != NULL && &__rseq_size != NULL && __rseq_size != 0;
}

/*
 * slab_rseq=fake: an area of our own, laid out as struct rseq (cpu_id_start
 * at 0, cpu_id at 4, rseq_cs at 8), that always says CPU 0 and that no
 * kernel ever aborts a sequence of.  It lets valgrind, which refuses rseq
 * and so leaves glibc without an area, run and count the same fast path a
 * native run takes.  Safe for one thread only: nothing restarts a sequence
 * another thread interrupted.  Never where glibc has a real area.
 */
struct fake_rseq_area {
	u32 cpu_id_start, cpu_id;
	u64 rseq_cs;
	u32 flags;
};
static __thread struct fake_rseq_area fake_rseq
	__attribute__((tls_model("initial-exec"), aligned(32)));
static bool rseq_faked;

bool arch_rseq_fake(void)
{
	if (glibc_rseq())
		return false;
	rseq_faked = true;
	return true;
}

bool arch_rseq_is_fake(void)
{
	return rseq_faked;
}

bool arch_rseq_fake_cpu(unsigned int cpu)
{
	if (!rseq_faked)
		return false;
	/* Nothing is in a sequence here: the caller is between allocator calls. */
	__atomic_store_n(&fake_rseq.cpu_id_start, cpu, __ATOMIC_RELAXED);
	__atomic_store_n(&fake_rseq.cpu_id, cpu, __ATOMIC_RELAXED);
	return true;
}

long arch_rseq_offset(void)
{
	if (rseq_faked)
		return (long)((char *)&fake_rseq - (char *)__builtin_thread_pointer());
	if (!glibc_rseq())
		return 0;
	return (long)__rseq_offset;
}

int arch_current_cpu(void)
{
	int cpu = sched_getcpu();

	return cpu < 0 ? 0 : cpu;
}

u64 arch_clock_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (u64)ts.tv_sec * 1000000000ull + (u64)ts.tv_nsec;
}

unsigned long arch_jiffies(void)
{
	return (unsigned long)(arch_clock_ns() / (1000000000ull / HZ));
}

void arch_cpu_relax(void)
{
	__builtin_ia32_pause();
}

void arch_yield(void)
{
	sched_yield();
}

int arch_gettid(void)
{
	return (int)syscall(SYS_gettid);
}

int arch_getpid(void)
{
	return (int)getpid();
}

unsigned int arch_geteuid(void)
{
	return (unsigned int)geteuid();
}

void arch_comm(char name[16])
{
	if (prctl(PR_GET_NAME, name, 0, 0, 0))
		strcpy(name, "?");
	name[15] = '\0';
}

/* The process's peak resident set, in KiB (getrusage's ru_maxrss); 0 if unknown. */
unsigned long arch_peak_rss_kb(void)
{
	struct rusage ru;

	if (getrusage(RUSAGE_SELF, &ru))
		return 0;
	return (unsigned long)ru.ru_maxrss;
}

void arch_wait(u32 *addr, u32 val, long timeout_ns)
{
	struct timespec ts, *tsp = NULL;

	if (timeout_ns >= 0) {
		ts.tv_sec = timeout_ns / 1000000000L;
		ts.tv_nsec = timeout_ns % 1000000000L;
		tsp = &ts;
	}
	syscall(SYS_futex, addr, FUTEX_WAIT_PRIVATE, val, tsp, NULL, 0);
}

void arch_wake_all(u32 *addr)
{
	syscall(SYS_futex, addr, FUTEX_WAKE_PRIVATE, 0x7fffffff, NULL, NULL, 0);
}

void arch_wake_one(u32 *addr)
{
	syscall(SYS_futex, addr, FUTEX_WAKE_PRIVATE, 1, NULL, NULL, 0);
}

void arch_write(int fd, const char *buf, size_t len)
{
	while (len) {
		ssize_t n = write(fd, buf, len);

		if (n < 0) {
			if (errno == EINTR)
				continue;
			return;
		}
		buf += n;
		len -= (size_t)n;
	}
}

void arch_abort(void)
{
	abort();
}

void arch_exit_now(int status)
{
	for (;;)
		syscall(SYS_exit_group, status);
}

void arch_kill_self(void)
{
	for (;;)
		kill(getpid(), SIGKILL);
}

int arch_cancel_off(void)
{
	int old = PTHREAD_CANCEL_ENABLE;

	pthread_setcancelstate(PTHREAD_CANCEL_DISABLE, &old);
	return old;
}

void arch_cancel_restore(int state)
{
	int old;

	pthread_setcancelstate(state, &old);
}

/* ---- fork ---- */

bool arch_single_threaded(void)
{
#if __has_include(<sys/single_threaded.h>)
	return __libc_single_threaded != 0;
#else
	return false;
#endif
}

u64 arch_block_signals(void)
{
	static const int faults[] = { SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGTRAP, SIGSYS, SIGABRT };
	sigset_t set, old;
	u64 mask = 0;
	int sig;
	size_t i;

	sigfillset(&set);
	for (i = 0; i < sizeof(faults) / sizeof(faults[0]); i++)
		sigdelset(&set, faults[i]);
	pthread_sigmask(SIG_BLOCK, &set, &old);
	for (sig = 1; sig <= 64 && sig < NSIG; sig++)
		if (sigismember(&old, sig) == 1)
			mask |= 1ULL << (sig - 1);
	return mask;
}

void arch_restore_signals(u64 mask)
{
	sigset_t set;
	int sig;

	sigemptyset(&set);
	for (sig = 1; sig <= 64 && sig < NSIG; sig++)
		if (mask & (1ULL << (sig - 1)))
			sigaddset(&set, sig);
	pthread_sigmask(SIG_SETMASK, &set, NULL);
}

int arch_fork(void)
{
	pid_t pid = fork();

	return pid < 0 ? -errno : (int)pid;
}

int arch_atfork(void (*prepare)(void), void (*parent)(void), void (*child)(void))
{
	return pthread_atfork(prepare, parent, child);
}

/*
 * Stack traces come from glibc's backtrace(), which unwinds with libgcc's
 * unwinder.  Its first call loads libgcc_s, and loading allocates: from a
 * report path that may hold allocator locks.  So the first call is made
 * knowingly, by arch_unwinder_load(): at boot by the library, or on the
 * first stack trace by the malloc front end (which spares programs that
 * never print one the ~280 KB that libgcc_s and libc's loader cost), with
 * arch_unwinder_loading set so that the front end serves the loader's
 * allocations from its bootstrap arena, without a lock.
 */
int arch_unwinder_loading;			/* threads loading it now */
__thread bool arch_unwinder_loading_here;	/* this thread is */
static bool unwinder_loaded;
/*
 * The load failed (the host refused the mappings: vm.max_map_count used
 * up, a data limit).  glibc does not remember that: every later
 * backtrace() would try dlopen() again, allocating from wherever the trace
 * is taken (under slab_mutex, from KFENCE's allocation hook: a deadlock).
 * Stack traces stay empty instead.
 */
static bool unwinder_failed;

void arch_unwinder_load(void)
{
	void *frame[1];
	int n;

	if (__atomic_load_n(&unwinder_loaded, __ATOMIC_ACQUIRE))
		return;
	arch_unwinder_loading_here = true;
	__atomic_add_fetch(&arch_unwinder_loading, 1, __ATOMIC_ACQ_REL);
	n = backtrace(frame, 1);	/* glibc loads libgcc_s once, others wait for it */
	__atomic_sub_fetch(&arch_unwinder_loading, 1, __ATOMIC_ACQ_REL);
	arch_unwinder_loading_here = false;
	if (n <= 0)
		__atomic_store_n(&unwinder_failed, true, __ATOMIC_RELAXED);
	__atomic_store_n(&unwinder_loaded, true, __ATOMIC_RELEASE);
}

int arch_stack_trace(unsigned long *entries, int max, int skip)
{
	void *frames[64];
	int n, i, out = 0;

	void *ret = __builtin_return_address(0);
	int first = 1;

	arch_unwinder_load();
	if (__atomic_load_n(&unwinder_failed, __ATOMIC_RELAXED))
		return 0;
	n = backtrace(frames, (int)ARRAY_SIZE(frames));
	/*
	 * Start at our caller's frame.  Sanitizer builds replace backtrace()
	 * and add a frame of their own, so find the caller by its address.
	 */
	for (i = 0; i < n; i++)
		if (frames[i] == ret) {
			first = i;
			break;
		}
	for (i = first + skip; i < n && out < max; i++)
		entries[out++] = (unsigned long)frames[i];
	return out;
}

/*
 * Random bits from the host (getrandom), for hardening keys; the clock if
 * refused.  The boot draws one key per cache (some 45): they come from a
 * pool filled by one system call, each word handed out once and wiped.
 * The pool's lock is only tried, so a signal handler that interrupted its
 * holder (or a thread that finds it busy) asks the host directly; a
 * forked child empties it (arch_random_fork_child): its keys are not its
 * parent's next ones.
 *
 * The lock word holds its holder's token, the address of that thread's
 * random_pool_me, so that a child knows whether the forking thread holds
 * the pool.  If so, a handler forked in the middle of a call, which goes
 * on in the child and reads the count and the words it had: emptying the
 * pool under it would have it hand out wiped words (zeros) and count on
 * from where it was.  The child only marks the pool (random_pool_forked)
 * and the holder drops the words itself before it takes one.
 */
#define RANDOM_POOL_WORDS	32

static u64 random_pool[RANDOM_POOL_WORDS];
static unsigned int random_pool_left;
static unsigned long random_pool_lock;	/* 0, or the holder's &random_pool_me */
static bool random_pool_forked;		/* a child forked while its thread held the pool */
static __thread char random_pool_me __attribute__((tls_model("initial-exec")));

static u64 random_direct(void)
{
	u64 v = 0;

	if (syscall(SYS_getrandom, &v, sizeof(v), 1 /* GRND_NONBLOCK */) != (long)sizeof(v))
		v = arch_clock_ns() * 0x9e3779b97f4a7c15ULL ^ (u64)(unsigned long)&v;
	return v;
}

static void random_pool_empty(void)
{
	random_pool_left = 0;
	memset(random_pool, 0, sizeof(random_pool));
	__atomic_store_n(&random_pool_forked, false, __ATOMIC_RELAXED);
}

u64 arch_random_u64(void)
{
	unsigned long unlocked = 0;
	bool have = false;
	u64 v = 0;

	if (!__atomic_compare_exchange_n(&random_pool_lock, &unlocked,
					 (unsigned long)&random_pool_me, false, __ATOMIC_ACQUIRE,
					 __ATOMIC_RELAXED))
		return random_direct();
	if (!random_pool_left &&
	    syscall(SYS_getrandom, random_pool, sizeof(random_pool), 1 /* GRND_NONBLOCK */) ==
	    (long)sizeof(random_pool))
		random_pool_left = RANDOM_POOL_WORDS;
	/*
	 * A handler forked while this call held the pool (the refill above
	 * included): here in the child the words are the parent's too.
	 */
	if (__atomic_load_n(&random_pool_forked, __ATOMIC_RELAXED))
		random_pool_empty();
	if (random_pool_left) {
		v = random_pool[--random_pool_left];
		random_pool[random_pool_left] = 0;
		have = true;
	}
	__atomic_store_n(&random_pool_lock, 0, __ATOMIC_RELEASE);
	return have ? v : random_direct();
}

void arch_random_fork_child(void)
{
	/* Held by this thread: the interrupted call empties it and lets go. */
	if (__atomic_load_n(&random_pool_lock, __ATOMIC_RELAXED) ==
	    (unsigned long)&random_pool_me) {
		__atomic_store_n(&random_pool_forked, true, __ATOMIC_RELAXED);
		return;
	}
	random_pool_empty();
	/* A holder other than this thread does not exist here. */
	__atomic_store_n(&random_pool_lock, 0, __ATOMIC_RELEASE);
}

/*
 * The loaded objects, for kernel/kallsyms.c.  dl_iterate_phdr() lists the
 * program first (an empty name), then its shared objects; it takes the
 * loader's lock, a recursive one, and allocates nothing.
 */
struct object_scan {
	unsigned long addr;
	struct arch_object *obj;
	bool want_main;
	int index;
};

static void fill_object(const struct dl_phdr_info *info, struct arch_object *obj, bool main)
{
	unsigned long lo = ~0UL, hi = 0;
	int i;

	for (i = 0; i < info->dlpi_phnum; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];

		if (ph->p_type != PT_LOAD)
			continue;
		lo = min(lo, (unsigned long)ph->p_vaddr);
		hi = max(hi, (unsigned long)(ph->p_vaddr + ph->p_memsz));
	}
	obj->base = info->dlpi_addr;
	obj->link = lo == ~0UL ? 0 : lo;
	obj->start = info->dlpi_addr + obj->link;
	obj->end = info->dlpi_addr + hi;
	obj->main = main;
	/*
	 * The program's file under its own name even if it was moved or
	 * deleted; another object without a name (none on glibc) has no file.
	 */
	if (main)
		obj->path = "/proc/self/exe";
	else
		obj->path = info->dlpi_name && info->dlpi_name[0] ? info->dlpi_name : NULL;
}

static int scan_object(struct dl_phdr_info *info, size_t size, void *data)
{
	struct object_scan *scan = data;
	bool main = scan->index++ == 0;		/* the program comes first */
	int i;

	if (scan->want_main) {
		fill_object(info, scan->obj, true);
		return 1;
	}
	for (i = 0; i < info->dlpi_phnum; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
		unsigned long start = info->dlpi_addr + ph->p_vaddr;

		if (ph->p_type == PT_LOAD && scan->addr >= start &&
		    scan->addr < start + ph->p_memsz) {
			fill_object(info, scan->obj, main);
			return 1;
		}
	}
	return 0;
}

bool arch_object_of(unsigned long addr, struct arch_object *obj)
{
	struct object_scan scan = { addr, obj, false, 0 };

	return dl_iterate_phdr(scan_object, &scan) == 1;
}

bool arch_main_object(struct arch_object *obj)
{
	struct object_scan scan = { 0, obj, true, 0 };

	return dl_iterate_phdr(scan_object, &scan) == 1;
}

/*
 * The program's read-only data (its string constants): the PT_LOAD
 * segments that are neither writable nor executable, read once - the
 * program never moves.  -1: not read yet.
 */
#define RODATA_MAX	4
static unsigned long rodata_start[RODATA_MAX], rodata_end[RODATA_MAX];
static int rodata_nr = -1;

static int scan_rodata(struct dl_phdr_info *info, size_t size, void *data)
{
	int i, n = 0;

	(void)size;
	(void)data;
	for (i = 0; i < info->dlpi_phnum && n < RODATA_MAX; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];

		if (ph->p_type != PT_LOAD || (ph->p_flags & (PF_W | PF_X)) || !(ph->p_flags & PF_R))
			continue;
		rodata_start[n] = info->dlpi_addr + ph->p_vaddr;
		rodata_end[n] = rodata_start[n] + ph->p_memsz;
		n++;
	}
	return n + 1;	/* the program comes first: stop there */
}

bool arch_in_program_rodata(unsigned long addr)
{
	int n = __atomic_load_n(&rodata_nr, __ATOMIC_ACQUIRE), i;

	if (unlikely(n < 0)) {
		/* Two first callers write the same values: harmless. */
		n = dl_iterate_phdr(scan_rodata, NULL) - 1;
		__atomic_store_n(&rodata_nr, max(n, 0), __ATOMIC_RELEASE);
	}
	for (i = 0; i < n; i++)
		if (addr >= rodata_start[i] && addr < rodata_end[i])
			return true;
	return false;
}

/*
 * A whole file mapped read-only (an object's ELF image, for its symbol
 * tables); NULL if it cannot be opened or mapped.  The caller's errno is
 * left alone: this runs inside reports.
 */
const void *arch_map_path(const char *path, size_t *size)
{
	int saved_errno = errno;
	const void *p = NULL;
	struct stat st;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		goto out;
	if (!fstat(fd, &st) && S_ISREG(st.st_mode) && st.st_size > 0) {
		p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
		if (p == MAP_FAILED)
			p = NULL;
		else
			*size = (size_t)st.st_size;
	}
	close(fd);
out:
	errno = saved_errno;
	return p;
}

/* The dynamic linker's answer: exported symbols only, for objects without a readable file. */
bool arch_dladdr(unsigned long addr, const char **name, unsigned long *start,
		 unsigned long *size)
{
	Dl_info info;
	const ElfW(Sym) *sym = NULL;

	if (!dladdr1((void *)addr, &info, (void **)&sym, RTLD_DL_SYMENT) ||
	    !info.dli_sname || !info.dli_saddr)
		return false;
	*name = info.dli_sname;
	*start = (unsigned long)info.dli_saddr;
	*size = sym ? (unsigned long)sym->st_size : 0;
	return true;
}

struct image_scan {
	unsigned long probe;
	struct arch_image_sizes *sizes;
};

static int scan_image(struct dl_phdr_info *info, size_t size, void *data)
{
	struct image_scan *scan = data;
	bool mine = false;
	int i;

	for (i = 0; i < info->dlpi_phnum; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
		unsigned long start = info->dlpi_addr + ph->p_vaddr;

		if (ph->p_type == PT_LOAD && scan->probe >= start &&
		    scan->probe < start + ph->p_memsz)
			mine = true;
	}
	if (!mine)
		return 0;
	for (i = 0; i < info->dlpi_phnum; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];

		if (ph->p_type != PT_LOAD)
			continue;
		if (ph->p_flags & PF_X)
			scan->sizes->text += ph->p_memsz;
		else if (ph->p_flags & PF_W) {
			scan->sizes->data += ph->p_filesz;
			scan->sizes->bss += ph->p_memsz - ph->p_filesz;
		} else
			scan->sizes->rodata += ph->p_memsz;
	}
	return 1;
}

void arch_image_sizes(struct arch_image_sizes *sizes)
{
	struct image_scan scan = { (unsigned long)&arch_image_sizes, sizes };

	memset(sizes, 0, sizeof(*sizes));
	dl_iterate_phdr(scan_image, &scan);
}

/* ---- what mm/kmemleak.c scans ---- */

struct segment_walk {
	int (*fn)(unsigned long start, unsigned long end, void *arg);
	void *arg;
};

static int walk_writable(struct dl_phdr_info *info, size_t size, void *data)
{
	struct segment_walk *w = data;
	int i, ret;

	for (i = 0; i < info->dlpi_phnum; i++) {
		const ElfW(Phdr) *ph = &info->dlpi_phdr[i];
		unsigned long start = info->dlpi_addr + ph->p_vaddr;

		if (ph->p_type != PT_LOAD || !(ph->p_flags & PF_W) || !ph->p_memsz)
			continue;
		ret = w->fn(start, start + ph->p_memsz, w->arg);
		if (ret)
			return ret;
	}
	return 0;
}

int arch_writable_segments(int (*fn)(unsigned long start, unsigned long end, void *arg),
			   void *arg)
{
	struct segment_walk w = { fn, arg };

	return dl_iterate_phdr(walk_writable, &w);
}

long arch_self_read(unsigned long addr, void *buf, size_t len)
{
	struct iovec local = { buf, len }, remote = { (void *)addr, len };
	int saved_errno = errno;
	long n = syscall(SYS_process_vm_readv, getpid(), &local, 1UL, &remote, 1UL, 0UL);

	if (n < 0)
		n = -errno;
	errno = saved_errno;
	return n;
}

const char *arch_getenv(const char *name)
{
	return secure_getenv(name);
}

/*
 * ftruncate() of a memory file, refused (-EFBIG) rather than made when
 * the file-size limit (ulimit -f, RLIMIT_FSIZE) is below @size: the host
 * would answer EFBIG and send SIGXFSZ, whose default action ends the
 * process, for the vmalloc file (1 TiB) under any such limit, and for
 * the live file (a page) under ulimit -f 7 or less.
 */
int arch_file_set_size(int fd, u64 size)
{
	struct rlimit rl;

	if (!getrlimit(RLIMIT_FSIZE, &rl) && rl.rlim_cur != RLIM_INFINITY && size > rl.rlim_cur)
		return -EFBIG;
	return ftruncate(fd, (off_t)size) ? -errno : 0;
}
