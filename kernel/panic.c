/* SPDX-License-Identifier: MIT */
/*
 * kernel/panic.c - WARN, BUG and panic reports and the taint mask
 * (kernel/panic.c, lib/bug.c and arch/x86/kernel/dumpstack.c's die path in
 * the kernel).
 *
 * __warn_printk() prints the kernel's WARN block and returns: ukmem is a
 * library, so a caller's mistake is reported and survived.  __ukmem_bug()
 * and panic() report and then abort the process (arch_abort()).
 *
 * The taint mask records that something went wrong (W after a WARN, B after
 * a bad page or a slab corruption report, D after a BUG); print_tainted()
 * renders it as the kernel does, one character per known flag.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <linux/bug.h>
#include <linux/printk.h>
#include <ukmem/debug.h>
#include "arch/host.h"
#include "kernel/printk.h"

void boot_panic_escape(void);	/* init/main.c: returns only outside an implicit boot */

#define CUT_HERE	"------------[ cut here ]------------\n"
#define PANIC_MSG_MAX	1024
#define WARN_MSG_MAX	1024
#define TLS_IE		__attribute__((tls_model("initial-exec")))

static unsigned long tainted_mask;
static unsigned long warn_count;

/*
 * panic_on_warn (boot parameter panic_on_warn=N, sysctl
 * kernel.panic_on_warn): a WARN, or a KFENCE or KASAN report, ends in a
 * panic.  kernel.warn_limit: the report that brings the count of them to
 * the limit panics (0: no limit).  Both default to 0, as in the kernel.
 */
int panic_on_warn;
int sysctl_warn_limit;

/*
 * The kernel's taint_flags table in bit order: the character shown when the
 * flag is set and when it is clear ('G' is "only GPL modules" for bit 0).
 */
static const struct taint_flag {
	char c_true;
	char c_false;
	const char *desc;	/* print_tainted_verbose()'s name */
} taint_flags[TAINT_FLAGS_COUNT] = {
	{ 'P', 'G', "PROPRIETARY_MODULE" },
	{ 'F', ' ', "FORCED_MODULE" },
	{ 'S', ' ', "CPU_OUT_OF_SPEC" },
	{ 'R', ' ', "FORCED_RMMOD" },
	{ 'M', ' ', "MACHINE_CHECK" },
	{ 'B', ' ', "BAD_PAGE" },
	{ 'U', ' ', "USER" },
	{ 'D', ' ', "DIE" },
	{ 'A', ' ', "OVERRIDDEN_ACPI_TABLE" },
	{ 'W', ' ', "WARN" },
	{ 'C', ' ', "CRAP" },
	{ 'I', ' ', "FIRMWARE_WORKAROUND" },
	{ 'O', ' ', "OOT_MODULE" },
	{ 'E', ' ', "UNSIGNED_MODULE" },
	{ 'L', ' ', "SOFTLOCKUP" },
	{ 'K', ' ', "LIVEPATCH" },
	{ 'X', ' ', "AUX" },
	{ 'T', ' ', "RANDSTRUCT" },
	{ 'N', ' ', "TEST" },
	{ 'J', ' ', "FWCTL" },	/* v6.15+ */
};

_Static_assert(TAINT_WARN == 9 && TAINT_BAD_PAGE == 5 && TAINT_DIE == 7,
	       "taint bits must match the kernel's");

/**
 * add_taint - record that something went wrong
 * @flag: TAINT_* bit
 * @lockdep_ok: LOCKDEP_STILL_OK or LOCKDEP_NOW_UNRELIABLE (ukmem has no
 *	lock debugging to switch off, so this is only documentation)
 */
void add_taint(unsigned int flag, int lockdep_ok)
{
	if (flag >= TAINT_FLAGS_COUNT)
		return;
	__atomic_fetch_or(&tainted_mask, 1UL << flag, __ATOMIC_RELAXED);
}

unsigned long get_taint(void)
{
	return __atomic_load_n(&tainted_mask, __ATOMIC_RELAXED);
}

int test_taint(unsigned int flag)
{
	return flag < BITS_PER_LONG && ((get_taint() >> flag) & 1);
}

void ukmem_clear_taint(void)
{
	__atomic_store_n(&tainted_mask, 0, __ATOMIC_RELAXED);
}

unsigned long ukmem_warn_count(void)
{
	return __atomic_load_n(&warn_count, __ATOMIC_RELAXED);
}

/**
 * check_panic_on_warn - the end of a WARN-class report
 * @origin: what reported ("kernel" for WARN(), "KFENCE", "KASAN")
 *
 * Counts the report (ukmem_warn_count(), the kernel's /sys/kernel/warn_count)
 * and panics if panic_on_warn is set, or if the count has reached
 * kernel.warn_limit; the panic messages are the kernel's.
 */
void check_panic_on_warn(const char *origin)
{
	unsigned int limit;

	if (__atomic_load_n(&panic_on_warn, __ATOMIC_RELAXED))
		panic("%s: panic_on_warn set ...\n", origin);
	limit = (unsigned int)__atomic_load_n(&sysctl_warn_limit, __ATOMIC_RELAXED);
	if (__atomic_add_fetch(&warn_count, 1, __ATOMIC_RELAXED) >= limit && limit)
		panic("%s: system warned too often (kernel.warn_limit is %u)", origin, limit);
}

/**
 * print_tainted - the taint mask as text
 *
 * "Not tainted", or "Tainted: " followed by one character per flag in the
 * kernel's order (e.g. "Tainted: G    B   W         ").  The string lives
 * in a per-thread buffer, valid until the thread's next call.
 */
