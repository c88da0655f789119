/*
 * errors.c - the FSS error table: one place that gives each error code its
 * HTTP status and standard message, so every handler answers the same way.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "http/request.h"

struct fss_error {
    const char *code;
    int status;
    const char *msg;
};

static const struct fss_error fss_errors[] = {
    { "FSS.0400", 400, "Invalid parameter." },
    { "FSS.0401", 401, "Unauthorized access." },
    { "FSS.0403", 403, "Forbidden." },
    { "FSS.0404", 404, "The specified resource was not found." },
    { "FSS.0405", 405, "The method is not allowed for this resource." },
    { "FSS.0406", 406, "The request body does not match the expected format." },
    { "FSS.0409", 409, "The specified resource already exists." },
    { "FSS.0413", 413, "The request body is too large." },
    { "FSS.0429", 429, "Function Disabled" },
    { "FSS.0500", 500, "Internal server error." },
    { "FSS.0501", 501, "Not implemented." },
    { "FSS.0503", 503, "Service unavailable." },
    { "FSS.1001", 400, "Invalid query parameter." },
    { "FSS.1002", 400, "Invalid function name." },
    { "FSS.1003", 400, "Invalid handler." },
    { "FSS.1004", 400, "Invalid package name." },
    { "FSS.1005", 400, "Invalid runtime." },
    { "FSS.1006", 400, "Invalid code entry mode." },
    { "FSS.1007", 400, "Invalid memory size." },
    { "FSS.1008", 400, "Invalid timeout." },
    { "FSS.1009", 400, "Invalid UserData." },
    { "FSS.1011", 400, "Invalid function code." },
    { "FSS.1012", 400, "The function code must be configured." },
    { "FSS.1014", 400, "Invalid function alias." },
    { "FSS.1015", 400, "Invalid function version." },
    { "FSS.1016", 400, "The function cannot be published because no changes have been made since last publication." },
    { "FSS.1017", 400, "The number of UserData items exceeds 20." },
    { "FSS.1018", 400, "The UserData is too large." },
    { "FSS.1019", 400, "The description exceeds 512 characters." },
    { "FSS.1027", 400, "Invalid packageName." },
    { "FSS.1041", 403, "The number of functions exceeds the quota." },
    { "FSS.1042", 403, "The total code size exceeds the quota." },
    { "FSS.1043", 403, "The number of aliases exceeds the quota." },
    { "FSS.1044", 403, "The number of versions exceeds the quota." },
    { "FSS.1051", 404, "The function does not exist." },
    { "FSS.1052", 404, "The version does not exist." },
    { "FSS.1053", 404, "The alias does not exist." },
    { "FSS.1061", 409, "The function already exists." },
    { "FSS.1062", 409, "The version already exists." },
    { "FSS.1063", 409, "The alias already exists." },
    { "FSS.1066", 409, "The version is already used by another alias." },
    { "FSS.1071", 413, "The code package exceeds 50 MB." },
    { "FSS.1072", 413, "The inline code is too large." },
    { "FSS.1076", 400, "Too many reserved instances." },
    { "FSS.1091", 400, "Invalid additional version." },
    { "FSS.1092", 400, "Invalid additional version weight." },
    { "FSS.1093", 400, "The additional version cannot be the same as the major version." },
    { "FSS.1094", 403, "The version is used as an additional version of an alias and cannot be deleted." },
    { "FSS.1101", 400, "Invalid trigger type." },
    { "FSS.1107", 400, "Invalid APIG trigger parameters." },
    { "FSS.1109", 400, "Invalid timer trigger parameters." },
    { "FSS.1123", 403, "The number of triggers exceeds the quota." },
    { "FSS.1131", 404, "The trigger does not exist." },
    { "FSS.1138", 404, "The APIG trigger does not exist." },
    { "FSS.1140", 404, "The timer trigger does not exist." },
    { "FSS.1146", 409, "The APIG trigger already exists." },
    { "FSS.1147", 409, "The request path already exists." },
    { "FSS.1148", 409, "The timer trigger already exists." },
    { "FSS.1154", 403, "Aliases with bound triggers cannot be deleted." },
    { "FSS.1201", 413, "The request body is too large." },
};

static const struct fss_error *find(const char *code)
{
    size_t i;

    for (i = 0; i < sizeof(fss_errors) / sizeof(fss_errors[0]); i++)
        if (strcmp(fss_errors[i].code, code) == 0)
            return &fss_errors[i];
    return NULL;
}

int srv_fss_status(const char *code)
{
    const struct fss_error *e = find(code);

    return e ? e->status : 500;
}

__attribute__((format(printf, 4, 0))) static void fail_v(struct srv_request *req, int status,
                                                         const char *code, const char *fmt,
                                                         va_list ap)
{
    const struct fss_error *e = find(code);
    char msg[1024];
    json_t *body;

    if (fmt)
        vsnprintf(msg, sizeof(msg), fmt, ap);
    else
        snprintf(msg, sizeof(msg), "%s", e ? e->msg : "Error.");
    body = json_pack("{s:s, s:s}", "error_code", code, "error_msg", msg);
    srv_reply_json(req, status, body);
}

void srv_fail(struct srv_request *req, const char *code, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    fail_v(req, srv_fss_status(code), code, fmt, ap);
    va_end(ap);
}

void srv_fail_status(struct srv_request *req, int status, const char *code, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    fail_v(req, status, code, fmt, ap);
    va_end(ap);
}
