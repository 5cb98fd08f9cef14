/* SPDX-License-Identifier: MIT */
/*
 * tests/malloc_setuid.c - the front end in a setuid program: the
 * environment of whoever runs it chooses nothing (run three ways like
 * every tests/malloc_*.c; only the static build, run as root, can test
 * it: ld.so drops LD_PRELOAD for setuid programs, and glibc has no such
 * variables; the other two report a skip).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ktest.h"

static bool on_ukmem(void)
{
	const char *e = getenv("UKMEM_EXPECT");

	return e && !strcmp(e, "1");
}

/*
 * A setuid program (or any, where the library is loaded into one: a
 * static link, /etc/ld.so.preload) must not take its boot line or its
 * report file from the caller's environment: UKMEM_REPORT named a file
 * root then appended the report to, with the caller's UKMEM_CMDLINE text
 * in it (the kernel's "Command line:"), and UKMEM_CMDLINE set any boot
 * parameter.  The library reads its variables with secure_getenv().  Run
 * as root only, on the static build (ld.so drops LD_PRELOAD for setuid
 * programs itself): a copy of this program made setuid root, run as
 * nobody with both variables set, must write no report.
 */
#define NOT_SETUID	3

static int suid_child(void)
{
	char *volatile p = malloc(100);

	free(p);
	/* A nosuid mount: the copy ran as nobody, and proves nothing. */
	return geteuid() == 0 ? 0 : NOT_SETUID;
}

static void test_setuid_ignores_environment(void)
{
	char dir[] = "/tmp/ukmem-suid-XXXXXX", prog[64], report[64], cmd[256];
	struct stat st;
	int status = -1;
	pid_t pid;

	if (!on_ukmem() || getenv("LD_PRELOAD") || geteuid() != 0) {
		KTEST_SKIP("needs root and the static build (ld.so drops LD_PRELOAD for setuid)");
		return;
	}
	CHECK(mkdtemp(dir) != NULL);
	snprintf(prog, sizeof(prog), "%s/prog", dir);
	snprintf(report, sizeof(report), "%s/report.txt", dir);
	snprintf(cmd, sizeof(cmd), "cp /proc/%d/exe %s", (int)getpid(), prog);
	CHECK_EQ(system(cmd), 0);
	CHECK_EQ(chmod(dir, 0777), 0);
	CHECK_EQ(chmod(prog, 04755), 0);
	fflush(NULL);
	pid = fork();
	if (pid == 0) {
		char *argv[] = { prog, "--suid-child", NULL };

		setenv("UKMEM_REPORT", report, 1);
		setenv("UKMEM_CMDLINE", "mem=16M injected-by-caller", 1);
		if (setgid(65534) || setuid(65534))
			_exit(2);
		execv(prog, argv);
		_exit(127);
	}
	CHECK(pid > 0 && waitpid(pid, &status, 0) == pid);
	if (WIFEXITED(status) && WEXITSTATUS(status) == NOT_SETUID)
		KTEST_SKIP("%s is mounted nosuid: the copy did not run setuid", dir);
	else {
		CHECK(WIFEXITED(status) && WEXITSTATUS(status) == 0);
		/* The report would be written at exit, as root: there must be none. */
		CHECK(stat(report, &st) != 0);
	}
	unlink(report);
	unlink(prog);
	rmdir(dir);
}

int main(int argc, char **argv)
{
	if (argc == 2 && !strcmp(argv[1], "--suid-child"))
		return suid_child();
	KTEST_RUN(KTEST(test_setuid_ignores_environment));
}
