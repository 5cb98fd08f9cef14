/* SPDX-License-Identifier: MIT */
/*
 * linux/instruction_pointer.h - code addresses for tracking callers (the
 * kernel's header of that name, which linux/kernel.h and linux/slab.h
 * bring): _RET_IP_ is where the current function returns to, what the
 * *_track_caller() allocations record as the owner; _THIS_IP_ is an
 * address inside the current function.
 */
#ifndef _LINUX_INSTRUCTION_POINTER_H
#define _LINUX_INSTRUCTION_POINTER_H

#define _RET_IP_	((unsigned long)__builtin_return_address(0))
#define _THIS_IP_	({ __label__ __here; __here: (unsigned long)&&__here; })

#endif /* _LINUX_INSTRUCTION_POINTER_H */
