/*
 * fgs/fgs.h - libfgs, the C SDK of FunctionGraph v2 (and fgsd): include this
 * one header to get the whole public API.
 *
 * Thread-safety: see each header; in short, one thread at a time per
 * fgs_client, and fgs_global_init() before threads start.
 */
#ifndef FGS_FGS_H
#define FGS_FGS_H

#include "common.h"
#include "errors.h"
#include "client.h"
#include "function.h"
#include "version.h"
#include "alias.h"
#include "trigger.h"
#include "invoke.h"
#include "async.h"
#include "quotas.h"

#endif
