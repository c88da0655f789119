/*
 * headertest.cpp - <fgs/fgs.h> compiled as C++ (linkage and syntax).
 */
#include <fgs/fgs.h>

extern "C" int fgs_headertest(void);

int main()
{
    const fgs_error *e = fgs_error_last();
    fgs_client_options co = FGS_CLIENT_OPTIONS_INIT;

    return (e == 0) + (fgs_headertest() == 12 + FGS_ENOTFOUND ? 0 : 1) + (int)(co.version - 1);
}
