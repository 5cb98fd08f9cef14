/* SPDX-License-Identifier: MIT */
/*
 * ukmem/boot.h - booting the machine.
 *
 * The library boots itself on the first allocation, with the command line
 * from the environment variable UKMEM_CMDLINE.  A program that wants a
 * particular machine calls ukmem_boot() first; one that wants to run code
 * while only memblock exists (the kernel's early boot) passes a hook to
 * ukmem_boot_hook(): it runs after memblock is set up and before mem_init()
 * hands the free memory to the buddy allocator, so what it allocates with
 * memblock_alloc() or alloc_bootmem() stays reserved for ever.
 */
#ifndef _UKMEM_BOOT_H
#define _UKMEM_BOOT_H

#include <stdio.h>
#include <sys/types.h>
#include <ukmem/kernel_types.h>

UKMEM_C_BEGIN
UKMEM_API_BEGIN

/*
 * Boot with @cmdline (kernel syntax; NULL means UKMEM_CMDLINE or the
 * default).  Returns 0, -EALREADY if the machine is already up, -EINVAL
 * after reporting a malformed parameter, or -EAGAIN from a signal handler
 * while another boot runs (a handler never waits for it).  Context:
 * process context sleeps while another thread boots.
 */
int ukmem_boot(const char *cmdline);
int ukmem_boot_hook(const char *cmdline, void (*early_hook)(void *arg), void *arg);
/* True once the buddy allocator is up. */
bool ukmem_booted(void);
/*
 * Boot now with UKMEM_CMDLINE unless the machine is up (or booting on this
 * thread): what every entry point does before it reads anything the boot
 * sets, and what the headers' readers of such values (VMALLOC_START,
 * totalram_pages()) do when they find them unset.  Cheap once booted.
 * In a signal handler, while another thread boots, it returns at once with
 * the machine still down: that first allocation fails (NULL).
 */
void ukmem_boot_slow(void);
/* The command line the machine booted with. */
const char *ukmem_cmdline(void);

/* Where console messages go (stderr by default; NULL restores stderr). */
void ukmem_set_console(FILE *stream);
/*
 * Copy the log buffer (the kernel's dmesg) into @buf, NUL-terminated;
 * returns the length of the whole log.  ukmem_dmesg_clear() empties it.
 */
size_t ukmem_dmesg(char *buf, size_t size);
void ukmem_dmesg_clear(void);

/*
 * fork() (kernel/fork.c): every allocator lock is taken before and released
 * after, in parent and child, so that the child can allocate even if
 * another thread held a lock at the moment of the fork; a single-threaded
 * process takes none, so fork() from a signal handler is safe there.  The
 * library registers the three handlers with pthread_atfork() as it loads
 * (a constructor); ukmem_install_atfork() does it again, harmlessly, for a
 * program that wants to be sure from a constructor of its own.
 * ukmem_fork() is fork() that fails (-1, errno ENOMEM) when the child
 * could not get its own copy of the allocator's memory, where a plain
 * fork() must go on and then kills the child (SIGKILL) before it runs.
 */
void ukmem_fork_prepare(void);
void ukmem_fork_parent(void);
void ukmem_fork_child(void);
int ukmem_install_atfork(void);
pid_t ukmem_fork(void);

UKMEM_API_END
UKMEM_C_END

#endif /* _UKMEM_BOOT_H */
