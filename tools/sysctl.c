/* SPDX-License-Identifier: MIT */
/*
 * tools/sysctl.c - `ukmem sysctl`: the vm sysctls of a demo machine, read
 * and set as sysctl(8) does it on a real one (<ukmem/sysctl.h>).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <ukmem/sysctl.h>
#include "tools/ukmem.h"

/* sysctl(8)'s output: "name = value", or an error line; 1 on an error. */
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

static int sysctl_set(const char *arg)
{
	char name[128], *eq;

	snprintf(name, sizeof(name), "%s", arg);
	eq = strchr(name, '=');
	if (!eq)
		return sysctl_print(name);
	*eq = '\0';
	switch (ukmem_sysctl(name, eq + 1)) {
	case 0:
		printf("%s = %s\n", name, eq + 1);
		return 0;
	case -ENOENT:
		fprintf(stderr, "ukmem sysctl: %s: no such sysctl\n", name);
		return 1;
	default:
		fprintf(stderr, "ukmem sysctl: setting %s: Invalid argument\n", name);
		return 1;
	}
}

int cmd_sysctl(int argc, char **argv)
{
	const char *given = NULL;
	bool all = false;
	const struct opt_value opts[] = {
		{ "--cmdline", NULL, &given },
		{ "--all", &all, NULL },
		{ NULL, NULL, NULL },
	};
	int i, rc;

	rc = parse_options("sysctl", &argc, argv, opts, false);
	if (rc)
		return rc;
	if (argc < 2 && !all)
		return usage_error("sysctl", "which sysctl? (a NAME, NAME=VALUE or -a)");
	/* Not quiet: a sysctl.NAME=VALUE the boot refused says so, as for show and demo. */
	rc = boot_or_fail("sysctl", tool_cmdline(given), false);
	if (rc)
		return rc;
	demo_workload();
	for (i = 1; i < argc; i++)
		rc |= sysctl_set(argv[i]);
	if (all) {
		const char * const *n;

		/* As sysctl -a: the write-only ones are left out. */
		for (n = ukmem_sysctl_names(); *n; n++) {
			char buf[64];

			if (ukmem_sysctl_read(*n, buf, sizeof(buf)) != -EACCES)
				rc |= sysctl_print(*n);
		}
	}
	return rc ? EXIT_FAIL : EXIT_OK;
}
