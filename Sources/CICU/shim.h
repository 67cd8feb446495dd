// System ICU (Debian: libicu-dev), collation only, loaded with dlopen the first time a string
// needs it: linking ICU would make the dynamic loader map and relocate it at every start
// (1.7 million instructions on a one-row query), which most CLI calls never use. ICU renames
// every C function after its major version (ucol_open is ucol_open_72) through macros, so the
// names looked up are built from the same macros the header defines.
#include <dlfcn.h>
#include <unicode/ucol.h>

#define LOCUS_ICU_STRING2(x) #x
#define LOCUS_ICU_STRING(x) LOCUS_ICU_STRING2(x)

/// The ICU functions Locus calls, found in the library this header belongs to.
typedef struct {
    UCollator *_Nullable (*_Nullable open)(const char *_Nullable, UErrorCode *_Nonnull);
    void (*_Nullable close)(UCollator *_Nonnull);
    void (*_Nullable setAttribute)(UCollator *_Nonnull, UColAttribute, UColAttributeValue, UErrorCode *_Nonnull);
    UCollationResult (*_Nullable strcollUTF8)(
        const UCollator *_Nonnull, const char *_Nullable, int32_t, const char *_Nullable, int32_t,
        UErrorCode *_Nonnull);
    int32_t (*_Nullable getSortKey)(const UCollator *_Nonnull, const UChar *_Nullable, int32_t, uint8_t *_Nullable, int32_t);
} locus_icu_api;

/// Loads ICU's i18n library and finds the functions; 0 on success.
static inline int locus_icu_load(locus_icu_api *_Nonnull api) {
    void *h = dlopen("libicui18n.so." LOCUS_ICU_STRING(U_ICU_VERSION_MAJOR_NUM), RTLD_NOW | RTLD_LOCAL);
    if (!h) h = dlopen("libicui18n.so", RTLD_NOW | RTLD_LOCAL);
    if (!h) return 1;
    api->open = dlsym(h, LOCUS_ICU_STRING(ucol_open));
    api->close = dlsym(h, LOCUS_ICU_STRING(ucol_close));
    api->setAttribute = dlsym(h, LOCUS_ICU_STRING(ucol_setAttribute));
    api->strcollUTF8 = dlsym(h, LOCUS_ICU_STRING(ucol_strcollUTF8));
    api->getSortKey = dlsym(h, LOCUS_ICU_STRING(ucol_getSortKey));
    return api->open && api->close && api->setAttribute && api->strcollUTF8 && api->getSortKey ? 0 : 1;
}

/// Opens the collator ArangoDB uses when no language is configured: en_US, uppercase first,
/// no normalization, identical strength. Null when ICU cannot provide it.
static inline UCollator *_Nullable locus_icu_open_collator(const locus_icu_api *_Nonnull api) {
    UErrorCode status = U_ZERO_ERROR;
    UCollator *c = api->open("en_US", &status);
    if (U_FAILURE(status) || !c) return 0;
    api->setAttribute(c, UCOL_CASE_FIRST, UCOL_UPPER_FIRST, &status);
    api->setAttribute(c, UCOL_NORMALIZATION_MODE, UCOL_OFF, &status);
    api->setAttribute(c, UCOL_STRENGTH, UCOL_IDENTICAL, &status);
    if (U_FAILURE(status)) { api->close(c); return 0; }
    return c;
}

/// -1, 0 or 1; 2 when ICU reports a failure.
static inline int locus_icu_compare_utf8(
    const locus_icu_api *_Nonnull api, const UCollator *_Nonnull c, const char *_Nullable a, int32_t na,
    const char *_Nullable b, int32_t nb) {
    UErrorCode status = U_ZERO_ERROR;
    UCollationResult r = api->strcollUTF8(c, a ? a : "", na, b ? b : "", nb, &status);
    return U_FAILURE(status) ? 2 : (int)r;
}

/// The sort key of UTF-16 text into `out` (at most `capacity` bytes, zero-terminated);
/// returns the length the whole key needs, terminator included.
static inline int32_t locus_icu_sort_key(
    const locus_icu_api *_Nonnull api, const UCollator *_Nonnull c, const UChar *_Nullable text, int32_t length,
    uint8_t *_Nullable out, int32_t capacity) {
    static const UChar empty[1] = {0};
    return api->getSortKey(c, text ? text : empty, length, out, capacity);
}
