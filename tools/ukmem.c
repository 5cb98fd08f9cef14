/* SPDX-License-Identifier: MIT */
/*
 * tools/ukmem.c - the ukmem command.
 *
 *   ukmem demo [--cmdline "..."]      boot a machine, run a short workload,
 *                                     print what the kernel prints and shows
 *   ukmem demo pressure [--cmdline "..."]
 *                                     a cache with a shrinker grows past RAM:
 *                                     kswapd and direct reclaim at work
 *   ukmem sysctl [--cmdline "..."] [-a] NAME[=VALUE]...
 *                                     the vm sysctls of a demo machine
 *   ukmem show NAME [--cmdline "..."] one report of such a machine
 *   ukmem run [--cmdline "..."] [--report FILE] -- PROGRAM ARGS...
 *                                     run a program on the malloc front end
 *                                     and report its memory at exit
 *   ukmem symbolize --exe PROGRAM [--base OFFSET] [REPORT]
 *                                     name the bare addresses of a saved
 *                                     report (tools/symbolize.c)
 *   ukmem help [COMMAND]              usage; `ukmem help params` lists the
 *                                     boot parameters
 *
 * Exit codes: 0 success, 1 a failure while running, 2 a usage error; `run`
 * exits with the program's status (128 + N when signal N killed it, 127
 * when it could not be started).
 */
#include <errno.h>
#include <libgen.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/vmalloc.h>
#include <ukmem/boot.h>
#include <ukmem/report.h>
#include <ukmem/sysctl.h>
#include "kernel/params.h"
#include "tools/demo.h"
#include "tools/symbolize.h"

#define DEMO_CMDLINE	"mem=1G loglevel=4"

/* One subcommand and its manual page (`ukmem help NAME`). */
struct command {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *summary;		/* NAME line */
	const char *synopsis;
	const char *description;
	const char *options;		/* NULL: none */
	const char *exit_status;
};

static const struct command commands[];

static const char *take_cmdline(int *argc, char **argv)
{
	const char *cmdline = DEMO_CMDLINE;
	int i, j;

	for (i = 1; i < *argc; i++) {
		if (!strcmp(argv[i], "--cmdline") && i + 1 < *argc) {
			cmdline = argv[i + 1];
			for (j = i; j + 2 <= *argc; j++)
				argv[j] = argv[j + 2];
			*argc -= 2;
			break;
		}
	}
	return cmdline;
}

static int boot_or_fail(const char *cmdline)
{
	int err = ukmem_boot(cmdline);

	if (err && err != -EALREADY) {
		fprintf(stderr, "ukmem: boot failed (%s) with command line \"%s\"\n",
			strerror(-err), cmdline);
		return 1;
	}
	return 0;
}

/*
 * A short workload that leaves the reports something to show: pages of
 * every pcp order and some costly orders, from each zone, with a share
 * kept allocated (so the free lists are no longer pristine).  It keeps at
 * most a quarter of the machine and does not retry for pages, so that it
 * runs the same on the smallest machine the boot accepts as on a large
 * one, without driving it out of memory.
 */
#define KEEP 512
static struct page *kept[KEEP];
static unsigned int kept_order[KEEP];
static void *demo_vm[2];
#define DEMO_OBJECTS 1000
static struct kmem_cache *demo_cache;
static void *demo_obj[DEMO_OBJECTS / 2], *demo_buf[DEMO_OBJECTS / 2];

/* Not static: the vmallocinfo caller column names it (dynamic symbols only). */
void demo_workload(void);
void demo_workload(void)
{
	static const gfp_t gfps[] = { GFP_KERNEL, GFP_KERNEL | __GFP_RECLAIMABLE,
				      GFP_HIGHUSER_MOVABLE, GFP_DMA32, GFP_DMA };
	unsigned long kept_pages = 0, budget = totalram_pages() / 4;
	unsigned int i, n = 0;

	for (i = 0; i < 4096; i++) {
		unsigned int order = (i * 7) % 5 == 4 ? (i % 11) : (i % 4);
		struct page *page = alloc_pages(gfps[i % 5] | __GFP_NORETRY | __GFP_NOWARN, order);

		if (!page)
			continue;
		if (i % 8 == 0 && n < KEEP && kept_pages + (1UL << order) <= budget) {
			kept[n] = page;
			kept_order[n++] = order;
			kept_pages += 1UL << order;
		} else {
			__free_pages(page, order);
		}
	}
	/* Two vmalloc areas kept, so vmallocinfo has something to show. */
	demo_vm[0] = vmalloc(64 << 10);
	demo_vm[1] = vzalloc(3 * PAGE_SIZE);
	/* A cache of our own and kmalloc objects of several sizes, half kept. */
	demo_cache = kmem_cache_create("demo_object", 200, 0, SLAB_HWCACHE_ALIGN, NULL);
	for (i = 0; i < DEMO_OBJECTS; i++) {
		void *obj = demo_cache ? kmem_cache_alloc(demo_cache, GFP_KERNEL) : NULL;
		void *buf = kmalloc(16 << (i % 9), GFP_KERNEL);

		if (i % 2) {
			demo_obj[i / 2] = obj;
			demo_buf[i / 2] = buf;
		} else {
			if (obj)
				kmem_cache_free(demo_cache, obj);
			kfree(buf);
		}
	}
}

