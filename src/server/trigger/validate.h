/*
 * validate.h - trigger types and their event_data: what each type accepts,
 * checked and normalised before anything is stored.
 *
 * Types (FGS-API §10): TIMER and APIG are validated in full (errors
 * FSS.1109 and FSS.1107); CTS, DDS, GAUSSMONGO, DMS, DIS, LTS, OBS, SMN,
 * KAFKA, OPENSOURCEKAFKA, RABBITMQ, DEDICATEDGATEWAY, APIC and EVENTGRID
 * have their documented fields type- and range-checked (FSS.0400 naming the
 * field). IOTDA is a valid path type code (show, update, delete) but cannot
 * be created. An unknown code is FSS.1101.
 *
 * Normalisation: defaults documented for a field are filled in (DIS
 * polling_interval 30, batch sizes 100, APIG match_mode SWA, ...), string
 * booleans are written "true"/"false", TIMER keeps only its four fields,
 * other types keep unknown fields as given (the SDK models carry more than
 * §10 lists). The gateway types get their generated fields (api_id,
 * api_name, triggerid, group_name), kept across updates.
 */
#ifndef SRV_TRIGGER_VALIDATE_H
#define SRV_TRIGGER_VALIDATE_H

#include <stdbool.h>
#include <jansson.h>

/* Why a trigger request was refused. */
struct srv_trigger_err {
    const char *code; /* FSS code: FSS.1101, FSS.1107, FSS.1109 or FSS.0400 */
    char msg[256];    /* one sentence naming the field */
};

/* True for the type codes CreateFunctionTrigger accepts. */
bool srv_trigger_type_creatable(const char *type);
/* True for the type codes a show/update/delete path may name (creatable plus IOTDA). */
bool srv_trigger_type_known(const char *type);
/* TIMER, DDS, DMS, KAFKA and LTS triggers may be DISABLED. */
bool srv_trigger_can_disable(const char *type);
/* Types whose events the service polls for (at most 10 per function qualifier). */
bool srv_trigger_is_pull(const char *type);
/* ACTIVE, except DISABLED for DDS and KAFKA. */
const char *srv_trigger_default_status(const char *type);
/* APIG, DEDICATEDGATEWAY and APIC: event_data describes an API route. */
bool srv_trigger_is_gateway(const char *type);

/*
 * Validates event_data for a trigger of this type and returns its
 * normalised form (a new object the caller owns), or NULL with *err set.
 * trigger_id names the trigger (APIG's triggerid). stored is the event_data
 * already stored when updating, NULL when creating: generated fields come
 * from it unchanged. On update pass the merged object (see
 * srv_trigger_event_merge). Not thread-affine; no shared state.
 */
json_t *srv_trigger_event_normalize(const char *type,
                                    json_t *event_data,
                                    const char *trigger_id,
                                    json_t *stored,
                                    struct srv_trigger_err *err);

/*
 * The event_data an update asks for: stored with patch applied. patch is an
 * object (its members replace stored ones; a null member removes one) or
 * the SDK's array form, an array of such objects applied in order. Returns a
 * new object, or NULL with *err set (FSS.0400, or the type's code) when the
 * patch has the wrong shape.
 */
json_t *srv_trigger_event_merge(const char *type,
                                json_t *stored,
                                json_t *patch,
                                struct srv_trigger_err *err);

/*
 * The event_data to show in a response: stored minus secrets (fields named
 * *password). Returns a new object the caller owns, or NULL when out of
 * memory.
 */
json_t *srv_trigger_event_public(json_t *stored);

/*
 * True when two gateway triggers' event_data claim the same route: the
 * same path and req_method (and, for DEDICATEDGATEWAY and APIC, the same
 * instance_id).
 */
bool srv_trigger_same_route(const char *type, json_t *a, json_t *b);

#endif
