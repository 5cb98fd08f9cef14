/* SPDX-License-Identifier: MIT */
/*
 * linux/ratelimit.h - rate limits for messages: a state allows @burst
 * calls per @interval jiffies (HZ a second) and counts the calls it
 * refuses; the first call of a new interval prints "<func>: N callbacks
 * suppressed" for those.  printk_ratelimited() and the pr_*_ratelimited()
 * helpers keep one state per call site (5 s, 10 messages), as the kernel's.
 *
 * As the kernel's ___ratelimit() (v6.16+ semantics): an interval of 0
 * never limits, a burst of 0 always does, a negative value is warned
 * about once.  Callers that find the state held by another reporting
 * thread take from the burst without waiting (its lock is only tried).
 */
#ifndef _LINUX_RATELIMIT_H
#define _LINUX_RATELIMIT_H

#include <linux/printk.h>

UKMEM_C_BEGIN

#ifndef HZ
#define HZ 1000		/* ukmem's jiffies are milliseconds */
#endif

#define DEFAULT_RATELIMIT_INTERVAL	(5 * HZ)
#define DEFAULT_RATELIMIT_BURST		10

#define RATELIMIT_MSG_ON_RELEASE	(1U << 0)	/* report suppressions at ratelimit_state_exit() */
#define RATELIMIT_INITIALIZED		(1U << 1)

struct ratelimit_state {
	int lock;		/* the holder's pid: tried, never waited for (fork-safe) */
	int interval;		/* jiffies; 0: no limit */
	int burst;		/* calls allowed per interval */
	int rs_n_left;		/* of this interval's burst */
	int missed;		/* refused since the last report of them */
	unsigned int flags;
	unsigned long begin;	/* jiffies at the start of this interval */
};

#define RATELIMIT_STATE_INIT_FLAGS(name, interval_init, burst_init, flags_init) { \
		.interval = (interval_init), .burst = (burst_init), .flags = (flags_init) }
#define RATELIMIT_STATE_INIT(name, interval_init, burst_init) \
	RATELIMIT_STATE_INIT_FLAGS(name, interval_init, burst_init, 0)
#define RATELIMIT_STATE_INIT_DISABLED \
	RATELIMIT_STATE_INIT(ratelimit_state, 0, DEFAULT_RATELIMIT_BURST)
#define DEFINE_RATELIMIT_STATE(name, interval_init, burst_init) \
	struct ratelimit_state name = RATELIMIT_STATE_INIT(name, interval_init, burst_init)

static inline void ratelimit_state_init(struct ratelimit_state *rs, int interval, int burst)
{
	*rs = (struct ratelimit_state)RATELIMIT_STATE_INIT(*rs, interval, burst);
}

static inline void ratelimit_default_init(struct ratelimit_state *rs)
{
	ratelimit_state_init(rs, DEFAULT_RATELIMIT_INTERVAL, DEFAULT_RATELIMIT_BURST);
}

static inline void ratelimit_set_flags(struct ratelimit_state *rs, unsigned long flags)
{
	rs->flags = (unsigned int)flags;
}

static inline int ratelimit_state_get_miss(struct ratelimit_state *rs)
{
	return __atomic_load_n(&rs->missed, __ATOMIC_RELAXED);
}

static inline int ratelimit_state_reset_miss(struct ratelimit_state *rs)
{
	return __atomic_exchange_n(&rs->missed, 0, __ATOMIC_RELAXED);
}

UKMEM_API_BEGIN
/* 1: go ahead; 0: over the limit (counted as missed).  @func names the reports. */
int ___ratelimit(struct ratelimit_state *rs, const char *func);
/* With RATELIMIT_MSG_ON_RELEASE: print "<func>: N output lines suppressed due to ratelimiting". */
void ratelimit_state_exit(struct ratelimit_state *rs);
UKMEM_API_END

#define __ratelimit(state) ___ratelimit(state, __func__)

#define printk_ratelimited(fmt, ...) ({						\
		static DEFINE_RATELIMIT_STATE(_rs, DEFAULT_RATELIMIT_INTERVAL,	\
					      DEFAULT_RATELIMIT_BURST);		\
		int __ret = __ratelimit(&_rs);					\
		if (__ret)							\
			printk(fmt, ##__VA_ARGS__);				\
		__ret;								\
	})
#define pr_emerg_ratelimited(fmt, ...)	printk_ratelimited(KERN_EMERG pr_fmt(fmt), ##__VA_ARGS__)
#define pr_alert_ratelimited(fmt, ...)	printk_ratelimited(KERN_ALERT pr_fmt(fmt), ##__VA_ARGS__)
#define pr_crit_ratelimited(fmt, ...)	printk_ratelimited(KERN_CRIT pr_fmt(fmt), ##__VA_ARGS__)
#define pr_err_ratelimited(fmt, ...)	printk_ratelimited(KERN_ERR pr_fmt(fmt), ##__VA_ARGS__)
#define pr_warn_ratelimited(fmt, ...)	printk_ratelimited(KERN_WARNING pr_fmt(fmt), ##__VA_ARGS__)
#define pr_notice_ratelimited(fmt, ...)	printk_ratelimited(KERN_NOTICE pr_fmt(fmt), ##__VA_ARGS__)
#define pr_info_ratelimited(fmt, ...)	printk_ratelimited(KERN_INFO pr_fmt(fmt), ##__VA_ARGS__)
/* As pr_debug(), which here always prints (there is no dynamic debug). */
#define pr_debug_ratelimited(fmt, ...)	printk_ratelimited(KERN_DEBUG pr_fmt(fmt), ##__VA_ARGS__)

UKMEM_C_END

#endif /* _LINUX_RATELIMIT_H */
