/* SPDX-License-Identifier: MIT */
/*
 * The shrinker debugfs files (mm/shrinker_debug.c, the kernel's
 * CONFIG_SHRINKER_DEBUG): a "<name>-<id>" directory per registered
 * shrinker, listed by ukmem_show("shrinker"); its count file prints the
 * memcg inode (0) and count_objects() for every node (0 past node 0
 * unless NUMA-aware), nothing when all are 0; its scan file takes
 * "<inode> <node> <nr>" and makes one scan_objects() call, with the
 * kernel's -EINVAL cases; ids are the smallest free, reused after a
 * free; shrinker_debugfs_rename() renames; a freed shrinker is gone.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <linux/nodemask.h>
#include <linux/shrinker.h>
#include <ukmem/report.h>
#include "ktest_boot.h"
#include "slab_test.h"

struct fake {
	unsigned long objects[MAX_NUMNODES];
	int scans, last_nid;
	unsigned long last_nr, last_scanned;
};

static unsigned long fake_count(struct shrinker *s, struct shrink_control *sc)
{
	struct fake *f = s->private_data;

	return f->objects[sc->nid] ? f->objects[sc->nid] : SHRINK_EMPTY;
}

static unsigned long fake_scan(struct shrinker *s, struct shrink_control *sc)
{
	struct fake *f = s->private_data;
	unsigned long n = min(sc->nr_to_scan, f->objects[sc->nid]);

	f->scans++;
	f->last_nid = sc->nid;
	f->last_nr = sc->nr_to_scan;
	f->last_scanned = sc->nr_scanned;
	f->objects[sc->nid] -= n;
	return n;
}

static struct shrinker *make(struct fake *f, unsigned int flags, const char *name)
{
	struct shrinker *s = shrinker_alloc(flags, "%s", name);

	CHECK(s != NULL);
	s->count_objects = fake_count;
	s->scan_objects = fake_scan;
	s->private_data = f;
	shrinker_register(s);
	return s;
}

/* The report @name as a string (a buffer per call site's use). */
static const char *show(const char *name, int *ret)
{
	static char buf[8192];
	FILE *f;

	memset(buf, 0, sizeof(buf));
	f = fmemopen(buf, sizeof(buf), "w");

	*ret = ukmem_show(name, f);
	fclose(f);
	return buf;
}

static char *dir_of(const char *name, char *dir, size_t size)
{
	int ret;
	const char *list = show("shrinker", &ret), *line;
	size_t len = strlen(name);

	CHECK_EQ(ret, 0);
	for (line = list; line && *line; line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL)
		if (!strncmp(line, name, len) && line[len] == '-') {
			const char *end = strchr(line, '\n');

			snprintf(dir, size, "%.*s", (int)(end - line), line);
			return dir;
		}
	return NULL;
}

static void test_count_and_scan(void)
{
	struct fake f = { .objects = { 300 } };
	struct shrinker *s = make(&f, 0, "dbg-one");
	char dir[64], path[96];
	const char *out;
	int ret, i;

	CHECK(dir_of("dbg-one", dir, sizeof(dir)) != NULL);
	CHECK_EQ(atoi(dir + strlen("dbg-one-")), s->debugfs_id);
	snprintf(path, sizeof(path), "shrinker/%s/count", dir);
	out = show(path, &ret);
	CHECK_EQ(ret, 0);
	CHECK(!strcmp(out, "0 300\n"));

	snprintf(path, sizeof(path), "shrinker/%s/scan", dir);
	CHECK_EQ(ukmem_write(path, "0 0 100\n"), 0);
	CHECK_EQ(f.scans, 1);
	CHECK_EQ(f.last_nid, 0);
	CHECK_EQ(f.last_nr, 100);
	CHECK_EQ(f.last_scanned, 100);
	/* What the kernel refuses, and 0 objects: no call. */
	CHECK_EQ(ukmem_write(path, "0 0"), -EINVAL);
	CHECK_EQ(ukmem_write(path, "junk"), -EINVAL);
	CHECK_EQ(ukmem_write(path, "0 1 10"), -EINVAL);		/* one node */
	CHECK_EQ(ukmem_write(path, "0 -1 10"), -EINVAL);
	CHECK_EQ(ukmem_write(path, "7 0 10"), -EINVAL);		/* no memcg 7 */
	CHECK_EQ(ukmem_write(path, "7 0 0"), 0);		/* nothing to scan first */
	CHECK_EQ(f.scans, 1);
	/* scan is write-only, count read-only; no other file. */
	CHECK_EQ(show(path, &ret) != NULL, 1);
	CHECK_EQ(ret, -EACCES);
	snprintf(path, sizeof(path), "shrinker/%s/count", dir);
	CHECK_EQ(ukmem_write(path, "1"), -EACCES);
	snprintf(path, sizeof(path), "shrinker/%s/nothing", dir);
	show(path, &ret);
	CHECK_EQ(ret, -ENOENT);

	/* Scanned down to 0: the count file is empty. */
	snprintf(path, sizeof(path), "shrinker/%s/scan", dir);
	for (i = 0; i < 2; i++)
		CHECK_EQ(ukmem_write(path, "0 0 100"), 0);
	snprintf(path, sizeof(path), "shrinker/%s/count", dir);
	out = show(path, &ret);
	CHECK_EQ(ret, 0);
	CHECK(!strcmp(out, ""));

	shrinker_free(s);
	show(path, &ret);
	CHECK_EQ(ret, -ENOENT);
	CHECK(dir_of("dbg-one", dir, sizeof(dir)) == NULL);
}