static int cmd_run(int argc, char **argv);

/*
 * The demo's last part: a real program on the malloc front end, with the
 * report `ukmem run` writes when it exits.  Python when the machine has
 * it (the interpreter itself, not a wrapper script that would run several
 * processes), otherwise the C compiler, which README's machines have.
 */
static const char demo_python[] =
	"import collections, json\n"
	"words = ['w%d' % (i * 7919 % 100003) for i in range(200000)]\n"
	"counts = collections.Counter(w[:4] for w in words)\n"
	"tree = {k: sorted(words[i::997])[:50] for i, k in enumerate(sorted(counts)[:200])}\n"
	"print('python3: %d words, %d prefixes, %d bytes of JSON' %\n"
	"      (len(words), len(counts), len(json.dumps(tree))))\n";
static const char demo_c[] =
	"#include <stdio.h>\nint main(void) { puts(\"hello from cc\"); return 0; }\n";

static int demo_real_program(void)
{
	static const char *const pythons[] = { "/usr/bin/python3", "/usr/local/bin/python3" };
	char *run_python[] = { "run", "--report", "/dev/stdout", "--", NULL, "-c",
			       (char *)demo_python, NULL };
	char *run_cc[] = { "run", "--report", "/dev/stdout", "--", "cc", "-x", "c", "-o",
			   "/dev/null", "-fsyntax-only", "/dev/stdin", NULL };
	unsigned int i;
	FILE *src;
	int rc, saved_stdin;

	for (i = 0; i < ARRAY_SIZE(pythons); i++) {
		if (access(pythons[i], X_OK))
			continue;
		run_python[4] = (char *)pythons[i];
		printf("\n=== a real program on the malloc front end: ukmem run -- %s -c '...'\n",
		       pythons[i]);
		fflush(stdout);
		return cmd_run(ARRAY_SIZE(run_python) - 1, run_python);
	}
	printf("\n=== a real program on the malloc front end: ukmem run -- cc -fsyntax-only\n");
	fflush(stdout);
	/* cc reads the program from a temporary file put on its stdin. */
	src = tmpfile();
	if (!src)
		return 1;
	fputs(demo_c, src);
	rewind(src);
	saved_stdin = dup(STDIN_FILENO);
	dup2(fileno(src), STDIN_FILENO);
	rc = cmd_run(ARRAY_SIZE(run_cc) - 1, run_cc);
	dup2(saved_stdin, STDIN_FILENO);
	close(saved_stdin);
	fclose(src);
	return rc;
}

static int cmd_demo(int argc, char **argv)
{
	const char *cmdline;
	static char log[1 << 18];
	static const char *const reports[] = { "meminfo", "zoneinfo", "buddyinfo", "pagetypeinfo",
					       "slabinfo", "vmallocinfo" };
	unsigned int i;

	if (argc >= 2 && !strcmp(argv[1], "pressure")) {
		bool given = false;

		for (i = 1; i < (unsigned int)argc; i++)
			given |= !strcmp(argv[i], "--cmdline");
		cmdline = take_cmdline(&argc, argv);
		if (argc != 2) {
			fprintf(stderr, "usage: ukmem demo pressure [--cmdline \"...\"]\n");
			return 2;
		}
		return demo_pressure(given ? cmdline : DEMO_PRESSURE_CMDLINE);
	}
	cmdline = take_cmdline(&argc, argv);
	if (argc != 1) {
		fprintf(stderr, "usage: ukmem demo [pressure] [--cmdline \"...\"]\n");
		return 2;
	}
	if (boot_or_fail(cmdline))
		return 1;
	printf("=== ukmem demo: booted with \"%s\"\n\n", cmdline);
	printf("=== boot log (the kernel's dmesg)\n");
	ukmem_dmesg(log, sizeof(log));
	fputs(log, stdout);
	demo_workload();
	for (i = 0; i < ARRAY_SIZE(reports); i++) {
		printf("\n=== /proc/%s after the built-in workload\n", reports[i]);
		fflush(stdout);
		ukmem_show(reports[i], stdout);
	}
	return demo_real_program();
}

