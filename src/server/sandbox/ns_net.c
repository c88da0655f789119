/*
 * ns_net.c - the instance's network namespace.
 *
 * By default every instance gets a new, empty network namespace: only a
 * loopback interface, which is brought up so that a function (and later the
 * Custom runtime API server in fgs-init) can use 127.0.0.1 inside. Nothing
 * is routed out: the function cannot reach fgsd, other host services on the
 * host's 127.0.0.1, other instances (loopback and abstract unix sockets are
 * per namespace), or the network. With the setting off the instance shares
 * the host's network namespace (a development convenience, not isolated).
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>
#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include "sandbox/sandbox.h"

/* Child side, async-signal-safe: sets IFF_UP on "lo". */
int srv_net_loopback_up_child(void)
{
    struct ifreq ifr;
    int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    int rc = -1;

    if (fd < 0)
        return -1;
    memset(&ifr, 0, sizeof(ifr));
    memcpy(ifr.ifr_name, "lo", 3);
    if (ioctl(fd, SIOCGIFFLAGS, &ifr) == 0) {
        ifr.ifr_flags |= IFF_UP | IFF_RUNNING;
        rc = ioctl(fd, SIOCSIFFLAGS, &ifr);
    }
    close(fd);
    return rc;
}
