/* SPDX-License-Identifier: MIT */
/*
 * kernel/printk.c - printk(), the log buffer and the console, and
 * dump_stack() (kernel/printk/printk.c and lib/dump_stack.c in the kernel).
 *
 * A message is formatted with kvsnprintf() into a 1 KiB stack buffer (longer
 * ones are cut), its level prefix (KERN_SOH + '0'..'7', or KERN_SOH "c" for a
 * continuation) is parsed off the formatted text, as the kernel does, and:
 *
 *  - the text is appended to the log buffer, a static 256 KiB array whose
 *    oldest lines are dropped when it fills; every line there starts with
 *    the dmesg timestamp "[%5lu.%06lu] ", seconds since the first printk;
 *  - if its level is below console_loglevel, the bare text (no timestamp) is
 *    written to the console: stderr, or the FILE set by ukmem_set_console().
 *
 * A message that does not end in a newline leaves its line open; a
 * KERN_CONT message from the same thread continues it, anything else closes
 * it first (the kernel's LOG_CONT records).
 *
 * Locking: one spinlock, logbuf.lock, covers the log buffer, the
 * continuation state and the console, so that lines from different threads
 * never interleave.  A thread that printks while it already holds the lock
 * (a signal handler, or a report raised from inside printk) must not spin on
 * itself: a per-thread depth counter catches that, and such a nested
 * message goes straight to the console, bypassing the buffer.
 *
 * Nothing here allocates, except what the C library's stdio does inside
 * fwrite() when the console is a FILE the program supplied.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <linux/printk.h>
#include <linux/bug.h>
#include <ukmem/debug.h>
#include <linux/preempt.h>
#include <linux/spinlock.h>
#include <ukmem/boot.h>
#include "arch/host.h"
#include "kernel/fork.h"
#include "kernel/kallsyms.h"
#include "kernel/locking.h"
#include "kernel/printk.h"

#define LOG_BUF_LEN		(256 << 10)
#define PRINTK_LINE_MAX		1024
#define PRINTK_PREFIX_MAX	32
#define DUMP_STACK_DEPTH	64

int console_loglevel = CONSOLE_LOGLEVEL_UKMEM_DEFAULT;

/* The log buffer and everything else logbuf_lock protects. */
static struct {
	spinlock_t lock;
	size_t len;			/* bytes of text in buf */
	bool cont_open;			/* last line in buf has no '\n' yet */
	int cont_tid;			/* ... and the thread that wrote it */
	int cont_level;			/* ... and its level */
	bool console_open;		/* console's last line has no '\n' yet */
	FILE *console;			/* NULL: stderr through arch_write() */
	u64 boot_ns;			/* arch_clock_ns() at the first printk */
	char buf[LOG_BUF_LEN];
} logbuf = { .lock = { 0, LOCK_RANK_PRINTK } };

/* How deep this thread is inside logbuf_lock (recursion guard). */
static __thread unsigned int printk_depth __attribute__((tls_model("initial-exec")));
/* Its cancellation state outside (logbuf_lock_get()). */
static __thread int printk_cancel_state __attribute__((tls_model("initial-exec")));

/*
 * Take logbuf_lock unless this thread already holds it; false means the
 * caller is nested and must not touch the buffer.  Cancellation waits
 * for the thread's next cancellation point after printk: the console's
 * write(2) is one, and a thread cancelled there left the lock held for
 * every later printk (pthread_cancel of a thread that was printing).
 * printk does not act on it itself: its caller may hold other locks.
 */
static bool logbuf_lock_get(void)
{
	if (printk_depth++)
		return false;
	printk_cancel_state = arch_cancel_off();
	spin_lock(&logbuf.lock);
	return true;
}

static void logbuf_lock_put(bool locked)
{
	if (locked) {
		spin_unlock(&logbuf.lock);
		arch_cancel_restore(printk_cancel_state);
	}
	printk_depth--;
}

/*
 * Write to the console.  A FILE console is flushed after every message, so
 * its buffer is always empty between messages; a nested printk (one that
 * interrupted this thread inside fwrite()) therefore writes to the FILE's
 * descriptor directly rather than re-entering stdio.  So does a printk from
 * a signal handler (hard interrupt context): stdio is not async-signal-safe
 * (its first write to a FILE may allocate the FILE's buffer).
 */
static void console_write(FILE *console, const char *text, size_t len, bool nested)
{
	int fd;

	if (!len)
		return;
	if (!console) {
		arch_write(2, text, len);
		return;
	}
	if ((nested || in_interrupt()) && (fd = fileno(console)) >= 0) {
		arch_write(fd, text, len);
		return;
	}
	fwrite(text, 1, len, console);
	fflush(console);
}

