/*
 * fgs/common.h - macros shared by every public libfgs header: symbol
 * visibility, C++ linkage and the library version.
 *
 * Thread-safety: declarations only.
 */
#ifndef FGS_COMMON_H
#define FGS_COMMON_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
#define FGS_BEGIN_DECL extern "C" {
#define FGS_END_DECL }
#else
#define FGS_BEGIN_DECL
#define FGS_END_DECL
#endif

/** Declares a public function; only these are exported from libfgs.so. */
#if defined(__GNUC__) && __GNUC__ >= 4
#define FGS_EXTERN(type) extern __attribute__((visibility("default"))) type
#else
#define FGS_EXTERN(type) extern type
#endif

#define FGS_VERSION_MAJOR 0
#define FGS_VERSION_MINOR 1
#define FGS_VERSION_PATCH 0
#define FGS_VERSION_STRING "0.1.0"

FGS_BEGIN_DECL

/**
 * Release memory that a libfgs function handed to the caller as a plain
 * pointer (strings such as the request id of fgs_function_invoke_async()).
 * Passing NULL is a no-op. Never use free() on such memory.
 */
FGS_EXTERN(void) fgs_free(void *ptr);

/** The library version as "MAJOR.MINOR.PATCH". Ownership: static, do not free. */
FGS_EXTERN(const char *) fgs_version_string(void);

FGS_END_DECL

#endif