static void test_ids_and_rename(void)
{
	struct fake f = { .objects = { 5 } };
	struct shrinker *a = make(&f, 0, "dbg-a"), *b = make(&f, 0, "dbg-b"), *c;
	char dir[64], path[96];
	int ida = a->debugfs_id, ret;

	CHECK(a->debugfs_id != b->debugfs_id);
	shrinker_free(a);
	c = make(&f, 0, "dbg-c");
	CHECK_EQ(c->debugfs_id, ida);	/* the smallest free id again */
	CHECK_EQ(shrinker_debugfs_rename(c, "dbg-%s", "renamed"), 0);
	CHECK(dir_of("dbg-c", dir, sizeof(dir)) == NULL);
	CHECK(dir_of("dbg-renamed", dir, sizeof(dir)) != NULL);
	snprintf(path, sizeof(path), "shrinker/%s/count", dir);
	CHECK(!strcmp(show(path, &ret), "0 5\n"));
	shrinker_free(b);
	shrinker_free(c);
}

/* The pre-6.7 interface names its shrinker too. */
static void test_old_interface(void)
{
	static struct fake f = { .objects = { 9 } };
	static struct shrinker s = { .count_objects = fake_count, .scan_objects = fake_scan,
				     .seeks = DEFAULT_SEEKS, .private_data = &f };
	char dir[64], path[96];
	int ret;

	CHECK_EQ(register_shrinker(&s, "dbg-old-%d", 1), 0);
	CHECK(dir_of("dbg-old-1", dir, sizeof(dir)) != NULL);
	snprintf(path, sizeof(path), "shrinker/%s/count", dir);
	CHECK(!strcmp(show(path, &ret), "0 9\n"));
	unregister_shrinker(&s);
	show(path, &ret);
	CHECK_EQ(ret, -ENOENT);
}

/* Two nodes: a count per node, 0 past node 0 unless NUMA-aware. */
static void two_nodes(void *arg)
{
	struct fake plain = { .objects = { 4, 6 } }, numa = { .objects = { 4, 6 } };
	struct shrinker *p, *n;
	char dir[64], path[96];
	int ret;

	child_boot("mem=256M loglevel=0", arg);
	p = make(&plain, 0, "dbg-plain");
	n = make(&numa, SHRINKER_NUMA_AWARE, "dbg-numa");
	CHECK(dir_of("dbg-plain", dir, sizeof(dir)) != NULL);
	snprintf(path, sizeof(path), "shrinker/%s/count", dir);
	CHECK(!strcmp(show(path, &ret), "0 4 0\n"));
	CHECK(dir_of("dbg-numa", dir, sizeof(dir)) != NULL);
	snprintf(path, sizeof(path), "shrinker/%s/count", dir);
	CHECK(!strcmp(show(path, &ret), "0 4 6\n"));
	snprintf(path, sizeof(path), "shrinker/%s/scan", dir);
	CHECK_EQ(ukmem_write(path, "0 1 2"), 0);
	CHECK_EQ(numa.last_nid, 1);
	CHECK_EQ(numa.objects[1], 4);
	CHECK_EQ(ukmem_write(path, "0 2 2"), -EINVAL);
	shrinker_free(p);
	shrinker_free(n);
}

static void test_numa(void)
{
	static const char *const lines[] = { "numa=fake=2" };

	run_cmdlines(two_nodes, lines, 1);
}

/* One machine of one node for the first three. */
static void one_node(void *arg)
{
	child_boot("mem=128M loglevel=0", arg);
	test_count_and_scan();
	test_ids_and_rename();
	test_old_interface();
}

static void test_one_node(void)
{
	static const char *const lines[] = { "numa=off" };

	run_cmdlines(one_node, lines, 1);
}

int main(void)
{
	KTEST_RUN(KTEST(test_one_node), KTEST(test_numa));
}
