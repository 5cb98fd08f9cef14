/* SPDX-License-Identifier: MIT */
/* tools/symbolize.h - `ukmem symbolize` (tools/symbolize.c). */
#ifndef _TOOLS_SYMBOLIZE_H
#define _TOOLS_SYMBOLIZE_H

int cmd_symbolize(int argc, char **argv);

#endif /* _TOOLS_SYMBOLIZE_H */
