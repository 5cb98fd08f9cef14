/* SPDX-License-Identifier: MIT */
/*
 * vmalloc when the program closes the vmalloc file's descriptor, as a
 * daemon's closefrom(3) does, and reuses the number for a file of its own.
 * Before the checks in arch/mapping.c, ukmem went on using the number: a
 * new vmalloc range mapped the program's file, vfree() punched holes in
 * it, and a fork child's copy of vmalloc memory was read from it.
 *
 * Both cases put a file of the "program" on the number (dup2), with known
 * bytes, and check it is never touched:
 * - reopened: a privileged process opens the vmalloc file again through
 *   its mapping (/proc/self/map_files): vmalloc, vfree and fork go on;
 * - lost: without CAP_SYS_ADMIN and CAP_CHECKPOINT_RESTORE it cannot, so a
 *   vmalloc that needs a new range fails cleanly (NULL, one message),
 *   while areas already mapped keep their bytes and small areas in mapped
 *   segments still work.
 * And a program started with its standard streams closed: the memory
 * files stay off descriptors 0-2; and one whose seccomp filter refuses
 * madvise(): guard pages by mprotect.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <linux/capability.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <sys/wait.h>

#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <ukmem/boot.h>
#include "fault_probe.h"
#include "ktest.h"

#define BIG	(64UL << 20)	/* more than the mapped segments: new ranges */
#define USER_BYTES "the program's own file, which ukmem must never map or cut"

static char logbuf[1 << 16];

static const char *dmesg_now(void)
{
	ukmem_dmesg(logbuf, sizeof(logbuf));
	return logbuf;
}

/* The descriptor whose link names the vmalloc memfd, or -1. */
static int vmalloc_file_fd(void)
{
	DIR *d = opendir("/proc/self/fd");
	struct dirent *e;
	char path[300], link[128];
	int found = -1;

	if (!d)
		return -1;
	while ((e = readdir(d))) {
		ssize_t n;

		snprintf(path, sizeof(path), "/proc/self/fd/%s", e->d_name);
		n = readlink(path, link, sizeof(link) - 1);
		if (n <= 0)
			continue;
		link[n] = 0;
		if (strstr(link, "memfd:ukmem-vmalloc"))
			found = atoi(e->d_name);
	}
	closedir(d);
	return found;
}

/* The program's file, put on @num after ukmem's descriptor there is closed. */
static int user_file_on(int num)
{
	FILE *f = tmpfile();
	int fd;

	if (!f)
		return -1;
	fd = fileno(f);
	if (write(fd, USER_BYTES, sizeof(USER_BYTES)) != sizeof(USER_BYTES))
		return -1;
	close(num);
	if (dup2(fd, num) != num)
		return -1;
	return num;
}

static bool user_file_intact(int fd)
{
	char buf[sizeof(USER_BYTES) + 16];
	ssize_t n = pread(fd, buf, sizeof(buf), 0);

	return n == (ssize_t)sizeof(USER_BYTES) && !memcmp(buf, USER_BYTES, sizeof(USER_BYTES));
}

static bool filled(const char *p, size_t len, char c)
{
	size_t i;

	for (i = 0; i < len; i += 4096)
		if (p[i] != c)
			return false;
	return p[len - 1] == c;
}

/* Drop the two capabilities that open /proc/self/map_files. */
static int drop_map_files_caps(void)
{
	struct __user_cap_header_struct h = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct d[2];
	unsigned int caps[] = { CAP_SYS_ADMIN, 40 /* CAP_CHECKPOINT_RESTORE */ };
	size_t i;

	if (syscall(SYS_capget, &h, d))
		return -1;
	for (i = 0; i < ARRAY_SIZE(caps); i++) {
		d[caps[i] / 32].effective &= ~(1U << (caps[i] % 32));
		d[caps[i] / 32].permitted &= ~(1U << (caps[i] % 32));
	}
	return (int)syscall(SYS_capset, &h, d);
}

/* Can this process open a mapping of a file through /proc/self/map_files? */
static bool map_files_open(void)
{
	FILE *maps = fopen("/proc/self/maps", "r");
	unsigned long lo = 0, hi = 0;
	char line[512], path[80];
	bool found = false;
	int fd;

	if (!maps)
		return false;
	while (!found && fgets(line, sizeof(line), maps))
		found = strchr(line, '/') && sscanf(line, "%lx-%lx", &lo, &hi) == 2;
	fclose(maps);
	if (!found)
		return false;
	snprintf(path, sizeof(path), "/proc/self/map_files/%lx-%lx", lo, hi);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return false;
	close(fd);
	return true;
}

/* Boot, one 1 MiB area of 'a's, and the vmalloc file's number in *@num; NULL on failure. */
static char *boot_with_area(int *num)
{
	char *a;

	ukmem_set_console(fopen("/dev/null", "w"));
	CHECK_EQ(ukmem_boot("mem=512M"), 0);
	a = vmalloc(1 << 20);
	CHECK(a != NULL);
	if (!a)
		return NULL;
	memset(a, 'a', 1 << 20);
	*num = vmalloc_file_fd();
	CHECK(*num >= 0);
	return *num >= 0 ? a : NULL;
}

