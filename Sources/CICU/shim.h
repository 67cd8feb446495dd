// System ICU (Debian: libicu-dev), collation only. ICU renames every C function after its
// version (ucol_open becomes ucol_open_72) through macros, which Swift does not import; these
// inline wrappers give Swift names that hold across ICU versions.
#include <unicode/ucol.h>

static inline UCollator *_Nullable locus_icu_open_collator(const char *_Nonnull locale) {
    UErrorCode status = U_ZERO_ERROR;
    UCollator *c = ucol_open(locale, &status);
    if (U_FAILURE(status)) { if (c) ucol_close(c); return 0; }
    return c;
}

/// Sets one attribute; returns 0 on success.
static inline int locus_icu_set_attribute(UCollator *_Nonnull c, UColAttribute a, UColAttributeValue v) {
    UErrorCode status = U_ZERO_ERROR;
    ucol_setAttribute(c, a, v, &status);
    return U_FAILURE(status) ? 1 : 0;
}

static inline int locus_icu_compare_utf8(
    const UCollator *_Nonnull c, const char *_Nullable a, int32_t na, const char *_Nullable b, int32_t nb) {
    UErrorCode status = U_ZERO_ERROR;
    UCollationResult r = ucol_strcollUTF8(c, a ? a : "", na, b ? b : "", nb, &status);
    return U_FAILURE(status) ? 2 : (int)r;
}

/// The sort key of UTF-16 text into `out` (at most `capacity` bytes, zero-terminated);
/// returns the length the whole key needs, terminator included.
static inline int32_t locus_icu_sort_key(
    const UCollator *_Nonnull c, const UChar *_Nullable text, int32_t length, uint8_t *_Nullable out, int32_t capacity) {
    static const UChar empty[1] = {0};
    return ucol_getSortKey(c, text ? text : empty, length, out, capacity);
}

static inline void locus_icu_close(UCollator *_Nonnull c) { ucol_close(c); }
