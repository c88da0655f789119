/*
 * test_exec.c - unit tests of the runtime mapping and of what an instance
 * is started with (src/server/exec/runtime.c): argv per language, the
 * RUNTIME_* environment, user data as prefixed variables, names that may
 * not be overridden, and a clean environment without fgsd's own variables.
 */
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include "fgs_test.h"
#include "core/server.h"
#include "exec/exec.h"
#include "store/store.h"

FGS_TEST(exec, runtime_mapping)
{
    static const char *const py[] = { "Python2.7", "Python3.6", "Python3.9", "Python3.10",
                                      "Python3.12" };
    static const char *const node[] = { "Node.js6.10", "Node.js8.10", "Node.js12.13",
                                        "Node.js18.15", "Node.js20.15" };
    static const char *const none[] = {
        "Java8",  "Java17", "Go1.x",        "Go1.8",  "C#(.NET Core 6.0)", "PHP8.3", "Cangjie1.0",
        "Custom", "http",   "Custom Image", "Python", "python3.9",         "Node",   ""
    };
    size_t i;

    for (i = 0; i < sizeof(py) / sizeof(py[0]); i++)
        ASSERT_EQ(srv_runtime_kind(py[i]), SRV_RT_PYTHON);
    for (i = 0; i < sizeof(node) / sizeof(node[0]); i++)
        ASSERT_EQ(srv_runtime_kind(node[i]), SRV_RT_NODE);
    for (i = 0; i < sizeof(none) / sizeof(none[0]); i++)
        ASSERT_EQ(srv_runtime_kind(none[i]), SRV_RT_UNAVAILABLE);
    ASSERT_EQ(srv_runtime_kind(NULL), SRV_RT_UNAVAILABLE);
}

static const char *find(char **v, const char *prefix)
{
    size_t n = strlen(prefix);

    for (; *v; v++)
        if (strncmp(*v, prefix, n) == 0)
            return *v + n;
    return NULL;
}

FGS_TEST(exec, argv_and_environment)
{
    static struct srv_server srv;
    struct srv_fnver fv;
    struct srv_exec_fn fn;
    char **argv, **envp;
    json_t *cfg;

    memset(&fv, 0, sizeof(fv));
    fv.project = "p1";
    fv.package = "default";
    fv.name = "fn";
    fv.version = "v3";
    cfg = json_pack("{s:s, s:s, s:i, s:s, s:s, s:i}", "runtime", "Python3.9", "handler",
                    "src/main.handler", "timeout", 7, "user_data",
                    "{\"color\":\"blue\",\"RUNTIME_HANDLER\":\"evil\",\"bad-name\":\"x\","
                    "\"LD_PRELOAD\":\"/x.so\"}",
                    "initializer_handler", "src/main.init", "initializer_timeout", 9);
    ASSERT(cfg);
    memset(&fn, 0, sizeof(fn));
    fn.fv = &fv;
    fn.config = cfg;
    fn.memory_mb = 512;
    setenv("FGS_TEST_SECRET_OF_FGSD", "leak", 1);
    ASSERT_OK(srv_runtime_argv_env(&srv, &fn, &argv, &envp));
    ASSERT_STREQ(argv[0], "/opt/fgs/bin/fgs-init");
    ASSERT_STREQ(argv[1], "/usr/bin/python3");
    ASSERT_STREQ(argv[2], "-I");
    ASSERT_STREQ(argv[3], "-S");
    ASSERT_STREQ(argv[4], "/opt/fgs/runtimes/python/shim.py");
    ASSERT(argv[5] == NULL);
    ASSERT_STREQ(find(envp, "RUNTIME_PROJECT_ID="), "p1");
    ASSERT_STREQ(find(envp, "RUNTIME_FUNC_NAME="), "fn");
    ASSERT_STREQ(find(envp, "RUNTIME_FUNC_VERSION="), "v3");
    ASSERT_STREQ(find(envp, "RUNTIME_PACKAGE="), "default");
    ASSERT_STREQ(find(envp, "RUNTIME_HANDLER="), "src/main.handler");
    ASSERT_STREQ(find(envp, "RUNTIME_TIMEOUT="), "7");
    ASSERT_STREQ(find(envp, "RUNTIME_MEMORY="), "512");
    ASSERT_STREQ(find(envp, "RUNTIME_CPU="), "600");
    ASSERT_STREQ(find(envp, "RUNTIME_CODE_ROOT="), "/opt/function/code");
    ASSERT_STREQ(find(envp, "RUNTIME_MAX_RESP_BODY_SIZE="), "6291456");
    ASSERT_STREQ(find(envp, "RUNTIME_INITIALIZER_HANDLER="), "src/main.init");
    ASSERT_STREQ(find(envp, "RUNTIME_INITIALIZER_TIMEOUT="), "9");
    ASSERT(strstr(find(envp, "RUNTIME_USERDATA="), "\"color\":\"blue\""));
    /* user data: prefixed for fgs-init, only valid names, never a RUNTIME_* name */
    ASSERT_STREQ(find(envp, "FGS_U_color="), "blue");
    ASSERT_STREQ(find(envp, "FGS_U_LD_PRELOAD="), "/x.so");
    ASSERT(find(envp, "LD_PRELOAD=") == NULL);
    ASSERT(find(envp, "color=") == NULL);
    ASSERT(find(envp, "FGS_U_RUNTIME_HANDLER=") == NULL);
    ASSERT(find(envp, "FGS_U_bad-name=") == NULL);
    /* nothing of fgsd's own environment */
    ASSERT(find(envp, "FGS_TEST_SECRET_OF_FGSD=") == NULL);
    ASSERT_STREQ(find(envp, "PATH="), "/usr/local/bin:/usr/bin:/bin");
    srv_runtime_strv_free(argv);
    srv_runtime_strv_free(envp);

    json_object_set_new(cfg, "runtime", json_string("Node.js18.15"));
    ASSERT_OK(srv_runtime_argv_env(&srv, &fn, &argv, &envp));
    ASSERT_STREQ(argv[1], "/usr/bin/node");
    ASSERT_STREQ(argv[2], "/opt/fgs/runtimes/node/shim.js");
    ASSERT(argv[3] == NULL);
    srv_runtime_strv_free(argv);
    srv_runtime_strv_free(envp);

    json_object_set_new(cfg, "runtime", json_string("Java8"));
    ASSERT_EQ(srv_runtime_argv_env(&srv, &fn, &argv, &envp), -1);
    ASSERT(argv == NULL && envp == NULL);
    json_decref(cfg);
}

FGS_TEST_LIST(T(exec, runtime_mapping), T(exec, argv_and_environment));
