/* SPDX-License-Identifier: MIT */
/*
 * malloc/new_delete.c - the C++ allocation operators, every form, written
 * in C under their mangled names so that the preload library pulls in no
 * C++ runtime.
 *
 * operator new loops as the standard says: allocate; on failure call the
 * installed new-handler and retry, or throw std::bad_alloc when there is
 * none.  The handler and the throw are reached through weak references to
 * libstdc++ (std::get_new_handler, std::__throw_bad_alloc), which a C++
 * program always has loaded; a C program never calls these operators.
 * The nothrow forms are not defined here: libstdc++'s call the throwing
 * form inside a try block and return NULL for any exception, the handler's
 * own included, which C cannot catch (a nothrow new whose handler threw
 * ended in std::terminate, its noexcept being broken).  This file is built
 * with -fexceptions so that the exception passes through it.  An aligned
 * form refuses an alignment that is not a power of two with bad_alloc, as
 * libstdc++'s does.
 */
#include <stdbool.h>
#include <stdlib.h>

#include <ukmem/compiler.h>

#define UKMEM_EXPORT	__attribute__((visibility("default")))

typedef void (*new_handler_fn)(void);
extern new_handler_fn _ZSt15get_new_handlerv(void) __attribute__((weak));
extern void _ZSt17__throw_bad_allocv(void) __attribute__((weak, noreturn));

/* The front end's own entry points (malloc/malloc.c). */
void *malloc(size_t size);
void free(void *ptr);
void *memalign(size_t alignment, size_t size);
void malloc_free_checked(void *ptr, size_t size, size_t align, const char *fn);

static __attribute__((noreturn)) void throw_bad_alloc(void)
{
	if (_ZSt17__throw_bad_allocv)
		_ZSt17__throw_bad_allocv();
	abort();	/* no C++ runtime: nobody to catch it */
}

/* @aligned: an align_val_t form, whose @align must be a power of two. */
static void *cxx_new(size_t size, size_t align, bool aligned)
{
	if (unlikely(aligned && (align & (align - 1) || !align)))
		throw_bad_alloc();
	if (!size)
		size = 1;
	for (;;) {
		void *p = aligned ? memalign(align, size) : malloc(size);
		new_handler_fn handler;

		if (likely(p))
			return p;
		handler = _ZSt15get_new_handlerv ? _ZSt15get_new_handlerv() : NULL;
		if (!handler)
			throw_bad_alloc();
		handler();
	}
}

/* new / new[], and aligned (C++17); the nothrow forms are libstdc++'s (above). */
UKMEM_EXPORT void *_Znwm(size_t size) { return cxx_new(size, 0, false); }
UKMEM_EXPORT void *_Znam(size_t size) { return cxx_new(size, 0, false); }
UKMEM_EXPORT void *_ZnwmSt11align_val_t(size_t size, size_t al) { return cxx_new(size, al, true); }
UKMEM_EXPORT void *_ZnamSt11align_val_t(size_t size, size_t al) { return cxx_new(size, al, true); }

/*
 * delete / delete[]: plain, sized (C++14), nothrow, aligned, sized aligned.
 * The size and alignment a delete passes are checked against the block
 * (a delete of another type's size, new[] freed with delete, an aligned
 * new freed unaligned): malloc/malloc.c malloc_free_checked().
 */
#define DEL	"operator delete"
#define DELA	"operator delete[]"
#define NOSIZE	((size_t)-1)
UKMEM_EXPORT void _ZdlPv(void *p) { free(p); }
UKMEM_EXPORT void _ZdaPv(void *p) { free(p); }
UKMEM_EXPORT void _ZdlPvm(void *p, size_t size) { malloc_free_checked(p, size ? size : 1, 0, DEL); }
UKMEM_EXPORT void _ZdaPvm(void *p, size_t size) { malloc_free_checked(p, size ? size : 1, 0, DELA); }
UKMEM_EXPORT void _ZdlPvRKSt9nothrow_t(void *p, const void *nt) { free(p); }
UKMEM_EXPORT void _ZdaPvRKSt9nothrow_t(void *p, const void *nt) { free(p); }
UKMEM_EXPORT void _ZdlPvSt11align_val_t(void *p, size_t al) { malloc_free_checked(p, NOSIZE, al, DEL); }
UKMEM_EXPORT void _ZdaPvSt11align_val_t(void *p, size_t al) { malloc_free_checked(p, NOSIZE, al, DELA); }
UKMEM_EXPORT void _ZdlPvmSt11align_val_t(void *p, size_t size, size_t al)
{ malloc_free_checked(p, size ? size : 1, al, DEL); }
UKMEM_EXPORT void _ZdaPvmSt11align_val_t(void *p, size_t size, size_t al)
{ malloc_free_checked(p, size ? size : 1, al, DELA); }
UKMEM_EXPORT void _ZdlPvSt11align_val_tRKSt9nothrow_t(void *p, size_t al, const void *nt)
{ malloc_free_checked(p, NOSIZE, al, DEL); }
UKMEM_EXPORT void _ZdaPvSt11align_val_tRKSt9nothrow_t(void *p, size_t al, const void *nt)
{ malloc_free_checked(p, NOSIZE, al, DELA); }
