// SPDX-License-Identifier: MIT
/*
 * The platform ukdrv.c runs on, and its user: what the firmware and the
 * rest of the kernel would be.
 *
 * An arch_initcall (before the module's device-level init) makes a page
 * of memory the device's registers and describes it at the bus address
 * the driver knows.  main() is the network stack: it sends through the
 * driver's exported ukdrv_xmit(), checks its errors, and reads the
 * registers from the device's side.  The module unloads at exit.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mman.h>

#include <linux/init.h>
#include <linux/kernel.h>
#include <linux/errno.h>
#include <ukmem/iomem.h>

#define UKDRV_REGS_PHYS		0x100000000ULL
#define UKDRV_REGS_SIZE		4096

int ukdrv_xmit(const void *buf, size_t len);
unsigned long ukdrv_tx_packets(void);

static volatile u32 *device_regs;	/* the device's view of its registers */

static int __init ukdrv_platform_init(void)
{
	int fd = memfd_create("ukdrv-regs", MFD_CLOEXEC);
	int err;

	if (fd < 0 || ftruncate(fd, UKDRV_REGS_SIZE))
		return -ENODEV;
	device_regs = mmap(NULL, UKDRV_REGS_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	if (device_regs == MAP_FAILED)
		return -ENODEV;
	err = ukmem_register_device_region(UKDRV_REGS_PHYS, UKDRV_REGS_SIZE, fd, 0, "ukdrv");
	close(fd);
	return err;
}
arch_initcall(ukdrv_platform_init);

int main(void)
{
	char big[2000], msg[64];
	unsigned long before = ukdrv_tx_packets();
	int i, fails = 0;

	memset(big, 'x', sizeof(big));
	if (ukdrv_xmit(big, sizeof(big)) != -EMSGSIZE) {
		printf("FAIL: an oversized packet was not refused with -EMSGSIZE\n");
		fails++;
	}
	if (ukdrv_xmit(big, 0) != -EMSGSIZE) {
		printf("FAIL: an empty packet was not refused\n");
		fails++;
	}
	for (i = 0; i < 1000; i++) {
		int n = snprintf(msg, sizeof(msg), "packet %d", i);

		if (ukdrv_xmit(msg, (size_t)n + 1)) {
			printf("FAIL: ukdrv_xmit of packet %d\n", i);
			fails++;
			break;
		}
	}
	if (ukdrv_tx_packets() != before + 1000) {
		printf("FAIL: %lu packets counted, expected %lu\n", ukdrv_tx_packets(), before + 1000);
		fails++;
	}
	/* The device saw the last packet and every doorbell. */
	if (device_regs[0x08 / 4] != strlen("packet 999") + 1 || device_regs[0x0c / 4] != 1 ||
	    device_regs[0x14 / 4] != before + 1000) {
		printf("FAIL: registers len=%u doorbell=%u count=%u\n", device_regs[0x08 / 4],
		       device_regs[0x0c / 4], device_regs[0x14 / 4]);
		fails++;
	}
	/* The coherent descriptors are in ZONE_DMA, where the 24-bit device reaches. */
	if (device_regs[0x10 / 4] == 0 || device_regs[0x10 / 4] >= (1u << 24)) {
		printf("FAIL: descriptor address %#x is not below 16 MiB\n", device_regs[0x10 / 4]);
		fails++;
	}
	printf("platform: %lu packets through ukdrv, %s\n", ukdrv_tx_packets(),
	       fails ? "FAILED" : "ok");
	return fails ? 1 : 0;
}
