// System ICU (Debian: libicu72), collation only, loaded with dlopen the first time a string
// needs it: linking ICU would make the dynamic loader map and relocate it at every start
// (1.7 million instructions on a one-row query), which most CLI calls never use.
//
// This header declares the few types and constants it uses itself instead of including ICU's:
// Foundation carries its own copy of ICU's headers, and a Swift module that sees both copies
// fails to build ("'UErrorCode' has different definitions in different modules"). The values
// are ICU's stable C API (ucol.h, utypes.h). ICU renames every C function after its major
// version (ucol_open is ucol_open_72), so the loader looks for the library and the names of
// each major version in turn.
#include <dlfcn.h>
#include <stdint.h>
#include <stdio.h>

/// ICU's UCollator, opaque.
typedef struct locus_ucollator locus_ucollator;

/// ICU's UChar: one UTF-16 code unit.
typedef uint16_t locus_uchar;

/// The attributes and values of ucol.h that Locus sets (UColAttribute, UColAttributeValue).
enum {
    LOCUS_UCOL_CASE_FIRST = 2,
    LOCUS_UCOL_NORMALIZATION_MODE = 4,
    LOCUS_UCOL_STRENGTH = 5,
    LOCUS_UCOL_IDENTICAL = 15,
    LOCUS_UCOL_OFF = 16,
    LOCUS_UCOL_UPPER_FIRST = 25,
};

/// The ICU functions Locus calls, found in the library. Enumerations (UErrorCode,
/// UColAttribute, UColAttributeValue, UCollationResult) are C ints; an error is above 0.
typedef struct {
    locus_ucollator *_Nullable (*_Nullable open)(const char *_Nullable, int *_Nonnull);
    void (*_Nullable close)(locus_ucollator *_Nonnull);
    void (*_Nullable setAttribute)(locus_ucollator *_Nonnull, int, int, int *_Nonnull);
    int (*_Nullable strcollUTF8)(
        const locus_ucollator *_Nonnull, const char *_Nullable, int32_t, const char *_Nullable, int32_t,
        int *_Nonnull);
    int32_t (*_Nullable getSortKey)(
        const locus_ucollator *_Nonnull, const locus_uchar *_Nullable, int32_t, uint8_t *_Nullable, int32_t);
} locus_icu_api;

static inline void *_Nullable locus_icu_symbol(void *_Nonnull library, const char *_Nonnull name, int version) {
    char versioned[64];
    snprintf(versioned, sizeof versioned, "%s_%d", name, version);
    return dlsym(library, versioned);
}

/// Loads ICU's i18n library (the newest major version from 99 down to 50) and finds the
/// functions; 0 on success.
static inline int locus_icu_load(locus_icu_api *_Nonnull api) {
    for (int version = 99; version >= 50; version--) {
        char name[64];
        snprintf(name, sizeof name, "libicui18n.so.%d", version);
        void *library = dlopen(name, RTLD_NOW | RTLD_LOCAL);
        if (!library) continue;
        api->open = locus_icu_symbol(library, "ucol_open", version);
        api->close = locus_icu_symbol(library, "ucol_close", version);
        api->setAttribute = locus_icu_symbol(library, "ucol_setAttribute", version);
        api->strcollUTF8 = locus_icu_symbol(library, "ucol_strcollUTF8", version);
        api->getSortKey = locus_icu_symbol(library, "ucol_getSortKey", version);
        if (api->open && api->close && api->setAttribute && api->strcollUTF8 && api->getSortKey) return 0;
        dlclose(library);
    }
    return 1;
}

/// Opens the collator ArangoDB uses when no language is configured: en_US, uppercase first,
/// no normalization, identical strength. Null when ICU cannot provide it.
static inline locus_ucollator *_Nullable locus_icu_open_collator(const locus_icu_api *_Nonnull api) {
    int status = 0;
    locus_ucollator *c = api->open("en_US", &status);
    if (status > 0 || !c) return 0;
    api->setAttribute(c, LOCUS_UCOL_CASE_FIRST, LOCUS_UCOL_UPPER_FIRST, &status);
    api->setAttribute(c, LOCUS_UCOL_NORMALIZATION_MODE, LOCUS_UCOL_OFF, &status);
    api->setAttribute(c, LOCUS_UCOL_STRENGTH, LOCUS_UCOL_IDENTICAL, &status);
    if (status > 0) {
        api->close(c);
        return 0;
    }
    return c;
}

/// -1, 0 or 1; 2 when ICU reports a failure.
static inline int locus_icu_compare_utf8(
    const locus_icu_api *_Nonnull api, const locus_ucollator *_Nonnull c, const char *_Nullable a, int32_t na,
    const char *_Nullable b, int32_t nb) {
    int status = 0;
    int r = api->strcollUTF8(c, a ? a : "", na, b ? b : "", nb, &status);
    return status > 0 ? 2 : r;
}

/// The sort key of UTF-16 text into `out` (at most `capacity` bytes, zero-terminated);
/// returns the length the whole key needs, terminator included.
static inline int32_t locus_icu_sort_key(
    const locus_icu_api *_Nonnull api, const locus_ucollator *_Nonnull c, const locus_uchar *_Nullable text,
    int32_t length, uint8_t *_Nullable out, int32_t capacity) {
    static const locus_uchar empty[1] = {0};
    return api->getSortKey(c, text ? text : empty, length, out, capacity);
}