/* Make room for @need more bytes by dropping whole lines from the front. */
static void log_make_room(size_t need)
{
	size_t drop;
	char *nl;

	if (logbuf.len + need <= LOG_BUF_LEN)
		return;
	/* Drop an eighth more than needed, so this is rare. */
	drop = logbuf.len + need - LOG_BUF_LEN + LOG_BUF_LEN / 8;
	if (drop >= logbuf.len) {
		logbuf.len = 0;
		return;
	}
	nl = memchr(logbuf.buf + drop, '\n', logbuf.len - drop);
	drop = nl ? (size_t)(nl - logbuf.buf) + 1 : logbuf.len;
	memmove(logbuf.buf, logbuf.buf + drop, logbuf.len - drop);
	logbuf.len -= drop;
}

static void log_put(const char *s, size_t n)
{
	memcpy(logbuf.buf + logbuf.len, s, n);
	logbuf.len += n;
}

/*
 * Append one message to the log: a timestamp before every line it starts
 * (record_print_text() prefixes each line of a multi-line record).
 */
static void log_store(const char *text, size_t len, bool merge)
{
	char prefix[PRINTK_PREFIX_MAX];
	size_t plen, need, i, start;
	u64 ns = arch_clock_ns() - logbuf.boot_ns;
	bool at_start = !merge;

	plen = (size_t)scnprintf(prefix, sizeof(prefix), "[%5lu.%06lu] ",
				(unsigned long)(ns / 1000000000ull),
				(unsigned long)(ns % 1000000000ull / 1000));

	/* Count what will be written: text plus a prefix per started line. */
	need = len;
	for (i = 0; i < len; i++) {
		if (at_start)
			need += plen;
		at_start = text[i] == '\n';
	}
	if (need > LOG_BUF_LEN)
		return;		/* cannot happen with 1 KiB messages */
	log_make_room(need);

	at_start = !merge;
	start = 0;
	for (i = 0; i < len; i++) {
		if (at_start) {
			log_put(text + start, i - start);
			log_put(prefix, plen);
			start = i;
		}
		at_start = text[i] == '\n';
	}
	log_put(text + start, len - start);
}

static int vprintk_emit(const char *fmt, va_list args)
{
	char text[PRINTK_LINE_MAX];
	const char *p = text;
	int level = -1, tid, saved_errno;
	bool cont = false, merge, visible, locked;
	size_t len;

	saved_errno = errno;	/* printk may run in a signal handler */
	len = (size_t)vscnprintf(text, sizeof(text), fmt, args);

	/* Level prefixes (printk_parse_prefix): the first level wins. */
	while (p[0] == KERN_SOH[0] && p[1]) {
		if (p[1] >= '0' && p[1] <= '7') {
			if (level < 0)
				level = p[1] - '0';
		} else if (p[1] == 'c') {
			cont = true;
		} else {
			break;
		}
		p += 2;
	}
	len -= (size_t)(p - text);

	tid = arch_gettid();
	locked = logbuf_lock_get();
	if (!locked) {
		/* Nested in this thread: straight to the console, unbuffered. */
		if ((level < 0 ? MESSAGE_LOGLEVEL_DEFAULT : level) < console_loglevel)
			console_write(READ_ONCE(logbuf.console), p, len, true);
		logbuf_lock_put(false);
		errno = saved_errno;
		return (int)len;
	}

	if (!logbuf.boot_ns)
		logbuf.boot_ns = arch_clock_ns();

	merge = cont && logbuf.cont_open && logbuf.cont_tid == tid;
	if (merge)
		level = logbuf.cont_level;
	else if (level < 0)
		level = MESSAGE_LOGLEVEL_DEFAULT;
	visible = level < console_loglevel;

	if (!merge && logbuf.cont_open) {
		/* A new record ends the open line. */
		log_make_room(1);
		log_put("\n", 1);
		logbuf.cont_open = false;
	}
	if (len) {
		log_store(p, len, merge);
		logbuf.cont_open = p[len - 1] != '\n';
		if (logbuf.cont_open && !merge) {
			logbuf.cont_tid = tid;
			logbuf.cont_level = level;
		}
	}

	if (!merge && logbuf.console_open) {
		console_write(logbuf.console, "\n", 1, false);
		logbuf.console_open = false;
	}
	if (visible && len) {
		console_write(logbuf.console, p, len, false);
		logbuf.console_open = p[len - 1] != '\n';
	}

	logbuf_lock_put(true);
	errno = saved_errno;
	return (int)len;
}

/**
 * vprintk - log a message, and show it on the console if urgent enough
 * @fmt: format, optionally starting with a KERN_* level
 * @args: arguments
 *
 * Returns the number of characters of text logged (level prefix excluded).
 * Context: any, including signal handlers and with spinlocks held; never
 * allocates, never sleeps (it spins while another thread is printing).
 */
int vprintk(const char *fmt, va_list args)
{
	return vprintk_emit(fmt, args);
}

int printk(const char *fmt, ...)
{
	va_list args;
	int ret;

	va_start(args, fmt);
	ret = vprintk_emit(fmt, args);
	va_end(args);
	return ret;
}

void ukmem_set_console(FILE *stream)
{
	bool locked = logbuf_lock_get();

	logbuf.console = stream;
	logbuf.console_open = false;
	logbuf_lock_put(locked);
}

