/* aliases.c - placeholder handlers, being written (answer 501). */
#include "api/api.h"
#include "http/request.h"

void api_alias_list(struct srv_request *req)
{
    srv_fail(req, "FSS.0501", NULL);
}

void api_alias_create(struct srv_request *req)
{
    srv_fail(req, "FSS.0501", NULL);
}

void api_alias_get(struct srv_request *req)
{
    srv_fail(req, "FSS.0501", NULL);
}

void api_alias_update(struct srv_request *req)
{
    srv_fail(req, "FSS.0501", NULL);
}

void api_alias_delete(struct srv_request *req)
{
    srv_fail(req, "FSS.0501", NULL);
}

