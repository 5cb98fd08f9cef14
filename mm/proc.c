/* SPDX-License-Identifier: MIT */
/*
 * mm/proc.c - ukmem_show(): the kernel's /proc files, by name.
 *
 * The kernel registers each report as a /proc file (proc_create_seq() in
 * mm/vmstat.c, fs/proc/meminfo.c, mm/slab_common.c, mm/vmalloc.c) and
 * dmesg reads the printk ring buffer through /dev/kmsg.  Here the files are
 * rows of one table: a name and a function that writes the report to a
 * FILE.  The built-in rows are static; subsystems that arrive later add
 * theirs with ukmem_register_report() (mm/proc.h).
 *
 * Writes (the kernel's debugfs and sysfs files that take commands) go
 * through ukmem_write(): "kmemleak" (mm/kmemleak.c) and
 * "slab/<cache>/<file>" (/sys/kernel/slab, mm/slab_sysfs.c).
 *
 * Entry points: ukmem_show(), ukmem_write(), ukmem_report_names() (include/ukmem/report.h),
 * ukmem_register_report() (mm/proc.h).
 *
 * Concurrency: rows are only ever appended or have their show function
 * replaced, under reports_lock.  Readers take no lock: a row's name and
 * show function are written before the release store of nr_reports that
 * publishes it, and the show function is read with an acquire load.  The
 * show function runs with no ukmem lock held, because it uses stdio.
 *
 * Lock order: reports_lock is a leaf.  dmesg_lock is held across the copy
 * out of the log buffer and the fwrite() of it, which may block on a pipe
 * or allocate (a FILE's buffer, through ukmem under the front end): a
 * mutex, so that other dmesg readers sleep meanwhile; it serialises dmesg
 * readers only (docs/overview.md, "Lock order").
 */
#include <errno.h>
#include <string.h>
#include <stdio.h>
#include <ukmem/boot.h>
#include <ukmem/slab_debug.h>
#include <ukmem/report.h>
#include "arch/host.h"
#include "internal.h"
#include "kernel/fork.h"
#include "kernel/locking.h"
#include "proc.h"
#include "slab.h"

struct report {
	const char *name;
	void (*show)(FILE *m);
};

static void show_dmesg(FILE *m);

/* The table; rows [0, nr_reports) are valid. */
static struct report reports[UKMEM_MAX_REPORTS] = {
	{ "meminfo",		show_meminfo },
	{ "buddyinfo",		show_buddyinfo },
	{ "pagetypeinfo",	show_pagetypeinfo },
	{ "zoneinfo",		show_zoneinfo },
	{ "dmesg",		show_dmesg },
	{ "vmstat",		show_vmstat },
};
#define NR_BUILTIN_REPORTS	6
static unsigned int nr_reports = NR_BUILTIN_REPORTS;
/* The names again, NULL-terminated, for ukmem_report_names(). */
static const char *report_names[UKMEM_MAX_REPORTS + 1] = {
	"meminfo", "buddyinfo", "pagetypeinfo", "zoneinfo", "dmesg", "vmstat", NULL,
};
static DEFINE_SPINLOCK_RANKED(reports_lock, LOCK_RANK_REPORTS);

static_assert(UKMEM_MAX_REPORTS >= NR_BUILTIN_REPORTS + 2, "room for slabinfo and vmallocinfo");

/* The log buffer is copied here: the report path must not allocate. */
#define DMESG_BUF_SIZE	(256 * 1024)
static char dmesg_buf[DMESG_BUF_SIZE];
/* Held across the write, which may block (a pipe): a sleeping lock. */
static DEFINE_MUTEX_RANKED(dmesg_lock, LOCK_RANK_DMESG);

static void show_dmesg(FILE *m)
{
	size_t len;

	mutex_lock(&dmesg_lock);
	len = ukmem_dmesg(dmesg_buf, sizeof(dmesg_buf));
	/* A log longer than the buffer comes out cut to the buffer. */
	if (len >= sizeof(dmesg_buf))
		len = sizeof(dmesg_buf) - 1;
	fwrite(dmesg_buf, 1, len, m);
	mutex_unlock(&dmesg_lock);
}

/*
 * fork(): a child of a threaded process must not inherit either lock held
 * by a thread it does not have (its reports would wait for ever).
 */
static const struct fork_step proc_fork_steps[] = {
	{ .name = "dmesg", .order = FORK_ORDER_DMESG, .mutex = &dmesg_lock },
	{ .name = "reports", .order = FORK_ORDER_REPORTS, .spinlock = &reports_lock },
};

void proc_fork_init(void)
{
	static bool done;

	if (done)
		return;
	done = true;
	fork_register_step(&proc_fork_steps[0]);
	fork_register_step(&proc_fork_steps[1]);
}

static struct report *find_report(const char *name)
{
	unsigned int i, n = __atomic_load_n(&nr_reports, __ATOMIC_ACQUIRE);

	for (i = 0; i < n; i++)
		if (!strcmp(reports[i].name, name))
			return &reports[i];
	return NULL;
}

