/* SPDX-License-Identifier: MIT */
/*
 * linux/fault-inject.h - the fault-injection framework (lib/fault-inject.c,
 * Documentation/fault-injection/fault-injection.rst).
 *
 * A fault_attr decides, call by call, whether to force a failure:
 * probability (percent), interval (every Nth eligible call), times (how
 * many failures in all, -1 = unlimited), space (bytes to let through
 * first) and verbose (0 silent, 1 the FAULT_INJECTION line, 2 also the
 * stack).  ukmem has three: "failslab", "fail_page_alloc" and
 * "fail_usercopy" (linux/fault-inject-usercopy.h), set from the
 * boot command line (failslab=<interval>,<probability>,<space>,<times>)
 * or at run time with ukmem_fault_set() (include/ukmem/fault.h), whose
 * attribute names are the kernel's debugfs file names.
 */
#ifndef _LINUX_FAULT_INJECT_H
#define _LINUX_FAULT_INJECT_H

#include <ukmem/kernel_types.h>
#include <sys/types.h>
#include <linux/atomic.h>
#include <linux/ratelimit.h>

UKMEM_C_BEGIN

struct fault_attr {
	unsigned long probability;
	unsigned long interval;
	atomic_t times;
	atomic_t space;
	unsigned long verbose;
	bool task_filter;
	unsigned long stacktrace_depth;
	atomic_t count;			/* eligible calls seen (for interval) */
	atomic_long_t injected;		/* ukmem: failures forced so far */
	const char *dname;		/* the debugfs directory name */
	/*
	 * The report's ratelimit_state (verbose_ratelimit_interval_ms, in
	 * jiffies as the kernel stores it; verbose_ratelimit_burst): off
	 * while the interval is 0, the kernel's RATELIMIT_STATE_INIT_DISABLED.
	 */
	struct ratelimit_state ratelimit_state;
};

#define FAULT_ATTR_INITIALIZER {			\
		.interval = 1,				\
		.times = ATOMIC_INIT(1),		\
		.verbose = 2,				\
		.stacktrace_depth = 32,			\
		.ratelimit_state = RATELIMIT_STATE_INIT_DISABLED,	\
	}

#define DECLARE_FAULT_ATTR(name) struct fault_attr name = FAULT_ATTR_INITIALIZER

enum fault_flags {
	FAULTS_NOWARN = 1 << 0,	/* fail silently (the request had __GFP_NOWARN) */
};

UKMEM_API_BEGIN
/* Parse "<interval>,<probability>,<space>,<times>"; 1 on success, as the kernel's. */
int setup_fault_attr(struct fault_attr *attr, const char *str);
bool should_fail_ex(struct fault_attr *attr, ssize_t size, int flags);
bool should_fail(struct fault_attr *attr, ssize_t size);
UKMEM_API_END

UKMEM_C_END

#endif /* _LINUX_FAULT_INJECT_H */
