// Snowball stemming (Debian: libstemmer0d), loaded with dlopen the first time a text or stem
// analyzer needs it, so that processes which never stem do not map the library at start.
//
// Debian ships the library without a development package of headers in every release, so this
// header declares the four functions of libstemmer's stable C API (libstemmer.h) itself.
#include <dlfcn.h>

/// libstemmer's stemmer, opaque.
typedef struct locus_sb_stemmer locus_sb_stemmer;

/// The libstemmer functions Locus calls, found in the library.
typedef struct {
    locus_sb_stemmer *_Nullable (*_Nullable create)(const char *_Nonnull algorithm, const char *_Nullable encoding);
    void (*_Nullable destroy)(locus_sb_stemmer *_Nonnull);
    const unsigned char *_Nullable (*_Nullable stem)(locus_sb_stemmer *_Nonnull, const unsigned char *_Nonnull, int);
    int (*_Nullable length)(locus_sb_stemmer *_Nonnull);
} locus_stemmer_api;

/// Loads libstemmer and finds the functions; 0 on success.
static inline int locus_stemmer_load(locus_stemmer_api *_Nonnull api) {
    static const char *const names[] = {"libstemmer.so.0d", "libstemmer.so.0", "libstemmer.so"};
    for (unsigned i = 0; i < sizeof names / sizeof names[0]; i++) {
        void *library = dlopen(names[i], RTLD_NOW | RTLD_LOCAL);
        if (!library) continue;
        api->create = dlsym(library, "sb_stemmer_new");
        api->destroy = dlsym(library, "sb_stemmer_delete");
        api->stem = dlsym(library, "sb_stemmer_stem");
        api->length = dlsym(library, "sb_stemmer_length");
        if (api->create && api->destroy && api->stem && api->length) return 0;
        dlclose(library);
    }
    return 1;
}
