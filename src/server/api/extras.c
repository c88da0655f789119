/* extras.c - placeholder handlers, being written (answer 501). */
#include "api/api.h"
#include "http/request.h"

void api_async_config_get(struct srv_request *req)
{
    srv_fail(req, "FSS.0501", NULL);
}

void api_async_config_put(struct srv_request *req)
{
    srv_fail(req, "FSS.0501", NULL);
}

void api_async_config_delete(struct srv_request *req)
{
    srv_fail(req, "FSS.0501", NULL);
}

void api_async_invocation_list(struct srv_request *req)
{
    srv_fail(req, "FSS.0501", NULL);
}

void api_async_cancel(struct srv_request *req)
{
    srv_fail(req, "FSS.0501", NULL);
}

void api_max_instance_put(struct srv_request *req)
{
    srv_fail(req, "FSS.0501", NULL);
}

void api_reserved_put(struct srv_request *req)
{
    srv_fail(req, "FSS.0501", NULL);
}

void api_quotas_get(struct srv_request *req)
{
    srv_fail(req, "FSS.0501", NULL);
}

