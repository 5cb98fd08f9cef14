/* SPDX-License-Identifier: MIT */
/*
 * tools/run.c - `ukmem run`: a program on the malloc front end
 * (libukmem-malloc.so preloaded), its exit report where --report says:
 * the process started here (through its exec()s), or with
 * --follow-children every process; --full keeps the empty rows,
 * --report-format json (--json) writes one JSON object per process.
 * --leaks: kmemleak on in the program, its leaks at exit to the same place
 * (leaks_env(); the report itself is malloc/leaks.c's).
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <signal.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <ukmem/kernel_types.h>
#include "tools/ukmem.h"

/* The preload library: $UKMEM_MALLOC_LIB, beside this binary, or in ../lib. */
static int find_malloc_lib(char *path, size_t size)
{
	static const char * const rel[] = { "libukmem-malloc.so", "../lib/libukmem-malloc.so",
					    "../lib/x86_64-linux-gnu/libukmem-malloc.so",
					    "../lib64/libukmem-malloc.so" };
	char self[PATH_MAX], dir[PATH_MAX];
	const char *env = getenv("UKMEM_MALLOC_LIB");
	ssize_t n;
	unsigned int i;

	if (env && *env) {
		snprintf(path, size, "%s", env);
		return access(path, R_OK);
	}
	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n <= 0)
		return -1;
	self[n] = '\0';
	snprintf(dir, sizeof(dir), "%s", dirname(self));
	for (i = 0; i < ARRAY_SIZE(rel); i++) {
		if ((size_t)snprintf(path, size, "%s/%s", dir, rel[i]) >= size)
			continue;
		if (!access(path, R_OK))
			return 0;
	}
	return -1;
}

/*
 * The command line must boot as `show` would boot it: a child of ours
 * boots with it (the tool itself keeps no machine) and says why not.
 * The program's own implicit boot would only report a bad parameter and
 * go on without it, as the kernel does with an early option it rejects.
 */
static int check_cmdline(const char *cmdline)
{
	int status;
	pid_t pid;

	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		perror("ukmem run: fork");
		return EXIT_FAIL;
	}
	if (!pid)
		_exit(boot_or_fail("run", cmdline, true));
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return EXIT_FAIL;
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	fprintf(stderr, "ukmem run: checking the command line \"%s\" killed the check "
		"(signal %d)\n", cmdline, WIFSIGNALED(status) ? WTERMSIG(status) : 0);
	return EXIT_FAIL;
}

/*
 * The report file, made absolute (the program may change directory before
 * it exits) and opened once here, so that a path nobody can write is
 * refused before the program runs rather than lost after it.
 */
