/* functions.c - placeholder handlers, being written (answer 501). */
#include "api/api.h"
#include "http/request.h"

void api_function_list(struct srv_request *req)
{
    srv_fail(req, "FSS.0501", NULL);
}

void api_function_create(struct srv_request *req)
{
    srv_fail(req, "FSS.0501", NULL);
}

void api_function_delete(struct srv_request *req)
{
    srv_fail(req, "FSS.0501", NULL);
}

void api_function_get_config(struct srv_request *req)
{
    srv_fail(req, "FSS.0501", NULL);
}

void api_function_update_config(struct srv_request *req)
{
    srv_fail(req, "FSS.0501", NULL);
}

void api_function_get_code(struct srv_request *req)
{
    srv_fail(req, "FSS.0501", NULL);
}

void api_function_update_code(struct srv_request *req)
{
    srv_fail(req, "FSS.0501", NULL);
}