static int cmd_show(int argc, char **argv)
{
	const char *cmdline = take_cmdline(&argc, argv);
	int err;

	if (argc != 2) {
		fprintf(stderr, "usage: ukmem show NAME [--cmdline \"...\"]\n");
		return 2;
	}
	if (boot_or_fail(cmdline))
		return 1;
	demo_workload();
	err = ukmem_show(argv[1], stdout);
	if (err == -ENOENT) {
		const char * const *names = ukmem_report_names();

		fprintf(stderr, "ukmem show: no report named '%s'; known:", argv[1]);
		for (; *names; names++)
			fprintf(stderr, " %s", *names);
		fputc('\n', stderr);
		return 2;
	}
	return err ? 1 : 0;
}

/* The preload library: $UKMEM_MALLOC_LIB, beside this binary, or in ../lib. */
/* sysctl(8)'s output: "name = value", or an error line. */
static int sysctl_print(const char *name)
{
	char buf[64];
	int len = ukmem_sysctl_read(name, buf, sizeof(buf));

	if (len < 0) {
		fprintf(stderr, "ukmem sysctl: %s: %s\n", name,
			len == -ENOENT ? "no such sysctl" :
			len == -EACCES ? "permission denied (write-only)" : strerror(-len));
		return len == -EACCES ? 0 : 1;
	}
	if (len && buf[len - 1] == '\n')
		buf[len - 1] = '\0';
	printf("%s = %s\n", name, buf);
	return 0;
}

static int cmd_sysctl(int argc, char **argv)
{
	const char *cmdline = take_cmdline(&argc, argv);
	int i, rc = 0;

	if (argc < 2) {
		fprintf(stderr, "usage: ukmem sysctl [--cmdline \"...\"] [-a] NAME[=VALUE]...\n");
		return 2;
	}
	if (boot_or_fail(cmdline))
		return 1;
	demo_workload();
	for (i = 1; i < argc; i++) {
		char name[128], *eq;

		if (!strcmp(argv[i], "-a")) {
			const char * const *n;

			/* As sysctl -a: the write-only ones are left out. */
			for (n = ukmem_sysctl_names(); *n; n++) {
				char buf[64];

				if (ukmem_sysctl_read(*n, buf, sizeof(buf)) != -EACCES && sysctl_print(*n))
					rc = 1;
			}
			continue;
		}
		snprintf(name, sizeof(name), "%s", argv[i]);
		eq = strchr(name, '=');
		if (!eq) {
			if (sysctl_print(name))
				rc = 1;
			continue;
		}
		*eq = '\0';
		switch (ukmem_sysctl(name, eq + 1)) {
		case 0:
			printf("%s = %s\n", name, eq + 1);
			break;
		case -ENOENT:
			fprintf(stderr, "ukmem sysctl: %s: no such sysctl\n", name);
			rc = 1;
			break;
		default:
			fprintf(stderr, "ukmem sysctl: setting %s: Invalid argument\n", name);
			rc = 1;
		}
	}
	return rc;
}

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

static int cmd_run(int argc, char **argv)
{
	const char *cmdline = NULL, *report = "stderr";
	char lib[PATH_MAX], preload[2 * PATH_MAX];
	const char *old_preload;
	int i, status;
	pid_t pid;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--cmdline") && i + 1 < argc)
			cmdline = argv[++i];
		else if (!strcmp(argv[i], "--report") && i + 1 < argc)
			report = argv[++i];
		else if (!strcmp(argv[i], "--")) {
			i++;
			break;
		} else if (argv[i][0] == '-') {
			fprintf(stderr, "ukmem run: unknown option '%s' (see `ukmem help run`)\n", argv[i]);
			return 2;
		} else
			break;
	}
	if (i >= argc) {
		fprintf(stderr, "usage: ukmem run [--cmdline \"...\"] [--report FILE] -- PROGRAM ARGS...\n");
		return 2;
	}
	if (find_malloc_lib(lib, sizeof(lib))) {
		fprintf(stderr, "ukmem run: cannot find libukmem-malloc.so (set UKMEM_MALLOC_LIB)\n");
		return 1;
	}
	old_preload = getenv("LD_PRELOAD");
	snprintf(preload, sizeof(preload), "%s%s%s", lib, old_preload && *old_preload ? ":" : "",
		 old_preload ? old_preload : "");
	setenv("LD_PRELOAD", preload, 1);
	if (cmdline)
		setenv("UKMEM_CMDLINE", cmdline, 1);
	setenv("UKMEM_REPORT", report, 1);
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		perror("ukmem run: fork");
		return 1;
	}
	if (!pid) {
		execvp(argv[i], argv + i);
		fprintf(stderr, "ukmem run: %s: %s\n", argv[i], strerror(errno));
		_exit(127);
	}
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR) {
			perror("ukmem run: waitpid");
			return 1;
		}
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return WEXITSTATUS(status);
}

