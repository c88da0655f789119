/* versions.c - placeholder handlers, being written (answer 501). */
#include "api/api.h"
#include "http/request.h"

void api_version_list(struct srv_request *req)
{
    srv_fail(req, "FSS.0501", NULL);
}

void api_version_publish(struct srv_request *req)
{
    srv_fail(req, "FSS.0501", NULL);
}

