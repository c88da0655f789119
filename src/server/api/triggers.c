/* triggers.c - placeholder handlers, being written (answer 501). */
#include "api/api.h"
#include "http/request.h"

void api_trigger_list(struct srv_request *req)
{
    srv_fail(req, "FSS.0501", NULL);
}

void api_trigger_create(struct srv_request *req)
{
    srv_fail(req, "FSS.0501", NULL);
}

void api_trigger_delete_all(struct srv_request *req)
{
    srv_fail(req, "FSS.0501", NULL);
}

void api_trigger_get(struct srv_request *req)
{
    srv_fail(req, "FSS.0501", NULL);
}

void api_trigger_update(struct srv_request *req)
{
    srv_fail(req, "FSS.0501", NULL);
}

void api_trigger_delete(struct srv_request *req)
{
    srv_fail(req, "FSS.0501", NULL);
}