static void print_manual(const struct command *c)
{
	printf("NAME\n       ukmem %s - %s\n\n", c->name, c->summary);
	printf("SYNOPSIS\n       %s\n\n", c->synopsis);
	printf("DESCRIPTION\n%s\n\n", c->description);
	if (c->options)
		printf("OPTIONS\n%s\n\n", c->options);
	printf("ENVIRONMENT\n"
	       "       UKMEM_CMDLINE     the kernel command line when --cmdline is not given\n"
	       "       UKMEM_MALLOC_LIB  the preload library `run` uses\n"
	       "       UKMEM_REPORT      where a program on the front end writes its exit\n"
	       "                         report (set by `run`: stderr or a file)\n\n");
	printf("EXIT STATUS\n%s\n", c->exit_status);
}

static int cmd_help(int argc, char **argv)
{
	const struct command *c;

	if (argc >= 2 && !strcmp(argv[1], "params")) {
		const struct boot_param *p;

		printf("Boot parameters (UKMEM_CMDLINE or --cmdline), kernel names and meanings:\n");
		for (p = boot_params; p->name; p++)
			printf("  %-24s %s\n", p->name, p->help);
		return 0;
	}
	if (argc >= 2) {
		for (c = commands; c->name; c++)
			if (!strcmp(c->name, argv[1])) {
				print_manual(c);
				return 0;
			}
		fprintf(stderr, "ukmem help: no command '%s'\n", argv[1]);
		return 2;
	}
	printf("usage: ukmem COMMAND [ARGS]\n\nCommands:\n");
	for (c = commands; c->name; c++)
		printf("  %-9s %s\n", c->name, c->summary);
	printf("\n`ukmem help COMMAND` prints a command's manual; `ukmem help params` lists\n"
	       "the boot parameters.  Exit status: 0 success, 1 failure, 2 usage error\n"
	       "(`run` passes on its program's status).\n");
	return 0;
}

#define EXIT_STATUS_COMMON \
	"       0  success\n" \
	"       1  the machine could not boot, or the command failed\n" \
	"       2  usage error (unknown option or report name)"

