/*
 * api.h - the REST handlers, one group per resource file:
 *   functions.c  list/create/get/update/delete functions, config and code
 *   versions.c   publish and list versions
 *   aliases.c    version aliases
 *   triggers.c   trigger definitions
 *   extras.c     async-invoke-config, max instances, reserved instances, quotas
 *   invoke.c     sync and async invocation
 * Each handler answers its request exactly once (see http/request.h).
 */
#ifndef SRV_API_H
#define SRV_API_H

struct srv_request;

void api_function_list(struct srv_request *req);
void api_function_create(struct srv_request *req);
void api_function_delete(struct srv_request *req);
void api_function_get_config(struct srv_request *req);
void api_function_update_config(struct srv_request *req);
void api_function_get_code(struct srv_request *req);
void api_function_update_code(struct srv_request *req);

void api_version_list(struct srv_request *req);
void api_version_publish(struct srv_request *req);

void api_alias_list(struct srv_request *req);
void api_alias_create(struct srv_request *req);
void api_alias_get(struct srv_request *req);
void api_alias_update(struct srv_request *req);
void api_alias_delete(struct srv_request *req);

void api_invoke_sync(struct srv_request *req);
void api_invoke_async(struct srv_request *req);

void api_async_config_get(struct srv_request *req);
void api_async_config_put(struct srv_request *req);
void api_async_config_delete(struct srv_request *req);
void api_async_invocation_list(struct srv_request *req);
void api_async_cancel(struct srv_request *req);
void api_max_instance_put(struct srv_request *req);
void api_reserved_put(struct srv_request *req);
void api_quotas_get(struct srv_request *req);

void api_trigger_list(struct srv_request *req);
void api_trigger_create(struct srv_request *req);
void api_trigger_delete_all(struct srv_request *req);
void api_trigger_get(struct srv_request *req);
void api_trigger_update(struct srv_request *req);
void api_trigger_delete(struct srv_request *req);

#endif