/* Where the log lives, for the statistics area (mm/live.c). */
void printk_log_ref(const char **buf, size_t *size, const size_t **len)
{
	*buf = logbuf.buf;
	*size = sizeof(logbuf.buf);
	*len = &logbuf.len;
}

size_t ukmem_dmesg(char *buf, size_t size)
{
	bool locked = logbuf_lock_get();
	size_t len = logbuf.len, n;

	if (size) {
		n = len < size ? len : size - 1;
		if (locked)
			memcpy(buf, logbuf.buf, n);
		else
			n = 0;		/* called from inside printk: no stable copy */
		buf[n] = '\0';
	}
	logbuf_lock_put(locked);
	return len;
}

void ukmem_dmesg_clear(void)
{
	bool locked = logbuf_lock_get();

	if (locked) {
		logbuf.len = 0;
		logbuf.cont_open = false;
	}
	logbuf_lock_put(locked);
}

/*
 * dump_stack() serialization (the kernel's printk_cpu_sync): one thread
 * prints its trace at a time, and the same thread may nest.
 */
static int dump_owner;		/* tid of the thread printing a trace, 0 if none */
static unsigned int dump_depth;

static void dump_stack_sync_get(int tid)
{
	int expected;

	if (__atomic_load_n(&dump_owner, __ATOMIC_RELAXED) == tid) {
		dump_depth++;
		return;
	}
	for (;;) {
		expected = 0;
		if (__atomic_compare_exchange_n(&dump_owner, &expected, tid, false,
						__ATOMIC_ACQUIRE, __ATOMIC_RELAXED))
			break;
		arch_yield();
	}
	dump_depth = 1;
}

static void dump_stack_sync_put(void)
{
	if (--dump_depth == 0)
		__atomic_store_n(&dump_owner, 0, __ATOMIC_RELEASE);
}

/*
 * lib/dump_stack.c's lines about the task, which dump_stack(), the KFENCE
 * reports and an oops print (v6.10+: UID:, the release, the preemption
 * model, then the taint names when tainted).
 */
void dump_stack_print_info(const char *log_lvl)
{
	char comm[16];

	if (!log_lvl)
		log_lvl = KERN_DEFAULT;
	arch_comm(comm);
	printk("%sCPU: %d UID: %u PID: %d Comm: %.20s %s %s #1 PREEMPT\n", log_lvl,
	       arch_current_cpu(), arch_geteuid(), arch_gettid(), comm, print_tainted(),
	       UKMEM_UTS_RELEASE);
	if (get_taint())
		printk("%s%s\n", log_lvl, print_tainted_verbose());
}

/*
 * Print the header line and the call trace.  @skip counts the frames above
 * this function that belong to dump_stack itself.
 */
static noinline void __dump_stack(const char *log_lvl, int skip)
{
	unsigned long entries[DUMP_STACK_DEPTH], offset, link;
	int tid = arch_gettid();
	int i, n;

	if (!log_lvl)
		log_lvl = KERN_DEFAULT;
	n = arch_stack_trace(entries, DUMP_STACK_DEPTH, skip + 1);

	dump_stack_sync_get(tid);
	dump_stack_print_info(log_lvl);
	printk("%sCall Trace:\n", log_lvl);
	printk("%s <TASK>\n", log_lvl);
	for (i = 0; i < n; i++)
		printk("%s %pB\n", log_lvl, (void *)entries[i]);
	printk("%s </TASK>\n", log_lvl);
	/*
	 * The program's load offset, as x86 prints its KASLR offset, so that
	 * a frame printed as a bare address can be looked up later
	 * (`ukmem symbolize`): file address = address - offset.
	 */
	if (kallsyms_main_offset(&offset, &link))
		printk("%sKernel Offset: 0x%lx from 0x%lx\n", log_lvl, offset, link);
	dump_stack_sync_put();
}

/**
 * dump_stack_lvl - print the calling thread's identity and call trace
 * @log_lvl: the printk level of every line (KERN_ERR, ...)
 *
 * Prints "CPU: n PID: p Comm: name <taint>", then "Call Trace:" and one
 * " symbol+0xoff/0xsize" line per frame (%pB: " [module]" after a shared
 * object's) between " <TASK>" and " </TASK>", starting at the caller, then
 * "Kernel Offset: 0x<load offset> from 0x<link address>" of the program.  Context: any; never allocates once the unwinder
 * has been loaded (arch/host.c does that at boot).
 */
noinline void dump_stack_lvl(const char *log_lvl)
{
	__dump_stack(log_lvl, 1);
	barrier();	/* no tail call: keep this frame for the skip count */
}

noinline void dump_stack(void)
{
	__dump_stack(KERN_DEFAULT, 1);
	barrier();
}

noinline void dump_stack_skip(int skip)
{
	__dump_stack(KERN_DEFAULT, 1 + skip);
	barrier();
}

/* fork(): the log buffer's lock, taken last (kernel/fork.c). */
const struct fork_step printk_fork_step = {
	.name = "printk",
	.order = FORK_ORDER_PRINTK,
	.spinlock = &logbuf.lock,
};