static int check_report(const char *report, char *abs, size_t size)
{
	char cwd[PATH_MAX];
	int fd;

	if (!strcmp(report, "stderr") || !strcmp(report, "stdout")) {
		snprintf(abs, size, "%s", report);
		return 0;
	}
	if (!*report)
		return usage_error("run", "--report needs a file name");
	if (report[0] == '/' || !getcwd(cwd, sizeof(cwd)))
		snprintf(abs, size, "%s", report);
	else if ((size_t)snprintf(abs, size, "%s/%s", cwd, report) >= size)
		snprintf(abs, size, "%s", report);
	fd = open(abs, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
	if (fd < 0) {
		fprintf(stderr, "ukmem run: cannot write the report to %s: %s\n", report,
			strerror(errno));
		return EXIT_FAIL;
	}
	close(fd);
	return 0;
}

/*
 * The exit reports.  Every process of the program appends its report to
 * one scratch file (malloc/report.c, UKMEM_REPORT); once the program has
 * exited, `run` copies the ones asked for to --report: all of them with
 * --follow-children, else the report of the process it started (through
 * its exec()s), or if that one wrote none (a shell that forks its last
 * command and leaves with _exit()) the last report written, the wrapped
 * program's.  The kernel log is added when the destination is a regular
 * file, not for stderr or stdout, where the console printed it.
 *
 * CPython's own allocator (pymalloc) takes its small objects from arenas
 * of 256 KiB, so the front end would see a few large blocks instead of
 * the program's allocations: PYTHONMALLOC=malloc, unless the user chose.
 */
struct report_run {
	char scratch[PATH_MAX];
	const char *dest;		/* the --report path, made absolute, "stderr" or "stdout" */
	bool follow, json;
};

static int report_setup(struct report_run *r, const char *dest, const char *format, bool json,
			bool full, bool follow)
{
	const char *tmp = getenv("TMPDIR");
	struct stat st;
	int fd;

	if (json)
		format = "json";
	if (format && strcmp(format, "text") && strcmp(format, "json"))
		return usage_error("run", "--report-format is text or json, not '%s'", format);
	r->dest = dest;
	r->follow = follow;
	r->json = format && !strcmp(format, "json");
	snprintf(r->scratch, sizeof(r->scratch), "%s/ukmem-report-XXXXXX",
		 tmp && *tmp ? tmp : "/tmp");
	fd = mkstemp(r->scratch);
	if (fd < 0) {
		fprintf(stderr, "ukmem run: cannot make a scratch file for the reports in %s: %s\n",
			tmp && *tmp ? tmp : "/tmp", strerror(errno));
		return EXIT_FAIL;
	}
	close(fd);
	setenv("UKMEM_REPORT", r->scratch, 1);
	setenv("UKMEM_REPORT_FORMAT", r->json ? "json" : "text", 1);
	/* A regular file gets the log; a terminal or pipe showed it already. */
	setenv("UKMEM_REPORT_DMESG", strcmp(dest, "stderr") && strcmp(dest, "stdout") &&
	       !stat(dest, &st) && S_ISREG(st.st_mode) ? "1" : "0", 1);
	if (full)
		setenv("UKMEM_REPORT_FULL", "1", 1);
	else
		unsetenv("UKMEM_REPORT_FULL");
	setenv("PYTHONMALLOC", "malloc", 0);
	return 0;
}

/*
 * While the program runs, `run` must outlive it to copy its report: a
 * SIGTERM or SIGHUP sent to `run` goes on to the program, and the
 * terminal's SIGINT and SIGQUIT, which reach the program by themselves,
 * are ignored here (as a shell ignores them while it waits).
 */
static volatile pid_t run_child;

static void forward_signal(int sig)
{
	if (run_child > 0)
		kill(run_child, sig);
}

static void outlive_child(pid_t pid)
{
	struct sigaction sa;

	run_child = pid;
	memset(&sa, 0, sizeof(sa));
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = forward_signal;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGQUIT, &sa, NULL);
}

/* In the child, before exec: elapsed time counts from here. */
static void report_child(void)
{
	struct timespec ts;
	char buf[32];

	clock_gettime(CLOCK_MONOTONIC, &ts);
	snprintf(buf, sizeof(buf), "%llu",
		 (unsigned long long)ts.tv_sec * 1000000000ULL + (unsigned long long)ts.tv_nsec);
	setenv("UKMEM_RUN_START", buf, 1);
}

/*
 * The pid a report starts with ("ukmem: report of pid N", JSON's
 * {"pid":N, or --leaks' "ukmem: kmemleak report of pid N"), else -1.
 */
static long report_pid(const char *line, bool json)
{
	static const char leak_key[] = "ukmem: kmemleak report of pid ";
	const char *key = json ? "{\"pid\":" : "ukmem: report of pid ";

	if (!strncmp(line, leak_key, strlen(leak_key)))
		return strtol(line + strlen(leak_key), NULL, 10);
	if (strncmp(line, key, strlen(key)))
		return -1;
	return strtol(line + strlen(key), NULL, 10);
}

/*
 * Copy the chosen reports from the scratch file to the destination; the
 * scratch file goes.  A report runs from its first line to the next
 * report's (text), or is one line (JSON).  A process may write two (the
 * exit report and --leaks' kmemleak report): both go or stay together.
 */
