"""fgsd's own resource limits: a memory budget for buffered request bodies
(503 beyond it, the server stays up), idle/slow clients timed out, and a
connection cap that recovers when clients leave."""
import socket
import time

from fgsd import Fgsd, check, done

MB = 1024 * 1024


def open_upload(port, path, length):
    s = socket.create_connection(("127.0.0.1", port), timeout=20)
    s.sendall(("PUT %s HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
               "Content-Length: %d\r\n\r\n" % (path, length)).encode())
    return s


def status_of(sock):
    reply = b""
    while b"\r\n" not in reply:
        chunk = sock.recv(4096)
        if not chunk:
            break
        reply += chunk
    try:
        return int(reply.split(b" ", 2)[1])
    except (IndexError, ValueError):
        return 0


with Fgsd(args=["--max-body-memory", "2", "--conn-timeout", "2", "--max-connections", "8"]) as s:
    path = "/v2/%s/fgs/functions/ghost/code" % s.project
    socks = [open_upload(s.port, path, int(0.95 * MB)) for _ in range(3)]
    for sock in socks:
        sock.sendall(b"x" * int(0.85 * MB))  # held in fgsd until the body completes
        time.sleep(0.3)
    for sock in socks:
        sock.sendall(b"y" * (int(0.95 * MB) - int(0.85 * MB)))
        time.sleep(0.1)
    codes = [status_of(sock) for sock in socks]
    for sock in socks:
        sock.close()
    check(codes[0] == 404 and codes[1] == 404, "uploads within the body budget reach the handler (%s)" % codes)
    check(codes[2] == 503, "the upload that crosses the 2 MB body budget gets 503 (%s)" % codes)
    st, l, _ = s.call("GET", "/functions")
    check(st == 200, "fgsd answers normally after the budget was exceeded")
    st, e, _ = s.call("PUT", "/functions/ghost/code", "{" + " " * (MB // 2) + "}")
    check(st == 404, "the budget is released once requests finish (%s)" % st)

    # A client that sends half a request line and stalls is disconnected.
    slow = socket.create_connection(("127.0.0.1", s.port), timeout=10)
    slow.sendall(b"GET /v2/")
    t0 = time.time()
    data = slow.recv(100)
    check(data == b"" and time.time() - t0 < 8, "a stalled client is closed after the idle timeout")
    slow.close()

    # The connection cap: beyond it new connections wait unaccepted, then are served.
    if s.conn:
        s.conn.close()
        s.conn = None
    idle = [socket.create_connection(("127.0.0.1", s.port), timeout=5) for _ in range(8)]
    time.sleep(0.2)
    extra = socket.create_connection(("127.0.0.1", s.port), timeout=1)
    extra.sendall(("GET /v2/%s/fgs/functions HTTP/1.1\r\nHost: x\r\n\r\n" % s.project).encode())
    try:
        got = extra.recv(100)
    except socket.timeout:
        got = None
    check(got is None, "a connection beyond --max-connections is not served while the cap is full")
    for sock in idle:
        sock.close()
    extra.settimeout(10)
    check(status_of(extra) == 200, "the waiting connection is served once clients leave")
    extra.close()
    st, _, _ = s.call("GET", "/functions")
    check(st == 200, "service resumes once clients leave")
    check(s.alive(), "fgsd survived all of it")

done()