void ukmem_register_report(const char *name, void (*show)(FILE *m))
{
	struct report *r;
	unsigned int n;

	if (WARN_ON(!name || !show))
		return;

	spin_lock(&reports_lock);
	r = find_report(name);
	if (r) {
		__atomic_store_n(&r->show, show, __ATOMIC_RELEASE);
		spin_unlock(&reports_lock);
		return;
	}
	n = nr_reports;
	if (n >= UKMEM_MAX_REPORTS) {
		spin_unlock(&reports_lock);
		pr_warn("ukmem: report table full, \"%s\" not registered\n", name);
		return;
	}
	reports[n].name = name;
	reports[n].show = show;
	report_names[n] = name;		/* report_names[n + 1] stays NULL */
	__atomic_store_n(&nr_reports, n + 1, __ATOMIC_RELEASE);
	spin_unlock(&reports_lock);
}

/**
 * ukmem_show - write one of the kernel's /proc reports.
 * @name: "meminfo", "buddyinfo", "pagetypeinfo", "zoneinfo", "vmstat", "dmesg", or a
 *	name a subsystem registered ("slabinfo", "vmallocinfo").
 * @out: where to write it.
 *
 * Boots the library first if it is not up yet.  May sleep (boot, stdio);
 * takes zone locks only for short snapshots.  Not a cancellation point:
 * a pthread_cancel() acts after it returns.  Returns 0, -ENOENT for an
 * unknown name, -EINVAL when @out is NULL.
 */
/*
 * "slab/<cache>/alloc_traces" and "slab/<cache>/free_traces": the files the
 * kernel keeps under /sys/kernel/debug/slab/<cache>/ for caches with
 * SLAB_STORE_USER (mm/slub_traces.c).
 */
static int show_slab_file(const char *name, FILE *out)
{
	static const struct {
		const char *file;
		enum ukmem_slab_trace which;
	} files[] = {
		{ "/alloc_traces", UKMEM_SLAB_ALLOC_TRACES },
		{ "/free_traces", UKMEM_SLAB_FREE_TRACES },
	};
	char cache[64];
	size_t len, i;

	name += strlen("slab/");
	for (i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		size_t flen = strlen(files[i].file);
		struct kmem_cache *s;

		len = strlen(name);
		if (len <= flen || len - flen >= sizeof(cache) ||
		    strcmp(name + len - flen, files[i].file))
			continue;
		memcpy(cache, name, len - flen);
		cache[len - flen] = '\0';
		s = ukmem_slab_find(cache);
		/* debugfs_slab_add(): the files exist only for caches with owner tracks. */
		if (!s || !(READ_ONCE(s->flags) & SLAB_STORE_USER))
			return -ENOENT;
		return ukmem_slab_show_traces(s, files[i].which, out) < 0 ? -EINVAL : 0;
	}
	/* The /sys/kernel/slab/<cache>/ files slub.rst documents. */
	return slab_sysfs_show(name, out);
}

static int show_report(const char *name, FILE *out)
{
	struct report *r = find_report(name);
	void (*show)(FILE *m);

	if (!r) {
		if (!strcmp(name, "shrinker") || !strncmp(name, "shrinker/", 9))
			return shrinker_debugfs_show(name + (name[8] ? 9 : 8), out);
		return strncmp(name, "slab/", 5) ? -ENOENT : show_slab_file(name, out);
	}

	show = __atomic_load_n(&r->show, __ATOMIC_ACQUIRE);
	show(out);
	return 0;
}

/*
 * The reports write to @out (a cancellation point: write(2) under stdio)
 * while they hold a lock: dmesg_lock, slab_mutex, kmemleak's scan mutex.
 * A thread cancelled there left it held, and every later reader of that
 * report waited for ever; so cancellation is held off across the whole
 * report, as printk holds it off across its lock.  A pending cancel acts
 * at the caller's next cancellation point.
 */
int ukmem_show(const char *name, FILE *out)
{
	int ret, cancel_state;

	if (!name)
		return -ENOENT;
	if (!out)
		return -EINVAL;
	/* Before find_report: the boot registers slabinfo and vmallocinfo. */
	ukmem_ensure_booted();
	cancel_state = arch_cancel_off();
	ret = show_report(name, out);
	arch_cancel_restore(cancel_state);
	return ret;
}

/* The names ukmem_show() knows, NULL-terminated, in registration order. */
const char * const *ukmem_report_names(void)
{
	ukmem_ensure_booted();	/* slabinfo and vmallocinfo register at boot */
	return report_names;
}

/**
 * ukmem_write - write a command to one of the kernel's debugfs files.
 * @name: "kmemleak" (/sys/kernel/debug/kmemleak), "slab/<cache>/<file>",
 *	"shrinker/<name>-<id>/scan".
 * @buf: the command, as `echo` would write it (a trailing newline is fine).
 *
 * Boots the library first.  May sleep.  Returns 0, -ENOENT for an
 * unknown file, -EINVAL for a bad command or a NULL @buf, or the file's
 * own error (-EPERM: kmemleak is off).
 */
int ukmem_write(const char *name, const char *buf)
{
	int ret = -ENOENT, cancel_state;

	if (!name)
		return -ENOENT;
	if (!buf)
		return -EINVAL;
	ukmem_ensure_booted();
	/* A kmemleak scan or dump prints under its mutex: as ukmem_show(). */
	cancel_state = arch_cancel_off();
	if (!strcmp(name, "kmemleak"))
		ret = kmemleak_write(buf);
	else if (!strncmp(name, "slab/", 5))
		ret = slab_sysfs_store(name + 5, buf);
	else if (!strncmp(name, "shrinker/", 9))
		ret = shrinker_debugfs_store(name + 9, buf);
	arch_cancel_restore(cancel_state);
	return ret;
}