static void report_finish(struct report_run *r, pid_t main_pid, const char *prog)
{
	long last_pid = -1, pid;
	char line[8192];
	FILE *in = fopen(r->scratch, "r"), *out;
	bool keep = false, any_main = false;	/* the started process wrote one */

	if (!in) {
		unlink(r->scratch);
		return;
	}
	/* A first pass finds the reports' processes, a second copies. */
	while (fgets(line, sizeof(line), in)) {
		pid = report_pid(line, r->json);
		if (pid >= 0) {
			last_pid = pid;
			any_main |= pid == main_pid;
		}
	}
	/* Said, so that no report (and no leak report) never reads as a clean one. */
	if (last_pid < 0)
		fprintf(stderr, "ukmem run: no report from %s: it ended without exit() (_exit(), "
			"abort(), a signal) or never ran on the front end (a static program)\n",
			prog);
	/* The streams by name, not /dev/std*: no /proc (a container) has none. */
	if (!strcmp(r->dest, "stderr"))
		out = stderr;
	else if (!strcmp(r->dest, "stdout"))
		out = stdout;
	else
		out = fopen(r->dest, "a");
	if (!out) {
		fprintf(stderr, "ukmem run: cannot write the report to %s: %s\n", r->dest,
			strerror(errno));
		fclose(in);
		unlink(r->scratch);
		return;
	}
	rewind(in);
	while (fgets(line, sizeof(line), in)) {
		pid = report_pid(line, r->json);
		if (pid >= 0)
			keep = r->follow || pid == (any_main ? main_pid : last_pid);
		if (keep)
			fputs(line, out);
	}
	if (out != stderr && out != stdout)
		fclose(out);
	else
		fflush(out);
	fclose(in);
	unlink(r->scratch);
}

/*
 * With --top on a terminal the view owns the screen and the keyboard: the
 * program reads /dev/null and writes to --output (default /dev/null).
 */
