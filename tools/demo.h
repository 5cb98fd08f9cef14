/* SPDX-License-Identifier: MIT */
/* tools/demo.h - the demos of the ukmem command that live in files of their own. */
#ifndef _TOOLS_DEMO_H
#define _TOOLS_DEMO_H

/* `ukmem demo pressure` (tools/demo_pressure.c): 0 if MemFree stayed above min. */
int demo_pressure(const char *cmdline);
#define DEMO_PRESSURE_CMDLINE	"mem=128M loglevel=4"

#endif /* _TOOLS_DEMO_H */