static const struct command commands[] = {
	{ "demo", cmd_demo, "boot a machine and show what the kernel shows",
	  "ukmem demo [pressure] [--cmdline \"...\"]",
	  "       Boot a machine (default command line \"" DEMO_CMDLINE "\") and print its\n"
	  "       boot log: the physical memory map, zone ranges, the virtual memory\n"
	  "       layout and the \"Memory:\" line.  Run a short built-in workload (pages,\n"
	  "       a slab cache, kmalloc, vmalloc) and print meminfo, zoneinfo, buddyinfo,\n"
	  "       pagetypeinfo, slabinfo and vmallocinfo in the kernel's formats.\n"
	  "       Last, run a real program (python3, or the C compiler) on the malloc\n"
	  "       front end with `ukmem run` and show its exit report.\n"
	  "       `ukmem demo pressure` (default command line \"" DEMO_PRESSURE_CMDLINE "\"):\n"
	  "       an object cache with a shrinker grows to twice the machine's RAM;\n"
	  "       kswapd and direct reclaim keep it going.  Every 16 MiB a line shows\n"
	  "       the shrinker's calls from kswapd and from the program, /proc/vmstat's\n"
	  "       pgsteal and pageoutrun, and MemFree against the min watermark; then\n"
	  "       the counters' changes and vm.drop_caches=2 emptying the cache.\n"
	  "       Exits 1 if MemFree went below min or an allocation failed.",
	  "       --cmdline \"...\"   the kernel command line of the demo machine",
	  EXIT_STATUS_COMMON "; otherwise the real program's status" },
	{ "show", cmd_show, "print one report of a demo machine",
	  "ukmem show NAME [--cmdline \"...\"]",
	  "       Boot a demo machine, run the built-in workload and print one report\n"
	  "       in the kernel's format: meminfo, buddyinfo, pagetypeinfo, zoneinfo,\n"
	  "       slabinfo, vmallocinfo, dmesg, or a cache's debugfs trace file\n"
	  "       (slab/CACHE/alloc_traces, slab/CACHE/free_traces; needs\n"
	  "       slub_debug=U for that cache).  An unknown NAME\n"
	  "       lists the known ones.",
	  "       --cmdline \"...\"   the kernel command line of the demo machine",
	  EXIT_STATUS_COMMON },
	{ "sysctl", cmd_sysctl, "read and set the vm sysctls of a demo machine",
	  "ukmem sysctl [--cmdline \"...\"] [-a] NAME[=VALUE]...",
	  "       Boot a demo machine, run the built-in workload, then, in order, set\n"
	  "       each NAME=VALUE and print each NAME as sysctl(8) does (\"name = value\").\n"
	  "       -a prints every readable one.  Names: vm.drop_caches (write-only),\n"
	  "       vm.min_free_kbytes, vm.watermark_scale_factor, vm.watermark_boost_factor,\n"
	  "       vm.panic_on_oom; the /proc/sys/vm/... spellings work too.  A program\n"
	  "       sets them with ukmem_sysctl() (<ukmem/sysctl.h>).",
	  "       --cmdline \"...\"   the kernel command line of the demo machine\n"
	  "       -a                print every readable sysctl",
	  EXIT_STATUS_COMMON "; 1 also for an unknown name or a rejected value" },
	{ "run", cmd_run, "run a program on the malloc front end",
	  "ukmem run [--cmdline \"...\"] [--report FILE] -- PROGRAM ARGS...",
	  "       Run PROGRAM with the malloc front end preloaded (libukmem-malloc.so,\n"
	  "       found through $UKMEM_MALLOC_LIB, beside the ukmem binary, or in\n"
	  "       ../lib), its machine booted with the given kernel command line.\n"
	  "       When each process of the program exits, its meminfo, slabinfo and\n"
	  "       buddyinfo are appended to FILE (default: stderr).  Child processes\n"
	  "       inherit the front end and report too.",
	  "       --cmdline \"...\"   kernel command line (UKMEM_CMDLINE), e.g.\n"
	  "                         \"mem=2G slub_debug=FZPU failslab=...\"\n"
	  "       --report FILE     where the exit reports go: a file (appended),\n"
	  "                         \"stderr\" (the default), or /dev/stdout",
	  "       the program's own exit status; 128+N if signal N killed it;\n"
	  "       127 if it could not be started; 1 if the preload library is\n"
	  "       missing; 2 on a usage error" },
	{ "symbolize", cmd_symbolize, "name the bare addresses of a saved report",
	  "ukmem symbolize --exe PROGRAM [--base OFFSET] [REPORT]",
	  "       Copy REPORT (default: standard input) to standard output with each\n"
	  "       \"0x...\" word that falls in a function or variable of PROGRAM\n"
	  "       replaced by \"name+0xoff/0xsize\", as %pS prints it.  An address is\n"
	  "       looked up at address - OFFSET in PROGRAM's symbol table (.symtab,\n"
	  "       static functions included, else .dynsym).  Without --base, OFFSET\n"
	  "       is read from the \"Kernel Offset: 0x... from 0x...\" line that ends\n"
	  "       each call trace.  Inside a call trace addresses are return addresses\n"
	  "       and are looked up as %pB does.",
	  "       --exe PROGRAM     the program's file, as it was when the report was\n"
	  "                         written (not stripped, for static functions)\n"
	  "       --base OFFSET     the program's load offset in hex (\"Kernel Offset\")",
	  "       0  success\n"
	  "       1  PROGRAM has no symbol table, or REPORT cannot be read\n"
	  "       2  usage error" },
	{ "help", cmd_help, "describe the commands and boot parameters",
	  "ukmem help [COMMAND | params]",
	  "       Without an argument, list the commands.  With a COMMAND, print its\n"
	  "       manual page.  With \"params\", list every boot parameter with its\n"
	  "       kernel name and meaning.",
	  NULL,
	  "       0  success\n"
	  "       2  no such command" },
	{ NULL, NULL, NULL, NULL, NULL, NULL, NULL },
};

int main(int argc, char **argv)
{
	const struct command *c;

	if (argc < 2)
		return cmd_help(1, argv);
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))
		return cmd_help(argc - 1, argv + 1);
	for (c = commands; c->name; c++)
		if (!strcmp(c->name, argv[1]))
			return c->run(argc - 1, argv + 1);
	fprintf(stderr, "ukmem: unknown command '%s' (try `ukmem help`)\n", argv[1]);
	return 2;
}