static int redirect_output(const char *output)
{
	int fd = open(output, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
	int in = open("/dev/null", O_RDONLY | O_CLOEXEC);

	if (fd < 0 || in < 0)
		return -1;
	if (dup2(fd, STDOUT_FILENO) < 0 || dup2(fd, STDERR_FILENO) < 0 ||
	    dup2(in, STDIN_FILENO) < 0)
		return -1;
	close(fd);
	close(in);
	return 0;
}

/*
 * --leaks: the program boots with kmemleak=on (after any --cmdline, so it
 * wins) and its front end writes kmemleak's report at exit to UKMEM_LEAKS:
 * the exit reports' scratch file, so that the same processes' leak reports
 * reach --report as their exit reports do (report_finish).
 */
static void leaks_cmdline(const char **cmdline, char *buf, size_t size)
{
	snprintf(buf, size, "%s%skmemleak=on", *cmdline ? *cmdline : "", *cmdline ? " " : "");
	*cmdline = buf;
}

int cmd_run(int argc, char **argv)
{
	const char *cmdline = NULL, *report = "stderr", *record = NULL, *interval = NULL;
	const char *output = NULL, *view = NULL, *sort = NULL, *format = NULL;
	bool top = false, full = false, follow = false, json = false, leaks = false;
	bool never_ran = false;
	int exec_failed[2];
	const struct opt_value opts[] = {
		{ "--leaks", &leaks, NULL },
		{ "--cmdline", NULL, &cmdline },
		{ "--report", NULL, &report },
		{ "--report-format", NULL, &format },
		{ "--json", &json, NULL },
		{ "--full", &full, NULL },
		{ "--follow-children", &follow, NULL },
		{ "--top", &top, NULL },
		{ "--record", NULL, &record },
		{ "--interval", NULL, &interval },
		{ "--output", NULL, &output },
		{ "--view", NULL, &view },
		{ "--sort", NULL, &sort },
		{ NULL, NULL, NULL },
	};
	struct top_options to;
	struct report_run reports;
	bool screen;
	char lib[PATH_MAX], preload[2 * PATH_MAX], report_path[PATH_MAX], leak_cmdline[4096];
	const char *old_preload, *env_cmdline = getenv("UKMEM_CMDLINE");
	int rc, status;
	pid_t pid;

	rc = parse_options("run", &argc, argv, opts, true);
	if (rc)
		return rc;
	if (argc < 2)
		return usage_error("run", "which program? (ukmem run [OPTIONS] -- PROGRAM ARGS...)");
	if (!top && (output || view || sort))
		return usage_error("run", "--output, --view and --sort go with --top");
	rc = check_report(report, report_path, sizeof(report_path));
	if (rc)
		return rc;
	rc = top_parse("run", interval, NULL, view, sort, record, &to);
	if (rc)
		return rc;
	screen = top && isatty(STDIN_FILENO) && isatty(STDOUT_FILENO);
	to.batch = top && !screen;
	to.quiet = !top;
	if (screen && !output)
		output = "/dev/null";
	if (!cmdline && env_cmdline && *env_cmdline)
		cmdline = env_cmdline;
	if (leaks)
		leaks_cmdline(&cmdline, leak_cmdline, sizeof(leak_cmdline));
	if (cmdline) {
		rc = check_cmdline(cmdline);
		if (rc)
			return rc;
	}
	if (find_malloc_lib(lib, sizeof(lib))) {
		fprintf(stderr, "ukmem run: cannot find libukmem-malloc.so (set UKMEM_MALLOC_LIB)\n");
		return EXIT_FAIL;
	}
	old_preload = getenv("LD_PRELOAD");
	snprintf(preload, sizeof(preload), "%s%s%s", lib, old_preload && *old_preload ? ":" : "",
		 old_preload ? old_preload : "");
	setenv("LD_PRELOAD", preload, 1);
	if (cmdline)
		setenv("UKMEM_CMDLINE", cmdline, 1);
	rc = report_setup(&reports, report_path, format, json, full, follow);
	if (rc)
		return rc;
	if (leaks)
		setenv("UKMEM_LEAKS", reports.scratch, 1);
	/* Closed by a successful exec, written to by a failed one. */
	if (pipe(exec_failed) || fcntl(exec_failed[0], F_SETFD, FD_CLOEXEC) ||
	    fcntl(exec_failed[1], F_SETFD, FD_CLOEXEC)) {
		perror("ukmem run: pipe");
		unlink(reports.scratch);
		return EXIT_FAIL;
	}
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		perror("ukmem run: fork");
		unlink(reports.scratch);
		return EXIT_FAIL;
	}
	if (!pid) {
		report_child();
		if (output && redirect_output(output)) {
			fprintf(stderr, "ukmem run: cannot write the program's output to %s: %s\n",
				output, strerror(errno));
			_exit(127);
		}
		close(exec_failed[0]);
		execvp(argv[1], argv + 1);
		fprintf(stderr, "ukmem run: %s: %s\n", argv[1], strerror(errno));
		if (write(exec_failed[1], "x", 1) < 0)
			_exit(126);
		/* The shell's convention: 127 not found, 126 found but not runnable. */
		_exit(errno == ENOENT || errno == ENOTDIR ? 127 : 126);
	}
	close(exec_failed[1]);
	{
		char c;
		ssize_t n;

		while ((n = read(exec_failed[0], &c, 1)) < 0 && errno == EINTR)
			;
		never_ran = n == 1;
		close(exec_failed[0]);
	}
	outlive_child(pid);
	if (top || to.record) {
		/* Watch it while it runs; top_run() reaps it. */
		top_run(pid, &to, pid, &status);
		if (to.record)
			fclose(to.record);
		if (screen && strcmp(output, "/dev/null"))
			fprintf(stderr, "ukmem run: %s's output is in %s\n", argv[1], output);
	} else {
		while (waitpid(pid, &status, 0) < 0)
			if (errno != EINTR) {
				perror("ukmem run: waitpid");
				unlink(reports.scratch);
				return EXIT_FAIL;
			}
	}
	/* A program that never ran wrote no report: nothing to say of that. */
	if (never_ran)
		unlink(reports.scratch);
	else
		report_finish(&reports, pid, argv[1]);
	if (WIFSIGNALED(status)) {
		int sig = WTERMSIG(status);

		/*
		 * Said as a shell would say it (ukmem run exits with 128+N,
		 * so the shell that started it says nothing); not for the
		 * signals a shell keeps quiet about.
		 */
		if (sig != SIGINT && sig != SIGPIPE)
			fprintf(stderr, "ukmem run: %s: %s%s\n", argv[1], strsignal(sig),
				WCOREDUMP(status) ? " (core dumped)" : "");
		return 128 + sig;
	}
	return WEXITSTATUS(status);
}
