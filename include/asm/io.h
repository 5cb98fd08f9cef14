/* SPDX-License-Identifier: MIT */
/*
 * asm/io.h - device memory: ioremap() and the MMIO accessors
 * (arch/x86/include/asm/io.h, include/asm-generic/io.h, lib/iomap.c).
 *
 * ioremap() maps a device region that a program registered with
 * ukmem_register_device_region() (include/ukmem/iomem.h) into the vmalloc
 * range; the accessors below read and write it with single volatile loads
 * and stores of the stated width, as x86's "mov" based readl()/writel() do.
 * On x86 those are ordered against each other and against normal memory
 * by the hardware; the compiler must not reorder or merge them either,
 * hence the memory clobbers.  The *_relaxed forms are the same on x86.
 */
#ifndef _ASM_IO_H
#define _ASM_IO_H

#include <ukmem/kernel_types.h>
#include <ukmem/compiler.h>

UKMEM_C_BEGIN

/* x86 barriers (arch/x86/include/asm/barrier.h). */
#ifndef mb
#define mb()	__asm__ __volatile__("mfence" ::: "memory")
#define rmb()	__asm__ __volatile__("lfence" ::: "memory")
#define wmb()	__asm__ __volatile__("sfence" ::: "memory")
#endif
/* ioremap'd memory is accessed in program order on x86: a compiler barrier. */
#define __iormb()	barrier()
#define __iowmb()	barrier()
#define mmiowb()	barrier()

#define __UKMEM_BUILD_MMIO(bwl, type)						\
static __always_inline type read##bwl(const volatile void __iomem *addr)	\
{										\
	type v;									\
	barrier();								\
	v = *(const volatile type *)addr;					\
	__iormb();								\
	return v;								\
}										\
static __always_inline void write##bwl(type v, volatile void __iomem *addr)	\
{										\
	__iowmb();								\
	*(volatile type *)addr = v;						\
	barrier();								\
}										\
static __always_inline type __raw_read##bwl(const volatile void __iomem *addr)	\
{										\
	return *(const volatile type *)addr;					\
}										\
static __always_inline void __raw_write##bwl(type v, volatile void __iomem *addr) \
{										\
	*(volatile type *)addr = v;						\
}

__UKMEM_BUILD_MMIO(b, u8)
__UKMEM_BUILD_MMIO(w, u16)
__UKMEM_BUILD_MMIO(l, u32)
__UKMEM_BUILD_MMIO(q, u64)
#undef __UKMEM_BUILD_MMIO

#define readb_relaxed(a)	readb(a)
#define readw_relaxed(a)	readw(a)
#define readl_relaxed(a)	readl(a)
#define readq_relaxed(a)	readq(a)
#define writeb_relaxed(v, a)	writeb(v, a)
#define writew_relaxed(v, a)	writew(v, a)
#define writel_relaxed(v, a)	writel(v, a)
#define writeq_relaxed(v, a)	writeq(v, a)

/* lib/iomap.c: ioread/iowrite on MMIO cookies (no port I/O here). */
static inline unsigned int ioread8(const void __iomem *addr) { return readb(addr); }
static inline unsigned int ioread16(const void __iomem *addr) { return readw(addr); }
static inline unsigned int ioread32(const void __iomem *addr) { return readl(addr); }
static inline u64 ioread64(const void __iomem *addr) { return readq(addr); }
static inline void iowrite8(u8 v, void __iomem *addr) { writeb(v, addr); }
static inline void iowrite16(u16 v, void __iomem *addr) { writew(v, addr); }
static inline void iowrite32(u32 v, void __iomem *addr) { writel(v, addr); }
static inline void iowrite64(u64 v, void __iomem *addr) { writeq(v, addr); }
static inline unsigned int ioread16be(const void __iomem *addr)
{
	return __builtin_bswap16(readw(addr));
}
static inline unsigned int ioread32be(const void __iomem *addr)
{
	return __builtin_bswap32(readl(addr));
}
static inline void iowrite16be(u16 v, void __iomem *addr) { writew(__builtin_bswap16(v), addr); }
static inline void iowrite32be(u32 v, void __iomem *addr) { writel(__builtin_bswap32(v), addr); }

/*
 * memcpy_fromio/memcpy_toio/memset_io: every byte through a volatile
 * access, widest where both sides are aligned (x86's versions use string
 * moves, which the device also sees as ordered accesses).
 */
static inline void memcpy_fromio(void *dst, const volatile void __iomem *src, size_t n)
{
	unsigned char *d = dst;
	const volatile unsigned char *s = src;

	barrier();
	while (n && ((unsigned long)s & 7)) {
		*d++ = *s++;
		n--;
	}
	for (; n >= 8; n -= 8, s += 8, d += 8) {
		u64 v = *(const volatile u64 *)s;

		__builtin_memcpy(d, &v, 8);
	}
	while (n--)
		*d++ = *s++;
	barrier();
}

static inline void memcpy_toio(volatile void __iomem *dst, const void *src, size_t n)
{
	volatile unsigned char *d = dst;
	const unsigned char *s = src;

	barrier();
	while (n && ((unsigned long)d & 7)) {
		*d++ = *s++;
		n--;
	}
	for (; n >= 8; n -= 8, s += 8, d += 8) {
		u64 v;

		__builtin_memcpy(&v, s, 8);
		*(volatile u64 *)d = v;
	}
	while (n--)
		*d++ = *s++;
	barrier();
}

static inline void memset_io(volatile void __iomem *dst, int c, size_t n)
{
	volatile unsigned char *d = dst;
	u64 v = 0x0101010101010101ULL * (unsigned char)c;

	barrier();
	while (n && ((unsigned long)d & 7)) {
		*d++ = (unsigned char)c;
		n--;
	}
	for (; n >= 8; n -= 8, d += 8)
		*(volatile u64 *)d = v;
	while (n--)
		*d++ = (unsigned char)c;
	barrier();
}

UKMEM_API_BEGIN
void __iomem *ioremap(resource_size_t phys_addr, unsigned long size);
void __iomem *ioremap_wc(resource_size_t phys_addr, unsigned long size);
void __iomem *ioremap_wt(resource_size_t phys_addr, unsigned long size);
void __iomem *ioremap_uc(resource_size_t phys_addr, unsigned long size);
void __iomem *ioremap_cache(resource_size_t phys_addr, unsigned long size);
void __iomem *ioremap_encrypted(resource_size_t phys_addr, unsigned long size);
void iounmap(volatile void __iomem *addr);
UKMEM_API_END

#define ioremap_nocache(p, s)	ioremap(p, s)	/* removed in 5.6; the same thing on x86 */
/* asm-generic: no non-posted mappings outside arm64. */
static inline void __iomem *ioremap_np(resource_size_t phys_addr, unsigned long size)
{
	(void)phys_addr;
	(void)size;
	return NULL;
}

UKMEM_C_END

#endif /* _ASM_IO_H */
