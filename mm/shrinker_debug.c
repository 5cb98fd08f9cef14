/* SPDX-License-Identifier: MIT */
/*
 * mm/shrinker_debug.c - the kernel's CONFIG_SHRINKER_DEBUG files
 * (mm/shrinker_debug.c): a directory per registered shrinker under
 * /sys/kernel/debug/shrinker/, named "<name>-<id>" (the id the smallest
 * free one, given back when the shrinker goes), holding
 *
 *   count  read: "<memcg inode> <objects on node 0> <node 1> ...\n", the
 *          shrinker's count_objects() for each node (nodes past 0 only
 *          for a SHRINKER_NUMA_AWARE one, SHRINK_EMPTY read as 0);
 *          nothing at all when every count is 0;
 *   scan   write "<memcg inode> <node> <nr_to_scan>": one scan_objects()
 *          call with nr_to_scan (and nr_scanned) set; -EINVAL unless
 *          three numbers, for a node out of range or an inode other
 *          than 0; 0 objects does nothing.
 *
 * Reached as ukmem_show("shrinker/<name>-<id>/count") and
 * ukmem_write("shrinker/<name>-<id>/scan", "0 0 128"); ukmem_show("shrinker")
 * lists the directories, as ls would.  There are no memory cgroups: the
 * inode is always 0, and a SHRINKER_MEMCG_AWARE shrinker is treated as the
 * kernel treats it with memory cgroups off (the flag dropped).  The
 * callbacks run with a reference on the shrinker, as reclaim runs them,
 * so the shrinker cannot be freed meanwhile.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <linux/gfp.h>
#include <linux/nodemask.h>
#include <linux/shrinker.h>
#include "mm/internal.h"

/* "<dir>/<file>" split at the last '/': the file, @dir filled in. */
static const char *split_dir(const char *path, char *dir, size_t size)
{
	const char *slash = strrchr(path, '/');

	if (!slash || (size_t)(slash - path) >= size)
		return NULL;
	memcpy(dir, path, (size_t)(slash - path));
	dir[slash - path] = '\0';
	return slash + 1;
}

static void show_count(struct shrinker *shrinker, FILE *out)
{
	unsigned long counts[MAX_NUMNODES], total = 0;
	bool numa = READ_ONCE(shrinker->flags) & SHRINKER_NUMA_AWARE;
	int nid;

	for_each_node(nid) {
		struct shrink_control sc = { .gfp_mask = GFP_KERNEL, .nid = nid };
		unsigned long nr = 0;

		if (nid == 0 || numa) {
			nr = shrinker->count_objects(shrinker, &sc);
			if (nr == SHRINK_EMPTY)
				nr = 0;
		}
		counts[nid] = nr;
		total += nr;
	}
	if (!total)
		return;
	fprintf(out, "%lu", 0UL);	/* mem_cgroup_ino(): no memory cgroups */
	for_each_node(nid)
		fprintf(out, " %lu", counts[nid]);
	fputc('\n', out);
}

static int store_scan(struct shrinker *shrinker, const char *buf)
{
	unsigned long ino, nr_to_scan;
	struct shrink_control sc = { .gfp_mask = GFP_KERNEL };
	char kbuf[72];
	int nid;

	/* The kernel reads at most 71 bytes of what was written. */
	snprintf(kbuf, sizeof(kbuf), "%s", buf);
	if (sscanf(kbuf, "%lu %d %lu", &ino, &nid, &nr_to_scan) != 3)
		return -EINVAL;
	if (nid < 0 || nid >= (int)nr_node_ids)
		return -EINVAL;
	if (!nr_to_scan)
		return 0;
	if (ino != 0)
		return -EINVAL;
	sc.nid = nid;
	sc.nr_to_scan = nr_to_scan;
	sc.nr_scanned = nr_to_scan;
	shrinker->scan_objects(shrinker, &sc);
	return 0;
}

/* The shrinker of "<name>-<id>/<file>", with a reference, and its file; NULL if none. */
static struct shrinker *file_of(const char *path, const char **file)
{
	char dir[64];

	*file = split_dir(path, dir, sizeof(dir));
	return *file ? shrinker_get_by_debugfs_dir(dir) : NULL;
}

int shrinker_debugfs_show(const char *path, FILE *out)
{
	struct shrinker *shrinker;
	const char *file;

	if (!*path) {
		shrinker_debugfs_list(out);
		return 0;
	}
	shrinker = file_of(path, &file);
	if (!shrinker)
		return -ENOENT;
	if (!strcmp(file, "count"))
		show_count(shrinker, out);
	shrinker_put(shrinker);
	/* scan is write-only (0220): reading it is refused, as the open would be. */
	return !strcmp(file, "count") ? 0 : !strcmp(file, "scan") ? -EACCES : -ENOENT;
}

int shrinker_debugfs_store(const char *path, const char *buf)
{
	struct shrinker *shrinker;
	const char *file;
	int ret;

	shrinker = file_of(path, &file);
	if (!shrinker)
		return -ENOENT;
	if (!strcmp(file, "scan")) {
		might_sleep();
		ret = store_scan(shrinker, buf);
	} else {
		ret = !strcmp(file, "count") ? -EACCES : -ENOENT;	/* count is 0440 */
	}
	shrinker_put(shrinker);
	return ret;
}
