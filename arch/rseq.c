/* SPDX-License-Identifier: MIT */
/*
 * arch/rseq.c - the system-call half of arch/rseq.h: registering for and
 * issuing membarrier(2)'s rseq fence, and the remote owner's lock token.
 *
 * MEMBARRIER_CMD_PRIVATE_EXPEDITED_RSEQ (Linux 5.10+) interrupts the
 * target CPUs that run a thread of this process and restarts any rseq
 * critical section in flight there; threads preempted inside one restart
 * when they run again anyway.  A process must register for it first.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "arch/host.h"
#include "arch/rseq.h"

/* include/uapi/linux/membarrier.h */
#define MEMBARRIER_CMD_PRIVATE_EXPEDITED_RSEQ		(1 << 7)
#define MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_RSEQ	(1 << 8)
#define MEMBARRIER_CMD_FLAG_CPU				(1 << 0)

static long sys_membarrier(int cmd, unsigned int flags, int cpu)
{
#ifdef SYS_membarrier
	return syscall(SYS_membarrier, cmd, flags, cpu);
#else
	errno = ENOSYS;
	return -1;
#endif
}

bool arch_rseq_init(void)
{
	if (!ARCH_HAS_RSEQ_STACKS || !arch_rseq_offset())
		return false;
	if (arch_rseq_is_fake())	/* one thread: nothing to fence against */
		return true;
	return sys_membarrier(MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_RSEQ, 0, 0) == 0;
}

int arch_rseq_fence(int cpu)
{
	long ret;

	if (arch_rseq_is_fake())
		return 0;
	if (cpu >= 0)
		ret = sys_membarrier(MEMBARRIER_CMD_PRIVATE_EXPEDITED_RSEQ,
				     MEMBARRIER_CMD_FLAG_CPU, cpu);
	else
		ret = sys_membarrier(MEMBARRIER_CMD_PRIVATE_EXPEDITED_RSEQ, 0, 0);
	return ret ? -errno : 0;
}

u32 arch_pcpu_remote_token(void)
{
	return (u32)arch_gettid() * 2 + 2;
}
