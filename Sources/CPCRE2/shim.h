// System PCRE2, 8-bit code units (Debian: libpcre2-dev).
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