static void reopened_child(void *arg)
{
	char *a, *b;
	int num, user, status;
	pid_t pid;

	(void)arg;
	a = boot_with_area(&num);
	if (!a)
		return;
	if (!map_files_open()) {
		KTEST_SKIP("this process cannot open /proc/self/map_files (not privileged)");
		return;
	}
	user = user_file_on(num);
	CHECK_EQ(user, num);
	b = vmalloc(BIG);
	CHECK(b != NULL);
	if (b)
		memset(b, 'b', BIG);
	vfree(a);
	CHECK(user_file_intact(user));
	pid = fork();
	if (!pid)
		_exit(b && filled(b, BIG, 'b') && user_file_intact(user) ? 0 : 1);
	CHECK(pid > 0 && waitpid(pid, &status, 0) == pid && ktest_exited_with(status, 0));
	if (b)
		CHECK(filled(b, BIG, 'b'));
	vfree(b);
	CHECK(user_file_intact(user));
	CHECK(strstr(dmesg_now(), "vmalloc file's descriptor") == NULL);
}

static void test_reopened(void)
{
	ktest_child_case(reopened_child, NULL);
}

static void lost_child(void *arg)
{
	char *a, *b, *c;
	int num, user;

	(void)arg;
	a = boot_with_area(&num);
	if (!a)
		return;
	if (drop_map_files_caps() || map_files_open()) {
		KTEST_SKIP("could not drop the capabilities that open /proc/self/map_files");
		return;
	}
	user = user_file_on(num);
	CHECK_EQ(user, num);
	b = vmalloc(BIG);
	CHECK(b == NULL);
	CHECK_STR_CONTAINS(dmesg_now(), "vmalloc: the program closed the vmalloc file's descriptor");
	/* What is mapped keeps its bytes; a small area in a mapped segment still works. */
	CHECK(filled(a, 1 << 20, 'a'));
	c = vmalloc(4096);
	CHECK(c != NULL);
	if (c) {
		memset(c, 'c', 4096);
		CHECK(filled(c, 4096, 'c'));
	}
	vfree(c);
	vfree(a);
	CHECK(user_file_intact(user));
}

static void test_lost(void)
{
	ktest_child_case(lost_child, NULL);
}

/*
 * Started with its standard streams closed, as a daemon may be: the
 * memory files must not take descriptors 0-2, or the program's own
 * write(1, ...) would land in vmalloc memory (it did: outside testing).
 */
static void closed_stdio_child(void *arg)
{
	int keep = dup(2), fd;
	char *v;

	(void)arg;
	close(0);
	close(1);
	close(2);
	v = vmalloc(1 << 20);
	if (keep >= 0)
		dup2(keep, 2);	/* CHECK's messages */
	CHECK(v != NULL);
	if (!v)
		return;
	memset(v, 'A', 1 << 20);
	for (fd = 0; fd <= 1; fd++) {
		char path[64], target[256];
		ssize_t n;

		snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
		n = readlink(path, target, sizeof(target) - 1);
		if (n > 0) {
			target[n] = 0;
			fprintf(stderr, "fd %d is %s\n", fd, target);
		}
		CHECK(n < 0);
		CHECK(write(fd, "the program's line\n", 19) < 0);
	}
	CHECK(filled(v, 1 << 20, 'A'));
	vfree(v);
}

static void test_closed_stdio(void)
{
	ktest_child_case(closed_stdio_child, NULL);
}

/*
 * A sandbox whose seccomp filter refuses madvise() (EPERM, or ENOSYS):
 * vmalloc's guard pages fall back to mprotect, as on a host without
 * guard markers.  It used to keep the markers it could not install, and
 * every vmalloc failed ("no vmalloc file").
 */
static void madvise_refused_child(void *arg)
{
	struct sock_filter filter[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_madvise, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | (unsigned int)(uintptr_t)arg),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = { .len = ARRAY_SIZE(filter), .filter = filter };
	char buf[1 << 14], *v;

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) ||
	    prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog)) {
		KTEST_SKIP("seccomp is not available here");
		return;
	}
	ukmem_set_console(fopen("/dev/null", "w"));
	v = vmalloc(3 * PAGE_SIZE);		/* the first call: boot, then vmalloc's setup */
	CHECK(v != NULL);
	if (!v)
		return;
	memset(v, 'v', 3 * PAGE_SIZE);
	CHECK(filled(v, 3 * PAGE_SIZE, 'v'));
	CHECK(ktest_faults_here(v + 3 * PAGE_SIZE, false));	/* the guard page */
	ukmem_dmesg(buf, sizeof(buf));
	CHECK_STR_CONTAINS(buf, "guard pages: mprotect");
	vfree(v);
}

static void test_madvise_refused(void)
{
	ktest_child_case(madvise_refused_child, (void *)(uintptr_t)EPERM);
	ktest_child_case(madvise_refused_child, (void *)(uintptr_t)ENOSYS);
}

int main(void)
{
	KTEST_RUN(KTEST(test_reopened), KTEST(test_lost), KTEST(test_closed_stdio),
		  KTEST(test_madvise_refused));
}
