/* SPDX-License-Identifier: MIT */
/*
 * asm/rseq.h - the x86-64 assembly around a restartable sequence, shared
 * by the slab's per-CPU stacks (arch/rseq.h) and this_cpu_* (asm/percpu.h).
 *
 * __UKMEM_RSEQ_CS emits the sequence's descriptor (struct rseq_cs: version,
 * flags, start_ip = label 1, post_commit_offset = label 2 - label 1,
 * abort_ip = label 4) in section __rseq_cs and points the thread's rseq
 * area at it (rseq_cs is 8 bytes in; the %[rseq] operand is glibc's rseq
 * offset from %fs).  It clobbers %rax.
 *
 * __UKMEM_RSEQ_ABORT(label) emits the abort handler, after the signature
 * the host kernel checks (glibc registers 0x53053053 on x86), in a section
 * of its own so the straight-line path stays short; it jumps to @label.
 */
#ifndef _ASM_UKMEM_RSEQ_H
#define _ASM_UKMEM_RSEQ_H

#define __UKMEM_RSEQ_CS							\
	".pushsection __rseq_cs, \"aw\"\n\t"				\
	".balign 32\n"							\
	"3:\n\t"							\
	".long 0, 0\n\t"						\
	".quad 1f, (2f - 1f), 4f\n\t"					\
	".popsection\n\t"						\
	"leaq 3b(%%rip), %%rax\n\t"					\
	"movq %%rax, %%fs:8(%[rseq])\n"

#define __UKMEM_RSEQ_ABORT(label)					\
	".pushsection __rseq_failure, \"ax\"\n\t"			\
	".byte 0x0f, 0xb9, 0x3d\n\t"					\
	".long 0x53053053\n"						\
	"4:\n\t"							\
	"jmp %l[" label "]\n\t"						\
	".popsection\n"

#endif /* _ASM_UKMEM_RSEQ_H */
