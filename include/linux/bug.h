/* SPDX-License-Identifier: MIT */
/*
 * linux/bug.h - BUG, WARN and panic, as the kernel reports them.
 *
 * WARN*() prints the kernel's "------------[ cut here ]------------" /
 * "WARNING: CPU: n PID: p at file:line function" block and a stack trace,
 * taints, and returns the condition so the caller can recover.  BUG() is
 * for impossible states only: it reports "kernel BUG at file:line!" and
 * aborts the process.  panic() reports "Kernel panic - not syncing: ..."
 * and aborts.
 */
#ifndef _LINUX_BUG_H
#define _LINUX_BUG_H

#include <ukmem/kernel_types.h>
#include <linux/printk.h>

UKMEM_C_BEGIN
UKMEM_API_BEGIN

__printf(4, 5) void __warn_printk(const char *file, int line, const char *func,
				  const char *fmt, ...);
__noreturn __cold void __ukmem_bug(const char *file, int line, const char *func);
__noreturn __cold __printf(1, 2) void panic(const char *fmt, ...);
/* panic_on_warn=N / kernel.panic_on_warn, and the check every WARN-class report ends with. */
extern int panic_on_warn;
void check_panic_on_warn(const char *origin);

/* Taint flags (include/linux/panic.h) and print_tainted()'s text. */
#define TAINT_WARN		9
#define TAINT_BAD_PAGE		5
#define TAINT_DIE		7
void add_taint(unsigned int flag, int lockdep_ok);
const char *print_tainted(void);
/* "Tainted: [B]=BAD_PAGE, [W]=WARN", or "" (v6.10+: dump_stack()'s second line). */
const char *print_tainted_verbose(void);
#define LOCKDEP_STILL_OK	0
#define LOCKDEP_NOW_UNRELIABLE	1

UKMEM_API_END

#define BUG() __ukmem_bug(__FILE__, __LINE__, __func__)
#define BUG_ON(cond) do { if (unlikely(cond)) BUG(); } while (0)

/*
 * The WARNING line names the function the WARN is in by the return
 * address (the kernel's %pS of the trapping ip): a call that ends the
 * function must stay a call, not a jump that would name its caller.
 */
#define __warn_no_tail_call()	__asm__ __volatile__("")
#define WARN(cond, fmt, ...) ({						\
	int __ret_warn_on = !!(cond);					\
	if (unlikely(__ret_warn_on)) {					\
		__warn_printk(__FILE__, __LINE__, __func__, fmt, ##__VA_ARGS__); \
		__warn_no_tail_call();					\
	}								\
	unlikely(__ret_warn_on);					\
})
#define WARN_ON(cond) WARN(cond, "%s", "")
#define WARN_ONCE(cond, fmt, ...) ({					\
	static bool __warned;						\
	int __ret_warn_once = !!(cond);					\
	if (unlikely(__ret_warn_once && !__warned)) {			\
		__warned = true;					\
		__warn_printk(__FILE__, __LINE__, __func__, fmt, ##__VA_ARGS__); \
		__warn_no_tail_call();					\
	}								\
	unlikely(__ret_warn_once);					\
})
#define WARN_ON_ONCE(cond) WARN_ONCE(cond, "%s", "")

/* Debug-build checks (CONFIG_DEBUG_VM). */
#ifdef UKMEM_DEBUG
#define VM_BUG_ON(cond)		BUG_ON(cond)
#define VM_WARN_ON(cond)	(void)WARN_ON(cond)
#define VM_WARN_ON_ONCE(cond)	(void)WARN_ON_ONCE(cond)
#else
#define VM_BUG_ON(cond)		((void)sizeof(!!(cond)))
#define VM_WARN_ON(cond)	((void)sizeof(!!(cond)))
#define VM_WARN_ON_ONCE(cond)	((void)sizeof(!!(cond)))
#endif
/* The forms with a page or a folio to dump: linux/mmdebug.h. */

/*
 * BUILD_BUG_ON(cond): a statement that stops the build if @cond is true,
 * as in the kernel (build_bug.h), where the condition need only be one the
 * compiler can decide: a constant expression, or one the optimizer folds
 * (a local const, sizeof of an expression).  A true condition leaves a
 * call to a function declared with gcc's error attribute, and the build
 * fails with @msg.  A condition that cannot be decided is let through
 * (the kernel's fails the build), and so is one only the optimizer
 * decides when gcc does not optimize (-O0).  At file scope, as in the
 * kernel, use static_assert().
 */
#define __ukmem_build_bug(cond, msg, name) do {				\
	extern void name(void) __attribute__((__error__(msg)));		\
	if (__builtin_constant_p(!!(cond)) && !!(cond))			\
		name();							\
} while (0)
#define BUILD_BUG_ON_MSG(cond, msg)	__ukmem_build_bug(cond, msg, __UNIQUE_ID(build_bug_))
#define BUILD_BUG_ON(cond)		BUILD_BUG_ON_MSG(cond, "BUILD_BUG_ON failed: " #cond)

UKMEM_C_END

#endif /* _LINUX_BUG_H */