const char *print_tainted(void)
{
	static __thread char buf[sizeof("Tainted: ") + TAINT_FLAGS_COUNT] TLS_IE;
	unsigned long mask = get_taint();
	char *s;
	int i;

	if (!mask)
		return "Not tainted";
	s = buf + sizeof("Tainted: ") - 1;
	memcpy(buf, "Tainted: ", sizeof("Tainted: ") - 1);
	for (i = 0; i < TAINT_FLAGS_COUNT; i++)
		*s++ = (mask >> i) & 1 ? taint_flags[i].c_true : taint_flags[i].c_false;
	*s = '\0';
	return buf;
}

/*
 * print_tainted_verbose - the set flags by name, as dump_stack()'s second
 * line shows them since v6.10: "Tainted: [B]=BAD_PAGE, [W]=WARN" (empty
 * when nothing is tainted).  A per-thread buffer, as print_tainted()'s.
 */
const char *print_tainted_verbose(void)
{
	static __thread char buf[400] TLS_IE;
	unsigned long mask = get_taint();
	size_t len;
	int i;

	if (!mask)
		return "";
	len = (size_t)snprintf(buf, sizeof(buf), "Tainted: ");
	for (i = 0; i < TAINT_FLAGS_COUNT && len < sizeof(buf); i++)
		if ((mask >> i) & 1)
			len += (size_t)snprintf(buf + len, sizeof(buf) - len, "%s[%c]=%s",
						len > sizeof("Tainted: ") - 1 ? ", " : "",
						taint_flags[i].c_true, taint_flags[i].desc);
	return buf;
}

/* print_modules(): ukmem has no modules, so the list is always empty. */
static void print_modules(void)
{
	printk(KERN_DEFAULT "Modules linked in:\n");
}

static void print_oops_end_marker(void)
{
	printk(KERN_WARNING "---[ end trace %016llx ]---\n", 0ULL);
}

/**
 * __warn_printk - report a WARN() and carry on
 * @file: source file of the WARN
 * @line: its line
 * @func: the function it is in
 * @fmt: the caller's message (may be empty)
 *
 * Prints the "cut here" line, the message, v7.0's "WARNING: file:line at
 * function+off/size, CPU#n: comm/pid", the (empty) module list and a stack trace, ends the
 * block with the oops end marker and taints the process with W.  Under
 * panic_on_warn (or at kernel.warn_limit) it panics after the module list,
 * where the kernel's __warn() does.
 * Context: any; never allocates.
 */
void __warn_printk(const char *file, int line, const char *func,
		   const char *fmt, ...)
{
	char msg[WARN_MSG_MAX], comm[16];
	va_list args;

	va_start(args, fmt);
	kvsnprintf(msg, sizeof(msg), fmt, args);
	va_end(args);

	printk(KERN_WARNING CUT_HERE);
	if (msg[0])
		printk("%s", msg);
	/* v7.0+: "WARNING: file:line at func+off/size, CPU#n: comm/pid". */
	(void)func;
	arch_comm(comm);
	printk(KERN_WARNING "WARNING: %s:%d at %pS, CPU#%d: %s/%d\n", file, line,
	       __builtin_return_address(0), arch_current_cpu(), comm, arch_gettid());
	print_modules();
	check_panic_on_warn("kernel");	/* where the kernel's __warn() checks it */
	dump_stack_skip(1);	/* from the WARN's function, as the trap's registers */
	print_oops_end_marker();

	add_taint(TAINT_WARN, LOCKDEP_STILL_OK);
}

/* Set while this thread is dying, so that a BUG inside the report aborts. */
static __thread bool dying TLS_IE;
static int die_counter;

/**
 * __ukmem_bug - report an impossible state and abort (BUG())
 *
 * The kernel's oops: "kernel BUG at file:line!", "invalid opcode: 0000
 * [#n] PREEMPT SMP", the module list, the stack, the end marker; then the
 * process aborts with SIGABRT.
 */
void __ukmem_bug(const char *file, int line, const char *func)
{
	if (dying)
		arch_abort();
	dying = true;

	printk(KERN_DEFAULT CUT_HERE);
	printk(KERN_CRIT "kernel BUG at %s:%d!\n", file, line);
	printk(KERN_EMERG "invalid opcode: 0000 [#%d] PREEMPT SMP\n",
	       __atomic_add_fetch(&die_counter, 1, __ATOMIC_RELAXED));
	print_modules();
	dump_stack_skip(1);	/* from the BUG's function */
	print_oops_end_marker();
	add_taint(TAINT_DIE, LOCKDEP_NOW_UNRELIABLE);
	arch_abort();
}

/**
 * panic - report a fatal condition and abort
 * @fmt: the reason
 *
 * "Kernel panic - not syncing: <reason>", the stack, and "---[ end Kernel
 * panic - not syncing: <reason> ]---", then the process aborts.
 */
void panic(const char *fmt, ...)
{
	char buf[PANIC_MSG_MAX];
	va_list args;
	int len;

	if (dying)
		arch_abort();
	dying = true;
	/* A WARN on the way down must not panic again (vpanic() clears it too). */
	__atomic_store_n(&panic_on_warn, 0, __ATOMIC_RELAXED);

	va_start(args, fmt);
	len = vscnprintf(buf, sizeof(buf), fmt, args);
	va_end(args);
	if (len && buf[len - 1] == '\n')
		buf[len - 1] = '\0';

	printk(KERN_EMERG "Kernel panic - not syncing: %s\n", buf);
	dump_stack();
	printk(KERN_EMERG "---[ end Kernel panic - not syncing: %s ]---\n", buf);
	/* An implicit boot gives up instead: allocations fail (init/main.c). */
	dying = false;
	boot_panic_escape();
	dying = true;
	arch_abort();
}
