/* SPDX-License-Identifier: MIT */
/*
 * linux/printk.h - printk and the pr_* helpers, with the kernel's log levels.
 *
 * Every message goes to the log buffer (ukmem_show("dmesg")); messages more
 * urgent than the console log level also go to the console, stderr unless
 * redirected with ukmem_set_console().  The format language is the kernel's:
 * besides the C conversions it knows %pS/%ps (symbol+offset/size), %pK/%px
 * (pointers), %pa (phys_addr_t *), %pGg (gfp flag names), %pGp (page flag
 * names), %pV (struct va_format *) and %*pbl (bitmap as a list).
 */
#ifndef _LINUX_PRINTK_H
#define _LINUX_PRINTK_H

#include <stdarg.h>
#include <ukmem/kernel_types.h>

UKMEM_C_BEGIN

#define KERN_SOH	"\001"
#define KERN_EMERG	KERN_SOH "0"
#define KERN_ALERT	KERN_SOH "1"
#define KERN_CRIT	KERN_SOH "2"
#define KERN_ERR	KERN_SOH "3"
#define KERN_WARNING	KERN_SOH "4"
#define KERN_NOTICE	KERN_SOH "5"
#define KERN_INFO	KERN_SOH "6"
#define KERN_DEBUG	KERN_SOH "7"
#define KERN_DEFAULT	""
#define KERN_CONT	KERN_SOH "c"

#define LOGLEVEL_EMERG		0
#define LOGLEVEL_ERR		3
#define LOGLEVEL_WARNING	4
#define LOGLEVEL_NOTICE		5
#define LOGLEVEL_INFO		6
#define LOGLEVEL_DEBUG		7
#define MESSAGE_LOGLEVEL_DEFAULT 4	/* printk() without a level: KERN_WARNING */
#define CONSOLE_LOGLEVEL_QUIET	4	/* "quiet" on the command line */
/*
 * ukmem's default console log level is 6 (emerg..notice reach stderr),
 * not the kernel's 7: a library must not fill its host program's stderr
 * with boot messages.  loglevel= restores any level.
 */
#define CONSOLE_LOGLEVEL_UKMEM_DEFAULT 6

struct va_format {
	const char *fmt;
	va_list *va;
};

UKMEM_API_BEGIN
__printf(1, 2) int printk(const char *fmt, ...);
__printf(1, 0) int vprintk(const char *fmt, va_list args);
__printf(3, 4) int scnprintf(char *buf, size_t size, const char *fmt, ...);
__printf(3, 0) int vscnprintf(char *buf, size_t size, const char *fmt, va_list args);
/* The kernel's vsnprintf: returns the length the full output would have. */
__printf(3, 0) int kvsnprintf(char *buf, size_t size, const char *fmt, va_list args);
__printf(3, 4) int ksnprintf(char *buf, size_t size, const char *fmt, ...);
/* The kernel's format into kmalloc'ed memory (lib/kasprintf.c); free with kfree(). */
__printf(2, 3) __malloc char *kasprintf(gfp_t gfp, const char *fmt, ...);
__printf(2, 0) __malloc char *kvasprintf(gfp_t gfp, const char *fmt, va_list args);
__printf(2, 0) const char *kvasprintf_const(gfp_t gfp, const char *fmt, va_list args);
void dump_stack(void);
void dump_stack_lvl(const char *log_lvl);
/* The "CPU: ... UID: ... PID: ... Comm: ..." line (and the taint names) alone. */
void dump_stack_print_info(const char *log_lvl);

enum { DUMP_PREFIX_NONE, DUMP_PREFIX_ADDRESS, DUMP_PREFIX_OFFSET };
void print_hex_dump(const char *level, const char *prefix_str, int prefix_type,
		    int rowsize, int groupsize, const void *buf, size_t len,
		    bool ascii);
/* The console log level (messages with a smaller level are printed). */
extern int console_loglevel;
UKMEM_API_END

#define pr_fmt_default(fmt) fmt
#ifndef pr_fmt
#define pr_fmt(fmt) fmt
#endif
#define pr_emerg(fmt, ...)	printk(KERN_EMERG pr_fmt(fmt), ##__VA_ARGS__)
#define pr_alert(fmt, ...)	printk(KERN_ALERT pr_fmt(fmt), ##__VA_ARGS__)
#define pr_crit(fmt, ...)	printk(KERN_CRIT pr_fmt(fmt), ##__VA_ARGS__)
#define pr_err(fmt, ...)	printk(KERN_ERR pr_fmt(fmt), ##__VA_ARGS__)
#define pr_warn(fmt, ...)	printk(KERN_WARNING pr_fmt(fmt), ##__VA_ARGS__)
#define pr_warning		pr_warn
#define pr_notice(fmt, ...)	printk(KERN_NOTICE pr_fmt(fmt), ##__VA_ARGS__)
#define pr_info(fmt, ...)	printk(KERN_INFO pr_fmt(fmt), ##__VA_ARGS__)
#define pr_cont(fmt, ...)	printk(KERN_CONT fmt, ##__VA_ARGS__)
#define pr_debug(fmt, ...)	printk(KERN_DEBUG pr_fmt(fmt), ##__VA_ARGS__)
#define pr_err_once(fmt, ...)	({ static bool __done; if (!__done) { __done = true; pr_err(fmt, ##__VA_ARGS__); } })
#define pr_warn_once(fmt, ...)	({ static bool __done; if (!__done) { __done = true; pr_warn(fmt, ##__VA_ARGS__); } })
#define pr_info_once(fmt, ...)	({ static bool __done; if (!__done) { __done = true; pr_info(fmt, ##__VA_ARGS__); } })

UKMEM_C_END

#endif /* _LINUX_PRINTK_H */
