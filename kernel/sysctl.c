/* SPDX-License-Identifier: MIT */
/*
 * kernel/sysctl.c - the vm sysctls (kernel/sysctl.c, mm/page_alloc.c and
 * mm/vmscan.c's handlers, fs/drop_caches.c) and the two kernel ones of the
 * WARN path (kernel/panic.c), behind ukmem_sysctl().
 *
 * One table: the dotted name, the integer it shows, the range the kernel
 * accepts, and what a write does after the value is stored (recompute the
 * watermarks, drop caches).  Writes are serialised by sysctl_lock, held
 * across the handler (which may sleep: drop_caches reclaims), taken raw so
 * that it does not count as atomic context.  Reads take no lock.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <linux/bug.h>
#include <linux/spinlock.h>
#include <ukmem/sysctl.h>
#include "kernel/params.h"
#include "mm/internal.h"

struct vm_sysctl {
	const char *name;		/* dotted, "vm.x" or "kernel.x" */
	int *data;			/* NULL: write-only */
	int min, max;
	int (*write)(int value);	/* after storing, or instead (data NULL) */
};

static int recompute_wmarks(int value)
{
	setup_per_zone_wmarks();
	return 0;
}

/* min_free_kbytes_sysctl_handler: the user's value wins over later recomputations. */
static int write_min_free_kbytes(int value)
{
	user_min_free_kbytes = value;
	return recompute_wmarks(value);
}

static int write_drop_caches(int value)
{
	return drop_caches_sysctl(value);
}

static const struct vm_sysctl vm_sysctls[] = {
	{ "kernel.panic_on_warn",	&panic_on_warn,		 0, 1,	  NULL },
	{ "kernel.warn_limit",		&sysctl_warn_limit,	 0, INT_MAX, NULL },
	{ "vm.drop_caches",		NULL,			 1, 4,	  write_drop_caches },
	{ "vm.min_free_kbytes",		&min_free_kbytes,	 0, INT_MAX, write_min_free_kbytes },
	{ "vm.panic_on_oom",		&sysctl_panic_on_oom,	 0, 2,	  NULL },
	{ "vm.watermark_boost_factor",	&watermark_boost_factor, 0, INT_MAX, NULL },
	{ "vm.watermark_scale_factor",	&watermark_scale_factor, 1, 3000, recompute_wmarks },
};

static const char *const sysctl_names[] = {
	"kernel.panic_on_warn", "kernel.warn_limit", "vm.drop_caches", "vm.min_free_kbytes",
	"vm.panic_on_oom", "vm.watermark_boost_factor", "vm.watermark_scale_factor", NULL,
};
_Static_assert(ARRAY_SIZE(sysctl_names) == ARRAY_SIZE(vm_sysctls) + 1, "one name per entry");

static DEFINE_SPINLOCK(sysctl_lock);

/* "vm.x", "vm/x" or "/proc/sys/vm/x" (and kernel.x the same ways) */
static const struct vm_sysctl *find_sysctl(const char *name)
{
	char dotted[64];
	size_t i;

	if (!name)
		return NULL;
	if (!strncmp(name, "/proc/sys/", 10))
		name += 10;
	if (strlen(name) >= sizeof(dotted))
		return NULL;
	for (i = 0; name[i]; i++)
		dotted[i] = name[i] == '/' ? '.' : name[i];
	dotted[i] = '\0';
	for (i = 0; i < ARRAY_SIZE(vm_sysctls); i++)
		if (!strcmp(vm_sysctls[i].name, dotted))
			return &vm_sysctls[i];
	return NULL;
}

/* proc_dointvec's integer: blanks, a number in any C base, blanks or a newline. */
static int parse_value(const char *value, long *out)
{
	char *end;
	long v;

	if (!value)
		return -EINVAL;
	while (*value == ' ' || *value == '\t')
		value++;
	if (!*value)
		return -EINVAL;
	v = strtol(value, &end, 0);
	if (end == value)
		return -EINVAL;
	while (*end == ' ' || *end == '\t' || *end == '\n')
		end++;
	if (*end)
		return -EINVAL;
	*out = v;
	return 0;
}

/* @name's entry and @value checked against it: 0, -ENOENT or -EINVAL. */
static int sysctl_check(const char *name, const char *value, const struct vm_sysctl **tp,
			long *v)
{
	*tp = find_sysctl(name);
	if (!*tp)
		return -ENOENT;
	if (parse_value(value, v) || *v < (*tp)->min || *v > (*tp)->max)
		return -EINVAL;
	return 0;
}

/* Store a checked value and act on it.  The machine is up. */
static int sysctl_store(const struct vm_sysctl *t, long v)
{
	int err = 0;

	arch_spin_lock(&sysctl_lock);
	if (t->data)
		__atomic_store_n(t->data, (int)v, __ATOMIC_RELAXED);
	if (t->write)
		err = t->write((int)v);
	arch_spin_unlock(&sysctl_lock);
	return err;
}

int ukmem_sysctl(const char *name, const char *value)
{
	const struct vm_sysctl *t;
	long v;
	int err;

	ukmem_ensure_booted();
	err = sysctl_check(name, value, &t, &v);
	if (err)
		return err;
	if (system_state != SYSTEM_RUNNING)
		return -EAGAIN;
	might_sleep();
	return sysctl_store(t, v);
}

/*
 * A sysctl.NAME=VALUE boot parameter (NAME dotted or with slashes), as
 * the kernel's process_sysctl_arg() writes it once the machine is up,
 * with its messages for a name it lacks or a value it refuses.  The boot
 * may run in atomic context: no might_sleep() here.
 */
void sysctl_boot_arg(const char *name, const char *value)
{
	const struct vm_sysctl *t;
	long v;
	int err = sysctl_check(name, value, &t, &v) ?: sysctl_store(t, v);

	if (err == -ENOENT)
		pr_err("Failed to set sysctl parameter '%s=%s': parameter not found\n", name, value);
	else if (err == -EINVAL)
		pr_err("Failed to set sysctl parameter '%s=%s': invalid value\n", name, value);
	else if (err)
		pr_err("Error %d writing to proc file to set sysctl parameter '%s=%s'\n", err,
		       name, value);
}

int ukmem_sysctl_read(const char *name, char *buf, size_t size)
{
	const struct vm_sysctl *t;
	int len;

	ukmem_ensure_booted();
	t = find_sysctl(name);
	if (!t)
		return -ENOENT;
	if (!t->data)
		return -EACCES;		/* mode 0200, as in the kernel */
	len = snprintf(buf, size, "%d\n", __atomic_load_n(t->data, __ATOMIC_RELAXED));
	if (len < 0 || (size_t)len >= size)
		return -ENOSPC;
	return len;
}

const char * const *ukmem_sysctl_names(void)
{
	return sysctl_names;
}
