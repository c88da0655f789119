/*
 * headertest.c - <fgs/fgs.h> must compile on its own, strictly, as C99 and
 * (through headertest.cpp) as C++; the option initializers must be usable.
 */
#include <fgs/fgs.h>

int fgs_headertest(void);

int fgs_headertest(void)
{
    fgs_client_options co = FGS_CLIENT_OPTIONS_INIT;
    fgs_list_options lo = FGS_LIST_OPTIONS_INIT;
    fgs_function_create_options fo = FGS_FUNCTION_CREATE_OPTIONS_INIT;
    fgs_function_config_options uo = FGS_FUNCTION_CONFIG_OPTIONS_INIT;
    fgs_function_code_options ko = FGS_FUNCTION_CODE_OPTIONS_INIT;
    fgs_publish_options po = FGS_PUBLISH_OPTIONS_INIT;
    fgs_alias_options ao = FGS_ALIAS_OPTIONS_INIT;
    fgs_trigger_options to = FGS_TRIGGER_OPTIONS_INIT;
    fgs_trigger_update_options tu = FGS_TRIGGER_UPDATE_OPTIONS_INIT;
    fgs_invoke_options io = FGS_INVOKE_OPTIONS_INIT;
    fgs_async_config_options ac = FGS_ASYNC_CONFIG_OPTIONS_INIT;
    fgs_async_list_options al = FGS_ASYNC_LIST_OPTIONS_INIT;

    return (int)(co.version + lo.version + fo.version + uo.version + ko.version + po.version +
                 ao.version + to.version + tu.version + io.version + ac.version + al.version) +
           FGS_ENOTFOUND;
}
