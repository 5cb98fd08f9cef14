/* SPDX-License-Identifier: MIT */
/*
 * linux/pagevec.h - where struct folio_batch lived until v7.0 (and
 * PAGEVEC_SIZE, its size); code of those kernels includes this name.
 */
#ifndef _LINUX_PAGEVEC_H
#define _LINUX_PAGEVEC_H

#include <linux/folio_batch.h>

#define PAGEVEC_SIZE	FOLIO_BATCH_SIZE

#endif /* _LINUX_PAGEVEC_H */
