/* SPDX-License-Identifier: MIT */
/*
 * arch/remote.c - the statistics area's page, and reading another
 * process's memory without stopping it (arch/host.h).
 *
 * The area is a memfd mapped private: its name is what /proc/PID/maps
 * shows, which is how a reader finds it (and `ukmem ps` the processes on
 * ukmem); private, so that a fork child has its own copy; the descriptor
 * is closed once mapped, so the process keeps no extra file open.
 *
 * process_vm_readv() needs the reader to be allowed to ptrace the target
 * (same user, and with Yama's ptrace_scope=1 a descendant, as under
 * `ukmem run --top`, or root).  Pages the target has inaccessible read as
 * an error (EFAULT), never as a fault of the reader.
 *
 * The same calls on the process itself are the user-copy primitives
 * (lib/usercopy.c): a copy from or to a bad address stops at the first
 * inaccessible byte and says so, where a memcpy() would take SIGSEGV.
 * A process may always read and write itself, whatever Yama says; a
 * seccomp filter may still forbid the calls (ENOSYS, EPERM), and then
 * the copy is a plain one.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/uio.h>
#include <unistd.h>

#include "arch/host.h"

void *arch_named_area(const char *name, size_t size)
{
	int fd = memfd_create(name, MFD_CLOEXEC);
	void *p;

	if (fd < 0)
		return NULL;
	if (arch_file_set_size(fd, size)) {
		close(fd);
		return NULL;
	}
	p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
	close(fd);
	return p == MAP_FAILED ? NULL : p;
}

long arch_process_read(int pid, unsigned long addr, void *buf, size_t len)
{
	struct iovec local = { buf, len }, remote = { (void *)addr, len };
	size_t done = 0;

	/* A read across an inaccessible page stops there: go on to the end. */
	while (done < len) {
		ssize_t n;

		local.iov_base = (char *)buf + done;
		local.iov_len = len - done;
		remote.iov_base = (void *)(addr + done);
		remote.iov_len = len - done;
		n = process_vm_readv(pid, &local, 1, &remote, 1, 0);
		if (n < 0)
			return done ? (long)done : -errno;
		if (n == 0)
			break;
		done += (size_t)n;
	}
	return (long)done;
}

int arch_process_find_area(int pid, const char *name, unsigned long *addrs, int max)
{
	char path[64], line[512], want[96];
	int found = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/maps", pid);
	snprintf(want, sizeof(want), "/memfd:%s (deleted)", name);
	f = fopen(path, "re");
	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		size_t len = strcspn(line, "\n");
		unsigned long start;

		line[len] = '\0';
		if (len < strlen(want) || strcmp(line + len - strlen(want), want))
			continue;
		if (sscanf(line, "%lx-", &start) == 1 && found < max)
			addrs[found++] = start;
	}
	fclose(f);
	return found;
}

long arch_process_rss_kb(int pid)
{
	char path[64], line[256];
	long kb = -ENOENT;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", pid);
	f = fopen(path, "re");
	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "VmRSS: %ld kB", &kb) == 1)
			break;
	fclose(f);
	return kb;
}

int arch_process_comm(int pid, char comm[16])
{
	char path[64];
	FILE *f;
	size_t n;

	snprintf(path, sizeof(path), "/proc/%d/comm", pid);
	f = fopen(path, "re");
	if (!f)
		return -errno;
	n = fread(comm, 1, 15, f);
	fclose(f);
	comm[n] = '\0';
	comm[strcspn(comm, "\n")] = '\0';
	return 0;
}

int arch_process_list(int *pids, int max)
{
	DIR *d = opendir("/proc");
	struct dirent *e;
	int n = 0;

	if (!d)
		return -errno;
	while ((e = readdir(d)) && n < max) {
		char *end;
		long pid = strtol(e->d_name, &end, 10);

		if (!*end && pid > 0)
			pids[n++] = (int)pid;
	}
	closedir(d);
	return n;
}

int arch_ptrace_scope(void)
{
	FILE *f = fopen("/proc/sys/kernel/yama/ptrace_scope", "re");
	int scope = 0;

	if (f) {
		if (fscanf(f, "%d", &scope) != 1)
			scope = 0;
		fclose(f);
	}
	return scope;
}

/* Bytes of [from, from + len) copied to @to before the first that faults. */
size_t arch_copy_checked(void *to, const void *from, size_t len, bool to_remote)
{
	static int unavailable;
	size_t done = 0;
	int saved = errno;

	while (done < len && !__atomic_load_n(&unavailable, __ATOMIC_RELAXED)) {
		struct iovec local, remote;
		ssize_t n;

		local.iov_base = to_remote ? (void *)((const char *)from + done) : (char *)to + done;
		remote.iov_base = to_remote ? (char *)to + done : (void *)((const char *)from + done);
		local.iov_len = remote.iov_len = len - done;
		n = to_remote ? process_vm_writev(getpid(), &local, 1, &remote, 1, 0) :
				process_vm_readv(getpid(), &local, 1, &remote, 1, 0);
		if (n > 0) {
			done += (size_t)n;
			continue;
		}
		if (n < 0 && (errno == ENOSYS || errno == EPERM))
			__atomic_store_n(&unavailable, 1, __ATOMIC_RELAXED);
		else
			break;		/* EFAULT: done is where it stopped */
	}
	if (done < len && __atomic_load_n(&unavailable, __ATOMIC_RELAXED)) {
		memcpy((char *)to + done, (const char *)from + done, len - done);
		done = len;
	}
	errno = saved;
	return done;
}
